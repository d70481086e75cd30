"""Acting on real thermostats and lights: levels, rules, holds and reasons.

The thermostats and lights are Home Assistant's demo entities, driven through real
service calls; motion and window sensors are plain states, as a sensor shows them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from itertools import pairwise
import math
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.components.climate import ClimateEntityFeature, HVACAction, HVACMode
from homeassistant.components.demo.climate import DemoClimate
from homeassistant.components.demo.light import DemoLight
from homeassistant.components.light import ColorMode
from homeassistant.components.persistent_notification import UpdateType
from homeassistant.config_entries import ConfigEntryDisabler
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    async_fire_time_changed,
    setup_test_component_platform,
)

from custom_components.aiot_brain.brain.comfort import PreferredSetpoint
from custom_components.aiot_brain.const import (
    DOMAIN,
    EVENT_ACTION,
    EVENT_DECISION,
    EVENT_HOLD,
    EVENT_SUGGESTION,
    REDISCOVER_COOLDOWN,
    ControlLevel,
)
from custom_components.aiot_brain.coordinator import AiotBrainCoordinator
from custom_components.aiot_brain.settings import Settings

START = datetime.fromisoformat("2026-11-02T22:00:00+00:00")  # a Monday, 14:00 local
THERMOSTAT = "climate.living_room"
LAMP = "light.living_room"
MOTION = "binary_sensor.living_room_motion"
WINDOW = "binary_sensor.living_room_window"
DOOR = "binary_sensor.living_room_door"
CONTROL = "sensor.living_room_aiot_brain_control"
MINUTE = timedelta(minutes=1)
TRIP = "binary_sensor.aiot_brain_away_on_a_trip"


def thermostat(
    object_id: str,
    hvac_modes: list[HVACMode],
    *,
    target: float | None = 17.0,
    mode: HVACMode = HVACMode.HEAT,
    low: float | None = None,
    high: float | None = None,
    preset: str | None = None,
    presets: list[str] | None = None,
    current: float = 19.0,
    kind: type[DemoClimate] = DemoClimate,
    unit: str = "°C",
) -> DemoClimate:
    """A demo thermostat in ``unit`` with the given abilities."""
    entity = kind(
        unique_id=object_id,
        device_name=object_id,
        target_temperature=target,
        unit_of_measurement=unit,
        preset=preset,
        current_temperature=current,
        fan_mode=None,
        target_humidity=None,
        current_humidity=None,
        swing_mode=None,
        swing_horizontal_mode=None,
        hvac_mode=mode,
        hvac_action=None,
        target_temp_high=high,
        target_temp_low=low,
        hvac_modes=hvac_modes,
        preset_modes=presets,
    )
    entity.entity_id = f"climate.{object_id}"
    return entity


def wide_band_thermostat() -> DemoClimate:
    """The living room's heat/cool thermostat, its band wide open (15-28 °C)."""
    return thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT_COOL],
        target=None,
        mode=HVACMode.HEAT_COOL,
        low=15.0,
        high=28.0,
    )


def lamp(
    object_id: str = "living_room", kind: type[DemoLight] = DemoLight
) -> DemoLight:
    """A demo light with brightness and colour temperature, off."""
    entity = kind(unique_id=object_id, device_name=object_id, state=False)
    entity.entity_id = f"light.{object_id}"
    return entity


def place_sensor(
    hass: HomeAssistant,
    domain: str,
    object_id: str,
    device_class: str,
    area_id: str,
    **registered: Any,
) -> str:
    """Register a test sensor in the area; return its entity id."""
    entities = er.async_get(hass)
    created = entities.async_get_or_create(
        domain,
        "test",
        object_id,
        suggested_object_id=object_id,
        original_device_class=device_class,
        **registered,
    )
    entities.async_update_entity(created.entity_id, area_id=area_id)
    return created.entity_id


async def build_living_room(
    hass: HomeAssistant,
    climates: list[DemoClimate] | None = None,
    lights: list[DemoLight] | None = None,
    window: bool = False,
    door: bool = False,
) -> None:
    """A living room with motion, the given devices and optionally a window, door."""
    climates = (
        [thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF])]
        if (climates is None)
        else climates
    )
    setup_test_component_platform(hass, "climate", climates)
    setup_test_component_platform(hass, "light", lights or [])
    assert await async_setup_component(
        hass, "climate", {"climate": {"platform": "test"}}
    )
    assert await async_setup_component(hass, "light", {"light": {"platform": "test"}})
    await hass.async_block_till_done()
    area = ar.async_get(hass).async_create("Living room")
    entities = er.async_get(hass)
    for entity in [*climates, *(lights or [])]:
        entities.async_update_entity(entity.entity_id, area_id=area.id)
    sensors = [("living_room_motion", "motion")]
    if window:
        sensors.append(("living_room_window", "window"))
    if door:
        sensors.append(("living_room_door", "door"))
    for object_id, device_class in sensors:
        sensor = place_sensor(hass, "binary_sensor", object_id, device_class, area.id)
        hass.states.async_set(sensor, STATE_OFF)


async def build_american_living_room(hass: HomeAssistant) -> None:
    """A living room as above, in a home that shows °F, heated to 62 °F."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    room = thermostat(
        "living_room", [HVACMode.HEAT, HVACMode.OFF], target=62.0, unit="°F"
    )
    await build_living_room(hass, [room])


async def setup_brain(
    hass: HomeAssistant, level: str = "automate", **settings: Any
) -> MockConfigEntry:
    options: dict[str, Any] = {
        "zones": ("living_room",),
        "history_days": 0,
        "control_level": ControlLevel(level),
        **settings,
    }
    entry = MockConfigEntry(
        domain=DOMAIN, title="AIoT Brain", options=Settings(**options).as_options()
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def coordinator_of(entry: MockConfigEntry) -> AiotBrainCoordinator:
    coordinator: AiotBrainCoordinator = entry.runtime_data.coordinator
    return coordinator


async def minutes_pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: int
) -> None:
    for _ in range(minutes):
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def seconds_pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: int
) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def set_living_room_mode(hass: HomeAssistant, mode: str) -> None:
    await hass.services.async_call(
        DOMAIN, "set_mode", {"area_id": "living_room", "mode": mode}, blocking=True
    )


async def set_state(hass: HomeAssistant, entity_id: str, state: str) -> None:
    hass.states.async_set(entity_id, state)
    await hass.async_block_till_done()


def target(hass: HomeAssistant, entity_id: str = THERMOSTAT) -> Any:
    return hass.states.get(entity_id).attributes["temperature"]


def calls_to(events: list[Event], entity_id: str) -> list[Event]:
    return [event for event in events if event.data["entity_id"] == entity_id]


def assert_calm(calls: list[Event]) -> None:
    """At least 5 minutes between calls and at most 4 in any hour."""
    times = [event.time_fired for event in calls]
    assert all(b - a >= timedelta(minutes=5) for a, b in pairwise(times))
    for index, first in enumerate(times):
        assert len([t for t in times[index:] if t - first < timedelta(hours=1)]) <= 4


async def test_automate_heats_an_occupied_zone_and_sets_back_when_it_is_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)

    assert target(hass) == 20.0  # the default comfort until one is learned
    assert hass.states.get(THERMOSTAT).state == HVACMode.HEAT
    assert len(actions) == 1
    reason = actions[0].data["reason"]
    assert reason.startswith("Heating Living room to 20.0 °C: occupied (")
    control = hass.states.get(CONTROL)
    assert control.state == "controlling"
    assert control.attributes["last_action"] == reason
    # The climate's own echo of our call is not a person's change.
    assert "held_until" in control.attributes
    assert control.attributes["held_until"] == {}

    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 240)

    # Empty, nobody expected: set back by 4 K, never below the lowest setpoint.
    assert target(hass) == 16.0
    assert (
        "setback: empty since"
        in hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    )
    # Two calls in four hours: no flapping.
    assert len(calls_to(actions, THERMOSTAT)) == 2


async def test_the_control_sensor_is_written_when_what_it_does_changes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Its reasons say when motion was last seen, and how sure occupancy is: they
    change each minute someone moves. Each change is a row in the recorder's
    database; a new state comes when the reasons say something else."""
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    written = async_capture_events(hass, "state_changed")

    for minute in range(60):  # someone moving about for an hour
        await set_state(hass, MOTION, STATE_ON if minute % 3 else STATE_OFF)
        await minutes_pass(hass, freezer, 1)
    assert (
        hass.states.get(CONTROL)
        .attributes["reasons"][THERMOSTAT]
        .startswith("Living room already heating to 20.0 °C: occupied")
    )
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)

    assert (
        "setback: empty since"
        in hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    )
    # Not 69: occupied, the motion seen, an arrival expected, the setback called
    # then under way.
    assert len(calls_to(written, CONTROL)) == 5


async def test_everyone_away_a_day_and_a_night_sets_back_to_away(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    er.async_get(hass).async_get_or_create(
        "person", "person", "anna", suggested_object_id="anna"
    )
    await set_state(hass, "person.anna", "home")
    entry = await setup_brain(hass, min_temperature=12.0)
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 20.0

    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, "person.anna", "not_home")
    left = dt_util.now()
    await minutes_pass(hass, freezer, 240)
    assert target(hass) == 16.0  # an ordinary absence: the setback of an empty room
    assert hass.states.get(TRIP).state == STATE_OFF
    # Home Assistant restarts while she is away: her absence is remembered.
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    freezer.tick(timedelta(hours=20))
    await minutes_pass(hass, freezer, 1)

    # No absence of hers is known yet: a day and a night away is a trip.
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert f"everyone away since {left:%a %H:%M}, far longer than usual" in reason
    assert target(hass) == 15.0  # the away setback, 5 K, where the bounds allow
    # The building's sensor says so, for a holiday home's automations.
    trip = hass.states.get(TRIP)
    assert trip.state == STATE_ON
    assert dt_util.parse_datetime(trip.attributes["since"]) == left.replace(
        second=0, microsecond=0
    )
    await set_state(hass, "person.anna", "home")
    await minutes_pass(hass, freezer, 10)
    assert hass.states.get(TRIP).state == STATE_OFF
    assert hass.states.get(TRIP).attributes["since"] is None
    assert (
        "everyone away"
        not in hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    )

    # She leaves again for two days, and a house-sitter without a phone comes in:
    # nobody has gone on a trip after all.
    await set_state(hass, "person.anna", "not_home")
    freezer.tick(timedelta(hours=25))
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(TRIP).state == STATE_ON
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(TRIP).state == STATE_OFF
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 240)
    assert (
        "everyone away"
        not in (hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT])
    )


async def test_an_american_home_is_heated_and_told_why_in_fahrenheit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """HA shows °F: calls, reasons, attributes and answers all speak °F."""
    freezer.move_to(START)
    await build_american_living_room(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)

    assert target(hass) == 68.0  # the default comfort, 20 °C
    reason = actions[0].data["reason"]
    assert reason.startswith("Heating Living room to 68.0 °F: occupied (")
    # The event tells automations what the thermostat was sent, in its unit.
    assert actions[0].data["data"] == {"hvac_mode": "heat", "temperature": 68.0}
    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert comfort.attributes["unit_of_measurement"] == "°F"
    assert float(comfort.state) == 68.0
    assert comfort.attributes["heating_comfort"] == 68.0
    assert comfort.attributes["cooling_comfort"] == 75.2
    await set_comfort_offset(hass, 2)
    forecast = await hass.services.async_call(
        DOMAIN, "get_forecast", {}, blocking=True, return_response=True
    )
    assert forecast["zones"]["living_room"]["comfort_setpoint"] == 68.0
    # The offset the thermostat gets on top, in °F too.
    assert forecast["zones"]["living_room"]["comfort_offset"] == 2.0
    explained = await hass.services.async_call(
        DOMAIN, "explain", {}, blocking=True, return_response=True
    )
    predictions = explained["zones"]["living_room"]["predictions"]
    assert predictions["comfort"].startswith("68.0 °F ± ")
    # The sensor and get_forecast say the same uncertainty, in °F as well.
    uncertainty = comfort.attributes["uncertainty"]
    assert predictions["comfort"].startswith(f"68.0 °F ± {uncertainty} °F")
    assert forecast["zones"]["living_room"]["comfort_uncertainty"] == uncertainty
    assert uncertainty >= 2.7  # at least the 1.5 K of nothing learned
    assert "°F/h" in predictions["thermal"]

    # The comfort offset moves in whole °F: 2 °F cooler is 66 °F.
    offset = "number.living_room_aiot_brain_comfort_offset"
    shown = hass.states.get(offset)
    assert shown.attributes["unit_of_measurement"] == "°F"
    assert (shown.attributes["min"], shown.attributes["max"]) == (-5.0, 5.0)
    await hass.services.async_call(
        "number", "set_value", {"entity_id": offset, "value": -2}, blocking=True
    )
    assert hass.states.get(offset).state == "-2.0"
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 66.0

    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 240)

    # Set back 4 K (7.2 °F) to the thermostat's whole degrees: 61 °F, not 60.8.
    assert target(hass) == 61.0
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "to 61.0 °F" in reason


async def set_comfort_offset(hass: HomeAssistant, value: float) -> None:
    """Someone sets the living room's Comfort offset, in the home's unit, in the UI."""
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.living_room_aiot_brain_comfort_offset", "value": value},
        blocking=True,
    )


async def set_by_hand(
    hass: HomeAssistant, user: MockUser, temperature: float, **data: object
) -> None:
    """A person sets the thermostat to ``temperature`` (and ``data``) from the UI."""
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": THERMOSTAT, "temperature": temperature, **data},
        blocking=True,
        context=Context(user_id=user.id),
    )


async def switch_lamp_by_hand(
    hass: HomeAssistant, user: MockUser, service: str
) -> None:
    """A person switches the lamp with ``service`` ("turn_on", "turn_off")."""
    await hass.services.async_call(
        "light",
        service,
        {"entity_id": LAMP},
        blocking=True,
        context=Context(user_id=user.id),
    )


async def set_mode_by_hand(hass: HomeAssistant, user: MockUser, mode: str) -> None:
    """A person switches the thermostat to ``mode`` from the UI."""
    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {"entity_id": THERMOSTAT, "hvac_mode": mode},
        blocking=True,
        context=Context(user_id=user.id),
    )


async def occupied_in_mode(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mode: str, minutes: int
) -> list[Event]:
    """Set AIoT Brain up, someone in, the living room in ``mode``; return its actions."""
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await set_living_room_mode(hass, mode)
    await minutes_pass(hass, freezer, minutes)
    return actions


async def test_eco_mode_never_heats_an_empty_room_more_than_auto_does(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass, min_temperature=12.0)
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 240)
    assert target(hass) == 16.0  # auto: empty, set back 4 K

    # Eco to save more: the empty room stays set back 4 K, not warmed to 3 K below.
    await set_living_room_mode(hass, "eco")
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 16.0
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "eco mode, setback: empty since" in reason

    # Someone in: eco's 3 K below comfort, where auto would heat to comfort.
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 17.0


