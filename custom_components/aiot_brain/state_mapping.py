"""Turn Home Assistant states into the learning core's observations.

One function, :func:`observations_from_state`, knows how each kind of entity reports
each role: binary sensors as on/off, sensors as numbers in their own unit, climates
and lights through attributes. Values are converted to the core's units (°C, W, %,
K) and checked against the role's plausible range; anything unknown, unavailable,
non-numeric or absurd gives no observation, never an error. The core's naive
wall-clock times go back to Home Assistant through :func:`aware`.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.climate.const import (
    ATTR_CURRENT_TEMPERATURE,
    ATTR_HVAC_ACTION,
    ATTR_MAX_TEMP,
    ATTR_MIN_TEMP,
    ATTR_PRESET_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    HVACAction,
    HVACMode,
)
from homeassistant.components.light.const import ATTR_BRIGHTNESS, ATTR_COLOR_TEMP_KELVIN
from homeassistant.components.weather.const import ATTR_WEATHER_TEMPERATURE
from homeassistant.const import (
    ATTR_TEMPERATURE,
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_HOME,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import PowerConverter, TemperatureConverter

from .brain.control import (
    BOUNDS_KEPT_TO,
    PRESETS_OF_THEIR_OWN,
    ControlSettings,
    preset_kind,
    takes_target_between,
    thermostat_setting,
    wanted_cooling,
    wanted_temperature,
)
from .brain.observation import Observation, Role, as_number
from .brain.timefeatures import local_time
from .brain.units import CELSIUS, FAHRENHEIT, TemperatureScale
from .discovery import ZoneEntity

# States that carry no reading: the entity is unavailable or does not know.
NO_READING = frozenset({STATE_UNKNOWN, STATE_UNAVAILABLE, "", "none"})
_TEMPERATURE_ROLES = frozenset({Role.TEMPERATURE, Role.OUTDOOR_TEMPERATURE})
# Per-area presence trackers (Bermuda) name an area instead: the coordinator routes them.
_ON_OFF_ROLES = frozenset({Role.MOTION, Role.DOOR, Role.WINDOW, Role.LIGHT_ON})
_LIGHT_LEVELS = frozenset({Role.LIGHT_BRIGHTNESS, Role.LIGHT_COLOR_TEMP})
_HVAC_ACTION_VALUES = {
    HVACAction.HEATING: 1.0,
    HVACAction.PREHEATING: 1.0,
    HVACAction.COOLING: -1.0,
}
# Modes in which a thermostat that reports no action neither heats nor cools.
_IDLE_MODES = frozenset({HVACMode.OFF, HVACMode.FAN_ONLY, HVACMode.DRY})
_MEDIA_ACTIVE = frozenset({"playing", "buffering"})
# Many TVs say only "on" while someone watches live TV; a speaker that is "on" is
# merely awake.
_MEDIA_TV = "tv"
# A TV in these is off; a player playing these shows something to watch.
_SCREEN_OFF = frozenset({STATE_OFF, "standby", "unavailable", "unknown"})
_SCREEN_CONTENT = frozenset({"movie", "tvshow", "episode", "video", "channel"})
_WEATHER_TEMPERATURE_UNIT = "temperature_unit"
_SUN_ELEVATION = "elevation"  # of sun.sun, in degrees
# A thermostat's setting is read as the controller sets one: cooling from its
# margin above the comfort it stands for, a band heating from its slack below.
_CONTROL_SETTINGS = ControlSettings()
# Temperature units as firmware and templates write them ("C", "ºC" with the
# ordinal sign, "℃"), once degree signs, spaces and case are set aside.
_NOT_IN_UNIT_NAMES = str.maketrans("", "", "°º⁰˚ ")
_TEMPERATURE_UNIT_NAMES = {
    "c": UnitOfTemperature.CELSIUS,
    "℃": UnitOfTemperature.CELSIUS,
    "celsius": UnitOfTemperature.CELSIUS,
    "f": UnitOfTemperature.FAHRENHEIT,
    "℉": UnitOfTemperature.FAHRENHEIT,
    "fahrenheit": UnitOfTemperature.FAHRENHEIT,
    "k": UnitOfTemperature.KELVIN,
    "kelvin": UnitOfTemperature.KELVIN,
}


def at_home(state: State) -> bool | None:
    """Return whether a person or device tracker is home (None: not known).

    Away is ``not_home`` or the name of another zone, such as "Work".
    """
    if state.state in NO_READING:
        return None
    return state.state == STATE_HOME


def observations_from_state(
    entity: ZoneEntity,
    state: State,
    *,
    system_temperature_unit: str = UnitOfTemperature.CELSIUS,
    manual: bool | None = False,
    previous: State | None = None,
) -> list[Observation]:
    """Return what ``state`` of ``entity`` tells the core, one observation a role.

    ``system_temperature_unit`` is the unit HA uses for climate and weather
    attributes that carry no unit of their own. ``manual`` marks a person's change
    (None: not known who made it), and ``previous`` is the state before it, where known.
    """
    if state.state in NO_READING:
        return []
    when = dt_util.as_local(state.last_updated)
    observations = []
    for role in entity.roles:
        value = _raw_value(entity, role, state, system_temperature_unit, previous)
        if value is not None:
            cooling = (
                _setpoint_cooling(state, previous, system_temperature_unit)
                if role is Role.HVAC_SETPOINT
                else None
            )
            observations.append(
                Observation(
                    role,
                    value,
                    when,
                    source=entity.entity_id,
                    manual=None
                    if _power_on_level(role, previous)
                    or _setpoints_kept(role, state, previous)
                    or _preset_of_its_own(role, state)
                    else manual,
                    cooling=cooling,
                )
            )
    return observations


def _raw_value(
    entity: ZoneEntity,
    role: Role,
    state: State,
    system_unit: str,
    previous: State | None = None,
) -> float | None:
    # The recorder's LazyState has no ``domain``; the entity id always does.
    domain = state.entity_id.partition(".")[0]
    attributes = state.attributes
    if domain == Platform.CLIMATE:
        if role is Role.HVAC_SETPOINT:
            return _setpoint(state, previous, system_unit)
        if role is Role.HVAC_ACTION:
            return _hvac_action(state)
        if role is Role.TEMPERATURE:
            return to_celsius(attributes.get(ATTR_CURRENT_TEMPERATURE), system_unit)
        return None
    if domain == Platform.LIGHT:
        return _light_value(role, state, previous)
    if domain == Platform.MEDIA_PLAYER:
        watched = (
            state.state == STATE_ON and attributes.get("device_class") == _MEDIA_TV
        )
        return 1.0 if state.state in _MEDIA_ACTIVE or watched else 0.0
    if domain == Platform.WEATHER:
        unit = attributes.get(_WEATHER_TEMPERATURE_UNIT, system_unit)
        return to_celsius(attributes.get(ATTR_WEATHER_TEMPERATURE), unit)
    if role is Role.SUN_ELEVATION:
        return as_number(attributes.get(_SUN_ELEVATION))
    if role in _ON_OFF_ROLES:
        return _on_off(state.state)
    unit = attributes.get(ATTR_UNIT_OF_MEASUREMENT, entity.unit)
    if role in _TEMPERATURE_ROLES:
        return to_celsius(state.state, _temperature_unit(unit, system_unit))
    if role is Role.POWER:
        return _watts(state.state, unit)
    return as_number(state.state)


def _hvac_action(state: State) -> float | None:
    """Return whether a thermostat heats (1), cools (-1) or does neither (0).

    Many radiator valves and simple thermostats report no action: one below the
    target it heats to is taken to heat, as it does, or the thermal model would
    learn its heating as the room warming by itself. None: it cannot be told.
    """
    attributes = state.attributes
    action = attributes.get(ATTR_HVAC_ACTION)
    if action is not None:
        return _HVAC_ACTION_VALUES.get(action, 0.0)
    if state.state in _IDLE_MODES:
        return 0.0
    # All in the thermostat's own unit: only their order counts.
    current = as_number(attributes.get(ATTR_CURRENT_TEMPERATURE))
    target = as_number(attributes.get(ATTR_TEMPERATURE))
    low = as_number(attributes.get(ATTR_TARGET_TEMP_LOW))
    high = as_number(attributes.get(ATTR_TARGET_TEMP_HIGH))
    if state.state == HVACMode.HEAT:
        low, high = target, None
    elif state.state == HVACMode.COOL:
        low, high = None, target
    elif state.state != HVACMode.HEAT_COOL:
        return None  # auto: what it aims at is not shown
    if current is None or (low is None and high is None):
        return None
    if low is not None and current < low:
        return 1.0
    if high is not None and current > high:
        return -1.0
    return 0.0


def _setpoint(state: State, previous: State | None, unit: str) -> float | None:
    """Return the temperature a thermostat state asks for, in °C."""
    return wanted_temperature(
        state.state,
        **_setting(state, previous, unit),
        settings=_CONTROL_SETTINGS,
    )


def _setpoint_cooling(state: State, previous: State | None, unit: str) -> bool | None:
    """Return whether a thermostat state's setpoint is wanted when cooling."""
    return wanted_cooling(state.state, **_setting(state, previous, unit))


