"""A simulated building in Home Assistant, for development and demos.

It creates the floors, areas, devices and entities of a simulator scenario (see the
repository's ``simulator`` package), steps the simulation with a speed-up, and lets
service calls on its lights and thermostats drive the simulated rooms. Configure it in
YAML::

    virtual_building:
      scenario: family_home   # a built-in scenario or a path to a YAML/JSON file
      speed: 60               # simulated minutes per real minute, 1..60
      seed: 1
      tracked: residents      # whose phones HA tracks: residents, none or names

or add it from the UI.
"""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_IMPORT
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import (
    area_registry as ar,
    config_validation as cv,
    device_registry as dr,
    floor_registry as fr,
)
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util
import probatio as vol

from simulator import Building, ScenarioError, load_scenario
from simulator.scenario import with_tracked

from .const import (
    CONF_SCENARIO,
    CONF_SEED,
    CONF_SPEED,
    CONF_TRACKED,
    DEFAULT_SCENARIO,
    DEFAULT_SPEED,
    DEFAULT_TRACKED,
    DOMAIN,
    MANUFACTURER,
    MAX_SPEED,
    MIN_SPEED,
)
from .coordinator import VirtualBuildingConfigEntry, VirtualBuildingRuntime
from .entity import DEVICE_MODELS, DEVICE_OF_ROLE, device_identifier, device_name

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.CLIMATE,
    Platform.DEVICE_TRACKER,
    Platform.LIGHT,
    Platform.SENSOR,
]

BUILDING_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_SCENARIO, default=DEFAULT_SCENARIO): cv.string,
        vol.Optional(CONF_SPEED, default=DEFAULT_SPEED): vol.All(
            vol.Coerce(float), vol.Range(min=MIN_SPEED, max=MAX_SPEED)
        ),
        vol.Optional(CONF_SEED, default=0): vol.Coerce(int),
        vol.Optional(CONF_TRACKED, default=DEFAULT_TRACKED): cv.string,
    }
)
CONFIG_SCHEMA = vol.Schema({DOMAIN: BUILDING_SCHEMA}, extra=vol.ALLOW_EXTRA)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Create (or update) the config entry from YAML, if there is a YAML section."""
    if DOMAIN in config:
        hass.async_create_task(
            hass.config_entries.flow.async_init(
                DOMAIN, context={"source": SOURCE_IMPORT}, data=dict(config[DOMAIN])
            )
        )
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: VirtualBuildingConfigEntry
) -> bool:
    """Build the simulated building, register it with HA and start its clock."""
    start = dt_util.now().replace(tzinfo=None, second=0, microsecond=0)

    def build() -> Building:
        scenario = with_tracked(
            load_scenario(entry.data[CONF_SCENARIO]),
            entry.data.get(CONF_TRACKED, DEFAULT_TRACKED),
        )
        return Building(scenario, seed=int(entry.data.get(CONF_SEED, 0)), start=start)

    try:
        # File reading and a day of route planning: not for the event loop.
        building = await hass.async_add_executor_job(build)
    except ScenarioError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="bad_scenario",
            translation_placeholders={"error": str(err)},
        ) from err
    runtime = VirtualBuildingRuntime(hass, building, float(entry.data[CONF_SPEED]))
    _register_building(hass, entry, building)
    entry.runtime_data = runtime
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    runtime.async_start()
    entry.async_on_unload(runtime.async_stop)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: VirtualBuildingConfigEntry
) -> bool:
    """Stop the clock and remove the entities."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


def _register_building(
    hass: HomeAssistant, entry: VirtualBuildingConfigEntry, building: Building
) -> None:
    """Create the scenario's floors, areas and devices, keeping what users changed."""
    floors = fr.async_get(hass)
    areas = ar.async_get(hass)
    devices = dr.async_get(hass)
    floor_ids: dict[str, str] = {}
    for floor in building.scenario.floors:
        entry_floor = floors.async_get_floor_by_name(floor.name) or floors.async_create(
            floor.name, level=floor.level
        )
        floor_ids[floor.id] = entry_floor.floor_id
    for zone in building.info.zones:
        area = areas.async_get_area_by_name(zone.name)
        if area is None:
            area = areas.async_create(zone.name, floor_id=floor_ids[zone.floor_id])
        elif area.floor_id is None:  # e.g. the "Kitchen" onboarding creates
            area = areas.async_update(area.id, floor_id=floor_ids[zone.floor_id])
        for device in sorted({DEVICE_OF_ROLE[role] for role in zone.entities}):
            device_entry = devices.async_get_or_create(
                config_entry_id=entry.entry_id,
                identifiers={device_identifier(entry.entry_id, zone.zone_id, device)},
                name=device_name(zone, device),
                manufacturer=MANUFACTURER,
                model=DEVICE_MODELS[device],
            )
            if device_entry.area_id is None:
                devices.async_update_device(device_entry.id, area_id=area.id)
    devices.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, f"{entry.entry_id}_weather")},
        name="Weather station",
        manufacturer=MANUFACTURER,
        model="Weather station",
    )
