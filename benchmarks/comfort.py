"""Thermal preference benchmark: prequential accuracy against the PMV rule.

    python -m benchmarks.comfort --data FILE --label-column thermal_preference

Rows are taken in time order and each is first predicted, then learned from
(test-then-train); rows without a readable time or label are left out and counted
(``"skipped_rows"``; ``"input_checks"`` adds rows with a cell too many and counts the
bad and missing feature cells).
Features are every numeric column except the time, the label, the group columns and
the columns that would leak the answer (``--exclude-columns``, by default the other
votes and the indices computed from them: thermal_sensation, thermal_comfort,
thermal_acceptability, the air-movement votes, pmv, ppd, pmv_ce, ppd_ce, set, and the
row and record ids). ``--group-columns`` (default building_id and subject_id, when
present) name groups the model may adapt to.

The PMV rule computes Fanger's PMV (ISO 7730) from ta, tr (ta when missing), vel,
rh, met and clo, and maps PMV > +0.5 to "cooler", PMV < -0.5 to "warmer", else "no
change". Missing inputs take typical indoor values (vel 0.1 m/s, rh 50 %, met 1.2,
clo 0.7); ``--pmv-inputs`` names the six columns in another file (in any letter
case; they must be feature columns). Classes named otherwise are matched by word
("want cooler") or on a -1/0/1 scale; where the air temperature column or such
classes are missing the rule's metrics are null, with a "note" why. For context the
same stream also feeds the majority class so far and two plain river classifiers
(logistic regression one-vs-rest on standardised features, Gaussian naive Bayes);
``--no-baselines`` leaves them out. ``--feature-columns`` fixes the features.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
import csv
import json
import math
from pathlib import Path
from typing import Any

from benchmarks.csvdata import (
    DataError,
    add_column_arguments,
    input_checks,
    open_text,
    parse_number,
    read_table,
)
from custom_components.aiot_brain.brain.comfort import ThermalPreference

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "ashrae_db2"
    / "db_measurements_nonoffice.csv.gz"
)
# Votes and indices derived from votes: using them would be reading the answer.
LEAKING_COLUMNS = (
    "thermal_sensation",
    "thermal_comfort",
    "thermal_acceptability",
    "air_movement_acceptability",
    "air_movement_preference",
    "pmv",
    "ppd",
    "pmv_ce",
    "ppd_ce",
    "set",
    "record_id",
    "index",
)
GROUP_COLUMNS = ("building_id", "subject_id")
PMV_INPUTS = ("ta", "tr", "vel", "rh", "met", "clo")
PMV_DEFAULTS = {"vel": 0.1, "rh": 50.0, "met": 1.2, "clo": 0.7}
# The rule's answers, found in class names by a word ("want cooler") or a number on
# a -1/0/1 scale (both ends present, so 0/1 yes/no labels are not taken for it).
PMV_ANSWERS = {
    "cooler": ("cool", -1.0),
    "no change": ("no change", 0.0),
    "warmer": ("warm", 1.0),
}

Features = dict[str, float | None]


def pmv(  # noqa: PLR0917 - the formula's six inputs read best in order
    air_temperature: float,
    radiant_temperature: float,
    air_speed: float,
    relative_humidity: float,
    metabolic_rate: float,
    clothing: float,
    external_work: float = 0.0,
) -> float:
    """Fanger's predicted mean vote (ISO 7730) for °C, m/s, %, met and clo."""
    vapour_pressure = (
        relative_humidity
        * 10.0
        * math.exp(16.6536 - 4030.183 / (air_temperature + 235.0))
    )
    clothing_insulation = 0.155 * clothing  # m²K/W
    metabolism = metabolic_rate * 58.15  # W/m²
    internal_heat = metabolism - external_work * 58.15
    clothing_area = (
        1.0 + 1.29 * clothing_insulation
        if clothing_insulation <= 0.078
        else 1.05 + 0.645 * clothing_insulation
    )
    forced_convection = 12.1 * math.sqrt(max(air_speed, 0.0))
    air_kelvin = air_temperature + 273.0
    radiant_kelvin = radiant_temperature + 273.0
    # Solve the clothing surface temperature by fixed-point iteration.
    p1 = clothing_insulation * clothing_area
    p2 = p1 * 3.96
    p3 = p1 * 100.0
    p4 = p1 * air_kelvin
    p5 = 308.7 - 0.028 * internal_heat + p2 * (radiant_kelvin / 100.0) ** 4
    surface = (
        air_kelvin + (35.5 - air_temperature) / (3.5 * clothing_insulation + 0.1)
    ) / 100.0
    previous = surface * 2.0
    convection = forced_convection
    for _ in range(150):
        if abs(surface - previous) <= 0.00015:
            break
        previous = (previous + surface) / 2.0
        natural_convection = 2.38 * abs(100.0 * previous - air_kelvin) ** 0.25
        convection = max(forced_convection, natural_convection)
        surface = (p5 + p4 * convection - p2 * previous**4) / (100.0 + p3 * convection)
    clothing_temperature = 100.0 * surface - 273.0
    skin_diffusion = 3.05e-3 * (5733.0 - 6.99 * internal_heat - vapour_pressure)
    sweating = 0.42 * (internal_heat - 58.15) if internal_heat > 58.15 else 0.0
    latent_respiration = 1.7e-5 * metabolism * (5867.0 - vapour_pressure)
    dry_respiration = 0.0014 * metabolism * (34.0 - air_temperature)
    radiation = 3.96 * clothing_area * (surface**4 - (radiant_kelvin / 100.0) ** 4)
    convection_loss = (
        clothing_area * convection * (clothing_temperature - air_temperature)
    )
    sensitivity = 0.303 * math.exp(-0.036 * metabolism) + 0.028
    return sensitivity * (
        internal_heat
        - skin_diffusion
        - sweating
        - latent_respiration
        - dry_respiration
        - radiation
        - convection_loss
    )