async def test_a_half_degree_thermostat_in_fahrenheit_is_called_once_per_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """HA shows °F targets in whole degrees: 62.5 °F would show as 62 °F, never set."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(START)
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], target=20.0)
    room._attr_target_temperature_step = 0.5
    await build_living_room(hass, [room])
    actions = await occupied_in_mode(hass, freezer, "eco", 60)

    # Eco, 17 °C (62.6 °F), on whole degrees: one call, then shown as done.
    calls = calls_to(actions, THERMOSTAT)
    assert [event.data["data"] for event in calls] == [
        {"hvac_mode": HVACMode.HEAT, "temperature": 63.0}
    ]
    assert target(hass) == 63
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith("Living room already heating to 63.0 °F")


async def test_a_split_unit_in_fahrenheit_is_not_sent_past_its_highest_setpoint(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Its 25.5 °C top shows as 78 °F, but 78 °F is 25.6 °C: HA would refuse it."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(START)
    split = thermostat(
        "living_room", [HVACMode.OFF, HVACMode.COOL], mode=HVACMode.COOL, current=27.0
    )
    split._attr_max_temp = 25.5
    await build_living_room(hass, [split])
    actions = await occupied_in_mode(hass, freezer, "eco", 10)

    # Eco cools from 26.5 °C, above its top: as high as it takes, 77 °F.
    assert target(hass) == 77
    assert calls_to(actions, THERMOSTAT)[-1].data["data"]["temperature"] == 77.0
    refused = [i for _, i in ir.async_get(hass).issues if i.startswith("call_refused")]
    assert not refused


async def test_a_heater_is_not_sent_to_the_cooling_setpoint_on_a_warm_day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    # The room is warm too: the heater does not heat, which would say it is winter.
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], current=25.0)
    await build_living_room(hass, [room])
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    hass.states.async_set(
        "sensor.outdoor",
        "27.0",
        {"unit_of_measurement": "°C", "device_class": "temperature"},
    )
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)  # past the least time between calls

    # A warm spell: the zone's comfort is the cooling one ...
    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert float(comfort.state) == 24.0
    assert comfort.attributes["heating_comfort"] == 20.0
    assert comfort.attributes["cooling_comfort"] == 24.0
    # ... but a thermostat that can only heat still heats to the heating comfort.
    assert target(hass) == 20.0
    assert hass.states.get(THERMOSTAT).state == HVACMode.HEAT


@pytest.mark.parametrize(
    ("hvac_modes", "waits"),
    [([HVACMode.HEAT, HVACMode.OFF], False), ([HVACMode.HEAT_COOL], True)],
)
async def test_time_to_temperature_only_counts_what_the_thermostat_can_do(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hvac_modes: list[HVACMode],
    waits: bool,
) -> None:
    freezer.move_to(START)
    room = thermostat("living_room", hvac_modes, mode=hvac_modes[0], current=25.0)
    await build_living_room(hass, [room])
    await setup_brain(hass, "observe", outdoor_source="sensor.outdoor")
    hass.states.async_set(
        "sensor.outdoor",
        "27.0",
        {"unit_of_measurement": "°C", "device_class": "temperature"},
    )
    # The room warms up to 26 °C, as its thermostat shows.
    shown = hass.states.get(THERMOSTAT)
    hass.states.async_set(
        THERMOSTAT, shown.state, {**shown.attributes, "current_temperature": 26.0}
    )
    await minutes_pass(hass, freezer, 1)

    # 26 °C is above the cooling comfort (24 °C): only an air conditioner has
    # a way to go; a heater's room is as comfortable as the heater can make it.
    time_to = hass.states.get("sensor.living_room_aiot_brain_time_to_temperature")
    assert (float(time_to.state) > 0) is waits


async def test_no_time_to_temperature_while_the_thermostat_is_left_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    room = thermostat(
        "living_room", [HVACMode.HEAT, HVACMode.OFF], mode=HVACMode.OFF, current=17.0
    )
    await build_living_room(hass, [room])
    await setup_brain(hass, "suggest", outdoor_source="sensor.outdoor")
    hass.states.async_set(
        "sensor.outdoor",
        "5.0",
        {"unit_of_measurement": "°C", "device_class": "temperature"},
    )
    control = "switch.living_room_aiot_brain_control"
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": control}, blocking=True
    )
    time_to = "sensor.living_room_aiot_brain_time_to_temperature"
    await minutes_pass(hass, freezer, 1)

    # Switched off, and only observed: nothing will warm the room to 20 °C.
    assert hass.states.get(time_to).state == STATE_UNKNOWN

    # Once AIoT Brain may switch it on, it is timed.
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": control}, blocking=True
    )
    await minutes_pass(hass, freezer, 1)
    assert float(hass.states.get(time_to).state) > 0

    # Not while the area's mode is off.
    await set_living_room_mode(hass, "off")
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(time_to).state == STATE_UNKNOWN


async def test_time_to_temperature_counts_the_comfort_offset(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], current=20.5)
    await build_living_room(hass, [room])
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    hass.states.async_set(
        "sensor.outdoor",
        "5.0",
        {"unit_of_measurement": "°C", "device_class": "temperature"},
    )
    await set_state(hass, MOTION, STATE_ON)
    time_to = "sensor.living_room_aiot_brain_time_to_temperature"
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(time_to).state == "0"  # above the 20 °C comfort
    assert hass.states.get(time_to).attributes["target_temperature"] is None

    # 2 K warmer, please: the thermostat is sent 22 °C, 1.5 K above the room.
    await set_comfort_offset(hass, 2)
    assert float(hass.states.get(time_to).state) > 0  # at once, not in a minute
    assert hass.states.get(time_to).attributes["target_temperature"] == 22.0
    await minutes_pass(hass, freezer, 10)

    assert target(hass) == 22.0
    assert float(hass.states.get(time_to).state) > 0


@pytest.mark.parametrize(("fahrenheit", "comfort"), [(False, 20.0), (True, 68.0)])
async def test_time_to_temperature_says_what_it_counts_to(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    fahrenheit: bool,
    comfort: float,
) -> None:
    if fahrenheit:
        hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(START)
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], current=17.0)
    await build_living_room(hass, [room])
    await setup_brain(hass, "observe", outdoor_source="sensor.outdoor")
    hass.states.async_set(
        "sensor.outdoor",
        "5.0",
        {"unit_of_measurement": "°C", "device_class": "temperature"},
    )
    await minutes_pass(hass, freezer, 1)

    # So many minutes, up to the heating comfort, in the unit the home shows.
    time_to = hass.states.get("sensor.living_room_aiot_brain_time_to_temperature")
    assert float(time_to.state) > 0
    assert time_to.attributes["target_temperature"] == comfort


async def test_no_time_to_temperature_while_the_outdoor_source_is_unavailable(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], current=17.0)
    await build_living_room(hass, [room])
    await setup_brain(hass, "observe", outdoor_source="sensor.outdoor")
    outdoor = {"unit_of_measurement": "°C", "device_class": "temperature"}
    hass.states.async_set("sensor.outdoor", "5.0", outdoor)
    time_to = "sensor.living_room_aiot_brain_time_to_temperature"
    await minutes_pass(hass, freezer, 1)
    assert float(hass.states.get(time_to).state) > 0

    # The weather service is down: its 5 °C of the morning no longer holds.
    hass.states.async_set("sensor.outdoor", STATE_UNAVAILABLE)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(time_to).state == STATE_UNKNOWN

    hass.states.async_set("sensor.outdoor", "4.0", outdoor)
    await minutes_pass(hass, freezer, 1)
    assert float(hass.states.get(time_to).state) > 0


async def test_an_airing_does_not_teach_that_the_room_heats_slowly(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    room = thermostat(
        "living_room", [HVACMode.HEAT, HVACMode.OFF], target=22.0, current=20.0
    )
    await build_living_room(hass, [room], window=True)
    entry = await setup_brain(hass, "observe", outdoor_source="sensor.outdoor")
    hass.states.async_set("sensor.outdoor", "0.0", {"unit_of_measurement": "°C"})
    temperature = 20.0

    async def reads(change: float, times: int) -> None:
        nonlocal temperature
        for _ in range(times):
            temperature += change
            shown = hass.states.get(THERMOSTAT)
            hass.states.async_set(
                THERMOSTAT,
                shown.state,
                {**shown.attributes, "current_temperature": temperature},
            )
            await minutes_pass(hass, freezer, 5)

    # Aired twice: 3 K lost in half an hour with the window open, while the
    # radiator heats; shut, the room warms again by 3 K an hour.
    for _ in range(2):
        await set_state(hass, WINDOW, STATE_ON)
        await reads(-0.5, 6)
        await set_state(hass, WINDOW, STATE_OFF)
        await reads(0.25, 12)

    thermal = coordinator_of(entry).brain.zone("living_room").thermal
    assert thermal.response().heating_rate > 1.8


async def test_a_pilot_wire_radiator_is_switched_on_then_given_its_preset(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Presets only, and "auto" its one way on: it heats all the same."""
    freezer.move_to(START)
    radiator = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.AUTO],
        target=None,
        mode=HVACMode.OFF,
        preset="eco",
        presets=["comfort", "eco", "away"],
        current=5.0,
    )
    # The demo offers a temperature range with "auto"; a radiator does not.
    radiator._attr_supported_features &= ~ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
    await build_living_room(hass, climates=[radiator])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    hass.states.async_set(
        "sensor.outdoor",
        "0.0",
        {"unit_of_measurement": "°C", "device_class": "temperature"},
    )
    await minutes_pass(hass, freezer, 1)

    # Frost: switched on the one way it has (HA refuses a mode it does not list).
    assert hass.states.get(THERMOSTAT).state == HVACMode.AUTO
    assert actions[0].data["reason"].startswith("Frost protection in Living room")
    time_to = hass.states.get("sensor.living_room_aiot_brain_time_to_temperature")
    assert float(time_to.state) > 0  # 5 °C is far from comfort: it has to heat

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    assert hass.states.get(THERMOSTAT).attributes["preset_mode"] == "comfort"
    reason = actions[-1].data["reason"]
    assert reason.startswith("Setting Living room to preset comfort: occupied")


async def test_a_split_unit_with_one_target_is_sent_calls_it_accepts(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Heat, cool and heat_cool modes, one target temperature and no band."""
    freezer.move_to(START)
    split = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL, HVACMode.HEAT_COOL],
        target=22.0,
        mode=HVACMode.OFF,
        current=27.0,
    )
    split._attr_supported_features &= ~ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
    await build_living_room(hass, climates=[split])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)

    # 27 °C is above the cooling comfort (24 °C): cool, with the one target HA
    # accepts for it (a low and a high one would be refused).
    shown = hass.states.get(THERMOSTAT)
    assert shown.state == HVACMode.COOL
    assert shown.attributes["temperature"] == 24.5
    assert actions[-1].data["reason"].startswith("Cooling Living room to 24.5 °C")


async def test_a_fault_in_one_zone_does_not_stop_acting_in_the_others(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    hall = ar.async_get(hass).async_create("Hall")
    place_sensor(hass, "binary_sensor", "hall_motion", "motion", hall.id)
    entry = await setup_brain(hass, zones=("hall", "living_room"))
    control = coordinator_of(entry).control
    engines = control.zone_engines

    def broken_in_the_hall(zone: Any, *args: Any) -> Any:
        if zone.zone_id == "hall":
            raise ValueError("a bug in the hall's controller")
        return engines(zone, *args)

    monkeypatch.setattr(control, "zone_engines", broken_in_the_hall)
    assert list(coordinator_of(entry).zones) == ["hall", "living_room"]
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 20.0

    # The whole building goes away: the hall fails first, the living room follows.
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.aiot_brain_building_mode", "option": "away"},
        blocking=True,
    )
    assert target(hass) == 16.0  # away, as low as the setpoints go
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == ["Controlling hall failed; the other zones go on"]


async def test_a_building_wide_mode_change_acts_in_one_area_a_turn(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Hundreds of areas deciding at once would hold the event loop."""
    freezer.move_to(START)
    study_thermostat = thermostat("study", [HVACMode.HEAT, HVACMode.OFF])
    await build_living_room(
        hass,
        climates=[
            thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF]),
            study_thermostat,
        ],
    )
    study = ar.async_get(hass).async_create("Study")
    entities = er.async_get(hass)
    entities.async_update_entity("climate.study", area_id=study.id)
    motion = entities.async_get_or_create(
        "binary_sensor", "test", "study_motion", original_device_class="motion"
    )
    entities.async_update_entity(motion.entity_id, area_id=study.id)
    await setup_brain(hass, zones=("living_room", "study"))
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, motion.entity_id, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == target(hass, "climate.study") == 20.0
    turns = 0

    async def count_turns() -> None:
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    acted_at: dict[str, int] = {}

    @callback
    def note_turn(event: Event) -> None:
        acted_at[event.data["entity_id"]] = turns

    hass.bus.async_listen(EVENT_ACTION, note_turn)
    counter = hass.loop.create_task(count_turns())
    await asyncio.sleep(0)
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.aiot_brain_building_mode", "option": "away"},
        blocking=True,
    )
    counter.cancel()

    assert set(acted_at) == {THERMOSTAT, "climate.study"}  # both, by the call's end
    assert acted_at[THERMOSTAT] != acted_at["climate.study"]  # in turns of their own
    await hass.async_block_till_done()
    assert target(hass) == target(hass, "climate.study") == 16.0


async def test_observe_only_reports_what_it_would_do(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    observed = async_capture_events(hass, EVENT_DECISION)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, level="observe")

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)

    assert target(hass) == 17.0
    assert actions == []
    assert len(observed) == 1  # reported once, not every minute
    assert observed[0].data["action"] == "climate.set_temperature"
    assert observed[0].data["data"] == {"hvac_mode": "heat", "temperature": 20.0}
    control = hass.states.get(CONTROL)
    assert control.state == "observing"
    assert control.attributes["reasons"][THERMOSTAT].startswith(
        "Observing only: Heating Living room to 20.0 °C"
    )


async def test_the_control_switch_keeps_a_zone_to_observing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await hass.services.async_call(
        "switch",
        "turn_off",
        {"entity_id": "switch.living_room_aiot_brain_control"},
        blocking=True,
    )

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)

    assert target(hass) == 17.0
    assert hass.states.get(CONTROL).state == "observing"


def follow_notifications(hass: HomeAssistant) -> dict[str, str]:
    """The persistent notifications shown, as the frontend is told of them."""
    shown: dict[str, str] = {}

    @callback
    def update(kind: UpdateType, notifications: dict[str, Any]) -> None:
        for notification_id, notification in notifications.items():
            if kind is UpdateType.REMOVED:
                shown.pop(notification_id, None)
            else:
                shown[notification_id] = notification["message"]

    persistent_notification.async_register_callback(hass, update)
    return shown


async def dismiss_suggestion(hass: HomeAssistant, entity_id: str) -> None:
    """Someone dismisses the notification of the suggestion for ``entity_id``."""
    assert await async_setup_component(hass, "persistent_notification", {})
    await hass.services.async_call(
        "persistent_notification",
        "dismiss",
        {"notification_id": f"{DOMAIN}_suggestion_{entity_id}"},
        blocking=True,
    )
    await hass.async_block_till_done()


