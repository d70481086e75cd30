"""Thermostats of the virtual building: they heat and cool the simulated zones."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
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
    """Add a thermostat for every zone with a heater or cooler."""
    runtime = entry.runtime_data
    async_add_entities(
        VirtualClimate(runtime, entry.entry_id, zone, "climate")
        for zone in runtime.building.info.zones
        if "climate" in zone.entities
    )


class VirtualClimate(VirtualBuildingEntity, ClimateEntity):
    """A simulated thermostat with on/off heating and cooling."""

    _attr_name = None
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature_step = 0.5

    def __init__(self, *args: object) -> None:
        """Read the modes and limits the simulated device has."""
        super().__init__(*args)  # type: ignore[arg-type]
        attributes = self.sim_attributes
        self._attr_hvac_modes = [HVACMode(mode) for mode in attributes["hvac_modes"]]
        self._attr_preset_modes = list(attributes["preset_modes"])
        self._attr_min_temp = float(attributes["min_temp"])
        self._attr_max_temp = float(attributes["max_temp"])
        features = (
            ClimateEntityFeature.TARGET_TEMPERATURE
            | ClimateEntityFeature.PRESET_MODE
            | ClimateEntityFeature.TURN_ON
            | ClimateEntityFeature.TURN_OFF
        )
        if HVACMode.HEAT_COOL in self._attr_hvac_modes:
            features |= ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
        self._attr_supported_features = features

    @property
    def hvac_mode(self) -> HVACMode:
        """Return the mode."""
        return HVACMode(self.sim_state)

    @property
    def hvac_action(self) -> HVACAction:
        """Return what the device is doing now."""
        return HVACAction(self.sim_attributes["hvac_action"])

    @property
    def current_temperature(self) -> float:
        """Return the zone temperature the thermostat measures."""
        return float(self.sim_attributes["current_temperature"])

    @property
    def target_temperature(self) -> float | None:
        """Return the target in heat or cool mode."""
        return self.sim_attributes["temperature"]  # type: ignore[no-any-return]

    @property
    def target_temperature_low(self) -> float | None:
        """Return the heating target in heat_cool mode."""
        return self.sim_attributes["target_temp_low"]  # type: ignore[no-any-return]

    @property
    def target_temperature_high(self) -> float | None:
        """Return the cooling target in heat_cool mode."""
        return self.sim_attributes["target_temp_high"]  # type: ignore[no-any-return]

    @property
    def preset_mode(self) -> str:
        """Return the preset."""
        return str(self.sim_attributes["preset_mode"])

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set the target temperature(s), optionally with a mode."""
        data = {
            key: kwargs[key]
            for key in (ATTR_TEMPERATURE, ATTR_TARGET_TEMP_LOW, ATTR_TARGET_TEMP_HIGH)
            if key in kwargs
        }
        if ATTR_HVAC_MODE in kwargs:
            data["hvac_mode"] = str(kwargs[ATTR_HVAC_MODE])
        self.runtime.async_command(
            Command("climate", "set_temperature", self.sim_entity_id, data)
        )

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Set the mode."""
        self.runtime.async_command(
            Command(
                "climate",
                "set_hvac_mode",
                self.sim_entity_id,
                {"hvac_mode": str(hvac_mode)},
            )
        )

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Set a preset."""
        self.runtime.async_command(
            Command(
                "climate",
                "set_preset_mode",
                self.sim_entity_id,
                {"preset_mode": preset_mode},
            )
        )

    async def async_turn_on(self) -> None:
        """Switch on (the fullest mode the device has)."""
        self.runtime.async_command(Command("climate", "turn_on", self.sim_entity_id))

    async def async_turn_off(self) -> None:
        """Switch off."""
        self.runtime.async_command(Command("climate", "turn_off", self.sim_entity_id))
