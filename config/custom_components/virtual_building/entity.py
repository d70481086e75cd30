"""The base entity: one simulated entity, attached to its zone's device."""

from __future__ import annotations

from typing import Any

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from simulator.interface import ZoneEntities

from .const import DOMAIN, MANUFACTURER
from .coordinator import VirtualBuildingRuntime

# Which device of a zone carries which role, and what that device is.
DEVICE_OF_ROLE = {
    "motion": "multisensor",
    "illuminance": "multisensor",
    "temperature": "multisensor",
    "humidity": "multisensor",
    "co2": "air_quality",
    "power": "power_meter",
    "door": "door_contact",
    "window": "window_contact",
    "light": "light",
    "climate": "thermostat",
}
DEVICE_MODELS = {
    "multisensor": "Multisensor",
    "air_quality": "CO2 sensor",
    "power_meter": "Power meter",
    "door_contact": "Door contact",
    "window_contact": "Window contact",
    "light": "Tunable white light",
    "thermostat": "Thermostat",
}


def device_identifier(entry_id: str, zone_id: str, device: str) -> tuple[str, str]:
    """Return the device registry identifier of a zone's device."""
    return (DOMAIN, f"{entry_id}_{zone_id}_{device}")


def device_name(zone: ZoneEntities, device: str) -> str:
    """Return the name of a zone's device, e.g. "Kitchen thermostat"."""
    return f"{zone.name} {DEVICE_MODELS[device].lower()}"


class VirtualBuildingEntity(Entity):
    """Mirrors one entity of the simulated building."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self,
        runtime: VirtualBuildingRuntime,
        entry_id: str,
        zone: ZoneEntities,
        role: str,
    ) -> None:
        """Attach to the simulated entity of ``role`` in ``zone``."""
        self.runtime = runtime
        self.role = role
        self.sim_entity_id = zone.entities[role]
        self.entity_id = self.sim_entity_id
        self._attr_unique_id = f"{entry_id}_{self.sim_entity_id}"
        device = DEVICE_OF_ROLE[role]
        self._attr_device_info = DeviceInfo(
            identifiers={device_identifier(entry_id, zone.zone_id, device)},
            name=device_name(zone, device),
            manufacturer=MANUFACTURER,
            model=DEVICE_MODELS[device],
        )

    @property
    def sim_attributes(self) -> dict[str, Any]:
        """Return the simulated entity's attributes."""
        return dict(self.runtime.state(self.sim_entity_id).attributes)

    @property
    def sim_state(self) -> str:
        """Return the simulated entity's state string."""
        return self.runtime.state(self.sim_entity_id).state

    async def async_added_to_hass(self) -> None:
        """Write the state whenever the simulation changes it."""
        self.async_on_remove(
            self.runtime.async_listen(self.sim_entity_id, self.async_write_ha_state)
        )
