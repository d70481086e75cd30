r"""Occupancy detection benchmark: AIoT Brain against batch baselines on a CSV.

Train/test mode::

    python -m benchmarks.occupancy_detection --train TRAIN --test TEST \\
        --time-column date --label-column Occupancy

The AIoT Brain model learns online from the training stream, then predicts the test
stream without ever seeing a test label. The baselines are trained in batch on the
training file: the best single-column threshold rule, and scikit-learn's LDA,
logistic regression and random forest on the raw feature columns.

Prequential mode (``--prequential FILE [FILE...]``): the files are joined in time
order and every row is first predicted and then learnt (test-then-train). The batch
baselines are retrained on all past rows every ``--retrain-hours`` hours of data and
predict the base rate seen so far before their first training.

Columns are mapped to sensor roles by name (CO2, light / lux / illuminance,
temperature, humidity, motion / PIR, sound / noise, door, power); the columns left
over are used by the baselines only and listed under ``"data"``. There too,
``"train_rows"`` and ``"test_rows"`` (``"rows"`` when prequential) count the rows
used, and ``"input_checks"`` the rows left out (no readable time, no 0/1 label, a
cell too many) and the feature cells that were bad or missing (empty, NA, ...).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
import json
from typing import Any

from benchmarks.csvdata import (
    DataError,
    Table,
    add_column_arguments,
    concat,
    input_checks,
    label_as_binary,
    read_from_arguments,
    read_table,
)
from custom_components.aiot_brain.brain.features import OccupancyFeatures
from custom_components.aiot_brain.brain.observation import Observation, Role
from custom_components.aiot_brain.brain.occupancy import OccupancyModel

# Name fragments (lower case) that identify a column's role; the first match wins.
ROLE_KEYWORDS: tuple[tuple[str, Role], ...] = (
    ("humidityratio", Role.HUMIDITY),  # derived from temperature and humidity
    ("co2", Role.CO2),
    ("light", Role.ILLUMINANCE),
    ("lux", Role.ILLUMINANCE),
    ("illuminance", Role.ILLUMINANCE),
    ("outdoor", Role.OUTDOOR_TEMPERATURE),
    ("temp", Role.TEMPERATURE),
    ("humid", Role.HUMIDITY),
    ("motion", Role.MOTION),
    ("pir", Role.MOTION),
    ("presence", Role.PRESENCE),
    ("sound", Role.SOUND),
    ("noise", Role.SOUND),
    ("door", Role.DOOR),
    ("power", Role.POWER),
)
DERIVED_COLUMNS = ("humidityratio",)  # recomputed by the core, so not fed twice

ECE_BINS = 10


def column_roles(columns: Sequence[str]) -> dict[str, Role]:
    """Map the columns whose names say what they measure to sensor roles."""
    roles: dict[str, Role] = {}
    for column in columns:
        key = column.lower().replace("_", "").replace(" ", "")
        if any(derived in key for derived in DERIVED_COLUMNS):
            continue
        for fragment, role in ROLE_KEYWORDS:
            if fragment in key:
                roles[column] = role
                break
    return roles


# Metrics ---------------------------------------------------------------------


def metrics(
    labels: Sequence[int], probabilities: Sequence[float]
) -> dict[str, float | None]:
    """Return accuracy, F1 of the occupied class, Brier score and ECE.

    With nothing to score every metric is None (JSON null), never NaN.
    """
    total = len(labels)
    if total == 0:
        return {
            "accuracy": None,
            "f1": None,
            "brier": None,
            "ece": None,
        }
    predicted = [1 if p >= 0.5 else 0 for p in probabilities]
    correct = sum(1 for y, q in zip(labels, predicted, strict=True) if y == q)
    true_pos = sum(1 for y, q in zip(labels, predicted, strict=True) if y and q)
    false_pos = sum(1 for y, q in zip(labels, predicted, strict=True) if q and not y)
    false_neg = sum(1 for y, q in zip(labels, predicted, strict=True) if y and not q)
    f1_denominator = 2 * true_pos + false_pos + false_neg
    brier = sum((p - y) ** 2 for y, p in zip(labels, probabilities, strict=True))
    return {
        "accuracy": round(correct / total, 4),
        "f1": round(2 * true_pos / f1_denominator, 4) if f1_denominator else 0.0,
        "brier": round(brier / total, 4),
        "ece": round(expected_calibration_error(labels, probabilities), 4),
    }


def expected_calibration_error(
    labels: Sequence[int], probabilities: Sequence[float], bins: int = ECE_BINS
) -> float:
    """Return the gap between confidence and frequency, averaged over equal bins."""
    counts = [0] * bins
    predicted = [0.0] * bins
    observed = [0.0] * bins
    for label, probability in zip(labels, probabilities, strict=True):
        index = min(int(probability * bins), bins - 1)
        counts[index] += 1
        predicted[index] += probability
        observed[index] += label
    total = sum(counts)
    return sum(
        abs(predicted[i] - observed[i]) / total for i in range(bins) if counts[i]
    )


# AIoT Brain -------------------------------------------------------------------


def observations(
    when: datetime, row: dict[str, float | None], roles: dict[str, Role]
) -> list[Observation]:
    """Turn one CSV row into observations (missing cells are simply not reported).

    Each column is its own sensor: with two PIR columns, the zone sees motion
    while either does.
    """
    return [
        Observation(role, value, when, column)
        for column, role in roles.items()
        if (value := row.get(column)) is not None
    ]


def brain_online(
    table: Table, labels: Sequence[int], roles: dict[str, Role], model: OccupancyModel
) -> list[float]:
    """Predict each row, then learn its label (test-then-train)."""
    probabilities = []
    for when, row, label in zip(table.times, table.features, labels, strict=True):
        assert when is not None
        for observation in observations(when, row, roles):
            model.observe(observation)
        features = model.features(when)
        probabilities.append(model.predict_proba_one(features)[True])
        model.learn_one(features, label)
    return probabilities


def brain_predict_only(
    table: Table, roles: dict[str, Role], model: OccupancyModel
) -> list[float]:
    """Predict each row of a new stream without learning."""
    model.builder = OccupancyFeatures()  # a different recording: start fresh
    probabilities = []
    for when, row in zip(table.times, table.features, strict=True):
        assert when is not None
        for observation in observations(when, row, roles):
            model.observe(observation)
        probabilities.append(model.predict_proba_one(model.features(when))[True])
    return probabilities


# Baselines --------------------------------------------------------------------

Matrix = list[list[float]]


def matrix(table: Table) -> Matrix:
    """Return the feature columns as rows of floats; missing cells become 0."""
    return [
        [row[column] or 0.0 for column in table.feature_columns]
        for row in table.features
    ]


class ThresholdRule:
    """The best single-column rule ``column > t`` (or ``< t``) on the training data."""

    def __init__(self) -> None:
        """Start untrained."""
        self.column = 0
        self.threshold = 0.0
        self.above = True
        self.name = ""

    def fit(self, rows: Matrix, labels: Sequence[int], names: Sequence[str]) -> None:
        """Try every split point of every column; keep the most accurate."""
        best = -1
        for column in range(len(names)):
            pairs = sorted(
                (row[column], label) for row, label in zip(rows, labels, strict=True)
            )
            positives_total = sum(labels)
            positives_below = 0
            for index, (value, label) in enumerate(pairs):
                positives_below += label
                if index + 1 < len(pairs) and pairs[index + 1][0] == value:
                    continue
                below = index + 1
                # "above" predicts 1 above the split; the opposite rule mirrors it.
                correct_above = (below - positives_below) + (
                    positives_total - positives_below
                )
                correct_below = len(pairs) - correct_above
                for correct, above in ((correct_above, True), (correct_below, False)):
                    if correct > best:
                        following = (
                            pairs[index + 1][0] if index + 1 < len(pairs) else value
                        )
                        best = correct
                        self.column, self.above = column, above
                        self.threshold = (value + following) / 2.0
                        self.name = names[column]

    def predict(self, rows: Matrix) -> list[float]:
        """Return 1.0 or 0.0 per row."""
        return [
            float((row[self.column] > self.threshold) == self.above) for row in rows
        ]

    def describe(self) -> str:
        """Return the rule in words."""
        return f"{self.name} {'>' if self.above else '<='} {self.threshold:g}"


def sklearn_models() -> dict[str, Callable[[], Any]]:
    """Return factories of the scikit-learn baselines (imported only here)."""
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis  # noqa: PLC0415
    from sklearn.ensemble import RandomForestClassifier  # noqa: PLC0415
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415
    from sklearn.pipeline import make_pipeline  # noqa: PLC0415
    from sklearn.preprocessing import StandardScaler  # noqa: PLC0415

    return {
        "lda": LinearDiscriminantAnalysis,
        "logistic_regression": lambda: make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000)
        ),
        "random_forest": lambda: RandomForestClassifier(
            n_estimators=100, min_samples_leaf=2, random_state=0, n_jobs=1
        ),
    }


def _positive_probability(model: Any, rows: Matrix) -> list[float]:
    classes = list(model.classes_)
    if 1 not in classes:
        return [0.0] * len(rows)
    column = classes.index(1)
    return [float(row[column]) for row in model.predict_proba(rows)]


# Modes --------------------------------------------------------------------------


def _labelled(table: Table) -> tuple[Table, list[int]]:
    """Drop rows whose label is not 0/1 and rows without a time; sort by time.

    Raises DataError when no row is left: a label column of other words (say
    "occupied"/"empty") would otherwise leave nothing to learn or score.
    """
    keep = [
        i
        for i, label in enumerate(table.binary_labels())
        if label is not None and table.times[i] is not None
    ]
    if not keep:
        other = sorted(
            {label for label in table.labels if label_as_binary(label) is None}
        )
        raise DataError(
            f"{table.source}: no row has a time and a 0/1 label in "
            f"{table.label_column!r}"
            + (f" (it holds {', '.join(map(repr, other[:3]))})" if other else "")
            + "; labels must be numbers or true/false, yes/no, on/off"
        )
    subset = table._subset(keep).sorted_by_time()  # noqa: SLF001
    labels = [label for label in subset.binary_labels() if label is not None]
    return subset, labels


def train_test(train: Table, test: Table, roles: dict[str, Role]) -> dict[str, Any]:
    """Train on one file, score on another; raise DataError if one class is missing."""
    train, train_labels = _labelled(train)
    test, test_labels = _labelled(test)
    if len(set(train_labels)) < 2:
        raise DataError(
            f"{train.source}: every training row has label {train_labels[0]}; "
            "the models need both classes to learn from"
        )
    results: dict[str, Any] = {}
    model = OccupancyModel()
    brain_online(train, train_labels, roles, model)
    results["aiot_brain"] = metrics(test_labels, brain_predict_only(test, roles, model))

    train_rows, test_rows = matrix(train), matrix(test)
    rule = ThresholdRule()
    rule.fit(train_rows, train_labels, train.feature_columns)
    results["threshold_rule"] = {
        **metrics(test_labels, rule.predict(test_rows)),
        "rule": rule.describe(),
    }
    for name, factory in sklearn_models().items():
        baseline = factory()
        baseline.fit(train_rows, train_labels)
        results[name] = metrics(test_labels, _positive_probability(baseline, test_rows))
    return results


def prequential(
    table: Table, roles: dict[str, Role], retrain_hours: float
) -> dict[str, Any]:
    """Test-then-train over one stream; baselines retrain on the past periodically."""
    table, labels = _labelled(table)
    results: dict[str, Any] = {}
    results["aiot_brain"] = metrics(
        labels, brain_online(table, labels, roles, OccupancyModel())
    )
    rows = matrix(table)
    names = table.feature_columns
    factories: dict[str, Callable[[], Any]] = dict(sklearn_models())
    predictions: dict[str, list[float]] = {"threshold_rule": []}
    predictions.update({name: [] for name in factories})
    for start, end in _segments(table.times, timedelta(hours=retrain_hours)):
        past, past_labels, block = rows[:start], labels[:start], rows[start:end]
        if len(set(past_labels)) < 2:
            # Nothing to train on yet: predict the base rate seen so far.
            base_rate = sum(past_labels) / len(past_labels) if past_labels else 0.5
            for made in predictions.values():
                made.extend([base_rate] * len(block))
            continue
        rule = ThresholdRule()
        rule.fit(past, past_labels, names)
        predictions["threshold_rule"].extend(rule.predict(block))
        for name, factory in factories.items():
            baseline = factory()
            baseline.fit(past, past_labels)
            predictions[name].extend(_positive_probability(baseline, block))
    for name, made in predictions.items():
        results[name] = metrics(labels, made)
    return results


def _segments(
    times: Sequence[datetime | None], step: timedelta
) -> list[tuple[int, int]]:
    """Split row indexes into blocks of ``step`` data time (retraining points)."""
    segments: list[tuple[int, int]] = []
    start = 0
    for index, when in enumerate(times):
        first = times[start]
        assert when is not None
        assert first is not None
        if when >= first + step:
            segments.append((start, index))
            start = index
    segments.append((start, len(times)))
    return segments


def _scored(table: Table) -> int:
    """Rows with a time and a 0/1 label: the rows learnt from or scored."""
    return sum(
        label is not None and when is not None
        for label, when in zip(table.binary_labels(), table.times, strict=True)
    )


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    """Run the mode the arguments choose; return the JSON-ready result."""
    data: dict[str, Any]
    if arguments.prequential:
        table = concat(
            [read_from_arguments(p, arguments) for p in arguments.prequential]
        )
        roles = column_roles(table.feature_columns)
        models = prequential(table, roles, arguments.retrain_hours)
        data = {
            "files": arguments.prequential,
            "rows": _scored(table),
            "input_checks": input_checks(table, _scored(table)),
        }
        task = "occupancy_detection_prequential"
        note = (
            "test-then-train over the files in time order; batch baselines retrain "
            f"on all past rows every {arguments.retrain_hours:g} h of data"
        )
    else:
        table = read_from_arguments(arguments.train, arguments)
        test = read_table(
            arguments.test,
            time_column=arguments.time_column,
            label_column=arguments.label_column,
            feature_columns=table.feature_columns,
            time_format=arguments.time_format,
        )
        roles = column_roles(table.feature_columns)
        models = train_test(table, test, roles)
        data = {
            "train": arguments.train,
            "test": arguments.test,
            "train_rows": _scored(table),
            "test_rows": _scored(test),
            "input_checks": {
                "train": input_checks(table, _scored(table)),
                "test": input_checks(test, _scored(test)),
            },
        }
        task = "occupancy_detection"
        note = "aiot_brain learns online from the training stream, then only predicts"
    data["roles"] = {column: role.value for column, role in roles.items()}
    data["baseline_only_columns"] = [
        column for column in table.feature_columns if column not in roles
    ]
    return {"task": task, "data": data, "note": note, "models": models}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print its JSON and return it.

    Data it cannot use (no such column, labels that are not 0/1, one class to
    train on) ends it with status 2 and one line on stderr, as a bad flag does.
    """
    parser = argparse.ArgumentParser(description="Occupancy detection benchmark.")
    parser.add_argument("--train", help="training CSV")
    parser.add_argument("--test", help="test CSV, scored without its labels")
    parser.add_argument("--prequential", nargs="+", help="CSV files of one stream")
    parser.add_argument(
        "--retrain-hours",
        type=float,
        default=6.0,
        help="how often the batch baselines retrain in prequential mode",
    )
    add_column_arguments(parser, time_column="date", label_column="Occupancy")
    arguments = parser.parse_args(argv)
    if not arguments.prequential and not (arguments.train and arguments.test):
        parser.error("give --train and --test, or --prequential FILE [FILE...]")
    try:
        result = run(arguments)
    except DataError as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
