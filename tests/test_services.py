"""AIoT Brain's actions: targets, schemas, responses and translated errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
    label_registry as lr,
)
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import parse_yaml
import probatio
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)

from custom_components.aiot_brain.brain.observation import Role
from custom_components.aiot_brain.const import DOMAIN, EVENT_ACTION, EVENT_HOLD
from custom_components.aiot_brain.entity import zone_device_identifier

from .test_acting import (
    CONTROL,
    LAMP,
    MOTION,
    START,
    THERMOSTAT,
    build_living_room,
    lamp,
    minutes_pass,
    set_by_hand,
    set_state,
    setup_brain,
    switch_lamp_by_hand,
    target,
    thermostat,
)

ZONE_MODE = "select.living_room_aiot_brain_mode"
BUILDING_MODE = "select.aiot_brain_building_mode"
CONTROL_SWITCH = "switch.living_room_aiot_brain_control"


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any] | None = None
) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        service,
        data or {},
        blocking=True,
        return_response=service in ("explain", "get_forecast"),
    )


async def test_set_mode_by_area_floor_label_device_entity_or_the_building(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    floor = fr.async_get(hass).async_create("Ground floor")
    ar.async_get(hass).async_update("living_room", floor_id=floor.floor_id)
    entry = await setup_brain(hass)
    device = dr.async_get(hass).async_get_device_by_identifier(
        zone_device_identifier(entry.entry_id, "living_room"), entry.entry_id
    )
    assert device is not None
    labels = lr.async_get(hass)
    heated = labels.async_create("Heated rooms")
    ar.async_get(hass).async_update("living_room", labels={heated.label_id})
    learning = labels.async_create("Learning")
    dr.async_get(hass).async_update_device(device.id, labels={learning.label_id})

    for target_data, mode in (
        ({"area_id": "living_room"}, "eco"),
        ({"floor_id": floor.floor_id}, "comfort"),
        ({"label_id": heated.label_id}, "eco"),
        ({"label_id": learning.label_id}, "comfort"),
        ({"device_id": device.id}, "away"),
        ({"entity_id": "sensor.living_room_aiot_brain_occupancy_probability"}, "off"),
    ):
        await call(hass, "set_mode", {**target_data, "mode": mode})
        assert hass.states.get(ZONE_MODE).state == mode, target_data

    await call(hass, "set_mode", {"mode": "away"})
    assert hass.states.get(BUILDING_MODE).state == "away"
    assert hass.states.get(ZONE_MODE).state == "off"  # the zone keeps its own


@pytest.mark.parametrize(
    "modes",
    [
        # The zone's own, the building's, then both to: the outcome.
        # The building first would send the zone's eco (17 °C) in between.
        ("eco", "away", "auto", 20.0),
        # The zone first would send the building's away (16 °C) in between.
        ("off", "away", "eco", 17.0),
    ],
)
async def test_set_mode_on_the_building_and_an_area_at_once_sends_only_the_end(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    modes: tuple[str, str, str, float],
) -> None:
    """A manager sets the building and the living room to one mode in one call.

    The thermostat gets the outcome, not first the mode of the moment between,
    which would spend a call of its hour on nobody's wish.
    """
    zone_mode, building_mode, mode, temperature = modes
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await call(hass, "set_mode", {"area_id": "living_room", "mode": zone_mode})
    await call(hass, "set_mode", {"mode": building_mode})
    await minutes_pass(hass, freezer, 61)
    await set_state(hass, MOTION, STATE_ON)
    actions = async_capture_events(hass, EVENT_ACTION)
    devices = dr.async_get(hass)
    zone_device = devices.async_get_device_by_identifier(
        zone_device_identifier(entry.entry_id, "living_room"), entry.entry_id
    )
    building = devices.async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert zone_device is not None
    assert building is not None

    await call(
        hass, "set_mode", {"device_id": [building.id, zone_device.id], "mode": mode}
    )
    await hass.async_block_till_done()

    assert hass.states.get(BUILDING_MODE).state == mode
    assert hass.states.get(ZONE_MODE).state == mode
    assert [event.data["data"]["temperature"] for event in actions] == [temperature]
    assert target(hass) == temperature


async def test_a_floors_comfort_offset_is_set_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A manager lowers a whole floor's comfort by targeting the floor."""
    freezer.move_to(START)
    await build_living_room(hass)
    floor = fr.async_get(hass).async_create("Ground floor")
    ar.async_get(hass).async_update("living_room", floor_id=floor.floor_id)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 20.0

    await hass.services.async_call(
        "number",
        "set_value",
        {"floor_id": floor.floor_id, "value": -1.0},
        blocking=True,
    )

    offset = hass.states.get("number.living_room_aiot_brain_comfort_offset")
    assert float(offset.state) == -1.0
    await minutes_pass(hass, freezer, 10)  # past the least time between calls
    assert target(hass) == 19.0


