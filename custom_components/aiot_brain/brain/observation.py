"""What the core is told: a value of a known role, from one source, at one time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
import math


class Role(StrEnum):
    """What a signal means to the models; the adapter maps HA entities to these."""

    # Occupancy evidence
    MOTION = "motion"  # motion / occupancy / presence: 1 seen, 0 clear
    DOOR = "door"  # 1 open, 0 closed
    MEDIA = "media"  # 1 playing, 0 not
    POWER = "power"  # W
    PRESENCE = "presence"  # per-zone presence (e.g. Bermuda): 1 present, 0 away
    # Building-wide, from people's trackers: 1 everyone is away, 0 someone is home
    # or nobody knows.
    NOBODY_HOME = "nobody_home"
    # Environment
    CO2 = "co2"  # ppm
    ILLUMINANCE = "illuminance"  # lx
    SOUND = "sound"  # dB
    # Comfort
    TEMPERATURE = "temperature"  # °C indoor
    HUMIDITY = "humidity"  # % relative
    OUTDOOR_TEMPERATURE = "outdoor_temperature"  # °C
    WINDOW = "window"  # 1 open, 0 closed
    # HVAC
    HVAC_SETPOINT = "hvac_setpoint"  # °C target
    HVAC_ACTION = "hvac_action"  # 1 heating, -1 cooling, 0 idle or off
    # Lights
    LIGHT_ON = "light_on"  # 1 on, 0 off
    LIGHT_BRIGHTNESS = "light_brightness"  # % 0..100
    LIGHT_COLOR_TEMP = "light_color_temp"  # K
    # Building-wide, from Home Assistant's sun: where no light sensor reads, it
    # tells daylight from dark.
    SUN_ELEVATION = "sun_elevation"  # degrees above the horizon


@dataclass(frozen=True, slots=True)
class Observation:
    """One reading, or the news that a source stopped reading.

    ``manual`` marks a person's own change (a comfort label); False is ours or a
    sensor's, None not known (history, a state as it stands). ``gone`` says instead that the source stopped reading (unavailable): what it
    said last no longer holds. ``cooling`` says of a setpoint whether it is wanted
    when cooling (True) or heating (False); None: the season tells.
    """

    role: Role
    value: float
    when: datetime
    source: str = ""
    manual: bool | None = False
    gone: bool = False
    cooling: bool | None = None


# Readings outside these are sensor faults, not weather: they are dropped and counted.
PLAUSIBLE_RANGE: dict[Role, tuple[float, float]] = {
    Role.MOTION: (0.0, 1.0),
    Role.DOOR: (0.0, 1.0),
    Role.MEDIA: (0.0, 1.0),
    Role.PRESENCE: (0.0, 1.0),
    Role.NOBODY_HOME: (0.0, 1.0),
    Role.WINDOW: (0.0, 1.0),
    Role.LIGHT_ON: (0.0, 1.0),
    Role.POWER: (0.0, 100_000.0),
    # Indoor air is never fresher than outdoor air (about 420 ppm): a sensor that
    # reads 0 as it starts up would drag the fresh-air level down for days.
    Role.CO2: (250.0, 20_000.0),
    Role.ILLUMINANCE: (0.0, 200_000.0),
    Role.SOUND: (0.0, 200.0),
    Role.TEMPERATURE: (-60.0, 80.0),
    Role.OUTDOOR_TEMPERATURE: (-90.0, 70.0),
    Role.HUMIDITY: (0.0, 100.0),
    Role.HVAC_SETPOINT: (0.0, 45.0),
    Role.HVAC_ACTION: (-1.0, 1.0),
    Role.LIGHT_BRIGHTNESS: (0.0, 100.0),
    Role.LIGHT_COLOR_TEMP: (1000.0, 20_000.0),
    Role.SUN_ELEVATION: (-90.0, 90.0),
}


class Whereabouts:
    """Whether everyone is away, from each tracked person's "home" or "away".

    A person whose whereabouts are not known (no tracker yet) counts neither way;
    one known before and not now (a phone switched off) may be home: nobody can be
    said to be away then.

    >>> people = Whereabouts()
    >>> people.update("person.anna", False)
    True
    >>> people.update("person.ben", True)
    False
    >>> people.update("person.anna", False) is None  # no news
    True
    >>> people.update("person.ben", False)
    True
    >>> people.update("person.ben", None)  # his phone switched off: he may be home
    False
    """

    def __init__(self) -> None:
        """Start knowing nobody's whereabouts."""
        self.at_home: dict[str, bool | None] = {}  # None: known before, not now

    def update(self, person: str, home: bool | None) -> bool | None:
        """Take one person's news (None: not known now).

        Return whether everyone is away, or None when that cannot have changed.
        """
        seen_before = person in self.at_home
        before = self.everyone_away
        if home is not None or seen_before:
            self.at_home[person] = home
        after = self.everyone_away
        if seen_before and after == before:
            return None
        return after

    @property
    def everyone_away(self) -> bool:
        """True when people are tracked and none of them is home."""
        return bool(self.at_home) and all(
            home is False for home in self.at_home.values()
        )


def as_number(value: object) -> float | None:
    """Return ``value`` as a finite float, or None for anything that is not one.

    Accepts ints, floats, bools and numeric strings; None, NaN, inf, other strings
    and other types give None. Never raises.
    """
    if type(value) is float:  # nearly always: the quick way first
        return value if math.isfinite(value) else None
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def role_of(value: object) -> Role | None:
    """Return ``value`` as a role (a role or its name), or None if it names none."""
    if isinstance(value, Role):
        return value  # nearly always: no lookup by name each reading
    if not isinstance(value, str):
        return None
    try:
        return Role(value)
    except ValueError:
        return None


def plausible(role: Role, value: object) -> float | None:
    """Return ``value`` as a float if it is a number within ``role``'s range.

    None for anything else, an unknown role included.
    """
    number = as_number(value)
    bounds = PLAUSIBLE_RANGE.get(role)
    if number is None or bounds is None:
        return None
    low, high = bounds
    return number if low <= number <= high else None
