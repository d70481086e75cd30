"""Occupancy forecast benchmark: AIoT Brain against persistence and time of day.

::

    python -m benchmarks.occupancy_forecast --data FILE --time-column T --label-column L
    python -m benchmarks.occupancy_forecast --kasteren DIR
    python -m benchmarks.occupancy_forecast --kasteren DIR --scored-from-day 15
    python -m benchmarks.occupancy_forecast --kasteren DIR --batch-baselines

The stream is cut into 15-minute slots; a slot is occupied when most of it is. At
the end of every slot each model forecasts the slots 15 min, 30 min, 1 h, 2 h and
6 h ahead, and learns a slot's label only once that slot is over (labels delayed by
the horizon). Forecasts for slots from day 8 on are scored: ``accuracy`` (at 0.5)
and ``brier``. ``--scored-from-day`` scores a later part only (the models still
learn from the start), to see whether a figure holds on the second half.

- ``persistence``: the state now, for every horizon;
- ``time_of_day``: how often the target slot's time of day was occupied so far;
- ``aiot_brain``: :class:`OccupancyForecast`, fed the slot labels and, for the van
  Kasteren home, the recent sensor activity as evidence (never later events);
  activity inside counts only once it follows the front door's last opening, as
  what came before belongs to whoever left;
- ``logistic_regression``, ``random_forest`` (with ``--batch-baselines``, as they
  take a while): the batch models a data scientist
  would reach for (scikit-learn), retrained every midnight on every past
  forecast whose outcome is known by then, from the state now, how long it has
  lasted, the target's time of day and kind of day, and the same evidence as
  ``aiot_brain``. They show what the data allows a model that sees all the past
  at once, i.e. whether a shortfall is the online model's or the data's.

For a CSV, the other numeric columns are ignored: only the label history is used;
``data.input_checks`` counts the rows left out (no readable time, no 0/1 label, a
cell too many) and the cells not read, as the other commands do.
For van Kasteren's house A, the home is occupied except during "leave house"
(activity 1); for another home of the same format, the files' legends say which
activity is "leave house" and which sensor the front door.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import json
import math
from pathlib import Path
import re
import sys
from typing import Any

from benchmarks.csvdata import (
    DataError,
    add_column_arguments,
    input_checks,
    read_table,
)
from benchmarks.occupancy_detection import metrics
from custom_components.aiot_brain.brain.forecast import (
    HORIZON_NAMES,
    HORIZONS_MINUTES,
    OccupancyForecast,
)

SLOT = timedelta(minutes=15)
SLOTS_PER_DAY = 96
SCORED_FROM_DAY = 8
HOURS_PER_SLOT = SLOT.total_seconds() / 3600.0

# House A's ids, used when a file's legend does not name them.
LEAVE_HOUSE = 1
FRONT_DOOR = 12
ACTIVITY_LEGEND = re.compile(r"^\s*(\d+)\s*:\s*'([^']*)'")
SENSOR_LEGEND = re.compile(r"\[\s*(\d+)\s*\]\s*'([^']*)'")
KASTEREN_TIME_FORMAT = "%d-%b-%Y %H:%M:%S"


@dataclass
class SlotSeries:
    """Labels per 15-minute slot from ``start``; evidence known at each slot's end."""

    start: datetime
    labels: list[int | None]
    evidence: list[dict[str, float]] = field(default_factory=list)
    # For a CSV: the rows left out and the cells not read (see csvdata.input_checks).
    input_checks: dict[str, int] | None = None

    def end_of(self, slot: int) -> datetime:
        """Return the end time of slot ``slot``."""
        return self.start + SLOT * (slot + 1)


def _midnight(when: datetime) -> datetime:
    return when.replace(hour=0, minute=0, second=0, microsecond=0)


def slots_from_csv(
    path: str | Path,
    time_column: str,
    label_column: str,
    time_format: str | None = None,
) -> SlotSeries:
    """Cut a labelled CSV stream into slots; a slot without rows has no label."""
    table = read_table(
        path,
        time_column=time_column,
        label_column=label_column,
        time_format=time_format,
    )
    pairs = [
        (when, label)
        for when, label in zip(table.times, table.binary_labels(), strict=True)
        if when is not None and label is not None
    ]
    if not pairs:
        raise DataError(f"{path} has no rows with a time and a 0/1 label")
    start = _midnight(min(when for when, _ in pairs))
    count = int((max(when for when, _ in pairs) - start) / SLOT) + 1
    occupied = [0] * count
    seen = [0] * count
    for when, label in pairs:
        slot = int((when - start) / SLOT)
        occupied[slot] += label
        seen[slot] += 1
    labels: list[int | None] = [
        (1 if 2 * occupied[slot] >= seen[slot] else 0) if seen[slot] else None
        for slot in range(count)
    ]
    return SlotSeries(
        start, labels, [{} for _ in labels], input_checks(table, len(pairs))
    )