async def test_set_mode_off_written_in_yaml_unquoted_is_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    # YAML reads an unquoted off as false, in scripts and automations alike.
    data = parse_yaml("area_id: living_room\nmode: off\n")

    await call(hass, "set_mode", data)

    assert hass.states.get(ZONE_MODE).state == "off"
    with pytest.raises(probatio.Invalid):
        await call(hass, "set_mode", {"mode": True})  # no mode is "on"


async def test_set_mode_on_the_building_device_sets_the_building_mode(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass)
    building = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert building is not None
    await call(hass, "set_mode", {"area_id": "living_room", "mode": "off"})

    await call(hass, "set_mode", {"device_id": building.id, "mode": "away"})
    assert hass.states.get(BUILDING_MODE).state == "away"
    await call(hass, "set_mode", {"entity_id": BUILDING_MODE, "mode": "eco"})
    assert hass.states.get(BUILDING_MODE).state == "eco"

    assert hass.states.get(ZONE_MODE).state == "off"  # switched off, it stays off
    # Other actions aimed at the building's device still reach every zone.
    explained = await call(hass, "explain", {"device_id": building.id})
    assert list(explained["zones"]) == ["living_room"]


async def test_every_action_shows_its_target_and_fields_in_the_ui(
    hass: HomeAssistant,
) -> None:
    # The actions are there from setup on; Home Assistant reads their form from
    # services.yaml, and drops the whole file if any part breaks its schema.
    assert await async_setup_component(hass, DOMAIN, {})

    described = (await async_get_all_descriptions(hass))[DOMAIN]

    assert described.keys() == hass.services.async_services_for_domain(DOMAIN).keys()
    for service, description in described.items():
        assert description["target"]["device"] == [{"integration": DOMAIN}], service
    assert "mode" in described["set_mode"]["fields"]
    assert "duration" in described["hold"]["fields"]
    assert "hours" in described["get_forecast"]["fields"]


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        ({"area_id": "garage"}, "garage"),
        ({"floor_id": "attic"}, "attic"),
        ({"label_id": "no_such_label"}, "no_such_label"),
        ({"device_id": "not-a-device"}, "not-a-device"),
        ({"entity_id": "light.living_room"}, "light.living_room"),
    ],
)
async def test_unknown_targets_are_named_in_the_error(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    data: dict[str, str],
    missing: str,
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)

    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "set_mode", {**data, "mode": "eco"})

    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == "unknown_target"
    assert raised.value.translation_placeholders == {"target": missing}
    assert hass.states.get(ZONE_MODE).state == "auto"


