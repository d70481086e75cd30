"""Setting up and unloading the config entry."""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

from homeassistant.config_entries import ConfigEntryDisabler, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.entity import EntityDescription
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.aiot_brain import AiotBrainData
from custom_components.aiot_brain.const import DOMAIN, NETWORK_STORAGE_KEY
from custom_components.aiot_brain.discovery import Zone
from custom_components.aiot_brain.entity import AiotBrainEntity, building_device_info
from custom_components.aiot_brain.settings import Settings

from .test_coordinator import add_entity
from .test_discovery import build_home
from .test_network import announce


async def setup_entry(hass: HomeAssistant, **settings: Any) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN, title="AIoT Brain", options=Settings(**settings).as_options()
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_setup_and_unload(hass: HomeAssistant) -> None:
    build_home(hass)

    entry = await setup_entry(hass, zones=("kitchen", "office", "gone"))

    assert entry.state is ConfigEntryState.LOADED
    data = entry.runtime_data
    assert isinstance(data, AiotBrainData)
    assert data.river_version == "0.26.1"
    assert data.settings.zones == ("kitchen", "office", "gone")
    # A chosen area that no longer exists is left out.
    assert [zone.zone_id for zone in data.zones] == ["kitchen", "office"]
    building = dr.async_get(hass).async_get(data.building_device_id)
    assert building is not None
    assert building.identifiers == {(DOMAIN, entry.entry_id)}
    assert building.name == "AIoT Brain"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_unload_while_entities_are_being_added(hass: HomeAssistant) -> None:
    areas, entities = ar.async_get(hass), er.async_get(hass)
    for index in range(30):
        area = areas.async_create(f"Room {index}")
        motion = entities.async_get_or_create(
            "binary_sensor", "test", f"motion_{index}", original_device_class="motion"
        )
        entities.async_update_entity(motion.entity_id, area_id=area.id)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="AIoT Brain",
        options=Settings(
            zones=tuple(areas.areas), network_inventory=False
        ).as_options(),
    )
    entry.add_to_hass(hass)
    # Each zone's entities come in a turn of their own; unload before they all have.
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    ours = [
        state
        for state in hass.states.async_all()
        if (registered := entities.async_get(state.entity_id))
        and registered.platform == DOMAIN
    ]
    # Nothing was added to a platform already torn down: none is left live.
    assert ours
    assert {state.state for state in ours} == {"unavailable"}


async def test_unload_leaves_nothing_behind(
    hass: HomeAssistant,
    mock_async_zeroconf: MagicMock,
    hass_storage: dict[str, Any],
) -> None:
    zeroconf = mock_async_zeroconf.zeroconf
    entry = await setup_entry(hass)
    # The first load also sets up zeroconf and the entity platforms, which stay.
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    listeners_before = hass.bus.async_listeners()

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    inventory = entry.runtime_data.network
    assert inventory is not None
    browser = inventory._browser
    assert browser in [call.args[0] for call in zeroconf.async_add_listener.mock_calls]
    # One listener per network entity (binary sensor, button, sensor).
    assert len(inventory._listeners) == 3
    announce(inventory, zeroconf, "_hue._tcp.local.", "Hue Bridge", "hue-bridge")
    await hass.async_block_till_done()
    assert inventory._store._delay_handle is not None  # a save is due

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    zeroconf.async_remove_listener.assert_any_call(browser)
    assert inventory._browser is None
    assert inventory._listeners == []
    assert inventory._lookups == {}
    # The due save was written at once, and no timer is left.
    assert inventory._store._delay_handle is None
    assert hass_storage[NETWORK_STORAGE_KEY]["data"]["devices"][0]["key"] == (
        "hue-bridge"
    )
    assert hass.bus.async_listeners() == listeners_before


