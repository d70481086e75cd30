"""End to end: AIoT Brain in a real Home Assistant over the virtual building.

::

    python -m benchmarks.end_to_end [--scenario family_home] [--days 3] [--seed 0]
        [--learning-days 1] [--control-level observe|suggest|automate]
        [--option NAME=VALUE ...] [--tracked residents|none|NAME,NAME]
        [--units metric|us_customary] [--reload-every HOURS]

A Home Assistant (real state machine, registries and timers) gets the virtual
building of ``--scenario`` through its config flow, then AIoT Brain through its own
config flow with what that flow suggests: every zone discovery found and the
building's outdoor thermometer; the network inventory off and no history to learn
(the building is new); as the heating and cooling setpoints and the sleep
temperature, the numbers the scenario's manager gives the simulator's baselines
(their comfort, cooling and setback), not the form's defaults. ``--option`` fills in
a field of that form as a building manager would (``heating_setpoint=20``; ``none``
empties it). ``--tracked``
gives those occupants a phone, which the building shows as a ``device_tracker``
(default: nobody, as in the scenarios). ``--units us_customary`` runs a Home
Assistant that shows °F, so the form, the readings and the calls all go through
°F (``--option`` temperatures too). ``--reload-every`` reloads AIoT Brain's entry
every so many hours: it saves what it learned and holds, stops, and starts again
from what it saved, as across a restart of Home Assistant. Home Assistant's clock
is frozen and moved on one minute at a time; each minute fires the timers that are
due, so the building takes a step, its entities change, and AIoT Brain hears the
changes and ticks, as they would live.

After each minute, every zone's ``binary_sensor.<area>_aiot_brain_occupancy`` and
``sensor.<area>_aiot_brain_occupancy_probability`` are read from the state machine
and compared with the simulator's hidden truth (somebody in the zone, awake or
asleep), which only this scorer reads. Minutes after ``--learning-days`` are scored,
per zone and overall, next to two baselines that read the same motion sensor
AIoT Brain hears:

- ``motion_10min``: occupied iff the motion sensor was on in the last 10 minutes;
- ``motion_now``: occupied iff the motion sensor is on.

Each gets ``accuracy``, ``balanced_accuracy`` (the mean of the recalls of occupied
and empty, so a zone that is nearly always empty does not flatter "always empty")
and ``f1`` of occupied; AIoT Brain's probability gets a ``brier`` score (baselines:
their 0/1 answer as a probability) and its mean over the occupied and over the empty
minutes (how far apart the two states' probabilities are). ``occupied_share`` is how often the zone was
occupied, so ``max(share, 1 - share)`` is what always guessing the commoner state
scores, and ``base_rate_brier`` is the Brier score of always answering that share
(known only in hindsight). ``state_writes_per_zone_hour`` counts how often AIoT
Brain's entities changed in the scored minutes, per zone: each change is a row in
the recorder's database; ``state_writes_per_zone_day`` counts them per entity
(its domain and translation key; the building's own entities shared among the
zones), and ``logbook_lines_per_zone_day`` those of them the logbook lists (a
change of state, of an entity that is no measurement). ``anomaly_share`` is how
often a zone's *Anomaly* sensor was on: the virtual building has no faulty
sensors and no intruders, so each is a false alarm. Prints one JSON object, with
the real seconds the run took.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
import json
from pathlib import Path
import sys
import tempfile
from typing import Any

from freezegun import api as freezegun_api, freeze_time
from homeassistant import loader
from homeassistant.components.logbook.helpers import (
    _is_state_filtered as logbook_skips,
)
from homeassistant.config_entries import SOURCE_USER, ConfigEntry
from homeassistant.const import EVENT_STATE_CHANGED, STATE_ON
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import (
    area_registry as ar,
    entity_registry as er,
)
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import get_unit_system

# Makes ``dt_util.utcnow`` follow a frozen clock, as in Home Assistant's own tests.
from pytest_homeassistant_custom_component import patch_time  # noqa: F401
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_test_home_assistant,
)
import voluptuous as vol

from custom_components.aiot_brain.const import (
    CONF_CONTROL_LEVEL,
    CONF_COOLING_SETPOINT,
    CONF_HEATING_SETPOINT,
    CONF_HISTORY_DAYS,
    CONF_NETWORK_INVENTORY,
    CONF_SLEEP_TEMPERATURE,
    DOMAIN,
    KEY_ANOMALY,
    KEY_OCCUPANCY,
    KEY_OCCUPANCY_PROBABILITY,
)
from custom_components.aiot_brain.coordinator import AiotBrainCoordinator
from custom_components.aiot_brain.entity import zone_unique_id
from custom_components.aiot_brain.state_mapping import from_celsius
from simulator.benchmark import name_value_pairs, run_benchmark
from simulator.scenario import load_scenario

# The simulator's controllers to compare with when AIoT Brain acts.
CONTROL_BASELINES = ("constant", "schedule", "reactive")
# AIoT Brain in the simulator alone, to tell Home Assistant's part from the core's.
CORE_ONLY = "aiot_brain"

BUILDING_DOMAIN = "virtual_building"
CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
MOTION_WINDOW_MIN = 10
PREDICTORS = ("aiot_brain", "motion_10min", "motion_now")
type Advance = Callable[[], Awaitable[None]]


def add_config_dir_to_path() -> None:
    """Make ``config/custom_components`` (the virtual building) importable.

    ``custom_components`` is a namespace package: with ``config/`` on the path, the
    virtual building joins the repository's own integration under it.
    """
    if str(CONFIG_DIR) not in sys.path:
        sys.path.append(str(CONFIG_DIR))


@dataclass
class Counts:
    """A confusion matrix and a squared-error sum for one predictor."""

    true_pos: int = 0
    false_pos: int = 0
    true_neg: int = 0
    false_neg: int = 0
    squared_error: float = 0.0
    probability_occupied: float = 0.0  # summed over the occupied minutes
    probability_empty: float = 0.0  # summed over the empty minutes

    def add(self, truth: bool, predicted: bool, probability: float) -> None:
        """Count one minute."""
        self.squared_error += (probability - float(truth)) ** 2
        if truth:
            self.probability_occupied += probability
            if predicted:
                self.true_pos += 1
            else:
                self.false_neg += 1
            return
        self.probability_empty += probability
        if predicted:
            self.false_pos += 1
        else:
            self.true_neg += 1

    def merge(self, other: Counts) -> None:
        """Add another zone's counts."""
        self.true_pos += other.true_pos
        self.false_pos += other.false_pos
        self.true_neg += other.true_neg
        self.false_neg += other.false_neg
        self.squared_error += other.squared_error
        self.probability_occupied += other.probability_occupied
        self.probability_empty += other.probability_empty

    @property
    def total(self) -> int:
        """Minutes counted."""
        return self.true_pos + self.false_pos + self.true_neg + self.false_neg

    def scores(self) -> dict[str, float | None]:
        """Accuracy, balanced accuracy, F1 of occupied and the Brier score."""
        total = self.total
        if not total:
            return {"accuracy": None, "balanced_accuracy": None, "f1": None}
        occupied = self.true_pos + self.false_neg
        empty = self.true_neg + self.false_pos
        recalls = [
            hits / count
            for hits, count in ((self.true_pos, occupied), (self.true_neg, empty))
            if count
        ]
        f1_denominator = 2 * self.true_pos + self.false_pos + self.false_neg
        return {
            "accuracy": round((self.true_pos + self.true_neg) / total, 4),
            "balanced_accuracy": round(sum(recalls) / len(recalls), 4),
            "f1": round(2 * self.true_pos / f1_denominator, 4)
            if f1_denominator
            else None,
            "brier": round(self.squared_error / total, 4),
            "mean_probability_occupied": round(self.probability_occupied / occupied, 4)
            if occupied
            else None,
            "mean_probability_empty": round(self.probability_empty / empty, 4)
            if empty
            else None,
        }


