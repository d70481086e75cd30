"""Devices that publish what the documentation does not promise, as real ones do."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import ClimateEntityFeature, HVACMode
from homeassistant.components.demo.climate import DemoClimate
from homeassistant.components.demo.light import DemoLight
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.const import (
    EVENT_CALL_SERVICE,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    MockUser,
    async_capture_events,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.aiot_brain.brain.observation import Role
from custom_components.aiot_brain.const import DOMAIN, EVENT_ACTION, EVENT_HOLD
from custom_components.aiot_brain.discovery import ZoneEntity
from custom_components.aiot_brain.state_mapping import observations_from_state

from .test_acting import (
    CONTROL,
    LAMP,
    MOTION,
    START,
    SUMMER,
    THERMOSTAT,
    WINDOW,
    build_living_room,
    calls_to,
    cooling_unit,
    coordinator_of,
    lamp,
    light_calls,
    minutes_pass,
    outdoors,
    seconds_pass,
    set_by_hand,
    set_comfort_offset,
    set_living_room_mode,
    set_mode_by_hand,
    set_state,
    setup_brain,
    target,
    thermostat,
)


class HueRoom(DemoLight):
    """A Hue room's light: it lists its lamps in a set, as the Hue integration does."""

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        return {"is_hue_group": True, "entity_id": {"light.ceiling", "light.reading"}}


async def test_a_hue_room_is_called_for_its_lamps_and_they_are_left_to_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    room = HueRoom(unique_id="hue_room", device_name="Hue room", state=False)
    room.entity_id = "light.hue_room"
    await build_living_room(
        hass, climates=[], lights=[lamp("ceiling"), lamp("reading"), room]
    )
    calls = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)

    # One call to the room, not one to it and one to each of its lamps as well.
    assert light_calls(calls) == [("light.turn_on", "light.hue_room")]

    # A lamp of the room changed by hand holds the room.
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": "light.reading"}, blocking=True
    )
    await minutes_pass(hass, freezer, 30)
    reasons = hass.states.get(CONTROL).attributes["reasons"]
    assert list(reasons) == ["light.hue_room"]
    assert reasons["light.hue_room"].startswith(
        "Holding the light in Living room: changed by hand"
    )
    assert len(light_calls(calls)) == 1


THERMOMETER = ZoneEntity("sensor.living_room_temperature", (Role.TEMPERATURE,))


def _temperature(
    hass: HomeAssistant, state: str, unit: str | None, system_unit: str = "°C"
) -> float | None:
    """What the core is told of a room thermometer showing ``state`` in ``unit``."""
    attributes = {"device_class": "temperature"}
    if unit is not None:
        attributes["unit_of_measurement"] = unit
    hass.states.async_set(THERMOMETER.entity_id, state, attributes)
    current = hass.states.get(THERMOMETER.entity_id)
    assert current is not None
    values = {
        observation.role: observation.value
        for observation in observations_from_state(
            THERMOMETER, current, system_temperature_unit=system_unit
        )
    }
    return values.get(Role.TEMPERATURE)


@pytest.mark.parametrize("unit", ["C", "ºC", "⁰C", "C°", "°c", "℃", "°C "])
async def test_a_thermometer_writing_celsius_its_own_way_is_read(
    hass: HomeAssistant, unit: str
) -> None:
    # Firmware and templates write "C" or the ordinal "º" for "°C".
    assert _temperature(hass, "21.5", unit) == 21.5


@pytest.mark.parametrize("unit", ["F", "ºF", "℉", "°f"])
async def test_a_thermometer_writing_fahrenheit_its_own_way_is_converted(
    hass: HomeAssistant, unit: str
) -> None:
    assert _temperature(hass, "68", unit) == pytest.approx(20.0)


async def test_a_thermometer_in_no_temperature_unit_is_still_not_read(
    hass: HomeAssistant,
) -> None:
    assert _temperature(hass, "21.5", "lx") is None
    assert _temperature(hass, "21.5", "%") is None


async def test_a_thermometer_showing_no_unit_reads_in_the_homes_unit(
    hass: HomeAssistant,
) -> None:
    # An American home's template thermometer without a unit shows °F, not °C.
    assert _temperature(hass, "68", None, system_unit="°F") == pytest.approx(20.0)
    assert _temperature(hass, "21.5", None) == 21.5


@pytest.mark.parametrize(
    ("mode", "attributes", "action"),
    [
        (HVACMode.HEAT, {"current_temperature": 18.0, "temperature": 21.0}, 1.0),
        (HVACMode.HEAT, {"current_temperature": 21.5, "temperature": 21.0}, 0.0),
        (HVACMode.COOL, {"current_temperature": 27.0, "temperature": 24.0}, -1.0),
        (
            HVACMode.HEAT_COOL,
            {"current_temperature": 18.0, "target_temp_low": 20.0},
            1.0,
        ),
        (HVACMode.OFF, {"current_temperature": 12.0, "temperature": 21.0}, 0.0),
        (HVACMode.AUTO, {"current_temperature": 18.0, "temperature": 21.0}, None),
    ],
)
async def test_a_thermostat_reporting_no_action_is_read_from_its_target(
    hass: HomeAssistant, mode: HVACMode, attributes: dict[str, Any], action: float
) -> None:
    """Radiator valves and simple thermostats often show no hvac_action."""
    valve = ZoneEntity(THERMOSTAT, (Role.HVAC_ACTION,))
    hass.states.async_set(THERMOSTAT, mode, attributes)
    current = hass.states.get(THERMOSTAT)
    assert current is not None
    values = {o.role: o.value for o in observations_from_state(valve, current)}
    assert values.get(Role.HVAC_ACTION) == action