def _setting(
    state: State, previous: State | None, unit: str
) -> dict[str, float | None]:
    """Return a thermostat's setpoints, and its band before this state, in °C."""
    return thermostat_setting(
        state.attributes,
        previous.attributes if previous is not None else {},
        lambda value: to_celsius(value, unit),
    )


def screen_on(state: State) -> bool:
    """Whether a media player shows people something: a TV on, or a video playing.

    People watching sit still for an hour; a speaker playing in an empty room is
    no sign of them.
    """
    if state.attributes.get("device_class") == _MEDIA_TV:
        return state.state not in _SCREEN_OFF
    return (
        state.state in _MEDIA_ACTIVE
        and state.attributes.get("media_content_type") in _SCREEN_CONTENT
    )


def _light_value(role: Role, state: State, previous: State | None) -> float | None:
    is_on = _on_off(state.state)
    if role is Role.LIGHT_ON or is_on is None:
        return is_on
    if not is_on:
        return None  # an off light has no brightness or colour to learn from
    key = ATTR_BRIGHTNESS if role is Role.LIGHT_BRIGHTNESS else ATTR_COLOR_TEMP_KELVIN
    value = as_number(state.attributes.get(key))
    if (
        previous is not None
        and previous.state == STATE_ON
        and as_number(previous.attributes.get(key)) == value
    ):
        # Unchanged on a lamp that stays on: someone changed the other setting
        # (dimmed it under the colour we set in the afternoon, say), not this.
        return None
    if value is None or role is Role.LIGHT_COLOR_TEMP:
        return value
    return value / 255.0 * 100.0


