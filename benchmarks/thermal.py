"""Time to temperature: how well each area's learned heating and cooling is told.

::

    python -m benchmarks.thermal [--scenario family_home] [--days 14] [--seed 0]

Optimum start stands or falls with one number: how long the area takes to reach
the temperature its thermostat is set to. The virtual building (``simulator``)
runs for ``--days`` days with AIoT Brain in charge, learning from the sensors
and thermostats it sees as Home Assistant shows them. Every ``--every`` minutes,
in every area whose thermostat is heating (cooling) at least 0.5 °C below
(above) its target, each model says how long the room will take to get there:

- ``aiot_brain``: the area's learned thermal model (loss to outdoors, heating
  and cooling rates, the gains of the sun and of people) with the area's
  P(occupied) now, as optimum start uses it (there with none: the area is empty);
- ``learned_rate``: a learning thermostat's recovery rate, the mean rise
  (fall) in K/h the area showed over past quarter hours of heating (cooling),
  without regard to the weather;
- ``prior``: AIoT Brain's thermal model before it has learned anything.

Its answer is scored against the minutes until the area's thermometer read the
target, where the target stayed as it was until then (otherwise the moment is
left out). Scoring starts on ``--scored-from-day``. Per model: ``median_abs_error_min``,
``mean_abs_error_min``, ``median_ratio`` (told ÷ taken), ``within_10min`` (share of
moments told to within 10 minutes; no answer counts as a miss) and ``late_share``
(told more than 10 minutes short: a start that late leaves people in the cold).

Prints one JSON object.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
import json
import statistics
from typing import Any

from custom_components.aiot_brain.brain.observation import as_number
from custom_components.aiot_brain.brain.thermal import ThermalModel, ThermalResponse
from simulator.aiot_brain_controller import AiotBrainController
from simulator.building import Building
from simulator.interface import EntityState, View
from simulator.scenario import load_scenario

MINUTES_PER_DAY = 1440
# A room this far from its target is on its way there; nearer, the thermostat's
# own hysteresis decides more than the room.
MIN_GAP = 0.5
# The span over which the recovery rate baseline measures a rise or a fall.
RATE_SPAN = 15
# How fast that baseline follows new spans (share of each new one).
RATE_WEIGHT = 0.1
CLOSE_MINUTES = 10.0
MODELS = ("aiot_brain", "learned_rate", "prior")


@dataclass(slots=True)
class _Moment:
    """A moment on the way to a target, and what each model told then."""

    zone: int
    minute: int
    target: float
    heating: bool
    told: dict[str, float | None]


@dataclass(slots=True)
class _Thermostat:
    """What a thermostat shows: where it heads and what it is doing."""

    target: float | None
    heating: bool
    cooling: bool


def _thermostat(state: EntityState | None) -> _Thermostat | None:
    if state is None:
        return None
    attributes = state.attributes
    action = attributes.get("hvac_action")
    heating, cooling = action == "heating", action == "cooling"
    if state.state == "heat_cool":
        key = "target_temp_low" if heating else "target_temp_high"
        target = as_number(attributes.get(key))
    else:
        target = as_number(attributes.get("temperature"))
    return _Thermostat(target, heating, cooling)


class _RecoveryRate:
    """The learning thermostat's baseline: mean K/h while heating and cooling."""

    def __init__(self) -> None:
        self.rates: dict[bool, float | None] = {True: None, False: None}
        self.span: tuple[int, float, bool] | None = None

    def learn(self, minute: int, temperature: float, thermostat: _Thermostat) -> None:
        running = thermostat.heating or thermostat.cooling
        span = self.span
        if not running or span is None or span[2] != thermostat.heating:
            self.span = (minute, temperature, thermostat.heating) if running else None
            return
        start, start_temperature, heating = span
        if minute - start < RATE_SPAN:
            return
        rate = (temperature - start_temperature) * 60.0 / (minute - start)
        old = self.rates[heating]
        self.rates[heating] = rate if old is None else old + RATE_WEIGHT * (rate - old)
        self.span = (minute, temperature, heating)

    def minutes_to(self, current: float, target: float, heating: bool) -> float | None:
        rate = self.rates[heating]
        if rate is None or rate * (target - current) <= 0:
            return None
        return (target - current) / rate * 60.0


def _minutes(duration: timedelta | None) -> float | None:
    return None if duration is None else duration.total_seconds() / 60.0


def _tell(
    response: ThermalResponse,
    current: float,
    target: float,
    outdoor: float,
    heating: bool,
    *,
    occupied: float = 0.0,
) -> float | None:
    action = 1.0 if heating else -1.0
    return _minutes(response.time_to(current, target, outdoor, action, occupied))


