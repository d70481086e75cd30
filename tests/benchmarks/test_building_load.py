"""The building load benchmark on a small building."""

from __future__ import annotations

import asyncio
import gc
import json
import time

import pytest

from benchmarks import building_load


def test_prints_the_cost_of_a_minute_and_of_a_state_change(
    capsys: pytest.CaptureFixture[str],
) -> None:
    building_load.main(["--areas", "3", "--minutes", "2", "--changes", "60"])
    result = json.loads(capsys.readouterr().out)
    assert result["task"] == "building_load"
    assert result["zones"] == 3  # every area found, set up and ticking
    assert result["tick_ms"] > 0
    # Both rounded: the tick to a tenth of a millisecond.
    assert result["tick_ms_per_zone"] == pytest.approx(result["tick_ms"] / 3, abs=0.02)
    assert result["state_changes_per_second"] > 0
    assert result["longest_loop_hold_ms"] > 0
    assert result["longest_gc_pause_ms"] >= 0
    assert result["longest_reload_hold_ms"] > 0
    assert result["longest_setup_hold_ms"] > 0
    assert result["longest_mode_change_hold_ms"] > 0


async def test_the_loop_watch_sees_the_longest_turn_and_collection() -> None:
    async with building_load._loop_watch() as figures:
        await asyncio.sleep(0)
        time.sleep(0.05)  # noqa: ASYNC251 - a turn that holds the loop, on purpose
        await asyncio.sleep(0)
        gc.collect()
        await asyncio.sleep(0)
    assert figures["longest_hold"] >= 0.05
    assert figures["longest_gc_pause"] > 0


async def test_the_loop_watch_sees_a_turn_held_from_its_start() -> None:
    async with building_load._loop_watch() as figures:
        time.sleep(0.05)  # noqa: ASYNC251 - held before anything else had a turn
        await asyncio.sleep(0)
    assert figures["longest_hold"] >= 0.05


def test_rejects_an_empty_building() -> None:
    with pytest.raises(SystemExit):
        building_load.main(["--areas", "0"])
