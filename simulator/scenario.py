"""Scenarios: buildings, weather and people described as data (see scenarios/SCHEMA.md).

``load_scenario`` reads a YAML or JSON file, or a built-in scenario by name, and
returns a validated, immutable ``Scenario``. Anything wrong raises ``ScenarioError``
with the path of the offending field, so a typo never turns into a silent default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
import json
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

SCENARIO_DIR = Path(__file__).parent / "scenarios"
SENSOR_KINDS = (
    "motion",
    "door",
    "window",
    "temperature",
    "humidity",
    "co2",
    "illuminance",
    "power",
)
MINUTES_PER_DAY = 1440


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with the field at fault in the message."""


@dataclass(frozen=True, slots=True)
class WeatherSpec:
    """Outdoor climate: seasonal and daily temperature cycles, noise and daylight."""

    latitude: float = 52.0
    annual_mean_c: float = 10.0
    annual_amplitude_c: float = 8.0
    coldest_day: int = 20
    daily_amplitude_c: float = 3.5
    noise_sd_c: float = 2.0
    cloudiness: float = 0.5
    outdoor_rh: float = 0.8


@dataclass(frozen=True, slots=True)
class ZoneSpec:
    """One zone (an HA area) and its physics, devices and sensors."""

    id: str
    name: str
    floor_id: str
    kind: str = "room"
    area_m2: float = 15.0
    height_m: float = 2.5
    heat_capacity_kj_per_m2k: float = 165.0
    ua_outside_w_per_k: float = 30.0
    window_open_ua_w_per_k: float = 120.0
    solar_aperture_m2: float = 1.0
    daylight_factor: float = 0.015
    air_changes_per_h: float = 0.5
    heater_w: float = 1500.0
    cooler_w: float = 0.0
    light_w: float = 40.0
    light_lux: float = 300.0
    standby_w: float = 10.0
    appliance_w: float = 0.0
    media_w: float = 0.0
    motion_miss_rate: float = 0.4
    door_left_open: float = 0.5
    initial_c: float = 19.0
    sensors: tuple[str, ...] = SENSOR_KINDS

    @property
    def heat_capacity_j_per_k(self) -> float:
        """Effective thermal mass of the zone (air, furniture, inner walls)."""
        return self.heat_capacity_kj_per_m2k * 1000.0 * self.area_m2

    @property
    def volume_m3(self) -> float:
        """Air volume, for CO2 and humidity."""
        return self.area_m2 * self.height_m

    @property
    def has_climate(self) -> bool:
        """Whether the zone has a thermostat (a heater or a cooler)."""
        return self.heater_w > 0 or self.cooler_w > 0

    @property
    def has_light(self) -> bool:
        """Whether the zone has a dimmable light."""
        return self.light_w > 0


@dataclass(frozen=True, slots=True)
class FloorSpec:
    """A floor of the building."""

    id: str
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class DayPattern:
    """One kind of day for one person, in minutes after that day's midnight.

    Residents: ``wake``, ``sleep`` and optionally ``leave``/``return`` (an absence,
    taken with ``away_prob``). Workers: ``arrive`` and ``depart``. Times past 24:00 run
    into the next day (a night shift returns at "30:15", 06:15 the next morning).
    """

    wake: int | None = None
    sleep: int | None = None
    leave: int | None = None
    return_: int | None = None
    away_prob: float = 1.0
    arrive: int | None = None
    depart: int | None = None

    @property
    def at_work(self) -> bool:
        """Whether a worker comes in on a day of this kind."""
        return self.arrive is not None and self.depart is not None


