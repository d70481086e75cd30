"""Where each person is, minute by minute: routines turned into timelines.

A timeline is a queue of segments ``(end_minute, zone_index, activity)``: the person is
in ``zone_index`` doing ``activity`` until ``end_minute`` (minutes since the start of
the run). Residents are planned one day ahead (sleep runs into the next morning);
workers are planned at each midnight, together, so that meetings have attendees.

Routines come from the scenario's day patterns with jitter, days off, late nights,
public holidays and vacations. Each person has their own random stream, so a
controller's actions never change anyone's routine.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta
import random

from .scenario import MINUTES_PER_DAY, DayPattern, MeetingSpec, OccupantSpec, Scenario

AWAY = 0
AWAKE = 1
ASLEEP = 2
NOWHERE = -1


@dataclass(slots=True)
class Preferences:
    """A person's wishes for each minute of the day (precomputed: the loop is hot)."""

    setpoint: list[float]
    brightness: list[float]
    kelvin: list[float]


def preferences(spec: OccupantSpec) -> Preferences:
    """Expand the time-of-day tables of ``spec`` into per-minute lists."""

    def expand(points: list[tuple[int, float]]) -> list[float]:
        values = [points[-1][1]] * MINUTES_PER_DAY  # before the first time: the last
        for index, (start, value) in enumerate(points):
            end = points[index + 1][0] if index + 1 < len(points) else MINUTES_PER_DAY
            for minute in range(min(start, MINUTES_PER_DAY), min(end, MINUTES_PER_DAY)):
                values[minute] = value
        return values

    return Preferences(
        setpoint=expand(list(spec.setpoint)),
        brightness=expand([(start, level) for start, level, _ in spec.lighting]),
        kelvin=expand([(start, kelvin) for start, _, kelvin in spec.lighting]),
    )


