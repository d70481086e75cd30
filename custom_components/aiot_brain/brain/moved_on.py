"""People seen moving on: motion in another zone after the last movement in this one.

Most rooms have no door contact, and a door left standing open tells nothing of who
goes through it. What such a room's motion sensor does tell, with the others of the
building, is where people went: someone last seen here and seen next in the hall or
the bathroom has moved on. Whether that leaves this room empty depends on who else
lives there. In a flat where one person lives it always does; in a family's living
room someone often stays, sitting still. So each zone learns how often motion coming
on elsewhere after its last movement left someone behind (:class:`MovedOnWatch`),
and waits for it no longer than those it learned from say (as after a door).

Someone who stayed is told from someone who came back as a person who lives alone
tells them: when motion comes back here, a person who came back has left the other
rooms (their sensors clear within their hold, and none comes on), while a person
left behind here leaves the one who moved on moving there. So motion back here
while another zone sees movement all through the next minutes is counted as
someone who stayed, and with no zone seeing any by then as someone who came back.
A return while others are about counts as someone who stayed too, so a busy home
learns that it must wait, as it should: there, motion elsewhere says little of this
room. In between (motion elsewhere coming on since: the one who came back may have
moved on again) it is not counted.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from .saved import from_number
from .timefeatures import clock_put_back

# Motion that comes on in other zones, the latest first asked for (a bounded record:
# a building of hundreds of zones must not keep an hour of it).
_RECENT_ARRIVALS = 64
# How long after motion came back here the other zones show whether someone else
# is about: the longest a sensor holds (a person who came back has left their
# sensor's view by then) and a minute more.
SETTLE = timedelta(minutes=5, seconds=10)
# Motion back after this long is someone coming back, whoever is about: a stayer
# still that long would be in the long tail the quiet spells already weigh.
_LONGEST_STAY = timedelta(minutes=30)
# Each zone's spells of motion are kept this long after they ended, for who was
# moving when (at most _MOST_SPELLS of them: a sensor flickering must not grow
# it); motion back here is told from them within _TOLD_WITHIN, or not at all.
_KEEP_SPELLS = timedelta(minutes=45)
_MOST_SPELLS = 64
_TOLD_WITHIN = timedelta(minutes=30)
# Each counted move fades the counts, as each exit after a door fades the exit
# watch's: about the last 1,000 count.
_FADE = 0.999

# A spell of motion: when it began, and when it ended (None while it goes on).
Spell = tuple[datetime, datetime | None]


class MotionMap:
    """Where in a building motion sensors see people: each zone's latest spells.

    >>> start = datetime(2026, 1, 5, 8)
    >>> board = MotionMap()
    >>> board.seen("study", start, on=True)
    >>> board.seen("hall", start + timedelta(minutes=2), on=True)
    >>> board.seen("study", start + timedelta(minutes=4), on=False)
    >>> board.first_after("study", start + timedelta(minutes=1)).minute
    2
    >>> board.moving_all_through("study", start, start + timedelta(minutes=9))
    False
    >>> board.moving_all_through("study", start + timedelta(minutes=3), start + timedelta(minutes=9))
    True
    >>> board.seen_elsewhere("hall", start + timedelta(minutes=3), start + timedelta(minutes=5))
    False
    """

    def __init__(self) -> None:
        """Start knowing no motion."""
        self._spells: dict[str, deque[Spell]] = {}
        self._arrivals: deque[tuple[datetime, str]] = deque(maxlen=_RECENT_ARRIVALS)
        self._latest: datetime | None = None
        # Zones whose motion came back after people moved on, to tell who it was
        # as soon as the building's sensors can (``MovedOnWatch.settle``).
        self._waiting: dict[str, MovedOnWatch] = {}

    def seen(self, zone_id: str, when: datetime, *, on: bool) -> None:
        """Take a zone's motion coming on (from all clear) or all its sensors clearing.

        One a moment older than the latest taken came in late: it is let go. After
        the clock was put back, what came before tells nothing of the times to come.
        """
        if clock_put_back(when, self._latest):
            self._spells.clear()
            self._arrivals.clear()
        elif self._latest is not None and when < self._latest:
            return
        self._latest = when
        spells = self._spells.setdefault(zone_id, deque(maxlen=_MOST_SPELLS))
        while (
            spells and (end := spells[0][1]) is not None and when - end > _KEEP_SPELLS
        ):
            spells.popleft()
        if on:
            spells.append((when, None))
            self._arrivals.append((when, zone_id))
        elif spells and spells[-1][1] is None:
            spells[-1] = (spells[-1][0], when)
        for watch in list(self._waiting.values()):
            watch.settle(when)

    def wait(self, zone_id: str, watch: MovedOnWatch | None) -> None:
        """Have ``watch`` settle as the building's sensors tell (None: no longer)."""
        if watch is None:
            self._waiting.pop(zone_id, None)
        else:
            self._waiting[zone_id] = watch

    def quiet(self, zone_id: str) -> None:
        """Take a zone's sensors as seeing no one from now: it lost the one on."""
        if self._latest is not None:
            self.seen(zone_id, self._latest, on=False)

    def forget(self, zone_id: str) -> None:
        """Forget a zone: it left the building."""
        self._spells.pop(zone_id, None)
        self._waiting.pop(zone_id, None)
        kept = [arrival for arrival in self._arrivals if arrival[1] != zone_id]
        self._arrivals = deque(kept, maxlen=_RECENT_ARRIVALS)

    def first_after(self, zone_id: str, since: datetime) -> datetime | None:
        """Return when motion first came on in another zone after ``since``, if it did."""
        first = None
        for when, zone in reversed(self._arrivals):
            if when <= since:
                break
            if zone != zone_id:
                first = when
        return first

    def _others(self, zone_id: str) -> Iterator[deque[Spell]]:
        """Return the spells of motion of each zone other than ``zone_id``."""
        return (spells for zone, spells in self._spells.items() if zone != zone_id)

    def moving_all_through(
        self, zone_id: str, since: datetime, until: datetime
    ) -> bool:
        """Whether another zone saw movement all the time from ``since`` to ``until``.

        Only a zone's last spell begun by ``since`` can: each earlier one ended
        before the next began.
        """
        for spells in self._others(zone_id):
            for start, end in reversed(spells):
                if start <= since:
                    if end is None or end > until:
                        return True
                    break
        return False

    def seen_elsewhere(self, zone_id: str, since: datetime, at: datetime) -> bool:
        """Whether another zone's motion came on after ``since`` or is on, by ``at``."""
        for spells in self._others(zone_id):
            for start, end in reversed(spells):
                if start > at:
                    continue
                if start > since or end is None or end > at:
                    return True
                break  # begun by ``since``, over by ``at``: as were those before it
        return False


