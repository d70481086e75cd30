"""Motion, door and window sensors of the virtual building."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import VirtualBuildingConfigEntry
from .entity import VirtualBuildingEntity

PARALLEL_UPDATES = 0
DEVICE_CLASSES = {
    "motion": BinarySensorDeviceClass.MOTION,
    "door": BinarySensorDeviceClass.DOOR,
    "window": BinarySensorDeviceClass.WINDOW,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VirtualBuildingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a binary sensor for every motion, door and window role."""
    runtime = entry.runtime_data
    async_add_entities(
        VirtualBinarySensor(runtime, entry.entry_id, zone, role)
        for zone in runtime.building.info.zones
        for role in DEVICE_CLASSES
        if role in zone.entities
    )


class VirtualBinarySensor(VirtualBuildingEntity, BinarySensorEntity):
    """A simulated contact or motion sensor."""

    def __init__(self, *args: object) -> None:
        """Set the device class from the role."""
        super().__init__(*args)  # type: ignore[arg-type]
        self._attr_device_class = DEVICE_CLASSES[self.role]

    @property
    def is_on(self) -> bool:
        """Return whether motion is seen or the door/window is open."""
        return self.sim_state == "on"
