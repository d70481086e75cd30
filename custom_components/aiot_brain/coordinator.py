"""The runtime: Home Assistant's states in, the zones' predictions out.

The coordinator subscribes to the state changes of the chosen zones' entities (plus
the outdoor source and people's trackers, which every zone hears, and per-area
presence trackers, which speak to the zone they name), feeds them to the learning
core, ticks every zone once a minute and tells the entities when a zone's
prediction changed. It keeps the learned state in a private ``Store``, teaches
zones without learned state from the recorder's history, and follows the
registries as areas and entities come and go.

The core's models are not thread-safe. While a zone learns from history in an
executor thread, live observations for it are buffered, it is not ticked or
predicted, and it is left out of saves (it has no state worth keeping yet); the
buffer is applied when the replay ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import astral.sun
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import (
    EVENT_CORE_CONFIG_UPDATE,
    EVENT_HOMEASSISTANT_FINAL_WRITE,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    EventStateReportedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
    issue_registry as ir,
    restore_state,
)
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.event import (
    async_call_later,
    async_track_state_change_event,
    async_track_state_report_event,
    async_track_time_interval,
)
from homeassistant.helpers.json import json_bytes, json_fragment
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.storage import Store
from homeassistant.helpers.sun import get_astral_observer
from homeassistant.util import dt as dt_util
from orjson import Fragment

from .brain.observation import Observation, Role, Whereabouts
from .brain.timefeatures import wall_clock
from .brain.units import TemperatureScale
from .brain.zone import BRAIN_VERSION, Brain, ZoneBrain, ZonePrediction
from .const import (
    BRAIN_STORAGE_KEY,
    COMFORT_OFFSET_LIMIT,
    CONF_OUTDOOR_SOURCE,
    CONF_ZONES,
    CONTROL_SAVE_DELAY,
    DOMAIN,
    ISSUE_CALL_REFUSED,
    ISSUE_HISTORY_FAILED,
    ISSUE_NO_OUTDOOR_SOURCE,
    ISSUE_OUTDOOR_SOURCE_GONE,
    ISSUE_STATE_RESET,
    ISSUE_ZONE_WITHOUT_SENSORS,
    KEY_COMFORT_OFFSET,
    KEY_CONTROL,
    KEY_MODE,
    LOGGER,
    REDISCOVER_COOLDOWN,
    SAVE_DELAY,
    STORAGE_VERSION,
    TICK_INTERVAL,
    Mode,
)
from .controller import (
    EVENT_AUTOMATION_TRIGGERED,
    EVENT_SCRIPT_STARTED,
    BuildingController,
    RecordedMotion,
)
from .discovery import Actuator, Discovery, Zone, ZoneEntity, async_discover
from .entity import zone_device_identifier
from .history import async_recorder_gaps, async_replay_history
from .network import NetworkInventory
from .settings import Settings
from .state_mapping import (
    NO_READING,
    at_home,
    keeps_no_room,
    observations_from_state,
    temperature_scale,
)
from .storage import async_keep_copy, async_load, stored_moment

# While replaying history a zone is ticked just after each minute with data, as the
# live timer would, and every few minutes in between so quiet spells are learned.
REPLAY_QUIET_TICK = timedelta(minutes=5)
# Home Assistant's sun: where no light sensor reads, its elevation tells daylight.
SUN = ZoneEntity("sun.sun", (Role.SUN_ELEVATION,))
# Changes a zone's controller answers at once rather than at the next minute.
REACT_TO = frozenset({Role.MOTION, Role.DOOR, Role.WINDOW, Role.PRESENCE})
CONTROLLED_DOMAINS = frozenset({"climate", "light"})
# While the entry is in one of these, its platforms take new entities.
_ADDING_STATES = frozenset(
    {ConfigEntryState.SETUP_IN_PROGRESS, ConfigEntryState.LOADED}
)


# Event roles whose evidence fades from when the sensor last saw something.
_FADING_EVENTS = frozenset({Role.MOTION, Role.DOOR, Role.MEDIA})


def _cleared(observation: Observation) -> bool:
    """Whether ``observation`` is a motion, door or media sensor gone quiet."""
    return observation.role in _FADING_EVENTS and not observation.value


def _copied(zone: ZoneBrain) -> ZoneBrain:
    """Return a copy of the zone's state, apart from the zone and its building."""
    return ZoneBrain.from_dict(zone.to_dict())


def _encoded(zone: ZoneBrain) -> Fragment:
    """Return the zone's state as JSON, ready to be written as part of a document."""
    return json_fragment(json_bytes(zone.to_dict()))


def _building_figures(prediction: ZonePrediction | None) -> tuple[Any, ...] | None:
    """Return what the building's entities show of a zone's prediction."""
    if prediction is None:
        return None
    return (prediction.occupied, prediction.anomaly_reason, prediction.trip_since)


def _saved_at(stored: Any) -> datetime | None:
    """Return when the learned state was saved (None: not known)."""
    return stored_moment(stored.get("saved_at") if isinstance(stored, dict) else None)


def _saved_ids(stored: Any, key: str) -> set[str] | None:
    """Return the area ids saved under ``key`` with the learned state (None: none)."""
    areas = stored.get(key) if isinstance(stored, dict) else None
    if not isinstance(areas, list):
        return None
    return {area_id for area_id in areas if isinstance(area_id, str)}


@dataclass
class ZoneControls:
    """What the user set for one zone; the controller reads these."""

    mode: Mode = Mode.AUTO
    control: bool = True  # the controller may act on this zone
    comfort_offset: float = 0.0  # °C added to the learned comfort setpoint

    def to_dict(self) -> dict[str, Any]:
        """Return the controls as JSON-compatible data."""
        return {
            "mode": self.mode.value,
            "control": self.control,
            "comfort_offset": self.comfort_offset,
        }

    @classmethod
    def from_dict(cls, data: Any) -> ZoneControls:
        """Restore saved controls; anything unreadable keeps its default."""
        controls = cls()
        if not isinstance(data, dict):
            return controls
        if data.get("mode") in Mode.__members__.values():
            controls.mode = Mode(data["mode"])
        if isinstance(data.get("control"), bool):
            controls.control = data["control"]
        offset = data.get("comfort_offset")
        if isinstance(offset, int | float) and abs(offset) <= COMFORT_OFFSET_LIMIT:
            controls.comfort_offset = float(offset)
        return controls


def _zone_of(key: str, entity_key: str) -> str | None:
    """Return the zone id of a zone entity's key (``{zone_id}_{entity_key}``)."""
    zone_id = key.removesuffix(f"_{entity_key}")
    return zone_id if zone_id != key else None


def _kept_offset(kept: restore_state.StoredState) -> float | None:
    """Return the comfort offset (K) a *Comfort offset* number was kept at."""
    data = kept.extra_data.as_dict() if kept.extra_data is not None else {}
    value, unit = data.get("native_value"), data.get("native_unit_of_measurement")
    if not isinstance(value, int | float) or not isinstance(unit, str):
        return None
    offset = value / temperature_scale(unit).per_kelvin
    return float(offset) if abs(offset) <= COMFORT_OFFSET_LIMIT else None


