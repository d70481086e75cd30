"""Read the recorder's history of the discovered entities, a bounded chunk at a time.

A first setup learns from what Home Assistant already recorded (14 days by default).
Reading and learning happen in executor threads one chunk (a few hours of history) at
a time, so memory stays bounded and the event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from itertools import pairwise

from homeassistant.components.recorder import history
from homeassistant.components.recorder.core import Recorder
from homeassistant.components.recorder.db_schema import RecorderRuns, States
from homeassistant.components.recorder.models import process_timestamp
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers.recorder import get_instance, session_scope
from homeassistant.util import dt as dt_util
from sqlalchemy import func, or_
from sqlalchemy.exc import SQLAlchemyError

from .const import LOGGER

CHUNK = timedelta(hours=6)
# A chunk the database cannot give now (locked, or its server restarting) is asked
# for again after each of these pauses (seconds) before the replay gives up: a
# moment's trouble must not cost the days of history still to come.
RETRY_PAUSES: tuple[float, ...] = (10.0, 60.0, 300.0)
# The recorder reads what came strictly between two moments: each chunk is asked
# from this much earlier, so a state at the very moment one chunk ends and the
# next begins is in the next, and in it alone.
OVERLAP = timedelta(seconds=1)
# States a chunk is meant to hold: where sensors report every few seconds (a
# building's power meters), the next chunks are shorter than CHUNK, down to
# SHORTEST_CHUNK, so that hours of them are not held in memory at once.
CHUNK_STATES = 20_000
SHORTEST_CHUNK = timedelta(minutes=5)
# While Home Assistant was down nothing was recorded: what the sensors showed
# before stands for none of that time. A restart's minute or two is no gap.
SHORTEST_GAP = timedelta(minutes=15)


def _states_between(
    hass: HomeAssistant,
    start: datetime,
    end: datetime,
    entity_ids: list[str],
    include_start_state: bool,
) -> list[State]:
    """Every recorded state of ``entity_ids`` in [start, end), oldest first.

    With ``include_start_state``, also each entity's state as it stood at start,
    and what changed in the moment before.
    """
    per_entity = history.get_significant_states(
        hass,
        start - OVERLAP,
        end,
        entity_ids,
        include_start_time_state=include_start_state,
        significant_changes_only=False,
    )
    start_ts = start.timestamp()
    states = [
        state
        for entity_states in per_entity.values()
        for state in entity_states
        if isinstance(state, State)
        and (include_start_state or state.last_updated_timestamp >= start_ts)
    ]
    states.sort(key=lambda state: state.last_updated)
    return states


def _gaps_between(
    hass: HomeAssistant, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Return when the recorder recorded nothing between ``start`` and ``end``.

    Between two of its runs: the first ended as Home Assistant stopped or, where
    it crashed, with the last state it wrote (the next start closes such a run).
    """
    gaps = []
    with session_scope(hass=hass, read_only=True) as session:
        runs = (
            session.query(RecorderRuns)
            .filter(
                RecorderRuns.start < end,
                or_(RecorderRuns.end.is_(None), RecorderRuns.end > start),
            )
            .order_by(RecorderRuns.start)
            .all()
        )
        for run, following in pairwise(runs):
            # A run never closed (not even at the next start) ran until it.
            ended = process_timestamp(run.end or following.start)
            began = process_timestamp(following.start)
            if run.closed_incorrect:
                last = (
                    session.query(func.max(States.last_updated_ts))
                    .filter(
                        States.last_updated_ts
                        >= process_timestamp(run.start).timestamp(),
                        States.last_updated_ts < ended.timestamp(),
                    )
                    .scalar()
                )
                if last is not None:
                    ended = dt_util.utc_from_timestamp(last)
            if began - ended >= SHORTEST_GAP:
                gaps.append((max(ended, start), min(began, end)))
    return gaps


async def async_recorder_gaps(
    hass: HomeAssistant, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Return the spells between ``start`` and ``end`` Home Assistant was down."""
    recorder = get_instance(hass)
    try:
        return await recorder.async_add_executor_job(
            partial(_gaps_between, hass, start, end)
        )
    except SQLAlchemyError as err:
        LOGGER.warning("Could not read when the recorder was stopped (%s)", err)
        return []


async def async_replay_history(
    hass: HomeAssistant,
    entity_ids: Sequence[str],
    start: datetime,
    end: datetime,
    learn: Callable[[list[State]], None],
    *,
    progress: Callable[[float], None] | None = None,
) -> int:
    """Give ``learn`` the recorded states between ``start`` and ``end``, in order.

    ``learn`` runs in an executor thread, one chunk at a time; ``progress`` gets the
    fraction done (0..1) on the event loop after each chunk. ``entity_ids`` is read
    again at each chunk: one added meanwhile (renamed) is read from then on.
    Returns the number of states replayed.
    """
    if not entity_ids or start >= end:
        if progress:
            progress(1.0)
        return 0
    recorder = get_instance(hass)
    # The recorder writes every few seconds: what it still holds would be neither
    # in the history nor among the live changes learned after it.
    if written := recorder.async_get_commit_future():
        await written
    total = (end - start).total_seconds()
    replayed = 0
    chunk_start = start
    chunk = CHUNK
    while chunk_start < end:
        chunk_end = min(chunk_start + chunk, end)
        ids = list(entity_ids)
        read = partial(
            _states_between, hass, chunk_start, chunk_end, ids, chunk_start == start
        )
        states = await _read_chunk(recorder, read, chunk_start)
        if states:
            await hass.async_add_executor_job(learn, states)
            replayed += len(states)
        chunk = _next_chunk(chunk_end - chunk_start, len(states))
        chunk_start = chunk_end
        if progress:
            progress((chunk_start - start).total_seconds() / total)
    return replayed


def _next_chunk(length: timedelta, states: int) -> timedelta:
    """Return how long the next chunk should be after one of ``length`` held ``states``.

    As long as would hold half of CHUNK_STATES at the same rate: room for a busier
    spell.
    """
    wanted = length * (CHUNK_STATES / 2 / max(states, 1))
    return min(max(wanted, SHORTEST_CHUNK), CHUNK)


async def _read_chunk(
    recorder: Recorder, read: Callable[[], list[State]], start: datetime
) -> list[State]:
    """Run ``read`` in the database's executor, again after a pause while it fails."""
    for pause in RETRY_PAUSES:
        try:
            return await recorder.async_add_executor_job(read)
        except SQLAlchemyError as err:
            LOGGER.warning(
                "Reading the history from %s failed (%s); trying again in %.0f s",
                start,
                err,
                pause,
            )
            await asyncio.sleep(pause)
    return await recorder.async_add_executor_job(read)
