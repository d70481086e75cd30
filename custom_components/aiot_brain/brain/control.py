"""Deciding what to do in a zone: heating, cooling and lighting, safely.

:class:`ZoneController` turns one zone's prediction and readings into service-like
commands (``climate.set_temperature``, ``light.turn_on``...), each with a one-line
reason people can read, and reports every action it holds back with its reason too.
It is pure: plain dataclasses in, plain dataclasses out, no clock of its own.

Rules, in the order they win:

1. Safety bounds always hold: no heating target below frost protection's floor
   and no cooling target above heat protection's ceiling, even in ``off`` mode or
   while a person's hold is active.
2. A person's own change holds that entity for ``hold_duration`` or until the
   zone is next vacant, whichever comes first; at night in the dark, where people
   may be asleep, stillness ends no hold. A hold asked for (the hold action)
   lasts its whole time, empty zone or not, unless resumed.
3. An open window (contact, or inferred from a quick temperature drop) sends the
   zone to eco after ``window_delay``, or leaves it lower (away, empty, asleep),
   and, warmer outside, cools it only as heat protection does; comfort resumes
   when it closes.
4. The mode: ``off`` leaves the zone alone, ``away`` and ``eco`` set back,
   ``comfort`` holds the learned comfort setpoint, ``auto`` follows occupancy:
   comfort while occupied, optimum start before a predicted arrival, optimum stop
   before a predicted departure, setback when vacant long enough, and a quiet,
   dark zone at night is kept at the sleep temperature.
5. No flooding: no call that would change nothing, at least ``min_call_interval``
   between calls to one entity and at most ``max_calls_per_hour`` per entity.

The control level decides what becomes of a decision: ``observe`` only reports
it, ``suggest`` proposes it (not again one a person dismissed, until the zone is
next empty), ``automate`` returns it as a command to carry out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import StrEnum
import math
from typing import Any
import unicodedata

from .forecast import ARRIVAL_WINDOW_MINUTES, time_shown
from .lighting import MAX_MOTION_HOLD
from .saved import check_version, from_iso, from_number, to_iso
from .timefeatures import clock, clock_put_back, local_time
from .units import CELSIUS, TemperatureScale
from .waking import WakeTimes
from .zone import ZonePrediction

VERSION = 2
# Version 1 saved no ``asked`` flag with a hold: its holds were all ended by vacancy.
READABLE_VERSIONS = (1, 2)

HEAT = "heat"
COOL = "cool"
HEAT_COOL = "heat_cool"
AUTO = "auto"
OFF = "off"
FAN_ONLY = "fan_only"
DRY = "dry"
# Modes that neither heat nor cool, as someone left it: kept while the room needs
# neither way. Each in the words that say so.
_LEFT_ALONE_MODES = {OFF: "off", FAN_ONLY: "on fan only", DRY: "drying"}
# Modes that neither heat nor cool to a setpoint: what they show is the last one.
_NO_SETPOINT_MODES = frozenset({OFF, "fan_only", "dry"})
READY = "Ready for the arrival"  # at comfort, or as near as the device can get
READY_FOR_WAKING = "Ready for getting up"
READY_FOR_NIGHT = "Ready for the night"
# Motion in another zone this soon before motion here is someone walking in ...
_CAME_IN = timedelta(minutes=2)
# ... unless, in the night's first half, people had moved about there this long,
# with no break longer than this: someone up late there (a teenager in the
# kitchen), and the motion here a sleeper turning over. Whoever does walk in from
# there gets no light switched on for them: it is theirs to switch on, which says
# they are up. Not in the second half, when people get up: whoever comes into a
# room then comes from where the others are up.
_BUSY_ELSEWHERE = timedelta(minutes=10)
_ELSEWHERE_BREAK = timedelta(minutes=5)
# People moving about elsewhere (or with the light on here) for this much of this
# long, in the night's second half, got up for the day. A visit to the bathroom
# at 4 am is shorter; sleepers turning over in the next bedroom move a minute or
# two at a time, far apart.
_UP_ACTIVE = timedelta(minutes=12)
_UP_WITHIN = timedelta(minutes=20)
# °C: frost protection while a window is open, whatever the lowest setpoint.
_OPEN_WINDOW_FROST = 7.0
# A step counts for at most this long (the first after a restart, say).
_LONGEST_STEP = timedelta(minutes=2)
# Two times of one sensor's change, as the controller and the core each took it.
_SAME_MOMENT = timedelta(seconds=2)
# A light a person sets this dim (%) at night is a night light, not a reading lamp.
_NIGHT_LIGHT_PCT = 20.0
# People seen this long before a restart are taken to be still there after it.
_STILL_THERE = timedelta(hours=2)
# A device sent the same call this many times running, with nobody changing it in
# between, is not taking it (a cloud thermostat offline, a valve that rounds
# coarser than it says): the same call waits an hour, then two, four, at most ...
UNHEEDED_CALLS = 3
UNHEEDED_WAIT = timedelta(hours=1)
MAX_UNHEEDED_WAIT = timedelta(hours=8)
# A proposal dismissed where nothing sees the zone empty is made again a day on.
DECLINED_AT_MOST = timedelta(days=1)
# Seconds a light that can fade takes: on at once for whoever walks in, off
# gently in a room left empty (anyone still there sees it going, not a snap).
LIGHT_ON_TRANSITION = 1
LIGHT_OFF_TRANSITION = 3


class Mode(StrEnum):
    """What the zone (or the building) is asked to do."""

    AUTO = "auto"
    COMFORT = "comfort"
    ECO = "eco"
    AWAY = "away"
    OFF = "off"


class ControlLevel(StrEnum):
    """How far decisions go: reported, proposed or carried out."""

    OBSERVE = "observe"
    SUGGEST = "suggest"
    AUTOMATE = "automate"


@dataclass(frozen=True, slots=True)
class ControlSettings:
    """The bounds and timings a zone is controlled within.

    Temperatures are °C, offsets K. ``eco_offset`` and ``away_offset`` set back from
    the comfort setpoint (down when heating, up when cooling, by at most
    ``cooling_setback_offset``), as does ``setback_offset`` while the zone is empty
    in auto mode (up by ``vacant_cooling_offset`` when cooling). ``cooling_margin``
    is how far above the comfort setpoint cooling starts; a heat_cool thermostat
    heats from ``heat_cool_slack`` below it (at most that far: rounding to the
    thermostat's step goes towards the comfort).
    Pre-heating starts at ``preheat_confidence`` and, once started, goes on while the
    arrival stays above ``preheat_keep_confidence`` and no more than
    ``preheat_slack`` later than planned, so a forecast hovering at the threshold
    does not switch between pre-heating and setback; a setback's reason names the
    arrival alike. A light
    goes off after the learned vacancy delay once the occupancy model puts the zone
    below ``light_empty_below``, otherwise only after ``light_quiet_floor`` without
    motion (a person sitting still can miss a motion sensor for ten minutes). Where
    the zone's door moved after the last motion inside, whoever was seen went out
    through it: the light goes off after ``light_after_door`` without motion, or
    sooner where the zone has learned that people seldom stay behind and are
    seldom still for long, unless CO2 still rises as people breathing there make
    it (someone stayed behind). Neither while the TV is on or humidity rises as a
    shower makes it. Nor while the door is shut behind someone who came in, for up
    to an hour without motion (see :meth:`~.lighting.ExitWatch.shut_behind`).
    A room within ``near_comfort`` of comfort is near enough: optimum start has
    it that near by the arrival (the thermostat, set to comfort, brings the rest
    as people come in), optimum stop lets it drift that far before they leave.
    Reasons write temperatures on ``scale``. Where the building's ``time_zone`` is
    given, the rate limits count real time also while the core's clock eases over
    a change of the clocks (see :func:`~.timefeatures.wall_clock`).
    """

    frost_protection: float = 7.0
    heat_protection: float = 30.0
    min_temperature: float = 12.0
    max_temperature: float = 26.0
    eco_offset: float = 3.0
    setback_offset: float = 4.0
    away_offset: float = 5.0
    cooling_margin: float = 0.5
    cooling_setback_offset: float = 2.0
    vacant_cooling_offset: float = 0.5
    heat_cool_slack: float = 0.5
    sleep_temperature: float | None = 18.5
    night_start: time = time(20, 0)
    night_end: time = time(9, 0)
    quiet_for_sleep: timedelta = timedelta(minutes=20)
    preheat_confidence: float = 0.6
    preheat_keep_confidence: float = 0.45
    preheat_slack: timedelta = timedelta(minutes=30)
    preheat_margin: timedelta = timedelta(minutes=15)
    max_preheat: timedelta = timedelta(hours=4)
    setback_after: timedelta = timedelta(minutes=45)
    stop_confidence: float = 0.7
    near_comfort: float = 0.5
    window_delay: timedelta = timedelta(minutes=5)
    hold_duration: timedelta = timedelta(hours=2)
    vacant_after: timedelta = timedelta(minutes=15)
    occupied_memory: timedelta | None = None
    light_empty_below: float = 0.2
    light_quiet_floor: timedelta = timedelta(minutes=20)
    light_after_door: timedelta = timedelta(minutes=10)
    min_call_interval: timedelta = timedelta(minutes=5)
    max_calls_per_hour: int = 4
    preset_temperatures: Mapping[str, float] = field(default_factory=dict)
    scale: TemperatureScale = CELSIUS
    time_zone: tzinfo | None = None


SHOWERING = "humidity is rising as a shower makes it"

# The presets that serve each wish, nearest first: a setback falls back on another
# setback, never on comfort.
PRESET_CHOICES: dict[str, tuple[str, ...]] = {
    "comfort": ("comfort", "home"),
    "eco": ("eco", "away", "sleep"),
    "away": ("away", "eco"),
    "sleep": ("sleep", "eco", "away"),
}

# What a preset is called in a device's own words (a French pilot-wire radiator's
# "Confort", a German one's "Absenkung"), as it lowers, folds and unaccents it.
# Frost protection ("Hors-gel", "Frostschutz") is none of them: 7 °C is no setback.
PRESET_NAMES: dict[str, str] = {
    "confort": "comfort",
    "komfort": "comfort",
    "conforto": "comfort",
    "economy": "eco",
    "economie": "eco",
    "absenkung": "eco",
    "absent": "away",
    "abwesend": "away",
    # A valve's or thermostat's setback for being away for days.
    "holiday": "away",
    "vacation": "away",
    "urlaub": "away",
    "vacances": "away",
    "vakantie": "away",
    "night": "sleep",
    "nuit": "sleep",
    "nacht": "sleep",
    "horsgel": "frost",
    "antifrost": "frost",
    "frostguard": "frost",
    "frostprotection": "frost",
    "frostschutz": "frost",
}

# Presets that keep a temperature of their own, set for something else than being
# comfortable: a setback's, a boost's, or one that follows motion (Versatile
# Thermostat's "activity", comfort's or eco's by turns). A target they show is
# nobody's wish now.
PRESETS_OF_THEIR_OWN = frozenset({"eco", "away", "sleep", "boost", "frost", "activity"})


def preset_kind(name: str) -> str:
    """Return the preset ``name`` stands for, in Home Assistant's own words.

    A name of Home Assistant's ("comfort", "eco") is itself; one in a device's
    own words, in any case or with accents, is the one it means where known.
    """
    folded = "".join(
        letter
        for letter in unicodedata.normalize("NFKD", name.casefold())
        if letter.isalnum()
    )
    return PRESET_NAMES.get(folded, folded)


@dataclass(frozen=True, slots=True)
class ClimateDevice:
    """A thermostat and what it supports, as its HA entity shows it."""

    entity_id: str
    hvac_modes: tuple[str, ...] = (OFF, HEAT)
    preset_modes: tuple[str, ...] = ()
    supports_temperature: bool = True  # one target temperature
    supports_range: bool = True  # a low and a high target
    min_temp: float = 7.0
    max_temp: float = 35.0
    step: float = 0.5

    @property
    def presets_only(self) -> bool:
        """Whether the thermostat is driven by presets alone."""
        return (
            not self.supports_temperature
            and not self.supports_range
            and bool(self.preset_modes)
        )

    @property
    def holds_band(self) -> bool:
        """Whether it heats below one target and cools above another at once."""
        return HEAT_COOL in self.hvac_modes and self.supports_range

    @property
    def band_only(self) -> bool:
        """Whether a heat/cool band is the only target it takes."""
        return self.holds_band and not self.supports_temperature

    @property
    def can_heat(self) -> bool:
        """Whether the thermostat has a mode that heats.

        One driven by presets alone whose modes name neither way (only "auto", say)
        is taken for a heater, as pilot-wire radiators are.
        """
        modes = self.hvac_modes
        if HEAT in modes or HEAT_COOL in modes:
            return True
        return self.presets_only and COOL not in modes

    @property
    def heating_mode(self) -> str | None:
        """Return the HVAC mode that switches it on to heat; None if it has none."""
        return next(
            (mode for mode in (HEAT, HEAT_COOL, AUTO) if mode in self.hvac_modes),
            None,
        )

    @property
    def can_cool(self) -> bool:
        """Whether the thermostat has a mode that cools."""
        return COOL in self.hvac_modes or HEAT_COOL in self.hvac_modes

    def reaches(self, lowest: float, highest: float) -> bool:
        """Whether it takes a target between ``lowest`` and ``highest``."""
        return takes_target_between(self.min_temp, self.max_temp, lowest, highest)


def takes_target_between(
    device_lowest: float, device_highest: float, lowest: float, highest: float
) -> bool:
    """Whether a thermostat's range meets ``lowest`` to ``highest``.

    One whose range does not keeps no room (a sauna's 40-110 °C, say): it is left
    alone, and neither its temperature nor its heating is the room's.
    """
    return max(device_lowest, lowest) <= min(device_highest, highest)


@dataclass(frozen=True, slots=True)
class ClimateState:
    """A thermostat's current state."""

    hvac_mode: str
    temperature: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    preset_mode: str | None = None


@dataclass(frozen=True, slots=True)
class LightDevice:
    """A light and what it supports.

    ``colour_managed`` marks a light whose colour another integration (such as
    Adaptive Lighting) manages: we switch it and set its brightness only.
    ``fades`` marks one that takes a transition.
    """

    entity_id: str
    supported_color_modes: tuple[str, ...] = ("brightness",)
    min_kelvin: int = 2000
    max_kelvin: int = 6500
    colour_managed: bool = False
    fades: bool = False


@dataclass(frozen=True, slots=True)
class LightState:
    """A light's current state."""

    on: bool
    brightness_pct: float | None = None
    color_temp_kelvin: float | None = None


@dataclass(frozen=True, slots=True)
class ZoneReadings:
    """What the zone's entities show now."""

    temperature: float | None = None
    outdoor_temperature: float | None = None
    window_open: bool | None = None
    last_motion: datetime | None = None
    climate: ClimateState | None = None
    # The thermostat, back from unavailable, has yet to show each setting it
    # showed before: left alone meanwhile (its climate state is None).
    climate_settling: bool = False
    light: LightState | None = None
    # When a door of the zone was last seen open (now while it is open).
    last_door: datetime | None = None
    # When motion was last seen in any other zone: someone moving here just after
    # came in from there. Only looked up where it tells a sleeper from an arrival.
    last_motion_elsewhere: datetime | None = None
    # Where when motion was last seen is not known (after a restart): since when
    # the motion sensors are known to have seen nobody (at a first start, before
    # it as far as the recorder shows). Lights wait from it.
    quiet_since: datetime | None = None
    # A TV is on, or a video plays: people watching sit still for an hour.
    screen_on: bool = False
    # Whether anything can see people here: a motion or presence sensor that
    # reads, or phones placed in rooms.
    sees_people: bool = True
    # Where the readings are of a whole floor or home (a thermostat that heats the
    # rooms around it without one of their own): its name for reasons ("the
    # home"), and the room people are in (or were last seen in), where that is
    # another than this one.
    home: str | None = None
    people_in: str | None = None


@dataclass(frozen=True, slots=True)
class Command:
    """A service call to make, and why."""

    domain: str
    service: str
    entity_id: str
    data: Mapping[str, Any]
    reason: str


# The temperatures a thermostat's call may set, in °C.
_TEMPERATURES = ("temperature", "target_temp_low", "target_temp_high")


def _shows(light: LightState | None, data: Mapping[str, Any]) -> bool:
    """Whether ``light`` shows the level and white of turn_on ``data`` already.

    Within a percent and the 100 K a lamp's whites are judged by: a lamp's own
    rounding makes no call.
    """
    if light is None:
        return False
    wanted = data.get("brightness_pct")
    if wanted is not None and (
        light.brightness_pct is None or abs(light.brightness_pct - wanted) > 1
    ):
        return False
    kelvin = data.get("color_temp_kelvin")
    return kelvin is None or (
        light.color_temp_kelvin is not None
        and abs(light.color_temp_kelvin - kelvin) <= 100
    )


def same_proposal(old: Command | None, new: Command, scale: TemperatureScale) -> bool:
    """Whether ``new`` proposes what ``old`` did, perhaps updated.

    A lamp to switch on for someone staying is the same proposal when the light
    it would give moves with the hour (warmer from 18:00, say); a thermostat's is
    while its targets stay less than a degree (on ``scale``) from ``old``'s, as
    the comfort learned moves by half a degree.
    """
    if old is None or (old.domain, old.service) != (new.domain, new.service):
        return False
    if old.data == new.data:
        return True
    if new.domain == "light":
        return new.service == "turn_on"
    if old.data.keys() != new.data.keys():
        return False
    for key, value in new.data.items():
        before = old.data[key]
        if key not in _TEMPERATURES:
            if value != before:
                return False
        # Rounded: whole °F kept in °C may be 0.9999 °F apart.
        elif round(abs(float(value) - float(before)) * scale.per_kelvin, 1) >= 1.0:
            return False
    return True


@dataclass(frozen=True, slots=True)
class Decision:
    """What was decided for one entity: a command, or a reason to do nothing.

    ``command`` is what would be called; ``act`` says whether the caller should
    call it now (automate), ``suggest`` whether it is to be proposed.
    ``decide_again_in`` is how soon (real time) a wait this decision rests on
    runs out, with nothing else changing: a light kept on until the zone has
    been quiet for its delay goes off then, not at the next minute's step, and
    a call waiting for its turn goes when its turn comes.
    """

    entity_id: str
    reason: str
    command: Command | None = None
    act: bool = False
    suggest: bool = False
    held: bool = False
    decide_again_in: timedelta | None = None


@dataclass(frozen=True, slots=True)
class CallWait:
    """Why a call to a device must wait, and how long (real time) is left."""

    reason: str
    left: timedelta


def _soonest(*waits: timedelta | None) -> timedelta | None:
    """Return the shortest of ``waits`` still to run; None if none is."""
    return min((wait for wait in waits if wait), default=None)


@dataclass(frozen=True, slots=True)
class _SameCalls:
    """The last call to a device, and how many alike were made in a row."""

    key: tuple[Any, ...]
    when: datetime
    count: int


def _call_key(service: str, data: Mapping[str, Any]) -> tuple[Any, ...]:
    """Return what makes two calls alike: the service and its data."""
    return (service, tuple(sorted(data.items())))


@dataclass(slots=True)
class Hold:
    """An entity we leave alone for a while, after a person's change or when asked.

    ``asked`` holds (the hold action) last until ``until``: whoever asked may well
    have meant the empty room. A person's change only holds while they are there.
    ``automated``: made by an automation, so that a lamp it dimmed at night is no
    night light someone left on for a sleeper.
    """

    since: datetime
    until: datetime
    reason: str
    asked: bool = False
    automated: bool = False


@dataclass(frozen=True, slots=True)
class Declined:
    """A proposal a person dismissed: "not now", until the zone is next empty."""

    command: Command
    when: datetime


@dataclass(frozen=True, slots=True)
class _Target:
    """What the thermostat should do: heat to ``heat``, cool above ``cool``.

    ``hold`` is the one temperature to keep, both ways, on a thermostat with a
    single target for heating and cooling: the season's comfort, which is also what
    ``heat`` and ``cool`` are rounded towards.
    """

    heat: float | None
    cool: float | None
    preset: str
    reason: str
    hold: float | None = None


@dataclass(frozen=True, slots=True)
class _Comfort:
    """The comfort a zone is controlled around.

    ``season`` is what people want in the season the thermostat works in; a band
    heats from ``heat`` and cools from above ``cool``, which differ where people
    want it cooler when heating than when cooling (heat to 20 °C, cool above 24 °C).
    """

    season: float
    heat: float
    cool: float

    def for_sleep(self, sleep: float) -> _Comfort:
        """Return this comfort warming to no more than ``sleep``.

        Cooling starts where it does while people sleep: above the cooling comfort.
        """
        return _Comfort(
            min(self.season, sleep), min(self.heat, sleep), max(self.cool, sleep)
        )


def thermostat_setting(
    attributes: Mapping[str, Any],
    before: Mapping[str, Any],
    read: Callable[[Any], float | None],
) -> dict[str, float | None]:
    """Return a thermostat's setpoints, and its band before, in °C.

    As :func:`wanted_temperature` and :func:`wanted_cooling` take them, from its
    state's attributes now and before (named as Home Assistant names them), each
    value made °C by ``read`` (None: none, or unreadable). Home Assistant's glue
    and the simulator read their states with it.
    """
    return {
        "temperature": read(attributes.get("temperature")),
        "low": read(attributes.get("target_temp_low")),
        "high": read(attributes.get("target_temp_high")),
        "old_low": read(before.get("target_temp_low")),
        "old_high": read(before.get("target_temp_high")),
    }


def wanted_temperature(
    hvac_mode: str | None,
    temperature: float | None,
    *,
    low: float | None,
    high: float | None,
    old_low: float | None,
    old_high: float | None,
    settings: ControlSettings,
) -> float | None:
    """Return the temperature a thermostat's setting asks for (a comfort label).

    Read as a controller with ``settings`` sets it, so that a label and the target
    made of it agree. A single setpoint is the warmth wanted, except in cool mode,
    where cooling starts the settings' ``cooling_margin`` above the coolness
    wanted. A band's lower edge is where heating starts: in heat_cool mode, where
    the controller keeps a band, ``heat_cool_slack`` below the warmth wanted; in
    another mode (a band shown in auto) the warmth wanted itself: the controller
    sets no band in that mode.
    Where only a band's upper edge just moved (see :func:`_band_cooled`), that edge
    is where cooling should start. A thermostat that is off, or only dries or
    blows air, asks for none: what it shows then is its last setpoint, or its
    lowest (evohome's 5 °C).
    """
    if hvac_mode in _NO_SETPOINT_MODES:
        return None
    margin = settings.cooling_margin
    if temperature is not None:
        return temperature - margin if hvac_mode == COOL else temperature
    if _band_cooled(low, high, old_low, old_high):
        assert high is not None
        return high - margin
    if low is None or hvac_mode != HEAT_COOL:
        return low
    return low + settings.heat_cool_slack


def wanted_cooling(
    hvac_mode: str | None,
    temperature: float | None,
    *,
    low: float | None,
    high: float | None,
    old_low: float | None,
    old_high: float | None,
) -> bool | None:
    """Return whether what a thermostat's setting asks for is wanted when cooling.

    True in cool mode, or where a band's upper edge just moved alone; False in heat
    mode, or for a band's lower edge; None for one target kept both ways (auto,
    heat/cool), which the season tells.
    """
    if hvac_mode in (HEAT, COOL):
        return hvac_mode == COOL
    if temperature is not None:
        return None
    return _band_cooled(low, high, old_low, old_high)


def _band_cooled(
    low: float | None,
    high: float | None,
    old_low: float | None,
    old_high: float | None,
) -> bool:
    """Whether a band's upper edge just moved alone: the coolness someone wants.

    Brought down, someone wants it cooler (a thermostat keeping its least gap
    may push the lower edge down with it); raised with the lower edge where it
    was, someone finds the cooling too cold. Raised with the lower edge moved, the
    lower edge says what they want.
    """
    if high is None or old_high is None or math.isclose(high, old_high):
        return False
    if low is None or old_low is None:
        return True
    if high < old_high:
        return low <= old_low
    return math.isclose(low, old_low, abs_tol=0.01)


def showering(lighting: Mapping[str, Any]) -> bool:
    """Whether a shower runs: someone is behind its curtain, out of sensors' view."""
    return bool(lighting.get("steam_rising"))


def _dim(light: LightState) -> bool:
    """Whether a light is no brighter than a night light."""
    return light.brightness_pct is not None and light.brightness_pct <= (
        _NIGHT_LIGHT_PCT
    )


def _not_set_back(setback_reason: str) -> str:
    """Say that an empty zone is not set back, for the setback's own reason.

    "setback: empty since 08:15, arrival predicted 17:30" would read as one
    while the room stays at comfort.
    """
    return f"{setback_reason.removeprefix('setback: ')}, not set back"


def _minutes(span: timedelta) -> int:
    return round(span.total_seconds() / 60)


# K: the lowest and highest setpoints are given to a hundredth of a degree (as the
# options keep them): 60 °F is kept as 15.56 °C, a hair above it, and is still
# 60 °F, neither 61 °F on a thermostat's step nor above a room at 60 °F.
BOUNDS_KEPT_TO = 0.005
# The setpoints a thermostat rounding to a grid of its own was seen to take kept:
# a band's two edges, and the single target of the other way.
TAKEN_KEPT = 4


def _snap(value: float, step: float, toward: float | None = None) -> float:
    """Put ``value`` on the device's step: the nearest, or the nearest on ``toward``'s side."""
    if step <= 0:
        return round(value, 2)
    steps = round(value / step, 6)  # 20.4999999 is 20.5
    if toward is None or abs(toward - value) < 1e-9:
        # Halves up, as a thermostat's own rounding goes: round() takes 20.5 to
        # 20 but 21.5 to 22 (to the even one).
        steps = math.floor(steps + 0.5)
    elif toward > value:
        steps = math.ceil(steps)
    else:
        steps = math.floor(steps)
    return round(steps * step, 2)


class ZoneController:
    """The decision engine of one zone.

    Parameters
    ----------
    name
        The zone's name, for reasons.
    settings
        Bounds and timings (:class:`ControlSettings`).
    climate
        The zone's thermostat, if any.
    light
        The zone's light, if any.

    Feed it people's changes with :meth:`note_manual_change` and call
    :meth:`decide` about once a minute; carry out the decisions whose ``act`` is
    True and report them with :meth:`record_call`.

    Example:
        >>> from datetime import datetime
        >>> from custom_components.aiot_brain.brain.zone import ZoneBrain
        >>> controller = ZoneController("Study", climate=ClimateDevice("climate.study"))
        >>> now = datetime(2026, 1, 5, 9, 0)
        >>> prediction = ZoneBrain(21.0).predict_one(now)
        >>> readings = ZoneReadings(20.0, 5.0, climate=ClimateState("heat", 17.0))
        >>> [d.reason for d in controller.decide(now, prediction, readings, Mode.COMFORT)]
        ['Heating Study to 21.0 °C: comfort mode']

    """

    def __init__(
        self,
        name: str,
        settings: ControlSettings | None = None,
        *,
        climate: ClimateDevice | None = None,
        light: LightDevice | None = None,
    ) -> None:
        """Start with no holds and no calls made."""
        self.name = name
        self.settings = settings or ControlSettings()
        self.climate = climate
        self.light = light
        self.holds: dict[str, Hold] = {}
        self.declined: dict[str, Declined] = {}
        self.calls: dict[str, list[datetime]] = {}
        self.same_calls: dict[str, _SameCalls] = {}
        # The entities whose last call was refused (a Zigbee command lost, say):
        # it did not reach them.
        self.refused: set[str] = set()
        # The setpoints the thermostat showed for the ones last asked of it (a
        # target, or a band's two edges), where it rounds to a grid of its own
        # (21 °C for 20.5, whole degrees with no step shown): there already, so
        # asking again would change nothing. Asked: shown, the latest TAKEN_KEPT.
        self.taken_as: dict[float, float] = {}
        self.window_open_since: datetime | None = None
        self.window_eco = False
        self.occupied: bool | None = None
        self.asleep_since: datetime | None = None
        self.fell_asleep: datetime | None = None  # when sleep last began here
        # Night, dark, and someone here since nightfall: stillness may be sleep.
        self.sleep_possible = False
        # Motion seen here since sleep began that nobody brought in: sleepers
        # (slept in once the room stays dark after it, see _first_stir).
        self.sleepers_stirred = False
        # That motion came just after motion elsewhere, as someone walking in,
        # but the door had stayed shut: the door reporting a moment after the
        # motion sensor still says someone came in (see _settle_stir).
        self.stirred_behind_shut_door = False
        # Since when people have moved about in other zones, and when they were
        # last seen there, as looked up while that matters (see
        # ``needs_motion_elsewhere``).
        self.busy_elsewhere_since: datetime | None = None
        self.busy_elsewhere_seen: datetime | None = None
        # Sleepers seen here since the night's sleep began (or no sensor to tell):
        # only then is the room slept in, warmed for getting up, and may fall
        # asleep again late in the night. A living room left dark at bedtime is
        # quiet and dark too, and nobody sleeps there.
        self.slept_here = False
        # The mornings the people who sleep here got up (see _watch_getting_up),
        # the spell up being watched, and since when the room warms for getting up.
        self.wake_times = WakeTimes()
        self.up_since: datetime | None = None
        self.up_for = timedelta(0)
        self.watched_at: datetime | None = None
        self.waking_since: datetime | None = None
        # The temperature people here set by hand at night and slept on at: the
        # zone's own sleep temperature from then on, in place of the options'.
        # One just set waits, with when it was set, until they lie still
        # (see _settle_night_setting).
        self.chosen_sleep: float | None = None
        self.night_setting: tuple[datetime, float] | None = None
        # The last target worked out for the thermostat was the sleep
        # temperature, held by a person since or not (not saved: the next step
        # after a restart works it out again).
        self.kept_for_sleep = False
        # A person set the light dim tonight: a night light, left on till morning.
        self.night_light = False
        self.was_lit = False  # a light was on at the last step
        # The light as it came on at its wall switch, at the bulb's own power-on
        # level, while it still shows that and no call was made to it since.
        # Not saved: one a restart loses is left at that level.
        self.powered_on: LightState | None = None
        # When the room was last seen lit (a night light left on leaves it dark),
        # and since when it has been lit, if it is.
        self.last_lit: datetime | None = None
        self.lit_since: datetime | None = None
        self.was_occupied = False
        # Someone arrived with the light off, and it has been neither on nor set
        # by hand since: at the suggest level its proposal stands while they stay.
        self.arrival_unanswered = False
        # When a step last found people here. After a restart, when motion was
        # last seen is not known: this says whether the zone was used tonight.
        self.last_occupied: datetime | None = None
        self.restarted = False  # restored from a state that says the above
        self.last_motion: datetime | None = None  # when people were last seen
        self.vacant_since: datetime | None = None
        # How long before the arrival pre-heating began, and when, while it goes on.
        self.preheat_lead: timedelta | None = None
        self.preheat_since: datetime | None = None
        # The arrival the last target's reason named, as it said it: a setback
        # goes on naming it (see ``_arrival_named``). Words alone, not saved: after
        # a restart it is named afresh.
        self.arrival_named: datetime | None = None
        self.last_reasons: dict[str, str] = {}

    # -- people ----------------------------------------------------------------

    def note_manual_change(
        self,
        entity_id: str,
        when: datetime,
        what: str,
        until: datetime | None = None,
        *,
        climate: ClimateState | None = None,
        how: str = "changed by hand",
        automated: bool = False,
    ) -> str:
        """Hold ``entity_id`` after a person's change; return the hold's reason.

        The hold lasts ``hold_duration``; a caller that knows the change of the
        clocks gives its end ``until`` (the wall clock may repeat or skip an hour).
        ``how`` says what was seen of the change, unless an automation made it
        (``automated``).
        ``climate`` is what a person set the zone's thermostat to: set while the
        room was kept at the sleep temperature, it may be the one they want to
        sleep at (see ``_settle_night_setting``).
        """
        if automated:
            how = "changed by an automation"
        # An automation's setting is nobody's to sleep at: never a night setting.
        heat = None if climate is None or automated else self._heats_to(climate)
        if (
            heat is not None
            and self.climate is not None
            and entity_id == self.climate.entity_id
            and self.kept_for_sleep
            and not self._got_up()
        ):
            self.night_setting = (when, heat)
        until = until or when + self.settings.hold_duration
        self.same_calls.pop(entity_id, None)  # it changes, so it takes calls
        held = self.holds.get(entity_id)
        if held is not None and held.asked:
            # Held when asked: a hand on it meanwhile may hold it longer, but cuts
            # that short neither by its own time nor by the zone going empty.
            until = max(held.until, until)
            reason = (
                f"Holding {what} in {self.name} until {self._clock(until)}: "
                f"asked to hold, {how} at {self._clock(when)}"
            )
            self.holds[entity_id] = replace(held, until=until, reason=reason)
            return reason
        reason = (
            f"Holding {what} in {self.name}: {how} at {self._clock(when)}, "
            f"left alone until {self._clock(until)} or until the zone is empty"
        )
        self.holds[entity_id] = Hold(when, until, reason, automated=automated)
        return reason

    def note_powered_on(self, light: LightState) -> None:
        """Note the light come on at its wall switch, showing ``light``.

        That is the bulb's own power-on level, nobody's choice: the next step
        sets the level we would have switched it on at, unless held.
        """
        self.powered_on = light

    def decline(self, command: Command, when: datetime) -> None:
        """Note a proposal a person dismissed at ``when``: not made again meanwhile.

        What else may be proposed for the device still is (switching it off,
        another temperature): the no was to this.
        """
        self.declined[command.entity_id] = Declined(command, when)

    def _end_declines(self, now: datetime) -> None:
        """Forget the proposals dismissed before the zone was last empty.

        Whoever said no has gone; at night in the dark, where they may lie in bed,
        stillness is no leaving (as for a hold).
        """
        for entity_id, declined in list(self.declined.items()):
            left = (
                self.vacant_since is not None
                and self.vacant_since > declined.when
                and not self.sleep_possible
            )
            if left or self._elapsed(declined.when, now) >= DECLINED_AT_MOST:
                del self.declined[entity_id]

    def forget_nights(self) -> None:
        """Forget when the people who sleep here get up, and what they sleep at.

        The zone was reset.
        """
        self.wake_times = WakeTimes()
        self.up_since = self.waking_since = None
        self.forget_sleep_temperature()

    def forget_sleep_temperature(self) -> None:
        """Forget what people set here to sleep at: the options' holds again."""
        self.chosen_sleep = self.night_setting = None

    def rename_zone(self, name: str) -> None:
        """Take the zone's new name: its area renamed, or the device moved to another.

        The holds' reasons name the zone, and a hold lasts hours: they say the new.
        """
        for hold in self.holds.values():
            hold.reason = hold.reason.replace(f" in {self.name}", f" in {name}", 1)
        self.name = name

    def hold(
        self, entity_id: str, when: datetime, until: datetime, what: str, why: str
    ) -> None:
        """Hold ``entity_id`` until ``until``, empty zone or not (a service asked).

        A hold running longer keeps its end: asking to be left alone for a while
        does not hand the device back sooner than a person's change holds it.
        """
        if (held := self.holds.get(entity_id)) is not None:
            until = max(until, held.until)
        until_shown = self._clock(until)
        reason = f"Holding {what} in {self.name} until {until_shown}: {why}"
        self.holds[entity_id] = Hold(when, until, reason, asked=True)

    def resume(self, entity_id: str | None = None) -> None:
        """End the hold of one entity, or of all when ``entity_id`` is None."""
        if entity_id is None:
            self.holds.clear()
        else:
            self.holds.pop(entity_id, None)

    def rename(self, old: str, new: str) -> None:
        """Carry the holds and recent calls of an entity whose id was renamed."""
        if old in self.holds:
            self.holds[new] = self.holds.pop(old)
        if old in self.declined:
            declined = self.declined.pop(old)
            command = replace(declined.command, entity_id=new)
            self.declined[new] = replace(declined, command=command)
        if old in self.calls:
            self.calls[new] = self.calls.pop(old)
        if old in self.same_calls:
            self.same_calls[new] = self.same_calls.pop(old)

    def active_hold(
        self, entity_id: str, now: datetime, *, still_in: bool = False
    ) -> Hold | None:
        """Return the entity's hold if it still applies at ``now``.

        While the person who made it is known to be ``still_in``, the zone
        counting as empty does not end it.
        """
        hold = self.holds.get(entity_id)
        if hold is None:
            return None
        if clock_put_back(now, hold.since):
            # Made before the clock was put back: it holds as long from now.
            hold = replace(hold, since=now, until=now + (hold.until - hold.since))
            self.holds[entity_id] = hold
        # A person who turned the bedroom up and lies still in bed is not gone.
        ended_by_vacancy = (
            not hold.asked
            and not still_in
            and self.vacant_since is not None
            and self.vacant_since > hold.since
            and not self.sleep_possible
        )
        if now >= hold.until or ended_by_vacancy:
            del self.holds[entity_id]
            return None
        return hold

    # -- rate limits -------------------------------------------------------------

    def record_call(
        self, entity_id: str, when: datetime, command: Command | None = None
    ) -> None:
        """Note that a call to ``entity_id`` (``command``, if known) was made."""
        # Called since it came on at the wall: set, or changed anyway.
        self.powered_on = None
        self.refused.discard(entity_id)
        recent = self._calls_within_the_hour(entity_id, when)
        recent.append(when)
        self.calls[entity_id] = recent
        if command is not None:
            key = _call_key(command.service, command.data)
            last = self.same_calls.get(entity_id)
            count = last.count + 1 if last is not None and last.key == key else 1
            self.same_calls[entity_id] = _SameCalls(key, when, count)

    def note_refused(self, entity_id: str) -> None:
        """Note that the last call to ``entity_id`` was refused: it never got it."""
        self.refused.add(entity_id)

    def note_taken(self, asked: float, shown: float) -> None:
        """Note the thermostat showing ``shown`` (°C) in answer to ``asked``."""
        self.taken_as.pop(asked, None)
        if shown != asked:
            self.taken_as[asked] = shown
            while len(self.taken_as) > TAKEN_KEPT:
                del self.taken_as[next(iter(self.taken_as))]

    def _shows_setpoint(self, shown: float | None, value: float) -> bool:
        """Whether a thermostat showing ``shown`` is at ``value``, as it takes it."""
        return shown == value or (
            shown is not None and self.taken_as.get(value) == shown
        )

    def _unheeded(self, command: Command, now: datetime) -> CallWait | None:
        """Return why ``command`` waits, its device not taking it; None if it may go.

        Sent again and again, it would be sent 4 times an hour for ever.
        """
        last = self.same_calls.get(command.entity_id)
        if (
            last is None
            or last.count < UNHEEDED_CALLS
            or last.key != _call_key(command.service, command.data)
        ):
            return None
        wait = min(
            UNHEEDED_WAIT * 2 ** (last.count - UNHEEDED_CALLS), MAX_UNHEEDED_WAIT
        )
        if not (left := self._left(last.when, wait, now)):
            return None
        again = self._moment(last.when) + wait
        return CallWait(
            f"the last {last.count} calls alike were not taken, "
            f"next try at {self._clock(again, now)}",
            left,
        )

    def rate_limited(
        self, entity_id: str, now: datetime, *, spaced: bool = True
    ) -> CallWait | None:
        """Return why a call to ``entity_id`` must wait, or None if it may go.

        Not ``spaced``, it need not wait the least interval since the last one:
        only the calls of the hour count.
        """
        settings = self.settings
        recent = self._calls_within_the_hour(entity_id, now)
        if spaced and recent:
            last = recent[-1]
            if left := self._left(last, settings.min_call_interval, now):
                wait = self._moment(last) + settings.min_call_interval
                return CallWait(
                    f"last call at {self._clock(last)}, "
                    f"next allowed at {self._clock(wait)}",
                    left,
                )
        if len(recent) >= settings.max_calls_per_hour:
            return CallWait(
                f"{len(recent)} calls in the last hour, "
                f"at most {settings.max_calls_per_hour} allowed",
                # Until the first of them is an hour old.
                self._left(min(recent), timedelta(hours=1), now),
            )
        return None

    def _calls_within_the_hour(self, entity_id: str, now: datetime) -> list[datetime]:
        """Return the calls to ``entity_id`` made in the real hour before ``now``.

        Not those made before the clock was put back: they are long past.
        """
        return [
            when
            for when in self.calls.get(entity_id, [])
            if self._elapsed(when, now) < timedelta(hours=1)
        ]

    def _left(self, since: datetime, wait: timedelta, now: datetime) -> timedelta:
        """Return how much of ``wait`` from ``since`` is still to run: 0 once over."""
        return wait - min(self._elapsed(since, now), wait)

    def _elapsed(self, since: datetime, now: datetime) -> timedelta:
        """Return the real time from ``since`` to ``now``, both of the core's clock.

        Every wait counts real time: the core's clock runs at half or one and a
        half times real speed around a change of the clocks, and an open window's
        five minutes are no three and a third that night. A time more than an
        hour ahead of ``now`` was stamped before the clock was put back: long past.
        """
        if clock_put_back(now, since):
            return timedelta.max
        return self._moment(now) - self._moment(since)

    def _moment(self, when: datetime) -> datetime:
        """Return the real moment a time of the core's clock stands for.

        Around a change of the clocks the core's clock runs at half or one and a
        half times real speed: an hour of it is no hour of calls to a device.
        """
        zone = self.settings.time_zone
        return when if zone is None else local_time(when, zone).astimezone(UTC)

    # -- saying times ----------------------------------------------------------------

    def _clock(self, when: datetime, now: datetime | None = None) -> str:
        """Say a time of the core's clock, or an aware moment, as the clocks showed it."""
        return clock(when, now, self.settings.time_zone)

    def _predicted(self, when: datetime, now: datetime) -> str:
        """Say a predicted time as the forecast's sensors show it."""
        return self._clock(time_shown(when, now), now)

    # -- deciding ------------------------------------------------------------------

    def decide(
        self,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        mode: Mode = Mode.AUTO,
        level: ControlLevel = ControlLevel.AUTOMATE,
    ) -> list[Decision]:
        """Return one decision per controlled entity, each with its reason."""
        self._track_occupancy(now, prediction, readings)
        self._track_window(now, prediction, readings)
        self._track_sleep(now, readings)
        self._end_declines(now)
        decisions: list[Decision] = []
        if self.climate is not None:
            decisions.append(
                self._unavailable(
                    self.climate.entity_id,
                    "thermostat",
                    settling=readings.climate_settling,
                )
                if readings.climate is None
                else self._decide_climate(now, prediction, readings, mode, level)
            )
        if self.light is not None:
            decisions.append(
                self._unavailable(self.light.entity_id, "light")
                if readings.light is None
                else self._decide_light(now, prediction, readings, mode, level)
            )
        for decision in decisions:
            self.last_reasons[decision.entity_id] = decision.reason
        return decisions

    def _unavailable(
        self, entity_id: str, what: str, *, settling: bool = False
    ) -> Decision:
        """Say that a device showing no state is left alone, not what it was doing.

        A call would do nothing; the reason before it went would read as if it
        still did that. One ``settling`` is back, but not yet all there.
        """
        why = (
            "it is back, and has yet to report each of its settings"
            if settling
            else "it is unavailable"
        )
        return Decision(entity_id, f"Leaving {self.name}'s {what} alone: {why}")

    def _track_occupancy(
        self, now: datetime, prediction: ZonePrediction, readings: ZoneReadings
    ) -> None:
        # People there when Home Assistant stopped hours ago are there no more.
        self.was_occupied = bool(self.occupied) and (
            self.last_occupied is None
            or self._elapsed(self.last_occupied, now) <= _STILL_THERE
        )
        last_motion = readings.last_motion
        if last_motion is None and readings.quiet_since is not None:
            # Seen by nobody since a restart: whoever was seen just before it
            # (reading, still, with the heating turned up) is there still.
            last_motion = self.last_motion
        self.last_motion = last_motion
        if not readings.sees_people:
            # Nothing here sees people come or go (a thermostat alone, a door or
            # CO2 sensor): taken as used, not set back on a model that cannot
            # tell, unless everyone is away (their phones say so).
            occupied = prediction.away_since is None
        elif last_motion is None:
            occupied = prediction.occupied
            if (
                not occupied
                and self.occupied is None
                and self._watched_too_briefly(readings, now)
                and not self._is_bedtime(now)
            ):
                # Nobody seen since we began to watch, not for long: someone
                # sitting still since before looks the same. Not known yet. (At
                # bedtime the sleep rule takes such a room as maybe slept in.)
                occupied = None
        else:
            # Optionally, a high probability without motion for ``occupied_memory``
            # counts as the model's memory of people rather than people (off by
            # default: people who sleep by day lie still too).
            quiet_for = self._elapsed(last_motion, now)
            memory = self.settings.occupied_memory
            occupied = (
                quiet_for < self.settings.vacant_after
                or (prediction.occupied and (memory is None or quiet_for < memory))
                or showering(prediction.lighting)
            )
        if occupied:
            self.vacant_since = None
            self.last_occupied = now
        elif occupied is not None and self.vacant_since is None:
            self.vacant_since = now
        self.occupied = occupied

    def _watched_too_briefly(self, readings: ZoneReadings, now: datetime) -> bool:
        """Whether nobody seen since watching began is too short to say it is empty.

        Motion seen going off then would keep the zone occupied ``vacant_after``.
        """
        watched_since = readings.quiet_since
        return (
            watched_since is not None
            and self._elapsed(watched_since, now) < self.settings.vacant_after
        )

    def _track_window(
        self, now: datetime, prediction: ZonePrediction, readings: ZoneReadings
    ) -> None:
        is_open = (
            readings.window_open
            if readings.window_open is not None
            else bool(prediction.window_open)
        )
        if not is_open:
            self.window_open_since = None
            self.window_eco = False
        elif self.window_open_since is None:
            self.window_open_since = now
        elif self._elapsed(self.window_open_since, now) >= self.settings.window_delay:
            self.window_eco = True

    def _finish(
        self,
        now: datetime,
        entity_id: str,
        command: Command | None,
        reason: str,
        level: ControlLevel,
        *,
        spaced: bool = True,
    ) -> Decision:
        """Apply the control level and the rate limits to a wanted command.

        Not ``spaced`` (a light for someone who walked in), it waits for no least
        interval since the last call, only for the hour's cap.
        """
        if command is None:
            return Decision(entity_id, reason)
        if level is ControlLevel.OBSERVE:
            return Decision(entity_id, f"Observing only: {reason}", command)
        # An accepted suggestion is a call too: it is proposed only once it may go.
        limited = self.rate_limited(entity_id, now, spaced=spaced) or self._unheeded(
            command, now
        )
        if limited is not None:
            return Decision(
                entity_id,
                f"Waiting ({limited.reason}): {reason}",
                command,
                held=True,
                decide_again_in=limited.left,
            )
        if level is ControlLevel.SUGGEST:
            declined = self.declined.get(entity_id)
            if declined is not None and same_proposal(
                declined.command, command, self.settings.scale
            ):
                dismissed = (
                    f"dismissed at {self._clock(declined.when, now)}, "
                    f"until {self.name} is empty"
                )
                return Decision(
                    entity_id, f"Not now ({dismissed}): {reason}", command, held=True
                )
            return Decision(entity_id, f"Suggested: {reason}", command, suggest=True)
        return Decision(entity_id, reason, command, act=True)

    # -- climate ---------------------------------------------------------------------

    def _bounds(self) -> tuple[float, float]:
        """Return the safety floor and ceiling: the configured ones and the device's."""
        assert self.climate is not None
        settings, device = self.settings, self.climate
        return (
            max(settings.frost_protection, device.min_temp),
            min(settings.heat_protection, device.max_temp),
        )

    def _beyond_bounds(self) -> str | None:
        """Say why a thermostat whose range lies beyond the bounds is left alone.

        No target is both within its range and the lowest and highest setpoints:
        it keeps no room (a sauna's 40-110 °C, say), and any we asked would be
        refused, or protect a room from what its bathers want.
        """
        assert self.climate is not None
        settings, device = self.settings, self.climate
        if device.reaches(settings.frost_protection, settings.heat_protection):
            return None
        degrees = settings.scale.degrees
        return (
            f"Leaving {self.name}'s thermostat alone: it takes "
            f"{degrees(device.min_temp)} to {degrees(device.max_temp)}, beyond the "
            f"lowest and highest setpoints ({degrees(settings.frost_protection)} to "
            f"{degrees(settings.heat_protection)})"
        )

    def _bounds_on_step(self) -> tuple[float, float]:
        """Return the lowest and highest targets on the device's step within bounds.

        The floor rounds up to the step and the ceiling down, so that a target put
        on the step never leaves the bounds (a floor of 16.5 °C is 17 °C on a
        whole-degree thermostat, not 16 °C).
        """
        assert self.climate is not None
        step = self.climate.step
        floor, ceiling = self._bounds()
        lowest = _snap(floor - BOUNDS_KEPT_TO, step, toward=math.inf)
        highest = _snap(ceiling + BOUNDS_KEPT_TO, step, toward=-math.inf)
        if lowest > highest:
            # No step lies within the bounds: the step nearest their middle stands
            # for both, so that no target can flap between the two steps around.
            lowest = highest = _snap((floor + ceiling) / 2, step)
        return lowest, highest

    def _protected(self, target: _Target) -> _Target:
        """Put a target on the device's step, within the configured and its bounds."""
        assert self.climate is not None
        device = self.climate
        lowest, highest = self._bounds_on_step()

        def snapped(value: float | None, toward: float | None = None) -> float | None:
            if value is None:
                return None
            return min(max(_snap(value, device.step, toward), lowest), highest)

        # The cooling edge, and a band's heating edge, already stand a margin off
        # the comfort: rounding them away from it would widen that margin by up to
        # half a step, enough for people to feel.
        heat = snapped(target.heat, target.hold if device.holds_band else None)
        cool = snapped(target.cool, target.hold)
        hold = snapped(target.hold)
        if (
            heat is not None
            and cool is not None
            and cool - heat < device.step / 2
            and device.can_heat
            and device.can_cool
        ):
            # Both on one step (the band closed): the nearest steps instead. A
            # device that goes one way only has no band to close.
            heat, cool = snapped(target.heat), snapped(target.cool)
        if heat is not None and cool is not None and cool < heat:
            cool = heat
        return replace(target, heat=heat, cool=cool, hold=hold)

    def _comfort_bounds(self, setpoint: float) -> float:
        settings = self.settings
        return min(max(setpoint, settings.min_temperature), settings.max_temperature)

    def _setback(
        self,
        comfort: _Comfort,
        offset: float,
        preset: str,
        why: str,
        *,
        cool_offset: float | None = None,
    ) -> _Target:
        settings = self.settings
        if cool_offset is None:
            # Sun and equipment warm an empty room fast: cooling sets back less.
            cool_offset = min(offset, settings.cooling_setback_offset)
        return _Target(
            heat=max(comfort.heat - offset, settings.frost_protection),
            cool=min(
                comfort.cool + settings.cooling_margin + cool_offset,
                settings.heat_protection,
            ),
            preset=preset,
            reason=why,
        )

    def _comfort(self, comfort: _Comfort, why: str) -> _Target:
        cool = comfort.cool + self.settings.cooling_margin
        return _Target(comfort.heat, cool, "comfort", why)

    def _zone_comfort(
        self, prediction: ZonePrediction, heating: float | None = None
    ) -> _Comfort:
        """Return the comfort to control around, within the configured bounds.

        ``heating`` stands for the prediction's heating comfort where given (that
        of an arrival's hour). A thermostat that only heats (or only cools) has
        one season, whatever the weather: it is never asked to heat to what people
        want when cooling. One that does both heats from the heating comfort and
        cools from the cooling one, each no nearer than the season's comfort: a
        cool summer morning is not heated to the summer's comfort, nor a sunny
        winter room cooled to the winter's. Where people want it warmer when
        heating than when cooling, both are the season's comfort.
        """
        assert self.climate is not None
        can_heat, can_cool = self.climate.can_heat, self.climate.can_cool
        if heating is None:
            heating = prediction.heating_setpoint
        cooling = prediction.cooling_setpoint
        season = prediction.comfort_setpoint
        if can_heat and not can_cool and heating is not None:
            season = heating
        elif can_cool and not can_heat and cooling is not None:
            season = cooling
        season = self._comfort_bounds(season)
        return _Comfort(
            season,
            heat=season
            if heating is None
            else min(season, self._comfort_bounds(heating)),
            cool=season
            if cooling is None
            else max(season, self._comfort_bounds(cooling)),
        )

    def _target(
        self,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        mode: Mode,
    ) -> _Target:
        """Return the temperature the zone should head for now, and why."""
        comfort = self._zone_comfort(prediction)
        target = self._target_around(comfort, now, prediction, readings, mode)
        # One target kept both ways can only be the season's comfort: any other
        # would drive the room the wrong way (a setback's edge would cool a
        # sunny room down to it).
        return replace(target, hold=comfort.season)

    def _target_around(
        self,
        comfort: _Comfort,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        mode: Mode,
    ) -> _Target:
        """Return the target around ``comfort`` for the mode, occupancy and window."""
        aim = self._aim(comfort, now, prediction, readings, mode)
        if not self.window_eco:
            return aim
        # An open window saves at least eco. An aim set back further (away, an
        # empty room, sleep) stands.
        window = self._setback(comfort, self.settings.eco_offset, "eco", "window open")
        outdoor, current = readings.outdoor_temperature, readings.temperature
        if outdoor is not None and current is not None and outdoor >= current:
            # The window lets the heat in: cooling would cool the street, and
            # only heat protection cools. Colder out, it helps the cooling.
            window = replace(window, cool=self.settings.heat_protection)
        return self._saving_at_least(window, aim, f"{aim.reason}, window open")

    @staticmethod
    def _saving_at_least(least: _Target, aim: _Target, why: str) -> _Target:
        """Return setback ``least``, or ``aim`` (for ``why``) where it saves more.

        ``aim`` heats less than ``least`` then; it cools no more than ``least``.
        """
        # A setback has both edges.
        assert least.heat is not None
        assert least.cool is not None
        if aim.heat is None or aim.heat >= least.heat:
            return least
        cool = least.cool if aim.cool is None else max(aim.cool, least.cool)
        return replace(aim, cool=cool, reason=why)

    def _aim(
        self,
        comfort: _Comfort,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        mode: Mode,
    ) -> _Target:
        """Return the target around ``comfort`` for the mode and the occupancy."""
        settings = self.settings
        preheat_lead, self.preheat_lead = self.preheat_lead, None
        named, self.arrival_named = self.arrival_named, None
        if mode is Mode.AWAY:
            return self._setback(comfort, settings.away_offset, "away", "away mode")
        if mode is Mode.ECO:
            eco = self._setback(comfort, settings.eco_offset, "eco", "eco mode")
            if self.occupied is not False:  # occupied, or not known yet
                return eco
            # Eco saves at least what auto does: an empty room (at night, or on a
            # trip) set back further stays there, but is not warmed for an arrival.
            vacant = self._vacant_target(
                now, prediction, readings, comfort, None, named=named
            )
            self.preheat_lead = None
            return self._saving_at_least(eco, vacant, f"eco mode, {vacant.reason}")
        if mode is Mode.COMFORT:
            return self._comfort(comfort, "comfort mode")
        if self.occupied is None:
            # Not known yet whether anyone is here: an open window's eco is all.
            return self._comfort(comfort, "nobody known to be here yet")
        if self.occupied:
            return self._occupied_target(now, prediction, readings, comfort)
        return self._vacant_target(
            now, prediction, readings, comfort, preheat_lead, named=named
        )

    def _occupied_target(
        self,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        comfort: _Comfort,
    ) -> _Target:
        settings = self.settings
        if self.asleep_since is not None and settings.sleep_temperature is not None:
            return self._sleeping_target(now, prediction, readings, comfort)
        departure = prediction.next_departure
        drift = self._drift_time(readings, comfort.season)
        if (
            departure is not None
            and departure > now
            and prediction.departure_confidence >= settings.stop_confidence
            and drift is not None
            and departure - now <= drift
        ):
            return self._setback(
                comfort,
                settings.eco_offset,
                "eco",
                f"departure predicted {self._predicted(departure, now)} "
                f"({prediction.departure_confidence:.0%}), "
                f"it stays within {settings.scale.difference(settings.near_comfort)} "
                "until then",
            )
        if not readings.sees_people:
            return self._comfort(comfort, "no sensor here sees people come or go")
        if not prediction.occupied and showering(prediction.lighting):
            return self._comfort(comfort, f"occupied, {SHOWERING}")
        last_motion = self.last_motion
        where = "" if readings.people_in is None else f" in {readings.people_in}"
        if not prediction.occupied and last_motion is not None:
            # Motion a few minutes ago keeps it occupied, not the model, which
            # already doubts it: its probability would read as a contradiction.
            return self._comfort(
                comfort, f"occupied, motion{where} at {self._clock(last_motion, now)}"
            )
        probability = prediction.occupancy_probability
        return self._comfort(comfort, f"occupied{where} ({probability:.0%})")

    def _sleeping_target(
        self,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        comfort: _Comfort,
    ) -> _Target:
        """Return the target of a room people sleep in: the sleep temperature.

        Where they usually get up soon, it is at comfort by then, as a schedule's
        wake period would have it: the time it takes to warm up (optimum start)
        before the time they usually get up, until they do (``preheat_slack``
        after it at the latest).
        """
        waking = self._waking_target(now, prediction, readings, comfort)
        if waking is not None:
            return waking
        self.waking_since = None
        sleep = self._sleep_temperature()
        assert sleep is not None
        which = (
            "sleep temperature"
            if self.chosen_sleep is None
            else "the sleep temperature people set here"
        )
        return _Target(
            sleep,
            max(sleep, comfort.cool) + self.settings.cooling_margin,
            "sleep",
            f"quiet and dark at night: {which}",
        )

    def _sleep_temperature(self) -> float | None:
        """Return the temperature people sleep at here; None where nobody sleeps.

        The one they set here by hand at night and slept on at, within the
        bounds, or else the options'. Emptied in the options, nobody sleeps here.
        """
        sleep = self.settings.sleep_temperature
        if sleep is None or self.chosen_sleep is None:
            return sleep
        return self._comfort_bounds(self.chosen_sleep)

    def explain_sleep(self) -> str | None:
        """Say what people set here to sleep at; None where they did not.

        There the options' sleep temperature holds.
        """
        sleep = self._sleep_temperature()
        if sleep is None or self.chosen_sleep is None:
            return None
        degrees = self.settings.scale.degrees(sleep)
        return f"sleeps at {degrees}, as people set it here at night"

    def _heats_to(self, state: ClimateState) -> float | None:
        """Return the comfort a thermostat showing ``state`` heats to, if it heats.

        Read as a comfort label is: a band set to 19.5-24 °C sleeps at 20 °C, which
        we send as 19.5 °C again.
        """
        if state.hvac_mode not in (HEAT, HEAT_COOL):
            return None
        value = wanted_temperature(
            state.hvac_mode,
            state.temperature,
            low=state.target_low,
            high=state.target_high,
            old_low=None,
            old_high=None,
            settings=self.settings,
        )
        return value if value is not None and math.isfinite(value) else None

    def _waking_target(
        self,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        comfort: _Comfort,
    ) -> _Target | None:
        """Return the comfort a slept-in room warms to for getting up, or None.

        The comfort of the hour people get up, where the brain was told it (see
        ``waking_at``): at 03:00, the room warms for 06:30's, not 03:00's.
        """
        wake = self.waking_at(now)
        if wake is None:
            return None
        waking = prediction.waking_heating_setpoint
        if waking is not None:
            comfort = self._zone_comfort(prediction, waking)
        verb, needed = self._warming(prediction, readings, comfort)
        if needed is None:
            return None
        if self.waking_since is None:
            if wake - now > self._start_lead(needed):
                return None
            self.waking_since = now  # and goes on as the room nears comfort
        up = f"usually up at {self._clock(wake, now)}"
        if verb == READY:
            return self._comfort(comfort, f"{READY_FOR_WAKING}: {up}")
        return self._comfort(comfort, f"{verb}: {up}{self._needed(needed)}")

    def waking_at(self, now: datetime) -> datetime | None:
        """Return when the people who slept here usually get up, if still ahead.

        Only for a thermostat, which warms the room for it; None in the night's
        first half, once they are up, or ``preheat_slack`` after it. The glue has
        the brain tell that hour's comfort (``waking_heating_setpoint``).
        """
        if self.climate is None:
            return None
        wake = self.wake_times.predict_one(now)
        if (
            wake is None
            or self._is_bedtime(now)
            or self._got_up()
            or now > wake + self.settings.preheat_slack
        ):
            return None
        return wake

    def _start_lead(self, needed: timedelta) -> timedelta:
        """Return how long ahead warming starts: what it takes, with a margin."""
        settings = self.settings
        return min(needed + settings.preheat_margin, settings.max_preheat)

    def _needed(self, needed: timedelta) -> str:
        """Say how long warming takes: ", 42 min needed"."""
        over = "over " if needed >= self.settings.max_preheat else ""
        return f", {over}{_minutes(needed)} min needed"

    def _got_up(self) -> bool:
        """Whether the people who slept here last were seen getting up since."""
        mornings = self.wake_times.mornings
        return (
            bool(mornings)
            and self.fell_asleep is not None
            and mornings[-1] >= self.fell_asleep
        )

    def _vacant_target(
        self,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        comfort: _Comfort,
        preheat_lead: timedelta | None,
        *,
        named: datetime | None,
    ) -> _Target:
        """Return the target of an empty zone: set back, or warmed for an arrival.

        ``named`` is the arrival the last target's reason named, if it did.
        """
        settings = self.settings
        if prediction.trip_since is not None:
            # Nobody comes back at the usual time: warm for no arrival until
            # someone is home again.
            return self._setback(
                comfort,
                settings.away_offset,
                "away",
                f"empty, everyone away since "
                f"{self._clock(prediction.trip_since, now)}, far longer than usual",
            )
        arrival, confidence = prediction.next_arrival, prediction.arrival_confidence
        # What an arrival is warmed to: its hour's comfort. The setback stays
        # now's comfort's, or a forecast wavering over an arrival would move it.
        arriving = prediction.arrival_heating_setpoint
        # A room that must start before the next arrival is told warms for an
        # early one (see _slow_to_warm), and once warming goes on for it.
        early = prediction.early_first
        if early is not None and (
            preheat_lead is not None
            or self._slow_to_warm(prediction, readings, early.heating_setpoint)
        ):
            arrival, confidence = early.when, early.confidence
            arriving = early.heating_setpoint
        confident = confidence >= settings.preheat_confidence
        keep_preheating = (
            preheat_lead is not None and confidence >= settings.preheat_keep_confidence
        )
        arrival_comfort = comfort
        if arriving is not None:
            arrival_comfort = self._zone_comfort(prediction, arriving)
        sleep = self._sleep_for(arrival)
        if sleep is not None:
            arrival_comfort = arrival_comfort.for_sleep(sleep)
        if arrival is not None and (confident or keep_preheating):
            verb, needed = self._warming(prediction, readings, arrival_comfort)
            ready = verb == READY
            if sleep is not None:  # said: it would read as a cold welcome
                verb = READY_FOR_NIGHT if ready else f"{verb} for the night"
            lead = arrival - now
            start_lead = None if needed is None else self._start_lead(needed)
            starts = confident and start_lead is not None and lead <= start_lead
            # Once warming, the room reaching comfort early or the forecast wavering
            # a little is no reason to let it cool again; an arrival that keeps
            # moving later (nobody comes: a holiday) is, past the slack.
            goes_on = (
                keep_preheating
                and preheat_lead is not None
                and self.preheat_since is not None
                and arrival - self.preheat_since
                <= preheat_lead + settings.preheat_slack
            )
            if needed is not None and (starts or goes_on):
                if preheat_lead is None or self.preheat_since is None:
                    self.preheat_since = now
                self.preheat_lead = preheat_lead or start_lead
                why = (
                    f"{verb}: arrival predicted {self._predicted(arrival, now)} "
                    f"({confidence:.0%})"
                )
                if not ready:
                    why += self._needed(needed)
                self.arrival_named = time_shown(arrival, now)
                return self._comfort(arrival_comfort, why)
        expected_back = arrival if arrival is not None and confident else None
        if expected_back is not None and expected_back - now < settings.setback_after:
            self.arrival_named = time_shown(expected_back, now)
            return self._comfort(
                arrival_comfort,
                f"empty, but arrival predicted {self._predicted(expected_back, now)} "
                f"({confidence:.0%}){'' if sleep is None else ', for the night'}",
            )
        # A moment, not a running "for N min": the reason (a state attribute,
        # recorded at each change) stays the same while nothing else changes.
        since = (
            f" since {self._clock(self.vacant_since, now)}"
            if self.vacant_since is not None
            else ""
        )
        if (
            since
            and readings.quiet_since is not None
            and self.last_motion is None
            and self.last_occupied is None
        ):
            # Watched, and nobody ever seen: empty on that alone, no motion went off.
            since += " (nobody seen yet)"
        if (
            self.asleep_since is not None
            and settings.sleep_temperature is not None
            and self._sleepers_seen(readings)
        ):
            # Sleepers lie still for longer than it takes to look empty: each
            # turning over would otherwise switch the room between two targets.
            return self._sleeping_target(now, prediction, readings, comfort)
        self.arrival_named = self._arrival_named(now, prediction, named)
        back = (
            ", no arrival expected soon"
            if self.arrival_named is None
            else f", arrival predicted {self._clock(self.arrival_named, now)}"
        )
        empty = "empty" if readings.home is None else f"{readings.home} is empty"
        # Whoever comes back unannounced warms the room: that helps the heating
        # back up and works against the cooling, which brings a room down slowly
        # (an office's meeting room set 2 K above was too warm for most of each
        # meeting), so cooling sets back far less than heating.
        setback = self._setback(
            comfort,
            settings.setback_offset,
            "eco",
            f"setback: {empty}{since}{back}",
            cool_offset=settings.vacant_cooling_offset,
        )
        return self._recoverable(setback, prediction, readings, comfort)

    def _sleep_for(self, arrival: datetime | None) -> float | None:
        """Return the sleep temperature if people arriving then come to sleep.

        Whoever arrives in the night's first half comes to sleep, or soon will:
        the room is warmed to the sleep temperature, not the evening's comfort.
        None for any other arrival, or where nobody sleeps (no sleep temperature).
        """
        sleep = self._sleep_temperature()
        if sleep is None or arrival is None or not self._is_bedtime(arrival):
            return None
        return sleep

    def _slow_to_warm(
        self,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        heating: float | None,
    ) -> bool:
        """Whether warming from here to ``heating`` °C (None: now's comfort) takes long.

        Longer, that is, than the forecast's next arrival looks ahead: such a room
        starts warming for an early arrival (see ``ZonePrediction.early_arrival``),
        others wait for the next. A room kept warm by the sun or its neighbours
        is not slow, whatever its heating. Not where the heating's rate is not
        learned yet (its prior is slow in the cold).
        """
        if not prediction.heating_learned:
            return False
        comfort = self._zone_comfort(prediction, heating)
        _, needed = self._warming(prediction, readings, comfort)
        window = timedelta(minutes=ARRIVAL_WINDOW_MINUTES)
        return needed is not None and self._start_lead(needed) > window

    def _recoverable(
        self,
        setback: _Target,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        comfort: _Comfort,
    ) -> _Target:
        """Return ``setback`` no deeper than the heating recovers from in time.

        Pre-heating starts at most ``max_preheat`` before the arrival named: set
        back further, a slow room (underfloor heating, a heat pump on a low flow
        temperature) would be cold at every arrival. Where the heating's rate is
        not learned yet, or the outdoor temperature not known, the setback stands;
        so it does where pre-heating for all of ``max_preheat`` gets the room
        within ``near_comfort`` of the goal: a room that just makes it (radiators
        on a cold night) would otherwise be kept a little warmer all night for
        the few tenths of a degree the model is unsure of.
        """
        settings, device = self.settings, self.climate
        assert device is not None
        arrival, outdoor = self.arrival_named, readings.outdoor_temperature
        thermal = prediction.thermal
        if (
            arrival is None
            or outdoor is None
            or thermal is None
            or not prediction.heating_learned
            or not device.can_heat
            or setback.heat is None
        ):
            return setback
        goal = comfort.heat
        sleep = self._sleep_for(arrival)
        if sleep is not None:
            goal = comfort.for_sleep(sleep).heat
        # Nearly warm by the arrival from the full setback: pre-heating copes.
        nearly = thermal.heated_up_from(
            goal - settings.near_comfort, outdoor, settings.max_preheat
        )
        if nearly is None or nearly <= setback.heat:
            return setback
        # Pre-heating's own margin kept: warm by the arrival, not just at it.
        within = settings.max_preheat - settings.preheat_margin
        floor = thermal.heated_up_from(goal, outdoor, within)
        if floor is None:
            return setback
        # Up to the thermostat's step: rounded down, it would be late again.
        floor = min(_snap(floor, device.step, toward=math.inf), goal)
        if device.presets_only:
            return self._recoverable_preset(setback, readings, comfort, floor)
        if floor <= setback.heat:
            return setback
        held = (
            _not_set_back(setback.reason)
            if floor >= goal
            else f"{setback.reason}, no lower than {settings.scale.degrees(floor)}"
        )
        return replace(
            setback,
            heat=floor,
            reason=f"{held}: from lower it would not be warm again by then",
        )

    def _recoverable_preset(
        self,
        setback: _Target,
        readings: ZoneReadings,
        comfort: _Comfort,
        floor: float,
    ) -> _Target:
        """Return ``setback``, or comfort where its eco preset is below ``floor``.

        A thermostat driven by presets has nothing between comfort and eco, which
        keeps a temperature it does not show: taken as the eco offset below
        comfort, as eco mode's. Lower than the heating warms back from in time,
        comfort it is, and stays while the floor is within a step of eco, so that
        the forecast's and the weather's small moves do not switch it by turns.
        """
        assert self.climate is not None
        eco = comfort.heat - self.settings.eco_offset
        state = readings.climate
        kept = (
            state is not None
            and state.preset_mode is not None
            and preset_kind(state.preset_mode) in PRESET_CHOICES["comfort"]
        )
        if floor <= (eco - self.climate.step if kept else eco):
            return setback
        return self._comfort(
            comfort,
            f"{_not_set_back(setback.reason)}: from eco it would not be warm again "
            "by then",
        )

    def _arrival_named(
        self, now: datetime, prediction: ZonePrediction, named: datetime | None
    ) -> datetime | None:
        """Return the arrival a setback's reason names, as it says it; None for none.

        The words, and the arrival a slow room's setback is limited for
        (``_recoverable``). At night the morning's arrival,
        hours ahead, is where the forecast's curve first reaches 0.5, and its
        confidence P there: each quarter hour's forecast may put it either side of
        the pre-heating threshold, and a quarter hour earlier or later. So an
        arrival is named from the threshold up and, once named (``named``), while
        pre-heating would go on for it; the time said stays while the forecast's
        is within the pre-heating's slack of it, or a sixth of the time to it (as
        the Next arrival sensor keeps its time). It is not said and unsaid, nor
        moved back and forth, by turns each quarter hour.
        """
        settings = self.settings
        # As *Next arrival* shows it: an early arrival where that comes first.
        arrival, confidence = prediction.arrival_shown
        least = (
            settings.preheat_confidence
            if named is None
            else settings.preheat_keep_confidence
        )
        # Nearer than the setback time, a confident arrival is warmed for, and one
        # less sure is none to name: it would move on with the clock.
        if (
            arrival is None
            or arrival - now < settings.setback_after
            or confidence < least
        ):
            return None
        shown = time_shown(arrival, now)
        if (
            named is not None
            and named > now
            and abs(shown - named) <= max(settings.preheat_slack, (named - now) / 6)
        ):
            return named
        return shown

    def _is_night(self, when: datetime) -> bool:
        clock = when.time()
        start, end = self.settings.night_start, self.settings.night_end
        return start <= clock or clock < end if start > end else start <= clock < end

    def _is_bedtime(self, when: datetime) -> bool:
        """Whether ``when`` is in the night's first half (its second: getting up)."""
        if not self._is_night(when):
            return False
        start = self._nightfall(when)
        end = datetime.combine(start.date(), self.settings.night_end)
        if end <= start:
            end += timedelta(days=1)
        return when < start + (end - start) / 2

    def _nightfall(self, when: datetime) -> datetime:
        """Return when the night ``when`` is in began."""
        start = datetime.combine(when.date(), self.settings.night_start)
        return start - timedelta(days=1) if start > when else start

    def _sleepers_seen(self, readings: ZoneReadings) -> bool:
        """Whether someone seems to sleep here: motion since the night went quiet.

        Sleepers turn over now and then in view of the sensor; a living room left
        dark for the night shows nothing more, and is simply empty. Without a
        motion sensor we cannot tell, so we assume sleepers; after a restart, what
        its sensor showed before it tells.
        """
        return (
            self._unseen(readings) or self.asleep_since is None or self.sleepers_stirred
        )

    def _unseen(self, readings: ZoneReadings) -> bool:
        """Whether nothing tells when people were last here.

        No motion sensor reads, or it has seen nobody since a first start (nor
        before it, where the recorder shows that). After a restart, what the zone
        saw before it tells.
        """
        return self.last_motion is None and (
            readings.quiet_since is None or not self.restarted
        )

    def needs_motion_elsewhere(self, now: datetime) -> bool:
        """Whether it matters now when people last moved in other zones.

        While people sleep here: to tell them turning over from someone walking
        in (until they first do), and, for a thermostat, which warms the room
        for getting up, people up late elsewhere from people getting up. And
        while waiting for the people who slept here to get up. The glue looks it
        up only then.
        """
        asleep = self.asleep_since is not None
        return (
            asleep and (not self.sleepers_stirred or self.climate is not None)
        ) or self._watches_for_getting_up(now)

    def _watches_for_getting_up(self, now: datetime) -> bool:
        """Whether people slept here tonight and are not seen up yet, past bedtime.

        Only a thermostat's engine watches: it warms the room for getting up; a
        light's would learn the mornings for nothing.
        """
        fell_asleep = self.fell_asleep
        return (
            self.climate is not None
            and self.slept_here
            and fell_asleep is not None
            and fell_asleep >= self._nightfall(now)
            and self._is_night(now)
            and not self._is_bedtime(now)
            and not self._got_up()
        )

    def _motion_since_sleep(self, last_motion: datetime | None) -> bool:
        """Whether motion here is the first since sleep began: a sleeper or a visitor."""
        return (
            self.asleep_since is not None
            and not self.sleepers_stirred
            and last_motion is not None
            and last_motion > self.asleep_since
        )

    def _track_sleep(self, now: datetime, readings: ZoneReadings) -> None:
        """Night, a while still in the dark: people sleep (or are out).

        Someone must have been there: seen since nightfall, or thought to be there.
        A room left empty all evening is empty, and whoever comes in arrives.
        People fall asleep in the night's first half, or again after waking in the
        night: someone still later, in a room nobody slept in tonight, is up (at a
        desk in the morning light, reading), not asleep.
        Once asleep the zone stays so, whatever a sleeper's turning over shows the
        motion sensor, until a light goes on or the night ends. Someone who comes
        in from another room just seen (the hallway, at 3 am), where nobody has
        stirred since, wakes no sleeper: the bathroom visited at bedtime is in use.
        Not, at bedtime, from a room where people have moved about for a while:
        they are up late there, and the sleepers here turned over
        (``_BUSY_ELSEWHERE``); and whoever comes in from there switches the light
        on at once, which says the room is not slept in (``_first_stir``).
        """
        night = self._is_night(now)
        light = readings.light
        lit = light is not None and light.on
        switched_on, self.was_lit = lit and not self.was_lit, lit
        # A night light left on leaves the room as dark as sleepers want it; any
        # light switched on says someone is up.
        dark = not lit or (light is not None and _dim(light) and not switched_on)
        if dark:
            self.lit_since = None
        else:
            self.last_lit = now
            self.lit_since = self.lit_since or now
        elsewhere = readings.last_motion_elsewhere
        self._watch_elsewhere(now, elsewhere)
        self._watch_getting_up(now, readings)
        self.sleep_possible = False
        # Asleep since a night before (Home Assistant down all day): whoever slept
        # then is up; tonight's sleepers fall asleep anew.
        slept_before = (
            self.asleep_since is not None and self.asleep_since < self._nightfall(now)
        )
        last_motion = self.last_motion  # also when seen just before a restart
        if not slept_before and self._motion_since_sleep(last_motion):
            assert last_motion is not None
            self._first_stir(now, last_motion, elsewhere, readings.last_door)
        if slept_before or not night or not dark:
            self.asleep_since = None
            self.sleepers_stirred = self.stirred_behind_shut_door = False
        self._settle_stir(now, readings.last_door)
        self._settle_night_setting(now)
        if not night or not dark:
            return
        if last_motion is None:
            quiet = True  # nothing says when people last moved: the dark alone
            # Seen by nobody since a restart: there if used since nightfall. Since
            # a first start before nightfall (or since before it, as the recorder
            # showed), its sensor saw it empty all evening.
            watched_since = readings.quiet_since
            there = (
                self._unseen(readings)
                and (watched_since is None or watched_since >= self._nightfall(now))
            ) or (
                self.last_occupied is not None
                and self.last_occupied >= self._nightfall(now)
            )
        else:
            quiet = self._still_in_the_dark(now, last_motion)
            there = bool(self.occupied) or last_motion >= self._nightfall(now)
        slept_tonight = (
            self.fell_asleep is not None and self.fell_asleep >= self._nightfall(now)
        )
        # Again after waking in the night only where people slept: the living
        # room someone walked through on their way out at dawn is empty.
        bedtime = self._is_bedtime(now) or (slept_tonight and self.slept_here)
        self.sleep_possible = there and bedtime
        if self.asleep_since is None and quiet and there and bedtime:
            if not slept_tonight:
                self.slept_here = self._unseen(readings)
            self.asleep_since = self.fell_asleep = now
            self.sleepers_stirred = self.stirred_behind_shut_door = False

    def _settle_night_setting(self, now: datetime) -> None:
        """Keep a temperature set by hand at night once people lie still at it.

        Set while the room was kept at the sleep temperature, by someone in bed
        or back to it: where the room then lies still as long as falling asleep
        takes, still taken as slept in, it is what they sleep at, every night
        from then on. A light switched on, or people seen getting up, says that
        whoever set it was up (the heating turned up at dawn): it is only held.
        """
        if self.night_setting is None:
            return
        when, heat = self.night_setting
        if self.asleep_since is None or self._got_up():
            self.night_setting = None
            return
        moved = self.last_motion
        still_since = when if moved is None else max(when, moved)
        if self._elapsed(still_since, now) >= self.settings.quiet_for_sleep:
            self.chosen_sleep = heat
            self.night_setting = None

    def _first_stir(
        self,
        now: datetime,
        moved: datetime,
        elsewhere: datetime | None,
        door: datetime | None,
    ) -> None:
        """Take the first motion since sleep began: someone come in, or sleepers.

        Seen elsewhere just before, not after (someone going out is no visitor),
        and not from people up late there: someone came in, and the room is in
        use. Not through a door that reads and stayed shut (``door``, when it was
        last seen open): a child turning over as the parents go to bed next door
        is a sleeper, and gets no light switched on. Anyone else is a sleeper,
        turning over or getting up: the room is slept in, at once where nobody
        is up elsewhere; else once it lies dark and still (``_settle_stir``), for
        whoever comes in from them switches the light on, or their door reports
        them a moment after the motion sensor did.
        """
        busy = self.busy_elsewhere_since
        up_late = (
            busy is not None
            and moved - busy >= _BUSY_ELSEWHERE
            and self._is_bedtime(now)
        )
        from_elsewhere = (
            elsewhere is not None
            and timedelta(0) <= moved - elsewhere <= _CAME_IN
            and not up_late
        )
        shut = door is not None and moved - door > _CAME_IN
        if from_elsewhere and not shut:
            self.asleep_since = None
            return
        self.sleepers_stirred = True
        self.stirred_behind_shut_door = from_elsewhere
        if busy is None:
            self.slept_here = True

    def _settle_stir(self, now: datetime, door: datetime | None) -> None:
        """Mark the room slept in once it stirred and lay still ``_CAME_IN`` since.

        Stirred and not slept in is only ever a motion waiting to be settled
        (``_first_stir``); a light switched on meanwhile woke the room. So does
        the door, last seen open (``door``) since a motion taken for sleepers
        only for the door being shut, until the room lay still as long: sensors
        report one moment in either order. Also in a room taken as slept in
        before anyone was seen (a first night), whose first comer may be the
        morning's.
        """
        moved = self.last_motion
        if not self.sleepers_stirred or moved is None:
            return
        still = self._elapsed(moved, now) >= _CAME_IN
        if self.stirred_behind_shut_door:
            if door is not None and door >= moved:
                self.asleep_since = None
                self.sleepers_stirred = self.stirred_behind_shut_door = False
                self.was_occupied = False  # whoever came in arrives now, for the light
                return
            self.stirred_behind_shut_door = not still
        if still:
            self.slept_here = True

    def _watch_elsewhere(self, now: datetime, elsewhere: datetime | None) -> None:
        """Follow the spell of people moving about in other zones, if any.

        ``elsewhere`` is when motion was last seen there, as the glue looked it up
        (None where it did not, as ``needs_motion_elsewhere`` has it): a break
        longer than ``_ELSEWHERE_BREAK`` ends a spell, and motion after it begins
        the next.
        """
        if elsewhere is None or self._elapsed(elsewhere, now) > _ELSEWHERE_BREAK:
            self.busy_elsewhere_since = self.busy_elsewhere_seen = None
            return
        seen = self.busy_elsewhere_seen
        if seen is None or self._elapsed(seen, elsewhere) > _ELSEWHERE_BREAK:
            self.busy_elsewhere_since = elsewhere
        self.busy_elsewhere_seen = elsewhere

    def _watch_getting_up(self, now: datetime, readings: ZoneReadings) -> None:
        """Note when the people who slept here tonight got up for the day.

        Whoever gets up moves about elsewhere (the bathroom, the kitchen: a
        motion sensor there on) or has the light on here (not a night light), in
        the night's second half, for ``_UP_ACTIVE`` of ``_UP_WITHIN``. That is
        getting up, counted from when it began. The first of a home's people up
        counts for every room slept in. People up since the night's first half,
        elsewhere or with the light on here, are up late, not getting up, until
        they stop a while.
        """
        step = timedelta(0) if self.watched_at is None else now - self.watched_at
        self.watched_at = now
        if not self._watches_for_getting_up(now):
            self.up_since = None
            return
        if self.up_since is not None and now - self.up_since > _UP_WITHIN:
            self.up_since = None
        busy, lit = self.busy_elsewhere_since, self.lit_since
        moving_elsewhere = readings.last_motion_elsewhere == now and (
            busy is None or not self._since_bedtime(busy)
        )
        lit_up = lit is not None and not self._since_bedtime(lit)
        if not (lit_up or moving_elsewhere):
            return
        if self.up_since is None:
            self.up_since, self.up_for = now, timedelta(0)
            return
        self.up_for += min(max(step, timedelta(0)), _LONGEST_STEP)
        if self.up_for >= _UP_ACTIVE:
            self.wake_times.learn_one(self.up_since)
            self.up_since = None

    def _since_bedtime(self, began: datetime) -> bool:
        """Whether something going on now began in the night's first half, or before.

        Only asked in the night's second half: people up since then are up late.
        """
        return self._is_bedtime(began) or not self._is_night(began)

    def _still_in_the_dark(self, now: datetime, last_motion: datetime) -> bool:
        """Whether people here lay still in the dark as long as falling asleep takes.

        Counted from the last motion; where the room stayed lit ``vacant_after``
        longer, nobody there to switch it off, from when it was last lit. That
        lamp went off behind someone who left, after the stillness that said they
        had gone, and whoever moves there minutes later is back, not waking.
        Someone who fell asleep reading lies still in the dark on. A light
        switched off by whoever lies down goes off as they are seen.
        """
        still_since, lit = last_motion, self.last_lit
        if (
            lit is not None
            and lit > last_motion
            and self._elapsed(last_motion, lit) >= self.settings.vacant_after
        ):
            still_since = lit
        return self._elapsed(still_since, now) >= self.settings.quiet_for_sleep

    def _warming(
        self, prediction: ZonePrediction, readings: ZoneReadings, comfort: _Comfort
    ) -> tuple[str, timedelta | None]:
        """Return what getting near comfort from here takes: a verb and the time.

        The room is ready anywhere between the band's edges, or within
        ``near_comfort`` of them: the thermostat, set to the edge, brings the rest
        as people come in, and the empty room is not heated for it ahead. Below,
        it heats to the heat edge; above, it cools to the cool edge: a cold summer
        morning is warmed to the heating comfort, not to the summer's. Zero where
        the thermostat cannot go that way; None where the time cannot be told.
        """
        device = self.climate
        assert device is not None
        current, outdoor = readings.temperature, readings.outdoor_temperature
        if current is None:
            return READY, None
        near = self.settings.near_comfort
        if current > comfort.cool + max(self.settings.cooling_margin, near):
            verb, goal, able = "Pre-cooling", comfort.cool + near, device.can_cool
        elif current < comfort.heat - near:
            verb, goal, able = "Pre-heating", comfort.heat - near, device.can_heat
        else:
            return READY, timedelta(0)
        if not able:
            return READY, timedelta(0)
        if prediction.thermal is None or outdoor is None:
            return verb, None
        needed = prediction.thermal.time_to(current, goal, outdoor)
        # Never there, the model says, where it is colder out than it has seen the
        # heating cope with: all the more reason to start as early as it may.
        longest = self.settings.max_preheat
        return verb, longest if needed is None else min(needed, longest)

    def _drift_time(self, readings: ZoneReadings, comfort: float) -> timedelta | None:
        """How long the zone stays near comfort with the HVAC off (optimum stop)."""
        current, outdoor = readings.temperature, readings.outdoor_temperature
        if current is None or outdoor is None or abs(current - comfort) > 0.5:
            return None
        gap = abs(comfort - outdoor)
        if gap < 1.0:
            return None
        # Losing ``near_comfort`` of a ``gap`` K difference at about 5 % of the gap an
        # hour (a typical room's time constant of 20 h).
        hours = self.settings.near_comfort / (0.05 * gap)
        return timedelta(hours=min(hours, 2.0))

    def _decide_climate(
        self,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        mode: Mode,
        level: ControlLevel,
    ) -> Decision:
        device = self.climate
        state = readings.climate
        assert device is not None
        assert state is not None
        entity_id = device.entity_id
        beyond = self._beyond_bounds()
        if beyond is not None:
            return Decision(entity_id, beyond)
        unsafe = self._unsafe(readings, state)
        if unsafe is not None:
            return self._finish(now, entity_id, unsafe[0], unsafe[1], level)
        hold = self.active_hold(entity_id, now)
        if hold is not None:
            return Decision(entity_id, hold.reason, held=True)
        if mode is Mode.OFF:
            return Decision(
                entity_id, f"Mode off: leaving {self.name}'s thermostat alone"
            )
        if not (device.presets_only or device.can_heat or device.can_cool):
            return Decision(
                entity_id,
                f"Leaving {self.name}'s thermostat alone: none of its modes heats "
                "or cools",
            )
        if mode is Mode.AUTO and self.occupied is None and not self.window_eco:
            return Decision(entity_id, self._not_known_yet(readings, now))
        target = self._target(now, prediction, readings, mode)
        self.kept_for_sleep = target.preset == "sleep"
        if device.holds_band and target.heat is not None:
            # Heating and cooling around comfort need a dead band between them, or
            # the heat one removes is soon put back by the other.
            target = replace(target, heat=target.heat - self.settings.heat_cool_slack)
        target = self._protected(target)
        call, words = self._climate_command(device, state, target, readings.temperature)
        if call is None:
            return Decision(entity_id, f"{self.name} already {words}: {target.reason}")
        reason = f"{words[:1].upper()}{words[1:]}: {target.reason}"
        return self._finish(
            now,
            entity_id,
            Command(call[0], call[1], entity_id, call[2], reason),
            reason,
            level,
        )

    def _not_known_yet(self, readings: ZoneReadings, now: datetime) -> str:
        """Say why a thermostat is left as it is while nobody is known to be here."""
        watched_since = readings.quiet_since
        assert watched_since is not None
        empty_from = watched_since + self.settings.vacant_after
        return (
            f"Leaving {self.name}'s thermostat as it is: nobody seen since "
            f"{self._clock(watched_since, now)}, taken as empty from "
            f"{self._clock(empty_from, now)}"
        )

    def _unsafe(
        self, readings: ZoneReadings, state: ClimateState
    ) -> tuple[Command, str] | None:
        """Return a command that puts the thermostat back inside the safety bounds."""
        device = self.climate
        assert device is not None
        settings = self.settings
        floor, ceiling = self._bounds()
        # Protection's targets are on the device's step too: control would round any
        # other back out of the bounds, and protection correct it, call after call.
        lowest, highest = self._bounds_on_step()
        # The room is protected at the user's levels; a device's range only limits
        # the target (a split unit set no lower than 18 °C is no frost at 17 °C).
        cold, hot = settings.frost_protection, settings.heat_protection
        if readings.window_open:
            # Aired (or left open), as its contact says: heated to the lowest
            # setpoint, it would heat the street and undo a valve's own window
            # function. Only frost itself is kept off meanwhile.
            cold = min(cold, _OPEN_WINDOW_FROST)
        current = readings.temperature
        degrees = settings.scale.degrees
        # One that shows only a band heats to its low target and cools to its high
        # one, in heat or cool mode too; in auto it does both.
        ranged = state.temperature is None and (
            state.target_low is not None or state.target_high is not None
        )
        banded = state.hvac_mode == HEAT_COOL or (ranged and state.hvac_mode == AUTO)
        # One target shown in auto (its own schedule) is kept either way: a valve
        # on its schedule at 21 °C heats a cold room already, and switched to heat
        # at the lowest setpoint it would be turned down.
        scheduled = state.hvac_mode == AUTO and not ranged
        heats = banded or scheduled or state.hvac_mode == HEAT
        cools = banded or scheduled or state.hvac_mode == COOL
        heat_target = (
            state.target_low
            if (banded or ranged) and state.target_low is not None
            else state.temperature
        )
        cool_target = (
            state.target_high
            if (banded or ranged) and state.target_high is not None
            else state.temperature
        )
        if device.presets_only:
            return self._unsafe_presets(current, state, cold)
        # Where no step lies within the bounds, the nearest one is as safe as it gets.
        if heats and heat_target is not None and heat_target > max(ceiling, highest):
            target = _Target(highest, None, "comfort", "")
            reason = (
                f"Heat protection in {self.name}: heating target "
                f"{degrees(heat_target)} is above {degrees(ceiling)}"
            )
        elif (
            current is not None
            and current < cold - BOUNDS_KEPT_TO
            and (not heats or heat_target is None or heat_target < min(floor, lowest))
        ):
            target = _Target(lowest, None, "comfort", "")
            reason = (
                f"Frost protection in {self.name}: {degrees(current)} is below "
                f"{degrees(cold)}"
            )
        elif (
            current is not None
            and current > hot + BOUNDS_KEPT_TO
            and device.can_cool
            and (
                not cools or cool_target is None or cool_target > max(ceiling, highest)
            )
        ):
            target = _Target(None, highest, "comfort", "")
            reason = (
                f"Heat protection in {self.name}: {degrees(current)} is above "
                f"{degrees(hot)}"
            )
        else:
            return None
        one_way = HEAT if target.heat is not None else COOL
        if device.band_only or (
            device.holds_band and (banded or one_way not in device.hvac_modes)
        ):
            # A band is kept a band: the person's other edge stays where it is. One
            # only heat/cool can protect goes by its band there, not one target.
            target = self._protective_band(target, state, lowest, highest)
        call, words = self._climate_command(device, state, target, current, force=True)
        if call is None:
            return None  # it has no mode that could help: nothing to do but report
        return Command(call[0], call[1], device.entity_id, call[2], reason), (
            f"{reason}, {words}"
        )

    def _unsafe_presets(
        self, current: float | None, state: ClimateState, cold: float
    ) -> tuple[Command, str] | None:
        """Return the mode that protects a room whose thermostat takes presets alone.

        Its presets set no temperature we know: frost protection (below ``cold``)
        switches it to heat where it does not (off, or left cooling, drying or
        fanning), heat protection to cool where it does not.
        """
        device = self.climate
        assert device is not None
        settings = self.settings
        degrees = settings.scale.degrees
        hot = settings.heat_protection
        switch_on = device.heating_mode
        if current is None:
            return None
        if (
            current < cold - BOUNDS_KEPT_TO
            and state.hvac_mode not in (HEAT, HEAT_COOL, AUTO)
            and switch_on is not None
        ):
            mode = switch_on
            reason = (
                f"Frost protection in {self.name}: {degrees(current)} is below "
                f"{degrees(cold)}, switching heating on"
            )
        elif (
            current > hot + BOUNDS_KEPT_TO
            and COOL in device.hvac_modes
            and state.hvac_mode not in (COOL, HEAT_COOL, AUTO)
        ):
            mode = COOL
            reason = (
                f"Heat protection in {self.name}: {degrees(current)} is above "
                f"{degrees(hot)}, switching cooling on"
            )
        else:
            return None
        data = {"hvac_mode": mode}
        return Command(
            "climate", "set_hvac_mode", device.entity_id, data, reason
        ), reason

    def _protective_band(
        self, target: _Target, state: ClimateState, lowest: float, highest: float
    ) -> _Target:
        """Return a one-edged protective target as a band.

        Some devices take only a band, and one that keeps a band now keeps it
        (it is not switched to one way). The protected edge stays at its bound and the other where the thermostat
        has it (or at the other bound), within ``lowest`` and ``highest`` (the
        bounds on its step) and a step away; only where they leave no room does
        the protected edge move a step inwards.
        """
        assert self.climate is not None
        step = self.climate.step
        if target.heat is not None:
            kept = highest if state.target_high is None else state.target_high
            high = min(max(kept, round(target.heat + step, 2)), highest)
            low = max(min(target.heat, round(high - step, 2)), lowest)
        else:
            assert target.cool is not None
            kept = lowest if state.target_low is None else state.target_low
            low = max(min(kept, round(target.cool - step, 2)), lowest)
            high = min(max(target.cool, round(low + step, 2)), highest)
        return replace(target, heat=low, cool=high)

    def _climate_command(
        self,
        device: ClimateDevice,
        state: ClimateState,
        target: _Target,
        current: float | None,
        *,
        force: bool = False,
    ) -> tuple[tuple[str, str, dict[str, Any]] | None, str]:
        """Return the call that brings the thermostat to ``target`` (None: it is there).

        ``current`` is the room's temperature, which tells a thermostat with one
        target which way to go.
        """
        name = self.name
        degrees = self.settings.scale.degrees
        heat = target.heat if device.can_heat else None
        cool = target.cool if device.can_cool else None
        left_alone = None if force else self._left_alone(state, current, heat, cool)
        if device.presets_only:
            return self._preset_command(
                device, state, target, current, left_alone, force=force
            )
        if heat is not None and cool is not None and device.holds_band:
            if left_alone is not None:
                return None, left_alone
            if (
                not force
                and state.hvac_mode == HEAT_COOL
                and self._shows_setpoint(state.target_low, heat)
                and self._shows_setpoint(state.target_high, cool)
            ):
                return (
                    None,
                    f"heats below {degrees(heat)} and cools above {degrees(cool)}",
                )
            data: dict[str, Any] = {
                "hvac_mode": HEAT_COOL,
                "target_temp_low": heat,
                "target_temp_high": cool,
            }
            return (
                ("climate", "set_temperature", data),
                f"keeping {name} between {degrees(heat)} and {degrees(cool)}",
            )
        reachable = replace(target, heat=heat, cool=cool)
        single = self._single_target(device, state, reachable, current)
        if single is None or not device.supports_temperature:
            return None, "as near as it can get (it cannot go that way)"
        mode, value, verb = single
        if left_alone is not None:
            return None, left_alone
        if (
            not force
            and state.hvac_mode == mode
            and self._shows_setpoint(state.temperature, value)
        ):
            return None, f"{verb} to {degrees(value)}"
        data = {"hvac_mode": mode, "temperature": value}
        reason = f"{verb} {name} to {degrees(value)}"
        return ("climate", "set_temperature", data), reason

    def _preset_command(
        self,
        device: ClimateDevice,
        state: ClimateState,
        target: _Target,
        current: float | None,
        left_alone: str | None,
        *,
        force: bool,
    ) -> tuple[tuple[str, str, dict[str, Any]] | None, str]:
        """Return the call that brings a thermostat of presets only to ``target``.

        ``left_alone`` says why one someone switched off stays so, as for any
        other thermostat (None: it is to be switched on, where that helps).
        """
        name = self.name
        preset = self._preset_for(device, target.preset)
        if preset is None:
            return None, f"as it is (it has no preset for {target.preset})"
        way = self._preset_way(device, state, target, current)
        if state.hvac_mode == OFF:
            # A preset does not switch it on, and off saves more than any setback:
            # it is switched on only for comfort, then set next step, and only
            # once the room needs it.
            if target.preset != "comfort" or way is None:
                return None, f"off, which saves more than preset {preset}"
            if left_alone is not None:
                return None, left_alone
            return (
                ("climate", "set_hvac_mode", {"hvac_mode": way}),
                f"switching {name} on for preset {preset}",
            )
        if way is not None and way != state.hvac_mode:
            # Its presets keep the temperatures of the way it is on: a room too
            # warm is cooled, not kept at the heating preset.
            return (
                ("climate", "set_hvac_mode", {"hvac_mode": way}),
                f"switching {name} to {way} for preset {preset}",
            )
        if state.preset_mode == preset and not force:
            return None, f"on preset {preset}"
        return (
            ("climate", "set_preset_mode", {"preset_mode": preset}),
            f"setting {name} to preset {preset}",
        )

    def _left_alone(
        self,
        state: ClimateState,
        current: float | None,
        heat: float | None,
        cool: float | None,
    ) -> str | None:
        """Say why a thermostat that is off stays so; None: it is to be switched on.

        We never switch one off: someone did (a person, or another automation).
        It is left off while the room needs neither way, colder than ``heat`` or
        warmer than ``cool``, so that an air conditioner switched off on a mild
        evening is not switched on again once the person's hold is over. So is one
        someone left drying or on fan only: not switched to heat in summer.
        Where nothing reads the room (an air conditioner sent infrared), which
        way it needs is not known: it is left so too, or one switched on to heat
        would be.
        """
        words = _LEFT_ALONE_MODES.get(state.hvac_mode)
        if words is None or (heat is None and cool is None):
            return None
        if current is None:
            return f"{words}, left so while the room's temperature is unknown"
        too_cold = heat is not None and current < heat
        too_warm = cool is not None and current > cool
        if too_cold or too_warm:
            return None
        degrees = self.settings.scale.degrees
        until = [
            f"colder than {degrees(heat)}" if heat is not None else "",
            f"warmer than {degrees(cool)}" if cool is not None else "",
        ]
        return f"{words}, left so until it is {' or '.join(filter(None, until))}"

    def _single_target(
        self,
        device: ClimateDevice,
        state: ClimateState,
        target: _Target,
        current: float | None,
    ) -> tuple[str, float, str] | None:
        """Return the mode, target and verb for a thermostat with one target."""
        modes, heat, cool = device.hvac_modes, target.heat, target.cool
        if heat is not None and cool is not None and HEAT in modes and COOL in modes:
            # Cool above the band and heat below it; inside it, carry on as it
            # is, so that it does not switch over on every reading.
            above = current is not None and current > cool
            below = current is not None and current < heat
            if above or (not below and state.hvac_mode == COOL):
                return COOL, cool, "cooling"
            return HEAT, heat, "heating"
        if heat is not None and HEAT in modes:
            return HEAT, heat, "heating"
        if cool is not None and COOL in modes:
            return COOL, cool, "cooling"
        if HEAT_COOL not in modes:
            return None
        # One target kept both ways (as some split units have).
        if heat is not None and cool is not None:
            hold = target.hold
            return None if hold is None else (HEAT_COOL, hold, "heating or cooling")
        value = heat if heat is not None else cool
        return None if value is None else (HEAT_COOL, value, "heating or cooling")

    @staticmethod
    def _preset_way(
        device: ClimateDevice,
        state: ClimateState,
        target: _Target,
        current: float | None,
    ) -> str | None:
        """Return the HVAC mode a thermostat driven by presets should be in.

        Its presets keep the temperatures of the way it is on: a room above the
        target's cooling edge is cooled, one below its heating edge heated. In
        between it carries on as it is, so that it does not switch over on every
        reading, and one that is off is switched on to heat, as a radiator is.
        None: it has no mode for that, or keeps the one it has.
        """
        mode = state.hvac_mode
        if mode not in (OFF, HEAT, COOL):
            return None  # auto, or a way a person chose (fan only, dry): kept
        if current is None or COOL not in device.hvac_modes:
            return device.heating_mode if mode == OFF else mode
        too_warm = target.cool is not None and current > target.cool
        too_cold = target.heat is not None and current < target.heat
        if too_warm or (mode == COOL and not too_cold):
            return COOL
        return device.heating_mode

    def _preset_for(self, device: ClimateDevice, wanted: str) -> str | None:
        """Return the device's preset nearest to what is wanted, if it has one."""
        choices = PRESET_CHOICES.get(wanted, (wanted,))
        return next(
            (
                preset
                for choice in choices
                for preset in device.preset_modes
                if preset_kind(preset) == choice
            ),
            None,
        )

    # -- lighting --------------------------------------------------------------------

    def _decide_light(
        self,
        now: datetime,
        prediction: ZonePrediction,
        readings: ZoneReadings,
        mode: Mode,
        level: ControlLevel,
    ) -> Decision:
        device = self.light
        state = readings.light
        assert device is not None
        assert state is not None
        entity_id = device.entity_id
        lighting = prediction.lighting
        delay = lighting.get("vacancy_delay", timedelta(minutes=10))
        last_motion = self.last_motion  # also when seen just before a restart
        quiet_for = None if last_motion is None else self._elapsed(last_motion, now)
        settings = self.settings
        seen_leaving = prediction.occupancy_probability < settings.light_empty_below
        if not seen_leaving:
            # Motion alone: people sitting still miss a sensor for minutes on end,
            # so only a long silence says they have gone: the floor, or as long as
            # people there have been seen to sit still under the light if shorter.
            learned = lighting.get("quiet_floor")
            floor = settings.light_quiet_floor
            delay = max(delay, floor if learned is None else min(floor, learned))
        gone, exit_waits = self._gone_out(now, readings, lighting)
        staying = "occupied"
        if gone is not None and lighting.get("co2_rising"):
            # Someone went out, but CO2 still rises: one stayed behind, sitting
            # still. Only the long silence says they left too (or fell asleep).
            gone, staying = None, "CO2 is rising as people make it"
        quiet_from = readings.quiet_since if last_motion is None else last_motion
        quiet_left = None if quiet_from is None else self._left(quiet_from, delay, now)
        if gone is None and quiet_from is not None and not quiet_left:
            gone = (
                f"no motion since {self._clock(quiet_from, now)} "
                f"(vacancy delay {_minutes(delay)} min)"
            )
        in_the_dark = (
            not state.on
            and prediction.away_since is None
            and self._sitting_in_the_dark(lighting)
        )
        hold = self.active_hold(entity_id, now, still_in=in_the_dark)
        self._note_night_light(now, state, hold)
        kept_on = self._kept_on(readings, lighting) if gone is not None else None
        if kept_on is not None:
            gone, staying = None, kept_on
        if (
            gone is not None
            and hold is not None
            and not hold.asked
            and not in_the_dark
            and quiet_from is not None
            and quiet_from >= hold.since
        ):
            # Nobody seen for the vacancy delay: whoever set the light has left.
            # One set with nobody seen since (an automation's lights at dusk) is
            # held until the zone is next empty, or its time.
            del self.holds[entity_id]
            hold = None
        if self.powered_on != state or hold is not None or mode is Mode.OFF:
            # Changed since it came on at the wall, or someone's to leave alone.
            self.powered_on = None
        # Held (set by hand), on, or in off mode: no arrival's proposal stands.
        unanswered, self.arrival_unanswered = self.arrival_unanswered, False
        if hold is not None:
            return Decision(entity_id, hold.reason, held=True)
        if mode is Mode.OFF:
            return Decision(entity_id, f"Mode off: leaving {self.name}'s light alone")
        if state.on:
            return self._decide_lit(
                now,
                gone,
                staying,
                lighting,
                level,
                waits=(*exit_waits, quiet_left),
            )
        just_seen = quiet_for is not None and quiet_for <= timedelta(minutes=1)
        arriving = (
            just_seen and (not self.was_occupied or self._back_since_off(readings))
        ) or (
            # A proposal must stand until someone can answer it: while they stay.
            # Only the arrival's: a lamp a person lit or switched off since is
            # their answer, and nobody arrived to propose it again.
            level is ControlLevel.SUGGEST
            and unanswered
            and bool(self.occupied)
            and gone is None
        )
        self.arrival_unanswered = arriving
        if not arriving:
            return Decision(
                entity_id, f"{self.name}'s light stays off: no one arriving"
            )
        if self.asleep_since is not None:
            return Decision(
                entity_id, f"{self.name}'s light stays off: people are asleep"
            )
        # Where no light sensor reads, the sun may have decided: say how.
        daylight = lighting.get("daylight")
        why = f" ({daylight})" if daylight else ""
        if not lighting.get("light_on", True):
            return Decision(
                entity_id,
                f"{self.name}'s light stays off: bright enough without it{why}",
            )
        data, words = self._light_level(device, lighting)
        reason = (
            f"Switching on {self.name}'s light{words}: someone arrived and it is "
            f"dark{why}"
        )
        command = self._light_command("turn_on", data, reason)
        # Whoever walked in waits in the dark for no spacing between calls (the
        # light switched off a minute ago, behind them or on them): it is for a
        # device that is sent call after call, and the hour's cap still holds.
        return self._finish(now, entity_id, command, reason, level, spaced=False)

    def _decide_lit(
        self,
        now: datetime,
        gone: str | None,
        staying: str,
        lighting: Mapping[str, Any],
        level: ControlLevel,
        *,
        waits: tuple[timedelta | None, ...],
    ) -> Decision:
        """Decide for a light that is on: off once everyone has ``gone``.

        Kept on, it is decided again when the first of ``waits`` (the time left
        before the door's or the quiet's rule could say so) runs out: off on
        time, not up to a minute later at the next step. One come on at the wall
        is at the bulb's own level, nobody's choice: it gets the level we switch
        it on at (as Adaptive Lighting adapts a light that became available).
        """
        device = self.light
        assert device is not None
        entity_id = device.entity_id
        if gone is not None:
            reason = f"Switching off {self.name}'s light: {gone}"
            command = self._light_command("turn_off", {}, reason)
            return self._finish(now, entity_id, command, reason, level)
        data, words = (
            self._light_level(device, lighting) if self.powered_on else ({}, "")
        )
        again = _soonest(*waits)
        if not data or _shows(self.powered_on, data):
            # A lamp that only switches, or one that came on as we would set it.
            self.powered_on = None
            return Decision(
                entity_id,
                f"{self.name}'s light stays on: {staying}",
                decide_again_in=again,
            )
        reason = (
            f"Setting {self.name}'s light{words}: switched on at the wall, at the "
            "bulb's own level"
        )
        command = self._light_command("turn_on", data, reason)
        # Whoever switched it on is there, in a light nobody chose: no spacing.
        decision = self._finish(now, entity_id, command, reason, level, spaced=False)
        return replace(
            decision, decide_again_in=_soonest(decision.decide_again_in, again)
        )

    def _light_command(
        self, service: str, data: dict[str, Any], reason: str
    ) -> Command:
        """Return the light's call, faded where the light fades."""
        assert self.light is not None
        if self.light.fades:
            data = {
                **data,
                "transition": LIGHT_ON_TRANSITION
                if service == "turn_on"
                else LIGHT_OFF_TRANSITION,
            }
        return Command("light", service, self.light.entity_id, data, reason)

    def _back_since_off(self, readings: ZoneReadings) -> bool:
        """Whether someone was seen since we last switched the light off, or on.

        The zone may still count as occupied then (its vacancy delay is shorter
        than the heating's): someone back for their phone, or moving again after
        sitting still, wants the light back as much as one who arrives. So does
        one still in the dark after our switch-on was refused.
        """
        entity_id = self.light.entity_id if self.light is not None else ""
        last = self.same_calls.get(entity_id)
        return (
            last is not None
            and (last.key[0] == "turn_off" or entity_id in self.refused)
            and readings.last_motion is not None
            and readings.last_motion > last.when
        )

    @staticmethod
    def _sitting_in_the_dark(lighting: Mapping[str, Any]) -> bool:
        """Whether whoever switched the light off by hand is surely still here.

        Behind the door they shut as they came in; or, where people moving on to
        another zone have been seen to leave this one empty, nobody moved on
        since. Only someone seen going (or every phone away) then ends their
        hold: stirring after half an hour in the dark, they get no light switched
        on at them. Where people often stay behind, motion elsewhere says too
        little either way.
        """
        if lighting.get("shut_in"):
            return True
        return (
            lighting.get("moved_on_delay") is not None
            and lighting.get("exit_door") is None
            and lighting.get("moved_on") is None
        )

    def _kept_on(
        self, readings: ZoneReadings, lighting: Mapping[str, Any]
    ) -> str | None:
        """Say why a light is kept on though nobody is seen, if it is."""
        if readings.screen_on:
            # Nobody seen, but the TV is on: people watching a film keep still.
            return "the TV is on"
        if showering(lighting):
            return SHOWERING
        if lighting.get("shut_in"):
            # The door shut behind whoever came in has not moved: they are in,
            # reading, out of the motion sensor's sight.
            return "the door is shut behind someone who came in"
        if self.night_light:
            # A child asleep by it lies still, and the parent went out the door.
            return "a night light someone left on"
        return None

    def _note_night_light(
        self, now: datetime, state: LightState, hold: Hold | None
    ) -> None:
        """Note a light a person set dim at night: a night light, kept till morning."""
        if not state.on or not _dim(state) or not self._is_night(now):
            self.night_light = False
        elif hold is not None and not hold.asked and not hold.automated:
            self.night_light = True

    def _gone_through_door(
        self,
        now: datetime,
        readings: ZoneReadings,
        *,
        exited: bool,
        learned: timedelta | None,
    ) -> tuple[str | None, timedelta | None]:
        """Say so if the zone's door moved after the last motion, a while ago.

        Whether it did, the zone's exit watch tells (``exited``): it takes each
        motion sensor's hold off its clearing. Whoever was last seen inside went
        out through the door; someone who came in would have moved in view of the
        sensor since. The wait counts from the door's last move; how long it is the
        zone has ``learned`` from how often someone stays behind, within
        ``light_after_door``. A door open now or motion now says nothing yet, and
        nor does motion that cleared long after the door (someone was there after
        it, or the sensor came back from a restart). Not yet: how long the wait
        has left (None where none runs).
        """
        door, motion = readings.last_door, readings.last_motion
        if (
            not exited
            or door is None
            or motion is None
            or max(door, motion) >= now
            or motion - door > MAX_MOTION_HOLD
        ):
            return None, None
        delay = self.settings.light_after_door
        if learned is not None:
            delay = min(delay, learned)
        if left := self._left(door, delay, now):
            return None, left
        return (
            f"the door moved at {self._clock(door, now)} and no one has been seen "
            f"since (after {_minutes(delay)} min)"
        ), None

    def _gone_out(
        self, now: datetime, readings: ZoneReadings, lighting: Mapping[str, Any]
    ) -> tuple[str | None, tuple[timedelta | None, ...]]:
        """Say so if everyone went out through the door or moved on elsewhere.

        Not yet: how long each rule's wait has left (None where none runs).
        """
        gone, door_left = self._gone_through_door(
            now,
            readings,
            exited=lighting.get("exit_door") is not None,
            learned=lighting.get("door_delay"),
        )
        if gone is not None:
            return gone, ()
        gone, moved_on_left = self._gone_moved_on(now, readings, lighting)
        return gone, (door_left, moved_on_left)

    def _gone_moved_on(
        self, now: datetime, readings: ZoneReadings, lighting: Mapping[str, Any]
    ) -> tuple[str | None, timedelta | None]:
        """Say so if people moved on to another zone after the last motion here.

        The zone's exit watch tells when motion came on elsewhere after the last
        movement here, and how long to wait after it (``moved_on_delay``, None
        where people often stay behind here), within ``light_after_door``. The
        wait counts from then, or from the sensors here clearing if later: the
        quiet spells it rests on are timed from that. A hand on the light
        since the sensors here cleared is someone here after the move. Not
        yet: how long the wait has left (None where none runs).
        """
        went, learned = lighting.get("moved_on"), lighting.get("moved_on_delay")
        cleared = lighting.get("motion_cleared")
        motion = readings.last_motion
        if (
            went is None
            or learned is None
            or motion is None
            or motion >= now
            or (cleared is not None and motion - cleared > _SAME_MOMENT)
        ):
            # Seen since the sensors here cleared: a hand on the light, someone
            # here after the move.
            return None, None
        delay = min(self.settings.light_after_door, learned)
        if left := self._left(max(went, motion), delay, now):
            return None, left
        return (
            f"people moved on to another room at {self._clock(went, now)} and no "
            f"one has been seen here since (after {_minutes(delay)} min)"
        ), None

    def _light_level(
        self, device: LightDevice, lighting: Mapping[str, Any]
    ) -> tuple[dict[str, Any], str]:
        # The lamp's own level where people set it, else the zone's.
        lighting = lighting.get("lamps", {}).get(device.entity_id, lighting)
        modes = set(device.supported_color_modes)
        data: dict[str, Any] = {}
        words = ""
        if modes - {"onoff"}:
            brightness = round(float(lighting.get("brightness", 80.0)))
            data["brightness_pct"] = max(1, min(brightness, 100))
            words = f" at {data['brightness_pct']} %"
        kelvin_modes = {"color_temp", "rgbww", "rgbw", "hs", "xy", "rgb"}
        if modes & kelvin_modes and not device.colour_managed:
            kelvin = round(float(lighting.get("color_temp", 3000.0)))
            data["color_temp_kelvin"] = min(
                max(kelvin, device.min_kelvin), device.max_kelvin
            )
            words += f", {data['color_temp_kelvin']} K"
        return data, words

    def own_level(
        self, lamp: LightDevice, lighting: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """Return the level of ``lamp``, a lamp of this group, if set apart.

        None where it goes by the area's, as the group's own call sets it.
        """
        own, _ = self._light_level(lamp, lighting)
        area, _ = self._light_level(lamp, {**lighting, "lamps": {}})
        return own if own != area else None

    # -- state -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return holds, dismissed proposals, recent calls and window state as JSON."""
        return {
            "version": VERSION,
            "name": self.name,  # what the holds' reasons say
            "holds": {
                entity_id: [
                    hold.since.isoformat(),
                    hold.until.isoformat(),
                    hold.reason,
                    hold.asked,
                    hold.automated,
                ]
                for entity_id, hold in self.holds.items()
            },
            "calls": {
                entity_id: [moment.isoformat() for moment in moments]
                for entity_id, moments in self.calls.items()
            },
            # A dismissed proposal is not made again after a restart either.
            "declined": {
                entity_id: [
                    declined.command.domain,
                    declined.command.service,
                    dict(declined.command.data),
                    declined.command.reason,
                    declined.when.isoformat(),
                ]
                for entity_id, declined in self.declined.items()
            },
            "taken_as": [[asked, shown] for asked, shown in self.taken_as.items()],
            # A device that takes no call waits as long after a restart.
            "same_calls": {
                entity_id: [
                    last.key[0],
                    dict(last.key[1]),
                    last.when.isoformat(),
                    last.count,
                ]
                for entity_id, last in self.same_calls.items()
            },
            "window_open_since": to_iso(self.window_open_since),
            "window_eco": self.window_eco,
            "vacant_since": to_iso(self.vacant_since),
            # Someone was there at the last step: a restart is no arrival.
            "occupied": self.occupied,
            # A proposal standing for them is shown again after a restart.
            "arrival_unanswered": self.arrival_unanswered,
            "last_occupied": to_iso(self.last_occupied),
            "last_motion": to_iso(self.last_motion),
            "asleep_since": to_iso(self.asleep_since),
            "fell_asleep": to_iso(self.fell_asleep),
            "sleepers_stirred": self.sleepers_stirred,
            "stirred_behind_shut_door": self.stirred_behind_shut_door,
            "slept_here": self.slept_here,
            # A restart at night loses neither people up late elsewhere nor a
            # light on since the night's first half: neither is getting up.
            "busy_elsewhere_since": to_iso(self.busy_elsewhere_since),
            "busy_elsewhere_seen": to_iso(self.busy_elsewhere_seen),
            "night_light": self.night_light,
            # A light on before a restart was not switched on by someone up.
            "was_lit": self.was_lit,
            "last_lit": to_iso(self.last_lit),
            "lit_since": to_iso(self.lit_since),
            "preheat_minutes": (
                None
                if self.preheat_lead is None
                else self.preheat_lead.total_seconds() / 60
            ),
            "preheat_since": to_iso(self.preheat_since),
            "wake_times": self.wake_times.to_dict(),
            # A restart while people get up, or while the room warms for it,
            # loses neither the morning nor the warming.
            "up_since": to_iso(self.up_since),
            "up_minutes": self.up_for.total_seconds() / 60,
            "watched_at": to_iso(self.watched_at),
            "waking_since": to_iso(self.waking_since),
            "chosen_sleep": self.chosen_sleep,
            "night_setting": (
                None
                if self.night_setting is None
                else [to_iso(self.night_setting[0]), self.night_setting[1]]
            ),
        }

    def load_dict(self, data: Mapping[str, Any]) -> None:
        """Restore what :meth:`to_dict` saved; ValueError if it is unreadable.

        Nothing changes unless all of it is read.
        """
        version = check_version(data, "controller", *READABLE_VERSIONS)
        try:
            restored = {
                **_saved_actions(data, version, self.name),
                **_saved_presence(data),
                **_saved_night(data),
            }
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as err:
            msg = f"corrupt controller state: {err!r}"
            raise ValueError(msg) from err
        for attribute, value in restored.items():
            setattr(self, attribute, value)


def _saved_actions(data: Mapping[str, Any], version: int, name: str) -> dict[str, Any]:
    """Return what a controller saved of its calls, holds and heating plans."""
    # Absent from states saved before pre-heating was remembered.
    preheat_minutes = data.get("preheat_minutes")
    return {
        # Absent from states saved before: taken as the zone's name now.
        "name": str(data.get("name", name)),
        "holds": {
            str(entity_id): _saved_hold(saved, version)
            for entity_id, saved in data["holds"].items()
        },
        "calls": {
            str(entity_id): [datetime.fromisoformat(m) for m in moments]
            for entity_id, moments in data["calls"].items()
        },
        # Absent from states saved before: nothing was dismissed.
        "declined": {
            str(entity_id): _saved_declined(str(entity_id), saved)
            for entity_id, saved in data.get("declined", {}).items()
        },
        # Absent from states saved before: counted afresh.
        "same_calls": {
            str(entity_id): _saved_same_calls(saved)
            for entity_id, saved in data.get("same_calls", {}).items()
        },
        # Absent from states saved before: learned again at the next call.
        "taken_as": _saved_taken_as(data.get("taken_as")),
        "window_open_since": from_iso(data["window_open_since"]),
        "window_eco": bool(data["window_eco"]),
        "preheat_lead": (
            None
            if preheat_minutes is None
            else timedelta(minutes=float(preheat_minutes))
        ),
        # Absent from states saved before: pre-heating begins afresh.
        "preheat_since": from_iso(data.get("preheat_since")),
    }


def _saved_taken_as(saved: Any) -> dict[float, float]:
    """Return the setpoints asked and the ones shown for them, as saved."""
    if saved is None:
        return {}
    if saved and not isinstance(saved[0], list):
        saved = [saved]  # saved as one pair before a band's edges were kept
    taken = {float(asked): float(shown) for asked, shown in saved}
    if not all(map(math.isfinite, (*taken, *taken.values()))):
        raise ValueError(saved)
    return dict(list(taken.items())[-TAKEN_KEPT:])


def _saved_presence(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return what a controller saved of when people and lights were last seen."""
    # Absent from states saved before: not known, as at a first start.
    occupied = data.get("occupied")
    if occupied is not None and not isinstance(occupied, bool):
        raise TypeError(occupied)
    return {
        "vacant_since": from_iso(data["vacant_since"]),
        "occupied": occupied,
        # Absent from states saved before: no proposal stands till someone arrives.
        "arrival_unanswered": bool(data.get("arrival_unanswered", False)),
        # Absent from states saved before: not known, as at a first start, and
        # the occupied trusted.
        "restarted": "last_occupied" in data,
        "last_occupied": from_iso(data.get("last_occupied")),
        "last_motion": from_iso(data.get("last_motion")),
        "was_lit": bool(data.get("was_lit", False)),
        # Absent from states saved before: the stillness alone counts, and a
        # light on is lit since the restart.
        "last_lit": from_iso(data.get("last_lit")),
        "lit_since": from_iso(data.get("lit_since")),
    }


def _saved_night(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return what a controller saved of the night: sleep, and getting up."""
    return {
        "asleep_since": from_iso(data["asleep_since"]),
        # Absent from states saved before: taken as when the sleep began.
        "fell_asleep": from_iso(data.get("fell_asleep", data["asleep_since"])),
        # Absent from states saved before: as before, motion since says so.
        "sleepers_stirred": bool(data.get("sleepers_stirred", False)),
        # Absent from states saved before: the door was not asked.
        "stirred_behind_shut_door": bool(data.get("stirred_behind_shut_door", False)),
        # Absent from states saved before: a room asleep was slept in.
        "slept_here": bool(data.get("slept_here", True)),
        "night_light": bool(data.get("night_light", False)),
        # Absent from states saved before: people elsewhere are seen afresh.
        "busy_elsewhere_since": from_iso(data.get("busy_elsewhere_since")),
        "busy_elsewhere_seen": from_iso(data.get("busy_elsewhere_seen")),
        # Absent from states saved before: no morning seen yet.
        "wake_times": (
            WakeTimes.from_dict(data["wake_times"])
            if "wake_times" in data
            else WakeTimes()
        ),
        # Absent from states saved before: no one seen up, no warming begun.
        "up_since": from_iso(data.get("up_since")),
        "up_for": timedelta(minutes=float(data.get("up_minutes", 0.0))),
        "watched_at": from_iso(data.get("watched_at")),
        "waking_since": from_iso(data.get("waking_since")),
        # Absent from states saved before: nobody set one yet.
        "chosen_sleep": from_number(data.get("chosen_sleep")),
        "night_setting": _saved_night_setting(data.get("night_setting")),
    }


def _saved_night_setting(saved: Any) -> tuple[datetime, float] | None:
    """Return a saved temperature set at night that waits to be kept, if any."""
    if saved is None:
        return None
    when, heat = saved
    moment, temperature = from_iso(when), from_number(heat)
    if moment is None or temperature is None:
        msg = "a temperature set at night without its time or temperature"
        raise ValueError(msg)
    return moment, temperature


def _saved_same_calls(saved: Any) -> _SameCalls:
    """Return the calls alike as :meth:`ZoneController.to_dict` saved them."""
    service, data, when, count = saved
    key = _call_key(str(service), dict(data))
    return _SameCalls(key, datetime.fromisoformat(when), int(count))


def _saved_declined(entity_id: str, saved: Any) -> Declined:
    """Return a dismissed proposal as :meth:`ZoneController.to_dict` saved it."""
    domain, service, data, reason, when = saved
    command = Command(str(domain), str(service), entity_id, dict(data), str(reason))
    return Declined(command, datetime.fromisoformat(when))


def _saved_hold(saved: Any, version: int) -> Hold:
    """Return a hold as :meth:`ZoneController.to_dict` saved it."""
    if version == 1:
        since, until, reason = saved
        asked, automated = False, False  # each was ended by vacancy then
    else:
        since, until, reason, asked, *rest = saved
        # Saved before automations' holds were told apart: a person's.
        automated = bool(rest and rest[0])
    return Hold(
        datetime.fromisoformat(since),
        datetime.fromisoformat(until),
        str(reason),
        asked=bool(asked),
        automated=automated,
    )
