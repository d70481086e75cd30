"""What AIoT Brain leaves in the recorder's database, with the real recorder on SQLite."""

from __future__ import annotations

from datetime import timedelta
import re

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder, get_instance, history
from homeassistant.components.recorder.statistics import async_list_statistic_ids
from homeassistant.const import (
    EVENT_STATE_CHANGED,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)

from custom_components.aiot_brain.brain.observation import Observation, Role

from .test_coordinator import (
    FORECAST,
    OCCUPIED_ZONES,
    PROBABILITY,
    START,
    add_entity,
    build_office,
    coordinator_of,
    minutes_pass,
    setup_office,
)

TIME_TO_TEMPERATURE = "sensor.office_aiot_brain_time_to_temperature"
ANOMALY = "binary_sensor.office_aiot_brain_anomaly"
BUILDING_ANOMALY = "binary_sensor.aiot_brain_anomaly"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant, as the recorder fixtures require."""


@pytest.fixture
def enable_statistics() -> bool:
    """Compile statistics, as the recorder does every five minutes."""
    return True


async def office_after_a_visit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone in the office for ten minutes, then gone, all recorded."""
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass, outdoor_source="weather.home")
    hass.states.async_set(
        "weather.home", "rainy", {"temperature": 5.0, "temperature_unit": "°C"}
    )
    hass.states.async_set(
        "sensor.office_temperature", "18.0", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await minutes_pass(hass, freezer, 10)
    hass.states.async_set("binary_sensor.office_motion", STATE_OFF)
    await minutes_pass(hass, freezer, 10)
    await async_wait_recording_done(hass)


async def test_only_measurements_get_long_term_statistics(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A forecast or a time still to come is no measurement: statistics of it are kept
    for ever (a row every five minutes and every hour per area) and mean nothing."""
    await office_after_a_visit(hass, freezer)
    for entity_id in (PROBABILITY, FORECAST, TIME_TO_TEMPERATURE, OCCUPIED_ZONES):
        float(hass.states.get(entity_id).state)  # each has a number to compile

    do_adhoc_statistics(hass, start=START + timedelta(minutes=10))
    await async_wait_recording_done(hass)

    compiled = {item["statistic_id"] for item in await async_list_statistic_ids(hass)}
    assert {PROBABILITY, OCCUPIED_ZONES} <= compiled
    assert FORECAST not in compiled
    assert TIME_TO_TEMPERATURE not in compiled


async def test_forecast_horizons_are_not_recorded(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Each change of the forecast would store its five horizons anew; they are shown
    (automations read them), the recorder keeps the next hour's state alone."""
    await office_after_a_visit(hass, freezer)
    assert "in_30_minutes" in hass.states.get(FORECAST).attributes

    recorded = await get_instance(hass).async_add_executor_job(
        history.state_changes_during_period, hass, START, None, FORECAST
    )

    assert recorded[FORECAST]
    for state in recorded[FORECAST]:
        assert state.attributes["unit_of_measurement"] == "%"
        assert not any(name.startswith("in_") for name in state.attributes)


async def test_a_building_wide_outage_is_recorded_with_how_many_areas_it_hit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Sixty meeting rooms lose their Zigbee coordinator for an hour.

    The building's Anomaly sensor names every room with its motion, temperature,
    humidity and CO2 sensors gone: more than the 16 KB of attributes the recorder
    keeps of a state, beyond which it keeps none. The history still shows the
    problem and how many areas it hit; the live state names them.
    """
    freezer.move_to(START)
    areas = ar.async_get(hass)
    rooms, sensors = [], []
    for number in range(60):
        room = areas.async_create(f"Meeting room {number:02d}").id
        rooms.append(room)
        motion = add_entity(
            hass,
            "binary_sensor",
            f"{room}_motion",
            room,
            original_device_class="motion",
        )
        hass.states.async_set(motion, STATE_OFF)
        sensors.append(motion)
        for kind, unit, value in (
            ("temperature", "°C", "21.0"),
            ("humidity", "%", "45"),
            ("carbon_dioxide", "ppm", "600"),
        ):
            sensor = add_entity(
                hass, "sensor", f"{room}_{kind}", room,
                original_device_class=kind, unit_of_measurement=unit,
            )  # fmt: skip
            hass.states.async_set(sensor, value, {"unit_of_measurement": unit})
            sensors.append(sensor)
    await setup_office(hass, zones=tuple(rooms))
    await minutes_pass(hass, freezer, 3)

    for sensor in sensors:
        hass.states.async_set(sensor, STATE_UNAVAILABLE)
    await minutes_pass(hass, freezer, 65)
    await async_wait_recording_done(hass)

    shown = hass.states.get(BUILDING_ANOMALY)
    assert shown.state == STATE_ON
    assert len(shown.attributes["areas"]) == 60
    recorded = await get_instance(hass).async_add_executor_job(
        history.state_changes_during_period, hass, START, None, BUILDING_ANOMALY
    )
    last = recorded[BUILDING_ANOMALY][-1]
    assert last.state == STATE_ON
    assert last.attributes["device_class"] == "problem"
    assert last.attributes["count"] == 60


def drifted_by(hass: HomeAssistant, sensor: str) -> float:
    """How far the Anomaly sensor says ``sensor`` reads from its peers."""
    reason = hass.states.get(ANOMALY).attributes["reason"]
    found = re.search(rf"{sensor} reads \+([0-9.]+) ppm", reason)
    assert found is not None, reason
    return float(found[1])


async def test_a_drifting_sensor_writes_its_anomaly_when_its_figures_clearly_move(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """How far it drifted moves with each reading: its anomaly is not stored anew
    each minute for the days until someone replaces it (nor the building's), only
    when a figure moves by half."""
    freezer.move_to(START)
    build_office(hass)
    sensors = [
        "sensor.office_co2",
        *(
            add_entity(
                hass,
                "sensor",
                f"office_co2_{number}",
                "office",
                original_device_class="carbon_dioxide",
                unit_of_measurement="ppm",
            )
            for number in (2, 3)
        ),
    ]
    entry = await setup_office(hass)

    def reading(entity_id: str, minute: int) -> float:
        # The third reads 600 ppm too high from the start, 1,500 after two hours.
        drift = (600 if minute < 120 else 1500) if entity_id == sensors[2] else 0
        return 500 + minute % 7 + sensors.index(entity_id) + (minute >= 0) * drift

    # Three days of agreement, as the zone would have heard them.
    anomalies = coordinator_of(entry).brain.zone("office").anomalies
    for minute in range(-3 * 24 * 60, 0):
        when = dt_util.now() + timedelta(minutes=minute)
        for entity_id in sensors:
            anomalies.learn_one(
                Observation(Role.CO2, reading(entity_id, minute), when, entity_id)
            )
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(ANOMALY).state == STATE_OFF
    written = async_capture_events(hass, EVENT_STATE_CHANGED)

    async def minutes_read(minutes: range) -> None:
        for minute in minutes:
            for entity_id in sensors:
                hass.states.async_set(
                    entity_id,
                    str(reading(entity_id, minute)),
                    {"unit_of_measurement": "ppm"},
                )
            await minutes_pass(hass, freezer, 1)

    await minutes_read(range(120))

    assert hass.states.get(ANOMALY).state == STATE_ON
    first = drifted_by(hass, "office_co2_3")
    assert first > 150  # more than CO2 sensors' tolerance

    def writes(entity_id: str) -> int:
        return len([e for e in written if e.data["entity_id"] == entity_id])

    assert writes(ANOMALY) <= 3  # not 120
    assert writes(BUILDING_ANOMALY) == writes(ANOMALY)
    before = writes(ANOMALY)

    # Grown clearly worse, it says so.
    await minutes_read(range(120, 180))
    assert drifted_by(hass, "office_co2_3") >= 1.5 * first
    assert before < writes(ANOMALY) <= before + 3
