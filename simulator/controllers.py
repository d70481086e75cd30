"""Controllers: the built-in baselines and the registry ``--controller`` chooses from.

See ``simulator.interface`` for what a controller sees and may do. To add one, write a
class taking a ``BuildingInfo`` with a ``step(view)`` method and add one line to
``CONTROLLERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from importlib import import_module

from .interface import BuildingInfo, Command, Controller, View, ZoneEntities


def _climate_command(
    view: View, entity_id: str, heat_to: float, cool_to: float
) -> Command:
    """Heat to ``heat_to`` (and cool above ``cool_to`` where the device can cool)."""
    state = view.states.get(entity_id)
    modes = state.attributes.get("hvac_modes", ()) if state is not None else ()
    if "heat_cool" in modes:
        data = {
            "hvac_mode": "heat_cool",
            "target_temp_low": heat_to,
            "target_temp_high": cool_to,
        }
    elif "heat" in modes:
        data = {"hvac_mode": "heat", "temperature": heat_to}
    else:
        data = {"hvac_mode": "cool", "temperature": cool_to}
    return Command("climate", "set_temperature", entity_id, data)


def _entities(building: BuildingInfo, role: str) -> list[str]:
    return [
        entity for zone in building.zones if (entity := zone.entity(role)) is not None
    ]


def _matches(view: View, command: Command) -> bool:
    """Whether the climate already shows what ``command`` would set."""
    state = view.states.get(command.entity_id)
    if state is None or state.state != command.data.get("hvac_mode"):
        return False
    return all(
        state.attributes.get(key) == value
        for key, value in command.data.items()
        if key != "hvac_mode"
    )


class ConstantController:
    """Every thermostat at the comfort setpoint, always; lights are left to people.

    A thermostat found at anything else (someone changed it) is set back to comfort,
    at most once an hour per thermostat.
    """

    REASSERT_AFTER = timedelta(hours=1)

    def __init__(self, building: BuildingInfo) -> None:
        """Remember the thermostats and the comfort setpoints."""
        self.climates = _entities(building, "climate")
        self.baseline = building.baseline
        self._sent: dict[str, datetime] = {}

    def step(self, view: View) -> Iterable[Command]:
        """Put every thermostat that is not at comfort back to comfort."""
        commands = []
        for entity in self.climates:
            command = _climate_command(
                view, entity, self.baseline.comfort_c, self.baseline.cooling_c
            )
            if _matches(view, command):
                continue
            last = self._sent.get(entity)
            if last is not None and view.now - last < self.REASSERT_AFTER:
                continue
            self._sent[entity] = view.now
            commands.append(command)
        return commands


class ScheduleController:
    """A fixed weekday / weekend timetable: comfort inside its periods, setback outside.

    At the start of each setback period it also switches off the lights that are on,
    like a building's "all off" timer.
    """

    def __init__(self, building: BuildingInfo) -> None:
        """Read the timetable from the building's baseline settings."""
        self.climates = _entities(building, "climate")
        self.lights = _entities(building, "light")
        self.baseline = building.baseline
        self._comfort: bool | None = None

    def in_comfort_period(self, now: datetime) -> bool:
        """Whether ``now`` falls in one of the day's comfort periods."""
        periods = self.baseline.weekend if now.weekday() >= 5 else self.baseline.weekday
        minute = now.hour * 60 + now.minute
        return any(start <= minute < end for start, end in periods)

    def step(self, view: View) -> Iterable[Command]:
        """Send setpoints when a period starts or ends."""
        comfort = self.in_comfort_period(view.now)
        if comfort == self._comfort:
            return []
        first = self._comfort is None
        self._comfort = comfort
        baseline = self.baseline
        heat_to = baseline.comfort_c if comfort else baseline.setback_c
        cool_to = baseline.cooling_c if comfort else baseline.cooling_c + 3.0
        commands = [
            _climate_command(view, entity, heat_to, cool_to) for entity in self.climates
        ]
        if not comfort and not first and baseline.lights_off_at_setback:
            commands.extend(
                Command("light", "turn_off", entity)
                for entity in self.lights
                if (state := view.states.get(entity)) is not None
                and state.state == "on"
            )
        return commands


