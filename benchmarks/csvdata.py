"""Read a CSV table for a benchmark: plain or gzip, chosen columns, parsed times.

The benchmarks must run unchanged on other files of the same shape, so nothing here
knows a particular dataset. A file is read whole (benchmark files are small), its
delimiter is sniffed, a leading index column is recognised whether or not the header
names it, rows with a cell too many are left out and counted, a decimal comma is read
in files not separated by commas, and cells that are not numbers are counted instead
of raising.

Example::

    table = read_table("datatraining.txt", time_column="date", label_column="Occupancy")
    for when, features, label in table.rows():
        ...
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
import gzip
import io
import math
from pathlib import Path
import sys
from typing import NamedTuple

GZIP_MAGIC = b"\x1f\x8b"
COMPACT_TIME_FORMAT = "%Y%m%d%H%M%S"

# Header names that mark a row number, never a feature.
INDEX_NAMES = frozenset({"", "index", "unnamed: 0"})

# A time column is read in the one format that reads the most of its cells; on a tie
# the earlier format wins, so day-first dates beat month-first ones when no day is
# above 12 (and a warning says so). "iso" is ISO 8601; "unix" takes plain numbers as
# Unix seconds or milliseconds, except 14 digits: a compact YYYYMMDDhhmmss stamp.
ISO = "iso"
UNIX = "unix"
TIME_FORMATS = (
    ISO,
    UNIX,
    "%d-%b-%Y %H:%M:%S",
    "%d-%b-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y",
)
# Cells looked at to find the formats worth trying on the whole column.
FORMAT_PROBES = 1000

# Cells that mean "no value" (R, pandas, SQL, spreadsheets), in any letter case: a
# label, feature or time cell holding one is missing, never a class or a bad number.
MISSING_WORDS = frozenset({"", "na", "n/a", "nan", "null", "none"})
TRUE_WORDS = frozenset({"true", "yes", "on"})
FALSE_WORDS = frozenset({"false", "no", "off"})

# A column is numeric when more than this share of its non-empty cells are numbers.
NUMERIC_SHARE = 0.5


class DataError(ValueError):
    """A file cannot give what a benchmark needs; the commands say so in one line."""


@dataclass
class Table:
    """Rows of a CSV file with the columns a benchmark asked for.

    ``times[i]`` is the row's local wall-clock time (None without a time column),
    ``features[i]`` maps each feature column to a float or None (empty or bad cell),
    ``labels[i]`` is the label cell's text ("" without a label column) and ``text[i]``
    holds the raw text of the columns asked for as ``text_columns`` ("" for a missing
    value). Rows whose time or label cannot be read are left out and counted in
    ``skipped_rows``, rows with more cells than the header (trailing empty cells
    aside) in ``ragged_rows``; empty cells and :data:`MISSING_WORDS` are counted in
    ``missing_cells``, other cells that are not finite numbers in ``bad_cells``.
    """

    source: str
    feature_columns: list[str]
    time_column: str | None = None
    label_column: str | None = None
    times: list[datetime | None] = field(default_factory=list)
    features: list[dict[str, float | None]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    text: list[dict[str, str]] = field(default_factory=list)
    bad_cells: int = 0
    missing_cells: int = 0
    skipped_rows: int = 0
    ragged_rows: int = 0

    def __len__(self) -> int:
        """Return the number of rows kept."""
        return len(self.features)

    def rows(self) -> Iterator[tuple[datetime | None, dict[str, float | None], str]]:
        """Yield (time, features, label) per row, in file order."""
        yield from zip(self.times, self.features, self.labels, strict=True)

    def binary_labels(self) -> list[int | None]:
        """Labels as 0/1: numbers above 0.5 and words like "true" are 1."""
        return [label_as_binary(label) for label in self.labels]

    def sorted_by_time(self) -> Table:
        """Return a copy in time order (stable; rows without a time keep order)."""
        order = sorted(
            range(len(self)),
            key=lambda i: self.times[i] or datetime.min,
        )
        return self._subset(order)

    def _subset(self, order: Sequence[int]) -> Table:
        return Table(
            source=self.source,
            feature_columns=list(self.feature_columns),
            time_column=self.time_column,
            label_column=self.label_column,
            times=[self.times[i] for i in order],
            features=[self.features[i] for i in order],
            labels=[self.labels[i] for i in order],
            text=[self.text[i] for i in order],
            bad_cells=self.bad_cells,
            missing_cells=self.missing_cells,
            skipped_rows=self.skipped_rows,
            ragged_rows=self.ragged_rows,
        )


def input_checks(table: Table, used: int | None = None) -> dict[str, int]:
    """Return what reading left out or could not read, for a command's JSON.

    ``used`` is the number of rows the command used (default: every row kept);
    the rows it dropped itself count as left out.
    """
    dropped = 0 if used is None else len(table) - used
    return {
        "rows_left_out": table.skipped_rows + table.ragged_rows + dropped,
        "bad_cells": table.bad_cells,
        "missing_cells": table.missing_cells,
    }


def concat(tables: Sequence[Table]) -> Table:
    """Join tables read with the same columns (e.g. several files of one stream)."""
    if not tables:
        raise DataError("no tables to join")
    first = tables[0]
    for table in tables[1:]:
        if table.feature_columns != first.feature_columns:
            raise DataError(
                f"{table.source} has columns {table.feature_columns}, "
                f"{first.source} has {first.feature_columns}"
            )
    joined = Table(
        source="+".join(table.source for table in tables),
        feature_columns=list(first.feature_columns),
        time_column=first.time_column,
        label_column=first.label_column,
    )
    for table in tables:
        joined.times.extend(table.times)
        joined.features.extend(table.features)
        joined.labels.extend(table.labels)
        joined.text.extend(table.text)
        joined.bad_cells += table.bad_cells
        joined.missing_cells += table.missing_cells
        joined.skipped_rows += table.skipped_rows
        joined.ragged_rows += table.ragged_rows
    return joined


def open_text(path: str | Path) -> io.TextIOWrapper:
    """Open a file as text, decompressing it if it starts with the gzip magic bytes.

    A UTF-8 byte-order mark (Excel's "CSV UTF-8") is dropped, not read as part of
    the first column's name.
    """
    with Path(path).open("rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:
        return io.TextIOWrapper(
            gzip.open(path, "rb"), encoding="utf-8-sig", errors="replace", newline=""
        )
    return Path(path).open(encoding="utf-8-sig", errors="replace", newline="")


def is_missing(text: str) -> bool:
    """Return whether a cell is empty or a missing-value word such as "NA"."""
    return text.strip().lower() in MISSING_WORDS


def parse_number(text: str) -> float | None:
    """Return a cell as a finite float, or None. "true"/"false" are 1/0."""
    cleaned = text.strip()
    lowered = cleaned.lower()
    if lowered in MISSING_WORDS:
        return None
    if lowered in TRUE_WORDS:
        return 1.0
    if lowered in FALSE_WORDS:
        return 0.0
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def label_as_binary(text: str) -> int | None:
    """Return a label cell as 0 or 1, or None if it is no number or yes/no word."""
    number = parse_number(text)
    if number is None:
        return None
    return 1 if number > 0.5 else 0


def parse_times(
    cells: Sequence[str], time_format: str | None = None
) -> tuple[list[datetime | None], list[str]]:
    """Parse a time column in one format; return the times and the formats that fit.

    The format is ``time_format`` (a strptime format, "iso" or "unix") or else the
    one of :data:`TIME_FORMATS` that reads the most cells, never a mix. A cell it
    does not read gives None. More than one fitting format means the column is
    ambiguous (day or month first); the first, whose times lie closest together,
    was used.

    Time zones are dropped, keeping the wall clock the file states, because the core
    works in local wall-clock time. Unix times are read as UTC wall clock, as a "Z"
    time is, whatever this machine's zone.
    """
    texts = [cell.strip() for cell in cells]
    names = [time_format] if time_format else _candidate_formats(texts)
    fewest: int | None = None
    fitting: dict[str, list[datetime | None]] = {}
    for name in names:
        parsed = _parse_all(texts, _time_parser(name), fewest)
        if parsed is None:
            continue
        times, failures = parsed
        if fewest is None or failures < fewest:
            fewest, fitting = failures, {name: times}
        elif failures == fewest:
            fitting[name] = times
    if not fitting:
        return [None] * len(texts), []
    # Formats that read every cell alike take day and month the other way round:
    # a log's days lie close together, so the reading with the shortest span is
    # the right one (on a tie, the earlier format: day first).
    ranked = sorted(fitting, key=lambda name: _span(fitting[name]))
    return fitting[ranked[0]], ranked


def _span(times: Sequence[datetime | None]) -> timedelta:
    """Return the time between a column's earliest and latest times."""
    known = [when for when in times if when is not None]
    return max(known) - min(known) if known else timedelta(0)


def _candidate_formats(texts: Sequence[str]) -> list[str]:
    """Return the formats that read the first cell any format reads."""
    probes = (text for text in texts if text.lower() not in MISSING_WORDS)
    for _, text in zip(range(FORMAT_PROBES), probes, strict=False):
        names = [name for name in TIME_FORMATS if _time_parser(name)(text)]
        if names:
            return names
    return []


def _parse_all(
    texts: Sequence[str],
    parse: Callable[[str], datetime | None],
    limit: int | None,
) -> tuple[list[datetime | None], int] | None:
    """Parse every cell; None as soon as more than ``limit`` cells fail."""
    times: list[datetime | None] = []
    failures = 0
    for text in texts:
        if text.lower() in MISSING_WORDS:
            times.append(None)
            continue
        when = parse(text)
        if when is None:
            failures += 1
            if limit is not None and failures > limit:
                return None
        times.append(when)
    return times, failures


def _time_parser(name: str) -> Callable[[str], datetime | None]:
    if name == ISO:
        return _iso_time
    if name == UNIX:
        return _numeric_time
    return partial(_strptime, name)


def _iso_time(text: str) -> datetime | None:
    if _plain_number(text) is not None:
        return None  # "1423072260000" would read as the year 1423
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return None


def _strptime(time_format: str, text: str) -> datetime | None:
    try:
        return datetime.strptime(text, time_format)
    except ValueError:
        return None


def _plain_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _numeric_time(text: str) -> datetime | None:
    if len(text) == 14 and text.isdigit():
        return _strptime(COMPACT_TIME_FORMAT, text)
    return _unix_time(text)


def _unix_time(text: str) -> datetime | None:
    number = _plain_number(text)
    # Small numbers are no plausible times; 14 digits and more are no Unix times.
    if number is None or not 1e8 < number < 1e13:
        return None
    seconds = number / 1000.0 if number > 1e11 else number
    try:
        return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    except OverflowError, OSError, ValueError:
        return None


class _Rows(NamedTuple):
    header: list[str]
    body: list[list[str]]
    ragged: int  # rows left out for having more cells than the header
    decimal_comma: bool  # "23,5" is 23.5: the separator is not a comma


def _split_rows(path: str | Path) -> _Rows:
    with open_text(path) as handle:
        content = handle.read()
    sample = content[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample, delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    records = [row for row in csv.reader(io.StringIO(content), dialect) if row]
    if not records:
        raise DataError(f"{path} is empty")
    header = [name.strip() for name in records[0]]
    while header and not header[-1]:
        header.pop()  # a trailing separator names no column
    body = records[1:]
    if _has_unnamed_index(header, body):
        header = ["", *header]
    width = len(header)
    kept = []
    for row in body:
        # A cell too many: which column it belongs to is unknown. Trailing empty
        # cells (separators) are no such cell.
        if any(cell.strip() for cell in row[width:]):
            continue
        kept.append(row[:width])
    return _Rows(header, kept, len(body) - len(kept), dialect.delimiter != ",")


def _has_unnamed_index(header: list[str], body: list[list[str]]) -> bool:
    """Whether most rows are one cell wider than the header, mostly by a value.

    R's write.csv and the UCI files number the rows without naming that column.
    A trailing separator on each row also makes one cell more, but an empty one.
    """
    wider = [row for row in body if len(row) == len(header) + 1]
    filled = sum(1 for row in wider if row[-1].strip())
    return 2 * len(wider) > len(body) and 2 * filled > len(wider)


def _find(header: list[str], name: str, path: str | Path) -> int:
    lowered = [column.lower() for column in header]
    if name.lower() in lowered:
        return lowered.index(name.lower())  # the first of columns named alike
    raise DataError(f"{path} has no column {name!r}; columns: {header}")


def _duplicates(header: list[str], path: str | Path) -> set[int]:
    """Return the columns named (in any letter case) as an earlier one, warning."""
    seen: set[str] = set()
    later: set[int] = set()
    for index, name in enumerate(header):
        if name.lower() in seen and name.lower() not in INDEX_NAMES:
            later.add(index)
        seen.add(name.lower())
    if later:
        names = sorted({header[index] for index in later})
        warn(f"{Path(path).name}: columns named twice, the first is used: {names}")
    return later


def read_table(
    path: str | Path,
    *,
    time_column: str | None = None,
    label_column: str | None = None,
    feature_columns: Sequence[str] | None = None,
    text_columns: Sequence[str] = (),
    exclude_columns: Sequence[str] = (),
    time_format: str | None = None,
) -> Table:
    """Read ``path`` (plain or gzip CSV) into a :class:`Table`.

    ``feature_columns`` defaults to every numeric column other than the time, label,
    text, excluded and index columns; a column is numeric when most of its
    non-empty cells are numbers. Column names match case-insensitively (of two
    columns named alike the first is used, with a warning), and the columns asked
    for by name keep the names asked for (a test file spelling "CO2" as "co2"
    still gives "CO2"). The time column is read in one format, see
    :func:`parse_times`. Raises DataError only for an empty file or an unknown
    column name.
    """
    header, body, ragged, decimal_comma = _split_rows(path)
    time_index = _find(header, time_column, path) if time_column else None
    label_index = _find(header, label_column, path) if label_column else None
    text_indexes = [_find(header, name, path) for name in text_columns]
    duplicates = _duplicates(header, path)
    if feature_columns is None:
        taken = {time_index, label_index, *text_indexes, *duplicates}
        taken.update(_find(header, name, path) for name in exclude_columns)
        feature_indexes = [
            index
            for index, name in enumerate(header)
            if index not in taken
            and name.lower() not in INDEX_NAMES
            and _is_numeric(body, index, decimal_comma)
        ]
        feature_names = [header[index] for index in feature_indexes]
    else:
        feature_indexes = [_find(header, name, path) for name in feature_columns]
        feature_names = list(feature_columns)
    table = Table(
        source=Path(path).name,
        feature_columns=feature_names,
        time_column=time_column if time_index is not None else None,
        label_column=label_column if label_index is not None else None,
        ragged_rows=ragged,
    )
    if ragged:
        warn(
            f"{table.source}: left out {ragged} row(s) with more cells than the header"
        )
    features_at = list(zip(feature_names, feature_indexes, strict=True))
    text_at = list(zip(text_columns, text_indexes, strict=True))
    times = _read_times(path, body, time_index, time_column, time_format)
    for row, when in zip(body, times, strict=True):
        if time_index is not None and when is None:
            table.skipped_rows += 1
            continue
        label = _cell(row, label_index).strip() if label_index is not None else ""
        if label_index is not None and is_missing(label):
            table.skipped_rows += 1
            continue
        table.times.append(when)
        table.features.append(_features(table, row, features_at, decimal_comma))
        table.labels.append(label)
        table.text.append({name: _text(_cell(row, index)) for name, index in text_at})
    return table


def _read_times(
    path: str | Path,
    body: list[list[str]],
    index: int | None,
    name: str | None,
    time_format: str | None,
) -> list[datetime | None]:
    if index is None:
        return [None] * len(body)
    times, fitting = parse_times([_cell(row, index) for row in body], time_format)
    if len(fitting) > 1:
        warn(
            f"{Path(path).name}: every time in {name!r} reads as {fitting[0]!r} and "
            f"as {fitting[1]!r} (no day above 12); read as {fitting[0]!r}, whose "
            "times lie closest together; --time-format chooses"
        )
    return times


def _features(
    table: Table,
    row: list[str],
    columns: Sequence[tuple[str, int]],
    decimal_comma: bool,
) -> dict[str, float | None]:
    """Return a row's feature values, counting its missing and bad cells."""
    features: dict[str, float | None] = {}
    for name, index in columns:
        cell = _cell(row, index)
        value = _number(cell, decimal_comma)
        if value is None:
            if is_missing(cell):
                table.missing_cells += 1
            else:
                table.bad_cells += 1
        features[name] = value
    return features


def warn(message: str) -> None:
    """Tell the user on stderr, keeping stdout for the JSON."""
    print(f"warning: {message}", file=sys.stderr)


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index]


def _text(cell: str) -> str:
    return "" if is_missing(cell) else cell


def _number(cell: str, decimal_comma: bool) -> float | None:
    value = parse_number(cell)
    if value is None and decimal_comma and cell.count(",") == 1:
        return parse_number(cell.replace(",", "."))
    return value


def _is_numeric(body: list[list[str]], index: int, decimal_comma: bool) -> bool:
    filled = numbers = 0
    for row in body:
        cell = _cell(row, index)
        if is_missing(cell):
            continue
        filled += 1
        if _number(cell, decimal_comma) is not None:
            numbers += 1
    return filled > 0 and numbers > NUMERIC_SHARE * filled


def add_column_arguments(
    parser: argparse.ArgumentParser,
    *,
    time_column: str | None = None,
    label_column: str | None = None,
) -> None:
    """Add the shared --time-column, --label-column and --feature-columns flags."""
    parser.add_argument(
        "--time-column",
        default=time_column,
        help="column holding the timestamp (default: %(default)s)",
    )
    parser.add_argument(
        "--label-column",
        default=label_column,
        help="column holding the ground truth (default: %(default)s)",
    )
    parser.add_argument(
        "--feature-columns",
        type=_column_list,
        default=None,
        help="comma-separated feature columns (default: every other numeric column)",
    )
    parser.add_argument(
        "--time-format",
        default=None,
        help='format of the time column: strptime codes such as "%%m/%%d/%%Y %%H:%%M", '
        '"iso" or "unix" (default: the one format that reads the column)',
    )


def read_from_arguments(
    path: str | Path, arguments: argparse.Namespace, **options: Sequence[str]
) -> Table:
    """Read ``path`` with the columns given on the command line."""
    return read_table(
        path,
        time_column=arguments.time_column,
        label_column=arguments.label_column,
        feature_columns=arguments.feature_columns,
        time_format=arguments.time_format,
        **options,
    )


def _column_list(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]
