"""Speed and state size of each zone model.

    python -m benchmarks.speed [--days 28] [--repeats 2]

A synthetic zone is played minute by minute (by default four weeks: people home in
the mornings and evenings and all weekend, heating under a thermostat, daylight,
lights, CO2, an outdoor temperature cycle). Each model takes one learn-plus-predict
update per minute with the signals it uses; the best of ``--repeats`` runs gives the
updates per second on one core, and the JSON size of each model's state after the
run gives the bytes it needs per zone. Models that are not in the package yet are
skipped with a note. ``zone`` times the whole zone as Home Assistant runs it each
minute (readings, the self-supervised tick and a full prediction with its reasons).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
import importlib
import json
import math
import random
import time
from typing import Any

from custom_components.aiot_brain.brain.anomaly import AnomalyDetector
from custom_components.aiot_brain.brain.comfort import (
    PreferredSetpoint,
    ThermalPreference,
)
from custom_components.aiot_brain.brain.lighting import LightingPreference
from custom_components.aiot_brain.brain.observation import Observation, Role
from custom_components.aiot_brain.brain.thermal import ThermalModel
from custom_components.aiot_brain.brain.zone import ZoneBrain

START = datetime(2026, 1, 5)  # a Monday
STATE_LIMIT = 64 * 1024
TARGET_UPDATES = 20_000


@dataclass(frozen=True, slots=True)
class Minute:
    """What one zone reports in one minute."""

    when: datetime
    occupied: bool
    motion: float
    co2: float
    temperature: float
    humidity: float
    outdoor: float
    illuminance: float
    hvac_action: float
    light_on: float
    setpoint: float
    manual: bool


def synthetic_zone(days: int, seed: int = 1) -> list[Minute]:
    """Return ``days`` of minute readings of one lived-in zone."""
    rng = random.Random(seed)
    minutes: list[Minute] = []
    indoor, co2, light = 19.0, 450.0, 0.0
    for index in range(days * 24 * 60):
        when = START + timedelta(minutes=index)
        hour = when.hour + when.minute / 60.0
        weekend = when.weekday() >= 5
        occupied = (7 <= hour < 23) if weekend else (6.5 <= hour < 8.5 or hour >= 17.5)
        occupied = occupied and hour < 23.5
        setpoint = 21.5 if occupied else 17.0
        outdoor = (
            4.0 + 5.0 * math.sin(2 * math.pi * (hour - 9) / 24) + rng.gauss(0, 0.2)
        )
        action = 1.0 if indoor < setpoint - 0.3 else 0.0
        indoor += (0.05 * (outdoor - indoor) + 2.0 * action) / 60.0
        co2 += (35.0 if occupied else 0.0) / 60.0 * 10 - (co2 - 420.0) * 0.01
        daylight = max(0.0, math.sin(math.pi * (hour - 7.5) / 9.0)) * 600.0
        if occupied and daylight < 60 and light == 0.0:
            light = 1.0
        elif light == 1.0 and (not occupied or daylight > 150):
            light = 0.0
        minutes.append(
            Minute(
                when=when,
                occupied=occupied,
                motion=1.0 if occupied and rng.random() < 0.3 else 0.0,
                co2=round(co2 + rng.gauss(0, 5)),
                temperature=round(indoor + rng.gauss(0, 0.05), 1),
                humidity=round(45 + 5 * math.sin(index / 500) + rng.gauss(0, 0.5), 1),
                outdoor=round(outdoor, 1),
                illuminance=round(daylight + 250.0 * light + rng.gauss(0, 3) + 3, 0),
                hvac_action=action,
                light_on=light,
                setpoint=setpoint + (0.5 if rng.random() < 0.5 else 0.0),
                manual=rng.random() < 0.01,
            )
        )
    return minutes


Step = Callable[[Minute], object]


def _setpoint() -> tuple[Any, Step]:
    model = PreferredSetpoint()

    def step(minute: Minute) -> object:
        x = {"outdoor_temperature": minute.outdoor, "occupied": float(minute.occupied)}
        model.learn_one(minute.when, x, minute.setpoint)
        return model.predict_one(minute.when, x)

    return model, step


def _preference() -> tuple[Any, Step]:
    model = ThermalPreference(group_keys=("person",))

    def step(minute: Minute) -> object:
        x = {
            "ta": minute.temperature,
            "rh": minute.humidity,
            "t_out": minute.outdoor,
            "clo": 0.8,
            "met": 1.1,
            "person": "resident",
        }
        gap = minute.temperature - 21.0
        label = "cooler" if gap > 1 else "warmer" if gap < -1 else "no change"
        prediction = model.predict_one(x)
        model.learn_one(x, label)
        return prediction

    return model, step


def _lighting() -> tuple[Any, Step]:
    model = LightingPreference()

    def step(minute: Minute) -> object:
        model.learn_one(
            minute.when,
            {"illuminance": minute.illuminance, "light_on": minute.light_on},
            manual=minute.manual,
        )
        return model.predict_one(minute.when, {})

    return model, step


def _thermal() -> tuple[Any, Step]:
    model = ThermalModel()

    def step(minute: Minute) -> object:
        model.learn_one(
            minute.when,
            {
                "temperature": minute.temperature,
                "outdoor_temperature": minute.outdoor,
                "hvac_action": minute.hvac_action,
            },
        )
        return model.predict_one({})

    return model, step


def _anomaly() -> tuple[Any, Step]:
    model = AnomalyDetector()

    def step(minute: Minute) -> object:
        when = minute.when
        model.learn_one(Observation(Role.TEMPERATURE, minute.temperature, when, "t1"))
        model.learn_one(Observation(Role.MOTION, minute.motion, when, "motion"))
        if when.minute % 5 == 0:
            model.learn_one(
                Observation(Role.TEMPERATURE, minute.temperature + 0.2, when, "t2")
            )
            model.learn_one(Observation(Role.CO2, minute.co2, when, "co2"))
            model.learn_one(Observation(Role.HVAC_ACTION, minute.hvac_action, when))
        return model.predict_one(when)

    return model, step


def _occupancy() -> tuple[Any, Step]:
    module = importlib.import_module("custom_components.aiot_brain.brain.occupancy")
    model = module.OccupancyModel()

    def step(minute: Minute) -> object:
        when = minute.when
        model.observe(Observation(Role.MOTION, minute.motion, when, "motion"))
        model.observe(Observation(Role.CO2, minute.co2, when, "co2"))
        model.observe(Observation(Role.ILLUMINANCE, minute.illuminance, when, "lux"))
        features = model.features(when)
        probability = model.predict_proba_one(features)
        model.learn_one(features, minute.occupied)
        return probability

    return model, step


def _forecast() -> tuple[Any, Step]:
    module = importlib.import_module("custom_components.aiot_brain.brain.forecast")
    model = module.OccupancyForecast()

    def step(minute: Minute) -> object:
        model.learn_one(minute.when, minute.occupied)
        return model.predict_one(minute.when)

    return model, step


# The zone's models; occupancy and forecast come from their own modules.
MODELS: dict[str, Callable[[], tuple[Any, Step]]] = {
    "occupancy": _occupancy,
    "forecast": _forecast,
    "comfort_setpoint": _setpoint,
    "thermal_preference": _preference,
    "lighting": _lighting,
    "thermal": _thermal,
    "anomaly": _anomaly,
}


def measure(
    make: Callable[[], tuple[Any, Step]], minutes: Sequence[Minute], repeats: int
) -> dict[str, Any]:
    """Best updates per second over ``repeats`` runs, and the final state's size."""
    best = 0.0
    state_bytes = 0
    for _ in range(repeats):
        model, step = make()
        started = time.perf_counter()
        for minute in minutes:
            step(minute)
        elapsed = time.perf_counter() - started
        best = max(best, len(minutes) / elapsed if elapsed > 0 else math.inf)
        state = json.dumps(model.to_dict())
        state_bytes = len(state.encode())
        # The state must restore: a size of something unusable means nothing.
        type(model).from_dict(json.loads(state))
    return {"updates_per_second": round(best), "state_bytes": state_bytes}


