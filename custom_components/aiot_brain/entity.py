"""The base entity of AIoT Brain, its devices and its unique ids.

Unique ids are stable: ``{entry_id}_{key}`` for the building's entities and
``{entry_id}_{zone_id}_{key}`` for a zone's, where ``zone_id`` is the area id (which
survives renaming the area). Devices are identified the same way: the building by
``(DOMAIN, entry_id)``, a zone by ``(DOMAIN, "{entry_id}_{zone_id}")``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import re
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.util import dt as dt_util

from .brain.zone import ZonePrediction
from .const import DOMAIN, MANUFACTURER, NAME
from .discovery import Zone
from .network import NetworkInventory

if TYPE_CHECKING:
    from .coordinator import AiotBrainCoordinator, ZoneControls


# A percent reaching these is written at once: empty, certain.
PERCENT_MARKS = (0, 100)


def significant(
    old: Any,
    new: Any,
    deadband: float,
    minutes: float = 0.0,
    *,
    share: float = 0.0,
    marks: tuple[float, ...] = PERCENT_MARKS,
    threshold: float | None = None,
) -> bool:
    """Whether ``new`` differs from ``old`` by enough to be worth a new state.

    Numbers move by at least ``deadband`` or ``share`` of ``old`` (the more), reach
    one of ``marks`` or go to the other side of ``threshold``; times move by at
    least ``minutes``; anything else counts when it differs at all.
    """
    if type(old) is not type(new):
        return bool(old != new)
    if isinstance(old, datetime) and isinstance(new, datetime):
        # In UTC: local times of one zone compare by the wall clock alone, and
        # the hour that repeats when the clocks go back would look unchanged.
        change = dt_util.as_utc(new) - dt_util.as_utc(old)
        return bool(change) and abs(change) >= timedelta(minutes=minutes)
    if not (deadband or share) or not isinstance(old, int | float):
        return bool(old != new)
    if new == old:
        return False
    return (
        abs(new - old) >= max(deadband, share * abs(old))
        or new in marks
        or (threshold is not None and (old < threshold) != (new < threshold))
    )


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True, eq=False)
class Gist:
    """A text that is the same while its words are and its figures move by less than half.

    An anomaly's reason says how far a sensor drifted, which moves a little with
    each reading: a new state is worth it when the words change (another sensor,
    another kind of fault) or a figure clearly does (+160 ppm grown to +600).
    Compared with the text last written, a figure creeping up does count in the end.
    """

    text: str | None

    def __eq__(self, other: object) -> bool:
        """Whether both say the same, give or take half of each figure."""
        if not isinstance(other, Gist):
            return NotImplemented
        if self.text is None or other.text is None:
            return self.text == other.text
        if _NUMBER.sub("#", self.text) != _NUMBER.sub("#", other.text):
            return False
        return all(
            abs(a - b) <= max(abs(a), abs(b)) / 2
            for a, b in zip(
                map(float, _NUMBER.findall(self.text)),
                map(float, _NUMBER.findall(other.text)),
                strict=True,
            )
        )

    __hash__ = None  # type: ignore[assignment]


def _gist(value: Any) -> Any:
    """Return a text, or each text of a map, as its :class:`Gist`."""
    if isinstance(value, dict):
        return {key: _gist(text) for key, text in value.items()}
    return Gist(value) if value is None or isinstance(value, str) else value


def _passed(value: Any) -> bool:
    """Whether ``value`` is a time that is over."""
    return isinstance(value, datetime) and dt_util.as_utc(value) <= dt_util.utcnow()


def _ahead(value: Any) -> float:
    """Return a sixth of the minutes until ``value``, if it is a time to come.

    A time hours ahead that moves by half an hour is no news (the night's forecast
    weighs 08:00 against 08:30 each quarter hour); in the hours before it, it is.
    """
    if not isinstance(value, datetime):
        return 0.0
    return max((dt_util.as_utc(value) - dt_util.utcnow()).total_seconds() / 360, 0.0)


def building_unique_id(entry_id: str, key: str) -> str:
    """Return the unique id of the building entity ``key``."""
    return f"{entry_id}_{key}"


def zone_unique_id(entry_id: str, zone_id: str, key: str) -> str:
    """Return the unique id of the entity ``key`` of zone ``zone_id``."""
    return f"{entry_id}_{zone_id}_{key}"


def zone_device_identifier(entry_id: str, zone_id: str) -> tuple[str, str]:
    """Return the device registry identifier of a zone's device."""
    return (DOMAIN, f"{entry_id}_{zone_id}")


