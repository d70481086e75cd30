"""What the recorder does not show, and what a Relearn shows meanwhile.

With the real recorder on SQLite: entities kept out of it, or unchanged since
before what it keeps, are read as they stand after the history.
"""

from __future__ import annotations

from datetime import timedelta
import threading
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder, get_instance
from homeassistant.components.recorder.db_schema import RecorderRuns
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockUser
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_purge_done,
    async_wait_recording_done,
)
from sqlalchemy.exc import OperationalError

from custom_components.aiot_brain import history
from custom_components.aiot_brain.brain.observation import Role
from custom_components.aiot_brain.const import DOMAIN

from . import test_acting as acting
from .test_coordinator import (
    OCCUPANCY,
    PROBABILITY,
    START,
    add_people,
    build_office,
    coordinator_of,
    minutes_pass,
    setup_office,
)
from .test_warm_start import RELEARN, record_working_week

states_between = history._states_between  # the real read, which tests wrap
TIME_TO_TEMPERATURE = "sensor.office_aiot_brain_time_to_temperature"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant, as the recorder fixtures require."""


@pytest.mark.parametrize(
    "recorder_config",
    [
        {
            "exclude": {
                "entities": ["sensor.office_temperature", "binary_sensor.office_motion"]
            }
        }
    ],
)
def history_held_back(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold each read of the recorder's history back until the event returned is set."""
    read = threading.Event()

    def slow(hass: HomeAssistant, *args: Any) -> list[Any]:
        read.wait(timeout=10)
        return states_between(hass, *args)

    monkeypatch.setattr(history, "_states_between", slow)
    return read


