"""Thermal model: heating and cooling rates and time to temperature."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import math
import random

import numpy as np
import pytest

from custom_components.aiot_brain.brain.daylight import Daylight, Site, sun_height
from custom_components.aiot_brain.brain.thermal import ThermalModel, ThermalResponse
from custom_components.aiot_brain.brain.units import FAHRENHEIT

START = datetime(2026, 1, 5)
EQUATOR = Site(0.0, 0.0)  # a clock that is solar time, and the sun high at noon


def _simulate(
    model: ThermalModel,
    *,
    loss: float,
    heating_rate: float,
    cooling_rate: float,
    hours: int = 72,
    noise: float = 0.0,
    people: float = 0.0,
    sun: float = 0.0,
) -> None:
    """A zone cycling between heating, idle and cooling, read every 5 minutes.

    People, who add ``people`` K/h, are there every other three hours; the sun
    adds ``sun`` K/h times its height over the equator.
    """
    rng = random.Random(1)
    indoor, step = 18.0, timedelta(minutes=5)
    for index in range(hours * 12):
        when = START + index * step
        outdoor = 5.0 + 5.0 * ((index // 72) % 2)
        phase = (index // 24) % 4  # two hours per phase
        action = {0: 1, 1: 0, 2: -1, 3: 0}[phase]
        occupied = float((index // 36) % 2)
        height = sun_height(when, EQUATOR)
        model.note_occupied(occupied)
        model.note_sun(height)
        model.learn_one(
            when,
            {
                "temperature": round(indoor + rng.gauss(0.0, noise), 2),
                "outdoor_temperature": outdoor,
                "hvac_action": action,
            },
        )
        drive = heating_rate if action > 0 else cooling_rate if action < 0 else 0.0
        drive += people * occupied + sun * height
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
    loss, heating_rate, cooling_rate, *_ = model.coefficients
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


def test_the_sun_warms_by_day_and_is_timed_as_it_will_stand() -> None:
    model = ThermalModel()
    _simulate(model, loss=0.05, heating_rate=2.0, cooling_rate=-2.0, sun=1.2)
    assert model.response().sun_gain == pytest.approx(1.2, abs=0.15)
    assert model.response().bias == pytest.approx(0.0, abs=0.1)
    assert "the sun adds up to 1.2 K/h" in model.explain()
    # Cooling 2 K from 24 °C: before dawn the sun does not hold it back; from
    # noon it takes about half the cooling, so twice as long.
    dawn = model.response(Daylight(EQUATOR, datetime(2026, 1, 12, 4, 0)))
    noon = model.response(Daylight(EQUATOR, datetime(2026, 1, 12, 12, 0)))
    before_dawn = dawn.time_to(24.0, 22.0, 20.0)
    from_noon = noon.time_to(24.0, 22.0, 20.0)
    assert before_dawn is not None
    assert from_noon is not None
    assert before_dawn.total_seconds() / 3600 == pytest.approx(1.0, abs=0.15)
    assert from_noon > before_dawn * 1.6
    # Without a site the sun is left out, as at night.
    assert model.response().time_to(24.0, 22.0, 20.0) == pytest.approx(
        before_dawn, abs=timedelta(minutes=5)
    )


def test_the_time_in_sunshine_adds_up_quarter_by_quarter() -> None:
    # 1 K/h from the heater and 1 K/h from a sun that stands straight overhead
    # at noon on the equator in March (its height there is about 1).
    response = ThermalResponse(
        loss=0.0,
        heating_rate=1.0,
        cooling_rate=-1.0,
        bias=0.0,
        sun_gain=1.0,
        daylight=Daylight(EQUATOR, datetime(2026, 3, 20, 11, 30)),
    )
    told = response.time_to(20.0, 21.0, 10.0)
    assert told is not None
    assert told.total_seconds() / 60 == pytest.approx(30.0, abs=1.5)
    # From 17:00 the sun sets within the hour: 2 K take longer than 1 h, less than 2.
    evening = response._replace(daylight=Daylight(EQUATOR, datetime(2026, 3, 20, 17)))
    late = evening.time_to(20.0, 22.0, 10.0)
    assert late is not None
    assert timedelta(hours=1.5) < late < timedelta(hours=2)
    # Beyond a day the day's mean sun carries on: 40 K take more than a day.
    far = evening.time_to(20.0, 60.0, 10.0)
    assert far is not None
    assert timedelta(hours=24) < far < timedelta(hours=40)
    # Cooling that even a sunless room cannot manage is never reached.
    warm = ThermalResponse(0.1, 2.0, -0.5, 1.0, sun_gain=1.0, daylight=evening.daylight)
    assert warm.time_to(30.0, 25.0, 30.0) is None


def test_a_probability_that_is_not_one_is_counted() -> None:
    model = ThermalModel()
    for bad in (float("nan"), -0.1, 1.5, "home", None):
        model.note_occupied(bad)  # type: ignore[arg-type]
        model.note_sun(bad)  # type: ignore[arg-type]
    assert model.bad_values == 10
    assert model.occupied == 0.0
    assert model.sun == 0.0
    model.note_occupied(0.75)
    model.note_sun(0.5)
    assert model.occupied == 0.75
    assert model.sun == 0.5


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
    model.learn_one(START - timedelta(hours=1), {"temperature": 19.0})
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
    _simulate(model, loss=0.05, heating_rate=1.0, cooling_rate=-1.0, hours=10, sun=1)
    assert model.sun > 0.0
    assert model.span_sun > 0.0
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


@pytest.mark.parametrize(
    ("version", "size", "left_out"),
    [
        (1, 4, ("span_occupied", "occupied", "span_sun", "sun")),
        (2, 5, ("span_sun", "sun")),
    ],
)
def test_a_model_saved_before_people_or_sun_counted_restores_without_them(
    version: int, size: int, left_out: tuple[str, ...]
) -> None:
    model = ThermalModel()
    _simulate(model, loss=0.05, heating_rate=1.0, cooling_rate=-1.0, hours=10)
    state = model.to_dict()
    older = {
        **{k: v for k, v in state.items() if k not in left_out},
        "version": version,
        "prior": state["prior"][:4],
        "coefficients": [*state["coefficients"][:size]],
        "covariance": [row[:size] for row in state["covariance"][:size]],
    }
    restored = ThermalModel.from_dict(json.loads(json.dumps(older)))
    assert restored.coefficients == [*older["coefficients"], *[0.0] * (6 - size)]
    assert restored.covariance[5] == [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    assert restored.covariance[4][4] == (
        0.25 if version == 1 else model.covariance[4][4]
    )
    assert all(row[5] == 0.0 for row in restored.covariance[:5])
    # Its empty room is timed as before; from now on it learns what people and
    # the sun add.
    before = ThermalResponse(*restored.response()[:size])
    assert restored.time_to_temperature(17.0, 21.0, 0.0).duration == (
        before.time_to(17.0, 21.0, 0.0)
    )
    assert restored.to_dict()["version"] == 3


def test_rejects_bad_state() -> None:
    state = ThermalModel().to_dict()
    with pytest.raises(ValueError, match="version"):
        ThermalModel.from_dict({**state, "version": 4})
    with pytest.raises(ValueError, match="version"):
        ThermalModel.from_dict("nonsense")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="corrupt"):
        ThermalModel.from_dict({**state, "coefficients": [1.0]})
    with pytest.raises(ValueError, match="corrupt"):
        ThermalModel.from_dict({**state, "span_start": "not a time"})


def test_a_heat_only_room_keeps_its_estimate_sound_for_weeks() -> None:
    """A cooling rate that is never seen keeps its prior, and nothing blows up.

    Heating, the sun and people each excite their terms at their own hours; the
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
        height = sun_height(when, EQUATOR)
        model.note_occupied(occupied)
        model.note_sun(height)
        model.learn_one(
            when,
            {
                "temperature": round(indoor + rng.gauss(0.0, 0.05), 1),
                "outdoor_temperature": round(outdoor, 1),
                "hvac_action": heating,
            },
        )
        rate = 0.05 * (outdoor - indoor) + 2.0 * heating + 0.4 * occupied
        indoor += (rate + 0.8 * height) * step.total_seconds() / 3600
        covariance = np.array(model.covariance)
        assert np.linalg.eigvalsh((covariance + covariance.T) / 2).min() > -1e-9
    response = model.response()
    assert response.loss == pytest.approx(0.05, abs=0.02)
    assert response.heating_rate == pytest.approx(2.0, abs=0.3)
    assert response.cooling_rate == -1.5  # never seen: its prior
    assert response.sun_gain == pytest.approx(0.8, abs=0.3)