def _read_intervals(path: Path) -> list[tuple[datetime, datetime, int]]:
    intervals = []
    for line in path.read_text(encoding="latin-1").splitlines():
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) < 3:
            continue
        try:
            start = datetime.strptime(parts[0], KASTEREN_TIME_FORMAT)
            end = datetime.strptime(parts[1], KASTEREN_TIME_FORMAT)
            ident = int(parts[2])
        except ValueError:
            continue  # header and legend lines
        intervals.append((start, end, ident))
    return intervals


def slots_from_kasteren(directory: str | Path) -> SlotSeries:
    """Whole-home occupancy of a van Kasteren home (house A), with sensor evidence."""
    folder = Path(directory)
    activities = _read_intervals(folder / "kasterenActData.txt")
    sensors = _read_intervals(folder / "kasterenSenseData.txt")
    leave = _legend_id(
        folder / "kasterenActData.txt", ACTIVITY_LEGEND, "leavehouse", LEAVE_HOUSE
    )
    door = _legend_id(
        folder / "kasterenSenseData.txt", SENSOR_LEGEND, "frontdoor", FRONT_DOOR
    )
    away = [(start, end) for start, end, ident in activities if ident == leave]
    start = _midnight(min(item[0] for item in activities + sensors))
    finish = max(item[1] for item in activities + sensors)
    count = int((finish - start) / SLOT) + 1
    labels: list[int | None] = []
    for slot in range(count):
        begin = start + SLOT * slot
        away_seconds = sum(
            max((min(begin + SLOT, end) - max(begin, leave)).total_seconds(), 0.0)
            for leave, end in away
        )
        labels.append(0 if away_seconds >= SLOT.total_seconds() / 2 else 1)
    return SlotSeries(start, labels, _sensor_evidence(start, count, sensors, door))


def _legend_id(path: Path, pattern: re.Pattern[str], name: str, default: int) -> int:
    """Return the id the file's legend gives ``name`` (spaces, dashes, case aside).

    Another home numbers its sensors and activities differently; the legend at
    the top of each file says which is which.
    """
    for line in path.read_text(encoding="latin-1").splitlines():
        match = pattern.search(line)
        if match and re.sub(r"[\s_-]", "", match.group(2).lower()) == name:
            return int(match.group(1))
    return default


def _sensor_evidence(
    start: datetime,
    count: int,
    sensors: list[tuple[datetime, datetime, int]],
    front_door: int = FRONT_DOOR,
) -> list[dict[str, float]]:
    """Recent activity at each slot's end, from sensor changes up to that moment.

    The front door tells arrivals from departures by what follows it: activity
    inside after the door means someone came in, silence means someone left.
    """
    changes = sorted(
        [(begin, ident) for begin, _, ident in sensors]
        + [(end, ident) for _, end, ident in sensors]
    )
    evidence: list[dict[str, float]] = []
    position = 0
    last_inside: datetime | None = None
    last_door: datetime | None = None
    recent: list[datetime] = []
    for slot in range(count):
        now = start + SLOT * (slot + 1)
        while position < len(changes) and changes[position][0] <= now:
            moment, ident = changes[position]
            if ident == front_door:
                last_door = moment
            else:
                last_inside = moment
                recent.append(moment)
            position += 1
        recent = [moment for moment in recent if now - moment <= timedelta(hours=1)]
        door = _recency(now, last_door, 20.0)
        came_in = (
            last_door is not None
            and last_inside is not None
            and (last_inside > last_door)
        )
        # Activity before the door was last opened belongs to whoever left.
        inside = last_inside if came_in or last_door is None else None
        evidence.append(
            {
                "activity": _recency(now, inside, 30.0),
                "activity_slow": _recency(now, inside, 180.0),
                "activity_hour": min(len(recent) / 10.0, 1.0),
                "door_then_activity": door if came_in else 0.0,
                "door_then_quiet": 0.0 if came_in else door,
            }
        )
    return evidence


def _recency(now: datetime, last: datetime | None, minutes: float) -> float:
    if last is None:
        return 0.0
    return math.exp(-(now - last).total_seconds() / 60.0 / minutes)


