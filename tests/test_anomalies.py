"""The anomaly sensors as a household sees them: no alarm for a device back,
heating an open window, and a frozen sensor still stuck over a restart."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from .test_coordinator import (
    START,
    add_entity,
    build_office,
    minutes_pass,
    setup_office,
)
from .test_registry_changes import registries_settle

ANOMALY = "binary_sensor.office_aiot_brain_anomaly"
BUILDING_ANOMALY = "binary_sensor.aiot_brain_anomaly"
THERMOSTAT = "climate.office_thermostat"
WINDOW_OPEN = "binary_sensor.office_aiot_brain_window_open"
CONTROL = "switch.office_aiot_brain_control"
CELSIUS = {"unit_of_measurement": "°C"}


async def test_a_thermostat_switched_off_for_summer_is_not_unavailable_after_a_blip(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A valve off for the summer drops off the radio for seconds and is back.

    Off, it shows no setpoint, so none is read again: the device is back all the
    same, and no alarm says it is unavailable all summer.
    """
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass)
    hass.states.async_set("sensor.office_temperature", "21.0", CELSIUS)
    hass.states.async_set(
        THERMOSTAT,
        "heat",
        {"current_temperature": 21.0, "temperature": 21.0, "hvac_action": "idle"},
    )
    await minutes_pass(hass, freezer, 10)
    # Summer: heating switched off.
    off = {"current_temperature": 21.0, "temperature": 21.0, "hvac_action": "off"}
    hass.states.async_set(THERMOSTAT, "off", off)
    await minutes_pass(hass, freezer, 10)

    # A radio blip of a few seconds.
    hass.states.async_set(THERMOSTAT, STATE_UNAVAILABLE)
    await hass.async_block_till_done()
    hass.states.async_set(THERMOSTAT, "off", {**off, "current_temperature": 21.1})
    await minutes_pass(hass, freezer, 120)

    state = hass.states.get(ANOMALY)
    assert state.state == STATE_OFF, state.attributes["reason"]
    assert hass.states.get(BUILDING_ANOMALY).state == STATE_OFF


