"""The comfort benchmark command on small generated files."""

from __future__ import annotations

from datetime import datetime, timedelta
import gzip
import json
from pathlib import Path
import random

import pytest

from benchmarks import comfort

HEADER = (
    "index,record_id,building_id,timestamp,season,subject_id,ta,tr,rh,vel,met,clo,"
    "thermal_sensation,thermal_preference,pmv,t_out\n"
)


def _write(path: Path, rows: int = 300, *, compress: bool = False) -> Path:
    """ASHRAE-shaped rows: warm people want cooler, cold ones warmer."""
    rng = random.Random(2)
    start = datetime(2012, 1, 1)
    lines = [HEADER]
    for row in range(rows):
        building = rng.choice([10, 20])
        air = rng.uniform(18.0, 30.0)
        gap = air - (23.0 if building == 10 else 25.0)
        preference = "cooler" if gap > 1.5 else "warmer" if gap < -1.5 else "no change"
        sensation = max(-3, min(3, round(gap / 2)))
        when = start + timedelta(days=row // 10)
        # Some rows have no time or no vote, as in the real file.
        stamp = "" if row % 37 == 5 else f"{when:%Y-%m-%d}T00:00:00Z"
        vote = "" if row % 41 == 7 else preference
        lines.append(
            f"{row},{row + 1},{building},{stamp},winter,,{air:.1f},,50,0.1,1.1,0.8,"
            f"{sensation},{vote},{gap / 2:.2f},{rng.uniform(-5, 10):.1f}\n"
        )
    text = "".join(lines)
    if compress:
        target = path / "votes.csv.gz"
        target.write_bytes(gzip.compress(text.encode()))
    else:
        target = path / "votes.csv"
        target.write_text(text)
    return target


@pytest.mark.parametrize("compress", [False, True])
def test_prints_models_and_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], compress: bool
) -> None:
    data = _write(tmp_path, compress=compress)
    comfort.main(["--data", str(data)])
    result = json.loads(capsys.readouterr().out)
    assert result["task"] == "comfort"
    assert result["data"] == data.name
    assert set(result["models"]) == {
        "aiot_brain",
        "pmv_rule",
        "majority",
        "river_logistic_ovr",
        "river_gaussian_nb",
    }
    for metrics in result["models"].values():
        assert set(metrics) == {"accuracy", "macro_f1"}
        assert 0.0 <= metrics["accuracy"] <= 1.0
    # Leaking and id columns are never features; groups are not either.
    assert "thermal_sensation" not in result["features"]
    assert "pmv" not in result["features"]
    assert "record_id" not in result["features"]
    assert "building_id" not in result["features"]
    assert result["groups"] == ["building_id", "subject_id"]
    assert result["skipped_rows"] > 0
    assert result["rows"] + result["skipped_rows"] == 300
    # The pattern is learnable: the model beats always answering the majority.
    models = result["models"]
    assert models["aiot_brain"]["accuracy"] > models["majority"]["accuracy"]


def test_flags_choose_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write(tmp_path, rows=120)
    comfort.main(
        [
            "--data",
            str(data),
            "--feature-columns",
            "ta,rh",
            "--group-columns",
            "building_id,no_such_column",
            "--no-baselines",
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert result["features"] == ["ta", "rh"]
    assert result["groups"] == ["building_id"]
    assert set(result["models"]) == {"aiot_brain", "pmv_rule"}


def test_missing_vote_words_are_no_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write(tmp_path, rows=120)
    lines = data.read_text().splitlines()
    # R writes a missing vote as NA: once scored as a fourth class.
    lines[1:31] = [line.replace(",cooler,", ",NA,") for line in lines[1:31]]
    data.write_text("\n".join(lines) + "\n")
    comfort.main(["--data", str(data), "--no-baselines"])
    result = json.loads(capsys.readouterr().out)
    assert "NA" not in result["classes"]
    assert result["rows"] == sum(result["classes"].values())
    assert result["input_checks"]["rows_left_out"] == result["skipped_rows"]


def _pmv_rule(data: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    comfort.main(["--data", str(data), "--no-baselines"])
    return json.loads(capsys.readouterr().out)["models"]["pmv_rule"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ta,tr,rh,vel,met,clo", "TA,TR,RH,VEL,MET,CLO"),
        (",cooler,", ",want cooler,"),
        (",cooler,", ",-1,"),
    ],
)
def test_pmv_rule_reads_other_spellings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str
) -> None:
    data = _write(tmp_path, rows=150)
    expected = _pmv_rule(data, capsys)
    text = data.read_text().replace(old, new)
    if new == ",-1,":
        text = text.replace(",no change,", ",0,").replace(",warmer,", ",1,")
    else:
        text = text.replace(",warmer,", ",want warmer,")
    data.write_text(text)
    rule = _pmv_rule(data, capsys)
    assert rule["accuracy"] == expected["accuracy"]
    assert rule["macro_f1"] == expected["macro_f1"]


@pytest.mark.parametrize(
    ("old", "new", "note"),
    [
        (",ta,", ",air,", "air temperature"),
        (",cooler,", ",2,", "classes"),
    ],
)
def test_pmv_rule_says_why_it_cannot_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, note: str
) -> None:
    data = _write(tmp_path, rows=150)
    data.write_text(data.read_text().replace(old, new))
    rule = _pmv_rule(data, capsys)
    assert rule["accuracy"] is None
    assert rule["macro_f1"] is None
    assert note in str(rule["note"])


def test_rejects_wrong_pmv_inputs(tmp_path: Path) -> None:
    data = _write(tmp_path, rows=20)
    with pytest.raises(SystemExit):
        comfort.main(["--data", str(data), "--pmv-inputs", "ta,tr"])


def test_pmv_matches_iso_7730_example() -> None:
    # ISO 7730 Annex D: 22 °C, 0.1 m/s, 60 %, 1.2 met, 0.5 clo gives -0.75.
    assert comfort.pmv(22.0, 22.0, 0.1, 60.0, 1.2, 0.5) == pytest.approx(
        -0.75, abs=0.01
    )
    # 27 °C in the same conditions: warm, so the rule says "cooler".
    assert comfort.pmv(27.0, 27.0, 0.1, 60.0, 1.2, 0.5) == pytest.approx(0.77, abs=0.02)
    inputs = comfort.PMV_INPUTS
    assert comfort.pmv_preference({"ta": 27.0}, inputs) == "cooler"
    assert comfort.pmv_preference({"ta": 16.0, "tr": 16.0}, inputs) == "warmer"
    assert comfort.pmv_preference({"ta": 24.0, "clo": 0.6}, inputs) == "no change"
    assert comfort.pmv_preference({"ta": None}, inputs) == "no change"


def test_scores() -> None:
    result = comfort.scores(["a", "a", "b", "c"], ["a", "b", "b", ""])
    assert result["accuracy"] == 0.5
    # F1: a 2/3, b 2/3, c 0.
    assert result["macro_f1"] == pytest.approx(0.4444, abs=1e-4)
