"""The speed benchmark command on a short synthetic run."""

from __future__ import annotations

import json
from typing import Any

import pytest

from benchmarks import speed


def test_prints_speed_and_state_for_each_model(
    capsys: pytest.CaptureFixture[str],
) -> None:
    speed.main(["--days", "1", "--repeats", "1"])
    result = json.loads(capsys.readouterr().out)
    assert result["task"] == "speed"
    assert "1440 updates" in result["data"]
    assert set(result["models"]) | set(result["skipped"]) == set(speed.MODELS)
    for name in ("comfort_setpoint", "thermal_preference", "lighting", "thermal"):
        assert name in result["models"]
    for metrics in result["models"].values():
        assert metrics["updates_per_second"] > 0
        assert metrics["state_bytes"] > 2
    assert result["zone_state_bytes"] == sum(
        metrics["state_bytes"] for metrics in result["models"].values()
    )
    zone = result["zone"]
    assert zone["zone_minutes_per_second"] > 0
    assert zone["ms_per_zone_minute"] == pytest.approx(
        1000 / zone["zone_minutes_per_second"], rel=0.01
    )
    assert set(result["targets"]) == {
        "updates_per_second",
        "zone_state_bytes",
        "all_met",
    }


def test_missing_model_is_skipped_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing() -> tuple[Any, Any]:
        raise ImportError("no module named occupancy")

    monkeypatch.setattr(
        speed,
        "MODELS",
        {
            "occupancy": missing,
            **{name: make for name, make in speed.MODELS.items() if name == "thermal"},
        },
    )
    result = speed.run(days=1, repeats=1)
    assert set(result["models"]) == {"thermal"}
    assert "no module named occupancy" in result["skipped"]["occupancy"]


def test_synthetic_zone_is_lived_in() -> None:
    minutes = speed.synthetic_zone(days=7)
    assert len(minutes) == 7 * 24 * 60
    occupied = sum(minute.occupied for minute in minutes) / len(minutes)
    assert 0.3 < occupied < 0.8
    assert any(minute.hvac_action for minute in minutes)
    assert any(minute.light_on for minute in minutes)
    assert all(minute.when.weekday() == 0 for minute in minutes[:60])


def test_rejects_nonsense_arguments() -> None:
    with pytest.raises(SystemExit):
        speed.main(["--days", "0"])
