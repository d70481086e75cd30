"""Numbers of AIoT Brain: each zone's comfort offset."""

from __future__ import annotations

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import EntityCategory, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import AiotBrainConfigEntry
from .const import COMFORT_OFFSET_LIMIT, KEY_COMFORT_OFFSET
from .entity import AiotBrainZoneEntity

PARALLEL_UPDATES = 0  # nothing here talks to a device

COMFORT_OFFSET = NumberEntityDescription(
    key=KEY_COMFORT_OFFSET,
    translation_key=KEY_COMFORT_OFFSET,
    entity_category=EntityCategory.CONFIG,
    device_class=NumberDeviceClass.TEMPERATURE_DELTA,
    native_unit_of_measurement=UnitOfTemperature.CELSIUS,
    native_min_value=-COMFORT_OFFSET_LIMIT,
    native_max_value=COMFORT_OFFSET_LIMIT,
    native_step=0.5,
    mode=NumberMode.SLIDER,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AiotBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each zone's comfort offset, also for zones that appear later."""
    coordinator = entry.runtime_data.coordinator
    coordinator.async_add_zone_entities(
        async_add_entities,
        lambda zone: [ComfortOffsetNumber(coordinator, COMFORT_OFFSET, zone)],
    )


class ComfortOffsetNumber(AiotBrainZoneEntity, NumberEntity):
    """Degrees added to the zone's learned comfort setpoint."""

    follows_predictions = False

    @property
    def native_value(self) -> float:
        """Return the offset."""
        return self.controls.comfort_offset

    async def async_set_native_value(self, value: float) -> None:
        """Set the offset."""
        self.coordinator.async_set_controls(self.zone_id, comfort_offset=value)
        self.async_write_ha_state()
