"""Lighting preferences of a zone, learned from what people do by hand.

Three things are learned from the light's state changes (each flagged as a person's
own change or not) and the illuminance around them:

* the ambient level below which people want light: switching on by hand at 40 lx
  says "40 lx is too dark", switching off by hand at 300 lx says "bright enough"
  (in the dark, it says only that someone went out or to bed); where no light
  sensor reads, the sun's elevation stands in for it (:class:`SunThreshold`),
  and keeps deciding where a sensor came later, until people switch by it;
* the brightness and colour temperature people pick, per time of day and ambient
  band, shrunk towards broader averages while there are few adjustments: the
  time of day, then the hours around it (not the whole day: a level dimmed at
  night says nothing of the morning); each lamp's own too, shrunk towards the
  zone's (a reading lamp kept at 30 % beside a ceiling light kept at full);
  the broadest of all, before anything is learned, is a default whose colour
  follows the sun: warm while it is down, the day's white once it is high;
* the vacancy delay before switching off an empty zone: lengthened when a person
  switches the light back on soon after we switched it off (a false-off), and
  shortened slowly while our switch-offs go unchallenged, within bounds;
* how soon after a door closes behind the last person seen the zone is empty
  (:class:`ExitWatch`): short where nobody is ever left behind, long where people
  often stay when someone goes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, MutableMapping
from datetime import datetime, timedelta
import math
from typing import Any

from .features import CO2_OUTDOOR_PPM
from .moved_on import MotionMap, MovedOnWatch
from .observation import Role, plausible
from .occupancy import USUAL_AIR_CHANGES_PER_HOUR
from .pool import ZonePool
from .saved import check_version, from_count, from_iso, from_number, to_iso
from .timefeatures import clock_put_back, hour_of_day

VERSION = 1
_PERIODS = 8  # three-hour slices of the day
_BANDS = (10.0, 100.0)  # lx: dark below 10, dim below 100, bright above
_BAND_NAMES = ("dark", "dim", "bright")
_BAND_COUNT = len(_BAND_NAMES)
_SHRINK = 3.0  # adjustments it takes for a slice to outweigh the broader average
_NEARBY = (-1, 0, 1)  # the slices a slice's broader average pools
_LAMP_SETTLE_SECONDS = 120.0  # a reading this soon after a switch shows the lamp
_LUX_MARGIN = 0.05  # log-lux a switch must lie past the threshold to move it
# Brightness (%) before anything is learned in the small hours (00:00-06:00):
# whoever is up then (to the bathroom, a glass of water) has eyes used to the
# dark and others asleep nearby. Above a night light's 20 %: it is no night light.
_SMALL_HOURS_BRIGHTNESS = 30.0
_SMALL_HOURS_END = 6.0
# A lamp's brightness (%) and colour (K) within this of what it last showed are
# what it showed (a lamp's 0-255 steps and whole kelvins).
_SAME_LEVEL = (0.5, 1.0)
# The colour (K) before anything is learned: warm while the sun is down, the
# day's white once it stands this high (°), as daylight itself is.
_WARM_WHITE = 2700.0
_DAY_WHITE = 4000.0
_DAY_WHITE_ELEVATION = 15.0
# A lamp's level set by hand this recently (s) is what it comes back on at: the
# person who dimmed it and stepped out for a while wants it again.
_RESUME_SECONDS = 3600.0

SUN_VERSION = 1
_SUN_MARGIN = 2.0  # degrees a switch must lie past the threshold to move it
# Switch-offs by hand in daylight before the sun decides: one alone may be someone
# who came in for a moment and switched off as they went.
_SUN_LESSONS = 2
# A switch-off by hand this soon after the lamp came on for someone corrects it;
# later, it is more likely someone going out.
_SUN_CORRECTION_SECONDS = 300.0
_SUN_UP = 0.0  # degrees: below the horizon no daylight lights a room

EXITS_VERSION = 1
_DOOR_PASS_SECONDS = 180.0  # a door open longer was left open, not gone through
_ENTRY_SECONDS = 60.0  # motion this soon after the door is someone coming in
# Someone the door lets in is seen this soon after it opens: a sensor clear when it
# opened sees whoever steps in within seconds. (Motion a minute on may as well be
# someone else's, or the sensor's own lag behind one who just went out.)
_LET_IN_SECONDS = 30.0
# Unseen this long behind the door shut after them, no one is taken to be in.
SHUT_IN_LIMIT = timedelta(hours=1)
_EXIT_FADE = 0.999  # each exit fades the exit counts: about the last 1,000 count
_GAP_FADE = 0.998  # each quiet spell fades the spell counts: about the last 500
_MAX_STAY_SHARE = 0.1  # shorten only where at most 1 in 10 exits leaves someone
# ... as far as the exits seen can tell: their stayers plus this many, over the
# exits plus as many, a rough 95 % upper bound (the rule of three: 27 exits with
# nobody left behind bound the share at one in ten).
_BOUND_STAYERS = 3.0
_MAX_GAP_MINUTES = 30.0  # a quiet spell longer than this counts as this long
_PRIOR_GAP_MINUTES = 3.0  # people's quiet spells before any is seen
_PRIOR_GAPS = 5.0  # how many spells that prior weighs
_FALSE_OFF_RISK = 0.00005  # chance per exit of a light off on someone left behind
# The quiet spells under the light, by whole minutes (the last bin 30 and more).
# The light's quiet floor shortens where at most this share of them lasted some
# whole minutes, told from at least as many spells as the share's inverse; never
# below the minimum: a reader may miss a motion sensor for ten minutes.
_STILL_BINS = 31
_STILL_TAIL = 0.005
_MIN_QUIET_FLOOR = 600.0
_MIN_DOOR_DELAY = 180.0  # s: never sooner, whatever the zone has shown
# The air after an exit: CO2 falling within this long of the door (no longer
# than the shortest delay, so it is told by the time the light could go) ...
_AIR_WINDOW = timedelta(seconds=_MIN_DOOR_DELAY)
# ... by this share of what an empty room's air would lose meanwhile (its excess
# over fresh air, at its air changes), is what the last person leaving makes.
# One of two going from air at the balance their breath held loses half of it.
_AIR_SHARE = 0.75
# And by this much at least (ppm): a sensor's step, not its noise.
_AIR_DROP_PPM = 10.0
# CO2 sensors followed at most, as motion sensors are (see MAX_MOTION_SENSORS).
_MAX_AIR_SENSORS = 4
# The room's power is idle within this of the lowest it draws lately (W, or this
# share of it): standby and a meter's noise, not a screen or a kettle on ...
_IDLE_MARGIN_W = 5.0
_IDLE_MARGIN_SHARE = 0.1
# ... and that lowest level creeps up towards what the room draws, over about a
# week: a device added on standby raises it for good.
_IDLE_CREEP_SECONDS = 7 * 86400.0
# How an exit went, as an exit's kind is told (the parts of its name): the air
# fell after it or held, the power went idle with it or did not.
_FELL, _HELD = "fell", "held"
_IDLED, _DRAWN = "idled", "drawn"
_KIND_WORDS = {
    _FELL: "the air fell",
    _HELD: "the air held",
    _IDLED: "the power went idle",
    _DRAWN: "the power did not go idle",
}
_KINDS = frozenset(
    [
        *_KIND_WORDS,
        *(f"{air} {power}" for air in (_FELL, _HELD) for power in (_IDLED, _DRAWN)),
    ]
)
# A motion sensor stays on for its hold after it last saw someone. Its shortest
# "on" is that hold once it has shown this many ...
_HOLD_SPELLS = 20
# ... unless that is longer than any sensor holds: then people were moving. Four
# minutes is a common setting (some Z-Wave multisensors), and such a sensor's
# times show a second or two either side of it.
MAX_MOTION_HOLD = timedelta(minutes=4, seconds=10)
# An "on" shorter than any sensor holds is a glitch (a radio blip, a restart):
# one of them would hide the hold for good.
_MIN_HOLD_SECONDS = 5.0
# Motion sensors followed, as the anomaly detector's sources: sensors that come
# and go under new names must not grow the saved state without end.
MAX_MOTION_SENSORS = 32
# Lamps whose own levels are kept, likewise: each lamp people set takes up to
# 2.5 KB of the zone's 64 KB.
MAX_LAMPS = 8


class ExitPool(ZonePool):
    """The exits of a building's zones, for each zone to lean on the others'.

    How often an exit leaves someone behind is much the same across a home: in
    a flat where one person lives nobody stays behind in any room, and in a
    family's home people do in most. Each zone keeps its exits and stayers
    (faded counts) here; :meth:`ExitWatch.door_delay` leans on the other
    zones' (see there). Where motion is seen in each zone is kept here too
    (``motion``), for a zone to tell that people moved on from it.
    """

    def __init__(self) -> None:
        """Start with no zones."""
        super().__init__(2)
        self.motion = MotionMap()

    def remove(self, zone_id: str) -> None:
        """Forget a zone's exits and motion."""
        super().remove(zone_id)
        self.motion.forget(zone_id)


