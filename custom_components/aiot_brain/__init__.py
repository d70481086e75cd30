"""AIoT Brain: learns when areas are occupied and what comfort people prefer."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import LOGGER, NETWORK_ENTITY_KEYS
from .discovery import Discovery, Zone, async_discover
from .entity import building_device_info, building_unique_id
from .network import NetworkInventory
from .settings import Settings

PLATFORMS: tuple[Platform, ...] = (
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.SENSOR,
)


@dataclass
class AiotBrainData:
    """What a loaded config entry holds while it runs."""

    river_version: str
    settings: Settings
    discovery: Discovery
    network: NetworkInventory | None  # None when the user switched it off
    building_device_id: str  # zone devices hang under it

    @property
    def zones(self) -> tuple[Zone, ...]:
        """The zones the user chose to learn, as discovered now."""
        return tuple(
            zone for zone in self.discovery.zones if zone.zone_id in self.settings.zones
        )


type AiotBrainConfigEntry = ConfigEntry[AiotBrainData]


def _load_river() -> str:
    """Import river (about 1.3 s) and return its version; runs in the executor."""
    import river  # noqa: F401, PLC0415  (deferred: too slow for the event loop)

    return version("river")


async def async_setup_entry(hass: HomeAssistant, entry: AiotBrainConfigEntry) -> bool:
    """Set up AIoT Brain from a config entry."""
    river_version = await hass.async_add_executor_job(_load_river)
    settings = Settings.from_options(entry.options)
    network: NetworkInventory | None = None
    if settings.network_inventory:
        network = NetworkInventory(hass)
        await network.async_start()
        entry.async_on_unload(network.async_stop)
    else:
        _remove_network_entities(hass, entry)
    building = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **building_device_info(entry)
    )
    entry.runtime_data = AiotBrainData(
        river_version=river_version,
        settings=settings,
        discovery=async_discover(hass),
        network=network,
        building_device_id=building.id,
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    LOGGER.debug("AIoT Brain set up with river %s", river_version)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: AiotBrainConfigEntry) -> bool:
    """Unload a config entry; the on-unload callbacks stop the network inventory."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


@callback
def _remove_network_entities(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Remove the inventory's entities once the user has switched it off."""
    registry = er.async_get(hass)
    unique_ids = {
        building_unique_id(entry.entry_id, key) for key in NETWORK_ENTITY_KEYS
    }
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if entity.unique_id in unique_ids:
            registry.async_remove(entity.entity_id)
