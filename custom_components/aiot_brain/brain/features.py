"""Turn one zone's stream of observations into occupancy features.

Sensors report at irregular times and some go quiet, so every feature is derived
online from time-aware exponential averages: a few floats per signal, whatever the
reporting rate. A signal the zone has never reported gives no feature at all, and the
models treat an absent feature as "no evidence" rather than as zero.

Trends come from the gap between a fast and a slow average: for a signal rising
linearly at ``r`` per minute, an exponential average with time constant ``tau`` lags
by ``r * tau``, so ``(fast - slow) / (tau_slow - tau_fast)`` is the slope in units
per minute, whatever the sampling rate.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from copy import copy
from datetime import datetime
import math
from typing import Any

from .observation import Observation, Role, plausible, role_of
from .saved import check_version, from_number
from .timefeatures import average_weight, clock_put_back, cyclic, hour_of_day, later

FEATURES_VERSION = 1

# The level humidity is read as: the air's water content, whatever its warmth.
HUMIDITY_LEVEL = "humidity_ratio"

# Time constants (minutes) of the fast, medium and slow averages of each level.
FAST_MINUTES = 2.0
MEDIUM_MINUTES = 10.0
SLOW_MINUTES = 30.0

# A sensor that reports only changes stays silent through a steady state (two
# children asleep hold a room's CO2 all night; a tenth of a degree holds for
# hours), while Home Assistant shows its reading as current: no reading since
# the last is no change. After this long a level is stale and its features are
# dropped: by then Home Assistant has usually marked a silent device unavailable
# (a battery Zigbee device after 6 hours), and its area forgets it at once.
STALE_MINUTES = 360.0

# Outdoor air is about 400-450 ppm; an empty room decays towards it over hours, so the
# baseline starts there, follows any lower reading at once and creeps upwards only
# slowly (a sensor reading high all along is learnt within a day or two).
CO2_OUTDOOR_PPM = 420.0
CO2_BASELINE_CREEP_PPM_PER_HOUR = 5.0

# An airing: CO2 falling faster than people leaving can make it (a departure
# lets a room's excess decay over an hour or so, a few ppm a minute) or a window
# open. The fresh air then moves CO2, humidity and temperature, not people, so
# their trends say nothing of who is in until the half-hour averages have
# forgotten it: a child awake in a room aired at night read 0.1 % occupied.
# (CO2's level stays: it falls, but what is left of it is still people's.)
AIRING_CO2_PPM_PER_MINUTE = -15.0
AIRING_MIN_FALL_PPM = 30.0  # above a sensor's noise
# The CO2 features' scales: the excess over fresh air in hundreds of ppm (on a
# log scale), its trends in fives of ppm a minute (see co2_ppm).
CO2_EXCESS_STEP_PPM = 100.0
CO2_SLOPE_STEP_PPM = 5.0
AIRING_MEMORY_MINUTES = SLOW_MINUTES

# CO2 rising this fast over the last minutes is people breathing there: one person
# adds 5-30 ppm a minute to a room of 10-60 m3 (less once the air is near its
# balance), and an empty room's CO2 only falls. A sensor's noise of +-10 ppm moves
# the short trend by about 1 ppm a minute.
BREATHING_CO2_PPM_PER_MINUTE = 3.0
# Absolute humidity rising this fast is steam, a shower running: one takes a
# bathroom from 55 to 90 % in a quarter hour, about 0.4 g/kg a minute, while
# someone breathing in a small room adds some 0.05.
STEAM_G_PER_KG_MINUTE = 0.15
AIR_CHANGE_FEATURES = (
    "co2_slope",
    "co2_trend",
    "humidity_slope",
    "humidity_trend",
    "temperature_slope",
)

# Evidence that fades: how long a motion, door or media event still counts.
RECENT_EVENT_MINUTES = (5.0, 30.0)

# Light is nearly on/off evidence but its response is far from linear: one-hot bands
# on a 1-3-10 log scale let a linear model learn which levels mean "lamps on".
LIGHT_BANDS_LUX = (10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)

# Roles whose level is tracked for a trend.
LEVEL_ROLES = (Role.CO2, Role.ILLUMINANCE, Role.TEMPERATURE, Role.SOUND, Role.POWER)
EVENT_ROLES = (
    Role.MOTION,
    Role.DOOR,
    Role.MEDIA,
    Role.PRESENCE,
    Role.NOBODY_HOME,
    Role.LIGHT_ON,
)
# Event roles whose state alone is the evidence, without "how long ago".
STATE_ONLY_ROLES = frozenset(
    {Role.PRESENCE.value, Role.NOBODY_HOME.value, Role.LIGHT_ON.value}
)
# Event roles whose sensors each report their own state: the zone's is on while any
# of them is. (Presence and "nobody home" come already summed over people.)
PER_SENSOR_ROLES = frozenset(
    {Role.MOTION.value, Role.DOOR.value, Role.MEDIA.value, Role.LIGHT_ON.value}
)
# Sensors of a role followed while on: sensors gone under new names without
# clearing must not grow the saved state without end. The role is on anyway.
MAX_SENSORS_ON = 32


def humidity_ratio(temperature: float, relative_humidity: float) -> float:
    """Return grams of water per kilogram of dry air (sea-level pressure).

    People breathe out water, so absolute humidity rises in an occupied room even
    when the relative humidity hides it behind a temperature change.
    """
    saturation = 6.112 * math.exp(17.62 * temperature / (243.12 + temperature))
    vapour = saturation * relative_humidity / 100.0
    return 622.0 * vapour / max(1013.25 - vapour, 1.0)


def co2_ppm(features: Mapping[str, float]) -> tuple[float, float]:
    """Return the CO2's excess over fresh air (ppm) and its recent trend (ppm a minute).

    Read back from ``co2_excess`` and ``co2_slope`` (0 where missing).
    """
    excess = CO2_EXCESS_STEP_PPM * math.expm1(features.get("co2_excess", 0.0))
    return excess, CO2_SLOPE_STEP_PPM * features.get("co2_slope", 0.0)


def light_band(lux: float) -> str:
    """Return the feature name of the light band ``lux`` falls in."""
    lower = 0.0
    for upper in LIGHT_BANDS_LUX:
        if lux < upper:
            return f"light_{lower:g}_{upper:g}lx"
        lower = upper
    return f"light_above_{lower:g}lx"


class Level:
    """Fast, medium and slow exponential averages of one signal, time-aware."""

    __slots__ = ("fast", "last", "medium", "slow", "updated", "wiggle")

    def __init__(self) -> None:
        """Start empty: the first reading fills every average."""
        self.fast = self.medium = self.slow = self.last = 0.0
        self.wiggle = 0.0  # average size of reading-to-reading changes
        self.updated: datetime | None = None

    def update(self, value: float, when: datetime) -> None:
        """Fold a reading in; readings older than the last one are ignored.

        The first reading since the clock was put back starts the averages afresh,
        as after a long gap.
        """
        if self.updated is None or clock_put_back(when, self.updated):
            self.fast = self.medium = self.slow = self.last = value
            self.updated = when
            return
        minutes = (when - self.updated).total_seconds() / 60.0
        if minutes < 0.0:
            return
        if minutes > 0.0:
            self.fast = _follow(self.fast, self.last, value, minutes, FAST_MINUTES)
            self.medium = _follow(
                self.medium, self.last, value, minutes, MEDIUM_MINUTES
            )
            self.slow = _follow(self.slow, self.last, value, minutes, SLOW_MINUTES)
        step = abs(value - self.last)
        self.wiggle += average_weight(max(minutes, 1.0), MEDIUM_MINUTES) * (
            step - self.wiggle
        )
        self.last = value
        self.updated = when

    def short_slope(self) -> float:
        """Return the recent trend in units per minute."""
        return _short_slope(self.fast, self.medium)

    def as_of(self, when: datetime) -> Level:
        """Return the level at ``when``, taking no reading since as no change.

        A lamp switched off leaves a big step and then silence: the light's
        flicker and trends must fade over the quiet minutes, not hold until the
        next reading (the lamp's switching read as people an hour later). It is
        what a reading of the same value at ``when`` would make of it.
        """
        if self.updated is None or when <= self.updated:
            return self
        level = copy(self)
        level.update(self.last, when)
        return level

    def long_slope(self) -> float:
        """Return the trend of the last half hour or so, in units per minute."""
        return (self.medium - self.slow) / (SLOW_MINUTES - MEDIUM_MINUTES)

    def to_list(self) -> list[Any]:
        """Return the state as a JSON-compatible list."""
        updated = self.updated.isoformat() if self.updated else None
        return [self.fast, self.medium, self.slow, self.last, self.wiggle, updated]

    @classmethod
    def from_list(cls, data: list[Any]) -> Level:
        """Restore from :meth:`to_list`."""
        level = cls()
        fast, medium, slow, last, wiggle, updated = data
        level.fast, level.medium, level.slow = float(fast), float(medium), float(slow)
        level.last, level.wiggle = float(last), float(wiggle)
        level.updated = datetime.fromisoformat(updated) if updated else None
        return level


def _shift(level: Level | None, value: float) -> None:
    """Move ``level``'s averages to ``value`` together, keeping their trends."""
    if level is None or level.updated is None:
        return
    step = value - level.last
    level.fast += step
    level.medium += step
    level.slow += step
    level.last = value


def _short_slope(fast: float, medium: float) -> float:
    return (fast - medium) / (MEDIUM_MINUTES - FAST_MINUTES)


def _follow(
    average: float, previous: float, value: float, minutes: float, tau: float
) -> float:
    """Exponential average of a signal taken as linear between two readings.

    Unlike the plain update, its lag behind a ramp is ``tau`` whatever the gap
    between readings, which keeps the slope estimates right for slow sensors.
    """
    decay = math.exp(-minutes / tau)
    share = (1.0 - decay) * tau / minutes
    return decay * average + (1.0 - share) * value + (share - decay) * previous


def _minutes(end: datetime, start: datetime) -> float:
    return (end - start).total_seconds() / 60.0


def _minutes_since(when: datetime, then: datetime) -> float:
    """Return the minutes from ``then`` to ``when``, 0 if ``then`` is a little later.

    A time far later than ``when`` was stamped before the clock was put back:
    long ago (infinitely), however late it reads.
    """
    if clock_put_back(when, then):
        return math.inf
    return max(_minutes(when, then), 0.0)


def _fresh(level: Level, when: datetime) -> bool:
    """Whether ``level`` read recently enough for its features at ``when``."""
    return (
        level.updated is not None
        and _minutes_since(when, level.updated) <= STALE_MINUTES
    )


def _temperature_slope(level: Level) -> float:
    """Return the half-hour temperature trend in °C per 20 minutes."""
    return level.long_slope() * 20.0


class OccupancyFeatures:
    """Feature builder for one zone: observations in, a feature dict out.

    Call :meth:`update` with every observation of the zone, in time order, and
    :meth:`features` whenever a prediction is wanted. Implausible values are ignored
    and counted in ``bad_values``.

    Features (present only when the zone has the signal):

    - ``motion_now``, ``motion_5min``, ``motion_30min``: the sensor's state and how
      recently it last saw motion (1 just now, fading to 0); likewise ``door_*`` and
      ``media_*``; ``presence_now``, ``nobody_home_now``, ``light_on_now``;
    - ``co2_excess``: ppm above the zone's own fresh-air baseline (log scale);
      ``co2_slope``, ``co2_trend``: ppm per minute over minutes and over half an hour;
    - ``light_level`` (log lux), ``light_<low>_<high>lx``: which band of a 1-3-10
      scale the light is in, ``light_wiggle``: how much the light flickers
      between readings (people move and cast shadows), ``light_slope``;
    - ``humidity_slope``: change of absolute humidity (from temperature and relative
      humidity), ``temperature_slope``;
    - ``sound_level``, ``power_level``, ``power_slope``;
    - ``hour_sin``, ``hour_cos``: time of day.

    >>> from datetime import datetime
    >>> builder = OccupancyFeatures()
    >>> builder.update(Observation(Role.CO2, 650.0, datetime(2024, 1, 8, 9, 0)))
    >>> round(builder.features(datetime(2024, 1, 8, 9, 0))["co2_slope"], 3)
    0.0
    """

    def __init__(self) -> None:
        """Start with no signals seen."""
        self.levels: dict[str, Level] = {}
        self.last_event: dict[str, datetime] = {}
        self.state: dict[str, float] = {}
        self.on_sources: dict[str, set[str]] = {}  # role: its sensors now on
        self.co2_baseline: float | None = None
        self.co2_baseline_time: datetime | None = None
        self.temperature: float | None = None
        self.relative_humidity: float | None = None
        self.window_open = False
        self.aired_at: datetime | None = None  # last minute of the latest airing
        self.co2_fell_fast = False  # at the last reading
        self.bad_values = 0

    def update(self, observation: Observation) -> None:
        """Fold one observation of this zone in."""
        role = role_of(observation.role)
        value = plausible(role, observation.value) if role is not None else None
        when = observation.when
        if role is None or value is None or not isinstance(when, datetime):
            self.bad_values += 1
            return
        name = role.value
        if role in EVENT_ROLES:
            previous = self.state.get(name, 0.0)
            value = self._any_on(name, observation.source, value)
            self.state[name] = value
            if value > 0.5:
                self.last_event[name] = when
            elif previous > 0.5 and name in self.last_event:
                # The sensor cleared: its evidence fades from now, not from the start.
                # A repeated "clear" is no news and must not refresh it.
                self.last_event[name] = later(self.last_event[name], when)
            return
        if role is Role.WINDOW:
            self._update_window(value >= 0.5, when)
            return
        if role is Role.HUMIDITY:
            self.relative_humidity = value
            self._update_humidity(when)
            return
        if role in (Role.ILLUMINANCE, Role.POWER):
            value = math.log1p(value)  # both span decades
        elif role is Role.TEMPERATURE:
            self.temperature = value
            self._update_humidity(when)
        elif role is Role.CO2:
            self._update_co2(value, when)
        if role in LEVEL_ROLES:
            level = self.levels.get(name)
            if level is None:
                level = self.levels[name] = Level()
            level.update(value, when)

    def rebase(self, role: Role, value: float) -> None:
        """Take ``value`` as the zone's ``role`` now, with no trend in the step.

        A sensor joined or left the zone's reading: its averages move with it,
        keeping the trends they had.
        """
        if role is Role.TEMPERATURE:
            self.temperature = value
        elif role is Role.HUMIDITY:
            self.relative_humidity = value
        if (
            role in (Role.TEMPERATURE, Role.HUMIDITY)
            and self.temperature is not None
            and self.relative_humidity is not None
        ):
            ratio = humidity_ratio(self.temperature, self.relative_humidity)
            _shift(self.levels.get(HUMIDITY_LEVEL), ratio)
        if role in (Role.ILLUMINANCE, Role.POWER):
            value = math.log1p(value)
        _shift(self.levels.get(role.value), value)

    def _any_on(self, role: str, source: str, value: float) -> float:
        """Return the zone's state of ``role`` after ``source`` reported ``value``.

        With two motion sensors in a room, one clearing says nothing while the
        other still sees someone.
        """
        if role not in PER_SENSOR_ROLES:
            return value
        on = self.on_sources.setdefault(role, set())
        if value > 0.5:
            if len(on) < MAX_SENSORS_ON:
                on.add(source)
        else:
            on.discard(source)
        return 1.0 if on else value

    def state_of(self, role: Role) -> float | None:
        """Return the zone's state of an event role (None before any report)."""
        return self.state.get(role.value)

    def keep_sources(self, sources: Collection[str]) -> None:
        """Forget the sensors not in ``sources``: they left the zone.

        One taken away while on would keep the zone's motion on for good; its
        evidence now fades from when it was last on.
        """
        for role, on in self.on_sources.items():
            self._forget(role, on - set(sources), None)

    def rename_source(self, old: str, new: str) -> None:
        """Follow sensor ``old``, if on, under its new name ``new``."""
        for on in self.on_sources.values():
            if old in on:
                on.discard(old)
                on.add(new)

    def heard(self, role: Role, value: float, when: datetime) -> None:
        """Take the zone's ``value`` of ``role`` as read again, unchanged, at ``when``.

        Only a level holds: a motion sensor's "off" again says nothing new.
        """
        if role in LEVEL_ROLES or role is Role.HUMIDITY:
            self.update(Observation(role, value, when))

    def lose_level(self, role: Role) -> None:
        """Forget the zone's level of ``role``: no sensor of it reads any more."""
        name = HUMIDITY_LEVEL if role is Role.HUMIDITY else role.value
        self.levels.pop(name, None)
        if role is Role.WINDOW:
            self.window_open = False  # no contact says it is open any more

    def lose_source(self, source: str, when: datetime) -> None:
        """Take ``source`` as off from ``when``: it stopped reading (unavailable).

        A motion sensor whose battery dies while on would otherwise keep the zone
        occupied until it is back.
        """
        for role in self.on_sources:
            self._forget(role, {source}, when)

    def _forget(self, role: str, sources: set[str], when: datetime | None) -> None:
        on = self.on_sources[role]
        if not on & sources:
            return
        on -= sources
        if not on:
            self.state[role] = 0.0
            if when is not None and role in self.last_event:
                self.last_event[role] = later(self.last_event[role], when)

    def _update_window(self, is_open: bool, when: datetime) -> None:
        if self.window_open or is_open:
            self.aired_at = when  # the airing lasts until it is shut
        self.window_open = is_open

    def _update_co2(self, ppm: float, when: datetime) -> None:
        # Before the level takes the reading: the fall is read from the last one.
        falls_fast = self._falls_fast(ppm, when)
        if falls_fast and self.co2_fell_fast:
            self.aired_at = when
        self.co2_fell_fast = falls_fast
        self._update_baseline(ppm, when)

    def _falls_fast(self, ppm: float, when: datetime) -> bool:
        """Return whether CO2 fell to ``ppm`` too fast for people leaving.

        Read from the last reading, not the averages: they lag by minutes, and
        in those minutes the fall reads as the plainest departure there is. An
        airing falls so reading after reading, below where the air has been of
        late; a sensor's glitch once, or back from a spike.
        """
        level = self.levels.get(Role.CO2.value)
        if level is None or level.updated is None:
            return False
        minutes = _minutes(when, level.updated)
        fall = level.last - ppm
        return (
            minutes > 0.0
            and ppm < level.slow
            and fall >= AIRING_MIN_FALL_PPM
            and -fall / minutes <= AIRING_CO2_PPM_PER_MINUTE
        )

    def _update_humidity(self, when: datetime) -> None:
        if self.temperature is None or self.relative_humidity is None:
            return
        ratio = humidity_ratio(self.temperature, self.relative_humidity)
        self.levels.setdefault(HUMIDITY_LEVEL, Level()).update(ratio, when)

    def _update_baseline(self, ppm: float, when: datetime) -> None:
        if self.co2_baseline is None or self.co2_baseline_time is None:
            self.co2_baseline = min(ppm, CO2_OUTDOOR_PPM)
            self.co2_baseline_time = when
            return
        hours = max(_minutes(when, self.co2_baseline_time), 0.0) / 60.0
        crept = self.co2_baseline + CO2_BASELINE_CREEP_PPM_PER_HOUR * hours
        self.co2_baseline = min(crept, ppm)
        self.co2_baseline_time = when

    def features(self, when: datetime) -> dict[str, float]:
        """Return the features at time ``when`` (after the observations so far)."""
        features: dict[str, float] = {}
        hour_sin, hour_cos = cyclic(hour_of_day(when), 24.0)
        features["hour_sin"], features["hour_cos"] = hour_sin, hour_cos
        for name, state in self.state.items():
            features[f"{name}_now"] = state
        for name, last in self.last_event.items():
            if name in STATE_ONLY_ROLES:
                continue
            ago = _minutes_since(when, last)
            if self.state.get(name, 0.0) > 0.5:
                ago = 0.0
            for tau in RECENT_EVENT_MINUTES:
                features[f"{name}_{tau:g}min"] = math.exp(-ago / tau)
        for name, level in self.levels.items():
            if _fresh(level, when):
                self._level_features(name, level.as_of(when), features)
        return features

    def temperature_slope(self, when: datetime) -> float | None:
        """Return the ``temperature_slope`` feature, whatever the model leaves out."""
        level = self.levels.get(Role.TEMPERATURE.value)
        if level is None or not _fresh(level, when):
            return None
        return _temperature_slope(level.as_of(when))

    def co2_rising(self, when: datetime) -> bool:
        """Return whether CO2 rises now as only people breathing there make it."""
        if self.airing(when):
            return False
        return self._rises(Role.CO2.value, BREATHING_CO2_PPM_PER_MINUTE, when)

    def steam_rising(self, when: datetime) -> bool:
        """Return whether the air grows damp as only a shower running makes it.

        Behind a curtain someone showers out of a motion sensor's view.
        """
        return self._rises(HUMIDITY_LEVEL, STEAM_G_PER_KG_MINUTE, when)

    def _rises(self, name: str, per_minute: float, when: datetime) -> bool:
        """Return whether level ``name`` rises at least ``per_minute`` now.

        No reading since the last one counts as no change, so a sensor that
        reports only large changes does not keep an old rise for long.
        """
        level = self.levels.get(name)
        if level is None or not _fresh(level, when):
            return False
        return level.as_of(when).short_slope() >= per_minute

    def airing(self, when: datetime) -> bool:
        """Return whether fresh air, not people, drives the air's trends now."""
        if self.window_open:
            return True
        return (
            self.aired_at is not None
            and _minutes_since(when, self.aired_at) < AIRING_MEMORY_MINUTES
        )

    def _level_features(
        self, name: str, level: Level, features: dict[str, float]
    ) -> None:
        # Each feature is scaled to roughly -1..1 in everyday use, so one learning
        # rate suits them all.
        if name == Role.CO2.value:
            excess = max(level.fast - (self.co2_baseline or level.fast), 0.0)
            features["co2_excess"] = math.log1p(excess / CO2_EXCESS_STEP_PPM)
            features["co2_slope"] = level.short_slope() / CO2_SLOPE_STEP_PPM
            features["co2_trend"] = level.long_slope() / CO2_SLOPE_STEP_PPM
        elif name == Role.ILLUMINANCE.value:
            features["light_level"] = level.last / 5.0
            features[light_band(math.expm1(level.last))] = 1.0
            features["light_wiggle"] = level.wiggle
            features["light_slope"] = level.short_slope()
        elif name == HUMIDITY_LEVEL:
            features["humidity_slope"] = level.short_slope() * 20.0
            features["humidity_trend"] = level.long_slope() * 20.0
        elif name == Role.TEMPERATURE.value:
            features["temperature_slope"] = _temperature_slope(level)
        elif name == Role.SOUND.value:
            features["sound_level"] = level.fast / 50.0
        elif name == Role.POWER.value:
            features["power_level"] = level.fast / 5.0
            features["power_slope"] = level.short_slope()

    def to_dict(self) -> dict[str, Any]:
        """Return the state as versioned JSON-compatible data."""
        return {
            "version": FEATURES_VERSION,
            "levels": {name: level.to_list() for name, level in self.levels.items()},
            "last_event": {
                name: when.isoformat() for name, when in self.last_event.items()
            },
            "state": dict(self.state),
            "on_sources": {
                role: sorted(on) for role, on in self.on_sources.items() if on
            },
            "co2_baseline": self.co2_baseline,
            "co2_baseline_time": (
                self.co2_baseline_time.isoformat() if self.co2_baseline_time else None
            ),
            "temperature": self.temperature,
            "relative_humidity": self.relative_humidity,
            "window_open": self.window_open,
            "aired_at": self.aired_at.isoformat() if self.aired_at else None,
            "co2_fell_fast": self.co2_fell_fast,
            "bad_values": self.bad_values,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OccupancyFeatures:
        """Restore from :meth:`to_dict`; ValueError on an unknown version or bad data."""
        check_version(data, "occupancy feature", FEATURES_VERSION)
        builder = cls()
        try:
            builder.levels = {
                str(name): Level.from_list(values)
                for name, values in data["levels"].items()
            }
            builder.last_event = {
                str(name): datetime.fromisoformat(when)
                for name, when in data["last_event"].items()
            }
            builder.state = {str(k): float(v) for k, v in data["state"].items()}
            # Absent before sensors were told apart: the next "clear" of any counts.
            builder.on_sources = {
                str(role): {str(source) for source in on}
                for role, on in data.get("on_sources", {}).items()
            }
            builder.co2_baseline = from_number(data["co2_baseline"])
            baseline_time = data["co2_baseline_time"]
            builder.co2_baseline_time = (
                datetime.fromisoformat(baseline_time) if baseline_time else None
            )
            builder.temperature = from_number(data["temperature"])
            builder.relative_humidity = from_number(data["relative_humidity"])
            # Absent before airings were told apart.
            builder.window_open = bool(data.get("window_open", False))
            aired_at = data.get("aired_at")
            builder.aired_at = datetime.fromisoformat(aired_at) if aired_at else None
            builder.co2_fell_fast = bool(data.get("co2_fell_fast", False))
            builder.bad_values = int(data["bad_values"])
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"corrupt occupancy feature state: {error}") from error
        return builder
