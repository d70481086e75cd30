"""The adapter benchmark command on a tiny building."""

from __future__ import annotations

import json

import pytest

from benchmarks import adapter


def test_prints_costs_rows_and_warm_start(capsys: pytest.CaptureFixture[str]) -> None:
    adapter.main(["--zones", "2", "--days", "1"])
    result = json.loads(capsys.readouterr().out)

    assert result["task"] == "adapter"
    assert "2 zones x 1 days recorded" in result["data"]
    for name in ("state_change_us", "unrouted_state_change_us"):
        timings = result[name]
        # Not mean <= p99: one stall of a busy machine can lift the mean past it.
        assert timings["mean"] > 0
        assert timings["p99"] > 0
        assert timings["count"] > 100
    assert result["recorder_rows_per_zone_hour"] > 0
    assert all(
        "_aiot_brain_" in entity_id for entity_id in result["busiest_entities_rows"]
    )
    assert result["warm_start_seconds"] > 0
    assert result["warm_start_longest_loop_stall_ms"] >= 0
    assert set(result["targets"]) == {
        "recorder_rows_per_zone_hour",
        "warm_start_longest_loop_stall_ms",
        "all_met",
    }
