"""Occupancy forecast: P(occupied) at +15 min ... +6 h, next arrival and departure.

Four pieces of evidence, mixed per horizon by an online logistic regression:

- a weekly profile: how often the zone was occupied at this hour of the week,
  shrunk towards the same half hour of any day and smoothed over its neighbours, so
  a few weeks of data already give a usable schedule;
- a transition table: how often the zone was occupied ``h`` later, given its state
  now and the hour of a weekday or weekend day (leaving at 08:00 on a Monday usually
  means back at 17:00, not 08:15);
- the recent state: occupied or not, for how long, and any extra evidence the caller
  passes (e.g. recent sensor activity), weighted separately for each state because
  activity while "away" means someone is back and silence while "home" may mean
  they left;
- a duration model: of the past moments of the last four weeks in the same state,
  at about the same time of day and about as long into it, how many were occupied
  ``h`` later. It is kept as the zone's history of changes of state, so it knows
  that an absence begun at 08:00 lasts until the evening, one begun at 20:00 a
  few hours, and one that has lasted since Friday night the weekend.

The mix's many weights learn slowly from few days, and at long horizons its
recent-state features are mostly noise; so the final forecast is the mix and the
duration model alone, weighted by their recent squared errors (exponential
weights), which picks the mix at short horizons and the duration model at long
ones.

Labels are delayed by the horizon, as in real life: a forecast made at ``t`` for
``t + h`` is learnt only once the state at ``t + h`` is known. Persistence wins at
short horizons and the profile at long ones; the learnt mix takes the best of both.
The mix's own past forecasts (as made, not as it would make them now) are what the
weighting judges.

The next arrival is first told from the same history of changes: how soon someone
came in after past moments like now. A short visit (the bathroom each morning)
never makes P(occupied) reach 0.5 at any one moment, yet it comes nearly every day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
import heapq
import itertools
import math
from typing import Any

import numpy as np

from .observation import as_number
from .saved import check_version, from_count, from_sum_of_squares
from .timefeatures import clock_put_back, is_weekend

FORECAST_VERSION = 2
# Version 1 had no duration model: it restores with an empty history.
READABLE_VERSIONS = (1, 2)

HORIZONS_MINUTES: tuple[int, ...] = (15, 30, 60, 120, 360)
HORIZON_NAMES: tuple[str, ...] = ("15min", "30min", "1h", "2h", "6h")
HORIZON_DELTAS = tuple(timedelta(minutes=minutes) for minutes in HORIZONS_MINUTES)
# One forecast per horizon is queued per this much time.
QUEUE_INTERVAL = HORIZON_DELTAS[0]

WEEK_BINS = 168  # hours of a week
DAY_BINS = 48  # half hours of a day
TRANSITION_BINS = 48  # hours of a weekday, then hours of a weekend day
HOURS_PER_DAY = 24
BIN_MINUTES = 30.0

# Pseudo-counts of the shrinkage: a weekly bin needs about this many observations
# before it outweighs the daily profile, and a daily bin before it outweighs 50 %.
WEEK_PRIOR = 2.0
DAY_PRIOR = 2.0
TRANSITION_PRIOR = 2.0

# Old habits fade: each bin keeps about this many observations' worth of memory.
MEMORY_OBSERVATIONS = 30.0
KEEP_PER_OBSERVATION = 1.0 - 1.0 / MEMORY_OBSERVATIONS

LOGIT_LIMIT = 4.0
# Evidence of order one is put on the scale of the logits it competes with, so a
# decisive signal (the front door, then footsteps) can overrule the state.
EVIDENCE_SCALE = 4.0
MAX_WEIGHT = 20.0

# Before any learning, trust the present at short horizons and what usually follows
# the present state at long ones; learning replaces these quickly.
PERSISTENCE_MINUTES = 120.0

SCAN_DAYS = 7  # how far ahead next arrival / departure are searched
# The resolution of a predicted arrival or departure: the curve's step.
TIME_STEP = timedelta(minutes=15)

# The duration model looks back over this many days of stays and absences ...
HISTORY_DAYS = 28
# ... and keeps at most this many changes of state (a flapping zone stays small).
MAX_CHANGES = 400
# An absence longer than this (a long weekend lasts up to 4 days) was a holiday.
HOLIDAY_MINUTES = 4 * 24 * 60
# Past moments count by how close they were in time of day (Gaussian, hours) ...
DURATION_DAY_HOURS = 1.0
# ... in how long the state had lasted (Gaussian in log(1 + hours)) ...
DURATION_SPELL_WIDTH = 0.5
# ... and less on the other kind of day (weekday against weekend).
OTHER_DAY_TYPE_WEIGHT = 0.3
# Pseudo-count of the schedule's forecast behind the duration model's.
DURATION_PRIOR = 3.0
# An arrival is told from how soon people came in after alike moments when most
# of them came within this window: the lead that pre-heating usually needs ...
ARRIVAL_WINDOW_MINUTES = 120
# ... of the moments within this many minutes of now's time of day (moments hours
# away would time a morning's visit too early or too late).
ARRIVAL_DAY_MINUTES = 30
# An early arrival is told the same way from up to this many minutes ahead, the
# longest pre-heating takes, where none came within the window above: a slow
# room must start warming before that window sees a morning's short visit.
EARLY_ARRIVAL_WINDOW_MINUTES = 240
ARRIVAL_NEVER = 10**9  # the delay of a moment with no arrival after it yet
QUARTER_MINUTES = 15
MINUTES_PER_DAY = 1440
_WEEK_MINUTES = 7 * MINUTES_PER_DAY
_WEEKEND_MINUTES = 2 * MINUTES_PER_DAY  # EPOCH is a Saturday: two days of each week
EPOCH = datetime(2000, 1, 1)  # a Saturday: weekday 5
# The final forecast leans towards whichever of the learnt mix and the duration
# model has had the lower squared error lately, over about this many forecasts.
CHOICE_MEMORY = 1000.0
# Exponential-weights rate on those faded sums of squared errors: one model ahead
# of the other by a sum of 1 carries 88 % of the forecast.
CHOICE_RATE = 2.0
MIX_FORECAST = "forecast"  # the key that carries a pending forecast's mix value
# A curve stops when it stays this far (in log-odds) from 0.5: well above rounding.
_NO_CROSSING_MARGIN = 1e-9


def on_time_step(when: datetime) -> datetime:
    """Return the start of the quarter hour ``when`` falls in.

    A predicted time shown to the minute would only move on with the clock: the
    curve is sampled every quarter hour from now.
    """
    return when - (when - when.replace(minute=0, second=0, microsecond=0)) % TIME_STEP


def time_shown(when: datetime, now: datetime) -> datetime:
    """Return a predicted time as it is shown: on the step, once its step is ahead.

    A time within the quarter hour under way stays as it is: rounded down, it
    would be past already, and stand so until it came.
    """
    step = on_time_step(when)
    return step if step > now else when


def _sigmoid(score: float) -> float:
    if score >= 0.0:
        return 1.0 / (1.0 + math.exp(-score))
    exp = math.exp(score)
    return exp / (1.0 + exp)


LOGIT_LOW = 1.0 / (1.0 + math.exp(LOGIT_LIMIT))


def _logit(probability: float) -> float:
    if probability <= LOGIT_LOW:
        return -LOGIT_LIMIT
    if probability >= 1.0 - LOGIT_LOW:
        return LOGIT_LIMIT
    return math.log(probability / (1.0 - probability))


def _week_minute(when: datetime) -> int:
    """Return the minute of the (wall-clock) week, Monday 00:00 being 0.

    The profile's bins follow from it by integer steps, and so do those of the
    horizons ahead: adding minutes to it is what adding them to ``when`` does.
    """
    return (when.weekday() * HOURS_PER_DAY + when.hour) * 60 + when.minute


def _week_bin(week_minute: int) -> int:
    return week_minute // 60 % WEEK_BINS


def _day_bin(week_minute: int) -> int:
    return week_minute % MINUTES_PER_DAY // int(BIN_MINUTES)


def _hour_bin(when: datetime) -> int:
    return when.hour + (24 if is_weekend(when) else 0)


# What a forecast from one moment weighs: the features every horizon shares, the
# schedules' logits and the duration model's forecasts, one of each per horizon.
_Evidence = tuple[dict[str, float], list[tuple[float, float]], tuple[float, ...]]


def _features_of(evidence: _Evidence) -> list[dict[str, float]]:
    """Return the mix's features, one dict per horizon, from its evidence."""
    common, schedules, durations = evidence
    return [
        {
            **common,
            "week": week,
            "transition": transition,
            "duration": _logit(duration),
        }
        for (week, transition), duration in zip(schedules, durations, strict=True)
    ]


