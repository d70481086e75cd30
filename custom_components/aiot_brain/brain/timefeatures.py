"""Calendar features, and how much time counts in an average.

Times are the building's local wall-clock time.

Naive datetimes are taken as local time and aware ones are used as they are (their
own wall clock); nothing is converted, so a model sees 08:00 as 08:00.
"""

from __future__ import annotations

from datetime import datetime
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


def clock(when: datetime, now: datetime | None = None) -> str:
    """Say a time of day, with the weekday when it is not ``now``'s day."""
    if now is not None and when.date() != now.date():
        return when.strftime("%a %H:%M")
    return when.strftime("%H:%M")
