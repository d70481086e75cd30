"""Sensors of AIoT Brain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import AiotBrainConfigEntry
from .const import KEY_NETWORK_DEVICES
from .entity import NetworkInventoryEntity
from .network import NetworkInventory

PARALLEL_UPDATES = 0  # nothing here talks to a device


@dataclass(frozen=True, kw_only=True)
class NetworkSensorDescription(SensorEntityDescription):
    """A sensor computed from the network inventory."""

    value_fn: Callable[[NetworkInventory], int]


NETWORK_SENSORS: tuple[NetworkSensorDescription, ...] = (
    NetworkSensorDescription(
        key=KEY_NETWORK_DEVICES,
        translation_key=KEY_NETWORK_DEVICES,
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda inventory: len(inventory.devices),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AiotBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors."""
    if (inventory := entry.runtime_data.network) is not None:
        async_add_entities(
            NetworkSensor(entry, description, inventory)
            for description in NETWORK_SENSORS
        )


class NetworkSensor(NetworkInventoryEntity, SensorEntity):
    """A number from the network inventory."""

    entity_description: NetworkSensorDescription

    @property
    def native_value(self) -> int:
        """Return the sensor's value."""
        return self.entity_description.value_fn(self.inventory)
