"""Buttons of AIoT Brain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import AiotBrainConfigEntry
from .const import KEY_ACKNOWLEDGE_NETWORK_DEVICES
from .entity import NetworkInventoryEntity
from .network import NetworkInventory

PARALLEL_UPDATES = 0  # nothing here talks to a device


@dataclass(frozen=True, kw_only=True)
class NetworkButtonDescription(ButtonEntityDescription):
    """A button that acts on the network inventory."""

    press_fn: Callable[[NetworkInventory], None]


NETWORK_BUTTONS: tuple[NetworkButtonDescription, ...] = (
    NetworkButtonDescription(
        key=KEY_ACKNOWLEDGE_NETWORK_DEVICES,
        translation_key=KEY_ACKNOWLEDGE_NETWORK_DEVICES,
        press_fn=lambda inventory: inventory.async_acknowledge(),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AiotBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons."""
    if (inventory := entry.runtime_data.network) is not None:
        async_add_entities(
            NetworkButton(entry, description, inventory)
            for description in NETWORK_BUTTONS
        )


class NetworkButton(NetworkInventoryEntity, ButtonEntity):
    """A button on the network inventory."""

    entity_description: NetworkButtonDescription

    async def async_press(self) -> None:
        """Act on the inventory."""
        self.entity_description.press_fn(self.inventory)
