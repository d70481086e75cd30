"""Tests of the shared CSV reader."""

from __future__ import annotations

import argparse
from datetime import datetime
import gzip
from pathlib import Path

import pytest

from benchmarks.csvdata import (
    add_column_arguments,
    concat,
    label_as_binary,
    parse_times,
    read_from_arguments,
    read_table,
)

UCI_LIKE = (
    '"date","Temperature","Light","CO2","Occupancy"\n'
    '"1","2015-02-04 17:51:00",23.18,426,721.25,1\n'
    '"2","2015-02-04 17:51:59",23.15,oops,714,1\n'
    '"3","2015-02-04 17:53:00",23.15,,713.5,0\n'
    '"4","not a time",23.1,0,700,0\n'
    '"5","2015-02-04 17:50:00",23.1,0,699,\n'
)


def write(path: Path, text: str, *, compress: bool = False) -> Path:
    if compress:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_reads_unnamed_index_column_plain_and_gzip(
    tmp_path: Path, compress: bool
) -> None:
    # The gzip file has a plain name: the magic bytes, not the suffix, decide.
    path = write(tmp_path / "data.txt", UCI_LIKE, compress=compress)
    table = read_table(path, time_column="date", label_column="Occupancy")
    assert table.feature_columns == ["Temperature", "Light", "CO2"]
    assert len(table) == 3
    assert table.skipped_rows == 2  # unreadable time, empty label
    assert table.bad_cells == 1  # "oops"
    assert table.missing_cells == 1
    assert table.times[0] == datetime(2015, 2, 4, 17, 51)
    assert table.features[1]["Light"] is None
    assert table.features[0]["CO2"] == 721.25
    assert table.binary_labels() == [1, 1, 0]


@pytest.mark.parametrize("index", ["", "7,"])
def test_a_ragged_row_is_left_out_and_counted(tmp_path: Path, index: str) -> None:
    rows = [f"{index}2020-01-01 10:0{i},{i},400,1" for i in range(5)]
    rows[2] += ",oops"  # one cell too many: the other rows stay in place
    rows[3] += ","  # a trailing empty cell is no extra column
    text = "t,a,co2,y\n" + "\n".join(rows) + "\n"
    table = read_table(write(tmp_path / "r.csv", text), time_column="t")
    assert table.feature_columns == ["a", "co2", "y"]
    assert [row["a"] for row in table.features] == [0.0, 1.0, 3.0, 4.0]
    assert table.ragged_rows == 1
    assert table.bad_cells == 0


def test_a_trailing_separator_on_each_row_is_no_index_column(tmp_path: Path) -> None:
    rows = "".join(f"2020-01-01 10:0{i},{i},400,1,\n" for i in range(3))
    table = read_table(
        write(tmp_path / "t.csv", "t,a,co2,y\n" + rows),
        time_column="t",
        label_column="y",
    )
    assert len(table) == 3
    assert table.feature_columns == ["a", "co2"]
    assert table.binary_labels() == [1, 1, 1]


@pytest.mark.parametrize("compress", [False, True])
def test_a_byte_order_mark_is_no_part_of_the_header(
    tmp_path: Path, compress: bool
) -> None:
    text = "\ufeffdate,co2,y\n2020-01-01 10:00,400,1\n"
    path = write(tmp_path / "excel.csv", text, compress=compress)
    table = read_table(path, time_column="date", label_column="y")
    assert table.times == [datetime(2020, 1, 1, 10)]
    assert table.feature_columns == ["co2"]


def test_decimal_commas_where_commas_do_not_separate(tmp_path: Path) -> None:
    text = (
        "t;temp;co2;y\n"
        "2020-01-01 10:00;21,5;400,5;1\n"
        "2020-01-01 10:01;-0,25;1,2,3;0\n"
        "2020-01-01 10:02;22;410;0\n"
    )
    table = read_table(write(tmp_path / "eu.csv", text), time_column="t")
    assert table.feature_columns == ["temp", "co2", "y"]
    assert [row["temp"] for row in table.features] == [21.5, -0.25, 22.0]
    assert table.features[0]["co2"] == 400.5
    assert table.bad_cells == 1  # "1,2,3" is no number
    # Where commas separate, a quoted "21,5" stays a bad cell.
    plain = write(tmp_path / "us.csv", 't,temp\n2020-01-01 10:00,"21,5"\n')
    assert read_table(plain, feature_columns=["temp"]).bad_cells == 1


