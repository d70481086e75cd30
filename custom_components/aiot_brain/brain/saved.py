"""Saved state: what every model's ``to_dict`` and ``from_dict`` share."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
import math


def check_version(data: object, name: str, *readable: int) -> int:
    """Return the version of saved ``data``; ValueError unless it is ``readable``."""
    if not isinstance(data, Mapping):
        msg = f"no {name} state version: a {type(data).__name__}, not a mapping"
        raise ValueError(msg)
    version = data.get("version")
    if version not in readable:
        expected = " or ".join(str(each) for each in readable)
        msg = f"unknown {name} state version {version!r}, expected {expected}"
        raise ValueError(msg)
    return int(version)


def to_iso(when: datetime | None) -> str | None:
    """Return a moment as saved state: ISO 8601 text, or None."""
    return None if when is None else when.isoformat()


def from_iso(value: object) -> datetime | None:
    """Return a moment read back from saved state (TypeError, ValueError if bad)."""
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"expected a time, got {value!r}"
        raise TypeError(msg)
    return datetime.fromisoformat(value)


def from_number(value: object) -> float | None:
    """Return a number read back from saved state, or None (TypeError, ValueError).

    Every number a model saves is a finite reading or estimate: NaN or infinity
    read back is corrupt.
    """
    if value is None:
        return None
    if not isinstance(value, int | float | str):
        msg = f"expected a number, got {value!r}"
        raise TypeError(msg)
    number = float(value)
    if not math.isfinite(number):
        msg = f"expected a finite number, got {value!r}"
        raise ValueError(msg)
    return number


def from_count(value: object, kind: str = "a count") -> float:
    """Return a count read back from saved state (TypeError, ValueError).

    A number as :func:`from_number` reads it, and more: below zero it is corrupt
    (a rate of it, or a logarithm, would fail at every step after).
    """
    msg = f"expected {kind}, got {value!r}"
    try:
        number = from_number(value)
    except ValueError as error:
        raise ValueError(msg) from error
    if number is None or number < 0.0:
        raise ValueError(msg)
    return number


def from_sum_of_squares(value: object) -> float:
    """Return a sum of squares read back from saved state (TypeError, ValueError).

    A square root's argument at the next step: a count, as :func:`from_count`.
    """
    return from_count(value, "a sum of squares")