async def test_a_known_target_that_is_no_zone_is_named_as_the_user_sees_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    garage = ar.async_get(hass).async_create("Garage")
    attic = fr.async_get(hass).async_create("Attic")
    outdoor = lr.async_get(hass).async_create("Outdoor lights")
    other = MockConfigEntry(domain="test")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id,
        identifiers={("test", "hall-thermostat")},
        name="Hall thermostat",
    )

    for data, named in (
        ({"area_id": garage.id}, "Garage"),
        ({"floor_id": attic.floor_id}, "Attic"),
        ({"label_id": outdoor.label_id}, "Outdoor lights"),
        # Its id (hex) says nothing to the user; its name does.
        ({"device_id": device.id}, "Hall thermostat"),
    ):
        with pytest.raises(ServiceValidationError) as raised:
            await call(hass, "set_mode", {**data, "mode": "eco"})
        assert raised.value.translation_placeholders == {"target": named}, data


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("set_mode", {"mode": "party"}),
        ("set_mode", {}),
        ("hold", {"duration": "-01:00:00"}),
        ("hold", {"duration": "30 days"}),
        ("get_forecast", {"hours": 0}),
        ("get_forecast", {"hours": 1000}),
        ("get_forecast", {"hours": 12.5}),
        ("get_forecast", {"hours": "twelve"}),
        # None (``hours:`` left empty), a list and a map: refused, not a crash.
        ("get_forecast", {"hours": None}),
        ("get_forecast", {"hours": [12]}),
        ("get_forecast", {"hours": {"hours": 12}}),
        ("explain", {"area_id": 7, "colour": "blue"}),
    ],
)
async def test_invalid_data_is_refused(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    service: str,
    data: dict[str, Any],
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)

    with pytest.raises(probatio.Invalid):
        await call(hass, service, data)


async def test_a_mode_that_is_none_lists_the_modes_as_they_are_written(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)

    with pytest.raises(probatio.Invalid) as raised:
        await call(hass, "set_mode", {"mode": "party"})

    assert "['auto', 'away', 'comfort', 'eco', 'off']" in str(raised.value)


async def test_actions_exist_but_refuse_while_nothing_is_loaded(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    assert hass.services.has_service(DOMAIN, "explain")
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "explain")
    assert raised.value.translation_key == "not_loaded"


async def test_explain_says_what_was_decided_and_why(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)

    response = await call(hass, "explain", {"area_id": "living_room"})

    zone = response["zones"]["living_room"]
    assert zone["name"] == "Living room"
    assert zone["mode"] == "auto"
    assert zone["control_level"] == "automate"
    assert zone["status"] == "controlling"
    assert zone["decisions"][THERMOSTAT].startswith("Heating Living room to 20.0 °C")
    assert zone["holds"] == {}
    assert set(zone["predictions"]) >= {"occupancy", "comfort", "forecast"}


async def test_get_forecast_returns_the_forecast_and_the_weekly_profile(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)

    response = await call(hass, "get_forecast", {"hours": 6})

    zone = response["zones"]["living_room"]
    assert zone["ready"] is True
    assert set(zone["forecast"]) == {"15min", "30min", "1h", "2h", "6h"}
    assert all(0.0 <= p <= 1.0 for p in zone["forecast"].values())
    assert zone["occupancy_probability"] > 0.5
    assert zone["comfort_setpoint"] == 20.0
    assert zone["comfort_offset"] == 0.0
    profile = zone["weekly_profile"]
    assert len(profile) == 6
    assert profile[0]["start"] == "2026-11-02T14:00:00-08:00"
    assert profile[5]["start"] == "2026-11-02T19:00:00-08:00"


async def test_get_forecast_expects_no_arrival_where_someone_is_already_there(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 3)

    zone = (await call(hass, "get_forecast"))["zones"]["living_room"]

    # As the Next arrival sensor says: "now" (the last minute's) is no arrival.
    assert zone["occupancy_probability"] > 0.5
    assert zone["next_arrival"] is None
    # Nor is it sure of a time it does not give.
    assert zone["arrival_confidence"] is None
    arrival = hass.states.get("sensor.living_room_aiot_brain_next_arrival")
    assert arrival.state == "unknown"
    assert arrival.attributes["confidence"] is None


