"""The occupancy benchmark commands on small generated files."""

from __future__ import annotations

from datetime import datetime, timedelta
import gzip
import json
from pathlib import Path
import random

import pytest

from benchmarks import occupancy_detection, occupancy_forecast
from custom_components.aiot_brain.brain.observation import Role

START = datetime(2015, 2, 2, 0, 0)


def office_rows(days: int, seed: int, start: datetime = START) -> list[str]:
    """One row a minute of an office: lights and CO2 follow the people."""
    rng = random.Random(seed)
    rows = []
    co2 = 430.0
    for minute in range(days * 24 * 60):
        when = start + timedelta(minutes=minute)
        occupied = when.weekday() < 5 and 8 <= when.hour < 17
        co2 += (6.0 if occupied else 0.0) - 0.02 * (co2 - 430.0)
        light = (450.0 if occupied else 0.0) + rng.gauss(0, 10)
        rows.append(
            f'"{minute + 1}","{when:%Y-%m-%d %H:%M:%S}",{21 + rng.random():.2f},'
            f"{27 + rng.random():.3f},{max(light, 0):.1f},{co2 + rng.gauss(0, 5):.1f},"
            f"0.0048,{int(occupied)}"
        )
    return rows


HEADER = '"date","Temperature","Humidity","Light","CO2","HumidityRatio","Occupancy"'


def write_csv(path: Path, rows: list[str], *, compress: bool = False) -> Path:
    text = "\n".join([HEADER, *rows]) + "\n"
    if compress:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_detection_train_test_prints_the_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train = write_csv(tmp_path / "train.txt", office_rows(2, seed=1))
    test = write_csv(
        tmp_path / "test.gz",
        office_rows(1, seed=2, start=START + timedelta(days=3)),
        compress=True,
    )
    result = occupancy_detection.main(
        ["--train", str(train), "--test", str(test), "--time-column", "date"]
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed == result
    assert printed["task"] == "occupancy_detection"
    assert printed["data"]["roles"]["CO2"] == "co2"
    assert printed["data"]["baseline_only_columns"] == ["HumidityRatio"]
    models = printed["models"]
    assert set(models) == {
        "aiot_brain",
        "threshold_rule",
        "lda",
        "logistic_regression",
        "random_forest",
    }
    for metrics in models.values():
        assert {"accuracy", "f1", "brier", "ece"} <= set(metrics)
    assert models["aiot_brain"]["accuracy"] > 0.95
    assert models["threshold_rule"]["rule"].startswith(("Light", "CO2"))


def test_detection_test_header_in_another_letter_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train = write_csv(tmp_path / "train.csv", office_rows(2, seed=1))
    rows = office_rows(1, seed=2, start=START + timedelta(days=3))
    test = tmp_path / "test.csv"
    test.write_text("\n".join([HEADER.lower(), *rows]) + "\n", encoding="utf-8")
    result = occupancy_detection.main(["--train", str(train), "--test", str(test)])
    capsys.readouterr()
    # The model sees the test file's sensors, not an empty room.
    assert result["models"]["aiot_brain"]["accuracy"] > 0.95


def test_detection_reads_trailing_separators_and_a_ragged_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without the index column, with a trailing comma per row, one row a cell over.
    rows = [row.split(",", 1)[1] + "," for row in office_rows(2, seed=1)]
    rows[100] += "9"
    train = tmp_path / "train.csv"
    train.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    test = write_csv(tmp_path / "test.csv", office_rows(1, seed=2, start=START))
    result = occupancy_detection.main(["--train", str(train), "--test", str(test)])
    capsys.readouterr()
    assert result["data"]["train_rows"] == 2 * 24 * 60 - 1
    assert result["models"]["aiot_brain"]["accuracy"] > 0.95


def relabel(rows: list[str], words: dict[str, str]) -> list[str]:
    return [row[:-1] + words[row[-1]] for row in rows]


@pytest.mark.parametrize(
    ("train_rows", "message"),
    [
        (relabel(office_rows(1, seed=1), {"1": "occupied", "0": "empty"}), "0/1"),
        (office_rows(1, seed=1)[600:605], "both classes"),
    ],
)
def test_detection_rejects_unusable_labels_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    train_rows: list[str],
    message: str,
) -> None:
    train = write_csv(tmp_path / "train.csv", train_rows)
    test = write_csv(tmp_path / "test.csv", office_rows(1, seed=2))
    with pytest.raises(SystemExit) as stopped:
        occupancy_detection.main(["--train", str(train), "--test", str(test)])
    assert stopped.value.code == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert message in printed.err
    assert len(printed.err.strip().splitlines()) == 1