def building_device_info(entry: ConfigEntry) -> DeviceInfo:
    """Return the device that carries the building-wide entities."""
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=NAME,
        manufacturer=MANUFACTURER,
        model="Building",
        entry_type=DeviceEntryType.SERVICE,
    )


def zone_device_info(
    entry: ConfigEntry, zone: Zone, building_device_id: str
) -> DeviceInfo:
    """Return the device of one zone, placed in the zone's area, under the building."""
    return DeviceInfo(
        identifiers={zone_device_identifier(entry.entry_id, zone.zone_id)},
        # Entity ids lead with the area's name already: "sensor.office_aiot_brain_…"
        # tells a prediction apart from a real "sensor.office_…".
        name=NAME,
        manufacturer=MANUFACTURER,
        model="Zone",
        entry_type=DeviceEntryType.SERVICE,
        suggested_area=zone.name,
        via_device_id=building_device_id,
    )


class AiotBrainEntity(Entity):
    """An entity of the building, or of one zone when ``zone`` is given.

    Zone entities need the building device's id (``AiotBrainData.building_device_id``)
    so their device sits under the building's.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self,
        entry: ConfigEntry,
        description: EntityDescription,
        zone: Zone | None = None,
        building_device_id: str | None = None,
    ) -> None:
        """Name the entity by its description and attach it to its device."""
        self.entity_description = description
        if zone is None or building_device_id is None:
            self._attr_unique_id = building_unique_id(entry.entry_id, description.key)
            self._attr_device_info = building_device_info(entry)
        else:
            self._attr_unique_id = zone_unique_id(
                entry.entry_id, zone.zone_id, description.key
            )
            self._attr_device_info = zone_device_info(entry, zone, building_device_id)


class NetworkInventoryEntity(AiotBrainEntity):
    """A building entity that shows the network inventory."""

    def __init__(
        self,
        entry: ConfigEntry,
        description: EntityDescription,
        inventory: NetworkInventory,
    ) -> None:
        """Follow ``inventory``."""
        super().__init__(entry, description)
        self.inventory = inventory

    async def async_added_to_hass(self) -> None:
        """Update whenever the inventory changes."""
        await super().async_added_to_hass()
        self.async_on_remove(self.inventory.async_add_listener(self._handle_update))

    @callback
    def _handle_update(self) -> None:
        self.async_write_ha_state()


class ChangeFilteredEntity(AiotBrainEntity):
    """An entity that writes its state only when what it shows changed enough.

    The coordinator notifies on every change and every minute; the recorder keeps a
    row for every state written. ``_shown`` says what the entity shows; a
    description's ``deadband`` and ``deadband_minutes`` (if it has them) are the
    change of a number and of a time worth a new state (of a time hours ahead, a
    sixth of the time to it, if more); its ``deadband_share``, ``marks`` and
    ``threshold`` are the rest of what makes a number's change worth it (see
    ``significant``), its ``attribute_deadbands`` those of attributes that differ
    from the state's.
    """

    _published: tuple[Any, Any, dict[str, Any]] | None = None
    # Since when the value shown would be unknown where a time is published, or
    # the other way round (see ``_settling``).
    _unsettled_since: datetime | None = None

    def _shown(self) -> tuple[Any, Any, dict[str, Any]]:
        """Return availability, value and attributes as they are now.

        A description's ``rough_attributes`` are texts (or maps of texts) whose
        figures move with every reading: they are compared as their gist.
        """
        rough: frozenset[str] = getattr(
            self.entity_description, "rough_attributes", frozenset()
        )
        attributes = {
            name: _gist(value) if name in rough else value
            for name, value in (self.extra_state_attributes or {}).items()
        }
        return (self.available, self.state, attributes)

    async def async_added_to_hass(self) -> None:
        """Remember what is shown from the start."""
        await super().async_added_to_hass()
        self._published = self._shown()

    def _settling(self, published: Any, shown: Any) -> bool:
        """Whether a value that went from unknown to a time, or back, is too new.

        A description's ``hold_unknown_minutes`` is how long a time must stand to
        replace an unknown, ``hold_time_minutes`` how long an unknown must stand
        to replace a time: a motion sensor alone loses someone at a desk every few
        minutes, and their next arrival would flip from unknown to a time and back
        each time. A time kept that has passed is replaced at once.
        """
        hold: float = getattr(
            self.entity_description,
            "hold_unknown_minutes" if published is None else "hold_time_minutes",
            0.0,
        )
        if not hold or (published is None) == (shown is None) or _passed(published):
            self._unsettled_since = None
            return False
        now = dt_util.utcnow()
        if self._unsettled_since is None:
            self._unsettled_since = now
        return now - self._unsettled_since < timedelta(minutes=hold)

    @callback
    def _handle_update(self) -> None:
        """Write the state only when it changed enough to matter.

        A time shown that has passed is replaced whatever the deadband: a late
        arrival moves on by a quarter of an hour at a time.
        """
        shown = self._shown()
        published = self._published
        description = self.entity_description
        deadband: float = getattr(description, "deadband", 0.0)
        minutes: float = getattr(description, "deadband_minutes", 0.0)
        share: float = getattr(description, "deadband_share", 0.0)
        marks: tuple[float, ...] = getattr(description, "marks", PERCENT_MARKS)
        threshold: float | None = getattr(description, "threshold", None)
        attribute_deadbands: Mapping[str, float] = getattr(
            description, "attribute_deadbands", {}
        )
        if (
            published is not None
            and published[0] == shown[0]
            and self._settling(published[1], shown[1])
        ):
            return
        if published is not None and not (
            published[0] != shown[0]
            or significant(
                published[1],
                shown[1],
                deadband,
                minutes and max(minutes, _ahead(published[1])),
                share=share,
                marks=marks,
                threshold=threshold,
            )
            or (_passed(published[1]) and significant(published[1], shown[1], 0.0))
            or published[2].keys() != shown[2].keys()
            or any(
                significant(
                    published[2][name],
                    value,
                    attribute_deadbands.get(name, deadband),
                    minutes,
                )
                for name, value in shown[2].items()
            )
        ):
            return
        self._published = shown
        self.async_write_ha_state()


class AiotBrainZoneEntity(ChangeFilteredEntity):
    """An entity of one zone that shows what the coordinator says about it.

    Controls (``follows_predictions = False``) change only when they are set, so
    they skip the zone's updates.
    """

    follows_predictions = True

    def __init__(
        self,
        coordinator: AiotBrainCoordinator,
        description: EntityDescription,
        zone: Zone,
    ) -> None:
        """Follow ``zone`` through ``coordinator``."""
        super().__init__(
            coordinator.entry, description, zone, coordinator.building_device_id
        )
        self.coordinator = coordinator
        self.zone_id = zone.zone_id

    @property
    def prediction(self) -> ZonePrediction | None:
        """The zone's latest prediction, if it has one."""
        return self.coordinator.predictions.get(self.zone_id)

    @property
    def controls(self) -> ZoneControls:
        """The zone's controls."""
        return self.coordinator.zone_controls(self.zone_id)

    async def async_added_to_hass(self) -> None:
        """Update whenever the zone's prediction changes."""
        await super().async_added_to_hass()
        if self.follows_predictions:
            self.async_on_remove(
                self.coordinator.async_add_zone_listener(
                    self.zone_id,
                    self._handle_update,
                    occupancy=getattr(
                        self.entity_description, "shows_occupancy", False
                    ),
                )
            )


