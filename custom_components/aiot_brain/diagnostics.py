"""Diagnostics for AIoT Brain: what was discovered, chosen and seen, redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from . import AiotBrainConfigEntry

# Host and device names often carry people's names ("annas-iphone"); addresses
# locate devices. Neither is needed to understand a problem.
TO_REDACT = {"key", "name", "addresses"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: AiotBrainConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for the config entry."""
    data = entry.runtime_data
    discovery = data.discovery
    network = data.network
    return {
        "options": dict(entry.options),
        "river_version": data.river_version,
        "discovery": {
            "floors": [floor.floor_id for floor in discovery.floors],
            "zones": [
                {
                    "zone_id": zone.zone_id,
                    "floor_id": zone.floor_id,
                    "included": zone.zone_id in data.settings.zones,
                    "learnable": zone.learnable,
                    "counts": zone.counts(),
                }
                for zone in discovery.zones
            ],
            "outdoor": [entity.entity_id for entity in discovery.outdoor],
            "home_presence": len(discovery.home_presence),
            "area_trackers": len(discovery.area_trackers),
            "unassigned": [entity.entity_id for entity in discovery.unassigned],
        },
        "network": None
        if network is None
        else {
            "device_count": len(network.devices),
            "unacknowledged": len(network.unacknowledged),
            "devices": [
                async_redact_data(asdict(device), TO_REDACT)
                for device in network.devices.values()
            ],
        },
    }