def _power_on_level(role: Role, previous: State | None) -> bool:
    """Whether ``role`` is a light's level as it came back from unavailable.

    Powered again at its wall switch, a bulb comes on at its own power-on level
    (back on the network, at the one it had): whoever switched it on chose none.
    """
    return (
        role in _LIGHT_LEVELS and previous is not None and previous.state in NO_READING
    )


def _setpoints_kept(role: Role, state: State, previous: State | None) -> bool:
    """Whether ``role`` is a thermostat's setpoint as it was: only its mode or preset moved.

    Nobody chose that setpoint now: it was chosen before, for the way it went then
    (the heating's 20 °C a thermostat carries into cool mode in May) or by us. A
    valve's boost pressed, or ending by itself, keeps the setpoint it had too: the
    17 °C of a room set back is no warmth wanted by whoever was cold.
    """
    if role is not Role.HVAC_SETPOINT or previous is None:
        return False
    if previous.state in NO_READING:
        return False
    return all(
        state.attributes.get(key) == previous.attributes.get(key)
        for key in (ATTR_TEMPERATURE, ATTR_TARGET_TEMP_LOW, ATTR_TARGET_TEMP_HIGH)
    )


def _preset_of_its_own(role: Role, state: State) -> bool:
    """Whether ``role`` is a thermostat's setpoint its preset keeps for itself.

    Switched to eco, away or boost, a thermostat that keeps a temperature for each
    preset (Versatile Thermostat, many valves) shows that preset's: set for a
    setback or a boost, not the warmth whoever switched it wants.
    """
    if role is not Role.HVAC_SETPOINT:
        return False
    preset = state.attributes.get(ATTR_PRESET_MODE)
    return isinstance(preset, str) and preset_kind(preset) in PRESETS_OF_THEIR_OWN


