"""Diagnostics."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.aiot_brain.const import DOMAIN
from custom_components.aiot_brain.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.aiot_brain.entity import zone_device_identifier
from custom_components.aiot_brain.network import BASELINE_PERIOD

from .test_acting import START, _living_room_whose_lamp_refused
from .test_discovery import build_home
from .test_init import setup_entry
from .test_network import announce


async def _someone_in_the_kitchen(hass: HomeAssistant) -> ConfigEntry:
    """Set up the home's kitchen and living room, with someone in the kitchen."""
    build_home(hass)
    entry = await setup_entry(
        hass,
        zones=("kitchen", "living_room"),
        outdoor_source="weather.home",
        history_days=0,
    )
    hass.states.async_set("binary_sensor.kitchen_occupancy", "on")
    return entry


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_async_zeroconf: MagicMock,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    entry = await _someone_in_the_kitchen(hass)
    hass.states.async_set(
        "sensor.kitchen_temperature", "68", {"unit_of_measurement": "°F"}
    )
    inventory = entry.runtime_data.network
    assert inventory is not None
    zeroconf = mock_async_zeroconf.zeroconf
    announce(inventory, zeroconf, "_hue._tcp.local.", "Hue Bridge", "hue-bridge")
    freezer.tick(BASELINE_PERIOD + timedelta(seconds=1))
    announce(
        inventory, zeroconf, "_hap._tcp.local.", "Annas lamp", "annas-lamp",
        address="192.168.1.77", md="Annas lamp",
    )  # fmt: skip
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    # Times depend on when the test runs; the frozen clock gives them exactly.
    # Predictions depend on the time of day too: they are checked below.
    assert diagnostics == snapshot(
        exclude=props("first_seen", "last_seen", "prediction", "state_bytes")
    )
    devices = diagnostics["network"]["devices"]
    assert devices[1]["first_seen"] == dt_util.utcnow().isoformat()
    text = str(diagnostics)
    assert "annas" not in text.lower()
    assert "192.168.1.77" not in text
    kitchen = diagnostics["runtime"]["zones"][0]
    assert kitchen["zone_id"] == "kitchen"
    assert kitchen["model"]["roles_seen"] == ["motion", "temperature"]
    assert kitchen["prediction"]["occupancy_probability"] > 0.5
    assert kitchen["prediction"]["reasons"]["occupancy"]


async def test_diagnostics_without_network_inventory(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    entry = await setup_entry(hass, network_inventory=False)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert diagnostics["network"] is None
    assert diagnostics["discovery"]["zones"] == []
    assert diagnostics["options"]["network_inventory"] is False


async def test_diagnostics_tell_the_unit_temperatures_are_shown_in(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    # Thermostats, weather and every reason are read and told in this unit.
    await hass.config.async_update(unit_system="us_customary")
    entry = await setup_entry(hass, network_inventory=False)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert diagnostics["runtime"]["temperature_unit"] == "°F"


async def test_a_zones_device_gives_what_that_zone_found_learned_and_decided(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    entry = await _someone_in_the_kitchen(hass)
    await hass.async_block_till_done()
    devices = dr.async_get(hass)
    kitchen = devices.async_get_device_by_identifier(
        zone_device_identifier(entry.entry_id, "kitchen"), entry.entry_id
    )
    assert kitchen is not None

    diagnostics = await get_diagnostics_for_device(hass, hass_client, entry, kitchen)

    assert diagnostics["options"]["control_level"] == "observe"
    assert diagnostics["temperature_unit"] == "°C"
    zone = diagnostics["zone"]
    assert zone["zone_id"] == "kitchen"
    assert zone["model"]["roles_seen"] == ["motion"]
    assert zone["prediction"]["occupancy_probability"] > 0.5
    # Which of the area's entities were taken for what: counts alone do not tell.
    found = zone["discovery"]
    assert found["learnable"] is True
    assert found["entities"]["binary_sensor.kitchen_occupancy"] == ["motion"]
    assert found["entities"]["sensor.kitchen_co2"] == ["co2"]
    assert "living_room" not in str(zone)  # nor another zone's

    # The building's device gives the whole building.
    building = devices.async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert building is not None
    whole = await get_diagnostics_for_device(hass, hass_client, entry, building)
    assert [zone["zone_id"] for zone in whole["runtime"]["zones"]] == [
        "kitchen",
        "living_room",
    ]


async def test_home_assistant_goes_on_while_a_buildings_diagnostics_are_gathered(
    hass: HomeAssistant,
) -> None:
    # Measuring each zone's models takes a few milliseconds: at 200 areas, a
    # second in which nothing else in Home Assistant could run.
    build_home(hass)
    entry = await setup_entry(hass, zones=("kitchen", "living_room"), history_days=0)
    gathered = asyncio.get_running_loop().create_task(
        async_get_config_entry_diagnostics(hass, entry)
    )
    finished_before_others_ran: list[bool] = []
    hass.loop.call_soon(lambda: finished_before_others_ran.append(gathered.done()))

    diagnostics = await gathered

    assert finished_before_others_ran == [False]
    assert [zone["zone_id"] for zone in diagnostics["runtime"]["zones"]] == [
        "kitchen",
        "living_room",
    ]


async def test_diagnostics_tell_what_a_zone_last_did_and_that_it_failed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # "It did not switch the light on": what was tried, and the device's answer.
    freezer.move_to(START)  # after dark
    entry = await _living_room_whose_lamp_refused(hass)

    diagnostics = await async_get_config_entry_diagnostics(hass, entry)

    living_room = diagnostics["runtime"]["zones"][0]
    last = living_room["control"]["last_action"]
    assert last["reason"].startswith("Failed: Switching on Living room's light")
    assert last["reason"].endswith("refused: the lamp does not answer)")
    assert dt_util.parse_datetime(last["when"]) is not None
