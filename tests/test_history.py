"""Replaying the recorder's history in chunks, with the real recorder on SQLite."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant, State
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.aiot_brain.history import CHUNK, async_replay_history


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


async def test_replay_in_order_and_in_chunks(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await _record_two_days(hass, freezer)
    freezer.move_to(START + timedelta(days=3))
    chunks: list[list[State]] = []
    progress: list[float] = []

    replayed = await async_replay_history(
        hass,
        ["binary_sensor.hall_motion", "light.hall"],
        START - timedelta(hours=1),
        dt_util.utcnow(),
        chunks.append,
        progress=progress.append,
    )

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