@dataclass
class ZoneTrack:
    """One zone as the scorer sees it: the truth, the entities and the baselines."""

    area_id: str
    name: str
    sim_index: int  # the zone's index in the simulator's truth
    occupancy_entity: str
    probability_entity: str
    anomaly_entity: str
    motion_entity: str | None
    last_motion: int | None = None  # minute the motion sensor was last seen on
    occupied_minutes: int = 0
    anomaly_minutes: int = 0  # the building has no faults: each is a false alarm
    unavailable_minutes: int = 0  # AIoT Brain had no answer (counted as empty)
    counts: dict[str, Counts] = field(
        default_factory=lambda: {name: Counts() for name in PREDICTORS}
    )


@dataclass
class EndToEnd:
    """A virtual building and AIoT Brain running in one Home Assistant."""

    hass: HomeAssistant
    building_entry_id: str
    brain_entry_id: str
    zones: list[ZoneTrack]

    @property
    def coordinator(self) -> AiotBrainCoordinator:
        """AIoT Brain's runtime."""
        entry = self.hass.config_entries.async_get_entry(self.brain_entry_id)
        assert entry is not None
        coordinator: AiotBrainCoordinator = entry.runtime_data.coordinator
        return coordinator

    def _truth(self) -> list[bool]:
        """Who is where, from the simulator: only the scorer reads this."""
        entry = self.hass.config_entries.async_get_entry(self.building_entry_id)
        assert entry is not None
        building = entry.runtime_data.building
        return [
            building.awake[zone] + building.asleep[zone] > 0
            for zone in range(len(building.zone_ids))
        ]

    def observe(self, minute: int, *, scored: bool) -> None:
        """Read the entities and the truth after ``minute``; count it if ``scored``."""
        truth = self._truth()
        states = self.hass.states
        for zone in self.zones:
            motion = zone.motion_entity and states.get(zone.motion_entity)
            motion_now = bool(motion and motion.state == STATE_ON)
            if motion_now:
                zone.last_motion = minute
            if not scored:
                continue
            occupied = truth[zone.sim_index]
            zone.occupied_minutes += occupied
            answer = states.get(zone.occupancy_entity)
            probability = _percent(states.get(zone.probability_entity))
            if answer is None or answer.state not in ("on", "off"):
                zone.unavailable_minutes += 1
            anomaly = states.get(zone.anomaly_entity)
            zone.anomaly_minutes += anomaly is not None and anomaly.state == STATE_ON
            predicted = answer is not None and answer.state == STATE_ON
            zone.counts["aiot_brain"].add(
                occupied,
                predicted,
                float(predicted) if probability is None else probability,
            )
            recent = (
                zone.last_motion is not None
                and minute - zone.last_motion < MOTION_WINDOW_MIN
            )
            zone.counts["motion_10min"].add(occupied, recent, float(recent))
            zone.counts["motion_now"].add(occupied, motion_now, float(motion_now))

    def result(self) -> dict[str, Any]:
        """Per zone and overall scores."""
        overall = {name: Counts() for name in PREDICTORS}
        zones: dict[str, Any] = {}
        minutes = occupied = anomalies = 0
        base_rate_error = 0.0
        for zone in self.zones:
            for name, counts in zone.counts.items():
                overall[name].merge(counts)
            total = zone.counts["aiot_brain"].total
            share = zone.occupied_minutes / total if total else 0.0
            minutes += total
            occupied += zone.occupied_minutes
            anomalies += zone.anomaly_minutes
            base_rate_error += total * share * (1.0 - share)
            zones[zone.area_id] = {
                "name": zone.name,
                "has_motion_sensor": zone.motion_entity is not None,
                "occupied_share": round(share, 4),
                "base_rate_brier": round(share * (1.0 - share), 4),
                "aiot_brain_unavailable_minutes": zone.unavailable_minutes,
                "anomaly_share": round(zone.anomaly_minutes / total, 4)
                if total
                else None,
                **{name: counts.scores() for name, counts in zone.counts.items()},
            }
        return {
            "zones": zones,
            "overall": {
                "zone_minutes": minutes,
                "occupied_share": round(occupied / minutes, 4) if minutes else None,
                "base_rate_brier": round(base_rate_error / minutes, 4)
                if minutes
                else None,
                "anomaly_share": round(anomalies / minutes, 4) if minutes else None,
                **{name: counts.scores() for name, counts in overall.items()},
            },
        }