@pytest.mark.parametrize(
    ("now", "starts"),
    [
        # 00:30 the night the clocks go forward: 02:00 never happens.
        (
            "2026-03-28T23:30:00+00:00",
            ["00:00:00+01:00", "01:00:00+01:00", "03:00:00+02:00", "04:00:00+02:00"],
        ),
        # 01:30 the night they go back: 02:00 happens twice.
        (
            "2026-10-24T23:30:00+00:00",
            ["01:00:00+02:00", "02:00:00+02:00", "02:00:00+01:00", "03:00:00+01:00"],
        ),
    ],
)
async def test_the_weekly_profile_runs_hour_by_hour_over_a_change_of_the_clocks(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, now: str, starts: list[str]
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(now)
    await build_living_room(hass)
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 1)

    response = await call(hass, "get_forecast", {"hours": 4})

    profile = response["zones"]["living_room"]["weekly_profile"]
    assert [hour["start"].split("T")[1] for hour in profile] == starts


async def test_hold_and_resume(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)

    await call(hass, "hold", {"area_id": "living_room", "duration": {"minutes": 30}})
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)

    assert target(hass) == 17.0  # held: no pre-set comfort
    control = hass.states.get(CONTROL)
    assert control.state == "holding"
    assert control.attributes["held_until"] == {THERMOSTAT: "2026-11-02T14:30:00-08:00"}

    await call(hass, "resume", {"area_id": "living_room"})
    await hass.async_block_till_done()

    assert target(hass) == 20.0
    assert hass.states.get(CONTROL).state == "controlling"