def pmv_preference(features: Mapping[str, float | None], inputs: Sequence[str]) -> str:
    """Map PMV to a preference: warm people want cooler, cold people warmer."""
    names = dict(zip(PMV_INPUTS, inputs, strict=True))
    air = features.get(names["ta"])
    if air is None:
        return "no change"
    radiant = features.get(names["tr"])

    def value(key: str) -> float:
        number = features.get(names[key])
        return PMV_DEFAULTS[key] if number is None else number

    vote = pmv(
        air,
        air if radiant is None else radiant,
        value("vel"),
        value("rh"),
        value("met"),
        value("clo"),
    )
    if vote > 0.5:
        return "cooler"
    if vote < -0.5:
        return "warmer"
    return "no change"


def pmv_classes(labels: Iterable[str]) -> dict[str, str] | None:
    """Map each PMV rule answer to the label class naming it; None if unclear."""
    classes = set(labels)
    mapping: dict[str, str] = {}
    for label in classes:
        answer = _pmv_answer(label)
        if answer is None or answer in mapping:
            return None
        mapping[answer] = label
    numbers = {parse_number(label) for label in classes}
    if numbers != {None} and not {-1.0, 1.0} <= numbers:
        return None
    return {answer: mapping[answer] for answer in PMV_ANSWERS if answer in mapping}


def _pmv_answer(label: str) -> str | None:
    number = parse_number(label)
    lowered = label.lower()
    found = [
        answer
        for answer, (word, value) in PMV_ANSWERS.items()
        if (number == value if number is not None else word in lowered)
    ]
    return found[0] if len(found) == 1 else None


def pmv_rule_scores(
    rows: Sequence[tuple[Features, dict[str, str], str]],
    feature_columns: Sequence[str],
    pmv_inputs: Sequence[str],
) -> dict[str, Any]:
    """Score the PMV rule; metrics are None, with a note, where it cannot answer."""
    columns = {name.lower(): name for name in feature_columns}
    if pmv_inputs[0].lower() not in columns:
        return _unscored(
            f"no air temperature column {pmv_inputs[0]!r} among the features "
            "(--pmv-inputs names the rule's columns)"
        )
    classes = sorted({label for _, _, label in rows})
    mapping = pmv_classes(classes)
    if mapping is None:
        return _unscored(
            f"the classes {classes} are not cooler / no change / warmer "
            "(nor -1 / 0 / 1)"
        )
    inputs = [columns.get(name.lower(), name) for name in pmv_inputs]

    def predict(features: Features, _groups: dict[str, str]) -> str:
        answer = pmv_preference(features, inputs)
        return mapping.get(answer, answer)

    result: dict[str, Any] = prequential(
        rows, predict, lambda _features, _groups, _label: None
    )
    if any(answer != label for answer, label in mapping.items()):
        result["note"] = f"classes read as the rule's answers: {mapping}"
    return result


def _unscored(note: str) -> dict[str, Any]:
    return {"accuracy": None, "macro_f1": None, "note": note}


