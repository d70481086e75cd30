"""The package as Home Assistant and HACS read it: manifest, hacs.json, brand icons."""

from __future__ import annotations

import json
from pathlib import Path
import struct

from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration

from custom_components.aiot_brain.const import DOMAIN

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / DOMAIN
# Shipped with Home Assistant (or unavailable on HA OS): never a requirement of ours.
FORBIDDEN_REQUIREMENTS = {
    "numpy",
    "scipy",
    "scikit-learn",
    "sklearn",
    "aiohttp",
    "voluptuous",
    "zeroconf",
}


def _manifest() -> dict[str, object]:
    return json.loads((INTEGRATION / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_keys_and_order() -> None:
    manifest = _manifest()
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["domain"] == "aiot_brain"
    assert manifest["name"] == "AIoT Brain"
    assert manifest["config_flow"] is True
    assert manifest["iot_class"] == "calculated"
    assert manifest["integration_type"] == "hub"
    assert manifest["single_config_entry"] is True
    for key in ("codeowners", "documentation", "issue_tracker", "version"):
        assert manifest[key], key
    major, minor, patch = str(manifest["version"]).split(".")
    assert all(part.isdigit() for part in (major, minor, patch))


def test_manifest_requirements_are_pinned_and_minimal() -> None:
    requirements = _manifest()["requirements"]
    assert requirements == ["river==0.26.1"]
    names = {str(req).split("==")[0].lower() for req in requirements}  # type: ignore[attr-defined]
    assert not names & FORBIDDEN_REQUIREMENTS


async def test_home_assistant_loads_the_manifest(hass: HomeAssistant) -> None:
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.domain == DOMAIN
    assert integration.config_flow
    assert integration.single_config_entry
    assert str(integration.version) == _manifest()["version"]
    assert Path(integration.file_path) == INTEGRATION


def test_hacs_json_matches_the_tested_home_assistant() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert hacs["name"] == "AIoT Brain"
    assert hacs["render_readme"] is True
    major, minor, _ = ha_version.split(".", 2)
    assert hacs["homeassistant"] == f"{major}.{minor}.0"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_brand_icons() -> None:
    assert _png_size(INTEGRATION / "brand" / "icon.png") == (256, 256)
    assert _png_size(INTEGRATION / "brand" / "icon@2x.png") == (512, 512)