@dataclass(frozen=True, slots=True)
class OccupantSpec:
    """A person: routine, where they spend time, preferences and habits."""

    name: str
    kind: str  # "resident" or "worker"
    patterns: Mapping[str, DayPattern]
    week: tuple[str, ...]  # pattern name for Monday..Sunday
    rotation: tuple[str, ...] = ()  # overrides ``week``: cycled from the start date
    day_off_pattern: str = "weekend"
    sleep_zone: str | None = None
    desk_zone: str | None = None
    zones: Mapping[str, float] = field(default_factory=dict)
    morning: tuple[str, ...] = ()
    evening: tuple[str, ...] = ()
    dwell_min: float = 45.0
    breaks_per_day: int = 2
    jitter_min: float = 15.0
    day_off_prob: float = 0.0
    late_prob: float = 0.0
    min_sleep_h: float = 6.0
    vacations: tuple[tuple[date, date], ...] = ()
    setpoint: tuple[tuple[int, float], ...] = ((0, 21.0),)
    lighting: tuple[tuple[int, float, float], ...] = ((0, 80.0, 3000.0),)
    sleep_setpoint_c: float | None = None  # while asleep, instead of ``setpoint``
    tolerance_c: float = 1.5
    patience_min: int = 10
    need_lux: float = 150.0
    lights_off_prob: float = 0.7
    tracked: bool = False  # carries a phone HA tracks: a ``person`` entity


@dataclass(frozen=True, slots=True)
class MeetingSpec:
    """Meetings in an office: which rooms, how many a day, how many attend."""

    rooms: tuple[str, ...] = ()
    per_room_per_day: float = 3.0
    min_attendees: int = 2
    max_attendees: int = 6


@dataclass(frozen=True, slots=True)
class BaselineSpec:
    """What a building manager would configure for the built-in baseline controllers."""

    comfort_c: float = 21.0
    setback_c: float = 17.0
    cooling_c: float = 25.0
    weekday: tuple[tuple[int, int], ...] = ((390, 510), (1020, 1350))
    weekend: tuple[tuple[int, int], ...] = ((450, 1380),)
    lights_off_at_setback: bool = True
    reactive_timeout_min: int = 15
    light_brightness_pct: float = 80.0
    light_kelvin: float = 3500.0
    light_on_below_lux: float = 150.0


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole virtual building."""

    name: str
    description: str
    start: date
    weather: WeatherSpec
    floors: tuple[FloorSpec, ...]
    zones: tuple[ZoneSpec, ...]
    neighbours: tuple[tuple[str, str, float], ...]
    occupants: tuple[OccupantSpec, ...]
    holidays: tuple[date, ...] = ()
    meetings: MeetingSpec = MeetingSpec()
    baseline: BaselineSpec = BaselineSpec()
    cooling_cop: float = 3.0
    initial_setpoint_c: float = 20.0

    def zone(self, zone_id: str) -> ZoneSpec:
        """Return the zone with this id."""
        for zone in self.zones:
            if zone.id == zone_id:
                return zone
        raise KeyError(zone_id)


def builtin_scenarios() -> list[str]:
    """Names of the scenarios shipped in ``simulator/scenarios``."""
    return sorted(path.stem for path in SCENARIO_DIR.glob("*.yaml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name, or a YAML / JSON file by path."""
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = SCENARIO_DIR / f"{name_or_path}.yaml"
        if not path.exists():
            known = ", ".join(builtin_scenarios())
            raise ScenarioError(
                f"unknown scenario {name_or_path!r} (built in: {known})"
            )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ScenarioError(f"cannot read {path}: {err}") from err
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as err:
        raise ScenarioError(f"{path} is not valid YAML/JSON: {err}") from err
    return parse_scenario(data)


# --- parsing helpers -------------------------------------------------------------


def parse_time(value: object, where: str) -> int:
    """Minutes after midnight from "HH:MM" (hours may exceed 23) or an int of minutes."""
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: expected a time like '07:30', got {value!r}")
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, str) and ":" in value:
        hours, _, mins = value.partition(":")
        try:
            minutes = int(hours) * 60 + int(mins)
        except ValueError:
            raise ScenarioError(
                f"{where}: expected a time like '07:30', got {value!r}"
            ) from None
    else:
        raise ScenarioError(f"{where}: expected a time like '07:30', got {value!r}")
    if not 0 <= minutes < 2 * MINUTES_PER_DAY:
        raise ScenarioError(f"{where}: time {value!r} is outside 00:00..47:59")
    return minutes


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ScenarioError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _number(value: object, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where}: expected a number, got {value!r}")
    if not low <= value <= high:
        raise ScenarioError(f"{where}: {value} is outside {low}..{high}")
    return float(value)