def scores(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro F1 over the classes in the truth."""
    pairs = Counter(zip(truth, predicted, strict=True))
    classes = sorted(set(truth))
    f1s = []
    for label in classes:
        hits = pairs[(label, label)]
        predicted_as = sum(n for (_, guess), n in pairs.items() if guess == label)
        actual = sum(n for (real, _), n in pairs.items() if real == label)
        f1s.append(2.0 * hits / (predicted_as + actual) if hits else 0.0)
    correct = sum(n for (real, guess), n in pairs.items() if real == guess)
    return {
        "accuracy": round(correct / len(truth), 4) if truth else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
    }


def prequential(
    rows: Sequence[tuple[Features, dict[str, str], str]],
    predict: Callable[[Features, dict[str, str]], str | None],
    learn: Callable[[Features, dict[str, str], str], None],
) -> dict[str, float]:
    """Test then train over ``rows`` in order; a model without an answer is wrong."""
    truth, predicted = [], []
    for features, groups, label in rows:
        predicted.append(predict(features, groups) or "")
        learn(features, groups, label)
        truth.append(label)
    return scores(truth, predicted)


def _numbers(features: Features) -> dict[str, float]:
    return {key: value for key, value in features.items() if value is not None}


def _river_model(kind: str) -> Any:
    # Imported here: river is slow to import and only these baselines need it.
    from river import (  # noqa: PLC0415
        compose,
        linear_model,
        multiclass,
        naive_bayes,
        optim,
        preprocessing,
    )

    if kind == "logistic":
        return compose.Pipeline(
            preprocessing.StandardScaler(),
            multiclass.OneVsRestClassifier(
                linear_model.LogisticRegression(optimizer=optim.SGD(0.01))
            ),
        )
    return naive_bayes.GaussianNB()


def _header(path: str | Path) -> list[str]:
    with open_text(path) as handle:
        first = handle.readline()
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            first, delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    return [name.strip() for name in next(csv.reader([first], dialect), [])]


def run(
    path: str | Path,
    *,
    time_column: str | None,
    label_column: str,
    feature_columns: Sequence[str] | None = None,
    exclude_columns: Sequence[str] = LEAKING_COLUMNS,
    group_columns: Sequence[str] = GROUP_COLUMNS,
    pmv_inputs: Sequence[str] = PMV_INPUTS,
    baselines: bool = True,
    time_format: str | None = None,
) -> dict[str, Any]:
    """Run every model over the file and return the JSON-ready result."""
    header = {name.lower() for name in _header(path)}
    present = [name for name in group_columns if name.lower() in header]
    table = read_table(
        path,
        time_column=time_column,
        label_column=label_column,
        feature_columns=feature_columns,
        text_columns=present,
        exclude_columns=[
            name
            for name in exclude_columns
            if name.lower() in header and name not in present
        ],
        time_format=time_format,
    ).sorted_by_time()
    rows = [
        (features, groups, label)
        for features, groups, label in zip(
            table.features, table.text, table.labels, strict=True
        )
    ]
    model = ThermalPreference(group_keys=tuple(present))

    def predict_brain(features: Features, groups: dict[str, str]) -> str | None:
        return model.predict_one({**features, **groups})

    def learn_brain(features: Features, groups: dict[str, str], label: str) -> None:
        model.learn_one({**features, **groups}, label)

    models: dict[str, dict[str, Any]] = {
        "aiot_brain": prequential(rows, predict_brain, learn_brain)
    }
    models["pmv_rule"] = pmv_rule_scores(rows, table.feature_columns, pmv_inputs)
    if baselines:
        majority: Counter[str] = Counter()
        models["majority"] = prequential(
            rows,
            lambda _features, _groups: (
                majority.most_common(1)[0][0] if majority else None
            ),
            lambda _features, _groups, label: majority.update([label]),
        )
        for name, kind in (
            ("river_logistic_ovr", "logistic"),
            ("river_gaussian_nb", "bayes"),
        ):
            baseline = _river_model(kind)
            models[name] = prequential(
                rows,
                lambda features, _groups, b=baseline: b.predict_one(_numbers(features)),
                lambda features, _groups, label, b=baseline: b.learn_one(
                    _numbers(features), label
                ),
            )
    return {
        "task": "comfort",
        "data": table.source,
        "rows": len(rows),
        "skipped_rows": table.skipped_rows,
        "input_checks": input_checks(table),
        "classes": dict(sorted(Counter(table.labels).items())),
        "features": table.feature_columns,
        "groups": present,
        "models": models,
        "state_bytes": len(json.dumps(model.to_dict())),
    }


def _columns(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line, run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="CSV file (or .gz)")
    add_column_arguments(
        parser, time_column="timestamp", label_column="thermal_preference"
    )
    parser.add_argument(
        "--exclude-columns",
        type=_columns,
        default=list(LEAKING_COLUMNS),
        help="numeric columns never used as features (default: %(default)s)",
    )
    parser.add_argument(
        "--group-columns",
        type=_columns,
        default=list(GROUP_COLUMNS),
        help="columns naming groups to adapt to, if present (default: %(default)s)",
    )
    parser.add_argument(
        "--pmv-inputs",
        type=_columns,
        default=list(PMV_INPUTS),
        help="columns for ta, tr, vel, rh, met, clo of the PMV rule",
    )
    parser.add_argument(
        "--no-baselines",
        action="store_true",
        help="only AIoT Brain and the PMV rule (faster)",
    )
    arguments = parser.parse_args(argv)
    if len(arguments.pmv_inputs) != len(PMV_INPUTS):
        parser.error("--pmv-inputs takes six columns: ta, tr, vel, rh, met, clo")
    try:
        result = run(
            arguments.data,
            time_column=arguments.time_column or None,
            label_column=arguments.label_column,
            feature_columns=arguments.feature_columns,
            exclude_columns=arguments.exclude_columns,
            group_columns=arguments.group_columns,
            pmv_inputs=arguments.pmv_inputs,
            baselines=not arguments.no_baselines,
            time_format=arguments.time_format,
        )
    except DataError as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
