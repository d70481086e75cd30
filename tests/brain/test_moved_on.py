"""People moving on: motion elsewhere after a zone's last movement, and who stayed."""

from __future__ import annotations

from datetime import datetime, timedelta
import json

import pytest

from custom_components.aiot_brain.brain.lighting import ExitPool, ExitWatch
from custom_components.aiot_brain.brain.moved_on import MotionMap, MovedOnWatch
from custom_components.aiot_brain.brain.observation import Role

START = datetime(2026, 1, 5, 7)
MINUTE = timedelta(minutes=1)


def _home(*rooms: str) -> dict[str, ExitWatch]:
    """Return a watch for each of ``rooms``, joined in one building.

    Their motion sensors' holds are known (three minutes): until they are, a
    sensor clearing is the last movement it saw, and motion elsewhere during
    its hold is not taken for moving on.
    """
    pool = ExitPool()
    watches = {room: ExitWatch() for room in rooms}
    for room, watch in watches.items():
        watch.join(pool, room)
        watch.holds = {"": (180.0, 20)}
    return watches


Events = list[tuple[datetime, str, float]]


def _seen(events: Events, room: str, when: datetime, minutes: float) -> None:
    """Someone moves in view of ``room``'s sensor from ``when`` for ``minutes``.

    The sensor holds on two minutes after it last saw them.
    """
    events.append((when, room, 1.0))
    events.append((when + (minutes + 2) * MINUTE, room, 0.0))


def _feed(rooms: dict[str, ExitWatch], events: Events) -> None:
    """Give each room its motion sensor's changes, the building's in time order."""
    for when, room, value in sorted(events, key=lambda event: event[0]):
        rooms[room].learn_one(when, Role.MOTION, value)


def _trips(
    rooms: dict[str, ExitWatch],
    count: int,
    *,
    start: datetime = START,
    away: float = 6.0,
    stays_every: int = 0,
) -> datetime:
    """One person goes from the living room to the bathroom and back, ``count`` times.

    They move in the living room for ten minutes, sit still for one, move again,
    and go to the bathroom for ``away`` minutes; back, they go on to the study.
    Every ``stays_every``-th trip
    someone else sits still in the living room and moves again four minutes after
    the first left, while the first moves in the bathroom for a quarter hour.
    Returns when the last trip began.
    """
    events: Events = []
    when = start
    for trip in range(count):
        when = start + trip * timedelta(hours=1)
        _seen(events, "living", when, 10)  # clears at 12
        _seen(events, "living", when + 13 * MINUTE, 2)  # again at 13, clears at 17
        gone = when + 15 * MINUTE  # last seen at 15: in the bathroom at 16
        if stays_every and trip % stays_every == 0:
            _seen(events, "bathroom", gone + MINUTE, 15)
            _seen(events, "living", gone + 4 * MINUTE, 1)
            continue
        _seen(events, "bathroom", gone + MINUTE, away)
        # Back from the bathroom (its sensor clears two minutes later), and on.
        back = gone + (away + 2) * MINUTE
        _seen(events, "living", back, 3)
        _seen(events, "study", back + 8 * MINUTE, 20)
    _feed(rooms, events)
    return when


def test_a_room_one_person_uses_learns_that_moving_on_leaves_it_empty() -> None:
    rooms = _home("living", "bathroom", "study")
    living = rooms["living"]
    last = _trips(rooms, 10)
    # Each trip's two: to the bathroom, settled a while after they came back, and
    # on to the study, an hour before they came back (but the last trip's).
    assert living.moved_on.exits == pytest.approx(18, rel=0.01)
    assert living.moved_on.stayers == 0
    assert living.moved_on_delay() is None  # too few to tell
    assert living.explain().endswith(
        "; the full delay after people moved on to another room: someone stayed "
        "behind after 0 of 18 recent moves, too few to tell"
    )
    last = _trips(rooms, 40, start=last + timedelta(hours=1))
    delay = living.moved_on_delay()
    assert delay is not None
    assert 180.0 <= delay < 600.0
    assert f"; {delay / 60:.0f} min after people moved on to another room: " in (
        living.explain()
    )
    # Gone to the bathroom a moment ago: when they were seen there is told.
    gone = last + timedelta(hours=1)
    _feed(rooms, [(gone, "living", 1.0), (gone + 3 * MINUTE, "bathroom", 1.0)])
    assert living.moved_on_at(gone + 3 * MINUTE) is None  # the sensor here holds on
    _feed(rooms, [(gone + 4 * MINUTE, "living", 0.0)])
    assert living.moved_on_at(gone + 5 * MINUTE) == gone + 3 * MINUTE
    # Motion here again: no one moved on since.
    living.learn_one(gone + 6 * MINUTE, Role.MOTION, 1.0)
    assert living.moved_on_at(gone + 6 * MINUTE) is None


