"""Comfort models: the preferred setpoint and the thermal preference classifier."""

from __future__ import annotations

from datetime import datetime, timedelta
import json
import math
import random

import pytest

from custom_components.aiot_brain.brain.comfort import (
    ComfortPool,
    PreferredSetpoint,
    Season,
    ThermalPreference,
)
from custom_components.aiot_brain.brain.units import FAHRENHEIT

BAD_VALUES = [None, float("nan"), float("inf"), "unavailable", 1e12, -500.0]


def _evening_and_night(model: PreferredSetpoint, days: int = 28) -> None:
    """A person who sets 21.5 °C at 19-22 h and 19 °C at 23-6 h."""
    start = datetime(2026, 1, 5)
    for day in range(days):
        for hour in (19, 20, 21, 22):
            model.learn_one(start + timedelta(days=day, hours=hour), {}, 21.5)
        for hour in (23, 25, 27, 29):  # 23:00, 01:00, 03:00, 05:00
            model.learn_one(start + timedelta(days=day, hours=hour), {}, 19.0)


def test_setpoint_defaults_without_data() -> None:
    model = PreferredSetpoint(heating_default=20.5, cooling_default=25.0)
    winter = datetime(2026, 1, 10, 12)
    assert model.predict_one(winter, {"outdoor_temperature": 2.0}) == 20.5
    assert model.predict_one(winter, {"outdoor_temperature": 30.0}) == 25.0
    assert model.predict_one(winter, {"hvac_mode": -1}) == 25.0
    assert model.predict_one(winter, {"hvac_mode": 1}) == 20.5
    assert model.predict_std_one(winter, {}) > 1.0
    assert "default" in model.explain(winter, {})


def test_setpoint_learns_evening_and_night() -> None:
    model = PreferredSetpoint(heating_default=20.0)
    _evening_and_night(model)
    evening = datetime(2026, 2, 9, 20, 30)
    night = datetime(2026, 2, 10, 2, 0)
    assert model.predict_one(evening, {}) == pytest.approx(21.5, abs=0.2)
    assert model.predict_one(night, {}) == pytest.approx(19.0, abs=0.2)
    # Sure where it has seen labels, less sure at noon where it has none.
    assert model.predict_std_one(evening, {}) < model.predict_std_one(
        datetime(2026, 2, 10, 13), {}
    )
    assert "time of day" in model.explain(night, {})


def test_setpoint_is_unsure_between_hours_that_disagree() -> None:
    # 21.5 °C every evening to 22 h, 19 °C every night from 23 h: each hour is
    # sure of itself, but at 23:00 the estimate lies between the two.
    model = PreferredSetpoint(heating_default=20.0)
    _evening_and_night(model)
    evening = datetime(2026, 2, 9, 20, 30)
    between = datetime(2026, 2, 9, 23, 0)
    assert 19.5 < model.predict_one(between, {}) < 21.0
    assert model.predict_std_one(evening, {}) < 0.4
    assert model.predict_std_one(between, {}) > 1.0
    assert " ± 1." in model.explain(between, {})


def test_setpoint_labels_reach_hours_without_labels_of_their_own() -> None:
    # Turned up in the morning and the afternoon: most likely wanted up all day.
    model = PreferredSetpoint(heating_default=20.0)
    monday = datetime(2026, 1, 5)
    winter = {"outdoor_temperature": 3.0}
    for hour in (9, 14):
        model.learn_one(monday + timedelta(hours=hour), winter, 22.5)
    evening = model.predict_one(monday + timedelta(hours=20), winter)
    assert 20.5 < evening < model.predict_one(monday + timedelta(hours=9), winter)
    # Said so: the evening's own hour has learned nothing.
    assert "changes at other hours +" in model.explain(
        monday + timedelta(hours=20), winter
    )
    # Not in the cooling season, which has learned nothing.
    assert model.predict_one(monday + timedelta(hours=20), {"hvac_mode": -1}) == 24.0


