"""Acting on the building: each zone's decisions carried out through service calls.

The pure decision engine (:mod:`.brain.control`) decides; this module feeds it what
Home Assistant shows (thermostats, lights, motion, windows, the zone's prediction,
its mode and the control level) and carries out what it decides:

* ``automate`` calls ``climate.*`` and ``light.*`` services in a context of ours;
* ``suggest`` proposes the call in a persistent notification and an event, and
  :meth:`BuildingController.async_accept` carries it out when asked;
* ``observe`` only reports what would have been done, in the log and an event.

A change to a controlled entity in a context that is not ours is a person's (or
another automation's): the entity is held, the change is learned as a label, and
an event says so; a thermostat going back by itself to what it showed before our
call is judged when the echo window is over (a cloud's stale report, or a hand).
A bulb powered again at its wall switch is someone there too, at a level nobody
chose: it is not held, and gets the level we would have switched it on at.
Every decision keeps its one-line reason for the zone's control sensor, the
logbook and ``aiot_brain.explain``.

Each thermostat and each light gets its own engine, so a zone with several lights
rate-limits and holds each of them on its own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from functools import partial
import math
import time
from typing import TYPE_CHECKING, Any

from homeassistant.components import persistent_notification
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ATTR_HVAC_MODES,
    ATTR_MAX_TEMP,
    ATTR_MIN_TEMP,
    ATTR_PRESET_MODE,
    ATTR_PRESET_MODES,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    ATTR_TARGET_TEMP_STEP,
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
    ClimateEntityFeature,
)
from homeassistant.components.light.const import (
    ATTR_BRIGHTNESS,
    ATTR_BRIGHTNESS_PCT,
    ATTR_COLOR_TEMP_KELVIN,
    ATTR_MAX_COLOR_TEMP_KELVIN,
    ATTR_MIN_COLOR_TEMP_KELVIN,
    ATTR_SUPPORTED_COLOR_MODES,
    ATTR_TRANSITION,
    ATTR_XY_COLOR,
    LightEntityFeature,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_RESTORED,
    ATTR_SUPPORTED_FEATURES,
    ATTR_TEMPERATURE,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfTemperature,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    EventStateChangedData,
    State,
    callback,
)
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import color as color_util, dt as dt_util

from .brain.control import (
    ClimateDevice,
    ClimateState,
    Command,
    ControlSettings,
    Decision,
    LightDevice,
    LightState,
    ZoneController,
    ZoneReadings,
    same_proposal,
    showering,
)
from .brain.observation import Role, as_number
from .brain.timefeatures import wall_clock
from .brain.units import TemperatureScale
from .brain.zone import EarlyArrival, ZonePrediction
from .const import (
    DOMAIN,
    EVENT_ACTION,
    EVENT_DECISION,
    EVENT_HOLD,
    EVENT_SUGGESTION,
    ISSUE_CALL_REFUSED,
    LOGGER,
    TICK_INTERVAL,
    ControlLevel,
    ControlStatus,
    Mode,
)
from .discovery import Actuator, Zone, ZoneEntity
from .settings import Settings
from .state_mapping import (
    aware,
    aware_iso,
    from_celsius,
    observations_from_state,
    screen_on,
    teaches_no_comfort,
    temperature_scale,
    to_celsius,
)

if TYPE_CHECKING:
    from .coordinator import AiotBrainCoordinator

# Our calls' contexts are recognised in the state changes they cause for this long.
OUR_CONTEXT_MEMORY = 600.0  # seconds
# Home Assistant's events as an automation's or a script's run starts, in the
# context its actions' calls carry.
EVENT_AUTOMATION_TRIGGERED = "automation_triggered"
EVENT_SCRIPT_STARTED = "script_started"
# Those runs are recognised in the changes they cause for this long (a run waiting
# longer between its steps no more), and only the latest so many: a building's
# automations may run every few seconds.
RUN_CONTEXT_MEMORY = 3600.0  # seconds
RUN_CONTEXTS_KEPT = 2000
# A device that reports our change back in its own context (many Zigbee and cloud
# integrations do) is recognised by the values we asked for, this long after the call.
ECHO_WINDOW = timedelta(minutes=2)
# A light back from unavailable as it was, this soon, dropped off the network (or
# its integration reloaded): nobody cut its power at the wall and gave it back.
DROPOUT_AT_MOST = timedelta(minutes=5)
# A bulb coming up may report in steps, each in a context of its own (on with no
# level, then its level a second later): the later steps this soon after it.
POWER_ON_REPORTS_WITHIN = timedelta(seconds=5)
# A lamp fading as our call asked may report its way there in contexts of its own
# (on at 10 %, at 45 %, then the 80 % asked), the last steps this long after the fade.
_FADE_REPORTED_WITHIN = timedelta(seconds=10)
# A thermostat back from unavailable may report a setting at a time (its mode,
# then its setpoint): until it shows again each it showed before, for up to this
# long, it is not acted on. A call meanwhile would set it from a setpoint not
# known, over one someone may have set at its dial.
_SETTLING = timedelta(minutes=2)
# A colour temperature shown is the one asked for within this; a colour a lamp
# shows is a white when it lies this close to the line of whites (CIE xy).
_KELVIN_TOLERANCE = 100
_BRIGHTNESS_TOLERANCE = 2  # %: what a lamp's 0-255 steps and rounding move
# K: what a thermostat rounding to its own grid moves a setpoint (one of whole
# degrees that shows no step is sent half ones, as Home Assistant's own card does).
_SETPOINT_TOLERANCE = 0.5
_OFF_WHITE = 0.02
# What a person changes on a thermostat or a light; other attributes (the room
# temperature, the HVAC action) change by themselves.
_CLIMATE_SETTINGS = (
    ATTR_TEMPERATURE,
    ATTR_TARGET_TEMP_LOW,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_PRESET_MODE,
)
_LIGHT_SETTINGS = (ATTR_BRIGHTNESS, ATTR_COLOR_TEMP_KELVIN)
# The call's key for each of what _settings() returns, in the same order.
_CLIMATE_KEYS = ("hvac_mode", *_CLIMATE_SETTINGS)
_LIGHT_KEYS = ("state", ATTR_BRIGHTNESS_PCT, ATTR_COLOR_TEMP_KELVIN)
_NO_STATE = frozenset({STATE_UNAVAILABLE, STATE_UNKNOWN})
_TEMPERATURE_KEYS = (ATTR_TEMPERATURE, ATTR_TARGET_TEMP_LOW, ATTR_TARGET_TEMP_HIGH)
# Adaptive Lighting's switches list the lights whose colour they manage.
_ADAPTIVE_LIGHTING_LIGHTS = "configured_lights"
# A thermostat that drives others (Versatile Thermostat over climates) lists them.
_UNDERLYING_ENTITIES = "underlying_entities"


def control_settings(
    settings: Settings, scale: TemperatureScale, time_zone: tzinfo
) -> ControlSettings:
    """Return the engine's settings for the user's bounds, timings and night.

    The lowest allowed setpoint is also the frost protection (below it the zone is
    heated whatever else holds), the highest the heat protection. Reasons write
    temperatures on ``scale``; the rate limits count real time in ``time_zone``.
    """
    return ControlSettings(
        frost_protection=settings.min_temperature,
        heat_protection=settings.max_temperature,
        min_temperature=settings.min_temperature,
        max_temperature=settings.max_temperature,
        hold_duration=timedelta(minutes=settings.hold_minutes),
        setback_after=timedelta(minutes=settings.setback_minutes),
        sleep_temperature=settings.sleep_temperature,
        night_start=settings.night_start,
        night_end=settings.night_end,
        scale=scale,
        time_zone=time_zone,
    )


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A call proposed to a person, waiting for ``accept_suggestion``."""

    zone_id: str
    command: Command
    proposed: datetime
    zone_name: str  # as its notification says it


@dataclass(slots=True)
class _Sent:
    """The last call made to an entity, to recognise the device echoing it."""

    command: Command
    when: datetime  # UTC: the wall clock may repeat or skip the minutes after it
    # What the device showed before it (its _settings), where it showed anything.
    # Not saved: after a restart, a report of those is taken at once, as it comes.
    before: tuple[Any, ...] | None = None


@dataclass(slots=True)
class _Unsure:
    """A thermostat gone back to what it showed before our call, by itself.

    A cloud thermostat polled shows our call, and may then report its old
    settings on a poll its cloud answered before it took the call (and our call
    again on the next); a hand turning it back looks the same. It is judged when
    the echo window is over. Not saved: one a restart loses is never a hold.
    """

    old: State
    new: State
    # Turned down while a window of its zone was open: for the airing, if a hand's.
    airing: bool
    cancel: CALLBACK_TYPE


class _RecentContexts:
    """Context ids seen lately: each for ``memory`` seconds, at most ``most`` of them.

    Oldest first, so only the old ones are looked at as they go, not every one of
    the last minutes in a large building.
    """

    def __init__(self, memory: float, most: int | None = None) -> None:
        self._memory = memory
        self._most = most
        self._seen: OrderedDict[str, float] = OrderedDict()

    def add(self, context_id: str) -> None:
        """Remember ``context_id`` from now on."""
        self._forget_old()
        if self._most is not None:
            while len(self._seen) >= self._most:
                self._seen.popitem(last=False)
        self._seen[context_id] = time.monotonic()
        self._seen.move_to_end(context_id)

    def __contains__(self, context_id: object) -> bool:
        self._forget_old()
        return context_id in self._seen

    def _forget_old(self) -> None:
        oldest = time.monotonic() - self._memory
        while self._seen and next(iter(self._seen.values())) < oldest:
            self._seen.popitem(last=False)


class RecordedMotion:
    """What the recorder shows of motion sensors before a first start.

    Read by the rule of their live changes (``note_off``): when each last went
    off, and since when each has read off with nobody seen (from when the record
    begins, or since it came back: a restart, a sensor back from unavailable).
    Fed the recorded states oldest first, as they are read.
    """

    def __init__(self, entity_ids: Iterable[str]) -> None:
        """Follow ``entity_ids``; nothing is known of them yet."""
        self.entity_ids = frozenset(entity_ids)
        self.went_off: dict[str, datetime] = {}
        self.back_off: dict[str, datetime] = {}
        self._last: dict[str, State] = {}

    def learn(self, states: Iterable[State]) -> None:
        """Note what ``states``, recorded after those seen so far, show."""
        for new in states:
            if new.entity_id in self.entity_ids:
                old = self._last.get(new.entity_id)
                note_off(self.went_off, self.back_off, old, new)
                self._last[new.entity_id] = new


def note_off(
    went_off: dict[str, datetime],
    back_off: dict[str, datetime],
    old: State | None,
    new: State,
) -> None:
    """Note when a binary sensor went from on to off, or came to read off.

    Off otherwise (the first state known, back from unavailable) it has seen
    nobody since it last changed.
    """
    if old is not None and old.state == STATE_ON != new.state:
        went_off[new.entity_id] = new.last_changed
    elif new.state == STATE_OFF:
        back_off[new.entity_id] = new.last_changed


