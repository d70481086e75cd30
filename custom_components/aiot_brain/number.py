"""Numbers of AIoT Brain: each zone's comfort offset."""

from __future__ import annotations

from typing import Any

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntityDescription,
    NumberMode,
    RestoreNumber,
)
from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import AiotBrainConfigEntry
from .brain.units import CELSIUS, TemperatureScale
from .const import COMFORT_OFFSET_LIMIT, KEY_COMFORT_OFFSET
from .entity import AiotBrainZoneEntity
from .state_mapping import temperature_scale

PARALLEL_UPDATES = 0  # nothing here talks to a device

COMFORT_OFFSET = NumberEntityDescription(
    key=KEY_COMFORT_OFFSET,
    translation_key=KEY_COMFORT_OFFSET,
    # A control, not a configuration entity: those are left out when an action
    # targets an area, floor or label, and a manager sets a whole floor's at once.
    device_class=NumberDeviceClass.TEMPERATURE_DELTA,
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


class ComfortOffsetNumber(AiotBrainZoneEntity, RestoreNumber):
    """Degrees added to the zone's learned comfort setpoint.

    The offset is kept in K. HA converts a difference only when a person picks
    another unit for this entity, so a home that shows °F is given °F here. Home
    Assistant keeps its last value too: where our saved file is lost, the
    coordinator takes it back from there (``_restore_controls``).
    """

    follows_predictions = False

    async def async_added_to_hass(self) -> None:
        """Also show the offset anew when the unit system changes."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.hass.bus.async_listen(
                EVENT_CORE_CONFIG_UPDATE, self._async_config_updated
            )
        )

    @callback
    def _async_config_updated(self, _event: Event[Any]) -> None:
        # A value set from a state still in the old unit would be taken in the new.
        self.async_write_ha_state()

    @property
    def _scale(self) -> TemperatureScale:
        return temperature_scale(self.hass.config.units.temperature_unit)

    @property
    def native_unit_of_measurement(self) -> str:
        """Return °C, or °F in a home that shows °F."""
        return self._scale.symbol

    @property
    def native_min_value(self) -> float:
        """Return the lowest offset."""
        return -self.native_max_value

    @property
    def native_max_value(self) -> float:
        """Return the highest offset, in whole degrees."""
        return float(int(COMFORT_OFFSET_LIMIT * self._scale.per_kelvin))

    @property
    def native_step(self) -> float:
        """Return half a degree Celsius, or a whole degree Fahrenheit."""
        return 0.5 if self._scale is CELSIUS else 1.0

    @property
    def native_value(self) -> float:
        """Return the offset."""
        return round(self.controls.comfort_offset * self._scale.per_kelvin, 2)

    async def async_set_native_value(self, value: float) -> None:
        """Set the offset."""
        offset = value / self._scale.per_kelvin
        await self.coordinator.async_set_controls([self.zone_id], comfort_offset=offset)
        self.async_write_ha_state()