def test_setpoint_learns_outdoor_and_occupancy_effects() -> None:
    model = PreferredSetpoint(heating_default=20.0)
    rng = random.Random(3)
    start = datetime(2026, 1, 5)
    for step in range(400):
        outdoor = rng.uniform(-5.0, 15.0)
        occupied = rng.random() < 0.5
        # Colder outside: a warmer setpoint; away: a lower one.
        setpoint = 21.0 - 0.1 * (outdoor - 5.0) - (0.0 if occupied else 2.0)
        when = start + timedelta(hours=7 * step)
        model.learn_one(
            when,
            {"outdoor_temperature": outdoor, "occupied": float(occupied)},
            setpoint,
        )
    when = datetime(2026, 6, 1, 12)
    cold = model.predict_one(when, {"outdoor_temperature": -5.0, "occupied": 1})
    mild = model.predict_one(when, {"outdoor_temperature": 15.0, "occupied": 1})
    away = model.predict_one(when, {"outdoor_temperature": 5.0, "occupied": 0})
    home = model.predict_one(when, {"outdoor_temperature": 5.0, "occupied": 1})
    assert cold - mild == pytest.approx(2.0, abs=0.4)
    assert home - away == pytest.approx(2.0, abs=0.3)
    explanation = model.explain(when, {"outdoor_temperature": -5.0, "occupied": 0})
    assert "occupancy" in explanation
    assert "outdoor temperature" in explanation
    # The same words on the scale people read: 2 K is 3.6 °F.
    setpoint = model.predict_one(when, {"outdoor_temperature": -5.0, "occupied": 0})
    fahrenheit = model.explain(
        when, {"outdoor_temperature": -5.0, "occupied": 0}, FAHRENHEIT
    )
    assert fahrenheit.startswith(f"{setpoint * 1.8 + 32:.1f} °F ± ")
    assert "(heating default 68.0 °F; " in fahrenheit
    assert "K" not in fahrenheit


def test_setpoint_ignores_and_counts_bad_values() -> None:
    model = PreferredSetpoint()
    when = datetime(2026, 1, 5, 20)
    for bad in BAD_VALUES:
        model.learn_one(when, {}, bad)
    assert model.labels == 0
    assert model.bad_values == len(BAD_VALUES)
    before = model.bad_values
    value = model.predict_one(
        when,
        {"outdoor_temperature": float("nan"), "occupied": 7, "hvac_mode": "x"},
    )
    assert value == 20.0
    assert model.bad_values == before + 3
    model.learn_one(when, {"outdoor_temperature": 1e9}, 21.0)
    assert model.labels == 1
    model.learn_one("evening", {}, 21.0)  # type: ignore[arg-type]
    assert model.labels == 1


def test_setpoint_round_trip() -> None:
    model = PreferredSetpoint(heating_default=19.5, cooling_default=23.0)
    _evening_and_night(model, days=5)
    restored = PreferredSetpoint.from_dict(json.loads(json.dumps(model.to_dict())))
    for hour in range(24):
        when = datetime(2026, 3, 1, hour)
        x = {"outdoor_temperature": 4.0, "occupied": 1}
        assert restored.predict_one(when, x) == model.predict_one(when, x)
        assert restored.predict_std_one(when, x) == model.predict_std_one(when, x)
    assert len(json.dumps(model.to_dict())) < 8192


def test_setpoint_rejects_bad_state() -> None:
    state = PreferredSetpoint().to_dict()
    with pytest.raises(ValueError, match="version"):
        PreferredSetpoint.from_dict({**state, "version": 99})
    with pytest.raises(ValueError, match="corrupt"):
        PreferredSetpoint.from_dict({**state, "effects": [1.0]})
    with pytest.raises(ValueError, match="corrupt"):
        PreferredSetpoint.from_dict({**state, "profile": {"0": [1.0]}})
    with pytest.raises(ValueError, match="corrupt"):
        PreferredSetpoint.from_dict({**state, "profile": {"999": [1.0, 0.0, 0.0]}})
    with pytest.raises(ValueError, match="corrupt"):
        PreferredSetpoint.from_dict({k: v for k, v in state.items() if k != "labels"})
    with pytest.raises(ValueError, match="mapping"):
        PreferredSetpoint.from_dict([])  # type: ignore[arg-type]


