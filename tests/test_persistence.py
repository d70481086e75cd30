"""Learned state and controls survive restarts, in real files under .storage/."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from datetime import datetime, timedelta
from functools import partial
import json
import logging
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar, issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_fire_time_changed,
)

from benchmarks import end_to_end
from custom_components.aiot_brain import binary_sensor, sensor
from custom_components.aiot_brain.brain.observation import Role
from custom_components.aiot_brain.brain.zone import ZonePrediction
from custom_components.aiot_brain.const import (
    BRAIN_STORAGE_KEY,
    DOMAIN,
    LOGGER,
    NETWORK_STORAGE_KEY,
)

from . import test_acting as acting, test_end_to_end as apartment
from .test_coordinator import (
    START,
    add_entity,
    build_office,
    minutes_pass,
    setup_office,
)


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A configuration directory of this test's own."""
    return hass_tmp_config_dir


@pytest.fixture
def hass_storage() -> Generator[dict[str, Any]]:
    """No stand-in: every Store reads and writes real files."""
    return {}


OFFICE_MODE = "select.office_aiot_brain_mode"
BUILDING_MODE = "select.aiot_brain_building_mode"
OFFICE_OFFSET = "number.office_aiot_brain_comfort_offset"


def storage_file(hass: HomeAssistant, key: str = BRAIN_STORAGE_KEY) -> Path:
    return Path(hass.config.path(".storage", key))


def zone_states(hass: HomeAssistant) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        state.entity_id: (state.state, dict(state.attributes))
        for state in hass.states.async_all()
        if state.entity_id.split(".")[1].startswith("office_aiot_brain")
    }


async def live_a_morning(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Someone works in the office and turns the heating up by hand."""
    hass.states.async_set(
        "weather.home", "cloudy", {"temperature": 41, "temperature_unit": "°F"}
    )
    for step in range(12):
        hass.states.async_set(
            "binary_sensor.office_motion", "on" if step % 3 else "off"
        )
        hass.states.async_set(
            "sensor.office_co2", str(500 + 40 * step), {"unit_of_measurement": "ppm"}
        )
        hass.states.async_set(
            "sensor.office_temperature",
            str(19 + step / 10),
            {"unit_of_measurement": "°C"},
        )
        await minutes_pass(hass, freezer, 5)
    hass.states.async_set(
        "climate.office_thermostat",
        "heat",
        {"temperature": 22.5, "current_temperature": 20.1, "hvac_action": "heating"},
        context=Context(user_id="a-person"),
    )
    await minutes_pass(hass, freezer, 2)


async def test_restart_gives_the_same_predictions(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, outdoor_source="weather.home")
    await live_a_morning(hass, freezer)
    await hass.services.async_call(
        "select", "select_option",
        {"entity_id": "select.office_aiot_brain_mode", "option": "eco"},
        blocking=True,
    )  # fmt: skip
    await hass.services.async_call(
        "number", "set_value",
        {"entity_id": "number.office_aiot_brain_comfort_offset", "value": 1.5},
        blocking=True,
    )  # fmt: skip
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.office_aiot_brain_control"},
        blocking=True,
    )  # fmt: skip
    before = zone_states(hass)
    # Learned, not defaults: the manual setpoint moved the comfort setpoint up.
    assert float(before["sensor.office_aiot_brain_comfort_setpoint"][0]) > 20.0
    assert before["binary_sensor.office_aiot_brain_occupancy"][0] == STATE_ON
    predictions = dict(entry.runtime_data.coordinator.predictions)

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))
    assert saved["key"] == BRAIN_STORAGE_KEY
    assert set(saved["data"]["brain"]["zones"]) == {"office"}
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    after = zone_states(hass)
    restored = entry.runtime_data.coordinator.predictions["office"]
    # Every entity's value and attributes, as the entities render them.
    assert rendered(restored) == rendered(predictions["office"])
    for entity_id in (
        "binary_sensor.office_aiot_brain_occupancy",
        "sensor.office_aiot_brain_comfort_setpoint",
        "sensor.office_aiot_brain_time_to_temperature",
        "sensor.office_aiot_brain_next_arrival",
    ):
        assert after[entity_id] == before[entity_id]
    assert after["select.office_aiot_brain_mode"][0] == "eco"
    assert after["number.office_aiot_brain_comfort_offset"][0] == "1.5"
    assert after["switch.office_aiot_brain_control"][0] == "off"


def rendered(prediction: ZonePrediction) -> dict[str, Any]:
    values: dict[str, Any] = {
        description.key: (
            description.value_fn(prediction),
            description.attributes_fn(prediction)
            if description.attributes_fn
            else None,
        )
        for description in sensor.ZONE_SENSORS
    }
    for description in binary_sensor.ZONE_BINARY_SENSORS:
        values[description.key] = description.value_fn(prediction)
    return values


def write_store(hass: HomeAssistant, data: object) -> None:
    path = storage_file(hass)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "version": 1,
        "minor_version": 1,
        "key": BRAIN_STORAGE_KEY,
        "data": data,
    }
    path.write_text(json.dumps(document), encoding="utf-8")


async def start_living_room_saved_as(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, data: object
) -> None:
    """Set AIoT Brain up on the living room, its saved state ``data``."""
    freezer.move_to(acting.START)
    await acting.build_living_room(hass)
    write_store(hass, data)
    await acting.setup_brain(hass)


async def motion_not_yet_saved(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The office sees motion; a minute on, the delayed save is not due yet."""
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass)
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert not storage_file(hass).exists()


