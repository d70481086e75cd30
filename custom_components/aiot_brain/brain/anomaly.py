"""Anomalies in a zone: faulty sensors, ineffective HVAC, occupancy at odd hours.

Each source (sensor) is followed on its own, and each of its readings apart (a
thermostat reports its temperature, its setpoint and its action):

* out of range: a reading outside what its role can physically be;
* stuck: the value has not changed for far longer than it usually goes unchanged
  (and, where people are watched for, through an hour someone was there), or, at
  rest (darkness, standby, fresh air), through far more of the hours someone was
  in the zone than it ever stayed so;
* drifting: it moved away from its peers of the same role in the zone (two
  temperature sensors that used to agree now differ by much more than usual);
* unavailable: Home Assistant has had no reading from it for an hour.

For the zone as a whole:

* HVAC without effect: heating (cooling) for a long time while the indoor
  temperature did not rise (fall);
* unusual occupancy: someone present at an hour of the week when, over weeks of
  history, nobody ever was (a security signal);
* occupied while away: someone present while every tracked person is away, in a
  home where that has been rare (another security signal; a pet that moves in
  most absences is no news).

Each anomaly comes with its reason in words.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
import math
from typing import Any

from .observation import PLAUSIBLE_RANGE, Observation, Role, as_number, role_of
from .saved import check_version, from_iso, from_number, to_iso
from .timefeatures import average_weight, clock, hour_of_week
from .units import CELSIUS, TemperatureScale

# 2: one record per role of a source, no longer one per source.
VERSION = 2

# A sensor is stuck only once flat this many times as long as it ever was
# before: a room's temperature flat all of a calm night, seen on other nights,
# is no fault however fast it changes by day. A run longer than a day is not
# learned as usual: it was a fault, and the next one is still news. Nor is a
# run at rest (see AT_REST).
STUCK_OVER_LONGEST = 2.0
LONGEST_USUAL_RUN_HOURS = 24.0
# A room that warmed (cooled) while its HVAC was idle would have gone on so: a
# cooler that holds a kitchen's lunch where it was has an effect, though the
# room did not fall. Its course over the idle spell, if that lasted this long,
# counts for this long of the run at most, so that an HVAC that does nothing
# (the room going on as before) is still reported. Shorter spells say too
# little: read in tenths, a room's course over ten minutes is known to within
# 0.6 K an hour, twice what a run is expected to do (an office kitchen idle 13
# minutes moved one tenth, and the people back in it outran that course). Nor
# is a pause shorter than that a new run: a thermostat set back for minutes, or
# a compressor resting, goes on with the run it paused.
MIN_IDLE_MINUTES = 20.0
COURSE_HOURS = 1.0
# Nor does a cooler just big enough for its load, under which the room still
# warms (a kitchen's lunch, a print room's printers): it warms slower than it
# did idle at that load. The load is what the zone's power meters draw, in bands
# a factor of two wide; how fast the room went idle in each is learned over the
# last LOAD_MEMORY_HOURS idle at it, and trusted after MIN_LOAD_IDLE_HOURS. A
# load never seen idle, or a zone without a meter, excuses nothing. What the
# HVAC kept the room from is judged over about the last COURSE_HOURS, never as
# the run's best: over a long run a learned course drifts from the room's, and
# a cooler that does nothing must still be reported.
LOAD_MEMORY_HOURS = 24.0
MIN_LOAD_IDLE_HOURS = 0.5
# Heating slow by nature (underfloor, a heat pump at a low flow temperature)
# takes well over an hour to move a room cold from the night: a run is judged
# once twice as long as the slowest run that took effect took (as a sensor is
# stuck at twice its longest run), heating and cooling apart. A run slower than
# SLOWEST_USUAL_LAG_HOURS is not learned as usual: a window was open, or it
# was the fault the next one is news of.
LAG_OVER_SLOWEST = 2.0
SLOWEST_USUAL_LAG_HOURS = 4.0
# A room within this of what its thermostats ask (up to a tenth or two below it
# when heating, above it when cooling) is held there, not failed: a modulating
# valve says "heating" all the while it is a little open, and one that reports
# no action is taken to heat a tenth below its target.
AT_TARGET = 0.2
# The readings that move the room's course: its temperature, and the load (W)
# that warms it.
_COURSE_ROLES = frozenset({Role.TEMPERATURE, Role.POWER})
# Roles whose values vary continuously: only these can be "stuck" or "drift".
CONTINUOUS_ROLES = frozenset(
    {
        Role.TEMPERATURE,
        Role.HUMIDITY,
        Role.CO2,
        Role.ILLUMINANCE,
        Role.SOUND,
        Role.POWER,
        Role.OUTDOOR_TEMPERATURE,
    }
)
# Readings at or below which a sensor may rest while nobody is there: darkness, a
# device switched off or on standby, and fresh air (outdoor CO2, where many
# sensors stop at 400 ppm). A lux sensor reads 0 all night; that is not stuck.
# Nor is one of these at the lowest it ever read: a kitchen's fridge and coffee
# machine on standby (200 W) all weekend, a room's fresh air where a sensor
# never reads below 480 ppm.
AT_REST = {Role.ILLUMINANCE: 5.0, Role.POWER: 5.0, Role.CO2: 450.0}
# At rest through the hours someone is seen in the zone, one is stuck once
# through this many, and twice as many as it ever was before (up to a day's
# worth): a room's CO2 that stays at 400 ppm while people work in it, its light
# sensor at 0 lx through their days, a kitchen's standby through their lunches.
# A bedroom dark through its sleepers' nights, seen on nights before, is not.
MIN_OCCUPIED_REST_HOURS = 12
LONGEST_USUAL_OCCUPIED_REST = 24
# A device switched off (this many watts or less) stays off for any time,
# whoever is there: a heater all summer, a TV nobody watched this week.
SWITCHED_OFF_WATTS = 5.0
OCCUPANCY_ROLES = frozenset({Role.MOTION, Role.PRESENCE})
# Someone seen while everyone is away is reported once the trackers still say
# so this long after, and only where absences with someone seen have been rare
# (at most this share of at least this many absences).
ARRIVAL_GRACE = timedelta(minutes=10)
# A presence sensor reports its changes only: the hours it stayed on through
# were occupied too, up to this long (longer, it hung; it saw nobody all along).
LONGEST_PRESENCE = timedelta(hours=24)
USUAL_VISIT_SHARE = 0.2
MIN_ABSENCES = 5
# A sensor unavailable this long is reported (a radio drops out for seconds) ...
UNAVAILABLE_GRACE = timedelta(hours=1)
# ... if it is one whose silence is news. A lamp cut at the wall, a TV switched
# off, a plug pulled out and a weather service down for an hour are not; a
# thermostat or valve whose battery died is (its setpoint: the room goes unruled).
WATCHED_WHEN_UNAVAILABLE = frozenset(
    {
        Role.HVAC_SETPOINT,
        Role.TEMPERATURE,
        Role.HUMIDITY,
        Role.CO2,
        Role.ILLUMINANCE,
        Role.SOUND,
        Role.MOTION,
        Role.DOOR,
        Role.WINDOW,
    }
)
# Below these, a difference between peers is sensor tolerance, not drift.
DRIFT_FLOOR = {
    Role.TEMPERATURE: 1.0,
    Role.HUMIDITY: 8.0,
    Role.CO2: 150.0,
    Role.ILLUMINANCE: 200.0,
    Role.SOUND: 10.0,
    Role.POWER: 100.0,
    Role.OUTDOOR_TEMPERATURE: 2.0,
}
# A peer's reading is compared with others for this long after it was read.
PEER_FRESH = timedelta(minutes=30)
# The recent gap to the peers is this many hours' average, whatever the rate a
# sensor reads at: a drift lasts, while steam by a shower or an oven's heat
# parts two sensors of one room for an hour or so.
FAST_GAP_HOURS = 3.0
# The usual gap, and its scatter, are some days' average: a sensor reading each
# minute must not take a drift for usual within a day.
SLOW_GAP_DAYS = 7.0
# A peer that moved this many times as far as a sensor is the one that drifted.
DRIFT_CULPRIT = 1.5
_TEMPERATURE_ROLES = frozenset(
    {Role.TEMPERATURE, Role.OUTDOOR_TEMPERATURE, Role.HVAC_SETPOINT}
)
_UNITS = {
    Role.HUMIDITY: "%",
    Role.CO2: "ppm",
    Role.ILLUMINANCE: "lx",
    Role.SOUND: "dB",
    Role.POWER: "W",
}
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _reading(role: Role, value: float, scale: TemperatureScale) -> str:
    """Write a source's reading, a temperature on the reader's scale."""
    return scale.degrees(value) if role in _TEMPERATURE_ROLES else f"{value:g}"


def _gap(role: Role, value: float, scale: TemperatureScale) -> str:
    """Write how far a source reads from its peers, with its unit."""
    if role in _TEMPERATURE_ROLES:
        return scale.difference(value, "+")
    return f"{value:+.1f} {_UNITS.get(role, '')}".rstrip()


@dataclass(frozen=True, slots=True)
class Anomaly:
    """Something wrong in a zone, with its reason in words."""

    # "out_of_range", "stuck", "drift", "unavailable", "hvac_no_effect",
    # "unusual_occupancy", "occupied_while_away"
    kind: str
    source: str
    reason: str
    since: datetime


class _Source:
    """What is known about one reading of one sensor (a thermostat has three)."""

    __slots__ = (
        "changes",
        "fast_gap",
        "gap_spread",
        "gone_at",
        "last_change",
        "longest_occupied_rest",
        "longest_run",
        "lowest",
        "occupied_at_change",
        "occupied_at_gone",
        "out_of_range_at",
        "peer_samples",
        "role",
        "run_hours",
        "seen_after_change",
        "slow_gap",
        "value",
        "when",
    )

    def __init__(self, role: Role) -> None:
        self.role = role
        self.value: float | None = None
        self.when: datetime | None = None
        self.last_change: datetime | None = None
        self.changes = 0
        self.run_hours = 0.0  # typical hours between value changes (EW mean)
        self.longest_run = 0.0  # the most hours it was flat (up to a day)
        self.slow_gap = 0.0  # usual difference to the peers' mean
        self.fast_gap = 0.0  # recent difference to the peers' mean
        self.gap_spread = 0.0  # usual scatter of that difference
        self.peer_samples = 0
        self.out_of_range_at: datetime | None = None
        self.gone_at: datetime | None = None  # unavailable since
        # The zone's occupied hours then: those it was away for were not its.
        self.occupied_at_gone: int | None = None
        self.lowest: float | None = None  # the lowest plausible value it read
        # The zone's occupied hours when its value last changed, and the most
        # of them it stayed at rest through (see MIN_OCCUPIED_REST_HOURS).
        self.occupied_at_change: int | None = None
        self.longest_occupied_rest = 0
        # When someone was first seen here after its value last changed.
        self.seen_after_change: datetime | None = None

    def to_list(self) -> list[Any]:
        return [
            self.role.value,
            self.value,
            to_iso(self.when),
            to_iso(self.last_change),
            self.changes,
            self.run_hours,
            self.slow_gap,
            self.fast_gap,
            self.gap_spread,
            self.peer_samples,
            to_iso(self.out_of_range_at),
            to_iso(self.gone_at),
            self.lowest,
            self.longest_run,
            self.occupied_at_change,
            self.longest_occupied_rest,
            to_iso(self.seen_after_change),
            self.occupied_at_gone,
        ]

    @classmethod
    def from_list(cls, data: list[Any]) -> _Source:
        source = cls(Role(data[0]))
        source.value = from_number(data[1])
        source.when = from_iso(data[2])
        source.last_change = from_iso(data[3])
        source.changes = int(data[4])
        source.run_hours = float(data[5])
        source.slow_gap = float(data[6])
        source.fast_gap = float(data[7])
        source.gap_spread = float(data[8])
        source.peer_samples = int(data[9])
        source.out_of_range_at = from_iso(data[10])
        # Saved before unavailability was followed: taken as reading.
        source.gone_at = from_iso(data[11]) if len(data) > 11 else None
        # Saved before the lowest was kept: learned from the next reading on.
        if len(data) > 12 and data[12] is not None:
            source.lowest = float(data[12])
        # Saved before the longest run was kept: learned from the next one on.
        source.longest_run = float(data[13]) if len(data) > 13 else 0.0
        # Saved before occupied hours at rest were counted: from its next change.
        if len(data) > 15:
            if data[14] is not None:
                source.occupied_at_change = int(data[14])
            source.longest_occupied_rest = int(data[15])
        # Saved before it was kept: judged on the occupied hours alone.
        source.seen_after_change = from_iso(data[16]) if len(data) > 16 else None
        # Saved before it was kept: the hours it was away count as flat.
        if len(data) > 17 and data[17] is not None:
            source.occupied_at_gone = int(data[17])
        return source


# A source's records, by role.
_Records = dict[Role, _Source]


def _from_version_1(source: _Source) -> _Source:
    """Return a record saved when all of a source's roles shared one record.

    A thermostat's record took its setpoint and action for temperatures, and the
    temperature sensors beside it compared themselves with those. So temperature
    records start afresh, and so do records of roles never judged stuck or
    drifting (one of a thermostat first seen without a temperature learned from
    its temperatures); being out of range or unavailable still holds.
    """
    if source.role in CONTINUOUS_ROLES and source.role is not Role.TEMPERATURE:
        return source
    fresh = _Source(source.role)
    fresh.out_of_range_at, fresh.gone_at = source.out_of_range_at, source.gone_at
    return fresh


def _sources_from(saved: Mapping[str, Any], version: int) -> dict[str, _Records]:
    """Return the sources saved by :meth:`AnomalyDetector.to_dict` (``version``)."""
    sources = {}
    for name, saved_records in saved.items():
        if version == 1:
            records = [_from_version_1(_Source.from_list(list(saved_records)))]
        else:
            records = [_Source.from_list(list(record)) for record in saved_records]
        sources[str(name)] = {record.role: record for record in records}
    return sources


HOURS_PER_WEEK = 168
# Days alike for presence: Monday to Friday, and the weekend.
WEEKDAYS = range(5)
WEEKEND = range(5, 7)


_A_MONDAY = datetime(2000, 1, 3)


def _hour_slot(when: datetime) -> int:
    """Return the hours since a Monday's midnight: its remainder is the hour of the week."""
    return int((when - _A_MONDAY).total_seconds() // 3600)


@dataclass(slots=True)
class _PausedRun:
    """An HVAC run that paused: its action, when it paused, and where it stood."""

    action: float
    at: datetime
    since: datetime
    temperatures: list[float]  # lowest and highest, or none known
    effect: float
    course: list[float]
    load_effect: float | None
    done: float = 0.0  # how far (K) its stretches took the room its way

    def to_list(self) -> list[Any]:
        return [
            self.action,
            to_iso(self.at),
            to_iso(self.since),
            self.temperatures,
            self.effect,
            self.course,
            self.load_effect,
            self.done,
        ]

    @classmethod
    def from_list(cls, data: list[Any]) -> _PausedRun:
        """Restore what :meth:`to_list` saved; ValueError if it is unreadable."""
        action, at, since, temperatures, effect, course, load_effect, *done = data
        # Saved before a run's stretches were added up: none counted.
        (done,) = done or [0.0]
        at, since = from_iso(at), from_iso(since)
        temperatures = [float(v) for v in temperatures]
        course = [float(v) for v in course]
        if at is None or since is None or {len(temperatures), len(course)} - {0, 2}:
            raise ValueError("paused run without its times, or of wrong sizes")
        return cls(
            float(action),
            at,
            since,
            temperatures,
            float(effect),
            course,
            from_number(load_effect),
            float(done),
        )


class _VisitsWhileAway:
    """Whether someone was seen in the zone while everyone was away, absence by absence.

    Someone seen just before the trackers say a person is home again is that
    person coming in (phones are often a few minutes late), not a visitor. How
    long absences last, and which are trips, is the zone's ``Absences``.
    """

    __slots__ = ("count", "seen_at", "seen_by", "since", "visited")

    def __init__(self) -> None:
        self.since: datetime | None = None  # everyone away since
        self.count = 0  # absences that ended
        self.visited = 0  # of those, absences with someone seen
        self.seen_at: datetime | None = None  # first seen in the latest absence
        self.seen_by = ""

    def learn_away(self, when: datetime, away: bool) -> None:
        if away and self.since is None:
            self.since, self.seen_at = when, None
        elif not away and self.since is not None:
            if self.seen_at is not None and when - self.seen_at < ARRIVAL_GRACE:
                self.seen_at = None  # whoever came home, seen at the door
            self.count += 1
            self.visited += self.seen_at is not None
            self.since = None

    def learn_seen(self, when: datetime, source: str) -> None:
        if self.since is not None and self.seen_at is None:
            self.seen_at, self.seen_by = when, source

    def anomaly(
        self, when: datetime, report_hours: float, zone: tzinfo | None = None
    ) -> Anomaly | None:
        """Report a visit while everyone was away, where visits are rare.

        Its time is said as the clocks of ``zone`` showed it (see :func:`clock`).
        """
        seen = self.seen_at
        if seen is None:
            return None
        # Once the absence is over, it is already counted, as visited.
        ended = self.since is None
        count, visited = self.count - ended, self.visited - ended
        ago = when - seen
        confirmed = ended or ago >= ARRIVAL_GRACE
        if not confirmed or ago > timedelta(hours=report_hours):
            return None
        if count < MIN_ABSENCES or visited > USUAL_VISIT_SHARE * count:
            return None
        return Anomaly(
            "occupied_while_away",
            self.seen_by,
            f"{self.seen_by} saw someone at {clock(seen, zone=zone)} while everyone "
            "was away "
            f"(someone was seen in {visited} of {count} absences before)",
            seen,
        )

    def to_list(self) -> list[Any]:
        since, seen_at = to_iso(self.since), to_iso(self.seen_at)
        return [since, self.count, self.visited, seen_at, self.seen_by]

    @classmethod
    def from_list(cls, data: Any) -> _VisitsWhileAway:
        visits = cls()
        if data is None:  # saved before absences were followed
            return visits
        since, count, visited, seen_at, seen_by = data
        visits.since, visits.seen_at = from_iso(since), from_iso(seen_at)
        visits.count, visits.visited = int(count), int(visited)
        visits.seen_by = str(seen_by)
        return visits


class AnomalyDetector:
    """Watches one zone's observations and reports what looks wrong.

    Parameters
    ----------
    stuck_factor
        A value unchanged for this many times its usual run is stuck.
    min_stuck_hours
        Never call a sensor stuck before this many hours flat.
    min_changes
        Value changes needed before judging whether a sensor is stuck.
    drift_factor
        A gap to the peers this many times its usual scatter (and
        above the role's tolerance) is drift.
    min_peer_samples
        Comparisons with the peers needed before judging drift.
    hvac_minutes
        How long the HVAC must run before its effect is judged, at least (see
        LAG_OVER_SLOWEST).
    hvac_min_change
        The least change (K) expected in that time.
    min_history_days
        Days of occupancy history before odd hours are reported.
    unusual_hours
        How long an unusual occupancy stays reported.
    max_sources
        Sources followed (each with its roles); further ones are ignored.

    ``learn_one(observation)`` takes each observation; ``predict_one(when)`` returns
    the anomalies at ``when``.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from custom_components.aiot_brain.brain.observation import Observation, Role
        >>> detector = AnomalyDetector()
        >>> detector.learn_one(Observation(Role.TEMPERATURE, 120.0, datetime(2026, 1, 5), "t1"))
        >>> [anomaly.kind for anomaly in detector.predict_one(datetime(2026, 1, 5))]
        ['out_of_range']

    """

    def __init__(
        self,
        *,
        stuck_factor: float = 20.0,
        min_stuck_hours: float = 6.0,
        min_changes: int = 20,
        drift_factor: float = 5.0,
        min_peer_samples: int = 100,
        hvac_minutes: float = 60.0,
        hvac_min_change: float = 0.3,
        min_history_days: float = 14.0,
        unusual_hours: float = 1.0,
        max_sources: int = 32,
    ) -> None:
        """Start with no history."""
        self.stuck_factor = float(stuck_factor)
        self.min_stuck_hours = float(min_stuck_hours)
        self.min_changes = int(min_changes)
        self.drift_factor = float(drift_factor)
        self.min_peer_samples = int(min_peer_samples)
        self.hvac_minutes = float(hvac_minutes)
        self.hvac_min_change = float(hvac_min_change)
        self.min_history_days = float(min_history_days)
        self.unusual_hours = float(unusual_hours)
        self.max_sources = int(max_sources)
        self.sources = {}
        # HVAC: the action running, since when, the indoor temperature's range
        # since it started (lowest, highest), and how far the temperature has
        # gone the HVAC's way from its lowest (heating) or highest (cooling)
        # before: a room still cooling when the heating starts counts from its low.
        self.hvac_action = 0.0
        self.hvac_since: datetime | None = None
        self.hvac_temperatures: list[float] = []
        self.hvac_effect = 0.0
        # The longest (hours) a heating and a cooling run took to take effect.
        self.hvac_lags = [0.0, 0.0]
        # The run's stretch since it last went on: the indoor temperature then
        # and the furthest the room went the HVAC's way since; and how far (K)
        # its stretches before took the room (see _stretches_done).
        self.hvac_stretch: list[float] = []
        self.hvac_done = 0.0
        # Since when, and from what indoor temperature, the HVAC was idle; and
        # for the run, the temperature it started at and how fast (K/h) the room
        # went against it while idle (see COURSE_HOURS).
        self.idle_since: datetime | None = None
        self.idle_temperature: float | None = None
        self.hvac_course: list[float] = []
        # Per load band: how fast (K/h) the room went while the HVAC was idle,
        # and over how many hours (up to LOAD_MEMORY_HOURS). The last moment
        # followed, with the indoor temperature and load band then; and during a
        # run, how far (K) the HVAC kept the room from its course idle at those
        # loads, lately (see LOAD_MEMORY_HOURS).
        self.load_courses: dict[int, list[float]] = {}
        self.course_mark: tuple[datetime, float, int | None] | None = None
        self.load_effect: float | None = None
        # The run the HVAC paused (went idle) last, to go on with if it starts
        # again the same way within MIN_IDLE_MINUTES.
        self.paused_run: _PausedRun | None = None
        # Occupancy: hours of the week ever occupied (count of distinct weeks).
        self.occupied_hours = [0] * 168
        self.last_occupied_slot = -1
        # Hours someone was seen here, counted since the start: how many a
        # sensor at rest stayed so through.
        self.occupied_count = 0
        # Since when someone's presence is watched here: a motion sensor put in
        # an area known for weeks has not seen its empty hours yet.
        self.watched_since: datetime | None = None
        self.unusual_at: datetime | None = None
        self.unusual_source = ""
        self.visits = _VisitsWhileAway()
        self.bad_values = 0

    @property
    def sources(self) -> dict[str, _Records]:
        """The records of each source followed, by its name."""
        return self._sources

    @sources.setter
    def sources(self, sources: dict[str, _Records]) -> None:
        self._sources = sources
        # Each role's records, in the order of their sources: found once, not
        # at each reading (see _records_of).
        self._by_role: dict[Role, tuple[tuple[str, _Source], ...]] = {}

    # -- learning --------------------------------------------------------------

    def learn_one(self, observation: Observation) -> None:
        """Take one observation of the zone."""
        role = role_of(observation.role)
        when = observation.when
        if role is None or not isinstance(when, datetime):
            self.bad_values += 1
            return
        if when.tzinfo is not None:
            when = when.replace(tzinfo=None)  # comparable with ours
        source_name = str(observation.source or role.value)
        number = as_number(observation.value)
        if number is None:
            self.bad_values += 1
            return
        if role is Role.NOBODY_HOME:
            # People's trackers, not a sensor of the zone: not followed as one.
            self.visits.learn_away(when, number >= 0.5)
            return
        source = self._source(source_name, role)
        low, high = PLAUSIBLE_RANGE[role]
        if not low <= number <= high:
            self.bad_values += 1
            if source is not None:
                source.out_of_range_at = when
            return
        if role in OCCUPANCY_ROLES:
            if self.watched_since is None or when < self.watched_since:
                self.watched_since = when
            self._learn_occupancy(when, number, source_name, source)
        elif role is Role.HVAC_ACTION:
            self._learn_hvac(when, number)
        if source is not None:
            self._learn_source(source_name, source, when, number)

    def _learn_source(
        self, name: str, source: _Source, when: datetime, value: float
    ) -> None:
        """Follow one plausible reading of one role of a sensor."""
        role = source.role
        continuous = role in CONTINUOUS_ROLES
        if continuous and source.gone_at is not None:
            # Back from unavailable: flat is counted from now, not over the
            # time it did not read; back at the same value, it goes on being
            # flat, less that time and the hours someone was seen in it (a
            # frozen sensor stays stuck over a restart; a light sensor with a
            # new battery in the dark is not stuck through the days it was dead).
            if source.value == value and source.last_change is not None:
                away = max(when - source.gone_at, timedelta(0))
                source.last_change += away
                if source.seen_after_change is not None:
                    source.seen_after_change += away
                if (
                    source.occupied_at_change is not None
                    and source.occupied_at_gone is not None
                ):
                    source.occupied_at_change += max(
                        self.occupied_count - source.occupied_at_gone, 0
                    )
            else:
                source.last_change = None
        source.out_of_range_at = source.gone_at = source.occupied_at_gone = None
        if continuous:
            self._learn_flatness(source, when, value)
            if source.lowest is None or value < source.lowest:
                source.lowest = value
        previous, source.value, source.when = source.when, value, when
        if continuous:
            self._learn_peers(name, source, previous)
        if role in _COURSE_ROLES:
            indoor = self._indoor_temperature()  # once a reading: each mean reads all
            self._follow_course(when, indoor)
            if role is Role.TEMPERATURE and self.hvac_since is not None:
                self._track_hvac_temperature(when, indoor)

    def keep_sources(self, sources: Collection[str]) -> None:
        """Forget the sensors not in ``sources``: they left the zone.

        One that reports no more would read the same for good: stuck. A
        thermostat that left ends the run of the HVAC being judged.
        """
        if any(
            Role.HVAC_ACTION in records
            for name, records in self.sources.items()
            if name not in sources
        ):
            self._end_hvac_run()
        self.sources = {
            name: source for name, source in self.sources.items() if name in sources
        }

    def rename_source(self, old: str, new: str) -> None:
        """Follow sensor ``old`` under its new name ``new``, with what it taught."""
        if old in self._sources and new not in self._sources:
            self._sources[new] = self._sources.pop(old)
            self._by_role.clear()  # its records, found under their old name

    def forget_readings(self, names: Collection[str], role: Role) -> None:
        """Forget what the sensors ``names`` read for ``role``: it is no longer read.

        A thermostat's own temperature, once a room sensor reads the room's:
        left unread, it would read the same for good (stuck).
        """
        for name in names:
            if self._sources.get(name, {}).pop(role, None) is not None:
                self._by_role.pop(role, None)  # found with theirs among them

    def lose_source(self, name: str, when: datetime) -> None:
        """Note that sensor ``name`` stopped reading (unavailable) at ``when``.

        A thermostat that stopped reading may heat or not: the HVAC's run is not
        judged until one says again that it runs.
        """
        records = self.sources.get(name, {})
        for source in records.values():
            if source.gone_at is None:
                source.gone_at = when.replace(tzinfo=None)
                source.occupied_at_gone = self.occupied_count
        if Role.HVAC_ACTION in records:
            self._end_hvac_run()

    def _end_hvac_run(self) -> None:
        self.paused_run = None
        self.hvac_action = 0.0
        self.hvac_since = None
        self.hvac_temperatures = []
        self.hvac_effect = 0.0
        self.hvac_stretch = []
        self.hvac_done = 0.0
        self.hvac_course = []
        self.idle_since = self.idle_temperature = None
        self.load_effect = None
        self.course_mark = None

    def _source(self, name: str, role: Role) -> _Source | None:
        """Return the record of ``role`` read by ``name``, None beyond the bound."""
        records = self._sources.get(name)
        if records is None:
            if len(self._sources) >= self.max_sources:
                return None
            records = self._sources[name] = {}
        source = records.get(role)
        if source is None:
            source = records[role] = _Source(role)
            self._by_role.pop(role, None)  # one more of its role
        return source

    def _records_of(self, role: Role) -> tuple[tuple[str, _Source], ...]:
        """Return each source's record of ``role``, with the source's name."""
        records = self._by_role.get(role)
        if records is None:
            records = self._by_role[role] = tuple(
                (name, source_records[role])
                for name, source_records in self._sources.items()
                if role in source_records
            )
        return records

    def _learn_flatness(self, source: _Source, when: datetime, value: float) -> None:
        if source.last_change is None:
            source.last_change = when
            source.occupied_at_change = self.occupied_count
            source.seen_after_change = None
            return
        if source.value is not None and value != source.value:
            hours = max((when - source.last_change).total_seconds() / 3600.0, 0.0)
            # A night's darkness says nothing of how long it stays flat lit.
            if not self._at_rest(source, source.value):
                if hours <= LONGEST_USUAL_RUN_HOURS:
                    source.longest_run = max(source.longest_run, hours)
            elif (
                occupied := self._occupied_since_change(source)
            ) is not None and occupied <= LONGEST_USUAL_OCCUPIED_REST:
                source.longest_occupied_rest = max(
                    source.longest_occupied_rest, occupied
                )
            source.changes += 1
            weight = max(1.0 / source.changes, 0.02)
            source.run_hours += weight * (hours - source.run_hours)
            source.last_change = when
            source.occupied_at_change = self.occupied_count
            source.seen_after_change = None

    def _left_alone(self, source: _Source, when: datetime) -> bool:
        """Whether no one was seen here for an hour since ``source`` last changed.

        Seen by a sensor still here. A room left to itself may rest at one
        reading: an inner meeting room's air held a tenth of a degree from the
        evening to the small hours of its first calm night. A sensor flat while
        people come and go is stuck; but one flat through a weekend away has had
        no time to see them at the first motion back (a sensor that reports only
        a change of 0.5 K): it is judged once an hour with them has passed.
        """
        watched = any(
            record.gone_at is None
            for role in OCCUPANCY_ROLES
            for _, record in self._records_of(role)
        )
        # Not known (saved before the hours were counted): judged by time alone.
        seen = source.seen_after_change
        return watched and (
            self._occupied_since_change(source) == 0
            or (seen is not None and when - seen < timedelta(hours=1))
        )

    def _seen_from(self, when: datetime) -> None:
        """Note that someone was seen here from ``when`` on, in an hour not counted yet."""
        for records in self._sources.values():
            for source in records.values():
                # One unavailable sees nothing of them (see _learn_source).
                if (
                    source.seen_after_change is None
                    and source.last_change is not None
                    and source.gone_at is None
                ):
                    source.seen_after_change = max(when, source.last_change)

    def _occupied_since_change(self, source: _Source) -> int | None:
        """Return the hours someone was seen here since ``source`` last changed."""
        if source.occupied_at_change is None:
            return None
        return self.occupied_count - source.occupied_at_change

    def _learn_peers(
        self, name: str, source: _Source, previous: datetime | None
    ) -> None:
        """Compare ``source``'s reading with its peers'; it read before at ``previous``."""
        assert source.when is not None
        assert source.value is not None
        fresh = source.when - PEER_FRESH
        peers = [
            peer.value
            for peer_name, peer in self._records_of(source.role)
            if peer_name != name
            and peer.value is not None
            and peer.when is not None
            and peer.when >= fresh
            and peer.out_of_range_at is None
        ]
        if not peers:
            return
        gap = source.value - sum(peers) / len(peers)
        source.peer_samples += 1
        if source.peer_samples == 1:
            source.slow_gap = source.fast_gap = gap
            return
        # The usual gap learns slowly, the recent one quickly: a sensor that walks
        # away shows as the two parting. Both are weighed by the time since its
        # last reading: a sensor reading each minute moves them no faster than
        # one reading each ten.
        seconds = 0.0 if previous is None else (source.when - previous).total_seconds()
        days = max(seconds, 0.0) / 86400.0
        slow_weight = max(
            1.0 / source.peer_samples, average_weight(days, SLOW_GAP_DAYS)
        )
        if self._drift_limit(source) < abs(source.fast_gap - source.slow_gap):
            # While it drifts, the usual gap barely follows, or the drift would
            # soon look usual; a sensor that was moved on purpose is accepted
            # after a few days.
            slow_weight *= 0.1
        source.gap_spread += slow_weight * (
            abs(gap - source.slow_gap) - source.gap_spread
        )
        source.slow_gap += slow_weight * (gap - source.slow_gap)
        fast_weight = average_weight(days * 24.0, FAST_GAP_HOURS)
        source.fast_gap += fast_weight * (gap - source.fast_gap)

    def _moved(self, source: _Source) -> float | None:
        """Return how far ``source`` moved from its usual gap to its peers.

        None while it has not been compared often enough, or is unavailable.
        """
        if source.peer_samples < self.min_peer_samples or source.gone_at is not None:
            return None
        return source.fast_gap - source.slow_gap

    def _drift_limit(self, source: _Source) -> float:
        return max(
            DRIFT_FLOOR.get(source.role, 0.0), self.drift_factor * source.gap_spread
        )

    def _learn_hvac(self, when: datetime, action: float) -> None:
        action = float(round(action))
        if action == self.hvac_action:
            if action == 0 and self.idle_temperature is None:
                # Idle from the first it says so with a temperature known.
                self.idle_since = when
                self.idle_temperature = self._indoor_temperature()
            return
        indoor = self._indoor_temperature()
        self._follow_course(when, indoor)  # the course so far was the last action's
        if action == 0 and self.hvac_since is not None:
            self.paused_run = _PausedRun(
                self.hvac_action,
                when,
                self.hvac_since,
                list(self.hvac_temperatures),
                self.hvac_effect,
                list(self.hvac_course),
                self.load_effect,
                self._stretches_done(),
            )
        self.hvac_action = action
        self.hvac_since = when if action != 0 else None
        self.hvac_temperatures = [] if indoor is None else [indoor, indoor]
        self.hvac_effect = 0.0
        self.hvac_stretch = [] if indoor is None else [indoor, indoor]
        self.hvac_done = 0.0
        self.hvac_course = []
        self.load_effect = None if action == 0 else 0.0
        if action == 0:
            self.idle_since, self.idle_temperature = when, indoor
            return
        if (
            not self._resume_run(when, indoor)
            and indoor is not None
            and self.idle_since is not None
            and self.idle_temperature is not None
        ):
            idle_hours = (when - self.idle_since).total_seconds() / 3600.0
            if idle_hours * 60.0 >= MIN_IDLE_MINUTES:
                against = (self.idle_temperature - indoor) * action / idle_hours
                self.hvac_course = [indoor, max(against, 0.0)]
        self.idle_since = self.idle_temperature = None

    def _resume_run(self, when: datetime, indoor: float | None) -> bool:
        """Go on with the paused run if it did the same moments ago; whether it did.

        What the room did in the pause counts as in the run: a cooler that
        brings a room back down from where the pause let it warm has an effect.
        """
        paused, self.paused_run = self.paused_run, None
        if (
            paused is None
            or paused.action != self.hvac_action
            or (when - paused.at).total_seconds() >= MIN_IDLE_MINUTES * 60.0
        ):
            return False
        self.hvac_since = paused.since
        self.hvac_temperatures = paused.temperatures or self.hvac_temperatures
        if indoor is not None and self.hvac_temperatures:
            lowest, highest = self.hvac_temperatures
            self.hvac_temperatures = [min(lowest, indoor), max(highest, indoor)]
        self.hvac_effect = paused.effect
        self.hvac_course = paused.course
        self.load_effect = paused.load_effect
        self.hvac_done = paused.done
        return True

    def _stretches_done(self) -> float:
        """Return how far (K) the run's stretches, this one too, moved the room.

        What each stretch between the run's pauses took the room its way adds
        up: a thermostat cycling at its target works, though it never moves the
        room far. A meeting room's cooler, with people in, brought it down 0.2,
        0.1 and 0.1 K in three stretches of an hour and a half, the room warming
        back each time it rested. A dead one never reaches its target: it rests
        only when set back, and none of its stretches moves the room.
        """
        if not self.hvac_stretch:
            return self.hvac_done
        start, furthest = self.hvac_stretch
        return self.hvac_done + (furthest - start) * self.hvac_action

    def _indoor_temperature(self) -> float | None:
        values = [
            source.value
            for _, source in self._records_of(Role.TEMPERATURE)
            if source.value is not None and source.gone_at is None
        ]
        return sum(values) / len(values) if values else None

    def _track_hvac_temperature(self, when: datetime, indoor: float | None) -> None:
        if indoor is None or self.hvac_since is None:
            return
        if not self.hvac_temperatures:
            self.hvac_temperatures = [indoor, indoor]
        if not self.hvac_stretch:
            self.hvac_stretch = [indoor, indoor]
        lowest, highest = self.hvac_temperatures
        lowest, highest = min(lowest, indoor), max(highest, indoor)
        self.hvac_temperatures = [lowest, highest]
        moved = indoor - lowest if self.hvac_action > 0 else highest - indoor
        start, furthest = self.hvac_stretch
        if (indoor - furthest) * self.hvac_action > 0:
            self.hvac_stretch = [start, indoor]
        had_effect = self._took_effect(self.hvac_effect)
        self.hvac_effect = max(
            self.hvac_effect, moved, self._held(when, indoor), self._stretches_done()
        )
        if not had_effect and self._took_effect(self.hvac_effect):
            self._learn_lag((when - self.hvac_since).total_seconds() / 3600.0)
        if self._at_target(indoor, heating=self.hvac_action > 0):
            # Held where it is asked to be, the run did its work: one that goes
            # on is judged afresh from here, should the room fall away from it.
            self.hvac_since = when
            self.hvac_temperatures = [indoor, indoor]
            self.hvac_stretch = [indoor, indoor]
            self.hvac_effect = 0.0

    def _took_effect(self, change: float) -> bool:
        # Readings in tenths: 22.4 - 22.1 is 0.29999999999999716 in floats.
        return change >= self.hvac_min_change - 1e-9

    def _learn_lag(self, hours: float) -> None:
        """Learn that the run going on took ``hours`` to take effect (see LAG_OVER_SLOWEST)."""
        if hours <= SLOWEST_USUAL_LAG_HOURS:
            kind = 0 if self.hvac_action > 0 else 1
            self.hvac_lags[kind] = max(self.hvac_lags[kind], hours)

    def _judged_after(self) -> float:
        """Return the minutes the HVAC's run goes on before its effect is judged."""
        lag = self.hvac_lags[0 if self.hvac_action > 0 else 1]
        return max(self.hvac_minutes, LAG_OVER_SLOWEST * lag * 60.0)

    def _load_band(self) -> int | None:
        """Return the band of what the zone's power meters draw; None without one."""
        watts = [
            source.value
            for _, source in self._records_of(Role.POWER)
            if source.value is not None and source.gone_at is None
        ]
        if not watts:
            return None
        return round(math.log2(max(sum(watts), 1.0)))

    def _follow_course(self, when: datetime, indoor: float | None) -> None:
        """Follow the room's course (now at ``indoor``) since the last mark.

        Idle, it teaches how fast the room goes at the load then; while the HVAC
        runs, it adds how far the room would have gone idle.
        """
        mark, band = self.course_mark, self._load_band()
        if indoor is None or mark is None:
            self.course_mark = None if indoor is None else (when, indoor, band)
            return
        since, start, marked = mark
        hours = (when - since).total_seconds() / 3600.0
        if hours <= 0.0:
            # Read at the same moment: what it read goes to the next stretch.
            self.course_mark = (since, start, band)
            return
        if marked is not None and self.hvac_action == 0 and self.idle_since is not None:
            rate, seen = self.load_courses.get(marked, (0.0, 0.0))
            seen = min(seen + hours, LOAD_MEMORY_HOURS)
            rate += min(hours / seen, 1.0) * ((indoor - start) / hours - rate)
            self.load_courses[marked] = [rate, seen]
        elif self.load_effect is not None:
            self.load_effect = self._against_load(when, indoor)
        self.course_mark = (when, indoor, band)

    def _idle_rate(self, band: int | None) -> float:
        """Return how fast (K/h) the room went idle at load ``band``, 0 if not known."""
        rate, seen = (
            self.load_courses.get(band, (0.0, 0.0)) if band is not None else (0.0, 0.0)
        )
        return rate if seen >= MIN_LOAD_IDLE_HOURS else 0.0

    def _against_load(self, when: datetime, indoor: float | None) -> float:
        """Return how far the HVAC kept the room (at ``indoor``) from its idle course.

        From where the room would have gone idle at the loads of its run, as far
        as they were seen idle, over about the last COURSE_HOURS.
        """
        mark = self.course_mark
        if self.load_effect is None or mark is None or indoor is None:
            return 0.0
        since, start, band = mark
        hours = max((when - since).total_seconds() / 3600.0, 0.0)
        kept = (indoor - start - self._idle_rate(band) * hours) * self.hvac_action
        return self.load_effect * math.exp(-hours / COURSE_HOURS) + kept

    def _held(self, when: datetime, indoor: float | None) -> float:
        """Return how far the HVAC kept the room (at ``indoor``) from its idle course.

        0 where that course is not known.
        """
        if not self.hvac_course or indoor is None or self.hvac_since is None:
            return 0.0
        start, against = self.hvac_course
        hours = (when - self.hvac_since).total_seconds() / 3600.0
        went = (indoor - start) * self.hvac_action
        return went + against * min(hours, COURSE_HOURS)

    def _learn_occupancy(
        self, when: datetime, value: float, name: str, source: _Source | None
    ) -> None:
        if value < 0.5:
            if (
                source is not None
                and source.value is not None
                and source.value >= 0.5
                and source.when is not None
                and timedelta(0) <= when - source.when <= LONGEST_PRESENCE
            ):
                self._occupied_through(source.when, when)
            return
        self.visits.learn_seen(when, name)
        slot = _hour_slot(when)
        if slot == self.last_occupied_slot:
            return
        hour = int(hour_of_week(when))
        if slot > self.last_occupied_slot:
            self.occupied_count += 1
            self._seen_from(when)
        self.last_occupied_slot = slot
        if self._history_days(when) >= self.min_history_days and not (
            self._ever_occupied_near(hour)
        ):
            self.unusual_at = when
            self.unusual_source = name
        self.occupied_hours[hour] += 1

    def _ever_occupied_near(self, hour: int) -> bool:
        """Whether someone was ever present within an hour of ``hour`` of the week.

        On any day of its kind: a meeting at 10 on a Tuesday is no news where
        there were meetings at 10 on Mondays, one on a Saturday or at night is.
        """
        day, hour_of_day = divmod(hour, 24)
        days = WEEKDAYS if day in WEEKDAYS else WEEKEND
        return any(
            self.occupied_hours[(other * 24 + hour_of_day + shift) % HOURS_PER_WEEK]
            for other in days
            for shift in (-1, 0, 1)
        )

    def _occupied_through(self, start: datetime, end: datetime) -> None:
        """Count the hours after ``start``'s up to ``end``'s as occupied.

        Each hour once a week: one up to the latest counted (another sensor saw
        someone then) is counted only if it never was.
        """
        last = _hour_slot(end)
        for slot in range(_hour_slot(start) + 1, last + 1):
            hour = slot % HOURS_PER_WEEK
            if slot > self.last_occupied_slot or not self.occupied_hours[hour]:
                self.occupied_hours[hour] += 1
        first = max(self.last_occupied_slot, _hour_slot(start)) + 1
        if first <= last:
            self.occupied_count += last - first + 1
            self._seen_from(_A_MONDAY + timedelta(hours=first))
        self.last_occupied_slot = max(self.last_occupied_slot, last)

    def _history_days(self, when: datetime) -> float:
        if self.watched_since is None:
            return 0.0
        return (when - self.watched_since).total_seconds() / 86400.0

    # -- prediction ------------------------------------------------------------

    def predict_one(
        self,
        when: datetime,
        scale: TemperatureScale = CELSIUS,
        *,
        zone: tzinfo | None = None,
        window_open: bool = False,
    ) -> list[Anomaly]:
        """Return the anomalies at ``when``, each with its reason.

        The reasons say times as the clocks of the building's time ``zone`` showed
        them (see :func:`clock`). ``window_open``: a window of the zone is open,
        though no contact here says so (the zone saw it by the room's quick fall).
        """
        when = when.replace(tzinfo=None)
        found: list[Anomaly] = []
        for name, records in self._sources.items():
            # One word that a device is gone, not one per reading of it (a
            # thermostat's setpoint and its own temperature), after the others.
            gone = None
            for source in records.values():
                if source.gone_at is None:
                    self._add_reading_anomalies(
                        found, name, source, when, scale, zone=zone
                    )
                elif gone is None:
                    gone = self._unavailable(name, source, when, zone)
            # A device of which any reading is heard again is back: a thermostat
            # switched off reads no setpoint, a contact made a window no door.
            if gone is not None and all(
                source.gone_at is not None for source in records.values()
            ):
                found.append(gone)
        hvac = self._hvac_anomaly(when, scale, zone, window_open=window_open)
        if hvac is not None:
            found.append(hvac)
        if self.unusual_at is not None and timedelta(0) <= when - self.unusual_at <= (
            timedelta(hours=self.unusual_hours)
        ):
            weeks = self._history_days(self.unusual_at) / 7.0
            day = _DAYS[self.unusual_at.weekday()]
            kind = "weekdays" if self.unusual_at.weekday() in WEEKDAYS else "weekends"
            found.append(
                Anomaly(
                    "unusual_occupancy",
                    self.unusual_source,
                    f"{self.unusual_source} saw someone on {day} at "
                    f"{clock(self.unusual_at, zone=zone)}, a time nobody was "
                    f"present on {kind} in {weeks:.0f} weeks of history",
                    self.unusual_at,
                )
            )
        away = self.visits.anomaly(when, self.unusual_hours, zone)
        if away is not None:
            found.append(away)
        return found

    @staticmethod
    def _unavailable(
        name: str, source: _Source, when: datetime, zone: tzinfo | None
    ) -> Anomaly | None:
        """Report ``source`` (gone) unavailable, if its silence is news by now.

        What it read last is old news: not stuck, not drifting.
        """
        gone_at = source.gone_at
        if (
            gone_at is None
            or source.role not in WATCHED_WHEN_UNAVAILABLE
            or when - gone_at < UNAVAILABLE_GRACE
        ):
            return None
        return Anomaly(
            "unavailable",
            name,
            f"{name} has been unavailable since {clock(gone_at, when, zone)}",
            gone_at,
        )

    def _add_reading_anomalies(
        self,
        found: list[Anomaly],
        name: str,
        source: _Source,
        when: datetime,
        scale: TemperatureScale,
        *,
        zone: tzinfo | None,
    ) -> None:
        """Add to ``found`` what is wrong with the readings of ``source`` (not gone)."""
        role = source.role
        if source.out_of_range_at is not None:
            low, high = PLAUSIBLE_RANGE[source.role]
            found.append(
                Anomaly(
                    "out_of_range",
                    name,
                    f"{name} reported a {source.role.value} outside the possible "
                    f"range {_reading(role, low, scale)} to "
                    f"{_reading(role, high, scale)}",
                    source.out_of_range_at,
                )
            )
        if role in CONTINUOUS_ROLES:
            stuck = self._stuck(name, source, when, scale, zone)
            if stuck is not None:
                found.append(stuck)
        moved = self._moved(source)
        if (
            moved is not None
            and source.when is not None
            and abs(moved) > self._drift_limit(source)
            and not self._peer_moved_further(name, role, moved)
        ):
            found.append(
                Anomaly(
                    "drift",
                    name,
                    f"{name} reads {_gap(role, source.fast_gap, scale)} from "
                    f"its peers, usually {_gap(role, source.slow_gap, scale)}",
                    source.when,
                )
            )

    def _stuck(
        self,
        name: str,
        source: _Source,
        when: datetime,
        scale: TemperatureScale,
        zone: tzinfo | None,
    ) -> Anomaly | None:
        """Report ``source`` (continuous) stuck: flat far longer than usual (see AT_REST)."""
        value, since = source.value, source.last_change
        if value is None or since is None or source.changes < self.min_changes:
            return None
        if self._at_rest(source, value):
            occupied = self._occupied_since_change(source)
            if (
                occupied is None
                or occupied <= self._occupied_rest_limit(source)
                or (source.role is Role.POWER and value <= SWITCHED_OFF_WATTS)
            ):
                return None
            why = (
                f", through {occupied} hours someone was here; it never stayed so "
                f"through more than {source.longest_occupied_rest} before"
            )
        else:
            flat_hours = (when - since).total_seconds() / 3600.0
            if flat_hours <= self._stuck_limit(source) or self._left_alone(
                source, when
            ):
                return None
            why = f"; it usually changes every {source.run_hours * 60:.0f} min"
        return Anomaly(
            "stuck",
            name,
            f"{name} has read {_reading(source.role, value, scale)} since "
            f"{clock(since, when, zone)}{why}",
            since,
        )

    @staticmethod
    def _occupied_rest_limit(source: _Source) -> float:
        """Return the occupied hours ``source`` may stay at rest through."""
        return max(
            MIN_OCCUPIED_REST_HOURS, STUCK_OVER_LONGEST * source.longest_occupied_rest
        )

    def _stuck_limit(self, source: _Source) -> float:
        """Return the hours ``source`` may stay flat before it is stuck."""
        return max(
            self.min_stuck_hours,
            self.stuck_factor * source.run_hours,
            STUCK_OVER_LONGEST * source.longest_run,
        )

    @staticmethod
    def _at_rest(source: _Source, value: float) -> bool:
        """Whether ``value`` is one ``source`` may read for any time (see AT_REST)."""
        rest = AT_REST.get(source.role)
        if rest is None:
            return False
        return value <= rest or (source.lowest is not None and value <= source.lowest)

    def _peer_moved_further(self, name: str, role: Role, moved: float) -> bool:
        """Whether a peer of ``name`` moved clearly further: it is the one that drifted.

        Each sensor is compared with its peers' mean, which holds the one that
        drifted: the others seem to move too, a share as far. Two that part are
        both reported; which one is off cannot be told.
        """
        return any(
            abs(other) >= DRIFT_CULPRIT * abs(moved)
            for peer_name, peer in self._records_of(role)
            if peer_name != name and (other := self._moved(peer)) is not None
        )

    def _hvac_anomaly(
        self,
        when: datetime,
        scale: TemperatureScale,
        zone: tzinfo | None,
        *,
        window_open: bool,
    ) -> Anomaly | None:
        if self.hvac_since is None or len(self.hvac_temperatures) != 2:
            return None
        minutes = (when - self.hvac_since).total_seconds() / 60.0
        if minutes < self._judged_after():
            return None
        if window_open or any(
            record.value is not None and record.value >= 0.5 and record.gone_at is None
            for _, record in self._records_of(Role.WINDOW)
        ):
            # The window (by its contact, or seen by the room's fall), not the
            # heating, sets the room's course.
            return None
        heating = self.hvac_action > 0
        # A room held where it was reads nothing new: held until now.
        indoor = self._indoor_temperature()
        change = max(
            self.hvac_effect,
            self._held(when, indoor),
            self._against_load(when, indoor),
        )
        if self._took_effect(change):
            return None
        verb, direction = ("heating", "rose") if heating else ("cooling", "fell")
        # In the tenths shown, what fell short is short: 0.29 K is no "0.3 K".
        shown = round(max(change, 0.0) * scale.per_kelvin, 1)
        needed = round(self.hvac_min_change * scale.per_kelvin, 1)
        shown = min(shown, needed - 0.1)
        return Anomaly(
            "hvac_no_effect",
            "hvac",
            f"{verb} since {clock(self.hvac_since, when, zone)} but the temperature "
            f"{direction} only "
            f"{scale.difference(max(shown, 0.0) / scale.per_kelvin)} (expected at least "
            f"{scale.difference(self.hvac_min_change)})",
            self.hvac_since,
        )

    def _at_target(self, indoor: float | None, *, heating: bool) -> bool:
        """Whether the room (at ``indoor``) is where its thermostats ask (see AT_TARGET).

        Heating, up to the highest they ask; cooling, down to the lowest.
        """
        setpoints = [
            record.value
            for _, record in self._records_of(Role.HVAC_SETPOINT)
            if record.value is not None and record.gone_at is None
        ]
        if indoor is None or not setpoints:
            return False
        # Readings in tenths: 21.0 - 0.2 is a hair above 20.8 in floats.
        if heating:
            return indoor >= max(setpoints) - AT_TARGET - 1e-9
        return indoor <= min(setpoints) + AT_TARGET + 1e-9

    def explain(
        self,
        when: datetime,
        scale: TemperatureScale = CELSIUS,
        *,
        zone: tzinfo | None = None,
        window_open: bool = False,
    ) -> str:
        """Say what is wrong at ``when``, or that nothing is (see :meth:`predict_one`)."""
        return self.words(
            self.predict_one(when, scale, zone=zone, window_open=window_open)
        )

    def words(self, anomalies: Sequence[Anomaly]) -> str:
        """Say what ``anomalies`` (found by :meth:`predict_one`) are, or that none is."""
        if not anomalies:
            return f"no anomalies among {len(self.sources)} sources"
        return "; ".join(anomaly.reason for anomaly in anomalies)

    # -- state -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data."""
        return {
            "version": VERSION,
            "settings": [
                self.stuck_factor,
                self.min_stuck_hours,
                self.min_changes,
                self.drift_factor,
                self.min_peer_samples,
                self.hvac_minutes,
                self.hvac_min_change,
                self.min_history_days,
                self.unusual_hours,
                self.max_sources,
            ],
            "sources": {
                name: [source.to_list() for source in records.values()]
                for name, records in self.sources.items()
            },
            "hvac_action": self.hvac_action,
            "hvac_since": to_iso(self.hvac_since),
            "hvac_temperatures": list(self.hvac_temperatures),
            "hvac_effect": self.hvac_effect,
            "hvac_lags": list(self.hvac_lags),
            "hvac_stretch": list(self.hvac_stretch),
            "hvac_done": self.hvac_done,
            "idle": [to_iso(self.idle_since), self.idle_temperature],
            "hvac_course": list(self.hvac_course),
            "load_courses": [
                [band, *course] for band, course in self.load_courses.items()
            ],
            "course_mark": None
            if self.course_mark is None
            else [to_iso(self.course_mark[0]), *self.course_mark[1:]],
            "load_effect": self.load_effect,
            "paused_run": None
            if self.paused_run is None
            else self.paused_run.to_list(),
            "occupied_hours": list(self.occupied_hours),
            "last_occupied_slot": self.last_occupied_slot,
            "occupied_count": self.occupied_count,
            "watched_since": to_iso(self.watched_since),
            "unusual_at": to_iso(self.unusual_at),
            "unusual_source": self.unusual_source,
            "absences": self.visits.to_list(),
            "bad_values": self.bad_values,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnomalyDetector:
        """Restore a detector saved with :meth:`to_dict`."""
        version = check_version(data, "anomaly", 1, VERSION)

        try:
            settings = list(data["settings"])
            detector = cls(
                stuck_factor=float(settings[0]),
                min_stuck_hours=float(settings[1]),
                min_changes=int(settings[2]),
                drift_factor=float(settings[3]),
                min_peer_samples=int(settings[4]),
                hvac_minutes=float(settings[5]),
                hvac_min_change=float(settings[6]),
                min_history_days=float(settings[7]),
                unusual_hours=float(settings[8]),
                max_sources=int(settings[9]),
            )
            detector.sources = _sources_from(data["sources"], version)
            detector.hvac_action = float(data["hvac_action"])
            detector.hvac_since = from_iso(data["hvac_since"])
            # Saved as [start, lowest, highest] before the effect was kept.
            temperatures = [float(v) for v in data["hvac_temperatures"]]
            detector.hvac_temperatures = temperatures[-2:]
            detector.hvac_effect = float(data.get("hvac_effect", 0.0))
            # Saved before slow runs were learned: none known.
            detector.hvac_lags = [float(v) for v in data.get("hvac_lags", [0.0, 0.0])]
            # Saved before a run's stretches were added up: from the next one.
            detector.hvac_stretch = [float(v) for v in data.get("hvac_stretch", [])]
            detector.hvac_done = float(data.get("hvac_done", 0.0))
            # Saved before the room's idle course was kept: none known.
            idle_since, idle_temperature = data.get("idle", [None, None])
            detector.idle_since = from_iso(idle_since)
            if idle_temperature is not None:
                detector.idle_temperature = float(idle_temperature)
            detector.hvac_course = [float(v) for v in data.get("hvac_course", [])]
            # Saved before the room's course was learned by load: none known.
            detector.load_courses = {
                int(band): [float(rate), float(seen)]
                for band, rate, seen in data.get("load_courses", [])
            }
            mark = data.get("course_mark")
            if mark is not None:
                since = from_iso(mark[0])
                band = None if mark[2] is None else int(mark[2])
                if since is not None:
                    detector.course_mark = (since, float(mark[1]), band)
            load_effect = data.get("load_effect")
            detector.load_effect = from_number(load_effect)
            # Saved before pauses were kept: none to go on with.
            paused = data.get("paused_run")
            detector.paused_run = (
                None if paused is None else _PausedRun.from_list(paused)
            )
            detector.occupied_hours = [int(v) for v in data["occupied_hours"]]
            detector.last_occupied_slot = int(data["last_occupied_slot"])
            # Saved before occupied hours were counted: from now on.
            detector.occupied_count = int(data.get("occupied_count", 0))
            # Saved when any sensor's first reading started the history.
            detector.watched_since = from_iso(
                data["watched_since"] if "watched_since" in data else data["first_seen"]
            )
            detector.unusual_at = from_iso(data["unusual_at"])
            detector.unusual_source = str(data["unusual_source"])
            detector.visits = _VisitsWhileAway.from_list(data.get("absences"))
            detector.bad_values = int(data["bad_values"])
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"corrupt anomaly state: {error}") from error
        if (
            len(detector.occupied_hours) != 168
            or len(detector.hvac_temperatures) not in (0, 2)
            or len(detector.hvac_course) not in (0, 2)
            or len(detector.hvac_stretch) not in (0, 2)
            or len(detector.hvac_lags) != 2
        ):
            raise ValueError("corrupt anomaly state: wrong sizes")
        return detector
