"""Temperature, humidity, CO2, illuminance and power sensors of the virtual building."""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.const import (
    LIGHT_LUX,
    PERCENTAGE,
    EntityCategory,
    UnitOfPower,
    UnitOfRatio,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import (
    EVERY_STEP,
    VirtualBuildingConfigEntry,
    VirtualBuildingRuntime,
)
from .entity import VirtualBuildingEntity

PARALLEL_UPDATES = 0
SENSORS: dict[str, tuple[SensorDeviceClass, str]] = {
    "temperature": (SensorDeviceClass.TEMPERATURE, UnitOfTemperature.CELSIUS),
    "humidity": (SensorDeviceClass.HUMIDITY, PERCENTAGE),
    "co2": (SensorDeviceClass.CO2, UnitOfRatio.PARTS_PER_MILLION),
    "illuminance": (SensorDeviceClass.ILLUMINANCE, LIGHT_LUX),
    "power": (SensorDeviceClass.POWER, UnitOfPower.WATT),
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VirtualBuildingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the zones' sensors, the outdoor temperature and the simulated clock."""
    runtime = entry.runtime_data
    entities: list[SensorEntity] = [
        VirtualSensor(runtime, entry.entry_id, zone, role)
        for zone in runtime.building.info.zones
        for role in SENSORS
        if role in zone.entities
    ]
    entities.append(OutdoorTemperatureSensor(runtime, entry.entry_id))
    entities.append(SimulatedClockSensor(runtime, entry.entry_id))
    async_add_entities(entities)


class VirtualSensor(VirtualBuildingEntity, SensorEntity):
    """A simulated measurement."""

    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(self, *args: object) -> None:
        """Set device class and unit from the role."""
        super().__init__(*args)  # type: ignore[arg-type]
        self._attr_device_class, self._attr_native_unit_of_measurement = SENSORS[
            self.role
        ]

    @property
    def native_value(self) -> float:
        """Return the reading."""
        return float(self.sim_state)


def _weather_station(entry_id: str) -> DeviceInfo:
    return DeviceInfo(identifiers={(DOMAIN, f"{entry_id}_weather")})


class OutdoorTemperatureSensor(SensorEntity):
    """The simulated outdoor temperature."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_device_class = SensorDeviceClass.TEMPERATURE
    _attr_native_unit_of_measurement = UnitOfTemperature.CELSIUS
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_translation_key = "outdoor_temperature"

    def __init__(self, runtime: VirtualBuildingRuntime, entry_id: str) -> None:
        """Attach to the building's outdoor sensor."""
        self.runtime = runtime
        self.sim_entity_id = runtime.building.info.outdoor_temperature
        self.entity_id = self.sim_entity_id
        self._attr_unique_id = f"{entry_id}_{self.sim_entity_id}"
        self._attr_device_info = _weather_station(entry_id)

    @property
    def native_value(self) -> float:
        """Return the outdoor temperature."""
        return float(self.runtime.state(self.sim_entity_id).state)

    async def async_added_to_hass(self) -> None:
        """Follow the simulation."""
        self.async_on_remove(
            self.runtime.async_listen(self.sim_entity_id, self.async_write_ha_state)
        )


class SimulatedClockSensor(SensorEntity):
    """The building's own time, which runs ahead of the real clock when sped up."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_translation_key = "simulated_time"

    def __init__(self, runtime: VirtualBuildingRuntime, entry_id: str) -> None:
        """Attach to the building's clock."""
        self.runtime = runtime
        self._attr_unique_id = f"{entry_id}_simulated_time"
        self._attr_device_info = _weather_station(entry_id)

    @property
    def native_value(self) -> datetime:
        """Return the simulated time, in HA's time zone."""
        return self.runtime.now.replace(tzinfo=dt_util.get_default_time_zone())

    async def async_added_to_hass(self) -> None:
        """Tick with the simulation."""
        self.async_on_remove(
            self.runtime.async_listen(EVERY_STEP, self.async_write_ha_state)
        )
