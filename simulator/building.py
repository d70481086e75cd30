"""The virtual building: physics, devices, sensors and people, one step at a time.

Physics per zone (explicit Euler, one thermal mass per zone)::

    C dT/dt = P_heater - P_cooler + P_solar + P_internal
              - UA_out (T - T_out) - [window open] UA_window (T - T_out)
              + sum over neighbours UA_n (T_n - T)

Neighbour exchange uses the temperatures from the start of the step, so what one zone
gains its neighbour loses and the energy balance holds exactly (see ``balance``).
CO2 and humidity are well-mixed balances of what occupants emit and what ventilation
(more with a window open) carries away. Illuminance is daylight times the zone's
daylight factor plus its light.

Thermostats are on/off with a 0.2 °C hysteresis around their target. Heating energy is
what heaters deliver (efficiency 1); cooling energy is the electricity coolers draw
(thermal / ``cooling_cop``); lighting energy is the lights' electrical power.

The state is kept in plain lists indexed by zone and by occupant: the loop runs
hundreds of thousands of times per benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
import random
from typing import Any

from .interface import (
    HOME,
    NOT_HOME,
    OUTDOOR_TEMPERATURE,
    PRESETS,
    BuildingInfo,
    Command,
    CommandError,
    Controller,
    EntityState,
    StateChange,
    View,
    ZoneEntities,
    entity_id_for,
    person_entity_id,
)
from .occupants import ASLEEP, AWAKE, AWAY, NOWHERE, Occupant, plan_meetings
from .scenario import MINUTES_PER_DAY, Scenario
from .weather import LUX_PER_W_M2, Weather, saturation_humidity_g_m3

STEP_S = 60.0
OUTDOOR_CO2_PPM = 420.0
CO2_M3_PER_S = {AWAKE: 5.0e-6, ASLEEP: 3.5e-6}  # exhaled CO2 per person
WATER_G_PER_S = {AWAKE: 0.015, ASLEEP: 0.011}  # moisture per person
HEAT_W = {AWAKE: 100.0, ASLEEP: 70.0}  # body heat per person
HYSTERESIS_C = 0.2
MOTION_HOLD_MIN = 2  # a PIR stays "on" this long after it last saw movement
SLEEPER_MOVES = 0.02  # chance per minute that a sleeper turns over in view of the PIR
WINDOW_EXTRA_ACH = 4.0
MIN_TEMP_C, MAX_TEMP_C = 7.0, 30.0
MIN_KELVIN, MAX_KELVIN = 2000.0, 6500.0
ACT_COOLDOWN_MIN = 60  # after touching a thermostat, a person waits before trying again

_SENSOR_ATTRS: dict[str, dict[str, Any]] = {
    "temperature": {"device_class": "temperature", "unit_of_measurement": "°C"},
    "humidity": {"device_class": "humidity", "unit_of_measurement": "%"},
    "co2": {"device_class": "carbon_dioxide", "unit_of_measurement": "ppm"},
    "illuminance": {"device_class": "illuminance", "unit_of_measurement": "lx"},
    "power": {"device_class": "power", "unit_of_measurement": "W"},
    "motion": {"device_class": "motion"},
    "door": {"device_class": "door"},
    "window": {"device_class": "window"},
}
_LIGHT_STATIC = {
    "supported_color_modes": ["color_temp"],
    "min_color_temp_kelvin": int(MIN_KELVIN),
    "max_color_temp_kelvin": int(MAX_KELVIN),
}


@dataclass(slots=True)
class Metrics:
    """Scores computed from the hidden truth; see ``result`` for their meaning."""

    lighting_j: float = 0.0
    comfort_degree_min: float = 0.0
    manual_interventions: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    calls_hour_max: int = 0
    minutes: int = 0
    # Kept zone by zone (index as in the scenario), to show where a building
    # spends its heat and where its people miss their comfort; the building's
    # figures are their sums.
    zone_heating_j: list[float] = field(default_factory=list)
    zone_cooling_j: list[float] = field(default_factory=list)
    zone_miss_time_min: list[int] = field(default_factory=list)
    zone_too_warm_min: list[int] = field(default_factory=list)
    zone_asleep_miss_min: list[int] = field(default_factory=list)
    zone_lights_on_empty_min: list[int] = field(default_factory=list)
    zone_false_offs: list[int] = field(default_factory=list)

    @classmethod
    def for_zones(cls, count: int) -> Metrics:
        """Return empty metrics with room for ``count`` zones' own figures."""
        return cls(
            zone_heating_j=[0.0] * count,
            zone_cooling_j=[0.0] * count,
            zone_miss_time_min=[0] * count,
            zone_too_warm_min=[0] * count,
            zone_asleep_miss_min=[0] * count,
            zone_lights_on_empty_min=[0] * count,
            zone_false_offs=[0] * count,
        )

    @property
    def heating_j(self) -> float:
        """Heat the heaters delivered."""
        return sum(self.zone_heating_j)

    @property
    def cooling_j(self) -> float:
        """Electricity the coolers drew."""
        return sum(self.zone_cooling_j)

    @property
    def miss_time_min(self) -> int:
        """Zone-minutes people were more than 1 °C from their wish."""
        return sum(self.zone_miss_time_min)

    @property
    def miss_time_too_warm_min(self) -> int:
        """Those of them too warm."""
        return sum(self.zone_too_warm_min)

    @property
    def miss_time_asleep_min(self) -> int:
        """Those of them with everyone there asleep."""
        return sum(self.zone_asleep_miss_min)

    @property
    def lights_on_empty_min(self) -> int:
        """Zone-minutes lit with nobody there."""
        return sum(self.zone_lights_on_empty_min)

    @property
    def false_offs(self) -> int:
        """Lights switched off on someone awake."""
        return sum(self.zone_false_offs)

    def result(self, devices: int) -> dict[str, float | int]:
        """Return the benchmark figures, rounded for reading."""
        hours = max(self.minutes / 60.0, 1e-9)
        total_calls = sum(self.calls.values())
        return {
            "heating_kwh": round(self.heating_j / 3.6e6, 2),
            "cooling_kwh": round(self.cooling_j / 3.6e6, 2),
            "lighting_kwh": round(self.lighting_j / 3.6e6, 2),
            "miss_time_min": self.miss_time_min,
            "miss_time_too_warm_min": self.miss_time_too_warm_min,
            "miss_time_asleep_min": self.miss_time_asleep_min,
            "comfort_degree_hours": round(self.comfort_degree_min / 60.0, 2),
            "lights_on_empty_min": self.lights_on_empty_min,
            "false_offs": self.false_offs,
            "calls_per_device_hour_max": self.calls_hour_max,
            "calls_per_device_hour_mean": round(
                total_calls / max(devices, 1) / hours, 4
            ),
            "manual_interventions": self.manual_interventions,
        }

    def by_zone(self, zone_ids: list[str]) -> dict[str, dict[str, float | int]]:
        """Return each zone's share of the figures that add up over zones."""
        return {
            zone_id: {
                "heating_kwh": round(self.zone_heating_j[zone] / 3.6e6, 2),
                "cooling_kwh": round(self.zone_cooling_j[zone] / 3.6e6, 2),
                "miss_time_min": self.zone_miss_time_min[zone],
                "miss_time_too_warm_min": self.zone_too_warm_min[zone],
                "miss_time_asleep_min": self.zone_asleep_miss_min[zone],
                "lights_on_empty_min": self.zone_lights_on_empty_min[zone],
                "false_offs": self.zone_false_offs[zone],
            }
            for zone, zone_id in enumerate(zone_ids)
        }


