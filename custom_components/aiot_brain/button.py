"""Buttons of AIoT Brain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import AiotBrainConfigEntry
from .const import KEY_ACKNOWLEDGE_NETWORK_DEVICES, KEY_RELEARN
from .coordinator import AiotBrainCoordinator
from .entity import AiotBrainZoneEntity, NetworkInventoryEntity
from .network import NetworkInventory
from .services import relearn

PARALLEL_UPDATES = 0  # nothing here talks to a device


@dataclass(frozen=True, kw_only=True)
class ZoneButtonDescription(ButtonEntityDescription):
    """A button that acts on one zone's models."""

    press_fn: Callable[[AiotBrainCoordinator, str], None]


@dataclass(frozen=True, kw_only=True)
class NetworkButtonDescription(ButtonEntityDescription):
    """A button that acts on the network inventory."""

    press_fn: Callable[[NetworkInventory], None]


def _relearn(coordinator: AiotBrainCoordinator, zone_id: str) -> None:
    """Relearn the zone, or say why it cannot (still reading, no recorder)."""
    relearn(coordinator, [zone_id])


ZONE_BUTTONS: tuple[ZoneButtonDescription, ...] = (
    ZoneButtonDescription(
        key=KEY_RELEARN,
        translation_key=KEY_RELEARN,
        entity_category=EntityCategory.CONFIG,
        press_fn=_relearn,
    ),
)

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
    """Add the buttons, and those of zones that appear later."""
    if (inventory := entry.runtime_data.network) is not None:
        async_add_entities(
            NetworkButton(entry, description, inventory)
            for description in NETWORK_BUTTONS
        )
    coordinator = entry.runtime_data.coordinator
    coordinator.async_add_zone_entities(
        async_add_entities,
        lambda zone: (
            ZoneButton(coordinator, description, zone) for description in ZONE_BUTTONS
        ),
    )


class ZoneButton(AiotBrainZoneEntity, ButtonEntity):
    """A button on one zone."""

    entity_description: ZoneButtonDescription
    follows_predictions = False

    async def async_press(self) -> None:
        """Act on the zone."""
        self.entity_description.press_fn(self.coordinator, self.zone_id)


class NetworkButton(NetworkInventoryEntity, ButtonEntity):
    """A button on the network inventory."""

    entity_description: NetworkButtonDescription

    async def async_press(self) -> None:
        """Act on the inventory."""
        self.entity_description.press_fn(self.inventory)
