"""Actions of AIoT Brain: modes, suggestions, holds, explanations and relearning.

Every action targets zones the way Home Assistant's target selector does: by area
(a zone is an area), floor, label (of areas, or of AIoT Brain's devices and
entities), device (a zone's device, or the building's) or entity (any AIoT Brain
entity). The building (no target, its device or one of its entities) means every
zone, and for ``set_mode`` the building's own mode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    ATTR_AREA_ID,
    ATTR_DEVICE_ID,
    ATTR_ENTITY_ID,
    ATTR_LABEL_ID,
)
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    area_registry as ar,
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
    label_registry as lr,
)
from homeassistant.util import dt as dt_util
import probatio

from .brain.timefeatures import wall_clock
from .const import DOMAIN, Mode
from .coordinator import AiotBrainConfigEntry, AiotBrainCoordinator
from .discovery import Actuator
from .entity import zone_device_identifier
from .sensor import confidence_shown, next_arrival, next_departure
from .state_mapping import difference_in, from_celsius

ATTR_FLOOR_ID = "floor_id"
ATTR_MODE = "mode"
ATTR_DURATION = "duration"
ATTR_HOURS = "hours"

SERVICE_SET_MODE = "set_mode"
SERVICE_ACCEPT_SUGGESTION = "accept_suggestion"
SERVICE_HOLD = "hold"
SERVICE_RESUME = "resume"
SERVICE_EXPLAIN = "explain"
SERVICE_GET_FORECAST = "get_forecast"
SERVICE_RELEARN = "relearn"
SERVICE_RESET = "reset"
SERVICE_FORGET_COMFORT = "forget_comfort"

_TARGET: dict[probatio.Marker, Any] = {
    probatio.Optional(ATTR_AREA_ID): probatio.All(cv.ensure_list, [cv.string]),
    probatio.Optional(ATTR_FLOOR_ID): probatio.All(cv.ensure_list, [cv.string]),
    probatio.Optional(ATTR_LABEL_ID): probatio.All(cv.ensure_list, [cv.string]),
    probatio.Optional(ATTR_DEVICE_ID): probatio.All(cv.ensure_list, [cv.string]),
    probatio.Optional(ATTR_ENTITY_ID): cv.entity_ids,
}
TARGET_KEYS = (
    ATTR_AREA_ID,
    ATTR_FLOOR_ID,
    ATTR_LABEL_ID,
    ATTR_DEVICE_ID,
    ATTR_ENTITY_ID,
)
TARGET_SCHEMA = probatio.Schema(_TARGET)


def _unquoted_off(value: Any) -> Any:
    """Read YAML's unquoted ``off`` (which it takes for false) as the mode off."""
    return Mode.OFF.value if value is False else value


def _whole_number(value: Any) -> int:
    """Return a whole number; 12.5 hours is refused, not cut to 12.

    So are None (``hours:`` left empty), a list and a map: float() raises a
    TypeError for those, which the schema would not turn into a refusal.
    """
    msg = "expected a whole number"
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise probatio.Invalid(msg) from error
    if not number.is_integer() or isinstance(value, bool):
        raise probatio.Invalid(msg)
    return int(number)


SET_MODE_SCHEMA = probatio.Schema(
    {
        **_TARGET,
        probatio.Required(ATTR_MODE): probatio.All(
            _unquoted_off, cv.string, probatio.In([mode.value for mode in Mode])
        ),
    }
)
HOLD_SCHEMA = probatio.Schema(
    {
        **_TARGET,
        probatio.Optional(ATTR_DURATION): probatio.All(
            cv.positive_time_period,
            probatio.Range(min=timedelta(minutes=1), max=timedelta(days=7)),
        ),
    }
)
FORECAST_SCHEMA = probatio.Schema(
    {
        **_TARGET,
        probatio.Optional(ATTR_HOURS, default=24): probatio.All(
            _whole_number, probatio.Range(1, 168)
        ),
    }
)