def run(
    scenario_name: str, days: float, seed: int, every: int, scored_from_day: int
) -> dict[str, Any]:
    """Run the building and return the benchmark's JSON object."""
    building = Building(load_scenario(scenario_name), seed=seed)
    controller = AiotBrainController(building.info)
    zones = list(building.info.zones)
    prior = ThermalModel().response()
    baselines = [_RecoveryRate() for _ in zones]
    readings: list[list[float | None]] = [[] for _ in zones]
    targets: list[list[float | None]] = [[] for _ in zones]
    moments: list[_Moment] = []
    scored_from = scored_from_day * MINUTES_PER_DAY
    for minute in range(round(days * MINUTES_PER_DAY)):
        building.step()
        for command in controller.step(building.take_view()):
            building.apply(command)
        view = View(now=building.now, states=building.states, changes=[])
        for index, zone in enumerate(zones):
            ours = controller.zones[zone.zone_id]
            seen = controller.readings(ours, view)
            thermostat = _thermostat(view.states.get(zone.entities.get("climate", "")))
            current, outdoor = seen.temperature, seen.outdoor_temperature
            readings[index].append(current)
            targets[index].append(None if thermostat is None else thermostat.target)
            if thermostat is None or current is None or outdoor is None:
                continue
            baselines[index].learn(minute, current, thermostat)
            target = thermostat.target
            if target is None or minute < scored_from or minute % every:
                continue
            heating = thermostat.heating and target - current >= MIN_GAP
            cooling = thermostat.cooling and current - target >= MIN_GAP
            if not heating and not cooling:
                continue
            told = {
                "aiot_brain": _tell(
                    ours.brain.thermal.response(),
                    current,
                    target,
                    outdoor,
                    heating,
                    occupied=ours.brain.occupancy_probability,
                ),
                "learned_rate": baselines[index].minutes_to(current, target, heating),
                "prior": _tell(prior, current, target, outdoor, heating),
            }
            moments.append(_Moment(index, minute, target, heating, told))
    outcomes = [
        (moment, taken)
        for moment in moments
        if (taken := _taken(moment, readings[moment.zone], targets[moment.zone]))
        is not None
    ]
    return {
        "task": "time_to_temperature",
        "data": {
            "scenario": building.info.name,
            "days": days,
            "seed": seed,
            "scored_from_day": scored_from_day,
            "moments": len(outcomes),
            "heating_moments": sum(moment.heating for moment, _ in outcomes),
            "left_out": len(moments) - len(outcomes),
            "median_taken_min": statistics.median(taken for _, taken in outcomes)
            if outcomes
            else None,
        },
        "models": {
            name: _scores([(moment.told[name], taken) for moment, taken in outcomes])
            for name in MODELS
        },
    }


def _taken(
    moment: _Moment, readings: list[float | None], targets: list[float | None]
) -> int | None:
    """Minutes until the thermometer read the target, or None if it changed first."""
    for minute in range(moment.minute + 1, len(readings)):
        if targets[minute] != moment.target:
            return None
        reading = readings[minute]
        if reading is None:
            continue
        if reading >= moment.target if moment.heating else reading <= moment.target:
            return minute - moment.minute
    return None


def _scores(pairs: list[tuple[float | None, int]]) -> dict[str, float | int | None]:
    answered = [(told, taken) for told, taken in pairs if told is not None]
    if not answered:
        return {"moments": len(pairs), "answered": 0}
    errors = [told - taken for told, taken in answered]
    return {
        "moments": len(pairs),
        "answered": len(answered),
        "median_abs_error_min": round(statistics.median(abs(e) for e in errors), 1),
        "mean_abs_error_min": round(statistics.fmean(abs(e) for e in errors), 1),
        "median_ratio": round(
            statistics.median(told / taken for told, taken in answered), 3
        ),
        "within_10min": round(
            sum(abs(e) <= CLOSE_MINUTES for e in errors) / len(pairs), 4
        ),
        "late_share": round(sum(e < -CLOSE_MINUTES for e in errors) / len(pairs), 4),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line, run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scenario", default="family_home")
    parser.add_argument("--days", type=float, default=14.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--every", type=int, default=10, help="minutes between moments told"
    )
    parser.add_argument("--scored-from-day", type=int, default=3)
    arguments = parser.parse_args(argv)
    if arguments.days <= arguments.scored_from_day:
        parser.error("--days must be more than --scored-from-day")
    if arguments.every < 1:
        parser.error("--every must be at least 1")
    print(
        json.dumps(
            run(
                arguments.scenario,
                arguments.days,
                arguments.seed,
                arguments.every,
                arguments.scored_from_day,
            )
        )
    )


if __name__ == "__main__":
    main()