async def test_learned_state_is_saved_without_a_stop(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await motion_not_yet_saved(hass, freezer)

    await minutes_pass(hass, freezer, 6)  # the delayed save is due after 5

    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))
    assert saved["data"]["brain"]["zones"]["office"]["latest"]["motion"] == 1.0
    assert storage_file(hass).stat().st_mode & 0o077 == 0  # private


async def test_learned_state_is_saved_when_home_assistant_stops(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await motion_not_yet_saved(hass, freezer)

    # Home Assistant stops without unloading its integrations.
    await hass.async_stop()

    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))
    assert saved["data"]["brain"]["zones"]["office"]["latest"]["motion"] == 1.0


async def test_a_zone_reset_during_a_save_is_saved_as_reset(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    coordinator = entry.runtime_data.coordinator
    await live_a_morning(hass, freezer)  # the first save was due after 5 minutes
    learned = coordinator.brain.zones["office"].occupancy.label_counts[True]
    assert learned > 0

    # The next save starts copying; someone resets the zone before it writes.
    freezer.tick(timedelta(minutes=6))
    async_fire_time_changed(hass)
    coordinator.async_reset("office")
    await hass.async_block_till_done()

    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))
    assert saved["data"]["brain"]["zones"]["office"]["occupancy"]["label_counts"][1] < (
        learned
    )


@pytest.mark.parametrize(
    "data",
    [
        {"brain": "garbage"},
        {"brain": {"version": 99, "zones": {}}},
        {"brain": {"version": 1}},
        ["not", "a", "mapping"],
    ],
)
async def test_unreadable_state_starts_afresh_and_says_so(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, data: object
) -> None:
    freezer.move_to(START)
    build_office(hass)
    write_store(hass, data)

    entry = await setup_office(hass)

    coordinator = entry.runtime_data.coordinator
    assert coordinator.reset_zones == ["*"]
    assert coordinator.brain.zone("office").latest == {}
    # Kept as it was (a later release's, say), though a save writes over it.
    await hass.config_entries.async_unload(entry.entry_id)
    aside = list(storage_file(hass).parent.glob(f"{BRAIN_STORAGE_KEY}.unreadable.*"))
    assert [json.loads(each.read_text(encoding="utf-8"))["data"] for each in aside] == [
        data
    ]
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "state_reset")
    assert issue is not None
    assert issue.translation_key == "state_reset_all"
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.office_aiot_brain_occupancy").state == (
        STATE_ON
    )


async def office_and_kitchen_saved(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> MockConfigEntry:
    """Both areas learned a minute of someone there, the kitchen set to away; unloaded."""
    freezer.move_to(START)
    build_office(hass)
    kitchen_co2 = add_entity(
        hass,
        "sensor",
        "kitchen_co2",
        "kitchen",
        original_device_class="carbon_dioxide",
        unit_of_measurement="ppm",
    )
    # What people do to the air is what the areas learn from.
    for co2 in ("sensor.office_co2", kitchen_co2):
        hass.states.async_set(co2, "900", {"unit_of_measurement": "ppm"})
    entry = await setup_office(hass, zones=("office", "kitchen"))
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    hass.states.async_set("binary_sensor.kitchen_motion", STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await hass.services.async_call(
        "select", "select_option",
        {"entity_id": "select.kitchen_aiot_brain_mode", "option": "away"},
        blocking=True,
    )  # fmt: skip
    assert await hass.config_entries.async_unload(entry.entry_id)
    return entry


async def test_one_corrupt_zone_resets_alone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await office_and_kitchen_saved(hass, freezer)
    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))
    saved["data"]["brain"]["zones"]["office"]["forecast"] = "garbage"
    # The accuracy scorecard is a nicety: unreadable, it alone starts afresh.
    saved["data"]["brain"]["zones"]["kitchen"]["score"] = "garbage"
    saved["data"]["controls"]["zones"]["office"] = {"mode": "party", "control": 3}
    write_store(hass, saved["data"])

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    coordinator = entry.runtime_data.coordinator
    assert coordinator.reset_zones == ["office"]
    assert coordinator.brain.zone("office").occupancy.self_labels == 0
    assert coordinator.brain.zone("kitchen").occupancy.self_labels > 0
    assert coordinator.brain.zone("kitchen").score.accuracy is None
    assert hass.states.get("select.kitchen_aiot_brain_mode").state == "away"
    assert hass.states.get("select.office_aiot_brain_mode").state == "auto"
    assert hass.states.get("switch.office_aiot_brain_control").state == "on"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "state_reset")
    assert issue is not None
    assert issue.translation_placeholders == {"zones": "Office"}  # its name

    # Read, it is dismissed through Home Assistant's repairs.
    assert await async_setup_component(hass, "repairs", {})
    repairs = repairs_flow_manager(hass)
    assert repairs is not None
    flow = await repairs.async_init(DOMAIN, data={"issue_id": "state_reset"})
    assert flow["step_id"] == "confirm"
    assert flow["description_placeholders"] == {"zones": "Office"}
    done = await repairs.async_configure(flow["flow_id"], {})
    assert done["type"] == "create_entry"
    assert ir.async_get(hass).async_get_issue(DOMAIN, "state_reset") is None


