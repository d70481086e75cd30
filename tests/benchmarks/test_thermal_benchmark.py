"""The time-to-temperature benchmark on a few days of the virtual apartment."""

from __future__ import annotations

from datetime import datetime
import json

import pytest

from benchmarks import thermal
from simulator.interface import EntityState


def test_learned_model_tells_the_time_far_better_than_before_learning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    thermal.main(["--scenario", "apartment", "--days", "4", "--scored-from-day", "2"])
    result = json.loads(capsys.readouterr().out)
    assert result["task"] == "time_to_temperature"
    data = result["data"]
    assert data["scenario"] == "apartment"
    assert data["moments"] >= 10
    assert 10 <= data["median_taken_min"] <= 180
    models = result["models"]
    assert set(models) == {"aiot_brain", "learned_rate", "prior"}
    ours, prior = models["aiot_brain"], models["prior"]
    assert ours["answered"] == ours["moments"] == data["moments"]
    # Two days of heating teach the room's rate: the prior's guess is an hour off.
    assert ours["median_abs_error_min"] < 10 < prior["median_abs_error_min"]
    assert ours["within_10min"] > 0.7 > prior["within_10min"]
    assert ours["mean_abs_error_min"] >= ours["median_abs_error_min"] * 0.5


@pytest.mark.parametrize(
    "arguments",
    [["--days", "2", "--scored-from-day", "2"], ["--every", "0"]],
)
def test_refuses_a_run_that_would_score_nothing(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        thermal.main(arguments)
    assert "must" in capsys.readouterr().err


def _climate(state: str, **attributes: object) -> EntityState:
    return EntityState("climate.room", state, attributes, datetime(2026, 1, 5))


def test_reads_the_target_the_thermostat_heads_for() -> None:
    band = {"target_temp_low": 20.0, "target_temp_high": 24.0}
    heating = thermal._thermostat(_climate("heat_cool", hvac_action="heating", **band))
    cooling = thermal._thermostat(_climate("heat_cool", hvac_action="cooling", **band))
    single = thermal._thermostat(_climate("heat", hvac_action="idle", temperature=21))
    assert heating == thermal._Thermostat(20.0, heating=True, cooling=False)
    assert cooling == thermal._Thermostat(24.0, heating=False, cooling=True)
    assert single == thermal._Thermostat(21.0, heating=False, cooling=False)
    assert thermal._thermostat(None) is None


def test_recovery_rate_is_the_mean_rise_over_quarter_hours() -> None:
    rate = thermal._RecoveryRate()
    heating = thermal._Thermostat(21.0, heating=True, cooling=False)
    for minute in range(31):
        rate.learn(minute, 18.0 + minute / 30, heating)  # 2 K/h
    assert rate.minutes_to(19.0, 21.0, heating=True) == pytest.approx(60.0)
    # It has never seen cooling, and heating never brings a room down.
    assert rate.minutes_to(24.0, 22.0, heating=False) is None
    assert rate.minutes_to(22.0, 21.0, heating=True) is None
    # Idle minutes break the span instead of counting as a slow rise.
    rate.learn(40, 19.0, thermal._Thermostat(21.0, heating=False, cooling=False))
    rate.learn(45, 19.0, heating)
    rate.learn(59, 19.0, heating)
    assert rate.minutes_to(19.0, 21.0, heating=True) == pytest.approx(60.0)
