"""The user's choices, read from the config entry's options into one typed value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from .brain.control import ControlSettings
from .const import (
    CONF_CONTROL_LEVEL,
    CONF_COOLING_SETPOINT,
    CONF_HEATING_SETPOINT,
    CONF_HISTORY_DAYS,
    CONF_HOLD_MINUTES,
    CONF_MAX_TEMPERATURE,
    CONF_MIN_TEMPERATURE,
    CONF_NETWORK_INVENTORY,
    CONF_NIGHT_END,
    CONF_NIGHT_START,
    CONF_OUTDOOR_SOURCE,
    CONF_SETBACK_MINUTES,
    CONF_SLEEP_TEMPERATURE,
    CONF_ZONES,
    DEFAULT_CONTROL_LEVEL,
    DEFAULT_COOLING_SETPOINT,
    DEFAULT_HEATING_SETPOINT,
    DEFAULT_HISTORY_DAYS,
    DEFAULT_HOLD_MINUTES,
    DEFAULT_MAX_TEMPERATURE,
    DEFAULT_MIN_TEMPERATURE,
    DEFAULT_NETWORK_INVENTORY,
    DEFAULT_SETBACK_MINUTES,
    ControlLevel,
)

# The night and sleep temperature default to the controller's own defaults.
_CONTROL_DEFAULTS = ControlSettings()


@dataclass(frozen=True, slots=True)
class Settings:
    """What the user chose in the config, options or reconfigure flow.

    Missing keys take their defaults, so entries made by older versions still load.
    """

    zones: tuple[str, ...] = ()
    outdoor_source: str | None = None
    heating_setpoint: float = DEFAULT_HEATING_SETPOINT
    cooling_setpoint: float = DEFAULT_COOLING_SETPOINT
    min_temperature: float = DEFAULT_MIN_TEMPERATURE
    max_temperature: float = DEFAULT_MAX_TEMPERATURE
    control_level: ControlLevel = DEFAULT_CONTROL_LEVEL
    network_inventory: bool = DEFAULT_NETWORK_INVENTORY
    history_days: int = DEFAULT_HISTORY_DAYS
    hold_minutes: int = DEFAULT_HOLD_MINUTES
    setback_minutes: int = DEFAULT_SETBACK_MINUTES
    # None: people sleeping in a zone do not change its temperature.
    sleep_temperature: float | None = _CONTROL_DEFAULTS.sleep_temperature
    night_start: time = _CONTROL_DEFAULTS.night_start
    night_end: time = _CONTROL_DEFAULTS.night_end

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Settings:
        """Read the settings from a config entry's options."""
        return cls(
            zones=tuple(options.get(CONF_ZONES, ())),
            outdoor_source=options.get(CONF_OUTDOOR_SOURCE) or None,
            heating_setpoint=float(
                options.get(CONF_HEATING_SETPOINT, DEFAULT_HEATING_SETPOINT)
            ),
            cooling_setpoint=float(
                options.get(CONF_COOLING_SETPOINT, DEFAULT_COOLING_SETPOINT)
            ),
            min_temperature=float(
                options.get(CONF_MIN_TEMPERATURE, DEFAULT_MIN_TEMPERATURE)
            ),
            max_temperature=float(
                options.get(CONF_MAX_TEMPERATURE, DEFAULT_MAX_TEMPERATURE)
            ),
            control_level=ControlLevel(
                options.get(CONF_CONTROL_LEVEL, DEFAULT_CONTROL_LEVEL)
            ),
            network_inventory=bool(
                options.get(CONF_NETWORK_INVENTORY, DEFAULT_NETWORK_INVENTORY)
            ),
            history_days=int(options.get(CONF_HISTORY_DAYS, DEFAULT_HISTORY_DAYS)),
            hold_minutes=int(options.get(CONF_HOLD_MINUTES, DEFAULT_HOLD_MINUTES)),
            setback_minutes=int(
                options.get(CONF_SETBACK_MINUTES, DEFAULT_SETBACK_MINUTES)
            ),
            sleep_temperature=_optional_float(
                options.get(CONF_SLEEP_TEMPERATURE, _CONTROL_DEFAULTS.sleep_temperature)
            ),
            night_start=_time(
                options.get(CONF_NIGHT_START), _CONTROL_DEFAULTS.night_start
            ),
            night_end=_time(options.get(CONF_NIGHT_END), _CONTROL_DEFAULTS.night_end),
        )

    def as_options(self) -> dict[str, Any]:
        """Return the settings as config entry options (JSON-compatible)."""
        options: dict[str, Any] = {
            CONF_ZONES: list(self.zones),
            CONF_HEATING_SETPOINT: self.heating_setpoint,
            CONF_COOLING_SETPOINT: self.cooling_setpoint,
            CONF_MIN_TEMPERATURE: self.min_temperature,
            CONF_MAX_TEMPERATURE: self.max_temperature,
            CONF_CONTROL_LEVEL: self.control_level.value,
            CONF_NETWORK_INVENTORY: self.network_inventory,
            CONF_HISTORY_DAYS: self.history_days,
            CONF_HOLD_MINUTES: self.hold_minutes,
            CONF_SETBACK_MINUTES: self.setback_minutes,
            CONF_SLEEP_TEMPERATURE: self.sleep_temperature,
            CONF_NIGHT_START: self.night_start.isoformat(),
            CONF_NIGHT_END: self.night_end.isoformat(),
        }
        if self.outdoor_source:
            options[CONF_OUTDOOR_SOURCE] = self.outdoor_source
        return options


def _optional_float(value: object) -> float | None:
    return None if value is None else float(str(value))


def _time(value: object, default: time) -> time:
    """Read a time of day as the time selector gives it ("HH:MM:SS")."""
    return default if value is None else time.fromisoformat(str(value))