def evaluate(
    series: SlotSeries,
    scored_from_day: int = SCORED_FROM_DAY,
    *,
    batch_baselines: bool = False,
) -> dict[str, dict[str, dict[str, float | None]]]:
    """Run the models over the slots and score them per horizon.

    Forecasts for slots from day ``scored_from_day`` on (1 is the first day) are
    scored; the models learn from every slot.
    """
    steps = [minutes // 15 for minutes in HORIZONS_MINUTES]
    first_scored = (scored_from_day - 1) * SLOTS_PER_DAY
    batch = batch_forecasts(series, steps) if batch_baselines else {}
    names = ("aiot_brain", "persistence", "time_of_day", *batch)
    made: dict[str, dict[str, list[float]]] = {
        name: {horizon: [] for horizon in HORIZON_NAMES} for name in names
    }
    truth: dict[str, list[int]] = {horizon: [] for horizon in HORIZON_NAMES}
    model = OccupancyForecast()
    day_occupied = [0] * SLOTS_PER_DAY
    day_seen = [0] * SLOTS_PER_DAY
    labels = series.labels
    for slot, label in enumerate(labels):
        if label is None:
            continue
        day_occupied[slot % SLOTS_PER_DAY] += label
        day_seen[slot % SLOTS_PER_DAY] += 1
        now = series.end_of(slot)
        evidence = series.evidence[slot] if series.evidence else {}
        model.learn_one(now, label, evidence)
        forecast = model.predict_one(now, evidence)
        for horizon, step in zip(HORIZON_NAMES, steps, strict=True):
            target = slot + step
            if target >= len(labels) or target < first_scored:
                continue
            actual = labels[target]
            if actual is None:
                continue
            truth[horizon].append(actual)
            made["aiot_brain"][horizon].append(forecast[horizon])
            made["persistence"][horizon].append(float(label))
            seen = day_seen[target % SLOTS_PER_DAY]
            occupied = day_occupied[target % SLOTS_PER_DAY]
            made["time_of_day"][horizon].append(occupied / seen if seen else 0.5)
            for name, forecasts in batch.items():
                made[name][horizon].append(forecasts[horizon][slot])
    results: dict[str, dict[str, dict[str, float | None]]] = {}
    for name in names:
        results[name] = {}
        for horizon in HORIZON_NAMES:
            scores = metrics(truth[horizon], made[name][horizon])
            results[name][horizon] = {
                "accuracy": scores["accuracy"],
                "brier": scores["brier"],
            }
    return results


def batch_models() -> dict[str, Callable[[], Any]]:
    """Return factories of the scikit-learn baselines (imported only here)."""
    from sklearn.ensemble import RandomForestClassifier  # noqa: PLC0415
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415
    from sklearn.pipeline import make_pipeline  # noqa: PLC0415
    from sklearn.preprocessing import StandardScaler  # noqa: PLC0415

    return {
        "logistic_regression": lambda: make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000)
        ),
        "random_forest": lambda: RandomForestClassifier(
            n_estimators=50, min_samples_leaf=10, random_state=0, n_jobs=1
        ),
    }


def batch_features(series: SlotSeries, step: int) -> list[list[float] | None]:
    """Return the batch baselines' features of a forecast made at each slot's end.

    None where the slot has no label (no forecast is made there). Evidence keys
    are those of the first slot, in order, so every row has the same columns.
    """
    keys = list(series.evidence[0]) if series.evidence else []
    rows: list[list[float] | None] = []
    state: int | None = None
    spell = 0
    for slot, label in enumerate(series.labels):
        if label is None:
            rows.append(None)
            continue
        spell = spell + 1 if label == state else 1
        state = label
        sign = 1.0 if label else -1.0
        target = series.end_of(slot + step - 1)  # the target slot's end
        hour_sin, hour_cos = _cyclic(target, 1)
        twice_sin, twice_cos = _cyclic(target, 2)
        evidence = series.evidence[slot] if series.evidence else {}
        values = [float(evidence.get(key, 0.0)) for key in keys]
        rows.append(
            [
                sign,
                sign * math.log1p(spell * HOURS_PER_SLOT),
                hour_sin,
                hour_cos,
                twice_sin,
                twice_cos,
                1.0 if target.weekday() >= 5 else 0.0,
                *values,
                # Evidence means different things by state, as for aiot_brain.
                *(sign * value for value in values),
            ]
        )
    return rows


def _cyclic(when: datetime, harmonic: int) -> tuple[float, float]:
    day = (when.hour * 60 + when.minute) / (24 * 60)
    angle = 2.0 * math.pi * harmonic * day
    return math.sin(angle), math.cos(angle)