async def test_invalid_json_starts_afresh(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    path = storage_file(hass)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"version": 1, "data": {"brain": ', encoding="utf-8")

    entry = await setup_office(hass)

    assert entry.runtime_data.coordinator.brain.zone("office").latest == {}
    # Home Assistant keeps the broken file aside for the user to look at.
    assert list(path.parent.glob(f"{BRAIN_STORAGE_KEY}.corrupt.*"))


@pytest.mark.parametrize(
    "document",
    [
        # Written by a later release (the user went back to this one).
        {"version": 2, "minor_version": 1, "key": BRAIN_STORAGE_KEY, "data": {}},
        {"version": 1, "key": BRAIN_STORAGE_KEY},  # no data
        # A version below any written (a broken file): no way to migrate it.
        {"version": 0, "key": BRAIN_STORAGE_KEY, "data": {}},
        ["not", "a", "document"],
    ],
)
async def test_a_storage_file_it_cannot_take_is_set_aside_not_fatal(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, document: object
) -> None:
    freezer.move_to(START)
    build_office(hass)
    path = storage_file(hass)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document)
    path.write_text(text, encoding="utf-8")

    entry = await setup_office(hass)

    assert entry.state is ConfigEntryState.LOADED
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "state_reset")
    assert issue is not None
    assert issue.translation_key == "state_reset_all"
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.office_aiot_brain_occupancy").state == (
        STATE_ON
    )
    # The file is kept aside as it was, and a fresh one is written.
    assert await hass.config_entries.async_unload(entry.entry_id)
    aside = list(path.parent.glob(f"{BRAIN_STORAGE_KEY}.unreadable.*"))
    assert [each.read_text(encoding="utf-8") for each in aside] == [text]
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["version"] == 1
    assert set(saved["data"]["brain"]["zones"]) == {"office"}


async def test_a_later_releases_network_inventory_is_set_aside_not_fatal(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    path = storage_file(hass, NETWORK_STORAGE_KEY)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"version": 2, "key": NETWORK_STORAGE_KEY, "data": {}}),
        encoding="utf-8",
    )

    entry = await setup_office(hass, network_inventory=True)

    assert entry.state is ConfigEntryState.LOADED
    assert list(path.parent.glob(f"{NETWORK_STORAGE_KEY}.unreadable.*"))


async def test_the_network_inventory_is_a_private_file(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The household's devices and their addresses: readable by the owner only."""
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, network_inventory=True)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    path = storage_file(hass, NETWORK_STORAGE_KEY)
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == NETWORK_STORAGE_KEY
    assert path.stat().st_mode & 0o777 == 0o600