class Router:
    """Which zones a state speaks to, and the observations it gives each of them.

    Holds no Home Assistant object, so a replay can use its own copy in a thread.
    """

    def __init__(
        self,
        zones: Iterable[Zone],
        outdoor: ZoneEntity | None,
        area_trackers: Iterable[str],
        temperature_unit: str,
        home_presence: Iterable[str] = (),
        *,
        sun: ZoneEntity | None = None,
        bounds: tuple[float, float] | None = None,
    ) -> None:
        """Route the entities of ``zones``, the outdoor source, sun and trackers.

        A thermostat that takes no target within ``bounds`` (the lowest and highest
        setpoints, °C) is left alone, and its readings are not its room's.
        """
        self.temperature_unit = temperature_unit
        self._bounds = bounds
        self.outdoor_source = outdoor.entity_id if outdoor is not None else None
        self._routes: dict[str, tuple[ZoneEntity, list[str]]] = {}
        zone_ids: list[str] = []
        unlit: list[str] = []  # zones without a light sensor: the sun stands in
        self._zone_by_name: dict[str, str] = {}
        self._trackers = frozenset(area_trackers)
        self._home_presence = frozenset(home_presence)
        # What each zone hears from: its entities, the outdoor source, the trackers
        # and, without a light sensor, the sun.
        self.sources: dict[str, set[str]] = {}
        # By zone id, the thermostats whose own reading the zone does not take,
        # since a sensor of its own reads the room.
        self._not_thermometers: dict[str, frozenset[str]] = {}
        for zone in zones:
            zone_ids.append(zone.zone_id)
            if not zone.entities_with(Role.ILLUMINANCE):
                unlit.append(zone.zone_id)
            thermometers = zone.thermometers
            self._not_thermometers[zone.zone_id] = frozenset(
                entity.entity_id
                for entity in zone.entities_with(Role.TEMPERATURE)
                if entity not in thermometers
            )
            self._zone_by_name[zone.name.casefold()] = zone.zone_id
            sources = self.sources[zone.zone_id] = set(self.whereabouts)
            for entity in zone.entities:
                if entity.roles:
                    self._routes.setdefault(entity.entity_id, (entity, []))[1].append(
                        zone.zone_id
                    )
                    sources.add(entity.entity_id)
        for zone_id in zone_ids:
            # By its id too (ESPresense names rooms so), where no area is so named:
            # a kitchen renamed the workshop keeps the id of the kitchen made since.
            self._zone_by_name.setdefault(zone_id.casefold(), zone_id)
        for shared, hearing in ((outdoor, zone_ids), (sun, unlit)):
            if shared is not None and hearing:
                self._routes[shared.entity_id] = (shared, hearing)
                for zone_id in hearing:
                    self.sources[zone_id].add(shared.entity_id)
        self._tracker_zone: dict[str, str] = {}
        self._zone_ids = tuple(zone_ids)
        self._people = Whereabouts()

    def reads(self, entity_id: str) -> bool:
        """Whether ``entity_id`` is a sensor whose readings the zones take."""
        return entity_id in self._routes

    def keeps_no_room(self, state: State) -> bool:
        """Whether ``state`` is of a thermostat that takes no target in the bounds.

        A water heater shown as a climate, say: neither its temperature nor its
        heating is the room's. Only a state that shows its range can tell.
        """
        return self._bounds is not None and keeps_no_room(
            state, self.temperature_unit, self._bounds
        )

    @property
    def roles(self) -> dict[str, tuple[Role, ...]]:
        """What each routed entity reads, by entity id."""
        return {entity_id: route[0].roles for entity_id, route in self._routes.items()}

    def keep_people(self, previous: Router) -> None:
        """Know where ``previous`` last knew each person still tracked to be."""
        self._people.at_home = {
            person: home
            for person, home in previous._people.at_home.items()
            if person in self._home_presence
        }

    @property
    def someone_home(self) -> bool:
        """Whether a tracked person was last known to be home."""
        return any(self._people.at_home.values())

    def not_thermometers(self, zone_id: str) -> set[str]:
        """Return the zone's thermostats whose own temperature it does not take."""
        return set(self._not_thermometers.get(zone_id, ()))

    @property
    def entity_ids(self) -> list[str]:
        """Every entity whose states matter."""
        return sorted({*self._routes, *self.whereabouts})

    def route_as(self, new: str, old: str) -> bool:
        """Route the states of ``new`` as those of ``old``; False: ``old`` has none."""
        route = self._routes.get(old)
        if route is not None:
            self._routes.setdefault(new, route)
        return route is not None

    @property
    def whereabouts(self) -> frozenset[str]:
        """The trackers that say where people are."""
        return self._trackers | self._home_presence

    @property
    def zones_with_someone(self) -> frozenset[str]:
        """The zones an area tracker last placed someone in."""
        return frozenset(self._tracker_zone.values())

    def route(
        self, state: State, manual: bool | None = None, previous: State | None = None
    ) -> list[tuple[str, Observation]]:
        """Return (zone id, observation) pairs for one new state (after ``previous``).

        ``manual``: whether a person made the change; None where that is not known
        (a recorded state, a state as it stands at start).
        """
        if state.entity_id in self._trackers:
            return self._presence(state)
        if state.entity_id in self._home_presence:
            return self._nobody_home(state)
        route = self._routes.get(state.entity_id)
        if route is None:
            return []
        entity, zone_ids = route
        if self.keeps_no_room(state):
            return []
        if state.state in NO_READING:
            # Unavailable: what it said last no longer holds.
            when = dt_util.as_local(state.last_updated)
            gone = Observation(entity.roles[0], 0.0, when, entity.entity_id, gone=True)
            return [(zone_id, gone) for zone_id in zone_ids]
        observations = observations_from_state(
            entity,
            state,
            system_temperature_unit=self.temperature_unit,
            manual=manual,
            previous=previous,
        )
        return [
            (zone_id, obs)
            for zone_id in zone_ids
            for obs in observations
            if obs.role is not Role.TEMPERATURE
            or entity.entity_id not in self._not_thermometers.get(zone_id, ())
        ]

    def _presence(self, state: State) -> list[tuple[str, Observation]]:
        """Mark the tracked person present where they are and gone from before."""
        if state.state == STATE_UNAVAILABLE:
            # The tracker's integration is reloading or down: no news of the
            # person, who is where they were. (Bermuda's "unknown" is news: no
            # proxy has seen them for a while.)
            return []
        when = dt_util.as_local(state.last_updated)
        source = state.entity_id
        new = self._zone_by_name.get(state.state.casefold())
        old = self._tracker_zone.pop(source, None)
        if new is not None:
            self._tracker_zone[source] = new
        routed = []
        if old is not None and old != new and old not in self._tracker_zone.values():
            routed.append((old, Observation(Role.PRESENCE, 0.0, when, source)))
        if new is not None:
            routed.append((new, Observation(Role.PRESENCE, 1.0, when, source)))
        return routed

    def route_standing(self, states: Iterable[State]) -> list[tuple[str, Observation]]:
        """Return (zone id, observation) pairs for states as they stand now.

        People are taken all at once: one by one, their states would pass through
        moments that never were (the first read away while the next is home
        makes up an absence).
        """
        routed: list[tuple[str, Observation]] = []
        people: list[State] = []
        for state in states:
            if state.entity_id in self._home_presence:
                self._people.update(state.entity_id, at_home(state))
                people.append(state)
            else:
                routed += self.route(state)
        known = [state for state in people if at_home(state) is not None]
        if not known:
            return routed
        away = self._people.everyone_away
        if away:  # since the last one left
            since = max(known, key=lambda state: state.last_changed)
        else:  # someone home since the first came
            since = min(
                (state for state in known if at_home(state)),
                key=lambda state: state.last_changed,
            )
        when = dt_util.as_local(since.last_changed)
        observation = Observation(Role.NOBODY_HOME, float(away), when, since.entity_id)
        return routed + [(zone_id, observation) for zone_id in self._zone_ids]

    def _nobody_home(self, state: State) -> list[tuple[str, Observation]]:
        """Tell every zone whether everyone is away, whenever that may change."""
        away = self._people.update(state.entity_id, at_home(state))
        if away is None:
            return []  # a move between places away, or a new GPS fix
        when = dt_util.as_local(state.last_updated)
        observation = Observation(Role.NOBODY_HOME, float(away), when, state.entity_id)
        return [(zone_id, observation) for zone_id in self._zone_ids]


@dataclass
class ReplayClock:
    """Ticks one zone along replayed time the way the live minute timer would.

    Its times are UTC: local times a minute apart are an hour apart, or none, the
    night the clocks change, and the ticks would run out of order.
    """

    zone: ZoneBrain
    due: datetime | None = None
    # When Home Assistant was down, oldest first: no tick runs in them, as none
    # ran live; the zone goes on at the restart, as it did then.
    gaps: list[tuple[datetime, datetime]] = field(default_factory=list)

    def advance(self, until: datetime) -> None:
        """Run every tick due up to ``until``."""
        while self.due is not None and self.due <= until:
            while self.gaps and self.gaps[0][1] <= self.due:
                del self.gaps[0]
            if self.gaps and self.gaps[0][0] < self.due:
                self.due = self.gaps.pop(0)[1]
                continue
            self.zone.tick(dt_util.as_local(self.due))
            self.due += REPLAY_QUIET_TICK

    def learn(self, observation: Observation) -> None:
        """Tick up to the observation, learn it, and tick again after its minute."""
        self.advance(observation.when)
        self.zone.learn_one(observation)
        minute_end = dt_util.as_utc(observation.when).replace(
            second=0, microsecond=0
        ) + timedelta(minutes=1)
        if self.due is None or minute_end < self.due:
            self.due = minute_end


