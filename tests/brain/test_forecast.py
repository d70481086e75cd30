"""Tests of the occupancy forecast."""

from __future__ import annotations

from collections.abc import Callable
import copy
from datetime import datetime, timedelta
import json
import math
import random

import pytest

from custom_components.aiot_brain.brain import forecast as forecast_module
from custom_components.aiot_brain.brain.forecast import (
    HORIZON_NAMES,
    OccupancyForecast,
)

MONDAY = datetime(2024, 3, 4)
STEP = timedelta(minutes=15)


def office(when: datetime) -> bool:
    """Occupied on weekdays from 8:00 to 17:00."""
    return when.weekday() < 5 and 8 <= when.hour < 17


def trained(weeks: int = 3) -> OccupancyForecast:
    model = OccupancyForecast()
    when = MONDAY
    while when < MONDAY + timedelta(weeks=weeks):
        model.learn_one(when, office(when))
        when += STEP
    return model


def feed(model: OccupancyForecast, start: datetime, end: datetime) -> None:
    when = start
    while when <= end:
        model.learn_one(when, office(when))
        when += STEP


def test_weekday_schedule_is_forecast() -> None:
    model = trained()
    monday = MONDAY + timedelta(weeks=3)
    feed(model, monday, monday + timedelta(hours=7))
    early = model.predict_one(monday + timedelta(hours=7))
    assert early["15min"] < 0.3  # still empty at 7:15
    assert early["2h"] > 0.8  # in at 9:00
    assert early["6h"] > 0.8  # still in at 13:00
    feed(model, monday + timedelta(hours=7, minutes=15), monday + timedelta(hours=13))
    midday = model.predict_one(monday + timedelta(hours=13))
    assert midday["15min"] > 0.9
    assert midday["6h"] < 0.2  # gone by 19:00
    saturday = MONDAY + timedelta(weeks=3, days=5)
    feed(model, monday + timedelta(hours=13, minutes=15), saturday + timedelta(hours=9))
    assert all(
        p < 0.2 for p in model.predict_one(saturday + timedelta(hours=9)).values()
    )


def test_next_arrival_and_departure() -> None:
    model = trained()
    sunday_evening = MONDAY + timedelta(weeks=3) - timedelta(hours=4)
    feed(model, MONDAY + timedelta(weeks=3) - timedelta(days=2), sunday_evening)
    arrival, confidence = model.next_arrival(sunday_evening)
    assert arrival is not None
    assert abs(arrival - (MONDAY + timedelta(weeks=3, hours=8))) <= timedelta(hours=1)
    assert 0.5 <= confidence <= 1.0
    assert model.next_departure(sunday_evening) == (sunday_evening, 1.0)
    monday_morning = MONDAY + timedelta(weeks=3, hours=10)
    feed(model, sunday_evening + STEP, monday_morning)
    departure, confidence = model.next_departure(monday_morning)
    assert departure is not None
    assert abs(departure - (MONDAY + timedelta(weeks=3, hours=17))) <= timedelta(
        hours=1
    )
    assert confidence >= 0.5
    assert model.next_arrival(monday_morning) == (monday_morning, 1.0)


def test_no_arrival_expected_in_an_always_empty_zone() -> None:
    model = OccupancyForecast()
    when = MONDAY
    for _ in range(4 * 24 * 8):
        model.learn_one(when, False)
        when += STEP
    assert model.next_arrival(when) == (None, 0.0)


def test_labels_are_learnt_only_once_due() -> None:
    model = OccupancyForecast()
    model.learn_one(MONDAY, True)
    before = [dict(w) for w in model.weights]
    assert len(model.pending) == len(HORIZON_NAMES)
    model.learn_one(MONDAY + timedelta(minutes=10), True)  # nothing due yet
    assert model.weights == before
    model.learn_one(MONDAY + timedelta(minutes=15), False)  # the 15-minute one is due
    assert model.weights[0] != before[0]
    assert model.weights[1:] == before[1:]
    assert len(model.pending) == 2 * len(HORIZON_NAMES) - 1


