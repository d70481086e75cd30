"""AIoT Brain in the virtual building: it sees only what HA shows and acts by calls."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
import gc
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any

from custom_components.aiot_brain.brain.control import ControlSettings
from custom_components.aiot_brain.brain.observation import Role
from simulator import Building, Command, load_scenario
from simulator.aiot_brain_controller import (
    AiotBrainController,
    manager_settings,
    settings_from_text,
)
from simulator.building import Building as BuildingClass
from simulator.controllers import CONTROLLERS
from simulator.interface import BuildingInfo, EntityState, StateChange, View
from simulator.occupants import Occupant
from simulator.scenario import Scenario, with_tracked


def test_registered_as_a_benchmark_controller() -> None:
    building = Building(load_scenario("apartment"))
    assert isinstance(CONTROLLERS["aiot_brain"](building.info), AiotBrainController)


class Spy:
    """Passes views on to the controller and remembers what it was given."""

    def __init__(self, info: BuildingInfo) -> None:
        self.inner = AiotBrainController(info)
        self.given: set[type] = set()
        self.commands: list[Command] = []

    def step(self, view: View) -> Iterable[Command]:
        self.given.add(type(view))
        self.given.update(type(change) for change in view.changes)
        commands = list(self.inner.step(view))
        self.commands.extend(commands)
        return commands


def _hidden_truth_reachable(root: object) -> list[object]:
    """Objects of the simulator's hidden truth reachable from ``root``'s data."""
    hidden = (BuildingClass, Occupant, Scenario)
    skip = (type, ModuleType, FunctionType, BuiltinFunctionType, MethodType)
    seen: set[int] = set()
    found: list[object] = []
    todo: list[Any] = [root]
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, skip):
            continue
        seen.add(id(item))
        if isinstance(item, hidden):
            found.append(item)
            continue
        todo.extend(gc.get_referents(item))
    return found


def test_runs_a_day_and_acts_only_through_the_interface() -> None:
    building = Building(load_scenario("family_home"), seed=1)
    spy = Spy(building.info)
    building.run(spy, 24 * 60)
    # Every command was carried out (and validated) by the building as HA would.
    assert spy.commands
    assert sum(building.metrics.calls.values()) == len(spy.commands)
    assert {command.domain for command in spy.commands} <= {"climate", "light"}
    assert building.metrics.calls_hour_max <= spy.inner.settings.max_calls_per_hour
    # Each call went out with a reason people can read.
    assert len(spy.inner.decisions) == len(spy.commands)
    assert all(reason for _, _, reason in spy.inner.decisions)
    # The doors are seen: someone who went out through one leaves no light on long.
    assert any("the door moved" in reason for _, _, reason in spy.inner.decisions)
    # It only ever got views and state changes...
    assert spy.given <= {View, StateChange}
    # ...and holds nothing of the hidden truth.
    assert _hidden_truth_reachable(spy.inner) == []


def test_people_sleep_at_the_managers_night_as_with_the_baselines() -> None:
    """Not at a default of ours that no other controller is told (18.5 °C)."""
    building = Building(load_scenario("apartment"), seed=0)
    controller = AiotBrainController(building.info)
    building.run(controller, 24 * 60)
    night = building.info.baseline.setback_c
    assert night != ControlSettings().sleep_temperature
    sleeping = [
        reason
        for _, _, reason in controller.decisions
        if reason.endswith("sleep temperature")
    ]
    assert sleeping
    assert all(f"to {night:.1f} °C:" in reason for reason in sleeping)
    # A setting given as text changes that setting only.
    base = manager_settings(building.info.baseline)
    assert settings_from_text({"eco_offset": "3"}, base).sleep_temperature == night
    assert (
        settings_from_text({"sleep_temperature": "none"}, base).sleep_temperature
        is None
    )


def test_comfort_starts_from_the_managers_setpoints_as_with_the_baselines() -> None:
    """Heating to their comfort and cooling from their cooling setpoint, until taught."""
    building = Building(load_scenario("office_floor"), seed=0)
    controller = AiotBrainController(building.info)
    building.run(controller, 5)
    baseline = building.info.baseline
    assert baseline.cooling_c > baseline.comfort_c + 1.0
    for zone in controller.zones.values():
        assert zone.prediction is not None
        assert zone.prediction.heating_setpoint == baseline.comfort_c
        assert zone.prediction.cooling_setpoint == baseline.cooling_c


def _climate(temperature: float, current: float, when: datetime) -> EntityState:
    return EntityState(
        "climate.bedroom",
        "heat",
        {
            "hvac_modes": ["off", "heat"],
            "min_temp": 7.0,
            "max_temp": 30.0,
            "target_temp_step": 0.5,
            "preset_modes": ["none", "comfort", "eco", "away"],
            "current_temperature": current,
            "temperature": temperature,
            "hvac_action": "idle",
            "preset_mode": "none",
        },
        when,
    )


def test_a_persons_thermostat_change_is_learned_and_held() -> None:
    """Driven by hand-made views alone: a manual change teaches comfort and holds."""
    info = Building(load_scenario("apartment")).info
    controller = AiotBrainController(info)
    now = datetime(2026, 3, 2, 18, 0)
    before = _climate(20.0, 19.0, now - timedelta(hours=1))
    after = _climate(22.5, 19.0, now)
    states = {
        "climate.bedroom": after,
        "sensor.bedroom_temperature": EntityState(
            "sensor.bedroom_temperature", "19.0", {}, now
        ),
        "sensor.outdoor_temperature": EntityState(
            "sensor.outdoor_temperature", "5.0", {}, now
        ),
    }
    change = StateChange("climate.bedroom", before, after, manual=True)
    commands = list(controller.step(View(now, states, [change])))
    bedroom = controller.zones["bedroom"]
    assert bedroom.brain.comfort.labels == 1
    hold = bedroom.controller.holds["climate.bedroom"]
    assert hold.since == now
    assert "changed by hand at 18:00" in hold.reason
    assert all(command.entity_id != "climate.bedroom" for command in commands)
    # Our own change (not manual) teaches nothing and holds nothing.
    ours = StateChange("climate.living_kitchen", None, after, manual=False)
    controller.step(View(now + timedelta(minutes=1), states, [ours]))
    assert controller.zones["living_kitchen"].brain.comfort.labels == 0
    assert not controller.zones["living_kitchen"].controller.holds


def test_a_band_lowered_at_its_top_is_learned_as_the_coolness_wanted() -> None:
    """As HA's glue reads it: a cooling edge set by hand teaches the cooling comfort.

    On a cold morning the season says heating, yet someone who brings a heat/cool
    band's upper edge down asks for cooling, not for more warmth.
    """
    building = Building(load_scenario("office_floor"), seed=0)
    controller = AiotBrainController(building.info)
    zone = controller.zones["open_office_1"]
    entity_id = zone.roles["climate"]
    now = datetime(2026, 5, 4, 10, 0)

    def band(high: float, when: datetime) -> EntityState:
        return EntityState(
            entity_id,
            "heat_cool",
            {
                "hvac_modes": ["off", "heat", "cool", "heat_cool"],
                "min_temp": 7.0,
                "max_temp": 30.0,
                "target_temp_step": 0.5,
                "current_temperature": 23.6,
                "target_temp_low": 21.0,
                "target_temp_high": high,
                "hvac_action": "idle",
                "preset_mode": "none",
            },
            when,
        )

    outdoor = EntityState(building.info.outdoor_temperature, "8.0", {}, now)
    states = {entity_id: band(23.0, now), outdoor.entity_id: outdoor}
    controller.step(View(now - timedelta(minutes=1), states, []))
    before = zone.brain.predict_one(now)
    change = StateChange(
        entity_id, band(24.5, now - timedelta(hours=1)), band(23.0, now), manual=True
    )
    controller.step(View(now, states, [change]))
    after = zone.brain.predict_one(now)
    assert zone.brain.comfort.labels == 1
    assert before.cooling_setpoint is not None
    assert after.cooling_setpoint is not None
    assert after.cooling_setpoint < before.cooling_setpoint - 0.5  # 22.5 °C wanted
    assert after.heating_setpoint == before.heating_setpoint


def test_tracked_phones_show_as_people_and_tell_every_zone_who_is_home() -> None:
    scenario = with_tracked(load_scenario("family_home"), "residents")
    building = Building(scenario, seed=0)
    people = ("person.anna", "person.ben", "person.clara", "person.david")
    assert building.info.people == people
    controller = AiotBrainController(building.info)
    heard: dict[datetime, set[float]] = {}  # what the zones knew, when all were out

    class Watch:
        def step(self, view: View) -> Iterable[Command]:
            commands = controller.step(view)
            if all(view.states[person].state == "not_home" for person in people):
                heard[view.now] = {
                    zone.brain.latest.get(Role.NOBODY_HOME, -1.0)
                    for zone in controller.zones.values()
                }
            return commands

    building.run(Watch(), 3 * 24 * 60)
    # On Wednesday the children are at school and both parents at work, and
    # every zone knew it; on Monday and Tuesday Ben works from home.
    assert heard
    assert {when.weekday() for when in heard} == {2}
    assert all(known == {1.0} for known in heard.values())
    # Since then someone came home, and every zone heard that too.
    assert {
        zone.brain.latest[Role.NOBODY_HOME] for zone in controller.zones.values()
    } == {0.0}


def test_nobody_is_tracked_unless_the_scenario_says_so() -> None:
    assert Building(load_scenario("family_home")).info.people == ()


def test_each_zone_sees_when_motion_was_last_seen_elsewhere_as_in_ha() -> None:
    """Someone walking into the bedroom from the living room is seen coming in."""
    info = Building(load_scenario("apartment")).info
    controller = AiotBrainController(info)
    bedroom, living = controller.zones["bedroom"], controller.zones["living_kitchen"]
    motion = living.roles["motion"]
    now = datetime(2026, 3, 2, 23, 0)

    def view(when: datetime, state: str) -> View:
        return View(when, {motion: EntityState(motion, state, {}, when)}, [])

    assert controller.readings(bedroom, view(now, "off")).last_motion_elsewhere is None
    on = view(now, "on")
    controller.step(on)
    # On: seen now, in every other zone, whichever is read first ...
    assert controller.readings(bedroom, on).last_motion_elsewhere == now
    assert controller.readings(living, on).last_motion_elsewhere is None
    # ... then, once off, when it was last seen on.
    later = now + timedelta(minutes=5)
    off = view(later, "off")
    controller.step(off)
    assert controller.readings(bedroom, off).last_motion_elsewhere == now


def test_motion_elsewhere_is_shown_only_when_an_engine_asks_as_in_ha() -> None:
    """Home Assistant's glue looks it up only then; the adapter shows no more."""
    building = Building(load_scenario("family_home"), seed=0)
    controller = AiotBrainController(building.info)
    shown: dict[bool, set[bool]] = {True: set(), False: set()}
    for zone in controller.zones.values():
        engine = zone.controller
        decide = engine.decide

        def spy(now, prediction, readings, *args, _decide=decide, _engine=engine):
            asked = _engine.needs_motion_elsewhere(now)
            shown[asked].add(readings.last_motion_elsewhere is not None)
            return _decide(now, prediction, readings, *args)

        engine.decide = spy  # type: ignore[method-assign]
    building.run(controller, 2 * 24 * 60)
    assert shown[False] == {False}  # never shown unasked
    assert True in shown[True]  # and shown when asked, at night


def test_the_comfort_of_the_hour_people_get_up_is_told_as_soon_as_it_is_asked() -> None:
    # A week of the family's usual mornings (a holiday and a weekend among them):
    # on the second Tuesday, from 02:30, slept-in rooms may warm for getting up.
    # As in Home Assistant, which predicts each minute, their predictions tell
    # the comfort of the hour people get up from then, not up to 30 minutes later.
    building = Building(load_scenario("family_home"))
    controller = AiotBrainController(building.info)
    building.run(controller, 8 * 24 * 60)
    asked = 0
    for _ in range(8 * 60):
        building.run(controller, 1)
        for zone in controller.zones.values():
            if zone.controller.waking_at(building.now) is None:
                continue
            assert zone.prediction is not None
            assert zone.prediction.waking_heating_setpoint is not None, zone.name
            asked += 1
    assert asked > 60
