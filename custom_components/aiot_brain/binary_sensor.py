"""Binary sensors of AIoT Brain: each zone's states, the building's, new devices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import AiotBrainConfigEntry
from .brain.zone import ZonePrediction
from .const import (
    KEY_ANOMALY,
    KEY_BUILDING_ANOMALY,
    KEY_NEW_NETWORK_DEVICE,
    KEY_OCCUPANCY,
    KEY_TRIP,
    KEY_WINDOW_OPEN,
)
from .coordinator import AiotBrainCoordinator
from .entity import (
    AiotBrainBuildingEntity,
    NetworkInventoryEntity,
    ZonePredictionDescription,
    ZonePredictionEntity,
)
from .network import NetworkInventory
from .state_mapping import aware_iso

PARALLEL_UPDATES = 0  # nothing here talks to a device


@dataclass(frozen=True, kw_only=True)
class ZoneBinarySensorDescription(
    BinarySensorEntityDescription, ZonePredictionDescription
):
    """A binary sensor computed from a zone's prediction."""

    value_fn: Callable[[ZonePrediction], bool | None]


@dataclass(frozen=True, kw_only=True)
class BuildingBinarySensorDescription(BinarySensorEntityDescription):
    """A building-wide binary sensor computed by the coordinator."""

    value_fn: Callable[[AiotBrainCoordinator], bool]
    attributes_fn: Callable[[AiotBrainCoordinator], dict[str, Any]]
    # Attributes compared by their gist for a new state (see ``_shown``).
    rough_attributes: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class NetworkBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor computed from the network inventory."""

    value_fn: Callable[[NetworkInventory], bool]
    attributes_fn: Callable[[NetworkInventory], dict[str, Any]]


def _anomaly_attributes(prediction: ZonePrediction) -> dict[str, Any]:
    anomalies = prediction.anomalies
    return {
        "reason": prediction.anomaly_reason,
        "kinds": sorted({anomaly.kind for anomaly in anomalies}),
    }


ZONE_BINARY_SENSORS: tuple[ZoneBinarySensorDescription, ...] = (
    ZoneBinarySensorDescription(
        key=KEY_OCCUPANCY,
        translation_key=KEY_OCCUPANCY,
        device_class=BinarySensorDeviceClass.OCCUPANCY,
        shows_occupancy=True,
        value_fn=lambda prediction: prediction.occupied,
    ),
    ZoneBinarySensorDescription(
        key=KEY_ANOMALY,
        translation_key=KEY_ANOMALY,
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda prediction: bool(prediction.anomalies),
        attributes_fn=_anomaly_attributes,
        # A drifting sensor's figures move with each reading, for days: each new
        # state would be a row in the recorder's database.
        rough_attributes=frozenset({"reason"}),
    ),
    ZoneBinarySensorDescription(
        key=KEY_WINDOW_OPEN,
        translation_key=KEY_WINDOW_OPEN,
        device_class=BinarySensorDeviceClass.WINDOW,
        value_fn=lambda prediction: prediction.window_open,
    ),
)

BUILDING_BINARY_SENSORS: tuple[BuildingBinarySensorDescription, ...] = (
    # One sensor for the whole building: a visitor walking through three rooms
    # while everyone is away turns it on once, not three times.
    BuildingBinarySensorDescription(
        key=KEY_ANOMALY,  # its unique id: "<entry>_anomaly"
        translation_key=KEY_BUILDING_ANOMALY,
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda coordinator: bool(coordinator.anomalies),
        attributes_fn=lambda coordinator: {
            "areas": coordinator.anomalies,
            "count": len(coordinator.anomalies),
        },
        rough_attributes=frozenset({"areas"}),
    ),
    # Everyone away far longer than usual: for automations of a holiday home.
    BuildingBinarySensorDescription(
        key=KEY_TRIP,
        translation_key=KEY_TRIP,
        value_fn=lambda coordinator: coordinator.trip_since is not None,
        attributes_fn=lambda coordinator: {"since": aware_iso(coordinator.trip_since)},
    ),
)

NETWORK_BINARY_SENSORS: tuple[NetworkBinarySensorDescription, ...] = (
    NetworkBinarySensorDescription(
        key=KEY_NEW_NETWORK_DEVICE,
        translation_key=KEY_NEW_NETWORK_DEVICE,
        value_fn=lambda inventory: bool(inventory.unacknowledged),
        attributes_fn=lambda inventory: {
            "devices": [device.name for device in inventory.new_devices]
        },
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AiotBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors, and those of zones that appear later."""
    if (inventory := entry.runtime_data.network) is not None:
        async_add_entities(
            NetworkBinarySensor(entry, description, inventory)
            for description in NETWORK_BINARY_SENSORS
        )
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        BuildingBinarySensor(coordinator, description)
        for description in BUILDING_BINARY_SENSORS
    )
    coordinator.async_add_zone_entities(
        async_add_entities,
        lambda zone: (
            ZoneBinarySensor(coordinator, description, zone)
            for description in ZONE_BINARY_SENSORS
        ),
    )


class ZoneBinarySensor(ZonePredictionEntity, BinarySensorEntity):
    """A yes/no prediction of one zone."""

    entity_description: ZoneBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Return the prediction; None when the zone cannot tell."""
        if (prediction := self.prediction) is None:
            return None
        return self.entity_description.value_fn(prediction)


class BuildingBinarySensor(AiotBrainBuildingEntity, BinarySensorEntity):
    """A yes/no of the whole building."""

    entity_description: BuildingBinarySensorDescription
    # Every anomalous area with its reason: an outage of a large building's
    # network makes that more than the 16 KB the recorder keeps of a state's
    # attributes, and it would keep none. The recorder keeps the *count*.
    _unrecorded_attributes = frozenset({"areas"})

    @property
    def is_on(self) -> bool:
        """Return the coordinator's answer."""
        return self.entity_description.value_fn(self.coordinator)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return what goes with it."""
        return self.entity_description.attributes_fn(self.coordinator)


class NetworkBinarySensor(NetworkInventoryEntity, BinarySensorEntity):
    """Whether something new has appeared on the network."""

    entity_description: NetworkBinarySensorDescription
    # The list of names can grow; keep it out of the recorder.
    _unrecorded_attributes = frozenset({"devices"})

    @property
    def is_on(self) -> bool:
        """Return True while a new device has not been acknowledged."""
        return self.entity_description.value_fn(self.inventory)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the names of the new devices."""
        return self.entity_description.attributes_fn(self.inventory)