class Occupant:
    """One person's timeline and the planning that extends it."""

    def __init__(
        self,
        spec: OccupantSpec,
        index: int,
        scenario: Scenario,
        zone_index: dict[str, int],
        seed: int,
    ) -> None:
        """Prepare an empty timeline; planning happens as the run reaches each day."""
        self.spec = spec
        self.index = index
        self.prefs = preferences(spec)
        self._start = scenario.start
        self._holidays = frozenset(scenario.holidays)
        self._zone_index = zone_index
        self._rng = random.Random(f"{seed}:routine:{index}")
        self.segments: deque[tuple[int, int, int]] = deque()
        self.horizon = 0  # planned up to this minute
        self.next_day = 0
        self._pending_sleep: int | None = None
        self._away_for_days = False
        self._zones = [zone_index[zone] for zone in spec.zones]
        self._weights = list(spec.zones.values())
        self.sleep_zone = zone_index[spec.sleep_zone] if spec.sleep_zone else NOWHERE
        self.desk_zone = zone_index[spec.desk_zone] if spec.desk_zone else NOWHERE
        # Drawn by the building's meeting planner for the current workday.
        self.arrive: int | None = None
        self.depart: int | None = None
        # Per-day log, for tests and statistics: day -> (pattern name, kind of day).
        self.day_log: dict[int, str] = {}

    # --- calendar -------------------------------------------------------------

    def pattern_for(self, day: int) -> tuple[str, DayPattern, str]:
        """Return the pattern for a day and why: normal, day_off, holiday or vacation."""
        when = self._start + timedelta(days=day)
        spec = self.spec
        name = (
            spec.rotation[day % len(spec.rotation)]
            if spec.rotation
            else spec.week[when.weekday()]
        )
        if any(first <= when <= last for first, last in spec.vacations):
            return name, spec.patterns[name], "vacation"
        works = spec.patterns[name].at_work or spec.patterns[name].leave is not None
        if works and when in self._holidays and spec.day_off_pattern in spec.patterns:
            return spec.day_off_pattern, spec.patterns[spec.day_off_pattern], "holiday"
        if works and spec.day_off_prob and self._rng.random() < spec.day_off_prob:
            return spec.day_off_pattern, spec.patterns[spec.day_off_pattern], "day_off"
        return name, spec.patterns[name], "normal"

    def _jitter(self) -> int:
        return round(self._rng.gauss(0.0, self.spec.jitter_min))

    def _late(self) -> int:
        if self.spec.late_prob and self._rng.random() < self.spec.late_prob:
            return self._rng.randint(60, 150)
        return 0

    # --- residents --------------------------------------------------------------

    def plan_resident_day(self) -> None:
        """Plan the next day of a resident: sleep, home, away, home, until bedtime."""
        day = self.next_day
        self.next_day += 1
        day_start = day * MINUTES_PER_DAY
        _name, pattern, why = self.pattern_for(day)
        self.day_log[day] = why
        if why == "vacation":
            self._append(day_start + MINUTES_PER_DAY, NOWHERE, AWAY)
            self._away_for_days = True
            self._pending_sleep = None
            return
        assert pattern.wake is not None
        assert pattern.sleep is not None
        if self._away_for_days:
            # Back from a trip in the afternoon; the house was empty until then.
            cursor = max(
                self.horizon, day_start + max(pattern.wake, 900) + self._jitter()
            )
            self._append(cursor, NOWHERE, AWAY)
            self._away_for_days = False
            first: tuple[str, ...] = ()
        else:
            earliest = self.horizon
            if self._pending_sleep is not None:
                earliest = max(
                    earliest, self._pending_sleep + round(self.spec.min_sleep_h * 60)
                )
            cursor = max(earliest, day_start + pattern.wake + self._jitter())
            self._append(cursor, self.sleep_zone, ASLEEP)
            first = self.spec.morning
        bedtime = day_start + pattern.sleep + self._jitter() + self._late()
        if (
            pattern.leave is not None
            and pattern.return_ is not None
            and self._rng.random() < pattern.away_prob
        ):
            leave = max(cursor + 10, day_start + pattern.leave + self._jitter())
            back = max(leave + 10, day_start + pattern.return_ + self._jitter())
            self._fill_home(cursor, leave, first, ())
            self._append(back, NOWHERE, AWAY)
            cursor = back
            first = ()
        bedtime = max(bedtime, cursor + 30)
        self._fill_home(cursor, bedtime, first, self.spec.evening)
        self._pending_sleep = bedtime

    def _fill_home(
        self, start: int, end: int, first: tuple[str, ...], last: tuple[str, ...]
    ) -> None:
        """Awake at home from start to end: fixed first/last zones, random in between."""
        cursor = start
        previous = NOWHERE
        for zone_id in first:
            cursor = min(end, cursor + self._rng.randint(8, 20))
            previous = self._zone_index[zone_id]
            self._append(cursor, previous, AWAKE)
        main_end = max(cursor, end - 10 * len(last))
        rng = self._rng
        while cursor < main_end:
            zone = rng.choices(self._zones, self._weights)[0]
            if zone == previous and len(self._zones) > 1:
                continue
            dwell = min(180.0, max(5.0, rng.expovariate(1.0 / self.spec.dwell_min)))
            cursor = min(main_end, cursor + round(dwell))
            self._append(cursor, zone, AWAKE)
            previous = zone
        for zone_id in last:
            cursor = min(end, cursor + 10)
            self._append(cursor, self._zone_index[zone_id], AWAKE)

    def _append(self, end: int, zone: int, activity: int) -> None:
        if end > self.horizon:
            self.segments.append((end, zone, activity))
            self.horizon = end

    # --- workers ----------------------------------------------------------------

    def draw_workday(self, day: int) -> None:
        """Decide whether and when a worker comes in on ``day`` (minutes of the run)."""
        _, pattern, why = self.pattern_for(day)
        self.day_log[day] = why
        self.arrive = self.depart = None
        if why == "vacation" or not pattern.at_work:
            return
        assert pattern.arrive is not None
        assert pattern.depart is not None
        day_start = day * MINUTES_PER_DAY
        self.arrive = day_start + pattern.arrive + self._jitter()
        self.depart = max(
            self.arrive + 60, day_start + pattern.depart + self._jitter() + self._late()
        )
        self.depart = min(self.depart, day_start + MINUTES_PER_DAY - 1)
        self.arrive = max(self.arrive, day_start)

    def plan_workday(self, day: int, meetings: list[tuple[int, int, int]]) -> None:
        """Lay out a worker's day: desk, breaks in their zones, lunch, and meetings."""
        day_start = day * MINUTES_PER_DAY
        day_end = day_start + MINUTES_PER_DAY
        if self.arrive is None or self.depart is None:
            self._append(day_end, NOWHERE, AWAY)
            return
        self._append(self.arrive, NOWHERE, AWAY)
        length = self.depart - self.arrive
        where = [self.desk_zone] * length
        rng = self._rng
        if self._zones:
            lunch = day_start + rng.randint(720, 780) - self.arrive
            lunch_zone = rng.choices(self._zones, self._weights)[0]
            for minute in range(max(0, lunch), min(length, lunch + 30)):
                where[minute] = lunch_zone
            for _ in range(self.spec.breaks_per_day):
                start = rng.randint(0, max(0, length - 10))
                zone = rng.choices(self._zones, self._weights)[0]
                for minute in range(start, min(length, start + 10)):
                    where[minute] = zone
        for start, end, room in meetings:
            for minute in range(
                max(0, start - self.arrive), min(length, end - self.arrive)
            ):
                where[minute] = room
        for offset in range(1, length + 1):
            if offset == length or where[offset] != where[offset - 1]:
                self._append(self.arrive + offset, where[offset - 1], AWAKE)
        self._append(day_end, NOWHERE, AWAY)


def plan_meetings(
    spec: MeetingSpec,
    rooms: list[int],
    workers: list[Occupant],
    day: int,
    rng: random.Random,
) -> dict[int, list[tuple[int, int, int]]]:
    """Book meetings for one day: per worker index, a list of (start, end, room)."""
    booked: dict[int, list[tuple[int, int, int]]] = {
        worker.index: [] for worker in workers
    }
    day_start = day * MINUTES_PER_DAY
    for room in rooms:
        count = int(spec.per_room_per_day) + (
            1 if rng.random() < spec.per_room_per_day % 1 else 0
        )
        room_busy: list[tuple[int, int]] = []
        for _ in range(count):
            start = day_start + rng.randrange(540, 1020, 30)
            end = start + rng.choice((30, 60, 60, 90))
            if any(
                start < busy_end and busy_start < end
                for busy_start, busy_end in room_busy
            ):
                continue
            free = [
                worker
                for worker in workers
                if worker.arrive is not None
                and worker.depart is not None
                and worker.arrive <= start
                and end <= worker.depart
                and not any(s < end and start < e for s, e, _ in booked[worker.index])
            ]
            if len(free) < spec.min_attendees:
                continue
            size = rng.randint(spec.min_attendees, min(spec.max_attendees, len(free)))
            for worker in rng.sample(free, size):
                booked[worker.index].append((start, end, room))
            room_busy.append((start, end))
    return booked


def day_date(start: date, day: int) -> date:
    """Return the calendar date of a day of the run."""
    return start + timedelta(days=day)