def _comfort_stream(
    rng: random.Random, count: int
) -> list[tuple[dict[str, object], str]]:
    """Two buildings whose people like it 2 K apart; warm people want cooler."""
    rows: list[tuple[dict[str, object], str]] = []
    for _ in range(count):
        building = rng.choice(["north", "south"])
        neutral = 23.0 if building == "north" else 25.0
        air = rng.uniform(19.0, 29.0)
        humidity = rng.uniform(30.0, 70.0)
        gap = air - neutral + rng.gauss(0.0, 0.7)
        label = "cooler" if gap > 1.0 else "warmer" if gap < -1.0 else "no change"
        rows.append(({"ta": air, "rh": humidity, "building": building}, label))
    return rows


def test_season_weighs_how_long_the_hvac_heated_and_cooled() -> None:
    season = Season()
    start = datetime(2026, 6, 1)
    assert season.predict_one(start) is None
    for day in range(4):
        # Three hours of heating, then two of cooling: a heating season still ...
        morning = start + timedelta(days=day, hours=6)
        season.learn_one(morning, {"hvac_action": 1.0})
        season.learn_one(morning + timedelta(hours=3), {"hvac_action": -1.0})
        season.learn_one(morning + timedelta(hours=5), {"hvac_action": 0.0})
    assert season.predict_one(start + timedelta(days=4)) == 1.0
    for day in range(4, 6):
        # ... until cooling runs the longer.
        noon = start + timedelta(days=day, hours=12)
        season.learn_one(noon, {"hvac_action": -1.0})
        season.learn_one(noon + timedelta(hours=6), {"hvac_action": 0.0})
    assert season.predict_one(start + timedelta(days=6)) == -1.0


def test_season_follows_the_hvac_again_once_the_clock_is_put_back() -> None:
    season = Season()
    start = datetime(2026, 6, 1)
    for hour in range(4 * 24):
        season.learn_one(start + timedelta(hours=hour), {"hvac_action": 1.0})
    # One reading stamped a year ahead, by a clock put right after it.
    season.learn_one(start + timedelta(days=369), {"hvac_action": 1.0})
    for hour in range(4 * 24, 7 * 24):
        season.learn_one(start + timedelta(hours=hour), {"hvac_action": -1.0})
    assert season.predict_one(start + timedelta(days=7)) == -1.0


def test_season_ignores_bad_values_and_restores_exactly() -> None:
    season = Season(cooling_above=18.0)
    when = datetime(2026, 4, 1)
    for value in BAD_VALUES:
        season.learn_one(when, {"hvac_action": value, "outdoor_temperature": value})
    assert season.predict_one(when) is None
    assert season.bad_values == 2 * len(BAD_VALUES)
    season.learn_one(when, {"outdoor_temperature": 19.0})
    assert season.predict_one(when + timedelta(hours=5)) == -1.0
    restored = Season.from_dict(json.loads(json.dumps(season.to_dict())))
    later = when + timedelta(hours=30)
    assert restored.predict_one(later) == season.predict_one(later)
    assert restored.to_dict() == season.to_dict()


@pytest.mark.parametrize(
    "change",
    [
        {"version": 99},
        {"action": [1.0]},
        {"action": [0.5, 1.0, None]},
        {"outdoor": [None, 1.0, "yesterday"]},
        {"cooling_above": "warm"},
    ],
)
def test_season_rejects_bad_state(change: dict[str, object]) -> None:
    season = Season()
    season.learn_one(datetime(2026, 4, 1), {"hvac_action": 1.0})
    with pytest.raises(ValueError, match="season"):
        Season.from_dict({**season.to_dict(), **change})


