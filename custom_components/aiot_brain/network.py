"""An inventory of the smart devices announced on the local network (mDNS).

It browses device service types on Home Assistant's shared zeroconf instance, keeps
every device it has seen (persisted, so it survives restarts) and reports a device
never seen before: an event, and a flag that stays on until someone acknowledges it.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.zeroconf import async_get_async_instance
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from zeroconf import BadTypeInNameException, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo

from .const import (
    EVENT_NEW_NETWORK_DEVICE,
    LOGGER,
    NETWORK_STORAGE_KEY,
    STORAGE_VERSION,
)
from .storage import async_load, stored_moment

# Service types of home and building devices, and what kind of device each means.
SERVICE_TYPES: dict[str, str] = {
    "_hap._tcp.local.": "homekit",
    "_hap._udp.local.": "homekit",  # HomeKit over Thread
    "_matter._tcp.local.": "matter",
    "_matterc._udp.local.": "matter",  # commissionable: not yet paired
    "_meshcop._udp.local.": "thread_border_router",
    "_esphomelib._tcp.local.": "esphome",
    "_shelly._tcp.local.": "shelly",
    "_hue._tcp.local.": "hue",
    "_googlecast._tcp.local.": "cast",
    "_airplay._tcp.local.": "airplay",
    "_raop._tcp.local.": "airplay",
    "_sonos._tcp.local.": "sonos",
    "_spotify-connect._tcp.local.": "spotify_connect",
    "_ipp._tcp.local.": "printer",
    "_ipps._tcp.local.": "printer",
    "_printer._tcp.local.": "printer",
    "_wled._tcp.local.": "wled",
    "_nanoleafapi._tcp.local.": "nanoleaf",
    "_elg._tcp.local.": "elgato",
    "_miio._udp.local.": "xiaomi",
    "_axis-video._tcp.local.": "camera",
    "_companion-link._tcp.local.": "apple",
}

# After the first start, everything already on the network is the baseline: nobody
# wants forty "new device" alerts the minute they install the integration.
BASELINE_PERIOD = timedelta(minutes=2)
# How long to wait for a device's answer when its records are not cached yet.
RESOLVE_TIMEOUT_MS = 3000
SAVE_DELAY_S = 10
# A device not seen for this long has left for good (a visitor's phone).
FORGET_AFTER = timedelta(days=180)
# The TXT key, per service type, of an id that stays with a device when its host
# name changes. Not Cast's "id": a speaker group moves from speaker to speaker.
STABLE_ID_KEYS: dict[str, str] = {
    "_hap._tcp.local.": "id",  # HomeKit's device id
    "_hap._udp.local.": "id",
    "_esphomelib._tcp.local.": "mac",
    "_wled._tcp.local.": "mac",
    "_hue._tcp.local.": "bridgeid",
    "_elg._tcp.local.": "id",  # the MAC address
    "_airplay._tcp.local.": "deviceid",  # the MAC address
}


@dataclass(slots=True)
class NetworkDevice:
    """A device seen on the network, identified by its host name.

    ``ids`` are the stable identifiers it announces: a device that has to take
    another host name (renamed, or "eve-door-2" after a name conflict) is known
    by them.
    """

    key: str
    name: str
    ids: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    service_types: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    first_seen: str = ""  # ISO 8601, UTC
    last_seen: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NetworkDevice:
        """Read a stored device; raises KeyError or TypeError on bad data."""
        return cls(
            key=str(data["key"]),
            name=str(data["name"]),
            ids=[str(device_id) for device_id in data.get("ids", [])],
            kinds=[str(kind) for kind in data.get("kinds", [])],
            service_types=[str(kind) for kind in data.get("service_types", [])],
            addresses=[str(address) for address in data.get("addresses", [])],
            first_seen=str(data.get("first_seen", "")),
            last_seen=str(data.get("last_seen", "")),
        )


def device_key(info: AsyncServiceInfo) -> str:
    """One key per physical device: it may announce several services on one host."""
    host = info.server or info.name  # records are only cached with a server
    return host.lower().removesuffix(".").removesuffix(".local")


def announced_id(info: AsyncServiceInfo) -> str | None:
    """Return the stable id announced with the service, if any, with its type.

    The service type keeps one protocol's "id" from matching another's.
    """
    key = STABLE_ID_KEYS.get(info.type)
    if key is None or not (value := info.decoded_properties.get(key)):
        return None
    return f"{info.type}{key}={value.lower()}"


def announced_name(info: AsyncServiceInfo) -> str | None:
    """Return the friendly name the device announces with the service, if any."""
    properties = info.decoded_properties
    for key in ("fn", "friendly_name", "name", "md"):
        if value := properties.get(key):
            return value
    return None


def instance_name(info: AsyncServiceInfo) -> str:
    """Return the service's instance name: a name for people when none is announced."""
    return info.name.removesuffix("." + info.type)


