"""Replaying the recorder's history in chunks, with the real recorder on SQLite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant, State
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from sqlalchemy.exc import OperationalError

from custom_components.aiot_brain import history
from custom_components.aiot_brain.history import CHUNK, async_replay_history

states_between = history._states_between  # the real read, which tests wrap


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant, as the recorder fixtures require."""


START = datetime.fromisoformat("2026-11-02T00:00:00+00:00")


async def _record_two_days(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """A motion sensor that fires at 08:00 and clears at 08:30 each day."""
    freezer.move_to(START)
    hass.states.async_set("binary_sensor.hall_motion", "off")
    hass.states.async_set("sensor.unrelated", "1")
    for day in range(2):
        for hour, minute, state in ((8, 0, "on"), (8, 30, "off")):
            freezer.move_to(START + timedelta(days=day, hours=hour, minutes=minute))
            hass.states.async_set("binary_sensor.hall_motion", state)
            hass.states.async_set("sensor.unrelated", str(day * 100 + hour))
    hass.states.async_set(
        "light.hall", "on", {"brightness": 200, "color_temp_kelvin": 3000}
    )
    await async_wait_recording_done(hass)


async def _replay_the_hall(
    hass: HomeAssistant,
    learn: Callable[[list[State]], None],
    progress: Callable[[float], None] | None = None,
) -> int:
    """Replay the hall's motion sensor and light from before the recording."""
    return await async_replay_history(
        hass,
        ["binary_sensor.hall_motion", "light.hall"],
        START - timedelta(hours=1),
        dt_util.utcnow(),
        learn,
        progress=progress,
    )


async def test_replay_in_order_and_in_chunks(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await _record_two_days(hass, freezer)
    freezer.move_to(START + timedelta(days=3))
    chunks: list[list[State]] = []
    progress: list[float] = []

    replayed = await _replay_the_hall(hass, chunks.append, progress.append)

    states = [state for chunk in chunks for state in chunk]
    assert replayed == len(states) == 6
    assert [s.state for s in states if s.entity_id == "binary_sensor.hall_motion"] == [
        "off",
        "on",
        "off",
        "on",
        "off",
    ]
    assert [s.last_updated for s in states] == sorted(s.last_updated for s in states)
    light = next(s for s in states if s.entity_id == "light.hall")
    assert light.attributes["brightness"] == 200  # attributes survive the replay
    # Bounded chunks: never more than one chunk of history at a time.
    for chunk in chunks:
        assert chunk[-1].last_updated - chunk[0].last_updated < CHUNK
    assert progress[-1] == 1.0
    assert progress == sorted(progress)


async def test_nothing_to_replay(hass: HomeAssistant) -> None:
    progress: list[float] = []
    now = dt_util.utcnow()
    assert (
        await async_replay_history(hass, [], now, now, list, progress=progress.append)
        == 0
    )
    assert progress == [1.0]


async def _two_days_with_locked_reads(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    refusals: int,
    pauses: tuple[float, ...],
) -> list[datetime]:
    """Record two days; the read is refused ``refusals`` times from chunk two on.

    Returns the start of every chunk asked for, as it is asked for.
    """
    await _record_two_days(hass, freezer)
    freezer.move_to(START + timedelta(days=3))
    reads: list[datetime] = []

    def read(hass: HomeAssistant, start: datetime, *args: Any) -> list[State]:
        reads.append(start)
        if len(reads) > 1 and len(reads) <= 1 + refusals:
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        return states_between(hass, start, *args)

    monkeypatch.setattr(history, "_states_between", read)
    monkeypatch.setattr(history, "RETRY_PAUSES", pauses)
    return reads


async def test_a_chunk_the_database_refuses_is_read_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reads = await _two_days_with_locked_reads(
        hass, freezer, monkeypatch, 2, (0.0, 0.0, 0.0)
    )
    chunks: list[list[State]] = []

    replayed = await _replay_the_hall(hass, chunks.append)

    # Nothing is lost: the same six states as without the trouble, in order.
    states = [state for chunk in chunks for state in chunk]
    assert replayed == len(states) == 6
    assert [s.last_updated for s in states] == sorted(s.last_updated for s in states)
    # The second chunk was asked for three times, then the replay went on.
    assert reads[1] == reads[2] == reads[3] != reads[4]
    assert caplog.text.count("Reading the history from") == 2
    assert "database is locked" in caplog.text


async def test_a_database_that_stays_locked_ends_the_replay(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = await _two_days_with_locked_reads(
        hass, freezer, monkeypatch, 100, (0.0, 0.0)
    )
    chunks: list[list[State]] = []

    with pytest.raises(OperationalError):
        await _replay_the_hall(hass, chunks.append)

    # The first chunk, then the second asked for once and again after each pause.
    assert len(reads) == 1 + 3
    assert len(chunks) == 1


async def test_states_at_the_start_and_on_the_edges_of_chunks_are_replayed_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The recorder reads between two moments, neither included."""
    changes = [
        (START, "off"),  # the moment the replay starts
        (START + CHUNK, "on"),  # where one chunk ends and the next begins
        (START + CHUNK + timedelta(minutes=1), "off"),
        (START + 2 * CHUNK, "on"),
    ]
    for when, state in changes:
        freezer.move_to(when)
        hass.states.async_set("binary_sensor.hall_motion", state)
    await async_wait_recording_done(hass)
    freezer.move_to(START + timedelta(days=1))
    chunks: list[list[State]] = []

    await async_replay_history(
        hass, ["binary_sensor.hall_motion"], START, dt_util.utcnow(), chunks.append
    )

    replayed = [(s.last_updated, s.state) for chunk in chunks for s in chunk]
    assert replayed == changes


async def test_a_busy_history_is_read_in_shorter_chunks(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Meters reporting every few seconds: not hours of them in memory at once."""
    monkeypatch.setattr(history, "CHUNK_STATES", 40)
    # A quiet night, then a power meter reporting every 30 s all day.
    freezer.move_to(START + timedelta(minutes=1))
    hass.states.async_set("binary_sensor.hall_motion", "off")
    for step in range(12 * 120):
        freezer.move_to(START + timedelta(hours=6, seconds=30 * step))
        hass.states.async_set("sensor.meter", str(step))
    await async_wait_recording_done(hass)
    freezer.move_to(START + timedelta(hours=18))
    chunks: list[list[State]] = []

    replayed = await async_replay_history(
        hass,
        ["binary_sensor.hall_motion", "sensor.meter"],
        START,
        dt_util.utcnow(),
        chunks.append,
    )

    assert replayed == 1 + 12 * 120  # every state, once
    meter = [
        int(s.state) for chunk in chunks for s in chunk if s.entity_id == "sensor.meter"
    ]
    assert meter == list(range(12 * 120))
    # The first busy chunk is as long as the quiet one; the next are short.
    assert max(len(chunk) for chunk in chunks[1:]) > 40
    assert max(len(chunk) for chunk in chunks[2:]) <= 40