def _date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ScenarioError(f"{where}: expected a date like 2026-01-05, got {value!r}")


def _fields(
    raw: dict[str, Any],
    where: str,
    numbers: Mapping[str, tuple[float, float]],
    other: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Check keys and number ranges; return the numbers as floats, others as given."""
    unknown = set(raw) - set(numbers) - other
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    result: dict[str, Any] = {}
    for key, value in raw.items():
        if key in numbers:
            low, high = numbers[key]
            result[key] = _number(value, f"{where}.{key}", low, high)
        else:
            result[key] = value
    return result


_WEATHER_NUMBERS = {
    "latitude": (-70.0, 70.0),
    "annual_mean_c": (-30.0, 40.0),
    "annual_amplitude_c": (0.0, 30.0),
    "coldest_day": (1, 366),
    "daily_amplitude_c": (0.0, 15.0),
    "noise_sd_c": (0.0, 10.0),
    "cloudiness": (0.0, 1.0),
    "outdoor_rh": (0.05, 1.0),
}
_ZONE_NUMBERS = {
    "area_m2": (1.0, 5000.0),
    "height_m": (1.8, 10.0),
    "heat_capacity_kj_per_m2k": (10.0, 1000.0),
    "ua_outside_w_per_k": (0.0, 10_000.0),
    "window_open_ua_w_per_k": (0.0, 10_000.0),
    "solar_aperture_m2": (0.0, 500.0),
    "daylight_factor": (0.0, 0.2),
    "air_changes_per_h": (0.05, 20.0),
    "heater_w": (0.0, 200_000.0),
    "cooler_w": (0.0, 200_000.0),
    "light_w": (0.0, 10_000.0),
    "light_lux": (0.0, 5000.0),
    "standby_w": (0.0, 10_000.0),
    "appliance_w": (0.0, 20_000.0),
    "media_w": (0.0, 5000.0),
    "motion_miss_rate": (0.0, 1.0),
    "door_left_open": (0.0, 1.0),
    "initial_c": (-10.0, 40.0),
}
_ZONE_OTHER = frozenset({"id", "name", "kind", "sensors", "count"})


def _parse_zone(
    raw: dict[str, Any], defaults: dict[str, Any], floor_id: str, where: str
) -> ZoneSpec:
    merged = {**defaults, **raw}
    values = _fields(merged, where, _ZONE_NUMBERS, _ZONE_OTHER - {"count"})
    zone_id = values.pop("id", None)
    if not isinstance(zone_id, str) or not zone_id.isidentifier():
        raise ScenarioError(f"{where}.id: expected a lower_case identifier")
    name = values.pop("name", zone_id.replace("_", " ").capitalize())
    kind = str(values.pop("kind", "room"))
    sensors = values.pop("sensors", list(SENSOR_KINDS))
    for sensor in _list(sensors, f"{where}.sensors"):
        if sensor not in SENSOR_KINDS:
            raise ScenarioError(
                f"{where}.sensors: unknown sensor {sensor!r} (one of {SENSOR_KINDS})"
            )
    return ZoneSpec(
        id=zone_id,
        name=str(name),
        floor_id=floor_id,
        kind=kind,
        sensors=tuple(sensors),
        **values,
    )


def _parse_zones(
    raw_zones: list[Any], defaults: dict[str, Any], floor_id: str, where: str
) -> list[ZoneSpec]:
    zones = []
    for index, item in enumerate(raw_zones):
        item_where = f"{where}[{index}]"
        raw = _mapping(item, item_where)
        count = raw.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ScenarioError(f"{item_where}.count: expected a whole number >= 1")
        base = {key: value for key, value in raw.items() if key != "count"}
        if count == 1:
            zones.append(_parse_zone(base, defaults, floor_id, item_where))
            continue
        # A template: "meeting_{n}" / "Meeting room {n}" becomes meeting_1, meeting_2...
        for number in range(1, count + 1):
            instance = dict(base)
            instance["id"] = str(base.get("id", "")).format(n=number)
            if "name" in base:
                instance["name"] = str(base["name"]).format(n=number)
            zones.append(_parse_zone(instance, defaults, floor_id, item_where))
    return zones


def _parse_pattern(raw: object, where: str) -> DayPattern:
    values = _mapping(raw if raw is not None else {}, where)
    times = {"wake", "sleep", "leave", "return", "arrive", "depart"}
    unknown = set(values) - times - {"away_prob"}
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    parsed = {
        ("return_" if key == "return" else key): parse_time(value, f"{where}.{key}")
        for key, value in values.items()
        if key in times
    }
    if ("leave" in values) != ("return" in values):
        raise ScenarioError(f"{where}: 'leave' and 'return' go together")
    if ("arrive" in values) != ("depart" in values):
        raise ScenarioError(f"{where}: 'arrive' and 'depart' go together")
    away_prob = _number(values.get("away_prob", 1.0), f"{where}.away_prob", 0.0, 1.0)
    pattern = DayPattern(away_prob=away_prob, **parsed)
    for early, late in (("wake", "sleep"), ("leave", "return_"), ("arrive", "depart")):
        first, second = getattr(pattern, early), getattr(pattern, late)
        if first is not None and second is not None and second <= first:
            raise ScenarioError(f"{where}: {late.rstrip('_')} must come after {early}")
    return pattern


def _parse_schedule(raw: object, where: str) -> tuple[tuple[int, float], ...]:
    values = _mapping(raw, where)
    if not values:
        raise ScenarioError(f"{where}: needs at least one time")
    return tuple(
        sorted(
            (
                parse_time(key, f"{where}.{key}"),
                _number(value, f"{where}.{key}", 5.0, 35.0),
            )
            for key, value in values.items()
        )
    )


def _parse_lighting(raw: object, where: str) -> tuple[tuple[int, float, float], ...]:
    values = _mapping(raw, where)
    if not values:
        raise ScenarioError(f"{where}: needs at least one time")
    result = []
    for key, value in values.items():
        pair = _list(value, f"{where}.{key}")
        if len(pair) != 2:
            raise ScenarioError(f"{where}.{key}: expected [brightness_pct, kelvin]")
        result.append(
            (
                parse_time(key, f"{where}.{key}"),
                _number(pair[0], f"{where}.{key}[0]", 1.0, 100.0),
                _number(pair[1], f"{where}.{key}[1]", 1500.0, 7000.0),
            )
        )
    return tuple(sorted(result))


_OCCUPANT_NUMBERS = {
    "dwell_min": (1.0, 600.0),
    "jitter_min": (0.0, 180.0),
    "day_off_prob": (0.0, 1.0),
    "late_prob": (0.0, 1.0),
    "min_sleep_h": (0.0, 12.0),
    "tolerance_c": (0.2, 10.0),
    "sleep_setpoint_c": (5.0, 35.0),
    "need_lux": (0.0, 2000.0),
    "lights_off_prob": (0.0, 1.0),
}
_OCCUPANT_OTHER = frozenset(
    {
        "name",
        "kind",
        "count",
        "patterns",
        "week",
        "rotation",
        "day_off_pattern",
        "sleep_zone",
        "desk_zone",
        "desk_zones",
        "zones",
        "morning",
        "evening",
        "breaks_per_day",
        "patience_min",
        "vacations",
        "setpoint",
        "lighting",
        "tracked",
    }
)
_DEFAULT_WEEK = ("weekday",) * 5 + ("weekend",) * 2


def _parse_occupant(  # noqa: PLR0912 (one check per field)
    raw: dict[str, Any], zone_ids: set[str], where: str, name: str, desk: str | None
) -> OccupantSpec:
    values = _fields(raw, where, _OCCUPANT_NUMBERS, _OCCUPANT_OTHER)
    kind = values.get("kind", "resident")
    if kind not in ("resident", "worker"):
        raise ScenarioError(f"{where}.kind: expected 'resident' or 'worker'")
    patterns_raw = _mapping(values.get("patterns"), f"{where}.patterns")
    patterns = {
        str(key): _parse_pattern(value, f"{where}.patterns.{key}")
        for key, value in patterns_raw.items()
    }
    week = tuple(_list(values.get("week", list(_DEFAULT_WEEK)), f"{where}.week"))
    rotation = tuple(_list(values.get("rotation", []), f"{where}.rotation"))
    if len(week) != 7:
        raise ScenarioError(f"{where}.week: expected 7 pattern names, Monday first")
    day_off = str(values.get("day_off_pattern", "weekend"))
    for pattern_name in {
        *(rotation or week),
        *((day_off,) if values.get("day_off_prob") else ()),
    }:
        if pattern_name not in patterns:
            raise ScenarioError(f"{where}: pattern {pattern_name!r} is not in patterns")

    def zone_ref(key: str, value: object) -> str:
        if value not in zone_ids:
            raise ScenarioError(f"{where}.{key}: unknown zone {value!r}")
        return str(value)

    sleep_zone = values.get("sleep_zone")
    zones = {
        zone_ref("zones", key): _number(weight, f"{where}.zones.{key}", 0.0, 1000.0)
        for key, weight in _mapping(values.get("zones", {}), f"{where}.zones").items()
    }
    if kind == "resident":
        if sleep_zone is None or not zones:
            raise ScenarioError(f"{where}: a resident needs sleep_zone and zones")
        for pattern_name, pattern in patterns.items():
            if pattern.wake is None or pattern.sleep is None:
                raise ScenarioError(
                    f"{where}.patterns.{pattern_name}: a resident needs wake and sleep"
                )
    elif desk is None:
        raise ScenarioError(f"{where}: a worker needs desk_zone (or desk_zones)")
    vacations = []
    for index, item in enumerate(
        _list(values.get("vacations", []), f"{where}.vacations")
    ):
        pair = _list(item, f"{where}.vacations[{index}]")
        if len(pair) != 2:
            raise ScenarioError(f"{where}.vacations[{index}]: expected [first, last]")
        vacations.append(
            (
                _date(pair[0], f"{where}.vacations[{index}][0]"),
                _date(pair[1], f"{where}.vacations[{index}][1]"),
            )
        )
    tracked = values.get("tracked", False)
    if not isinstance(tracked, bool):
        raise ScenarioError(f"{where}.tracked: expected true or false")
    patience = values.get("patience_min", 10)
    breaks = values.get("breaks_per_day", 2)
    for key, number in (("patience_min", patience), ("breaks_per_day", breaks)):
        if (
            isinstance(number, bool)
            or not isinstance(number, int)
            or not 0 <= number <= 240
        ):
            raise ScenarioError(f"{where}.{key}: expected a whole number 0..240")
    return OccupantSpec(
        name=name,
        kind=kind,
        patterns=patterns,
        week=week,
        rotation=rotation,
        day_off_pattern=day_off,
        sleep_zone=zone_ref("sleep_zone", sleep_zone) if sleep_zone else None,
        desk_zone=zone_ref("desk_zone", desk) if desk else None,
        zones=zones,
        morning=tuple(
            zone_ref("morning", z)
            for z in _list(values.get("morning", []), f"{where}.morning")
        ),
        evening=tuple(
            zone_ref("evening", z)
            for z in _list(values.get("evening", []), f"{where}.evening")
        ),
        breaks_per_day=breaks,
        patience_min=patience,
        tracked=tracked,
        vacations=tuple(vacations),
        setpoint=_parse_schedule(
            values.get("setpoint", {"00:00": 21.0}), f"{where}.setpoint"
        ),
        lighting=_parse_lighting(
            values.get("lighting", {"00:00": [80, 3000]}), f"{where}.lighting"
        ),
        **{key: values[key] for key in _OCCUPANT_NUMBERS if key in values},
    )


def _parse_occupants(raw_list: list[Any], zone_ids: set[str]) -> list[OccupantSpec]:
    occupants: list[OccupantSpec] = []
    for index, item in enumerate(raw_list):
        where = f"occupants[{index}]"
        raw = _mapping(item, where)
        count = raw.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ScenarioError(f"{where}.count: expected a whole number >= 1")
        desks = raw.get("desk_zones") or (
            [raw["desk_zone"]] if "desk_zone" in raw else [None]
        )
        desks = _list(desks, f"{where}.desk_zones")
        name = str(raw.get("name", f"Person {index + 1}"))
        occupants.extend(
            _parse_occupant(
                raw,
                zone_ids,
                where,
                name.format(n=number) if count > 1 else name,
                desks[(number - 1) % len(desks)],
            )
            for number in range(1, count + 1)
        )
    names = [occupant.name for occupant in occupants]
    if len(set(names)) != len(names):
        raise ScenarioError("occupants: names must be unique (use {n} with count)")
    return occupants


def _parse_intervals(raw: object, where: str) -> tuple[tuple[int, int], ...]:
    result = []
    for index, item in enumerate(_list(raw, where)):
        pair = _list(item, f"{where}[{index}]")
        if len(pair) != 2:
            raise ScenarioError(f"{where}[{index}]: expected [from, to]")
        start = parse_time(pair[0], f"{where}[{index}][0]")
        end = parse_time(pair[1], f"{where}[{index}][1]")
        if end <= start:
            raise ScenarioError(f"{where}[{index}]: 'to' must come after 'from'")
        result.append((start, end))
    return tuple(result)


def _parse_baseline(raw: object) -> BaselineSpec:
    values = _fields(
        _mapping(raw if raw is not None else {}, "baseline"),
        "baseline",
        {
            "comfort_c": (5.0, 35.0),
            "setback_c": (5.0, 35.0),
            "cooling_c": (5.0, 40.0),
            "light_brightness_pct": (1.0, 100.0),
            "light_kelvin": (1500.0, 7000.0),
            "light_on_below_lux": (0.0, 5000.0),
        },
        frozenset(
            {"weekday", "weekend", "lights_off_at_setback", "reactive_timeout_min"}
        ),
    )
    for key in ("weekday", "weekend"):
        if key in values:
            values[key] = _parse_intervals(values[key], f"baseline.{key}")
    timeout = values.get("reactive_timeout_min", 15)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise ScenarioError("baseline.reactive_timeout_min: expected minutes >= 1")
    if not isinstance(values.get("lights_off_at_setback", True), bool):
        raise ScenarioError("baseline.lights_off_at_setback: expected true or false")
    return BaselineSpec(**values)


def parse_scenario(data: object) -> Scenario:
    """Validate already-parsed YAML/JSON data and build a ``Scenario``."""
    root = _fields(
        _mapping(data, "scenario"),
        "scenario",
        {"cooling_cop": (0.5, 10.0), "initial_setpoint_c": (5.0, 35.0)},
        frozenset(
            {
                "name",
                "description",
                "start",
                "weather",
                "zone_defaults",
                "floors",
                "neighbours",
                "occupants",
                "holidays",
                "meetings",
                "baseline",
            }
        ),
    )
    name = root.get("name")
    if not isinstance(name, str) or not name:
        raise ScenarioError("name: expected a non-empty string")
    weather = WeatherSpec(
        **_fields(
            _mapping(root.get("weather", {}), "weather"), "weather", _WEATHER_NUMBERS
        )
    )
    defaults = _mapping(root.get("zone_defaults", {}), "zone_defaults")
    floors: list[FloorSpec] = []
    zones: list[ZoneSpec] = []
    for index, item in enumerate(_list(root.get("floors"), "floors")):
        where = f"floors[{index}]"
        raw = _mapping(item, where)
        floor_id = raw.get("id")
        if not isinstance(floor_id, str) or not floor_id.isidentifier():
            raise ScenarioError(f"{where}.id: expected a lower_case identifier")
        level = raw.get("level", index)
        if isinstance(level, bool) or not isinstance(level, int):
            raise ScenarioError(f"{where}.level: expected a whole number")
        floors.append(FloorSpec(floor_id, str(raw.get("name", floor_id)), level))
        zones.extend(
            _parse_zones(
                _list(raw.get("zones"), f"{where}.zones"),
                defaults,
                floor_id,
                f"{where}.zones",
            )
        )
    if not zones:
        raise ScenarioError("floors: the building needs at least one zone")
    zone_ids = [zone.id for zone in zones]
    if len(set(zone_ids)) != len(zone_ids):
        raise ScenarioError("floors: zone ids must be unique")
    known = set(zone_ids)
    neighbours = []
    for index, item in enumerate(_list(root.get("neighbours", []), "neighbours")):
        triple = _list(item, f"neighbours[{index}]")
        if len(triple) != 3 or triple[0] not in known or triple[1] not in known:
            raise ScenarioError(
                f"neighbours[{index}]: expected [zone_id, zone_id, ua_w_per_k] with known zones"
            )
        if triple[0] == triple[1]:
            raise ScenarioError(f"neighbours[{index}]: a zone cannot neighbour itself")
        ua = _number(triple[2], f"neighbours[{index}][2]", 0.0, 10_000.0)
        neighbours.append((str(triple[0]), str(triple[1]), ua))
    occupants = _parse_occupants(_list(root.get("occupants"), "occupants"), known)
    meetings_raw = _mapping(root.get("meetings", {}), "meetings")
    meeting_values = _fields(
        meetings_raw,
        "meetings",
        {"per_room_per_day": (0.0, 20.0)},
        frozenset({"rooms", "min_attendees", "max_attendees"}),
    )
    rooms = tuple(_list(meeting_values.pop("rooms", []), "meetings.rooms"))
    for room in rooms:
        if room not in known:
            raise ScenarioError(f"meetings.rooms: unknown zone {room!r}")
    meetings = MeetingSpec(rooms=rooms, **meeting_values)
    if meetings.min_attendees < 1 or meetings.max_attendees < meetings.min_attendees:
        raise ScenarioError("meetings: need 1 <= min_attendees <= max_attendees")
    return Scenario(
        name=name,
        description=str(root.get("description", "")),
        start=_date(root.get("start"), "start"),
        weather=weather,
        floors=tuple(floors),
        zones=tuple(zones),
        neighbours=tuple(neighbours),
        occupants=tuple(occupants),
        holidays=tuple(
            _date(item, f"holidays[{index}]")
            for index, item in enumerate(_list(root.get("holidays", []), "holidays"))
        ),
        meetings=meetings,
        baseline=_parse_baseline(root.get("baseline")),
        **{
            key: root[key]
            for key in ("cooling_cop", "initial_setpoint_c")
            if key in root
        },
    )


def with_tracked(scenario: Scenario, who: str) -> Scenario:
    """Return ``scenario`` with the phones of ``who`` tracked, and nobody else's.

    ``who`` is ``residents``, ``none`` or a comma-separated list of names;
    ScenarioError for a name the scenario does not have.
    """
    if who in ("residents", "none"):
        chosen = {
            spec.name
            for spec in scenario.occupants
            if who == "residents" and spec.kind == "resident"
        }
    else:
        chosen = {name.strip() for name in who.split(",")}
        unknown = chosen - {spec.name for spec in scenario.occupants}
        if unknown:
            raise ScenarioError(f"tracked: no occupant named {sorted(unknown)}")
    occupants = tuple(
        replace(spec, tracked=spec.name in chosen) for spec in scenario.occupants
    )
    return replace(scenario, occupants=occupants)
