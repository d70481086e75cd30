"""Scenario files: the built-ins match the issue, bad files fail clearly."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.scenario import (
    ScenarioError,
    builtin_scenarios,
    load_scenario,
    parse_scenario,
    parse_time,
)

from .helpers import ONE_ROOM


def test_builtin_scenarios_have_the_promised_shape() -> None:
    assert {"family_home", "apartment", "office_floor"} <= set(builtin_scenarios())
    home = load_scenario("family_home")
    assert (len(home.zones), len(home.floors), len(home.occupants)) == (6, 2, 4)
    flat = load_scenario("apartment")
    assert (len(flat.zones), len(flat.occupants)) == (3, 1)
    assert flat.occupants[0].rotation  # shift work
    office = load_scenario("office_floor")
    assert len(office.zones) >= 20
    assert len(office.occupants) == 30
    assert all(person.kind == "worker" for person in office.occupants)
    assert len(office.meetings.rooms) >= 4
    assert all(office.zone(room).kind == "meeting" for room in office.meetings.rooms)


def test_load_by_path_yaml_and_json(tmp_path: Path) -> None:
    yaml_file = tmp_path / "room.yaml"
    yaml_file.write_text(yaml.safe_dump(ONE_ROOM))
    json_file = tmp_path / "room.json"
    json_file.write_text(json.dumps(ONE_ROOM))
    assert load_scenario(yaml_file) == load_scenario(str(json_file))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(colour="blue"), "unknown field"),
        (lambda d: d["floors"][0]["zones"][0].update(area_m2=-3), "area_m2"),
        (lambda d: d["floors"][0]["zones"][0].update(sensors=["sonar"]), "sonar"),
        (lambda d: d.update(start="yesterday"), "start"),
        (lambda d: d.update(neighbours=[["room", "attic", 10]]), "neighbours[0]"),
        (
            lambda d: d["occupants"].append(
                {
                    "name": "X",
                    "sleep_zone": "cellar",
                    "zones": {"room": 1},
                    "patterns": {},
                }
            ),
            "occupants[0]",
        ),
        (
            lambda d: d["occupants"].append(
                {
                    "name": "X",
                    "sleep_zone": "room",
                    "zones": {"room": 1},
                    "patterns": {
                        "weekday": {"wake": "7 o'clock", "sleep": "23:00"},
                        "weekend": {"wake": "08:00", "sleep": "23:00"},
                    },
                }
            ),
            "occupants[0].patterns.weekday.wake",
        ),
        (
            lambda d: d["occupants"].append(
                {
                    "name": "X",
                    "sleep_zone": "room",
                    "zones": {"room": 1},
                    "patterns": {"weekday": {"wake": "07:00", "sleep": "23:00"}},
                    "week": ["weekday"] * 7,
                    "tracked": "yes",
                }
            ),
            "occupants[0].tracked: expected true or false",
        ),
        (lambda d: d.update(floors=[]), "at least one zone"),
    ],
)
def test_bad_scenarios_raise_clear_errors(change: Any, message: str) -> None:
    data = copy.deepcopy(ONE_ROOM)
    change(data)
    with pytest.raises(
        ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")
    ):
        parse_scenario(data)


def test_unknown_name_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="unknown scenario 'castle'"):
        load_scenario("castle")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(broken)
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")


def test_times() -> None:
    assert parse_time("07:30", "t") == 450
    assert parse_time("30:15", "t") == 1815  # 06:15 the next morning
    assert parse_time(405, "t") == 405  # YAML reads unquoted 06:45 as 405
    for bad in ("25", "ab:cd", True, "48:00"):
        with pytest.raises(ScenarioError):
            parse_time(bad, "t")