async def test_removing_the_entry_forgets_everything(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    write_store(hass, {"brain": "garbage"})
    aside = storage_file(hass).with_name(f"{BRAIN_STORAGE_KEY}.unreadable.2026")
    aside.write_text('{"version": 2}', encoding="utf-8")
    entry = await setup_office(hass)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert storage_file(hass).exists()
    # The devices the network inventory saw, and which the user acknowledged.
    await Store[dict[str, Any]](hass, 1, NETWORK_STORAGE_KEY).async_save({})
    assert storage_file(hass, NETWORK_STORAGE_KEY).exists()

    ir.async_create_issue(  # as a history that could not be read leaves it
        hass,
        DOMAIN,
        "history_failed_office",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="history_failed",
        translation_placeholders={"zone": "Office"},
    )
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()

    assert not storage_file(hass).exists()
    assert not storage_file(hass, NETWORK_STORAGE_KEY).exists()
    # Nor is a copy of what was learned, set aside as unreadable, left behind.
    assert not list(storage_file(hass).parent.glob(f"{DOMAIN}.*"))
    assert [
        issue for domain, issue in ir.async_get(hass).issues if domain == DOMAIN
    ] == []


@pytest.mark.parametrize(
    "saved",
    [
        "garbage",
        {"living_room": "garbage"},
        {"living_room": {"climate.living_room": {"version": 99}}},
        {"living_room": {"climate.living_room": {"version": 1, "holds": 7}}},
    ],
)
async def test_unreadable_controller_state_starts_that_device_afresh(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, saved: object
) -> None:
    await start_living_room_saved_as(hass, freezer, {"controller": saved})

    await acting.set_state(hass, acting.MOTION, "on")

    assert acting.target(hass) == 20.0
    assert hass.states.get(acting.CONTROL).attributes["held_until"] == {}


async def test_the_last_action_is_still_shown_after_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """What AIoT Brain last did to an area is no news lost with a reload."""
    freezer.move_to(acting.START)
    await acting.build_living_room(hass)
    entry = await acting.setup_brain(hass)
    await acting.set_state(hass, acting.MOTION, STATE_ON)
    await acting.minutes_pass(hass, freezer, 5)
    before = hass.states.get(acting.CONTROL).attributes
    assert before["last_action"].startswith("Heating Living room to 20.0 °C")

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    after = hass.states.get(acting.CONTROL).attributes
    assert after["last_action"] == before["last_action"]
    assert after["last_action_at"] == before["last_action_at"]


@pytest.mark.parametrize(
    "saved",
    [
        "garbage",
        {"living_room": 7},
        {"living_room": {"when": "2026-11-02T13:59:00+00:00"}},
        {"living_room": {"when": "yesterday", "reason": "Heating"}},
        {"living_room": {"when": "2026-11-02T13:59:00", "reason": "Heating"}},
    ],
)
async def test_an_unreadable_last_action_is_left_out(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, saved: object
) -> None:
    await start_living_room_saved_as(hass, freezer, {"last_actions": saved})

    assert hass.states.get(acting.CONTROL).attributes["last_action"] is None


@pytest.mark.parametrize(
    "sent",
    [
        "garbage",
        {"climate.living_room": 7},
        {"climate.living_room": {"domain": "climate"}},
        {
            "climate.living_room": {
                "domain": "climate",
                "service": "set_temperature",
                "data": {"temperature": 20.0},
                "reason": "Heating",
                "when": "2026-11-02T13:59:00",  # no zone: not ours to compare
            }
        },
    ],
)
async def test_unreadable_last_calls_are_left_out(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sent: object
) -> None:
    await start_living_room_saved_as(hass, freezer, {"sent": sent})

    await acting.set_state(hass, acting.MOTION, "on")

    assert acting.target(hass) == 20.0


def test_reloads_lose_nothing_it_learned() -> None:
    """The virtual apartment, driven with and without a reload every two hours."""

    async def drive(reload_every: int) -> dict[str, Any]:
        async with end_to_end.frozen_home_assistant(apartment.START) as (hass, advance):
            run = await end_to_end.async_set_up(hass, "apartment", 0, "automate")
            result = await end_to_end.async_run(
                run,
                apartment.MINUTES,
                apartment.LEARNING,
                advance,
                reload_every=reload_every,
            )
            result["control"] = end_to_end.building_figures(hass, run)
            for entry_id in (run.brain_entry_id, run.building_entry_id):
                await hass.config_entries.async_unload(entry_id)
        return result

    steady = asyncio.run(drive(0))
    reloaded = asyncio.run(drive(2 * 60))

    assert reloaded["reloads"] == apartment.MINUTES // (2 * 60)
    for figure in ("accuracy", "brier"):
        assert reloaded["overall"]["aiot_brain"][figure] == pytest.approx(
            steady["overall"]["aiot_brain"][figure], abs=0.005
        )
    for figure in ("heating_kwh", "miss_time_min", "lights_on_empty_min"):
        assert reloaded["control"][figure] == pytest.approx(
            steady["control"][figure], rel=0.02, abs=2
        )


@pytest.mark.parametrize("by", ["action", "hand"])
async def test_a_hold_is_saved_within_seconds(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    by: str,
) -> None:
    """A hold must outlive a power cut soon after, as a mode set then does."""
    freezer.move_to(acting.START)
    await acting.build_living_room(hass)
    await acting.setup_brain(hass, hold_minutes=600)
    await acting.set_state(hass, acting.MOTION, STATE_ON)
    assert acting.target(hass) == 20.0

    if by == "action":
        await hass.services.async_call(
            DOMAIN, "hold", {"area_id": "living_room", "duration": {"hours": 8}},
            blocking=True,
        )  # fmt: skip
    else:
        await hass.services.async_call(
            "climate", "set_temperature",
            {"entity_id": acting.THERMOSTAT, "temperature": 22.5},
            blocking=True, context=Context(user_id=hass_admin_user.id),
        )  # fmt: skip
    await acting.seconds_pass(hass, freezer, 30)

    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))
    engine = saved["data"]["controller"]["living_room"][acting.THERMOSTAT]
    assert list(engine["holds"]) == [acting.THERMOSTAT]


