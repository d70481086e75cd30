"""Config, options and reconfigure flows for AIoT Brain.

All three show the same form: what discovery found, the zones to learn, the control
level, the outdoor temperature source, comfort defaults and bounds, the hold and
setback times, the night and its sleep temperature, how many days of history to learn
from and the network inventory. The choices are stored as entry options.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    EntityWithDeviceFilterSelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TimeSelector,
)
from homeassistant.util.unit_conversion import TemperatureConverter
import probatio

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
    DOMAIN,
    HISTORY_DAYS_MAX,
    HOLD_MINUTES_MAX,
    NAME,
    SETBACK_MINUTES_MAX,
    SETPOINT_HIGHEST,
    SETPOINT_LOWEST,
    ControlLevel,
)
from .discovery import Discovery, Zone, ZoneEntity, async_discover, travels
from .settings import Settings
from .state_mapping import from_celsius, to_celsius

# Settings keep °C; the form shows and takes the unit HA shows temperatures in.
_TEMPERATURES = (
    CONF_HEATING_SETPOINT,
    CONF_COOLING_SETPOINT,
    CONF_MIN_TEMPERATURE,
    CONF_MAX_TEMPERATURE,
    CONF_SLEEP_TEMPERATURE,
)
_OUTDOOR_SELECTOR = EntitySelector(
    EntitySelectorConfig(
        filter=[
            EntityWithDeviceFilterSelectorConfig(
                domain="sensor", device_class="temperature"
            ),
            EntityWithDeviceFilterSelectorConfig(domain="weather"),
        ]
    )
)


def default_settings(hass: HomeAssistant, discovery: Discovery) -> Settings:
    """Suggest settings for a new install: every learnable zone, the best outdoor source."""
    ranked = [
        (rank, entity.entity_id)
        for entity in discovery.outdoor
        if (rank := _outdoor_rank(hass, entity)) is not None
    ]
    return Settings(
        zones=tuple(zone.zone_id for zone in discovery.learnable_zones),
        outdoor_source=min(ranked)[1] if ranked else None,
    )


def _outdoor_rank(hass: HomeAssistant, entity: ZoneEntity) -> int | None:
    """Rank a candidate for the default outdoor source: lowest first, None never.

    A thermometer the user placed in an area (the garden, a balcony) comes first,
    then other thermometers named outdoor, then a forecast service's estimate. A
    car's "Outside temperature" reads wherever the car is: a device of a car
    integration, or one its own integration tracks, is never the default.
    """
    if entity.entity_id.startswith("weather."):
        return 2
    entities = er.async_get(hass)
    entry = entities.async_get(entity.entity_id)
    if entry is None:  # removed meanwhile
        return None
    device = dr.async_get(hass).async_get(entry.device_id) if entry.device_id else None
    if travels(entities, entry, device):
        return None
    return 0 if entry.area_id or (device and device.area_id) else 1


def _zone_label(zone: Zone, discovery: Discovery) -> str:
    floor = next(
        (f.name for f in discovery.floors if f.floor_id == zone.floor_id), None
    )
    counts = ", ".join(f"{count} {what}" for what, count in zone.counts().items())
    where = f"{zone.name} ({floor})" if floor else zone.name
    if not zone.learnable:
        return f"{where}: no sensor to learn from now"
    return f"{where}: {counts}"


def _summary(discovery: Discovery) -> dict[str, str]:
    """Placeholders that tell the user what discovery found."""
    unlearnable = ", ".join(zone.name for zone in discovery.unlearnable_zones)
    return {
        "zone_count": str(len(discovery.learnable_zones)),
        "unlearnable": unlearnable or "-",
        "outdoor_count": str(len(discovery.outdoor)),
    }


def _suggested(key: str, value: object) -> probatio.Optional:
    """Return an optional field showing ``value``, which the user may empty."""
    return probatio.Optional(key, description={"suggested_value": value})


def _temperature_step(unit: str) -> float:
    """Half degrees Celsius, whole degrees Fahrenheit: as HA shows a thermostat's."""
    return 0.5 if unit == UnitOfTemperature.CELSIUS else 1.0