def test_detection_counts_only_the_rows_it_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = office_rows(2, seed=1)
    rows[:10] = relabel(rows[:10], {"0": "maybe", "1": "maybe"})
    train = write_csv(tmp_path / "train.csv", rows)
    test = write_csv(tmp_path / "test.csv", office_rows(1, seed=2))
    result = occupancy_detection.main(["--train", str(train), "--test", str(test)])
    capsys.readouterr()
    assert result["data"]["train_rows"] == 2 * 24 * 60 - 10
    assert result["data"]["test_rows"] == 24 * 60


def test_detection_reports_what_it_could_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = office_rows(1, seed=1)
    rows[1] = rows[1].replace(",0.0048,", ",NA,")  # missing
    rows[2] = rows[2].replace(",0.0048,", ",oops,")  # bad
    rows[3] += ",7"  # a cell too many
    rows[4] = rows[4][:-1] + "maybe"  # no 0/1 label
    train = write_csv(tmp_path / "train.csv", rows)
    test = write_csv(tmp_path / "test.csv", office_rows(1, seed=2))
    result = occupancy_detection.main(["--train", str(train), "--test", str(test)])
    capsys.readouterr()
    checks = result["data"]["input_checks"]
    assert checks["train"] == {"rows_left_out": 2, "bad_cells": 1, "missing_cells": 1}
    assert checks["test"] == {"rows_left_out": 0, "bad_cells": 0, "missing_cells": 0}


def test_detection_prequential_prints_the_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    later = write_csv(
        tmp_path / "b.txt", office_rows(1, seed=3, start=START + timedelta(days=1))
    )
    earlier = write_csv(tmp_path / "a.txt", office_rows(1, seed=4))
    result = occupancy_detection.main(
        ["--prequential", str(later), str(earlier), "--retrain-hours", "12"]
    )
    assert json.loads(capsys.readouterr().out) == result
    assert result["task"] == "occupancy_detection_prequential"
    assert result["data"]["rows"] == 2 * 24 * 60
    assert "retrain" in result["note"]
    assert result["models"]["aiot_brain"]["accuracy"] > 0.95
    assert set(result["models"]["lda"]) == {"accuracy", "f1", "brier", "ece"}


def test_detection_needs_files() -> None:
    with pytest.raises(SystemExit):
        occupancy_detection.main([])