class Counts:
    """Decayed counts of occupied and total per bin, for frequencies."""

    __slots__ = ("occupied", "total")

    def __init__(self, bins: int) -> None:
        """Start with empty bins."""
        self.occupied = [0.0] * bins
        self.total = [0.0] * bins

    def add(self, index: int, occupied: float, weight: float = 1.0) -> None:
        """Count one observation in bin ``index``, fading the bin's older ones."""
        keep = KEEP_PER_OBSERVATION**weight
        # Two decimals are plenty for counts and keep the saved state small; the
        # rounding happens here so that a restored model is the same model.
        self.occupied[index] = round(self.occupied[index] * keep + weight * occupied, 2)
        self.total[index] = round(self.total[index] * keep + weight, 2)

    def rate(self, index: int, prior: float, strength: float) -> float:
        """Return the bin's frequency shrunk towards ``prior``."""
        return (self.occupied[index] + strength * prior) / (
            self.total[index] + strength
        )

    def smoothed_rate(self, index: int, prior: float, strength: float) -> float:
        """Return the frequency over the bin and its two neighbours (1-2-1)."""
        size = len(self.total)
        before, after = (index - 1) % size, (index + 1) % size
        occupied, total = self.occupied, self.total
        smoothed_occupied = (
            0.25 * occupied[before] + 0.5 * occupied[index] + 0.25 * occupied[after]
        )
        smoothed_total = 0.25 * total[before] + 0.5 * total[index] + 0.25 * total[after]
        return (smoothed_occupied + strength * prior) / (smoothed_total + strength)

    def to_list(self) -> list[list[int]]:
        """Return the counts in hundredths, as JSON-compatible lists of ints."""
        return [
            [round(value * 100) for value in self.occupied],
            [round(value * 100) for value in self.total],
        ]

    @classmethod
    def from_list(cls, data: list[list[int]], bins: int) -> Counts:
        """Restore from :meth:`to_list`."""
        counts = cls(bins)
        occupied, total = data
        if len(occupied) != bins or len(total) != bins:
            raise ValueError(f"expected {bins} bins, got {len(occupied)}/{len(total)}")
        counts.occupied = [from_count(value) / 100 for value in occupied]
        counts.total = [from_count(value) / 100 for value in total]
        return counts