async def test_a_valve_reporting_no_action_teaches_how_fast_it_heats(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    valve = thermostat(
        "living_room", [HVACMode.HEAT, HVACMode.OFF], target=21.0, current=17.0
    )
    await build_living_room(hass, [valve])
    entry = await setup_brain(hass, "observe", outdoor_source="sensor.outdoor")
    hass.states.async_set("sensor.outdoor", "2.0", {"unit_of_measurement": "°C"})
    # It heats the room from 17 °C by 3 K an hour, and says nothing of doing so.
    for step in range(1, 13):
        shown = hass.states.get(THERMOSTAT)
        hass.states.async_set(
            THERMOSTAT,
            shown.state,
            {**shown.attributes, "current_temperature": 17.0 + step * 0.25},
        )
        await minutes_pass(hass, freezer, 5)

    thermal = coordinator_of(entry).brain.zone("living_room").thermal
    assert thermal.samples[1] > 0  # spans measured while heating
    assert thermal.response().heating_rate > 2.0  # not the 1.5 K/h it assumed


class EvohomeZone(DemoClimate):
    """Like an evohome zone: off is its lowest setpoint, 5 °C, and shows it."""

    _attr_min_temp = 5.0

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        if hvac_mode == HVACMode.OFF:
            self._target_temperature = self.min_temp
        await super().async_set_hvac_mode(hvac_mode)


async def test_a_thermostat_switched_off_by_hand_teaches_no_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    zone = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], kind=EvohomeZone)
    await build_living_room(hass, climates=[zone])
    entry = await setup_brain(hass)
    comfort = coordinator_of(entry).brain.zone("living_room").comfort

    # Someone switches the radiator off: they asked for no heat, not for 5 °C.
    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {"entity_id": THERMOSTAT, "hvac_mode": HVACMode.OFF},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(THERMOSTAT).attributes["temperature"] == 5.0
    assert comfort.labels == 0

    # Switched on again and set, that is what they want.
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": THERMOSTAT, "hvac_mode": HVACMode.HEAT, "temperature": 21.5},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await minutes_pass(hass, freezer, 1)
    assert comfort.labels == 1