async def test_a_hold_ends_on_its_own(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await call(hass, "hold", {"duration": timedelta(minutes=20)})
    await set_state(hass, MOTION, STATE_ON)

    await minutes_pass(hass, freezer, 19)
    assert target(hass) == 17.0
    await minutes_pass(hass, freezer, 2)
    assert target(hass) == 20.0


@pytest.mark.parametrize(
    ("start", "until"),
    [
        # 23:00 the night the clocks go back (03:00 summer time is 02:00 again).
        ("2026-10-24T21:00:00+00:00", "2026-10-25T02:00:00+01:00"),
        # 23:00 the night they go forward (02:00 is 03:00 at once).
        ("2026-03-28T22:00:00+00:00", "2026-03-29T04:00:00+02:00"),
    ],
)
async def test_a_hold_over_a_change_of_the_clocks_lasts_as_long_as_asked(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, start: str, until: str
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(start)
    await build_living_room(hass)
    await setup_brain(hass)
    await call(hass, "hold", {"area_id": "living_room", "duration": {"hours": 4}})
    await set_state(hass, MOTION, STATE_ON)

    held_until = hass.states.get(CONTROL).attributes["held_until"]
    assert held_until == {THERMOSTAT: until}
    freezer.move_to(dt_util.parse_datetime(start) + timedelta(hours=3, minutes=58))
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(CONTROL).state == "holding"
    await minutes_pass(hass, freezer, 1)  # four hours later
    assert hass.states.get(CONTROL).state == "controlling"


async def test_a_hold_asked_for_lasts_while_the_room_is_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, lights=[lamp()])
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    assert (target(hass), hass.states.get(LAMP).state) == (20.0, STATE_ON)

    await call(hass, "hold", {"area_id": "living_room", "duration": {"hours": 2}})
    # Empty long past the setback and the light's vacancy delay.
    await minutes_pass(hass, freezer, 90)

    assert (target(hass), hass.states.get(LAMP).state) == (20.0, STATE_ON)
    held_until = hass.states.get(CONTROL).attributes["held_until"]
    assert held_until.keys() == {THERMOSTAT, LAMP}
    await minutes_pass(hass, freezer, 31)  # its time is up
    assert hass.states.get(CONTROL).attributes["held_until"] == {}
    assert hass.states.get(LAMP).state == STATE_OFF


async def test_a_hand_on_the_dial_does_not_cut_short_a_hold_asked_for(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """A manager holds the room for 8 hours (an event, a repair).

    Someone there turns the dial: the room is still left alone for the 8 hours
    asked for, not only until that person leaves.
    """
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 20.0
    await call(hass, "hold", {"area_id": "living_room", "duration": {"hours": 8}})

    await set_by_hand(hass, hass_admin_user, 22.5)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 240)

    assert target(hass) == 22.5
    control = hass.states.get(CONTROL)
    assert control.state == "holding"
    assert control.attributes["held_until"] == {THERMOSTAT: "2026-11-02T22:00:00-08:00"}
    assert control.attributes["reasons"][THERMOSTAT].startswith(
        "Holding the thermostat in Living room until 22:00: asked to hold, "
        "changed by hand at 14:00"
    )


async def test_a_hold_by_a_label_on_two_entities_of_an_area_is_told_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A manager labels the living room's Mode and Control, and holds by the label.

    The room is held once: one event (one logbook line) for its thermostat, not
    one for each labelled entity, which would run an automation on it twice.
    """
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    label = lr.async_get(hass).async_create("Meeting rooms")
    for entity_id in (ZONE_MODE, CONTROL_SWITCH):
        er.async_get(hass).async_update_entity(entity_id, labels={label.label_id})
    holds = async_capture_events(hass, EVENT_HOLD)

    await call(hass, "hold", {"label_id": label.label_id, "duration": {"hours": 1}})
    await hass.async_block_till_done()

    assert [event.data["entity_id"] for event in holds] == [THERMOSTAT]


async def test_hold_without_a_duration_when_manual_changes_are_not_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass, hold_minutes=0)  # a person's change is not held

    # Held for no time would be no hold at all: it says how to ask instead.
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "hold", {"area_id": "living_room"})

    assert raised.value.translation_key == "no_hold_time"
    await call(hass, "hold", {"area_id": "living_room", "duration": {"hours": 1}})
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(CONTROL).state == "holding"


async def test_hold_needs_something_to_hold(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[])
    await setup_brain(hass)

    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "hold", {"area_id": "living_room"})

    assert raised.value.translation_key == "no_devices"
    assert raised.value.translation_placeholders == {"zones": "Living room"}


async def test_an_error_about_a_whole_building_names_a_few_zones_not_all(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    areas = ar.async_get(hass)
    offices = [areas.async_create(f"Office {number}").id for number in range(30)]
    await setup_brain(hass, level="suggest", zones=("living_room", *offices))

    # Nothing is suggested yet anywhere in the building.
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "accept_suggestion")

    named = raised.value.translation_placeholders["zones"]
    assert named.startswith("Living room, Office 0, ")
    assert named.endswith(", …")
    assert len(named.split(", ")) <= 11


async def test_an_error_about_an_area_labelled_with_its_device_names_it_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The living room and its AIoT Brain device carry one label; nothing is
    suggested there yet, and the error says so of the room once."""
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass, level="suggest")
    label = lr.async_get(hass).async_create("Meeting rooms")
    ar.async_get(hass).async_update("living_room", labels={label.label_id})
    devices = dr.async_get(hass)
    device = devices.async_get_device_by_identifier(
        zone_device_identifier(entry.entry_id, "living_room"), entry.entry_id
    )
    assert device is not None
    devices.async_update_device(device.id, labels={label.label_id})

    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "accept_suggestion", {"label_id": label.label_id})

    assert raised.value.translation_key == "no_suggestion"
    assert raised.value.translation_placeholders == {"zones": "Living room"}


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("set_mode", {"area_id": [], "mode": "off"}),
        ("reset", {"area_id": []}),
        ("forget_comfort", {"entity_id": [], "floor_id": None}),
        ("hold", {"label_id": []}),
        ("explain", {"device_id": []}),
        # A template that gave a blank name.
        ("set_mode", {"area_id": "", "mode": "off"}),
        ("reset", {"floor_id": [" "]}),
    ],
)
async def test_a_target_rendered_empty_is_refused_not_taken_for_the_building(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    service: str,
    data: dict[str, Any],
) -> None:
    """A template that gave no areas must not switch off or reset every zone."""
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass)
    coordinator = entry.runtime_data.coordinator
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 3)

    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, service, data)

    assert raised.value.translation_key == "empty_target"
    assert hass.states.get(BUILDING_MODE).state == "auto"
    assert hass.states.get(ZONE_MODE).state == "auto"
    assert coordinator.brain.zone("living_room").forecast.last_update is not None
    assert not coordinator.control.holds("living_room")
    # One named target among empty ones is aimed at as ever.
    await call(
        hass, "set_mode", {"area_id": "living_room", "label_id": []} | {"mode": "eco"}
    )
    assert hass.states.get(ZONE_MODE).state == "eco"
    assert hass.states.get(BUILDING_MODE).state == "auto"


