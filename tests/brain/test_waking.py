"""When people usually get up: learned from the mornings they did."""

from __future__ import annotations

from datetime import datetime, timedelta
import json
import math

import pytest

from custom_components.aiot_brain.brain.waking import (
    AGREEING_MORNINGS,
    KEPT_MORNINGS,
    WakeTimes,
)

MONDAY = datetime(2026, 1, 5)


def up(day: int, hour: int, minute: int = 0) -> datetime:
    """``day`` days after Monday 5 January 2026, at ``hour``:``minute``."""
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


def test_weekdays_and_weekends_are_learned_apart() -> None:
    wake = WakeTimes()
    for day in range(14):  # two weeks: up at 06:30 on weekdays, 08:45 at weekends
        weekend = day % 7 >= 5
        assert wake.learn_one(up(day, 8, 45) if weekend else up(day, 6, 30 + day % 3))
    assert wake.predict_one(up(14, 3)) == up(14, 6, 31)  # the median of the last three
    assert wake.predict_one(up(19, 3)) == up(19, 8, 45)  # a Saturday
    assert wake.explain(up(14, 3)) == "usually up at 06:31 on weekdays"
    assert wake.explain(up(19, 3)) == "usually up at 08:45 on weekend days"


def test_nothing_is_told_before_the_last_mornings_of_a_kind_agree() -> None:
    wake = WakeTimes()
    wake.learn_one(up(0, 6, 30))
    assert wake.explain(up(1, 3)) == (
        "getting up on weekdays not learned yet (1 morning seen)"
    )
    for day in range(1, AGREEING_MORNINGS - 1):
        wake.learn_one(up(day, 6, 30))
    assert wake.predict_one(up(3, 3)) is None
    assert wake.explain(up(3, 3)) == (
        "getting up on weekdays not learned yet (2 mornings seen)"
    )
    # Within an hour of each other: the middle one.
    wake.learn_one(up(2, 6, 0))
    assert wake.predict_one(up(3, 3)) == up(3, 6, 30)
    # A late shift: the last three lie over an hour apart.
    wake.learn_one(up(3, 8, 30))
    assert wake.predict_one(up(4, 3)) is None
    wake.learn_one(up(4, 8, 40))
    assert wake.predict_one(up(7, 3)) is None
    # Once the late shift is the habit, it is told.
    wake.learn_one(up(7, 8, 20))
    assert wake.predict_one(up(8, 3)) == up(8, 8, 30)


def test_the_first_up_counts_and_bad_values_are_ignored_and_counted() -> None:
    wake = WakeTimes()
    assert wake.learn_one(up(0, 6, 30))
    assert not wake.learn_one(up(0, 7, 15))  # the second person up that morning
    for bad in (None, "06:30", math.nan, float("inf"), 10**12, up(0, 5).date()):
        assert not wake.learn_one(bad)
    assert not wake.learn_one(up(-1, 6, 0))  # before the last: a clock put back
    assert wake.mornings == [up(0, 6, 30)]
    assert wake.ignored == 7


def test_the_last_mornings_of_each_kind_are_remembered() -> None:
    wake = WakeTimes()
    for day in range(4 * 7):  # four weeks
        wake.learn_one(up(day, 6))
    weekdays = [m for m in wake.mornings if m.weekday() < 5]
    assert len(weekdays) == KEPT_MORNINGS
    assert weekdays[0] == up(8, 6)  # the second week's Tuesday
    assert len(wake.mornings) - len(weekdays) == 8  # every weekend day


def test_weekdays_do_not_push_out_the_weekends() -> None:
    # Three Saturday and Sunday mornings at 07:30 agree; then three weeks of
    # weekdays, their weekends not seen (a lie-in nobody got up from).
    wake = WakeTimes()
    for day in (5, 6, 12):
        wake.learn_one(up(day, 7, 30))
    for week in range(2, 5):
        for day in range(5):
            wake.learn_one(up(7 * week + day, 6, 30))
    saturday = up(7 * 5 + 5, 3)
    assert wake.predict_one(saturday) == up(7 * 5 + 5, 7, 30)
    restored = WakeTimes.from_dict(json.loads(json.dumps(wake.to_dict())))
    assert restored.predict_one(saturday) == up(7 * 5 + 5, 7, 30)


def test_round_trip_and_corrupt_state() -> None:
    wake = WakeTimes()
    for day in range(5):
        wake.learn_one(up(day, 6, 10 * day))
    wake.learn_one("bad")
    restored = WakeTimes.from_dict(json.loads(json.dumps(wake.to_dict())))
    assert restored.mornings == wake.mornings
    assert restored.ignored == 1
    assert restored.predict_one(up(7, 3)) == wake.predict_one(up(7, 3))
    with pytest.raises(ValueError, match="unknown wake times state version"):
        WakeTimes.from_dict({"version": 99, "mornings": []})
    with pytest.raises(ValueError, match="corrupt wake times"):
        WakeTimes.from_dict({"version": 1, "mornings": ["yesterday"]})
    with pytest.raises(ValueError, match="out of order"):
        WakeTimes.from_dict(
            {"version": 1, "mornings": [up(1, 6).isoformat(), up(0, 6).isoformat()]}
        )
    with pytest.raises(ValueError, match="corrupt wake times"):
        WakeTimes.from_dict({"version": 1})