async def test_a_thermostat_turned_right_down_or_up_by_hand_teaches_no_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Down to 7 °C before a weekend away, up to 30 °C to boost: gestures only."""
    freezer.move_to(START)
    await build_living_room(hass, [thermostat("living_room", [HVACMode.HEAT])])
    entry = await setup_brain(hass, min_temperature=16.0, max_temperature=28.0)
    zone = coordinator_of(entry).brain.zone("living_room")
    comfort_sensor = "sensor.living_room_aiot_brain_comfort_setpoint"

    async def set_to(celsius: float) -> None:
        await set_by_hand(hass, hass_admin_user, celsius)
        await minutes_pass(hass, freezer, 1)

    await set_to(7.0)
    assert zone.comfort.labels == 0
    assert float(hass.states.get(comfort_sensor).state) == 20.0
    # Still a person's change: it is held, not fought.
    assert hass.states.get(THERMOSTAT).attributes["temperature"] == 7.0
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "changed by hand" in reason
    await set_to(30.0)  # the heat protection takes it down to 28 °C
    assert zone.comfort.labels == 0
    assert float(hass.states.get(comfort_sensor).state) == 20.0

    # A setpoint within the bounds is what they want.
    await set_to(22.0)
    assert zone.comfort.labels == 1
    assert float(hass.states.get(comfort_sensor).state) > 20.0


class ModeBlindThermostat(DemoClimate):
    """A thermostat whose integration reads set_temperature's temperatures only.

    Home Assistant hands the call's optional hvac_mode on to the integration, and
    many (Tuya, Shelly, tado, KNX, ...) leave it unread: only set_hvac_mode
    switches such a thermostat on, or from heating to cooling.
    """

    async def async_set_temperature(self, **kwargs: Any) -> None:
        kwargs.pop("hvac_mode", None)
        await super().async_set_temperature(**kwargs)


def climate_calls(events: list[Event]) -> list[tuple[str, dict[str, Any]]]:
    """The climate services called, with their data less the entity id."""
    return [
        (
            event.data["service"],
            {
                key: value
                for key, value in event.data["service_data"].items()
                if key != "entity_id"
            },
        )
        for event in events
        if event.data["domain"] == "climate"
    ]


async def test_frost_protection_switches_on_a_thermostat_deaf_to_set_temperatures_mode(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    cold = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        target=12.0,
        current=14.0,
        mode=HVACMode.OFF,
        kind=ModeBlindThermostat,
    )
    await build_living_room(hass, climates=[cold])
    calls = async_capture_events(hass, EVENT_CALL_SERVICE)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_living_room_mode(hass, "off")
    await minutes_pass(hass, freezer, 30)

    # 14 °C, below the 16 °C floor: switched on first, then set, as one action.
    assert hass.states.get(THERMOSTAT).state == HVACMode.HEAT
    assert target(hass) == 16.0
    assert climate_calls(calls) == [
        ("set_hvac_mode", {"hvac_mode": HVACMode.HEAT}),
        ("set_temperature", {"temperature": 16.0}),
    ]
    assert [event.data["data"] for event in actions] == [
        {"hvac_mode": "heat", "temperature": 16.0}
    ]


async def test_a_thermostat_already_heating_is_only_set(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """No mode call where the thermostat shows the mode wanted already."""
    freezer.move_to(START)
    await build_living_room(hass)
    calls = async_capture_events(hass, EVENT_CALL_SERVICE)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)

    assert hass.states.get(THERMOSTAT).state == HVACMode.HEAT
    assert climate_calls(calls) == [("set_temperature", {"temperature": target(hass)})]
    assert target(hass) > 17.0


class RadiatorValve(DemoClimate):
    """A radiator valve with a boost button and a window function, as Zigbee ones.

    Its boost opens it fully for a while, its setpoint kept; a quick fall in the
    temperature it reads turns it down to 5 °C until the window is shut. Each
    ends by itself, in a context of its own.
    """

    _attr_min_temp = 5.0
    _attr_max_temp = 30.0
    _before_window: float | None = None

    async def async_report(self) -> None:
        self.async_write_ha_state()
        await self.hass.async_block_till_done()

    async def async_end_boost(self) -> None:
        self._preset = "none"
        await self.async_report()

    async def async_window_opened(self) -> None:
        self._before_window = self._target_temperature
        self._target_temperature = self.min_temp
        await self.async_report()

    async def async_window_shut(self) -> None:
        self._target_temperature = self._before_window
        await self.async_report()


def radiator_valve() -> RadiatorValve:
    valve = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        preset="none",
        presets=["none", "boost"],
        kind=RadiatorValve,
    )
    assert isinstance(valve, RadiatorValve)
    return valve


async def test_a_valves_boost_teaches_no_comfort_and_holds_while_it_lasts(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Cold in a room kept at eco's 17 °C, someone presses boost: no wish for 17 °C."""
    freezer.move_to(START)
    valve = radiator_valve()
    await build_living_room(hass, [valve])
    entry = await setup_brain(hass)
    zone = coordinator_of(entry).brain.zone("living_room")
    comfort_sensor = "sensor.living_room_aiot_brain_comfort_setpoint"
    await set_state(hass, MOTION, STATE_ON)
    await set_living_room_mode(hass, "eco")
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 17.0

    await hass.services.async_call(
        "climate",
        "set_preset_mode",
        {"entity_id": THERMOSTAT, "preset_mode": "boost"},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await minutes_pass(hass, freezer, 10)
    assert zone.comfort.labels == 0
    # A person's change: held, not fought, while the boost lasts.
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "changed by hand" in reason

    await valve.async_end_boost()
    await minutes_pass(hass, freezer, 1)
    assert zone.comfort.labels == 0
    assert float(hass.states.get(comfort_sensor).state) == 20.0
    # Over by itself: the valve is as it was, and the area's plan goes on.
    assert hass.states.get(CONTROL).attributes["held_until"] == {}


async def test_a_valves_window_function_is_no_hand_once_the_window_is_shut(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The valve turns itself down to 5 °C for an airing, and back after it."""
    freezer.move_to(START)
    valve = radiator_valve()
    await build_living_room(hass, [valve])
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass, hold_minutes=120)
    zone = coordinator_of(entry).brain.zone("living_room")
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 20)
    assert target(hass) == 20.0

    await valve.async_window_opened()
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 5.0  # not fought while it airs
    await valve.async_window_shut()
    await minutes_pass(hass, freezer, 1)

    assert zone.comfort.labels == 0  # its 20 °C again is nobody's wish
    assert hass.states.get(CONTROL).attributes["held_until"] == {}
    assert holds[-1].data["reason"] == (
        "Hold ended: the thermostat went back by itself to how it was"
    )
    # Switched to eco soon after, it is set back, not left two hours at 20 °C.
    await set_living_room_mode(hass, "eco")
    await minutes_pass(hass, freezer, 5)
    assert target(hass) == 17.0


class WholeDegreeCloudThermostat(DemoClimate):
    """A cloud air conditioner that takes whole degrees only (it shows no step).

    The cloud reports the device's own setting on its next poll, in a context of
    its own: 20.5 °C asked is 21 °C set.
    """

    asked: dict[str, Any]  # what the cloud was sent since its last poll

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        self.asked = {"hvac_mode": hvac_mode}

    async def async_set_temperature(self, **kwargs: Any) -> None:
        kwargs.pop("entity_id", None)
        self.asked = {**getattr(self, "asked", {}), **kwargs}

    async def async_poll(self) -> None:
        """The cloud's next poll: what the device took, to its whole degree."""
        settings = dict(self.asked)
        if "temperature" in settings:
            settings["temperature"] = float(int(settings["temperature"] + 0.5))
        await DemoClimate.async_set_temperature(self, **settings)
        await self.hass.async_block_till_done()


async def whole_degree_living_room[T: DemoClimate](
    hass: HomeAssistant, kind: type[T]
) -> T:
    """Build the living room around a thermostat of ``kind``, off at 17 °C."""
    room = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        target=17.0,
        mode=HVACMode.OFF,
        kind=kind,
    )
    assert isinstance(room, kind)
    await build_living_room(hass, [room])
    return room


async def test_a_thermostat_rounding_our_setpoint_is_not_a_persons_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    room = await whole_degree_living_room(hass, WholeDegreeCloudThermostat)
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass)
    await set_comfort_offset(hass, 0.5)  # 20.5 °C, half a degree
    await set_state(hass, MOTION, STATE_ON)
    assert room.asked == {"hvac_mode": HVACMode.HEAT, "temperature": 20.5}

    await seconds_pass(hass, freezer, 30)
    await room.async_poll()  # heat, 21 °C: our call as the device took it
    assert target(hass) == 21.0
    await minutes_pass(hass, freezer, 10)

    # Nobody touched it: nothing learned, no hold, the zone still controlled.
    assert coordinator_of(entry).brain.zone("living_room").comfort.labels == 0
    assert holds == []
    assert hass.states.get(CONTROL).state == "controlling"


