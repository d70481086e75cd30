"""Whether everyone has been away far longer than usual: a trip, not a working day.

Fed "everyone away" and "someone home" as people's phones tell it, the model
learns how long the household's ordinary absences last. An absence that goes on
well past them is a trip (a skiing weekend, a holiday): nobody comes back at the
usual time, so rooms need not be warmed for the usual arrivals until someone is
home again. Where someone is seen during the absence (a child or a guest without
a tracked phone, a house-sitter), it is no trip there.

>>> from datetime import datetime, timedelta
>>> absences = Absences()
>>> for day in range(12):  # out 08:00-17:00 on working days
...     absences.learn_one(datetime(2026, 1, 5, 8) + timedelta(days=day), True)
...     absences.learn_one(datetime(2026, 1, 5, 17) + timedelta(days=day), False)
>>> absences.learn_one(datetime(2026, 1, 23, 8), True)
>>> absences.predict_one(datetime(2026, 1, 23, 16)) is None  # a working day so far
True
>>> absences.predict_one(datetime(2026, 1, 23, 23))  # 15 hours: a trip
datetime.datetime(2026, 1, 23, 8, 0)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
import math
from typing import Any

from .saved import check_version, from_iso, to_iso
from .timefeatures import clock

ABSENCES_VERSION = 1

# Absences shorter than this (an errand, a phone's fix wandering off) say nothing
# about how long a working day or a school day keeps everyone out.
SHORTEST_COUNTED = timedelta(hours=1)
# The last absences kept, and how many are needed before their length is trusted.
ABSENCES_KEPT = 30
ABSENCES_NEEDED = 10
# An absence is a trip once it lasts this many times the usual long one (the 90th
# percentile of the kept ones): 15 hours where people are out for up to 10.
TRIP_FACTOR = 1.5
USUAL_QUANTILE = 0.9
# Before enough absences are known: a day and a night away is no working day.
TRIP_UNLEARNED = timedelta(hours=24)
# Someone seen this long after everyone left is not the last one leaving (phones
# say "away" some minutes after the door).
SEEN_AFTER = timedelta(minutes=10)


class Absences:
    """How long everyone is usually away, and whether this absence is a trip."""

    def __init__(self) -> None:
        """Start knowing no absence."""
        self.away_since: datetime | None = None
        self.hours: list[float] = []  # the last absences' lengths, oldest first
        self.seen = False  # someone was seen here during this absence

    def learn_one(self, when: datetime, away: bool) -> None:
        """Take "everyone away" (True) or "someone home" (False) at ``when``."""
        if away:
            if self.away_since is None:
                self.away_since, self.seen = when, False
            else:  # a phone that says "away" again, or one replayed late
                self.away_since = min(self.away_since, when)
            return
        if self.away_since is not None and when - self.away_since >= SHORTEST_COUNTED:
            self.hours.append((when - self.away_since) / timedelta(hours=1))
            del self.hours[:-ABSENCES_KEPT]
        self.away_since = None

    def learn_seen(self, when: datetime) -> None:
        """Take someone seen here at ``when``: whoever stayed without a phone."""
        if self.away_since is not None and when - self.away_since >= SEEN_AFTER:
            self.seen = True

    def trip_after(self) -> timedelta:
        """Return how long an absence lasts before it counts as a trip."""
        if len(self.hours) < ABSENCES_NEEDED:
            return TRIP_UNLEARNED
        ordered = sorted(self.hours)
        usual = ordered[math.ceil(USUAL_QUANTILE * len(ordered)) - 1]
        return timedelta(hours=usual * TRIP_FACTOR)

    def away_now(self) -> datetime | None:
        """Return since when everyone is away, unless someone was seen here since."""
        return None if self.seen else self.away_since

    def predict_one(self, when: datetime) -> datetime | None:
        """Return since when everyone is away, if that is a trip here by ``when``."""
        since = self.away_since
        if since is None or self.seen or when - since < self.trip_after():
            return None
        return since

    def explain(self, when: datetime, zone: tzinfo | None = None) -> str:
        """Say how long absences usually last and whether this one is a trip.

        Since when everyone is away is said as the clocks of ``zone`` showed it.
        """
        after = self.trip_after() / timedelta(hours=1)
        learned = (
            f"an absence of {after:.0f} h counts as a trip, from the "
            f"{len(self.hours)} absences seen"
            if len(self.hours) >= ABSENCES_NEEDED
            else f"an absence of {after:.0f} h counts as a trip until "
            f"{ABSENCES_NEEDED} absences are seen ({len(self.hours)} so far)"
        )
        since = self.away_since
        if since is None and not self.hours:
            return "no absence of everyone seen yet (people's phones tell it)"
        if since is None:
            return f"someone is home; {learned}"
        if self.seen:
            trip = "but someone was seen here since, so no trip here"
        elif self.predict_one(when) is None:
            trip = "not yet a trip"
        else:
            trip = "a trip"
        said = f"{since:%a} {clock(since, zone=zone)}"
        return f"everyone away since {said}, {trip}; {learned}"

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data."""
        return {
            "version": ABSENCES_VERSION,
            "away_since": to_iso(self.away_since),
            "hours": list(self.hours),
            "seen": self.seen,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Absences:
        """Restore absences saved with :meth:`to_dict`; ValueError if unreadable."""
        check_version(data, "absences", ABSENCES_VERSION)
        absences = cls()
        try:
            absences.away_since = from_iso(data["away_since"])
            absences.hours = [float(hours) for hours in data["hours"]][-ABSENCES_KEPT:]
            absences.seen = data.get("seen", False)
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"corrupt absences state: {error}") from error
        if not all(0.0 <= hours < math.inf for hours in absences.hours):
            raise ValueError(f"corrupt absences state: lengths {absences.hours}")
        if not isinstance(absences.seen, bool):
            raise ValueError(f"corrupt absences state: seen {absences.seen!r}")
        return absences