class OccupancyForecast:
    """Forecast of P(occupied) for one zone at fixed horizons.

    Call :meth:`learn_one` with the zone's state whenever it is known (every few
    minutes, e.g. from the occupancy detector or ground truth), and
    :meth:`predict_one` for the forecast. ``x`` is optional extra evidence about
    the recent state, a dict of numbers of order one (for instance
    ``{"activity_30min": 0.6}``); a key the model has not seen starts with weight 0.
    Bad values are ignored and counted in ``bad_values``.

    >>> from datetime import datetime, timedelta
    >>> model = OccupancyForecast()
    >>> start = datetime(2024, 1, 1)
    >>> for step in range(4 * 24 * 14):
    ...     when = start + timedelta(minutes=15 * step)
    ...     model.learn_one(when, 8 <= when.hour < 17)
    >>> round(model.predict_one(datetime(2024, 1, 15, 7, 0))["2h"], 1)
    1.0

    Parameters
    ----------
    learning_rate
        AdaGrad base step size of the per-horizon mix.
    l2
        L2 penalty per update.

    """

    def __init__(self, learning_rate: float = 0.5, l2: float = 1e-4) -> None:
        """Start with empty profiles and a persistence-then-schedule prior mix."""
        self.learning_rate = learning_rate
        self.l2 = l2
        self.week = Counts(WEEK_BINS)
        self.day = Counts(DAY_BINS)
        # transitions[h][state] counts occupancy h later by hour of a weekday or
        # weekend day; daily_transitions[h][state] by hour of any day, the
        # fallback while a weekend hour has few observations.
        self.transitions = [
            [Counts(TRANSITION_BINS), Counts(TRANSITION_BINS)] for _ in HORIZONS_MINUTES
        ]
        self.daily_transitions = [
            [Counts(HOURS_PER_DAY), Counts(HOURS_PER_DAY)] for _ in HORIZONS_MINUTES
        ]
        self.weights: list[dict[str, float]] = [
            {
                "state": 2.0 * math.exp(-minutes / PERSISTENCE_MINUTES),
                "duration": 1.0,
            }
            for minutes in HORIZONS_MINUTES
        ]
        self.squared_gradients: list[dict[str, float]] = [{} for _ in HORIZONS_MINUTES]
        # Recent squared errors of the mix and of the duration model, per horizon.
        self.losses: list[list[float]] = [[0.0, 0.0] for _ in HORIZONS_MINUTES]
        # Forecasts waiting for their label, a heap by due time:
        # (due, horizon, state, hour, features).
        self.pending: list[tuple[datetime, int, int, int, dict[str, float]]] = []
        self.occupied: bool | None = None
        self.since: datetime | None = None
        # The zone's recent history for the duration model: (minute, state) at
        # each change of state, oldest first, minutes counted from EPOCH.
        self.changes: list[tuple[int, int]] = []
        self._duration_cache: (
            tuple[_HistoryKey, tuple[tuple[float, ...], tuple[float, ...]]] | None
        ) = None
        # The usual arrival (minutes from the quarter hour, share), or None, per
        # window, for the same key: it changes once a quarter hour, not every minute.
        self._arrival_cache: dict[
            int, tuple[_HistoryKey, tuple[int, float] | None]
        ] = {}
        # The changes' minutes as an array, for as long as the history stays.
        self._times_cache: (
            tuple[tuple[int, tuple[int, int], tuple[int, int]], np.ndarray[Any, Any]]
            | None
        ) = None
        self.last_update: datetime | None = None
        self.last_forecast: datetime | None = None
        self.bad_values = 0
        # The profile's reports of the current quarter hour not yet counted:
        # (quarter hour since EPOCH, its minute of the week, occupied, weight).
        self.profile_batch: tuple[int, int, float, float] | None = None
        self._overall: float | None = None
        # The profile per half hour of the week, and its extremes, until it changes:
        # a scan for the next arrival asks for every quarter hour ahead each minute.
        self._profiles: dict[int, float] = {}
        self._bounds: tuple[float, float] | None = None
        self._shares: list[float] | None = None
        # The schedules' logits and the transitions' P(occupied) per horizon, for
        # one quarter hour of the week and state, until the counts change.
        self._schedules: (
            tuple[tuple[int, int], list[tuple[float, float]], tuple[float, ...]] | None
        ) = None
        # The duration model's P(occupied) per horizon for the sums and priors it
        # came from (the very objects: both are remembered until they change).
        self._durations: tuple[object, object, tuple[float, ...]] | None = None
        # Per horizon, the part of the mix's score that changes only with the
        # quarter hour, and the duration model's P(occupied), for the evidence
        # (the very objects) it came from. The weights change only where the
        # schedules are dropped, so new weights come with new schedules.
        self._fixed_scores: tuple[object, object, list[tuple[float, float]]] | None = (
            None
        )

    # Learning -------------------------------------------------------------------

    def learn_one(
        self, when: datetime, occupied: object, x: dict[str, Any] | None = None
    ) -> None:
        """Record the zone's state at ``when`` and learn the forecasts now due."""
        state = as_number(occupied)
        if isinstance(when, datetime) and clock_put_back(when, self.last_update):
            self._put_back(when)
        if (
            state is None
            or state not in (0.0, 1.0)
            or not isinstance(when, datetime)
            or (self.last_update is not None and when < self.last_update)
        ):
            self.bad_values += 1
            return
        previous = self.occupied
        self._resolve(when, state, previous)
        minutes = (
            BIN_MINUTES
            if self.last_update is None
            else (when - self.last_update).total_seconds() / 60.0
        )
        weight = min(minutes, BIN_MINUTES) / BIN_MINUTES
        if weight > 0.0:
            self._count(when, state, weight)
        if previous is None or bool(state) != previous:
            self.since = when
            self._record_change(when, int(state))
        self.occupied = bool(state)
        self.last_update = when
        self._queue(when, self._clean(x))

    def _put_back(self, when: datetime) -> None:
        """Start timing afresh from ``when``: the clock was put back to it.

        What the models learned stays. The changes stamped after ``when`` are
        forgotten, and the forecasts made at or after it: the history must stay
        in time order, a forecast made at the wrong time is due at no real
        moment, and one made at ``when`` itself is made again (two alike would
        leave the queue comparing their features).
        """
        minute = _minutes(when)
        while self.changes and self.changes[-1][0] > minute:
            self.changes.pop()
        # The state as the history has it, to go on alternating from.
        if self.changes:
            last_minute, last_state = self.changes[-1]
            self.occupied = bool(last_state)
            self.since = EPOCH + timedelta(minutes=last_minute)
        else:
            self.occupied = self.since = None
        self.pending = [
            forecast
            for forecast in self.pending
            if forecast[0] - HORIZON_DELTAS[forecast[1]] < when
        ]
        heapq.heapify(self.pending)
        self.last_update = self.last_forecast = None

    def _count(self, when: datetime, state: float, weight: float) -> None:
        """Count the state in the weekly profile, once per quarter hour.

        The first report of a quarter hour counts at once (a caller that reports
        once a quarter hour, as the benchmarks do, sees each report at once); the
        later ones are summed and counted with the next quarter's first. So the
        profile, and the schedule worked out from it, changes once a quarter hour,
        not with each report, and a minute's 1/30 is not rounded to hundredths.
        """
        quarter = _minutes(when) // QUARTER_MINUTES
        batch = self.profile_batch
        if batch is not None and batch[0] == quarter:
            self.profile_batch = (
                quarter,
                batch[1],
                batch[2] + state * weight,
                batch[3] + weight,
            )
            return
        if batch is not None and batch[3] > 0.0:
            self._add_to_profile(batch[1], batch[2], batch[3])
        week_minute = _week_minute(when)
        self._add_to_profile(week_minute, state * weight, weight)
        self.profile_batch = (quarter, week_minute, 0.0, 0.0)

    def _add_to_profile(self, week_minute: int, occupied: float, weight: float) -> None:
        share = occupied / weight
        self.week.add(_week_bin(week_minute), share, weight)
        self.day.add(_day_bin(week_minute), share, weight)
        self._overall = None
        self._profiles.clear()
        self._bounds = None
        self._schedules = None

    def _record_change(self, when: datetime, state: int) -> None:
        minute = _minutes(when)
        if self.changes and minute <= self.changes[-1][0]:
            # Flipped back within the minute (or the wall clock went back): the
            # blip is forgotten, which keeps the history alternating and ordered.
            self.changes.pop()
            if not self.changes:
                self.changes.append((minute, state))
            return
        self.changes.append((minute, state))
        cutoff = minute - HISTORY_DAYS * MINUTES_PER_DAY
        # Keep the last change before the cutoff: it says the state at the cutoff.
        drop = 0
        while drop + 1 < len(self.changes) and self.changes[drop + 1][0] <= cutoff:
            drop += 1
        drop = max(drop, len(self.changes) - MAX_CHANGES)
        del self.changes[:drop]

    def _queue(self, when: datetime, extra: dict[str, float]) -> None:
        # One forecast per horizon per quarter hour is plenty to learn from, and it
        # bounds the queue (and the saved state) whatever the call rate.
        if (
            self.last_forecast is not None
            and when - self.last_forecast < QUEUE_INTERVAL
        ):
            return
        self.last_forecast = when
        state = int(bool(self.occupied))
        hour = _hour_bin(when)
        for index, features in enumerate(self._features(when, state, extra)):
            due = when + HORIZON_DELTAS[index]
            # Rounded so that the saved queue is small and restores exactly.
            rounded = {
                name: round(value, 3)
                for name, value in features.items()
                if name != "bias"
            }
            # The mix's forecast as made now, to judge it fairly once due.
            rounded[MIX_FORECAST] = round(
                _sigmoid(_dot(self.weights[index], features)), 4
            )
            heapq.heappush(self.pending, (due, index, state, hour, rounded))

    def _resolve(self, when: datetime, state: float, previous: bool | None) -> None:
        """Learn every pending forecast whose target time has come."""
        while self.pending and self.pending[0][0] <= when:
            due, index, then_state, hour, features = heapq.heappop(self.pending)
            # The state held from the previous report until now.
            label = state if due == when or previous is None else float(previous)
            features = dict(features)
            made = features.pop(MIX_FORECAST, None)
            if made is not None:
                self._score_choice(index, made, features.get("duration", 0.0), label)
            self._learn_mix(index, {"bias": 1.0, **features}, label)
            self.transitions[index][then_state].add(hour, label)
            self.daily_transitions[index][then_state].add(hour % HOURS_PER_DAY, label)
            self._schedules = None

    def _score_choice(
        self, index: int, mixed: float, duration: float, label: float
    ) -> None:
        """Add the latest squared errors of the mix and the duration model."""
        keep = 1.0 - 1.0 / CHOICE_MEMORY
        self.losses[index] = [
            round(loss * keep + (probability - label) ** 2, 3)
            for loss, probability in zip(
                self.losses[index], (mixed, _sigmoid(duration)), strict=True
            )
        ]
        self._shares = None

    def _learn_mix(self, index: int, features: dict[str, float], label: float) -> None:
        weights = self.weights[index]
        squares = self.squared_gradients[index]
        error = _sigmoid(_dot(weights, features)) - label
        # Long horizons have noisier labels (more can happen in 6 h): smaller steps.
        rate = self.learning_rate * math.sqrt(
            HORIZONS_MINUTES[0] / HORIZONS_MINUTES[index]
        )
        for name, value in features.items():
            weight = weights.get(name, 0.0)
            gradient = error * value + self.l2 * weight
            squares[name] = squares.get(name, 0.0) + gradient * gradient
            weight -= rate * gradient / math.sqrt(squares[name] + 1e-8)
            weights[name] = max(-MAX_WEIGHT, min(MAX_WEIGHT, weight))

    # Features -------------------------------------------------------------------

    def profile(self, when: datetime) -> float:
        """Return the weekly profile's P(occupied) at ``when``."""
        return self._profile_at(_week_minute(when))

    def _profile_at(self, week_minute: int) -> float:
        # Its bins (an hour of the week, a half hour of the day) follow from the
        # half hour of the week.
        key = week_minute % _WEEK_MINUTES // int(BIN_MINUTES)
        rate = self._profiles.get(key)
        if rate is None:
            overall = self._overall_rate()
            daily = self.day.smoothed_rate(_day_bin(week_minute), overall, DAY_PRIOR)
            rate = self.week.smoothed_rate(_week_bin(week_minute), daily, WEEK_PRIOR)
            self._profiles[key] = rate
        return rate

    def _overall_rate(self) -> float:
        # Asked for ten times per update, changed once: worth remembering.
        if self._overall is None:
            total = sum(self.day.total)
            self._overall = (sum(self.day.occupied) + 1.0) / (total + 2.0)
        return self._overall

    def _common_features(
        self, origin: datetime, state: int, extra: dict[str, float]
    ) -> dict[str, float]:
        """Return the features every horizon shares: the recent state."""
        sign = 1.0 if state else -1.0
        common = {"bias": 1.0, "state": sign if self.occupied is not None else 0.0}
        if self.since is not None and self.occupied is not None:
            hours = max((origin - self.since).total_seconds(), 0.0) / 3600.0
            common["state_duration"] = sign * min(math.log1p(hours), 3.0) / 3.0
        # Evidence means different things by state: activity while "away" says
        # someone is back, silence while "home" that they may have left.
        suffix = "_home" if state else "_away"
        for name, value in extra.items():
            common[name + suffix] = EVIDENCE_SCALE * value
        return common

    def _schedule_features(
        self, week_minute: int, state: int, hour: int
    ) -> list[tuple[float, float]]:
        """Return the logits of the weekly profile and the transition table.

        One pair per horizon, for a forecast made at ``week_minute`` of the week
        in ``state`` during ``hour`` (see ``_hour_bin``).
        """
        day_hour = hour % HOURS_PER_DAY
        schedules = []
        for index, horizon in enumerate(HORIZONS_MINUTES):
            week = self._profile_at(week_minute + horizon)
            daily = self.daily_transitions[index][state].rate(
                day_hour, week, TRANSITION_PRIOR
            )
            transition = self.transitions[index][state].rate(
                hour, daily, TRANSITION_PRIOR
            )
            schedules.append((_logit(week), _logit(transition)))
        return schedules

    def duration_forecast(
        self, when: datetime, priors: tuple[float, ...] | None = None
    ) -> tuple[float, ...]:
        """Return P(occupied) at each horizon from how past spells went on.

        A kernel estimate over every past quarter hour of the last weeks whose
        outcome ``h`` later is already known: moments in the same state as now,
        weighted by how close they were in time of day, in how long that state
        had lasted, and in the kind of day. Someone who left at 08:00 and has
        been out for 10 h is likely back soon; someone out since 20:00 the day
        before is away for the weekend. Answers for the start of the quarter
        hour, so a restored model gives the same numbers. Where few past moments
        are alike, the estimate leans on ``priors`` (by default 0.5), e.g. the
        schedule's.
        """
        count = len(HORIZONS_MINUTES)
        if priors is None:
            priors = (0.5,) * count
        sums = self._duration_sums(when)
        cached = self._durations
        if cached is not None and cached[0] is sums and cached[1] is priors:
            return cached[2]
        occupied, total = sums
        forecast = tuple(
            (occupied[index] + DURATION_PRIOR * priors[index])
            / (total[index] + DURATION_PRIOR)
            for index in range(count)
        )
        self._durations = (sums, priors, forecast)
        return forecast

    def _duration_sums(
        self, when: datetime
    ) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """Return the kernel-weighted counts of occupied and of all alike moments."""
        count = len(HORIZONS_MINUTES)
        if not self.changes:
            return (0.0,) * count, (0.0,) * count
        minute = _minutes(when)
        key = self._history_key(minute)
        now = key[0]
        if self._duration_cache is not None and self._duration_cache[0] == key:
            return self._duration_cache[1]
        alike = self._alike_moments(minute)
        if alike is None:
            return (0.0,) * count, (0.0,) * count
        times, origins, _, weights = alike
        first_state = self.changes[0][1]
        # One row per horizon.
        targets = origins[None, :] + _HORIZON_COLUMN
        # Only moments whose outcome is known by now: labels come late.
        known = np.where(
            targets <= now,
            weights[None, :] * _day_type_weights(targets, now + _HORIZON_COLUMN),
            0.0,
        )
        changes_before = np.searchsorted(times, targets.ravel(), side="right") - 1
        later = (changes_before & 1) ^ first_state
        occupied = (known * later.reshape(targets.shape)).sum(axis=1)
        total = known.sum(axis=1)
        result = (
            tuple(float(value) for value in occupied),
            tuple(float(value) for value in total),
        )
        self._duration_cache = (key, result)
        return result

    def _alike_moments(self, minute: int) -> _Moments | None:
        """Return the past quarter hours in the state the zone is in at ``minute``.

        With them: the times of the changes, the index of the change each moment
        follows, and each moment's weight by how close it was in time of day, in
        how long that state had lasted, and in the kind of day. None before any
        change is known.
        """
        now = minute // QUARTER_MINUTES * QUARTER_MINUTES
        times = self._change_times()
        current = int(np.searchsorted(times, now, side="right")) - 1
        if self.changes[-1][0] <= minute:
            # A change within this quarter hour already counts: the state now.
            current = len(self.changes) - 1
        if current < 0:
            return None
        origins = now + _ORIGIN_OFFSETS
        at = np.searchsorted(times, origins, side="right") - 1
        # States alternate, so a moment is in the current state when its change
        # has the current one's parity (and it is not before the history).
        alike = (at >= 0) & ((at & 1) == (current & 1))
        if self.changes[current][1] == 0:
            # An absence far longer than a weekend that is over (a holiday, a
            # closure) says nothing of the usual week: the Monday after it is no
            # Monday on which nobody comes.
            ended = at + 1 < len(times)
            lasted = times[np.minimum(at + 1, len(times) - 1)] - times[at]
            alike &= ~(ended & (lasted > HOLIDAY_MINUTES))
        origins, at = origins[alike], at[alike]
        spell_hours = np.log1p((origins - times[at]) / 60.0)
        now_spell = math.log1p(max(now - int(times[current]), 0) / 60.0)
        weights = (
            _ORIGIN_WEIGHTS[alike]
            * np.exp(-0.5 * ((spell_hours - now_spell) / DURATION_SPELL_WIDTH) ** 2)
            * _day_type_weights(origins, now)
        )
        return times, origins, at, weights

    def _change_times(self) -> np.ndarray[Any, Any]:
        """Return the minutes of the changes as an array, made once per history."""
        key = (len(self.changes), self.changes[0], self.changes[-1])
        if self._times_cache is None or self._times_cache[0] != key:
            times = np.fromiter(
                (minute for minute, _ in self.changes), np.int64, len(self.changes)
            )
            self._times_cache = (key, times)
        return self._times_cache[1]

    def _history_key(self, minute: int) -> _HistoryKey:
        """Return what answers drawn from the changes depend on at ``minute``.

        The quarter hour, and the history: its length, its last change (a blip
        forgotten within the minute changes its state, not its time) and whether
        that change is already in the past.
        """
        last = self.changes[-1]
        now = minute // QUARTER_MINUTES * QUARTER_MINUTES
        return (now, len(self.changes), last, last[0] <= minute)

    def _soon_arrival(
        self, when: datetime, window: int = ARRIVAL_WINDOW_MINUTES
    ) -> tuple[datetime, float] | None:
        """Return when someone usually came in after moments like this one.

        None unless most alike moments were followed by an arrival within
        ``window`` minutes (see :meth:`_usual_arrival`).
        """
        if not self.changes:
            return None
        minute = _minutes(when)
        key = self._history_key(minute)
        cached = self._arrival_cache.get(window)
        if cached is None or cached[0] != key:
            cached = self._arrival_cache[window] = (
                key,
                self._usual_arrival(minute, window),
            )
        usual = cached[1]
        if usual is None:
            return None
        delay, share = usual
        quarter = when - timedelta(minutes=minute % QUARTER_MINUTES)
        return max(quarter + timedelta(minutes=delay), when), share

    def _usual_arrival(self, minute: int, window: int) -> tuple[int, float] | None:
        """Return how soon after this quarter hour someone usually came in, and how often.

        Of the past moments alike to now (empty as now, within
        ``ARRIVAL_DAY_MINUTES`` of the time of day, on a day of the same kind, as
        long empty), the share that someone entered within ``window`` minutes,
        and the weighted median of how long after this quarter hour's time of
        day they came. A short visit (the bathroom at 06:40) leaves P(occupied)
        below 0.5 at every moment of the weekly profile, yet someone comes in
        nearly every morning. None unless that share is at least a half.
        """
        alike = self._alike_moments(minute)
        if alike is None:
            return None
        times, origins, at, weights = alike
        later = np.minimum(at + 1, len(times) - 1)
        delays = np.where(at + 1 < len(times), times[later] - origins, ARRIVAL_NEVER)
        now = minute // QUARTER_MINUTES * QUARTER_MINUTES
        half_day = MINUTES_PER_DAY // 2
        minutes_apart = (origins - now + half_day) % MINUTES_PER_DAY - half_day
        arrived = delays <= window
        # Only moments whose outcome is known: someone came, or the window is over.
        known = arrived | (origins + window <= now)
        weights = weights * known * (np.abs(minutes_apart) <= ARRIVAL_DAY_MINUTES)
        share = float((weights * arrived).sum()) / (
            float(weights.sum()) + DURATION_PRIOR
        )
        if share < 0.5:
            return None
        # How soon after now's time of day, not after the alike moment's: at
        # 17:30, a 17:40 arrival came 40 minutes after a moment alike at 17:00.
        delays = np.maximum(delays + minutes_apart, 0)[arrived]
        weights = weights[arrived]
        order = np.argsort(delays, kind="stable")
        middle = np.searchsorted(np.cumsum(weights[order]), weights.sum() / 2)
        return int(delays[order][min(int(middle), len(delays) - 1)]), share

    def _evidence(
        self, origin: datetime, state: int, extra: dict[str, float]
    ) -> _Evidence:
        """Return the shared features, the schedules' logits and the durations'."""
        common = self._common_features(origin, state, extra)
        week_minute = _week_minute(origin)
        key = (week_minute // QUARTER_MINUTES, state)
        if self._schedules is None or self._schedules[0] != key:
            schedules = self._schedule_features(week_minute, state, _hour_bin(origin))
            priors = tuple(_sigmoid(transition) for _, transition in schedules)
            self._schedules = (key, schedules, priors)
        _, schedules, priors = self._schedules
        return common, schedules, self.duration_forecast(origin, priors)

    def _features(
        self, origin: datetime, state: int, extra: dict[str, float]
    ) -> list[dict[str, float]]:
        """Return the mix's features at ``origin``, one dict per horizon."""
        return _features_of(self._evidence(origin, state, extra))

    def _clean(self, x: dict[str, Any] | None) -> dict[str, float]:
        clean: dict[str, float] = {}
        for name, value in (x or {}).items():
            number = as_number(value)
            if number is None or abs(number) > 1e3:
                self.bad_values += 1
                continue
            clean[f"x_{name}"] = number
        return clean

    # Prediction -----------------------------------------------------------------

    def predict_one(
        self, when: datetime, x: dict[str, Any] | None = None
    ) -> dict[str, float]:
        """Return P(occupied) at each horizon, keyed "15min" ... "6h"."""
        return self._predict(self._now_evidence(when, x))

    def _now_evidence(self, when: datetime, x: dict[str, Any] | None) -> _Evidence:
        return self._evidence(when, int(bool(self.occupied)), self._clean(x))

    def _predict(self, evidence: _Evidence) -> dict[str, float]:
        """Return :meth:`predict_one` from the evidence it weighs."""
        common, schedules, durations = evidence
        forecast: dict[str, float] = {}
        for name, weights, (fixed, duration), share in zip(
            HORIZON_NAMES,
            self.weights,
            self._fixed_scores_of(schedules, durations),
            self._mix_shares(),
            strict=True,
        ):
            score = _dot(weights, common) + fixed
            forecast[name] = share * _sigmoid(score) + (1.0 - share) * duration
        return forecast

    def _fixed_scores_of(
        self, schedules: list[tuple[float, float]], durations: tuple[float, ...]
    ) -> list[tuple[float, float]]:
        """Per horizon: the score of the schedules and durations, and the durations' P.

        Asked for each minute, changed once a quarter hour: worth remembering.
        """
        cached = self._fixed_scores
        if cached is not None and cached[0] is schedules and cached[1] is durations:
            return cached[2]
        fixed = []
        for weights, (week, transition), probability in zip(
            self.weights, schedules, durations, strict=True
        ):
            duration = _logit(probability)
            score = (
                weights.get("week", 0.0) * week
                + weights.get("transition", 0.0) * transition
                + weights.get("duration", 0.0) * duration
            )
            fixed.append((score, _sigmoid(duration)))
        self._fixed_scores = (schedules, durations, fixed)
        return fixed

    def _mix_shares(self) -> list[float]:
        """Return :meth:`mix_share` of every horizon, remembered until they change."""
        if self._shares is None:
            self._shares = [self.mix_share(index) for index in range(len(self.losses))]
        return self._shares

    def mix_share(self, index: int) -> float:
        """Return the weight of the learnt mix against the duration model alone.

        Exponential weights on their recent squared errors: the one that has forecast
        this horizon better lately carries the forecast.
        """
        mix_loss, duration_loss = self.losses[index]
        return _sigmoid(CHOICE_RATE * (duration_loss - mix_loss))

    def predict_proba_one(
        self, when: datetime, x: dict[str, Any] | None = None
    ) -> dict[str, dict[bool, float]]:
        """Return ``{horizon: {False: P(empty), True: P(occupied)}}``."""
        return {
            name: {False: 1.0 - probability, True: probability}
            for name, probability in self.predict_one(when, x).items()
        }

    def _curve(
        self, when: datetime, occupied: bool
    ) -> Iterator[tuple[datetime, float]]:
        """P(occupied) every 15 minutes over the next days, while it may cross 0.5.

        The weekly profile gives the shape; the learnt mix says how far the near
        future departs from it. That departure is interpolated between horizons
        and fades out beyond the last one, leaving the profile alone. It is made
        as it is read, and ends once it can no longer become ``occupied`` (P at
        least 0.5) or, for False, empty: a storeroom nobody uses would otherwise
        be scanned a week ahead every minute.
        """
        forecast = self.predict_one(when)
        now = 1.0 if self.occupied else 0.0
        week_minute = _week_minute(when)
        offsets = [(0.0, _logit(now) - _logit(self._profile_at(week_minute)))]
        for horizon, name in zip(HORIZONS_MINUTES, HORIZON_NAMES, strict=True):
            profile = self._profile_at(week_minute + horizon)
            offsets.append((float(horizon), _logit(forecast[name]) - _logit(profile)))
        last_minutes, last_offset = offsets[-1]
        sign = 1.0 if occupied else -1.0
        reach: float | None = None  # how far towards the other side the profile goes
        step_minutes = TIME_STEP.total_seconds() / 60
        for step in range(1, round(SCAN_DAYS * 24 * 60 / step_minutes) + 1):
            minutes = step * step_minutes
            moment = when + timedelta(minutes=minutes)
            if minutes <= last_minutes:
                offset = _interpolate(offsets, minutes)
            else:
                offset = last_offset * math.exp(
                    -(minutes - last_minutes) / last_minutes
                )
                if reach is None:
                    low, high = self._profile_bounds()
                    reach = sign * _logit(high if occupied else low)
                # From here on the offset only fades: it crosses nowhere later.
                if reach + max(sign * offset, 0.0) < -_NO_CROSSING_MARGIN:
                    return
            profile = self._profile_at(week_minute + int(minutes))
            yield moment, _sigmoid(_logit(profile) + offset)

    def _profile_bounds(self) -> tuple[float, float]:
        """Return the least and the most the weekly profile is anywhere in the week.

        Every profile value is a weighted mean of bin frequencies and the overall
        rate, so it lies between the extremes of those.
        """
        if self._bounds is None:
            rates = [self._overall_rate()]
            for counts in (self.day, self.week):
                rates += [
                    occupied / total
                    for occupied, total in zip(
                        counts.occupied, counts.total, strict=True
                    )
                    if total > 0
                ]
            self._bounds = min(rates), max(rates)
        return self._bounds

    def next_arrival(self, when: datetime) -> tuple[datetime | None, float]:
        """Return when the zone is next expected occupied, and the confidence.

        First from how soon people came in after alike moments (the confidence is
        then the share that came within ``ARRIVAL_WINDOW_MINUTES``), else where
        the forecast curve first reaches P(occupied) 0.5 (the confidence is that
        P). None (with confidence 0) when no arrival is expected within a week.
        Either confidence is 0.5-1.
        """
        if self.occupied:
            return when, 1.0
        soon = self._soon_arrival(when)
        if soon is not None:
            return soon
        for moment, probability in self._curve(when, occupied=True):
            if probability >= 0.5:
                return moment, probability
        return None, 0.0

    def early_arrival(self, when: datetime) -> tuple[datetime, float] | None:
        """Return an arrival told from up to ``EARLY_ARRIVAL_WINDOW_MINUTES`` ahead.

        Only where :meth:`next_arrival` tells none from alike moments (nobody
        usually came within ``ARRIVAL_WINDOW_MINUTES``), and with the same kind
        of confidence; None otherwise. For a room that must start warming
        sooner: at 04:00, for the bathroom's 07:00 visit.
        """
        if self.occupied or self._soon_arrival(when) is not None:
            return None
        return self._soon_arrival(when, EARLY_ARRIVAL_WINDOW_MINUTES)

    def next_departure(self, when: datetime) -> tuple[datetime | None, float]:
        """Return when the zone is next expected empty, and the confidence (0.5-1)."""
        if self.occupied is False:
            return when, 1.0
        for moment, probability in self._curve(when, occupied=False):
            if probability < 0.5:
                return moment, 1.0 - probability
        return None, 0.0

    # Words ----------------------------------------------------------------------

    def explain(
        self, when: datetime, horizon: str = "1h", x: dict[str, Any] | None = None
    ) -> str:
        """Say what drove the forecast at one horizon, given the evidence ``x``."""
        if horizon not in HORIZON_NAMES:
            raise ValueError(f"unknown horizon {horizon!r}; use one of {HORIZON_NAMES}")
        index = HORIZON_NAMES.index(horizon)
        evidence = self._now_evidence(when, x)
        features = _features_of(evidence)[index]
        probability = self._predict(evidence)[horizon]
        words = {
            "state": "occupied now" if self.occupied else "empty now",
            "week": "usual occupancy at that time of week",
            "transition": "what usually follows this state at this hour",
            "state_duration": "how long it has been so",
            "duration": "how such stays and absences went on before",
            "evidence": "recent activity in the area",
        }
        share = self.mix_share(index)
        # The duration model alone carries the rest of the forecast.
        weights = {name: share * weight for name, weight in self.weights[index].items()}
        weights["duration"] = weights.get("duration", 0.0) + (1.0 - share)
        pushes: dict[str, float] = {}
        for name, value in features.items():
            # The caller's evidence (motion lately, the door) counts as one reason.
            word = "evidence" if name.startswith("x_") else name
            if word in words:
                pushes[word] = pushes.get(word, 0.0) + weights.get(name, 0.0) * value
        ranked = sorted(pushes.items(), key=lambda item: -abs(item[1]))
        reasons = ", ".join(
            f"{words[name]} ({'for' if push > 0 else 'against'})"
            for name, push in ranked[:3]
        )
        return f"In {horizon}: {probability:.0%} occupied, mainly {reasons}."

    # State ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the whole state as versioned JSON-compatible data."""
        return {
            "version": FORECAST_VERSION,
            "learning_rate": self.learning_rate,
            "l2": self.l2,
            "week": self.week.to_list(),
            "day": self.day.to_list(),
            "transitions": [[c.to_list() for c in pair] for pair in self.transitions],
            "daily_transitions": [
                [c.to_list() for c in pair] for pair in self.daily_transitions
            ],
            "weights": [dict(w) for w in self.weights],
            "squared_gradients": [dict(s) for s in self.squared_gradients],
            "pending": [
                [due.isoformat(), index, state, hour, features]
                for due, index, state, hour, features in self.pending
            ],
            # States alternate, so the first change and the gaps between them
            # (in minutes) say it all, compactly.
            "changes": (
                [
                    self.changes[0][0],
                    self.changes[0][1],
                    [
                        later - earlier
                        for (earlier, _), (later, _) in itertools.pairwise(self.changes)
                    ],
                ]
                if self.changes
                else []
            ),
            "losses": [list(pair) for pair in self.losses],
            "occupied": self.occupied,
            "since": self.since.isoformat() if self.since else None,
            "last_update": self.last_update.isoformat() if self.last_update else None,
            "last_forecast": (
                self.last_forecast.isoformat() if self.last_forecast else None
            ),
            "profile_batch": (
                list(self.profile_batch) if self.profile_batch is not None else None
            ),
            "bad_values": self.bad_values,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OccupancyForecast:
        """Restore from :meth:`to_dict`; ValueError on an unknown version or bad data."""
        check_version(data, "occupancy forecast", *READABLE_VERSIONS)
        try:
            model = cls(
                learning_rate=float(data["learning_rate"]), l2=float(data["l2"])
            )
            model.week = Counts.from_list(data["week"], WEEK_BINS)
            model.day = Counts.from_list(data["day"], DAY_BINS)
            model.transitions = [
                [Counts.from_list(c, TRANSITION_BINS) for c in pair]
                for pair in data["transitions"]
            ]
            model.daily_transitions = [
                [Counts.from_list(c, HOURS_PER_DAY) for c in pair]
                for pair in data["daily_transitions"]
            ]
            model.weights = [_floats(w) for w in data["weights"]]
            model.squared_gradients = [
                {str(name): from_sum_of_squares(value) for name, value in s.items()}
                for s in data["squared_gradients"]
            ]
            if not (
                len(model.transitions)
                == len(model.daily_transitions)
                == len(model.weights)
                == len(model.squared_gradients)
                == len(HORIZONS_MINUTES)
            ):
                raise ValueError("wrong number of horizons")
            if any(
                len(pair) != 2
                for pair in (*model.transitions, *model.daily_transitions)
            ):
                raise ValueError("a horizon's transitions are not one per state")
            model.pending = [
                (
                    datetime.fromisoformat(due),
                    int(index),
                    int(state),
                    int(hour),
                    _floats(features),
                )
                for due, index, state, hour, features in data["pending"]
            ]
            for _, index, state, hour, _ in model.pending:
                if not (
                    0 <= index < len(HORIZONS_MINUTES)
                    and state in (0, 1)
                    and 0 <= hour < TRANSITION_BINS
                ):
                    raise ValueError(f"corrupt pending forecast {index, state, hour}")
            heapq.heapify(model.pending)
            model.changes = _changes_from_list(data.get("changes", []))
            model.losses = [
                [float(mix), float(duration)]
                for mix, duration in data.get(
                    "losses", [[0.0, 0.0] for _ in HORIZONS_MINUTES]
                )
            ]
            if len(model.losses) != len(HORIZONS_MINUTES):
                raise ValueError("wrong number of horizons")
            occupied = data["occupied"]
            model.occupied = None if occupied is None else bool(occupied)
            model.since = _optional_time(data["since"])
            model.last_update = _optional_time(data["last_update"])
            model.last_forecast = _optional_time(data["last_forecast"])
            model.profile_batch = _batch_from_list(data.get("profile_batch"))
            model.bad_values = int(data["bad_values"])
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"corrupt occupancy forecast state: {error!r}") from error
        return model


# Quarter hour, number of changes, the last change, and whether it is past.
_HistoryKey = tuple[int, int, tuple[int, int], bool]
# Past moments: the change times, the moments, the change each follows, weights.
_Moments = tuple[
    np.ndarray[Any, Any],
    np.ndarray[Any, Any],
    np.ndarray[Any, Any],
    np.ndarray[Any, Any],
]


def _minutes(when: datetime) -> int:
    """Whole minutes of wall-clock time since EPOCH."""
    return int((when.replace(tzinfo=None) - EPOCH).total_seconds() // 60)


def _day_type_weights(
    minutes: np.ndarray[Any, Any], reference: int | np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Weight 1 on the reference's kind of day, less on the other kind."""
    # EPOCH is a Saturday: the first two days of each week are the weekend.
    same = (minutes % _WEEK_MINUTES < _WEEKEND_MINUTES) == (
        reference % _WEEK_MINUTES < _WEEKEND_MINUTES
    )
    return np.where(same, 1.0, OTHER_DAY_TYPE_WEIGHT)


def _origin_grid() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Offsets (minutes) of the past moments the duration model looks at.

    Quarter hours within three bandwidths of the time of day, on every day of the
    history, and their time-of-day weights; farther moments would weigh < 1 %.
    """
    reach = int(3 * DURATION_DAY_HOURS * 60) // QUARTER_MINUTES * QUARTER_MINUTES
    day_offsets = np.arange(-reach, reach + 1, QUARTER_MINUTES, dtype=np.int64)
    days = np.arange(HISTORY_DAYS + 1, dtype=np.int64) * MINUTES_PER_DAY
    offsets = (day_offsets[None, :] - days[:, None]).ravel()
    hours = np.abs(np.broadcast_to(day_offsets, (len(days), len(day_offsets))))
    weights = np.exp(-0.5 * (hours.ravel() / 60.0 / DURATION_DAY_HOURS) ** 2)
    keep = (offsets < 0) & (offsets >= -HISTORY_DAYS * MINUTES_PER_DAY)
    return offsets[keep], weights[keep]


_ORIGIN_OFFSETS, _ORIGIN_WEIGHTS = _origin_grid()
_HORIZON_COLUMN = np.array(HORIZONS_MINUTES, dtype=np.int64)[:, None]


def _dot(weights: dict[str, float], features: dict[str, float]) -> float:
    total = 0.0
    for name, value in features.items():
        total += weights.get(name, 0.0) * value
    return total


def _interpolate(known: list[tuple[float, float]], minutes: float) -> float:
    for (left, low), (right, high) in itertools.pairwise(known):
        if left <= minutes <= right:
            share = (minutes - left) / (right - left)
            return low + share * (high - low)
    return known[-1][1]


def _changes_from_list(data: Any) -> list[tuple[int, int]]:
    """Restore the history of changes saved by :meth:`OccupancyForecast.to_dict`."""
    if not data:
        return []
    minute, state, gaps = data
    changes = [(int(minute), int(state))]
    for gap in gaps:
        minute, state = changes[-1]
        if int(gap) <= 0 or state not in (0, 1):
            raise ValueError(f"corrupt history of changes at gap {gap!r}")
        changes.append((minute + int(gap), 1 - state))
    return changes


def _batch_from_list(data: Any) -> tuple[int, int, float, float] | None:
    """Restore the profile's reports not yet counted (None: there are none)."""
    if data is None:
        return None
    try:
        quarter, week_minute, occupied, weight = data
        return int(quarter), int(week_minute), float(occupied), float(weight)
    except (TypeError, ValueError) as error:
        raise ValueError(f"corrupt profile batch {data!r}") from error


def _floats(data: Any) -> dict[str, float]:
    return {str(name): float(value) for name, value in data.items()}


def _optional_time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
