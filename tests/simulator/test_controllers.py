"""The controller interface: views, commands, call counting and the baselines."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from simulator import Building, Command, CommandError, load_scenario
from simulator.controllers import CONTROLLERS, ScheduleController
from simulator.interface import ROLES, entity_id_for

from .helpers import one_room


def test_building_info_lists_entities_by_zone_and_role() -> None:
    building = Building(load_scenario("family_home"))
    info = building.info
    assert [zone.zone_id for zone in info.zones][:3] == [
        "living_room",
        "kitchen",
        "study",
    ]
    living = info.zones[0]
    assert living.floor_name == "Ground floor"
    assert set(living.entities) == set(ROLES)
    assert living.entity("climate") == "climate.living_room"
    bathroom = info.zones[5]
    assert bathroom.entity("co2") is None
    # Every listed entity has a state, like HA's state machine.
    for zone in info.zones:
        for entity_id in zone.entities.values():
            assert entity_id in building.states
    assert info.outdoor_temperature in building.states


def test_view_shows_states_and_marks_manual_changes() -> None:
    building = Building(load_scenario("family_home"), seed=2)
    first = building.take_view()
    assert first.changes
    assert all(change.old is None for change in first.changes)
    manual = []
    for _ in range(1440):
        building.step()
        manual.extend(
            change for change in building.take_view().changes if change.manual
        )
    assert manual
    assert {change.entity_id.partition(".")[0] for change in manual} <= {
        "light",
        "climate",
    }
    assert building.metrics.manual_interventions == len(manual)
    light = building.states["light.living_room"]
    assert light.state in ("on", "off")
    assert set(light.attributes) >= {"brightness", "color_temp_kelvin"}
    # The view is what HA would show; who is where stays hidden.
    assert not any(
        entity.startswith(("person.", "device_tracker.")) for entity in building.states
    )


def test_commands_drive_devices_and_are_counted() -> None:
    building = Building(one_room())
    building.take_view()
    building.apply(
        Command(
            "light",
            "turn_on",
            "light.room",
            {"brightness_pct": 50, "color_temp_kelvin": 2700},
        )
    )
    building.apply(Command("light", "turn_on", "light.room", {"brightness": 255}))
    state = building.states["light.room"]
    assert state.state == "on"
    assert state.attributes["brightness"] == 255
    assert state.attributes["color_temp_kelvin"] == 2700
    building.apply(
        Command("climate", "set_preset_mode", "climate.room", {"preset_mode": "eco"})
    )
    assert building.states["climate.room"].attributes["temperature"] == 18.0
    assert building.states["climate.room"].attributes["preset_mode"] == "eco"
    building.apply(Command("light", "turn_off", "light.room"))
    changes = building.take_view().changes
    assert [c.new.state for c in changes if c.entity_id == "light.room"] == [
        "on",
        "on",
        "off",
    ]
    assert not any(change.manual for change in changes)
    assert building.metrics.calls == {"light.room": 3, "climate.room": 1}
    assert building.metrics.calls_hour_max == 3
    building.step()  # illuminance now includes the light? it is off again
    assert building.light_on == [False]


def test_calls_are_counted_by_the_clock_hour() -> None:
    building = Building(one_room())
    for _ in range(9 * 60 + 59):
        building.step()
    assert building.now.strftime("%H:%M") == "09:59"
    on = Command("light", "turn_on", "light.room", {"brightness_pct": 50})
    building.apply(on)
    building.step()  # 10:00, a new hour
    building.apply(on)
    building.apply(on)
    assert building.metrics.calls_hour_max == 2
    for _ in range(59):
        building.step()
    building.apply(on)  # 10:59, still the hour of the two before
    assert building.metrics.calls_hour_max == 3


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (Command("light", "turn_on", "light.attic"), "unknown entity"),
        (Command("climate", "turn_on", "light.room"), "unknown entity"),
        (Command("light", "turn_on", "light.room", {"brightness_pct": 150}), "outside"),
        (Command("light", "turn_on", "light.room", {"flash": "long"}), "unexpected"),
        (Command("light", "toggle", "light.room"), "not supported"),
        (
            Command("climate", "set_hvac_mode", "climate.room", {"hvac_mode": "cool"}),
            "hvac_mode",
        ),
        (
            Command(
                "climate", "set_temperature", "climate.room", {"temperature": "warm"}
            ),
            "number",
        ),
        (
            Command("climate", "set_temperature", "climate.room", {}),
            "needs temperature",
        ),
        (
            Command(
                "climate", "set_preset_mode", "climate.room", {"preset_mode": "party"}
            ),
            "preset",
        ),
    ],
)
def test_invalid_commands_raise_and_change_nothing(
    command: Command, message: str
) -> None:
    building = Building(one_room())
    before = dict(building.states)
    with pytest.raises(CommandError, match=message):
        building.apply(command)
    assert building.states == before
    assert building.metrics.calls == {}


def test_false_off_is_counted_when_someone_is_there() -> None:
    building = Building(load_scenario("apartment"), seed=1)
    zone = building.zone_index["living_kitchen"]
    light = entity_id_for("living_kitchen", "light")
    while not building.awake[zone]:
        building.step()
    building.apply(Command("light", "turn_on", light))
    building.apply(Command("light", "turn_off", light))
    assert building.metrics.false_offs == 1


def test_schedule_controller_follows_its_timetable() -> None:
    building = Building(load_scenario("family_home"))
    controller = ScheduleController(building.info)
    monday = datetime(2026, 1, 5)
    assert controller.in_comfort_period(monday.replace(hour=7))
    assert not controller.in_comfort_period(monday.replace(hour=12))
    assert controller.in_comfort_period(monday.replace(day=10, hour=12))  # Saturday
    targets = []
    for _ in range(1440):
        building.step()
        for command in controller.step(building.take_view()):
            building.apply(command)
            if (
                command.domain == "climate"
                and command.entity_id == "climate.living_room"
            ):
                targets.append((building.now.hour, command.data["temperature"]))
    assert targets == [(0, 17.0), (6, 21.0), (8, 17.0), (17, 21.0), (22, 17.0)]


def test_reactive_controller_lights_and_heats_where_motion_is() -> None:
    building = Building(load_scenario("apartment"), seed=4)
    controller = CONTROLLERS["reactive"](building.info)
    commands = []
    for _ in range(2 * 1440):
        building.step()
        for command in controller.step(building.take_view()):
            building.apply(command)
            commands.append(command)
    services = {(c.domain, c.service) for c in commands}
    assert services == {
        ("climate", "set_temperature"),
        ("light", "turn_on"),
        ("light", "turn_off"),
    }
    targets = {c.data["temperature"] for c in commands if c.domain == "climate"}
    assert targets == {21.0, 17.0}


def test_registry_has_the_baselines() -> None:
    assert set(CONTROLLERS) >= {"constant", "schedule", "reactive"}
    building = Building(one_room())
    for factory in CONTROLLERS.values():
        controller = factory(building.info)
        building.run(controller, 10)


def test_constant_controller_holds_comfort_against_changes() -> None:
    building = Building(load_scenario("family_home"))
    controller = CONTROLLERS["constant"](building.info)
    sent = list(controller.step(building.take_view()))
    assert len(sent) == 6
    for command in sent:
        building.apply(command)
    assert list(controller.step(building.take_view())) == []  # all at comfort now
    building.apply(
        Command("climate", "set_temperature", "climate.study", {"temperature": 25.0})
    )
    reverted_at = None
    for minute in range(120):
        building.step()
        for command in controller.step(building.take_view()):
            if command.entity_id == "climate.study":
                reverted_at = reverted_at if reverted_at is not None else minute
            building.apply(command)
    # The study was last commanded at the start, so it is set back within the hour.
    assert reverted_at is not None
    assert reverted_at < 60
    assert building.states["climate.study"].attributes["temperature"] == 21.0


def _crossings_and_door_openings(left_open: float) -> tuple[int, int]:
    """Return 3 days' crossings of the kitchen's door and the openings its contact saw."""
    scenario = load_scenario("family_home")
    scenario = replace(
        scenario,
        zones=tuple(replace(zone, door_left_open=left_open) for zone in scenario.zones),
    )
    building = Building(scenario, seed=3)
    zone = building.zone_index["kitchen"]
    door = entity_id_for("kitchen", "door")
    building.take_view()
    crossings = openings = 0
    for _ in range(3 * 1440):
        before = list(building.position)
        building.step()
        crossings += sum(
            (old == zone) != (new == zone)
            for old, new in zip(before, building.position, strict=True)
        )
        openings += sum(
            change.entity_id == door and change.new.state == "on"
            for change in building.take_view().changes
        )
    return crossings, openings


def test_a_door_contact_misses_whoever_goes_through_a_door_left_open() -> None:
    crossings, openings = _crossings_and_door_openings(0.0)
    # Shut behind everyone, the door is seen opened for each of them (two people
    # through it in one minute open it once).
    assert 0.9 * crossings <= openings <= crossings
    crossings, openings = _crossings_and_door_openings(1.0)
    assert crossings > 30
    assert openings == 1  # opened once and never shut again
    # Left open half the time, it is shut (and seen opened) before half of them.
    crossings, openings = _crossings_and_door_openings(0.5)
    assert 0.3 * crossings < openings < 0.7 * crossings


def test_open_plan_office_areas_have_no_door_contact() -> None:
    info = Building(load_scenario("office_floor")).info
    doors = {zone.zone_id: zone.entity("door") for zone in info.zones}
    assert doors["open_office_1"] is None
    assert doors["kitchen"] is None
    assert doors["meeting_1"] == entity_id_for("meeting_1", "door")
