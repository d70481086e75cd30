"""AIoT Brain as a simulator controller: ``--controller aiot_brain``.

It sees what Home Assistant would show and nothing else: the building's registry
description (``BuildingInfo``), entity states and state changes, with a person's own
changes flagged as HA shows them (a change no call of ours caused). Each zone gets
a :class:`ZoneBrain` that learns from day 1 and a :class:`ZoneController` that decides;
commands go out only as the interface's service-call-like ``Command`` objects.

Learning labels: a person's thermostat change teaches the comfort model (the target
they chose; in heat_cool mode the bound they moved, the upper one minus our cooling
margin or the lower one plus our band's slack), a person's light change teaches the
lighting model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, time, timedelta
import math
from typing import Any

from custom_components.aiot_brain.brain.control import (
    ClimateDevice,
    ClimateState,
    ControlLevel,
    ControlSettings,
    LightDevice,
    LightState,
    Mode,
    ZoneController,
    ZoneReadings,
    thermostat_setting,
    wanted_cooling,
    wanted_temperature,
)
from custom_components.aiot_brain.brain.observation import (
    Observation,
    Role,
    Whereabouts,
    as_number,
)
from custom_components.aiot_brain.brain.zone import Brain, ZoneBrain, ZonePrediction

from .interface import HOME, BuildingInfo, Command, EntityState, StateChange, View
from .scenario import BaselineSpec

# Sensor roles of the interface and what they mean to the core.
_SENSOR_ROLES = {
    "motion": Role.MOTION,
    "door": Role.DOOR,
    "window": Role.WINDOW,
    "temperature": Role.TEMPERATURE,
    "humidity": Role.HUMIDITY,
    "co2": Role.CO2,
    "illuminance": Role.ILLUMINANCE,
    "power": Role.POWER,
}
_ON_OFF = frozenset({"motion", "door", "window"})
_HVAC_ACTION = {"heating": 1.0, "preheating": 1.0, "cooling": -1.0}
# A full prediction (arrival scan and all) is refreshed this often, whenever the
# zone turns occupied or empty, and whenever its engine starts or stops warming for
# getting up; occupancy itself is fresh every minute from the tick.
PREDICT_EVERY = timedelta(minutes=30)
# Binary sensors whose last "on" says when someone was last seen in or at the zone.
_SEEN_ROLES = ("motion", "door")


def manager_settings(baseline: BaselineSpec) -> ControlSettings:
    """Our default settings, with the night the building's manager gave the baselines.

    The baselines hold their setback all night; ours holds its sleep temperature
    where people sleep. Without this it would be our own default, which no other
    controller is told, so every controller sleeps on the manager's number.
    """
    return ControlSettings(sleep_temperature=baseline.setback_c)


def settings_from_text(
    values: Mapping[str, str], base: ControlSettings | None = None
) -> ControlSettings:
    """Return ``base`` (default: the defaults) with some settings changed, from text.

    ``values`` maps names to values as text. Temperatures and offsets are °C or K,
    durations minutes, times of day HH:MM, and ``none`` turns an optional setting
    off. Raises ValueError, naming the setting, for an unknown name or a value of
    the wrong kind.
    """
    # The types as written ("float | None"): the module postpones annotations.
    kinds = {item.name: str(item.type) for item in fields(ControlSettings)}
    changed: dict[str, Any] = {}
    for name, text in values.items():
        kind = kinds.get(name)
        if kind is None:
            known = ", ".join(sorted(kinds))
            raise ValueError(f"unknown setting {name!r} (known: {known})")
        try:
            changed[name] = _setting_value(kind, text.strip())
        except ValueError as err:
            raise ValueError(f"setting {name}: {err}") from None
    return replace(base or ControlSettings(), **changed)


def _setting_value(kind: str, text: str) -> Any:
    base = kind.removesuffix(" | None")
    if base != kind and text.lower() == "none":
        return None
    if base == "time":
        return time.fromisoformat(text)
    if base not in ("float", "int", "timedelta"):
        raise ValueError(f"a {kind} cannot be given as text")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    if base == "timedelta":
        return timedelta(minutes=number)
    if base == "int":
        if not number.is_integer():
            raise ValueError(f"{text!r} is not a whole number")
        return int(number)
    return number


@dataclass(slots=True)
class _Zone:
    """One zone's entities, models, controller and what we last saw."""

    name: str
    roles: dict[str, str]
    brain: ZoneBrain
    controller: ZoneController
    prediction: ZonePrediction | None = None
    predicted_at: datetime | None = None
    # When each presence sensor ("motion", "door") was last seen on.
    last_on: dict[str, datetime] = field(default_factory=dict)