async def test_an_area_called_building_has_an_anomaly_sensor_of_its_own(
    hass: HomeAssistant,
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="AIoT Brain",
        options=Settings(zones=("building",), network_inventory=False).as_options(),
    )
    entry.add_to_hass(hass)
    # From an earlier version: the building's anomaly sensor, renamed by its user,
    # under the unique id that an area called "Building" makes for its own.
    building = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **building_device_info(entry)
    )
    er.async_get(hass).async_get_or_create(
        "binary_sensor",
        DOMAIN,
        f"{entry.entry_id}_building_anomaly",
        config_entry=entry,
        device_id=building.id,
        suggested_object_id="house_anomaly",
    )
    area = ar.async_get(hass).async_create("Building")
    add_entity(
        hass, "binary_sensor", "hall_motion", area.id, original_device_class="motion"
    )

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    registered = {
        entity.unique_id: entity.entity_id
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    }
    assert registered[f"{entry.entry_id}_anomaly"] == "binary_sensor.house_anomaly"
    assert registered[f"{entry.entry_id}_building_anomaly"] == (
        "binary_sensor.building_aiot_brain_anomaly"
    )
    assert hass.states.get("binary_sensor.house_anomaly") is not None
    assert hass.states.get("binary_sensor.building_aiot_brain_anomaly") is not None


async def test_unique_ids_and_devices(hass: HomeAssistant) -> None:
    """The scheme the zone entities use: stable ids, one device per zone."""
    entry = await setup_entry(hass, network_inventory=False)
    zone = Zone("kitchen", "Kitchen", "ground_floor")
    description = EntityDescription(key="occupancy", translation_key="occupancy")

    building_entity = AiotBrainEntity(entry, description)
    zone_entity = AiotBrainEntity(
        entry, description, zone, entry.runtime_data.building_device_id
    )

    assert building_entity.unique_id == f"{entry.entry_id}_occupancy"
    assert zone_entity.unique_id == f"{entry.entry_id}_kitchen_occupancy"
    device_info = zone_entity.device_info
    assert device_info is not None
    assert device_info["identifiers"] == {(DOMAIN, f"{entry.entry_id}_kitchen")}
    assert device_info["suggested_area"] == "Kitchen"
    assert device_info["via_device_id"] == entry.runtime_data.building_device_id
    # Without zones (and without the inventory) only the building's own entities.
    registered = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert sorted(entity.unique_id for entity in registered) == [
        f"{entry.entry_id}_{key}"
        for key in (
            "anomaly",
            "learning_progress",
            "mode",
            "occupied_zones",
            "trip",
        )
    ]


async def test_deleting_a_device_while_switched_off_is_answered(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """With the integration disabled, Delete on one of its devices says yes or no.

    It raised (the user saw "Unknown error") for want of the running coordinator.
    """
    build_home(hass)
    assert await async_setup_component(hass, "config", {})
    entry = await setup_entry(
        hass, zones=("kitchen", "office"), network_inventory=False
    )
    devices = dr.async_get(hass)
    building = devices.async_get(entry.runtime_data.building_device_id)
    kitchen, office = (
        devices.async_get_device_by_identifier(
            (DOMAIN, f"{entry.entry_id}_{zone_id}"), entry.entry_id
        )
        for zone_id in ("kitchen", "office")
    )
    assert building is not None
    assert kitchen is not None
    assert office is not None
    assert await hass.config_entries.async_set_disabled_by(
        entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()
    # Meanwhile the kitchen is no longer learned.
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "zones": ["office"]}
    )
    client = await hass_ws_client(hass)

    async def remove(device: dr.DeviceEntry) -> dict[str, Any]:
        await client.send_json_auto_id(
            {"type": "config/device_registry/remove", "device_id": device.id}
        )
        return await client.receive_json()  # type: ignore[no-any-return]

    for kept in (building, office):
        response = await remove(kept)
        assert not response["success"]
        assert response["error"]["code"] == "home_assistant_error"
        assert devices.async_get(kept.id) is not None
    response = await remove(kitchen)
    assert response["success"]
    assert devices.async_get(kitchen.id) is None