async def test_a_whole_degree_thermostat_showing_its_step_gets_halves_rounded_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """As one showing no step rounds them itself: 20.5 °C is 21 °C, as 21.5 is 22."""
    freezer.move_to(START)
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], target=17.0)
    room._attr_target_temperature_step = 1.0
    await build_living_room(hass, [room])
    await setup_brain(hass)
    await set_comfort_offset(hass, 0.5)  # 20.5 °C
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 21.0


class WholeDegreeThermostat(DemoClimate):
    """A local air conditioner that takes whole degrees only (it shows no step).

    It shows at once what it made of the call, in the call's context: 20.5 °C
    asked is 21 °C set, and a band of 19.5-24.5 °C is 20-25 °C.
    """

    async def async_set_temperature(self, **kwargs: Any) -> None:
        for key in ("temperature", "target_temp_low", "target_temp_high"):
            if key in kwargs:
                kwargs[key] = float(int(kwargs[key] + 0.5))
        await super().async_set_temperature(**kwargs)


async def test_a_thermostat_rounding_our_setpoint_is_not_sent_it_again_and_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await whole_degree_living_room(hass, WholeDegreeThermostat)
    holds = async_capture_events(hass, EVENT_HOLD)
    actions = async_capture_events(hass, EVENT_ACTION)
    entry = await setup_brain(hass)
    await set_comfort_offset(hass, 0.5)  # 20.5 °C, half a degree
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 21.0

    await minutes_pass(hass, freezer, 60 * 6)

    # It took the call: 21 °C is as near 20.5 °C as it goes, and asking again
    # would change nothing.
    assert holds == []
    assert len(actions) == 1
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith("Living room already heating to 20.5 °C")

    # Known after a restart too.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 30)
    assert len(actions) == 1


async def test_a_valve_turned_down_for_an_airing_is_not_heated_with_the_window_open(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A winter airing: the valve's window function turns it down to 5 °C and the
    air by it falls to 15 °C, below the lowest setpoint (16 °C). Heated back with
    the window wide open, it would heat the street; only frost is kept off."""
    freezer.move_to(START)
    valve = radiator_valve()
    await build_living_room(hass, [valve], window=True)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 20)
    assert target(hass) == 20.0
    called = len(actions)

    await set_state(hass, WINDOW, STATE_ON)
    await valve.async_window_opened()
    await minutes_pass(hass, freezer, 3)
    valve._current_temperature = 15.0  # the cold air by the window
    await valve.async_report()
    await minutes_pass(hass, freezer, 7)
    assert target(hass) == 5.0, [a.data["reason"] for a in actions[called:]]

    # Left open for hours, the room nears frost: it is heated, window or not.
    valve._current_temperature = 6.5
    await valve.async_report()
    await minutes_pass(hass, freezer, 1)
    assert target(hass) == 16.0
    assert (
        actions[-1]
        .data["reason"]
        .startswith("Frost protection in Living room: 6.5 °C is below 7.0 °C")
    )


async def test_an_air_conditioners_lowest_setpoint_is_not_taken_for_frost(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    split = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.COOL, HVACMode.OFF],
        mode=HVACMode.OFF,
        target=22.0,
        current=17.0,
    )
    split._attr_min_temp = 18.0  # as low as many split units can be set
    await build_living_room(hass, climates=[split])
    await setup_brain(hass)  # frost protection below 16 °C
    await set_living_room_mode(hass, "off")
    await minutes_pass(hass, freezer, 5)

    # 17 °C is no frost: the unit someone switched off stays off.
    assert hass.states.get(THERMOSTAT).state == HVACMode.OFF

    # Below 16 °C it heats, to the lowest setpoint it takes.
    split._current_temperature = 15.0
    split.async_write_ha_state()
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(THERMOSTAT).state == HVACMode.HEAT
    assert hass.states.get(THERMOSTAT).attributes["temperature"] == 18.0


async def test_a_bridge_writing_odd_attributes_stops_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Features or kelvin limits as None or text are read as absent, not raised."""
    freezer.move_to(START)
    await build_living_room(hass, lights=[lamp()])
    await setup_brain(hass)
    climate = hass.states.get(THERMOSTAT)
    assert climate is not None
    # A person's change, as a bridge writes it: no features, limits in words.
    hass.states.async_set(
        THERMOSTAT,
        "heat",
        {**climate.attributes, "supported_features": None, "temperature": 23.0},
    )
    light = hass.states.get(LAMP)
    assert light is not None
    hass.states.async_set(
        LAMP, "off", {**light.attributes, "min_color_temp_kelvin": "warm"}
    )
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)

    assert "Traceback" not in caplog.text
    assert (
        hass.states.get(CONTROL)
        .attributes["reasons"][THERMOSTAT]
        .startswith("Holding the thermostat")
    )


