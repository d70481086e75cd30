"""Value cleaning and calendar features."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.aiot_brain.brain.observation import (
    Role,
    as_number,
    plausible,
    role_of,
)
from custom_components.aiot_brain.brain.timefeatures import (
    cyclic,
    day_of_year_cyclic,
    hour_of_day,
    hour_of_week,
    is_weekend,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1.0),
        (2.5, 2.5),
        ("21.5", 21.5),
        (True, 1.0),
        (None, None),
        (float("nan"), None),
        (float("inf"), None),
        ("unavailable", None),
        ("", None),
        ([1], None),
        (object(), None),
    ],
)
def test_as_number(value: object, expected: float | None) -> None:
    assert as_number(value) == expected


def test_plausible_rejects_absurd_values() -> None:
    assert plausible(Role.TEMPERATURE, "21.0") == 21.0
    assert plausible(Role.TEMPERATURE, 1e9) is None
    assert plausible(Role.CO2, -5) is None
    assert plausible(Role.HUMIDITY, "unknown") is None


def test_calendar_features() -> None:
    monday_0830 = datetime(2026, 11, 16, 8, 30)
    assert hour_of_day(monday_0830) == 8.5
    assert hour_of_week(monday_0830) == 8.5
    sunday_2300 = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert hour_of_week(sunday_2300) == 6 * 24 + 23
    assert is_weekend(sunday_2300)
    assert not is_weekend(monday_0830)
    sin_a, cos_a = cyclic(23.99, 24.0)
    sin_b, cos_b = cyclic(0.0, 24.0)
    assert abs(sin_a - sin_b) < 0.01
    assert abs(cos_a - cos_b) < 0.01
    winter = day_of_year_cyclic(datetime(2026, 1, 1))
    summer = day_of_year_cyclic(datetime(2026, 7, 2))
    assert winter[1] > 0.99
    assert summer[1] < -0.99


def test_a_role_is_known_by_itself_or_its_name_and_nothing_else() -> None:
    assert role_of(Role.CO2) is Role.CO2
    assert role_of("co2") is Role.CO2
    for unknown in ("smell", "", None, 5, 1.5, Role):
        assert role_of(unknown) is None