class NetworkInventory:
    """Browse the network for devices and remember them."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Create an inventory; call :meth:`async_start` to start browsing."""
        self._hass = hass
        # Written every few seconds on a busy network: atomically, so a power cut
        # leaves the old list rather than an empty file; private, as it lists the
        # household's devices and their addresses.
        self._store: Store[dict[str, Any]] = Store(
            hass,
            STORAGE_VERSION,
            NETWORK_STORAGE_KEY,
            private=True,
            atomic_writes=True,
        )
        self.devices: dict[str, NetworkDevice] = {}
        self.unacknowledged: list[str] = []
        self._baseline_until: datetime | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._zeroconf: Zeroconf | None = None
        self._listeners: list[CALLBACK_TYPE] = []
        self._lookups: dict[str, asyncio.Task[None]] = {}
        self._save_due: float | None = None  # loop time the pending write is due

    @property
    def new_devices(self) -> list[NetworkDevice]:
        """Devices first seen since the last acknowledgement."""
        return [self.devices[key] for key in self.unacknowledged]

    async def async_start(self) -> None:
        """Restore the stored inventory and start browsing."""
        await self._async_load()
        aiozc = await async_get_async_instance(self._hass)
        self._zeroconf = aiozc.zeroconf
        self._browser = AsyncServiceBrowser(
            aiozc.zeroconf, list(SERVICE_TYPES), handlers=[self._on_service_change]
        )

    async def async_stop(self) -> None:
        """Stop browsing and write the inventory now."""
        if self._browser is not None:
            await self._browser.async_cancel()
            self._browser = None
        for task in self._lookups.values():
            task.cancel()
        self._lookups.clear()
        self._zeroconf = None
        await self._store.async_save(self._as_dict())

    async def _async_load(self) -> None:
        stored, _ = await async_load(self._hass, self._store)
        if stored is None:
            self._baseline_until = dt_util.utcnow() + BASELINE_PERIOD
            return
        try:
            items = stored["devices"]
            unacknowledged = [str(key) for key in stored["unacknowledged"]]
            if not isinstance(items, list):
                raise TypeError(items)
        except KeyError, TypeError, AttributeError:
            # Start over rather than fail: the next scan rebuilds the inventory.
            LOGGER.warning("The stored network inventory is invalid; starting anew")
            self._baseline_until = dt_util.utcnow() + BASELINE_PERIOD
            return
        devices = self._readable(items)
        self.devices = {device.key: device for device in devices}
        self.unacknowledged = [key for key in unacknowledged if key in self.devices]
        # A reload within the first start's baseline (an option changed right
        # after setting up) goes on with it rather than end it early.
        baseline = stored_moment(stored.get("baseline_until"))
        if baseline is not None:
            self._baseline_until = baseline

    @staticmethod
    def _readable(items: list[Any]) -> list[NetworkDevice]:
        """Return the stored devices that can be read and were seen lately.

        One bad entry costs only itself. A device not seen for FORGET_AFTER (a
        visitor's phone) is forgotten: the list must not grow for good.
        """
        seen_since = dt_util.utcnow() - FORGET_AFTER
        devices: list[NetworkDevice] = []
        unreadable = 0
        for item in items:
            try:
                device = NetworkDevice.from_dict(item)
            except KeyError, TypeError, AttributeError:
                unreadable += 1
                continue
            # One whose time cannot be read stays until it is seen again.
            last_seen = stored_moment(device.last_seen)
            if last_seen is None or last_seen >= seen_since:
                devices.append(device)
        if unreadable:
            LOGGER.warning(
                "%d stored network devices could not be read and are forgotten",
                unreadable,
            )
        return devices

    def _as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "devices": [asdict(device) for device in self.devices.values()],
            "unacknowledged": list(self.unacknowledged),
        }
        if self._baseline_until is not None:
            data["baseline_until"] = self._baseline_until.isoformat()
        return data

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update`` whenever the inventory changes; returns the remover."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def async_acknowledge(self) -> None:
        """Mark every new device as known."""
        if not self.unacknowledged:
            return
        self.unacknowledged.clear()
        self._changed()

    @callback
    def _changed(self) -> None:
        # On a busy network something changes every few seconds: a delay that
        # starts again with each change would put the write off until Home
        # Assistant stops. Write at most SAVE_DELAY_S after the first unsaved change.
        now = self._hass.loop.time()
        if self._save_due is None or self._save_due <= now:
            self._save_due = now + SAVE_DELAY_S
        self._store.async_delay_save(self._as_dict, self._save_due - now)
        for update in list(self._listeners):
            update()

    @callback
    def _on_service_change(
        self,
        zeroconf: Zeroconf,
        service_type: str,
        name: str,
        state_change: ServiceStateChange,
    ) -> None:
        """Handle the browser's report (names are the browser's keyword arguments)."""
        if state_change is ServiceStateChange.Removed:
            return  # the inventory is of devices ever seen, not of those online now
        try:
            info = AsyncServiceInfo(service_type, name)
        except BadTypeInNameException:
            LOGGER.debug("Ignoring a badly named service %s", name)
            return
        if info.load_from_cache(zeroconf):
            self._async_record(info)
        elif name not in self._lookups:
            task = self._hass.async_create_background_task(
                self._async_resolve(zeroconf, info), f"aiot_brain resolve {name}"
            )
            if not task.done():  # tasks start eagerly and may be done already
                self._lookups[name] = task
                task.add_done_callback(lambda _: self._lookups.pop(name, None))

    async def _async_resolve(self, zeroconf: Zeroconf, info: AsyncServiceInfo) -> None:
        if not await info.async_request(zeroconf, RESOLVE_TIMEOUT_MS):
            LOGGER.debug("No answer from %s", info.name)
        elif self._browser is not None:  # still running
            self._async_record(info)

    @callback
    def _async_find(self, key: str, device_id: str | None) -> NetworkDevice | None:
        """Return the known device on host ``key``, or the one announcing ``device_id``.

        A device found by its id has taken another host name: it moves to ``key``.
        """
        if (device := self.devices.get(key)) is not None or device_id is None:
            return device
        for device in self.devices.values():
            if device_id in device.ids:
                break
        else:
            return None
        LOGGER.debug("%s is now on the network as %s", device.key, key)
        del self.devices[device.key]
        self.unacknowledged = [
            key if unacknowledged == device.key else unacknowledged
            for unacknowledged in self.unacknowledged
        ]
        device.key = key
        self.devices[key] = device
        return device

    @callback
    def _async_record(self, info: AsyncServiceInfo) -> None:
        """Add or update the device that announced ``info``."""
        now = dt_util.utcnow()
        key = device_key(info)
        kind = SERVICE_TYPES.get(info.type, "other")
        addresses = sorted(info.parsed_addresses())
        name = announced_name(info)
        device_id = announced_id(info)
        device = self._async_find(key, device_id)
        if device is None:
            device = NetworkDevice(
                key=key,
                name=name or instance_name(info),
                first_seen=now.isoformat(),
                last_seen=now.isoformat(),
            )
            self.devices[key] = device
            if self._baseline_until is None or now >= self._baseline_until:
                self.unacknowledged.append(key)
                self._hass.bus.async_fire(
                    EVENT_NEW_NETWORK_DEVICE,
                    {
                        "key": key,
                        "name": device.name,
                        "kind": kind,
                        "service_type": info.type,
                        "addresses": addresses,
                    },
                )
                LOGGER.info("New device on the network: %s (%s)", device.name, key)
        elif name:
            # Renamed by its owner, or a service that names it better than the
            # instance name of the service it was first seen with ("ABCD-1234").
            device.name = name
        device.last_seen = now.isoformat()
        if device_id is not None and device_id not in device.ids:
            device.ids.append(device_id)
        if kind not in device.kinds:
            device.kinds.append(kind)
        if info.type not in device.service_types:
            device.service_types.append(info.type)
        if addresses:
            device.addresses = addresses
        self._changed()
