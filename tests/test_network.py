"""The network inventory: real mDNS records fed to a real service browser."""

from __future__ import annotations

from datetime import timedelta
import socket
from typing import Any
from unittest.mock import MagicMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from zeroconf import (
    DNSAddress,
    DNSPointer,
    DNSService,
    DNSText,
    RecordUpdate,
    ServiceStateChange,
    const as dns,
    current_time_millis,
)
from zeroconf.asyncio import AsyncServiceInfo

from custom_components.aiot_brain.const import (
    DOMAIN,
    EVENT_NEW_NETWORK_DEVICE,
    NETWORK_STORAGE_KEY,
)
from custom_components.aiot_brain.network import BASELINE_PERIOD, NetworkInventory
from custom_components.aiot_brain.settings import Settings

NEW_DEVICE = "binary_sensor.aiot_brain_new_network_device"
DEVICE_COUNT = "sensor.aiot_brain_network_devices"
ACKNOWLEDGE = "button.aiot_brain_acknowledge_network_devices"


def _txt(**properties: str) -> bytes:
    entries = [f"{key}={value}".encode() for key, value in properties.items()]
    return b"".join(bytes([len(entry)]) + entry for entry in entries)


def service_records(
    service_type: str, instance: str, host: str, address: str, **txt: str
) -> list[Any]:
    """What a device's mDNS responder answers: SRV, TXT and A records."""
    name = f"{instance}.{service_type}"
    server = f"{host}.local."
    return [
        DNSService(name, dns._TYPE_SRV, dns._CLASS_IN, 120, 0, 0, 80, server),
        DNSText(name, dns._TYPE_TXT, dns._CLASS_IN, 4500, _txt(**txt)),
        DNSAddress(server, dns._TYPE_A, dns._CLASS_IN, 120, socket.inet_aton(address)),
    ]


def browse(
    inventory: NetworkInventory,
    zeroconf: MagicMock,
    service_type: str,
    instance: str,
    *,
    records: list[Any] | None = None,
    goodbye: bool = False,
) -> None:
    """Deliver a PTR answer (and the device's records, if cached) to the browser.

    A goodbye is the same pointer with a time to live of zero.
    """
    name = f"{instance}.{service_type}"
    pointer = DNSPointer(service_type, dns._TYPE_PTR, dns._CLASS_IN, 4500, name)
    update = RecordUpdate(pointer, None)
    if goodbye:
        update = RecordUpdate(
            DNSPointer(service_type, dns._TYPE_PTR, dns._CLASS_IN, 0, name), pointer
        )
    zeroconf.cache.async_add_records([update.new, *(records or [])])
    browser = inventory._browser
    assert browser is not None
    browser.async_update_records(zeroconf, current_time_millis(), [update])
    browser.async_update_records_complete()


def announce(
    inventory: NetworkInventory,
    zeroconf: MagicMock,
    service_type: str,
    instance: str,
    host: str,
    *,
    address: str = "192.168.1.20",
    **txt: str,
) -> None:
    """A device announces one of its services, with its records in the cache."""
    records = service_records(service_type, instance, host, address, **txt)
    browse(inventory, zeroconf, service_type, instance, records=records)


async def setup_entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN, title="AIoT Brain", options=Settings().as_options()
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def inventory_of(entry: MockConfigEntry) -> NetworkInventory:
    inventory = entry.runtime_data.network
    assert inventory is not None
    return inventory


@pytest.fixture
def zeroconf(mock_async_zeroconf: MagicMock) -> MagicMock:
    """The Zeroconf behind Home Assistant's shared instance in tests."""
    return mock_async_zeroconf.zeroconf  # type: ignore[no-any-return]


