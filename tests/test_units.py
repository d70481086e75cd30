"""Homes that show °F, devices kept in °C within them, and a unit system changed."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import (
    MockUser,
    async_capture_events,
)

from custom_components.aiot_brain.const import DOMAIN, EVENT_ACTION, EVENT_HOLD

from .test_acting import (
    CONTROL,
    MOTION,
    START,
    THERMOSTAT,
    build_american_living_room,
    build_living_room,
    coordinator_of,
    minutes_pass,
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
from .test_config_flow import shown_input, suggested
from .test_odd_devices import (
    WholeDegreeCloudThermostat,
    WholeDegreeThermostat,
    whole_degree_living_room,
)
from .test_restarts_mid_action import heated_for_someone


async def test_a_whole_celsius_cloud_thermostat_in_a_fahrenheit_home_is_not_a_hand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A cloud air conditioner kept in whole °C, in a home that shows °F.

    Sent 69 °F (20.56 °C), it sets 21 °C, which Home Assistant shows as 70 °F:
    the device's own rounding, shown rounded again, one whole °F (0.56 K) off.
    """
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(START)
    room = await whole_degree_living_room(hass, WholeDegreeCloudThermostat)
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass)
    await set_comfort_offset(hass, 1)  # 69 °F
    await set_state(hass, MOTION, STATE_ON)
    assert round(room.asked["temperature"], 2) == 20.56  # 69 °F, as HA converts

    await seconds_pass(hass, freezer, 30)
    await room.async_poll()  # heat, 21 °C: our call as the device took it
    assert target(hass) == 70
    await minutes_pass(hass, freezer, 10)

    # Nobody touched it: nothing learned, no hold, the zone still controlled.
    assert holds == []
    assert coordinator_of(entry).brain.zone("living_room").comfort.labels == 0
    assert hass.states.get(CONTROL).state == "controlling"


async def test_a_whole_celsius_thermostat_in_a_fahrenheit_home_is_called_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The same device, local: it shows 70 °F at once for the 69 °F asked."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(START)
    await whole_degree_living_room(hass, WholeDegreeThermostat)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_comfort_offset(hass, 1)  # 69 °F
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 70

    await minutes_pass(hass, freezer, 60 * 6)

    # It took the call: 21 °C is as near 69 °F as it goes.
    assert [a.data["data"] for a in actions if a.data["entity_id"] == THERMOSTAT] == [
        {"hvac_mode": HVACMode.HEAT, "temperature": 69.0}
    ]
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith("Living room already heating to 69.0 °F")


async def test_switching_home_assistant_to_fahrenheit_is_no_persons_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Settings → General → Unit system: US customary, while AIoT Brain heats.

    Home Assistant converts a thermostat's attributes when it next writes its state:
    until then it still shows 20 °C (and takes 7-35 °C), now to be read as °F.
    """
    holds = async_capture_events(hass, EVENT_HOLD)
    room, entry = await heated_for_someone(hass, freezer)

    await hass.config.async_update(unit_system="us_customary")
    await minutes_pass(hass, freezer, 1)
    reason_before_report = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    # The room warms a little: the thermostat reports it, its state now in °F.
    room._current_temperature = 19.5
    room.async_write_ha_state()
    await minutes_pass(hass, freezer, 5)
    assert target(hass) == 68

    # Nobody touched it: 20 °C shown as 68 °F is the same setting.
    assert holds == []
    assert coordinator_of(entry).brain.zone("living_room").comfort.labels == 0
    assert hass.states.get(CONTROL).state == "controlling"
    # Nor was it ever a thermostat that "takes 7.5 °F to 34.5 °F".
    assert "°F to 34.5 °F" not in reason_before_report


async def lowest_typed_in_fahrenheit(hass: HomeAssistant, lowest: float) -> None:
    """The homeowner types the lowest setpoint in °F in the options."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**shown_input(result), "min_temperature": lowest}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_a_lowest_setpoint_typed_in_fahrenheit_is_the_lowest_sent(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The homeowner types 60 °F as the lowest setpoint; away, the room goes to 60 °F.

    The form keeps 15.56 °C, a hair above 60 °F (15.5556 °C): put on the
    thermostat's whole °F, rounded up, the lowest becomes 61 °F.
    """
    freezer.move_to(START)
    await build_american_living_room(hass)
    entry = await setup_brain(hass)
    await lowest_typed_in_fahrenheit(hass, 60.0)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert suggested(result, "min_temperature") == 60.0  # shown as typed

    await set_state(hass, MOTION, STATE_ON)
    await set_living_room_mode(hass, "away")  # 6 K below comfort: under the lowest
    await minutes_pass(hass, freezer, 10)

    assert target(hass) == 60


async def test_a_room_at_the_lowest_setpoint_in_fahrenheit_is_not_below_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Lowest setpoint 60 °F; the thermostat reads the room at 60 °F.

    Someone switches the thermostat off: the room is at the lowest, not below
    it, and no frost protection switches it back on.
    """
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(START)
    room = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        target=62.0,
        current=60.0,
        unit="°F",
    )
    await build_living_room(hass, [room])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await lowest_typed_in_fahrenheit(hass, 60.0)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    called = len(actions)

    await set_mode_by_hand(hass, hass_admin_user, HVACMode.OFF)
    await minutes_pass(hass, freezer, 10)

    assert [a.data["reason"] for a in actions[called:]] == []
    assert hass.states.get(THERMOSTAT).state == HVACMode.OFF


async def test_a_unit_system_changed_while_stopped_finds_no_thermostat_changed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Switched to °F while AIoT Brain was stopped: 20 °C shown as 68 °F since
    is the setting it last heard, not one someone found it changed to."""
    freezer.move_to(START)
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], target=20.0)
    await build_living_room(hass, [room])
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass, level="observe")  # it calls nothing
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    room.async_write_ha_state()  # heard at 20 °C

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    await hass.config.async_update(unit_system="us_customary")
    room.async_write_ha_state()  # shown in °F now
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 10)

    assert target(hass) == 68
    assert holds == []
    assert hass.states.get(CONTROL).attributes["held_until"] == {}


async def test_a_person_setting_a_quiet_thermostat_after_a_unit_change_is_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Switched to °F; the thermostat (push-only, it writes no state by itself)
    has not reported since. An hour later a person sets it to 75 °F from the
    dashboard: that is a person's change, to hold and not to fight."""
    holds = async_capture_events(hass, EVENT_HOLD)
    await heated_for_someone(hass, freezer)

    await hass.config.async_update(unit_system="us_customary")
    await minutes_pass(hass, freezer, 60)

    await set_by_hand(hass, hass_admin_user, 75)
    await minutes_pass(hass, freezer, 10)

    assert target(hass) == 75
    assert [event.data["entity_id"] for event in holds] == [THERMOSTAT]
    assert THERMOSTAT in hass.states.get(CONTROL).attributes["held_until"]