def test_preference_learns_and_adapts_per_group() -> None:
    rng = random.Random(7)
    model = ThermalPreference(group_keys=("building",))
    rows = _comfort_stream(rng, 4000)
    correct = 0
    for x, label in rows[:3000]:
        model.learn_one(x, label)
    for x, label in rows[3000:]:
        correct += model.predict_one(x) == label
    assert correct / 1000 > 0.75
    # The same air temperature means different things in the two buildings.
    north = model.predict_proba_one({"ta": 24.5, "rh": 50, "building": "north"})
    south = model.predict_proba_one({"ta": 24.5, "rh": 50, "building": "south"})
    assert north["cooler"] > south["cooler"]
    assert south["warmer"] > north["warmer"]
    assert math.isclose(sum(north.values()), 1.0)
    explanation = model.explain({"ta": 29.0, "rh": 50, "building": "south"})
    assert explanation.startswith("cooler")
    assert "ta (high)" in explanation


def test_preference_group_beats_global_alone() -> None:
    rows = _comfort_stream(random.Random(11), 3000)
    scores = []
    for groups in ((), ("building",)):
        model = ThermalPreference(group_keys=groups)
        hits = 0
        for x, label in rows:
            hits += model.predict_one(x) == label
            model.learn_one(x, label)
        scores.append(hits)
    assert scores[1] > scores[0]


def test_preference_new_group_adapts_within_a_few_votes() -> None:
    model = ThermalPreference(group_keys=("person",))
    rng = random.Random(9)
    for _ in range(2000):
        air = rng.uniform(19.0, 29.0)
        label = "cooler" if air > 25 else "warmer" if air < 21 else "no change"
        model.learn_one({"ta": air, "person": "usual"}, label)
    newcomer = {"ta": 23.0, "person": "chilly"}
    assert model.predict_one(newcomer) == "no change"
    for _ in range(5):
        model.learn_one(newcomer, "warmer")
    assert model.predict_one(newcomer) == "warmer"
    # The others are not moved by the newcomer.
    assert model.predict_one({"ta": 23.0, "person": "usual"}) == "no change"
    assert model.group_labels == {"person=usual": 2000, "person=chilly": 5}


def test_preference_before_data_and_bad_values() -> None:
    model = ThermalPreference(group_keys=("person",))
    assert model.predict_one({"ta": 22.0}) is None
    assert model.predict_proba_one({"ta": 22.0}) == {}
    assert model.explain({"ta": 22.0}) == "no preference learned yet"
    for bad in (None, "", 3, float("nan")):
        model.learn_one({"ta": 22.0}, bad)
    assert model.bad_values == 4
    assert model.classes == []
    model.learn_one(
        {"ta": "warm", "rh": float("inf"), "vel": 1e30, "clo": None, "person": 12.0},
        "warmer",
    )
    assert model.bad_values == 7
    assert model.classes == ["warmer"]
    assert "person=12" in model.group_offsets
    assert model.predict_one({"person": "12"}) == "warmer"


def test_preference_bounds_groups_and_classes() -> None:
    model = ThermalPreference(group_keys=("person",), max_groups=3, max_classes=2)
    for person in range(10):
        model.learn_one({"ta": 20.0 + person, "person": person}, "cooler")
    assert len(model.group_offsets) == 3
    assert set(model.group_offsets) == {"person=7", "person=8", "person=9"}
    model.learn_one({"ta": 20.0}, "warmer")
    model.learn_one({"ta": 20.0}, "no change")
    assert model.classes == ["cooler", "warmer"]
    assert model.bad_values == 1


def test_preference_round_trip() -> None:
    model = ThermalPreference(group_keys=("building",))
    rows = _comfort_stream(random.Random(5), 500)
    for x, label in rows:
        model.learn_one(x, label)
    state = json.loads(json.dumps(model.to_dict()))
    restored = ThermalPreference.from_dict(state)
    for x, _ in rows[:50]:
        assert restored.predict_proba_one(x) == model.predict_proba_one(x)
    # And they keep learning alike.
    for x, label in rows[:20]:
        model.learn_one(x, label)
        restored.learn_one(x, label)
    assert restored.to_dict() == model.to_dict()
    assert len(json.dumps(state)) < 8192