def test_evidence_teaches_arrivals() -> None:
    model = OccupancyForecast()
    rng = random.Random(5)
    when = MONDAY
    # Away and home for random spells; activity while still "away" precedes every
    # return, so only the evidence can tell when the next return is.
    for _ in range(120):
        away = rng.randint(2, 12)
        for step in range(away):
            arriving = step == away - 1
            model.learn_one(when, False, {"activity": 1.0 if arriving else 0.0})
            when += STEP
        for _ in range(rng.randint(2, 12)):
            model.learn_one(when, True, {"activity": 1.0})
            when += STEP
    model.learn_one(when, False, {"activity": 0.0})
    assert model.predict_one(when, {"activity": 1.0})["15min"] > 0.5
    assert model.predict_one(when, {"activity": 0.0})["15min"] < 0.5


def test_round_trip_gives_identical_forecasts() -> None:
    model = trained(weeks=2)
    model.learn_one(MONDAY + timedelta(weeks=2), True, {"activity": 0.5})
    data = json.loads(json.dumps(model.to_dict()))
    assert len(json.dumps(data)) < 20_000
    restored = OccupancyForecast.from_dict(data)
    when = MONDAY + timedelta(weeks=2, minutes=5)
    assert restored.changes == model.changes
    assert restored.duration_forecast(when) == model.duration_forecast(when)
    assert restored.predict_one(when) == model.predict_one(when)
    assert restored.next_departure(when) == model.next_departure(when)
    later = when + timedelta(hours=1)
    model.learn_one(later, False)
    restored.learn_one(later, False)
    assert restored.to_dict() == model.to_dict()


def test_the_profile_counts_a_quarter_hours_reports_together() -> None:
    model = OccupancyForecast()
    eight = MONDAY + timedelta(hours=8)
    hour_bin = 8  # Monday 08:00-09:00 in the weekly profile
    model.learn_one(eight, True)
    # The first report of a quarter hour counts at once.
    assert model.week.total[hour_bin] == 1.0
    assert model.week.occupied[hour_bin] == 1.0
    profile = model.profile(eight)
    for minute in range(1, 15):
        model.learn_one(eight + timedelta(minutes=minute), False)
    # The later ones wait for the next quarter hour: the schedule stands meanwhile.
    assert model.week.total[hour_bin] == 1.0
    assert model.profile(eight + timedelta(minutes=14)) == profile
    model.learn_one(eight + timedelta(minutes=15), False)
    # Then all of them count, none lost: 15 more minutes of a 30-minute bin.
    assert model.week.total[hour_bin] == pytest.approx(1.5, abs=0.03)
    assert model.week.occupied[hour_bin] == pytest.approx(1.0, abs=0.03)
    assert model.profile(eight) < profile


def test_round_trip_within_a_quarter_hour_counts_the_same() -> None:
    model = OccupancyForecast()
    when = MONDAY
    while when < MONDAY + timedelta(days=8, hours=8, minutes=7):
        model.learn_one(when, office(when))
        when += timedelta(minutes=1)
    assert model.profile_batch is not None
    assert model.profile_batch[3] > 0.0  # reports of this quarter hour wait
    restored = OccupancyForecast.from_dict(json.loads(json.dumps(model.to_dict())))
    while when < MONDAY + timedelta(days=8, hours=9):
        for each in (model, restored):
            each.learn_one(when, office(when))
        assert restored.predict_one(when) == model.predict_one(when)
        when += timedelta(minutes=1)
    assert restored.to_dict() == model.to_dict()


def test_forecasts_remembered_between_quarter_hours_never_go_stale() -> None:
    # Each minute's forecast reuses what changes only with the quarter hour; a
    # restored model remembers nothing, so it must say the same at every moment.
    rng = random.Random(7)
    model = OccupancyForecast()
    # Started off the quarter hour, so forecasts fall due, and the mix learns,
    # between quarter hours too.
    when, occupied = MONDAY + timedelta(minutes=7), False
    while when < MONDAY + timedelta(days=10):
        if rng.random() < 0.02:
            occupied = not occupied
        activity = {"activity": rng.random()}
        model.learn_one(when, occupied, activity)
        forecast = model.predict_one(when, activity)
        if when >= MONDAY + timedelta(days=7) and when.minute % 7 == 0:
            restored = OccupancyForecast.from_dict(model.to_dict())
            assert restored.predict_one(when, activity) == forecast, when
        when += timedelta(minutes=1)


