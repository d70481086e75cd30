"""AIoT Brain: learns when areas are occupied and what comfort people prefer."""

from __future__ import annotations

from importlib.metadata import version

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.storage import Store
from homeassistant.helpers.typing import ConfigType

from .const import (
    BRAIN_STORAGE_KEY,
    DOMAIN,
    KEY_ANOMALY,
    LOGGER,
    NETWORK_ENTITY_KEYS,
    NETWORK_STORAGE_KEY,
    STORAGE_VERSION,
)
from .coordinator import AiotBrainConfigEntry, AiotBrainCoordinator, AiotBrainData
from .entity import building_device_info, building_unique_id, zone_device_identifier
from .network import NetworkInventory
from .services import async_setup_services
from .settings import Settings
from .storage import async_remove

__all__ = ["AiotBrainConfigEntry", "AiotBrainData"]

PLATFORMS: tuple[Platform, ...] = (
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
)

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, so they exist (and explain themselves) even unloaded."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: AiotBrainConfigEntry) -> bool:
    """Set up AIoT Brain from a config entry."""
    # The installed version, for diagnostics. Read from the package metadata (a
    # file, hence the executor): importing river itself would cost over a second.
    river_version = await hass.async_add_executor_job(version, "river")
    settings = Settings.from_options(entry.options)
    network: NetworkInventory | None = None
    if settings.network_inventory:
        network = NetworkInventory(hass)
        await network.async_start()
        entry.async_on_unload(network.async_stop)
    else:
        # Switched off: keep no list of the household's devices. Switched on again,
        # the inventory starts afresh with a baseline instead of reporting every
        # device that came meanwhile as new.
        _remove_network_entities(hass, entry)
        await _async_forget(hass, NETWORK_STORAGE_KEY)
    building = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **building_device_info(entry)
    )
    await _move_building_anomaly(hass, entry, building.id)
    coordinator = AiotBrainCoordinator(hass, entry, settings, building.id)
    # Home Assistant runs this after an unload and after a setup that failed.
    entry.async_on_unload(coordinator.async_stop_listening)
    await coordinator.async_start()
    entry.runtime_data = AiotBrainData(
        river_version=river_version,
        network=network,
        building_device_id=building.id,
        coordinator=coordinator,
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    LOGGER.debug("AIoT Brain set up with river %s", river_version)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: AiotBrainConfigEntry) -> bool:
    """Unload a config entry; the on-unload callbacks stop the network inventory."""
    if not await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        return False
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_stop()
    if entry.disabled_by is not None:
        # Nothing settles them while it is disabled. Reloaded (its options saved),
        # its next start does, and an issue the user ignored stays ignored.
        coordinator.async_remove_issues()
    return True


async def _async_forget(hass: HomeAssistant, key: str) -> None:
    """Delete the store ``key`` and any file of it set aside."""
    await async_remove(Store[dict[str, object]](hass, STORAGE_VERSION, key))


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Forget everything learned and seen when the integration is removed."""
    for key in (BRAIN_STORAGE_KEY, NETWORK_STORAGE_KEY):
        await _async_forget(hass, key)
    issues = ir.async_get(hass)
    for domain, issue_id in list(issues.issues):
        if domain == DOMAIN:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: AiotBrainConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a zone device only once its zone is gone."""
    if entry.state is ConfigEntryState.LOADED:
        return not entry.runtime_data.coordinator.is_active_device(device)
    # Not running (disabled, or its setup failed): the building and the chosen
    # zones keep their devices.
    kept = {(DOMAIN, entry.entry_id)} | {
        zone_device_identifier(entry.entry_id, zone_id)
        for zone_id in Settings.from_options(entry.options).zones
    }
    return not device.identifiers & kept


async def _move_building_anomaly(
    hass: HomeAssistant, entry: ConfigEntry, building_device_id: str
) -> None:
    """Give the building's anomaly sensor the unique id no area can take.

    It was "<entry>_building_anomaly", which an area called "Building" also makes
    for its own anomaly sensor (and then did not get one).
    """
    old = f"{entry.entry_id}_building_anomaly"

    @callback
    def move(entity: er.RegistryEntry) -> dict[str, str] | None:
        if entity.unique_id == old and entity.device_id == building_device_id:
            return {"new_unique_id": building_unique_id(entry.entry_id, KEY_ANOMALY)}
        return None

    await er.async_migrate_entries(hass, entry.entry_id, move)


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