class BuildingController:
    """The controllers of every zone's thermostats and lights."""

    def __init__(self, coordinator: AiotBrainCoordinator) -> None:
        """Start with no engines; they appear as zones are controlled."""
        self.coordinator = coordinator
        self.hass = coordinator.hass
        # zone id: {entity id: engine}
        self.engines: dict[str, dict[str, ZoneController]] = {}
        self.suggestions: dict[str, Suggestion] = {}  # by entity id
        # By entity id, observe level: the call last reported, saved so that a
        # restart or an option changed does not report it again.
        self.observed: dict[str, Command] = {}
        # By entity id, suggest level: the call last told of in an event, kept (and
        # saved) while it is proposed, even while a reload has taken its
        # notification down.
        self.proposed: dict[str, Command] = {}
        self.last_action: dict[str, tuple[datetime, str]] = {}  # by zone id
        # When someone last changed a device by hand, by zone: they were there then,
        # whatever the motion sensor (whose change may come a moment later) says.
        self.last_touched: dict[str, datetime] = {}
        # When motion was last seen in each zone, latest first, read once a step:
        # every bedroom waiting for its people to get up asks at every step.
        self._motion_seen: list[tuple[datetime, str]] | None = None
        # The contexts of our calls, and of automations' and scripts' runs (see
        # async_run_started).
        self._our_contexts = _RecentContexts(OUR_CONTEXT_MEMORY)
        self._run_contexts = _RecentContexts(RUN_CONTEXT_MEMORY, RUN_CONTEXTS_KEPT)
        self._sent: dict[str, _Sent] = {}
        self._unsure: dict[str, _Unsure] = {}  # by entity id
        # Each zone's next decision before the minute's step, where a wait one
        # of its decisions rests on runs out sooner (Decision.decide_again_in).
        self._decide_again: dict[str, CALLBACK_TYPE] = {}
        # By entity id: what a thermostat showed before a person's change that
        # teaches nothing (a boost, a valve's window function, off), and when the
        # hold it began began. Back by itself to just that, the gesture is over.
        self._gestures: dict[str, tuple[tuple[Any, ...], datetime]] = {}
        # By entity id: what each thermostat we control showed when last heard
        # from. Back from a while unheard (a restart, its radio down) showing
        # something else, and not our last call, someone changed it meanwhile.
        self._heard: dict[str, tuple[Any, ...]] = {}
        # The thermostats back from unavailable that still show none of some
        # setting they showed before (see _SETTLING).
        self._settling: set[str] = set()
        # When Home Assistant's unit system last changed, and its unit before: a
        # thermostat's state written before then shows its settings in that unit.
        self._unit_changed: tuple[datetime, str] | None = None
        # Each unavailable light's last state before it went: back on, it tells
        # a bulb powered at its wall switch from one back from a dropout.
        self._before_cut: dict[str, State] = {}
        # When each light last came back from unavailable, and whether it was
        # powered at its wall switch then: its next reports are still it coming up.
        self._came_up: dict[str, tuple[datetime, bool]] = {}
        self._saved: dict[str, Any] = {}
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        # The last error of each device whose calls fail, logged as a warning once.
        self._refusals: dict[str, str] = {}
        # By zone id: each device called, with the group members it is called for.
        self._members: dict[str, dict[str, set[str]]] = {}
        # When each binary sensor was last seen to go from on to off (a motion
        # sensor's also before a first start, as recorded), and when one came back
        # reading off (unavailable before): it saw nobody since then.
        self._went_off: dict[str, datetime] = {}
        self._back_off: dict[str, datetime] = {}
        self._started = dt_util.utcnow()
        # At a first start, since when each motion sensor has read off with
        # nobody seen before it, as the recorder shows (see ``async_recorded``).
        self._watched_before: dict[str, datetime] = {}
        self._stopped = False  # unloaded: calls still on their way raise no issue
        # The zones it was made from, and each thermostat's and light's zone.
        self._zone_of_device: tuple[dict[str, Zone] | None, dict[str, Zone]] = (
            None,
            {},
        )
        # Controlled entities renamed in the registry, new id: old id, until the
        # zones list them by their new ids.
        self._renamed: dict[str, str] = {}

    # -- engines ---------------------------------------------------------------------

    @property
    def settings(self) -> ControlSettings:
        """The engines' settings, from the user's options."""
        return control_settings(
            self.coordinator.settings,
            temperature_scale(self.hass.config.units.temperature_unit),
            dt_util.get_default_time_zone(),
        )

    def zone_engines(
        self, zone: Zone, colour_managed: frozenset[str] | None = None
    ) -> dict[str, ZoneController]:
        """Return the engines of the zone's thermostats and lights, made on demand.

        ``colour_managed`` are the lights Adaptive Lighting colours, when the caller
        has them at hand (found here otherwise).
        """
        engines = self.engines.setdefault(zone.zone_id, {})
        settings = self.settings
        climates, lights = (
            self._to_call(zone, Actuator.CLIMATE),
            self._to_call(zone, Actuator.LIGHT),
        )
        wanted = {
            **dict.fromkeys(climates, Actuator.CLIMATE),
            **dict.fromkeys(lights, Actuator.LIGHT),
        }
        self._members[zone.zone_id] = {**climates, **lights}
        restored = self._follow_renames(zone, engines, wanted)
        for entity_id in [e for e in engines if e not in wanted]:
            del engines[entity_id]
            self._forget(zone.zone_id, entity_id)
        if colour_managed is None:
            colour_managed = self._colour_managed_lights()
        for entity_id, kind in wanted.items():
            engine = engines.get(entity_id)
            made = engine is None or entity_id in restored
            if engine is None:
                engine = engines[entity_id] = self._saved_or_new_engine(
                    zone, entity_id, entity_id
                )
            engine.rename_zone(zone.name)
            if (error := self._refusals.get(entity_id)) is not None:
                # Its issue names the device and the area as they are called now
                # (unchanged, the issue registry leaves it as it is).
                self._report_refusal(zone, entity_id, error)
            engine.settings = settings
            state = self.hass.states.get(entity_id)
            if kind is Actuator.CLIMATE:
                engine.climate = None if state is None else self._climate_device(state)
                if made and state is not None and state.state not in _NO_STATE:
                    # Made at a start: as it shows now, next to when last heard.
                    heard = self._heard.get(entity_id)
                    self._heard[entity_id] = _settings(state)
                    self._found_changed(zone, entity_id, engine, state, heard)
            else:
                # A group is coloured by Adaptive Lighting when a member is.
                coloured = bool({entity_id, *lights[entity_id]} & colour_managed)
                engine.light = (
                    None if state is None else self._light_device(state, coloured)
                )
        return engines

    def _saved_or_new_engine(
        self, zone: Zone, entity_id: str, saved_as: str
    ) -> ZoneController:
        """Return an engine for ``entity_id``, as saved under ``saved_as`` if it was."""
        engine = ZoneController(zone.name, self.settings)
        saved = self._saved_engine(zone.zone_id, saved_as)
        if saved is not None:
            try:
                engine.load_dict(saved)
            except ValueError as err:
                LOGGER.warning("Controller state of %s reset: %s", entity_id, err)
        return engine

    def _saved_engine(self, zone_id: str, entity_id: str) -> Any:
        """Return the saved state of the engine of ``entity_id`` in the zone, once.

        It was the device's at the start: an engine made again later (the device
        left the area and came back) would bring back holds ended since. A device
        moved to it while Home Assistant was down was saved with the zone it left:
        it is taken from there.
        """
        saved = self._saved.get(zone_id, {})
        if entity_id in saved:
            return saved.pop(entity_id)
        for other, engines in self._saved.items():
            if entity_id in engines and entity_id not in self.engines.get(other, {}):
                return engines.pop(entity_id)
        return None

    @callback
    def async_zones_changed(self) -> None:
        """Move the engines of thermostats and lights that moved to another zone.

        A person's hold and the calls made within the hour are the device's, not
        its area's: a fresh engine in the new zone would call it at once, against
        the person who just set it, or beyond the rate limits.
        """
        for zone_id, engines in list(self.engines.items()):
            for entity_id in list(engines):
                zone = self.controlled_zone(entity_id)
                if zone is None or zone.zone_id == zone_id:
                    continue
                moved_to = self.engines.setdefault(zone.zone_id, {})
                if entity_id in moved_to:
                    continue
                moved_to[entity_id] = engines.pop(entity_id)
                # Proposed for the zone it left: the new one proposes afresh.
                self._drop_suggestion(entity_id)
                self._notify(zone_id)

    @callback
    def async_entity_renamed(self, old: str, new: str) -> None:
        """Note a renamed thermostat or lamp, to keep its holds and rate limits.

        Also one renamed while not loaded, whose engine was saved under its old id.
        """
        if self.engine_of(old) is not None or self._was_saved(old):
            self._renamed[new] = old

    def _was_saved(self, entity_id: str) -> bool:
        """Whether an engine of ``entity_id`` was saved and is yet to be made."""
        return any(entity_id in saved for saved in self._saved.values())

    def _follow_renames(
        self, zone: Zone, engines: dict[str, ZoneController], wanted: Iterable[str]
    ) -> set[str]:
        """Give renamed entities the engines (holds, recent calls) of their old ids.

        A device refusing calls still does under its new id. What was proposed or
        would have been done goes along: the suggestion under the old id is
        withdrawn and, made again under the new one, is no news. Returns the
        entities whose engines were made from the saved state.
        """
        restored: set[str] = set()
        for new in wanted:
            old = self._renamed.pop(new, None)
            if old is None or new in engines:
                continue
            if old not in engines:  # renamed while not loaded: as saved
                if not self._was_saved(old):
                    continue
                engines[old] = self._saved_or_new_engine(zone, new, old)
                restored.add(new)
            engine = engines[new] = engines.pop(old)
            engine.rename(old, new)
            if old in self._sent:
                self._sent[new] = self._sent.pop(old)
            if (error := self._refusals.get(old)) is not None:
                self._drop_refusal(old)
                self._refusals[new] = error
            self._drop_suggestion(old, still_proposed=True)
            for told in (self.observed, self.proposed):
                if (command := told.pop(old, None)) is not None:
                    told[new] = replace(command, entity_id=new)
            if old in self._gestures:
                self._gestures[new] = self._gestures.pop(old)
            if old in self._heard:
                self._heard[new] = self._heard.pop(old)
            if old in self._came_up:
                self._came_up[new] = self._came_up.pop(old)
            # A state of the old id, and its timer, would wait for it for ever.
            self._before_cut.pop(old, None)
            self._forget_unsure(old)
        return restored

    def _to_call(self, zone: Zone, kind: Actuator) -> dict[str, set[str]]:
        """Return the zone's devices of ``kind`` to call, each with its members.

        A group (a light group, say) whose members are all in the zone is called
        instead of them: one call, and no two engines acting on one lamp. So is a
        thermostat that drives others, such as a Versatile Thermostat over the
        room's valve thermostats: calling those too would fight it. A group
        reaching beyond the zone is left to its members' own zones. One whose
        members are all another's (a reading corner's within the room's, a Hue
        zone within its room) is called through that one, the first by name of
        two alike: its lamps would be called twice.
        """
        in_zone = set(zone.actuators(kind))
        members: dict[str, set[str]] = {}
        for entity_id in zone.actuators(kind):
            state = self.hass.states.get(entity_id)
            attributes = state.attributes if state is not None else {}
            listed = attributes.get(ATTR_ENTITY_ID) or attributes.get(
                _UNDERLYING_ENTITIES
            )
            domain = entity_id.partition(".")[0]
            members[entity_id] = {
                member
                for member in _entity_ids(listed)
                if member.startswith(f"{domain}.")
            }
        for group in members.values():  # a group of groups has their lamps too
            pending = list(group)
            while pending:
                for member in members.get(pending.pop(), ()):
                    if member not in group:
                        group.add(member)
                        pending.append(member)
        in_zone |= {
            member
            for group in members.values()
            for member in group - in_zone
            if self._placed_in(zone, member)
        }
        grouped = {
            member
            for group in members.values()
            if group and group <= in_zone
            for member in group
        }
        called = {
            entity_id: group
            for entity_id, group in members.items()
            if entity_id not in grouped and group <= in_zone
        }
        return {
            entity_id: group
            for entity_id, group in called.items()
            if not any(
                group
                and other != entity_id
                and group <= lamps
                and (group < lamps or other < entity_id)
                for other, lamps in called.items()
            )
        }

    def _placed_in(self, zone: Zone, entity_id: str) -> bool:
        """Whether the registries place ``entity_id`` in the zone's area.

        The zone leaves hidden entities out, and the group helper's "Hide members"
        hides a group's lamps: they are still the area's, switched through it.
        """
        entry = er.async_get(self.hass).async_get(entity_id)
        if entry is None:
            return False
        area_id = entry.area_id
        if area_id is None and entry.device_id is not None:
            device = dr.async_get(self.hass).async_get(entry.device_id)
            area_id = device.area_id if device is not None else None
        return area_id == zone.zone_id

    def engine_of(self, entity_id: str) -> tuple[str, ZoneController] | None:
        """Return the zone id and engine that control ``entity_id``."""
        for zone_id, engines in self.engines.items():
            if entity_id in engines:
                return zone_id, engines[entity_id]
        return None

    def controlled_zone(self, entity_id: str) -> Zone | None:
        """Return the active zone whose thermostat or light ``entity_id`` is.

        Asked at every change of a thermostat or light: looked up, not searched
        for through every zone of the building.
        """
        zones = self.coordinator.zones
        if self._zone_of_device[0] is not zones:  # the zones changed
            self._zone_of_device = (
                zones,
                {
                    device: zone
                    # The first zone that has it wins, as a search would find it.
                    for zone in reversed(zones.values())
                    for kind in (Actuator.CLIMATE, Actuator.LIGHT)
                    for device in zone.actuators(kind)
                },
            )
        return self._zone_of_device[1].get(entity_id)

    @callback
    def async_stop(self) -> None:
        """Withdraw every suggestion: nobody could accept it any more."""
        self._stopped = True
        for entity_id in list(self.suggestions):
            self._drop_suggestion(entity_id, still_proposed=True)
        for entity_id in list(self._unsure):
            self._forget_unsure(entity_id)
        for zone_id in list(self._decide_again):
            self._decide_again.pop(zone_id)()

    @callback
    def async_remove_zone(self, zone_id: str) -> None:
        """Forget a zone's engines and dismiss its suggestions."""
        if (cancel := self._decide_again.pop(zone_id, None)) is not None:
            cancel()
        for entity_id in self.engines.pop(zone_id, {}):
            self._forget(zone_id, entity_id)
        self._members.pop(zone_id, None)
        self.last_action.pop(zone_id, None)
        self.last_touched.pop(zone_id, None)
        self._saved.pop(zone_id, None)

    @callback
    def async_forget_nights(self, zone_id: str) -> None:
        """Forget when people get up in the zone, and what they set it to sleep at.

        Engines known only by their saved state are made for it, as for
        ``explain``: each forgets in one place, whatever it kept of a night.
        """
        for engine in self._engines(zone_id).values():
            engine.forget_nights()

    @callback
    def async_forget_sleep_temperature(self, zone_id: str) -> None:
        """Forget what people set the zone's thermostats to sleep at, by hand."""
        for engine in self._engines(zone_id).values():
            engine.forget_sleep_temperature()

    def _forget(self, zone_id: str, entity_id: str) -> None:
        """Forget an entity the zone no longer controls (its engine is gone).

        Its suggestion could not be accepted any more. What else is kept of it
        goes too, unless another zone controls it now (it moved there).
        """
        suggestion = self.suggestions.get(entity_id)
        if suggestion is not None and suggestion.zone_id == zone_id:
            self._drop_suggestion(entity_id)
        if self.engine_of(entity_id) is not None:
            return
        self.observed.pop(entity_id, None)
        self.proposed.pop(entity_id, None)
        self._sent.pop(entity_id, None)
        self._before_cut.pop(entity_id, None)
        self._came_up.pop(entity_id, None)
        self._gestures.pop(entity_id, None)
        self._heard.pop(entity_id, None)
        self._forget_unsure(entity_id)
        self._drop_refusal(entity_id)

    def _drop_refusal(self, entity_id: str) -> None:
        """Dismiss the entity's refused-call issue: its calls are no longer tried."""
        if self._refusals.pop(entity_id, None) is not None:
            ir.async_delete_issue(
                self.hass, DOMAIN, f"{ISSUE_CALL_REFUSED}_{entity_id}"
            )

    # -- what the zone shows ---------------------------------------------------------

    def _unit_of(self, state: State | None) -> str:
        """Return the temperature unit a thermostat's ``state`` was written in.

        Home Assistant's, unless written before its unit system last changed: a
        thermostat shows its settings in the new unit from its next state on.
        """
        changed = self._unit_changed
        if (
            state is not None
            and changed is not None
            and state.last_updated < changed[0]
        ):
            return changed[1]
        return self.hass.config.units.temperature_unit

    def _celsius(self, value: object, state: State | None = None) -> float | None:
        """Return ``value``, a temperature ``state`` shows (None: one shown now), in °C."""
        unit = self._unit_of(state)
        number = to_celsius(value, unit)
        # A converted value is rounded, so the same °F always reads the same °C.
        if number is None or unit == UnitOfTemperature.CELSIUS:
            return number
        return round(number, 2)

    @property
    def _setpoint_tolerance(self) -> float:
        """Return how far (K) a setpoint shown may lie off ours and still be ours.

        Home Assistant shows °F setpoints in whole degrees: a device's own rounding
        (to whole °C, say) moves by half a shown degree more.
        """
        if self.hass.config.units.temperature_unit == UnitOfTemperature.CELSIUS:
            return _SETPOINT_TOLERANCE
        return _SETPOINT_TOLERANCE + 0.5 * 5 / 9

    def _native(self, celsius: float) -> float:
        return from_celsius(celsius, self.hass.config.units.temperature_unit)

    def _native_data(self, command: Command) -> dict[str, Any]:
        """Return the call's data as HA takes it: temperatures in its unit."""
        data = dict(command.data)
        for key in _TEMPERATURE_KEYS:
            if key in data:
                data[key] = self._native(float(data[key]))
        return data

    def hvac_reach(self, zone: Zone) -> tuple[bool, bool]:
        """Return whether the zone's thermostats can heat, and whether they can cool.

        A zone with no thermostat that shows its modes might go either way. One
        switched off goes neither way while nothing here may switch it on: the
        area observes only, or its mode is off. Nor does one that takes no target
        between the lowest and highest setpoints (a sauna): it keeps no room.
        """
        states = [
            state
            for entity_id in zone.actuators(Actuator.CLIMATE)
            if (state := self.hass.states.get(entity_id)) is not None
            and state.attributes.get(ATTR_HVAC_MODES)
        ]
        if not states:
            return True, True
        switched_on = (
            self.level(zone.zone_id) is not ControlLevel.OBSERVE
            and self.mode(zone.zone_id) is not Mode.OFF
        )
        settings = self.settings
        devices = [
            device
            for state in states
            if switched_on or state.state != STATE_OFF
            if (device := self._climate_device(state)).reaches(
                settings.frost_protection, settings.heat_protection
            )
        ]
        return (
            any(device.can_heat for device in devices),
            any(device.can_cool for device in devices),
        )

    def _climate_device(self, state: State) -> ClimateDevice:
        attributes = state.attributes
        features = ClimateEntityFeature(_flags(attributes.get(ATTR_SUPPORTED_FEATURES)))
        supports_temperature = bool(features & ClimateEntityFeature.TARGET_TEMPERATURE)
        supports_range = bool(features & ClimateEntityFeature.TARGET_TEMPERATURE_RANGE)
        presets = (
            tuple(attributes.get(ATTR_PRESET_MODES) or ())
            if features & ClimateEntityFeature.PRESET_MODE
            else ()
        )
        fahrenheit = self._unit_of(state) != UnitOfTemperature.CELSIUS
        step = as_number(attributes.get(ATTR_TARGET_TEMP_STEP))
        if step is None:
            step = 1.0 if fahrenheit else 0.5
        if fahrenheit:
            # HA shows °F targets in whole degrees: a finer one never shows as set.
            step = max(step, 1.0)
        # It shows °F limits rounded too: the true ones may be half a degree in.
        inset = 0.5 if fahrenheit else 0.0
        return ClimateDevice(
            state.entity_id,
            hvac_modes=tuple(attributes.get(ATTR_HVAC_MODES) or ()),
            preset_modes=presets,
            supports_temperature=supports_temperature,
            supports_range=supports_range,
            min_temp=self._limit(state, ATTR_MIN_TEMP, inset, 7.0),
            max_temp=self._limit(state, ATTR_MAX_TEMP, -inset, 35.0),
            # A step of 1 °F is 5/9 K: the engine then snaps to the same grid.
            step=step * 5 / 9 if fahrenheit else step,
        )

    def _limit(self, state: State, key: str, inset: float, default: float) -> float:
        """Return a thermostat's limit ``key`` in °C, shifted by ``inset`` as shown."""
        number = as_number(state.attributes.get(key))
        limit = None if number is None else self._celsius(number + inset, state)
        return default if limit is None else limit

    def _light_device(self, state: State, colour_managed: bool) -> LightDevice:
        attributes = state.attributes
        return LightDevice(
            state.entity_id,
            supported_color_modes=tuple(
                attributes.get(ATTR_SUPPORTED_COLOR_MODES) or ("onoff",)
            ),
            min_kelvin=int(
                as_number(attributes.get(ATTR_MIN_COLOR_TEMP_KELVIN)) or 2000
            ),
            max_kelvin=int(
                as_number(attributes.get(ATTR_MAX_COLOR_TEMP_KELVIN)) or 6500
            ),
            colour_managed=colour_managed,
            fades=bool(
                _flags(attributes.get(ATTR_SUPPORTED_FEATURES))
                & LightEntityFeature.TRANSITION
            ),
        )

    def _colour_managed_lights(self) -> frozenset[str]:
        """Return the lights an Adaptive Lighting switch that is on manages."""
        managed: set[str] = set()
        for entity_id in self.coordinator.discovery.colour_managers:
            state = self.hass.states.get(entity_id)
            if state is None or state.state != STATE_ON:
                continue
            managed.update(_entity_ids(state.attributes.get(_ADAPTIVE_LIGHTING_LIGHTS)))
        return frozenset(managed)

    def _readings(self, zone: Zone, now: datetime) -> ZoneReadings:
        """Return what the zone's entities show now, in °C."""
        states = self.hass.states
        windows = [
            state.state == STATE_ON
            for entity in zone.entities_with(Role.WINDOW)
            if (state := states.get(entity.entity_id)) is not None
            and state.state not in _NO_STATE
        ]
        last_motion = self._last_on(zone, Role.MOTION, now)
        # Where no motion sensor reads (none there, or none available), nothing
        # sees people leave: neither a long quiet nor a hand on a lamp a while ago
        # says the zone is empty, and a light switched off then is switched off on
        # whoever sits there.
        watched = any(
            (state := states.get(entity.entity_id)) is not None
            and state.state not in _NO_STATE
            for entity in zone.entities_with(Role.MOTION)
        )
        touched = self.last_touched.get(zone.zone_id)
        if (
            watched
            and touched is not None
            and (last_motion is None or touched > last_motion)
        ):
            last_motion = touched
        lights = [
            light
            for entity_id in zone.actuators(Actuator.LIGHT)
            if (light := self._light_state(entity_id)) is not None
        ]
        outdoor = self.coordinator.outdoor_source()
        return ZoneReadings(
            temperature=self._mean(zone.thermometers, Role.TEMPERATURE),
            outdoor_temperature=None
            if outdoor is None
            else self._mean([outdoor], Role.OUTDOOR_TEMPERATURE),
            window_open=any(windows) if windows else None,
            last_motion=last_motion,
            last_door=self._last_on(zone, Role.DOOR, now),
            quiet_since=None
            if last_motion is not None or not watched
            else self._quiet_since(zone),
            light=_zone_light(lights) if lights else None,
            screen_on=any(
                screen_on(state)
                for entity in zone.entities_with(Role.MEDIA)
                if (state := states.get(entity.entity_id)) is not None
            ),
            sees_people=watched or bool(self.coordinator.discovery.area_trackers),
        )

    def _last_motion_elsewhere(
        self, zone_ids: Iterable[str], now: datetime
    ) -> datetime | None:
        """When motion was last seen in any zone but ``zone_ids`` (now if it is)."""
        seen = self._motion_seen
        if seen is None:
            seen = self._motion_seen = sorted(
                (
                    (last, other.zone_id)
                    for other in self.coordinator.zones.values()
                    if (last := self._last_on(other, Role.MOTION, now)) is not None
                ),
                reverse=True,
            )
        these = set(zone_ids)
        return next((last for last, zone_id in seen if zone_id not in these), None)

    def _quiet_since(self, zone: Zone) -> datetime:
        """Since when the zone's motion sensors have seen nobody, as far as known."""
        since = max(
            (self._watched_since(e.entity_id) for e in zone.entities_with(Role.MOTION)),
            default=self._started,
        )
        return wall_clock(dt_util.as_local(since))

    def _watched_since(self, entity_id: str) -> datetime:
        """Since when a motion sensor has seen nobody, as far as known.

        Since we started, or since the recorder shows it reading off before a first
        start; since it came back reading off, where it did later.
        """
        since = self._watched_before.get(entity_id, self._started)
        came_back = self._back_off.get(entity_id)
        return since if came_back is None else max(since, came_back)

    def _last_on(self, zone: Zone, role: Role, now: datetime) -> datetime | None:
        """When a binary sensor of ``role`` in the zone was last on (now if it is)."""
        last: datetime | None = None
        for entity in zone.entities_with(role):
            state = self.hass.states.get(entity.entity_id)
            if state is None or state.state in _NO_STATE:
                continue
            # On: seen now; off: last seen when it went off. An off we did not see
            # follow an on (a restart, a sensor coming back) saw nobody.
            if state.state == STATE_ON:
                seen = now
            elif (went_off := self._went_off.get(entity.entity_id)) is not None:
                seen = wall_clock(dt_util.as_local(went_off))
            else:
                continue
            last = seen if last is None else max(last, seen)
        return last

    def _mean(self, entities: Iterable[ZoneEntity], role: Role) -> float | None:
        """Return the mean of what ``entities`` read now for ``role``, in °C."""
        values = [
            observation.value
            for entity in entities
            if (state := self.hass.states.get(entity.entity_id)) is not None
            for observation in observations_from_state(
                entity, state, system_temperature_unit=self._unit_of(state)
            )
            if observation.role is role
        ]
        return sum(values) / len(values) if values else None

    def _climate_state(self, entity_id: str) -> ClimateState | None:
        state = self.hass.states.get(entity_id)
        if state is None or state.state in _NO_STATE:
            return None
        if entity_id in self._settling:
            if (
                _missing_settings(state, self._heard.get(entity_id))
                and dt_util.utcnow() - state.last_changed < _SETTLING
            ):
                return None  # still coming back
            self._settling.discard(entity_id)
        attributes = state.attributes
        preset = attributes.get(ATTR_PRESET_MODE)
        return ClimateState(
            hvac_mode=state.state,
            temperature=self._celsius(attributes.get(ATTR_TEMPERATURE), state),
            target_low=self._celsius(attributes.get(ATTR_TARGET_TEMP_LOW), state),
            target_high=self._celsius(attributes.get(ATTR_TARGET_TEMP_HIGH), state),
            preset_mode=None if preset is None else str(preset),
        )

    def _light_state(self, entity_id: str) -> LightState | None:
        state = self.hass.states.get(entity_id)
        if state is None or state.state in _NO_STATE:
            return None
        brightness = as_number(state.attributes.get(ATTR_BRIGHTNESS))
        return LightState(
            on=state.state == STATE_ON,
            brightness_pct=None if brightness is None else brightness / 2.55,
            color_temp_kelvin=as_number(state.attributes.get(ATTR_COLOR_TEMP_KELVIN)),
        )

    # -- deciding --------------------------------------------------------------------

    def mode(self, zone_id: str) -> Mode:
        """Return the zone's own mode, unless the building's overrides it.

        A zone set to off stays off; otherwise a building mode other than auto
        (eco, away, comfort, off) applies to every zone.
        """
        zone_mode = self.coordinator.zone_controls(zone_id).mode
        building_mode = self.coordinator.building_mode
        if zone_mode is Mode.OFF or building_mode is Mode.AUTO:
            return zone_mode
        return building_mode

    def level(self, zone_id: str) -> ControlLevel:
        """How far the zone's decisions go: its control switch can only lower it."""
        if not self.coordinator.zone_controls(zone_id).control:
            return ControlLevel.OBSERVE
        return self.coordinator.settings.control_level

    def status(self, zone_id: str) -> ControlStatus:
        """Return what the zone's controller is doing, in one word."""
        zone = self.coordinator.zones.get(zone_id)
        if zone is None or not (
            zone.actuators(Actuator.CLIMATE) or zone.actuators(Actuator.LIGHT)
        ):
            return ControlStatus.NO_DEVICES
        learning = zone_id in self.coordinator.learning
        level = self.level(zone_id)
        if (
            level is ControlLevel.SUGGEST
            and not learning
            and self.zone_suggestions(zone_id)
        ):
            # Waiting for a person's yes matters more than a device left alone,
            # and in an area switched off, protection may still be proposed.
            return ControlStatus.SUGGESTING
        if self.mode(zone_id) is Mode.OFF:
            return ControlStatus.OFF
        if learning:
            return ControlStatus.LEARNING
        if level is ControlLevel.OBSERVE:
            # It holds nothing back from anyone: it only watches (held_until says
            # what it would leave alone).
            return ControlStatus.OBSERVING
        now = wall_clock(dt_util.now())
        if any(
            engine.holds.get(entity_id) is not None
            and engine.holds[entity_id].until > now
            for entity_id, engine in self._engines(zone_id).items()
        ):
            return ControlStatus.HOLDING
        if level is ControlLevel.SUGGEST:
            return ControlStatus.SUGGESTING
        return ControlStatus.CONTROLLING

    def reasons(self, zone_id: str) -> dict[str, str]:
        """Return the latest reason for each of the zone's thermostats and lights.

        Climates that keep no room (a car's, a sauna) are here too: left alone.
        """
        zone = self.coordinator.zones.get(zone_id)
        return {
            **{
                entity_id: f"Left alone, no room's: {why}"
                for entity_id, why in (zone.left_alone if zone else ())
            },
            **{
                entity_id: reason
                for entity_id, engine in self._engines(zone_id).items()
                if (reason := engine.last_reasons.get(entity_id)) is not None
            },
        }

    def getting_up(self, zone_id: str) -> dict[str, str]:
        """Say, for each of the zone's thermostats, when people usually get up there.

        As today's kind of day (weekdays or weekend days) tells it; only where
        someone was seen getting up after sleeping there (which only thermostats'
        engines watch for): an office says nothing.
        """
        now = wall_clock(dt_util.now())
        return {
            entity_id: engine.wake_times.explain(now)
            for entity_id, engine in self._engines(zone_id).items()
            if engine.wake_times.mornings
        }

    def sleeping_at(self, zone_id: str) -> dict[str, str]:
        """Say, for each of the zone's thermostats, what people set it to sleep at.

        Only where they did, in bed at night: elsewhere the options' sleep
        temperature holds.
        """
        return {
            entity_id: said
            for entity_id, engine in self._engines(zone_id).items()
            if (said := engine.explain_sleep()) is not None
        }

    def holds(self, zone_id: str) -> dict[str, datetime]:
        """Return when each held entity of the zone is released (aware local times)."""
        now = wall_clock(dt_util.now())
        return {
            entity_id: aware(hold.until)
            for entity_id, engine in self._engines(zone_id).items()
            if (hold := engine.holds.get(entity_id)) is not None and hold.until > now
        }

    def waking_at(self, zone_id: str, now: datetime) -> datetime | None:
        """Return when the people who sleep in the zone usually get up, if ahead.

        The earliest its thermostats' engines warm for (None: none does): the
        brain tells that hour's comfort with the prediction.
        """
        clock = wall_clock(dt_util.as_local(now))
        times = [
            wake
            for engine in self._engines(zone_id).values()
            if (wake := engine.waking_at(clock)) is not None
        ]
        return min(times, default=None)

    def _engines(self, zone_id: str) -> dict[str, ZoneController]:
        """Return the zone's engines, made at once where only their saved state is.

        After a restart or reload they are otherwise made at the zone's first step:
        until then its holds would look lost.
        """
        engines = self.engines.get(zone_id)
        zone = self.coordinator.zones.get(zone_id)
        if engines is None and zone_id in self._saved and zone is not None:
            engines = self.zone_engines(zone)
        return engines or {}

    def zone_suggestions(self, zone_id: str) -> dict[str, str]:
        """Return the calls waiting for a person's yes, with their reasons."""
        # Looked up by the zone's own devices: every zone's Control sensor asks,
        # and the building's pending suggestions may be many.
        return {
            entity_id: suggestion.command.reason
            for entity_id in self.engines.get(zone_id, ())
            if (suggestion := self.suggestions.get(entity_id)) is not None
            and suggestion.zone_id == zone_id
        }

    @callback
    def async_step(self, zone_ids: Iterable[str], when: datetime | None = None) -> None:
        """Decide for ``zone_ids`` now and carry out what their level allows."""
        now = wall_clock(dt_util.as_local(when or dt_util.now()))
        colour_managed = self._colour_managed_lights()  # once for every zone
        self._motion_seen = None  # read afresh at this step, once
        for zone_id in zone_ids:
            zone = self.coordinator.zones.get(zone_id)
            prediction = self.coordinator.predictions.get(zone_id)
            if (
                zone is not None
                and prediction is not None
                and zone_id not in self.coordinator.learning
            ):
                with self.coordinator.zone_fault(zone_id, "controlling"):
                    self._step_zone(zone, prediction, now, colour_managed)
            # Also where it decides nothing (reading its history): its status
            # follows a new mode at once.
            self._notify(zone_id)

    def _step_zone(
        self,
        zone: Zone,
        prediction: ZonePrediction,
        now: datetime,
        colour_managed: frozenset[str],
    ) -> None:
        """Decide for each thermostat and light of ``zone`` and carry it out."""
        zone_id = zone.zone_id
        offset = self.coordinator.zone_controls(zone_id).comfort_offset
        if offset:
            prediction = prediction.with_comfort_offset(offset)
        readings = self._readings(zone, now)
        mode, level = self.mode(zone_id), self.level(zone_id)
        engines = self.zone_engines(zone, colour_managed)
        waits: list[timedelta] = []  # till each decision's wait runs out
        # The thermostats that alone heat the floor (or the home) around them are
        # decided from the occupancy of every room they heat.
        whole = (
            self._whole_floor(zone, prediction, readings, now)
            if any(engine.climate is not None for engine in engines.values())
            else None
        )
        for entity_id, engine in engines.items():
            if level is ControlLevel.OBSERVE or mode is Mode.OFF:
                # Control or the area switched off: nothing is retried (a frost
                # or heat protection call refused again raises it again).
                self._drop_refusal(entity_id)
            seen, heard = prediction, readings
            if whole is not None and engine.climate is not None:
                seen, heard, rooms = whole
            else:
                rooms = (zone_id,)
            if engine.needs_motion_elsewhere(now):
                heard = replace(
                    heard,
                    last_motion_elsewhere=self._last_motion_elsewhere(rooms, now),
                )
            climate = (
                self._climate_state(entity_id) if engine.climate is not None else None
            )
            zone_readings = replace(
                heard,
                climate=climate,
                climate_settling=entity_id in self._settling,
                light=self._light_state(entity_id)
                if engine.light is not None
                else readings.light,
            )
            for decision in engine.decide(now, seen, zone_readings, mode, level):
                self._carry_out(zone_id, engine, decision, now)
                if decision.decide_again_in is not None:
                    waits.append(decision.decide_again_in)
        self._decide_again_in(zone_id, min(waits, default=None))

    def _decide_again_in(self, zone_id: str, wait: timedelta | None) -> None:
        """Decide for the zone again after ``wait``, in place of any earlier plan.

        Each step plans afresh. A wait as long as a minute is left to the
        minute's steps: one of them comes while less is left, and plans it.
        """
        if (cancel := self._decide_again.pop(zone_id, None)) is not None:
            cancel()
        if wait is None or wait >= TICK_INTERVAL or self._stopped:
            return
        self._decide_again[zone_id] = async_track_point_in_utc_time(
            self.hass,
            partial(self._async_decide_again, zone_id),
            dt_util.utcnow() + wait,
        )

    @callback
    def _async_decide_again(self, zone_id: str, _now: datetime) -> None:
        """Decide for the zone as planned: a wait it rests on ran out."""
        self._decide_again.pop(zone_id, None)
        self.async_step([zone_id])

    def _whole_floor(
        self,
        zone: Zone,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        now: datetime,
    ) -> tuple[ZonePrediction, ZoneReadings, tuple[str, ...]] | None:
        """Return what the thermostats of ``zone`` decide from where they serve more.

        Where they are the only ones of the home (or of their floor, where others
        heat other floors), they heat every room of it without a thermostat of its
        own: people in any of those rooms are in their heat. Each room that sees
        people counts: occupied while any is, set back while all are empty, warmed
        for the earliest arrival. ``zone`` itself counts only where something sees
        people there: a thermostat in a hallway without a motion sensor follows
        the rooms people use, which do. The prediction, the readings and the zone
        ids returned are those of all it serves, None where ``zone`` serves no
        other room that sees people (one where nothing sees people is then kept
        for anyone who may be there, as before).
        """
        coordinator = self.coordinator
        discovery = coordinator.discovery
        served = discovery.served_by(zone.zone_id)
        if not served:
            return None
        rooms: list[tuple[Zone, ZonePrediction, ZoneReadings]] = (
            [(zone, prediction, readings)] if readings.sees_people else []
        )
        for zone_id in served:
            other = coordinator.zones.get(zone_id)
            seen = coordinator.predictions.get(zone_id)
            if other is None or seen is None or zone_id in coordinator.learning:
                continue
            heard = self._readings(other, now)
            if heard.sees_people:
                rooms.append((other, seen, heard))
        if not any(room is not zone for room, _, _ in rooms):
            return None
        whole = merged_prediction(
            prediction, [seen for _, seen, _ in rooms], self.settings, now
        )
        lights = [heard.light for _, _, heard in rooms if heard.light is not None]
        motions = [
            (heard.last_motion, room)
            for room, _, heard in rooms
            if heard.last_motion is not None
        ]
        last_motion = max((when for when, _ in motions), default=None)
        if whole.occupied:
            # Where people most likely are: the model says so.
            people = max(rooms, key=lambda room: room[1].occupancy_probability)[0]
        elif motions:
            people = max(motions, key=lambda seen: seen[0])[1]
        else:
            people = zone
        quiet = [heard.quiet_since for _, _, heard in rooms if heard.quiet_since]
        # A floor's name where it heats its floor alone; the only thermostat of a
        # home with floors heats them all.
        floor = (
            discovery.floor_name(zone.floor_id)
            if all(
                (other := coordinator.zones.get(zone_id)) is None
                or other.floor_id == zone.floor_id
                for zone_id in served
            )
            else None
        )
        return (
            whole,
            replace(
                readings,
                last_motion=last_motion,
                # Watched for the shortest while: nobody seen since then.
                quiet_since=max(quiet) if last_motion is None and quiet else None,
                # Dark only where every room is: someone up lights their room.
                light=_brightest(lights),
                home=floor if floor is not None else "the home",
                people_in=None if people is zone else people.name,
                # The rooms it serves see people come and go: it may save.
                sees_people=True,
            ),
            (zone.zone_id, *(room.zone_id for room, _, _ in rooms if room is not zone)),
        )

    def _carry_out(
        self, zone_id: str, engine: ZoneController, decision: Decision, now: datetime
    ) -> None:
        entity_id, command = decision.entity_id, decision.command
        if not decision.suggest:
            self._drop_suggestion(entity_id)
        if command is None or decision.held:
            self.observed.pop(entity_id, None)
            return
        if decision.act:
            self._call(zone_id, engine, command, now)
        elif decision.suggest:
            self._suggest(zone_id, command, now)
        elif not _same_call(self.observed.get(entity_id), command):
            self.observed[entity_id] = command
            LOGGER.info(
                "Would call %s.%s: %s", command.domain, command.service, command.reason
            )
            self._fire(EVENT_DECISION, self.coordinator.zones[zone_id], command)

    def _call(
        self,
        zone_id: str,
        engine: ZoneController,
        command: Command,
        now: datetime,
        asked: Context | None = None,
    ) -> None:
        engine.record_call(command.entity_id, now, command)
        lamps = self._lamps_apart(zone_id, engine, command)
        # The lamps' calls are the last to reach them: each echoes its own.
        for sent in (command, *lamps):
            shown = self.hass.states.get(sent.entity_id)
            self._sent[sent.entity_id] = _Sent(
                sent,
                dt_util.utcnow(),
                None if shown is None or shown.state in _NO_STATE else _settings(shown),
            )
        self.last_action[zone_id] = (now, command.reason)
        context = (
            Context()
            if asked is None
            else Context(user_id=asked.user_id, parent_id=asked.id)
        )
        self._our_contexts.add(context.id)
        # The zone as it is now: its area may be deleted before the device answers.
        zone = self.coordinator.zones[zone_id]
        self.coordinator.entry.async_create_task(
            self.hass,
            self._async_call(zone, command, context, now, lamps),
            f"AIoT Brain {command.domain}.{command.service}",
        )

    def _lamps_apart(
        self, zone_id: str, engine: ZoneController, command: Command
    ) -> list[Command]:
        """Return calls to the lamps of the group ``command`` switches on, if needed.

        Home Assistant passes a group's call on to its lamps as it is: a reading
        lamp kept at 30 % beside a ceiling light kept at full would both come on
        at the area's level. Where people set a lamp of it apart, each lamp is
        called instead, at its own level or the group's: none passes through the
        group's level on its way, which its report could show as a hand's change.
        """
        group = engine.light
        members = self._members.get(zone_id, {}).get(command.entity_id)
        prediction = self.coordinator.predictions.get(zone_id)
        if (
            command.service != "turn_on"
            or group is None
            or not members
            or prediction is None
        ):
            return []
        data = {
            key: value for key, value in command.data.items() if key != ATTR_TRANSITION
        }
        lamps, apart = [], False
        for entity_id in sorted(members):
            state = self.hass.states.get(entity_id)
            if (
                state is None
                or state.state in _NO_STATE  # cut at the wall: no call reaches it
                # A group within it: its own lamps are among the members.
                or _entity_ids(state.attributes.get(ATTR_ENTITY_ID))
            ):
                continue
            lamp = self._light_device(state, group.colour_managed)
            own = engine.own_level(lamp, prediction.lighting)
            apart = apart or own is not None
            lamp_data = {**data, **(own or {})}
            if lamp.fades and ATTR_TRANSITION in command.data:
                lamp_data[ATTR_TRANSITION] = command.data[ATTR_TRANSITION]
            lamps.append(replace(command, entity_id=entity_id, data=lamp_data))
        return lamps if apart else []

    async def _async_call(
        self,
        zone: Zone,
        command: Command,
        context: Context,
        when: datetime,
        lamps: list[Command] | None = None,
    ) -> None:
        """Make the call; the action event says it was made, once it was.

        ``lamps``: the calls to a group's lamps that carry it out in its place.

        A refused call shows as the zone's last action and as a repair issue
        until a call to the device succeeds, and is logged as a warning the first
        time the device gives that error: it is retried within the rate limits,
        which would otherwise fill the log.
        """
        zone_id = zone.zone_id
        calls = [
            (call.entity_id, service, data)
            for call in (lamps or [command])
            for service, data in _service_calls(
                call, self._native_data(call), self.hass.states.get(call.entity_id)
            )
        ]
        service = command.service
        try:
            for target, service, data in calls:  # the one refused is logged
                await self.hass.services.async_call(
                    command.domain,
                    service,
                    {ATTR_ENTITY_ID: target, **data},
                    blocking=True,
                    context=context,
                )
        # Whatever the device's integration raises (a timeout, its own bug), the
        # call was not carried out: the device refused it, and the step goes on.
        except Exception as err:  # noqa: BLE001
            entity_id = command.entity_id
            error = str(err) or type(err).__name__  # a timeout says nothing
            first = self._refusals.get(entity_id) != error
            self._refusals[entity_id] = error
            (LOGGER.warning if first else LOGGER.debug)(
                "Could not call %s.%s for %s: %s",
                command.domain,
                service,
                entity_id,
                error,
            )
            located = self.engine_of(entity_id)
            if located is None:
                # Its area deleted (or the device gone from it) meanwhile: no
                # call is tried again to settle an issue, so none is raised.
                self._refusals.pop(entity_id)
                return
            located[1].note_refused(entity_id)
            self.last_action[zone_id] = (
                when,
                f"Failed: {command.reason} ({entity_id} refused: {error})",
            )
            if self._stopped:
                # Disabled or reloading meanwhile: one raised now would outlive
                # it (a reload removes those raised before it at its start).
                return
            self._report_refusal(zone, entity_id, error)
            self._notify(zone_id)
            return
        self._refusals.pop(command.entity_id, None)
        ir.async_delete_issue(
            self.hass, DOMAIN, f"{ISSUE_CALL_REFUSED}_{command.entity_id}"
        )
        self._fire(EVENT_ACTION, zone, command, context)

    def _report_refusal(self, zone: Zone, entity_id: str, error: str) -> None:
        """Raise the repair issue of a device that refuses our calls."""
        state = self.hass.states.get(entity_id)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"{ISSUE_CALL_REFUSED}_{entity_id}",
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_CALL_REFUSED,
            translation_placeholders={
                "entity": state.name if state is not None else entity_id,
                "zone": zone.name,
                "error": error,
            },
        )

    def _suggest(self, zone_id: str, command: Command, now: datetime) -> None:
        pending = self.suggestions.get(command.entity_id)
        zone = self.coordinator.zones[zone_id]
        if (
            pending is not None
            and _same_call(pending.command, command)
            # Its area renamed: the notification says whose it is by name.
            and pending.zone_name == zone.name
        ):
            return
        self.suggestions[command.entity_id] = Suggestion(
            zone_id, command, now, zone.name
        )
        persistent_notification.async_create(
            self.hass,
            # Accepting is per area: say so, or a yes to the lamp heats the room too.
            f"{command.reason}.\n\nAccept it with the action "
            f"`{DOMAIN}.accept_suggestion` for {zone.name}, with any other "
            f"suggestion for {zone.name}, or ignore it.",
            title=f"AIoT Brain suggests: {zone.name}",
            notification_id=_notification_id(command.entity_id),
        )
        # Shown again after a restart or an option changed, or updated: no news.
        # Compared with what was told, not the last update: small moves add up.
        if not same_proposal(
            self.proposed.get(command.entity_id), command, self.settings.scale
        ):
            self.proposed[command.entity_id] = command
            self._fire(EVENT_SUGGESTION, zone, command)

    def _drop_suggestion(self, entity_id: str, still_proposed: bool = False) -> None:
        """Withdraw the entity's suggestion; ``still_proposed``: for a while only.

        A reload, or the device unavailable: the same proposal, made again when
        it can be carried out, is no news.
        """
        if not still_proposed:
            self.proposed.pop(entity_id, None)
        # Taken from the suggestions before its notification goes: the dismissal
        # is then known to be ours, not a person's.
        if self.suggestions.pop(entity_id, None) is not None:
            persistent_notification.async_dismiss(
                self.hass, _notification_id(entity_id)
            )

    @callback
    def async_notifications_changed(
        self,
        change: persistent_notification.UpdateType,
        notifications: Mapping[str, Any],
    ) -> None:
        """Take a suggestion's notification a person dismissed as "not now".

        The same proposal is not made again until the area is next empty; a yes
        to it is no longer possible.
        """
        if change is not persistent_notification.UpdateType.REMOVED:
            return
        now = wall_clock(dt_util.now())
        for entity_id, suggestion in list(self.suggestions.items()):
            if _notification_id(entity_id) not in notifications:
                continue
            del self.suggestions[entity_id]
            self.proposed.pop(entity_id, None)
            located = self.engine_of(entity_id)
            if located is not None:
                located[1].decline(suggestion.command, now)
            # Someone's wish, kept like a hold: a restart must not lose it.
            self.coordinator.async_save_soon()
            self._notify(suggestion.zone_id)

    @callback
    def async_accept(
        self, zone_ids: Iterable[str], asked: Context | None = None
    ) -> list[Command]:
        """Carry out the zones' suggestions (a person said yes); return them.

        The calls are made in a context of the yes (``asked``): the logbook says
        who accepted them, and the device's change is still ours.
        """
        now = wall_clock(dt_util.now())
        accepted = []
        for entity_id, suggestion in list(self.suggestions.items()):
            zone_id = suggestion.zone_id
            if zone_id not in zone_ids:
                continue
            located = self.engine_of(entity_id)
            self._drop_suggestion(entity_id)
            # Withdrawn by an area switched off or no longer suggesting, where no
            # step has said so yet (none comes while it reads its history).
            # Elsewhere a step decided it under the mode of now: switched off, it
            # proposes only frost or heat protection, which holds in off mode too.
            if (
                located is None
                or (
                    self.mode(zone_id) is Mode.OFF
                    and zone_id in self.coordinator.learning
                )
                or self.level(zone_id) is not ControlLevel.SUGGEST
            ):
                self._notify(zone_id)
                continue
            self._call(zone_id, located[1], suggestion.command, now, asked)
            accepted.append(suggestion.command)
            self._notify(zone_id)
        return accepted

    # -- holds -------------------------------------------------------------------------

    @callback
    def async_hold(self, zone_id: str, duration: timedelta) -> None:
        """Leave the zone's thermostats and lights alone for ``duration``."""
        zone = self.coordinator.zones[zone_id]
        moment = dt_util.utcnow()
        now = wall_clock(dt_util.as_local(moment))
        # Timed in real time: across a change of the clocks the wall clock is not.
        until = wall_clock(dt_util.as_local(moment + duration))
        for entity_id, engine in self.zone_engines(zone).items():
            engine.hold(entity_id, now, until, _what(entity_id), "asked to hold")
            self._drop_suggestion(entity_id)
            self._fire_hold(zone_id, entity_id, engine.holds[entity_id].reason, until)
        self._notify(zone_id)

    @callback
    def async_resume(self, zone_id: str) -> None:
        """End every hold in the zone; the next step decides afresh."""
        for entity_id, engine in self._engines(zone_id).items():
            if entity_id in engine.holds:
                engine.resume(entity_id)
                self._fire_hold(zone_id, entity_id, "Hold ended: asked to resume", None)
        self._notify(zone_id)

    @callback
    def async_sensor_change(self, event: Event[EventStateChangedData]) -> None:
        """Note when a motion or door sensor went off: someone was seen until then."""
        old, new = event.data["old_state"], event.data["new_state"]
        if new is not None:
            note_off(self._went_off, self._back_off, old, new)

    @callback
    def async_recorded(self, zone_ids: Iterable[str], recorded: RecordedMotion) -> None:
        """Take what the recorder showed of the zones' motion sensors before we began.

        Only for zones we keep nothing of (a first start): when people were last
        seen there is not known otherwise, and the sleep rule would take a room
        nobody entered all evening as maybe slept in. After a restart what was
        saved tells, and a zone read again (a Relearn) knows it already. What our
        sensors saw live meanwhile is newer and stays.
        """
        known = self.zone_ids
        for zone_id in zone_ids:
            zone = self.coordinator.zones.get(zone_id)
            if zone is None or zone_id in known:
                continue
            for entity in zone.entities_with(Role.MOTION):
                entity_id = entity.entity_id
                if (went_off := recorded.went_off.get(entity_id)) is not None:
                    self._went_off.setdefault(entity_id, went_off)
                if (back_off := recorded.back_off.get(entity_id)) is not None:
                    self._watched_before[entity_id] = back_off

    @callback
    def async_person_change(self, event: Event[EventStateChangedData]) -> bool | None:
        """Hold a thermostat or light someone else changed; say if a person did.

        A change of a setting a person would change, in a context that is not one
        of our calls and not the device's echo of our last call, holds the entity
        (we never fight another hand, an automation's included) and is reported.
        It is a person's (True), to learn from, unless an automation or script
        caused it. False: ours. None: not a person's and not ours, or not known.
        """
        old, new = event.data["old_state"], event.data["new_state"]
        if new is None or new.state in _NO_STATE:
            if (
                new is not None
                and new.domain == "light"
                and old is not None
                and old.state not in _NO_STATE
            ):
                self._before_cut[new.entity_id] = old
            # A call to it now would do nothing: its suggestion is withdrawn. Back
            # (its integration reloaded), the same proposal is shown again, not
            # told again: an automation on the event would fire twice.
            suggestion = self.suggestions.get(event.data["entity_id"])
            if suggestion is not None:
                self._drop_suggestion(event.data["entity_id"], still_proposed=True)
                self._notify(suggestion.zone_id)
            return None
        before_cut = self._before_cut.pop(new.entity_id, None)
        heard = self._heard_now(new)
        if self._ours(new, old):
            self._note_taken(new, old)
            return False
        if _adaptive_lighting_made(new.context):
            # Adapting the light it manages (every minute or two, or for its sleep
            # mode) on its own: nobody's hand, to hold or learn from.
            return None
        if old is None or old.state in _NO_STATE:
            if _missing_settings(new, heard):
                self._settling.add(new.entity_id)
            return self._back(old, before_cut, new, heard)
        if self._coming_up(new):
            self._still_at_its_own_level(new)
            return None
        if self._same_settings(old, new, heard) or self._lamp_went_or_came_back(new):
            return None
        zone = self.controlled_zone(new.entity_id)
        if zone is None:
            return None
        called = self._called_for(zone, new.entity_id)
        if called is not None and self._drives(called[0], new.entity_id):
            return None  # the thermostat over it at work, not a person
        return self._judge(zone, called, old, new)

    def _judge(
        self,
        zone: Zone,
        called: tuple[str, ZoneController] | None,
        old: State,
        new: State,
    ) -> bool | None:
        """Judge a change that is not ours, nor a device over it at work."""
        if self._gesture_over(zone, called, new):
            return None
        # Whether a window was open as it changed, also when it is judged later.
        airing = self._turned_down_for_airing(zone, old, new)
        if self._back_to_before_our_call(new):
            self._judge_later(old, new, airing)
            return None
        return self._hold_hands_change(zone, called, old, new, airing=airing)

    def _hold_hands_change(
        self,
        zone: Zone,
        called: tuple[str, ZoneController] | None,
        old: State,
        new: State,
        *,
        airing: bool,
    ) -> bool | None:
        """Hold a hand's change from ``old`` to ``new``; say if it is one to learn.

        Turned down for an airing (``airing``, as the window was when it changed),
        it teaches nothing, nor does what ``_teaches_no_comfort`` names: each is
        held all the same.
        """
        teaches_nothing = airing or self._teaches_no_comfort(old, new)
        persons = self._persons_change(
            zone, called, new, teaches_comfort=not teaches_nothing
        )
        self._note_gesture(called, old, new, teaches_nothing=teaches_nothing)
        return None if airing else persons

    def _teaches_no_comfort(self, old: State, new: State) -> bool:
        """Whether a hand's change of thermostat ``new`` from ``old`` teaches no comfort.

        A preset's own temperature (a boost's, eco's), a mode or preset switched
        alone, switched off, or beyond the lowest or highest setpoint: none is the
        warmth anybody wants, by day or to sleep at. Nor is one turned down for an
        airing, which the caller knows as it changes.
        """
        if new.domain != "climate":
            return False
        settings = self.coordinator.settings
        return teaches_no_comfort(
            new,
            old,
            self.hass.config.units.temperature_unit,
            (settings.min_temperature, settings.max_temperature),
        )

    def _turned_down_for_airing(self, zone: Zone, old: State, new: State) -> bool:
        """Whether thermostat ``new`` was turned down while a window of its zone is open.

        A thermostat's own window function (Versatile Thermostat's, set to eco's
        temperature, its preset kept) does it, as does a hand for the airing: the
        temperature is no warmth anybody wants.
        """
        if new.domain != "climate" or not any(
            state.state == STATE_ON
            for entity in zone.entities_with(Role.WINDOW)
            if (state := self.hass.states.get(entity.entity_id)) is not None
        ):
            return False
        if new.state == STATE_OFF:
            return old.state != STATE_OFF
        return any(
            (before := as_number(old.attributes.get(key))) is not None
            and (after := as_number(new.attributes.get(key))) is not None
            and after < before
            for key in (ATTR_TEMPERATURE, ATTR_TARGET_TEMP_LOW)
        )

    def _note_gesture(
        self,
        called: tuple[str, ZoneController] | None,
        old: State,
        new: State,
        *,
        teaches_nothing: bool,
    ) -> None:
        """Note a thermostat held for a change that teaches nothing, and from what."""
        hold = None if called is None else called[1].holds.get(called[0])
        if new.domain == "climate" and hold is not None and teaches_nothing:
            self._gestures[new.entity_id] = (_settings(old), hold.since)
        else:
            self._gestures.pop(new.entity_id, None)

    def _gesture_over(
        self, zone: Zone, called: tuple[str, ZoneController] | None, new: State
    ) -> bool:
        """End the hold of a thermostat back by itself from a gesture; say if it was.

        A valve's boost ends after its minutes, its window function lets it heat
        again once the window is shut: back in a context of its own to just what
        it showed before, it is nobody's change. The hold that gesture began ends
        (the valve is as it was, and the area's plan goes on), and nothing is
        learned.
        """
        gesture = self._gestures.get(new.entity_id)
        if (
            gesture is None
            or called is None
            or new.context.user_id is not None
            or self._automated(new.context)
        ):
            return False
        entity_id, engine = called
        hold = engine.holds.get(entity_id)
        if hold is None or hold.since != gesture[1] or _settings(new) != gesture[0]:
            return False
        del self._gestures[new.entity_id]
        engine.resume(entity_id)
        self._fire_hold(
            zone.zone_id,
            entity_id,
            f"Hold ended: {_what(entity_id)} went back by itself to how it was",
            None,
        )
        self._notify(zone.zone_id)
        return True

    @callback
    def async_unit_changed(self, before: str) -> None:
        """Take Home Assistant's temperature unit as changed just now from ``before``."""
        self._unit_changed = (dt_util.utcnow(), before)
        self._heard.clear()  # shown in the old unit
        self._gestures.clear()

    def _same_settings(
        self, old: State, new: State, heard: tuple[Any, ...] | None = None
    ) -> bool:
        """Whether ``new`` shows the settings ``old`` did, each read in its own unit.

        A setting ``old`` did not show yet is the one ``heard`` last: a thermostat
        reporting a setting at a time as it comes back shows its mode, then the
        setpoint it had, nobody's change. Its first state since Home Assistant's
        unit system changed shows its settings in the new unit: the same ones are
        nobody's change either.
        """
        if _shown_as_before(_settings(old), _settings(new), heard):
            return True
        return (
            new.domain == "climate"
            and self._unit_of(old) != self._unit_of(new)
            and new.state == old.state
            and new.attributes.get(ATTR_PRESET_MODE)
            == old.attributes.get(ATTR_PRESET_MODE)
            and all(
                self._same_setpoint(
                    self._celsius(old.attributes.get(key), old),
                    self._celsius(new.attributes.get(key), new),
                )
                for key in _TEMPERATURE_KEYS
            )
        )

    def _same_setpoint(self, was: float | None, now: float | None) -> bool:
        """Whether two setpoints (°C) are one, as a thermostat's rounding shows it."""
        if was is None or now is None:
            return was is now
        return abs(was - now) <= self._setpoint_tolerance

    def _back(
        self,
        gone: State | None,
        before: State | None,
        new: State,
        heard: tuple[Any, ...] | None,
    ) -> bool | None:
        """Judge a device back from unavailable (or first seen) showing ``new``.

        Coming back says nothing of what changed, unless a user set it, a
        thermostat shows another setting than when last heard, or it is a bulb
        powered at its wall switch.
        """
        if new.context.user_id is not None:
            return True
        zone = self.controlled_zone(new.entity_id)
        called = None if zone is None else self._called_for(zone, new.entity_id)
        if (
            zone is not None
            and called is not None
            and self._found_changed(zone, *called, new, heard)
        ):
            return None
        return self._came_back(gone, before, new)

    def _heard_now(self, new: State) -> tuple[Any, ...] | None:
        """Note what a thermostat we control shows; return what it showed before.

        A setting it does not show (yet: reported one at a time as it comes back)
        is kept as last heard.
        """
        if new.domain != "climate" or self.controlled_zone(new.entity_id) is None:
            return None
        heard = self._heard.get(new.entity_id)
        self._heard[new.entity_id] = _as_heard(_settings(new), heard)
        return heard

    def _found_changed(
        self,
        zone: Zone,
        entity_id: str,
        engine: ZoneController,
        new: State,
        heard: tuple[Any, ...] | None,
    ) -> bool:
        """Hold a thermostat found changed after a while unheard; say if it was.

        Set at its dial while Home Assistant restarted, or from its own app while
        its radio was down, it shows neither what it did when last heard nor our
        last call: someone's setting, not to be fought. Nothing is learned: who
        set it, and when, is not known.
        """
        sent = self._sent.get(entity_id)
        if (
            heard is None
            or new.entity_id != entity_id  # a member of a group we call
            or _settings(new) == heard
            # Reported a setting at a time as it comes back: what it has not
            # shown yet is not changed.
            or any(
                was is not None and now is None
                for was, now in zip(heard, _settings(new), strict=False)
            )
            or (sent is not None and self._shows(new, sent.command))
            or engine.holds.get(entity_id) is not None
        ):
            return False
        now = wall_clock(dt_util.as_local(new.last_updated))
        # Timed in real time: across a change of the clocks the wall clock is not.
        end = new.last_updated + engine.settings.hold_duration
        until = wall_clock(dt_util.as_local(end))
        reason = engine.note_manual_change(
            entity_id, now, _what(entity_id), until, how="found changed"
        )
        self._drop_suggestion(entity_id)
        self._fire_hold(zone.zone_id, entity_id, reason, engine.holds[entity_id].until)
        self._notify(zone.zone_id)
        return True

    def _came_back(
        self, gone: State | None, before: State | None, new: State
    ) -> bool | None:
        """Judge a light back from unavailable, and note when for its next reports."""
        if gone is None:
            self._first_seen(new)
            return None
        at_the_wall = self._powered_at_the_wall(gone, before, new)
        if new.domain == "light":
            self._came_up[new.entity_id] = (new.last_updated, bool(at_the_wall))
        return at_the_wall

    def _first_seen(self, new: State) -> None:
        """Take a light first seen on as a bulb coming up, as one powered at the wall.

        Just added, or its integration loading late with no placeholder shown
        before, it came on by itself at its own level: someone is there, but
        chose no level. It is not held, teaches nothing and gets our level once.
        Seen as we start, it is its integration starting with ours. A light group
        appearing (a helper just made) shows lamps that were on before it: it is
        left to them, not judged.
        """
        if new.domain != "light" or ATTR_ENTITY_ID in new.attributes:
            return
        powered = (
            new.state == STATE_ON and new.last_updated - self._started > DROPOUT_AT_MOST
        )
        # Its next reports, this soon, are it coming up (its level a second later).
        self._came_up[new.entity_id] = (new.last_updated, powered)
        zone = self.controlled_zone(new.entity_id)
        if powered and zone is not None:
            self.last_touched[zone.zone_id] = wall_clock(
                dt_util.as_local(new.last_updated)
            )
            if self._note_powered_on(new):
                self.async_step([zone.zone_id])

    def _still_at_its_own_level(self, new: State) -> None:
        """Set our level on a bulb powered at the wall that reports its level late.

        What it reports is its own power-on level as much as its first report:
        ours follows at once, as it did then.
        """
        zone = self.controlled_zone(new.entity_id)
        at_the_wall = self._came_up[new.entity_id][1]
        if zone is not None and at_the_wall and self._note_powered_on(new):
            self.async_step([zone.zone_id])

    def _powered_at_the_wall(
        self, gone: State | None, before: State | None, new: State
    ) -> bool | None:
        """Take a light back on from unavailable (``gone``) as powered at the wall.

        A bulb cut at its wall switch is unavailable until someone switches it
        on there again; it then comes on at its own power-on level (a bright
        white, or the level it had). That is someone there, like a lamp lit by
        hand, but no level they chose: it is not held, and the engine sets our
        level. One back soon as it was (``before`` it went) dropped off the
        network, and one back soon that was not seen before it went (unavailable
        since the start) is its integration starting: neither is anybody's (None).
        Nor is one its integration sets up at last, however late (its hub was
        unreachable at the start): it showed the registry's placeholder till then.
        """
        if (
            new.domain != "light"
            or new.state != STATE_ON
            or gone is None
            or gone.attributes.get(ATTR_RESTORED)
        ):
            return None
        if new.last_updated - gone.last_changed <= DROPOUT_AT_MOST and (
            before is None or _settings(before) == _settings(new)
        ):
            return None
        zone = self.controlled_zone(new.entity_id)
        if zone is None:
            return None
        self.last_touched[zone.zone_id] = wall_clock(dt_util.as_local(new.last_updated))
        self._note_powered_on(new)
        return True

    def _note_powered_on(self, new: State) -> bool:
        """Have the engine set our level on light ``new``, at the bulb's own level.

        Only a light called itself: a lamp of a group we call keeps its level
        (calling the group would switch on or move its other lamps too).
        """
        zone = self.controlled_zone(new.entity_id)
        if zone is None:
            return False
        called = self._called_for(zone, new.entity_id)
        light = self._light_state(new.entity_id)
        if called is None or called[0] != new.entity_id or light is None:
            return False
        called[1].note_powered_on(light)
        return True

    def _coming_up(self, state: State) -> bool:
        """Whether light ``state`` is a later report of it coming up, nobody's.

        A person's (a user's) or an automation's change is not.
        """
        came_up = self._came_up.get(state.entity_id)
        return (
            came_up is not None
            and state.context.user_id is None
            and not self._automated(state.context)
            and state.last_updated - came_up[0] <= POWER_ON_REPORTS_WITHIN
        )

    def _lamp_went_or_came_back(self, group: State) -> bool:
        """Whether ``group`` changed as a lamp of it went or came back: nobody did.

        That lamp is unavailable now, or has just come back: seen going (not yet
        judged back) or judged back already (the order in which the two changes
        come is not known).
        """
        return any(
            state.state in _NO_STATE
            or state.entity_id in self._before_cut
            or self._coming_up(state)
            for state in self._changed_with(group)
        )

    def _changed_with(self, group: State) -> Iterator[State]:
        """Yield the members of light group ``group`` whose change moved it.

        A group shows its available lamps' mean, in the context of the lamp's
        change: the members now showing that context.
        """
        pending = list(_entity_ids(group.attributes.get(ATTR_ENTITY_ID)))
        seen: set[str] = set()
        while pending:
            member = pending.pop()
            state = self.hass.states.get(member)
            if member in seen or state is None or state.context.id != group.context.id:
                continue
            seen.add(member)
            yield state
            # A group of groups: its group changed in that lamp's context too.
            pending.extend(_entity_ids(state.attributes.get(ATTR_ENTITY_ID)))

    def _back_to_before_our_call(self, new: State) -> bool:
        """Whether thermostat ``new`` went back by itself to before our last call.

        Within the echo window, to just what it showed then: a stale report of
        the device, or a hand turning it back. A person's user (the app, the UI)
        says it is theirs; an automation's change is held at once, as any other.
        """
        sent = self._sent.get(new.entity_id)
        return (
            new.domain == "climate"
            and new.context.user_id is None
            and not self._automated(new.context)
            and sent is not None
            and sent.before == _settings(new)
            and new.last_updated - sent.when <= ECHO_WINDOW
        )

    def _judge_later(self, old: State, new: State, airing: bool) -> None:
        """Judge ``new`` when the echo window of the last call to it is over.

        We call a device again only minutes after the last call: waiting fights
        nobody.
        """
        entity_id = new.entity_id
        self._forget_unsure(entity_id)
        self._unsure[entity_id] = _Unsure(
            old,
            new,
            airing,
            async_track_point_in_utc_time(
                self.hass,
                partial(self._async_judge, entity_id),
                self._sent[entity_id].when + ECHO_WINDOW,
            ),
        )

    @callback
    def _async_judge(self, entity_id: str, _now: datetime) -> None:
        """Judge a thermostat that went back to what it showed before our call.

        Showing something else now (our call again), it was a stale report:
        nothing to hold or learn. Still showing it, a hand turned it back: the
        person's change, held and learned as of when they made it, but for an
        airing, which teaches nothing, as when judged at once.
        """
        unsure = self._unsure.pop(entity_id)
        state = self.hass.states.get(entity_id)
        zone = self.controlled_zone(entity_id)
        if state is None or zone is None or _settings(state) != _settings(unsure.new):
            return
        called = self._called_for(zone, entity_id)
        if self._hold_hands_change(
            zone, called, unsure.old, unsure.new, airing=unsure.airing
        ):
            self.coordinator.async_learn_person_change(unsure.new, unsure.old)

    def _forget_unsure(self, entity_id: str) -> None:
        if (unsure := self._unsure.pop(entity_id, None)) is not None:
            unsure.cancel()

    def _persons_change(
        self,
        zone: Zone,
        called: tuple[str, ZoneController] | None,
        new: State,
        *,
        teaches_comfort: bool,
    ) -> bool | None:
        """Hold the device a hand changed to ``new``; say if it was a person's.

        ``called``: the device we call for it (itself, or its group), if any.
        ``teaches_comfort``: a thermostat's change teaches a comfort, see
        ``_teaches_no_comfort``.
        """
        now = wall_clock(dt_util.as_local(new.last_updated))
        automation = self._automated(new.context)
        if not automation and (new.domain != "climate" or new.context.user_id is None):
            # A hand on it is someone there. A thermostat set from the app may be
            # set from anywhere (the bedroom's, from the sofa); a lamp is lit
            # from the app for the room one is in. An automation (lights at dusk,
            # a heating schedule) runs whoever is in.
            self.last_touched[zone.zone_id] = now
        if called is not None:
            # A lamp of a group we call holds the group: calling it would undo them.
            entity_id, engine = called
            # Timed in real time: across a change of the clocks the wall clock is not.
            end = new.last_updated + engine.settings.hold_duration
            until = wall_clock(dt_util.as_local(end))
            reason = engine.note_manual_change(
                entity_id,
                now,
                _what(entity_id),
                until,
                # What they set the thermostat to: at night, maybe what they
                # sleep at. Not what teaches no comfort (a boost's, a valve's
                # window function's): it would be kept every night after.
                climate=(
                    self._climate_state(entity_id)
                    if new.domain == "climate"
                    and new.entity_id == entity_id
                    and teaches_comfort
                    else None
                ),
                automated=automation,
            )
            self._drop_suggestion(entity_id)
            self._fire_hold(
                zone.zone_id, entity_id, reason, engine.holds[entity_id].until
            )
            self._notify(zone.zone_id)
        if self._echoes_lamps(zone, new):
            return None
        return None if automation else True

    @staticmethod
    def _echoes_lamps(zone: Zone, state: State) -> bool:
        """Whether ``state`` is a light group's whose lamps in the zone say the same.

        A group shows its lamps' mean, and each lamp of it changing on the way;
        nobody chose those: the lamps themselves teach what a person set.
        """
        if state.domain != "light":
            return False
        lamps = _entity_ids(state.attributes.get(ATTR_ENTITY_ID))
        return not lamps.isdisjoint(zone.actuators(Actuator.LIGHT))

    def _drives(self, driver: str, entity_id: str) -> bool:
        """Whether thermostat ``driver`` drives ``entity_id`` (as its own doing)."""
        state = self.hass.states.get(driver)
        driven = state.attributes.get(_UNDERLYING_ENTITIES) if state else None
        return entity_id in _entity_ids(driven)

    def _called_for(
        self, zone: Zone, entity_id: str
    ) -> tuple[str, ZoneController] | None:
        """Return the device we call for ``entity_id`` and its engine, if any.

        That is the device itself, or the group we call it through; a group that
        reaches beyond the zone is not called (its members are).
        """
        engines = self.zone_engines(zone)
        for called, members in self._members[zone.zone_id].items():
            if entity_id == called or entity_id in members:
                return called, engines[called]
        return None

    def _ours(self, state: State, old: State | None) -> bool:
        # Our call's own context only: one whose parent is ours is an automation
        # that our change set off (Home Assistant runs it so), another hand.
        if state.context.id in self._our_contexts:
            return True
        if state.context.user_id is not None:
            # A user's own call (from a dashboard or the app): a hand, however
            # near ours what it set; a device's echo comes in no user's name.
            return False
        # A light group moves with a lamp of it echoing our call: the lamp showing
        # the nearest white it has beside one showing ours moves the mean off ours.
        return self._echoes_our_call(state, old) or any(
            self._echoes_our_call(lamp, None) for lamp in self._changed_with(state)
        )

    def _note_taken(self, new: State, old: State | None) -> None:
        """Tell a thermostat's engine the setpoints it moved to for those we asked.

        Only those it moved now: a report of its new mode alone, its setpoint
        still the one before, tells nothing of what it made of ours.
        """
        sent = self._sent.get(new.entity_id)
        if new.domain != "climate" or sent is None or old is None:
            return
        zone = self.controlled_zone(new.entity_id)
        engines = {} if zone is None else self.engines.get(zone.zone_id, {})
        if (engine := engines.get(new.entity_id)) is None:
            return
        for key in _TEMPERATURE_KEYS:
            asked = as_number(sent.command.data.get(key))
            shown = self._celsius(new.attributes.get(key), new)
            before = self._celsius(old.attributes.get(key), old)
            if (
                asked is not None
                and shown is not None
                and shown != before
                and abs(shown - asked) <= self._setpoint_tolerance
            ):
                engine.note_taken(asked, shown)

    def _echoes_our_call(self, state: State, old: State | None) -> bool:
        """Whether ``state`` is the device reporting the last call that reached it."""
        sent = self._last_call_reaching(state)
        if sent is None:
            return False
        return (
            state.last_updated - sent.when <= ECHO_WINDOW
            and (
                self._shows(state, sent.command)
                or self._arriving(old, state, sent.command)
            )
        ) or _fading(state, old, sent)

    def _last_call_reaching(self, state: State) -> _Sent | None:
        """Return the last call made to ``state``'s device, or to the group we call.

        Home Assistant passes a group's call on to its lamps as it is, and a lamp
        may report it later in a context of its own (Zigbee and cloud lamps do).
        The groups are the last step's: this runs at every change of a light.
        """
        sent = self._sent.get(state.entity_id)
        zone = (
            self.controlled_zone(state.entity_id) if state.domain == "light" else None
        )
        if zone is None:
            return sent
        for group, members in self._members.get(zone.zone_id, {}).items():
            group_sent = self._sent.get(group)
            if (
                state.entity_id in members
                and group_sent is not None
                and (sent is None or group_sent.when > sent.when)
            ):
                return group_sent
        return sent

    def _shows(self, state: State, command: Command) -> bool:
        """Whether ``state`` shows what ``command`` asked for."""
        if command.service == "turn_off":
            return state.state != STATE_ON
        if command.service == "turn_on" and state.state != STATE_ON:
            return False
        return all(
            self._shows_value(state, key, wanted)
            for key, wanted in command.data.items()
            if key != ATTR_TRANSITION  # how it gets there, not what it shows
        )

    def _arriving(self, old: State | None, new: State, command: Command) -> bool:
        """Whether ``new`` is a step of ``command`` arriving, after ``old``.

        A device may report a call a setting at a time, each in a context of its
        own (a thermostat its new mode, then its setpoint). A step in which each
        setting that changed now shows what we asked for it is our call still
        arriving; a setting moved to anything else (back, say) is not ours.
        """
        if old is None or old.state in _NO_STATE:
            return False
        asked = dict(command.data)
        if command.service == "turn_on":
            asked["state"] = STATE_ON
        keys = _CLIMATE_KEYS if new.domain == "climate" else _LIGHT_KEYS
        return all(
            before == after
            or (key in asked and self._shows_value(new, key, asked[key]))
            for key, before, after in zip(
                keys, _settings(old), _settings(new), strict=True
            )
        )

    def _shows_value(self, state: State, key: str, wanted: Any) -> bool:
        """Whether ``state`` shows ``wanted``, what a call asked for ``key``."""
        attributes = state.attributes
        if key in ("hvac_mode", "state"):
            return bool(state.state == wanted)
        if key == ATTR_BRIGHTNESS_PCT:
            if attributes.get(ATTR_BRIGHTNESS) is None:
                # Some lamps (Zigbee, cloud) report our call as on with no level
                # yet, and the level a moment later: no level is none against ours.
                return state.state == STATE_ON
            brightness = as_number(attributes.get(ATTR_BRIGHTNESS))
            return (
                brightness is not None
                and abs(brightness / 2.55 - wanted) <= _BRIGHTNESS_TOLERANCE
            )
        if key in _TEMPERATURE_KEYS:
            shown = self._celsius(attributes.get(key), state)
            return shown is not None and abs(shown - wanted) <= self._setpoint_tolerance
        if key == ATTR_COLOR_TEMP_KELVIN:
            if key not in attributes:
                # No colour-temperature mode: Home Assistant sent the lamp the
                # colour of that temperature, and it shows that colour instead.
                return True
            # A lamp sent a white beyond its own (its group's reach further, and
            # Home Assistant passes the call on as it is) shows the nearest it has.
            wanted = _nearest(
                wanted,
                attributes.get(ATTR_MIN_COLOR_TEMP_KELVIN),
                attributes.get(ATTR_MAX_COLOR_TEMP_KELVIN),
            )
            kelvin = as_number(attributes.get(key))
            if kelvin is None:
                # Some lamps (of Zigbee2MQTT's, say) take the white and report it
                # as a colour: the white's own, on the line of whites.
                return _shows_white(attributes.get(ATTR_XY_COLOR), wanted)
            return bool(abs(kelvin - wanted) <= _KELVIN_TOLERANCE)
        return bool(attributes.get(key) == wanted)

    @callback
    def async_run_started(self, event: Event[Any]) -> None:
        """Remember the context of an automation's or a script's run as it starts.

        Its actions' calls carry it. Set off by a time, a time pattern or the sun,
        an automation runs with neither a user nor a parent to tell it by: its
        change would pass for a hand at the device.
        """
        self._run_contexts.add(event.context.id)

    def _automated(self, context: Context) -> bool:
        """Whether an automation or a script made a change in ``context``.

        One set off by something (a sensor, a person's call) has it as its parent;
        one set off by a time or the sun is known by its run's context.
        """
        return context.parent_id is not None or context.id in self._run_contexts

    # -- telling -----------------------------------------------------------------------

    def _fire(
        self,
        event_type: str,
        zone: Zone,
        command: Command,
        context: Context | None = None,
    ) -> None:
        self.hass.bus.async_fire(
            event_type,
            {
                "zone_id": zone.zone_id,
                "zone": zone.name,
                ATTR_ENTITY_ID: command.entity_id,
                "action": f"{command.domain}.{command.service}",
                "data": self._native_data(command),
                "reason": command.reason,
            },
            context=context,
        )

    def _fire_hold(
        self, zone_id: str, entity_id: str, reason: str, until: datetime | None
    ) -> None:
        # A hold is someone's wish, kept like a mode: a power cut must not lose it.
        self.coordinator.async_save_soon()
        self.hass.bus.async_fire(
            EVENT_HOLD,
            {
                "zone_id": zone_id,
                "zone": self.coordinator.zones[zone_id].name,
                ATTR_ENTITY_ID: entity_id,
                "until": aware_iso(until),
                "reason": reason,
            },
        )

    @callback
    def async_add_listener(
        self, zone_id: str, listener: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call ``listener`` whenever the zone's control changed."""
        listeners = self._listeners.setdefault(zone_id, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    @callback
    def async_status_changed(self, zone_id: str) -> None:
        """Show the zone's new status (it began or ended reading its history)."""
        self._notify(zone_id)

    def _notify(self, zone_id: str) -> None:
        for listener in list(self._listeners.get(zone_id, ())):
            listener()

    # -- state ---------------------------------------------------------------------------

    @property
    def zone_ids(self) -> set[str]:
        """The zones it keeps anything of: engines, or a state saved for them."""
        return {*self._saved, *self.engines}

    def to_dict(self) -> dict[str, Any]:
        """Return every engine's holds and recent calls as JSON data."""
        saved = dict(self._saved)
        for zone_id, engines in self.engines.items():
            saved[zone_id] = {
                entity_id: engine.to_dict() for entity_id, engine in engines.items()
            }
        return saved

    def load_dict(self, data: object) -> None:
        """Keep saved engine states; each is restored when its engine is made."""
        if isinstance(data, Mapping):
            self._saved = {
                str(zone_id): dict(engines)
                for zone_id, engines in data.items()
                if isinstance(engines, Mapping)
            }

    def sent_to_dict(self) -> dict[str, Any]:
        """Return the last call made to each device as JSON data.

        A radio thermostat may report a call back after a restart: it is no
        person's change.
        """
        return {
            entity_id: {**_command_to_dict(sent.command), "when": sent.when.isoformat()}
            for entity_id, sent in self._sent.items()
        }

    def load_sent(self, data: object) -> None:
        """Take the last calls :meth:`sent_to_dict` saved; an unreadable one is not."""
        if not isinstance(data, Mapping):
            return
        for entity_id, saved in data.items():
            try:
                command = _command_from_dict(str(entity_id), saved)
                when = datetime.fromisoformat(saved["when"])
            except KeyError, TypeError, ValueError, AttributeError:
                continue
            if when.tzinfo is not None:  # compared with aware state times
                self._sent[command.entity_id] = _Sent(command, when)

    def shown_to_dict(self) -> dict[str, Any]:
        """Return what thermostats showed, when last heard and before a gesture.

        Changed while Home Assistant restarts, a thermostat is someone's; a boost
        or a valve's window function ending after it is still nobody's change.
        """
        return {
            # In the unit they were shown in: switched while stopped, none holds.
            "unit": self.hass.config.units.temperature_unit,
            "heard": {
                entity_id: list(settings) for entity_id, settings in self._heard.items()
            },
            "gestures": {
                entity_id: [list(settings), since.isoformat()]
                for entity_id, (settings, since) in self._gestures.items()
            },
        }

    def load_shown(self, data: object) -> None:
        """Take what :meth:`shown_to_dict` saved; an unreadable entry is not."""
        if not isinstance(data, Mapping):
            return
        heard, gestures = data.get("heard"), data.get("gestures")
        if data.get("unit") != self.hass.config.units.temperature_unit:
            heard = gestures = None
        for entity_id, settings in (
            heard if isinstance(heard, Mapping) else {}
        ).items():
            if isinstance(settings, list):
                self._heard[str(entity_id)] = tuple(settings)
        for entity_id, saved in (
            gestures if isinstance(gestures, Mapping) else {}
        ).items():
            try:
                settings, since = saved
                self._gestures[str(entity_id)] = (
                    tuple(settings),
                    datetime.fromisoformat(since),
                )
            except TypeError, ValueError:
                continue

    def told_to_dict(self) -> dict[str, Any]:
        """Return the calls last reported (observe) and proposed (suggest) as JSON."""
        return {
            key: {
                entity_id: _command_to_dict(command)
                for entity_id, command in told.items()
            }
            for key, told in (("observed", self.observed), ("proposed", self.proposed))
        }

    def load_told(self, data: object) -> None:
        """Take what :meth:`told_to_dict` saved; an unreadable call is not."""
        if not isinstance(data, Mapping):
            return
        for key, told in (("observed", self.observed), ("proposed", self.proposed)):
            saved_calls = data.get(key)
            if not isinstance(saved_calls, Mapping):
                continue
            for entity_id, saved in saved_calls.items():
                try:
                    told[str(entity_id)] = _command_from_dict(str(entity_id), saved)
                except KeyError, TypeError, ValueError, AttributeError:
                    continue

    def last_actions_to_dict(self) -> dict[str, Any]:
        """Return each zone's last action as JSON data: the Control sensor shows it."""
        return {
            zone_id: {"when": aware_iso(when), "reason": reason}
            for zone_id, (when, reason) in self.last_action.items()
        }

    def load_last_actions(self, data: object) -> None:
        """Take what :meth:`last_actions_to_dict` saved; an unreadable one is not."""
        if not isinstance(data, Mapping):
            return
        for zone_id, saved in data.items():
            try:
                when = datetime.fromisoformat(saved["when"])
                reason = saved["reason"]
            except KeyError, TypeError, ValueError:
                continue
            if when.tzinfo is not None and isinstance(reason, str):
                self.last_action[str(zone_id)] = (
                    wall_clock(dt_util.as_local(when)),
                    reason,
                )


def _command_to_dict(command: Command) -> dict[str, Any]:
    return {
        "domain": command.domain,
        "service": command.service,
        "data": dict(command.data),
        "reason": command.reason,
    }


def _command_from_dict(entity_id: str, saved: Any) -> Command:
    """Return the command :func:`_command_to_dict` saved; raise if unreadable."""
    return Command(
        str(saved["domain"]),
        str(saved["service"]),
        entity_id,
        dict(saved["data"]),
        str(saved["reason"]),
    )


def _settings(state: State) -> tuple[Any, ...]:
    """Return what a person may have changed on a thermostat or light."""
    names = _CLIMATE_SETTINGS if state.domain == "climate" else _LIGHT_SETTINGS
    return (state.state, *(state.attributes.get(name) for name in names))


def _missing_settings(state: State, heard: tuple[Any, ...] | None) -> bool:
    """Whether thermostat ``state`` shows none of a setting it showed when ``heard``."""
    shown = _settings(state)
    return _as_heard(shown, heard) != shown


def _shown_as_before(
    before: tuple[Any, ...], now: tuple[Any, ...], heard: tuple[Any, ...] | None
) -> bool:
    """Whether settings ``now`` are those shown ``before``, or filled in as ``heard``.

    Each setting not shown before is shown now as last heard, or still not: a
    thermostat that has not reported its setpoint yet (or shows none in its
    mode), reading another room temperature, is nobody's change.
    """
    if heard is None or len(heard) != len(before) or len(now) != len(before):
        return before == now
    return all(
        shown == was or (was is None and shown == last)
        for was, shown, last in zip(before, now, heard, strict=True)
    )


def _as_heard(shown: tuple[Any, ...], heard: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """Return the settings ``shown``, each not shown (None) as ``heard`` last.

    Only where both have as many settings: one saved by another release may not.
    """
    if heard is None or len(heard) != len(shown):
        return shown
    return tuple(
        last if now is None else now for now, last in zip(shown, heard, strict=True)
    )


def _fading(state: State, old: State | None, sent: _Sent) -> bool:
    """Whether light ``state`` is a step of the fade our last call asked for.

    Until the fade is over, a lamp still on at a level between the one it showed
    before the call and the one the call takes it to is on its way there. On its
    way out it only dims from what it showed last (``old``, where known).
    """
    command = sent.command
    seconds = command.data.get(ATTR_TRANSITION)
    if (
        not seconds
        or sent.before is None
        or state.state != STATE_ON
        or state.last_updated - sent.when
        > timedelta(seconds=seconds) + _FADE_REPORTED_WITHIN
    ):
        return False
    was_on, brightness, kelvin = sent.before
    if was_on != STATE_ON:  # it fades up from dark, from whatever colour
        brightness, kelvin = 0, None
    attributes = state.attributes
    steps = _BRIGHTNESS_TOLERANCE * 2.55
    if command.service == "turn_off":
        # Some lamps warm as they dim: their colour says nothing of the fade.
        level = attributes.get(ATTR_BRIGHTNESS)
        if old is not None and old.state != STATE_ON:
            # Some show off at once and report their way down after, below where
            # they started; back on at that level is a remote's "on", a hand.
            start, now = as_number(brightness), as_number(level)
            return start is not None and now is not None and now < start - steps
        return _between(level, brightness, 0, steps) and (
            old is None
            or _between(level, old.attributes.get(ATTR_BRIGHTNESS), 0, steps)
        )
    wanted_pct = command.data.get(ATTR_BRIGHTNESS_PCT)
    return _between(
        attributes.get(ATTR_BRIGHTNESS),
        brightness,
        None if wanted_pct is None else wanted_pct * 2.55,
        steps,
    ) and _between(
        attributes.get(ATTR_COLOR_TEMP_KELVIN),
        kelvin,
        command.data.get(ATTR_COLOR_TEMP_KELVIN),
        _KELVIN_TOLERANCE,
    )


def _between(value: object, start: object, end: object, tolerance: float) -> bool:
    """Whether ``value`` lies between ``start`` and ``end`` (any of them None: yes)."""
    value, start, end = as_number(value), as_number(start), as_number(end)
    if value is None or start is None or end is None:
        return True
    return min(start, end) - tolerance <= value <= max(start, end) + tolerance


def _nearest(value: float, lowest: object, highest: object) -> float:
    """Return ``value`` brought within ``lowest`` and ``highest``, where they are read."""
    low, high = as_number(lowest), as_number(highest)
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value


def _shows_white(xy: object, kelvin: float) -> bool:
    """Whether a lamp showing the colour ``xy`` shows the white of ``kelvin``."""
    if not isinstance(xy, list | tuple) or len(xy) != 2:
        return False
    x, y = as_number(xy[0]), as_number(xy[1])
    if x is None or y is None or y <= 0:
        return False
    shown = color_util.color_xy_to_temperature(x, y)
    return (
        math.dist((x, y), _white_xy(shown)) <= _OFF_WHITE
        and abs(shown - kelvin) <= _KELVIN_TOLERANCE
    )


def _white_xy(kelvin: float) -> tuple[float, float]:
    """Return the CIE xy of the white of ``kelvin`` (kept within 1,667-25,000 K).

    The cubic fits of the Planckian locus by Kim et al. (2002).
    """
    t = min(max(kelvin, 1667.0), 25000.0)
    if t <= 4000:
        x = -0.2661239e9 / t**3 - 0.2343589e6 / t**2 + 0.8776956e3 / t + 0.179910
    else:
        x = -3.0258469e9 / t**3 + 2.1070379e6 / t**2 + 0.2226347e3 / t + 0.240390
    if t <= 2222:
        y = -1.1063814 * x**3 - 1.34811020 * x**2 + 2.18555832 * x - 0.20219683
    elif t <= 4000:
        y = -0.9549476 * x**3 - 1.37418593 * x**2 + 2.09137015 * x - 0.16748867
    else:
        y = 3.0817580 * x**3 - 5.87338670 * x**2 + 3.75112997 * x - 0.37001483
    return x, y


def merged_prediction(
    own: ZonePrediction,
    predictions: list[ZonePrediction],
    settings: ControlSettings,
    now: datetime,
) -> ZonePrediction:
    """Return ``own`` (a thermostat's own room's) for the rooms of ``predictions``.

    ``predictions`` are of the rooms whose people count, ``own`` among them where
    something sees people in its room. Occupied while any room is; the earliest
    arrival one is confident of (else the surest); a departure only where every
    occupied room expects its people to leave, the latest; everyone away, or on a
    trip, only where every room says so.
    Comfort, heating and windows stay the thermostat's own room's; so does the
    lighting, unless a shower is running in another room.
    """
    occupied = [p for p in predictions if p.occupied]
    arrivals = [p for p in predictions if p.next_arrival is not None]
    confident = [
        p for p in arrivals if p.arrival_confidence >= settings.preheat_confidence
    ]
    arrival = (
        min(confident, key=lambda p: p.next_arrival or now)
        if confident
        else max(arrivals, key=lambda p: p.arrival_confidence, default=own)
    )
    departure, departure_confidence = own.next_departure, own.departure_confidence
    if occupied:
        leaving = [
            p
            for p in occupied
            if p.next_departure is not None
            and p.departure_confidence >= settings.stop_confidence
        ]
        departure, departure_confidence = (
            (
                max(p.next_departure for p in leaving if p.next_departure),
                min(p.departure_confidence for p in leaving),
            )
            if len(leaving) == len(occupied)
            else (None, 0.0)
        )
    aways = [p.away_since for p in predictions]
    trips = [p.trip_since for p in predictions]
    shower = next(
        (p.lighting for p in predictions if showering(p.lighting)), own.lighting
    )
    return replace(
        own,
        occupied=bool(occupied),
        occupancy_probability=max(p.occupancy_probability for p in predictions),
        next_arrival=arrival.next_arrival,
        arrival_confidence=arrival.arrival_confidence,
        # The comfort of an arrival's hour is known for the thermostat's own room
        # only: another room's arrival is warmed for to now's.
        arrival_heating_setpoint=own.arrival_heating_setpoint
        if arrival is own
        else None,
        early_arrival=_earliest_early_arrival(own, predictions),
        next_departure=departure,
        departure_confidence=departure_confidence,
        away_since=None if None in aways else max(a for a in aways if a),
        trip_since=None if None in trips else max(t for t in trips if t),
        lighting=shower,
    )


def _earliest_early_arrival(
    own: ZonePrediction, predictions: list[ZonePrediction]
) -> EarlyArrival | None:
    """Return the earliest early arrival of the rooms, with its comfort if own's.

    Underfloor heating driven from the hallway starts in time for the bathroom's
    07:00 visit; the comfort of that hour is known for the hallway only.
    """
    early = min(
        (p.early_arrival for p in predictions if p.early_arrival is not None),
        key=lambda told: told.when,
        default=None,
    )
    if early is None or early is own.early_arrival:
        return early
    return replace(early, heating_setpoint=None)


def _brightest(lights: list[LightState]) -> LightState | None:
    """Return the brightest of the lights that are on, else one that is off."""
    lit = [light for light in lights if light.on]
    if lit:
        return max(
            lit,
            key=lambda light: (
                100.0 if light.brightness_pct is None else light.brightness_pct
            ),
        )
    return lights[0] if lights else None


def _zone_light(lights: list[LightState]) -> LightState:
    """Return the zone's lights as one: on if any is, as bright as the brightest."""
    lit = [light for light in lights if light.on]
    levels = [light.brightness_pct for light in lit if light.brightness_pct is not None]
    # A lamp that shows no brightness may be at full.
    brightest = max(levels) if lit and len(levels) == len(lit) else None
    return LightState(on=bool(lit), brightness_pct=brightest)


def _flags(value: object) -> int:
    """Return supported-feature flags; none where a bridge wrote something else."""
    number = as_number(value)
    return (
        int(number) if number is not None and number.is_integer() and number >= 0 else 0
    )


def _entity_ids(listed: object) -> set[str]:
    """Return the entity ids an attribute lists (a Hue room lists its lamps in a set)."""
    if isinstance(listed, list | tuple | set | frozenset):
        return {str(entity_id) for entity_id in listed}
    return set()


def _adaptive_lighting_made(context: Context) -> bool:
    """Whether Adaptive Lighting made ``context``: it marks the ids it makes so.

    Its ids read "<time>:al:<name>:<what>:<n>" (in older versions "al:<name>:…").
    """
    return ":al:" in context.id or context.id.startswith("al:")


def _service_calls(
    command: Command, data: dict[str, Any], shown: State | None
) -> list[tuple[str, dict[str, Any]]]:
    """Return the services, with their data, that carry out ``command``, in order.

    Home Assistant hands set_temperature's ``hvac_mode`` to the thermostat's
    integration, and many ignore it: a thermostat that is off would stay off at
    its new setpoint, and frost protection would heat nothing. So the mode is set
    first with set_hvac_mode, as Home Assistant's scenes do, where it is not the
    one shown, and the temperatures then go alone.
    """
    if (
        command.domain != CLIMATE_DOMAIN
        or command.service != SERVICE_SET_TEMPERATURE
        or ATTR_HVAC_MODE not in data
    ):
        return [(command.service, data)]
    mode = data[ATTR_HVAC_MODE]
    temperatures = {key: value for key, value in data.items() if key != ATTR_HVAC_MODE}
    if shown is not None and shown.state == mode:
        return [(command.service, temperatures)]
    return [
        (SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: mode}),
        (command.service, temperatures),
    ]


def _same_call(old: Command | None, new: Command) -> bool:
    """Whether two commands call the same (the reason's numbers move every minute)."""
    return old is not None and (old.service, old.data) == (new.service, new.data)


def _notification_id(entity_id: str) -> str:
    return f"{DOMAIN}_suggestion_{entity_id}"


def _what(entity_id: str) -> str:
    """Say what a held device is, in words: the logbook links which one it is."""
    return "the thermostat" if entity_id.startswith("climate.") else "the light"