def _temperature_selector(unit: str) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=from_celsius(SETPOINT_LOWEST, unit),
            max=from_celsius(SETPOINT_HIGHEST, unit),
            step=_temperature_step(unit),
            unit_of_measurement=unit,
            mode=NumberSelectorMode.BOX,
        )
    )


def _shown_temperature(celsius: float, unit: str) -> float:
    """Return a stored temperature as the form shows it: in ``unit``, on its step.

    The frontend marks a value off the field's step as invalid (18.5 °C is 65.3 °F).
    Converted exactly and rounded once: 20.25 °C is 68.45 °F, shown 68; rounded to a
    tenth first it would be 68.5 and show 69.
    """
    exact = TemperatureConverter.convert(celsius, UnitOfTemperature.CELSIUS, unit)
    return _on_step(exact, _temperature_step(unit))


def _on_step(value: float, step: float) -> float:
    """Return ``value`` on the nearest multiple of ``step``, halves away from zero.

    As a thermostat shows it: 72.5 °F is 73. Python's round() takes halves to the
    even number (72). The noise of a conversion (72.49999999) is rounded off first.
    """
    steps = Decimal(str(round(value / step, 6))).to_integral_value(ROUND_HALF_UP)
    return float(steps) * step


def _changed(user_input: dict[str, Any], unit: str, shown: Settings) -> set[str]:
    """Return the temperatures and times the person changed from what was shown.

    The frontend sends every field, touched or not: one typed again as it was
    shown cannot be told from one left alone, and counts as unchanged.
    """
    before = shown.as_options()
    changed = {
        key
        for key in _TEMPERATURES
        if user_input.get(key)
        != (None if before[key] is None else _shown_temperature(before[key], unit))
    }
    # The time selector may leave out the seconds.
    changed.update(
        key
        for key in (CONF_NIGHT_START, CONF_NIGHT_END)
        if time.fromisoformat(user_input[key]) != time.fromisoformat(before[key])
    )
    return changed


def _in_celsius(
    user_input: dict[str, Any], unit: str, shown: Settings, changed: set[str]
) -> dict[str, Any]:
    """Return the form's input with its temperatures in °C.

    A temperature left as the form showed it (rounded) keeps the value stored.
    """
    converted = dict(user_input)
    before = shown.as_options()
    for key in _TEMPERATURES:
        if key not in changed:
            converted[key] = before[key]
        elif (celsius := to_celsius(user_input.get(key), unit)) is not None:
            converted[key] = round(celsius, 2)
    return converted


def _offered_zones(
    discovery: Discovery, settings: Settings, shown: Collection[str]
) -> list[Zone]:
    """Return the zones the form offers to learn.

    A zone chosen before stays on offer while its area has no sensor (a repair
    issue says so), or saving the options for anything else would drop it; one
    the form offered stays on offer, or unticked before an error it could not be
    ticked again.
    """
    return [
        zone
        for zone in discovery.zones
        if zone.learnable or zone.zone_id in settings.zones or zone.zone_id in shown
    ]


def _zones_of_the_home(
    settings: Settings, current: Settings, shown: Collection[str], discovery: Discovery
) -> Settings:
    """Return ``settings`` with the zones of the areas the home has now.

    An area created while the form was open joins the options at once, as new
    areas do; the form did not show it, so what was submitted says nothing against
    it. A deleted area leaves them, deleted before or while the form was open: kept,
    it would be saved back with every submit. An area whose sensors are gone is
    still an area, offered and kept.
    """
    joined = [
        zone_id
        for zone_id in current.zones
        if zone_id not in shown and zone_id not in settings.zones
    ]
    areas = {zone.zone_id for zone in discovery.zones}
    zones = tuple(zone_id for zone_id in (*settings.zones, *joined) if zone_id in areas)
    return replace(settings, zones=zones)