async def test_reset_forgets_what_a_zone_learned(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    warm = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF], target=20.0)
    await build_living_room(hass, climates=[warm])
    entry = await setup_brain(hass, level="observe")
    coordinator = entry.runtime_data.coordinator
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 3)
    assert coordinator.brain.zone("living_room").forecast.last_update is not None

    await call(hass, "reset", {"area_id": "living_room"})

    zone = coordinator.brain.zone("living_room")
    assert zone.forecast.last_update is None  # not a minute learned
    assert hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint").state == (
        "20.0"
    )
    # It starts again from the room as it stands: 19 °C, someone moving.
    assert zone.latest[Role.TEMPERATURE] == 19.0
    occupancy = hass.states.get("binary_sensor.living_room_aiot_brain_occupancy")
    assert occupancy.state == STATE_ON


async def test_forget_comfort_forgets_only_the_setpoints_people_taught(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """A guest turned the heating up: the area's comfort goes back to the default."""
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass, hold_minutes=30)
    coordinator = entry.runtime_data.coordinator
    await set_state(hass, MOTION, STATE_ON)
    await set_by_hand(hass, hass_admin_user, 23.0)
    await minutes_pass(hass, freezer, 60)
    comfort = "sensor.living_room_aiot_brain_comfort_setpoint"
    assert float(hass.states.get(comfort).state) > 21.0
    assert target(hass) > 21.0  # the hold is over: heated to what they taught
    zone = coordinator.brain.zone("living_room")
    learned = zone.forecast.last_update
    assert learned is not None

    await call(hass, "forget_comfort", {"area_id": "living_room"})

    shown = hass.states.get(comfort)
    assert shown.state == "20.0"  # the default heating setpoint
    assert shown.attributes["uncertainty"] == 1.5  # as with nothing learned
    # What the sensors taught stays: the same zone, its forecast where it was.
    assert coordinator.brain.zone("living_room") is zone
    assert zone.forecast.last_update == learned
    await minutes_pass(hass, freezer, 1)
    assert target(hass) == 20.0

    # Forgotten for good: a restart does not bring the guest's comfort back.
    await minutes_pass(hass, freezer, 5)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(comfort).state == "20.0"


async def test_relearn_without_a_recorder_forgets_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass, history_days=14)  # and no recorder loaded
    coordinator = entry.runtime_data.coordinator
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 3)
    learned = coordinator.brain.zone("living_room")

    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "relearn")
    assert raised.value.translation_key == "no_recorder"
    with pytest.raises(ServiceValidationError) as pressed:
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": "button.living_room_aiot_brain_relearn"},
            blocking=True,
        )
    assert pressed.value.translation_key == "no_recorder"
    assert coordinator.brain.zone("living_room") is learned
    assert learned.forecast.last_update is not None


async def test_relearn_starts_the_zone_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    entry = await setup_brain(hass)
    coordinator = entry.runtime_data.coordinator
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 3)
    learned = coordinator.brain.zone("living_room")

    await call(hass, "relearn")

    assert coordinator.brain.zone("living_room") is not learned
    assert "living_room" in coordinator.predictions
    entity = er.async_get(hass).async_get(CONTROL)
    assert entity is not None