async def test_new_device_alert_until_acknowledged(
    hass: HomeAssistant, zeroconf: MagicMock, freezer: FrozenDateTimeFactory
) -> None:
    events = async_capture_events(hass, EVENT_NEW_NETWORK_DEVICE)
    entry = await setup_entry(hass)
    inventory = inventory_of(entry)

    # Right after the first start, what is on the network is the baseline.
    announce(inventory, zeroconf, "_hue._tcp.local.", "Hue Bridge", "hue-bridge")
    await hass.async_block_till_done()
    assert hass.states.get(NEW_DEVICE).state == STATE_OFF
    assert hass.states.get(DEVICE_COUNT).state == "1"
    assert events == []

    freezer.tick(BASELINE_PERIOD + timedelta(seconds=1))
    announce(
        inventory,
        zeroconf,
        "_hap._tcp.local.",
        "Eve Door 4A2F",
        "eve-door",
        address="192.168.1.31",
        md="Eve Door",
        id="4A:2F",
    )
    await hass.async_block_till_done()

    state = hass.states.get(NEW_DEVICE)
    assert state.state == STATE_ON
    assert state.attributes["devices"] == ["Eve Door"]
    assert hass.states.get(DEVICE_COUNT).state == "2"
    assert [event.data for event in events] == [
        {
            "key": "eve-door",
            "name": "Eve Door",
            "kind": "homekit",
            "service_type": "_hap._tcp.local.",
            "addresses": ["192.168.1.31"],
        }
    ]

    # The same device announcing another service is not new.
    announce(
        inventory,
        zeroconf,
        "_matter._tcp.local.",
        "ABCD-1234",
        "eve-door",
        address="192.168.1.31",
    )
    await hass.async_block_till_done()
    assert len(events) == 1
    assert hass.states.get(DEVICE_COUNT).state == "2"
    assert inventory.devices["eve-door"].kinds == ["homekit", "matter"]

    await hass.services.async_call(
        "button", "press", {"entity_id": ACKNOWLEDGE}, blocking=True
    )
    assert hass.states.get(NEW_DEVICE).state == STATE_OFF
    assert hass.states.get(NEW_DEVICE).attributes["devices"] == []

    # Pressing again with nothing new changes nothing.
    await hass.services.async_call(
        "button", "press", {"entity_id": ACKNOWLEDGE}, blocking=True
    )
    assert hass.states.get(NEW_DEVICE).state == STATE_OFF


async def test_a_reload_right_after_the_first_start_keeps_its_baseline(
    hass: HomeAssistant, zeroconf: MagicMock, freezer: FrozenDateTimeFactory
) -> None:
    events = async_capture_events(hass, EVENT_NEW_NETWORK_DEVICE)
    entry = await setup_entry(hass)
    announce(inventory_of(entry), zeroconf, "_hue._tcp.local.", "Hue", "hue-bridge")
    await hass.async_block_till_done()
    freezer.tick(timedelta(seconds=30))
    # An option changed at once reloads the integration.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    announce(inventory_of(entry), zeroconf, "_ipp._tcp.local.", "Printer", "printer")
    await hass.async_block_till_done()
    assert events == []  # still the baseline: what was there all along
    freezer.tick(BASELINE_PERIOD)
    announce(inventory_of(entry), zeroconf, "_wled._tcp.local.", "WLED", "wled-1")
    await hass.async_block_till_done()
    assert len(events) == 1