def _schema(
    discovery: Discovery, settings: Settings, offered: list[Zone], unit: str
) -> probatio.Schema:
    """Build the form, filled in with ``settings``, temperatures in ``unit``."""
    temperature = _temperature_selector(unit)
    fields: dict[probatio.Marker, Any] = {}
    if offered:
        # A home without learnable areas gets no zone field; it can still be set up.
        offered_ids = [zone.zone_id for zone in offered]
        fields[
            probatio.Required(
                CONF_ZONES, default=[z for z in settings.zones if z in offered_ids]
            )
        ] = SelectSelector(
            SelectSelectorConfig(
                options=[
                    SelectOptionDict(
                        value=zone.zone_id, label=_zone_label(zone, discovery)
                    )
                    for zone in offered
                ],
                multiple=True,
                mode=SelectSelectorMode.LIST,
            )
        )
    # How far it may act is the choice that matters most, after what to learn.
    fields[
        probatio.Required(CONF_CONTROL_LEVEL, default=settings.control_level.value)
    ] = SelectSelector(
        SelectSelectorConfig(
            options=[level.value for level in ControlLevel],
            translation_key=CONF_CONTROL_LEVEL,
            mode=SelectSelectorMode.LIST,
        )
    )
    fields[_suggested(CONF_OUTDOOR_SOURCE, settings.outdoor_source)] = _OUTDOOR_SELECTOR
    for key, value in (
        (CONF_HEATING_SETPOINT, settings.heating_setpoint),
        (CONF_COOLING_SETPOINT, settings.cooling_setpoint),
        (CONF_MIN_TEMPERATURE, settings.min_temperature),
        (CONF_MAX_TEMPERATURE, settings.max_temperature),
    ):
        fields[probatio.Required(key, default=_shown_temperature(value, unit))] = (
            temperature
        )
    for key, value, highest in (
        (CONF_HOLD_MINUTES, settings.hold_minutes, HOLD_MINUTES_MAX),
        (CONF_SETBACK_MINUTES, settings.setback_minutes, SETBACK_MINUTES_MAX),
    ):
        fields[probatio.Required(key, default=value)] = NumberSelector(
            NumberSelectorConfig(
                min=0,
                max=highest,
                step=5,
                unit_of_measurement="min",
                mode=NumberSelectorMode.BOX,
            )
        )
    # Empty: sleepers leave the temperature alone (an office has no sleepers).
    sleep = settings.sleep_temperature
    fields[
        _suggested(
            CONF_SLEEP_TEMPERATURE,
            None if sleep is None else _shown_temperature(sleep, unit),
        )
    ] = temperature
    for key, moment in (
        (CONF_NIGHT_START, settings.night_start),
        (CONF_NIGHT_END, settings.night_end),
    ):
        fields[probatio.Required(key, default=moment.isoformat())] = TimeSelector()
    # Rarely changed: last.
    fields[probatio.Required(CONF_HISTORY_DAYS, default=settings.history_days)] = (
        NumberSelector(
            NumberSelectorConfig(
                min=0,
                max=HISTORY_DAYS_MAX,
                step=1,
                unit_of_measurement="d",
                mode=NumberSelectorMode.BOX,
            )
        )
    )
    fields[
        probatio.Required(CONF_NETWORK_INVENTORY, default=settings.network_inventory)
    ] = BooleanSelector()
    return probatio.Schema(fields)


def _settings(
    user_input: dict[str, Any], unit: str, shown: Settings, changed: set[str]
) -> Settings:
    """Return the settings the form's input says; the form showed ``shown``."""
    # The form leaves out an optional field the user emptied.
    return Settings.from_options(
        {CONF_SLEEP_TEMPERATURE: None, **_in_celsius(user_input, unit, shown, changed)}
    )


def _errors(
    hass: HomeAssistant,
    discovery: Discovery,
    settings: Settings,
    user_input: dict[str, Any],
    changed: set[str],
) -> dict[str, str]:
    """Return what is wrong with the settings, per field."""
    errors: dict[str, str] = {}
    if discovery.learnable_zones and not settings.zones:
        errors[CONF_ZONES] = "no_zone_selected"
    source = settings.outdoor_source
    if source and not (hass.states.get(source) or er.async_get(hass).async_get(source)):
        errors[CONF_OUTDOOR_SOURCE] = "outdoor_source_unknown"
    conflicts = _temperature_conflicts(user_input)
    if settings.night_start == settings.night_end:
        conflicts.append(
            _Conflict(CONF_NIGHT_END, "night_empty", CONF_NIGHT_START, "night_empty")
        )
    errors.update(_placed(conflicts, changed))
    return errors