def _percent(state: Any) -> float | None:
    """Return a probability sensor's state as 0..1, or None when it has none."""
    if state is None:
        return None
    try:
        return min(max(float(state.state) / 100.0, 0.0), 1.0)
    except ValueError:
        return None


class FormRejectedError(ValueError):
    """AIoT Brain's config form refused what it was sent."""


def option_values(texts: Sequence[str]) -> dict[str, Any]:
    """Return the form values of ``NAME=VALUE`` texts: numbers, true/false, none."""
    values: dict[str, Any] = {}
    for name, raw in name_value_pairs(texts).items():
        value: Any
        if raw.lower() == "none":
            value = None
        elif raw.lower() in ("true", "false"):
            value = raw.lower() == "true"
        else:
            try:
                value = float(raw)
            except ValueError:
                value = raw
        values[name] = value
    return values


async def async_set_up(
    hass: HomeAssistant,
    scenario: str,
    seed: int,
    control_level: str = "observe",
    options: Mapping[str, Any] | None = None,
    *,
    tracked: str = "none",
) -> EndToEnd:
    """Add the virtual building and then AIoT Brain, each through its config flow.

    The sleep temperature is the scenario's setback, the baselines' night;
    ``options`` replace that and what the form suggests (None: the field left empty).
    """
    flow = await hass.config_entries.flow.async_init(
        BUILDING_DOMAIN, context={"source": SOURCE_USER}
    )
    # Speed 1: one simulated minute per minute of Home Assistant's (frozen) clock.
    flow = await hass.config_entries.flow.async_configure(
        flow["flow_id"],
        {"scenario": scenario, "speed": 1, "seed": seed, "tracked": tracked},
    )
    if flow["type"] is not FlowResultType.CREATE_ENTRY:
        msg = f"the virtual building was not added: {flow}"
        raise RuntimeError(msg)
    await hass.async_block_till_done()
    building_entry = flow["result"]

    # The numbers the building's manager gave the simulator's baselines, as in the
    # simulator (simulator.aiot_brain_controller): their comfort and cooling
    # setpoints until it learns, their night as its sleep temperature; not our
    # defaults.
    baseline = load_scenario(scenario).baseline
    unit = hass.config.units.temperature_unit
    manager = {
        CONF_HEATING_SETPOINT: from_celsius(baseline.comfort_c, unit),
        CONF_COOLING_SETPOINT: from_celsius(baseline.cooling_c, unit),
        CONF_SLEEP_TEMPERATURE: from_celsius(baseline.setback_c, unit),
    }
    brain_entry = await async_add_aiot_brain(
        hass, control_level, {**manager, **(options or {})}
    )
    return EndToEnd(
        hass,
        building_entry.entry_id,
        brain_entry.entry_id,
        _zone_tracks(hass, building_entry.runtime_data.building, brain_entry.entry_id),
    )