async def test_a_hand_on_the_dial_does_not_end_a_default_hold_when_the_room_empties(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """A manager holds the room for the hold time (2 hours, the default).

    Half an hour in, someone there turns the dial up, then leaves. The README:
    the hold "leaves the targeted areas' thermostats and lights alone for its
    duration (by default the hold time) even while the areas are empty, until
    the time is up or resume, a hand on them meanwhile included". The room must
    stay as that person left it until 16:00.
    """
    freezer.move_to(START)  # 14:00 local
    await build_living_room(hass)
    await setup_brain(hass)  # hold time: the default 120 minutes
    await set_state(hass, MOTION, STATE_ON)
    assert target(hass) == 20.0
    await call(hass, "hold", {"area_id": "living_room"})  # until 16:00
    await minutes_pass(hass, freezer, 30)

    await set_by_hand(hass, hass_admin_user, 22.5)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)  # 15:30, still within the hold asked

    control = hass.states.get(CONTROL)
    assert control.state == "holding", control.attributes["reasons"]
    # The hand holds it its own time (to 16:30), asked for as the rest.
    assert control.attributes["held_until"] == {THERMOSTAT: "2026-11-02T16:30:00-08:00"}
    assert target(hass) == 22.5


async def test_a_hold_asked_right_after_a_change_at_the_dial_lasts_while_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An automation holds the room for 2 hours when its thermostat is turned.

    The thermostat reports the turn of its dial (no user: a device's own state),
    the automation asks for the hold at once; the room then empties. The hold
    asked for must last its 2 hours, not end with the room's emptying.
    """
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    turned = {**hass.states.get(THERMOSTAT).attributes, "temperature": 17.0}
    hass.states.async_set(THERMOSTAT, "heat", turned)  # turned at the dial
    await call(hass, "hold", {"area_id": "living_room", "duration": {"hours": 2}})
    await minutes_pass(hass, freezer, 2)

    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 40)  # 14:44, the hold runs to 16:02

    control = hass.states.get(CONTROL)
    assert control.state == "holding", control.attributes["reasons"]
    assert target(hass) == 17.0


async def test_a_lamp_switched_by_hand_stays_held_while_the_room_is_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """The room is held for the hold time; someone switches its lamp off and on.

    Then they leave: the lamp must stay on until the hold asked for ends (16:00),
    not be switched off as the room empties.
    """
    freezer.move_to(START)
    await build_living_room(hass, lights=[lamp()])
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    await call(hass, "hold", {"area_id": "living_room"})  # until 16:00
    await minutes_pass(hass, freezer, 20)

    await switch_lamp_by_hand(hass, hass_admin_user, "turn_off")
    await minutes_pass(hass, freezer, 1)
    await switch_lamp_by_hand(hass, hass_admin_user, "turn_on")
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)  # 15:21

    held_until = hass.states.get(CONTROL).attributes["held_until"]
    assert LAMP in held_until, hass.states.get(CONTROL).attributes["reasons"]
    assert hass.states.get(LAMP).state == STATE_ON


async def test_a_short_hold_asked_for_does_not_cut_short_a_persons_hold(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Someone turns the heating up to 23 °C: held for the hold time (2 hours).

    Five minutes later an automation asks for a 10-minute hold (a cleaning robot
    runs, say). Asking to be left alone for 10 minutes must not end that
    person's hold: ten minutes on, with them still there, the thermostat is not
    turned down.
    """
    freezer.move_to(START)
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await set_by_hand(hass, hass_admin_user, 23.0)
    await minutes_pass(hass, freezer, 4)
    assert hass.states.get(CONTROL).attributes["held_until"] == {
        THERMOSTAT: "2026-11-02T16:01:00-08:00"
    }

    await call(hass, "hold", {"area_id": "living_room", "duration": {"minutes": 10}})
    await minutes_pass(hass, freezer, 15)  # 14:20, someone still there

    assert hass.states.get(CONTROL).state == "holding"
    assert target(hass) == 23.0