def test_from_dict_rejects_unknown_or_corrupt_state() -> None:
    with pytest.raises(ValueError, match="version"):
        OccupancyForecast.from_dict({"version": 99})
    with pytest.raises(ValueError, match="version"):
        OccupancyForecast.from_dict("nope")  # type: ignore[arg-type]
    state = OccupancyForecast().to_dict()
    state["week"] = [[0.0], [0.0]]
    with pytest.raises(ValueError, match="bins"):
        OccupancyForecast.from_dict(state)
    state = OccupancyForecast().to_dict()
    state["weights"] = state["weights"][:2]
    with pytest.raises(ValueError, match="horizons"):
        OccupancyForecast.from_dict(state)
    state = OccupancyForecast().to_dict()
    del state["pending"]
    with pytest.raises(ValueError, match="corrupt"):
        OccupancyForecast.from_dict(state)
    for batch in ([1, 2], 5, [1, 2, "x", 0.5]):
        state = OccupancyForecast().to_dict()
        state["profile_batch"] = batch
        with pytest.raises(ValueError, match="corrupt"):
            OccupancyForecast.from_dict(state)


def test_state_that_reads_but_could_not_run_is_rejected() -> None:
    """Shapes and ranges too: a damaged file resets the zone at once, rather than
    restoring a model that raises at every forecast after."""
    saved = json.loads(json.dumps(trained().to_dict()))
    assert saved["pending"]
    damages = {
        "one state's transitions": lambda state: state["transitions"][0].pop(),
        "one state's daily ones": lambda state: state["daily_transitions"][2].pop(),
        "no such horizon": lambda state: state["pending"][0].__setitem__(1, 7),
        "no such state": lambda state: state["pending"][0].__setitem__(2, 2),
        "no such hour": lambda state: state["pending"][0].__setitem__(3, 48),
        "a negative sum": lambda state: state["squared_gradients"][0].__setitem__(
            "state", -1.0
        ),
        # Saved in hundredths again, it would not fit a 64-bit integer.
        "a count far below zero": lambda state: state["transitions"][0][0][
            1
        ].__setitem__(3, -1e308),
    }
    for damage, apply in damages.items():
        state = copy.deepcopy(saved)
        apply(state)
        try:
            OccupancyForecast.from_dict(state)
        except ValueError:
            continue
        pytest.fail(f"read without a word: {damage}")
    OccupancyForecast.from_dict(saved)  # undamaged, it reads


def test_bad_values_are_ignored_and_counted() -> None:
    model = OccupancyForecast()
    model.learn_one(MONDAY, True)
    for label in (None, math.nan, "maybe", 0.5, math.inf):
        model.learn_one(MONDAY + STEP, label)
    model.learn_one("tomorrow", True)  # type: ignore[arg-type]
    model.learn_one(MONDAY - STEP, True)  # time going backwards
    model.learn_one(MONDAY + STEP, True, {"activity": math.nan, "door": "open"})
    assert model.bad_values == 9
    forecast = model.predict_one(MONDAY + STEP, {"activity": None, "noise": 1e9})
    assert model.bad_values == 11
    assert set(forecast) == set(HORIZON_NAMES)
    assert all(0.0 < p < 1.0 for p in forecast.values())


def test_predict_proba_and_explanations() -> None:
    model = trained()
    when = MONDAY + timedelta(weeks=3)
    feed(model, when, when + timedelta(hours=10))
    proba = model.predict_proba_one(when + timedelta(hours=10))
    assert proba["1h"][True] == pytest.approx(1.0 - proba["1h"][False])
    text = model.explain(when + timedelta(hours=10), "15min")
    assert text.startswith("In 15min:")
    assert "occupied now" in text
    long = model.explain(when + timedelta(hours=10), "6h")
    assert "usually" in long or "usual" in long
    with pytest.raises(ValueError, match="horizon"):
        model.explain(when, "3h")