class _Conflict(NamedTuple):
    """Two fields at odds, and the error each of them shows for it.

    It shows under ``field`` unless the person changed ``other`` and not ``field``:
    under the one they changed, where they look.
    """

    field: str
    error: str
    other: str
    other_error: str


def _temperature_conflicts(user_input: dict[str, Any]) -> list[_Conflict]:
    """Return what is wrong with the temperatures as the form shows them.

    They are compared as the person reads and typed them, in the form's unit: a
    sleep temperature shown as 65 °F is not above a highest of 65 °F, whatever
    either is stored as (18.5 °C kept, 18.33 °C typed).
    """
    lowest = user_input[CONF_MIN_TEMPERATURE]
    highest = user_input[CONF_MAX_TEMPERATURE]
    heating = user_input[CONF_HEATING_SETPOINT]
    cooling = user_input[CONF_COOLING_SETPOINT]
    sleep = user_input.get(CONF_SLEEP_TEMPERATURE)
    # Bounds out of order bound nothing: checked against them, every setpoint
    # would show an error for the one fault.
    bounded = lowest < highest
    sleeps = sleep is not None
    return [
        conflict
        for at_odds, conflict in (
            (
                lowest >= highest,
                _Conflict(
                    CONF_MIN_TEMPERATURE,
                    "min_above_max",
                    CONF_MAX_TEMPERATURE,
                    "max_below_min",
                ),
            ),
            (
                heating > cooling,
                _Conflict(
                    CONF_HEATING_SETPOINT,
                    "heating_above_cooling",
                    CONF_COOLING_SETPOINT,
                    "cooling_below_heating",
                ),
            ),
            (
                bounded and heating < lowest,
                _Conflict(
                    CONF_HEATING_SETPOINT,
                    "setpoint_out_of_bounds",
                    CONF_MIN_TEMPERATURE,
                    "min_above_heating",
                ),
            ),
            (
                bounded and cooling > highest,
                _Conflict(
                    CONF_COOLING_SETPOINT,
                    "setpoint_out_of_bounds",
                    CONF_MAX_TEMPERATURE,
                    "max_below_cooling",
                ),
            ),
            (
                bounded and sleeps and sleep < lowest,
                _Conflict(
                    CONF_SLEEP_TEMPERATURE,
                    "sleep_out_of_bounds",
                    CONF_MIN_TEMPERATURE,
                    "min_above_sleep",
                ),
            ),
            (
                bounded and sleeps and sleep > highest,
                _Conflict(
                    CONF_SLEEP_TEMPERATURE,
                    "sleep_out_of_bounds",
                    CONF_MAX_TEMPERATURE,
                    "max_below_sleep",
                ),
            ),
        )
        if at_odds
    ]


def _placed(conflicts: list[_Conflict], changed: set[str]) -> dict[str, str]:
    """Return every conflict's error under one of its fields.

    A field shows one error: a conflict whose field already shows one is shown
    under its other field, so that no fault waits for the next submit.
    """
    errors: dict[str, str] = {}
    for conflict in conflicts:
        places = [
            (conflict.field, conflict.error),
            (conflict.other, conflict.other_error),
        ]
        if conflict.other in changed and conflict.field not in changed:
            places.reverse()
        for field, error in places:
            if field not in errors:
                errors[field] = error
                break
    return errors


def _in_order(settings: Settings) -> Settings:
    """Return ``settings`` with the stored temperatures in the order the form checked.

    A field left as shown keeps its stored value, up to half a step off what the
    form showed: a highest typed as 65 °F (18.33 °C) and a sleep temperature shown
    as 65 °F but kept at 18.5 °C. The bounds are the limits the person set: the
    comfort and sleep temperatures are clamped into them, and heating to at most
    cooling. Only a value that showed the same as its limit moves, so the form
    shows it as before.
    """
    lowest, highest = settings.min_temperature, settings.max_temperature
    cooling = min(max(settings.cooling_setpoint, lowest), highest)
    sleep = settings.sleep_temperature
    return replace(
        settings,
        heating_setpoint=min(max(settings.heating_setpoint, lowest), cooling),
        cooling_setpoint=cooling,
        sleep_temperature=None if sleep is None else min(max(sleep, lowest), highest),
    )


