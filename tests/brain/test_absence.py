"""Absences: how long everyone is usually away, and when an absence is a trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from zoneinfo import ZoneInfo

import pytest

from custom_components.aiot_brain.brain.absence import (
    ABSENCES_KEPT,
    TRIP_UNLEARNED,
    Absences,
)
from custom_components.aiot_brain.brain.observation import Observation, Role
from custom_components.aiot_brain.brain.zone import ZoneBrain

MONDAY = datetime(2026, 1, 5)


def working_days(absences: Absences, days: int, hours: float = 9.0) -> datetime:
    """Everyone out from 08:00 for ``hours`` each day; return the next morning."""
    for day in range(days):
        left = MONDAY + timedelta(days=day, hours=8)
        absences.learn_one(left, True)
        absences.learn_one(left + timedelta(hours=hours), False)
    return MONDAY + timedelta(days=days, hours=8)


def test_an_absence_far_longer_than_usual_is_a_trip() -> None:
    absences = Absences()
    left = working_days(absences, 14)
    assert absences.trip_after() == timedelta(hours=13.5)  # 1.5 x the usual 9 h
    absences.learn_one(left, True)
    # A late evening is still no trip; the night through is.
    assert absences.predict_one(left + timedelta(hours=13)) is None
    assert absences.predict_one(left + timedelta(hours=14)) == left
    assert "everyone away since Mon 08:00, a trip" in absences.explain(
        left + timedelta(hours=14)
    )
    # A phone that says "away" again changes nothing; someone home ends it.
    absences.learn_one(left + timedelta(hours=20), True)
    assert absences.predict_one(left + timedelta(hours=21)) == left
    absences.learn_one(left + timedelta(days=3), False)
    assert absences.predict_one(left + timedelta(days=3, hours=1)) is None
    # The trip itself is one long absence among short ones: the usual stays.
    assert absences.trip_after() == timedelta(hours=13.5)


def test_an_absence_begun_the_night_the_clocks_go_forward_is_said_by_the_clocks() -> (
    None
):
    """The core's clock eases over the change; the reason tells the clocks' time."""
    berlin = ZoneInfo("Europe/Berlin")
    zone = ZoneBrain()
    # 01:40 winter time; at 02:00 the clocks go forward to 03:00.
    left = datetime(2026, 3, 29, 0, 40, tzinfo=UTC).astimezone(berlin)
    zone.learn_one(Observation(Role.NOBODY_HOME, 1.0, left))

    reason = zone.predict_one(left + timedelta(hours=3)).reasons["absence"]
    assert reason.startswith("everyone away since Sun 01:40, not yet a trip")


def test_someone_seen_meanwhile_is_no_trip_here() -> None:
    absences = Absences()
    left = working_days(absences, 14)
    absences.learn_one(left, True)
    # The last one out, seen on the way to the door before the phone said "away".
    absences.learn_seen(left + timedelta(minutes=5))
    assert absences.predict_one(left + timedelta(hours=14)) == left
    # A child without a phone, seen in the evening: nobody has gone on a trip.
    absences.learn_seen(left + timedelta(hours=10))
    assert absences.predict_one(left + timedelta(hours=14)) is None
    assert "someone was seen here since" in absences.explain(left + timedelta(hours=14))
    restored = Absences.from_dict(json.loads(json.dumps(absences.to_dict())))
    assert restored.predict_one(left + timedelta(hours=14)) is None
    # The next absence starts afresh.
    absences.learn_one(left + timedelta(days=1), False)
    later = left + timedelta(days=2)
    absences.learn_one(later, True)
    assert absences.predict_one(later + timedelta(hours=14)) == later


def test_before_ten_absences_a_day_and_a_night_away_is_a_trip() -> None:
    absences = Absences()
    left = working_days(absences, 9, hours=3.0)
    assert absences.trip_after() == TRIP_UNLEARNED
    absences.learn_one(left, True)
    assert absences.predict_one(left + timedelta(hours=23)) is None
    assert absences.predict_one(left + timedelta(hours=24)) == left
    assert "until 10 absences are seen (9 so far)" in absences.explain(left)


def test_errands_do_not_count_and_only_the_last_absences_are_kept() -> None:
    absences = Absences()
    absences.learn_one(MONDAY, True)
    absences.learn_one(MONDAY + timedelta(minutes=40), False)
    assert absences.hours == []
    assert "no absence of everyone seen yet" in absences.explain(MONDAY)
    working_days(absences, ABSENCES_KEPT + 5)
    assert len(absences.hours) == ABSENCES_KEPT
    assert absences.explain(MONDAY).startswith("someone is home")


def test_round_trip_keeps_the_absence_under_way() -> None:
    absences = Absences()
    left = working_days(absences, 12, hours=7.0)
    absences.learn_one(left, True)
    restored = Absences.from_dict(json.loads(json.dumps(absences.to_dict())))
    later = left + timedelta(hours=11)
    assert restored.predict_one(later) == absences.predict_one(later) == left
    assert restored.hours == absences.hours


@pytest.mark.parametrize(
    "data",
    [
        {"version": 2, "away_since": None, "hours": []},
        {"version": 1, "away_since": "yesterday", "hours": []},
        {"version": 1, "away_since": None, "hours": ["long"]},
        {"version": 1, "hours": []},
        {"version": 1, "away_since": None, "hours": [7.0, "nan"]},
        {"version": 1, "away_since": None, "hours": [-3.0]},
        {"version": 1, "away_since": None, "hours": [], "seen": "no"},
    ],
)
def test_unreadable_state_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="absences"):
        Absences.from_dict(data)