def teaches_no_comfort(
    state: State, previous: State, unit: str, bounds: tuple[float, float]
) -> bool:
    """Whether a person's change of a thermostat to ``state`` teaches no comfort.

    Only its mode or preset moved (a boost), it was switched off (or to dry or fan
    only), or its setpoint lies outside ``bounds`` (°C), the lowest and highest
    setpoints: turned right down, as a valve's window function does, or right up.
    """
    if _setpoints_kept(Role.HVAC_SETPOINT, state, previous) or _preset_of_its_own(
        Role.HVAC_SETPOINT, state
    ):
        return True
    setpoint = _setpoint(state, previous, unit)
    low, high = bounds
    return setpoint is None or not (
        low - BOUNDS_KEPT_TO <= setpoint <= high + BOUNDS_KEPT_TO
    )


def _on_off(value: str) -> float | None:
    if value == STATE_ON:
        return 1.0
    if value == STATE_OFF:
        return 0.0
    return None


def temperature_scale(unit: str) -> TemperatureScale:
    """Return the scale AIoT Brain's words use where HA shows temperatures in ``unit``."""
    return FAHRENHEIT if unit == UnitOfTemperature.FAHRENHEIT else CELSIUS


def difference_in(kelvin: float, unit: str) -> float:
    """Return a temperature difference in ``unit``, to a tenth."""
    return round(kelvin * temperature_scale(unit).per_kelvin, 1)


def from_celsius(celsius: float, unit: str) -> float:
    """Return ``celsius`` in ``unit``, the unit HA shows temperatures in.

    Only a conversion is rounded (to a tenth): °C goes through as it is.
    """
    if unit == UnitOfTemperature.CELSIUS:
        return celsius
    return round(
        TemperatureConverter.convert(celsius, UnitOfTemperature.CELSIUS, unit), 1
    )


def keeps_no_room(state: State, system_unit: str, bounds: tuple[float, float]) -> bool:
    """Whether a thermostat takes no target within ``bounds`` (°C), as it shows."""
    if state.entity_id.partition(".")[0] != Platform.CLIMATE:
        return False
    lowest = to_celsius(state.attributes.get(ATTR_MIN_TEMP), system_unit)
    highest = to_celsius(state.attributes.get(ATTR_MAX_TEMP), system_unit)
    if lowest is None or highest is None:
        return False
    return not takes_target_between(lowest, highest, *bounds)


def to_celsius(value: object, unit: str) -> float | None:
    """Return a reading in ``unit`` in °C; None if it is no number or no temperature."""
    number = as_number(value)
    if number is None:
        return None
    try:
        return TemperatureConverter.convert(number, unit, UnitOfTemperature.CELSIUS)
    except HomeAssistantError:
        return None  # a unit that is not a temperature


def _temperature_unit(unit: object, system_unit: str) -> str:
    """Return the unit Home Assistant knows for a temperature unit as written.

    A reading with no unit is in the home's: Home Assistant converts none of it.
    """
    if not unit:
        return system_unit
    if not isinstance(unit, str):
        return ""  # no temperature unit
    name = unit.casefold().translate(_NOT_IN_UNIT_NAMES)
    return _TEMPERATURE_UNIT_NAMES.get(name, unit)


def _watts(value: object, unit: str | None) -> float | None:
    """Return the watts drawn; power below zero is none drawn, and no fault.

    A plug a solar panel feeds back through reads below zero, as many plugs do by
    a watt or two with nothing on.
    """
    number = as_number(value)
    if number is None:
        return None
    try:
        watts = PowerConverter.convert(
            number, unit or UnitOfPower.WATT, UnitOfPower.WATT
        )
    except HomeAssistantError:
        return None
    return max(watts, 0.0)


def aware(when: datetime) -> datetime:
    """Return a time of the core (naive local wall clock) as an aware local time."""
    return local_time(when, dt_util.get_default_time_zone())


def aware_iso(when: datetime | None) -> str | None:
    """Return a time of the core as aware ISO 8601 text (None stays None)."""
    return None if when is None else aware(when).isoformat()
