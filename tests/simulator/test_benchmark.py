"""The benchmark command prints the promised JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from simulator.benchmark import main, run_benchmark

KEYS = {
    "heating_kwh",
    "cooling_kwh",
    "lighting_kwh",
    "miss_time_min",
    "comfort_degree_hours",
    "lights_on_empty_min",
    "false_offs",
    "calls_per_device_hour_max",
    "calls_per_device_hour_mean",
    "manual_interventions",
    "sim_days_per_s",
}


def test_main_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "--scenario",
                "apartment",
                "--days",
                "1",
                "--controller",
                "schedule",
                "--seed",
                "3",
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= KEYS
    assert result["scenario"] == "apartment"
    assert result["heating_kwh"] > 0
    assert result["calls_per_device_hour_mean"] > 0
    assert result["sim_days_per_s"] > 0


@pytest.mark.parametrize("controller", ["constant", "schedule", "reactive"])
def test_every_baseline_runs_on_every_scenario(controller: str) -> None:
    for scenario in ("family_home", "apartment", "office_floor"):
        result = run_benchmark(scenario, 0.25, controller)
        assert set(result) >= KEYS


def test_bad_arguments_exit_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--scenario", "castle", "--days", "1"]) == 2
    assert "unknown scenario" in capsys.readouterr().err
    assert main(["--scenario", "apartment", "--days", "0"]) == 2
    with pytest.raises(ValueError, match="unknown controller"):
        run_benchmark("apartment", 1, "magic")


def test_runs_as_a_module() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator.benchmark",
            "--scenario",
            "apartment",
            "--days",
            "0.5",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert set(json.loads(completed.stdout)) >= KEYS