@pytest.mark.parametrize(
    ("mode", "words"), [(HVACMode.DRY, "drying"), (HVACMode.FAN_ONLY, "on fan only")]
)
async def test_an_air_conditioner_left_drying_or_fanning_is_not_switched_to_heat(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    mode: HVACMode,
    words: str,
) -> None:
    """Once the person's hold is over it keeps their way while the room needs no other."""
    freezer.move_to(SUMMER)
    air_conditioner = cooling_unit(
        25.0,
        modes=[HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL, HVACMode.DRY, mode],
    )
    await build_living_room(hass, [air_conditioner])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass, 24.0)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    await set_mode_by_hand(hass, hass_admin_user, mode)
    # They go out: the room is empty, and the hold is over.
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)

    assert hass.states.get(THERMOSTAT).state == mode
    assert not [action for action in actions if action.data["entity_id"] == THERMOSTAT][
        1:
    ]
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith(f"Living room already {words}, left so until it is")

    # The room warms past the setback's cooling edge: it is cooled again.
    air_conditioner._current_temperature = 29.0
    air_conditioner.async_write_ha_state()
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(THERMOSTAT).state == HVACMode.COOL


async def test_an_air_conditioner_that_reads_no_temperature_is_not_switched_to_heat(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Sent infrared, it cannot say how warm the room is, and nothing else does."""
    freezer.move_to(SUMMER)
    modes = [HVACMode.OFF, HVACMode.COOL, HVACMode.HEAT, HVACMode.DRY]
    air_conditioner = thermostat("living_room", modes, mode=HVACMode.OFF, target=24.0)
    air_conditioner._current_temperature = None
    await build_living_room(hass, [air_conditioner])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)

    # Which way the room needs it is not known: it is left as someone left it.
    assert hass.states.get(THERMOSTAT).state == HVACMode.OFF
    assert not actions
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith(
        "Living room already off, left so while the room's temperature is unknown"
    )


async def test_a_sauna_is_left_to_its_bathers(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """It takes 40-110 °C, hotter than any room: no room's thermostat, whatever its name.

    Asked for a room's comfort within both, it was refused at every step (a repair
    issue), and once a bather had it at 80 °C "heat protection" turned it down; its
    75 °C were taken for the room's.
    """
    freezer.move_to(START)
    sauna = thermostat("harvia", [HVACMode.HEAT, HVACMode.OFF], mode=HVACMode.OFF)
    sauna._attr_min_temp, sauna._attr_max_temp = 40.0, 110.0
    radiator = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF])
    await build_living_room(hass, [radiator, sauna])
    actions = async_capture_events(hass, EVENT_ACTION)
    entry = await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 3)
    assert target(hass) == 20.0  # the room is heated
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.harvia", "hvac_mode": HVACMode.HEAT, "temperature": 80},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    sauna._current_temperature = 75.0
    sauna.async_write_ha_state()
    # The bathers go out: a hold would be over.
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)

    assert target(hass, "climate.harvia") == 80.0
    assert not [a for a in actions if a.data["entity_id"] == "climate.harvia"]
    assert not ir.async_get(hass).async_get_issue(DOMAIN, "call_refused_climate.harvia")
    zone = coordinator_of(entry).brain.zone("living_room")
    assert zone.latest[Role.TEMPERATURE] == 19.0
    reason = hass.states.get(CONTROL).attributes["reasons"]["climate.harvia"]
    assert reason == (
        "Left alone, no room's: it takes 40 °C at the least, hotter than any room"
    )


async def test_a_sauna_alone_gives_no_time_to_temperature(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """It cannot warm the room to 20 °C: nothing is left to time."""
    freezer.move_to(START)
    sauna = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], current=17.0)
    sauna._attr_min_temp, sauna._attr_max_temp = 40.0, 110.0
    await build_living_room(hass, [sauna])
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass, 5.0)
    await minutes_pass(hass, freezer, 1)

    time_to = hass.states.get("sensor.living_room_aiot_brain_time_to_temperature")
    assert time_to.state == STATE_UNKNOWN


async def test_a_split_unit_with_one_target_switched_off_on_a_mild_evening_stays_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Its only way is heat/cool, to one target: off, it stays so as others do."""
    freezer.move_to(datetime.fromisoformat("2026-07-07T01:00:00+00:00"))  # 18:00
    modes = [HVACMode.OFF, HVACMode.HEAT_COOL]
    unit = thermostat("living_room", modes, mode=HVACMode.HEAT_COOL, current=23.0)
    unit._attr_supported_features &= ~ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
    await build_living_room(hass, [unit])
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass, 21.0)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    await set_mode_by_hand(hass, hass_admin_user, HVACMode.OFF)
    actions = async_capture_events(hass, EVENT_ACTION)
    # They go out: the room is empty, and the hold is over.
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)

    assert hass.states.get(THERMOSTAT).state == HVACMode.OFF
    assert not actions
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith("Living room already off, left so until it is colder")

    # The room warms past the setback's cooling edge: it is switched on again.
    unit._current_temperature = 29.0
    unit.async_write_ha_state()
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(THERMOSTAT).state == HVACMode.HEAT_COOL


