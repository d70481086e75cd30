"""Thermal model: heating and cooling rates and time to temperature."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import math
import random

import numpy as np
import pytest

from custom_components.aiot_brain.brain.thermal import ThermalModel, ThermalResponse
from custom_components.aiot_brain.brain.units import FAHRENHEIT

START = datetime(2026, 1, 5)


def _simulate(
    model: ThermalModel,
    *,
    loss: float,
    heating_rate: float,
    cooling_rate: float,
    hours: int = 72,
    noise: float = 0.0,
    people: float = 0.0,
) -> None:
    """A zone cycling between heating, idle and cooling, read every 5 minutes.

    People, who add ``people`` K/h, are there every other three hours.
    """
    rng = random.Random(1)
    indoor, step = 18.0, timedelta(minutes=5)
    for index in range(hours * 12):
        when = START + index * step
        outdoor = 5.0 + 5.0 * ((index // 72) % 2)
        phase = (index // 24) % 4  # two hours per phase
        action = {0: 1, 1: 0, 2: -1, 3: 0}[phase]
        occupied = float((index // 36) % 2)
        model.note_occupied(occupied)
        model.learn_one(
            when,
            {
                "temperature": round(indoor + rng.gauss(0.0, noise), 2),
                "outdoor_temperature": outdoor,
                "hvac_action": action,
            },
        )
        drive = heating_rate if action > 0 else cooling_rate if action < 0 else 0.0
        drive += people * occupied
        indoor += (loss * (outdoor - indoor) + drive) * step.total_seconds() / 3600


def test_defaults_before_data() -> None:
    model = ThermalModel()
    answer = model.time_to_temperature(18.0, 21.0, 5.0)
    assert answer.duration is not None
    assert answer.confidence == 0.0
    assert "defaults" in model.explain()
    assert model.predict_one({}) is None
    assert model.predict_one({"temperature": 20.0, "outdoor_temperature": 10.0}) == (
        pytest.approx(0.05 * -10.0)
    )


def test_learns_a_zone_that_heats_two_kelvin_an_hour() -> None:
    model = ThermalModel()
    _simulate(model, loss=0.0, heating_rate=2.0, cooling_rate=-1.0)
    loss, heating_rate, cooling_rate, _, _ = model.coefficients
    assert heating_rate == pytest.approx(2.0, abs=0.1)
    assert cooling_rate == pytest.approx(-1.0, abs=0.1)
    assert loss == pytest.approx(0.0, abs=0.02)
    answer = model.time_to_temperature(18.0, 21.0, 5.0)
    assert answer.duration is not None
    assert answer.duration.total_seconds() / 3600 == pytest.approx(1.5, abs=0.1)
    assert answer.confidence > 0.5
    cooled = model.time_to_temperature(24.0, 22.0, 5.0)
    assert cooled.duration is not None
    assert cooled.duration.total_seconds() / 3600 == pytest.approx(2.0, abs=0.2)
    assert "heats 2.0 K/h" in model.explain()
    assert "heats 3.6 °F/h" in model.explain(FAHRENHEIT)
    assert model.heating_learned
    assert not ThermalModel().heating_learned  # the prior is no room's rate


def test_the_lowest_temperature_heating_recovers_from_in_time() -> None:
    slow = ThermalResponse(loss=0.05, heating_rate=1.1, cooling_rate=-1.5, bias=0.0)
    start = slow.heated_up_from(21.0, 5.0, timedelta(hours=3, minutes=45))
    assert start == pytest.approx(19.76, abs=0.01)
    back = slow.time_to(start, 21.0, 5.0)
    assert back is not None
    assert back.total_seconds() == pytest.approx(3.75 * 3600, abs=1)
    steady = ThermalResponse(loss=0.0, heating_rate=0.4, cooling_rate=-1.0, bias=0.0)
    assert steady.heated_up_from(21.0, 5.0, timedelta(hours=2)) == pytest.approx(20.2)
    # Too cold out for the heating ever to get there: no lower than the target.
    assert slow.heated_up_from(21.0, -15.0, timedelta(hours=4)) == 21.0
    assert slow.heated_up_from(21.0, 200.0, timedelta(hours=4)) is None


def test_drift_to_setback_follows_heat_loss() -> None:
    model = ThermalModel()
    _simulate(model, loss=0.1, heating_rate=3.0, cooling_rate=-2.0, noise=0.02)
    assert model.coefficients[0] == pytest.approx(0.1, abs=0.02)
    # Optimum stop: HVAC off, from 21 to 18 with 5 °C outdoors:
    # t = ln((21 - 5) / (18 - 5)) / 0.1 = 2.08 h.
    drift = model.time_to_temperature(21.0, 18.0, 5.0, hvac_action=0)
    assert drift.duration is not None
    assert drift.duration.total_seconds() / 3600 == pytest.approx(2.08, abs=0.3)
    # Drifting with the HVAC off never reaches a temperature beyond outdoors.
    assert model.time_to_temperature(21.0, 2.0, 5.0, hvac_action=0).duration is None
    # Heating cannot go past its equilibrium: 5 + 3 / 0.1 = 35 °C.
    assert model.time_to_temperature(20.0, 40.0, 5.0).duration is None
    assert model.time_to_temperature(20.0, 20.0, 5.0).duration == timedelta(0)
    rate = model.predict_one(
        {"temperature": 20.0, "outdoor_temperature": 5.0, "hvac_action": 1}
    )
    assert rate == pytest.approx(0.1 * -15.0 + 3.0, abs=0.3)
    # The response a prediction carries times any temperature as the model does.
    response = model.response()
    assert response.loss == pytest.approx(0.1, abs=0.02)
    assert response.time_to(21.0, 18.0, 5.0, hvac_action=0) == drift.duration

    assert response.time_to(20.0, 40.0, 5.0) is None
    assert response.rate(20.0, 5.0, 1, model.occupied) == rate
    # A broken sensor's reading times nothing.
    assert response.time_to(5000.0, 21.0, 5.0) is None
    assert response.time_to(20.0, 21.0, float("nan")) is None


def test_people_warm_the_room_and_empty_rooms_are_timed_without_them() -> None:
    model = ThermalModel()
    _simulate(model, loss=0.05, heating_rate=2.0, cooling_rate=-2.0, people=0.6)
    response = model.response()
    assert response.occupied_gain == pytest.approx(0.6, abs=0.1)
    assert response.heating_rate == pytest.approx(2.0, abs=0.15)
    assert "people add 0.6 K/h" in model.explain()
    empty = model.time_to_temperature(18.0, 21.0, 5.0)
    busy = model.time_to_temperature(18.0, 21.0, 5.0, occupied=1.0)
    assert empty.duration is not None
    assert busy.duration is not None
    # 3 K at about 2 - 0.05 * 14.5 K/h alone, with people 0.6 K/h more.
    assert empty.duration.total_seconds() / 3600 == pytest.approx(2.4, abs=0.25)
    assert busy.duration < empty.duration - timedelta(minutes=20)
    # People slow the cooling down.
    cooled_busy = model.time_to_temperature(24.0, 22.0, 5.0, occupied=1.0).duration
    cooled_empty = model.time_to_temperature(24.0, 22.0, 5.0).duration
    assert cooled_busy is not None
    assert cooled_empty is not None
    assert cooled_busy > cooled_empty
    # Without people in the data, the gain stays at its prior: nothing.
    alone = ThermalModel()
    _simulate(alone, loss=0.05, heating_rate=2.0, cooling_rate=-2.0)
    assert alone.response().occupied_gain == pytest.approx(0.0, abs=0.05)


def test_a_probability_that_is_not_one_is_counted() -> None:
    model = ThermalModel()
    for bad in (float("nan"), -0.1, 1.5, "home", None):
        model.note_occupied(bad)  # type: ignore[arg-type]
    assert model.bad_values == 5
    assert model.occupied == 0.0
    model.note_occupied(0.75)
    assert model.occupied == 0.75


def test_a_room_at_its_equilibrium_never_moves() -> None:
    # Heating holds 0 + 2 / 0.1 = 20 °C at 0 °C outdoors; drifting holds outdoors.
    response = ThermalResponse(loss=0.1, heating_rate=2.0, cooling_rate=-2.0, bias=0.0)
    assert response.time_to(20.0, 22.0, 0.0) is None
    assert response.time_to(5.0, 7.0, 5.0, hvac_action=0) is None
    assert response.time_to(20.0, 18.0, 0.0) is not None  # cooling still gets there


def test_bad_values_are_ignored_and_counted() -> None:
    model = ThermalModel()
    model.learn_one(START, {"temperature": 20.0, "outdoor_temperature": 5.0})
    bad = [None, float("nan"), float("inf"), "unavailable", 500.0]
    for offset, value in enumerate(bad, start=1):
        model.learn_one(
            START + timedelta(minutes=offset),
            {"temperature": value, "outdoor_temperature": value, "hvac_action": value},
        )
    # None means "not reported"; the other four are bad in all three fields.
    assert model.bad_values == 12
    model.learn_one(START - timedelta(minutes=1), {"temperature": 19.0})
    assert model.bad_values == 13
    assert model.temperature == 20.0
    assert sum(model.samples) == 0


def test_times_that_are_not_times_are_counted() -> None:
    model = ThermalModel()
    model.learn_one("now", {"temperature": 20.0})  # type: ignore[arg-type]
    assert model.bad_values == 1
    # Aware and naive times mix on their wall clock.
    model.learn_one(START.replace(tzinfo=UTC), {"temperature": 20.0})
    model.learn_one(START + timedelta(minutes=5), {"temperature": 20.1})
    assert model.bad_values == 1


def test_time_to_temperature_with_bad_inputs() -> None:
    model = ThermalModel()
    for bad in (float("nan"), "warm", None, 1000.0):
        answer = model.time_to_temperature(18.0, bad, 5.0)  # type: ignore[arg-type]
        assert answer == (None, 0.0)
    assert model.bad_values == 4


def test_long_gap_restarts_the_span() -> None:
    model = ThermalModel()
    model.learn_one(START, {"temperature": 20.0, "outdoor_temperature": 5.0})
    model.learn_one(START + timedelta(hours=5), {"temperature": 15.0})
    assert sum(model.samples) == 0
    model.learn_one(START + timedelta(hours=5, minutes=30), {"temperature": 14.8})
    assert sum(model.samples) == 1


def test_round_trip() -> None:
    model = ThermalModel()
    _simulate(model, loss=0.05, heating_rate=1.0, cooling_rate=-1.0, hours=10)
    restored = ThermalModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert restored.time_to_temperature(17.0, 21.0, 0.0) == (
        model.time_to_temperature(17.0, 21.0, 0.0)
    )
    after = START + timedelta(hours=11)
    for copy in (model, restored):
        copy.learn_one(after, {"temperature": 20.0, "hvac_action": 1})
        copy.learn_one(after + timedelta(minutes=20), {"temperature": 20.5})
    assert restored.to_dict() == model.to_dict()
    assert len(json.dumps(model.to_dict())) < 8192


def test_a_model_saved_before_people_counted_restores_with_no_gain() -> None:
    model = ThermalModel()
    _simulate(model, loss=0.05, heating_rate=1.0, cooling_rate=-1.0, hours=10)
    state = model.to_dict()
    older = {
        **{k: v for k, v in state.items() if k not in ("span_occupied", "occupied")},
        "version": 1,
        "prior": state["prior"][:4],
        "coefficients": [*state["coefficients"][:4]],
        "covariance": [row[:4] for row in state["covariance"][:4]],
    }
    restored = ThermalModel.from_dict(json.loads(json.dumps(older)))
    assert restored.coefficients == [*older["coefficients"], 0.0]
    assert restored.covariance[4] == [0.0, 0.0, 0.0, 0.0, 0.25]
    assert all(row[4] == 0.0 for row in restored.covariance[:4])
    # Its empty room is timed as before; from now on it learns what people add.
    before = ThermalResponse(*model.response()[:4])
    assert restored.time_to_temperature(17.0, 21.0, 0.0).duration == (
        before.time_to(17.0, 21.0, 0.0)
    )
    assert restored.to_dict()["version"] == 2


def test_rejects_bad_state() -> None:
    state = ThermalModel().to_dict()
    with pytest.raises(ValueError, match="version"):
        ThermalModel.from_dict({**state, "version": 3})
    with pytest.raises(ValueError, match="version"):
        ThermalModel.from_dict("nonsense")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="corrupt"):
        ThermalModel.from_dict({**state, "coefficients": [1.0]})
    with pytest.raises(ValueError, match="corrupt"):
        ThermalModel.from_dict({**state, "span_start": "not a time"})


def test_a_heat_only_room_keeps_its_estimate_sound_for_weeks() -> None:
    """A cooling rate that is never seen keeps its prior, and nothing blows up.

    Heating and people each excite their terms at their own hours; the
    never-excited cooling rate's variance is held at its bound all the while.
    """
    model = ThermalModel()
    rng = random.Random(7)
    indoor, step = 18.0, timedelta(minutes=5)
    for index in range(60 * 24 * 12):
        when = START + index * step
        hour = when.hour + when.minute / 60
        outdoor = 3.0 + 4.0 * math.sin(2 * math.pi * (hour - 9) / 24)
        heating = 1.0 if indoor < (20.0 if 7 <= hour < 22 else 17.0) else 0.0
        occupied = 1.0 if 8 <= hour < 20 and rng.random() < 0.7 else 0.0
        model.note_occupied(occupied)
        model.learn_one(
            when,
            {
                "temperature": round(indoor + rng.gauss(0.0, 0.05), 1),
                "outdoor_temperature": round(outdoor, 1),
                "hvac_action": heating,
            },
        )
        rate = 0.05 * (outdoor - indoor) + 2.0 * heating + 0.4 * occupied
        indoor += rate * step.total_seconds() / 3600
        covariance = np.array(model.covariance)
        assert np.linalg.eigvalsh((covariance + covariance.T) / 2).min() > -1e-9
    response = model.response()
    assert response.loss == pytest.approx(0.05, abs=0.02)
    assert response.heating_rate == pytest.approx(2.0, abs=0.3)
    assert response.cooling_rate == -1.5  # never seen: its prior
    assert response.occupied_gain == pytest.approx(0.4, abs=0.2)


def _heat(model: ThermalModel, start: datetime, hours: float) -> None:
    """Heat from 18 °C at 2 K/h with 18 °C outdoors, read every 5 minutes."""
    for index in range(int(hours * 12) + 1):
        model.learn_one(
            start + index * timedelta(minutes=5),
            {
                "temperature": 18.0 + 2.0 * index / 12,
                "outdoor_temperature": 18.0,
                "hvac_action": 1,
            },
        )


def test_learns_again_at_once_after_the_clock_is_put_back() -> None:
    # A clock a day ahead (a Raspberry Pi's at boot) stamps one reading, then
    # it is put right: the real readings that follow are all "older".
    model = ThermalModel()
    _heat(model, START, 1.0)
    learned = sum(model.samples)
    model.learn_one(START + timedelta(days=1, hours=1), {"temperature": 20.0})
    _heat(model, START + timedelta(hours=1, minutes=5), 3.0)
    assert model.bad_values == 0
    assert model.temperature == 24.0
    assert sum(model.samples) >= learned + 10
    assert model.response().heating_rate == pytest.approx(2.0, abs=0.2)


def test_readings_a_little_out_of_order_are_still_dropped() -> None:
    model = ThermalModel()
    _heat(model, START, 1.0)
    model.learn_one(START + timedelta(minutes=59, seconds=30), {"temperature": 30.0})
    assert model.bad_values == 1
    assert model.temperature == 20.0