# No generated repr: Home Assistant names the jobs of its timers and debouncers
# after their callbacks, and would write out every zone, prediction and control
# into the name, in one turn of the event loop (18 ms with 400 areas), at each
# start and each rediscovery.
@dataclass(repr=False)
class AiotBrainCoordinator:
    """The learning core of one building, wired to Home Assistant."""

    hass: HomeAssistant
    entry: ConfigEntry
    settings: Settings
    building_device_id: str
    discovery: Discovery = field(default_factory=Discovery)
    zones: dict[str, Zone] = field(default_factory=dict)  # the active zones
    predictions: dict[str, ZonePrediction] = field(default_factory=dict)
    controls: dict[str, ZoneControls] = field(default_factory=dict)
    building_mode: Mode = Mode.AUTO
    learning: set[str] = field(default_factory=set)  # zones replaying history
    learning_progress: float = 1.0
    reset_zones: list[str] = field(default_factory=list)  # found corrupt at start

    def __post_init__(self) -> None:
        """Prepare the store, the brain and the listener lists."""
        self.brain = Brain(*self._brain_defaults)
        self.control = BuildingController(self)
        self._store: Store[dict[str, Any]] = Store(
            self.hass,
            STORAGE_VERSION,
            BRAIN_STORAGE_KEY,
            private=True,
            atomic_writes=True,
        )
        self._occupied: set[str] = set()  # zones whose prediction says occupied
        self._anomalous: set[str] = set()  # zones whose prediction has anomalies
        self._on_trip: set[str] = set()  # zones that take everyone to be on a trip
        self._save_lock = asyncio.Lock()
        self._cancel_save: CALLBACK_TYPE | None = None
        self._save_due = 0.0  # loop time of the pending save
        self._ticking = False
        self._stopped = False
        # The sun's elevation last worked out, with the moment and place it is of.
        self._sun: tuple[tuple[datetime, float, float, int], float] | None = None
        self._router = Router((), None, (), self.hass.config.units.temperature_unit)
        self._buffer: list[tuple[str, Observation]] = []
        self._replay_lock = asyncio.Lock()
        # Zones reading history, as a save keeps them until they have read it all:
        # what people taught them by hand, before it and meanwhile (a restart
        # reads the history again, which cannot teach it).
        self._relearning: dict[str, ZoneBrain] = {}
        # By zone id, the entities renamed (old id, new id) while it reads history.
        self._renamed_while_learning: dict[str, list[tuple[str, str]]] = {}
        # The router and entities of the history being read, while it is.
        self._replay: tuple[Router, list[str]] | None = None
        self._known_areas: set[str] = set()
        self._zone_listeners: dict[str, list[CALLBACK_TYPE]] = {}
        # Those of the zone listeners that show P(occupied).
        self._occupancy_listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._building_listeners: list[CALLBACK_TYPE] = []
        self._zone_adders: list[Callable[[list[Zone]], None]] = []
        self._unsubscribe_states: list[CALLBACK_TYPE] = []
        self._faults: set[tuple[str, str]] = set()  # (zone id, doing) logged
        self._unsubscribers: list[CALLBACK_TYPE] = []
        self._rediscover = Debouncer(
            self.hass,
            LOGGER,
            cooldown=REDISCOVER_COOLDOWN,
            immediate=False,
            function=self._async_rediscover,
            background=True,
        )

    @property
    def _brain_defaults(self) -> tuple[float, float, tuple[float, float]]:
        """The comfort defaults and setpoint bounds the learning brain starts from."""
        settings = self.settings
        return (
            settings.heating_setpoint,
            settings.cooling_setpoint,
            (settings.min_temperature, settings.max_temperature),
        )

    # -- lifecycle -------------------------------------------------------------------

    async def async_start(self) -> None:
        """Restore the learned state, subscribe, and start learning what is new."""
        stored, unreadable = await async_load(self.hass, self._store)
        await self._async_restore(stored)
        if unreadable:
            self.reset_zones = ["*"]
        elif self.reset_zones:
            # The next save would write over what could not be read.
            every = self.reset_zones == ["*"]
            aside = await async_keep_copy(self.hass, self._store)
            LOGGER.warning(
                "Learned state unreadable for %s; a copy of the file is kept as %s",
                "every zone" if every else ", ".join(self.reset_zones),
                aside,
            )
        self._report_reset()
        self._find_renamed_outdoor_source(stored)
        # Before discovery forgets them as sensors gone.
        self._find_renamed_sources(stored)
        self.discovery = async_discover(self.hass)
        # The areas there were at setup (left out or chosen), and those that joined
        # since; any other joins once it has something to learn. Kept across
        # restarts; an older version did not keep them: every area now counts.
        saved = _saved_ids(stored, "known_areas")
        # An area that joined just before a crash is in the options, not the save.
        self._known_areas = (
            {zone.zone_id for zone in self.discovery.zones} if saved is None else saved
        ) | set(self.settings.zones)
        listening_since = dt_util.utcnow()
        self._apply_discovery()
        self._forget_deleted_areas()
        self._remove_stale_devices()
        self._remove_stale_issues()
        self._unsubscribers += [
            async_track_time_interval(
                self.hass, self._async_tick, TICK_INTERVAL, name="AIoT Brain tick"
            ),
            self.hass.bus.async_listen(
                ar.EVENT_AREA_REGISTRY_UPDATED, self._async_registry_updated
            ),
            self.hass.bus.async_listen(
                dr.EVENT_DEVICE_REGISTRY_UPDATED, self._async_registry_updated
            ),
            self.hass.bus.async_listen(
                er.EVENT_ENTITY_REGISTRY_UPDATED, self._async_registry_updated
            ),
            # A floor renamed or removed: a thermostat that heats it says so.
            self.hass.bus.async_listen(
                fr.EVENT_FLOOR_REGISTRY_UPDATED, self._async_registry_updated
            ),
            # Home Assistant stops without unloading: the last moment to save.
            self.hass.bus.async_listen(
                EVENT_HOMEASSISTANT_FINAL_WRITE, self._async_final_write
            ),
            self.hass.bus.async_listen(
                EVENT_CORE_CONFIG_UPDATE, self._async_core_config_updated
            ),
            # Every entity there is has been set up: one still missing is gone.
            async_at_started(self.hass, self._check_outdoor_source),
            # A suggestion's notification dismissed by a person says "not now".
            persistent_notification.async_register_callback(
                self.hass, self.control.async_notifications_changed
            ),
            # What automations and scripts change is nobody's hand.
            self.hass.bus.async_listen(
                EVENT_AUTOMATION_TRIGGERED, self.control.async_run_started
            ),
            self.hass.bus.async_listen(
                EVENT_SCRIPT_STARTED, self.control.async_run_started
            ),
        ]
        # Zones without learned state (first setup, new, or reset) learn history.
        known = self.brain.zones  # read before predicting adds the new ones
        # Zones stopped while relearning, or reset as unreadable, keep what
        # people taught them and read their history again.
        unread = (
            (_saved_ids(stored, "relearning") or set()) | set(self.reset_zones)
        ) & set(known)
        self._relearning = {zone_id: _copied(known[zone_id]) for zone_id in unread}
        learned = [z for z in self.zones if z in known and z not in unread]
        unlearned = [z for z in self.zones if z not in known or z in unread]
        # What changed after the save and before we listened (a sensor set up
        # before us as Home Assistant starts, a reload) is news to them.
        saved_at = _saved_at(stored)
        await self._async_predict(
            learned,
            dt_util.now(),
            first=lambda zone_id: self._learn_states(
                zone_id,
                (
                    (state, None)
                    for state in self._states_of(self._router.sources[zone_id])
                    if (saved_at is None or state.last_updated > saved_at)
                    and state.last_updated < listening_since
                ),
                last_heard=saved_at,
            ),
        )
        # Decided as soon as every integration is up (at once after a reload), not
        # at the next minute: a suggestion shown before a restart or reload is
        # shown again, and can be accepted, from then on.
        self._unsubscribers.append(
            async_at_started(self.hass, partial(self._async_decide_at_start, learned))
        )
        await self._async_start_zones(unlearned)

    async def _async_decide_at_start(
        self, zone_ids: list[str], _hass: HomeAssistant
    ) -> None:
        await self.async_decide(zone_ids)

    async def _async_start_zones(self, zone_ids: list[str]) -> None:
        """Start zones new to the brain, predicting them one a turn.

        They show what their fresh models say while their history is read; with
        no history to read, they start from the states as they stand (and
        ``async_learn_history`` predicts them then).
        """
        if self._history_to_learn:
            await self._async_predict(zone_ids, dt_util.now())
        self.async_learn_history(zone_ids)

    @property
    def _history_to_learn(self) -> bool:
        """Whether there is recorded history to learn from."""
        return (
            self.settings.history_days > 0 and "recorder" in self.hass.config.components
        )

    async def async_stop(self) -> None:
        """Stop listening and write the learned state at once."""
        self.async_stop_listening()
        await self._async_save()

    @callback
    def async_stop_listening(self) -> None:
        """Stop every listener and timer, writing nothing; again, it does nothing.

        A start that failed half-way stops so: a retry would run a second
        coordinator beside it, and what it had read may be only part of the file.
        """
        self._stopped = True
        self._rediscover.async_cancel()
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers.clear()
        self._stop_following_states()
        self.control.async_stop()
        self._cancel_pending_save()

    @callback
    def _async_core_config_updated(self, _event: Event[Any]) -> None:
        # Thermostats and weather report in the unit system's unit, which the user
        # may just have changed. The controller and the entities read it as they go.
        unit = self.hass.config.units.temperature_unit
        if unit != self._router.temperature_unit:
            self.control.async_unit_changed(self._router.temperature_unit)
        self._router.temperature_unit = unit

    # -- persistence -----------------------------------------------------------------

    async def _async_restore(self, stored: dict[str, Any] | None) -> None:
        """Take the stored state; unreadable parts start afresh and are reported.

        The zones are read in a worker: a thousand of them take over a second.
        Nothing else uses the brain before the coordinator has started.
        """
        self._restore_controls(stored)
        if stored is None:
            return
        if isinstance(stored, dict):
            self.control.load_dict(stored.get("controller"))
            self.control.load_sent(stored.get("sent"))
            self.control.load_last_actions(stored.get("last_actions"))
            self.control.load_told(stored.get("told"))
            self.control.load_shown(stored.get("shown"))
        brain = stored.get("brain") if isinstance(stored, dict) else None
        try:
            self.brain, reset = await self.hass.async_add_executor_job(
                Brain.from_dict,
                brain if isinstance(brain, dict) else {},
                *self._brain_defaults,
            )
        except ValueError as err:
            LOGGER.warning("Learned state unreadable, starting afresh: %s", err)
            self.reset_zones = ["*"]
        else:
            # Each keeps what people taught it, and reads its history again.
            self.reset_zones = reset

    @callback
    def _restore_controls(self, stored: Any) -> None:
        """Take the saved modes, *Control* switches and comfort offsets.

        Where our file was unreadable, lost or cut short, Home Assistant's own copy
        of their entities' last states stands in: an area switched off stays off
        and a building set to away stays away, as people left them, instead of
        coming back on in auto.
        """
        controls = stored.get("controls") if isinstance(stored, dict) else None
        controls = controls if isinstance(controls, dict) else {}
        building_mode = controls.get("building_mode")
        building_saved = building_mode in Mode.__members__.values()
        if building_saved:
            self.building_mode = Mode(str(building_mode))
        zone_controls = controls.get("zones")
        if isinstance(zone_controls, dict):
            self.controls = {
                str(zone_id): ZoneControls.from_dict(data)
                for zone_id, data in zone_controls.items()
                if isinstance(data, dict)
            }
        saved = set(self.controls)
        kept = restore_state.async_get(self.hass).last_states
        prefix = f"{self.entry.entry_id}_"
        registry = er.async_get(self.hass)
        for entity in er.async_entries_for_config_entry(registry, self.entry.entry_id):
            last = kept.get(entity.entity_id)
            if last is None or not entity.unique_id.startswith(prefix):
                continue
            key = entity.unique_id.removeprefix(prefix)
            kept_state = last.state.state
            if entity.domain == "select" and kept_state in Mode.__members__.values():
                zone_id = _zone_of(key, KEY_MODE)
                if zone_id is None and key == KEY_MODE and not building_saved:
                    self.building_mode = Mode(kept_state)
                elif zone_id is not None and zone_id not in saved:
                    self.zone_controls(zone_id).mode = Mode(kept_state)
            elif entity.domain == "switch" and kept_state in (STATE_ON, STATE_OFF):
                zone_id = _zone_of(key, KEY_CONTROL)
                if zone_id is not None and zone_id not in saved:
                    self.zone_controls(zone_id).control = kept_state == STATE_ON
            elif (
                entity.domain == "number" and (offset := _kept_offset(last)) is not None
            ):
                zone_id = _zone_of(key, KEY_COMFORT_OFFSET)
                if zone_id is not None and zone_id not in saved:
                    self.zone_controls(zone_id).comfort_offset = offset

    @callback
    def _report_reset(self) -> None:
        """Tell the user which zones' learned state was unreadable, if any."""
        if self.reset_zones:
            areas = ar.async_get(self.hass)
            names = [
                area.name if (area := areas.async_get_area(zone_id)) else zone_id
                for zone_id in self.reset_zones
            ]
            every = self.reset_zones == ["*"]
            # Fixable only to be dismissed once read: the areas learn again alone.
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                ISSUE_STATE_RESET,
                is_fixable=True,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ISSUE_STATE_RESET + ("_all" if every else ""),
                translation_placeholders=None if every else {"zones": ", ".join(names)},
            )

    async def _async_save(self) -> None:
        """Write what was learned; zones replaying history are left out.

        Each zone is encoded in its own turn of the event loop: a thousand zones
        take over 100 ms to encode.
        """
        async with self._save_lock:
            self._cancel_pending_save()
            # What changes from now on may miss the zones encoded first.
            saved_at = dt_util.utcnow()
            encoded: dict[str, tuple[ZoneBrain, Fragment]] = {}
            for zone_id, zone in list(self.brain.zones.items()):
                if zone_id not in self.learning and zone_id not in self._relearning:
                    encoded[zone_id] = (zone, _encoded(zone))
                await asyncio.sleep(0)
            # Zones reset, added or gone meanwhile are taken as they are now.
            zones: dict[str, Fragment] = {}
            for zone_id, zone in self.brain.zones.items():
                if zone_id in self._relearning:
                    zones[zone_id] = _encoded(self._relearning[zone_id])
                elif zone_id not in self.learning:
                    early = encoded.get(zone_id)
                    zones[zone_id] = (
                        early[1] if early and early[0] is zone else _encoded(zone)
                    )
            await self._store.async_save(
                {
                    "brain": {"version": BRAIN_VERSION, "zones": zones},
                    "controls": {
                        "building_mode": self.building_mode.value,
                        "zones": {
                            zone_id: controls.to_dict()
                            for zone_id, controls in self.controls.items()
                        },
                    },
                    "controller": self.control.to_dict(),
                    "sent": self.control.sent_to_dict(),
                    "last_actions": self.control.last_actions_to_dict(),
                    "told": self.control.told_to_dict(),
                    "shown": self.control.shown_to_dict(),
                    "known_areas": sorted(self._known_areas),
                    "relearning": sorted(self._relearning),
                    # It finds the source renamed while this entry is not loaded.
                    "outdoor_source_id": self._outdoor_source_id(),
                    # So are the sensors, lights and thermostats.
                    "source_ids": self._source_ids(),
                    "saved_at": saved_at.isoformat(),
                }
            )

    @callback
    def _schedule_save(self, delay: float = SAVE_DELAY) -> None:
        """Save within ``delay`` seconds; a save already due sooner takes this along."""
        if self._stopped:
            return
        due = self.hass.loop.time() + delay
        if self._cancel_save is not None and self._save_due <= due:
            return
        self._cancel_pending_save()
        self._save_due = due
        self._cancel_save = async_call_later(self.hass, delay, self._async_save_due)

    @callback
    def async_save_soon(self) -> None:
        """Save within seconds what the user chose (a mode, a hold)."""
        self._schedule_save(CONTROL_SAVE_DELAY)

    @callback
    def _async_save_due(self, _now: datetime) -> None:
        self._cancel_save = None
        self.entry.async_create_task(self.hass, self._async_save(), "AIoT Brain save")

    @callback
    def _cancel_pending_save(self) -> None:
        if self._cancel_save is not None:
            self._cancel_save()
            self._cancel_save = None

    async def _async_final_write(self, _event: Event) -> None:
        # Every minute's tick changes what was learned: there is always news.
        await self._async_save()

    # -- discovery -------------------------------------------------------------------

    @callback
    def _async_registry_updated(self, event: Event[Any]) -> None:
        self._follow_renamed_outdoor_source(event.data)
        if event.data.get("entity_id") == self.settings.outdoor_source:
            self._update_outdoor_issue()  # removed, or back
        if old := event.data.get("old_entity_id"):
            self._rename_source(old, event.data["entity_id"])
        self._rediscover.async_schedule_call()

    @callback
    def _rename_source(self, old: str, new: str) -> None:
        """Carry what entity ``old`` taught, and its holds, to ``new``, its new id.

        It is the same sensor, light or thermostat: done before the zones forget
        the old id as one gone. A zone reading its history is renamed once it has
        read it: the replay teaches it in a worker meanwhile.
        """
        self.control.async_entity_renamed(old, new)
        self._follow_in_replay(old, new)
        for zone_id, zone in self.brain.zones.items():
            if zone_id in self.learning:
                self._renamed_while_learning.setdefault(zone_id, []).append((old, new))
            else:
                zone.rename_source(old, new)
            if (kept := self._relearning.get(zone_id)) is not None:
                kept.rename_source(old, new)  # as saved meanwhile

    @callback
    def _follow_in_replay(self, old: str, new: str) -> None:
        """Read on the history of ``old`` under ``new``, as the recorder renames it.

        Its states are taught under ``old`` until the replay ends, when the zone
        is renamed. The worker only looks routes up in the replay's router: one is
        added from here, and no zone is touched.
        """
        if self._replay is not None:
            router, entity_ids = self._replay
            if router.route_as(new, old) and new not in entity_ids:
                entity_ids.append(new)

    @callback
    def _find_renamed_sources(self, stored: object) -> None:
        """Follow the entities renamed while this entry was not loaded.

        Their registry entries keep their ids across renames: the ids saved find
        them. A file saved before these ids were kept has none to find.
        """
        saved = stored.get("source_ids") if isinstance(stored, dict) else None
        if not isinstance(saved, dict):
            return
        registry = er.async_get(self.hass)
        for registry_id, old in saved.items():
            entry = registry.async_get(str(registry_id))
            if isinstance(old, str) and entry is not None and entry.entity_id != old:
                self._rename_source(old, entry.entity_id)

    def _source_ids(self) -> dict[str, str]:
        """Return the entity id of each routed entity, by its registry id."""
        registry = er.async_get(self.hass)
        return {
            entry.id: entry.entity_id
            for entity_id in self._router.entity_ids
            if (entry := registry.async_get(entity_id)) is not None
        }

    @callback
    def _find_renamed_outdoor_source(self, stored: object) -> None:
        """Follow the outdoor source renamed while this entry was not loaded.

        Its registry entry keeps its id across renames: the one saved finds it.
        """
        source = self.settings.outdoor_source
        registry = er.async_get(self.hass)
        saved = stored.get("outdoor_source_id") if isinstance(stored, dict) else None
        if (
            source is None
            or not isinstance(saved, str)
            or registry.async_get(source) is not None
            or (entry := registry.async_get(saved)) is None
        ):
            return
        self._follow_renamed_outdoor_source(
            {"old_entity_id": source, "entity_id": entry.entity_id}
        )

    def _outdoor_source_id(self) -> str | None:
        """Return the registry id of the outdoor source (None: not registered)."""
        source = self.settings.outdoor_source
        entry = None if source is None else er.async_get(self.hass).async_get(source)
        return None if entry is None else entry.id

    @callback
    def _follow_renamed_outdoor_source(self, data: dict[str, Any]) -> None:
        """Keep the outdoor source the user chose when its entity id is renamed.

        As Home Assistant's own helpers follow their sources: with the old id,
        every zone would silently go without the outdoor temperature.
        """
        source = self.settings.outdoor_source
        if source is None or data.get("old_entity_id") != source:
            return
        self.settings = replace(self.settings, outdoor_source=data["entity_id"])
        self.hass.config_entries.async_update_entry(
            self.entry,
            options={**self.entry.options, CONF_OUTDOOR_SOURCE: data["entity_id"]},
        )

    async def _async_rediscover(self) -> None:
        discovery = async_discover(self.hass)
        # A renamed outdoor source may change nothing discovery sees (a hidden one).
        if (
            discovery != self.discovery
            or self._router.outdoor_source != self.settings.outdoor_source
        ):
            self.discovery = discovery
            self._apply_discovery()

    @callback
    def _apply_discovery(self) -> None:
        """Follow the registries: add new zones, drop removed ones, resubscribe."""
        discovered = {zone.zone_id: zone for zone in self.discovery.zones}
        # An area created since setup joins as soon as it has something to learn.
        new_areas = [
            zone_id
            for zone_id, zone in discovered.items()
            if zone_id not in self._known_areas and zone.learnable
        ]
        if new_areas:
            self._known_areas.update(new_areas)
            self.settings = replace(
                self.settings, zones=(*self.settings.zones, *new_areas)
            )
            self.hass.config_entries.async_update_entry(
                self.entry,
                options={**self.entry.options, CONF_ZONES: list(self.settings.zones)},
            )
            self.async_save_soon()  # known with the options, not minutes later
        chosen = set(self.settings.zones)
        zones = {
            zone.zone_id: zone
            for zone in self.discovery.zones
            if zone.zone_id in chosen
        }
        added = [zone for zone_id, zone in zones.items() if zone_id not in self.zones]
        removed = [zone_id for zone_id in self.zones if zone_id not in zones]
        self.zones = zones
        self.control.async_zones_changed()
        for zone_id in removed:
            self._remove_zone(zone_id)
        for zone in added:
            self.controls.setdefault(zone.zone_id, ZoneControls())
        heard, previous = self._router.sources, self._router
        self._router = self._router_of(zones.values())
        # Where people were stays known: a person removed while the others are
        # out makes everyone away from now, not since the others left.
        self._router.keep_people(previous)
        self._forget_departed_sensors()
        self._learn_whereabouts(previous.someone_home)
        if self._unsubscribers:  # at run time; at start, each zone in its turn
            # A sensor moved in or renamed is news from now on.
            now = dt_util.now()
            for zone_id, sources in self._router.sources.items():
                new = self._states_of(sources - heard.get(zone_id, set()))
                self._learn_states(zone_id, ((state, now) for state in new))
        self._stop_following_states()
        entity_ids = self._router.entity_ids
        self._unsubscribe_states = [
            async_track_state_change_event(
                self.hass, entity_ids, self._async_state_changed
            ),
            async_track_state_report_event(
                self.hass, entity_ids, self._async_state_reported
            ),
        ]
        self._update_zone_issues()
        if added and self._unsubscribers:  # at run time, not during start
            for add_entities in self._zone_adders:
                add_entities(added)
            self.entry.async_create_task(
                self.hass,
                self._async_start_zones([zone.zone_id for zone in added]),
                "AIoT Brain new areas",
            )
        # Also without a zone gone: the building's entities name zones by name.
        self._notify_building()

    @callback
    def _stop_following_states(self) -> None:
        for unsubscribe in self._unsubscribe_states:
            unsubscribe()
        self._unsubscribe_states = []

    @callback
    def _forget_departed_sensors(
        self,
        zone_ids: Iterable[str] | None = None,
        renamed: Mapping[str, set[str]] | None = None,
    ) -> None:
        """Let each zone (of ``zone_ids``) forget the sensors it no longer hears from.

        A sensor moved to another area, or removed (also while Home Assistant was
        down), would stay in the zone's learned state: a motion sensor that was on
        for good, a temperature that never changes again (an anomaly). Those
        ``renamed`` (new ids, by zone id) stay.
        """
        sources, roles = self._router.sources, self._router.roles
        for zone_id in sources if zone_ids is None else zone_ids:
            zone = self.brain.zones.get(zone_id)
            if zone is not None and zone_id in sources and zone_id not in self.learning:
                zone.keep_sources(
                    sources[zone_id] | (renamed or {}).get(zone_id, set()),
                    self._router.not_thermometers(zone_id),
                    roles,
                )

    @callback
    def _learn_whereabouts(self, someone_home: bool = False) -> None:
        """Tell the zones with learned state where people are now.

        A new router knows nobody's whereabouts until they next change, and
        people come and go while Home Assistant is down. Zones without learned
        state learn them with their history. ``someone_home``: someone was known
        to be home until now, so everyone is away from now on, if they are.
        """
        routed = self._route_standing(self._router, sorted(self._router.whereabouts))
        if someone_home:
            now = dt_util.now()
            routed = [
                (zone_id, replace(observation, when=max(observation.when, now)))
                if observation.role is Role.NOBODY_HOME and observation.value >= 0.5
                else (zone_id, observation)
                for zone_id, observation in routed
            ]
        # A zone someone was placed in before, and no tracker places anyone in now,
        # is empty of them: they left while nobody was listening. Unless a tracker
        # says nothing yet (its integration still loading as Home Assistant
        # starts): it may be the one that placed them.
        if all(self._has_reading(t) for t in self.discovery.area_trackers):
            now = dt_util.now()
            placed = self._router.zones_with_someone
            routed += [
                (zone_id, Observation(Role.PRESENCE, 0.0, now, "area trackers"))
                for zone_id, zone in self.brain.zones.items()
                if zone_id not in placed and zone.latest.get(Role.PRESENCE) == 1.0
            ]
        for zone_id, observation in routed:
            if zone_id in self.brain.zones and zone_id not in self.learning:
                with self.zone_fault(zone_id, "learning"):
                    self.brain.zones[zone_id].learn_one(observation)

    def _states_of(self, entity_ids: Iterable[str]) -> list[State]:
        """Return the states of ``entity_ids`` as they stand, trackers left out.

        The trackers are the whereabouts': ``_learn_whereabouts`` reads them.
        """
        return [
            state
            for entity_id in sorted(set(entity_ids) - self._router.whereabouts)
            if (state := self.hass.states.get(entity_id)) is not None
        ]

    @callback
    def _learn_states(
        self,
        zone_id: str,
        states: Iterable[tuple[State, datetime | None]],
        last_heard: datetime | None = None,
    ) -> None:
        """Let a zone with learned state read states it has not heard, at a time.

        Otherwise a sensor is not heard until it next changes, which can take
        hours: the zone would go without its temperature, or keep the one it
        read before a restart. Zones without learned state read them with their
        history, or as they stand when they start. None: at the state's own time.
        A motion, door or media sensor that cleared after ``last_heard`` (the last
        save, before a restart) cleared when is not known: what it saw fades from
        then, not from the restart (people gone hours ago are not there now).
        """
        if zone_id not in self.brain.zones:
            return
        observations = [
            routed if when is None else replace(routed, when=when)
            for state, when in states
            for routed_to, routed in self._router.route(state)
            if routed_to == zone_id
        ]
        if last_heard is not None:
            heard = dt_util.as_local(last_heard)
            observations = sorted(
                (
                    replace(observation, when=heard)
                    if _cleared(observation)
                    else observation
                    for observation in observations
                ),
                key=lambda observation: not _cleared(observation),  # oldest first
            )
        for observation in observations:
            self._learn_live(zone_id, observation)

    @callback
    def _learn_live(self, zone_id: str, observation: Observation) -> bool:
        """Learn ``observation`` now, or after the history the zone reads; True: now."""
        if zone_id in self.learning:
            self._buffer.append((zone_id, observation))
            if observation.manual:
                self._keep_lesson(zone_id, observation)
            return False
        with self.zone_fault(zone_id, "learning"):
            self._teach(zone_id, observation)
        return True

    def _keep_lesson(self, zone_id: str, observation: Observation) -> None:
        """Keep a person's lesson to a zone reading history where a save sees it.

        It is learned from the buffer once the history is read; the zone as saved
        meanwhile learns it now, or a restart before then would lose it.
        """
        kept = self._relearning.get(zone_id)
        if kept is None:  # reading for the first time: nothing taught before
            kept = self._relearning[zone_id] = self.brain.blank_zone()
        kept.learn_one(
            observation, comfort_offset=self.zone_controls(zone_id).comfort_offset
        )
        self._schedule_save()

    def _teach(self, zone_id: str, observation: Observation) -> None:
        """Let the zone learn ``observation`` as it is now.

        Its thermostats are sent its Comfort offset on top of what it learned: a
        person's setpoint teaches the comfort without it.
        """
        self.brain.zone(zone_id).learn_one(
            observation, comfort_offset=self.zone_controls(zone_id).comfort_offset
        )

    def _has_reading(self, entity_id: str) -> bool:
        state = self.hass.states.get(entity_id)
        return state is not None and state.state not in NO_READING

    def _router_of(self, zones: Iterable[Zone]) -> Router:
        """Return a router of ``zones``' entities, the outdoor source, sun, trackers."""
        return Router(
            zones,
            self.outdoor_source(),
            self.discovery.area_trackers,
            self.hass.config.units.temperature_unit,
            self.discovery.home_presence,
            sun=SUN,
            bounds=(self.settings.min_temperature, self.settings.max_temperature),
        )

    def outdoor_source(self) -> ZoneEntity | None:
        """Return the outdoor temperature source the user chose, if any."""
        source = self.settings.outdoor_source
        if source is None:
            return None
        return next(
            (entity for entity in self.discovery.outdoor if entity.entity_id == source),
            ZoneEntity(source, (Role.OUTDOOR_TEMPERATURE,)),
        )

    @callback
    def _remove_zone(self, zone_id: str) -> None:
        """Forget a zone whose area is gone, with its device and entities."""
        self.brain.remove_zone(zone_id)
        self._relearning.pop(zone_id, None)
        self._renamed_while_learning.pop(zone_id, None)
        self._set_prediction(zone_id, None)
        self.controls.pop(zone_id, None)
        self.control.async_remove_zone(zone_id)
        self._zone_listeners.pop(zone_id, None)
        self._occupancy_listeners.pop(zone_id, None)
        registry = dr.async_get(self.hass)
        if device := registry.async_get_device_by_identifier(
            zone_device_identifier(self.entry.entry_id, zone_id), self.entry.entry_id
        ):
            registry.async_remove_device(device.id)
        for issue in (ISSUE_ZONE_WITHOUT_SENSORS, ISSUE_HISTORY_FAILED):
            ir.async_delete_issue(self.hass, DOMAIN, f"{issue}_{zone_id}")

    @callback
    def _forget_deleted_areas(self) -> None:
        """Forget what was kept of areas deleted while the entry was not running.

        As at run time: their habits would otherwise be kept for ever, sway the
        other zones' comfort, and come back with a new area of the same name.
        """
        areas = {zone.zone_id for zone in self.discovery.zones}
        kept = {*self.brain.zones, *self.controls, *self.control.zone_ids}
        for zone_id in kept - areas:
            self._remove_zone(zone_id)

    @callback
    def _remove_stale_devices(self) -> None:
        """Remove devices of zones that are no longer chosen or no longer exist."""
        registry = dr.async_get(self.hass)
        # Made once, not for each device: both count in hundreds in a building.
        active = self._active_identifiers()
        for device in dr.async_entries_for_config_entry(registry, self.entry.entry_id):
            if device.id != self.building_device_id and not device.identifiers & active:
                registry.async_remove_device(device.id)

    @callback
    def _remove_stale_issues(self) -> None:
        """Remove the issues left from before this start that nothing settles now.

        Those of areas no longer learned: an unread history outlives a restart (and
        such an area has no Relearn), and a reload keeps the others. And refused
        calls: a device still refusing says so at its next call.
        """
        kinds = (ISSUE_HISTORY_FAILED, ISSUE_ZONE_WITHOUT_SENSORS)
        of_zones = {f"{kind}_{zone_id}" for kind in kinds for zone_id in self.zones}
        stale = self._issues_of(ISSUE_CALL_REFUSED) + [
            issue_id for issue_id in self._issues_of(*kinds) if issue_id not in of_zones
        ]
        for issue_id in stale:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def _issues_of(self, *kinds: str) -> list[str]:
        """Return the ids of our repair issues of ``kinds`` (one per device or area)."""
        prefixes = tuple(f"{kind}_" for kind in kinds)
        return [
            issue_id
            for domain, issue_id in ir.async_get(self.hass).issues
            if domain == DOMAIN and issue_id.startswith(prefixes)
        ]

    def is_active_device(self, device: dr.DeviceEntry) -> bool:
        """Whether ``device`` is the building or the device of an active zone."""
        return bool(device.identifiers & self._active_identifiers())

    def _active_identifiers(self) -> set[tuple[str, str]]:
        """Return the identifiers of the building's device and the active zones'."""
        return {(DOMAIN, self.entry.entry_id)} | {
            zone_device_identifier(self.entry.entry_id, zone_id)
            for zone_id in self.zones
        }

    @callback
    def _update_zone_issues(self) -> None:
        self._update_outdoor_issue()
        issues = ir.async_get(self.hass)
        for zone in self.zones.values():
            self._zone_issue(
                ISSUE_ZONE_WITHOUT_SENSORS, zone, raised=not zone.learnable
            )
            # Kept across restarts: it names the area as it is called now.
            issue = issues.async_get_issue(
                DOMAIN, f"{ISSUE_HISTORY_FAILED}_{zone.zone_id}"
            )
            if issue is not None and issue.translation_placeholders != {
                "zone": zone.name
            }:
                self._zone_issue(ISSUE_HISTORY_FAILED, zone, raised=True)

    @callback
    def _update_outdoor_issue(self) -> None:
        """Say that heating cannot be timed where thermostats have no outdoor source.

        Without one, no time to temperature is told and no area is warmed for an
        arrival: the options' "leave empty if there is none" must not hide that.
        """
        thermostats = any(
            zone.actuators(Actuator.CLIMATE) for zone in self.zones.values()
        )
        source = self.settings.outdoor_source
        self._issue(
            ISSUE_NO_OUTDOOR_SOURCE,
            ISSUE_NO_OUTDOOR_SOURCE,
            raised=source is None and thermostats,
        )
        # Deleted (its integration removed, say) or disabled, it leaves the same
        # silence: a disabled entity keeps its registry entry, but no state.
        entry = er.async_get(self.hass).async_get(source) if source else None
        gone = (
            source is not None
            and self.hass.is_running  # while it starts, entities are still coming
            and self.hass.states.get(source) is None
            and (entry is None or entry.disabled_by is not None)
        )
        self._issue(
            ISSUE_OUTDOOR_SOURCE_GONE,
            ISSUE_OUTDOOR_SOURCE_GONE,
            raised=gone and thermostats,
            placeholders={"entity": str(source)},
        )

    @callback
    def _check_outdoor_source(self, _hass: HomeAssistant) -> None:
        self._update_outdoor_issue()

    @callback
    def _zone_issue(self, kind: str, zone: Zone, *, raised: bool) -> None:
        """Raise (or clear) the repair issue ``kind`` about ``zone``."""
        issue_id = f"{kind}_{zone.zone_id}"
        self._issue(issue_id, kind, raised=raised, placeholders={"zone": zone.name})

    @callback
    def _issue(
        self,
        issue_id: str,
        kind: str,
        *,
        raised: bool,
        placeholders: dict[str, str] | None = None,
    ) -> None:
        """Raise (or clear) the repair issue ``issue_id`` of ``kind``."""
        if not raised:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            # A history left unread is not read again at the next start: its
            # issue must outlive a restart. The others are raised again.
            is_persistent=kind == ISSUE_HISTORY_FAILED,
            severity=ir.IssueSeverity.WARNING,
            translation_key=kind,
            translation_placeholders=placeholders,
        )

    @callback
    def async_remove_issues(self) -> None:
        """Remove the issues this entry raises again when it next starts.

        A history that could not be read is not read again on its own: that
        issue stays until a Relearn, or until the integration is removed.
        """
        for issue_id in [
            ISSUE_NO_OUTDOOR_SOURCE,
            ISSUE_OUTDOOR_SOURCE_GONE,
            *self._issues_of(ISSUE_ZONE_WITHOUT_SENSORS, ISSUE_CALL_REFUSED),
        ]:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    # -- live learning ---------------------------------------------------------------

    @callback
    def _async_state_changed(self, event: Event[EventStateChangedData]) -> None:
        state = event.data["new_state"]
        if state is None:
            # The entity was removed or disabled; its registry entry goes before or
            # after. Its last reading must not outlive it, as when it is unavailable:
            # an outdoor source stays routed, and would time the heating for good.
            # (A person or tracker removed is not: whoever it tracked is dropped
            # from the whereabouts as the areas are read again.)
            entity_id = event.data["entity_id"]
            if entity_id == self.settings.outdoor_source:
                self._update_outdoor_issue()
            if self._router.reads(entity_id):
                self._learn_change(
                    self._router.route(State(entity_id, STATE_UNAVAILABLE)),
                    dt_util.now(),
                )
            return
        if state.domain == "binary_sensor":
            self.control.async_sensor_change(event)
        # A change a person made carries their user id; on a thermostat or light,
        # any change we did not cause is a person's (a knob, a wall switch), and
        # one an automation caused nobody's (None).
        manual = (
            self.control.async_person_change(event)
            if state.domain in CONTROLLED_DOMAINS
            else state.context.user_id is not None
        )
        self._learn_change(
            self._router.route(state, manual, event.data["old_state"]),
            # Predict for the moment of the change, as the tick does for its minute.
            dt_util.as_local(state.last_updated),
        )

    @callback
    def async_learn_person_change(self, state: State, previous: State | None) -> None:
        """Learn a thermostat's change found a person's only now (by the controller).

        Only its setpoint is taught again, now as theirs and as of when they set
        it: the rest of that state (the room's temperature, its heating) was
        learned as it came.
        """
        self._learn_change(
            [
                (zone_id, observation)
                for zone_id, observation in self._router.route(state, True, previous)
                if observation.role is Role.HVAC_SETPOINT
            ],
            dt_util.now(),
        )

    @callback
    def _learn_change(
        self, observations: Iterable[tuple[str, Observation]], when: datetime
    ) -> None:
        """Learn what a change of state tells its zones, and predict for ``when``."""
        touched: dict[str, bool] = {}  # zone id: whether it needs a full prediction
        react: set[str] = set()  # zones whose controller should decide at once
        for zone_id, observation in observations:
            if observation.role in REACT_TO or observation.manual:
                react.add(zone_id)
            if not self._learn_live(zone_id, observation):
                continue
            touched[zone_id] = touched.get(zone_id, False) or (
                observation.manual or observation.role is Role.WINDOW
            )
        if not touched:
            return
        full = [zone_id for zone_id, whole in touched.items() if whole]
        changed = self._publish(full, when, notify_building=False)
        occupancy = [z for z, whole in touched.items() if not whole]
        # Most changes move nothing the building's entities show: they are left be.
        if self._publish_occupancy(occupancy, when) or changed:
            self._notify_building()
        # Lights must answer someone walking in at once, not at the next minute.
        if reacting := [zone_id for zone_id in touched if zone_id in react]:
            # And the thermostat that heats them from another room: someone coming
            # into the living room is in its heat.
            self.control.async_step(
                [
                    *reacting,
                    *(
                        server
                        for server, served in self.discovery.serves
                        if server not in reacting and set(served) & set(reacting)
                    ),
                ]
            )
        # Keep a save pending: the store writes it when Home Assistant stops.
        self._schedule_save()

    @callback
    def _async_state_reported(self, event: Event[EventStateReportedData]) -> None:
        """Keep hearing a sensor that reads the same again: no change event comes."""
        state = event.data["new_state"]
        if state.entity_id in self._router.whereabouts:
            return  # a person's whereabouts are no room's reading
        when = dt_util.as_local(state.last_reported)
        for zone_id, observation in self._router.route(state):
            zone = self.brain.zones.get(zone_id)
            if zone is not None and zone_id not in self.learning:
                zone.heard(observation.role, observation.source, when)

    @callback
    def _publish_occupancy(self, zone_ids: list[str], when: datetime) -> bool:
        """Refresh only P(occupied) of ``zone_ids``: cheap enough for every change.

        Forecasts, times and comfort move slowly; the minute tick refreshes them.
        The light wanted (the room may have just gone dark) and the exit the door
        rule waits for are refreshed too. A window or a person's own setpoint
        gets a full prediction at once instead. The caller tells the building's
        entities, once for all zones, if this returns True: what they show changed.
        """
        changed = False
        for zone_id in zone_ids:
            previous = self.predictions.get(zone_id)
            if previous is None:
                changed |= self._publish([zone_id], when, notify_building=False)
                continue
            with self.zone_fault(zone_id, "predicting"):
                zone = self.brain.zone(zone_id)
                features = zone.occupancy.features(wall_clock(when))
                probability = zone.occupancy.predict_proba_one(features)[True]
                changed |= self._set_prediction(
                    zone_id,
                    replace(
                        zone.with_light(previous, when, self._sun_elevation(when)),
                        occupancy_probability=probability,
                        occupied=probability >= 0.5,
                    ),
                )
                for listener in self._occupancy_listeners.get(zone_id, ()):
                    listener()
        return changed

    @callback
    def _async_tick(self, now: datetime) -> None:
        """Start the minute's step of every zone."""
        if self._ticking:
            return  # the last minute's step is still at work (a very large building)
        self._ticking = True
        self.entry.async_create_task(
            self.hass, self._async_step(dt_util.as_local(now)), "AIoT Brain tick"
        )

    async def _async_step(self, now: datetime) -> None:
        try:
            await self._async_predict(
                list(self.zones),
                now,
                first=lambda zone_id: self.brain.zone(zone_id).tick(now),
            )
            await self.async_decide(list(self.zones), now)
        finally:
            self._ticking = False
            self._schedule_save()

    async def _async_predict(
        self,
        zone_ids: list[str],
        now: datetime,
        *,
        first: Callable[[str], object] | None = None,
    ) -> None:
        """Predict ``zone_ids``, one zone per loop turn, each after ``first`` if given.

        A zone's minute takes about half a millisecond; a building of a thousand
        areas would hold the event loop for half a second without taking turns.
        ``first`` is what the zone learns just before: its minute's tick, or the
        states as they stand.
        """
        for zone_id in zone_ids:
            if self._stopped:
                return
            if zone_id not in self.zones or zone_id in self.learning:
                continue
            if first is not None:
                with self.zone_fault(zone_id, "learning"):
                    first(zone_id)
            self._publish([zone_id], now, notify_building=False)
            await asyncio.sleep(0)
        self._notify_building()

    @callback
    def _publish(
        self,
        zone_ids: Iterable[str],
        now: datetime | None = None,
        *,
        notify_building: bool = True,
    ) -> bool:
        """Predict ``zone_ids`` now and tell their entities and the building's.

        A zone that cannot be predicted drops its last prediction: its entities
        go unavailable rather than show it for ever. True: what the building's
        entities show changed.
        """
        now = now or dt_util.now()
        scale = temperature_scale(self.hass.config.units.temperature_unit)
        changed = False
        for zone_id in zone_ids:
            if zone_id in self.learning:
                continue
            prediction = self._predict_zone(zone_id, now, scale)
            if prediction is None and zone_id not in self.predictions:
                continue
            with self.zone_fault(zone_id, "publishing"):
                changed |= self._set_prediction(zone_id, prediction)
                for listener in self._zone_listeners.get(zone_id, ()):
                    listener()
        if notify_building:
            self._notify_building()
        return changed

    def _predict_zone(
        self, zone_id: str, now: datetime, scale: TemperatureScale
    ) -> ZonePrediction | None:
        """Return the zone's prediction now; None when its models fail."""
        prediction: ZonePrediction | None = None  # stays None if the models fail
        with self.zone_fault(zone_id, "predicting"):
            zone = self.zones.get(zone_id)
            can_heat, can_cool = (
                (True, True) if zone is None else self.control.hvac_reach(zone)
            )
            prediction = self.brain.zone(zone_id).predict_one(
                now,
                can_heat=can_heat,
                can_cool=can_cool,
                scale=scale,
                comfort_offset=self.zone_controls(zone_id).comfort_offset,
                sun_elevation=self._sun_elevation(now),
                waking=self.control.waking_at(zone_id, now),
            )
        return prediction  # noqa: RET504 - the guard swallows a fault

    def _sun_elevation(self, when: datetime) -> float | None:
        """Return the sun's elevation (°) at ``when`` over the home; None if unset.

        Worked out from Home Assistant's location rather than read from sun.sun:
        it needs no sun integration, and it is the moment's, not minutes old.
        """
        config = self.hass.config
        if config.latitude == config.longitude == 0:  # the default: never set
            return None
        # Every zone predicts for the same minute: worked out once a tick, not
        # once a zone (the home may move meanwhile: its place is in the key).
        key = (when, config.latitude, config.longitude, config.elevation)
        if self._sun is None or self._sun[0] != key:
            observer = get_astral_observer(self.hass)
            elevation = float(astral.sun.elevation(observer, dt_util.as_utc(when)))
            self._sun = (key, elevation)
        return self._sun[1]

    @contextmanager
    def zone_fault(self, zone_id: str, doing: str) -> Iterator[None]:
        """Keep a fault in one zone from stopping every other zone of the building.

        The first fault of each kind in a zone is logged with its traceback, the
        rest only at debug level: the zone would repeat it every minute.
        """
        try:
            yield
        except Exception:  # noqa: BLE001 - any fault, the other zones go on
            if (zone_id, doing) in self._faults:
                LOGGER.debug("%s %s failed again", doing.capitalize(), zone_id)
            else:
                self._faults.add((zone_id, doing))
                LOGGER.exception(
                    "%s %s failed; the other zones go on", doing.capitalize(), zone_id
                )

    @callback
    def _notify_building(self) -> None:
        for listener in self._building_listeners:
            listener()

    # -- learning from history -------------------------------------------------------

    @callback
    def async_learn_history(self, zone_ids: list[str]) -> None:
        """Teach ``zone_ids`` from the recorder's history in the background.

        Without history to learn, they start from the states as they stand.
        """
        zone_ids = [z for z in zone_ids if z in self.zones and z not in self.learning]
        if not zone_ids:
            return
        if not self._history_to_learn:
            LOGGER.debug("No history to learn: %s learn from now on", zone_ids)
            # Nothing is left unread: an issue from an earlier failure is settled.
            for zone_id in zone_ids:
                self._relearning.pop(zone_id, None)
                self._zone_issue(
                    ISSUE_HISTORY_FAILED, self.zones[zone_id], raised=False
                )
            # A zone's first prediction takes milliseconds: a new building's
            # hundreds of areas start one a turn, not all in one.
            self.entry.async_create_task(
                self.hass,
                self._async_predict(
                    zone_ids,
                    dt_util.now(),
                    first=lambda zone_id: self._learn_standing_states([zone_id]),
                ),
                "AIoT Brain predictions",
            )
            return
        self.learning.update(zone_ids)
        for zone_id in zone_ids:  # their Control sensors say so
            self.control.async_status_changed(zone_id)
        # History ends where the buffer begins, even for zones that wait for
        # another replay: what changes meanwhile is learned once, from the buffer.
        end = dt_util.utcnow()
        self.entry.async_create_background_task(
            self.hass, self._async_learn_history(zone_ids, end), "AIoT Brain history"
        )

    def _begin_replay(self, zones: list[Zone]) -> tuple[Router, list[str]]:
        """Return the router of ``zones``' history and the entities to read it of.

        The recorder keeps no thermostat's range: one that keeps no room is told
        from its state now, and its history is not read. A sensor renamed while
        the zones waited for this replay, or while it reads, is read under its new
        id too (see ``_follow_in_replay``).
        """
        router = self._router_of(zones)
        entity_ids = [
            entity_id
            for entity_id in router.entity_ids
            if (now := self.hass.states.get(entity_id)) is None
            or not router.keeps_no_room(now)
        ]
        self._replay = (router, entity_ids)
        for zone in zones:
            for old, new in self._renamed_while_learning.get(zone.zone_id, []):
                self._follow_in_replay(old, new)
        return router, entity_ids

    async def _async_learn_history(self, zone_ids: list[str], end: datetime) -> None:
        async with self._replay_lock:
            start = end - timedelta(days=self.settings.history_days)
            zones = [self.zones[z] for z in zone_ids if z in self.zones]
            router, entity_ids = self._begin_replay(zones)
            clocks = {z.zone_id: ReplayClock(self.brain.zone(z.zone_id)) for z in zones}
            # When people were last seen before the start, for the controller.
            motion = RecordedMotion(
                entity.entity_id
                for z in zones
                for entity in z.entities_with(Role.MOTION)
            )

            # A zone whose model fails reads no further; the others read on.
            faulted: set[str] = set()

            def fault(zone_id: str) -> None:
                faulted.add(zone_id)
                LOGGER.exception(
                    "Learning the history of %s failed; it goes on from now", zone_id
                )

            recorded: set[str] = set()  # the entities the recorder showed

            def learn(states: list[State]) -> None:
                motion.learn(states)
                for state in states:
                    recorded.add(state.entity_id)
                    teach(router.route(state))

            def teach(routed: list[tuple[str, Observation]]) -> None:
                for zone_id, observation in routed:
                    if zone_id not in faulted:
                        try:
                            clocks[zone_id].learn(observation)
                        except Exception:  # noqa: BLE001 - that zone's alone
                            fault(zone_id)

            # What the recorder did not show (kept out of it, or unchanged since
            # before what it keeps) is read as it stands, as a start without
            # history would; what changed since comes live.
            def standing() -> list[tuple[str, Observation]]:
                return router.route_standing(
                    state
                    for entity_id in router.entity_ids
                    if entity_id not in recorded
                    and (state := self.hass.states.get(entity_id)) is not None
                    and state.last_updated < end
                )

            def finish() -> None:
                for zone_id, clock in clocks.items():
                    if zone_id not in faulted:
                        try:
                            clock.advance(end)
                        except Exception:  # noqa: BLE001 - that zone's alone
                            fault(zone_id)

            self.brain.follow_motion(clocks, apart=True)
            self._set_progress(0.0)
            try:
                gaps = await async_recorder_gaps(self.hass, start, end)
                for clock in clocks.values():
                    clock.gaps = list(gaps)
                replayed = await async_replay_history(
                    self.hass,
                    entity_ids,
                    start,
                    end,
                    learn,
                    progress=self._set_progress,
                )
                await self.hass.async_add_executor_job(teach, standing())
                await self.hass.async_add_executor_job(finish)
            except Exception:  # noqa: BLE001 - the zones must not wait for ever
                # What was learned up to the fault stays; the rest comes live.
                LOGGER.exception(
                    "Learning the history of %s failed; they go on from now", zone_ids
                )
                self._set_progress(1.0)
                failed = set(zone_ids)
            else:
                LOGGER.debug("Learned %s states of history for %s", replayed, zone_ids)
                failed = faulted
                # Read to its end only: someone seen after a fault would be missed.
                self.control.async_recorded(
                    [zone_id for zone_id in zone_ids if zone_id not in failed], motion
                )
            self.brain.follow_motion(clocks)
            # Until a Relearn reads it in full, across restarts, or the zone goes
            # (also meanwhile: it would have no Relearn to settle it).
            for zone in zones:
                if zone.zone_id in self.zones:
                    self._zone_issue(
                        ISSUE_HISTORY_FAILED, zone, raised=zone.zone_id in failed
                    )
            self._finish_learning(zone_ids)
            await self._async_predict(zone_ids, dt_util.now())

    @callback
    def _finish_learning(self, zone_ids: list[str]) -> None:
        """Apply what arrived live meanwhile, then predict and save.

        A sensor that left a zone while it read its history was in the history
        and the buffer: the zone forgets it now, as it would have then. One
        renamed meanwhile keeps what it taught under its new id.
        """
        self._replay = None  # read: a rename is the zones' alone from now on
        self.learning.difference_update(zone_ids)
        renamed: dict[str, set[str]] = {}
        for zone_id in zone_ids:
            self._relearning.pop(zone_id, None)
            # Before the buffer, learned under the new ids.
            for old, new in self._renamed_while_learning.pop(zone_id, []):
                if zone := self.brain.zones.get(zone_id):
                    zone.rename_source(old, new)
                    renamed.setdefault(zone_id, set()).add(new)
            self.control.async_status_changed(zone_id)  # it is learning no more
        waiting = []
        for zone_id, observation in self._buffer:
            if zone_id in self.learning:
                waiting.append((zone_id, observation))
            elif zone_id in self.zones:
                self._teach(zone_id, observation)
        self._buffer = waiting
        # The new ids may not be among the sources yet: the rediscovery is to come.
        self._forget_departed_sensors(zone_ids, renamed)
        self._schedule_save()

    @callback
    def _set_progress(self, fraction: float) -> None:
        self.learning_progress = fraction
        self._notify_building()

    @callback
    def async_relearn(self, zone_id: str) -> None:
        """Forget what the zone learned from sensors and learn it again from history.

        What people taught it by hand is kept: history cannot teach it again.
        """
        if zone_id not in self.zones or zone_id in self.learning:
            return
        zone = self.brain.restart_zone(zone_id)
        # While it reads, its entities keep what it last said: the fresh model
        # knows nothing yet, not even the motion that is on now.
        self.async_learn_history([zone_id])
        if zone_id in self.learning:
            self._relearning[zone_id] = _copied(zone)
        # Asked for, like a reset: a power cut soon after must not undo it.
        self._schedule_save(CONTROL_SAVE_DELAY)

    @callback
    def _learn_standing_states(self, zone_ids: list[str]) -> None:
        """Start ``zone_ids`` from the states as they stand, as history would.

        A zone that learns from now on would otherwise not know a temperature, an
        open window or the weather until they next change, which can take hours.
        """
        # Their own router: only their entities are read, and the live router's
        # record of where each tracked person is stays as it is.
        router = self._router_of(self.zones[z] for z in zone_ids if z in self.zones)
        for zone_id, observation in self._route_standing(router, router.entity_ids):
            self.brain.zone(zone_id).learn_one(observation)

    def _route_standing(
        self, router: Router, entity_ids: Iterable[str]
    ) -> list[tuple[str, Observation]]:
        """Route the states of ``entity_ids`` as they stand now."""
        return router.route_standing(
            state
            for entity_id in entity_ids
            if (state := self.hass.states.get(entity_id)) is not None
        )

    @callback
    def async_reset(self, zone_id: str) -> None:
        """Forget what the zone learned; it starts afresh from now on."""
        if zone_id not in self.zones or zone_id in self.learning:
            return
        self.brain.remove_zone(zone_id)
        self.brain.zone(zone_id)
        self.control.async_forget_nights(zone_id)
        # Nothing half-read is kept: an unread history's issue is settled.
        self._zone_issue(ISSUE_HISTORY_FAILED, self.zones[zone_id], raised=False)
        self._learn_standing_states([zone_id])
        self._publish([zone_id])
        self._schedule_save(CONTROL_SAVE_DELAY)

    def async_forget_comfort(self, zone_id: str) -> None:
        """Forget the setpoints people taught the zone, and show its default now."""
        if zone_id not in self.zones or zone_id in self.learning:
            return
        self.brain.forget_comfort(zone_id)
        self.control.async_forget_sleep_temperature(zone_id)
        self._publish([zone_id])
        self._schedule_save(CONTROL_SAVE_DELAY)

    # -- controls --------------------------------------------------------------------

    def zone_controls(self, zone_id: str) -> ZoneControls:
        """Return the controls of a zone."""
        return self.controls.setdefault(zone_id, ZoneControls())

    async def async_set_controls(
        self, zone_ids: list[str] | None, **changes: Any
    ) -> None:
        """Change zones' controls (None: the building's mode) and keep them."""
        if zone_ids is None:
            self.set_building_mode(Mode(changes["mode"]))
        else:
            self.set_zone_controls(zone_ids, **changes)
        await self.async_controls_changed(zone_ids)

    @callback
    def set_building_mode(self, mode: Mode) -> None:
        """Change the building's mode; it acts at ``async_controls_changed``."""
        self.building_mode = mode
        self._notify_building()

    @callback
    def set_zone_controls(self, zone_ids: list[str], **changes: Any) -> None:
        """Change zones' controls; they act at ``async_controls_changed``."""
        for zone_id in zone_ids:
            controls = self.zone_controls(zone_id)
            self.controls[zone_id] = replace(controls, **changes)
            for listener in self._zone_listeners.get(zone_id, ()):
                listener()
        if "comfort_offset" in changes:
            # The time to temperature is timed to the comfort with its offset.
            self._publish(zone_ids, notify_building=False)

    async def async_controls_changed(self, zone_ids: list[str] | None) -> None:
        """Keep the changed controls, and act on them (None: the building's)."""
        self._schedule_save(CONTROL_SAVE_DELAY)
        # A new mode or level applies now, not at the next minute.
        await self.async_decide(list(self.zones) if zone_ids is None else zone_ids)

    async def async_decide(
        self, zone_ids: list[str], now: datetime | None = None
    ) -> None:
        """Let ``zone_ids`` decide now, each in its own turn of the event loop.

        A building of a thousand areas would hold the loop for a tenth of a
        second deciding for all of them in one turn.
        """
        for zone_id in zone_ids:
            if self._stopped:
                return
            self.control.async_step([zone_id], now)
            await asyncio.sleep(0)

    # -- listeners -------------------------------------------------------------------

    @callback
    def async_add_zone_listener(
        self, zone_id: str, listener: CALLBACK_TYPE, *, occupancy: bool = False
    ) -> CALLBACK_TYPE:
        """Call ``listener`` whenever the zone's prediction or controls change.

        With ``occupancy``, also whenever a sensor's change moves P(occupied).
        """
        listeners = self._zone_listeners.setdefault(zone_id, [])
        listeners.append(listener)
        if occupancy:
            self._occupancy_listeners.setdefault(zone_id, []).append(listener)

        @callback
        def remove() -> None:
            for kept in (listeners, self._occupancy_listeners.get(zone_id, [])):
                if listener in kept:
                    kept.remove(listener)

        return remove

    @callback
    def async_add_building_listener(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``listener`` whenever anything building-wide may have changed."""
        self._building_listeners.append(listener)
        return lambda: self._building_listeners.remove(listener)

    @callback
    @callback
    def async_add_zone_entities(
        self,
        async_add_entities: Callable[[Iterable[Entity]], None],
        entities_of: Callable[[Zone], Iterable[Entity]],
    ) -> None:
        """Add a platform's entities of every zone, now and as zones appear.

        Home Assistant adds the entities of one call in a single turn of the
        event loop (200 areas' take about 40 ms a platform), so each zone's come
        in a turn of their own.
        """

        async def add_in_turns(zones: list[Zone]) -> None:
            for zone in zones:
                if self.entry.state not in _ADDING_STATES:
                    return  # unloading: the platforms may be gone already
                if zone.zone_id in self.zones:  # not removed meanwhile
                    async_add_entities(entities_of(zone))
                await asyncio.sleep(0)

        @callback
        def add(zones: list[Zone]) -> None:
            # The task starts at once: the first zone's entities come in this turn.
            self.entry.async_create_task(
                self.hass, add_in_turns(zones), "AIoT Brain entities"
            )

        add(list(self.zones.values()))
        self._zone_adders.append(add)
        self.entry.async_on_unload(lambda: self._zone_adders.remove(add))

    @property
    def buffered_observations(self) -> int:
        """Live observations waiting for a replay of history to end."""
        return len(self._buffer)

    @property
    def occupied_zones(self) -> int:
        """How many zones are occupied now."""
        return len(self._occupied)

    @property
    def anomalies(self) -> dict[str, str]:
        """What is unusual now, by the name of each zone where something is."""
        found = {
            self.zones[zone_id].name: reason
            for zone_id in self._anomalous
            if zone_id in self.zones
            and (reason := self.predictions[zone_id].anomaly_reason) is not None
        }
        return dict(sorted(found.items()))

    @property
    def trip_since(self) -> datetime | None:
        """Since when everyone is away on a trip (None: not on one).

        Every zone hears the same phones, but one where someone was seen meanwhile
        (a child without a phone) is on no trip, and one added later has seen
        fewer absences and tells a trip later: the building is on one once all are.
        """
        if len(self._on_trip) < len(self.predictions):
            return None
        found = [
            since
            for zone_id in self._on_trip
            if (since := self.predictions[zone_id].trip_since) is not None
        ]
        return min(found, default=None)

    def _set_prediction(self, zone_id: str, prediction: ZonePrediction | None) -> bool:
        """Keep (None: drop) a zone's prediction; note if it is occupied or anomalous.

        The building's count follows every sensor change in any zone; adding up
        every zone each time would cost a large building dearly. True: what the
        building's entities show of the zone changed.
        """
        changed = _building_figures(prediction) != _building_figures(
            self.predictions.get(zone_id)
        )
        if prediction is None:
            self.predictions.pop(zone_id, None)
        else:
            self.predictions[zone_id] = prediction
        if prediction is not None and prediction.occupied:
            self._occupied.add(zone_id)
        else:
            self._occupied.discard(zone_id)
        if prediction is not None and prediction.anomalies:
            self._anomalous.add(zone_id)
        else:
            self._anomalous.discard(zone_id)
        if prediction is not None and prediction.trip_since is not None:
            self._on_trip.add(zone_id)
        else:
            self._on_trip.discard(zone_id)
        return changed


@dataclass
class AiotBrainData:
    """What a loaded config entry holds while it runs."""

    river_version: str
    network: NetworkInventory | None  # None when the user switched it off
    building_device_id: str  # zone devices hang under it
    coordinator: AiotBrainCoordinator

    @property
    def settings(self) -> Settings:
        """The user's choices (new areas join the zones at run time)."""
        return self.coordinator.settings

    @property
    def discovery(self) -> Discovery:
        """What the registries hold now."""
        return self.coordinator.discovery

    @property
    def zones(self) -> tuple[Zone, ...]:
        """The zones the user chose to learn, as discovered now."""
        return tuple(self.coordinator.zones.values())


type AiotBrainConfigEntry = ConfigEntry[AiotBrainData]