async def test_an_area_deleted_while_not_running_is_forgotten_as_at_run_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await office_and_kitchen_saved(hass, freezer)

    ar.async_get(hass).async_delete("kitchen")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert "kitchen" not in entry.runtime_data.coordinator.brain.zones
    assert await hass.config_entries.async_unload(entry.entry_id)
    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))["data"]
    assert list(saved["brain"]["zones"]) == ["office"]
    assert list(saved["controls"]["zones"]) == ["office"]

    # A new area of the same name starts afresh, not with the old one's habits.
    ar.async_get(hass).async_create("Kitchen")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("select.kitchen_aiot_brain_mode").state == "auto"
    kitchen = entry.runtime_data.coordinator.brain.zone("kitchen")
    assert kitchen.occupancy.self_labels == 0


def cold_night_while_down(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """The office cools to 17 °C while Home Assistant is down; as it starts, the
    sensor's integration sets up before AIoT Brain does."""
    freezer.tick(timedelta(hours=8))
    hass.states.async_set(
        "sensor.office_temperature", "17.0", {"unit_of_measurement": "°C"}
    )
    freezer.tick(timedelta(seconds=5))


async def test_a_reading_that_changed_while_not_running_is_read_at_start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    hass.states.async_set(
        "sensor.office_temperature", "21.5", {"unit_of_measurement": "°C"}
    )
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    cold_night_while_down(hass, freezer)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    office = entry.runtime_data.coordinator.brain.zone("office")
    assert office.latest[Role.TEMPERATURE] == 17.0


@pytest.mark.parametrize(
    "saved_at",
    [
        "2026-13-02T16:00:00+00:00",  # month 13: no moment at all
        "2026-11-02T16:00:00",  # no offset from UTC, which it is compared with
    ],
)
async def test_a_broken_save_time_stops_nothing_and_loses_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, saved_at: str
) -> None:
    entry = await office_and_kitchen_saved(hass, freezer)
    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))["data"]
    write_store(hass, {**saved, "saved_at": saved_at})
    # When the file was saved is not known, so the night's reading is news.
    cold_night_while_down(hass, freezer)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    coordinator = entry.runtime_data.coordinator
    assert coordinator.reset_zones == []
    assert coordinator.brain.zone("office").occupancy.self_labels > 0
    assert coordinator.brain.zone("office").latest[Role.TEMPERATURE] == 17.0
    assert hass.states.get("select.kitchen_aiot_brain_mode").state == "away"
    assert ir.async_get(hass).async_get_issue(DOMAIN, "state_reset") is None


async def test_a_setup_that_fails_half_way_leaves_nothing_running(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its listeners and its minute tick stop, and the saved file stays as it was.

    Left running, a retry would start a second coordinator beside it, both
    learning, acting and writing the same file.
    """
    entry = await office_and_kitchen_saved(hass, freezer)
    text = storage_file(hass).read_text(encoding="utf-8")
    listening = hass.bus.async_listeners()

    async def fail(*_: Any) -> None:
        raise RuntimeError("a fault late in the start")

    monkeypatch.setattr(hass.config_entries, "async_forward_entry_setups", fail)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert hass.bus.async_listeners() == listening
    await minutes_pass(hass, freezer, 10)  # no tick left to learn or save
    assert storage_file(hass).read_text(encoding="utf-8") == text


async def test_a_reload_is_no_arrival_for_someone_sitting_in_the_dark(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """An option changed (a reload) or a restart leaves a light switched off off."""
    freezer.move_to(acting.START)
    await acting.build_living_room(hass, climates=[], lights=[acting.lamp()])
    entry = await acting.setup_brain(hass, hold_minutes=30)
    await acting.set_state(hass, acting.MOTION, STATE_ON)
    assert hass.states.get(acting.LAMP).state == STATE_ON
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": acting.LAMP},
        blocking=True, context=Context(user_id=hass_admin_user.id),
    )  # fmt: skip
    # They stay, moving now and then, long after the hold ended.
    for minute in range(60):
        await acting.set_state(
            hass, acting.MOTION, STATE_OFF if minute % 2 else STATE_ON
        )
        await acting.minutes_pass(hass, freezer, 1)
    assert hass.states.get(acting.LAMP).state == STATE_OFF

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await acting.set_state(hass, acting.MOTION, STATE_OFF)
    await acting.set_state(hass, acting.MOTION, STATE_ON)
    await acting.minutes_pass(hass, freezer, 1)

    assert hass.states.get(acting.LAMP).state == STATE_OFF


async def test_someone_coming_home_as_home_assistant_starts_gets_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Down with someone there; five hours later, someone comes in as it starts."""
    freezer.move_to(acting.START)  # 14:00
    await acting.build_living_room(hass, climates=[], lights=[acting.lamp()])
    entry = await acting.setup_brain(hass)
    await acting.set_state(hass, acting.MOTION, STATE_ON)
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": acting.LAMP},
        blocking=True, context=Context(user_id=hass_admin_user.id),
    )  # fmt: skip
    await acting.minutes_pass(hass, freezer, 5)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    freezer.tick(timedelta(hours=5))
    hass.states.async_set(acting.MOTION, STATE_OFF)  # they went out meanwhile
    freezer.tick(timedelta(minutes=1))
    hass.states.async_set(acting.MOTION, STATE_ON)  # home at dusk

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await acting.minutes_pass(hass, freezer, 1)

    assert hass.states.get(acting.LAMP).state == STATE_ON


