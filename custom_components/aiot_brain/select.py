"""Selects of AIoT Brain: the mode of each zone and of the whole building."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from . import AiotBrainConfigEntry
from .const import KEY_MODE, Mode
from .entity import AiotBrainBuildingEntity, AiotBrainZoneEntity

PARALLEL_UPDATES = 0  # nothing here talks to a device

MODE_OPTIONS = [mode.value for mode in Mode]

ZONE_MODE = SelectEntityDescription(
    key=KEY_MODE, translation_key=KEY_MODE, options=MODE_OPTIONS
)
BUILDING_MODE = SelectEntityDescription(
    key=KEY_MODE, translation_key="building_mode", options=MODE_OPTIONS
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AiotBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the building's mode and each zone's, also for zones that appear later."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities([BuildingModeSelect(coordinator, BUILDING_MODE)])

    coordinator.async_add_zone_entities(
        async_add_entities, lambda zone: [ZoneModeSelect(coordinator, ZONE_MODE, zone)]
    )


class ZoneModeSelect(AiotBrainZoneEntity, SelectEntity, RestoreEntity):
    """What one zone should aim for (also set by ``aiot_brain.set_mode``)."""

    # Kept by Home Assistant too, as the Control switch is (``_restore_controls``).

    @property
    def current_option(self) -> str:
        """Return the zone's mode."""
        return self.controls.mode.value

    async def async_select_option(self, option: str) -> None:
        """Set the zone's mode."""
        await self.coordinator.async_set_controls([self.zone_id], mode=Mode(option))
        self.async_write_ha_state()


class BuildingModeSelect(AiotBrainBuildingEntity, SelectEntity, RestoreEntity):
    """What the whole building should aim for."""

    @property
    def current_option(self) -> str:
        """Return the building's mode."""
        return self.coordinator.building_mode.value

    async def async_select_option(self, option: str) -> None:
        """Set the building's mode."""
        await self.coordinator.async_set_controls(None, mode=Mode(option))
        self.async_write_ha_state()