async def add_devices_of(
    hass: HomeAssistant, integration: str, climates: list[DemoClimate], area: str
) -> None:
    """Climates as ``integration`` adds them, each on its device, set in ``area``."""

    async def setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.CLIMATE])
        return True

    async def add_climates(
        hass: HomeAssistant, entry: ConfigEntry, add_entities: Any
    ) -> None:
        add_entities(climates)

    mock_integration(hass, MockModule(integration, async_setup_entry=setup_entry))
    mock_platform(hass, f"{integration}.config_flow", None)
    mock_platform(
        hass, f"{integration}.climate", MockPlatform(async_setup_entry=add_climates)
    )
    entry = MockConfigEntry(domain=integration)
    entry.add_to_hass(hass)
    with mock_config_flow(integration, ConfigFlow):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    areas = ar.async_get(hass)
    area_id = (areas.async_get_area_by_name(area) or areas.async_create(area)).id
    for climate in climates:
        registered = er.async_get(hass).async_get(climate.entity_id)
        assert registered is not None
        assert registered.device_id is not None
        dr.async_get(hass).async_update_device(registered.device_id, area_id=area_id)


def appliance(object_id: str, device_name: str, current: float) -> DemoClimate:
    """A climate of something in a room that is not the room: off, as left."""
    entity = thermostat(object_id, [HVACMode.HEAT, HVACMode.OFF], mode=HVACMode.OFF)
    entity._current_temperature = current
    assert entity.device_info is not None
    entity.device_info["name"] = device_name
    return entity


@pytest.mark.parametrize(
    ("integration", "object_id", "device_name", "current", "why"),
    [
        # A car's cabin preheating: the battery drained every morning.
        ("tesla_fleet", "model_y_climate", "Model Y", 6.0, "a car's, from tesla_fleet"),
        ("test", "id_4_climatisation", "My car", 6.0, 'its names say "car"'),
        ("screenlogic", "pool_heat", "Pentair", 27.0, 'its names say "pool"'),
        ("balboa", "spa_heater", "Spa", 38.0, 'its names say "spa"'),
        ("tuya", "aquarium_heater", "Tank", 25.0, 'its names say "aquarium"'),
        ("tuya", "reptile", "Terrarium", 30.0, 'its names say "terrarium"'),
        ("tuya", "wine_cooler", "Wine cooler", 12.0, 'its names say "wine cooler"'),
        ("mqtt", "boiler_dhw", "Boiler", 50.0, 'its names say "dhw"'),
        ("huum", "huum", "Sauna", 80.0, 'its names say "sauna"'),
    ],
)
async def test_a_climate_of_something_else_than_the_room_is_left_alone(  # noqa: PLR0917
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    integration: str,
    object_id: str,
    device_name: str,
    current: float,
    why: str,
) -> None:
    """Someone walks in: the room is heated, the car, pool or fridge is not.

    Nor is its temperature the room's: a sauna at 80 °C made the room read 49.5 °C.
    """
    freezer.move_to(START)
    await build_living_room(hass)
    odd = appliance(object_id, device_name, current)
    await add_devices_of(hass, integration, [odd], "Living room")
    actions = async_capture_events(hass, EVENT_ACTION)
    entry = await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 3)

    assert target(hass) == 20.0  # the room is heated
    odd_id = f"climate.{object_id}"
    assert hass.states.get(odd_id).state == HVACMode.OFF
    assert not [a for a in actions if a.data["entity_id"] == odd_id]
    zone = coordinator_of(entry).brain.zone("living_room")
    assert zone.latest[Role.TEMPERATURE] == 19.0
    reason = hass.states.get(CONTROL).attributes["reasons"][odd_id]
    assert reason == f"Left alone, no room's: {why}"


