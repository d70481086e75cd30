"""The entities: what they are in the registries, and what their states say."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
    label_registry as lr,
)
from homeassistant.helpers.entity import EntityCategory
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.aiot_brain import (
    binary_sensor,
    button,
    entity,
    number,
    select,
    sensor,
    switch,
)
from custom_components.aiot_brain.brain.observation import Observation, Role
from custom_components.aiot_brain.brain.timefeatures import wall_clock
from custom_components.aiot_brain.brain.zone import EarlyArrival
from custom_components.aiot_brain.const import DOMAIN

from .test_coordinator import (
    START,
    add_entity,
    build_office,
    coordinator_of,
    minutes_pass,
    setup_office,
)

INTEGRATION = Path(sensor.__file__).parent
DESCRIPTIONS = {
    "binary_sensor": binary_sensor.ZONE_BINARY_SENSORS,
    "button": button.ZONE_BUTTONS,
    "number": (number.COMFORT_OFFSET,),
    "select": (select.ZONE_MODE, select.BUILDING_MODE),
    "sensor": (
        *sensor.ZONE_SENSORS,
        sensor.ZONE_CONTROL_STATUS,
        *sensor.BUILDING_SENSORS,
    ),
    "switch": (switch.ZONE_CONTROL,),
}


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_entity_has_a_name_and_an_icon(language: str) -> None:
    names = json.loads(
        (INTEGRATION / "translations" / f"{language}.json").read_text(encoding="utf-8")
    )["entity"]
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    for platform, descriptions in DESCRIPTIONS.items():
        for description in descriptions:
            key = description.translation_key
            assert names[platform][key]["name"], (platform, key)
            assert icons["entity"][platform][key]["default"], (platform, key)
    modes = names["select"]["mode"]["state"]
    assert set(modes) == set(select.MODE_OPTIONS)
    statuses = names["sensor"]["control_status"]["state"]
    assert set(statuses) == set(sensor.ZONE_CONTROL_STATUS.options or ())


async def test_zone_entities_in_the_registries(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    entities = er.async_get(hass)
    devices = dr.async_get(hass)

    office = [
        entity
        for entity in er.async_entries_for_config_entry(entities, entry.entry_id)
        if entity.unique_id.startswith(f"{entry.entry_id}_office_")
    ]
    expected = {
        description.key
        for platform, descriptions in DESCRIPTIONS.items()
        for description in descriptions
        if description not in sensor.BUILDING_SENSORS
        and description is not select.BUILDING_MODE
    }
    assert {
        entity.unique_id.removeprefix(f"{entry.entry_id}_office_") for entity in office
    } == expected
    device = devices.async_get(office[0].device_id)
    assert device is not None
    assert device.area_id == "office"
    assert device.via_device_id == entry.runtime_data.building_device_id
    assert all(entity.device_id == device.id for entity in office)
    by_key = {entity.unique_id.rsplit("_office_", 1)[1]: entity for entity in office}
    for key in ("model_accuracy", "model_calibration"):
        assert by_key[key].entity_category is EntityCategory.DIAGNOSTIC
        assert by_key[key].disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert by_key["relearn"].entity_category is EntityCategory.CONFIG
    for key in (
        "occupancy",
        "occupancy_probability",
        "mode",
        "comfort_setpoint",
        "comfort_offset",
        "control",
    ):
        assert by_key[key].entity_category is None
        assert by_key[key].disabled_by is None

    probability = hass.states.get("sensor.office_aiot_brain_occupancy_probability")
    assert probability.attributes["state_class"] == "measurement"
    assert probability.attributes["unit_of_measurement"] == "%"
    assert probability.state.isdigit()  # whole percent
    setpoint = hass.states.get("sensor.office_aiot_brain_comfort_setpoint")
    assert setpoint.attributes["device_class"] == "temperature"
    assert setpoint.state == "20.0"
    occupancy = hass.states.get("binary_sensor.office_aiot_brain_occupancy")
    assert occupancy.attributes["device_class"] == "occupancy"
    progress = hass.states.get("sensor.aiot_brain_learning_progress")
    assert progress.state == "100"


async def test_accuracy_and_calibration_once_enabled(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    entities = er.async_get(hass)
    for name in ("model_accuracy", "model_calibration_error"):
        entities.async_update_entity(
            f"sensor.office_aiot_brain_{name}", disabled_by=None
        )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    accuracy = "sensor.office_aiot_brain_model_accuracy"
    assert hass.states.get(accuracy).state == STATE_UNKNOWN  # nothing scored yet

    for _ in range(3):
        hass.states.async_set("binary_sensor.office_motion", STATE_ON)
        await minutes_pass(hass, freezer, 1)
        hass.states.async_set("binary_sensor.office_motion", STATE_OFF)
        await minutes_pass(hass, freezer, 20)

    assert 0 <= int(hass.states.get(accuracy).state) <= 100
    calibration = hass.states.get("sensor.office_aiot_brain_model_calibration_error")
    assert 0 <= int(calibration.state) <= 100


async def test_window_is_inferred_without_a_contact(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass, outdoor_source="weather.home")
    window = "binary_sensor.office_aiot_brain_window_open"
    assert hass.states.get(window).state == STATE_UNKNOWN  # no temperatures yet
    hass.states.async_set(
        "weather.home", "sunny", {"temperature": 0.0, "temperature_unit": "°C"}
    )
    for _ in range(30):
        hass.states.async_set(
            "sensor.office_temperature", "21.0", {"unit_of_measurement": "°C"}
        )
        await minutes_pass(hass, freezer, 1)
    assert hass.states.get(window).state == STATE_OFF

    for minute in range(15):
        hass.states.async_set(
            "sensor.office_temperature",
            str(21.0 - 0.3 * minute),
            {"unit_of_measurement": "°C"},
        )
        await minutes_pass(hass, freezer, 1)

    assert hass.states.get(window).state == STATE_ON


async def test_window_contact_wins(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    contact = add_entity(
        hass, "binary_sensor", "office_window", "office", original_device_class="window"
    )
    await setup_office(hass)
    window = "binary_sensor.office_aiot_brain_window_open"

    hass.states.async_set(contact, STATE_ON)
    await hass.async_block_till_done()
    assert hass.states.get(window).state == STATE_ON
    hass.states.async_set(contact, STATE_OFF)
    await hass.async_block_till_done()
    assert hass.states.get(window).state == STATE_OFF


async def test_anomaly_shows_its_reason(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    anomaly = "binary_sensor.office_aiot_brain_anomaly"
    assert hass.states.get(anomaly).state == STATE_OFF
    assert hass.states.get(anomaly).attributes["reason"] is None

    # A thermometer that reports an impossible value is a fault the core reports.
    zone = coordinator_of(entry).brain.zone("office")
    zone.anomalies.learn_one(
        Observation(Role.TEMPERATURE, 120.0, dt_util.now(), "sensor.office_temperature")
    )
    await minutes_pass(hass, freezer, 1)

    state = hass.states.get(anomaly)
    assert state.state == STATE_ON
    assert state.attributes["device_class"] == "problem"
    assert state.attributes["kinds"] == ["out_of_range"]
    assert "sensor.office_temperature" in state.attributes["reason"]


async def test_controls_are_what_the_coordinator_reads(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    coordinator = coordinator_of(entry)

    await hass.services.async_call(
        "select", "select_option",
        {"entity_id": "select.aiot_brain_building_mode", "option": "away"},
        blocking=True,
    )  # fmt: skip
    await hass.services.async_call(
        "number", "set_value",
        {"entity_id": "number.office_aiot_brain_comfort_offset", "value": -2},
        blocking=True,
    )  # fmt: skip
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.office_aiot_brain_control"},
        blocking=True,
    )  # fmt: skip
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.office_aiot_brain_control"},
        blocking=True,
    )  # fmt: skip

    assert coordinator.building_mode == "away"
    assert hass.states.get("select.aiot_brain_building_mode").state == "away"
    assert coordinator.zone_controls("office").comfort_offset == -2.0
    assert coordinator.zone_controls("office").control is True
    assert hass.states.get("number.office_aiot_brain_comfort_offset").state == "-2.0"


@pytest.mark.parametrize("target", ["area", "floor", "label"])
async def test_control_switches_off_for_a_whole_floor_or_label(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, target: str
) -> None:
    """A building manager switches control off floor by floor, or by a label."""
    freezer.move_to(START)
    build_office(hass)
    floor = fr.async_get(hass).async_create("Second floor")
    label = lr.async_get(hass).async_create("Tenant A")
    ar.async_get(hass).async_update(
        "office", floor_id=floor.floor_id, labels={label.label_id}
    )
    entry = await setup_office(hass, zones=("office", "kitchen"))
    coordinator = coordinator_of(entry)

    targets = {
        "area": {"area_id": "office"},
        "floor": {"floor_id": floor.floor_id},
        "label": {"label_id": label.label_id},
    }
    await hass.services.async_call("switch", "turn_off", targets[target], blocking=True)

    assert coordinator.zone_controls("office").control is False
    assert hass.states.get("switch.office_aiot_brain_control").state == STATE_OFF
    assert coordinator.zone_controls("kitchen").control is True  # not aimed at


NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("old", "new", "deadband", "minutes", "expected"),
    [
        (40, 45, 10, 0, False),  # a wobble is not worth a recorder row
        (40, 50, 10, 0, True),
        (96, 100, 10, 0, True),  # certainty is always shown
        (4, 0, 10, 0, True),
        (20.1, 20.2, 0, 0, True),  # no deadband: every change
        (None, 5, 10, 0, True),
        (5, None, 10, 0, True),
        (40, 60, 10, 30, True),  # a percent is no time: its own deadband
        (NINE, NINE + timedelta(minutes=15), 10, 30, False),
        (NINE, NINE + timedelta(minutes=30), 10, 30, True),
        (NINE, NINE + timedelta(minutes=15), 10, 0, True),
        (NINE, NINE, 0, 0, False),
        (100, 97, 10, 0, False),  # leaving certainty: by the deadband
    ],
)
def test_significant_change(
    old: Any, new: Any, deadband: float, minutes: float, expected: bool
) -> None:
    assert entity.significant(old, new, deadband, minutes) is expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [(45, 52, True), (50, 45, True), (52, 58, False), (40, 49, False)],
)
def test_a_change_across_the_threshold_is_significant(
    old: int, new: int, expected: bool
) -> None:
    assert entity.significant(old, new, 10, threshold=50) is expected


async def test_small_wobbles_write_no_state(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    probability = "sensor.office_aiot_brain_occupancy_probability"
    written: list[str] = []

    @callback
    def follow(event: Event) -> None:
        if event.data["entity_id"] == probability:
            written.append(event.data["new_state"].state)

    hass.bus.async_listen("state_changed", follow)
    coordinator = coordinator_of(entry)
    shown = int(hass.states.get(probability).state)
    prediction = coordinator.predictions["office"]
    for step in (0.03, 0.06, 0.2):
        coordinator.predictions["office"] = replace(
            prediction, occupancy_probability=shown / 100 + step
        )
        for listener in coordinator._zone_listeners["office"]:
            listener()

    assert written == [str(shown + 20)]


def show_prediction(entry: MockConfigEntry, zone_id: str, **changes: Any) -> None:
    """Give the zone a prediction that differs in ``changes``, and tell its entities."""
    coordinator = coordinator_of(entry)
    coordinator.predictions[zone_id] = replace(
        coordinator.predictions[zone_id], **changes
    )
    for listener in coordinator._zone_listeners[zone_id]:
        listener()


async def test_a_probability_crossing_half_is_written_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The Occupancy sensor turns on at 50 %: an automation comparing the
    probability with 50 sees it cross then, not 10 points later."""
    entry = await office_at_eight(hass, freezer)
    probability = "sensor.office_aiot_brain_occupancy_probability"
    show_prediction(entry, "office", occupancy_probability=0.2)
    show_prediction(entry, "office", occupancy_probability=0.45)
    written = states_written(hass, probability)

    show_prediction(entry, "office", occupancy_probability=0.52, occupied=True)

    assert [event.data["new_state"].state for event in written] == ["52"]
    assert (
        hass.states.get("binary_sensor.office_aiot_brain_occupancy").state == STATE_ON
    )


