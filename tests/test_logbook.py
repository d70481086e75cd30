"""The logbook tells what AIoT Brain did and why, with the real recorder."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.aiot_brain.network import BASELINE_PERIOD

from .test_acting import (
    LAMP,
    MOTION,
    THERMOSTAT,
    build_living_room,
    lamp,
    set_state,
    setup_brain,
)
from .test_network import announce, setup_entry


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant, as the recorder fixtures require."""


async def test_actions_and_holds_appear_in_the_logbook_with_their_reasons(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    # The logbook only registers its panel with the frontend; the frontend's own
    # files (a separate package) are not needed for that.
    hass.config.components.add("frontend")
    assert await async_setup_component(hass, "logbook", {})
    start = dt_util.utcnow()
    await build_living_room(hass)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": THERMOSTAT, "temperature": 23.0},
        blocking=True,
    )
    await async_wait_recording_done(hass)

    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "logbook/get_events",
            "start_time": start.isoformat(),
        }
    )
    response = await client.receive_json()

    assert response["success"]
    ours = [
        entry
        for entry in response["result"]
        if entry.get("name") == "AIoT Brain (Living room)"
    ]
    messages = [entry["message"] for entry in ours]
    assert len(messages) == 2
    assert messages[0].startswith("Heating Living room to 20.0 °C: occupied (")
    assert messages[1].startswith("Holding the thermostat in Living room: changed by")
    assert all(entry["entity_id"] == THERMOSTAT for entry in ours)


async def test_a_hold_asked_for_names_the_devices_in_words(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    hass.config.components.add("frontend")
    assert await async_setup_component(hass, "logbook", {})
    start = dt_util.utcnow()
    await build_living_room(hass, lights=[lamp()])
    await setup_brain(hass)

    await hass.services.async_call(
        "aiot_brain",
        "hold",
        {"area_id": "living_room", "duration": {"minutes": 30}},
        blocking=True,
    )
    await async_wait_recording_done(hass)

    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "logbook/get_events", "start_time": start.isoformat()}
    )
    response = await client.receive_json()

    assert response["success"]
    # The entry links the device; its message says what it is, as a person's
    # change does, not "climate.living_room".
    held = {
        entry["entity_id"]: entry["message"]
        for entry in response["result"]
        if entry.get("name") == "AIoT Brain (Living room)"
    }
    assert held.keys() == {THERMOSTAT, LAMP}
    assert held[THERMOSTAT].startswith("Holding the thermostat in Living room until")
    assert held[LAMP].startswith("Holding the light in Living room until")
    assert held[LAMP].endswith(": asked to hold")


async def test_each_new_network_device_appears_in_the_logbook(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    mock_async_zeroconf: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.config.components.add("frontend")
    assert await async_setup_component(hass, "logbook", {})
    start = dt_util.utcnow()
    entry = await setup_entry(hass)
    inventory = entry.runtime_data.network
    assert inventory is not None
    zeroconf = mock_async_zeroconf.zeroconf
    freezer.tick(BASELINE_PERIOD + timedelta(seconds=1))
    # Two devices while the alert is on: the alert itself turns on only once.
    announce(inventory, zeroconf, "_hap._tcp.local.", "Eve Door", "eve-door")
    announce(inventory, zeroconf, "_matter._tcp.local.", "ABCD-1234", "plug-7")
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)

    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "logbook/get_events",
            "start_time": start.isoformat(),
            "end_time": (dt_util.utcnow() + timedelta(minutes=1)).isoformat(),
        }
    )
    response = await client.receive_json()

    assert response["success"]
    messages = [
        entry["message"]
        for entry in response["result"]
        if entry.get("name") == "AIoT Brain" and "entity_id" not in entry
    ]
    assert messages == [
        "found a new device on the network: Eve Door (homekit)",
        "found a new device on the network: ABCD-1234 (matter)",
    ]