def test_metrics_and_threshold_rule() -> None:
    scores = occupancy_detection.metrics([1, 0, 1, 0], [0.9, 0.1, 0.4, 0.2])
    assert scores["accuracy"] == 0.75
    assert scores["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["brier"] == pytest.approx((0.01 + 0.01 + 0.36 + 0.04) / 4, abs=1e-4)
    # perfectly calibrated: each bin's mean prediction equals its frequency
    assert occupancy_detection.expected_calibration_error([1, 0], [0.5, 0.5]) == 0.0
    assert occupancy_detection.expected_calibration_error([1, 1], [0.0, 0.0]) == 1.0
    rule = occupancy_detection.ThresholdRule()
    rows = [[5.0, 1.0], [4.0, 2.0], [1.0, 3.0], [0.0, 4.0]]
    rule.fit(rows, [0, 0, 1, 1], ["a", "b"])
    assert rule.predict(rows) == [0.0, 0.0, 1.0, 1.0]
    assert rule.describe() in {"a <= 2.5", "b > 2.5"}


def test_column_roles() -> None:
    roles = occupancy_detection.column_roles(
        ["CO2", "Light", "HumidityRatio", "Humidity", "outdoor_temp", "pir_1", "x"]
    )
    assert roles == {
        "CO2": Role.CO2,
        "Light": Role.ILLUMINANCE,
        "Humidity": Role.HUMIDITY,
        "outdoor_temp": Role.OUTDOOR_TEMPERATURE,
        "pir_1": Role.MOTION,
    }


def test_each_pir_column_is_its_own_sensor() -> None:
    roles = occupancy_detection.column_roles(["pir_1", "pir_2"])
    model = occupancy_detection.OccupancyModel()
    for minute, (first, second) in enumerate([(1.0, 1.0), (1.0, 0.0), (1.0, 0.0)]):
        row: dict[str, float | None] = {"pir_1": first, "pir_2": second}
        for observation in occupancy_detection.observations(
            START + timedelta(minutes=minute), row, roles
        ):
            model.observe(observation)
    assert model.features(START + timedelta(minutes=2))["motion_now"] == 1.0


def test_forecast_on_a_csv_prints_every_horizon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["time,occupied"]
    when = datetime(2024, 1, 1)
    while when < datetime(2024, 1, 15):
        occupied = when.weekday() < 5 and 8 <= when.hour < 17
        lines.append(f"{when:%Y-%m-%d %H:%M},{int(occupied)}")
        when += timedelta(minutes=5)
    path = tmp_path / "home.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = occupancy_forecast.main(
        ["--data", str(path), "--time-column", "time", "--label-column", "occupied"]
    )
    assert json.loads(capsys.readouterr().out) == result
    assert result["task"] == "occupancy_forecast"
    models = result["models"]
    assert set(models) == {"aiot_brain", "persistence", "time_of_day"}
    for horizons in models.values():
        assert set(horizons) == {"15min", "30min", "1h", "2h", "6h"}
        for scores in horizons.values():
            assert set(scores) == {"accuracy", "brier"}
    # A regular schedule: the learnt forecast beats persistence at 6 h.
    assert (
        models["aiot_brain"]["6h"]["accuracy"] > models["persistence"]["6h"]["accuracy"]
    )


def test_forecast_on_a_csv_reports_the_rows_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["time,occupied"]
    when = datetime(2024, 1, 1)
    while when < datetime(2024, 1, 9):
        lines.append(f"{when:%Y-%m-%d %H:%M},{int(8 <= when.hour < 17)}")
        when += timedelta(hours=1)
    lines[5] = lines[5].rsplit(",", 1)[0] + ",maybe"  # no 0/1 label
    lines[6] = "yesterday," + lines[6].rsplit(",", 1)[1]  # no readable time
    lines[7] += ",1"  # a cell too many
    path = tmp_path / "home.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = occupancy_forecast.main(
        ["--data", str(path), "--time-column", "time", "--label-column", "occupied"]
    )
    capsys.readouterr()
    assert result["data"]["input_checks"]["rows_left_out"] == 3
    kasteren_like = occupancy_forecast.SlotSeries(datetime(2024, 1, 1), [1, 0])
    assert kasteren_like.input_checks is None


def test_forecast_scores_from_a_later_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["time,occupied"]
    when = datetime(2024, 1, 1)
    while when < datetime(2024, 1, 15):
        occupied = 8 <= when.hour < 17
        lines.append(f"{when:%Y-%m-%d %H:%M},{int(occupied)}")
        when += timedelta(hours=1)
    path = tmp_path / "home.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arguments = ["--data", str(path), "--time-column", "time"]
    arguments += ["--label-column", "occupied"]
    default = occupancy_forecast.main(arguments)
    later = occupancy_forecast.main([*arguments, "--scored-from-day", "12"])
    capsys.readouterr()
    assert default["data"]["scored_from_day"] == 8
    assert later["data"]["scored_from_day"] == 12
    # Days 8-11 are scored by default only.
    slots = default["data"]["slots"]
    assert default["data"]["scored_slots"] == slots - 7 * 96
    assert later["data"]["scored_slots"] == slots - 11 * 96
    with pytest.raises(SystemExit):
        occupancy_forecast.main([*arguments, "--scored-from-day", "0"])


