"""Binary sensors of AIoT Brain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import AiotBrainConfigEntry
from .const import KEY_NEW_NETWORK_DEVICE
from .entity import NetworkInventoryEntity
from .network import NetworkInventory

PARALLEL_UPDATES = 0  # nothing here talks to a device


@dataclass(frozen=True, kw_only=True)
class NetworkBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor computed from the network inventory."""

    value_fn: Callable[[NetworkInventory], bool]
    attributes_fn: Callable[[NetworkInventory], dict[str, Any]]


NETWORK_BINARY_SENSORS: tuple[NetworkBinarySensorDescription, ...] = (
    NetworkBinarySensorDescription(
        key=KEY_NEW_NETWORK_DEVICE,
        translation_key=KEY_NEW_NETWORK_DEVICE,
        value_fn=lambda inventory: bool(inventory.unacknowledged),
        attributes_fn=lambda inventory: {
            "devices": [device.name for device in inventory.new_devices]
        },
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AiotBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors."""
    if (inventory := entry.runtime_data.network) is not None:
        async_add_entities(
            NetworkBinarySensor(entry, description, inventory)
            for description in NETWORK_BINARY_SENSORS
        )


class NetworkBinarySensor(NetworkInventoryEntity, BinarySensorEntity):
    """Whether something new has appeared on the network."""

    entity_description: NetworkBinarySensorDescription
    # The list of names can grow; keep it out of the recorder.
    _unrecorded_attributes = frozenset({"devices"})

    @property
    def is_on(self) -> bool:
        """Return True while a new device has not been acknowledged."""
        return self.entity_description.value_fn(self.inventory)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the names of the new devices."""
        return self.entity_description.attributes_fn(self.inventory)