def test_named_index_column_and_chosen_features(tmp_path: Path) -> None:
    text = "index;when;a;b;label\n0;2020-01-01T10:00:00Z;1;2;yes\n1;2020-01-01T09:00:00Z;3;4;no\n"
    path = write(tmp_path / "data.csv", text)
    default = read_table(path, time_column="when", label_column="label")
    assert default.feature_columns == ["a", "b"]
    chosen = read_table(
        path, time_column="WHEN", label_column="label", feature_columns=["b"]
    )
    assert chosen.feature_columns == ["b"]
    assert chosen.times[0] == datetime(2020, 1, 1, 10)
    ordered = chosen.sorted_by_time()
    assert ordered.times[0] == datetime(2020, 1, 1, 9)
    assert ordered.features[0]["b"] == 4.0
    assert ordered.binary_labels() == [0, 1]


def test_columns_asked_for_keep_the_names_asked_for(tmp_path: Path) -> None:
    text = "DATE,LIGHT,Room,OCCUPANCY\n2020-01-01 10:00,420,A,1\n"
    table = read_table(
        write(tmp_path / "upper.csv", text),
        time_column="date",
        label_column="Occupancy",
        feature_columns=["Light"],
        text_columns=["room"],
    )
    assert table.feature_columns == ["Light"]
    assert table.features == [{"Light": 420.0}]
    assert table.text == [{"room": "A"}]
    assert (table.time_column, table.label_column) == ("date", "Occupancy")


def test_a_column_named_twice_is_read_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "t,light,co2,Light\n2020-01-01 10:00,420,400,0\n"
    path = write(tmp_path / "twice.csv", text)
    table = read_table(path, time_column="t")
    assert table.feature_columns == ["light", "co2"]
    assert table.features == [{"light": 420.0, "co2": 400.0}]
    assert "Light" in capsys.readouterr().err
    chosen = read_table(path, time_column="t", feature_columns=["Light"])
    assert chosen.features == [{"Light": 420.0}]


def test_text_columns_and_exclusions(tmp_path: Path) -> None:
    text = "id,season,ta,pref\n1,summer,25.5,cooler\n2,winter,19,warmer\n"
    path = write(tmp_path / "votes.csv", text)
    table = read_table(
        path, label_column="pref", text_columns=["season"], exclude_columns=["id"]
    )
    assert table.feature_columns == ["ta"]
    assert table.text[1] == {"season": "winter"}
    assert table.labels == ["cooler", "warmer"]
    assert table.times == [None, None]
    assert table.binary_labels() == [None, None]


def test_unknown_column_and_empty_file_raise(tmp_path: Path) -> None:
    path = write(tmp_path / "data.csv", "a,b\n1,2\n")
    with pytest.raises(ValueError, match="no column 'c'"):
        read_table(path, label_column="c")
    with pytest.raises(ValueError, match="empty"):
        read_table(write(tmp_path / "empty.csv", ""))


def parse(text: str) -> datetime | None:
    return parse_times([text])[0][0]


def test_time_formats() -> None:
    assert parse("25-Feb-2008 00:20:14") == datetime(2008, 2, 25, 0, 20, 14)
    assert parse("26-Feb-2008 09:00:00") == datetime(2008, 2, 26, 9)
    assert parse("2015-02-04 17:51:59") == datetime(2015, 2, 4, 17, 51, 59)
    assert parse("31/12/2020 23:59") == datetime(2020, 12, 31, 23, 59)
    assert parse("1600000000") == datetime(2020, 9, 13, 12, 26, 40)
    assert parse("1600000000000") == datetime(2020, 9, 13, 12, 26, 40)
    assert parse("") is None
    assert parse("yesterday") is None
    assert parse("12") is None


def test_month_first_dates_are_read_month_first_throughout(tmp_path: Path) -> None:
    # Days 1-12 fit both orders; 13 and on only month first. Never a mix.
    days = [datetime(2015, 2, day, 9) for day in range(1, 16)]
    rows = "".join(f"{when:%m/%d/%Y %H:%M},1\n" for when in days)
    table = read_table(write(tmp_path / "us.csv", "t,y\n" + rows), time_column="t")
    assert table.times == days