def measure_zone(minutes: Sequence[Minute], repeats: int) -> dict[str, Any]:
    """Time the whole zone as HA runs it: its readings, a tick, a prediction.

    Home Assistant predicts every zone each minute on its event loop, so the time
    one zone-minute takes, times the zones, is what a building costs per minute.
    """
    best = 0.0
    for _ in range(repeats):
        zone = ZoneBrain()
        started = time.perf_counter()
        for minute in minutes:
            when = minute.when
            for role, value, source in (
                (Role.MOTION, minute.motion, "motion"),
                (Role.TEMPERATURE, minute.temperature, "temperature"),
                (Role.ILLUMINANCE, minute.illuminance, "lux"),
                (Role.LIGHT_ON, minute.light_on, "light"),
                (Role.HVAC_ACTION, minute.hvac_action, "climate"),
            ):
                zone.learn_one(Observation(role, value, when, source))
            if when.minute % 5 == 0:
                zone.learn_one(Observation(Role.CO2, minute.co2, when, "co2"))
                zone.learn_one(
                    Observation(Role.OUTDOOR_TEMPERATURE, minute.outdoor, when)
                )
            if minute.manual:
                zone.learn_one(
                    Observation(
                        Role.HVAC_SETPOINT,
                        minute.setpoint,
                        when,
                        "climate",
                        manual=True,
                    )
                )
            zone.tick(when)
            zone.predict_one(when)
        elapsed = time.perf_counter() - started
        best = max(best, len(minutes) / elapsed if elapsed > 0 else math.inf)
    return {
        "zone_minutes_per_second": round(best),
        "ms_per_zone_minute": round(1000.0 / best, 3),
    }


def run(days: int = 28, repeats: int = 2) -> dict[str, Any]:
    """Measure every model that exists and return the JSON-ready result."""
    minutes = synthetic_zone(days)
    models: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    for name, make in MODELS.items():
        try:
            models[name] = measure(make, minutes, repeats)
        except (ImportError, AttributeError) as error:
            skipped[name] = f"not available: {error}"
    zone_bytes = sum(result["state_bytes"] for result in models.values())
    return {
        "task": "speed",
        "data": f"synthetic zone, {days} days of minute data ({len(minutes)} updates)",
        "models": models,
        "skipped": skipped,
        "zone_state_bytes": zone_bytes,
        "zone": measure_zone(minutes, repeats),
        "targets": {
            "updates_per_second": TARGET_UPDATES,
            "zone_state_bytes": STATE_LIMIT,
            "all_met": bool(models)
            and zone_bytes <= STATE_LIMIT
            and all(
                result["updates_per_second"] >= TARGET_UPDATES
                for result in models.values()
            ),
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line, run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, default=28, help="days of minute data")
    parser.add_argument("--repeats", type=int, default=2, help="runs; the best counts")
    arguments = parser.parse_args(argv)
    if arguments.days < 1 or arguments.repeats < 1:
        parser.error("--days and --repeats must be at least 1")
    print(json.dumps(run(arguments.days, arguments.repeats)))


if __name__ == "__main__":
    main()