class AiotBrainController:
    """Learn each zone from its entities and act through HA-like service calls."""

    def __init__(
        self,
        building: BuildingInfo,
        settings: ControlSettings | None = None,
        mode: Mode = Mode.AUTO,
        level: ControlLevel = ControlLevel.AUTOMATE,
    ) -> None:
        """Set up one brain and one controller per zone, knowing nothing yet."""
        baseline = building.baseline
        self.settings = settings or manager_settings(baseline)
        # One building: a zone leans on what people set in the others.
        self.brain = Brain(
            baseline.comfort_c,
            baseline.cooling_c,
            (self.settings.min_temperature, self.settings.max_temperature),
        )
        self.mode = mode
        self.level = level
        self.outdoor_entity = building.outdoor_temperature
        self.zones: dict[str, _Zone] = {}
        self._entity_zone: dict[str, tuple[str, str]] = {}
        for zone in building.zones:
            roles = dict(zone.entities)
            climate = roles.get("climate")
            light = roles.get("light")
            self.zones[zone.zone_id] = _Zone(
                name=zone.name,
                roles=roles,
                brain=self.brain.zone(zone.zone_id),
                controller=ZoneController(
                    zone.name,
                    self.settings,
                    climate=None if climate is None else ClimateDevice(climate),
                    light=None if light is None else LightDevice(light),
                ),
            )
            for role, entity_id in roles.items():
                self._entity_zone[entity_id] = (zone.zone_id, role)
        self.decisions: list[tuple[datetime, str, str]] = []
        self._devices_known: set[str] = set()
        # When motion was last seen in each zone, latest first, read once a view.
        self._motion_seen: tuple[View, list[tuple[datetime, str]]] | None = None
        self.people = frozenset(building.people)
        self._whereabouts = Whereabouts()

    # -- seeing ---------------------------------------------------------------------

    def step(self, view: View) -> Iterable[Command]:
        """Learn from the changes, tick the zones, and return the calls to make."""
        now = view.now
        for change in view.changes:
            self._learn(now, change)
        commands: list[Command] = []
        for zone in self.zones.values():
            probability = zone.brain.tick(now)
            self._refresh(zone, view, probability)
            if zone.prediction is None or zone.predicted_at is None:
                continue
            prediction = self._fresh(zone, now, probability)
            readings = self.readings(zone, view)
            if not zone.controller.needs_motion_elsewhere(now):
                # As Home Assistant's glue: looked up only when the engine asks.
                readings = replace(readings, last_motion_elsewhere=None)
            for decision in zone.controller.decide(
                now, prediction, readings, self.mode, self.level
            ):
                if decision.act and decision.command is not None:
                    call = decision.command
                    commands.append(
                        Command(call.domain, call.service, call.entity_id, call.data)
                    )
                    zone.controller.record_call(call.entity_id, now, call)
                    self.decisions.append((now, call.entity_id, decision.reason))
        return commands

    def _learn(self, now: datetime, change: StateChange) -> None:
        if change.entity_id == self.outdoor_entity:
            value = as_number(change.new.state)
            if value is not None:
                for zone in self.zones.values():
                    zone.brain.learn_one(
                        Observation(Role.OUTDOOR_TEMPERATURE, value, now)
                    )
            return
        if change.entity_id in self.people:
            away = self._whereabouts.update(change.entity_id, change.new.state == HOME)
            if away is not None:
                news = Observation(Role.NOBODY_HOME, float(away), now, change.entity_id)
                for zone in self.zones.values():
                    zone.brain.learn_one(news)
            return
        located = self._entity_zone.get(change.entity_id)
        if located is None:
            return
        zone = self.zones[located[0]]
        role = located[1]
        for observation in self._observations(
            now, role, change, has_thermometer="temperature" in zone.roles
        ):
            zone.brain.learn_one(observation)
        if role in _SEEN_ROLES and change.new.state == "on":
            zone.last_on[role] = now
        if change.manual and role in ("climate", "light"):
            climate = role == "climate"
            zone.controller.note_manual_change(
                change.entity_id,
                now,
                "the thermostat" if climate else "the light",
                climate=self._climate(zone, change.new)[0] if climate else None,
            )

    def _observations(
        self,
        now: datetime,
        role: str,
        change: StateChange,
        *,
        has_thermometer: bool = True,
    ) -> list[Observation]:
        new, source, manual = change.new, change.entity_id, change.manual
        found: list[tuple[Role, float | None]] = []
        cooling = None  # whether a setpoint is wanted when cooling, as HA reads it
        if role in _SENSOR_ROLES:
            value = _on_off(new.state) if role in _ON_OFF else as_number(new.state)
            found.append((_SENSOR_ROLES[role], value))
        elif role == "light":
            on = _on_off(new.state)
            found.append((Role.LIGHT_ON, on))
            if on:
                brightness = as_number(new.attributes.get("brightness"))
                if brightness is not None:
                    found.append((Role.LIGHT_BRIGHTNESS, brightness / 255.0 * 100.0))
                found.append(
                    (
                        Role.LIGHT_COLOR_TEMP,
                        as_number(new.attributes.get("color_temp_kelvin")),
                    )
                )
        elif role == "climate":
            action = new.attributes.get("hvac_action")
            found.append((Role.HVAC_ACTION, _HVAC_ACTION.get(str(action), 0.0)))
            old = change.old
            setting = thermostat_setting(
                new.attributes, {} if old is None else old.attributes, as_number
            )
            found.append(
                (
                    Role.HVAC_SETPOINT,
                    wanted_temperature(
                        new.state,
                        **setting,
                        settings=self.settings,
                    ),
                )
            )
            cooling = wanted_cooling(new.state, **setting)
            if not has_thermometer:
                # A zone without its own sensor reads the thermostat's.
                current = as_number(new.attributes.get("current_temperature"))
                found.append((Role.TEMPERATURE, current))
        return [
            Observation(
                role_,
                value,
                now,
                source,
                manual,
                cooling=cooling if role_ is Role.HVAC_SETPOINT else None,
            )
            for role_, value in found
            if value is not None
        ]

    # -- predicting and reading -------------------------------------------------------

    def _refresh(self, zone: _Zone, view: View, probability: float) -> None:
        now = view.now
        previous = zone.prediction
        turned = previous is not None and previous.occupied != (probability >= 0.5)
        waking = zone.controller.waking_at(now)
        # As Home Assistant's glue, which predicts each minute: the comfort of the
        # hour people get up is told from when the engine asks for it until then.
        asked = previous is not None and (waking is None) != (
            previous.waking_heating_setpoint is None
        )
        if (
            previous is None
            or zone.predicted_at is None
            or now - zone.predicted_at >= PREDICT_EVERY
            or turned
            or asked
        ):
            zone.prediction = zone.brain.predict_one(now, waking=waking)
            zone.predicted_at = now

    @staticmethod
    def _fresh(zone: _Zone, now: datetime, probability: float) -> ZonePrediction:
        """Return the last full prediction with this minute's occupancy and exit."""
        prediction = zone.prediction
        assert prediction is not None
        return replace(
            zone.brain.with_exit(prediction, now),
            when=now,
            occupancy_probability=probability,
            occupied=probability >= 0.5,
        )

    def readings(self, zone: _Zone, view: View) -> ZoneReadings:
        """Return what the zone's entities show in ``view``, as the controller reads them."""
        states = view.states
        roles = zone.roles
        climate_state = light_state = None
        climate_id, light_id = roles.get("climate"), roles.get("light")
        current = None
        if climate_id is not None and (state := states.get(climate_id)) is not None:
            climate_state, current = self._climate(zone, state)
        if light_id is not None and (state := states.get(light_id)) is not None:
            light_state = self._light(zone, state)
        for role in _SEEN_ROLES:
            entity_id = roles.get(role)
            sensor = states.get(entity_id) if entity_id is not None else None
            if sensor is not None and sensor.state == "on":
                # A sensor that stays on is still seeing someone now.
                zone.last_on[role] = view.now
        temperature = _number(states, roles.get("temperature"))
        window_id = roles.get("window")
        window = None
        if window_id is not None and (state := states.get(window_id)) is not None:
            window = state.state == "on"
        return ZoneReadings(
            temperature=temperature if temperature is not None else current,
            outdoor_temperature=_number(states, self.outdoor_entity),
            window_open=window,
            last_motion=zone.last_on.get("motion"),
            last_door=zone.last_on.get("door"),
            last_motion_elsewhere=self._last_motion_elsewhere(zone, view),
            climate=climate_state,
            light=light_state,
        )

    def _last_motion_elsewhere(self, zone: _Zone, view: View) -> datetime | None:
        """When motion was last seen in any other zone (now if it is), as HA shows it."""
        if self._motion_seen is None or self._motion_seen[0] is not view:
            self._motion_seen = (view, sorted(self._motion_by_zone(view), reverse=True))
        seen = self._motion_seen[1]
        return next((last for last, key in seen if self.zones[key] is not zone), None)

    def _motion_by_zone(self, view: View) -> Iterable[tuple[datetime, str]]:
        """When each zone's motion sensor last saw someone (now if it is on)."""
        for key, other in self.zones.items():
            entity_id = other.roles.get("motion")
            if entity_id is None:
                continue
            state = view.states.get(entity_id)
            if state is not None and state.state == "on":
                yield view.now, key
            elif (last := other.last_on.get("motion")) is not None:
                yield last, key

    def _climate(
        self, zone: _Zone, state: EntityState
    ) -> tuple[ClimateState, float | None]:
        attributes = state.attributes
        controller = zone.controller
        if state.entity_id not in self._devices_known and controller.climate:
            # The supported modes and bounds are known once the entity shows them.
            controller.climate = ClimateDevice(
                state.entity_id,
                hvac_modes=tuple(attributes.get("hvac_modes", ("off", "heat"))),
                preset_modes=tuple(attributes.get("preset_modes", ())),
                min_temp=float(attributes.get("min_temp", 7.0)),
                max_temp=float(attributes.get("max_temp", 35.0)),
                step=float(attributes.get("target_temp_step", 0.5)),
            )
            self._devices_known.add(state.entity_id)
        preset = attributes.get("preset_mode")
        return (
            ClimateState(
                hvac_mode=state.state,
                temperature=as_number(attributes.get("temperature")),
                target_low=as_number(attributes.get("target_temp_low")),
                target_high=as_number(attributes.get("target_temp_high")),
                preset_mode=None if preset is None else str(preset),
            ),
            as_number(attributes.get("current_temperature")),
        )

    def _light(self, zone: _Zone, state: EntityState) -> LightState:
        attributes = state.attributes
        controller = zone.controller
        if state.entity_id not in self._devices_known and controller.light:
            controller.light = LightDevice(
                state.entity_id,
                supported_color_modes=tuple(
                    attributes.get("supported_color_modes", ("brightness",))
                ),
                min_kelvin=int(attributes.get("min_color_temp_kelvin", 2000)),
                max_kelvin=int(attributes.get("max_color_temp_kelvin", 6500)),
            )
            self._devices_known.add(state.entity_id)
        brightness = as_number(attributes.get("brightness"))
        return LightState(
            on=state.state == "on",
            brightness_pct=None if brightness is None else brightness / 2.55,
            color_temp_kelvin=as_number(attributes.get("color_temp_kelvin")),
        )


def _on_off(state: str) -> float | None:
    return 1.0 if state == "on" else 0.0 if state == "off" else None


def _number(states: Mapping[str, EntityState], entity_id: str | None) -> float | None:
    if entity_id is None or (state := states.get(entity_id)) is None:
        return None
    value: Any = state.state
    return as_number(value)
