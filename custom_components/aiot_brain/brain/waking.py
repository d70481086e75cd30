"""Getting up: when the people who sleep in a zone usually get up.

A schedule's "wake" period has the bedroom warm when people get up; a learning
thermostat should do the same without anyone writing the schedule. Each morning
the zone's controller tells :class:`WakeTimes` when the people who slept there
got up. The usual time is the median of the last few mornings of the same kind
(weekdays, or weekend days), told only where those mornings agree: a week of
other shifts, or one late Sunday, tells nothing until it has become the habit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from .saved import check_version
from .timefeatures import is_weekend

WAKE_VERSION = 1
# Mornings remembered, of each kind: a kind's last few are what tell. Kept
# together, two weeks of weekdays pushed out the weekends': a family's
# children's room had three agreeing weekend mornings, lost one of them to a
# Monday, and was not warmed for getting up on the next Saturday or Sunday.
KEPT_MORNINGS = 14
# The last mornings of a kind that must agree before a time is told ...
AGREEING_MORNINGS = 3
# ... by lying no further apart than this.
AGREEING_SPREAD = timedelta(minutes=60)


class WakeTimes:
    """The mornings people got up in one zone, and the time they usually do.

    >>> from datetime import datetime
    >>> wake = WakeTimes()
    >>> for day, clock in ((2, "06:35"), (3, "06:20"), (4, "06:30")):
    ...     wake.learn_one(datetime.fromisoformat(f"2026-03-0{day}T{clock}"))
    True
    True
    True
    >>> wake.predict_one(datetime(2026, 3, 5, 4, 0))
    datetime.datetime(2026, 3, 5, 6, 30)
    >>> wake.predict_one(datetime(2026, 3, 7, 4, 0)) is None  # a Saturday
    True
    """

    def __init__(self) -> None:
        """Start with no morning seen."""
        self.mornings: list[datetime] = []
        self.ignored = 0  # values that were no time, or came out of order

    def learn_one(self, woke: object) -> bool:
        """Note that people got up at ``woke``; False where it is ignored.

        The first time of a morning counts: whoever got up first has the room
        warm. A later one that morning, anything but a time, or a time before
        the last one noted (a clock put back) is ignored and counted.
        """
        if not isinstance(woke, datetime):
            self.ignored += 1
            return False
        if self.mornings:
            last = self.mornings[-1]
            if woke.date() == last.date():
                return False
            if woke < last:
                self.ignored += 1
                return False
        self.mornings = _kept([*self.mornings, woke])
        return True

    def predict_one(self, now: datetime) -> datetime | None:
        """Return when people usually get up on ``now``'s day, or None.

        None until the last mornings of that day's kind agree (see the module).
        """
        weekend = is_weekend(now)
        alike = [m for m in self.mornings if is_weekend(m) == weekend]
        last = sorted(_minute_of_day(m) for m in alike[-AGREEING_MORNINGS:])
        if len(last) < AGREEING_MORNINGS:
            return None
        if last[-1] - last[0] > AGREEING_SPREAD.total_seconds() / 60:
            return None
        median = last[len(last) // 2]
        clock = time(median // 60, median % 60)
        return datetime.combine(now.date(), clock, tzinfo=now.tzinfo)

    def explain(self, now: datetime) -> str:
        """Say in words what :meth:`predict_one` tells and why."""
        usual = self.predict_one(now)
        kind = "weekend days" if is_weekend(now) else "weekdays"
        if usual is not None:
            return f"usually up at {usual:%H:%M} on {kind}"
        seen = sum(1 for m in self.mornings if is_weekend(m) == is_weekend(now))
        if seen < AGREEING_MORNINGS:
            mornings = "morning" if seen == 1 else "mornings"
            return f"getting up on {kind} not learned yet ({seen} {mornings} seen)"
        return f"getting up on {kind} varies too much to tell"

    def to_dict(self) -> dict[str, Any]:
        """Return the mornings as versioned JSON."""
        return {
            "version": WAKE_VERSION,
            "mornings": [m.isoformat() for m in self.mornings],
            "ignored": self.ignored,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WakeTimes:
        """Restore what :meth:`to_dict` saved; ValueError if it is unreadable."""
        check_version(data, "wake times", WAKE_VERSION)
        wake = cls()
        try:
            mornings = [datetime.fromisoformat(m) for m in data["mornings"]]
            ignored = int(data.get("ignored", 0))
            in_order = mornings == sorted(mornings)
        except (KeyError, TypeError, ValueError) as err:
            msg = f"corrupt wake times: {err!r}"
            raise ValueError(msg) from err
        if not in_order:
            msg = "corrupt wake times: mornings out of order"
            raise ValueError(msg)
        wake.mornings = _kept(mornings)
        wake.ignored = ignored
        return wake


def _kept(mornings: list[datetime]) -> list[datetime]:
    """Return the last KEPT_MORNINGS of each kind among ``mornings``, in order."""
    weekends = [m for m in mornings if is_weekend(m)][-KEPT_MORNINGS:]
    weekdays = [m for m in mornings if not is_weekend(m)][-KEPT_MORNINGS:]
    return sorted(weekends + weekdays)


def _minute_of_day(when: datetime) -> int:
    return when.hour * 60 + when.minute
