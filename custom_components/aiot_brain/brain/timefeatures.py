"""The core's clock, calendar features, and how much time counts in an average.

Times are the building's local wall-clock time: naive datetimes are taken as local
time, so a model sees 08:00 as 08:00. Aware ones come in through
:func:`wall_clock`, which eases over a change of the clocks; :func:`local_time`
tells the moment a time of the core's clock stands for.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
import math

HOURS_PER_WEEK = 168.0


def hour_of_day(when: datetime) -> float:
    """Hours since local midnight, 0 <= h < 24."""
    return when.hour + when.minute / 60.0 + when.second / 3600.0


def hour_of_week(when: datetime) -> float:
    """Hours since Monday 00:00 local, 0 <= h < 168."""
    return when.weekday() * 24.0 + hour_of_day(when)


def is_weekend(when: datetime) -> bool:
    """Saturday or Sunday."""
    return when.weekday() >= 5


# Readings come a few seconds or minutes out of order at most: one this much
# older than a model's last is no late reading but a clock put back. A Raspberry
# Pi without a real-time clock may boot a day or a year ahead and be put right
# later; dropping every reading older than the last would freeze learning until
# the wrong time had passed. (The core's clock never goes back at a change of the
# clocks: wall_clock eases over it.)
CLOCK_PUT_BACK = timedelta(hours=1)


def clock_put_back(when: datetime, last: datetime | None) -> bool:
    """Whether ``when`` is so far before ``last`` that the clock was put back.

    A model then starts timing afresh from ``when``, keeping what it learned.
    """
    return last is not None and last - when > CLOCK_PUT_BACK


def later(last: datetime, when: datetime) -> datetime:
    """Return the later of two times, or ``when`` if the clock was put back since."""
    return when if clock_put_back(when, last) else max(last, when)


def average_weight(span: float, time_constant: float) -> float:
    """Return the weight of a reading ``span`` after the last in a time-aware average.

    An exponential average with ``time_constant`` (in ``span``'s unit) moves by
    this share towards it, whatever the rate readings come at.
    """
    return 1.0 - math.exp(-span / time_constant)


def cyclic(value: float, period: float) -> tuple[float, float]:
    """(sin, cos) of a periodic quantity, so that 23:59 is close to 00:00."""
    angle = 2.0 * math.pi * value / period
    return math.sin(angle), math.cos(angle)


def day_of_year_cyclic(when: datetime) -> tuple[float, float]:
    """(sin, cos) of the season."""
    return cyclic(when.timetuple().tm_yday - 1 + hour_of_day(when) / 24.0, 365.25)


def clock(
    when: datetime, now: datetime | None = None, zone: tzinfo | None = None
) -> str:
    """Say a time of the core's clock, with the weekday when it is not ``now``'s day.

    Given the building's time ``zone``, as its clocks showed it: the core's eased
    time of day is off by up to half an hour around a change of the clocks, and
    may be in the hour they skip. A time of the hour the clocks repeat says which
    of the two it is (02:20 CEST, 02:20 CET).
    """
    if zone is not None:
        local = local_time(when, zone)
        said = clock(local, None if now is None else local_time(now, zone))
        twice = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
        return f"{said} {local:%Z}" if twice else said
    if now is not None and when.date() != now.date():
        return when.strftime("%a %H:%M")
    return when.strftime("%H:%M")


# Around a change of the clocks, the core's clock eases from the old UTC offset to
# the new one over this long before and after the change.
CLOCK_CHANGE_EASE = timedelta(hours=1)


def _clock_change(
    utc: datetime, zone: tzinfo
) -> tuple[datetime, timedelta, timedelta] | None:
    """Return when the eased clock starts easing, and the offsets before and after.

    None when the clocks do not change within the ease of ``utc``.
    """
    before = (utc - CLOCK_CHANGE_EASE).astimezone(zone).utcoffset()
    after = (utc + CLOCK_CHANGE_EASE).astimezone(zone).utcoffset()
    if before is None or after is None or before == after:
        return None
    # The first minute at the new offset; changes fall on whole minutes. Found
    # exactly, whatever ``utc``: the clock and its inverse must agree.
    low, high = utc - CLOCK_CHANGE_EASE, utc + CLOCK_CHANGE_EASE
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    change = low.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return change - CLOCK_CHANGE_EASE, before, after


def wall_clock(when: datetime) -> datetime:
    """Return the naive local wall-clock time the core runs on.

    When the clocks go back an hour, local time repeats an hour: the models would
    take the second pass for stale data and motion from the first pass for fresh.
    So from an hour before a change of the clocks to an hour after it, the core's
    clock runs at half speed (one and a half when they go forward) and never runs
    backwards or skips; its time of day is off by at most half the change, at
    night.
    """
    if when.tzinfo is None:
        return when
    # Equal aware times in one zone compare equal whatever their fold: it is
    # part of the key, as is the type (a subclass stays one).
    return _eased_wall_clock(when, when.tzinfo, when.fold)


# Every zone of a building asks about the same moment several times a minute.
@lru_cache(maxsize=16, typed=True)
def _eased_wall_clock(when: datetime, zone: tzinfo, _fold: int) -> datetime:
    """Return :func:`wall_clock` of an aware ``when`` in ``zone``."""
    utc = when.astimezone(UTC)
    change = _clock_change(utc, zone)
    if change is None:
        return when.replace(tzinfo=None)
    start, before, after = change
    share = (utc - start) / (2 * CLOCK_CHANGE_EASE)
    return (utc + before + (after - before) * share).replace(tzinfo=None)


def local_time(when: datetime, zone: tzinfo) -> datetime:
    """Return a time of the core's clock as the aware time in ``zone`` it stands for.

    The inverse of :func:`wall_clock`: around a change of the clocks a wall-clock
    time may not exist or exist twice, and the core's time of day is eased.
    """
    if when.tzinfo is not None:
        return when.astimezone(zone)
    utc = when.replace(tzinfo=zone).astimezone(UTC)
    change = _clock_change(utc, zone)
    if change is not None:
        start, before, after = change
        speed = 1 + (after - before) / (2 * CLOCK_CHANGE_EASE)
        eased = (when - (start + before).replace(tzinfo=None)) / speed
        utc = start + min(max(eased, timedelta(0)), 2 * CLOCK_CHANGE_EASE)
    return utc.astimezone(zone)