@pytest.mark.parametrize(
    ("integration", "object_id", "device_name"),
    [
        ("daikin", "garage_heater", "Garage heater"),  # it heats the garage
        ("test", "pool_house", "Pool house radiator"),
        ("panasonic_cc", "aquarea", "Panasonic Aquarea"),  # a heat pump's brand
        ("tuya", "carrier", "Carrier split unit"),
        ("whirlpool", "bedroom_ac", "Whirlpool AC"),
        ("tado", "spare_room", "Spare room"),
    ],
)
async def test_a_room_heater_named_like_an_appliance_heats_the_room(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    integration: str,
    object_id: str,
    device_name: str,
) -> None:
    """Only the words themselves set a climate apart, never a room's or a brand's."""
    freezer.move_to(START)
    await build_living_room(hass, [])
    heater = thermostat(object_id, [HVACMode.HEAT, HVACMode.OFF])
    assert heater.device_info is not None
    heater.device_info["name"] = device_name
    await add_devices_of(hass, integration, [heater], "Living room")
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 3)

    assert target(hass, f"climate.{object_id}") == 20.0


async def test_a_thermostat_beyond_the_setpoints_is_not_the_rooms_thermometer(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A water heater shown as a climate (30-60 °C) heating to 55 °C beside a radiator.

    Left alone, as it takes no target up to the highest setpoint, its 50 °C were
    still the room's (34.5 °C with the radiator's 19 °C) and its heating the room's.
    """
    freezer.move_to(START)
    boiler = thermostat("boiler", [HVACMode.HEAT, HVACMode.OFF], target=55.0)
    boiler._attr_min_temp, boiler._attr_max_temp = 30.0, 60.0
    boiler._current_temperature = 50.0
    radiator = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF])
    await build_living_room(hass, [radiator, boiler])
    entry = await setup_brain(hass)

    await minutes_pass(hass, freezer, 3)

    zone = coordinator_of(entry).brain.zone("living_room")
    assert zone.latest[Role.TEMPERATURE] == 19.0
    assert zone.latest[Role.HVAC_ACTION] == 0.0
    assert target(hass, "climate.boiler") == 55.0


@pytest.mark.parametrize(
    ("object_id", "why"),
    [
        ("aquarium", 'its names say "aquarium"'),
        ("terrarium_heat_lamp", 'its names say "terrarium"'),
        ("grow_light", 'its names say "grow light"'),
    ],
)
async def test_a_light_for_fish_reptiles_or_plants_is_left_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, object_id: str, why: str
) -> None:
    """It keeps its own hours: the room emptying must not switch it off."""
    freezer.move_to(START)
    tank = lamp(object_id)
    tank._attr_is_on = True
    await build_living_room(hass, climates=[], lights=[lamp(), tank])
    calls = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    assert light_calls(calls) == [("light.turn_on", LAMP)]
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)

    assert hass.states.get(LAMP).state == STATE_OFF
    assert hass.states.get(f"light.{object_id}").state == STATE_ON
    assert [call for call in light_calls(calls) if call[1] != LAMP] == []
    reason = hass.states.get(CONTROL).attributes["reasons"][f"light.{object_id}"]
    assert reason == f"Left alone, no room's: {why}"


async def test_a_radiator_with_presets_in_its_own_words_is_driven_by_them(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A French pilot-wire radiator: "Confort", "Eco", "Hors-gel", no temperature."""
    freezer.move_to(START)
    radiator = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        target=None,
        preset="Hors-gel",
        presets=["Confort", "Eco", "Hors-gel"],
    )
    await build_living_room(hass, [radiator])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    assert hass.states.get(THERMOSTAT).attributes["preset_mode"] == "Confort"
    assert (
        actions[-1]
        .data["reason"]
        .startswith("Setting Living room to preset Confort: occupied")
    )

    await set_living_room_mode(hass, "eco")
    await minutes_pass(hass, freezer, 5)
    assert hass.states.get(THERMOSTAT).attributes["preset_mode"] == "Eco"
    assert actions[-1].data["reason"] == ("Setting Living room to preset Eco: eco mode")
    # Away has no preset of its own here: eco, not frost protection's 7 °C.
    await set_living_room_mode(hass, "away")
    await minutes_pass(hass, freezer, 10)
    assert hass.states.get(THERMOSTAT).attributes["preset_mode"] == "Eco"
    assert len(actions) == 2


class PresetThermostat(DemoClimate):
    """A thermostat keeping a temperature for each preset, as Versatile Thermostat.

    A preset shows its own temperature; a temperature set switches it to "none".
    """

    temperatures: ClassVar[dict[str, float]] = {
        "comfort": 21.5,
        "eco": 17.5,
        "boost": 23.0,
        "frost": 7.0,
    }

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        self._preset = preset_mode
        self._target_temperature = self.temperatures.get(
            preset_mode, self._target_temperature
        )
        self.async_write_ha_state()

    async def async_set_temperature(self, **kwargs: Any) -> None:
        self._preset = "none"
        await super().async_set_temperature(**kwargs)

    async def async_window(self, opened: bool) -> None:
        """Its window function: eco's temperature while the window is open.

        Its preset stays as it was; once the window is shut it goes back to the
        temperature it had, each in a context of its own.
        """
        if opened:
            self._before_window = self._target_temperature
            self._target_temperature = self.temperatures["eco"]
        else:
            self._target_temperature = self._before_window
        self.async_write_ha_state()
        await self.hass.async_block_till_done()