async def test_suggest_proposes_and_a_person_accepts(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    await setup_brain(hass, level="suggest")
    notifications = follow_notifications(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 3)

    assert target(hass) == 17.0
    assert len(suggested) == 1
    message = notifications[f"{DOMAIN}_suggestion_{THERMOSTAT}"]
    assert "Heating Living room to 20.0 °C" in message
    assert hass.states.get(CONTROL).attributes["suggestions"] == {
        THERMOSTAT: suggested[0].data["reason"]
    }

    await hass.services.async_call(
        DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
    )
    await hass.async_block_till_done()

    assert target(hass) == 20.0
    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" not in notifications
    assert hass.states.get(CONTROL).attributes["suggestions"] == {}

    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(DOMAIN, "accept_suggestion", {}, blocking=True)
    assert raised.value.translation_key == "no_suggestion"
    assert raised.value.translation_placeholders == {"zones": "Living room"}


async def test_frost_protection_proposed_in_an_area_switched_off_can_be_accepted(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Frost protection holds in off mode: at the suggest level it is proposed,
    and a yes to it carries it out, not an answer that nothing waits."""
    freezer.move_to(START)
    cold = thermostat(
        "living_room", [HVACMode.HEAT, HVACMode.OFF], target=12.0, current=14.0
    )
    await build_living_room(hass, climates=[cold])
    await setup_brain(hass, level="suggest")
    notifications = follow_notifications(hass)
    await hass.services.async_call(
        DOMAIN, "set_mode", {"area_id": "living_room", "mode": "off"}, blocking=True
    )
    await minutes_pass(hass, freezer, 1)
    message = notifications[f"{DOMAIN}_suggestion_{THERMOSTAT}"]
    assert message.startswith("Frost protection in Living room")
    # Waiting for a yes, though switched off.
    assert hass.states.get(CONTROL).state == "suggesting"

    await hass.services.async_call(
        DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
    )
    await hass.async_block_till_done()

    assert target(hass) == 16.0
    assert hass.states.get(CONTROL).state == "off"


async def _heating_suggested(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> dict[str, str]:
    """Someone in the cold living room at the suggest level: heating is proposed."""
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass, level="suggest")
    notifications = follow_notifications(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" in notifications
    return notifications


async def test_a_suggestion_follows_its_thermostat_renamed_as_no_news(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    notifications = await _heating_suggested(hass, freezer)
    renamed = "climate.living_room_radiator"

    er.async_get(hass).async_update_entity(THERMOSTAT, new_entity_id=renamed)
    await minutes_pass(hass, freezer, 5)

    shown = sorted(key for key in notifications if key.startswith(f"{DOMAIN}_sugg"))
    assert shown == [f"{DOMAIN}_suggestion_{renamed}"]
    assert list(hass.states.get(CONTROL).attributes["suggestions"]) == [renamed]
    assert len(suggested) == 1  # the same proposal, under its new name
    await hass.services.async_call(DOMAIN, "accept_suggestion", {}, blocking=True)
    await hass.async_block_till_done()
    assert target(hass, renamed) == 20.0


async def test_a_suggestion_waiting_says_the_areas_new_name_as_no_news(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The living room is renamed Lounge while heating is proposed for it: the
    notification says which area to accept it for, so it says Lounge now."""
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    notifications = await _heating_suggested(hass, freezer)

    ar.async_get(hass).async_update("living_room", name="Lounge")
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    await minutes_pass(hass, freezer, 2)

    message = notifications[f"{DOMAIN}_suggestion_{THERMOSTAT}"]
    assert "Living room" not in message
    assert message.startswith("Heating Lounge to 20.0 °C")
    assert "accept_suggestion` for Lounge" in message
    assert (
        hass.states.get(CONTROL)
        .attributes["suggestions"][THERMOSTAT]
        .startswith("Heating Lounge to 20.0 °C")
    )
    assert len(suggested) == 1  # the same proposal, in the area's new name


async def test_a_suggestion_is_withdrawn_when_its_thermostat_leaves_the_area(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    notifications = await _heating_suggested(hass, freezer)

    er.async_get(hass).async_update_entity(THERMOSTAT, area_id=None)
    await minutes_pass(hass, freezer, 1)

    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" not in notifications
    assert hass.states.get(CONTROL).attributes["suggestions"] == {}
    explained = await hass.services.async_call(
        DOMAIN, "explain", {}, blocking=True, return_response=True
    )
    assert explained is not None
    assert explained["zones"]["living_room"]["suggestions"] == {}


async def test_a_suggestion_is_withdrawn_while_its_thermostat_is_unavailable(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    notifications = await _heating_suggested(hass, freezer)
    actions = async_capture_events(hass, EVENT_ACTION)

    # Its integration lost it: a call would do nothing, and must not say it did.
    hass.states.async_set(THERMOSTAT, STATE_UNAVAILABLE)
    await hass.async_block_till_done()

    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" not in notifications
    assert hass.states.get(CONTROL).attributes["suggestions"] == {}
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
        )
    assert raised.value.translation_key == "no_suggestion"
    await minutes_pass(hass, freezer, 2)
    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" not in notifications
    assert actions == []
    assert hass.states.get(CONTROL).attributes["last_action"] is None


async def test_a_suggestion_back_with_its_thermostat_after_a_reload_is_no_news(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Its integration reloaded (unavailable for 30 s): the same proposal stands."""
    notifications = await _heating_suggested(hass, freezer)
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    before = hass.states.get(THERMOSTAT)

    hass.states.async_set(THERMOSTAT, STATE_UNAVAILABLE)
    await hass.async_block_till_done()
    await seconds_pass(hass, freezer, 30)
    hass.states.async_set(THERMOSTAT, before.state, before.attributes)
    await minutes_pass(hass, freezer, 2)

    # Shown again, but not told again: an automation on the event fires once.
    assert (
        "Heating Living room to 20.0 °C"
        in notifications[f"{DOMAIN}_suggestion_{THERMOSTAT}"]
    )
    assert suggested == []


async def test_a_suggestion_can_be_accepted_at_once_after_a_reload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Reloaded, the proposal is shown again at once, and told to no one again."""
    notifications = await _heating_suggested(hass, freezer)
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    entry = hass.config_entries.async_entries(DOMAIN)[0]

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" in notifications
    await hass.services.async_call(
        DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
    )
    await hass.async_block_till_done()
    assert target(hass) == 20.0
    assert suggested == []


async def test_heating_proposed_half_a_degree_warmer_is_the_same_proposal(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The notification says the new target; no new event reaches anyone's phone."""
    notifications = await _heating_suggested(hass, freezer)
    suggested = async_capture_events(hass, EVENT_SUGGESTION)

    await set_comfort_offset(hass, 0.5)
    await minutes_pass(hass, freezer, 1)

    assert suggested == []
    message = notifications[f"{DOMAIN}_suggestion_{THERMOSTAT}"]
    assert "Heating Living room to 20.5 °C" in message
    # Half a degree more again: a full degree from what was proposed, news.
    await set_comfort_offset(hass, 1)
    await minutes_pass(hass, freezer, 1)
    assert [event.data["data"] for event in suggested] == [
        {"hvac_mode": "heat", "temperature": 21.0}
    ]
    await set_comfort_offset(hass, 0.5)
    await minutes_pass(hass, freezer, 1)
    assert len(suggested) == 1
    # Accepting carries out the latest target.
    await hass.services.async_call(
        DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
    )
    await hass.async_block_till_done()
    assert target(hass) == 20.5


async def test_dismissed_heating_is_proposed_again_only_a_degree_apart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A person's dismissal says "not now" to that proposal, not to every other."""
    notifications = await _heating_suggested(hass, freezer)
    suggested = async_capture_events(hass, EVENT_SUGGESTION)

    await dismiss_suggestion(hass, THERMOSTAT)
    await set_comfort_offset(hass, 0.5)
    await minutes_pass(hass, freezer, 5)

    assert suggested == []
    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" not in notifications
    assert hass.states.get(CONTROL).attributes["suggestions"] == {}
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith(
        "Not now (dismissed at 14:01, until Living room is empty): "
        "Heating Living room to 20.5 °C"
    )
    await set_comfort_offset(hass, 1)
    await minutes_pass(hass, freezer, 1)
    assert [event.data["data"] for event in suggested] == [
        {"hvac_mode": "heat", "temperature": 21.0}
    ]
    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" in notifications


async def test_dismiss_all_is_a_persons_not_now(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The notification list's "dismiss all" is a person's dismissal of each."""
    notifications = await _heating_suggested(hass, freezer)
    suggested = async_capture_events(hass, EVENT_SUGGESTION)

    assert await async_setup_component(hass, "persistent_notification", {})
    await hass.services.async_call(
        "persistent_notification", "dismiss_all", {}, blocking=True
    )
    await minutes_pass(hass, freezer, 5)

    assert suggested == []
    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" not in notifications
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith("Not now (dismissed at 14:01, until Living room is empty)")


async def test_a_suggestion_withdrawn_by_a_hold_is_no_persons_dismissal(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Our own taking down of a notification says nothing of what people want."""
    notifications = await _heating_suggested(hass, freezer)
    await hass.services.async_call(
        DOMAIN, "hold", {"area_id": "living_room"}, blocking=True
    )
    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" not in notifications

    await hass.services.async_call(
        DOMAIN, "resume", {"area_id": "living_room"}, blocking=True
    )
    await minutes_pass(hass, freezer, 1)

    assert f"{DOMAIN}_suggestion_{THERMOSTAT}" in notifications


async def test_a_suggestion_waiting_shows_over_another_devices_hold(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """The Control sensor says what waits for a yes before what it leaves alone."""
    freezer.move_to(START)
    await build_living_room(hass, lights=[lamp()])
    await setup_brain(hass, level="suggest")
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)

    # The lamp switched on by hand is held; the heating still waits for a yes.
    await switch_lamp_by_hand(hass, hass_admin_user, "turn_on")
    await minutes_pass(hass, freezer, 1)
    control = hass.states.get(CONTROL)
    assert list(control.attributes["held_until"]) == [LAMP]
    assert list(control.attributes["suggestions"]) == [THERMOSTAT]
    assert control.state == "suggesting"

    await hass.services.async_call(
        DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(CONTROL).state == "holding"


async def test_a_suggested_light_waits_for_an_answer_while_someone_is_there(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    await setup_brain(hass, level="suggest")
    notifications = follow_notifications(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)

    assert hass.states.get(LAMP).state == STATE_OFF
    assert len(suggested) == 1
    assert f"{DOMAIN}_suggestion_{LAMP}" in notifications
    await hass.services.async_call(
        DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(LAMP).state == STATE_ON

    # Turned off by hand, then everyone leaves: nothing left to propose.
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": LAMP}, blocking=True
    )
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 30)
    assert len(suggested) == 1
    assert f"{DOMAIN}_suggestion_{LAMP}" not in notifications


async def test_a_persons_change_is_held_learned_and_released_when_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    holds = async_capture_events(hass, EVENT_HOLD)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, hold_minutes=600)
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 20.0
    assert holds == []  # our own call

    await set_by_hand(hass, hass_admin_user, 22.5)
    await minutes_pass(hass, freezer, 30)

    assert target(hass) == 22.5  # left alone
    assert len(holds) == 1
    assert holds[0].data["entity_id"] == THERMOSTAT
    assert (
        holds[0]
        .data["reason"]
        .startswith("Holding the thermostat in Living room: changed by hand at 14:00")
    )
    control = hass.states.get(CONTROL)
    assert control.state == "holding"
    assert THERMOSTAT in control.attributes["held_until"]
    # Learned as a comfort label.
    setpoint = float(
        hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint").state
    )
    assert setpoint > 20.0

    # Everyone leaves: the hold ends with the occupancy and the zone sets back.
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 240)
    assert target(hass) < 20.0
    assert hass.states.get(CONTROL).attributes["held_until"] == {}
    assert_calm(calls_to(actions, THERMOSTAT))


async def test_a_dial_turned_back_and_forth_is_learned_once_where_it_was_left(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """A child turns it 21 -> 25 -> 19 -> 22 within a minute: one wish, 22 °C."""
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass, hold_minutes=60)
    await set_state(hass, MOTION, STATE_ON)
    comfort = coordinator_of(entry).brain.zone("living_room").comfort

    for setpoint in (21.0, 25.0, 19.0, 22.0):
        await set_by_hand(hass, hass_admin_user, setpoint)
        await seconds_pass(hass, freezer, 15)
    await minutes_pass(hass, freezer, 5)

    assert comfort.labels == 1
    assert target(hass) == 22.0  # held as they left it
    once = PreferredSetpoint(20.0, 24.0)
    once.learn_one(START + timedelta(seconds=45), {}, 22.0)
    shown = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert float(shown.state) == round(once.predict_one(START, {}), 1)


async def test_the_comfort_setpoint_says_how_sure_it_is(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Unsure with nothing learned; surer each afternoon people turn it up alike."""
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass, hold_minutes=60)
    comfort = "sensor.living_room_aiot_brain_comfort_setpoint"
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    unsure = hass.states.get(comfort).attributes["uncertainty"]
    assert unsure == 1.5  # the prior: nothing learned yet
    response = await hass.services.async_call(
        DOMAIN, "get_forecast", {}, blocking=True, return_response=True
    )
    assert response["zones"]["living_room"]["comfort_uncertainty"] == unsure

    shown = []
    for day in range(3):
        freezer.move_to(START + timedelta(days=day))
        await minutes_pass(hass, freezer, 1)
        await set_by_hand(hass, hass_admin_user, 22.5)
        await minutes_pass(hass, freezer, 1)
        shown.append(hass.states.get(comfort).attributes["uncertainty"])

    assert shown == sorted(shown, reverse=True)
    assert shown[-1] < shown[0] < unsure
    response = await hass.services.async_call(
        DOMAIN, "get_forecast", {}, blocking=True, return_response=True
    )
    assert response["zones"]["living_room"]["comfort_uncertainty"] == shown[-1]


async def test_a_persons_change_the_night_the_clocks_go_back_is_held_as_long(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    start = datetime.fromisoformat("2026-10-24T22:00:00+00:00")  # midnight
    freezer.move_to(start)
    await build_living_room(hass)
    await setup_brain(hass, hold_minutes=240)
    await set_state(hass, MOTION, STATE_ON)

    await set_by_hand(hass, hass_admin_user, 22.5)
    await hass.async_block_till_done()

    # Four hours, one of them repeated: until 03:00 winter time.
    held_until = hass.states.get(CONTROL).attributes["held_until"]
    assert held_until == {THERMOSTAT: "2026-10-25T03:00:00+01:00"}
    freezer.move_to(start + timedelta(hours=3, minutes=58))
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(CONTROL).state == "holding"
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(CONTROL).state == "controlling"


async def test_an_automation_is_not_fought_but_not_learned_either(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)

    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": THERMOSTAT, "temperature": 24.0},
        blocking=True,
        context=Context(parent_id="an-automation-run"),
    )
    await minutes_pass(hass, freezer, 10)

    assert target(hass) == 24.0
    assert len(holds) == 1
    setpoint = float(
        hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint").state
    )
    assert setpoint == 20.0


async def test_an_automation_answering_our_call_is_held_not_fought(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """'Never above 19 °C': an automation that our own change sets off.

    Home Assistant runs it in a context whose parent is our call's; its change
    is still another hand's, held as any automation's and not learned.
    """
    freezer.move_to(START)
    await build_living_room(hass)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Never above 19",
                "triggers": [
                    {
                        "trigger": "numeric_state",
                        "entity_id": THERMOSTAT,
                        "attribute": "temperature",
                        "above": 19,
                    }
                ],
                "actions": [
                    {
                        "action": "climate.set_temperature",
                        "target": {"entity_id": THERMOSTAT},
                        "data": {"temperature": 19},
                    }
                ],
            }
        },
    )
    actions = async_capture_events(hass, EVENT_ACTION)
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 60)

    assert [event.data["data"]["temperature"] for event in actions] == [20.0]
    assert len(holds) == 1
    assert target(hass) == 19.0
    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert float(comfort.state) == 20.0


async def test_a_device_echoing_our_call_is_not_a_person_but_a_knob_is(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    echoed = hass.states.get(THERMOSTAT)

    # The device reports our target back in a context of its own.
    hass.states.async_set(
        THERMOSTAT,
        echoed.state,
        {**echoed.attributes, "current_temperature": 19.5},
        context=Context(),
    )
    await hass.async_block_till_done()
    assert holds == []

    # Someone turns the knob: a fresh context, no user, a new target.
    hass.states.async_set(
        THERMOSTAT, echoed.state, {**echoed.attributes, "temperature": 21.5}
    )
    await hass.async_block_till_done()
    assert len(holds) == 1


class CloudThermostat(DemoClimate):
    """A polled thermostat: it shows a call at once; each poll reports later."""

    async def async_report(self, **settings: Any) -> None:
        """The device reports ``settings``, in a context of its own."""
        await DemoClimate.async_set_temperature(self, **settings)
        await self.hass.async_block_till_done()


class SlowThermostat(CloudThermostat):
    """A radio thermostat: HA sends the calls on; the device reports back later.

    ``asked`` is what it was sent and has not shown yet, the mode included.
    """

    asked: dict[str, Any]

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        self.asked = {"hvac_mode": hvac_mode}

    async def async_set_temperature(self, **kwargs: Any) -> None:
        self.asked = {**getattr(self, "asked", {}), **kwargs}


async def heat_a_cold_slow_thermostat(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start: datetime = START,
    *,
    seconds_later: int = 0,
) -> tuple[SlowThermostat, list[Event], list[Event]]:
    """Send heat at 20 °C to a thermostat off at 17 °C; return it, holds and calls.

    Someone comes in ``seconds_later`` than the integration is set up.
    """
    freezer.move_to(start)
    room = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        target=17.0,
        mode=HVACMode.OFF,
        kind=SlowThermostat,
    )
    await build_living_room(hass, [room])
    holds = async_capture_events(hass, EVENT_HOLD)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await seconds_pass(hass, freezer, seconds_later)
    await set_state(hass, MOTION, STATE_ON)
    assert len(actions) == 1
    assert (room.asked["hvac_mode"], room.asked["temperature"]) == (HVACMode.HEAT, 20)
    assert hass.states.get(THERMOSTAT).state == HVACMode.OFF  # not reported yet
    return room, holds, actions


async def test_a_thermostat_that_never_takes_our_call_still_waits_after_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An option changed while it waits is no reason for three calls more."""
    _, _, actions = await heat_a_cold_slow_thermostat(hass, freezer)
    await minutes_pass(hass, freezer, 20)
    assert len(actions) == 3

    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 30)

    assert len(actions) == 3
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith(
        "Waiting (the last 3 calls alike were not taken, next try at 15:10)"
    )


async def test_a_call_waiting_its_turn_goes_when_its_turn_comes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Five minutes after the last call, not at the minute's step after that."""
    _, _, actions = await heat_a_cold_slow_thermostat(hass, freezer, seconds_later=25)
    for _ in range(11 * 12):  # eleven minutes, five seconds at a time
        await seconds_pass(hass, freezer, 5)
    # It never shows the call taken: called again as soon as it may be, twice.
    times = [event.time_fired - START for event in actions]
    assert times == [timedelta(minutes=m, seconds=25) for m in (0, 5, 10)]


async def test_a_thermostat_that_never_takes_our_call_is_not_called_for_ever(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Offline in its cloud, it accepts calls and shows nothing: 3, then it waits."""
    room, _, actions = await heat_a_cold_slow_thermostat(hass, freezer)

    await minutes_pass(hass, freezer, 60)
    assert len(actions) == 3  # 14:00, 14:05 and 14:10, no more
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith(
        "Waiting (the last 3 calls alike were not taken, next try at 15:10)"
    )
    await minutes_pass(hass, freezer, 180)
    # Then an hour later, and two hours after that.
    times = [event.time_fired - START for event in actions]
    assert times == [timedelta(minutes=m) for m in (0, 5, 10, 70, 190)]

    # Another call is no call alike: it goes at once (and is taken, online again).
    await minutes_pass(hass, freezer, 120)
    assert len(actions) == 5  # the next try: four hours after the last
    room.async_set_hvac_mode = partial(  # type: ignore[method-assign]
        DemoClimate.async_set_hvac_mode, room
    )
    room.async_set_temperature = partial(  # type: ignore[method-assign]
        DemoClimate.async_set_temperature, room
    )
    await set_comfort_offset(hass, 1)
    await minutes_pass(hass, freezer, 1)
    assert len(actions) == 6
    assert (hass.states.get(THERMOSTAT).state, target(hass)) == (HVACMode.HEAT, 21.0)


async def test_a_thermostat_reporting_our_call_a_setting_at_a_time_is_not_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    room, holds, _ = await heat_a_cold_slow_thermostat(hass, freezer)

    # Seconds later the device reports the new mode with the old setpoint, then
    # the setpoint.
    await seconds_pass(hass, freezer, 10)
    await room.async_report(hvac_mode=HVACMode.HEAT)
    assert target(hass) == 17.0
    await seconds_pass(hass, freezer, 30)
    await room.async_report(temperature=20.0)
    await minutes_pass(hass, freezer, 5)

    assert holds == []
    assert hass.states.get(CONTROL).state == "controlling"
    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert float(comfort.state) == 20.0  # the old 17 °C taught nothing


async def test_a_thermostat_reporting_our_call_after_a_restart_is_not_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Home Assistant restarts between our call and the radio's late report."""
    room, holds, actions = await heat_a_cold_slow_thermostat(hass, freezer)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    await seconds_pass(hass, freezer, 10)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    await seconds_pass(hass, freezer, 30)
    await room.async_report(hvac_mode=HVACMode.HEAT, temperature=20.0)
    await minutes_pass(hass, freezer, 5)

    assert holds == []
    assert hass.states.get(CONTROL).state == "controlling"
    assert len(actions) == 1  # not sent again
    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert float(comfort.state) == 20.0


async def test_a_thermostat_reporting_our_call_the_night_the_clocks_go_forward(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Reported within the echo window in real time: no person's change."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    # 01:30 winter time; at 02:00 the clocks go forward to 03:00.
    start = datetime.fromisoformat("2026-03-29T00:30:00+00:00")
    room, holds, _ = await heat_a_cold_slow_thermostat(hass, freezer, start)

    await seconds_pass(hass, freezer, 10)
    await room.async_report(hvac_mode=HVACMode.HEAT)
    await seconds_pass(hass, freezer, 90)  # 100 s after the call
    await room.async_report(temperature=20.0)
    await minutes_pass(hass, freezer, 5)

    assert holds == []
    assert hass.states.get(CONTROL).state == "controlling"


@pytest.mark.parametrize(
    "reports",
    [
        # A third setpoint, before the asked one was reported.
        [{"hvac_mode": HVACMode.HEAT}, {"temperature": 22.0}],
        # The old setpoint back, once the call was reported.
        [{"hvac_mode": HVACMode.HEAT}, {"temperature": 20.0}, {"temperature": 17.0}],
    ],
)
async def test_a_knob_turned_while_our_call_is_reported_is_a_persons_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, reports: list[dict[str, Any]]
) -> None:
    room, holds, actions = await heat_a_cold_slow_thermostat(hass, freezer)

    # Within the echo window: the device reports our call, then someone turns
    # the knob.
    *ours, knob = reports
    for settings in ours:
        await seconds_pass(hass, freezer, 10)
        await room.async_report(**settings)
    assert holds == []
    await seconds_pass(hass, freezer, 10)
    await room.async_report(**knob)
    assert len(holds) == 1
    await minutes_pass(hass, freezer, 10)

    assert len(actions) == 1  # left as the person set it


async def heat_a_cloud_thermostat(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> tuple[CloudThermostat, list[Event], MockConfigEntry]:
    """Heat a thermostat set back to 17 °C to 20 °C; return it, holds and entry."""
    freezer.move_to(START)
    room = thermostat(
        "living_room", [HVACMode.HEAT, HVACMode.OFF], kind=CloudThermostat
    )
    await build_living_room(hass, [room])
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass, hold_minutes=240)
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 20.0  # shown at once
    return room, holds, entry


async def test_a_cloud_thermostat_reporting_its_old_setpoint_once_is_not_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A poll the cloud answered before it took our call says 17 °C again."""
    room, holds, entry = await heat_a_cloud_thermostat(hass, freezer)
    comfort = coordinator_of(entry).brain.zone("living_room").comfort

    await seconds_pass(hass, freezer, 45)
    await room.async_report(temperature=17.0)
    await seconds_pass(hass, freezer, 45)
    await room.async_report(temperature=20.0)  # the next poll
    await minutes_pass(hass, freezer, 10)

    assert holds == []
    control = hass.states.get(CONTROL)
    assert control.state == "controlling"
    assert control.attributes["held_until"] == {}
    assert comfort.labels == 0
    sensor = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert float(sensor.state) == 20.0
    assert target(hass) == 20.0


async def test_a_cloud_thermostat_turned_back_by_hand_is_held_after_the_window(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Back to 17 °C and left there: a hand on the knob, judged as one once the
    device had the time to show our call again."""
    room, holds, entry = await heat_a_cloud_thermostat(hass, freezer)
    comfort = coordinator_of(entry).brain.zone("living_room").comfort

    await seconds_pass(hass, freezer, 45)
    await room.async_report(temperature=17.0)
    assert holds == []
    assert comfort.labels == 0
    await minutes_pass(hass, freezer, 2)

    assert len(holds) == 1
    reason = holds[0].data["reason"]
    assert reason.startswith(
        "Holding the thermostat in Living room: changed by hand at 14:00, "
        "left alone until 18:00"
    )
    assert comfort.labels == 1
    control = hass.states.get(CONTROL)
    assert control.state == "holding"
    assert control.attributes["held_until"] == {THERMOSTAT: "2026-11-02T18:00:45-08:00"}
    await minutes_pass(hass, freezer, 30)
    assert target(hass) == 17.0  # left as they set it
    assert len(holds) == 1
    assert comfort.labels == 1  # learned once


async def test_a_cloud_thermostat_still_unsure_at_a_reload_is_never_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """What it was is not known, and not saved: neither held nor learned."""
    room, holds, entry = await heat_a_cloud_thermostat(hass, freezer)

    await seconds_pass(hass, freezer, 45)
    await room.async_report(temperature=17.0)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 10)

    assert holds == []
    assert coordinator_of(entry).brain.zone("living_room").comfort.labels == 0


async def test_a_cloud_thermostat_set_back_from_the_app_is_held_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """A person's own user says who changed it: no report of the cloud."""
    _, holds, entry = await heat_a_cloud_thermostat(hass, freezer)
    comfort = coordinator_of(entry).brain.zone("living_room").comfort

    await seconds_pass(hass, freezer, 45)
    await set_by_hand(hass, hass_admin_user, 17.0)

    assert len(holds) == 1
    assert comfort.labels == 1
    await minutes_pass(hass, freezer, 10)
    assert len(holds) == 1
    assert comfort.labels == 1
    assert target(hass) == 17.0


async def test_a_thermostat_turned_back_off_while_our_call_is_reported_is_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Back to just what it showed before our call: held once the window is over."""
    room, holds, actions = await heat_a_cold_slow_thermostat(hass, freezer)

    await seconds_pass(hass, freezer, 10)
    await room.async_report(hvac_mode=HVACMode.HEAT)
    await seconds_pass(hass, freezer, 10)
    await room.async_report(hvac_mode=HVACMode.OFF)
    assert holds == []
    await minutes_pass(hass, freezer, 2)

    assert len(holds) == 1
    assert "changed by hand at 14:00" in holds[0].data["reason"]
    await minutes_pass(hass, freezer, 10)
    assert len(actions) == 1  # left as the person set it


async def flap_the_mode(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: int
) -> list[str]:
    """Switch the living room between eco and comfort each minute; return the
    thermostat's reasons, minute by minute."""
    reasons = []
    for minute in range(minutes):
        await hass.services.async_call(
            "select",
            "select_option",
            {
                "entity_id": "select.living_room_aiot_brain_mode",
                "option": "eco" if minute % 2 else "comfort",
            },
            blocking=True,
        )
        await minutes_pass(hass, freezer, 1)
        reasons.append(hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT])
        # Someone (or an automation) says yes to whatever is proposed.
        if hass.states.get(CONTROL).attributes.get("suggestions"):
            await hass.services.async_call(
                DOMAIN, "accept_suggestion", {}, blocking=True
            )
            await hass.async_block_till_done()
    return reasons


@pytest.mark.parametrize("level", ["automate", "suggest"])
async def test_never_more_than_four_calls_an_hour_however_the_mode_flaps(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, level: str
) -> None:
    """Also where each proposal is accepted at once: an accepted one is a call."""
    freezer.move_to(START)
    await build_living_room(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, level=level)
    await set_state(hass, MOTION, STATE_ON)

    reasons = await flap_the_mode(hass, freezer, 60)

    calls = calls_to(actions, THERMOSTAT)
    assert len(calls) >= 2
    assert_calm(calls)
    assert any(reason.startswith("Waiting (last call at") for reason in reasons)


async def test_never_more_than_four_calls_an_hour_the_night_the_clocks_go_forward(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Local time skips an hour, real time does not: an hour is an hour of calls."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    # 01:00 winter time; at 02:00 the clocks go forward to 03:00.
    freezer.move_to(datetime.fromisoformat("2026-03-29T00:00:00+00:00"))
    await build_living_room(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)

    reasons = await flap_the_mode(hass, freezer, 120)

    calls = calls_to(actions, THERMOSTAT)
    assert len(calls) >= 2
    assert_calm(calls)
    # Said by the clocks: 01:00 winter time and 03:00 summer time, an hour apart.
    assert any(
        reason.startswith("Waiting (last call at 03:00, next allowed at 03:05)")
        for reason in reasons
    )


# The night the clocks go forward in Berlin: 02:00 CET becomes 03:00 CEST at 01:00
# UTC, and the core's clock runs one and a half times real speed from 00:00 to 02:00
# UTC. A week before, the same hours of a night without a change.
SPRING_FORWARD = datetime.fromisoformat("2026-03-29T00:30:00+00:00")
A_WEEK_BEFORE = datetime.fromisoformat("2026-03-22T00:30:00+00:00")


@pytest.mark.parametrize("night", [A_WEEK_BEFORE, SPRING_FORWARD])
async def test_an_open_window_waits_five_real_minutes_whatever_the_clocks_do(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, night: datetime
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(night)
    await build_living_room(hass, window=True)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)  # the last call long enough ago
    before = target(hass)

    await set_state(hass, WINDOW, STATE_ON)
    await minutes_pass(hass, freezer, 4)
    assert target(hass) == before  # four minutes, not six of the eased clock
    await minutes_pass(hass, freezer, 2)
    assert target(hass) == 17.0


async def test_an_open_window_goes_eco_after_a_delay_and_comfort_resumes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, window=True)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 20.0

    await set_state(hass, WINDOW, STATE_ON)
    await minutes_pass(hass, freezer, 3)
    assert target(hass) == 20.0  # a window opened briefly changes nothing
    await minutes_pass(hass, freezer, 3)
    assert target(hass) == 17.0
    assert "window open" in hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]

    await set_state(hass, WINDOW, STATE_OFF)
    await minutes_pass(hass, freezer, 5)
    assert target(hass) == 20.0


async def test_frost_protection_holds_even_when_the_zone_is_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    cold = thermostat(
        "living_room", [HVACMode.HEAT, HVACMode.OFF], target=12.0, current=14.0
    )
    await build_living_room(hass, climates=[cold])
    await setup_brain(hass)
    await set_living_room_mode(hass, "off")
    await minutes_pass(hass, freezer, 1)

    assert target(hass) == 16.0  # the lowest allowed setpoint is the frost floor
    control = hass.states.get(CONTROL)
    assert control.attributes["last_action"].startswith(
        "Frost protection in Living room: 14.0 °C is below 16.0 °C"
    )
    # Safe again: the zone is off, so it is left alone from now on.
    assert control.attributes["reasons"][THERMOSTAT] == (
        "Mode off: leaving Living room's thermostat alone"
    )


async def test_the_comfort_setpoint_never_goes_beyond_the_bounds(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass, max_temperature=21.0)
    await set_comfort_offset(hass, 3.0)
    await set_state(hass, MOTION, STATE_ON)

    assert target(hass) == 21.0


def whole_degree_thermostat() -> DemoClimate:
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], target=20.0)
    room._attr_target_temperature_step = 1.0
    return room


async def test_a_setback_on_whole_degrees_never_goes_below_the_lowest_setpoint(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, [whole_degree_thermostat()])
    await setup_brain(hass, min_temperature=16.5)
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 240)

    assert target(hass) == 17.0  # 16.5 °C rounded up to the thermostat's step