def test_preference_rejects_bad_state() -> None:
    model = ThermalPreference(group_keys=("b",))
    model.learn_one({"ta": 20.0, "b": 1}, "cooler")
    state = model.to_dict()
    with pytest.raises(ValueError, match="version"):
        ThermalPreference.from_dict({**state, "version": 0})
    with pytest.raises(ValueError, match="class count"):
        ThermalPreference.from_dict({**state, "classes": ["a", "b"]})
    with pytest.raises(ValueError, match="feature statistics"):
        ThermalPreference.from_dict({**state, "feature_stats": {"ta": [1.0]}})
    with pytest.raises(ValueError, match="group bookkeeping"):
        ThermalPreference.from_dict({**state, "group_seen": {}})
    with pytest.raises(ValueError, match="corrupt"):
        ThermalPreference.from_dict({**state, "weights": "nonsense"})


def test_a_first_label_is_not_explained_away_by_an_unusual_occupancy() -> None:
    # The model was unsure anyone was there when the person turned the heat up;
    # a moment later it is sure. The person's 22.5 °C must still pull upwards.
    model = PreferredSetpoint(heating_default=20.0, cooling_default=24.0)
    when = datetime(2026, 11, 2, 14, 0)
    model.learn_one(when, {"occupied": 0.2}, 22.5)

    assert model.predict_one(when, {"occupied": 1.0}) > 20.5


def test_a_new_habit_is_followed_within_a_week_of_changes() -> None:
    # Four weeks of 21 °C every evening, then a baby arrives: 22.5 °C. Like the
    # thermostats people know, a handful of changes should do, one should not.
    model = PreferredSetpoint(heating_default=20.0)
    start = datetime(2026, 10, 5, 19)
    winter = {"outdoor_temperature": 3.0, "occupied": 1.0}
    for day in range(28):
        model.learn_one(start + timedelta(days=day), winter, 21.0)
    baby = start + timedelta(days=28)
    model.learn_one(baby, winter, 22.5)
    assert model.predict_one(baby, winter) < 22.0  # one change is no habit yet
    for day in range(1, 7):  # each evening of that week, weekend included
        model.learn_one(baby + timedelta(days=day), winter, 22.5)
    assert model.predict_one(baby + timedelta(days=7), winter) > 22.0


def test_a_habit_changed_at_every_hour_is_followed_from_scattered_changes() -> None:
    # Two months of 21 °C, set once a day at whatever hour, then 22.5 °C the
    # same way. Each hour sees a change about once a fortnight: the hours must
    # learn from each other, or following takes months.
    model = PreferredSetpoint(heating_default=20.0)
    winter = {"outdoor_temperature": 3.0}
    start = datetime(2026, 10, 5)

    def scattered(day: int) -> datetime:
        return start + timedelta(days=day, hours=7 + (day * 7) % 16, minutes=20)

    for day in range(60):
        model.learn_one(scattered(day), winter, 21.0)
    for day in range(60, 90):
        model.learn_one(scattered(day), winter, 22.5)
    after = start + timedelta(days=90)
    hours = [after.replace(hour=hour) for hour in range(7, 23)]
    assert min(model.predict_one(when, winter) for when in hours) > 22.0


def test_a_nights_complaints_move_the_evening_little() -> None:
    # Evenings at 21.5 °C, nights at 18.5 °C, then five weeknights set to 18 °C.
    model = PreferredSetpoint(heating_default=20.0)
    start = datetime(2026, 10, 5)
    for day in range(28):
        model.learn_one(start + timedelta(days=day, hours=19), {}, 21.5)
        model.learn_one(start + timedelta(days=day, hours=23), {}, 18.5)
    for day in range(28, 33):
        model.learn_one(start + timedelta(days=day, hours=23), {}, 18.0)
    evening = start + timedelta(days=35, hours=19)  # a Monday, as they were
    assert model.predict_one(evening + timedelta(hours=4), {}) < 18.3
    assert model.predict_one(evening, {}) > 21.2