async def async_add_aiot_brain(
    hass: HomeAssistant,
    control_level: str = "observe",
    options: Mapping[str, Any] | None = None,
) -> ConfigEntry:
    """Add AIoT Brain through its config flow, taking what the form suggests.

    The network inventory is off and no history is learned (the building is new);
    ``options`` replace what the form suggests (None: the field left empty).
    """
    flow = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    schema = flow["data_schema"]
    choices = dict(schema({}))  # the form's defaults ...
    for marker in schema.schema:
        # ... and what it suggests, sent back untouched as the frontend does (an
        # optional field the user empties is left out, and means "none").
        suggested = (marker.description or {}).get("suggested_value")
        if suggested is not None:
            choices.setdefault(str(marker), suggested)
    choices[CONF_NETWORK_INVENTORY] = False
    choices[CONF_HISTORY_DAYS] = 0  # nothing recorded before the building started
    choices[CONF_CONTROL_LEVEL] = control_level
    fields = {str(marker) for marker in schema.schema}
    for name, value in (options or {}).items():
        if name not in fields:
            known = ", ".join(sorted(fields))
            msg = f"the form has no field {name!r} (fields: {known})"
            raise FormRejectedError(msg)
        if value is None:
            choices.pop(name, None)
        else:
            choices[name] = value
    try:
        flow = await hass.config_entries.flow.async_configure(flow["flow_id"], choices)
    except vol.Invalid as err:  # a value of the wrong kind for its field
        msg = f"AIoT Brain was not added: {err}"
        raise FormRejectedError(msg) from err
    if flow["type"] is not FlowResultType.CREATE_ENTRY:
        msg = f"AIoT Brain was not added: {flow.get('errors') or flow}"
        raise FormRejectedError(msg)
    await hass.async_block_till_done()
    entry: ConfigEntry = flow["result"]
    return entry


