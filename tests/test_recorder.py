"""What AIoT Brain leaves in the recorder's database, with the real recorder on SQLite."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder, get_instance, history
from homeassistant.components.recorder.statistics import async_list_statistic_ids
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)

from .test_coordinator import (
    FORECAST,
    OCCUPIED_ZONES,
    PROBABILITY,
    START,
    build_office,
    minutes_pass,
    setup_office,
)

TIME_TO_TEMPERATURE = "sensor.office_aiot_brain_time_to_temperature"


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