async def test_heating_to_the_highest_setpoint_on_whole_degrees_is_one_calm_call(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Rounded to 26 °C, heat protection would set 25.5 °C back, again and again."""
    freezer.move_to(START)
    await build_living_room(hass, [whole_degree_thermostat()])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(
        hass, heating_setpoint=25.5, cooling_setpoint=25.5, max_temperature=25.5
    )
    for _ in range(6):
        await set_state(hass, MOTION, STATE_ON)
        await minutes_pass(hass, freezer, 10)

    assert target(hass) == 25.0
    assert [event.data["data"] for event in actions] == [
        {"hvac_mode": HVACMode.HEAT, "temperature": 25.0}
    ]


async def test_a_persons_heat_cool_change_is_learned_as_the_comfort_they_want(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[wide_band_thermostat()])
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)

    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": THERMOSTAT, "target_temp_low": 23.0, "target_temp_high": 24.0},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await minutes_pass(hass, freezer, 1)

    setpoint = float(
        hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint").state
    )
    assert setpoint > 20.5


async def test_a_band_raised_by_hand_comes_back_where_people_set_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """A band's lower edge is where heating starts, half a degree below comfort.

    Learned as the comfort itself, the band would come back half a degree below
    what people set, and be turned up again, time after time.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[wide_band_thermostat()])
    await setup_brain(hass, hold_minutes=120)
    await set_state(hass, MOTION, STATE_ON)
    attributes = hass.states.get(THERMOSTAT).attributes
    high = attributes["target_temp_high"]
    assert attributes["target_temp_low"] == 19.5  # 20 °C less the slack

    for _ in range(3):
        await hass.services.async_call(
            "climate",
            "set_temperature",
            {
                "entity_id": THERMOSTAT,
                "target_temp_low": 21.0,
                "target_temp_high": high,
            },
            blocking=True,
            context=Context(user_id=hass_admin_user.id),
        )
        await minutes_pass(hass, freezer, 150)  # the hold is over

    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert comfort.attributes["heating_comfort"] > 20.5
    assert hass.states.get(THERMOSTAT).attributes["target_temp_low"] == 21.0
    reasons = hass.states.get("sensor.living_room_aiot_brain_control").attributes
    assert reasons["reasons"][THERMOSTAT].startswith(
        "Living room already heats below 21.0 °C"
    )


async def test_a_band_cooling_raised_by_hand_teaches_the_cooling_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Too cold under the air conditioning: the cooling edge goes up, not back."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(START)
    ecobee = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL, HVACMode.HEAT_COOL],
        target=None,
        mode=HVACMode.HEAT_COOL,
        low=66.0,
        high=80.0,
        current=77.0,
        unit="°F",
    )
    await build_living_room(hass, climates=[ecobee])
    await setup_brain(hass, hold_minutes=120)
    await set_state(hass, MOTION, STATE_ON)
    attributes = hass.states.get(THERMOSTAT).attributes
    # Heats below 20 °C less the slack, cools above 24.5 °C, on whole °F.
    assert (attributes["target_temp_low"], attributes["target_temp_high"]) == (68, 76)

    comfort = "sensor.living_room_aiot_brain_comfort_setpoint"
    for _ in range(3):
        # Only the upper edge goes up, to 78 °F: cooling from there is enough.
        await hass.services.async_call(
            "climate",
            "set_temperature",
            {"entity_id": THERMOSTAT, "target_temp_low": 68, "target_temp_high": 78},
            blocking=True,
            context=Context(user_id=hass_admin_user.id),
        )
        await minutes_pass(hass, freezer, 150)  # the hold is over

    learned = hass.states.get(comfort).attributes
    assert learned["cooling_comfort"] > 76.0  # 75.2 °F before
    assert learned["heating_comfort"] == 68.0  # the lower edge taught nothing
    attributes = hass.states.get(THERMOSTAT).attributes
    assert (attributes["target_temp_low"], attributes["target_temp_high"]) == (68, 77)


@pytest.mark.parametrize(
    ("band", "protected", "why"),
    [
        # Frost: heats from the lowest setpoint.
        (
            (10.0, 30.0),
            (16.0, 28.0),
            "Frost protection in Living room: 12.0 °C is below 16.0 °C",
        ),
        # Heats to no more than the highest setpoint.
        (
            (30.0, 32.0),
            (27.5, 28.0),
            "Heat protection in Living room: heating target 30.0 °C is above 28.0 °C",
        ),
    ],
)
async def test_protection_holds_on_a_thermostat_that_takes_only_a_band(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    band: tuple[float, float],
    protected: tuple[float, float],
    why: str,
) -> None:
    freezer.move_to(START)
    low, high = band
    band_only = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT_COOL],
        target=None,
        mode=HVACMode.HEAT_COOL,
        low=low,
        high=high,
        current=12.0,
    )
    await build_living_room(hass, climates=[band_only])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)  # lowest setpoint 16 °C, highest 28 °C
    await set_living_room_mode(hass, "off")
    await minutes_pass(hass, freezer, 30)

    attributes = hass.states.get(THERMOSTAT).attributes
    assert (attributes["target_temp_low"], attributes["target_temp_high"]) == protected
    control = hass.states.get(CONTROL)
    assert control.attributes["last_action"] == why
    # Safe again: the zone is off, so it is left alone from now on.
    assert len(actions) == 1
    assert control.attributes["reasons"][THERMOSTAT] == (
        "Mode off: leaving Living room's thermostat alone"
    )


@pytest.mark.parametrize(
    ("mode", "current", "band"),
    [(HVACMode.COOL, 31.0, (21.0, 24.0)), (HVACMode.AUTO, 12.0, (20.0, 24.0))],
)
async def test_protection_leaves_a_band_thermostat_that_already_protects_alone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mode: HVACMode,
    current: float,
    band: tuple[float, float],
) -> None:
    """Like an Ecobee cooling to its high target: 28 °C would make it warmer."""
    freezer.move_to(START)
    low, high = band
    ecobee = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.COOL, HVACMode.HEAT_COOL, HVACMode.AUTO],
        target=None,
        mode=mode,
        low=low,
        high=high,
        preset="home",
        presets=["home", "eco", "away"],
        current=current,
    )
    await build_living_room(hass, climates=[ecobee])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_living_room_mode(hass, "off")
    await minutes_pass(hass, freezer, 10)

    shown = hass.states.get(THERMOSTAT)
    assert shown.state == mode
    assert (
        shown.attributes["target_temp_low"],
        shown.attributes["target_temp_high"],
    ) == band
    assert not actions


async def test_heat_cool_thermostats_get_a_band_and_preset_ones_a_preset(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    band = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT_COOL, HVACMode.COOL],
        target=None,
        mode=HVACMode.HEAT_COOL,
        low=15.0,
        high=28.0,
    )
    presets = thermostat(
        "living_room_radiator",
        [HVACMode.HEAT, HVACMode.OFF],
        target=None,
        preset="away",
        presets=["comfort", "eco", "away"],
    )
    await build_living_room(hass, climates=[band, presets])
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)

    attributes = hass.states.get(THERMOSTAT).attributes
    # Heats from just below the heating comfort (20 °C), cools from just above the
    # cooling one (24 °C).
    assert (attributes["target_temp_low"], attributes["target_temp_high"]) == (
        19.5,
        24.5,
    )
    radiator = hass.states.get("climate.living_room_radiator")
    assert radiator.attributes["preset_mode"] == "comfort"

    await hass.services.async_call(
        DOMAIN, "set_mode", {"mode": "away"}, blocking=True
    )  # the building's mode
    await minutes_pass(hass, freezer, 5)
    assert (
        hass.states.get("climate.living_room_radiator").attributes["preset_mode"]
        == "away"
    )
    attributes = hass.states.get(THERMOSTAT).attributes
    assert attributes["target_temp_low"] == 16.0  # bounded by the lowest setpoint


async def test_lights_come_on_at_the_learned_level_and_go_off_when_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    actions = async_capture_events(hass, EVENT_ACTION)
    entry = await setup_brain(hass)
    lighting = coordinator_of(entry).predictions["living_room"].lighting
    brightness, kelvin = round(lighting["brightness"]), lighting["color_temp"]

    await set_state(hass, MOTION, STATE_ON)

    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    assert round(light.attributes["brightness"] / 2.55) == brightness
    assert light.attributes["color_temp_kelvin"] == kelvin
    assert (
        actions[-1]
        .data["reason"]
        .startswith(
            f"Switching on Living room's light at {brightness} %, {kelvin} K: "
            "someone arrived"
        )
    )

    # Still there, moving now and then: no more calls.
    for _ in range(6):
        await set_state(hass, MOTION, STATE_OFF)
        await minutes_pass(hass, freezer, 4)
        await set_state(hass, MOTION, STATE_ON)
    assert len(calls_to(actions, LAMP)) == 1

    # Motion alone cannot tell a reader sitting still from an empty room, so
    # only a long silence says the reader has gone.
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 18)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 3)
    assert hass.states.get(LAMP).state == STATE_OFF
    assert len(calls_to(actions, LAMP)) == 2


