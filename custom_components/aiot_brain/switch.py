"""Switches of AIoT Brain: whether the controller may act on each zone."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from . import AiotBrainConfigEntry
from .const import KEY_CONTROL
from .entity import AiotBrainZoneEntity

PARALLEL_UPDATES = 0  # nothing here talks to a device

# A control, not a configuration entity: those are left out when an action targets
# an area, floor or label, and a manager switches a whole floor's off at once.
ZONE_CONTROL = SwitchEntityDescription(key=KEY_CONTROL, translation_key=KEY_CONTROL)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AiotBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each zone's control switch, also for zones that appear later."""
    coordinator = entry.runtime_data.coordinator
    coordinator.async_add_zone_entities(
        async_add_entities,
        lambda zone: [ZoneControlSwitch(coordinator, ZONE_CONTROL, zone)],
    )


class ZoneControlSwitch(AiotBrainZoneEntity, SwitchEntity, RestoreEntity):
    """Whether the controller may drive the zone's heating, cooling and lights."""

    # Home Assistant keeps its last state: where our saved file is lost, the
    # coordinator takes it back from there (``_restore_controls``).

    follows_predictions = False

    @property
    def is_on(self) -> bool:
        """Return True while the controller may act on the zone."""
        return self.controls.control

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Let the controller act on the zone."""
        await self.coordinator.async_set_controls([self.zone_id], control=True)
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Keep the controller's hands off the zone."""
        await self.coordinator.async_set_controls([self.zone_id], control=False)
        self.async_write_ha_state()