async def test_a_contact_turned_from_door_to_window_is_not_unavailable_for_good(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A contact first shown as a door, set to a window in the UI, has a new battery."""
    freezer.move_to(START)
    build_office(hass)
    contact = add_entity(
        hass, "binary_sensor", "office_contact", "office", original_device_class="door"
    )
    await setup_office(hass)
    hass.states.async_set(contact, STATE_OFF)
    await minutes_pass(hass, freezer, 10)

    # The user sees it is on the window, and says so.
    er.async_get(hass).async_update_entity(contact, device_class="window")
    await registries_settle(hass, freezer)
    hass.states.async_set(contact, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    hass.states.async_set(contact, STATE_OFF)
    await minutes_pass(hass, freezer, 5)

    # Its battery is changed: unavailable for a minute, then back.
    hass.states.async_set(contact, STATE_UNAVAILABLE)
    await minutes_pass(hass, freezer, 1)
    hass.states.async_set(contact, STATE_OFF)
    await minutes_pass(hass, freezer, 120)

    state = hass.states.get(ANOMALY)
    assert state.state == STATE_OFF, state.attributes["reason"]


async def test_heating_with_the_window_open_is_no_heating_fault(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Airing the room while the valve heats: the heating is fine, the window is open.

    The area's own Window open sensor is on; its Anomaly sensor blames nothing.
    """
    freezer.move_to(START)
    build_office(hass)
    window = add_entity(
        hass, "binary_sensor", "office_window", "office", original_device_class="window"
    )
    await setup_office(hass)
    hass.states.async_set(window, STATE_OFF)
    hass.states.async_set("sensor.office_temperature", "21.0", CELSIUS)
    heating = {
        "current_temperature": 21.0,
        "temperature": 21.5,
        "hvac_action": "heating",
    }
    hass.states.async_set(THERMOSTAT, "heat", heating)
    await minutes_pass(hass, freezer, 5)

    hass.states.async_set(window, STATE_ON)
    temperature = 21.0
    for _ in range(8):
        temperature -= 0.2
        hass.states.async_set(
            "sensor.office_temperature", f"{temperature:.1f}", CELSIUS
        )
        await minutes_pass(hass, freezer, 10)

    assert (
        hass.states.get("binary_sensor.office_aiot_brain_window_open").state == STATE_ON
    )
    state = hass.states.get(ANOMALY)
    assert state.state == STATE_OFF, state.attributes["reason"]


async def test_a_frozen_thermometer_is_still_stuck_after_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A sensor whose chip hung reads 20.5 for good; Home Assistant restarts.

    Its integration (ESPHome, MQTT) shows it unavailable for the seconds until it
    connects, and then it reads 20.5 again: still stuck, since 13:10.
    """
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    thermometer = "sensor.office_temperature"
    for step in range(30):
        hass.states.async_set(thermometer, f"{20.0 + step % 3 / 10:.1f}", CELSIUS)
        await minutes_pass(hass, freezer, 10)
    hass.states.async_set(thermometer, "20.5", CELSIUS)
    await minutes_pass(hass, freezer, 8 * 60)
    assert hass.states.get(ANOMALY).attributes["kinds"] == ["stuck"]

    # Home Assistant restarts: the sensor is unavailable until its integration
    # connects, seconds after AIoT Brain started.
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    freezer.tick(timedelta(seconds=30))
    hass.states.async_set(thermometer, STATE_UNAVAILABLE)
    freezer.tick(timedelta(seconds=30))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    hass.states.async_set(thermometer, "20.5", CELSIUS)
    await minutes_pass(hass, freezer, 10)

    state = hass.states.get(ANOMALY)
    assert state.attributes["kinds"] == ["stuck"], state.attributes["reason"]


async def test_a_plug_reading_below_zero_is_no_faulty_power_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A plug-in solar panel feeds back through the desk's plug on a sunny day.

    Its plug reads below zero (so do many plugs by a watt or two with nothing on):
    nothing is drawn there, and the sensor is fine.
    """
    freezer.move_to(START)
    build_office(hass)
    plug = add_entity(
        hass,
        "sensor",
        "office_desk_power",
        "office",
        original_device_class="power",
        unit_of_measurement="W",
    )
    await setup_office(hass)

    for watts in ("300", "-1200", "-1.5"):
        hass.states.async_set(plug, watts, {"unit_of_measurement": "W"})
        await minutes_pass(hass, freezer, 5)

    state = hass.states.get(ANOMALY)
    assert state.state == STATE_OFF, state.attributes["reason"]


async def test_heating_with_a_window_open_seen_by_its_fall_is_no_heating_fault(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """No contact on the window: the area's Window open sensor sees the quick fall.

    The thermostat (set by hand, or not driven) heats on while the room airs. The
    area's own Window open sensor is on; its Anomaly sensor should not blame the
    heating, as it does not where a contact says the window is open.
    """
    freezer.move_to(START)
    build_office(hass)
    hass.states.async_set(
        "weather.home", "cloudy", {"temperature": 2.0, "temperature_unit": "°C"}
    )
    await setup_office(hass, outdoor_source="weather.home")
    # The household drives this valve itself: AIoT Brain does not set it back.
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": CONTROL}, blocking=True
    )
    idle = {"current_temperature": 21.0, "temperature": 21.0, "hvac_action": "idle"}
    hass.states.async_set(THERMOSTAT, "heat", idle)
    for _ in range(30):
        hass.states.async_set("sensor.office_temperature", "21.0", CELSIUS)
        await minutes_pass(hass, freezer, 1)

    # Someone opens the window to air the room; the valve, set to 21.5, heats on.
    heating = {
        "current_temperature": 21.0,
        "temperature": 21.5,
        "hvac_action": "heating",
    }
    hass.states.async_set(THERMOSTAT, "heat", heating)
    temperature = 21.0
    for _ in range(70):
        temperature -= 0.05
        hass.states.async_set(
            "sensor.office_temperature", f"{temperature:.2f}", CELSIUS
        )
        await minutes_pass(hass, freezer, 1)

    assert hass.states.get(WINDOW_OPEN).state == STATE_ON
    state = hass.states.get(ANOMALY)
    assert state.state == STATE_OFF, state.attributes["reason"]


async def _hours_pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hours: int
) -> None:
    """Let ``hours`` pass, the timer firing every quarter of an hour."""
    for _ in range(hours * 4):
        freezer.tick(timedelta(minutes=15))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def test_coming_home_from_a_weekend_away_raises_no_stuck_thermometer(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A Zigbee thermometer reports a change of 0.5 K, not the same value again.

    For three days the room is lived in: someone there by day, the sensor moving
    between 21.0 and 21.5 °C through the day, flat through each night. Then the
    household goes away for the weekend, the heating holds the room at 17.0 and
    the sensor has nothing new to say. When someone walks in on Sunday evening,
    the room has not changed yet: the sensor is fine, nothing to report.
    """
    freezer.move_to(START)  # Monday 08:00
    build_office(hass)
    await setup_office(hass)
    thermometer = "sensor.office_temperature"
    motion = "binary_sensor.office_motion"
    for _ in range(3):
        for hour in range(12):  # 08:00 to 20:00: someone there, the room moving
            hass.states.async_set(motion, STATE_ON)
            hass.states.async_set(thermometer, "21.5" if hour % 2 else "21.0", CELSIUS)
            await minutes_pass(hass, freezer, 30)
            hass.states.async_set(motion, STATE_OFF)
            await minutes_pass(hass, freezer, 30)
        await _hours_pass(hass, freezer, 12)  # a calm night, flat
    assert hass.states.get(ANOMALY).state == STATE_OFF

    # Thursday 08:00: away until Sunday evening; the room is held at 17.0.
    hass.states.async_set(thermometer, "17.0", CELSIUS)
    await _hours_pass(hass, freezer, 3 * 24 + 10)
    assert hass.states.get(ANOMALY).state == STATE_OFF

    # Sunday 18:00: home again.
    hass.states.async_set(motion, STATE_ON)
    await minutes_pass(hass, freezer, 2)

    state = hass.states.get(ANOMALY)
    assert state.state == STATE_OFF, state.attributes["reason"]


async def test_a_light_sensor_back_with_a_new_battery_in_the_dark_is_not_stuck(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A light sensor's battery dies one evening; it is replaced two days later.

    Meanwhile people worked in the room (the motion sensor saw them), which the
    dead sensor could not see. Its new battery goes in at night, in the dark: it
    reads 0 lx, as it did when it died. It has been working for a minute: it is
    not "stuck at 0 lx through the hours someone was here".
    """
    freezer.move_to(START)
    build_office(hass)
    lux = add_entity(
        hass,
        "sensor",
        "office_illuminance",
        "office",
        original_device_class="illuminance",
        unit_of_measurement="lx",
    )
    await setup_office(hass)
    motion = "binary_sensor.office_motion"
    lx = {"unit_of_measurement": "lx"}
    hass.states.async_set(motion, STATE_ON)
    for step in range(30):  # a working day, lit
        hass.states.async_set(lux, "300" if step % 2 else "150", lx)
        await minutes_pass(hass, freezer, 15)
    hass.states.async_set(motion, STATE_OFF)
    hass.states.async_set(lux, "0", lx)  # evening: dark
    await minutes_pass(hass, freezer, 60)

    # Its battery dies.
    hass.states.async_set(lux, STATE_UNAVAILABLE)
    await _hours_pass(hass, freezer, 12)
    for _ in range(2):  # two working days, the motion sensor seeing people
        for _ in range(10):
            hass.states.async_set(motion, STATE_ON)
            await minutes_pass(hass, freezer, 30)
            hass.states.async_set(motion, STATE_OFF)
            await minutes_pass(hass, freezer, 30)
        await _hours_pass(hass, freezer, 14)
    assert hass.states.get(ANOMALY).attributes["kinds"] == ["unavailable"]

    # A new battery, at night, in the dark.
    hass.states.async_set(lux, "0", lx)
    await minutes_pass(hass, freezer, 1)

    state = hass.states.get(ANOMALY)
    assert state.state == STATE_OFF, state.attributes["reason"]


@pytest.mark.parametrize(
    ("action", "readings"),
    [
        # A modulating valve says "heating" as long as it is a little open.
        ({"hvac_action": "heating"}, ("21.1", "21.0")),
        # One that reports no action is taken to heat a tenth below its target.
        ({}, ("20.9", "21.0")),
    ],
    ids=["heating-at-its-target", "no-action-a-tenth-below"],
)
async def test_a_valve_holding_its_room_at_the_target_is_no_heating_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    action: dict[str, str],
    readings: tuple[str, str],
) -> None:
    """The room stays at the valve's target (21 °C) for an hour, heated a little.

    The heating works: the room is where it is asked to be. The area's Anomaly
    sensor should not say the heating has no effect.
    """
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": CONTROL}, blocking=True
    )
    # A mild morning: the room holds 21.0 idle.
    idle = {"current_temperature": 21.0, "temperature": 21.0, "hvac_action": "idle"}
    hass.states.async_set(THERMOSTAT, "heat", idle)
    hass.states.async_set("sensor.office_temperature", "21.0", CELSIUS)
    await minutes_pass(hass, freezer, 30)

    held = {"current_temperature": float(readings[0]), "temperature": 21.0, **action}
    hass.states.async_set(THERMOSTAT, "heat", held)
    for minute in range(75):
        reading = readings[0] if minute % 20 < 10 else readings[1]
        hass.states.async_set("sensor.office_temperature", reading, CELSIUS)
        await minutes_pass(hass, freezer, 1)

    state = hass.states.get(ANOMALY)
    assert state.state == STATE_OFF, state.attributes["reason"]