async def test_an_area_where_nothing_sees_people_is_kept_at_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A radiator thermostat alone cannot tell a study in use from an empty one."""
    freezer.move_to(START)
    await build_living_room(hass)
    er.async_get(hass).async_update_entity(MOTION, area_id=None)  # elsewhere
    await setup_brain(hass, min_temperature=12.0)
    await minutes_pass(hass, freezer, 60)

    assert target(hass) == 20.0  # not the empty room's 16 °C, for hours on end
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "no sensor here sees people come or go" in reason

    # At night it sleeps, as anyone there would.
    await minutes_pass(hass, freezer, 9 * 60)
    assert target(hass) == 18.5  # the sleep temperature


async def test_an_area_where_nothing_sees_people_is_set_back_while_all_are_away(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    entities = er.async_get(hass)
    entities.async_update_entity(MOTION, area_id=None)  # the thermostat alone
    entities.async_get_or_create("person", "person", "anna", suggested_object_id="anna")
    await set_state(hass, "person.anna", "home")
    await setup_brain(hass, min_temperature=12.0)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 20.0

    await set_state(hass, "person.anna", "not_home")
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 16.0  # the empty room's setback
    await set_state(hass, "person.anna", "home")
    await minutes_pass(hass, freezer, 1)
    assert target(hass) == 20.0


async def test_the_light_stays_on_while_the_tv_is_on_and_nobody_moves(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A film: nobody moves for an hour, and the lamp must not go out on them."""
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    entities = er.async_get(hass)
    for object_id, device_class in (("tv", "tv"), ("kitchen_speaker", "speaker")):
        tv = entities.async_get_or_create(
            "media_player",
            "test",
            object_id,
            suggested_object_id=object_id,
            original_device_class=device_class,
        )
        entities.async_update_entity(tv.entity_id, area_id="living_room")
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    hass.states.async_set("media_player.tv", "on", {"device_class": "tv"})
    # Music in the background says nothing of anyone there.
    hass.states.async_set(
        "media_player.kitchen_speaker",
        "playing",
        {"device_class": "speaker", "media_content_type": "music"},
    )
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, DOOR, STATE_ON)  # someone else goes out
    await set_state(hass, DOOR, STATE_OFF)

    await minutes_pass(hass, freezer, 90)
    assert hass.states.get(LAMP).state == STATE_ON
    reason = hass.states.get(CONTROL).attributes["reasons"][LAMP]
    assert reason == "Living room's light stays on: the TV is on"

    # The film is over; the room is dark and still: it goes off.
    hass.states.async_set("media_player.tv", "off", {"device_class": "tv"})
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_OFF
    assert len(calls_to(actions, LAMP)) == 2


async def lit_in_a_room_with_a_door(
    hass: HomeAssistant, *, air: int | None = None
) -> list[Event]:
    """Set up a living room with a door and a lamp, lit for someone who came in.

    With ``air``, a CO2 sensor reads that there (ppm). Return the integration's
    actions from then on.
    """
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    if air is not None:
        put_in_the_living_room(hass, "air")
        await breathe(hass, air)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    return actions


@pytest.mark.parametrize(
    ("night", "door_moved"),
    [(None, "14:05"), (A_WEEK_BEFORE, "01:35"), (SPRING_FORWARD, "01:35")],
)
async def test_the_light_goes_off_soon_after_someone_leaves_through_the_door(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    night: datetime | None,
    door_moved: str,
) -> None:
    """Ten real minutes for anyone who stayed behind, whatever the clocks do."""
    if night is None:
        freezer.move_to(START)
    else:
        await hass.config.async_set_time_zone("Europe/Berlin")
        freezer.move_to(night)
    actions = await lit_in_a_room_with_a_door(hass)

    await minutes_pass(hass, freezer, 3)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, DOOR, STATE_ON)  # out through the door
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, DOOR, STATE_OFF)
    await minutes_pass(hass, freezer, 9)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_OFF
    assert actions[-1].data["reason"] == (
        f"Switching off Living room's light: the door moved at {door_moved} and no "
        "one has been seen since (after 10 min)"
    )


async def left_half_a_minute_after_a_step(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> tuple[list[Event], datetime]:
    """Light a room with a door for someone who goes out half a minute after a step.

    Return the actions and when the door shut, at the last step before the
    10 minutes' wait after it runs out (half a minute before).
    """
    freezer.move_to(START)
    actions = await lit_in_a_room_with_a_door(hass)
    await minutes_pass(hass, freezer, 3)
    await seconds_pass(hass, freezer, 25)
    await out_through_the_door(hass, freezer, open_for=5)
    shut = dt_util.utcnow()
    await seconds_pass(hass, freezer, 30)  # the minute's step
    await minutes_pass(hass, freezer, 9)
    return actions, shut


async def test_the_light_goes_off_when_the_wait_runs_out_not_at_the_next_minute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The door shuts half a minute after a step: ten minutes later, it is dark."""
    actions, shut = await left_half_a_minute_after_a_step(hass, freezer)
    await seconds_pass(hass, freezer, 29)
    assert dt_util.utcnow() == shut + timedelta(minutes=10, seconds=-1)
    assert hass.states.get(LAMP).state == STATE_ON
    await seconds_pass(hass, freezer, 2)  # half a minute before the next step
    assert hass.states.get(LAMP).state == STATE_OFF
    assert actions[-1].data["reason"] == (
        "Switching off Living room's light: the door moved at 14:03 and no one has "
        "been seen since (after 10 min)"
    )
    assert len(calls_to(actions, LAMP)) == 2

    # Planned again, and unloaded before it runs out: nothing acts any more.
    await seconds_pass(hass, freezer, 5)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, DOOR, STATE_ON)
    await set_state(hass, DOOR, STATE_OFF)
    await seconds_pass(hass, freezer, 24)  # the minute's step
    await minutes_pass(hass, freezer, 9)  # the last one 36 s before the wait is out
    await seconds_pass(hass, freezer, 10)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_unload(entry.entry_id)
    await seconds_pass(hass, freezer, 59)
    assert hass.states.get(LAMP).state == STATE_ON


async def test_someone_seen_as_the_wait_runs_out_keeps_the_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Its off was planned for 14:13:30; someone who stayed moves at 14:13:20."""
    actions, shut = await left_half_a_minute_after_a_step(hass, freezer)
    await seconds_pass(hass, freezer, 20)
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 20)
    assert dt_util.utcnow() > shut + timedelta(minutes=10)
    assert hass.states.get(LAMP).state == STATE_ON
    assert len(calls_to(actions, LAMP)) == 1


async def out_through_the_door(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *, open_for: int = 60
) -> None:
    """The last motion clears as someone opens the door, which shuts behind them.

    It stands open ``open_for`` seconds.
    """
    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, DOOR, STATE_ON)
    await seconds_pass(hass, freezer, open_for)
    await set_state(hass, DOOR, STATE_OFF)


async def visit_through_the_door(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """In through the door, a while inside (still for a minute), out through it."""
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, DOOR, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, DOOR, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await out_through_the_door(hass, freezer)
    await minutes_pass(hass, freezer, 1)


# What tells an exit apart, put in the living room: its entity, device class
# and unit, and what it reads while people are in and behind the last one out.
TELLING = {
    "air": ("sensor.living_room_co2", "carbon_dioxide", "ppm", (900, 880)),
    "power": ("sensor.living_room_power", "power", "W", (80, 20)),
}


def put_in_the_living_room(hass: HomeAssistant, sign: str) -> None:
    """Put the sensor that reads ``sign`` (a CO2 sensor, a meter) in the living room."""
    entity_id, device_class, unit, _ = TELLING[sign]
    area = ar.async_get(hass).async_get_area_by_name("Living room")
    assert area is not None
    object_id = entity_id.partition(".")[2]
    placed = place_sensor(
        hass, "sensor", object_id, device_class, area.id, unit_of_measurement=unit
    )
    assert placed == entity_id


async def read(hass: HomeAssistant, sign: str, value: int) -> None:
    """The living room's ``sign`` sensor reads ``value``."""
    entity_id, _, unit, _ = TELLING[sign]
    hass.states.async_set(entity_id, str(value), {"unit_of_measurement": unit})
    await hass.async_block_till_done()


async def breathe(hass: HomeAssistant, ppm: int) -> None:
    await read(hass, "air", ppm)


async def visit_telling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sign: str,
    *,
    empty: bool,
    stays: bool = False,
) -> None:
    """In through the door, still a minute inside, out; the ``sign`` behind them.

    It reads as behind the last one out if the room is ``empty``, else as with
    people in. One of two ``stays`` and moves again two minutes later: it reads
    as with people in behind the other, and as empty once the second goes too.
    """
    people_in, gone = TELLING[sign][3]
    await read(hass, sign, people_in)
    await visit_through_the_door(hass, freezer)
    await read(hass, sign, gone if empty and not stays else people_in)
    if stays:
        await minutes_pass(hass, freezer, 1)
        await set_state(hass, MOTION, STATE_ON)
        await minutes_pass(hass, freezer, 2)
        await out_through_the_door(hass, freezer)
        await minutes_pass(hass, freezer, 1)
        await read(hass, sign, gone)


@pytest.mark.parametrize("tells_empty", [True, False])
@pytest.mark.parametrize("sign", ["air", "power"])
async def test_a_room_whose_air_or_power_tells_the_last_one_out_goes_dark_sooner(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sign: str, tells_empty: bool
) -> None:
    """Where a CO2 sensor or a power meter reads, it tells each exit apart.

    The air falls behind the last one out, and the power goes idle as they
    switch off the TV; behind one of two they hold.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    put_in_the_living_room(hass, sign)

    await setup_brain(hass)
    await set_living_room_mode(hass, "off")
    # Mostly one person at a time; now and then one of two stays behind.
    for number in range(90):
        await visit_telling(hass, freezer, sign, empty=True, stays=number % 30 == 0)
        await minutes_pass(hass, freezer, 2)
    await set_living_room_mode(hass, "auto")
    actions = async_capture_events(hass, EVENT_ACTION)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": LAMP}, blocking=True, context=Context()
    )
    # A minute after the door shut behind them:
    await visit_telling(hass, freezer, sign, empty=tells_empty)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    learned = coordinator_of(entry).predictions["living_room"].lighting["door_delay"]
    if tells_empty:
        # Nobody stayed behind such an exit: sooner than the 6 min that all
        # exits together would say, the three that left someone among them.
        assert learned is not None
        assert learned < timedelta(minutes=5)
        minutes = math.ceil(learned.total_seconds() / 60)
        learned_minutes = round(learned.total_seconds() / 60)
        await minutes_pass(hass, freezer, minutes - 2)
        assert hass.states.get(LAMP).state == STATE_ON
        await minutes_pass(hass, freezer, 1)
        assert hass.states.get(LAMP).state == STATE_OFF
        assert (
            actions[-1]
            .data["reason"]
            .endswith(f"no one has been seen since (after {learned_minutes} min)")
        )
        return
    # Behind air that held, or power still drawn, someone stayed every time:
    # the full wait.
    assert learned is None
    await minutes_pass(hass, freezer, 8)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_OFF
    assert (
        actions[-1].data["reason"].endswith("no one has been seen since (after 10 min)")
    )


@pytest.mark.parametrize("someone_stays", [False, True])
async def test_the_light_goes_off_after_the_door_once_the_air_falls_behind_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, someone_stays: bool
) -> None:
    """Half an hour's call in a small room: its air's rise is old news once it falls.

    The air's minutes-long average still says it rises as someone's breath
    makes it when the wait runs out. Where one of two stays on the phone,
    sitting still, the air goes on rising: only the long quiet ends the light.
    """
    freezer.move_to(START)
    actions = await lit_in_a_room_with_a_door(hass, air=800)
    for minute in range(1, 31):
        await minutes_pass(hass, freezer, 1)
        await breathe(hass, 800 + 25 * minute)
    await out_through_the_door(hass, freezer, open_for=5)
    # As an empty room's air falls, or as the one left behind breathes it up.
    if someone_stays:
        change, off_after = 12, 20
        why = "no motion since 14:30 (vacancy delay 20 min)"
    else:
        change, off_after = -12, 10
        why = "the door moved at 14:30 and no one has been seen since (after 10 min)"
    for minute in range(1, off_after):
        await minutes_pass(hass, freezer, 1)
        await breathe(hass, 1550 + change * minute)
        assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_OFF
    assert actions[-1].data["reason"] == f"Switching off Living room's light: {why}"


async def test_a_room_one_person_uses_learns_to_go_dark_sooner_after_the_door(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    await setup_brain(hass)
    await set_living_room_mode(hass, "off")
    # 120 visits: in through the door, a while inside (still for a minute), out
    # through the door. Nobody is ever left behind.
    for _ in range(120):
        await visit_through_the_door(hass, freezer)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    learned = coordinator_of(entry).predictions["living_room"].lighting["door_delay"]
    assert timedelta(minutes=3) <= learned < timedelta(minutes=8)
    await set_living_room_mode(hass, "auto")
    actions = async_capture_events(hass, EVENT_ACTION)

    # Someone comes in and switches the light on, and goes out again.
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, DOOR, STATE_ON)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": LAMP}, blocking=True, context=Context()
    )
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, DOOR, STATE_OFF)
    await minutes_pass(hass, freezer, 2)
    await out_through_the_door(hass, freezer)
    # This visit's coming in settled the last visit's exit: one more learned.
    learned = coordinator_of(entry).predictions["living_room"].lighting["door_delay"]
    await lamp_goes_off_after(hass, freezer, learned)
    assert (
        actions[-1]
        .data["reason"]
        .endswith(f"no one has been seen since (after {round(learned / MINUTE)} min)")
    )


async def lamp_goes_off_after(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, wait: timedelta
) -> None:
    """The lamp stays on for ``wait`` (to the next whole minute) and then goes off."""
    minutes = math.ceil(wait / MINUTE)
    await minutes_pass(hass, freezer, minutes - 1)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_OFF


HALL_MOTION = "binary_sensor.hall_motion"


async def trip_to_the_hall(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Someone alone at home is back in the living room, sits, moves, goes to the hall.

    Both motion sensors stay on 90 s after they last saw someone. Back from the
    hall, they are seen in the living room at once (the hall's sensor clears a
    minute later); seen once more after a still spell, they go to the hall and
    come back from it two minutes later.
    """
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 60)
    await set_state(hass, HALL_MOTION, STATE_OFF)
    await seconds_pass(hass, freezer, 30)
    await set_state(hass, MOTION, STATE_OFF)  # seen as they came back
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_ON)  # still a minute, then seen again
    await minutes_pass(hass, freezer, 3)
    await seconds_pass(hass, freezer, 10)  # last seen here; in the hall at once
    await set_state(hass, HALL_MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 80)
    await set_state(hass, MOTION, STATE_OFF)
    await seconds_pass(hass, freezer, 50)


async def taught_that_moving_on_leaves_the_living_room_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> timedelta:
    """A living room with a lamp and a hall, no door: 40 trips of one person alone.

    Returns the wait after people moved on that the living room learned, its
    mode back to auto.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    hall = ar.async_get(hass).async_create("Hall")
    place_sensor(hass, "binary_sensor", "hall_motion", "motion", hall.id)
    hass.states.async_set(HALL_MOTION, STATE_OFF)
    entry = await setup_brain(hass, zones=("living_room", "hall"))
    await set_living_room_mode(hass, "off")
    for _ in range(40):
        await trip_to_the_hall(hass, freezer)
    lighting = coordinator_of(entry).predictions["living_room"].lighting
    learned: timedelta | None = lighting["moved_on_delay"]
    assert learned is not None
    await set_living_room_mode(hass, "auto")
    return learned


async def test_the_light_goes_off_a_learned_while_after_someone_moves_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # No door contact: where someone is seen next tells that they left.
    learned = await taught_that_moving_on_leaves_the_living_room_empty(hass, freezer)
    assert timedelta(minutes=3) <= learned < timedelta(minutes=8)
    actions = async_capture_events(hass, EVENT_ACTION)

    # Back from the hall, the light switched on by hand, and off to the hall again.
    await set_state(hass, MOTION, STATE_ON)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": LAMP}, blocking=True, context=Context()
    )
    await seconds_pass(hass, freezer, 60)
    await set_state(hass, HALL_MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, HALL_MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 80)
    await set_state(hass, MOTION, STATE_OFF)
    # The wait counts from the sensor here clearing.
    await lamp_goes_off_after(hass, freezer, learned)
    reason = actions[-1].data["reason"]
    assert reason.startswith(
        "Switching off Living room's light: people moved on to another room at "
    )
    assert reason.endswith(
        f"no one has been seen here since (after {round(learned / MINUTE)} min)"
    )


async def test_a_lamp_switched_on_by_hand_after_someone_moved_on_stays_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    learned = await taught_that_moving_on_leaves_the_living_room_empty(hass, freezer)
    actions = async_capture_events(hass, EVENT_ACTION)

    # Someone comes in and sits down to read; the sensor clears.
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 60)
    await set_state(hass, HALL_MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    # A visitor crosses the hall.
    await set_state(hass, HALL_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    # The reader, still sitting, switches the lamp on by hand: someone is here.
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": LAMP}, blocking=True, context=Context()
    )
    await minutes_pass(hass, freezer, math.ceil(learned / timedelta(minutes=1)) + 2)
    reasons = [action.data["reason"] for action in actions]
    assert hass.states.get(LAMP).state == STATE_ON, reasons[-1:]


async def visit_seen_by_a_holding_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone comes in, sits, moves, goes out, as real sensors report it.

    The motion sensor stays on 90 s after it last saw someone; the door contact
    is open for seconds. The visitor sits down as they come in (seen once), moves
    again two minutes later and goes out; the sensor clears after the door closed.
    """
    await set_state(hass, DOOR, STATE_ON)
    await seconds_pass(hass, freezer, 3)
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 3)
    await set_state(hass, DOOR, STATE_OFF)
    await seconds_pass(hass, freezer, 87)
    await set_state(hass, MOTION, STATE_OFF)  # 90 s after it saw them come in
    await seconds_pass(hass, freezer, 30)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await seconds_pass(hass, freezer, 2)  # last seen, then out through the door
    await set_state(hass, DOOR, STATE_ON)
    await seconds_pass(hass, freezer, 4)
    await set_state(hass, DOOR, STATE_OFF)
    await seconds_pass(hass, freezer, 84)
    await set_state(hass, MOTION, STATE_OFF)


async def test_the_door_tells_people_left_though_the_motion_sensor_holds_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    entry = await setup_brain(hass)
    await set_living_room_mode(hass, "off")
    # Ten visits show the sensor's hold: its shortest "on", 90 s.
    for _ in range(10):
        await visit_seen_by_a_holding_sensor(hass, freezer)
        await minutes_pass(hass, freezer, 20)
    exits = coordinator_of(entry).brain.zone("living_room").lighting.exits
    assert exits.hold(MOTION) == 90.0
    await set_living_room_mode(hass, "auto")
    actions = async_capture_events(hass, EVENT_ACTION)

    # The next visitor switches the light on and goes out. The door closed
    # before the sensor cleared, yet the light goes off the door's 10 minutes
    # after it, not only after 20 minutes without motion.
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": LAMP}, blocking=True, context=Context()
    )
    await visit_seen_by_a_holding_sensor(hass, freezer)
    door_closed = hass.states.get(DOOR).last_changed
    await minutes_pass(hass, freezer, 8)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_OFF
    assert actions[-1].data["reason"] == (
        "Switching off Living room's light: the door moved at "
        f"{dt_util.as_local(door_closed):%H:%M} and no one has been seen since "
        "(after 10 min)"
    )