async def test_a_room_left_while_home_assistant_was_down_is_empty_after_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Down five hours with someone there, who left meanwhile: nobody is there now."""
    freezer.move_to(acting.START)  # 14:00
    await acting.build_living_room(hass, lights=[acting.lamp()])
    entry = await acting.setup_brain(hass)
    await acting.set_state(hass, acting.MOTION, STATE_ON)
    await acting.minutes_pass(hass, freezer, 5)
    assert hass.states.get("binary_sensor.living_room_aiot_brain_occupancy").state == (
        STATE_ON
    )
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    freezer.tick(timedelta(hours=5))
    # The motion sensor's integration starts first, showing no motion.
    hass.states.async_set(acting.MOTION, STATE_OFF)
    freezer.tick(timedelta(seconds=5))

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await acting.minutes_pass(hass, freezer, 1)

    occupancy = hass.states.get("binary_sensor.living_room_aiot_brain_occupancy")
    assert occupancy.state == STATE_OFF
    reason = hass.states.get(acting.CONTROL).attributes["reasons"][acting.THERMOSTAT]
    assert "occupied" not in reason
    # Whoever comes in now is someone arriving: the light comes on.
    await acting.set_state(hass, acting.MOTION, STATE_ON)
    assert hass.states.get(acting.LAMP).state == STATE_ON


@pytest.mark.parametrize("text", ["", '{"version": 1, "data": {"brain": '])
async def test_removing_the_entry_forgets_a_broken_file_too(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, text: str
) -> None:
    """Home Assistant keeps an empty or cut-off file aside; removing forgets it."""
    freezer.move_to(START)
    build_office(hass)
    path = storage_file(hass)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    entry = await setup_office(hass)
    assert list(path.parent.glob(f"{BRAIN_STORAGE_KEY}.corrupt.*"))

    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()

    assert not list(path.parent.glob(f"{DOMAIN}.*"))
    # Nor does a repair ask to restore a file of an integration that is gone.
    assert [
        issue_id
        for _domain, issue_id in ir.async_get(hass).issues
        if BRAIN_STORAGE_KEY in issue_id
    ] == []


async def test_a_zone_reset_keeps_what_people_taught_it_by_hand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A model it cannot read (a later release's, after going back) costs only itself.

    What sensors taught is learned again; the comfort people set by hand could
    not be: history cannot tell their changes from ours.
    """
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    await live_a_morning(hass, freezer)
    comfort = hass.states.get("sensor.office_aiot_brain_comfort_setpoint").state
    assert float(comfort) > 20.0  # taught by the hand on the thermostat
    assert await hass.config_entries.async_unload(entry.entry_id)
    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))
    saved["data"]["brain"]["zones"]["office"]["forecast"]["version"] = 99
    write_store(hass, saved["data"])

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    coordinator = entry.runtime_data.coordinator
    assert coordinator.reset_zones == ["office"]
    assert coordinator.brain.zone("office").occupancy.self_labels == 0
    assert hass.states.get("sensor.office_aiot_brain_comfort_setpoint").state == (
        comfort
    )
    # The later release's forecast is kept aside for it.
    aside = list(storage_file(hass).parent.glob(f"{BRAIN_STORAGE_KEY}.unreadable.*"))
    assert [json.loads(each.read_text(encoding="utf-8"))["data"] for each in aside] == [
        saved["data"]
    ]
    # Kept across the next restart too.
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.office_aiot_brain_comfort_setpoint").state == (
        comfort
    )


async def test_a_relearn_is_saved_within_seconds(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """As a reset is: a power cut soon after must not bring the old state back."""
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass)
    await live_a_morning(hass, freezer)

    await hass.services.async_call(
        DOMAIN, "relearn", {"area_id": "office"}, blocking=True
    )
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))["data"]
    assert saved["brain"]["zones"]["office"]["occupancy"]["self_labels"] == 0


@pytest.mark.parametrize(
    "broken",
    [
        '{"version": 1, "data": {"brain": ',  # cut off: Home Assistant sets it aside
        json.dumps({"version": 1, "key": BRAIN_STORAGE_KEY, "data": {"controls": 7}}),
    ],
)
async def test_an_area_switched_off_stays_off_when_the_saved_file_is_lost(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, broken: str
) -> None:
    """Home Assistant's own copy of the switches and selects stands in for ours."""
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    for domain, service, data in (
        ("switch", "turn_off", {"entity_id": "switch.office_aiot_brain_control"}),
        ("select", "select_option", {"entity_id": OFFICE_MODE, "option": "eco"}),
        ("select", "select_option", {"entity_id": BUILDING_MODE, "option": "away"}),
        ("number", "set_value", {"entity_id": OFFICE_OFFSET, "value": 1.5}),
    ):
        await hass.services.async_call(domain, service, data, blocking=True)
    assert await hass.config_entries.async_unload(entry.entry_id)
    storage_file(hass).write_text(broken, encoding="utf-8")

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert hass.states.get("switch.office_aiot_brain_control").state == STATE_OFF
    assert hass.states.get(OFFICE_MODE).state == "eco"
    assert hass.states.get(BUILDING_MODE).state == "away"
    assert hass.states.get(OFFICE_OFFSET).state == "1.5"
    controls = entry.runtime_data.coordinator.zone_controls("office")
    assert (controls.control, controls.mode, controls.comfort_offset) == (
        False,
        "eco",
        1.5,
    )