def three_days_at_work(path: Path) -> Path:
    """Write three days of quarter hours, occupied 8-17 h, to ``path``."""
    lines = ["time,occupied"]
    when = datetime(2024, 1, 1)
    while when < datetime(2024, 1, 4):
        lines.append(f"{when:%Y-%m-%d %H:%M},{int(8 <= when.hour < 17)}")
        when += timedelta(minutes=15)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_forecast_on_data_shorter_than_the_first_scored_day_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Three days (UCI's test file is about as long): nothing from day 8 on.
    path = three_days_at_work(tmp_path / "short.csv")
    arguments = ["--data", str(path), "--time-column", "time"]
    arguments += ["--label-column", "occupied"]
    result = occupancy_forecast.main(arguments)
    printed = capsys.readouterr()
    assert json.loads(printed.out) == result
    assert result["data"]["scored_slots"] == 0
    assert result["models"]["aiot_brain"]["1h"]["accuracy"] is None
    assert "3 days" in printed.err
    assert "--scored-from-day 2" in printed.err
    # Scoring from day 2 scores its last two days, with nothing said.
    later = occupancy_forecast.main([*arguments, "--scored-from-day", "2"])
    printed = capsys.readouterr()
    assert later["data"]["scored_slots"] == 2 * 96
    assert later["models"]["aiot_brain"]["1h"]["accuracy"] is not None
    assert printed.err == ""


def test_forecast_reads_unix_times(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two days every 5 minutes in epoch seconds: once millions of slots from 1423.
    start = 1422835200  # 2015-02-02 00:00 UTC
    lines = ["time,occupied"]
    lines += [f"{start + 300 * i},{int(96 <= i % 288 < 204)}" for i in range(576)]
    path = tmp_path / "epoch.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = occupancy_forecast.main(
        ["--data", str(path), "--time-column", "time", "--label-column", "occupied"]
    )
    capsys.readouterr()
    assert result["data"]["start"] == "2015-02-02T00:00:00"
    assert result["data"]["slots"] == 192
    assert result["data"]["labelled_slots"] == 192


def test_forecast_needs_data(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        occupancy_forecast.main([])
    with pytest.raises(SystemExit):
        occupancy_forecast.main(["--data", str(tmp_path / "x.csv")])


def test_kasteren_format_and_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legend = (
        "Start time: start of an activity\r\nactivity id list:\r\n1: 'leave house'\r\n"
    )
    header = "Start time          \tEnd time            \tID\r\n--\t--\t--\r\n"
    activities = []
    sensors = []
    day = datetime(2008, 2, 25)
    fmt = "%d-%b-%Y %H:%M:%S"
    for number in range(9):
        morning = day + timedelta(days=number, hours=9)
        evening = day + timedelta(days=number, hours=18)
        activities.append(f"{morning:{fmt}}\t{evening:{fmt}}\t1")
        door_out = morning - timedelta(minutes=1)
        door_in = evening + timedelta(seconds=30)
        fridge = door_in + timedelta(minutes=2)
        for moment, ident in ((door_out, 12), (door_in, 12), (fridge, 8)):
            end = moment + timedelta(seconds=20)
            sensors.append(f"{moment:{fmt}}\t{end:{fmt}}\t{ident}\t1")
    (tmp_path / "kasterenActData.txt").write_text(
        legend + header + "\r\n".join(activities) + "\r\n", encoding="latin-1"
    )
    (tmp_path / "kasterenSenseData.txt").write_text(
        header + "\r\n".join(sensors) + "\r\n", encoding="latin-1"
    )
    series = occupancy_forecast.slots_from_kasteren(tmp_path)
    assert series.start == day
    assert series.labels[9 * 4 - 1] == 1  # 8:45-9:00 at home
    assert series.labels[9 * 4] == 0  # 9:00-9:15 away
    assert series.labels[18 * 4] == 1  # 18:00-18:15 home again
    # The door at 18:00:30 followed by the fridge: someone came in.
    assert series.evidence[18 * 4]["door_then_activity"] > 0.3
    assert series.evidence[18 * 4]["door_then_quiet"] == 0.0
    assert series.evidence[9 * 4]["door_then_quiet"] > 0.0
    # The next morning's departure: the evening's fridge was before the door, so
    # it no longer counts as activity inside.
    next_morning = series.evidence[96 + 9 * 4]
    assert next_morning["door_then_quiet"] > 0.0
    assert next_morning["activity_slow"] == 0.0
    assert series.evidence[96 + 9 * 4 - 2]["activity_slow"] > 0.0
    result = occupancy_forecast.main(["--kasteren", str(tmp_path)])
    assert json.loads(capsys.readouterr().out) == result
    assert set(result["models"]["aiot_brain"]) == {"15min", "30min", "1h", "2h", "6h"}
    assert result["data"]["aiot_brain_evidence"].endswith("sensor activity")


def test_kasteren_ids_come_from_the_legends(tmp_path: Path) -> None:
    fmt = "%d-%b-%Y %H:%M:%S"
    day = datetime(2008, 3, 3)
    out, back = day + timedelta(hours=9), day + timedelta(hours=18)
    (tmp_path / "kasterenActData.txt").write_text(
        "activity id list:\r\n1: 'use toilet'\r\n7: 'leave house'\r\n"
        f"{day + timedelta(hours=8):{fmt}}\t{day + timedelta(hours=8, minutes=5):{fmt}}"
        f"\t1\r\n{out:{fmt}}\t{back:{fmt}}\t7\r\n",
        encoding="latin-1",
    )
    sensors = [(out - timedelta(minutes=1), 3), (out - timedelta(minutes=30), 12)]
    (tmp_path / "kasterenSenseData.txt").write_text(
        "Sensor IDs are:\r\n    [ 3]    'Front door'  \r\n    [12]    'Fridge'\r\n"
        + "".join(
            f"{moment:{fmt}}\t{moment + timedelta(seconds=5):{fmt}}\t{ident}\t1\r\n"
            for moment, ident in sensors
        ),
        encoding="latin-1",
    )
    series = occupancy_forecast.slots_from_kasteren(tmp_path)
    assert series.labels[8 * 4] == 1  # on the toilet, not away
    assert series.labels[10 * 4] == 0  # away: activity 7 here
    # Sensor 3 is this home's front door; 12 (the fridge) is activity inside.
    assert series.evidence[9 * 4 - 1]["door_then_quiet"] > 0.5
    assert series.evidence[9 * 4 - 3]["activity"] > 0.5


def test_too_short_a_stream_scores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "short.csv"
    path.write_text("t,y\n2024-01-01 10:00,1\n2024-01-01 10:20,0\n", encoding="utf-8")
    result = occupancy_forecast.main(
        ["--data", str(path), "--time-column", "t", "--label-column", "y"]
    )
    assert "NaN" not in capsys.readouterr().out
    assert result["data"]["scored_slots"] == 0
    assert result["models"]["persistence"]["1h"] == {"accuracy": None, "brier": None}


def office_slots(days: int) -> list[int | None]:
    """Occupied 08:00-17:00 every day, one label per 15-minute slot."""
    return [1 if 32 <= slot % 96 < 68 else 0 for slot in range(days * 96)]


def test_batch_baselines_learn_only_from_known_outcomes() -> None:
    labels = office_slots(5)
    # Day 5 breaks the habit: occupied all day. A model that saw day 5's
    # outcomes would forecast it; one fitted at midnight cannot.
    labels[4 * 96 :] = [1] * 96
    series = occupancy_forecast.SlotSeries(datetime(2024, 1, 1), labels)
    forecasts = occupancy_forecast.batch_forecasts(series, [1, 2, 4, 8, 24])
    assert set(forecasts) == {"logistic_regression", "random_forest"}
    five_pm = 4 * 96 + 68
    for horizons in forecasts.values():
        assert set(horizons) == {"15min", "30min", "1h", "2h", "6h"}
        # Occupied at 17:00 has always meant empty at 23:00 so far.
        assert horizons["6h"][five_pm] < 0.5
        # ... and the usual working day is forecast as such.
        assert horizons["1h"][4 * 96 + 40] > 0.5
    # Before any outcome is known: a coin flip.
    assert forecasts["random_forest"]["1h"][0] == 0.5


def test_batch_baselines_are_scored_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = three_days_at_work(tmp_path / "home.csv")
    arguments = ["--data", str(path), "--time-column", "time"]
    arguments += ["--label-column", "occupied", "--scored-from-day", "3"]
    plain = occupancy_forecast.main(arguments)
    batch = occupancy_forecast.main([*arguments, "--batch-baselines"])
    capsys.readouterr()
    assert "random_forest" not in plain["models"]
    assert batch["models"]["aiot_brain"] == plain["models"]["aiot_brain"]
    for name in ("logistic_regression", "random_forest"):
        assert batch["models"][name]["1h"]["accuracy"] > 0.9