async def test_someone_who_came_in_through_the_door_keeps_the_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    await setup_brain(hass)
    await set_state(hass, DOOR, STATE_ON)  # in through the door, then seen inside
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, DOOR, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 15)
    assert hass.states.get(LAMP).state == STATE_ON


async def build_lamps_and_group(
    hass: HomeAssistant,
    members: list[str],
    hall_lamp: bool = False,
    outer_group: bool = False,
    corner: bool = False,
    *,
    kind: type[DemoLight] = DemoLight,
    reading_kind: type[DemoLight] | None = None,
) -> list[Event]:
    """Two living room lamps of ``kind`` (the reading lamp of ``reading_kind``
    where given; and a hall lamp), a light group of ``members`` (and a group of
    that group, or a group of the reading lamp alone) in the living room, and
    motion there; return our actions from now on."""
    lamps = [lamp("ceiling", kind), lamp("reading", reading_kind or kind)] + (
        [lamp("hall", kind)] if hall_lamp else []
    )
    setup_test_component_platform(hass, "light", lamps)
    groups = {"living_room_lights": members}
    if outer_group:
        groups["living_room_all"] = ["light.living_room_lights"]
    if corner:
        groups["reading_corner"] = ["light.reading"]
    platforms = [{"platform": "test"}] + [
        {"platform": "group", "name": key, "unique_id": key, "entities": entities}
        for key, entities in groups.items()
    ]
    assert await async_setup_component(hass, "light", {"light": platforms})
    await hass.async_block_till_done()
    await build_living_room(hass, climates=[])
    areas, entities = ar.async_get(hass), er.async_get(hass)
    living_room = areas.async_get_area_by_name("Living room")
    assert living_room is not None
    for entity_id in ["light.ceiling", "light.reading"] + [
        f"light.{key}" for key in groups
    ]:
        entities.async_update_entity(entity_id, area_id=living_room.id)
    if hall_lamp:
        hall = areas.async_create("Hall")
        entities.async_update_entity("light.hall", area_id=hall.id)
    return async_capture_events(hass, EVENT_ACTION)


def light_calls(actions: list[Event]) -> list[tuple[str, str]]:
    """The light calls we made, as (service, entity id)."""
    return [
        (action.data["action"], action.data["entity_id"])
        for action in actions
        if action.data["entity_id"].startswith("light.")
    ]


@pytest.mark.parametrize(
    ("outer_group", "called"),
    [(False, "light.living_room_lights"), (True, "light.living_room_all")],
)
async def test_a_light_group_is_called_once_and_a_lamp_changed_by_hand_holds_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    outer_group: bool,
    called: str,
) -> None:
    freezer.move_to(START)
    calls = await build_lamps_and_group(
        hass, ["light.ceiling", "light.reading"], outer_group=outer_group
    )
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)

    # One call for the room (to the outermost group), not one per lamp as well.
    assert light_calls(calls) == [("light.turn_on", called)]
    assert hass.states.get("light.reading").state == STATE_ON

    # Someone switches the reading lamp off: the group is held, not called again.
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": "light.reading"}, blocking=True
    )
    await minutes_pass(hass, freezer, 30)
    reasons = hass.states.get(CONTROL).attributes["reasons"]
    assert list(reasons) == [called]
    assert reasons[called].startswith(
        "Holding the light in Living room: changed by hand"
    )
    assert hass.states.get("light.reading").state == STATE_OFF
    assert len(light_calls(calls)) == 1


async def test_a_lamp_in_two_groups_of_the_area_is_called_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A reading corner's group (or a Hue zone) within the room's: the room's is called."""
    freezer.move_to(START)
    calls = await build_lamps_and_group(
        hass, ["light.ceiling", "light.reading"], corner=True
    )
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 40)

    assert hass.states.get("light.reading").state == STATE_OFF
    assert light_calls(calls) == [
        ("light.turn_on", "light.living_room_lights"),
        ("light.turn_off", "light.living_room_lights"),
    ]


async def test_a_light_group_leaves_the_colour_to_adaptive_lighting_of_a_lamp(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    calls = await build_lamps_and_group(hass, ["light.ceiling", "light.reading"])
    switch = er.async_get(hass).async_get_or_create(
        "switch", "adaptive_lighting", "living", suggested_object_id="al_living"
    )
    hass.states.async_set(
        switch.entity_id, STATE_ON, {"configured_lights": ["light.reading"]}
    )
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)

    assert light_calls(calls) == [("light.turn_on", "light.living_room_lights")]
    assert calls[0].data["data"] == {"brightness_pct": 80}  # no colour of ours


async def test_a_light_group_reaching_beyond_the_zone_is_left_to_its_lamps(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    calls = await build_lamps_and_group(
        hass, ["light.ceiling", "light.hall"], hall_lamp=True
    )
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)

    # The hall lamp is not the living room's to switch on.
    assert sorted(light_calls(calls)) == [
        ("light.turn_on", "light.ceiling"),
        ("light.turn_on", "light.reading"),
    ]
    assert hass.states.get("light.hall").state == STATE_OFF


class ThermostatOverValves(DemoClimate):
    """Like Versatile Thermostat over climates: it drives the valves it lists."""

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        return {"underlying_entities": ["climate.living_room_valve", "switch.pump"]}


async def test_a_thermostat_over_valves_is_called_and_its_valves_left_to_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    valve = thermostat("living_room_valve", [HVACMode.HEAT, HVACMode.OFF])
    wrapper = thermostat(
        "living_room", [HVACMode.HEAT, HVACMode.OFF], kind=ThermostatOverValves
    )
    await build_living_room(hass, climates=[wrapper, valve])
    actions = async_capture_events(hass, EVENT_ACTION)
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)

    # Only the thermostat over the valve is called ...
    assert [action.data["entity_id"] for action in actions] == [THERMOSTAT]
    # ... and its own work on the valve is neither held nor taken for a person's.
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.living_room_valve", "temperature": 24.0},
        blocking=True,
    )
    await minutes_pass(hass, freezer, 5)
    assert holds == []
    reasons = hass.states.get(CONTROL).attributes["reasons"]
    assert list(reasons) == [THERMOSTAT]
    assert not reasons[THERMOSTAT].startswith("Holding")
    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert float(comfort.state) == 20.0  # the valve's 24 °C taught nothing


class UnreachableLamp(DemoLight):
    """A lamp whose radio link is down (every command fails) until it is back."""

    reachable = False

    async def async_turn_on(self, **kwargs: Any) -> None:
        if not self.reachable:
            raise HomeAssistantError("the lamp does not answer")
        await super().async_turn_on(**kwargs)


async def someone_comes_in_by_a_failing_lamp(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, kind: type[DemoLight]
) -> tuple[DemoLight, list[Event]]:
    """The living room's only device is a lamp of ``kind``; return it and actions."""
    freezer.move_to(START)
    broken = kind(unique_id="living_room", device_name="lamp", state=False)
    broken.entity_id = LAMP
    await build_living_room(hass, climates=[], lights=[broken])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    return broken, actions


async def test_a_failed_call_is_logged_and_not_reported_as_done(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken, actions = await someone_comes_in_by_a_failing_lamp(
        hass, freezer, UnreachableLamp
    )
    assert isinstance(broken, UnreachableLamp)

    assert hass.states.get(LAMP).state == STATE_OFF
    assert actions == []
    refused = "Could not call light.turn_on for light.living_room"
    assert refused in caplog.text
    assert "the lamp does not answer" in caplog.text
    last_action = hass.states.get(CONTROL).attributes["last_action"]
    assert last_action.startswith("Failed: Switching on Living room's light")
    assert last_action.endswith("(light.living_room refused: the lamp does not answer)")

    # It is tried again at the next arrival, and warned about only once.
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    warnings = [
        record
        for record in caplog.records
        if record.levelname == "WARNING" and refused in record.getMessage()
    ]
    assert len(warnings) == 1
    assert caplog.text.count(refused) >= 2
    # A repair issue says so, in words, until a call gets through.
    issue_id = "call_refused_light.living_room"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "entity": "living room",  # its friendly name
        "zone": "Living room",
        "error": "the lamp does not answer",
    }

    # Back in reach: the next call gets through, and the issue goes.
    broken.reachable = True
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 180)  # long enough to be sure it is empty
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_ON
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


class OnceDeafLamp(DemoLight):
    """A Zigbee lamp whose first command is lost (its radio busy): refused once."""

    refused = 0

    async def async_turn_on(self, **kwargs: Any) -> None:
        if not self.refused:
            self.refused += 1
            raise HomeAssistantError("no answer from the lamp")
        await super().async_turn_on(**kwargs)


async def test_a_lamp_that_refused_once_is_tried_again_while_someone_is_there(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone walks into the dark and stays, moving about: the lamp's first call
    is lost. They are not left in the dark until they leave and come back."""
    deaf, actions = await someone_comes_in_by_a_failing_lamp(
        hass, freezer, OnceDeafLamp
    )
    assert isinstance(deaf, OnceDeafLamp)
    assert deaf.refused == 1
    assert hass.states.get(LAMP).state == STATE_OFF

    await seconds_pass(hass, freezer, 30)
    await set_state(hass, MOTION, STATE_OFF)
    await seconds_pass(hass, freezer, 30)
    await set_state(hass, MOTION, STATE_ON)  # still there, moving

    assert hass.states.get(LAMP).state == STATE_ON
    assert [event.data["action"] for event in actions] == ["light.turn_on"]
    # Lit, it is not switched on again at the next movement.
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    await seconds_pass(hass, freezer, 30)
    await set_state(hass, MOTION, STATE_ON)
    assert len(actions) == 1


async def _living_room_whose_lamp_refused(hass: HomeAssistant) -> MockConfigEntry:
    """Set up a living room whose lamp does not answer, its repair issue raised."""
    broken = UnreachableLamp(unique_id="living_room", device_name="lamp", state=False)
    broken.entity_id = LAMP
    await build_living_room(hass, climates=[], lights=[broken])
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert ir.async_get(hass).async_get_issue(DOMAIN, "call_refused_light.living_room")
    return entry


async def test_a_refused_call_issue_goes_with_the_integration(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    entry = await _living_room_whose_lamp_refused(hass)

    await hass.config_entries.async_set_disabled_by(
        entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()

    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "call_refused_light.living_room") is None


async def test_a_refused_call_issue_goes_when_the_lamp_leaves_the_area(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await _living_room_whose_lamp_refused(hass)

    er.async_get(hass).async_update_entity(LAMP, area_id=None)
    await minutes_pass(hass, freezer, 1)

    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "call_refused_light.living_room") is None


async def test_a_refused_call_issue_follows_its_lamp_renamed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await _living_room_whose_lamp_refused(hass)
    renamed = "light.living_room_lamp"

    er.async_get(hass).async_update_entity(LAMP, new_entity_id=renamed)
    await minutes_pass(hass, freezer, 1)

    # Still refusing, under the id it has now: none is left for a lamp gone.
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "call_refused_light.living_room") is None
    issue = issues.async_get_issue(DOMAIN, f"call_refused_{renamed}")
    assert issue is not None
    assert issue.translation_placeholders == {
        "entity": "living room lamp",  # its name now
        "zone": "Living room",
        "error": "the lamp does not answer",
    }
    # Deleted, it refuses nothing any more.
    er.async_get(hass).async_remove(renamed)
    await minutes_pass(hass, freezer, 1)
    assert not issues.issues


async def test_a_refused_call_issue_names_its_area_as_renamed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await _living_room_whose_lamp_refused(hass)

    ar.async_get(hass).async_update("living_room", name="Lounge")
    await minutes_pass(hass, freezer, 1)

    issue = ir.async_get(hass).async_get_issue(DOMAIN, "call_refused_light.living_room")
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["zone"] == "Lounge"


class TimingOutLamp(DemoLight):
    """A lamp behind a cloud whose request times out."""

    async def async_turn_on(self, **kwargs: Any) -> None:
        raise TimeoutError


async def test_a_call_that_times_out_is_reported_as_refused(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Not only Home Assistant's own errors: any failure is the device refusing."""
    _, actions = await someone_comes_in_by_a_failing_lamp(hass, freezer, TimingOutLamp)

    assert actions == []
    last_action = hass.states.get(CONTROL).attributes["last_action"]
    assert last_action.startswith("Failed: Switching on Living room's light")
    assert last_action.endswith("(light.living_room refused: TimeoutError)")
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "call_refused_light.living_room")
    assert issue is not None
    assert issue.translation_placeholders["error"] == "TimeoutError"


class SlowLamp(DemoLight):
    """A lamp whose answer, a refusal, comes only once it is let go."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.answer = asyncio.Event()

    async def async_turn_on(self, **kwargs: Any) -> None:
        await self.answer.wait()
        raise HomeAssistantError("the lamp does not answer")


async def test_a_call_refused_after_the_integration_unloaded_raises_no_issue(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Disabled while a call was on its way: nothing is left to repair."""
    freezer.move_to(START)
    slow = SlowLamp(unique_id="living_room", device_name="lamp", state=False)
    slow.entity_id = LAMP
    await build_living_room(hass, climates=[], lights=[slow])
    entry = await setup_brain(hass)
    hass.states.async_set(MOTION, STATE_ON)  # the call goes out, and waits
    # Another device's issue, which the unload removes: then it has done so.
    ir.async_create_issue(
        hass,
        DOMAIN,
        "call_refused_light.hall",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="call_refused",
    )
    removed = asyncio.Event()

    @callback
    def issue_updated(event: Event[ir.EventIssueRegistryUpdatedData]) -> None:
        if event.data["issue_id"] == "call_refused_light.hall":
            removed.set()

    hass.bus.async_listen(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED, issue_updated)

    disabling = hass.async_create_task(
        hass.config_entries.async_set_disabled_by(
            entry.entry_id, ConfigEntryDisabler.USER
        )
    )
    await removed.wait()
    slow.answer.set()
    assert await disabling
    await hass.async_block_till_done()

    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "call_refused_light.living_room") is None


@pytest.mark.parametrize(
    ("call", "status"),
    [
        (
            (
                "switch",
                "turn_off",
                {"entity_id": "switch.living_room_aiot_brain_control"},
            ),
            "observing",
        ),
        (
            (
                "select",
                "select_option",
                {"entity_id": "select.living_room_aiot_brain_mode", "option": "off"},
            ),
            "off",
        ),
    ],
)
async def test_a_refused_call_issue_goes_when_control_is_switched_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    call: tuple[str, str, dict[str, str]],
    status: str,
) -> None:
    """The issue offers switching off control (or the area): doing so settles it."""
    freezer.move_to(START)
    await _living_room_whose_lamp_refused(hass)

    await hass.services.async_call(*call, blocking=True)
    await minutes_pass(hass, freezer, 1)

    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "call_refused_light.living_room") is None
    assert hass.states.get(CONTROL).state == status


class LateThermostat(DemoClimate):
    """A thermostat that answers a call only after ``meanwhile`` has happened."""

    meanwhile: Callable[[], Awaitable[None]] | None = None
    refuse = False

    async def async_set_temperature(self, **kwargs: Any) -> None:
        if self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            await meanwhile()
        if self.refuse:
            raise HomeAssistantError("the thermostat does not answer")
        await super().async_set_temperature(**kwargs)


async def delete_the_living_room_while_it_answers(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, refuse: bool = False
) -> MockConfigEntry:
    """Someone comes in; the living room is deleted before its thermostat answers."""
    freezer.move_to(START)
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], kind=LateThermostat)
    room.refuse = refuse
    await build_living_room(hass, [room])
    entry = await setup_brain(hass)
    coordinator = coordinator_of(entry)

    async def delete_the_area() -> None:
        ar.async_get(hass).async_delete("living_room")
        # The registries tell of it, then the rediscovery waits its cool-down.
        for _ in range(100):
            await asyncio.sleep(0)
            if "living_room" not in coordinator.zones:
                return
            freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN / 10))
            async_fire_time_changed(hass)
        raise AssertionError("the living room was not forgotten")

    room.meanwhile = delete_the_area
    await set_state(hass, MOTION, STATE_ON)
    assert "living_room" not in coordinator.zones
    return entry


