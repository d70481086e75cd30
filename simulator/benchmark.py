"""Run a controller in a virtual building and print its scores as one JSON object.

    python -m simulator.benchmark --scenario family_home --days 28 --controller schedule
    python -m simulator.benchmark --scenario office_floor --controller aiot_brain \
        --setting setback_offset=6 --setting light_after_door=8

``--setting NAME=VALUE`` (repeatable, ``aiot_brain`` only) changes one of the
controller's ``ControlSettings``: °C or K, minutes for durations, HH:MM for times of
day, ``none`` to turn an optional one off. It shows what a different trade-off
between energy, comfort and lights costs. Unless it is given, the sleep temperature
is the scenario's ``baseline.setback_c``: the night the building's manager gives the
baselines, not a default of ours that they are not told.

``--tracked residents`` (or ``--tracked Anna,Ben``, or ``none``) says whose phones
Home Assistant tracks, whatever the scenario says: each of them shows as a
``person`` entity, ``home`` while they are in the building.

``--by-zone`` adds ``zones``: for each zone (by its id) its own ``heating_kwh``,
``cooling_kwh``, ``miss_time_min``, ``miss_time_too_warm_min``,
``miss_time_asleep_min``, ``lights_on_empty_min`` and ``false_offs``, which add up
to the building's.

Figures (all from the simulator's hidden truth, over the whole run):

* ``heating_kwh``: heat delivered by heaters; ``cooling_kwh``: electricity drawn by
  coolers; ``lighting_kwh``: electricity drawn by lights.
* ``miss_time_min``: zone-minutes in which a zone is occupied and its temperature is
  more than 1 °C from its occupants' preferred setpoint (their mean when several);
  ``miss_time_too_warm_min``: those of them too warm. Heating cannot help those:
  where a building without heat is already too warm, no heating controller does
  better.
  ``miss_time_asleep_min``: those of them with everyone there asleep. Sleepers never
  touch a thermostat, so no controller hears from them what they want at night
  (``aiot_brain`` starts from the scenario's ``baseline.setback_c``, the
  baselines' night).
* ``comfort_degree_hours``: the same deviation beyond 1 °C, integrated (K·h).
* ``lights_on_empty_min``: zone-minutes with the light on and nobody there.
* ``false_offs``: lights the controller switched off while someone awake was there.
* ``calls_per_device_hour_max``: the most commands one device got in one clock hour;
  ``calls_per_device_hour_mean``: commands per controllable device per hour.
* ``manual_interventions``: people's own changes to thermostats and lights.
* ``sim_days_per_s``: simulated days per second of wall-clock time.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from importlib import import_module
import json
import sys
import time

from .building import Building
from .controllers import AIOT_BRAIN, CONTROLLERS
from .scenario import MINUTES_PER_DAY, ScenarioError, load_scenario, with_tracked


def name_value_pairs(texts: Sequence[str]) -> dict[str, str]:
    """Return ``NAME=VALUE`` texts as a mapping; ValueError for one without a name."""
    pairs: dict[str, str] = {}
    for text in texts:
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            raise ValueError(f"expected NAME=VALUE, got {text!r}")
        pairs[name.strip()] = value.strip()
    return pairs


def run_benchmark(
    scenario_name: str,
    days: float,
    controller_name: str,
    seed: int = 0,
    *,
    settings: Mapping[str, str] | None = None,
    tracked: str | None = None,
    by_zone: bool = False,
) -> dict[str, object]:
    """Simulate ``days`` days and return the scores (see the module docstring).

    ``settings`` changes the ``aiot_brain`` controller's settings, as text,
    ``tracked`` whose phones are tracked (see :func:`with_tracked`), and
    ``by_zone`` adds each zone's own figures.
    """
    if controller_name not in CONTROLLERS:
        known = ", ".join(sorted(CONTROLLERS))
        raise ValueError(f"unknown controller {controller_name!r} (known: {known})")
    if days <= 0:
        raise ValueError("days must be positive")
    if settings and controller_name != AIOT_BRAIN:
        raise ValueError(f"settings apply to the {AIOT_BRAIN} controller only")
    scenario = load_scenario(scenario_name)
    if settings:
        # Imported on use, as in CONTROLLERS: it brings in Home Assistant.
        ours = import_module(".aiot_brain_controller", __package__)
        # Bad text fails before the run.
        control = ours.settings_from_text(
            settings, ours.manager_settings(scenario.baseline)
        )
    if tracked is not None:
        scenario = with_tracked(scenario, tracked)
    started = time.perf_counter()
    building = Building(scenario, seed=seed)
    if settings:
        controller = ours.AiotBrainController(building.info, control)
    else:
        controller = CONTROLLERS[controller_name](building.info)
    building.run(controller, round(days * MINUTES_PER_DAY))
    elapsed = time.perf_counter() - started
    return {
        "scenario": scenario.name,
        "controller": controller_name,
        "days": days,
        "seed": seed,
        **({"settings": dict(settings)} if settings else {}),
        **({"tracked": tracked} if tracked is not None else {}),
        **building.metrics.result(len(building.devices)),
        **(
            {"zones": building.metrics.by_zone([z.id for z in scenario.zones])}
            if by_zone
            else {}
        ),
        "sim_days_per_s": round(days / elapsed, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator.benchmark", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--scenario", required=True, help="built-in name or a YAML/JSON file"
    )
    parser.add_argument("--days", type=float, default=28.0)
    parser.add_argument("--controller", default="schedule", choices=sorted(CONTROLLERS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change one of the aiot_brain controller's settings (repeatable)",
    )
    parser.add_argument(
        "--tracked",
        metavar="WHO",
        help="whose phones HA tracks: residents, none or NAME,NAME (default: "
        "as the scenario says)",
    )
    parser.add_argument(
        "--by-zone",
        action="store_true",
        help="also give each zone's own figures, under zones",
    )
    args = parser.parse_args(argv)
    try:
        settings = name_value_pairs(args.setting)
    except ValueError as err:
        parser.error(f"--setting: {err}")
    try:
        result = run_benchmark(
            args.scenario,
            args.days,
            args.controller,
            args.seed,
            settings=settings,
            tracked=args.tracked,
            by_zone=args.by_zone,
        )
    except (ScenarioError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