def test_untrained_model_is_unsure() -> None:
    forecast = OccupancyForecast().predict_one(MONDAY)
    assert all(0.2 < p < 0.8 for p in forecast.values())


def errands(when: datetime) -> bool:
    """Out all day on odd days, out for lunch only on even days."""
    day = (when - MONDAY).days
    if day % 2:
        return not 8 <= when.hour < 17
    return not 11 <= when.hour < 13


def test_duration_model_tells_a_long_absence_from_an_errand() -> None:
    model = OccupancyForecast()
    when = MONDAY
    end = MONDAY + timedelta(days=14, hours=12)
    while when <= end:
        model.learn_one(when, errands(when))
        when += STEP
    # Day 14 (even): out since 11:00, so back at 13:00.
    errand = model.duration_forecast(end)
    # Day 15 (odd) at noon: out since 08:00, so out until 17:00.
    day_out = MONDAY + timedelta(days=15, hours=12)
    while when <= day_out:
        model.learn_one(when, errands(when))
        when += STEP
    long_absence = model.duration_forecast(day_out)
    two_hours = HORIZON_NAMES.index("2h")
    assert errand[two_hours] > 0.6
    assert long_absence[two_hours] < 0.3
    # The same hour, the same state: only how long it has lasted tells them apart.
    assert model.predict_one(day_out)["2h"] < 0.3


def test_a_closure_once_over_does_not_keep_mondays_empty() -> None:
    # Closed for two weeks (a holiday): the Mondays in it had nobody come at
    # 08:00 after a weekend, as a Monday after a weekend looks. Once it is over,
    # the next Monday is warmed for 08:00 as before it.
    closure = (MONDAY + timedelta(weeks=4), MONDAY + timedelta(weeks=6))

    def closed_two_weeks(when: datetime) -> bool:
        return office(when) and not closure[0] <= when < closure[1]

    model = OccupancyForecast()
    monday = closure[1] + timedelta(weeks=1, hours=6)
    when = MONDAY
    while when <= monday:
        model.learn_one(when, closed_two_weeks(when))
        when += STEP
    arrival, confidence = model.next_arrival(monday)
    assert arrival == monday.replace(hour=8)
    assert confidence >= 0.6  # confident enough to pre-heat
    assert model.predict_one(monday)["2h"] > 0.5


def test_duration_model_learns_only_outcomes_already_seen() -> None:
    model = OccupancyForecast()
    when = MONDAY
    for _ in range(8):  # two hours home, then away from 02:00
        model.learn_one(when, True)
        when += STEP
    model.learn_one(when, False)
    # No moment has a known outcome 6 h on: the estimate is its prior alone.
    assert model.duration_forecast(when)[-1] == 0.5
    priors = (0.2,) * len(HORIZON_NAMES)
    assert model.duration_forecast(when, priors)[-1] == pytest.approx(0.2)
    assert OccupancyForecast().duration_forecast(when) == (0.5,) * len(HORIZON_NAMES)


def test_forecast_leans_on_the_better_of_mix_and_duration_model() -> None:
    model = OccupancyForecast()
    model.learning_rate = 0.0  # a mix that never learns: always 50 %
    for weights in model.weights:
        weights.clear()
    when = MONDAY
    while when < MONDAY + timedelta(days=10):
        model.learn_one(when, errands(when))
        when += STEP
    six_hours = HORIZON_NAMES.index("6h")
    assert model.mix_share(six_hours) < 0.1
    forecast = model.predict_one(when)["6h"]
    assert forecast == pytest.approx(model.duration_forecast(when)[six_hours], abs=0.1)
    assert "went on before" in model.explain(when, "6h")


def test_version_1_state_restores_without_history() -> None:
    data = trained(weeks=1).to_dict()
    data["version"] = 1
    del data["changes"], data["losses"]
    restored = OccupancyForecast.from_dict(data)
    assert restored.changes == []
    assert restored.losses == [[0.0, 0.0]] * len(HORIZON_NAMES)
    when = MONDAY + timedelta(weeks=1)
    assert set(restored.predict_one(when)) == set(HORIZON_NAMES)