class Building:
    """A running virtual building. ``step()`` advances it by one minute."""

    def __init__(  # noqa: PLR0915 (one list per zone property)
        self, scenario: Scenario, seed: int = 0, start: datetime | None = None
    ) -> None:
        """Build the zones, devices and people of ``scenario``.

        ``start`` is the local wall-clock time of the first step (default: midnight of
        the scenario's start date); routines are planned from that day's midnight.
        """
        self.scenario = scenario
        self.seed = seed
        start = start or datetime.combine(scenario.start, time())
        self.midnight = datetime.combine(start.date(), time())
        self.minute = start.hour * 60 + start.minute  # minutes since self.midnight
        self.weather = Weather(scenario.weather, start.date(), seed)
        self._sensor_rng = random.Random(f"{seed}:sensors")
        self._behaviour_rng = random.Random(f"{seed}:behaviour")
        self._meeting_rng = random.Random(f"{seed}:meetings")
        self._door_rng = random.Random(f"{seed}:doors")

        zones = scenario.zones
        self.zone_ids = [zone.id for zone in zones]
        self.zone_index = {zone.id: index for index, zone in enumerate(zones)}
        count = len(zones)
        self.capacity = [zone.heat_capacity_j_per_k for zone in zones]
        self.ua_out = [zone.ua_outside_w_per_k for zone in zones]
        self.window_ua = [zone.window_open_ua_w_per_k for zone in zones]
        self.aperture = [zone.solar_aperture_m2 for zone in zones]
        self.daylight_factor = [zone.daylight_factor for zone in zones]
        self.ach = [zone.air_changes_per_h for zone in zones]
        self.volume = [zone.volume_m3 for zone in zones]
        self.heater_w = [zone.heater_w for zone in zones]
        self.cooler_w = [zone.cooler_w for zone in zones]
        self.light_w = [zone.light_w for zone in zones]
        self.light_lux = [zone.light_lux for zone in zones]
        self.miss_rate = [zone.motion_miss_rate for zone in zones]
        self.door_left_open = [zone.door_left_open for zone in zones]
        self.neighbours: list[list[tuple[int, float]]] = [[] for _ in zones]
        for first, second, ua in scenario.neighbours:
            a, b = self.zone_index[first], self.zone_index[second]
            self.neighbours[a].append((b, ua))
            self.neighbours[b].append((a, ua))

        # True state of the air and the devices.
        self.temp = [zone.initial_c for zone in zones]
        self.co2 = [OUTDOOR_CO2_PPM + 100.0] * count
        self.water = [0.0] * count  # g/m3; starts as outdoor air, below
        self.hvac_mode = [
            "heat" if zone.heater_w > 0 else ("cool" if zone.cooler_w > 0 else "off")
            for zone in zones
        ]
        self.target = [scenario.initial_setpoint_c] * count
        self.target_low = [scenario.initial_setpoint_c] * count
        self.target_high = [scenario.baseline.cooling_c] * count
        self.preset = ["none"] * count
        self.heating = [False] * count
        self.cooling = [False] * count
        self.light_on = [False] * count
        self.brightness = [0.0] * count  # percent
        self.kelvin = [3000.0] * count
        self.window_open = [False] * count
        self.window_close_at = [0] * count
        self.motion_until = [-1] * count
        self.door_until = [-1] * count  # a door opened and shut behind someone
        self.door_open = [False] * count  # a door left standing open
        self.power_w = [zone.standby_w for zone in zones]
        self.awake = [0] * count
        self.asleep = [0] * count
        self.illuminance = [0.0] * count

        # Energy accounts per zone, for the balance check (joules).
        self.gain_j = [0.0] * count
        self.loss_j = [0.0] * count
        self.exchange_j = [0.0] * count

        # People.
        self.occupants = [
            Occupant(spec, index, scenario, self.zone_index, seed)
            for index, spec in enumerate(scenario.occupants)
        ]
        self.workers = [
            person for person in self.occupants if person.spec.kind == "worker"
        ]
        people = len(self.occupants)
        self.position = [NOWHERE] * people
        self.activity = [AWAY] * people
        self._discomfort = [0] * people
        self._cooldown = [0] * people
        self._dark_wait = [0] * people
        self._meeting_rooms = [
            self.zone_index[room] for room in scenario.meetings.rooms
        ]
        self._planned_day = -1
        self._weather_day = -1
        self._out_temp: list[float] = []
        self._out_lux: list[float] = []
        self._out_water: list[float] = []
        self.outdoor_c = 0.0
        self.outdoor_lux = 0.0

        self.metrics = Metrics.for_zones(len(scenario.zones))
        self._hour_calls: dict[str, int] = {}  # calls per entity in self._calls_hour
        self._calls_hour = -1

        # What HA would show.
        self._people = [
            (person.index, person_entity_id(person.spec.name))
            for person in self.occupants
            if person.spec.tracked
        ]
        self.info = self._building_info(start)
        self.devices = [
            entity
            for zone in self.info.zones
            for role in ("light", "climate")
            if (entity := zone.entity(role)) is not None
        ]
        self._device_zone = {
            entity: self.zone_index[zone.zone_id]
            for zone in self.info.zones
            for role in ("light", "climate")
            if (entity := zone.entity(role)) is not None
        }
        self._sensor_ids = [
            [(kind, entity_id_for(zone.id, kind)) for kind in zone.sensors]
            for zone in zones
        ]
        self._light_ids = [
            entity_id_for(zone.id, "light") if zone.has_light else "" for zone in zones
        ]
        self._climate_ids = [
            entity_id_for(zone.id, "climate") if zone.has_climate else ""
            for zone in zones
        ]
        self.states: dict[str, EntityState] = {}
        self.changes: list[StateChange] = []
        self._published: dict[str, object] = {}
        self.now = start
        self._load_day(self.minute // MINUTES_PER_DAY)
        self.water = [self._out_water[self.minute % MINUTES_PER_DAY]] * count
        self._advance_people(self.minute)
        self._publish_all(manual=False)

    # --- description --------------------------------------------------------------

    def _building_info(self, start: datetime) -> BuildingInfo:
        floors = {floor.id: floor.name for floor in self.scenario.floors}
        zones = []
        for zone in self.scenario.zones:
            entities = {role: entity_id_for(zone.id, role) for role in zone.sensors}
            if zone.has_light:
                entities["light"] = entity_id_for(zone.id, "light")
            if zone.has_climate:
                entities["climate"] = entity_id_for(zone.id, "climate")
            zones.append(
                ZoneEntities(
                    zone.id, zone.name, zone.floor_id, floors[zone.floor_id], entities
                )
            )
        return BuildingInfo(
            name=self.scenario.name,
            zones=tuple(zones),
            outdoor_temperature=OUTDOOR_TEMPERATURE,
            start=start,
            step=timedelta(seconds=STEP_S),
            baseline=self.scenario.baseline,
            people=tuple(entity_id for _, entity_id in self._people),
        )

    def hvac_modes(self, zone: int) -> list[str]:
        """Return the modes a zone's climate supports."""
        modes = ["off"]
        if self.heater_w[zone] > 0:
            modes.append("heat")
        if self.cooler_w[zone] > 0:
            modes.append("cool")
            if self.heater_w[zone] > 0:
                modes.append("heat_cool")
        return modes

    # --- the step -------------------------------------------------------------------

    def take_view(self) -> View:
        """Return the controller's view now, handing over (and clearing) the changes."""
        changes, self.changes = self.changes, []
        return View(now=self.now, states=self.states, changes=changes)

    def step(self) -> None:
        """Advance the building by one minute."""
        minute = self.minute
        day, minute_of_day = divmod(minute, MINUTES_PER_DAY)
        if day != self._weather_day:
            self._load_day(day)
        self.outdoor_c = out_temp = self._out_temp[minute_of_day]
        self.outdoor_lux = out_lux = self._out_lux[minute_of_day]
        out_water = self._out_water[minute_of_day]

        self._advance_people(minute)
        self._people_act(minute, minute_of_day, out_temp, out_lux)
        self._thermostats()
        self._physics(out_temp, out_lux, out_water, minute_of_day, day)
        self._score(minute_of_day)

        self.minute = minute + 1
        self.now = self.midnight + timedelta(minutes=self.minute)
        self._publish_all(manual=False)

    def _load_day(self, day: int) -> None:
        self._weather_day = day
        self._out_temp, self._out_lux, self._out_water = self.weather.day(day)
        if day != self._planned_day:
            self._planned_day = day
            for worker in self.workers:
                worker.draw_workday(day)
            booked = plan_meetings(
                self.scenario.meetings,
                self._meeting_rooms,
                self.workers,
                day,
                self._meeting_rng,
            )
            for worker in self.workers:
                worker.plan_workday(day, sorted(booked[worker.index]))

    def _advance_people(self, minute: int) -> None:  # noqa: PLR0912 (hot loop, kept flat)
        """Move everyone along their timeline; react to arriving, leaving, waking."""
        position, activity = self.position, self.activity
        awake, asleep = self.awake, self.asleep
        for zone in range(len(awake)):
            awake[zone] = asleep[zone] = 0
        left: list[tuple[int, int]] = []
        entered: list[tuple[int, int]] = []
        for person in self.occupants:
            segments = person.segments
            while not segments or segments[0][0] <= minute:
                if segments:
                    segments.popleft()
                if not segments:
                    person.plan_resident_day()
            _, zone, act = segments[0]
            index = person.index
            old_zone, old_act = position[index], activity[index]
            if zone != old_zone or act != old_act:
                position[index], activity[index] = zone, act
                if old_zone != zone:
                    if old_zone >= 0:
                        left.append((index, old_zone))
                        self._through_door(old_zone, minute)
                    if zone >= 0:
                        self._through_door(zone, minute)
                if act == AWAKE and (old_zone != zone or old_act == ASLEEP):
                    entered.append((index, zone))
                    self.motion_until[zone] = minute + MOTION_HOLD_MIN
                    if old_act == ASLEEP:
                        self._airing(zone, minute)
                elif act == ASLEEP and zone >= 0:
                    left.append((index, zone))  # going to sleep: lights out
            if act == AWAKE:
                awake[zone] += 1
            elif act == ASLEEP:
                asleep[zone] += 1
        rng = self._behaviour_rng
        for index, zone in left:
            spec = self.occupants[index].spec
            # Drawn whatever the lights and windows are doing, so that a seed gives
            # every controller the same habits (light and window state depend on it).
            switches_off = rng.random() < spec.lights_off_prob
            closes_window = rng.random() < 0.5
            if awake[zone] == 0 and self.light_on[zone]:
                sleeping_here = (
                    self.activity[index] == ASLEEP and self.position[index] == zone
                )
                if sleeping_here or switches_off:
                    self._set_light(zone, on=False, manual=True)
            if self.window_open[zone] and awake[zone] == 0 and closes_window:
                self.window_open[zone] = False
        for index, _ in entered:
            self._dark_wait[index] = 2  # switch the light on at once if it is dark

    def _through_door(self, zone: int, minute: int) -> None:
        """Someone goes through the zone's door, which they may leave standing open.

        A contact sees a shut door opened (on for that minute and the next, or
        until it is shut again) and an open one shut; nobody going through a
        door that stands open.
        """
        leaves_open = self._door_rng.random() < self.door_left_open[zone]
        if not self.door_open[zone]:
            self.door_until[zone] = minute
        self.door_open[zone] = leaves_open

    def _airing(self, zone: int, minute: int) -> None:
        """Air the bedroom for a while after getting up (some people do)."""
        if (
            "window" in self.scenario.zones[zone].sensors
            and self._behaviour_rng.random() < 0.3
        ):
            self.window_open[zone] = True
            self.window_close_at[zone] = minute + self._behaviour_rng.randint(10, 20)

    def _people_act(  # noqa: PLR0912 (hot loop, kept flat)
        self, minute: int, minute_of_day: int, out_temp: float, out_lux: float
    ) -> None:
        """Uncomfortable people change the thermostat, the light or the window."""
        rng = self._sensor_rng
        behaviour = self._behaviour_rng
        miss_rate = self.miss_rate
        for zone, is_open in enumerate(self.window_open):
            if is_open and minute >= self.window_close_at[zone]:
                self.window_open[zone] = False
        for person in self.occupants:
            index = person.index
            zone = self.position[index]
            act = self.activity[index]
            if act == ASLEEP:
                if rng.random() < SLEEPER_MOVES:
                    self.motion_until[zone] = minute + MOTION_HOLD_MIN
                continue
            if act != AWAKE:
                continue
            if rng.random() >= miss_rate[zone]:
                self.motion_until[zone] = minute + MOTION_HOLD_MIN
            spec = person.spec
            prefs = person.prefs
            # Light: switch on when dark, dim to taste now and then.
            if (
                out_lux * self.daylight_factor[zone] < spec.need_lux
                and self.light_w[zone] > 0
            ):
                wanted = prefs.brightness[minute_of_day]
                redims = behaviour.random() < 0.05  # drawn either way, as above
                if not self.light_on[zone]:
                    self._dark_wait[index] += 1
                    if self._dark_wait[index] >= 2:
                        self._dark_wait[index] = 0
                        self._set_light(
                            zone, True, wanted, prefs.kelvin[minute_of_day], manual=True
                        )
                elif abs(self.brightness[zone] - wanted) > 30 and redims:
                    self._set_light(
                        zone, True, wanted, prefs.kelvin[minute_of_day], manual=True
                    )
            else:
                self._dark_wait[index] = 0
            # Temperature: after ``patience`` minutes of discomfort, do something.
            preferred = prefs.setpoint[minute_of_day]
            temp = self.temp[zone]
            if temp < preferred - spec.tolerance_c:
                self._discomfort[index] = max(0, self._discomfort[index]) + 1
            elif temp > preferred + spec.tolerance_c:
                self._discomfort[index] = min(0, self._discomfort[index]) - 1
            else:
                self._discomfort[index] = 0
                continue
            if (
                abs(self._discomfort[index]) < spec.patience_min
                or minute < self._cooldown[index]
            ):
                continue
            too_cold = self._discomfort[index] > 0
            self._discomfort[index] = 0
            self._cooldown[index] = minute + ACT_COOLDOWN_MIN
            if too_cold:
                self.window_open[zone] = False
                self._warm_up(zone, preferred)
            else:
                self._cool_down(zone, preferred, out_temp, minute)

    def _warm_up(self, zone: int, preferred: float) -> None:
        """Too cold: ask the thermostat for the preferred temperature, unless it is."""
        if self.heater_w[zone] <= 0:
            return
        mode = self.hvac_mode[zone]
        heat_target = (
            self.target_low[zone] if mode == "heat_cool" else self.target[zone]
        )
        if mode in ("heat", "heat_cool") and heat_target >= preferred - 0.5:
            return  # it is already heating towards what they want: they wait
        if mode == "heat_cool":
            self.target_low[zone] = preferred
            self.target_high[zone] = max(self.target_high[zone], preferred + 1.0)
        else:
            self.hvac_mode[zone] = "heat"
            self.target[zone] = preferred
        self._manual_climate_change(zone)

    def _cool_down(
        self, zone: int, preferred: float, out_temp: float, minute: int
    ) -> None:
        """Too warm: turn the heating down, ask for cooling, or open a window."""
        mode = self.hvac_mode[zone]
        can_cool = self.cooler_w[zone] > 0
        # Turning a heater down helps only where it keeps the room this warm: one
        # the sun or its people warmed past the setting gains nothing from it.
        heated = self.temp[zone] <= self.target[zone] + HYSTERESIS_C
        if mode == "heat" and heated and self.target[zone] > preferred:
            self.target[zone] = preferred
        elif (
            mode == "heat_cool"
            and can_cool
            and self.target_high[zone] > preferred + 0.5
        ):
            self.target_high[zone] = preferred + 0.5
            self.target_low[zone] = min(self.target_low[zone], preferred - 1.0)
        elif mode == "heat_cool" and self.target_low[zone] > preferred - 1.0:
            self.target_low[zone] = preferred - 1.0
        elif can_cool and mode in ("off", "heat"):
            self.hvac_mode[zone] = "cool"
            self.target[zone] = preferred
        elif can_cool and mode == "cool" and self.target[zone] > preferred + 0.5:
            self.target[zone] = preferred
        else:
            if (
                "window" in self.scenario.zones[zone].sensors
                and out_temp < self.temp[zone] - 3.0
                and not self.window_open[zone]
            ):
                self.window_open[zone] = True
                self.window_close_at[zone] = minute + 30
            return
        self._manual_climate_change(zone)

    def _manual_climate_change(self, zone: int) -> None:
        self.preset[zone] = "none"
        self.metrics.manual_interventions += 1
        self._publish_climate(zone, manual=True)

    def _thermostats(self) -> None:
        temp, heating, cooling = self.temp, self.heating, self.cooling
        for zone, mode in enumerate(self.hvac_mode):
            if mode == "off":
                heating[zone] = cooling[zone] = False
                continue
            current = temp[zone]
            if mode in ("heat", "heat_cool") and self.heater_w[zone] > 0:
                target = (
                    self.target_low[zone] if mode == "heat_cool" else self.target[zone]
                )
                if current < target - HYSTERESIS_C:
                    heating[zone] = True
                elif current > target + HYSTERESIS_C:
                    heating[zone] = False
            else:
                heating[zone] = False
            if mode in ("cool", "heat_cool") and self.cooler_w[zone] > 0:
                target = (
                    self.target_high[zone] if mode == "heat_cool" else self.target[zone]
                )
                if current > target + HYSTERESIS_C:
                    cooling[zone] = True
                elif current < target - HYSTERESIS_C:
                    cooling[zone] = False
            else:
                cooling[zone] = False

    def _physics(
        self,
        out_temp: float,
        out_lux: float,
        out_water: float,
        minute_of_day: int,
        day: int,
    ) -> None:
        dt = STEP_S
        temp = self.temp
        old = temp[:]
        solar_w_m2 = out_lux / LUX_PER_W_M2
        evening = (
            minute_of_day >= 1020
            or (self.midnight + timedelta(days=day)).weekday() >= 5
        )
        metrics = self.metrics
        cop = self.scenario.cooling_cop
        zones = self.scenario.zones
        for zone in range(len(temp)):
            awake, asleep = self.awake[zone], self.asleep[zone]
            spec = zones[zone]
            power = spec.standby_w
            if awake:
                power += spec.appliance_w
                if evening:
                    power += spec.media_w
            self.power_w[zone] = power
            light = (
                self.light_w[zone] * self.brightness[zone] / 100.0
                if self.light_on[zone]
                else 0.0
            )
            heater = self.heater_w[zone] if self.heating[zone] else 0.0
            cooler = self.cooler_w[zone] if self.cooling[zone] else 0.0
            gains = heater - cooler + solar_w_m2 * self.aperture[zone]
            gains += awake * HEAT_W[AWAKE] + asleep * HEAT_W[ASLEEP] + power + light
            window = self.window_open[zone]
            ua = self.ua_out[zone] + (self.window_ua[zone] if window else 0.0)
            current = old[zone]
            loss = ua * (current - out_temp)
            exchange = 0.0
            for other, ua_n in self.neighbours[zone]:
                exchange += ua_n * (old[other] - current)
            temp[zone] = current + (gains - loss + exchange) * dt / self.capacity[zone]
            self.gain_j[zone] += gains * dt
            self.loss_j[zone] += loss * dt
            self.exchange_j[zone] += exchange * dt
            metrics.zone_heating_j[zone] += heater * dt
            metrics.zone_cooling_j[zone] += cooler * dt / cop
            metrics.lighting_j += light * dt
            # Air: well mixed; a window adds ventilation.
            ach = (self.ach[zone] + (WINDOW_EXTRA_ACH if window else 0.0)) / 3600.0
            volume = self.volume[zone]
            emitted = awake * CO2_M3_PER_S[AWAKE] + asleep * CO2_M3_PER_S[ASLEEP]
            self.co2[zone] += dt * (
                emitted * 1e6 / volume - ach * (self.co2[zone] - OUTDOOR_CO2_PPM)
            )
            moisture = awake * WATER_G_PER_S[AWAKE] + asleep * WATER_G_PER_S[ASLEEP]
            self.water[zone] += dt * (
                moisture / volume - ach * (self.water[zone] - out_water)
            )
            self.illuminance[zone] = out_lux * self.daylight_factor[zone] + (
                self.light_lux[zone] * self.brightness[zone] / 100.0
                if self.light_on[zone]
                else 0.0
            )

    def _score(self, minute_of_day: int) -> None:
        """Comfort and waste for this minute, from where people really are."""
        metrics = self.metrics
        metrics.minutes += 1
        count = len(self.temp)
        wanted = [0.0] * count
        present = [0] * count
        for person in self.occupants:
            zone = self.position[person.index]
            if zone >= 0:
                night = person.spec.sleep_setpoint_c
                if night is not None and self.activity[person.index] == ASLEEP:
                    wanted[zone] += night
                else:
                    wanted[zone] += person.prefs.setpoint[minute_of_day]
                present[zone] += 1
        asleep = self.asleep
        for zone in range(count):
            if present[zone]:
                off = self.temp[zone] - wanted[zone] / present[zone]
                miss = abs(off) - 1.0
                if miss > 0:
                    metrics.comfort_degree_min += miss
                    metrics.zone_miss_time_min[zone] += 1
                    metrics.zone_too_warm_min[zone] += off > 0
                    metrics.zone_asleep_miss_min[zone] += asleep[zone] == present[zone]
            elif self.light_on[zone]:
                metrics.zone_lights_on_empty_min[zone] += 1

    # --- devices ----------------------------------------------------------------------

    def _set_light(
        self,
        zone: int,
        on: bool,
        brightness: float | None = None,
        kelvin: float | None = None,
        *,
        manual: bool,
    ) -> None:
        if on:
            if brightness is not None:
                self.brightness[zone] = brightness
            elif self.brightness[zone] <= 0:
                self.brightness[zone] = 100.0
            if kelvin is not None:
                self.kelvin[zone] = kelvin
        self.light_on[zone] = on
        if manual:
            self.metrics.manual_interventions += 1
        self._publish_light(zone, manual=manual)

    def apply(self, command: Command) -> None:
        """Carry out a service call on a light or climate, as HA would."""
        zone = self._device_zone.get(command.entity_id)
        domain = command.entity_id.partition(".")[0]
        if zone is None or domain != command.domain:
            raise CommandError(
                f"{command.domain}.{command.service}: unknown entity {command.entity_id}"
            )
        data = dict(command.data)
        if domain == "light":
            self._apply_light(zone, command.service, data)
        else:
            self._apply_climate(zone, command.service, data)
        calls = self.metrics.calls
        calls[command.entity_id] = calls.get(command.entity_id, 0) + 1
        hour = self.minute // 60  # the clock hour of self.now, when the call is made
        if hour != self._calls_hour:
            self._calls_hour = hour
            self._hour_calls.clear()
        in_hour = self._hour_calls.get(command.entity_id, 0) + 1
        self._hour_calls[command.entity_id] = in_hour
        self.metrics.calls_hour_max = max(self.metrics.calls_hour_max, in_hour)

    def _apply_light(self, zone: int, service: str, data: dict[str, Any]) -> None:
        if service == "turn_off":
            if data:
                raise CommandError(f"light.turn_off: unexpected data {sorted(data)}")
            if self.light_on[zone] and self.awake[zone]:
                self.metrics.zone_false_offs[zone] += 1
            self._set_light(zone, on=False, manual=False)
            return
        if service != "turn_on":
            raise CommandError(f"light.{service}: not supported")
        brightness: float | None = None
        if "brightness_pct" in data:
            brightness = _number(
                data.pop("brightness_pct"), "brightness_pct", 0.0, 100.0
            )
        elif "brightness" in data:
            brightness = (
                _number(data.pop("brightness"), "brightness", 0.0, 255.0) / 2.55
            )
        kelvin = None
        if "color_temp_kelvin" in data:
            kelvin = _number(
                data.pop("color_temp_kelvin"),
                "color_temp_kelvin",
                MIN_KELVIN,
                MAX_KELVIN,
            )
        if data:
            raise CommandError(f"light.turn_on: unexpected data {sorted(data)}")
        if brightness is not None and brightness <= 0:
            self._apply_light(zone, "turn_off", {})
            return
        self._set_light(zone, True, brightness, kelvin, manual=False)

    def _apply_climate(self, zone: int, service: str, data: dict[str, Any]) -> None:  # noqa: PLR0912
        modes = self.hvac_modes(zone)
        if service == "set_hvac_mode":
            mode = data.pop("hvac_mode", None)
            if mode not in modes or data:
                raise CommandError(
                    f"climate.set_hvac_mode: expected hvac_mode in {modes}"
                )
            self.hvac_mode[zone] = mode
        elif service == "set_temperature":
            mode = data.pop("hvac_mode", None)
            if mode is not None and mode not in modes:
                raise CommandError(
                    f"climate.set_temperature: hvac_mode must be one of {modes}"
                )
            if "temperature" in data:
                self.target[zone] = _number(
                    data.pop("temperature"), "temperature", MIN_TEMP_C, MAX_TEMP_C
                )
            elif "target_temp_low" in data and "target_temp_high" in data:
                low = _number(
                    data.pop("target_temp_low"),
                    "target_temp_low",
                    MIN_TEMP_C,
                    MAX_TEMP_C,
                )
                high = _number(
                    data.pop("target_temp_high"),
                    "target_temp_high",
                    MIN_TEMP_C,
                    MAX_TEMP_C,
                )
                if high < low:
                    raise CommandError(
                        "climate.set_temperature: target_temp_high < target_temp_low"
                    )
                self.target_low[zone], self.target_high[zone] = low, high
            else:
                raise CommandError(
                    "climate.set_temperature: needs temperature or target_temp_low and target_temp_high"
                )
            if data:
                raise CommandError(
                    f"climate.set_temperature: unexpected data {sorted(data)}"
                )
            if mode is not None:
                self.hvac_mode[zone] = mode
            self.preset[zone] = "none"
        elif service == "set_preset_mode":
            preset = data.pop("preset_mode", None)
            if data or (preset != "none" and preset not in PRESETS):
                raise CommandError(
                    f"climate.set_preset_mode: expected preset_mode in {['none', *PRESETS]}"
                )
            self.preset[zone] = preset
            if preset in PRESETS:
                self.target[zone] = self.target_low[zone] = PRESETS[preset]
                if self.hvac_mode[zone] == "off" and self.heater_w[zone] > 0:
                    self.hvac_mode[zone] = "heat"
        elif service in ("turn_on", "turn_off"):
            self.hvac_mode[zone] = "off" if service == "turn_off" else modes[-1]
        else:
            raise CommandError(f"climate.{service}: not supported")
        self._publish_climate(zone, manual=False)

    # --- publishing, as HA entities ---------------------------------------------------

    def _set_state(
        self, entity_id: str, state: str, attributes: dict[str, Any], manual: bool
    ) -> None:
        old = self.states.get(entity_id)
        if old is not None and old.state == state and old.attributes == attributes:
            return
        last_changed = (
            old.last_changed if old is not None and old.state == state else self.now
        )
        new = EntityState(entity_id, state, attributes, last_changed)
        self.states[entity_id] = new
        self.changes.append(StateChange(entity_id, old, new, manual))

    def _publish_light(self, zone: int, manual: bool) -> None:
        on = self.light_on[zone]
        brightness = round(self.brightness[zone] * 2.55) if on else None
        kelvin = round(self.kelvin[zone]) if on else None
        entity_id = self._light_ids[zone]
        key = (on, brightness, kelvin)
        if self._published.get(entity_id) == key:
            return
        self._published[entity_id] = key
        attributes: dict[str, Any] = {
            **_LIGHT_STATIC,
            "color_mode": "color_temp" if on else None,
            "brightness": brightness,
            "color_temp_kelvin": kelvin,
        }
        self._set_state(entity_id, "on" if on else "off", attributes, manual)

    def _publish_climate(self, zone: int, manual: bool) -> None:
        mode = self.hvac_mode[zone]
        if mode == "off":
            action = "off"
        elif self.heating[zone]:
            action = "heating"
        elif self.cooling[zone]:
            action = "cooling"
        else:
            action = "idle"
        dual = mode == "heat_cool"
        current = round(self.temp[zone], 1)
        temperature = None if dual else self.target[zone]
        low = self.target_low[zone] if dual else None
        high = self.target_high[zone] if dual else None
        entity_id = self._climate_ids[zone]
        # Cheap test first: most steps change nothing a thermostat shows.
        key = (mode, action, current, temperature, low, high, self.preset[zone])
        if self._published.get(entity_id) == key:
            return
        self._published[entity_id] = key
        attributes: dict[str, Any] = {
            "hvac_modes": self.hvac_modes(zone),
            "min_temp": MIN_TEMP_C,
            "max_temp": MAX_TEMP_C,
            "target_temp_step": 0.5,
            "preset_modes": ["none", *PRESETS],
            "current_temperature": current,
            "temperature": temperature,
            "target_temp_low": low,
            "target_temp_high": high,
            "hvac_action": action,
            "preset_mode": self.preset[zone],
        }
        self._set_state(entity_id, mode, attributes, manual)

    def _publish_value(
        self, entity_id: str, value: float, kind: str, digits: int
    ) -> None:
        rounded = round(value, digits) if digits > 0 else round(value)
        if self._published.get(entity_id) == rounded:
            return
        self._published[entity_id] = rounded
        self._set_state(entity_id, str(rounded), _SENSOR_ATTRS[kind], manual=False)

    def _publish_all(self, manual: bool) -> None:
        minute = self.minute
        publish_value, publish_flag = self._publish_value, self._publish_flag
        for zone, sensors in enumerate(self._sensor_ids):
            for kind, entity_id in sensors:
                if kind == "motion":
                    publish_flag(entity_id, self.motion_until[zone] >= minute, kind)
                elif kind == "door":
                    shows_open = (
                        self.door_open[zone] or self.door_until[zone] >= minute - 1
                    )
                    publish_flag(entity_id, shows_open, kind)
                elif kind == "window":
                    publish_flag(entity_id, self.window_open[zone], kind)
                elif kind == "temperature":
                    publish_value(entity_id, self.temp[zone], kind, 1)
                elif kind == "humidity":
                    relative = (
                        100.0
                        * self.water[zone]
                        / saturation_humidity_g_m3(self.temp[zone])
                    )
                    publish_value(entity_id, min(100.0, relative), kind, 0)
                elif kind == "co2":
                    publish_value(entity_id, round(self.co2[zone], -1), kind, 0)
                elif kind == "illuminance":
                    publish_value(
                        entity_id, _coarse_lux(self.illuminance[zone]), kind, 0
                    )
                elif kind == "power":
                    publish_value(entity_id, self.power_w[zone], kind, 0)
            if self._light_ids[zone]:
                self._publish_light(zone, manual)
            if self._climate_ids[zone]:
                self._publish_climate(zone, manual)
        publish_value(OUTDOOR_TEMPERATURE, self.outdoor_c, "temperature", 1)
        self._publish_people()

    def _publish_people(self) -> None:
        """Tracked phones, as their geofence sees them: home while in the building."""
        for index, entity_id in self._people:
            home = self.position[index] != NOWHERE
            self._set_state(entity_id, HOME if home else NOT_HOME, {}, manual=False)

    def _publish_flag(self, entity_id: str, on: bool, kind: str) -> None:
        if self._published.get(entity_id) is on:
            return
        self._published[entity_id] = on
        self._set_state(
            entity_id, "on" if on else "off", _SENSOR_ATTRS[kind], manual=False
        )

    # --- running ------------------------------------------------------------------------

    def run(self, controller: Controller, minutes: int) -> None:
        """Step ``minutes`` times, letting ``controller`` act after each step."""
        for _ in range(minutes):
            self.step()
            for command in controller.step(self.take_view()):
                self.apply(command)

    def balance(self) -> list[float]:
        """Per zone: stored heat minus (gains - losses + exchange), in joules (≈ 0)."""
        return [
            self.capacity[zone]
            * (self.temp[zone] - self.scenario.zones[zone].initial_c)
            - (self.gain_j[zone] - self.loss_j[zone] + self.exchange_j[zone])
            for zone in range(len(self.temp))
        ]


def _number(value: object, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CommandError(f"{name}: expected a number, got {value!r}")
    if not low <= value <= high:
        raise CommandError(f"{name}: {value} is outside {low}..{high}")
    return float(value)


def _coarse_lux(lux: float) -> float:
    """Illuminance as a sensor reports it: 1 lx steps when dim, ~5 % steps when bright."""
    if lux < 100.0:
        return float(round(lux))
    step = 10.0 ** (len(str(int(lux))) - 2)  # two significant digits
    return float(round(lux / step) * step)
