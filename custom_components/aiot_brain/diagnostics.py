"""Diagnostics for AIoT Brain: what was discovered, chosen and seen, redacted."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from . import AiotBrainConfigEntry
from .coordinator import AiotBrainCoordinator
from .discovery import Zone
from .entity import zone_device_identifier
from .state_mapping import aware_iso

# Host and device names often carry people's names ("annas-iphone"); addresses
# and announced ids (MAC addresses) locate devices. None is needed to understand
# a problem.
TO_REDACT = {"key", "name", "addresses", "ids"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: AiotBrainConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for the config entry."""
    data = entry.runtime_data
    discovery = data.discovery
    network = data.network
    coordinator = data.coordinator
    zones = []
    for zone_id in list(coordinator.zones):
        if zone_id in coordinator.zones:  # not removed meanwhile
            zones.append(_zone(coordinator, zone_id))
        # Each zone in its own turn of the event loop: measuring the models of
        # 200 areas takes about a second.
        await asyncio.sleep(0)
    return {
        "options": dict(entry.options),
        "river_version": data.river_version,
        "discovery": {
            "floors": [floor.floor_id for floor in discovery.floors],
            "zones": [
                {"zone_id": zone.zone_id, **_found(zone, data.settings.zones)}
                for zone in discovery.zones
            ],
            "outdoor": [entity.entity_id for entity in discovery.outdoor],
            "home_presence": len(discovery.home_presence),
            "area_trackers": len(discovery.area_trackers),
            "unassigned": [entity.entity_id for entity in discovery.unassigned],
        },
        "runtime": {
            # Options are kept in °C; thermostats and reasons use this unit.
            "temperature_unit": hass.config.units.temperature_unit,
            "building_mode": coordinator.building_mode.value,
            "learning_progress": round(coordinator.learning_progress, 2),
            "reset_zones": coordinator.reset_zones,
            "buffered_observations": coordinator.buffered_observations,
            "zones": zones,
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


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: AiotBrainConfigEntry, device: dr.DeviceEntry
) -> dict[str, Any]:
    """Return diagnostics for a zone's device; the building's gives the whole entry."""
    data = entry.runtime_data
    coordinator = data.coordinator
    zone = next(
        (
            zone
            for zone in data.discovery.zones
            if zone_device_identifier(entry.entry_id, zone.zone_id)
            in device.identifiers
        ),
        None,
    )
    if zone is None:
        return await async_get_config_entry_diagnostics(hass, entry)
    found = _found(zone, data.settings.zones)
    # Which entity was taken for what: the counts alone do not say which.
    found["entities"] = {
        entity.entity_id: [role.value for role in entity.roles]
        for entity in zone.entities
    }
    summary = (
        _zone(coordinator, zone.zone_id)
        if zone.zone_id in coordinator.zones
        else {"zone_id": zone.zone_id}
    )
    return {
        "options": dict(entry.options),
        "temperature_unit": hass.config.units.temperature_unit,
        "building_mode": coordinator.building_mode.value,
        "zone": {**summary, "discovery": found},
    }


def _found(zone: Zone, chosen: tuple[str, ...]) -> dict[str, Any]:
    """Return what discovery found in a zone's area, in counts."""
    return {
        "floor_id": zone.floor_id,
        "included": zone.zone_id in chosen,
        "learnable": zone.learnable,
        "counts": zone.counts(),
    }


def _zone(coordinator: AiotBrainCoordinator, zone_id: str) -> dict[str, Any]:
    """Return what one zone learned and says now, in rounded numbers and words."""
    learning = zone_id in coordinator.learning
    last = coordinator.control.last_action.get(zone_id)
    summary: dict[str, Any] = {
        "zone_id": zone_id,
        "learning_history": learning,
        "controls": coordinator.zone_controls(zone_id).to_dict(),
        "control": {
            "status": coordinator.control.status(zone_id).value,
            "mode": coordinator.control.mode(zone_id).value,
            "level": coordinator.control.level(zone_id).value,
            "decisions": coordinator.control.reasons(zone_id),
            "held": sorted(coordinator.control.holds(zone_id)),
            "suggestions": coordinator.control.zone_suggestions(zone_id),
            # What it last did, or tried to and the device refused.
            "last_action": None
            if last is None
            else {"when": aware_iso(last[0]), "reason": last[1]},
        },
    }
    if learning:
        return summary  # its models are busy in another thread
    zone = coordinator.brain.zone(zone_id)
    summary["model"] = {
        "roles_seen": sorted(role.value for role in zone.latest),
        "bad_values": zone.bad_values,
        "self_labels": zone.occupancy.self_labels,
        "state_bytes": zone.state_bytes(),
    }
    if (prediction := coordinator.predictions.get(zone_id)) is not None:
        summary["prediction"] = {
            "occupancy_probability": round(prediction.occupancy_probability, 2),
            "forecast": {h: round(p, 2) for h, p in prediction.forecast.items()},
            "comfort_setpoint": round(prediction.comfort_setpoint, 1),
            "window_open": prediction.window_open,
            "anomalies": [anomaly.kind for anomaly in prediction.anomalies],
            "accuracy": prediction.accuracy,
            "calibration_error": prediction.calibration_error,
            "reasons": prediction.reasons,
        }
    return summary