@dataclass(frozen=True, kw_only=True)
class ZonePredictionDescription(EntityDescription):
    """What a zone entity shows of its zone's prediction besides its state.

    ``shows_occupancy``: it shows P(occupied), which every sensor change updates;
    the rest of a prediction changes only with the minute or a full prediction.
    """

    attributes_fn: Callable[[ZonePrediction], dict[str, Any]] | None = None
    # Attributes compared by their gist for a new state (see ``_shown``).
    rough_attributes: frozenset[str] = frozenset()
    shows_occupancy: bool = False


class ZonePredictionEntity(AiotBrainZoneEntity):
    """A zone entity that shows part of the zone's latest prediction."""

    entity_description: ZonePredictionDescription

    @property
    def available(self) -> bool:
        """Return True once the zone has a prediction."""
        return self.prediction is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the details of the prediction, if the entity has any."""
        attributes_fn = self.entity_description.attributes_fn
        if attributes_fn is None or (prediction := self.prediction) is None:
            return None
        return attributes_fn(prediction)


class AiotBrainBuildingEntity(ChangeFilteredEntity):
    """An entity of the building that follows the coordinator."""

    def __init__(
        self, coordinator: AiotBrainCoordinator, description: EntityDescription
    ) -> None:
        """Follow ``coordinator``."""
        super().__init__(coordinator.entry, description)
        self.coordinator = coordinator

    async def async_added_to_hass(self) -> None:
        """Update whenever something building-wide changes."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_building_listener(self._handle_update)
        )
