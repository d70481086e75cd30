"""Dimmable, tunable-white lights of the virtual building."""

from __future__ import annotations

from typing import Any

from homeassistant.components.light import LightEntity
from homeassistant.components.light.const import (
    ATTR_BRIGHTNESS,
    ATTR_COLOR_TEMP_KELVIN,
    ColorMode,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from simulator import Command

from .coordinator import VirtualBuildingConfigEntry
from .entity import VirtualBuildingEntity

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VirtualBuildingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a light for every zone that has one."""
    runtime = entry.runtime_data
    async_add_entities(
        VirtualLight(runtime, entry.entry_id, zone, "light")
        for zone in runtime.building.info.zones
        if "light" in zone.entities
    )


class VirtualLight(VirtualBuildingEntity, LightEntity):
    """A simulated light: what it does changes the zone's illuminance and energy."""

    _attr_name = None
    _attr_color_mode = ColorMode.COLOR_TEMP

    def __init__(self, *args: object) -> None:
        """Declare the one colour mode: tunable white."""
        super().__init__(*args)  # type: ignore[arg-type]
        self._attr_supported_color_modes = {ColorMode.COLOR_TEMP}

    @property
    def min_color_temp_kelvin(self) -> int:
        """Return the warmest white."""
        return int(self.sim_attributes["min_color_temp_kelvin"])

    @property
    def max_color_temp_kelvin(self) -> int:
        """Return the coolest white."""
        return int(self.sim_attributes["max_color_temp_kelvin"])

    @property
    def is_on(self) -> bool:
        """Return whether the light is on."""
        return self.sim_state == "on"

    @property
    def brightness(self) -> int | None:
        """Return the brightness, 0..255."""
        value = self.sim_attributes["brightness"]
        return None if value is None else int(value)

    @property
    def color_temp_kelvin(self) -> int | None:
        """Return the colour temperature."""
        value = self.sim_attributes["color_temp_kelvin"]
        return None if value is None else int(value)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on, optionally with brightness and colour temperature."""
        data: dict[str, Any] = {}
        if ATTR_BRIGHTNESS in kwargs:
            data["brightness"] = kwargs[ATTR_BRIGHTNESS]
        if ATTR_COLOR_TEMP_KELVIN in kwargs:
            data["color_temp_kelvin"] = kwargs[ATTR_COLOR_TEMP_KELVIN]
        self.runtime.async_command(
            Command("light", "turn_on", self.sim_entity_id, data)
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off."""
        self.runtime.async_command(Command("light", "turn_off", self.sim_entity_id))