def _zone_tracks(
    hass: HomeAssistant, building: Any, brain_entry_id: str
) -> list[ZoneTrack]:
    """Pair each simulated zone with its area and AIoT Brain's entities for it."""
    areas = ar.async_get(hass)
    entities = er.async_get(hass)
    tracks = []
    for zone in building.info.zones:
        area = areas.async_get_area_by_name(zone.name)
        if area is None:
            continue

        def entity_id(domain: str, key: str, area_id: str = area.id) -> str:
            found = entities.async_get_entity_id(
                domain, DOMAIN, zone_unique_id(brain_entry_id, area_id, key)
            )
            return found or f"{domain}.missing_{area_id}_{key}"

        tracks.append(
            ZoneTrack(
                area_id=area.id,
                name=zone.name,
                sim_index=building.zone_index[zone.zone_id],
                occupancy_entity=entity_id("binary_sensor", KEY_OCCUPANCY),
                probability_entity=entity_id("sensor", KEY_OCCUPANCY_PROBABILITY),
                anomaly_entity=entity_id("binary_sensor", KEY_ANOMALY),
                motion_entity=zone.entity("motion"),
            )
        )
    return tracks


def real_seconds() -> float:
    """Return the real clock's seconds, also while Home Assistant's is frozen."""
    return float(freezegun_api.real_perf_counter())


async def async_run(
    run: EndToEnd,
    minutes: int,
    learning_minutes: int,
    advance: Advance,
    *,
    reload_every: int = 0,
) -> dict[str, Any]:
    """Advance ``minutes`` minutes; score those after ``learning_minutes``.

    ``reload_every`` minutes (if not 0), AIoT Brain's entry is reloaded.
    """
    began = real_seconds()
    reloads = 0
    writes = _StateWrites(run.hass)
    for minute in range(minutes):
        writes.counting = minute >= learning_minutes
        await advance()
        run.observe(minute, scored=minute >= learning_minutes)
        if reload_every and (minute + 1) % reload_every == 0:
            assert await run.hass.config_entries.async_reload(run.brain_entry_id)
            await run.hass.async_block_till_done()
            reloads += 1
    writes.stop()
    seconds = real_seconds() - began
    result = run.result()
    result["reloads"] = reloads
    scored_hours = (minutes - learning_minutes) / 60
    result["state_writes_per_zone_hour"] = (
        round(writes.count / len(run.zones) / scored_hours, 1)
        if run.zones and scored_hours
        else None
    )
    scored_days = scored_hours / 24
    for figure, counts in (
        ("state_writes_per_zone_day", writes.by_entity),
        ("logbook_lines_per_zone_day", writes.logbook_lines),
    ):
        result[figure] = (
            {
                name: round(count / len(run.zones) / scored_days, 1)
                for name, count in sorted(counts.items())
            }
            if run.zones and scored_days
            else None
        )
    result["real_seconds"] = round(seconds, 2)
    result["simulated_minutes_per_real_second"] = (
        round(minutes / seconds, 1) if seconds else None
    )
    return result


class _StateWrites:
    """Counts AIoT Brain's state changes: each is a row in the recorder's database.

    Per entity (``sensor.next_arrival``, ``binary_sensor.occupancy``: its domain
    and translation key), and how many of them the logbook lists, as its own test
    decides (a change of state, not of attributes alone, of no measurement).
    """

    def __init__(self, hass: HomeAssistant) -> None:
        self.count = 0
        self.by_entity: Counter[str] = Counter()
        self.logbook_lines: Counter[str] = Counter()
        self.counting = False
        self._registry = er.async_get(hass)
        self.stop = hass.bus.async_listen(EVENT_STATE_CHANGED, self._changed)

    @callback
    def _changed(self, event: Event[EventStateChangedData]) -> None:
        entry = self._registry.async_get(event.data["entity_id"])
        if not self.counting or entry is None or entry.platform != DOMAIN:
            return
        self.count += 1
        name = f"{entry.domain}.{entry.translation_key}"
        self.by_entity[name] += 1
        old, new = event.data["old_state"], event.data["new_state"]
        if old is not None and new is not None and not logbook_skips(new, old):
            self.logbook_lines[name] += 1


def building_figures(hass: HomeAssistant, run: EndToEnd) -> dict[str, Any]:
    """Return the simulator's own figures of the run (energy, comfort, calls)."""
    entry = hass.config_entries.async_get_entry(run.building_entry_id)
    assert entry is not None
    building = entry.runtime_data.building
    figures: dict[str, Any] = building.metrics.result(len(building.devices))
    return figures


def baseline_figures(
    scenario: str, days: int, seed: int, tracked: str = "none"
) -> dict[str, Any]:
    """Run the simulator's controllers over the same scenario, days and seed."""
    skip = ("scenario", "controller", "days", "seed", "tracked", "sim_days_per_s")
    return {
        ("aiot_brain_without_home_assistant" if name == CORE_ONLY else name): {
            key: value
            for key, value in run_benchmark(
                scenario, days, name, seed, tracked=tracked
            ).items()
            if key not in skip
        }
        for name in (*CONTROL_BASELINES, CORE_ONLY)
    }


