"""The benchmark command prints the promised JSON."""

from __future__ import annotations

from datetime import time, timedelta
import json
import subprocess
import sys

import pytest

from custom_components.aiot_brain.brain.control import ControlSettings
from simulator.aiot_brain_controller import settings_from_text
from simulator.benchmark import main, run_benchmark
from simulator.scenario import load_scenario, with_tracked

KEYS = {
    "heating_kwh",
    "cooling_kwh",
    "lighting_kwh",
    "miss_time_min",
    "miss_time_too_warm_min",
    "miss_time_asleep_min",
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


def test_settings_are_read_from_text_by_their_kind() -> None:
    settings = settings_from_text(
        {
            "setback_offset": "6",
            "light_after_door": "7.5",
            "night_start": "21:30",
            "sleep_temperature": "none",
            "max_calls_per_hour": "2",
        }
    )
    assert settings.setback_offset == 6.0
    assert settings.light_after_door == timedelta(minutes=7.5)
    assert settings.night_start == time(21, 30)
    assert settings.sleep_temperature is None
    assert settings.max_calls_per_hour == 2
    # The rest keep their defaults.
    assert settings.eco_offset == ControlSettings().eco_offset


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"setback": "6"}, "unknown setting 'setback'"),
        ({"setback_offset": "deep"}, "setting setback_offset: could not convert"),
        ({"setback_offset": "inf"}, "not a finite number"),
        ({"setback_offset": "none"}, "setting setback_offset"),
        ({"max_calls_per_hour": "2.5"}, "not a whole number"),
        ({"night_start": "25:00"}, "setting night_start"),
        ({"preset_temperatures": "{}"}, "cannot be given as text"),
    ],
)
def test_bad_settings_are_named(values: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        settings_from_text(values)


def test_a_setting_changes_how_aiot_brain_acts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments = ["--scenario", "apartment", "--days", "1", "--controller"]
    assert main([*arguments, "aiot_brain"]) == 0
    default = json.loads(capsys.readouterr().out)
    assert main([*arguments, "aiot_brain", "--setting", "max_calls_per_hour=1"]) == 0
    limited = json.loads(capsys.readouterr().out)
    assert default["calls_per_device_hour_max"] > 1
    assert limited["calls_per_device_hour_max"] == 1
    assert limited["settings"] == {"max_calls_per_hour": "1"}
    assert "settings" not in default


def test_settings_are_refused_where_they_cannot_apply(
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments = ["--scenario", "apartment", "--days", "1", "--controller"]
    assert main([*arguments, "schedule", "--setting", "setback_offset=6"]) == 2
    assert "aiot_brain controller only" in capsys.readouterr().err
    assert main([*arguments, "aiot_brain", "--setting", "setback=6"]) == 2
    assert "unknown setting 'setback'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*arguments, "aiot_brain", "--setting", "setback_offset"])
    assert "NAME=VALUE" in capsys.readouterr().err


def test_tracked_phones_are_chosen_by_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments = ["--scenario", "apartment", "--days", "0.5", "--controller"]
    assert main([*arguments, "aiot_brain", "--tracked", "residents"]) == 0
    assert json.loads(capsys.readouterr().out)["tracked"] == "residents"
    assert main([*arguments, "schedule", "--tracked", "Nobody,Zed"]) == 2
    assert "tracked: no occupant named ['Nobody', 'Zed']" in capsys.readouterr().err
    family = load_scenario("family_home")
    assert [spec.tracked for spec in with_tracked(family, "Anna, Ben").occupants] == [
        True,
        True,
        False,
        False,
    ]
    tracked = with_tracked(family, "residents")
    assert all(spec.tracked for spec in tracked.occupants)
    assert not any(spec.tracked for spec in with_tracked(tracked, "none").occupants)


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


def test_by_zone_shows_where_the_figures_come_from() -> None:
    whole = run_benchmark("office_floor", 1.5, "reactive", seed=2)
    assert "zones" not in whole
    result = run_benchmark("office_floor", 1.5, "reactive", seed=2, by_zone=True)
    zones = result["zones"]
    assert isinstance(zones, dict)
    ids = [zone.id for zone in load_scenario("office_floor").zones]
    assert list(zones) == ids
    # The run is the same with or without the split, and the zones add up to it.
    for key in (
        "miss_time_min",
        "miss_time_too_warm_min",
        "miss_time_asleep_min",
        "lights_on_empty_min",
        "false_offs",
    ):
        assert result[key] == whole[key]
        assert sum(zone[key] for zone in zones.values()) == result[key]
    for key in ("heating_kwh", "cooling_kwh"):
        assert result[key] == whole[key]
        assert sum(zone[key] for zone in zones.values()) == pytest.approx(
            result[key], abs=0.01 * len(ids)
        )
    # Each figure lands in its own zone: the booths have no HVAC, an office does.
    assert zones["phone_booth_1"]["heating_kwh"] == 0
    assert zones["phone_booth_1"]["cooling_kwh"] == 0
    assert (
        zones["open_office_1"]["heating_kwh"] + zones["open_office_1"]["cooling_kwh"]
        > 0
    )
    assert sum(zone["miss_time_min"] > 0 for zone in zones.values()) > 1


def test_by_zone_is_a_flag_of_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--scenario", "apartment", "--days", "0.5", "--controller", "reactive"]
    assert main([*argv, "--by-zone"]) == 0
    zones = json.loads(capsys.readouterr().out)["zones"]
    assert set(zones) == {zone.id for zone in load_scenario("apartment").zones}
    assert sum(zone["heating_kwh"] for zone in zones.values()) > 0