class MovedOnWatch:
    """How often motion coming on elsewhere after this zone's last movement left it empty.

    Fed this zone's motion coming on and clearing, with the last movement its
    sensors saw (their hold taken off), by :class:`~.lighting.ExitWatch`.
    """

    def __init__(self) -> None:
        """Start knowing no one moving on."""
        self.exits = 0.0
        self.stayers = 0.0
        self.back: datetime | None = None  # motion back after moving on, to settle
        self._map: MotionMap | None = None
        self._zone_id = ""

    def join(self, board: MotionMap, zone_id: str) -> None:
        """Follow the building's motion on ``board``, as zone ``zone_id``.

        Motion back here waiting to be told is let go: another board's spells
        cannot tell it.
        """
        self._settle_later(waiting=False)
        self.back = None
        self._map, self._zone_id = board, zone_id

    def moved_on(self, moved: datetime | None, when: datetime) -> datetime | None:
        """Return when motion came on elsewhere after ``moved``, by ``when``.

        ``moved`` is this zone's last movement, its sensors all clear since.
        """
        if self._map is None or moved is None:
            return None
        first = self._map.first_after(self._zone_id, moved)
        return first if first is not None and first <= when else None

    def seen(
        self, when: datetime, *, on: bool, moved: datetime | None, counted: bool = True
    ) -> None:
        """Take this zone's motion coming on (from all clear) or all clearing.

        ``moved`` is the last movement its sensors saw before ``when``. Not
        ``counted``: whoever moves here again could not have gone unseen (the
        door is shut and did not move since), so it teaches nothing of people
        moving on.
        """
        if self._map is None:
            return
        self.settle(when)
        went = self.moved_on(moved, when) if on and counted else None
        if went is not None and when - went > _LONGEST_STAY:
            self._count(stayed=False)
        elif went is not None:
            self.back = when
            self._settle_later(waiting=True)
        self._map.seen(self._zone_id, when, on=on)

    def quiet(self) -> None:
        """Take this zone's sensors as seeing no one: it lost the one that was on."""
        if self._map is not None:
            self._map.quiet(self._zone_id)

    def settle(self, when: datetime) -> None:
        """Count the motion back here as someone staying or coming back, once told.

        Told from the other zones' spells of motion at the first change of any
        sensor of the building after it can be: later (after a restart, or with
        the building quiet), it is not counted.
        """
        back, board = self.back, self._map
        if back is None or board is None or when < back + SETTLE:
            return
        self.back = None
        self._settle_later(waiting=False)
        told = back + SETTLE
        if when - told > _TOLD_WITHIN:
            return
        if board.moving_all_through(self._zone_id, back, told):
            self._count(stayed=True)
        elif not board.seen_elsewhere(self._zone_id, back, told):
            self._count(stayed=False)

    def _settle_later(self, *, waiting: bool) -> None:
        """Have the map settle this zone's motion back as its sensors tell, or not."""
        if self._map is not None:
            self._map.wait(self._zone_id, self if waiting else None)

    def _count(self, *, stayed: bool) -> None:
        self.exits = self.exits * _FADE + 1.0
        self.stayers = self.stayers * _FADE + stayed

    def to_dict(self) -> dict[str, Any]:
        """Return what was learnt as JSON-compatible data."""
        return {"exits": self.exits, "stayers": self.stayers}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MovedOnWatch:
        """Restore what :meth:`to_dict` saved (a ``ValueError`` if it is not that)."""
        watch = cls()
        exits, stayers = from_number(data["exits"]), from_number(data["stayers"])
        if exits is None or stayers is None or not 0.0 <= stayers <= exits:
            raise ValueError(f"moved-on counts out of range: {exits}, {stayers}")
        watch.exits, watch.stayers = exits, stayers
        return watch