@asynccontextmanager
async def frozen_home_assistant(
    start: datetime, units: str = "metric"
) -> AsyncIterator[tuple[HomeAssistant, Advance]]:
    """Yield a Home Assistant whose clock stands at local ``start``, and a step.

    It loads the repository's integrations (and config/'s, once
    ``add_config_dir_to_path`` ran) and shows ``units``. Each ``await advance()``
    moves the clock on one minute and lets everything that was due run.
    """
    with tempfile.TemporaryDirectory() as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            # The network inventory is off: zeroconf's sockets are not needed.
            hass.config.components.add("zeroconf")
            hass.config.units = get_unit_system(units)
            local = start.replace(tzinfo=dt_util.get_default_time_zone())
            with freeze_time(dt_util.as_utc(local)) as frozen:

                async def advance() -> None:
                    frozen.tick(timedelta(minutes=1))
                    async_fire_time_changed(hass)
                    await hass.async_block_till_done()

                yield hass, advance
                await hass.async_stop()


async def _benchmark(
    scenario: str,
    days: int,
    learning_days: int,
    seed: int,
    control_level: str = "observe",
    *,
    options: Mapping[str, Any] | None = None,
    tracked: str = "none",
    units: str = "metric",
    reload_every_hours: int = 0,
) -> dict[str, Any]:
    add_config_dir_to_path()
    started = real_seconds()
    # The scenario's own first day, as the simulator's baselines use: its season
    # sets the weather and the daylight.
    first_day = datetime.combine(load_scenario(scenario).start, time())
    async with frozen_home_assistant(first_day, units) as (hass, advance):
        run = await async_set_up(
            hass, scenario, seed, control_level, options, tracked=tracked
        )
        result = await async_run(
            run,
            days * 24 * 60,
            learning_days * 24 * 60,
            advance,
            reload_every=reload_every_hours * 60,
        )
        if control_level == "automate":
            result["control"] = {"aiot_brain": building_figures(hass, run)}
        for entry_id in (run.brain_entry_id, run.building_entry_id):
            await hass.config_entries.async_unload(entry_id)
    if "control" in result:
        # Outside the frozen clock: the simulator times its own runs.
        result["control"].update(baseline_figures(scenario, days, seed, tracked))
    return {
        "task": "end_to_end",
        "scenario": scenario,
        "seed": seed,
        "days": days,
        "learning_days": learning_days,
        "scored_days": days - learning_days,
        "control_level": control_level,
        "options": dict(options or {}),
        "tracked": tracked,
        "units": units,
        "reload_every_hours": reload_every_hours,
        **result,
        "total_real_seconds": round(real_seconds() - started, 2),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark from the command line and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="family_home")
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--learning-days", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--control-level",
        default="observe",
        choices=("observe", "suggest", "automate"),
        help="automate: AIoT Brain also drives the thermostats and lights",
    )
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fill in a field of AIoT Brain's config form (repeatable)",
    )
    parser.add_argument(
        "--tracked",
        default="none",
        metavar="WHO",
        help="whose phones Home Assistant tracks: residents, none or NAME,NAME",
    )
    parser.add_argument(
        "--units",
        default="metric",
        choices=("metric", "us_customary"),
        help="the unit system Home Assistant shows (us_customary: °F)",
    )
    parser.add_argument(
        "--reload-every",
        type=int,
        default=0,
        metavar="HOURS",
        help="reload AIoT Brain's entry every HOURS hours, as across a restart",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.learning_days < args.days:
        parser.error("--learning-days must be at least 0 and less than --days")
    if args.reload_every < 0:
        parser.error("--reload-every must be 0 (never) or more")
    try:
        options = option_values(args.option)
    except ValueError as err:
        parser.error(f"--option: {err}")
    try:
        result = asyncio.run(
            _benchmark(
                args.scenario,
                args.days,
                args.learning_days,
                args.seed,
                args.control_level,
                options=options,
                tracked=args.tracked,
                units=args.units,
                reload_every_hours=args.reload_every,
            )
        )
    except FormRejectedError as err:
        parser.exit(2, f"{parser.prog}: error: {err}\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