class ReactiveController:
    """Heat and light a zone only while its motion sensor has seen someone recently.

    A zone counts as occupied until ``reactive_timeout_min`` after its last motion.
    Lights go on (if the zone is dark) when it becomes occupied, or when it gets dark
    while occupied unless someone switched the light off by hand in the last 30 min.
    Zones without a motion sensor are kept at the comfort setpoint.
    """

    MANUAL_OFF_RESPECT = timedelta(minutes=30)

    def __init__(self, building: BuildingInfo) -> None:
        """Prepare per-zone memory; nothing is sent until the first step."""
        self.zones: list[ZoneEntities] = list(building.zones)
        self.baseline = building.baseline
        self.timeout = timedelta(minutes=building.baseline.reactive_timeout_min)
        self._last_motion: dict[str, datetime] = {}
        self._occupied: dict[str, bool | None] = {
            zone.zone_id: None for zone in self.zones
        }
        self._manual_off: dict[str, datetime] = {}

    def step(self, view: View) -> Iterable[Command]:
        """React to motion and its absence."""
        for change in view.changes:
            if (
                change.manual
                and change.entity_id.startswith("light.")
                and change.new.state == "off"
            ):
                self._manual_off[change.entity_id] = view.now
        commands: list[Command] = []
        baseline = self.baseline
        for zone in self.zones:
            motion = zone.entity("motion")
            climate = zone.entity("climate")
            light = zone.entity("light")
            if motion is None:
                if self._occupied[zone.zone_id] is None and climate is not None:
                    self._occupied[zone.zone_id] = True
                    commands.append(
                        _climate_command(
                            view, climate, baseline.comfort_c, baseline.cooling_c
                        )
                    )
                continue
            state = view.states.get(motion)
            if state is not None and state.state == "on":
                self._last_motion[zone.zone_id] = view.now
            last = self._last_motion.get(zone.zone_id)
            occupied = last is not None and view.now - last < self.timeout
            changed = occupied != self._occupied[zone.zone_id]
            self._occupied[zone.zone_id] = occupied
            if changed and climate is not None:
                heat_to = baseline.comfort_c if occupied else baseline.setback_c
                cool_to = baseline.cooling_c if occupied else baseline.cooling_c + 3.0
                commands.append(_climate_command(view, climate, heat_to, cool_to))
            if light is None:
                continue
            light_on = (
                light_state := view.states.get(light)
            ) is not None and light_state.state == "on"
            if not occupied:
                if light_on and changed:
                    commands.append(Command("light", "turn_off", light))
                continue
            if light_on or not self._dark(view, zone):
                continue
            manual_off = self._manual_off.get(light)
            if (
                changed
                or manual_off is None
                or view.now - manual_off > self.MANUAL_OFF_RESPECT
            ):
                commands.append(
                    Command(
                        "light",
                        "turn_on",
                        light,
                        {
                            "brightness_pct": baseline.light_brightness_pct,
                            "color_temp_kelvin": baseline.light_kelvin,
                        },
                    )
                )
        return commands

    def _dark(self, view: View, zone: ZoneEntities) -> bool:
        sensor = zone.entity("illuminance")
        state = view.states.get(sensor) if sensor is not None else None
        if state is None:
            return True
        try:
            return float(state.state) < self.baseline.light_on_below_lux
        except ValueError:
            return True


AIOT_BRAIN = "aiot_brain"

# One line per controller: ``--controller NAME`` picks the factory.
CONTROLLERS: dict[str, Callable[[BuildingInfo], Controller]] = {
    "constant": ConstantController,
    "schedule": ScheduleController,
    "reactive": ReactiveController,
    # Imported on use: it brings in the integration's package (and Home Assistant).
    AIOT_BRAIN: lambda info: import_module(
        ".aiot_brain_controller", __package__
    ).AiotBrainController(info),
}