def test_a_dial_turned_back_and_forth_teaches_where_it_was_left() -> None:
    # A child turns the dial 21 -> 25 -> 19 -> 22 within a minute: one label, 22.
    start = datetime(2026, 10, 5, 19)
    spun, settled = PreferredSetpoint(), PreferredSetpoint()
    for model in (spun, settled):
        for day in range(3):
            model.learn_one(start + timedelta(days=day), {}, 21.0)
            model.learn_one(start + timedelta(days=day, hours=4), {}, 18.5)
    evening = start + timedelta(days=3)
    for seconds, setpoint in ((0, 25.0), (15, 19.0), (40, 22.0)):
        spun.learn_one(evening + timedelta(seconds=seconds), {}, setpoint)
    settled.learn_one(evening + timedelta(seconds=40), {}, 22.0)
    assert spun.labels == settled.labels == 7
    for when in (evening, evening + timedelta(hours=4)):  # and the hours it spread to
        assert spun.predict_one(when, {}) == settled.predict_one(when, {})
        assert spun.predict_std_one(when, {}) == settled.predict_std_one(when, {})
    # A change minutes later is a second thought, and a label of its own.
    spun.learn_one(evening + timedelta(minutes=5), {}, 22.0)
    assert spun.labels == 8


def test_a_zone_heated_warmer_than_the_rest_is_not_cooled_as_they_are() -> None:
    """An office whose people heat to 22.5 °C, the rest of the floor to 21 °C.

    The rest also cool to 21 °C; this office has only heated. It is not cooled
    down to what the rest want, nor heated as if nothing were known of it.
    """
    pool = ComfortPool()
    rest = PreferredSetpoint(heating_default=21.5, cooling_default=24.5)
    warm = PreferredSetpoint(heating_default=21.5, cooling_default=24.5)
    rest.join(pool, "open plan")
    warm.join(pool, "corner office")
    heating, cooling = {"hvac_mode": 1.0}, {"hvac_mode": -1.0}
    monday = datetime(2026, 5, 4)
    for day in range(10):
        for hour in (9, 11, 14, 16):
            when = monday + timedelta(days=day, hours=hour)
            rest.learn_one(when, heating if hour < 12 else cooling, 21.0)
    noon = monday + timedelta(days=10, hours=12)
    assert rest.predict_one(noon, cooling) == pytest.approx(21.0, abs=0.3)
    # Nothing of its own yet: as the rest.
    assert warm.predict_one(noon, cooling) == pytest.approx(21.0, abs=0.3)

    warm.learn_one(monday + timedelta(days=10, hours=8), heating, 22.5)

    # 1.5 K above the rest when heating: no longer cooled to their 21 °C.
    assert warm.predict_one(noon, cooling) > 21.5
    assert "from 1 manual change (cooling default 24.5 °C; as people set other" in (
        warm.explain(noon, cooling)
    )
    assert "changes when heating +" in warm.explain(noon, cooling)
    # Where only defaults stand for others, they are no one's wish to differ from.
    alone = PreferredSetpoint(heating_default=21.5, cooling_default=24.5)
    alone.learn_one(monday + timedelta(hours=8), heating, 22.5)
    assert alone.predict_one(noon, cooling) == 24.5


def test_the_explanation_names_only_what_moved_the_setpoint() -> None:
    # 22 °C every winter evening at about 0 °C outside; asked on a spring evening
    # at 15 °C, nothing learned of the outdoor temperature moved it: no "-0.0 K".
    model = PreferredSetpoint(heating_default=20.0)
    rng = random.Random(2)
    for day in range(60):
        winter = {"outdoor_temperature": rng.uniform(-3.0, 3.0), "occupied": 1.0}
        model.learn_one(datetime(2026, 12, 1, 19) + timedelta(days=day), winter, 22.0)
    spring = {"outdoor_temperature": 15.0, "occupied": 1.0}
    evening = datetime(2027, 4, 12, 19)

    explanation = model.explain(evening, spring)

    assert explanation.startswith("22.0 °C ± 0.")
    assert "0.0 K" not in explanation
    assert "outdoor" not in explanation
    # Less sure than in winter: the changes were made in other weather.
    assert model.predict_std_one(evening, spring) > model.predict_std_one(
        evening, {"outdoor_temperature": 0.0, "occupied": 1.0}
    )
