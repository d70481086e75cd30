"""Routine statistics look like the scenarios say."""

from __future__ import annotations

from datetime import timedelta
from statistics import mean

import pytest

from simulator import Building, load_scenario
from simulator.occupants import ASLEEP, AWAKE, AWAY

DAY = 1440


def _timelines(
    name: str, days: int, seed: int = 0
) -> tuple[Building, list[list[tuple[int, int]]]]:
    """Per person, (zone, activity) for every minute of ``days`` days (no physics)."""
    building = Building(load_scenario(name), seed=seed)
    minutes = days * DAY
    result: list[list[tuple[int, int]]] = [[] for _ in building.occupants]
    for day in range(days):
        building._load_day(day)
        for minute in range(day * DAY, (day + 1) * DAY):
            for person in building.occupants:
                segments = person.segments
                while not segments or segments[0][0] <= minute:
                    if segments:
                        segments.popleft()
                    if not segments:
                        person.plan_resident_day()
                _, zone, activity = segments[0]
                result[person.index].append((zone, activity))
    assert all(len(timeline) == minutes for timeline in result)
    return building, result


def _first(
    timeline: list[tuple[int, int]], day: int, activity: int, after: int = 0
) -> int | None:
    for minute in range(day * DAY + after, (day + 1) * DAY):
        if timeline[minute][1] == activity and timeline[minute - 1][1] != activity:
            return minute - day * DAY
    return None


def test_family_weekday_and_weekend_routines() -> None:
    building, timelines = _timelines("family_home", 28)
    anna = next(p for p in building.occupants if p.spec.name == "Anna")
    timeline = timelines[anna.index]
    start = building.scenario.start
    wake_weekday, wake_weekend, away_at_noon = [], [], []
    for day in range(1, 28):
        weekend = (start + timedelta(days=day)).weekday() >= 5
        kind = anna.day_log[day]
        if kind == "vacation" or anna.day_log[day - 1] == "vacation":
            continue
        wake = _first(timeline, day, AWAKE, after=4 * 60)
        assert wake is not None
        if weekend:
            wake_weekend.append(wake)
        elif kind == "normal":
            wake_weekday.append(wake)
            away_at_noon.append(timeline[day * DAY + 12 * 60][1] == AWAY)
    # Pattern: 06:30 on weekdays, 08:00 at weekends, with 12 min jitter.
    assert mean(wake_weekday) == pytest.approx(390, abs=10)
    assert mean(wake_weekend) == pytest.approx(480, abs=15)
    assert all(away_at_noon)
    # Asleep in her bedroom at 03:00 every night.
    bedroom = building.zone_index["bedroom"]
    for day in range(28):
        if anna.day_log[day] != "vacation" and anna.day_log.get(day - 1) != "vacation":
            assert timeline[day * DAY + 180] == (bedroom, ASLEEP)
    # The public holiday (Tuesday 6 January) is a day at home.
    assert anna.day_log[1] == "holiday"
    assert timeline[DAY + 9 * 60 + 45][1] == AWAKE


def test_people_move_between_zones_at_home() -> None:
    building, timelines = _timelines("family_home", 7)
    for person in building.occupants:
        zones_awake = {
            zone for zone, activity in timelines[person.index] if activity == AWAKE
        }
        assert len(zones_awake) >= 3, person.spec.name


def test_shift_worker_follows_the_rotation() -> None:
    building, timelines = _timelines("apartment", 21)
    (timeline,) = timelines
    sam = building.occupants[0]
    for day in range(21):
        pattern = sam.spec.rotation[day]
        if sam.day_log[day] != "normal":
            continue
        if pattern == "early":
            assert timeline[day * DAY + 10 * 60][1] == AWAY
            assert timeline[day * DAY + 18 * 60][1] == AWAKE
        elif pattern == "late":
            assert timeline[day * DAY + 18 * 60][1] == AWAY
            assert timeline[day * DAY + 10 * 60][1] == AWAKE
        elif pattern == "night" and day + 1 < 21:
            # Out at 02:00 the next morning, asleep at noon the next day.
            assert timeline[(day + 1) * DAY + 2 * 60][1] == AWAY
            assert timeline[(day + 1) * DAY + 12 * 60][1] == ASLEEP


def test_office_has_business_hours_and_meetings() -> None:
    building, timelines = _timelines("office_floor", 14)
    start = building.scenario.start
    rooms = {building.zone_index[room] for room in building.scenario.meetings.rooms}
    present_weekday_11 = []
    for day in range(14):
        weekday = (start + timedelta(days=day)).weekday() < 5
        at_11 = sum(timelines[p][day * DAY + 11 * 60][1] == AWAKE for p in range(30))
        at_3 = sum(timelines[p][day * DAY + 3 * 60][1] != AWAY for p in range(30))
        assert at_3 == 0
        if not weekday:
            assert at_11 == 0
        elif start + timedelta(days=day) not in building.scenario.holidays:
            present_weekday_11.append(at_11)
    # About 1 in 12 takes a day off; nearly everyone else is in at 11:00.
    assert 24 <= mean(present_weekday_11) <= 30
    meeting_minutes = sum(
        1
        for timeline in timelines
        for zone, activity in timeline
        if zone in rooms and activity == AWAKE
    )
    assert meeting_minutes > 14 * 60 * 10  # several person-hours of meetings a workday
    # A public holiday empties the office.
    holiday = (building.scenario.holidays[0] - start).days
    assert (
        sum(timelines[p][holiday * DAY + 11 * 60][1] == AWAKE for p in range(30)) == 0
    )


def test_personal_rhythm_varies_day_to_day() -> None:
    building, timelines = _timelines("family_home", 14)
    wakes = {
        _first(timelines[0], day, AWAKE, after=4 * 60)
        for day in range(1, 14)
        if (building.scenario.start + timedelta(days=day)).weekday() < 5
    }
    assert len(wakes) > 5


def test_family_goes_away_for_a_weekend() -> None:
    building, timelines = _timelines("family_home", 28)
    trip = [
        (first - building.scenario.start).days
        for first, _ in building.occupants[0].spec.vacations
    ]
    first_day = trip[0]
    for person in building.occupants:
        timeline = timelines[person.index]
        for day in range(first_day, first_day + 3):
            assert person.day_log[day] == "vacation"
            assert all(
                activity == AWAY
                for _, activity in timeline[day * DAY : (day + 1) * DAY]
            )
        # Back the next afternoon, and asleep at home that night.
        back = first_day + 3
        assert timeline[back * DAY + 10 * 60][1] == AWAY
        assert timeline[back * DAY + 18 * 60][1] == AWAKE
        assert timeline[(back + 1) * DAY + 3 * 60][1] == ASLEEP