async def test_a_call_answered_after_its_area_was_deleted_names_the_area(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    actions = async_capture_events(hass, EVENT_ACTION)

    await delete_the_living_room_while_it_answers(hass, freezer)

    assert target(hass) == 20.0
    assert len(actions) == 1
    assert actions[0].data["zone_id"] == "living_room"
    assert actions[0].data["zone"] == "Living room"


async def test_a_call_refused_after_its_area_was_deleted_raises_no_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing calls the thermostat any more: the issue would stay for ever."""
    await delete_the_living_room_while_it_answers(hass, freezer, refuse=True)

    assert "Could not call climate.set_temperature" in caplog.text
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, f"call_refused_{THERMOSTAT}") is None


async def _living_room_lamp_coloured_by_adaptive_lighting(hass: HomeAssistant) -> None:
    """The living room with its lamp only, which Adaptive Lighting manages."""
    await build_living_room(hass, climates=[], lights=[lamp()])
    switch = er.async_get(hass).async_get_or_create(
        "switch",
        "adaptive_lighting",
        "living",
        suggested_object_id="adaptive_lighting_living",
    )
    hass.states.async_set(switch.entity_id, STATE_ON, {"configured_lights": [LAMP]})


async def test_adaptive_lighting_keeps_the_colour(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await _living_room_lamp_coloured_by_adaptive_lighting(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)

    assert hass.states.get(LAMP).state == STATE_ON
    assert actions[-1].data["data"] == {"brightness_pct": 80}


class CloudLamp(DemoLight):
    """A lamp whose cloud carries a call out, and reports it back, some time later."""

    asked: dict[str, Any]

    async def async_turn_on(self, **kwargs: Any) -> None:
        self.asked = kwargs

    async def async_report(self) -> None:
        """The cloud reports the lamp as asked, in a context of its own."""
        await DemoLight.async_turn_on(self, **self.asked)
        await self.hass.async_block_till_done()


async def test_a_colour_lamp_reporting_our_call_late_is_not_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    colour_lamp = CloudLamp(
        unique_id="living_room",
        device_name="living_room",
        state=False,
        hs_color=(30, 50),
        supported_color_modes={ColorMode.HS},
    )
    colour_lamp.entity_id = LAMP
    await build_living_room(hass, climates=[], lights=[colour_lamp])
    holds = async_capture_events(hass, EVENT_HOLD)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert "color_temp_kelvin" in actions[-1].data["data"]
    # The lamp has no colour-temperature mode: it is sent that white as a colour.
    assert "hs_color" in colour_lamp.asked

    await seconds_pass(hass, freezer, 20)
    await colour_lamp.async_report()

    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    assert light.attributes["color_mode"] == ColorMode.HS
    assert holds == []
    assert hass.states.get(CONTROL).attributes["held_until"] == {}


# The whites' colours, on the line of whites (the Planckian locus), CIE xy.
WHITES_XY = {2700: (0.4599, 0.4106), 3000: (0.4369, 0.4041), 4000: (0.3804, 0.3767)}
RED_XY = (0.7, 0.3)


class WhiteAsColourLamp(DemoLight):
    """A lamp that takes a white and reports it back as its colour (some do)."""

    async def async_report_as_colour(
        self, xy: tuple[float, float] | None = None
    ) -> None:
        """Its bridge reports its colour (the white it shows), in a context of its own."""
        self._attr_color_mode = ColorMode.XY
        self._attr_xy_color = xy or WHITES_XY[self._attr_color_temp_kelvin]
        self.async_write_ha_state()
        await self.hass.async_block_till_done()


@pytest.mark.parametrize(("reported", "held"), [(None, False), (RED_XY, True)])
async def test_a_lamp_reporting_our_white_as_a_colour_is_not_held(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    reported: tuple[float, float] | None,
    held: bool,
) -> None:
    """Reported red instead (a remote turned it red at once), it is a person's."""
    freezer.move_to(START)
    white_lamp = WhiteAsColourLamp(
        unique_id="living_room",
        device_name="living_room",
        state=False,
        supported_color_modes={ColorMode.COLOR_TEMP, ColorMode.XY},
    )
    white_lamp.entity_id = LAMP
    await build_living_room(hass, climates=[], lights=[white_lamp])
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).attributes["color_temp_kelvin"] in WHITES_XY

    await seconds_pass(hass, freezer, 20)
    await white_lamp.async_report_as_colour(reported)

    light = hass.states.get(LAMP)
    assert light.attributes["color_mode"] == ColorMode.XY
    assert light.attributes["color_temp_kelvin"] is None
    assert len(holds) == held
    assert bool(hass.states.get(CONTROL).attributes["held_until"]) is held


async def test_a_lamp_turned_to_a_colour_just_after_our_call_is_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    white_and_colour = lamp()
    await build_living_room(hass, climates=[], lights=[white_and_colour])
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    shown = hass.states.get(LAMP).attributes
    assert shown["color_mode"] == ColorMode.COLOR_TEMP

    # A remote turns it red at the same brightness, within the echo window.
    await seconds_pass(hass, freezer, 20)
    await white_and_colour.async_turn_on(hs_color=(0, 100))
    await hass.async_block_till_done()

    assert hass.states.get(LAMP).attributes["brightness"] == shown["brightness"]
    assert len(holds) == 1


async def test_a_light_switched_by_hand_is_left_alone_until_the_room_empties(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)

    await switch_lamp_by_hand(hass, hass_admin_user, "turn_off")
    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, MOTION, STATE_ON)  # a new arrival would turn it on
    await minutes_pass(hass, freezer, 2)

    assert hass.states.get(LAMP).state == STATE_OFF
    assert len(holds) == 1
    assert holds[0].data["reason"].startswith("Holding the light in Living room")


async def test_holds_and_recent_calls_survive_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await hass.services.async_call(
        DOMAIN,
        "hold",
        {"area_id": "living_room", "duration": "03:00:00"},
        blocking=True,
    )
    held_until = hass.states.get(CONTROL).attributes["held_until"]
    assert list(held_until) == [THERMOSTAT]

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # Shown held from the start, not only from the area's first step.
    control = hass.states.get(CONTROL)
    assert control.state == "holding"
    assert control.attributes["held_until"] == held_until
    await minutes_pass(hass, freezer, 1)

    control = hass.states.get(CONTROL)
    assert control.attributes["held_until"] == held_until
    engine = coordinator_of(entry).control.engines["living_room"][THERMOSTAT]
    assert len(engine.calls[THERMOSTAT]) == 1  # the rate limit remembers


async def turned_up_by_hand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, user: MockUser
) -> MockConfigEntry:
    """Someone in the living room turns it up to 22.5 °C, held 10 hours."""
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass, hold_minutes=600)
    await set_state(hass, MOTION, STATE_ON)
    await set_by_hand(hass, user, 22.5)
    await minutes_pass(hass, freezer, 1)
    return entry


async def test_a_renamed_thermostat_keeps_its_hold_and_its_rate_limit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    entry = await turned_up_by_hand(hass, freezer, hass_admin_user)
    held_until = hass.states.get(CONTROL).attributes["held_until"][THERMOSTAT]

    renamed = "climate.living_room_radiator"
    er.async_get(hass).async_update_entity(THERMOSTAT, new_entity_id=renamed)
    await minutes_pass(hass, freezer, 30)

    # Still the person's 22.5 °C, held as long as before under the new id.
    assert target(hass, renamed) == 22.5
    assert hass.states.get(CONTROL).attributes["held_until"] == {renamed: held_until}
    engine = coordinator_of(entry).control.engines["living_room"][renamed]
    assert len(engine.calls[renamed]) == 1  # our call before the person's


async def test_a_thermostat_renamed_while_the_entry_is_unloaded_keeps_its_hold(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Renamed while AIoT Brain is disabled or reloading, it is the same device."""
    entry = await turned_up_by_hand(hass, freezer, hass_admin_user)
    held_until = hass.states.get(CONTROL).attributes["held_until"][THERMOSTAT]
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    renamed = "climate.living_room_radiator"
    er.async_get(hass).async_update_entity(THERMOSTAT, new_entity_id=renamed)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 30)

    assert target(hass, renamed) == 22.5
    assert hass.states.get(CONTROL).attributes["held_until"] == {renamed: held_until}
    engine = coordinator_of(entry).control.engines["living_room"][renamed]
    assert len(engine.calls[renamed]) == 1  # our call before the person's


def on_a_device(hass: HomeAssistant, entity_id: str, area_id: str) -> str:
    """Put ``entity_id`` on a device of its own in ``area_id``; return the device id.

    The entity has no area of its own: it is where its device is.
    """
    source = MockConfigEntry(domain="test")
    source.add_to_hass(hass)
    devices = dr.async_get(hass)
    device = devices.async_get_or_create(
        config_entry_id=source.entry_id, identifiers={("test", entity_id)}
    )
    devices.async_update_device(device.id, area_id=area_id)
    er.async_get(hass).async_update_entity(entity_id, device_id=device.id, area_id=None)
    return device.id


@pytest.mark.parametrize("while_down", [False, True])
async def test_a_thermostat_moved_to_another_area_keeps_its_hold_and_rate_limit(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    while_down: bool,
) -> None:
    """A building manager moves the device to the open-plan area it hangs in."""
    freezer.move_to(START)
    await build_living_room(hass)
    device_id = on_a_device(hass, THERMOSTAT, "living_room")
    study = ar.async_get(hass).async_create("Study")
    motion = er.async_get(hass).async_get_or_create(
        "binary_sensor", "test", "study_motion", original_device_class="motion"
    )
    er.async_get(hass).async_update_entity(motion.entity_id, area_id=study.id)
    entry = await setup_brain(hass, hold_minutes=600, zones=("living_room", "study"))
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, motion.entity_id, STATE_ON)
    await set_by_hand(hass, hass_admin_user, 22.5)
    await minutes_pass(hass, freezer, 1)
    held_until = hass.states.get(CONTROL).attributes["held_until"][THERMOSTAT]

    if while_down:
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    dr.async_get(hass).async_update_device(device_id, area_id=study.id)
    if while_down:
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 30)

    # Still the person's 22.5 °C, held as long as before, now in the study.
    assert target(hass) == 22.5
    study_control = hass.states.get("sensor.study_aiot_brain_control")
    assert study_control.attributes["held_until"] == {THERMOSTAT: held_until}
    assert (
        "in Study: changed by hand" in study_control.attributes["reasons"][THERMOSTAT]
    )
    assert hass.states.get(CONTROL).attributes["held_until"] == {}
    engine = coordinator_of(entry).control.engines["study"][THERMOSTAT]
    assert len(engine.calls[THERMOSTAT]) == 1  # our call before the person's


@pytest.mark.parametrize("leaves", ["area_cleared", "disabled"])
async def test_a_hold_resumed_after_a_restart_stays_ended_when_its_thermostat_returns(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    leaves: str,
) -> None:
    """What was saved at the start is the thermostat's then, not whenever it returns.

    The thermostat leaves the area (its area cleared by mistake, or disabled) and
    comes back: the person's hold, ended since, must not be back with it.
    """
    entry = await turned_up_by_hand(hass, freezer, hass_admin_user)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert list(hass.states.get(CONTROL).attributes["held_until"]) == [THERMOSTAT]
    await hass.services.async_call(
        DOMAIN, "resume", {"area_id": "living_room"}, blocking=True
    )
    await minutes_pass(hass, freezer, 6)
    assert hass.states.get(CONTROL).attributes["held_until"] == {}

    registry = er.async_get(hass)
    away: dict[str, Any] = (
        {"area_id": None}
        if leaves == "area_cleared"
        else {"disabled_by": er.RegistryEntryDisabler.USER}
    )
    back: dict[str, Any] = (
        {"area_id": "living_room"}
        if leaves == "area_cleared"
        else {"disabled_by": None}
    )
    registry.async_update_entity(THERMOSTAT, **away)
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    await minutes_pass(hass, freezer, 1)
    registry.async_update_entity(THERMOSTAT, **back)
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    await minutes_pass(hass, freezer, 1)

    assert hass.states.get(CONTROL).attributes["held_until"] == {}


async def test_a_hold_is_said_in_the_areas_new_name(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    await turned_up_by_hand(hass, freezer, hass_admin_user)

    ar.async_get(hass).async_update("living_room", name="Lounge")
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    await minutes_pass(hass, freezer, 1)

    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith("Holding the thermostat in Lounge: changed by hand")


async def test_a_persons_hold_survives_a_reload_while_they_sit_still(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Turned up by hand, then reading still: an option changed keeps their 22.5."""
    entry = await turned_up_by_hand(hass, freezer, hass_admin_user)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 2)
    held_until = hass.states.get(CONTROL).attributes["held_until"]
    assert list(held_until) == [THERMOSTAT]

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 5)

    assert target(hass) == 22.5
    assert hass.states.get(CONTROL).attributes["held_until"] == held_until


async def test_resume_right_after_a_restart_ends_a_saved_hold(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass)
    await hass.services.async_call(
        DOMAIN, "hold", {"area_id": "living_room"}, blocking=True
    )
    # The Control sensor switched off: nothing shows the holds at start.
    er.async_get(hass).async_update_entity(
        CONTROL, disabled_by=er.RegistryEntryDisabler.USER
    )
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    await hass.services.async_call(DOMAIN, "resume", {}, blocking=True)

    assert coordinator_of(entry).control.holds("living_room") == {}


async def test_a_light_switched_on_by_hand_stays_on_before_motion_is_seen(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 30)  # nobody seen for long

    # The wall switch's change comes before the motion sensor's.
    await switch_lamp_by_hand(hass, hass_admin_user, "turn_on")
    await minutes_pass(hass, freezer, 5)

    assert hass.states.get(LAMP).state == STATE_ON


async def test_a_motion_sensor_coming_back_is_no_one_arriving(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A sensor that starts up or rejoins shows "off" from now: nobody moved."""
    freezer.move_to(START)
    await build_living_room(hass, lights=[lamp()])
    hass.states.async_set(MOTION, STATE_UNAVAILABLE)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 10)
    assert hass.states.get(LAMP).state == STATE_OFF
    # While nothing sees people there, it cannot tell the room is empty.
    assert target(hass) == 20.0

    await set_state(hass, MOTION, STATE_OFF)  # back, as after a restart
    assert hass.states.get(LAMP).state == STATE_OFF
    await minutes_pass(hass, freezer, 10)

    assert hass.states.get(LAMP).state == STATE_OFF
    assert target(hass) == 16.0  # seen empty: set back
    reasons = [event.data["reason"] for event in actions]
    assert not [reason for reason in reasons if "arrived" in reason]
    assert not [reason for reason in reasons if "occupied" in reason]

    # Someone who comes in afterwards is seen as ever.
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    assert target(hass) == 20.0


async def test_a_light_left_on_over_a_restart_still_goes_off_in_an_empty_room(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """When motion was last seen is not known: the vacancy delay runs from the start."""
    freezer.move_to(START)
    light = DemoLight(unique_id="living_room", device_name="living_room", state=True)
    light.entity_id = LAMP  # left on, in an empty room
    await build_living_room(hass, climates=[], lights=[light])
    assert hass.states.get(LAMP).state == STATE_ON
    await set_state(hass, MOTION, STATE_OFF)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 5)
    assert hass.states.get(LAMP).state == STATE_ON  # within the vacancy delay

    await minutes_pass(hass, freezer, 55)

    assert hass.states.get(LAMP).state == STATE_OFF
    assert "no motion since 14:00" in actions[-1].data["reason"]


async def test_someone_coming_home_at_night_to_a_room_empty_all_evening_gets_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Nobody was there to fall asleep: whoever comes in in the dark arrives."""
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 9 * 60)  # 23:00, empty since 14:00
    assert hass.states.get(LAMP).state == STATE_OFF

    await set_state(hass, MOTION, STATE_ON)

    assert hass.states.get(LAMP).state == STATE_ON
    assert actions[-1].data["reason"].endswith("someone arrived and it is dark")


async def test_a_light_group_whose_lamps_are_hidden_is_switched(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The group helper's "Hide members" hides the lamps; the group still lights."""
    freezer.move_to(START)
    calls = await build_lamps_and_group(hass, ["light.ceiling", "light.reading"])
    entities = er.async_get(hass)
    for lamp_id in ["light.ceiling", "light.reading"]:
        entities.async_update_entity(
            lamp_id, hidden_by=er.RegistryEntryHider.INTEGRATION
        )
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)

    assert light_calls(calls) == [("light.turn_on", "light.living_room_lights")]
    assert hass.states.get("light.reading").state == STATE_ON


@pytest.mark.parametrize("dead_motion_sensor", [False, True])
async def test_a_lamp_switched_on_by_hand_where_no_motion_sensor_sees_stays_on(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    dead_motion_sensor: bool,
) -> None:
    """Nothing there sees people leave: a lamp someone switched on is theirs."""
    freezer.move_to(START)
    setup_test_component_platform(hass, "light", [lamp()])
    assert await async_setup_component(hass, "light", {"light": {"platform": "test"}})
    await hass.async_block_till_done()
    area = ar.async_get(hass).async_create("Living room")
    entities = er.async_get(hass)
    entities.async_update_entity(LAMP, area_id=area.id)
    thermometer = entities.async_get_or_create(
        "sensor",
        "test",
        "living_room_temperature",
        suggested_object_id="living_room_temperature",
        original_device_class="temperature",
        unit_of_measurement="°C",
    )
    entities.async_update_entity(thermometer.entity_id, area_id=area.id)
    hass.states.async_set(
        thermometer.entity_id,
        "21.0",
        {"device_class": "temperature", "unit_of_measurement": "°C"},
    )
    if dead_motion_sensor:  # its battery ran out
        motion = entities.async_get_or_create(
            "binary_sensor",
            "test",
            "living_room_motion",
            suggested_object_id="living_room_motion",
            original_device_class="motion",
        )
        entities.async_update_entity(motion.entity_id, area_id=area.id)
        hass.states.async_set(motion.entity_id, STATE_UNAVAILABLE)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 5)

    await switch_lamp_by_hand(hass, hass_admin_user, "turn_on")
    await minutes_pass(hass, freezer, 90)

    assert [event.data["reason"] for event in calls_to(actions, LAMP)] == []
    assert hass.states.get(LAMP).state == STATE_ON


async def test_adaptive_lighting_adapting_a_lamp_is_no_persons_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Its adaptations every minute or two, and its sleep mode, are nobody's hand."""
    freezer.move_to(START)
    await _living_room_lamp_coloured_by_adaptive_lighting(hass)
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    learned = coordinator_of(entry).predictions["living_room"].lighting["brightness"]

    # Adaptive Lighting adapts the lamp in a context of its own, as it names them.
    for minute, (brightness, kelvin) in enumerate([(60, 3500), (1, 2200)]):
        await minutes_pass(hass, freezer, 3)
        await hass.services.async_call(
            "light",
            "turn_on",
            {
                "entity_id": LAMP,
                "brightness_pct": brightness,
                "color_temp_kelvin": kelvin,
            },
            blocking=True,
            context=Context(id=f"01JB{minute:06d}:al:Xb3k:ntrvl:00000"),
        )
        await minutes_pass(hass, freezer, 1)

    assert holds == []
    assert hass.states.get(CONTROL).state == "controlling"
    lighting = coordinator_of(entry).predictions["living_room"].lighting
    assert lighting["brightness"] == learned


async def test_turned_down_under_a_comfort_offset_teaches_a_cooler_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """The thermostat gets the offset on top of the comfort: a person's setpoint
    teaches the comfort without it, or each change would add the offset again."""
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass, hold_minutes=30)
    await set_state(hass, MOTION, STATE_ON)
    await set_comfort_offset(hass, 3.0)
    await minutes_pass(hass, freezer, 5)
    assert target(hass) == 23.0  # the 20 °C comfort and 3 K on top

    # A little too warm: turned down to 22 °C, 2 K above the learned comfort.
    await set_by_hand(hass, hass_admin_user, 22.0)
    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 45)  # the hold is over

    setpoint = float(
        hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint").state
    )
    assert setpoint < 20.0
    assert target(hass) < 23.0


async def test_a_thermostat_gone_unavailable_is_not_said_to_be_heating(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 20.0

    # Its radio link is lost: nothing heats that anyone can tell.
    await set_state(hass, THERMOSTAT, STATE_UNAVAILABLE)
    await minutes_pass(hass, freezer, 2)

    reason = "Leaving Living room's thermostat alone: it is unavailable"
    assert hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT] == reason
    explained = await hass.services.async_call(
        DOMAIN,
        "explain",
        {"area_id": "living_room"},
        blocking=True,
        return_response=True,
    )
    assert explained is not None
    assert explained["zones"]["living_room"]["decisions"][THERMOSTAT] == reason
    assert len(calls_to(actions, THERMOSTAT)) == 1