def test_history_is_bounded() -> None:
    model = OccupancyForecast()
    when = MONDAY
    for step in range(4 * 24 * 60):  # 60 days, a change every quarter hour
        model.learn_one(when, step % 2 == 0)
        when += STEP
    assert len(model.changes) <= 400
    assert len(json.dumps(model.to_dict())) < 20_000


def test_corrupt_history_is_rejected() -> None:
    data = trained(weeks=1).to_dict()
    minute, state, gaps = data["changes"]
    data["changes"] = [minute, state, [*gaps, -5]]
    with pytest.raises(ValueError, match="corrupt"):
        OccupancyForecast.from_dict(data)


def test_duration_model_knows_a_change_within_the_quarter_hour() -> None:
    model = OccupancyForecast()
    when = MONDAY
    while when < MONDAY + timedelta(days=7, hours=10):
        model.learn_one(when, True)
        when += STEP
    assert model.duration_forecast(when)[0] > 0.9  # home, as always
    left = when + timedelta(minutes=5)
    model.learn_one(left, False)
    # The first absence ever: no past one to go by, so the prior alone.
    assert model.duration_forecast(left)[0] == pytest.approx(0.5)


def test_a_blip_within_the_minute_keeps_the_history_valid() -> None:
    model = trained(weeks=1)
    when = MONDAY + timedelta(weeks=1, hours=3)
    model.learn_one(when, True)
    changes = list(model.changes)
    model.learn_one(when + timedelta(seconds=20), False)
    model.learn_one(when + timedelta(seconds=40), True)
    assert model.changes == changes  # the blip left no trace
    restored = OccupancyForecast.from_dict(json.loads(json.dumps(model.to_dict())))
    assert restored.changes == model.changes
    fresh = OccupancyForecast()
    fresh.learn_one(when, True)
    fresh.learn_one(when + timedelta(seconds=30), False)
    assert fresh.changes == [(fresh.changes[0][0], 0)]