async def test_a_temperature_per_preset_teaches_comfort_from_comfort_alone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Switched to comfort by hand, its 21.5 °C is a wish; boost's or eco's is not."""
    freezer.move_to(START)
    versatile = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        target=17.5,
        preset="eco",
        presets=["none", "frost", "eco", "comfort", "boost"],
        kind=PresetThermostat,
    )
    await build_living_room(hass, [versatile])
    entry = await setup_brain(hass)
    zone = coordinator_of(entry).brain.zone("living_room")
    comfort_sensor = "sensor.living_room_aiot_brain_comfort_setpoint"
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 20.0

    async def switch_by_hand(preset: str) -> None:
        await hass.services.async_call(
            "climate",
            "set_preset_mode",
            {"entity_id": THERMOSTAT, "preset_mode": preset},
            blocking=True,
            context=Context(user_id=hass_admin_user.id),
        )
        await minutes_pass(hass, freezer, 3)

    await switch_by_hand("comfort")
    assert zone.comfort.labels == 1
    assert float(hass.states.get(comfort_sensor).state) == 21.1

    # Pressed by someone cold, the boost's 23 °C is no comfort wanted ...
    await switch_by_hand("boost")
    assert target(hass) == 23.0
    # ... nor eco's 17.5 °C, switched to on the way out.
    await switch_by_hand("eco")
    assert target(hass) == 17.5
    assert zone.comfort.labels == 1
    assert float(hass.states.get(comfort_sensor).state) == 21.1
    # Each is held all the same: a hand chose it.
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "changed by hand" in reason


class HolidayThermostat(PresetThermostat):
    """A radiator valve keeping a temperature for its "holiday" preset (away)."""

    temperatures: ClassVar[dict[str, float]] = {
        **PresetThermostat.temperatures,
        "holiday": 17.0,
        "vacation": 17.0,
    }


@pytest.mark.parametrize("preset", ["holiday", "vacation"])
async def test_a_holiday_preset_s_own_temperature_teaches_no_comfort(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    preset: str,
) -> None:
    """Away in a valve's own words: its 17 °C is a setback, not a wish."""
    freezer.move_to(START)
    valve = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        target=20.0,
        preset="none",
        presets=["none", "comfort", "eco", preset],
        kind=HolidayThermostat,
    )
    await build_living_room(hass, [valve])
    entry = await setup_brain(hass)
    zone = coordinator_of(entry).brain.zone("living_room")
    comfort_sensor = "sensor.living_room_aiot_brain_comfort_setpoint"
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    assert float(hass.states.get(comfort_sensor).state) == 20.0

    # Leaving for a week, someone switches the valve to its holiday preset.
    await hass.services.async_call(
        "climate",
        "set_preset_mode",
        {"entity_id": THERMOSTAT, "preset_mode": preset},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await minutes_pass(hass, freezer, 3)
    assert target(hass) == 17.0

    assert zone.comfort.labels == 0
    assert float(hass.states.get(comfort_sensor).state) == 20.0


async def test_a_thermostats_own_window_function_teaches_no_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Versatile Thermostat's window action "eco": 17.5 °C while the window is open."""
    freezer.move_to(START)
    versatile = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        presets=["none", "frost", "eco", "comfort", "boost"],
        kind=PresetThermostat,
    )
    assert isinstance(versatile, PresetThermostat)
    await build_living_room(hass, [versatile], window=True)
    await set_state(hass, WINDOW, STATE_OFF)
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass)
    zone = coordinator_of(entry).brain.zone("living_room")
    comfort_sensor = "sensor.living_room_aiot_brain_comfort_setpoint"
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 20.0

    await set_state(hass, WINDOW, STATE_ON)
    await versatile.async_window(opened=True)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 17.5  # not fought while it airs
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "changed by hand" in reason
    await set_state(hass, WINDOW, STATE_OFF)
    await versatile.async_window(opened=False)
    await minutes_pass(hass, freezer, 1)

    # Neither its 17.5 °C nor its 20 °C again is anybody's wish.
    assert zone.comfort.labels == 0
    assert float(hass.states.get(comfort_sensor).state) == 20.0
    assert hass.states.get(CONTROL).attributes["held_until"] == {}
    assert holds[-1].data["reason"] == (
        "Hold ended: the thermostat went back by itself to how it was"
    )


async def test_a_band_thermostat_rounding_our_band_is_not_sent_it_again_and_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    band = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT_COOL],
        target=None,
        mode=HVACMode.HEAT_COOL,
        low=15.0,
        high=28.0,
        kind=WholeDegreeThermostat,
    )
    await build_living_room(hass, [band])
    holds = async_capture_events(hass, EVENT_HOLD)
    actions = async_capture_events(hass, EVENT_ACTION)
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    shown = hass.states.get(THERMOSTAT).attributes
    assert (shown["target_temp_low"], shown["target_temp_high"]) == (20.0, 25.0)

    await minutes_pass(hass, freezer, 3 * 60)

    # It took the call: asking again would change nothing, nor is it refusing.
    assert holds == []
    assert len(calls_to(actions, THERMOSTAT)) == 1
    assert "not taken" not in hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    # Nor after a restart.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 10)
    assert len(calls_to(actions, THERMOSTAT)) == 1