class ExitWatch:
    """How soon after the door moved behind the last motion a zone is empty.

    An *exit* is a door moving while every motion sensor is clear, after the last
    motion. A sensor stays on for a while (its *hold*) after it last saw someone,
    so the door of someone going out often moves before it clears: the last
    motion is when it cleared less its hold, learnt as its shortest "on", and a
    door opened after that was an exit. If motion comes back without the door
    opening again, someone stayed behind (a *stayer*), unless the door was left
    open behind the exit (open more than three minutes): anyone may have come in
    through it unseen, so the exit is not counted; shut at last, it is the exit
    to count. Motion within a minute of the door is someone coming in, not an
    exit; so is the door moving while the zone stands empty after an exit,
    however long whoever came in then sits before a sensor sees them (until the
    door moves again). A *quiet spell* is the time from the motion sensors
    clearing to their next motion with no door moving in between: someone there
    sitting still. Those under the light are kept by their length too: where
    people there move again within minutes, :meth:`quiet_floor` lets the light go
    after motion alone sooner than the controller's floor.

    In a zone where at most one exit in ten leaves a stayer (as far as the exits
    seen can tell: about 30 with nobody left behind, more with some), a stayer is
    taken to be as still as anyone there: each further minute of quiet after an
    exit is as likely as the zone's quiet spells say (a geometric distribution
    with their mean). :meth:`door_delay` is then the quiet time after which a
    light would be switched off on someone left behind less than once in 20,000
    exits, never below three minutes. A zone that one person at a time uses
    briskly gets a short delay; one where people sit still long, a long one; one
    where a few exits in 100 leave someone (a family's kitchen or living room) a
    longer one, as each exit is likelier to leave someone to switch the light off
    on. Where people stay behind more often still (a shared office, people
    settled in together) the full delay holds. A false-off teaches it too: the
    person left behind moves, a stayer. A zone that has seen few exits of its
    own leans on its building's other zones' (:class:`ExitPool`).

    Where CO2 is measured, the air tells exits apart: after most exits it falls
    within minutes, as it does when the last person leaves, and after some it
    does not, as when one of two stays. Where the room's power is metered, it
    tells them apart too: it goes idle with the last one out where people
    switch off what they used (a screen, a computer, a kettle), and keeps being
    drawn behind someone who stayed to use it. How often each kind (the air's
    and the power's way together) leaves someone behind is learnt on its own,
    and sets the delay after that kind of exit: a phone booth whose air falls
    behind the caller goes dark sooner, a study whose computer went to standby
    with its user too, and each keeps the long delay when it does not. A room
    whose power tells nothing of its people (a fridge cycling, nothing used)
    learns the same of both kinds, and waits much as before.

    >>> from datetime import datetime, timedelta
    >>> watch = ExitWatch()
    >>> start = datetime(2026, 1, 5, 8)
    >>> for visit in range(300):  # one person: in, out, never anyone left behind
    ...     t = start + timedelta(hours=visit)
    ...     watch.learn_one(t, Role.DOOR, 1.0)
    ...     watch.learn_one(t, Role.MOTION, 1.0)
    ...     watch.learn_one(t + timedelta(seconds=5), Role.DOOR, 0.0)
    ...     watch.learn_one(t + timedelta(minutes=5), Role.MOTION, 0.0)
    ...     watch.learn_one(t + timedelta(minutes=6), Role.MOTION, 1.0)  # still there
    ...     watch.learn_one(t + timedelta(minutes=9), Role.MOTION, 0.0)
    ...     watch.learn_one(t + timedelta(minutes=9), Role.DOOR, 1.0)  # out
    ...     watch.learn_one(t + timedelta(minutes=9, seconds=5), Role.DOOR, 0.0)
    >>> round(watch.door_delay() / 60)  # minutes
    4

    """

    def __init__(self) -> None:
        """Start knowing no exits."""
        # The motion sensors that are on, and since when (None: not known).
        self.motion_on: dict[str, datetime | None] = {}
        self.motion_seen: datetime | None = None  # the last change of any of them
        self.moved: datetime | None = None  # the last movement they saw
        self.holds: dict[str, tuple[float, int]] = {}  # shortest "on" (s), spells
        self.door_seen: datetime | None = None
        self.door_opened: datetime | None = None
        # The door's opening that let someone in: motion came on just after it.
        self.door_let_in: datetime | None = None
        self.doors: dict[str, bool] = {}  # each door sensor's last reading: open
        self.pending: datetime | None = None  # an exit not yet settled
        self.returned: datetime | None = None  # motion back after it, not yet settled
        # The door moved into the zone known empty: someone coming in, who may sit
        # down before a sensor sees them. No exit is taken until motion is seen or
        # the door moves again.
        self.entering = False
        self.exits = 0.0
        self.stayers = 0.0
        self.gaps = 0.0  # quiet spells of people there
        self.gap_minutes = 0.0  # and their length, summed
        # Those while the light was on, by whole minutes (faded alike), and since
        # when the light is on (None: off). They say how long people sit still
        # under it, whatever the spells of people who went out with it off.
        self.lit_spells = [0.0] * _STILL_BINS
        self.lit_since: datetime | None = None
        # When the quiet spell under the light that our switch-off cut began: a
        # hand switching it back on then says it was someone's (see cut_short).
        self.lit_cut: datetime | None = None
        # The minute bin of the last spell counted as cut short, until the door
        # says it was someone let in after all (see uncut).
        self.cut_bin: int | None = None
        # The air: each CO2 sensor's last reading (ppm), what it read when the
        # door last moved, and whether it fell since as the last one out makes it.
        self.co2: dict[str, float] = {}
        self.air_at_door: dict[str, float] = {}
        self.air_fell = False
        # An exit counted before its kind was told (someone stayed and moved at
        # once): when its door moved, and whether someone stayed.
        self.untold: tuple[datetime, bool] | None = None
        # The room's power: its last reading (W) and when, its idle level, when
        # it last drew more than that, and whether it went idle with the door's
        # last move (used until just before it, idle since).
        self.power: float | None = None
        self.power_read: datetime | None = None
        self.power_idle: float | None = None
        self.power_used: datetime | None = None
        self.power_idled = False
        # Exits of each kind (how the air and the power went after them, as
        # _kind names them): their count and stayers, faded as the exits' are.
        self.by_kind: dict[str, list[float]] = {}
        # Motion coming on in another zone after the last movement here.
        self.moved_on = MovedOnWatch()
        # The building's other zones, whose exits this one's lean on (``join``).
        self._pool: ExitPool | None = None
        self._zone_id = ""

    def join(self, pool: ExitPool, zone_id: str) -> None:
        """Share this zone's exits and motion through ``pool``; lean on the others'."""
        self._pool, self._zone_id = pool, zone_id
        self.moved_on.join(pool.motion, zone_id)
        pool.update(zone_id, (self.exits, self.stayers))

    def learn_one(
        self,
        when: datetime,
        role: Role,
        value: float,
        source: str | None = None,
        *,
        fresh_air: float | None = None,
        air_changes: float | None = None,
    ) -> None:
        """Take a motion or door sensor's change (1 on or open, 0 clear or shut).

        ``source`` names the sensor: where one of two motion sensors clears, the
        other may still see someone. A CO2 reading (ppm) comes with the zone's
        fresh air (ppm) and air changes an hour, where known; a power reading
        (W) is the whole room's.
        """
        if role not in (Role.MOTION, Role.DOOR, Role.CO2, Role.POWER):
            return
        if clock_put_back(when, self._last_seen()):
            self._forget_times()
        self.moved_on.settle(when)
        if role is Role.CO2:
            self._breathe(
                when,
                value,
                source or "",
                CO2_OUTDOOR_PPM if fresh_air is None else fresh_air,
                USUAL_AIR_CHANGES_PER_HOUR if air_changes is None else air_changes,
            )
        elif role is Role.POWER:
            self._draw(when, value)
        else:
            self._sense(when, role, value, source)

    def _sense(
        self, when: datetime, role: Role, value: float, source: str | None
    ) -> None:
        """Take a motion or door sensor's change."""
        self._settle_kind(when)
        if role is Role.DOOR and not self._door_read(source or "", value >= 0.5):
            return  # no move
        if self.returned is not None:
            self._settle_return(when, door=role is Role.DOOR)
        if self._left_open(when):
            self._behind_open_door(when, role, value)
        if role is Role.MOTION:
            if value >= 0.5:
                self.entering = False
                self._note_let_in(when)
            if value >= 0.5 and not self.motion_on:
                self._quiet_spell(when)
                if self.pending is not None:
                    if _within_entry(self.door_seen, when):
                        self._came_in(when)
                    else:
                        self.returned = when  # settled once no door follows
            was_on, moved = bool(self.motion_on), self.moved
            # Asked before this motion is the last movement, as moved_on_at was.
            counted = not self._shut_in()
            self._motion(when, source or "", on=value >= 0.5)
            if bool(self.motion_on) != was_on:
                self.moved_on.seen(when, on=not was_on, moved=moved, counted=counted)
        else:
            self._door(when, opened=value >= 0.5)
        self._look_for_exit()

    def _behind_open_door(self, when: datetime, role: Role, value: float) -> None:
        """Take a change after the door was left open behind the pending exit."""
        if role is Role.DOOR and value < 0.5:
            # Shut at last, by someone going out or coming in, as through any
            # door: this is the exit to count.
            self.pending = when
        elif value >= 0.5:
            # Whoever moves now may as well have come in through it as stayed
            # behind: the exit is not counted.
            self.pending = None

    def _door(self, when: datetime, *, opened: bool) -> None:
        """Follow the door: it settles an exit, lets someone in, or lets them go."""
        if opened and self.entering:
            # The door again, no one seen since it let someone in: they may be
            # going, as unseen as they came.
            self.entering = False
        elif opened and self.pending is not None and self.returned is None:
            self._count(when, stayed=False)  # the door again: they had all gone
            self.entering = True
        self.door_seen = when
        if opened:
            self.door_opened = when
        self._settle_kind(when, door_moved=True)
        self.air_at_door = dict(self.co2)
        self.air_fell = False
        self.power_idled = False
        self._note_idling(when)

    def _draw(self, when: datetime, watts: float) -> None:
        """Follow the room's power: its idle level, and whether it went idle.

        The idle level is the lowest the room draws, crept up towards what it
        drew since its last reading: a screen or a kettle on for minutes barely
        moves it, a device added on standby raises it within a week or two.
        """
        if not (self._idle(self.power) and self._idle(watts)):
            self.power_used = when
        drawn, idle, read = self.power, self.power_idle, self.power_read
        if drawn is not None and idle is not None and read is not None:
            seconds = max((when - read).total_seconds(), 0.0)
            idle += (drawn - idle) * -math.expm1(-seconds / _IDLE_CREEP_SECONDS)
        self.power_idle = watts if idle is None else min(idle, watts)
        self.power, self.power_read = watts, when
        self._note_idling(when)
        self._settle_kind(when)

    def _idle(self, watts: float | None) -> bool:
        """Whether the room draws ``watts`` at its idle level (None: not known)."""
        idle = self.power_idle
        if watts is None or idle is None:
            return True
        return watts <= idle + max(_IDLE_MARGIN_W, _IDLE_MARGIN_SHARE * idle)

    def _note_idling(self, when: datetime) -> None:
        """Note the power gone idle with the door: used until just before, idle now.

        Just before, as someone switches a screen off and then goes, and within
        the air's window after, as a meter reports a moment late.
        """
        door, used = self.door_seen, self.power_used
        if (
            door is not None
            and used is not None
            and self.power is not None
            and self._idle(self.power)
            and used >= door - _AIR_WINDOW
            and when - door <= _AIR_WINDOW
        ):
            self.power_idled = True

    def _breathe(
        self,
        when: datetime,
        ppm: float,
        source: str,
        fresh_air: float,
        air_changes: float,
    ) -> None:
        """Follow one CO2 sensor, and whether the air fell since the door moved.

        Fell, that is, as an empty room's air falls (``_AIR_SHARE``).
        """
        if source not in self.co2 and len(self.co2) >= _MAX_AIR_SENSORS:
            return
        self.co2[source] = ppm
        before = self.air_at_door.get(source)
        door = self.door_seen
        if before is not None and door is not None and when - door <= _AIR_WINDOW:
            hours = max((when - door).total_seconds(), 0.0) / 3600.0
            empty_fall = (before - fresh_air) * -math.expm1(-air_changes * hours)
            if before - ppm >= max(_AIR_DROP_PPM, _AIR_SHARE * empty_fall):
                self.air_fell = True
        self._settle_kind(when)

    def air_falling(self) -> bool:
        """Whether the air fell behind the exit and has not risen back since.

        Then CO2 is not rising as someone left behind breathing would make it,
        whatever the minutes-long averages still carry of the caller's breath
        before the door: a phone booth's ran on for ten minutes after its last
        caller had gone. How often someone stays behind air that fell, the
        door's wait after it has learnt.
        """
        return (
            self.exit_door() is not None
            and self.air_fell
            and all(
                self.co2.get(source, before) <= before
                for source, before in self.air_at_door.items()
            )
        )

    def _kind(self, *, now: bool = False) -> str | None:
        """Return how the air and the power went after the door last moved.

        And, ``now``, whether the power is still idle: a screen switched on
        since says someone is there. An exit is counted by how it went, though
        the next one in may have switched the screen on before the door told
        them. None where neither is measured.
        """
        parts = []
        if self.air_at_door:
            parts.append(_FELL if self.air_fell else _HELD)
        if self.power is not None:
            idled = self.power_idled and (not now or self._idle(self.power))
            parts.append(_IDLED if idled else _DRAWN)
        return " ".join(parts) or None

    def _settle_kind(self, when: datetime, *, door_moved: bool = False) -> None:
        """Count the exit waiting on its kind once that is told.

        Told once the air fell and the power went idle (each where measured),
        or once the window is over; the door moving again ends it, as what
        follows that door is another exit's.
        """
        if self.untold is None:
            return
        door, stayed = self.untold
        told = (self.air_fell or not self.air_at_door) and (
            self.power_idled or self.power is None
        )
        if not (told or door_moved or when - door > _AIR_WINDOW):
            return
        self.untold = None
        kind = self._kind()
        if kind is None:
            return
        self.by_kind.setdefault(kind, [0.0, 0.0])
        for each, tally in self.by_kind.items():  # faded as one, like the exits
            tally[0] = tally[0] * _EXIT_FADE + (each == kind)
            tally[1] = tally[1] * _EXIT_FADE + (each == kind and stayed)

    def _last_seen(self) -> datetime | None:
        """Return when a motion sensor or the door last changed, if ever."""
        seen = [t for t in (self.motion_seen, self.door_seen) if t is not None]
        return max(seen, default=None)

    def _forget_times(self) -> None:
        """Forget when things happened: the clock was put back since.

        What was learned stays; an exit or quiet spell timed across the jump
        would be nonsense (a quiet spell of minus a day).
        """
        self.motion_on = dict.fromkeys(self.motion_on)  # on, since when not known
        self.motion_seen = self.moved = self.door_seen = self.door_opened = None
        self.door_let_in = None
        self.pending = self.returned = None
        self.moved_on.back = None
        self.entering = False
        self.air_at_door = {}
        self.air_fell = False
        self.power_read = self.power_used = None
        self.power_idled = False
        self.untold = None

    def _door_read(self, source: str, opened: bool) -> bool:
        """Note what door sensor ``source`` reads now; whether the door moved.

        Not where it reads again what it read last: back from unavailable or a
        restart, or only its attributes changed. Its first reading is a move
        where it opens, or shuts the zone's door last seen opening.
        """
        last = self.doors.get(source)
        self.doors[source] = opened
        if last is None:
            return opened or self._door_open()
        return last != opened

    def _door_open(self) -> bool:
        """Whether the door was last seen opening."""
        return self.door_opened is not None and self.door_opened == self.door_seen

    def _left_open(self, when: datetime) -> bool:
        """Whether the door was left open behind the pending exit, and still is.

        Open since, that is, for longer than going through it takes: anyone may
        have come in since, unseen by it. Not once the motion back is being
        settled: it came while the door could still be shut behind the leaver.
        """
        opened = self.door_opened
        return (
            self.pending is not None
            and self.returned is None
            and self._door_open()
            and opened is not None
            and opened <= self.pending
            and (when - opened).total_seconds() > _DOOR_PASS_SECONDS
        )

    def _shut_in(self) -> bool:
        """Whether the zone's door is shut and did not move after the last movement.

        Then whoever was last seen is still inside: going out, they would have
        moved it, if only to shut it behind them where it stood open. Shut just
        after it was opened for the movement, it was shut behind someone coming in.
        """
        door, moved = self.door_seen, self.moved
        return (
            door is not None
            and not self._door_open()
            and not self._door_after_motion()
            and (
                moved is None or door <= moved or _within_entry(self.door_opened, moved)
            )
        )

    def _note_let_in(self, when: datetime) -> None:
        """Motion came on at ``when``: note the door's opening it came in by, if so.

        That is motion coming on within seconds after the door opened on a zone
        whose sensors were clear: whoever is seen came in. Not motion at the same
        moment (someone going out may have been seen on their way to the door),
        nor motion back after an hour unseen, the door unmoved: that came in
        another way.
        """
        moved, opened = self.moved, self.door_opened
        if not self.motion_on and moved is not None and when - moved >= SHUT_IN_LIMIT:
            self.door_let_in = None
        if (
            opened is not None
            and not self.motion_on
            and (self.motion_seen is None or self.motion_seen <= opened)
            and 0.0 < (when - opened).total_seconds() <= _LET_IN_SECONDS
        ):
            self.door_let_in = opened

    def shut_behind(self, when: datetime) -> bool:
        """Whether the door was shut behind someone it let in, and has not moved since.

        Whoever came in is inside still, however still they sit: going out, they
        would have opened it. Only a door seen letting someone in says so: one
        that stays shut while people come and go another way says nothing. Not
        after an hour without motion: a reader so still has fallen asleep over the
        book, or went out another way.
        """
        moved = self.moved
        return (
            bool(self.doors)
            and self.door_let_in is not None
            and self.door_let_in == self.door_opened
            and not self._door_open()
            and moved is not None
            and when - moved < SHUT_IN_LIMIT
        )

    def _motion(self, when: datetime, source: str, *, on: bool) -> None:
        """Follow one motion sensor, its hold and the last movement it saw."""
        self.motion_seen = when
        if on:
            if source in self.motion_on or len(self.motion_on) < MAX_MOTION_SENSORS:
                self.motion_on.setdefault(source, when)
            self.moved = when
            return
        since = self.motion_on.pop(source, None)
        moved = when - timedelta(seconds=self.hold(source))
        if since is not None:
            seconds = (when - since).total_seconds()
            if seconds >= _MIN_HOLD_SECONDS and (
                source in self.holds or len(self.holds) < MAX_MOTION_SENSORS
            ):
                shortest, spells = self.holds.get(source, (seconds, 0))
                self.holds[source] = (min(shortest, seconds), spells + 1)
            moved = max(moved, since)
        self.moved = moved if self.moved is None else max(self.moved, moved)

    def rename_sensor(self, old: str, new: str) -> None:
        """Follow sensor ``old`` under its new name ``new``: on, held, open, its air."""
        for by_sensor in (
            self.motion_on,
            self.holds,
            self.doors,
            self.co2,
            self.air_at_door,
        ):
            _rename(by_sensor, old, new)

    def sensor_lost(self, source: str) -> None:
        """Take it that sensor ``source`` stopped reading.

        A CO2 sensor's air is forgotten: it tells none. A motion sensor that was
        on stays on here (a door opened meanwhile is no exit of someone it might
        still see), but the other zones no longer take it for someone moving
        here: one whose battery died while on would have it so for good.
        """
        self.co2.pop(source, None)
        self.air_at_door.pop(source, None)
        if source in self.motion_on:
            self.moved_on.quiet()

    def keep_sensors(self, sources: Collection[str]) -> None:
        """Forget the motion, door and CO2 sensors not in ``sources``: they left the area.

        One taken away while on would stay on here for good, and no door would
        tell an exit again.
        """
        was_on = bool(self.motion_on)
        self.motion_on = _kept(self.motion_on, sources)
        if was_on and not self.motion_on:
            self.moved_on.quiet()
        self.holds = _kept(self.holds, sources)
        self.doors = _kept(self.doors, sources)
        self.co2 = _kept(self.co2, sources)
        self.air_at_door = _kept(self.air_at_door, sources)
        self._look_for_exit()

    def _look_for_exit(self) -> None:
        """Take the door's last move as an exit once no one is seen after it."""
        if (
            self.pending is None
            and not self.entering
            and not self.motion_on
            and self._door_after_motion()
        ):
            self.pending = self.door_seen

    def hold(self, source: str) -> float:
        """Return how long (s) ``source`` stays on after it last saw movement.

        0 until its shortest "on" is known from enough of them, or where even that
        is longer than sensors hold.
        """
        shortest, spells = self.holds.get(source, (0.0, 0))
        if spells < _HOLD_SPELLS or shortest > MAX_MOTION_HOLD.total_seconds():
            return 0.0
        return shortest

    def _door_after_motion(self) -> bool:
        """Whether the door moved after the last movement: everyone seen went out.

        After the sensors cleared, surely. Before they cleared, only if the door
        was opened after the last movement they held on to: someone who comes in
        is seen after the door opens (and may then sit still at once), and someone
        going out opens it after they were last seen.
        """
        door = self.door_seen
        if door is None or self.motion_seen is None:
            return False
        if door >= self.motion_seen:
            return True
        opened, moved = self.door_opened, self.moved
        return opened is not None and moved is not None and opened > moved

    def exit_door(self) -> datetime | None:
        """Return when the door moved behind the last person, if none is seen since."""
        if self.motion_on or self.returned is not None:
            return None
        return self.pending

    def _quiet_spell(self, when: datetime) -> None:
        """Motion again with no door since it cleared: someone sat still so long.

        Unless motion came on elsewhere meanwhile: then whoever moves again here
        may as well have come back from there.
        """
        cleared = self.motion_seen
        if (
            cleared is None
            or (self.door_seen is not None and self.door_seen >= cleared)
            or self.moved_on.moved_on(self.moved, when) is not None
        ):
            return
        minutes = (when - cleared).total_seconds() / 60.0
        self.gaps = self.gaps * _GAP_FADE + 1.0
        self.gap_minutes = self.gap_minutes * _GAP_FADE + min(minutes, _MAX_GAP_MINUTES)
        if self._lit_through(cleared):
            self._lit_spell(minutes)

    def _lit_through(self, cleared: datetime) -> bool:
        """Whether the light has been on since the sensors cleared at ``cleared``."""
        lit = self.lit_since
        return lit is not None and lit <= cleared.replace(tzinfo=None)

    def _lit_spell(self, minutes: float) -> int:
        """Count a quiet spell under the light ``minutes`` long; return its bin."""
        self.lit_spells = [count * _GAP_FADE for count in self.lit_spells]
        spell = min(int(minutes), _STILL_BINS - 1)
        self.lit_spells[spell] += 1.0
        return spell

    def light(self, when: datetime, *, on: bool, ours: bool = False) -> None:
        """Take the zone's light switched on or off (``ours``: by us) at ``when``.

        Times are taken as their wall clock, as the light's model takes them.
        """
        cleared = self.motion_seen
        if on:
            self.lit_cut = None
            self.lit_since = self.lit_since or when.replace(tzinfo=None)
            return
        if ours and not self.motion_on and cleared and self._lit_through(cleared):
            self.lit_cut = cleared.replace(tzinfo=None)
        self.lit_since = None

    def cut_short(self, when: datetime) -> None:
        """Count the quiet spell our switch-off cut, as lasting until ``when``.

        Someone there switched the light back on (a false-off): they had sat
        still that long under it. Left out, the spells of those who sit still
        longest would never be counted, ended in the dark as ours end them.
        """
        self.cut_bin = None
        if self.lit_cut is not None:
            seconds = (when.replace(tzinfo=None) - self.lit_cut).total_seconds()
            self.cut_bin = self._lit_spell(max(seconds, 0.0) / 60.0)
            self.lit_cut = None

    def uncut(self) -> None:
        """Take back the last spell counted as cut short: the door let someone in."""
        if self.cut_bin is not None:
            spells = self.lit_spells
            spells[self.cut_bin] = max(spells[self.cut_bin] - 1.0, 0.0)
            self.cut_bin = None

    def _settle_return(self, when: datetime, *, door: bool) -> None:
        """Motion came back after an exit: someone stayed, unless a door came with it.

        Sensors report one moment in either order, so a door just after the motion
        is someone coming in too.
        """
        assert self.returned is not None
        assert self.pending is not None
        if door and _within_entry(self.returned, when):
            came_in, self.returned = self.returned, None
            self._came_in(came_in)
        elif not _within_entry(self.returned, when):
            self.returned = None
            self._count(when, stayed=True)

    def _came_in(self, when: datetime) -> None:
        """Someone came in through the door: all had gone since the exit."""
        assert self.pending is not None
        if _within_entry(self.pending, when):
            self.pending = None  # that door was them coming in, not an exit
        else:
            self._count(when, stayed=False)

    def _count(self, when: datetime, *, stayed: bool) -> None:
        """Count the pending exit; its kind once that is told."""
        assert self.pending is not None
        self.untold = (self.pending, stayed)
        self.pending = None
        self.exits = self.exits * _EXIT_FADE + 1.0
        self.stayers = self.stayers * _EXIT_FADE + stayed
        if self._pool is not None:
            self._pool.update(self._zone_id, (self.exits, self.stayers))
        self._settle_kind(when)

    @staticmethod
    def _stay_share(exits: float, stayers: float) -> float:
        """How often someone stays behind when the door moves after the motion."""
        return (stayers + 1.0) / (exits + 2.0)

    @staticmethod
    def _stay_bound(exits: float, stayers: float) -> float:
        """How often someone may stay behind, as far as ``exits`` seen can tell."""
        return (stayers + _BOUND_STAYERS) / (exits + _BOUND_STAYERS)

    def _still(self) -> float:
        """How likely someone there is to stay quiet one more minute."""
        return 1.0 - 1.0 / max(self._mean_gap(), 1.5)

    def door_delay(self) -> float | None:
        """Quiet seconds after such an exit before the zone is taken as empty.

        None where people may stay behind more often than once in ten, as far as
        the exits seen can tell (``_BOUND_STAYERS``): those left behind there are
        often people who just sat down, stiller than the zone's quiet spells say.
        Below that, those left behind in a family's rooms moved again as soon as
        the zone's quiet spells say (2 to 8 minutes after the door in the virtual
        family home's living room and kitchen, over two 56-day runs). Where the
        air or the power is measured, the exits behind which they went as they
        went behind this one tell. They lean on all exits as on one stayer's
        worth of them, in place of the share's even prior: a kind seen seldom
        is taken to leave someone as often as any exit does, until its own
        exits tell otherwise.
        The zone's exits lean so on the building's other zones' (``join``): a
        flat's bathroom, where nobody ever stays behind, is surer of it for the
        hundreds of exits in the flat's other rooms that left nobody either.
        The other zones make the share smaller or larger, never the rule of
        three: that weighs the zone's own exits, so a room where people do stay
        behind keeps the full delay, however seldom they do elsewhere.
        """
        kind, exits, stayers = self._tally()
        zone_exits = self.exits + _leaning(self._home_share())
        if kind is None:
            counted, exits = exits, zone_exits
        else:
            counted = exits + _leaning(self._stay_share(self.exits, self.stayers))
            exits += _leaning(self._stay_share(zone_exits, self.stayers))
        if self._stay_bound(counted, stayers) > _MAX_STAY_SHARE:
            return None
        return self._delay(self._stay_share(exits, stayers))

    def _delay(self, share: float) -> float:
        """Quiet seconds after which someone left behind so often would have moved."""
        minutes = math.log(_FALSE_OFF_RISK / share) / math.log(self._still())
        return max(_MIN_DOOR_DELAY, minutes * 60.0)

    def door_wait(self) -> timedelta | None:
        """Return :meth:`door_delay` to the second, as the controller waits it."""
        return _seconds(self.door_delay())

    def let_in(self, since: datetime, when: datetime) -> bool:
        """Whether the door opened after ``since`` to let someone in at ``when``."""
        opened = self.door_opened
        if opened is None:
            return False
        opened = opened.replace(tzinfo=None)  # the light's wall clock
        return opened > since and _within_entry(opened, when)

    def quiet_floor(self) -> float | None:
        """Quiet seconds under the light after which nobody there is still sitting.

        The shortest whole minutes that at most one of the zone's quiet spells
        under the light in 200 lasted (``_STILL_TAIL``), and then as long as its
        stillness (:meth:`_still`) takes to make a spell that long a hundred
        times rarer (``_FALSE_OFF_RISK``); never below ten minutes. None until
        200 such spells are seen, or where more than one in 200 lasted half an
        hour (people read or doze there): the controller's floor holds. The
        spells with motion elsewhere meanwhile are not counted, and in a busy
        home those are more often the long ones: so the margin.
        """
        total = sum(self.lit_spells)
        if total < 1.0 / _STILL_TAIL:
            return None
        rarer = math.log(_FALSE_OFF_RISK / _STILL_TAIL) / math.log(self._still())
        tail = total  # the spells of at least ``minutes``
        for minutes, count in enumerate(self.lit_spells[:-1]):
            if tail <= _STILL_TAIL * total:
                return max(_MIN_QUIET_FLOOR, (minutes + rarer) * 60.0)
            tail -= count
        return None

    def quiet_wait(self) -> timedelta | None:
        """Return :meth:`quiet_floor` to the second, as the controller waits it."""
        return _seconds(self.quiet_floor())

    def moved_on_at(self, when: datetime) -> datetime | None:
        """Return when motion came on elsewhere after the last movement here, if since.

        None while a sensor here sees someone, where no one moved on, or where
        the zone's door is shut and did not move since: whoever went out would
        have moved it.
        """
        if self.motion_on or self._shut_in():
            return None
        return self.moved_on.moved_on(self.moved, when)

    def moved_on_delay(self) -> float | None:
        """Quiet seconds after people moved on before the zone is taken as empty.

        As after a door (:meth:`door_delay`), from how often it left someone
        behind here; None where that may be more often than once in ten.
        """
        exits, stayers = self.moved_on.exits, self.moved_on.stayers
        if self._stay_bound(exits, stayers) > _MAX_STAY_SHARE:
            return None
        return self._delay(self._stay_share(exits, stayers))

    def moved_on_wait(self) -> timedelta | None:
        """Return :meth:`moved_on_delay` to the second, as the controller waits it."""
        return _seconds(self.moved_on_delay())

    def _tally(self) -> tuple[str | None, float, float]:
        """Return the exits like the pending one: their kind, count and stayers.

        Where neither the air nor the power is measured, or no exit is
        pending: all exits.
        """
        kind = self._kind(now=True) if self.pending is not None else None
        if kind is None:
            return None, self.exits, self.stayers
        exits, stayers = self.by_kind.get(kind, (0.0, 0.0))
        return kind, exits, stayers

    def _home_share(self) -> float:
        """How often the other zones' exits leave someone; even odds with none."""
        if self._pool is None:
            return self._stay_share(0.0, 0.0)
        return self._stay_share(*self._pool.others(self._zone_id))

    def _mean_gap(self) -> float:
        """Minutes people there stay quiet at a time, shrunk towards three."""
        return (self.gap_minutes + _PRIOR_GAPS * _PRIOR_GAP_MINUTES) / (
            self.gaps + _PRIOR_GAPS
        )

    def explain(self) -> str:
        """Say what the delay after a door rests on."""
        delay = self.door_delay()
        kind, exits, stayers = self._tally()
        behind = "" if kind is None else f" behind which {_kind_words(kind)}"
        if delay is None and stayers <= _MAX_STAY_SHARE * exits:
            words = (
                f"the full delay after the door: {exits:.0f} exits seen{behind} "
                f"({stayers:.0f} leaving someone behind), too few to tell how "
                "often someone stays behind"
            )
        elif delay is None:
            words = (
                f"the full delay after the door: someone stayed behind after "
                f"{stayers:.0f} of {exits:.0f} recent exits{behind}"
            )
        else:
            elsewhere = ""
            if self._pool is not None:
                others, stayed = self._pool.others(self._zone_id)
                if others >= 0.5:
                    elsewhere = f" ({stayed:.0f} of {others:.0f} in the other rooms)"
            words = (
                f"{delay / 60:.0f} min after the door: someone stayed behind after "
                f"{self.stayers:.0f} of {self.exits:.0f} recent exits{elsewhere}, "
                f"and people sit still {self._mean_gap():.1f} min at a time"
            )
            if kind is not None:
                words += (
                    f"; {_kind_words(kind)} behind this one, as behind "
                    f"{exits:.0f} of them ({stayers:.0f} leaving someone)"
                )
        holds = sorted({round(self.hold(name)) for name in self.holds} - {0})
        if holds:
            seconds = "/".join(str(hold) for hold in holds)
            words += f" (motion sensors hold on {seconds} s)"
        return words + self._explain_moved_on() + self._explain_quiet()

    def _explain_moved_on(self) -> str:
        """Say what the wait after people moved on rests on, once any did."""
        exits, stayers = self.moved_on.exits, self.moved_on.stayers
        if exits < 0.5:
            return ""
        counts = f"{stayers:.0f} of {exits:.0f} recent moves"
        delay = self.moved_on_delay()
        if delay is not None:
            return (
                f"; {delay / 60:.0f} min after people moved on to another room: "
                f"someone stayed behind after {counts}"
            )
        if stayers <= _MAX_STAY_SHARE * exits:
            return (
                "; the full delay after people moved on to another room: "
                f"someone stayed behind after {counts}, too few to tell"
            )
        return (
            "; the full delay after people moved on to another room: someone "
            f"stayed behind after {counts}"
        )

    def _explain_quiet(self) -> str:
        """Say how long motion alone waits where the spells under the light tell."""
        floor = self.quiet_floor()
        if floor is None:
            return ""
        return (
            f"; {floor / 60:.0f} min without motion at most, as people under the "
            f"light moved again in {sum(self.lit_spells):.0f} recent quiet spells"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data."""
        return {
            "version": EXITS_VERSION,
            "motion_on": {name: to_iso(on) for name, on in self.motion_on.items()},
            "motion_seen": to_iso(self.motion_seen),
            "moved": to_iso(self.moved),
            "holds": {name: list(hold) for name, hold in self.holds.items()},
            "door_seen": to_iso(self.door_seen),
            "door_opened": to_iso(self.door_opened),
            "door_let_in": to_iso(self.door_let_in),
            "doors": self.doors,
            "pending": to_iso(self.pending),
            "returned": to_iso(self.returned),
            "entering": self.entering,
            "exits": self.exits,
            "stayers": self.stayers,
            "gaps": self.gaps,
            "gap_minutes": self.gap_minutes,
            "lit_spells": self.lit_spells,
            "lit_since": to_iso(self.lit_since),
            "lit_cut": to_iso(self.lit_cut),
            "cut_bin": self.cut_bin,
            "co2": self.co2,
            "air_at_door": self.air_at_door,
            "air_fell": self.air_fell,
            "power": self.power,
            "power_read": to_iso(self.power_read),
            "power_idle": self.power_idle,
            "power_used": to_iso(self.power_used),
            "power_idled": self.power_idled,
            "untold": None
            if self.untold is None
            else [to_iso(self.untold[0]), self.untold[1]],
            "by_kind": self.by_kind,
            "moved_on": self.moved_on.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExitWatch:
        """Restore a watch saved with :meth:`to_dict`."""
        check_version(data, "exit", EXITS_VERSION)
        watch = cls()
        try:
            motion_on = data["motion_on"]
            # A state saved before sensors were told apart held one flag; the
            # next clearing could not say whose, so it starts with none on. It
            # knew no holds either: they are learnt from then on.
            if not isinstance(motion_on, bool):
                watch.motion_on = {
                    str(name): from_iso(on) for name, on in motion_on.items()
                }
            watch.motion_seen = from_iso(data["motion_seen"])
            watch.moved = from_iso(data.get("moved", data["motion_seen"]))
            watch.holds = {
                str(name): (float(shortest), int(spells))
                for name, (shortest, spells) in data.get("holds", {}).items()
            }
            watch.door_seen = from_iso(data["door_seen"])
            watch.door_opened = from_iso(data.get("door_opened"))
            watch.door_let_in = from_iso(data.get("door_let_in"))
            # Saved before each door sensor's reading was kept: its next one
            # is taken as it was then.
            watch.doors = {
                str(name): bool(opened)
                for name, opened in data.get("doors", {}).items()
            }
            watch.pending = from_iso(data["pending"])
            watch.returned = from_iso(data["returned"])
            watch.entering = bool(data.get("entering", False))
            watch.exits = from_count(data["exits"])
            watch.stayers = from_count(data["stayers"])
            watch.gaps = from_count(data["gaps"])
            watch.gap_minutes = from_count(data["gap_minutes"])
            watch._restore_lit(data)
            # Saved before the air was watched: it is learnt from now on.
            watch.co2 = _ppm_by_sensor(data.get("co2", {}))
            watch.air_at_door = _ppm_by_sensor(data.get("air_at_door", {}))
            watch.air_fell = bool(data.get("air_fell", False))
            # Saved before the power was watched, or with none: likewise.
            watch.power = from_number(data.get("power"))
            watch.power_read = from_iso(data.get("power_read"))
            watch.power_idle = from_number(data.get("power_idle"))
            watch.power_used = from_iso(data.get("power_used"))
            watch.power_idled = bool(data.get("power_idled", False))
            untold = data.get("untold", data.get("unaired"))  # its name till then
            if untold is not None:
                door, stayed = untold
                moved = from_iso(door)
                if moved is None:
                    raise ValueError("an exit waiting on its kind has no door time")
                watch.untold = (moved, bool(stayed))
            # Saved as the air's kinds alone till the power was watched.
            kinds = data.get("by_kind", data.get("by_air", {}))
            for kind, (exits, stayers) in kinds.items():
                if kind in _KINDS:
                    watch.by_kind[kind] = [from_count(exits), from_count(stayers)]
            # Saved before people moving on were watched: learnt from now on.
            if "moved_on" in data:
                watch.moved_on = MovedOnWatch.from_dict(data["moved_on"])
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"corrupt exit state: {error}") from error
        return watch

    def _restore_lit(self, data: Mapping[str, Any]) -> None:
        """Restore the spells under the light (none, saved before they were kept)."""
        spells = [
            from_count(count) for count in data.get("lit_spells", self.lit_spells)
        ]
        if len(spells) != _STILL_BINS:
            raise ValueError(f"{len(spells)} quiet spell bins, not {_STILL_BINS}")
        self.lit_spells = spells
        self.lit_since = from_iso(data.get("lit_since"))
        self.lit_cut = from_iso(data.get("lit_cut"))
        cut_bin = data.get("cut_bin")
        if cut_bin is not None and cut_bin not in range(_STILL_BINS):
            raise ValueError(f"no quiet spell bin {cut_bin!r}")
        self.cut_bin = cut_bin


def _seconds(delay: float | None) -> timedelta | None:
    """Return a delay in seconds as a wait to the second."""
    return None if delay is None else timedelta(seconds=round(delay))


def _kind_words(kind: str) -> str:
    """Say how the air and the power went behind an exit of ``kind``."""
    return " and ".join(_KIND_WORDS[part] for part in kind.split())


def _leaning(share: float) -> float:
    """Return the exits that, with the even prior, make one stayer in 1/``share``.

    Added to a zone's (or a kind's) exits, they are a broader tally's share
    weighing as one stayer's worth of its exits.
    """
    return 1.0 / share - 2.0


def _kept[Held](
    by_sensor: Mapping[str, Held], sources: Collection[str]
) -> dict[str, Held]:
    """Return what ``by_sensor`` holds of the sensors in ``sources`` only."""
    return {sensor: held for sensor, held in by_sensor.items() if sensor in sources}


def _rename(by_sensor: MutableMapping[str, Any], old: str, new: str) -> None:
    """Move what ``by_sensor`` holds of ``old`` to ``new``, unless ``new`` has some."""
    if old in by_sensor and new not in by_sensor:
        by_sensor[new] = by_sensor.pop(old)


def _ppm_by_sensor(saved: Mapping[str, Any]) -> dict[str, float]:
    """Return CO2 readings (ppm) by sensor, read back from saved state."""
    return {str(sensor): float(ppm) for sensor, ppm in saved.items()}


class SunThreshold:
    """The sun's elevation above which a room without a light sensor is bright enough.

    Learned from people's own switches, as the lux threshold is, with the sun's
    elevation for the ambient level: the lamp switched off by hand within five
    minutes of coming on for someone, while the sun is up, says "bright enough
    at this elevation"; switched on by hand, "needs light at this elevation".
    The elevation is all there is to go by, so each switch that contradicts the
    threshold moves it right past itself: whoever had to switch the lamp on gets
    light at that elevation the next time.

    Until people have switched it off so twice, light is wanted whatever the sun:
    nobody is left in the dark on the word of one switch, and a windowless room,
    where nobody switches the lamp off at noon, keeps its light.

    >>> from datetime import datetime, timedelta
    >>> sun = SunThreshold()
    >>> sun.elevation = 40.0
    >>> for day in (1, 2):  # the lamp comes on at noon; switched off at once
    ...     noon = datetime(2026, 6, day, 12)
    ...     sun.learn_switch(noon, switched_on=True, manual=False)
    ...     sun.learn_switch(noon + timedelta(minutes=1), switched_on=False, manual=True)
    >>> sun.wants_light(40.0), sun.wants_light(5.0)
    (False, True)

    """

    def __init__(self) -> None:
        """Start knowing nothing: light is wanted at any elevation."""
        self.elevation: float | None = None  # the sun's, last seen (None: no sun)
        self.threshold = 90.0  # degrees; the zenith: dark at any elevation
        self.switches = 0  # switches by hand learned from
        self.bright = 0  # of them, switch-offs in daylight
        self.lit_at: datetime | None = None  # when the lamp came on, not by hand

    def learn_switch(
        self, when: datetime, *, switched_on: bool, manual: bool | None
    ) -> None:
        """Take the lamp switched at ``when`` (by a person's hand if ``manual``)."""
        lit_at = self.lit_at
        self.lit_at = when if switched_on and manual is not True else None
        elevation = self.elevation
        if not manual or elevation is None:
            return
        if not switched_on:
            if (
                elevation <= _SUN_UP
                or lit_at is None
                or (when - lit_at).total_seconds() > _SUN_CORRECTION_SECONDS
            ):
                return  # someone going out or to bed, not daylight enough
            self.bright += 1
        self.switches += 1
        self.threshold = _moved_threshold(
            self.threshold, elevation, switched_on, rate=1.0, margin=_SUN_MARGIN
        )

    def learned(self) -> bool:
        """Whether people switched off in daylight often enough to go by the sun."""
        return self.bright >= _SUN_LESSONS

    def wants_light(self, elevation: float | None) -> bool:
        """Whether the room needs light with the sun at ``elevation`` (None: no sun)."""
        return elevation is None or not self.learned() or elevation < self.threshold

    def decided(self, elevation: float | None) -> str | None:
        """Say how the sun decided, or None where it did not."""
        if elevation is None or not self.learned():
            return None
        return (
            f"sun at {elevation:.0f}°, learned bright enough above "
            f"{self.threshold:.0f}° from "
            f"{_counted(self.switches, 'manual switch', 'manual switches')}"
        )

    def explain(self, elevation: float | None) -> str:
        """Say what the light wanted without a light sensor rests on."""
        decided = self.decided(elevation)
        if decided is not None:
            return f"no illuminance reading; {decided}"
        words = "no illuminance reading, so light is assumed wanted"
        if elevation is None:
            return words
        return (
            f"{words} (sun at {elevation:.0f}°; {self.bright} of {_SUN_LESSONS} "
            f"switch-offs by hand in daylight to learn from)"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data."""
        return {
            "version": SUN_VERSION,
            "elevation": self.elevation,
            "threshold": self.threshold,
            "switches": self.switches,
            "bright": self.bright,
            "lit_at": to_iso(self.lit_at),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SunThreshold:
        """Restore a threshold saved with :meth:`to_dict`."""
        check_version(data, "sun", SUN_VERSION)
        sun = cls()
        try:
            elevation = data["elevation"]
            sun.elevation = from_number(elevation)
            sun.threshold = float(data["threshold"])
            sun.switches = int(data["switches"])
            sun.bright = int(data["bright"])
            sun.lit_at = from_iso(data["lit_at"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"corrupt sun state: {error}") from error
        return sun


def _within_entry(moment: datetime | None, when: datetime) -> bool:
    """Whether ``when`` is close enough to ``moment`` to be one passage."""
    return moment is not None and abs((when - moment).total_seconds()) <= _ENTRY_SECONDS


def _recent(at: datetime, when: datetime) -> bool:
    """Whether a level set by hand at ``at`` is still what is wanted at ``when``."""
    seconds = (when.replace(tzinfo=None) - at).total_seconds()
    return 0.0 <= seconds <= _RESUME_SECONDS


def _time(value: object) -> datetime:
    """Return the moment saved as ``value``, which must be one."""
    at = from_iso(value)
    if at is None:
        raise ValueError("no time")
    return at


def _period(when: datetime) -> int:
    return int(hour_of_day(when) // (24 / _PERIODS)) % _PERIODS


def _counted(count: int, one: str, many: str) -> str:
    """Return "1 manual switch" or "3 manual switches"."""
    return f"{count} {one if count == 1 else many}"


def _moved_threshold(
    threshold: float, level: float, switched_on: bool, *, rate: float, margin: float
) -> float:
    """Return ``threshold`` moved towards a person's switch at ``level``.

    It moves only when the switch contradicts it: on where it says light is not
    wanted, off where it says it is (or within ``margin`` of either).
    """
    if switched_on and level > threshold - margin:
        return threshold + rate * (level + margin - threshold)
    if not switched_on and level < threshold + margin:
        return threshold - rate * (threshold + margin - level)
    return threshold


def _dark(illuminance: float) -> bool:
    """Whether no one sees by this much daylight: night, or a room without windows."""
    return illuminance < _BANDS[0]


def _band(illuminance: float | None) -> int:
    if illuminance is None:
        return 1
    return sum(1 for edge in _BANDS if illuminance >= edge)


def _new_cells() -> list[list[float]]:
    """Return empty level cells: one per (period, band), then one per period."""
    return [[0.0, 0.0, 0.0, 0.0] for _ in range(_PERIODS * _BAND_COUNT + _PERIODS)]


def _cells_from(data: Any) -> list[list[float]]:
    """Return level cells saved as lists, checked for their sizes."""
    cells = [[float(v) for v in cell] for cell in data]
    if len(cells) != _PERIODS * _BAND_COUNT + _PERIODS or any(
        len(cell) != 4 for cell in cells
    ):
        raise ValueError("wrong cell sizes")
    return cells


def _shown_from(data: Any) -> list[float | None]:
    """Return a lamp's brightness and colour saved as a list, checked for its size.

    Short, every change of the lamp would fail: it is corrupt.
    """
    shown = [from_number(value) for value in data]
    if len(shown) != 2:
        raise ValueError("wrong size of a lamp's last level")
    return shown


def _shrunk(
    cells: list[list[float]],
    when: datetime,
    ambient: float | None,
    prior: tuple[float, float, float],
) -> tuple[float, float, float]:
    """Return the level ``cells`` give at ``when``, shrunk towards ``prior``.

    From broad to narrow (the hours around, the time of day, its ambient band):
    each is shrunk towards the one above, the broadest towards ``prior``.
    """
    period = _period(when)
    brightness, color_temp, weight = prior
    nearby = [
        cells[_PERIODS * _BAND_COUNT + (period + step) % _PERIODS] for step in _NEARBY
    ]
    for cell in (
        [sum(values) for values in zip(*nearby, strict=True)],
        cells[_PERIODS * _BAND_COUNT + period],
        cells[period * _BAND_COUNT + _band(ambient)],
    ):
        brightness = (cell[1] + _SHRINK * brightness) / (cell[0] + _SHRINK)
        color_temp = (cell[3] + _SHRINK * color_temp) / (cell[2] + _SHRINK)
        weight = cell[0]
    return brightness, color_temp, weight


def _default_color_temp(when: datetime, elevation: float | None) -> float:
    """Warm light while the sun is down, the day's white once it is high.

    Between, a smooth curve: the light whitens as daylight does after sunrise and
    warms before sunset, whatever the season. Where the sun's ``elevation`` is not
    known (no location), the clock stands in: warm from 18:00 to 07:00.
    """
    if elevation is None:
        hour = hour_of_day(when)
        return _DAY_WHITE if 7.0 <= hour < 18.0 else _WARM_WHITE
    share = min(max(elevation / _DAY_WHITE_ELEVATION, 0.0), 1.0)
    smooth = share * share * (3.0 - 2.0 * share)
    # In steps of 100 K, which eyes barely tell apart: a proposal shown at dusk
    # is not rewritten every minute for a change nobody sees.
    return float(round(_WARM_WHITE + smooth * (_DAY_WHITE - _WARM_WHITE), -2))


class LightingPreference:
    """Preferred light level, ambient threshold and vacancy delay of a zone.

    Parameters
    ----------
    threshold
        Ambient illuminance (lx) below which light is wanted, before
        anything is learned.
    threshold_rate
        How far (in log-lux) one contradicting switch moves it.
    default_brightness
        Brightness (%) before anything is learned (at most 30 % in the small
        hours, 00:00 to 06:00).
    vacancy_delay
        Initial delay (s) before switching off an empty zone.
    min_delay
        Shortest delay (s) it may shrink to.
    max_delay
        Longest delay (s) it may grow to.
    complaint_window
        A switch-on (by hand, or by us for someone seen again) within this
        many seconds of our switch-off counts as a false-off; one within the
        next as many seconds, as someone coming in. Either, with the door
        opening within a minute of it (see :meth:`door_opened`), is someone
        coming in through it, and teaches nothing.
    lengthen
        Factor the delay grows by after a false-off, and shrinks by after
        someone came in: people come in as often in the one window as in the
        other, so the delay grows only for those left in the dark.
    shorten
        Factor the delay shrinks by after an unchallenged switch-off.

    ``learn_one(when, x, manual)`` takes the light's changes: ``x`` may hold
    ``light_on`` (1/0), ``light_brightness`` (%), ``light_color_temp`` (K) and
    ``illuminance`` (lx, best from a sensor the lamp does not light) or, where no
    light sensor reads, ``sun_elevation`` (°); ``source`` names the lamp, whose
    own level a person's change teaches too; ``manual`` says
    whether a person made the change (False: we did; None: not known, as in
    history, where a switch-off is nobody's auto-off). Illuminance alone (no light keys) just updates
    the ambient level, the sun's elevation alone the sun's.

    Example:
        >>> from datetime import datetime
        >>> model = LightingPreference()
        >>> for day in range(1, 21):
        ...     model.learn_one(datetime(2026, 1, day, 17), {"illuminance": 30})
        ...     model.learn_one(datetime(2026, 1, day, 17), {"light_on": 1}, True)
        >>> model.predict_one(datetime(2026, 1, 21, 17), {"illuminance": 30})["light_on"]
        True

    """

    def __init__(
        self,
        *,
        threshold: float = 50.0,
        threshold_rate: float = 0.1,
        default_brightness: float = 80.0,
        vacancy_delay: float = 600.0,
        min_delay: float = 120.0,
        max_delay: float = 3600.0,
        complaint_window: float = 120.0,
        lengthen: float = 1.5,
        shorten: float = 0.97,
    ) -> None:
        """Start from the defaults."""
        self.log_threshold = math.log1p(float(threshold))
        self.threshold_rate = float(threshold_rate)
        self.default_brightness = float(default_brightness)
        self.vacancy_delay = float(vacancy_delay)
        self.min_delay = float(min_delay)
        self.max_delay = float(max_delay)
        self.complaint_window = float(complaint_window)
        self.lengthen = float(lengthen)
        self.shorten = float(shorten)
        # Per (period, band) cell and per period: [count, brightness sum,
        # colour-temperature count, colour-temperature sum], faded so habits can move.
        self.cells = _new_cells()
        # Each lamp's own cells, by entity id: two lamps of a zone are kept at
        # levels of their own.
        self.lamps: dict[str, list[list[float]]] = {}
        # Each lamp's brightness and colour when last on, as it comes back.
        self.shown: dict[str, list[float | None]] = {}
        # Each lamp's last level set by hand: when, brightness and colour.
        self.chosen: dict[str, tuple[datetime, float | None, float | None]] = {}
        self.illuminance: float | None = None
        self.light_on: bool | None = None
        self.auto_off_at: datetime | None = None
        # The last false-off or arrival: when the light came back on, the delay
        # before, and whether it was a false-off. The door opening with it after
        # all was someone let in (see door_opened).
        self.complaint: tuple[datetime, float, bool] | None = None
        # The lamp's own share of the illuminance, from the steps seen at switches.
        self.lamp_lux = 0.0
        self.lamp_switches = 0
        self.switch_at: datetime | None = None
        self.switch_from: float | None = None
        self.switches = 0
        self.adjustments = 0
        self.adjusted_at: datetime | None = None  # the last adjustment's moment
        self.false_offs = 0
        self.quiet_offs = 0
        self.arrivals_after_offs = 0
        self.bad_values = 0
        self.exits = ExitWatch()
        self.sun = SunThreshold()

    @property
    def threshold(self) -> float:
        """Ambient illuminance (lx) below which people want light."""
        return math.expm1(self.log_threshold)

    # -- learning --------------------------------------------------------------

    def _clean(self, x: Mapping[str, object], role: Role) -> float | None:
        if role.value not in x or x[role.value] is None:
            return None
        value = plausible(role, x[role.value])
        if value is None:
            self.bad_values += 1
        return value

    def learn_one(
        self,
        when: datetime,
        x: Mapping[str, object],
        manual: bool | None = False,
        source: str | None = None,
    ) -> None:
        """Take the light's change (or an illuminance reading) at ``when``."""
        if not isinstance(when, datetime):  # untyped callers may send anything
            self.bad_values += 1  # type: ignore[unreachable]
            return
        when = when.replace(tzinfo=None)  # its wall clock, comparable with ours
        illuminance = self._clean(x, Role.ILLUMINANCE)
        on = self._clean(x, Role.LIGHT_ON)
        brightness = self._clean(x, Role.LIGHT_BRIGHTNESS)
        color_temp = self._clean(x, Role.LIGHT_COLOR_TEMP)
        self.sun.elevation = self._elevation(x)
        if self.auto_off_at is not None:
            # Back on soon after, by a hand or by us for someone seen again: the
            # light went off on people.
            self._settle_auto_off(when, turned_on=manual is not None and on == 1.0)
        if illuminance is not None and on is None:
            self._learn_lamp(when, illuminance)
            self.illuminance = illuminance
        elif illuminance is not None and self.illuminance is None:
            self.illuminance = illuminance
        # Ambient is what was seen before the switch, without our lamp's share.
        ambient = self._ambient(None)
        if on is not None:
            switched_on = on >= 0.5
            self.exits.light(when, on=switched_on, ours=manual is False)
            if switched_on != self.light_on:
                self._switched(when, switched_on, manual=manual, ambient=ambient)
            self.light_on = switched_on
        if source is not None:
            brightness, color_temp = self._new_on(source, brightness, color_temp)
        if manual and (brightness is not None or color_temp is not None):
            if brightness is not None and brightness > 0.0:
                self._learn_level(when, ambient, brightness, color_temp, source)
                self.exits.light(when, on=True)
                self.light_on = True
            elif brightness is None:
                self._learn_level(when, ambient, None, color_temp, source)
        if illuminance is not None:
            self.illuminance = illuminance

    def _new_on(
        self, lamp: str, brightness: float | None, color_temp: float | None
    ) -> tuple[float | None, float | None]:
        """Return what ``lamp`` shows that it did not show when last on.

        Switched on from the wall or by a plain "on", a lamp comes back at the
        level it had (last night's 20 %, say): nobody chose it now.
        """
        shown = self.shown.get(lamp, [None, None])
        new = [
            value
            if value is None or before is None or abs(value - before) > tolerance
            else None
            for value, before, tolerance in zip(
                (brightness, color_temp), shown, _SAME_LEVEL, strict=True
            )
        ]
        if lamp in self.shown or len(self.shown) < MAX_LAMPS:
            self.shown[lamp] = [
                before if value is None else value
                for value, before in zip((brightness, color_temp), shown, strict=True)
            ]
        return new[0], new[1]

    def _switched(
        self,
        when: datetime,
        switched_on: bool,
        *,
        manual: bool | None,
        ambient: float | None,
    ) -> None:
        """Take the light switched on or off at ``when``, in ``ambient`` lx."""
        # Switched off in the dark, a lamp says someone went out or to bed, not
        # that the daylight was enough.
        if manual and ambient is not None and (switched_on or not _dark(ambient)):
            self._learn_threshold(math.log1p(ambient), switched_on)
        if ambient is None:  # no light sensor: the sun stands in for it
            self.sun.learn_switch(when, switched_on=switched_on, manual=manual)
        if not switched_on and manual is False:  # ours, known to be
            self.auto_off_at = when
        self.switch_at, self.switch_from = when, self.illuminance

    def _learn_lamp(self, when: datetime, illuminance: float) -> None:
        """Learn how much the lamp adds from the step the sensor saw at a switch."""
        if self.switch_at is None or self.switch_from is None:
            return
        seconds = (when - self.switch_at).total_seconds()
        if 0.0 < seconds <= _LAMP_SETTLE_SECONDS:
            step = illuminance - self.switch_from
            if not self.light_on:
                step = -step
            if step > 0.0:
                self.lamp_switches += 1
                rate = max(1.0 / self.lamp_switches, 0.2)
                self.lamp_lux += rate * (step - self.lamp_lux)
        if seconds != 0.0:
            self.switch_at = self.switch_from = None

    def _ambient(self, illuminance: float | None) -> float | None:
        """Illuminance without our own lamp: what daylight alone gives."""
        level = self.illuminance if illuminance is None else illuminance
        if level is None:
            return None
        lit = self.light_on
        if self.switch_at is not None:
            # No reading since the last switch: the sensor saw the lamp the other
            # way (a level chosen as it comes on is chosen in the light before).
            lit = not lit
        return max(level - self.lamp_lux, 0.0) if lit else level

    def _learn_threshold(self, level: float, switched_on: bool) -> None:
        """Move the threshold only when a person's switch contradicts it."""
        self.switches += 1
        self.log_threshold = _moved_threshold(
            self.log_threshold,
            level,
            switched_on,
            rate=self.threshold_rate,
            margin=_LUX_MARGIN,
        )

    def _learn_level(
        self,
        when: datetime,
        ambient: float | None,
        brightness: float | None,
        color_temp: float | None,
        lamp: str | None,
    ) -> None:
        period = _period(when)
        tables = [self.cells]
        if lamp is not None and (lamp in self.lamps or len(self.lamps) < MAX_LAMPS):
            tables.append(self.lamps.setdefault(lamp, _new_cells()))
            self._note_choice(when, lamp, brightness, color_temp)
        cells = [
            cell
            for table in tables
            for cell in (
                table[period * _BAND_COUNT + _band(ambient)],
                table[_PERIODS * _BAND_COUNT + period],
            )
        ]
        # A lamp's brightness and colour come one at a time, at the moment of the
        # one change they both belong to: it fades the old ones and counts once.
        new_change = when != self.adjusted_at
        self.adjusted_at = when
        if new_change:
            self.adjustments += 1
        for cell in cells:
            if new_change:
                # Fade old adjustments so a changed habit wins within a few dozen.
                for index in range(4):
                    cell[index] *= 0.97
            if brightness is not None:
                cell[0] += 1.0
                cell[1] += brightness
            if color_temp is not None:
                cell[2] += 1.0
                cell[3] += color_temp
            # Two decimals are plenty for sums of levels and keep the saved state
            # small (eight lamps' cells were half a large zone's 64 KB); rounded
            # here, a restored model is the same model.
            cell[:] = [round(value, 2) for value in cell]

    def _note_choice(
        self,
        when: datetime,
        lamp: str,
        brightness: float | None,
        color_temp: float | None,
    ) -> None:
        """Note the level a person just set ``lamp`` to (one setting at a time)."""
        at, last_brightness, last_color_temp = self.chosen.get(lamp, (when, None, None))
        if not _recent(at, when):
            last_brightness = last_color_temp = None
        self.chosen[lamp] = (
            when,
            last_brightness if brightness is None else brightness,
            last_color_temp if color_temp is None else color_temp,
        )

    def _settle_auto_off(self, when: datetime, *, turned_on: bool) -> None:
        assert self.auto_off_at is not None
        elapsed = (when - self.auto_off_at).total_seconds()
        if elapsed > 2 * self.complaint_window:
            self.quiet_offs += 1
            self.vacancy_delay = max(self.vacancy_delay * self.shorten, self.min_delay)
        elif not turned_on:
            return
        elif self.exits.let_in(self.auto_off_at, when):
            pass  # the door just let someone in: nobody was left in the dark
        elif elapsed <= self.complaint_window:
            self.false_offs += 1
            self.complaint = (when, self.vacancy_delay, True)
            self.vacancy_delay = min(self.vacancy_delay * self.lengthen, self.max_delay)
            self.exits.cut_short(when)
        else:
            # Someone came in unseen by a door. They come in as often within the
            # window before, where they count as a false-off: each takes one
            # back. Someone left in the dark does not wait that long.
            self.arrivals_after_offs += 1
            self.complaint = (when, self.vacancy_delay, False)
            self.vacancy_delay = max(self.vacancy_delay / self.lengthen, self.min_delay)
        self.auto_off_at = None

    def door_opened(self, when: datetime) -> None:
        """Take the zone's door opening: with the light back on, someone let in.

        Sensors report one moment in either order, so the door may come just
        after the light it let someone switch on: the false-off or arrival that
        light counted is taken back, and a false-off's spell cut short too.
        """
        if self.complaint is None:
            return
        came_on, delay, false_off = self.complaint
        self.complaint = None
        if _within_entry(came_on, when.replace(tzinfo=None)):
            if false_off:
                self.false_offs -= 1
                self.exits.uncut()
            else:
                self.arrivals_after_offs -= 1
            self.vacancy_delay = delay

    # -- prediction ------------------------------------------------------------

    def _level(
        self,
        when: datetime,
        ambient: float | None,
        elevation: float | None,
        lamp: str | None = None,
    ) -> tuple[float, float, float]:
        """Brightness, colour temperature and the adjustments behind them.

        The zone's; or ``lamp``'s own, shrunk towards what the zone's other lamps
        were set to (not counting its own adjustments twice): a zone's only lamp
        gets the zone's. Before anything is learned, the colour follows the sun
        at ``elevation`` (°).
        """
        default = (
            self._default_brightness(when),
            _default_color_temp(when, elevation),
            0.0,
        )
        own = self.lamps.get(lamp) if lamp is not None else None
        if lamp is None or own is None:
            return _shrunk(self.cells, when, ambient, default)
        # Faded by other lamps' changes too, the zone's sums may hold less of
        # this lamp than its own do.
        others = [
            [max(zone - mine, 0.0) for zone, mine in zip(cell, cells, strict=True)]
            for cell, cells in zip(self.cells, own, strict=True)
        ]
        brightness, color_temp, weight = _shrunk(
            own, when, ambient, _shrunk(others, when, ambient, default)
        )
        # Set by hand a moment ago: that, not what the habit says.
        at, chosen_brightness, chosen_color_temp = self.chosen.get(
            lamp, (when, None, None)
        )
        if _recent(at, when):
            brightness = brightness if chosen_brightness is None else chosen_brightness
            color_temp = color_temp if chosen_color_temp is None else chosen_color_temp
        return brightness, color_temp, weight

    def _default_brightness(self, when: datetime) -> float:
        """Brightness (%) before anything is learned: dim in the small hours."""
        if hour_of_day(when) < _SMALL_HOURS_END:
            return min(self.default_brightness, _SMALL_HOURS_BRIGHTNESS)
        return self.default_brightness

    def _elevation(self, x: Mapping[str, object]) -> float | None:
        """Return the sun's elevation given in ``x``, else the last one seen."""
        elevation = self._clean(x, Role.SUN_ELEVATION)
        return self.sun.elevation if elevation is None else elevation

    def _by_sun(self, ambient: float | None, elevation: float | None) -> bool:
        """Whether the sun, not the light sensor, says if light is wanted.

        Where no sensor reads, always. Where one came after people taught the sun's
        threshold, until someone first switches by hand while it reads: till then
        its threshold is the default, and would drop what they taught (lamps on
        in a room they kept unlit at noon, or off in one they kept lit).
        """
        if ambient is None:
            return True
        return self.switches == 0 and self.sun.decided(elevation) is not None

    def predict_one(self, when: datetime, x: Mapping[str, object]) -> dict[str, Any]:
        """Return whether light is wanted, and at what brightness and colour.

        ``x`` may hold ``illuminance`` (lx) and ``sun_elevation`` (°); otherwise
        the last ones seen are used. ``daylight`` says how the sun decided, where
        it did (None: it did not). The sun also sets the colour before people
        taught one.
        """
        illuminance = self._clean(x, Role.ILLUMINANCE)
        ambient = self._ambient(illuminance)
        sun = self._elevation(x)
        brightness, color_temp, _ = self._level(when, ambient, sun)
        by_sun = self._by_sun(ambient, sun)
        lamps = {}
        for lamp in self.lamps:
            lamp_brightness, lamp_color_temp, _ = self._level(when, ambient, sun, lamp)
            lamps[lamp] = {
                "brightness": round(lamp_brightness, 1),
                "color_temp": round(lamp_color_temp),
            }
        return {
            "light_on": self.sun.wants_light(sun)
            if ambient is None or by_sun
            else ambient < self.threshold,
            "daylight": self.sun.decided(sun) if by_sun else None,
            "brightness": round(brightness, 1),
            "color_temp": round(color_temp),
            "lamps": lamps,  # each lamp's own level, where people set it
            "vacancy_delay": timedelta(seconds=round(self.vacancy_delay)),
        }

    def predict_proba_one(self, when: datetime, x: Mapping[str, object]) -> float:
        """Return how likely people want light now, from the ambient level."""
        illuminance = self._clean(x, Role.ILLUMINANCE)
        ambient = self._ambient(illuminance)
        if ambient is None:
            return 0.5
        # A logistic curve in log-lux centred on the threshold.
        gap = (self.log_threshold - math.log1p(ambient)) * 4.0
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, gap))))

    def explain(self, when: datetime, x: Mapping[str, object]) -> str:
        """Say which signals drove the lighting answer."""
        illuminance = self._clean(x, Role.ILLUMINANCE)
        ambient = self._ambient(illuminance)
        sun = self._elevation(x)
        brightness, color_temp, weight = self._level(when, ambient, sun)
        if ambient is None:
            light = self.sun.explain(sun)
        elif self._by_sun(ambient, sun):
            light = (
                f"ambient {ambient:.0f} lx, its threshold not yet taught by hand "
                f"(default {self.threshold:.0f} lx), so the sun decides: "
                f"{self.sun.decided(sun)}"
            )
        else:
            wanted = "below" if ambient < self.threshold else "above"
            learned = (
                f"learned threshold {self.threshold:.0f} lx (from "
                f"{_counted(self.switches, 'manual switch', 'manual switches')})"
                if self.switches
                else f"default threshold {self.threshold:.0f} lx (no manual switch yet)"
            )
            light = f"ambient {ambient:.0f} lx is {wanted} the {learned}"
            if self.light_on and self.lamp_lux > 0.0:
                light += f", not counting the lamp's own {self.lamp_lux:.0f} lx"
        start = _period(when) * 24 // _PERIODS
        band = "" if ambient is None else f" when {_BAND_NAMES[_band(ambient)]}"
        level = (
            f"{brightness:.0f} % at {color_temp:.0f} K for {start:02d}-"
            f"{start + 24 // _PERIODS:02d} h{band}, from "
            f"{_counted(self.adjustments, 'manual adjustment', 'manual adjustments')}"
            f" ({weight:.0f} recent here)"
        )
        for lamp in sorted(self.lamps):
            lamp_brightness, lamp_color_temp, _ = self._level(when, ambient, sun, lamp)
            level += f", {lamp} {lamp_brightness:.0f} % at {lamp_color_temp:.0f} K"
        # Until then the light waits longer for people sitting still (the
        # controller's floor): this delay alone would put them in the dark.
        delay = (
            f"vacancy delay {self.vacancy_delay / 60:.0f} min once the room is "
            f"surely empty, after "
            f"{_counted(self.false_offs, 'false-off', 'false-offs')}, "
            f"{_counted(self.arrivals_after_offs, 'arrival', 'arrivals')} "
            "soon after an off and "
            f"{_counted(self.quiet_offs, 'unchallenged off', 'unchallenged offs')}"
        )
        return f"{light}; {level}; {delay}; {self.exits.explain()}"

    def keep_lessons_of(self, other: LightingPreference) -> None:
        """Take what people taught ``other``: levels, threshold and vacancy delay.

        The sun's threshold too. They come from people's own changes, and from
        their complaints about our
        switch-offs, which history cannot tell apart: a replay cannot teach them
        again. What sensors teach (the lamp's light, exits) is learned anew.
        """
        self.cells = [list(cell) for cell in other.cells]
        self.lamps = {
            lamp: [list(cell) for cell in cells] for lamp, cells in other.lamps.items()
        }
        self.log_threshold = other.log_threshold
        self.vacancy_delay = other.vacancy_delay
        self.switches = other.switches
        self.adjustments = other.adjustments
        self.false_offs = other.false_offs
        self.quiet_offs = other.quiet_offs
        self.arrivals_after_offs = other.arrivals_after_offs
        self.sun.threshold = other.sun.threshold
        self.sun.switches = other.sun.switches
        self.sun.bright = other.sun.bright

    def rename_lamp(self, old: str, new: str) -> None:
        """Keep lamp ``old``'s own levels under its new entity id ``new``."""
        if old in self.lamps and new not in self.lamps:
            self.lamps[new] = self.lamps.pop(old)
        if old in self.shown and new not in self.shown:
            self.shown[new] = self.shown.pop(old)
        if old in self.chosen and new not in self.chosen:
            self.chosen[new] = self.chosen.pop(old)

    def keep_lamps(self, sources: Collection[str]) -> None:
        """Forget the lamps not in ``sources``: they left the zone."""
        self.lamps = {
            lamp: cells for lamp, cells in self.lamps.items() if lamp in sources
        }
        self.shown = {
            lamp: last for lamp, last in self.shown.items() if lamp in sources
        }
        self.chosen = {
            lamp: chosen for lamp, chosen in self.chosen.items() if lamp in sources
        }

    # -- state -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data."""
        return {
            "version": VERSION,
            "log_threshold": self.log_threshold,
            "threshold_rate": self.threshold_rate,
            "default_brightness": self.default_brightness,
            "vacancy_delay": self.vacancy_delay,
            "min_delay": self.min_delay,
            "max_delay": self.max_delay,
            "complaint_window": self.complaint_window,
            "lengthen": self.lengthen,
            "shorten": self.shorten,
            "cells": [list(cell) for cell in self.cells],
            "lamps": {
                lamp: [list(cell) for cell in cells]
                for lamp, cells in self.lamps.items()
            },
            # The whole day's sums, which earlier releases read: going back to one
            # keeps the levels people taught.
            "overall": [
                sum(values)
                for values in zip(*self.cells[_PERIODS * _BAND_COUNT :], strict=True)
            ],
            "shown": {lamp: list(last) for lamp, last in self.shown.items()},
            "chosen": {
                lamp: [to_iso(at), brightness, color_temp]
                for lamp, (at, brightness, color_temp) in self.chosen.items()
            },
            "illuminance": self.illuminance,
            "light_on": self.light_on,
            "auto_off_at": to_iso(self.auto_off_at),
            "complaint": None
            if self.complaint is None
            else [to_iso(self.complaint[0]), *self.complaint[1:]],
            "lamp_lux": self.lamp_lux,
            "lamp_switches": self.lamp_switches,
            "switch_at": to_iso(self.switch_at),
            "switch_from": self.switch_from,
            "switches": self.switches,
            "adjustments": self.adjustments,
            "false_offs": self.false_offs,
            "quiet_offs": self.quiet_offs,
            "arrivals_after_offs": self.arrivals_after_offs,
            "bad_values": self.bad_values,
            "exits": self.exits.to_dict(),
            "sun": self.sun.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LightingPreference:
        """Restore a model saved with :meth:`to_dict`."""
        check_version(data, "lighting", VERSION)
        try:
            model = cls(
                threshold_rate=float(data["threshold_rate"]),
                default_brightness=float(data["default_brightness"]),
                vacancy_delay=float(data["vacancy_delay"]),
                min_delay=float(data["min_delay"]),
                max_delay=float(data["max_delay"]),
                complaint_window=float(data["complaint_window"]),
                lengthen=float(data["lengthen"]),
                shorten=float(data["shorten"]),
            )
            model.log_threshold = float(data["log_threshold"])
            # A state saved with "overall", the whole day's average, loads: the
            # hours around each slice are pooled from the slices instead.
            model.cells = _cells_from(data["cells"])
            # Saved before lamps were told apart: each learns its own from now on.
            model.lamps = {
                str(lamp): _cells_from(cells)
                for lamp, cells in data.get("lamps", {}).items()
            }
            # Saved before: what each lamp shows is seen anew.
            model.shown = {
                str(lamp): _shown_from(last)
                for lamp, last in data.get("shown", {}).items()
            }
            model.chosen = {
                str(lamp): (
                    _time(at),
                    from_number(brightness),
                    from_number(color_temp),
                )
                for lamp, (at, brightness, color_temp) in data.get("chosen", {}).items()
            }
            illuminance = data["illuminance"]
            model.illuminance = from_number(illuminance)
            light_on = data["light_on"]
            model.light_on = None if light_on is None else bool(light_on)
            model.auto_off_at = from_iso(data["auto_off_at"])
            complaint = data.get("complaint")  # none kept before doors told
            if complaint is not None:
                came_on, delay, false_off = complaint
                at = from_iso(came_on)
                if at is None:
                    raise ValueError("a false-off has no time")
                model.complaint = (at, float(delay), bool(false_off))
            model.lamp_lux = float(data["lamp_lux"])
            model.lamp_switches = int(data["lamp_switches"])
            model.switch_at = from_iso(data["switch_at"])
            switch_from = data["switch_from"]
            model.switch_from = from_number(switch_from)
            model.switches = int(data["switches"])
            model.adjustments = int(data["adjustments"])
            model.false_offs = int(data["false_offs"])
            model.quiet_offs = int(data["quiet_offs"])
            # Saved before arrivals were told from false-offs: none counted.
            model.arrivals_after_offs = int(data.get("arrivals_after_offs", 0))
            model.bad_values = int(data["bad_values"])
            # Saved before exits were watched: they are learned from now on.
            if "exits" in data:
                model.exits = ExitWatch.from_dict(data["exits"])
            # Saved before the sun stood in for a light sensor: nothing learned.
            if "sun" in data:
                model.sun = SunThreshold.from_dict(data["sun"])
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"corrupt lighting state: {error}") from error
        return model