def batch_forecasts(
    series: SlotSeries, steps: Sequence[int]
) -> dict[str, dict[str, list[float]]]:
    """Return each batch baseline's forecast made at each slot, per horizon.

    A model forecasting on day ``d`` was fitted at that day's midnight on the
    forecasts of earlier slots whose target slot had ended by then: labels come
    late here too. Before both states have been seen it forecasts the share of
    occupied outcomes so far (0.5 with none).
    """
    factories = batch_models()
    count = len(series.labels)
    result: dict[str, dict[str, list[float]]] = {name: {} for name in factories}
    for horizon, step in zip(HORIZON_NAMES, steps, strict=True):
        rows = batch_features(series, step)
        outcomes = [
            series.labels[slot + step] if slot + step < count else None
            for slot in range(count)
        ]
        forecasts = {name: [0.5] * count for name in factories}
        for day_start in range(0, count, SLOTS_PER_DAY):
            day = range(day_start, min(day_start + SLOTS_PER_DAY, count))
            known = [
                slot
                for slot in range(max(day_start - step, 0))
                if rows[slot] is not None and outcomes[slot] is not None
            ]
            past = [rows[slot] for slot in known]
            past_outcomes = [int(outcomes[slot] or 0) for slot in known]
            today = [slot for slot in day if rows[slot] is not None]
            if not today:
                continue
            if len(set(past_outcomes)) < 2:
                share = sum(past_outcomes) / len(past_outcomes) if known else 0.5
                for made in forecasts.values():
                    for slot in today:
                        made[slot] = share
                continue
            for name, factory in factories.items():
                model = factory()
                model.fit(past, past_outcomes)
                column = list(model.classes_).index(1)
                probabilities = model.predict_proba([rows[slot] for slot in today])
                for slot, row in zip(today, probabilities, strict=True):
                    forecasts[name][slot] = float(row[column])
        for name, made in forecasts.items():
            result[name][horizon] = made
    return result


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print its JSON and return it."""
    parser = argparse.ArgumentParser(description="Occupancy forecast benchmark.")
    parser.add_argument("--data", help="CSV with a time column and a 0/1 label")
    parser.add_argument("--kasteren", help="folder of van Kasteren's house A files")
    parser.add_argument(
        "--scored-from-day",
        type=int,
        default=SCORED_FROM_DAY,
        help="score forecasts for slots from this day on (default: %(default)s); "
        "a later day scores only the end of the stream",
    )
    parser.add_argument(
        "--batch-baselines",
        action="store_true",
        help="also score scikit-learn models retrained every midnight (slower)",
    )
    add_column_arguments(parser)
    arguments = parser.parse_args(argv)
    if arguments.kasteren:
        series = slots_from_kasteren(arguments.kasteren)
        source = arguments.kasteren
        evidence = "label history and recent sensor activity"
    elif arguments.data:
        if not arguments.time_column or not arguments.label_column:
            parser.error("--data needs --time-column and --label-column")
        try:
            series = slots_from_csv(
                arguments.data,
                arguments.time_column,
                arguments.label_column,
                arguments.time_format,
            )
        except DataError as error:
            parser.exit(2, f"{parser.prog}: error: {error}\n")
        source = arguments.data
        evidence = "label history only"
    else:
        parser.error("give --data FILE or --kasteren DIR")
    if arguments.scored_from_day < 1:
        parser.error("--scored-from-day counts from 1")
    first_day = arguments.scored_from_day
    scored_slots = max(len(series.labels) - (first_day - 1) * SLOTS_PER_DAY, 0)
    if not scored_slots:
        # Every figure would print as null: say why and how to score a short file.
        days = math.ceil(len(series.labels) / SLOTS_PER_DAY)
        print(
            f"{parser.prog}: the data spans {days} days and scoring starts on day "
            f"{first_day}, so nothing is scored; --scored-from-day {min(2, days)} "
            "scores its end",
            file=sys.stderr,
        )
    labelled = [label for label in series.labels if label is not None]
    result = {
        "task": "occupancy_forecast",
        "data": {
            "source": source,
            "slots": len(series.labels),
            "labelled_slots": len(labelled),
            "occupied_share": round(sum(labelled) / len(labelled), 4),
            "start": series.start.isoformat(),
            "scored_from_day": first_day,
            "scored_slots": scored_slots,
            "aiot_brain_evidence": evidence,
            **(
                {"input_checks": series.input_checks}
                if series.input_checks is not None
                else {}
            ),
        },
        "models": evaluate(
            series, first_day, batch_baselines=arguments.batch_baselines
        ),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