def test_ambiguous_dates_read_the_way_that_keeps_them_close(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A week of US dates, 2 to 8 February: day first they would span 7 months.
    rows = "".join(f"02/0{day}/2015 10:00,1\n" for day in range(2, 9))
    table = read_table(write(tmp_path / "us.csv", "t,y\n" + rows), time_column="t")
    assert table.times == [datetime(2015, 2, day, 10) for day in range(2, 9)]
    assert "read as '%m/%d/%Y %H:%M'" in capsys.readouterr().err


def test_ambiguous_dates_are_day_first_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "d.csv", "t,y\n02/04/2015 10:00,1\n03/04/2015 10:00,0\n")
    table = read_table(path, time_column="t")
    assert table.times == [datetime(2015, 4, 2, 10), datetime(2015, 4, 3, 10)]
    assert "%m/%d/%Y %H:%M" in capsys.readouterr().err
    parser = argparse.ArgumentParser()
    add_column_arguments(parser, time_column="t")
    arguments = parser.parse_args(["--time-format", "%m/%d/%Y %H:%M"])
    chosen = read_from_arguments(path, arguments)
    assert chosen.times == [datetime(2015, 2, 4, 10), datetime(2015, 3, 4, 10)]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("scale", [1, 1000])
def test_unix_times_are_utc_and_never_a_date_format(tmp_path: Path, scale: int) -> None:
    # 2015-02-04 17:51 UTC, a minute apart: once read as the year 1423.
    rows = "".join(f"{(1423072260 + 60 * i) * scale},{i}\n" for i in range(3))
    table = read_table(write(tmp_path / "e.csv", "t,y\n" + rows), time_column="t")
    assert table.times == [datetime(2015, 2, 4, 17, 51 + i) for i in range(3)]
    compact = write(tmp_path / "c.csv", "t,y\n20150204175100,1\n")
    assert read_table(compact, time_column="t").times == [datetime(2015, 2, 4, 17, 51)]


def test_missing_value_words_are_missing_everywhere(tmp_path: Path) -> None:
    text = (
        "t,room,co2,rare,pref\n"
        "2020-01-01 10:00,NA,400,NA,cooler\n"
        "2020-01-01 10:01,A,N/A,null,NA\n"
        "2020-01-01 10:02,None,nan,None,warmer\n"
        "2020-01-01 10:03,B,NULL,3.5,n/a\n"
    )
    table = read_table(
        write(tmp_path / "r.csv", text),
        time_column="t",
        label_column="pref",
        text_columns=["room"],
    )
    # A mostly missing column is still numeric; "NA" is no class.
    assert table.feature_columns == ["co2", "rare"]
    assert table.labels == ["cooler", "warmer"]
    assert table.skipped_rows == 2
    assert [row["room"] for row in table.text] == ["", ""]
    assert table.bad_cells == 0
    assert table.missing_cells == 3


def test_label_as_binary() -> None:
    assert label_as_binary("1") == 1
    assert label_as_binary("0.0") == 0
    assert label_as_binary("True") == 1
    assert label_as_binary("off") == 0
    assert label_as_binary("nan") is None
    assert label_as_binary("maybe") is None


def test_concat_and_arguments(tmp_path: Path) -> None:
    first = write(tmp_path / "a.csv", "t,x,y\n2020-01-02 00:00,1,1\n")
    second = write(tmp_path / "b.csv", "t,x,y\n2020-01-01 00:00,2,0\n")
    parser = argparse.ArgumentParser()
    add_column_arguments(parser, time_column="t", label_column="y")
    arguments = parser.parse_args(["--feature-columns", "x"])
    tables = [read_from_arguments(path, arguments) for path in (first, second)]
    joined = concat(tables).sorted_by_time()
    assert joined.source == "a.csv+b.csv"
    assert [row["x"] for row in joined.features] == [2.0, 1.0]
    other = read_table(second, time_column="t")
    with pytest.raises(ValueError, match="columns"):
        concat([tables[0], other])
    with pytest.raises(ValueError, match="no tables"):
        concat([])