def test_a_room_someone_stays_in_while_another_moves_on_keeps_waiting() -> None:
    rooms = _home("living", "bathroom", "study")
    _trips(rooms, 60, stays_every=4)
    living = rooms["living"]
    # A quarter of the trips, a little faded since.
    assert living.moved_on.stayers == pytest.approx(15, rel=0.1)
    assert living.moved_on.stayers > 0.1 * living.moved_on.exits
    assert living.moved_on_delay() is None
    assert living.explain().endswith(
        "; the full delay after people moved on to another room: someone stayed "
        "behind after 14 of 98 recent moves"
    )


def test_one_stayer_in_many_trips_lengthens_the_wait() -> None:
    alone, family = (
        _home("living", "bathroom", "study"),
        _home("living", "bathroom", "study"),
    )
    _trips(alone, 200)
    _trips(family, 200, stays_every=100)
    short, longer = alone["living"].moved_on_delay(), family["living"].moved_on_delay()
    assert short is not None
    assert longer is not None
    assert short < longer


def test_a_quiet_spell_with_motion_elsewhere_is_not_taken_for_sitting_still() -> None:
    rooms = _home("living", "bathroom", "study")
    living = rooms["living"]
    # Clears at 7, moves again at 9 (still two minutes), clears at 12.
    _feed(rooms, [(START, "living", 1.0), (START + 7 * MINUTE, "living", 0.0)])
    _feed(rooms, [(START + 9 * MINUTE, "living", 1.0)])
    assert living.gaps == 1.0
    # Seen in the bathroom meanwhile, then back: a trip, not a still spell.
    events: Events = [(START + 12 * MINUTE, "living", 0.0)]
    _seen(events, "bathroom", START + 13 * MINUTE, 5)
    events.append((START + 20 * MINUTE, "living", 1.0))
    _feed(rooms, events)
    assert living.gaps == 1.0


def test_motion_back_long_after_moving_on_is_someone_coming_back() -> None:
    rooms = _home("living", "bathroom", "study")
    living = rooms["living"]
    events: Events = []
    _seen(events, "living", START, 5)
    _seen(events, "bathroom", START + 6 * MINUTE, 10)
    _seen(events, "bathroom", START + 30 * MINUTE, 20)  # someone about there
    _seen(events, "living", START + 45 * MINUTE, 5)
    _feed(rooms, events)
    assert living.moved_on.exits == 1
    assert living.moved_on.stayers == 0


def test_the_past_replayed_beside_the_present_tells_nothing_of_moving_on() -> None:
    board = MotionMap()
    board.seen("hall", START + timedelta(days=14), on=True)  # now, live
    board.seen("bathroom", START, on=True)  # the history of another zone
    assert board.first_after("living", START - MINUTE) == START + timedelta(days=14)
    watch = MovedOnWatch()
    watch.join(board, "living")
    # Asked at a moment of that history, nothing had moved on yet.
    assert watch.moved_on(START - MINUTE, START + MINUTE) is None


def test_a_zone_taken_from_the_building_is_no_longer_seen_moving() -> None:
    rooms = _home("living", "bathroom", "study")
    pool = ExitPool()
    rooms["living"].join(pool, "living")
    rooms["bathroom"].join(pool, "bathroom")
    _feed(rooms, [(START, "bathroom", 1.0)])
    assert pool.motion.seen_elsewhere("living", START, START + MINUTE)
    pool.remove("bathroom")
    assert not pool.motion.seen_elsewhere("living", START, START + MINUTE)


def test_what_moving_on_taught_survives_a_restart() -> None:
    rooms = _home("living", "bathroom", "study")
    _trips(rooms, 50, stays_every=25)
    living = rooms["living"]
    saved = json.loads(json.dumps(living.to_dict()))
    restored = ExitWatch.from_dict(saved)
    restored.join(ExitPool(), "living")
    assert restored.moved_on.exits == living.moved_on.exits
    assert restored.moved_on.stayers == living.moved_on.stayers
    assert restored.moved_on_delay() == living.moved_on_delay()
    # Saved before people moving on were watched: learnt from now on.
    del saved["moved_on"]
    assert ExitWatch.from_dict(saved).moved_on.exits == 0.0


@pytest.mark.parametrize(
    "counts", [{"exits": 3.0, "stayers": 5.0}, {"exits": "many", "stayers": 0}, {}]
)
def test_corrupt_moving_on_counts_are_refused(counts: dict[str, object]) -> None:
    saved = ExitWatch().to_dict()
    saved["moved_on"] = counts
    with pytest.raises(ValueError, match="corrupt exit state"):
        ExitWatch.from_dict(saved)