async def test_a_comfort_offset_kept_by_home_assistant_in_fahrenheit_is_read_so(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Kept as 3 °F, it is 3 °F again, not 3 K."""
    freezer.move_to(START)
    hass.config.units = US_CUSTOMARY_SYSTEM
    build_office(hass)
    entry = await setup_office(hass)
    await hass.services.async_call(
        "number", "set_value", {"entity_id": OFFICE_OFFSET, "value": 3}, blocking=True
    )
    assert await hass.config_entries.async_unload(entry.entry_id)
    storage_file(hass).unlink()

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert float(hass.states.get(OFFICE_OFFSET).state) == 3.0
    offset = entry.runtime_data.coordinator.zone_controls("office").comfort_offset
    assert offset == pytest.approx(3 / 1.8)


async def test_what_the_saved_file_says_wins_over_home_assistants_copy(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Home Assistant's copy stands in only for what our file lost."""
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": OFFICE_MODE, "option": "eco"},
        blocking=True,
    )
    assert await hass.config_entries.async_unload(entry.entry_id)
    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))
    saved["data"]["controls"]["zones"]["office"]["mode"] = "comfort"
    write_store(hass, saved["data"])

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert hass.states.get(OFFICE_MODE).state == "comfort"


PREVIOUS_RELEASE = Path(__file__).parent / "fixtures" / "saved_by_previous_release.json"


async def start_living_room_from_previous_release(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> tuple[MockConfigEntry, dict[str, Any]]:
    """Start the living room on the file the previous release saved; its predictions.

    The file is what release a648c0a's own core saved of a living room after four
    days: evenings at home with the heating turned up and the lamp dimmed by hand,
    a light switched off on someone who switched it back on, the thermostat held
    (the hold action) and a suggestion for the lamp dismissed. With it, that core's
    predictions at the moment it was saved. Made by feeding that release's
    ``Brain`` simulated minutes and saving ``to_dict()`` beside two
    ``ZoneController`` states, with the release's checkout first on the path.
    """
    fixture = json.loads(PREVIOUS_RELEASE.read_text(encoding="utf-8"))
    predicted: dict[str, Any] = fixture["predicted"]
    saved_at = datetime.fromisoformat(predicted["moment"])
    # Home Assistant's entities are there as it starts; none changed since the save.
    freezer.move_to(saved_at - timedelta(minutes=5))
    await acting.build_living_room(hass, lights=[acting.lamp()])
    hass.states.async_set(
        "sensor.outdoor",
        "6.0",
        {"unit_of_measurement": "°C", "device_class": "temperature"},
    )
    hass.states.async_set(acting.MOTION, STATE_ON)
    path = storage_file(hass)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fixture["store"]), encoding="utf-8")
    freezer.move_to(saved_at)
    entry = await acting.setup_brain(hass, "suggest", outdoor_source="sensor.outdoor")
    return entry, fixture