async def test_a_sleeper_turning_over_is_kept_at_the_sleep_temperature_all_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START + timedelta(hours=8))  # 22:00
    await build_living_room(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 38)

    # In bed since 22:02, turning over every 40 minutes until the morning.
    targets = set()
    for _ in range(12):
        await set_state(hass, MOTION, STATE_ON)
        await minutes_pass(hass, freezer, 1)
        await set_state(hass, MOTION, STATE_OFF)
        for _ in range(39):
            await minutes_pass(hass, freezer, 1)
            targets.add(target(hass))

    assert targets == {18.5}
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.endswith("quiet and dark at night: sleep temperature")
    # Warmed for the evening, set back once the room went still, then asleep.
    assert [event.data["data"]["temperature"] for event in actions] == [
        20.0,
        16.0,
        18.5,
    ]


@pytest.mark.parametrize("door", ["stays shut", "opens first", "reports after"])
async def test_a_child_turning_over_as_the_parents_go_to_bed_gets_no_light(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    door: str,
) -> None:
    """The child plays in their room from 19:00 and switches the lamp off for
    bed at 22:00, the door shut. At 23:00 the parents cross the hall to bed,
    and a moment later the child turns over. The door stayed shut: nobody came
    in, and no lamp goes on over the child. Had it opened, someone came in, and
    the lamp goes on for them, whichever sensor reported first."""
    freezer.move_to(START + timedelta(hours=5))  # 19:00
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    hall = ar.async_get(hass).async_create("Hall")
    hall_motion = place_sensor(hass, "binary_sensor", "hall_motion", "motion", hall.id)
    hass.states.async_set(hall_motion, STATE_OFF)
    await setup_brain(hass, zones=("hall", "living_room"), hold_minutes=30)
    await set_state(hass, DOOR, STATE_ON)
    await set_state(hass, DOOR, STATE_OFF)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 180)
    assert hass.states.get(LAMP).state == STATE_ON
    await switch_lamp_by_hand(hass, hass_admin_user, "turn_off")
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)

    await set_state(hass, hall_motion, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    if door == "opens first":
        await set_state(hass, DOOR, STATE_ON)
    await set_state(hass, MOTION, STATE_ON)
    if door == "reports after":
        assert hass.states.get(LAMP).state == STATE_OFF  # a sleeper, as yet
        await set_state(hass, DOOR, STATE_ON)
    await set_state(hass, DOOR, STATE_OFF)
    await minutes_pass(hass, freezer, 1)

    came_in = door != "stays shut"
    assert (hass.states.get(LAMP).state == STATE_ON) is came_in
    reason = hass.states.get(CONTROL).attributes["reasons"][LAMP]
    assert reason.endswith("occupied" if came_in else "no one arriving")


async def test_the_bedroom_turned_up_at_bedtime_stays_so_while_people_lie_still(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START + timedelta(hours=8, minutes=40))  # 22:40
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await set_by_hand(hass, hass_admin_user, 21.0)
    await set_state(hass, MOTION, STATE_OFF)

    # In bed, in the dark, still but for turning over once: no one left, so the
    # 21 °C holds its two hours.
    for minute in range(100):
        await minutes_pass(hass, freezer, 1)
        if minute == 60:
            await set_state(hass, MOTION, STATE_ON)
            await set_state(hass, MOTION, STATE_OFF)
        assert target(hass) == 21.0
    assert THERMOSTAT in hass.states.get(CONTROL).attributes["held_until"]
    await minutes_pass(hass, freezer, 30)
    assert target(hass) == 18.5  # then the night's sleep temperature

    # By day a room still for a quarter of an hour is empty: the hold ends.
    freezer.move_to(START + timedelta(days=1))  # 14:00
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    await set_by_hand(hass, hass_admin_user, 21.0)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(CONTROL).attributes["held_until"] == {}


async def test_a_room_kept_warm_for_motion_the_model_doubts_says_so(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 10)

    # Seen 10 minutes ago: still taken as occupied (for 15), while P(occupied)
    # has fallen below a half. The reason says what keeps the room warm.
    occupancy = hass.states.get("sensor.living_room_aiot_brain_occupancy_probability")
    assert float(occupancy.state) < 50
    assert target(hass) == 20.0
    assert hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT] == (
        "Living room already heating to 20.0 °C: occupied, motion at 14:00"
    )


SUMMER = datetime.fromisoformat("2026-07-06T21:00:00+00:00")  # a Monday, 14:00 local


def cooling_unit(current: float, modes: list[HVACMode] | None = None) -> DemoClimate:
    """Return the living room's air conditioner, cooling to 24.5 °C in a room at ``current``."""
    return thermostat(
        "living_room",
        modes or [HVACMode.OFF, HVACMode.COOL],
        mode=HVACMode.COOL,
        target=24.5,
        current=current,
    )


def outdoors(hass: HomeAssistant, celsius: float = 31.0) -> None:
    """The outdoor sensor reads ``celsius``: by default a summer afternoon."""
    hass.states.async_set(
        "sensor.outdoor",
        str(celsius),
        {"unit_of_measurement": "°C", "device_class": "temperature"},
    )


@pytest.mark.parametrize("mode", [HVACMode.OFF, HVACMode.HEAT])
async def test_a_thermostat_driven_by_presets_cools_a_hot_room(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mode: HVACMode
) -> None:
    """Its comfort preset in heat mode would keep a 28 °C room as it is."""
    freezer.move_to(SUMMER)
    presets = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL],
        target=None,
        mode=mode,
        preset="eco",
        presets=["comfort", "eco", "away"],
        current=28.0,
    )
    await build_living_room(hass, climates=[presets])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)

    shown = hass.states.get(THERMOSTAT)
    assert shown.state == HVACMode.COOL
    assert shown.attributes["preset_mode"] == "comfort"
    assert actions[0].data["reason"].startswith("Switching Living room")
    assert_calm(calls_to(actions, THERMOSTAT))

    # Cooled to 23 °C, inside the comfort band: it carries on cooling.
    hass.states.async_set(
        THERMOSTAT, shown.state, {**shown.attributes, "current_temperature": 23.0}
    )
    await minutes_pass(hass, freezer, 30)
    assert hass.states.get(THERMOSTAT).state == HVACMode.COOL
    assert len(calls_to(actions, THERMOSTAT)) == 2


async def test_an_air_conditioner_stops_cooling_while_a_window_is_open(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Cooling to eco (26.5 °C) a 29 °C room with the window open cools the street."""
    freezer.move_to(SUMMER)
    air_conditioner = cooling_unit(29.0)
    await build_living_room(hass, [air_conditioner], window=True)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    assert target(hass) == 24.5

    await set_state(hass, WINDOW, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    # Only heat protection is kept: no cooling below the highest setpoint, 28 °C.
    assert target(hass) == 28.0
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.endswith("28.0 °C: window open")

    await set_state(hass, WINDOW, STATE_OFF)
    await minutes_pass(hass, freezer, 5)
    assert target(hass) == 24.5
    assert_calm(calls_to(actions, THERMOSTAT))


async def test_a_room_the_air_conditioner_just_cooled_has_no_window_open(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Its fall of 2.4 °C in 24 minutes lingers in the half-hour slope once it stops.

    On a summer evening, 6 °C colder outside, that fall read as an open window:
    the Window open sensor turned on and the air conditioner was set to 28 °C,
    then back, each time it reached its target.
    """
    freezer.move_to(datetime.fromisoformat("2026-07-07T03:00:00+00:00"))  # 20:00
    air_conditioner = cooling_unit(27.0)
    await build_living_room(hass, [air_conditioner])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass, 18.5)
    await set_state(hass, MOTION, STATE_ON)
    window = "binary_sensor.living_room_aiot_brain_window_open"
    seen_open = []
    for minute in range(60):
        cooling = minute < 24
        air_conditioner._current_temperature = round(27.0 - 0.1 * min(minute, 24), 1)
        air_conditioner._hvac_action = (
            HVACAction.COOLING if cooling else HVACAction.IDLE
        )
        air_conditioner.async_write_ha_state()
        await minutes_pass(hass, freezer, 1)
        seen_open.append(hass.states.get(window).state == STATE_ON)

    assert not any(seen_open)
    assert [call.data["data"] for call in calls_to(actions, THERMOSTAT)] == []
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason == "Living room already cooling to 24.5 °C: occupied (98%)"


@pytest.mark.parametrize("mode", [HVACMode.DRY, HVACMode.FAN_ONLY])
async def test_an_air_conditioner_set_to_dry_or_fan_by_hand_teaches_no_comfort(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    mode: HVACMode,
) -> None:
    """Its setpoint stays the 24.5 °C we set for cooling: nobody chose it."""
    freezer.move_to(SUMMER)
    air_conditioner = cooling_unit(
        26.0, modes=[HVACMode.OFF, HVACMode.COOL, HVACMode.DRY, HVACMode.FAN_ONLY]
    )
    await build_living_room(hass, [air_conditioner])
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)

    for _ in range(3):
        for hvac_mode in (mode, HVACMode.COOL):
            await set_mode_by_hand(hass, hass_admin_user, hvac_mode)
            await minutes_pass(hass, freezer, 10)

    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert comfort.attributes["cooling_comfort"] == 24.0
    # The person's own choice is held all the same.
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith("Holding the thermostat in Living room")


async def test_a_thermostat_switched_from_heat_to_cool_keeps_the_cooling_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """In May someone switches it to cool; it still shows the heating's 68 °F."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(datetime.fromisoformat("2026-05-18T21:00:00+00:00"))  # 14:00
    room = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL],
        target=68.0,
        current=74.0,
        unit="°F",
    )
    await build_living_room(hass, [room])
    await setup_brain(hass, hold_minutes=120)
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 68.0  # the heating comfort, 20 °C

    await set_mode_by_hand(hass, hass_admin_user, HVACMode.COOL)
    await minutes_pass(hass, freezer, 130)  # the hold is over

    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert comfort.attributes["cooling_comfort"] == 75.2  # 24 °C, not the 68 °F
    # Cooled from above the cooling comfort, in the mode they chose.
    shown = hass.states.get(THERMOSTAT)
    assert (shown.state, shown.attributes["temperature"]) == (HVACMode.COOL, 76.0)


async def test_an_air_conditioner_switched_off_on_a_mild_evening_stays_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Once the person's hold is over it is switched on only when the room needs it."""
    freezer.move_to(datetime.fromisoformat("2026-07-07T01:00:00+00:00"))  # 18:00
    air_conditioner = cooling_unit(23.0)
    await build_living_room(hass, [air_conditioner])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass, 21.0)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    await set_mode_by_hand(hass, hass_admin_user, HVACMode.OFF)
    # They go out: the room is empty, and the hold is over.
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(THERMOSTAT).state == HVACMode.OFF
    assert not calls_to(actions, THERMOSTAT)
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith(
        "Living room already off, left so until it is warmer than 25.0 °C: setback"
    )

    # The room warms past the setback's cooling edge: it is cooled again.
    air_conditioner._current_temperature = 25.5
    air_conditioner.async_write_ha_state()
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(THERMOSTAT).state == HVACMode.COOL
    assert target(hass) == 25.0


@pytest.mark.parametrize(
    ("when", "left", "current", "outside", "switched_to", "reason"),
    [
        # Above the highest setpoint, 28 °C, even in off mode.
        (
            SUMMER,
            HVACMode.OFF,
            31.0,
            36.0,
            HVACMode.COOL,
            "Heat protection in Living room: 31.0 °C is above 28.0 °C, switching "
            "cooling on",
        ),
        # Below the lowest setpoint, 16 °C: cool mode's presets would keep it cold.
        (
            START,
            HVACMode.COOL,
            12.0,
            -5.0,
            HVACMode.HEAT,
            "Frost protection in Living room: 12.0 °C is below 16.0 °C, switching "
            "heating on",
        ),
    ],
)
async def test_protection_switches_a_thermostat_driven_by_presets_the_way_it_needs(  # noqa: PLR0917
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    when: datetime,
    left: HVACMode,
    current: float,
    outside: float,
    switched_to: HVACMode,
    reason: str,
) -> None:
    """In off mode too: its presets set no temperature we know, its mode does."""
    freezer.move_to(when)
    presets = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL],
        target=None,
        mode=left,
        preset="eco",
        presets=["comfort", "eco", "away"],
        current=current,
    )
    await build_living_room(hass, climates=[presets])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass, outside)
    await set_living_room_mode(hass, "off")
    await minutes_pass(hass, freezer, 1)

    assert hass.states.get(THERMOSTAT).state == switched_to
    assert actions[0].data["reason"] == reason


async def test_a_cooler_setpoint_on_a_spring_afternoon_teaches_the_cooling_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Heated in the morning, the season is heating's; the afternoon sun cools.

    Cooling set to 23 °C by hand wants 22.5 °C when cooling: learned as the heating
    comfort, the next cold morning would be heated to it.
    """
    freezer.move_to(datetime.fromisoformat("2026-04-13T14:00:00+00:00"))  # 07:00
    heat_pump = thermostat(
        "living_room",
        [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL],
        mode=HVACMode.HEAT,
        target=20.0,
        current=18.0,
    )
    await build_living_room(hass, [heat_pump])
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    outdoors(hass, 12.0)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 240)
    # The sun warms the room: it is cooled.
    heat_pump._current_temperature = 26.0
    heat_pump.async_write_ha_state()
    await minutes_pass(hass, freezer, 10)
    assert hass.states.get(THERMOSTAT).state == HVACMode.COOL
    comfort = "sensor.living_room_aiot_brain_comfort_setpoint"
    assert float(hass.states.get(comfort).state) == 20.0  # the heating season

    await set_by_hand(hass, hass_admin_user, 23.0, hvac_mode=HVACMode.COOL)
    await minutes_pass(hass, freezer, 1)

    attributes = hass.states.get(comfort).attributes
    assert attributes["heating_comfort"] == 20.0
    assert attributes["cooling_comfort"] < 24.0


@pytest.mark.parametrize(
    "case",
    [
        # 01:40 winter time; at 02:00 the clocks go forward to 03:00. The core's
        # clock eases over the change; the reason tells the clocks' time.
        (
            "2026-03-29T00:40:00+00:00",
            120,
            "changed by hand at 01:40, left alone until 04:40",
            "2026-03-29T04:40:00+02:00",
        ),
        # 02:20 summer time, held an hour: until 02:20 winter time.
        (
            "2026-10-25T00:20:00+00:00",
            60,
            "changed by hand at 02:20 CEST, left alone until 02:20 CET",
            "2026-10-25T02:20:00+01:00",
        ),
    ],
)
async def test_a_persons_change_the_night_the_clocks_change_says_when_it_was(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    case: tuple[str, int, str, str],
) -> None:
    changed, hold_minutes, said, held_until = case
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(datetime.fromisoformat(changed))
    await build_living_room(hass)
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass, hold_minutes=hold_minutes)
    await set_state(hass, MOTION, STATE_ON)

    await set_by_hand(hass, hass_admin_user, 22.5)
    await minutes_pass(hass, freezer, 1)

    assert holds[0].data["reason"] == (
        f"Holding the thermostat in Living room: {said} or until the zone is empty"
    )
    shown = hass.states.get(CONTROL).attributes["held_until"]
    assert shown == {THERMOSTAT: held_until}


async def test_a_lamp_switched_off_by_hand_is_not_proposed_on_while_they_stay(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """At the Suggest level, as at Automate: no light proposed at someone who stays.

    Someone came in (the lamp was proposed), lit it by hand, then switched it off
    to watch a film in the dark, and stays the evening moving now and then. When
    their hold ends, nobody arrived: no notification proposes the lamp again.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    suggestions = async_capture_events(hass, EVENT_SUGGESTION)
    await setup_brain(hass, "suggest")
    await set_state(hass, MOTION, STATE_ON)
    assert len(suggestions) == 1

    await switch_lamp_by_hand(hass, hass_admin_user, "turn_on")
    await minutes_pass(hass, freezer, 3)
    await switch_lamp_by_hand(hass, hass_admin_user, "turn_off")

    for _ in range(30):
        await set_state(hass, MOTION, STATE_OFF)
        await minutes_pass(hass, freezer, 5)
        await set_state(hass, MOTION, STATE_ON)
    assert [event.data["reason"] for event in suggestions[1:]] == []
    reason = hass.states.get(CONTROL).attributes["reasons"][LAMP]
    assert not reason.startswith("Suggested"), reason


async def test_turned_back_for_an_airing_just_after_our_call_teaches_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Just after AIoT Brain turned it up, someone opens the window and turns the
    dial back down to where it was, for the airing.

    Judged only once the two minutes after our call are over, it teaches nothing,
    as it would a few minutes later.
    """
    freezer.move_to(START)
    await build_living_room(hass, window=True)
    entry = await setup_brain(hass)
    zone = coordinator_of(entry).brain.zone("living_room")
    await set_state(hass, MOTION, STATE_ON)
    await set_living_room_mode(hass, "eco")
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 17.0
    await set_living_room_mode(hass, "auto")
    await minutes_pass(hass, freezer, 1)
    assert target(hass) == 20.0  # our call

    await set_state(hass, WINDOW, STATE_ON)
    shown = hass.states.get(THERMOSTAT)
    # Turned back at the dial: the device reports it in a context of its own.
    hass.states.async_set(
        THERMOSTAT, shown.state, {**shown.attributes, "temperature": 17.0}
    )
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 5)

    assert target(hass) == 17.0
    assert zone.comfort.labels == 0
    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert float(comfort.state) == 20.0

    # The window shut, it is turned back up to just what it showed: the airing
    # is over, and so is its hold.
    await set_state(hass, WINDOW, STATE_OFF)
    shown = hass.states.get(THERMOSTAT)
    hass.states.async_set(
        THERMOSTAT, shown.state, {**shown.attributes, "temperature": 20.0}
    )
    await hass.async_block_till_done()
    assert THERMOSTAT not in coordinator_of(entry).control.holds("living_room")
    assert zone.comfort.labels == 0