def _error(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def _coordinator(hass: HomeAssistant) -> AiotBrainCoordinator:
    entries: list[AiotBrainConfigEntry] = hass.config_entries.async_entries(DOMAIN)
    for entry in entries:
        if entry.state is ConfigEntryState.LOADED:
            return entry.runtime_data.coordinator
    raise _error("not_loaded")


class _Targets(NamedTuple):
    """What a call aims at: the building itself, and zones."""

    building: bool  # no target, or the building's device or one of its entities
    zone_ids: list[str]


def _targets(coordinator: AiotBrainCoordinator, data: Mapping[str, Any]) -> _Targets:
    """Return what the call's targets aim at; error on one that aims at nothing.

    Only a call that names no target at all means the building. Targets named
    but empty (a template that gave no areas, or a blank name) are refused: taken
    for none, they would reset or switch off every zone.
    """
    named = [key for key in TARGET_KEYS if key in data]
    if not named:
        return _Targets(True, [])
    if not any(str(target).strip() for key in named for target in data[key]):
        raise _error("empty_target")
    building = False
    zone_ids: list[str] = []
    for key, target, aims in _aims(coordinator, data):
        if not aims.building and not aims.zone_ids:
            raise _error(
                "unknown_target", target=_target_name(coordinator.hass, key, target)
            )
        building = building or aims.building
        # One target may name a zone twice too (a label on two of its entities,
        # or on the area and its device): each zone is acted on once.
        zone_ids = list(dict.fromkeys([*zone_ids, *aims.zone_ids]))
    return _Targets(building, zone_ids)


def _target_name(hass: HomeAssistant, key: str, target: str) -> str:
    """Return a target as the user sees it: its name where a registry has one.

    A device's id is hex, an area's or floor's may date from a name it no longer
    has; an entity's id is what people type, and stays.
    """
    name: str | None = None
    if key == ATTR_AREA_ID and (area := ar.async_get(hass).async_get_area(target)):
        name = area.name
    elif key == ATTR_FLOOR_ID and (floor := fr.async_get(hass).async_get_floor(target)):
        name = floor.name
    elif key == ATTR_LABEL_ID and (label := lr.async_get(hass).async_get_label(target)):
        name = label.name
    elif key == ATTR_DEVICE_ID and (device := dr.async_get(hass).async_get(target)):
        name = device.name_by_user or device.name
    return name or target


def _aims(
    coordinator: AiotBrainCoordinator, data: Mapping[str, Any]
) -> Iterator[tuple[str, str, _Targets]]:
    """Yield each target of the call (its kind and id) with what it aims at."""
    hass, zones = coordinator.hass, coordinator.zones
    for area_id in data.get(ATTR_AREA_ID, []):
        yield (
            ATTR_AREA_ID,
            area_id,
            _Targets(False, [area_id] if area_id in zones else []),
        )
    for floor_id in data.get(ATTR_FLOOR_ID, []):
        on_floor = [
            zone.zone_id for zone in zones.values() if zone.floor_id == floor_id
        ]
        yield ATTR_FLOOR_ID, floor_id, _Targets(False, on_floor)
    devices, entities = dr.async_get(hass), er.async_get(hass)
    for label_id in data.get(ATTR_LABEL_ID, []):
        labelled = _device_aims(
            coordinator,
            [
                *dr.async_entries_for_label(devices, label_id),
                *(
                    _our_device(devices, entity)
                    for entity in er.async_entries_for_label(entities, label_id)
                ),
            ],
        )
        areas = [
            area.id
            for area in ar.async_entries_for_label(ar.async_get(hass), label_id)
            if area.id in zones
        ]
        yield (
            ATTR_LABEL_ID,
            label_id,
            _Targets(labelled.building, [*areas, *labelled.zone_ids]),
        )
    for device_id in data.get(ATTR_DEVICE_ID, []):
        device_aims = _device_aims(coordinator, [devices.async_get(device_id)])
        yield ATTR_DEVICE_ID, device_id, device_aims
    for entity_id in data.get(ATTR_ENTITY_ID, []):
        device = _our_device(devices, entities.async_get(entity_id))
        yield ATTR_ENTITY_ID, entity_id, _device_aims(coordinator, [device])


def _device_aims(
    coordinator: AiotBrainCoordinator, devices: list[dr.AnyDeviceEntry | None]
) -> _Targets:
    """Return what devices aim at: the building's the building, a zone's its zone."""
    entry_id = coordinator.entry.entry_id
    building = False
    zone_ids: list[str] = []
    for device in filter(None, devices):
        if device.id == coordinator.building_device_id:
            building = True
        zone_ids += [
            zone_id
            for zone_id in coordinator.zones
            if zone_device_identifier(entry_id, zone_id) in device.identifiers
        ]
    return _Targets(building, zone_ids)


def _our_device(
    devices: dr.DeviceRegistry, entity: er.RegistryEntry | None
) -> dr.AnyDeviceEntry | None:
    """Return the device of one of our entities (None for any other entity)."""
    if entity is None or entity.platform != DOMAIN or entity.device_id is None:
        return None
    return devices.async_get(entity.device_id)


def _all_or(coordinator: AiotBrainCoordinator, call: ServiceCall) -> list[str]:
    """Return the targeted zones; the building (or no target) means every zone."""
    targets = _targets(coordinator, call.data)
    return list(coordinator.zones) if targets.building else targets.zone_ids


def _controlled(coordinator: AiotBrainCoordinator, zone_ids: list[str]) -> list[str]:
    """Return the zones with something to control; error if none has."""
    controlled = [
        zone_id
        for zone_id in zone_ids
        if coordinator.zones[zone_id].actuators(Actuator.CLIMATE)
        or coordinator.zones[zone_id].actuators(Actuator.LIGHT)
    ]
    if not controlled:
        raise _error("no_devices", zones=_names(coordinator, zone_ids))
    return controlled


NAMES_SHOWN = 10  # an error about a whole building names a few of its zones


def _names(coordinator: AiotBrainCoordinator, zone_ids: list[str]) -> str:
    names = [coordinator.zones[zone_id].name for zone_id in zone_ids[:NAMES_SHOWN]]
    if len(zone_ids) > NAMES_SHOWN:
        names.append("…")
    return ", ".join(names) or "-"


async def _set_mode(call: ServiceCall) -> None:
    """Set the targeted zones' own mode, or the building's.

    The building's device (the UI offers it as a target) and its entities mean the
    building here, not each zone: setting every zone's own mode would switch a
    zone someone switched off back on.
    """
    coordinator = _coordinator(call.hass)
    mode = Mode(call.data[ATTR_MODE])
    targets = _targets(coordinator, call.data)
    # Both set before either acts: one at a time, a zone would be sent the mode
    # of the moment between (its own old one, or the building's).
    if targets.zone_ids:
        coordinator.set_zone_controls(targets.zone_ids, mode=mode)
    if targets.building:
        coordinator.set_building_mode(mode)
    await coordinator.async_controls_changed(
        None if targets.building else targets.zone_ids
    )


async def _accept_suggestion(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    zone_ids = _all_or(coordinator, call)
    if not coordinator.control.async_accept(zone_ids, call.context):
        raise _error("no_suggestion", zones=_names(coordinator, zone_ids))


async def _hold(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    duration = call.data.get(ATTR_DURATION)
    if duration is None:
        # A hold time of 0 (a person's change is not held) would hold nothing.
        if not coordinator.settings.hold_minutes:
            raise _error("no_hold_time")
        duration = timedelta(minutes=coordinator.settings.hold_minutes)
    for zone_id in _controlled(coordinator, _all_or(coordinator, call)):
        coordinator.control.async_hold(zone_id, duration)


async def _resume(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    zone_ids = _controlled(coordinator, _all_or(coordinator, call))
    for zone_id in zone_ids:
        coordinator.control.async_resume(zone_id)
    await coordinator.async_decide(zone_ids)


async def _explain(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass)
    control = coordinator.control
    zones: dict[str, Any] = {}
    for zone_id in _all_or(coordinator, call):
        prediction = coordinator.predictions.get(zone_id)
        zones[zone_id] = {
            "name": coordinator.zones[zone_id].name,
            # As get_forecast says: while it reads its history it decides nothing,
            # and its predictions are a fresh model's.
            "ready": prediction is not None and zone_id not in coordinator.learning,
            "mode": control.mode(zone_id).value,
            "control_level": control.level(zone_id).value,
            "status": control.status(zone_id).value,
            "decisions": control.reasons(zone_id),
            "suggestions": control.zone_suggestions(zone_id),
            "holds": {
                entity_id: until.isoformat()
                for entity_id, until in control.holds(zone_id).items()
            },
            "predictions": {} if prediction is None else dict(prediction.reasons),
            "getting_up": control.getting_up(zone_id),
            "sleeping_at": control.sleeping_at(zone_id),
        }
    return {"zones": zones}


async def _get_forecast(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass)
    hours: int = call.data[ATTR_HOURS]
    # Hour by hour in real time: the night the clocks change, local hours repeat
    # or are skipped.
    first = dt_util.as_utc(dt_util.now().replace(minute=0, second=0, microsecond=0))
    starts = [dt_util.as_local(first + timedelta(hours=hour)) for hour in range(hours)]
    unit = call.hass.config.units.temperature_unit
    zones: dict[str, Any] = {}
    for zone_id in _all_or(coordinator, call):
        prediction = coordinator.predictions.get(zone_id)
        if prediction is None or zone_id in coordinator.learning:
            zones[zone_id] = {"name": coordinator.zones[zone_id].name, "ready": False}
            continue
        forecast = coordinator.brain.zone(zone_id).forecast
        ttt = prediction.time_to_temperature
        zones[zone_id] = {
            "name": coordinator.zones[zone_id].name,
            "ready": True,
            "occupancy_probability": round(prediction.occupancy_probability, 2),
            "forecast": {
                horizon: round(probability, 2)
                for horizon, probability in prediction.forecast.items()
            },
            # As the zone's sensors tell them: none where it is so already, and
            # on the forecast's step.
            **_expected(
                "arrival", next_arrival(prediction), prediction.arrival_shown[1]
            ),
            **_expected(
                "departure", next_departure(prediction), prediction.departure_confidence
            ),
            # In the unit HA shows temperatures in, as its own services answer.
            "comfort_setpoint": round(
                from_celsius(prediction.comfort_setpoint, unit), 1
            ),
            # One standard deviation of it, in the same unit.
            "comfort_uncertainty": difference_in(prediction.comfort_setpoint_std, unit),
            # What the area's Comfort offset adds to it, as the thermostat is sent.
            "comfort_offset": difference_in(
                coordinator.zone_controls(zone_id).comfort_offset, unit
            ),
            "time_to_temperature_min": None
            if ttt is None
            else round(ttt.total_seconds() / 60),
            # The learned weekly pattern, hour by hour: what is usual, not a
            # forecast from the present state.
            "weekly_profile": [
                {
                    "start": start.isoformat(),
                    "probability": round(forecast.profile(wall_clock(start)), 2),
                }
                for start in starts
            ],
        }
    return {"zones": zones}


def _expected(kind: str, shown: datetime | None, confidence: float) -> dict[str, Any]:
    """Return a predicted time and how sure it is, as the zone's sensor shows them."""
    sure = confidence_shown(shown, confidence)
    return {
        f"next_{kind}": None if shown is None else shown.isoformat(),
        f"{kind}_confidence": None if sure is None else round(sure, 2),
    }


async def _relearn(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    relearn(coordinator, _all_or(coordinator, call))


def relearn(coordinator: AiotBrainCoordinator, zone_ids: Iterable[str]) -> None:
    """Relearn ``zone_ids`` from history; refuse where the recorder is not there.

    Without it, a Relearn would forget what the sensors taught and read nothing.
    (With the options' 0 days of history, it starts from scratch, as they say.)
    """
    if (
        coordinator.settings.history_days > 0
        and "recorder" not in coordinator.hass.config.components
    ):
        raise _error("no_recorder")
    act_on_idle_zones(coordinator, zone_ids, coordinator.async_relearn)


async def _reset(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    act_on_idle_zones(coordinator, _all_or(coordinator, call), coordinator.async_reset)


async def _forget_comfort(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    act_on_idle_zones(
        coordinator, _all_or(coordinator, call), coordinator.async_forget_comfort
    )


def act_on_idle_zones(
    coordinator: AiotBrainCoordinator,
    zone_ids: Iterable[str],
    act: Callable[[str], None],
) -> None:
    """Act on the zones not reading their history; say which ones still are.

    The error says whether the others were done: an automation that sees it
    must not take the whole call for undone.
    """
    busy = []
    done = False
    for zone_id in zone_ids:
        if zone_id in coordinator.learning:
            busy.append(zone_id)
        else:
            act(zone_id)
            done = True
    if busy and done:
        raise _error("still_learning_others_done", zones=_names(coordinator, busy))
    if busy:
        raise _error("still_learning", zones=_names(coordinator, busy))


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register AIoT Brain's actions (once, when the integration loads)."""
    register = hass.services.async_register
    register(DOMAIN, SERVICE_SET_MODE, _set_mode, SET_MODE_SCHEMA)
    register(DOMAIN, SERVICE_ACCEPT_SUGGESTION, _accept_suggestion, TARGET_SCHEMA)
    register(DOMAIN, SERVICE_HOLD, _hold, HOLD_SCHEMA)
    register(DOMAIN, SERVICE_RESUME, _resume, TARGET_SCHEMA)
    register(
        DOMAIN,
        SERVICE_EXPLAIN,
        _explain,
        TARGET_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    register(
        DOMAIN,
        SERVICE_GET_FORECAST,
        _get_forecast,
        FORECAST_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    register(DOMAIN, SERVICE_RELEARN, _relearn, TARGET_SCHEMA)
    register(DOMAIN, SERVICE_RESET, _reset, TARGET_SCHEMA)
    register(DOMAIN, SERVICE_FORGET_COMFORT, _forget_comfort, TARGET_SCHEMA)