async def test_inventory_survives_a_restart(
    hass: HomeAssistant,
    zeroconf: MagicMock,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    entry = await setup_entry(hass)
    freezer.tick(BASELINE_PERIOD + timedelta(seconds=1))
    announce(
        inventory_of(entry), zeroconf, "_googlecast._tcp.local.", "Kitchen speaker",
        "cast-kitchen", fn="Kitchen speaker",
    )  # fmt: skip
    await hass.async_block_till_done()

    assert await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[NETWORK_STORAGE_KEY]["data"]
    assert stored["unacknowledged"] == ["cast-kitchen"]
    assert [device["name"] for device in stored["devices"]] == ["Kitchen speaker"]

    events = async_capture_events(hass, EVENT_NEW_NETWORK_DEVICE)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    # Still unacknowledged, still counted; seeing it again is not news.
    assert hass.states.get(NEW_DEVICE).state == STATE_ON
    assert hass.states.get(DEVICE_COUNT).state == "1"
    announce(
        inventory_of(entry), zeroconf, "_googlecast._tcp.local.", "Kitchen speaker",
        "cast-kitchen", address="192.168.1.44", fn="Kitchen speaker",
    )  # fmt: skip
    await hass.async_block_till_done()
    assert events == []
    assert "192.168.1.44" in inventory_of(entry).devices["cast-kitchen"].addresses

    # A restart is not a first start: a new device is reported at once.
    announce(inventory_of(entry), zeroconf, "_ipp._tcp.local.", "Printer", "printer")
    await hass.async_block_till_done()
    assert len(events) == 1


@pytest.mark.parametrize(
    "stored",
    [
        {"devices": "not a list", "unacknowledged": []},
        {"unacknowledged": []},
    ],
)
async def test_invalid_stored_inventory_starts_anew(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    zeroconf: MagicMock,
    stored: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    hass_storage[NETWORK_STORAGE_KEY] = {
        "version": 1,
        "key": NETWORK_STORAGE_KEY,
        "data": stored,
    }

    entry = await setup_entry(hass)

    assert "The stored network inventory is invalid" in caplog.text
    assert hass.states.get(DEVICE_COUNT).state == "0"
    announce(inventory_of(entry), zeroconf, "_wled._tcp.local.", "WLED", "wled-1")
    await hass.async_block_till_done()
    assert hass.states.get(DEVICE_COUNT).state == "1"


async def test_stored_devices_unreadable_or_long_gone_are_forgotten_alone(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    zeroconf: MagicMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = dt_util.utcnow()

    def stored(key: str, days_ago: int) -> dict[str, Any]:
        seen = (now - timedelta(days=days_ago)).isoformat()
        return {"key": key, "name": key, "first_seen": seen, "last_seen": seen}

    hass_storage[NETWORK_STORAGE_KEY] = {
        "version": 1,
        "key": NETWORK_STORAGE_KEY,
        "data": {
            "devices": [
                stored("printer", 3),
                {"name": "no key"},
                stored("visitors-iphone", 200),
                stored("hue-bridge", 170),
            ],
            "unacknowledged": ["visitors-iphone"],
        },
    }

    entry = await setup_entry(hass)

    assert "1 stored network devices could not be read" in caplog.text
    assert sorted(inventory_of(entry).devices) == ["hue-bridge", "printer"]
    assert inventory_of(entry).unacknowledged == []
    # The rest is known, so no baseline starts: a new device is news at once.
    events = async_capture_events(hass, EVENT_NEW_NETWORK_DEVICE)
    announce(inventory_of(entry), zeroconf, "_wled._tcp.local.", "WLED", "wled-1")
    await hass.async_block_till_done()
    assert len(events) == 1


@pytest.mark.parametrize(
    "broken",
    ["2026-13-01T00:00:00+00:00", "2026-10-01T12:00:00"],
    ids=["no_moment", "no_offset"],
)
async def test_stored_times_that_cannot_be_read_cost_only_themselves(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    zeroconf: MagicMock,
    broken: str,
) -> None:
    """A device's time or the baseline's end, broken: the setup and news go on."""
    seen = dt_util.utcnow().isoformat()
    hass_storage[NETWORK_STORAGE_KEY] = {
        "version": 1,
        "key": NETWORK_STORAGE_KEY,
        "data": {
            "devices": [
                {"key": "printer", "name": "Printer", "last_seen": seen},
                {"key": "hue-bridge", "name": "Hue", "last_seen": broken},
            ],
            "unacknowledged": [],
            "baseline_until": broken,
        },
    }

    entry = await setup_entry(hass)  # the setup succeeds

    # Kept until it is seen again, as one whose time was never written.
    assert sorted(inventory_of(entry).devices) == ["hue-bridge", "printer"]
    events = async_capture_events(hass, EVENT_NEW_NETWORK_DEVICE)
    announce(inventory_of(entry), zeroconf, "_wled._tcp.local.", "WLED", "wled-1")
    await hass.async_block_till_done()
    assert "wled-1" in inventory_of(entry).devices
    assert len(events) == 1


async def test_device_resolved_on_request(
    hass: HomeAssistant, zeroconf: MagicMock
) -> None:
    """A device whose records are not cached yet is asked; its answer is recorded."""
    entry = await setup_entry(hass)
    inventory = inventory_of(entry)
    answers = service_records(
        "_esphomelib._tcp.local.", "kitchen-sensor", "kitchen-sensor", "192.168.1.50"
    )

    async def answer(self: AsyncServiceInfo, zc: Any, _timeout_ms: float) -> bool:
        zc.cache.async_add_records(answers)
        return bool(self.load_from_cache(zc))

    with patch.object(AsyncServiceInfo, "async_request", answer):
        browse(inventory, zeroconf, "_esphomelib._tcp.local.", "kitchen-sensor")
        await hass.async_block_till_done()

    device = inventory.devices["kitchen-sensor"]
    assert device.name == "kitchen-sensor"
    assert device.kinds == ["esphome"]
    assert inventory._lookups == {}


async def test_device_that_does_not_answer(
    hass: HomeAssistant, zeroconf: MagicMock
) -> None:
    entry = await setup_entry(hass)
    inventory = inventory_of(entry)

    async def no_answer(self: AsyncServiceInfo, zc: Any, _timeout_ms: float) -> bool:
        return False

    with patch.object(AsyncServiceInfo, "async_request", no_answer):
        browse(inventory, zeroconf, "_shelly._tcp.local.", "shellyplus1-abc")
        await hass.async_block_till_done()

    assert inventory.devices == {}
    assert inventory._lookups == {}


async def test_unload_cancels_pending_requests(
    hass: HomeAssistant, zeroconf: MagicMock
) -> None:
    entry = await setup_entry(hass)
    inventory = inventory_of(entry)
    started = hass.loop.create_future()

    async def slow(self: AsyncServiceInfo, zc: Any, _timeout_ms: float) -> bool:
        started.set_result(None)
        await hass.loop.create_future()  # never answers
        return True  # pragma: no cover

    with patch.object(AsyncServiceInfo, "async_request", slow):
        browse(inventory, zeroconf, "_airplay._tcp.local.", "Apple TV")
        # A second report while the first request runs asks only once.
        browse(inventory, zeroconf, "_airplay._tcp.local.", "Apple TV")
        await started
        (task,) = inventory._lookups.values()
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()

    assert task.cancelled()
    assert inventory._lookups == {}
    assert inventory.devices == {}


async def test_goodbyes_and_bad_names_are_ignored(
    hass: HomeAssistant, zeroconf: MagicMock
) -> None:
    entry = await setup_entry(hass)
    inventory = inventory_of(entry)
    announce(inventory, zeroconf, "_sonos._tcp.local.", "Sonos One", "sonos-one")
    await hass.async_block_till_done()

    # The device says goodbye: it stays in the inventory of devices ever seen.
    browse(inventory, zeroconf, "_sonos._tcp.local.", "Sonos One", goodbye=True)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert list(inventory.devices) == ["sonos-one"]

    # A name that is not valid DNS (buggy firmware) is skipped.
    inventory._on_service_change(
        zeroconf=zeroconf,
        service_type="_sonos._tcp.local.",
        name="bad name",
        state_change=ServiceStateChange.Added,
    )
    assert list(inventory.devices) == ["sonos-one"]


async def test_switched_off(
    hass: HomeAssistant,
    zeroconf: MagicMock,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    entry = await setup_entry(hass)
    registry = er.async_get(hass)
    assert registry.async_get(NEW_DEVICE) is not None
    freezer.tick(BASELINE_PERIOD + timedelta(seconds=1))
    announce(inventory_of(entry), zeroconf, "_hue._tcp.local.", "Hue", "hue-bridge")
    await hass.async_block_till_done()

    hass.config_entries.async_update_entry(
        entry, options=Settings(network_inventory=False).as_options()
    )
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.runtime_data.network is None
    for entity_id in (NEW_DEVICE, DEVICE_COUNT, ACKNOWLEDGE):
        assert hass.states.get(entity_id) is None
        assert registry.async_get(entity_id) is None
    # No list of the household's devices is kept.
    assert NETWORK_STORAGE_KEY not in hass_storage

    # Switched on again months later, it starts afresh: what is on the network
    # now is the baseline, not news.
    freezer.tick(timedelta(days=90))
    hass.config_entries.async_update_entry(
        entry, options=Settings(network_inventory=True).as_options()
    )
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    for host in ("hue-bridge", "printer", "wled-1"):
        announce(inventory_of(entry), zeroconf, "_ipp._tcp.local.", host, host)
    await hass.async_block_till_done()
    assert hass.states.get(NEW_DEVICE).state == STATE_OFF
    assert hass.states.get(DEVICE_COUNT).state == "3"


async def test_inventory_is_saved_while_devices_keep_announcing(
    hass: HomeAssistant,
    zeroconf: MagicMock,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """A busy network does not hold the write off until Home Assistant stops."""
    entry = await setup_entry(hass)
    inventory = inventory_of(entry)

    # In a building, something announces every few seconds, for a minute.
    for second in range(0, 60, 5):
        announce(
            inventory, zeroconf, "_googlecast._tcp.local.", f"Speaker {second}",
            f"cast-{second}", fn=f"Speaker {second}",
        )  # fmt: skip
        freezer.tick(timedelta(seconds=5))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    # Written at most 10 s after each change: a power cut loses little.
    stored = hass_storage[NETWORK_STORAGE_KEY]["data"]
    assert len(stored["devices"]) >= 10


async def test_device_names_follow_what_devices_announce(
    hass: HomeAssistant, zeroconf: MagicMock, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_entry(hass)
    inventory = inventory_of(entry)
    freezer.tick(BASELINE_PERIOD + timedelta(seconds=1))

    # First seen by a service that announces no name: its instance name will do.
    announce(inventory, zeroconf, "_matter._tcp.local.", "ABCD-1234", "eve-door")
    await hass.async_block_till_done()
    assert hass.states.get(NEW_DEVICE).attributes["devices"] == ["ABCD-1234"]
    # Its other service tells its name.
    announce(
        inventory, zeroconf, "_hap._tcp.local.", "Eve 4A2F", "eve-door", md="Eve Door"
    )
    await hass.async_block_till_done()
    assert hass.states.get(NEW_DEVICE).attributes["devices"] == ["Eve Door"]

    # A speaker renamed in its app announces its new name.
    announce(
        inventory, zeroconf, "_googlecast._tcp.local.", "Chromecast-a1b2",
        "cast-a1b2", fn="Kitchen speaker",
    )  # fmt: skip
    await hass.async_block_till_done()
    zeroconf.cache.async_remove_records(
        service_records(
            "_googlecast._tcp.local.", "Chromecast-a1b2", "cast-a1b2",
            "192.168.1.20", fn="Kitchen speaker",
        )
    )  # fmt: skip
    announce(
        inventory, zeroconf, "_googlecast._tcp.local.", "Chromecast-a1b2",
        "cast-a1b2", fn="Dining room speaker",
    )  # fmt: skip
    await hass.async_block_till_done()
    assert inventory.devices["cast-a1b2"].name == "Dining room speaker"
    assert hass.states.get(NEW_DEVICE).attributes["devices"] == [
        "Eve Door",
        "Dining room speaker",
    ]


async def test_device_under_another_host_name_is_not_new(
    hass: HomeAssistant, zeroconf: MagicMock, freezer: FrozenDateTimeFactory
) -> None:
    """A device known by the id it announces keeps its place when its host changes."""
    events = async_capture_events(hass, EVENT_NEW_NETWORK_DEVICE)
    entry = await setup_entry(hass)
    announce(
        inventory_of(entry), zeroconf, "_hap._tcp.local.", "Eve Door 4A2F",
        "eve-door", md="Eve Door", id="4A:2F:11:22:33:44",
    )  # fmt: skip
    freezer.tick(BASELINE_PERIOD + timedelta(seconds=1))
    announce(
        inventory_of(entry), zeroconf, "_esphomelib._tcp.local.", "attic",
        "attic", friendly_name="Attic", mac="a1b2c3d4e5f6",
    )  # fmt: skip
    await hass.async_block_till_done()
    assert len(events) == 1
    # Home Assistant restarts: what the devices announced is remembered.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    # After a reboot the accessory found its host name taken (a name conflict)
    # and took another; the ESPHome device was renamed by its owner.
    announce(
        inventory_of(entry), zeroconf, "_hap._tcp.local.", "Eve Door 4A2F (2)",
        "eve-door-2", md="Eve Door", id="4a:2f:11:22:33:44",
    )  # fmt: skip
    announce(
        inventory_of(entry), zeroconf, "_esphomelib._tcp.local.", "attic-climate",
        "attic-climate", friendly_name="Attic climate", mac="a1b2c3d4e5f6",
    )  # fmt: skip
    await hass.async_block_till_done()

    assert len(events) == 1
    assert hass.states.get(DEVICE_COUNT).state == "2"
    assert list(inventory_of(entry).devices) == ["eve-door-2", "attic-climate"]
    # Still waiting to be acknowledged, under its new name.
    assert hass.states.get(NEW_DEVICE).attributes["devices"] == ["Attic climate"]

    # Another accessory of the same model is another device.
    announce(
        inventory_of(entry), zeroconf, "_hap._tcp.local.", "Eve Door 9C01",
        "eve-door-9c01", md="Eve Door", id="9C:01:11:22:33:44",
    )  # fmt: skip
    await hass.async_block_till_done()
    assert len(events) == 2
