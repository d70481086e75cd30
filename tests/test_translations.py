"""Translations: every language says the same things, and every message exists."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest
import yaml

from custom_components.aiot_brain import (
    binary_sensor,
    button,
    config_flow,
    sensor,
    services,
)

TRANSLATIONS = Path(config_flow.__file__).parent / "translations"
ICONS = Path(config_flow.__file__).parent / "icons.json"


def _load(name: str) -> dict[str, Any]:
    return json.loads((TRANSLATIONS / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@pytest.mark.parametrize("language", ["de.json"])
def test_same_keys_and_placeholders_as_english(language: str) -> None:
    english = _flatten(_load("en.json"))
    other = _flatten(_load(language))

    assert other.keys() == english.keys()
    for key, text in english.items():
        assert set(re.findall(r"{\w+}", other[key])) == set(
            re.findall(r"{\w+}", text)
        ), key


def test_every_error_the_flows_raise_has_a_message() -> None:
    source = Path(config_flow.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'errors\[[A-Z_]+\] = "(\w+)"', source))
    for conflict in re.findall(r"_Conflict\((.*?)\)", source, re.DOTALL):
        raised |= set(re.findall(r'"(\w+)"', conflict))
    english = _load("en.json")

    assert {"night_empty", "min_above_heating", "max_below_sleep"} <= raised
    assert raised <= english["config"]["error"].keys()
    assert raised <= english["options"]["error"].keys()


def test_every_entity_has_a_name_and_an_icon() -> None:
    english = _load("en.json")["entity"]
    icons = json.loads(ICONS.read_text(encoding="utf-8"))["entity"]
    for platform, descriptions in (
        ("binary_sensor", binary_sensor.NETWORK_BINARY_SENSORS),
        ("button", button.NETWORK_BUTTONS),
        ("sensor", sensor.NETWORK_SENSORS),
    ):
        for description in descriptions:
            assert english[platform][description.translation_key]["name"]
            assert icons[platform][description.translation_key]["default"]


def test_every_action_its_fields_and_its_errors_are_described() -> None:
    english = _load("en.json")
    icons = json.loads(ICONS.read_text(encoding="utf-8"))["services"]
    described = yaml.safe_load(
        (TRANSLATIONS.parent / "services.yaml").read_text(encoding="utf-8")
    )
    for service, spec in described.items():
        assert english["services"][service]["name"], service
        assert english["services"][service]["description"], service
        assert icons[service]["service"], service
        for field in spec.get("fields", {}):
            assert english["services"][service]["fields"][field]["name"], field
    source = Path(services.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'_error\(\s*"(\w+)"', source))
    assert raised == english["exceptions"].keys()