class _SettingsForm:
    """The form every flow shows, and what it showed last: input is read against it.

    Each step discovers again: areas come and go while the form is open.
    """

    def __init__(self) -> None:
        # What the form was last filled in with, the zones it offered and the unit
        # of its temperatures: the home's may change while the form is open.
        self._shown = Settings()
        self._shown_zones: frozenset[str] = frozenset()
        self._unit: str = UnitOfTemperature.CELSIUS

    def read(
        self,
        hass: HomeAssistant,
        discovery: Discovery,
        user_input: dict[str, Any],
        current: Settings,
    ) -> tuple[Settings, dict[str, str]]:
        """Read submitted input; ``current`` is what is stored (or suggested) now."""
        changed = _changed(user_input, self._unit, self._shown)
        settings = _settings(user_input, self._unit, self._shown, changed)
        settings = _zones_of_the_home(settings, current, self._shown_zones, discovery)
        if (
            settings.outdoor_source is not None
            and settings.outdoor_source == self._shown.outdoor_source
            and current.outdoor_source not in (None, self._shown.outdoor_source)
        ):
            # Renamed while the form was open (the options followed it), and the
            # field left as it was shown: the source under its new name.
            settings = replace(settings, outdoor_source=current.outdoor_source)
        errors = _errors(hass, discovery, settings, user_input, changed)
        # Shown again after an error, the form keeps what the person typed.
        return (settings if errors else _in_order(settings)), errors

    def show(
        self, hass: HomeAssistant, discovery: Discovery, settings: Settings
    ) -> dict[str, Any]:
        """Return the form filled in with ``settings`` (what the user typed, if any)."""
        offered = _offered_zones(discovery, settings, self._shown_zones)
        self._shown = settings
        self._shown_zones = frozenset(zone.zone_id for zone in offered)
        self._unit = hass.config.units.temperature_unit
        return {
            "data_schema": _schema(discovery, settings, offered, self._unit),
            "description_placeholders": _summary(discovery),
        }


class AiotBrainConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add AIoT Brain from the UI; there is one entry per Home Assistant."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with the form not shown yet."""
        self._form = _SettingsForm()

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> AiotBrainOptionsFlow:
        """Return the options flow."""
        return AiotBrainOptionsFlow()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what was found and let the user choose what to learn."""
        discovery = async_discover(self.hass)
        errors: dict[str, str] = {}
        settings = default_settings(self.hass, discovery)
        if user_input is not None:
            settings, errors = self._form.read(
                self.hass, discovery, user_input, settings
            )
            if not errors:
                return self.async_create_entry(
                    title=NAME, data={}, options=settings.as_options()
                )
        return self.async_show_form(
            step_id="user",
            **self._form.show(self.hass, discovery, settings),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Discover again and change the choices, e.g. after adding areas."""
        entry = self._get_reconfigure_entry()
        discovery = async_discover(self.hass)
        errors: dict[str, str] = {}
        settings = Settings.from_options(entry.options)
        if user_input is not None:
            settings, errors = self._form.read(
                self.hass, discovery, user_input, settings
            )
            if not errors:
                # Saved as shown, nothing changed: no zone restarts for nothing.
                return self.async_update_reload_and_abort(
                    entry,
                    options=settings.as_options(),
                    reload_even_if_entry_is_unchanged=False,
                )
        return self.async_show_form(
            step_id="reconfigure",
            **self._form.show(self.hass, discovery, settings),
            errors=errors,
        )


class AiotBrainOptionsFlow(OptionsFlowWithReload):
    """Change the choices; the entry reloads with them."""

    def __init__(self) -> None:
        """Start with the form not shown yet."""
        self._form = _SettingsForm()

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the form filled in with the current choices."""
        discovery = async_discover(self.hass)
        errors: dict[str, str] = {}
        settings = Settings.from_options(self.config_entry.options)
        if user_input is not None:
            settings, errors = self._form.read(
                self.hass, discovery, user_input, settings
            )
            if not errors:
                return self.async_create_entry(data=settings.as_options())
        return self.async_show_form(
            step_id="init",
            **self._form.show(self.hass, discovery, settings),
            errors=errors,
        )