async def test_a_wobbling_comfort_uncertainty_writes_no_state(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An hour of the uncertainty moving between 1.5 and 1.7 K says nothing new;
    narrowed to 1.0 K (people's changes agree), it is written. (A move of 0.3 K,
    the prior's 1.5 K once someone is in, is written: see test_acting.)"""
    entry = await office_at_eight(hass, freezer)
    comfort = "sensor.office_aiot_brain_comfort_setpoint"
    show_prediction(entry, "office", comfort_setpoint_std=2.5)
    show_prediction(entry, "office", comfort_setpoint_std=1.6)  # a clear move
    assert hass.states.get(comfort).attributes["uncertainty"] == 1.6
    written = states_written(hass, comfort)

    for minute in range(60):
        std = (1.5, 1.6, 1.7, 1.6)[minute % 4] + minute % 3 * 0.01
        show_prediction(entry, "office", comfort_setpoint_std=std)
    assert written == []

    show_prediction(entry, "office", comfort_setpoint_std=1.0)
    assert [event.data["new_state"].attributes["uncertainty"] for event in written] == [
        1.0
    ]
    show_prediction(entry, "office", comfort_setpoint=23.0)  # the comfort: exact
    assert written[-1].data["new_state"].state == "23.0"


async def test_the_forecast_writes_its_other_horizons_when_they_clearly_move(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The next hour is the state, written at 10 points; the other horizons are
    attributes that move each quarter hour by a few points: only a move of 20 is
    news (an automation reading them sees them within that)."""
    entry = await office_at_eight(hass, freezer)
    forecast = "sensor.office_aiot_brain_occupancy_forecast_next_hour"

    def horizons(hour: float, others: float) -> dict[str, float]:
        return dict.fromkeys(("15min", "30min", "2h", "6h"), others) | {"1h": hour}

    show_prediction(entry, "office", forecast=horizons(0.5, 0.5))
    written = states_written(hass, forecast)

    for others in (0.6, 0.65, 0.45, 0.35, 0.64):
        show_prediction(entry, "office", forecast=horizons(0.5, others))
    assert written == []

    show_prediction(entry, "office", forecast=horizons(0.5, 0.75))
    assert [event.data["new_state"].attributes["in_6_hours"] for event in written] == [
        75
    ]
    show_prediction(entry, "office", forecast=horizons(0.62, 0.75))  # the state: 10
    assert written[-1].data["new_state"].state == "62"


async def test_a_time_to_temperature_hours_off_is_written_as_it_clearly_moves(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Three hours to go that shorten a minute each minute are no news each five
    minutes; its last minutes are, and reaching the temperature is written at once."""
    entry = await office_at_eight(hass, freezer)
    time_to_temperature = "sensor.office_aiot_brain_time_to_temperature"
    show_prediction(entry, "office", time_to_temperature=timedelta(minutes=180))
    written = states_written(hass, time_to_temperature)

    for left in range(179, 120, -1):  # an hour: 180 minutes to go, then 121
        show_prediction(entry, "office", time_to_temperature=timedelta(minutes=left))
    assert len(written) <= 2  # not 11

    for left in (110, 103, 100):
        show_prediction(entry, "office", time_to_temperature=timedelta(minutes=left))
    assert "100" not in [
        event.data["new_state"].state for event in written
    ]  # 100 minutes: no mark

    show_prediction(entry, "office", time_to_temperature=timedelta(minutes=6))
    show_prediction(entry, "office", time_to_temperature=timedelta(minutes=4))
    show_prediction(entry, "office", time_to_temperature=timedelta(0))
    assert [event.data["new_state"].state for event in written][-2:] == ["6", "0"]


async def test_a_time_to_temperature_shows_a_new_target_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The time stays; the temperature it is the time to does not: that is news."""
    entry = await office_at_eight(hass, freezer)
    time_to_temperature = "sensor.office_aiot_brain_time_to_temperature"
    to_go = timedelta(minutes=40)
    show_prediction(
        entry, "office", time_to_temperature=to_go, time_to_temperature_target=21.0
    )
    show_prediction(
        entry, "office", time_to_temperature=to_go, time_to_temperature_target=23.0
    )
    state = hass.states.get(time_to_temperature)
    assert state.attributes["target_temperature"] == 23.0
    written = states_written(hass, time_to_temperature)
    # A tenth's wobble of the target is no news.
    show_prediction(
        entry, "office", time_to_temperature=to_go, time_to_temperature_target=23.1
    )
    assert written == []


NEXT_ARRIVAL = "sensor.office_aiot_brain_next_arrival"


async def office_at_eight(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> MockConfigEntry:
    """The office set up at 08:00 local."""
    freezer.move_to(START)
    build_office(hass)
    return await setup_office(hass)


async def test_a_next_arrival_that_has_passed_is_not_shown(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await office_at_eight(hass, freezer)
    arrival = NEXT_ARRIVAL
    today = dt_util.now().replace(tzinfo=None)  # the core's wall clock
    show_prediction(entry, "office", when=today, next_arrival=today.replace(hour=9))
    assert dt_util.parse_datetime(hass.states.get(arrival).state) == (
        dt_util.now().replace(hour=9)
    )

    # Nobody came at 09:00; at 09:05 they are expected a quarter of an hour later.
    freezer.move_to(START + timedelta(hours=1, minutes=5))
    now = dt_util.now().replace(tzinfo=None)
    show_prediction(entry, "office", when=now, next_arrival=now.replace(minute=20))

    assert dt_util.parse_datetime(hass.states.get(arrival).state) == (
        dt_util.now().replace(minute=15, second=0, microsecond=0)
    )


async def test_a_short_visit_told_early_is_shown_as_the_next_arrival(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # At 08:00 the profile expects people at 13:00; someone has come in by 11:00
    # on most days, told only as an early arrival: that is the one shown.
    entry = await office_at_eight(hass, freezer)
    today = dt_util.now().replace(tzinfo=None)  # the core's wall clock
    show_prediction(
        entry,
        "office",
        when=today,
        occupied=False,
        next_arrival=today.replace(hour=13),
        arrival_confidence=0.55,
        early_arrival=EarlyArrival(today.replace(hour=11), 0.8, 21.0),
    )
    state = hass.states.get(NEXT_ARRIVAL)
    assert dt_util.parse_datetime(state.state) == dt_util.now().replace(hour=11)
    assert state.attributes["confidence"] == 80
    # get_forecast tells it as the sensor shows it.
    response = await hass.services.async_call(
        DOMAIN, "get_forecast", {}, blocking=True, return_response=True
    )
    assert response is not None
    zones: Any = response["zones"]
    assert dt_util.parse_datetime(zones["office"]["next_arrival"]) == (
        dt_util.now().replace(hour=11)
    )
    assert zones["office"]["arrival_confidence"] == 0.8
    # Once the next arrival is the sooner, it is shown with its own confidence.
    show_prediction(entry, "office", when=today, next_arrival=today.replace(hour=10))
    state = hass.states.get(NEXT_ARRIVAL)
    assert dt_util.parse_datetime(state.state) == dt_util.now().replace(hour=10)
    assert state.attributes["confidence"] == 55


async def test_an_arrival_within_the_quarter_hour_is_not_shown_as_past(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await office_at_eight(hass, freezer)
    today = dt_util.now().replace(tzinfo=None)  # the core's wall clock
    show_prediction(entry, "office", when=today, next_arrival=today.replace(hour=10))
    # At 09:05 someone is expected at 09:10, as they come every day.
    freezer.move_to(START + timedelta(hours=1, minutes=5))
    now = dt_util.now().replace(tzinfo=None)
    show_prediction(entry, "office", when=now, next_arrival=now.replace(minute=10))

    # Not 09:00, a time already past, which would stand until they came.
    shown = dt_util.parse_datetime(hass.states.get(NEXT_ARRIVAL).state)
    assert shown == dt_util.now().replace(minute=10, second=0, microsecond=0)


async def test_people_a_few_minutes_late_are_still_expected(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await office_at_eight(hass, freezer)
    today = dt_util.now().replace(tzinfo=None)  # the core's wall clock
    show_prediction(entry, "office", when=today, next_arrival=today.replace(hour=10))
    # At 09:05 the office is empty, and people are due now: they usually came by
    # 09:03.
    freezer.move_to(START + timedelta(hours=1, minutes=5))
    now = dt_util.now().replace(tzinfo=None)
    show_prediction(
        entry,
        "office",
        when=now,
        occupied=False,
        next_arrival=now,
        arrival_confidence=0.9,
    )

    # Not unknown, as if they were in or nobody was expected: within the quarter
    # hour under way.
    state = hass.states.get(NEXT_ARRIVAL)
    shown = dt_util.parse_datetime(state.state)
    assert shown == dt_util.now().replace(minute=15, second=0, microsecond=0)
    assert state.attributes["confidence"] == 90


async def test_people_who_just_left_are_not_taken_for_late(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await office_at_eight(hass, freezer)
    now = dt_util.now().replace(tzinfo=None)
    show_prediction(entry, "office", when=now, next_arrival=now.replace(hour=10))
    # The minute's forecast found them in (arrival now, certain); they left since.
    show_prediction(
        entry,
        "office",
        when=now,
        occupied=False,
        next_arrival=now,
        arrival_confidence=1.0,
    )

    assert hass.states.get(NEXT_ARRIVAL).state == STATE_UNKNOWN


NEXT_DEPARTURE = "sensor.office_aiot_brain_next_departure"


def states_written(hass: HomeAssistant, *entity_ids: str) -> list[Event]:
    """Collect the states ``entity_ids`` write from now on (each is a recorder row)."""
    written: list[Event] = []

    @callback
    def follow(event: Event) -> None:
        if event.data["entity_id"] in entity_ids:
            written.append(event)

    hass.bus.async_listen("state_changed", follow)
    return written


async def test_someone_sitting_still_does_not_flip_the_next_arrival_and_departure(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A motion sensor alone loses someone at a desk every few minutes: the times
    to come do not flip to unknown and back with it (two logbook lines each time),
    they follow the area once it has stayed in or out for a quarter of an hour."""
    entry = await office_at_eight(hass, freezer)
    now = dt_util.now().replace(tzinfo=None)  # the core's wall clock, 08:00
    evening = now.replace(hour=17, minute=30)
    show_prediction(
        entry,
        "office",
        when=now,
        occupied=False,
        next_arrival=now.replace(hour=9),
        arrival_confidence=0.8,
        next_departure=now,
        departure_confidence=1.0,
    )
    # In at 09:00, then lost and seen again every five minutes until 10:55.
    freezer.move_to(START + timedelta(hours=1))
    written = states_written(hass, NEXT_ARRIVAL, NEXT_DEPARTURE)
    for minute in range(115):
        now = dt_util.now().replace(tzinfo=None)
        occupied = minute % 10 < 5
        show_prediction(
            entry,
            "office",
            when=now,
            occupied=occupied,
            next_arrival=now if occupied else now + timedelta(minutes=5),
            arrival_confidence=1.0 if occupied else 0.8,
            next_departure=evening if occupied else now,
            departure_confidence=0.7 if occupied else 1.0,
        )
        freezer.tick(timedelta(minutes=1))

    # Its arrival came (a time past is never kept), its departure is shown: once each.
    assert hass.states.get(NEXT_ARRIVAL).state == STATE_UNKNOWN
    departure = hass.states.get(NEXT_DEPARTURE)
    assert dt_util.parse_datetime(departure.state) == dt_util.now().replace(
        hour=17, minute=30, second=0, microsecond=0
    )
    assert departure.attributes["confidence"] == 70
    assert len(written) == 2  # not 46

    # Gone for good at 10:55: a quarter of an hour later, tomorrow's arrival shows.
    tomorrow = now.replace(hour=9, minute=45, second=0) + timedelta(days=1)
    for _ in range(16):
        now = dt_util.now().replace(tzinfo=None)
        show_prediction(
            entry,
            "office",
            when=now,
            occupied=False,
            next_arrival=tomorrow,
            arrival_confidence=0.9,
            next_departure=now,
            departure_confidence=1.0,
        )
        freezer.tick(timedelta(minutes=1))
    arrival = hass.states.get(NEXT_ARRIVAL)
    assert dt_util.parse_datetime(arrival.state) == dt_util.now().replace(
        hour=9, minute=45, second=0, microsecond=0
    ) + timedelta(days=1)
    assert arrival.attributes["confidence"] == 90
    assert hass.states.get(NEXT_DEPARTURE).state == STATE_UNKNOWN
    assert len(written) == 4


async def test_a_morning_arrival_wobbling_overnight_is_written_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Each quarter hour of the night the forecast weighs 08:00 against 08:30: a half
    hour either way is no news hours ahead (a sixth of the time to it must pass);
    in the hour before it, it is."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    midnight = datetime(2026, 11, 2, 23, 0, tzinfo=UTC)  # 00:00 local
    freezer.move_to(midnight + timedelta(hours=1))
    build_office(hass)
    entry = await setup_office(hass)
    written = states_written(hass, NEXT_ARRIVAL)
    today = wall_clock(dt_util.as_local(midnight))
    for quarter in range(16):  # 01:00 to 04:45
        now = wall_clock(dt_util.now())
        arrival = today.replace(hour=8, minute=30 if quarter % 2 else 0)
        show_prediction(
            entry,
            "office",
            when=now,
            occupied=False,
            next_arrival=arrival,
            arrival_confidence=0.6,
        )
        freezer.tick(timedelta(minutes=15))

    assert len(written) == 1  # not 16
    # At 05:00 it is put back an hour: that is shown.
    show_prediction(
        entry,
        "office",
        when=wall_clock(dt_util.now()),
        occupied=False,
        next_arrival=today.replace(hour=9),
        arrival_confidence=0.6,
    )
    assert len(written) == 2
    assert dt_util.parse_datetime(hass.states.get(NEXT_ARRIVAL).state) == (
        midnight + timedelta(hours=9)
    )


async def office_when_the_clocks_go_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> tuple[MockConfigEntry, datetime, datetime]:
    """The office at 02:00 summer time, an hour before the clocks go back to 02:00.

    Its next arrival is shown at 08:00; returns the entry, now and the core's now.
    """
    await hass.config.async_set_time_zone("Europe/Berlin")
    now = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    freezer.move_to(now)
    build_office(hass)
    entry = await setup_office(hass)
    today = wall_clock(dt_util.as_local(now))
    show_prediction(entry, "office", when=today, next_arrival=today.replace(hour=8))
    return entry, now, today


async def test_an_arrival_in_the_hour_that_repeats_is_shown_in_that_hour(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry, now, today = await office_when_the_clocks_go_back(hass, freezer)
    arrival = NEXT_ARRIVAL

    expected = dt_util.as_local(now + timedelta(hours=1, minutes=50))  # 02:50 winter
    show_prediction(entry, "office", when=today, next_arrival=wall_clock(expected))

    shown = dt_util.parse_datetime(hass.states.get(arrival).state)
    assert shown == datetime(2026, 10, 25, 1, 45, tzinfo=UTC)  # 02:45 winter time


async def test_an_arrival_moved_to_the_second_pass_of_the_hour_is_shown(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry, now, today = await office_when_the_clocks_go_back(hass, freezer)
    arrival = NEXT_ARRIVAL
    for expected in (timedelta(minutes=45), timedelta(hours=1, minutes=45)):
        # 02:45 summer time, then 02:45 winter time: an hour later.
        when = wall_clock(dt_util.as_local(now + expected))
        show_prediction(entry, "office", when=today, next_arrival=when)
        shown = dt_util.parse_datetime(hass.states.get(arrival).state)
        assert shown == now + expected


async def test_the_confidence_of_an_arrival_follows_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await office_at_eight(hass, freezer)
    arrival = NEXT_ARRIVAL
    nine = dt_util.now().replace(tzinfo=None, hour=9)
    show_prediction(entry, "office", next_arrival=nine, arrival_confidence=0.55)
    assert hass.states.get(arrival).attributes["confidence"] == 55

    # The time stands; how sure it is rose by a quarter: worth telling.
    show_prediction(entry, "office", next_arrival=nine, arrival_confidence=0.8)

    assert hass.states.get(arrival).attributes["confidence"] == 80


async def test_an_empty_office_is_sure_of_no_departure_it_does_not_show(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await office_at_eight(hass, freezer)

    departure = hass.states.get("sensor.office_aiot_brain_next_departure")

    assert departure.state == STATE_UNKNOWN  # empty already: no departure to come
    assert departure.attributes["confidence"] is None


async def test_the_comfort_offset_follows_a_new_unit_system(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass)
    offset = "number.office_aiot_brain_comfort_offset"
    await hass.services.async_call(
        "number", "set_value", {"entity_id": offset, "value": -2}, blocking=True
    )

    await hass.config.async_update(unit_system="us_customary")
    await hass.async_block_till_done()

    # The slider offers what a value set now means: °F, not the °C shown before.
    state = hass.states.get(offset)
    assert state.attributes["unit_of_measurement"] == "°F"
    assert state.state == "-3.6"
    assert state.attributes["max"] == 5


async def test_a_zone_that_cannot_be_predicted_is_unavailable_not_stale(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    occupancy = "binary_sensor.office_aiot_brain_occupancy"
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(occupancy).state == STATE_ON

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise ZeroDivisionError("a bug in the office's model")

    office = coordinator_of(entry).brain.zone("office")
    monkeypatch.setattr(office, "predict_one", broken)
    await minutes_pass(hass, freezer, 1)

    # Not "occupied" from a prediction that can no longer be made.
    assert hass.states.get(occupancy).state == STATE_UNAVAILABLE
    assert hass.states.get("select.office_aiot_brain_mode").state == "auto"

    monkeypatch.undo()
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(occupancy).state == STATE_ON