async def test_first_setup_with_history_knows_states_the_recorder_does_not_keep(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Chatty sensors are often kept out of the recorder; they still read now."""
    freezer.move_to(START)
    build_office(hass)
    hass.states.async_set(
        "sensor.office_temperature", "18.5", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    hass.states.async_set("sensor.office_co2", "600", {"unit_of_measurement": "ppm"})
    hass.states.async_set(
        "weather.home", "rainy", {"temperature": 5.0, "temperature_unit": "°C"}
    )
    await async_wait_recording_done(hass)
    freezer.tick(timedelta(hours=1))  # none of them will change for a while

    entry = await setup_office(hass, history_days=14, outdoor_source="weather.home")
    await hass.async_block_till_done(wait_background_tasks=True)

    # As with no history to read: someone is moving, and the office is at 18.5 °C.
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    assert hass.states.get(TIME_TO_TEMPERATURE).state not in ("unknown", None)
    assert coordinator_of(entry).brain.zone("office").latest[Role.TEMPERATURE] == 18.5


async def test_relearn_does_not_clear_the_occupancy_of_an_occupied_area(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone works in the office; the user presses Relearn.

    While the history is read (minutes in a big home), the office must not read
    empty: automations turn its lights and heating off on that.
    """
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    read = history_held_back(monkeypatch)
    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    assert coordinator_of(entry).learning == {"office"}
    shown = hass.states.get(OCCUPANCY).state
    probability = hass.states.get(PROBABILITY).state
    read.set()
    await hass.async_block_till_done(wait_background_tasks=True)

    assert shown == STATE_ON, probability


@pytest.mark.parametrize(
    "recorder_config", [{"exclude": {"entities": ["sensor.office_temperature"]}}]
)
async def test_relearn_keeps_the_reading_of_a_sensor_the_recorder_does_not_keep(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The office's thermometer is kept out of the recorder (it reports often).

    Before Relearn the office knows it is at 18.5 °C and how long heating takes;
    after it, it still does, without waiting for the thermometer's next report.
    """
    await record_working_week(hass, freezer)
    hass.states.async_set(
        "weather.home", "rainy", {"temperature": 5.0, "temperature_unit": "°C"}
    )
    freezer.tick(timedelta(minutes=1))
    entry = await setup_office(hass, history_days=14, outdoor_source="weather.home")
    await hass.async_block_till_done(wait_background_tasks=True)
    hass.states.async_set(
        "sensor.office_temperature", "18.5", {"unit_of_measurement": "°C"}
    )
    await minutes_pass(hass, freezer, 1)
    before = hass.states.get(TIME_TO_TEMPERATURE).state
    assert before not in ("unknown", "unavailable")

    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    await minutes_pass(hass, freezer, 1)

    assert coordinator_of(entry).learning == set()
    assert hass.states.get(TIME_TO_TEMPERATURE).state == before


async def test_first_setup_knows_a_state_older_than_the_recorder_keeps(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Home Assistant keeps 10 days of history, AIoT Brain reads 14 by default.

    Both are away on a fortnight's holiday: the recorder purged their leaving,
    but they are away still. Set up now, the home must know nobody is in.
    """
    add_people(hass)
    build_office(hass)
    freezer.move_to(START - timedelta(days=12))
    hass.states.async_set("person.anna", "not_home")
    hass.states.async_set("person.ben", "not_home")
    await async_wait_recording_done(hass)
    freezer.move_to(START)
    await hass.services.async_call(
        "recorder", "purge", {"keep_days": 10}, blocking=True
    )
    await async_wait_purge_done(hass)

    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    await minutes_pass(hass, freezer, 1)

    zone = coordinator_of(entry).brain.zone("office")
    assert zone.latest.get(Role.NOBODY_HOME) == 1.0


async def comfort_shown(hass: HomeAssistant) -> float:
    forecast = await hass.services.async_call(
        DOMAIN, "get_forecast", {}, blocking=True, return_response=True
    )
    return forecast["zones"]["living_room"]["comfort_setpoint"]


async def test_a_setpoint_set_by_hand_during_a_relearn_survives_a_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    hass_admin_user: MockUser,
) -> None:
    """Relearn keeps what people taught by hand, across restarts (README).

    Someone turns the heating up to 23 °C while the living room relearns; the
    options are then saved (a reload) before the history is read to its end.
    """
    freezer.move_to(acting.START - timedelta(days=2))
    await acting.build_living_room(hass)
    await async_wait_recording_done(hass)
    freezer.move_to(acting.START)
    entry = await acting.setup_brain(hass, level="observe", history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    default = await comfort_shown(hass)
    read = history_held_back(monkeypatch)
    await hass.services.async_call(
        DOMAIN, "relearn", {"area_id": "living_room"}, blocking=True
    )
    assert acting.coordinator_of(entry).learning == {"living_room"}
    await acting.minutes_pass(hass, freezer, 1)
    await acting.set_by_hand(hass, hass_admin_user, 23.0)
    await acting.minutes_pass(hass, freezer, 1)
    # The options are saved before the history is read to its end: a reload.
    assert await hass.config_entries.async_reload(entry.entry_id)
    read.set()
    await hass.async_block_till_done(wait_background_tasks=True)
    await acting.minutes_pass(hass, freezer, 1)

    assert acting.coordinator_of(entry).learning == set()
    # As without the reload (22.2 °C), not the 20 °C default again.
    assert await comfort_shown(hass) > default + 0.5


async def record_week_with_home_assistant_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *, crashed: bool
) -> None:
    """Office hours, but Home Assistant is down from Wednesday 12:00 to Friday 12:00.

    It stops with the motion sensor on: what the recorder shows last of it.
    """
    build_office(hass)
    local_start = dt_util.as_local(START).replace(hour=0)  # a Monday
    down = local_start + timedelta(days=2, hours=12)
    back = local_start + timedelta(days=4, hours=12)
    for day in range(5):
        for minute in range(6 * 60, 20 * 60, 10):
            moment = local_start + timedelta(days=day, minutes=minute)
            if down <= moment < back:
                continue
            freezer.move_to(moment)
            hass.states.async_set(
                "binary_sensor.office_motion",
                STATE_ON if 8 * 60 <= minute < 17 * 60 and moment != back else "off",
            )
    freezer.move_to(down)
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await async_wait_recording_done(hass)

    def recorder_down_meanwhile() -> None:
        # The recorder of this test runs from now: its first run ends as it
        # went down (or is closed at the restart, after a crash).
        with get_instance(hass).get_session() as session:
            current = session.query(RecorderRuns).one()
            current.start = dt_util.as_utc(back)
            session.add(
                RecorderRuns(
                    start=dt_util.as_utc(local_start),
                    end=dt_util.as_utc(back if crashed else down),
                    closed_incorrect=crashed,
                    created=dt_util.as_utc(local_start),
                )
            )
            session.commit()

    await get_instance(hass).async_add_executor_job(recorder_down_meanwhile)
    freezer.move_to(local_start + timedelta(days=7, hours=6))


@pytest.mark.parametrize("crashed", [False, True])
async def test_history_teaches_nothing_of_the_days_home_assistant_was_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, crashed: bool
) -> None:
    """The motion sensor's last "on" before the stop is no one there for two days."""
    await record_week_with_home_assistant_down(hass, freezer, crashed=crashed)

    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)

    profile = coordinator_of(entry).brain.zone("office").forecast.profile
    monday = dt_util.now().replace(tzinfo=None)
    wednesday_night = monday.replace(hour=23) + timedelta(days=2)
    for hours in (0, 4, 8, 10):
        assert profile(wednesday_night + timedelta(hours=hours)) <= 0.5, hours
    assert profile(monday.replace(hour=11)) > 0.5


async def test_history_is_learned_when_the_recorder_cannot_say_when_it_was_down(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await record_week_with_home_assistant_down(hass, freezer, crashed=False)

    def locked(*args: Any) -> list[Any]:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(history, "_gaps_between", locked)
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert "Could not read when the recorder was stopped" in caplog.text
    profile = coordinator_of(entry).brain.zone("office").forecast.profile
    monday = dt_util.now().replace(tzinfo=None)
    assert profile(monday.replace(hour=11)) > 0.5  # the history, read as it is