async def test_what_the_previous_release_learned_is_kept_after_the_update(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry, fixture = await start_living_room_from_previous_release(hass, freezer)
    old = fixture["predicted"]
    saved_zone = fixture["store"]["data"]["brain"]["zones"]["living_room"]

    zone = acting.coordinator_of(entry).brain.zone("living_room")
    new = zone.predict_one(
        datetime.fromisoformat(old["moment"]), can_heat=True, can_cool=False
    )
    approx = partial(pytest.approx, rel=1e-9, abs=1e-9)
    assert new.occupancy_probability == approx(old["occupancy_probability"])
    assert new.comfort_setpoint == approx(old["comfort_setpoint"])
    # Told now at the occupancy usual at people's changes, not the present one,
    # the comfort is no less sure than that release's answer.
    assert new.comfort_setpoint_std <= old["comfort_setpoint_std"]
    assert new.heating_setpoint == approx(old["heating_setpoint"])
    lighting = new.lighting
    assert lighting["brightness"] == old["brightness"]
    assert lighting["color_temp"] == old["color_temp"]
    assert lighting["light_on"] == old["light_on"]
    assert lighting["vacancy_delay"].total_seconds() == old["vacancy_delay"]
    assert list(new.thermal or ()) == approx(old["thermal"])
    assert new.forecast == approx(old["forecast"])
    assert new.next_arrival == datetime.fromisoformat(old["next_arrival"])
    assert new.arrival_confidence == approx(old["arrival_confidence"])
    assert new.next_departure == datetime.fromisoformat(old["next_departure"])
    assert new.departure_confidence == approx(old["departure_confidence"])
    assert new.time_to_temperature == timedelta(seconds=old["time_to_temperature"])
    assert [anomaly.reason for anomaly in new.anomalies] == old["anomalies"]
    assert new.reasons["anomaly"] == old["anomaly_reason"]
    assert new.reasons["absence"] == old["absence_reason"]
    # What each model learned, whole: the anomaly and absence history with it.
    # What the models keep since that release starts empty: no silence learnt
    # lately, the usual air change, no run paused nor its stretches added up nor
    # how slow runs were, no one let in unseen.
    added = {
        "occupancy": {"empty_learnt_at": None, "air_changes_per_hour": 0.8},
        "anomalies": {
            "paused_run": None,
            "hvac_stretch": [],
            "hvac_done": 0.0,
            "hvac_lags": [0.0, 0.0],
        },
    }
    # Each reading's record keeps more at its end: when someone was first seen
    # after its last change, none known, and the area's occupied hours when it
    # went unavailable, none (it had not).
    kept_since: list[Any] = [None, None]
    added["anomalies"]["sources"] = {
        name: [[*record, *kept_since] for record in records]
        for name, records in saved_zone["anomalies"]["sources"].items()
    }
    for model in (
        "occupancy",
        "forecast",
        "comfort",
        "season",
        "thermal",
        "anomalies",
        "absences",
    ):
        learned = getattr(zone, model).to_dict()
        assert learned == {**saved_zone[model], **added.get(model, {})}, model
    lighting_now = zone.lighting.to_dict()
    saved_lighting = saved_zone["lighting"]
    # Nor had it watched the air or the power after exits, nor people moving on,
    # nor kept the quiet spells under the light or each door sensor's reading,
    # nor which opening of the door let someone in.
    no_air = {
        "doors": {},
        "door_let_in": None,
        "lit_spells": [0.0] * 31,
        "lit_since": None,
        "lit_cut": None,
        "cut_bin": None,
        "co2": {},
        "air_at_door": {},
        "air_fell": False,
        "power": None,
        "power_read": None,
        "power_idle": None,
        "power_used": None,
        "power_idled": False,
        "untold": None,
        "by_kind": {},
        "moved_on": {"exits": 0.0, "stayers": 0.0},
    }
    assert {key: lighting_now[key] for key in saved_lighting} == {
        **saved_lighting,
        "exits": {**saved_lighting["exits"], "entering": False, **no_air},
    }
    # What the entities show of it.
    comfort = hass.states.get("sensor.living_room_aiot_brain_comfort_setpoint")
    assert float(comfort.state) == pytest.approx(old["comfort_setpoint"], abs=0.05)


async def test_the_previous_releases_holds_and_dismissals_stand_after_the_update(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry, fixture = await start_living_room_from_previous_release(hass, freezer)
    saved_zone = fixture["store"]["data"]["brain"]["zones"]["living_room"]

    coordinator = acting.coordinator_of(entry)
    assert coordinator.reset_zones == []
    assert ir.async_get(hass).async_get_issue(DOMAIN, "state_reset") is None
    assert not list(storage_file(hass).parent.glob(f"{BRAIN_STORAGE_KEY}.unreadable.*"))
    # The thermostat's hold and the dismissed suggestion for the lamp stand.
    engines = coordinator.control.engines["living_room"]
    saved_engines = fixture["store"]["data"]["controller"]["living_room"]
    hold = engines[acting.THERMOSTAT].holds[acting.THERMOSTAT]
    assert [
        hold.since.isoformat(),
        hold.until.isoformat(),
        hold.reason,
        hold.asked,
    ] == (saved_engines[acting.THERMOSTAT]["holds"][acting.THERMOSTAT])
    held = hass.states.get(acting.CONTROL).attributes["held_until"]
    assert list(held) == [acting.THERMOSTAT]
    declined = engines[acting.LAMP].declined[acting.LAMP]
    assert declined.command.data == {"brightness_pct": 80}
    assert acting.LAMP not in coordinator.control.proposed
    # It goes on learning, deciding and saving from there without a fault.
    await acting.set_state(hass, acting.MOTION, STATE_OFF)
    await acting.minutes_pass(hass, freezer, 10)
    # Nothing of ours warns, and nothing errs.
    complaints = [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR
        or (record.levelno >= logging.WARNING and record.name.startswith(LOGGER.name))
    ]
    assert complaints == []
    saved = json.loads(storage_file(hass).read_text(encoding="utf-8"))["data"]
    saved_now = saved["brain"]["zones"]["living_room"]
    assert "lamps" in saved_now["lighting"]  # saved anew
    assert saved_now["comfort"] == saved_zone["comfort"]
    # Going back to the previous release, it finds all it reads, in its versions.
    for model, state in saved_zone.items():
        if isinstance(state, dict) and "version" in state:
            assert set(saved_now[model]) >= set(state), model
            assert saved_now[model].get("version") == state.get("version"), model