@pytest.mark.parametrize(
    "pattern",
    [
        lambda when: False,  # a storeroom: nothing to find in a week
        lambda when: True,  # a server room: never empty
        office,
        lambda when: when.weekday() == 2 and when.hour == 14,  # one weekly meeting
    ],
)
def test_a_scan_that_stops_early_finds_what_a_whole_week_finds(
    pattern: Callable[[datetime], bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    model = OccupancyForecast()
    start = datetime(2026, 1, 5)
    for minute in range(8 * 24 * 60):
        when = start + timedelta(minutes=minute)
        model.learn_one(when, pattern(when))
    end = start + timedelta(days=8)
    moments = [end + timedelta(minutes=minutes) for minutes in range(0, 2880, 97)]
    answers = [(model.next_arrival(t), model.next_departure(t)) for t in moments]
    monkeypatch.setattr(forecast_module, "_NO_CROSSING_MARGIN", math.inf)
    assert answers == [
        (model.next_arrival(t), model.next_departure(t)) for t in moments
    ]


def bathroom_mornings(days: int = 14) -> tuple[OccupancyForecast, datetime]:
    """A bathroom used for 12 minutes each morning, starting 06:30-06:50.

    Returns the model and the midnight after its last day.
    """
    model = OccupancyForecast()
    jitter = random.Random(1)
    start = datetime(2026, 1, 5)
    for day in range(days):
        midnight = start + timedelta(days=day)
        visit = midnight + timedelta(hours=6, minutes=30 + jitter.randint(0, 20))
        for minute in range(24 * 60):
            when = midnight + timedelta(minutes=minute)
            model.learn_one(when, visit <= when < visit + timedelta(minutes=12))
    return model, start + timedelta(days=days)


def test_a_short_daily_visit_is_expected_though_never_likely_at_one_moment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model, today = bathroom_mornings()
    early = today + timedelta(hours=5, minutes=30)
    model.learn_one(early, False)

    arrival, confidence = model.next_arrival(early)

    assert arrival is not None
    assert early + timedelta(minutes=45) <= arrival <= early + timedelta(minutes=90)
    assert confidence >= 0.6  # enough to pre-heat, at the default threshold
    # P(occupied) alone never reaches 0.5 that morning: no arrival before noon.
    monkeypatch.setattr(OccupancyForecast, "_soon_arrival", lambda self, when: None)
    by_profile, _ = model.next_arrival(early)
    assert by_profile is None or by_profile > early + timedelta(hours=6)


def test_a_short_daily_visit_is_told_early_for_a_slow_room() -> None:
    # At 03:30 the visit is 3-3.5 hours off: too far for the next arrival, which
    # looks 2 hours ahead, not for the early one a slow room warms for.
    model, today = bathroom_mornings()
    night = today + timedelta(hours=3, minutes=30)
    model.learn_one(night, False)
    arrival, _ = model.next_arrival(night)
    assert arrival is None or arrival > today + timedelta(hours=12)
    told = model.early_arrival(night)
    assert told is not None
    early, confidence = told
    assert today + timedelta(hours=6) <= early <= today + timedelta(hours=7)
    assert confidence >= 0.6
    # Once the next arrival tells it, there is no early one.
    morning = today + timedelta(hours=5, minutes=30)
    model.learn_one(morning, False)
    assert model.next_arrival(morning)[0] is not None
    assert model.early_arrival(morning) is None
    # Nor while someone is there.
    model.learn_one(today + timedelta(hours=6, minutes=40), True)
    assert model.early_arrival(today + timedelta(hours=6, minutes=41)) is None


def test_an_occasional_visit_is_not_expected() -> None:
    """A guest room entered before 09:00 on one morning in four."""
    model = OccupancyForecast()
    start = datetime(2026, 1, 5)
    days = 16
    for day in range(days):
        midnight = start + timedelta(days=day)
        for minute in range(24 * 60):
            when = midnight + timedelta(minutes=minute)
            model.learn_one(when, day % 4 == 0 and 8 <= when.hour < 9)
    early = start + timedelta(days=days, hours=7)
    model.learn_one(early, False)

    arrival, _ = model.next_arrival(early)

    assert arrival is None or arrival > early + timedelta(hours=12)


def test_the_usual_arrival_keeps_its_time_as_it_nears() -> None:
    """Someone home at 17:40 every day: at 17:10 and at 17:32 alike."""
    model = OccupancyForecast()
    start = datetime(2026, 1, 5)
    days = 10
    for day in range(days):
        midnight = start + timedelta(days=day)
        for minute in range(24 * 60):
            when = midnight + timedelta(minutes=minute)
            model.learn_one(when, 17 * 60 + 40 <= minute < 23 * 60)
    today = start + timedelta(days=days)
    expected = today + timedelta(hours=17, minutes=40)
    for minute in range(17 * 60 + 33):
        model.learn_one(today + timedelta(minutes=minute), False)
        if minute in (16 * 60 + 50, 17 * 60 + 10, 17 * 60 + 25, 17 * 60 + 32):
            arrival, confidence = model.next_arrival(today + timedelta(minutes=minute))
            assert arrival is not None
            assert abs(arrival - expected) <= timedelta(minutes=5), minute
            assert confidence >= 0.6


def test_learns_again_once_the_clock_is_put_back() -> None:
    # A clock a day ahead stamps one report, then it is put right: the office
    # works late from then on, and the forecast learns it.
    def working_late(when: datetime) -> bool:
        return when.weekday() < 5 and 8 <= when.hour < 21

    model = trained()
    monday = MONDAY + timedelta(weeks=3)
    model.learn_one(monday + timedelta(days=1, hours=20), False)
    late = monday + timedelta(hours=19)
    before = model.profile(late)
    when = monday
    while when <= monday + timedelta(weeks=1, hours=18):
        model.learn_one(when, working_late(when))
        when += STEP
    assert model.bad_values == 0
    assert model.profile(late) > before + 0.1
    evening = when - STEP
    assert model.predict_one(evening)["15min"] > 0.5
    departure, _ = model.next_departure(evening)
    assert departure is not None
    assert departure > evening
