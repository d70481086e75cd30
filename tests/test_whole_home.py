"""One thermostat for a whole floor or home: it heats the rooms without their own.

A Nest or an ecobee in the hallway drives the central heating of every room; people
pass through the hallway, and sit in the living room. The thermostats are Home
Assistant's demo entities; motion sensors are plain states.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    entity_registry as er,
    floor_registry as fr,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    setup_test_component_platform,
)

from custom_components.aiot_brain.brain.control import ControlSettings
from custom_components.aiot_brain.brain.zone import EarlyArrival, ZonePrediction
from custom_components.aiot_brain.controller import merged_prediction
from custom_components.aiot_brain.discovery import async_discover

from .test_acting import (
    START,
    minutes_pass,
    set_state,
    setup_brain,
    target,
    thermostat,
)
from .test_coordinator import add_entity

HALLWAY = "climate.hallway"
HALLWAY_MOTION = "binary_sensor.hallway_motion"
LIVING_MOTION = "binary_sensor.living_room_motion"
BEDROOM_MOTION = "binary_sensor.bedroom_motion"


async def build_home(
    hass: HomeAssistant,
    floors: dict[str | None, dict[str, bool]],
    *,
    unwatched: tuple[str, ...] = (),
) -> None:
    """Areas on floors (None: no floor), each with motion, and a thermostat if True.

    Floors and areas are named as given; entities take the area's name, in lower
    case with underscores. The ``unwatched`` areas have no motion sensor.
    """
    climates = [
        thermostat(_slug(name), [HVACMode.HEAT, HVACMode.OFF])
        for areas in floors.values()
        for name, heated in areas.items()
        if heated
    ]
    setup_test_component_platform(hass, "climate", climates)
    assert await async_setup_component(
        hass, "climate", {"climate": {"platform": "test"}}
    )
    await hass.async_block_till_done()
    entities = er.async_get(hass)
    for floor_name, areas in floors.items():
        floor_id = (
            None
            if floor_name is None
            else fr.async_get(hass).async_create(floor_name).floor_id
        )
        for name, heated in areas.items():
            area = ar.async_get(hass).async_create(name, floor_id=floor_id)
            if heated:
                entities.async_update_entity(f"climate.{area.id}", area_id=area.id)
            if name in unwatched:
                continue
            motion = add_entity(
                hass,
                "binary_sensor",
                f"{area.id}_motion",
                area.id,
                original_device_class="motion",
            )
            hass.states.async_set(motion, STATE_OFF)


def _slug(name: str) -> str:
    return name.lower().replace(" ", "_")


async def setup_home(hass: HomeAssistant, *areas: str) -> MockConfigEntry:
    return await setup_brain(hass, zones=tuple(_slug(area) for area in areas))


async def someone_moves_about(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, motion: str, minutes: int
) -> None:
    """Someone sits in a room for ``minutes``, moving every ten minutes."""
    for _ in range(minutes // 10):
        await set_state(hass, motion, STATE_ON)
        await set_state(hass, motion, STATE_OFF)
        await minutes_pass(hass, freezer, 10)


def reason(hass: HomeAssistant, area: str = "hallway") -> str:
    """The reason the Control sensor of ``area`` gives for its thermostat."""
    control = hass.states.get(f"sensor.{area}_aiot_brain_control")
    reasons: dict[str, str] = control.attributes["reasons"]
    return reasons[f"climate.{area}"]


async def test_a_hallway_thermostat_keeps_the_living_room_warm_all_evening(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Passed through at two, the hallway is empty; the family sits next door."""
    freezer.move_to(START)  # Monday, 14:00
    await build_home(hass, {None: {"Hallway": True, "Living room": False}})
    await setup_home(hass, "Hallway", "Living room")
    await set_state(hass, HALLWAY_MOTION, STATE_ON)
    await set_state(hass, HALLWAY_MOTION, STATE_OFF)

    # 14:00 to 21:00 in the living room, nobody in the hallway.
    seen = set()
    for _ in range(7):
        await someone_moves_about(hass, freezer, LIVING_MOTION, 60)
        seen.add(target(hass, HALLWAY))
    assert seen == {20.0}
    assert reason(hass).startswith("Hallway already heating to 20.0 °C: occupied")
    assert "in Living room" in reason(hass)


async def test_the_home_is_set_back_once_everyone_has_left_every_room(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)  # Monday, 14:00
    await build_home(hass, {None: {"Hallway": True, "Living room": False}})
    await setup_home(hass, "Hallway", "Living room")
    await someone_moves_about(hass, freezer, LIVING_MOTION, 60)
    assert target(hass, HALLWAY) == 20.0

    # Out through the hallway at 15:00: every room empty.
    await set_state(hass, HALLWAY_MOTION, STATE_ON)
    await set_state(hass, HALLWAY_MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 10)
    assert target(hass, HALLWAY) == 20.0  # not empty for long yet
    await minutes_pass(hass, freezer, 50)

    assert target(hass, HALLWAY) == 16.0
    assert "setback: the home is empty since 15:" in reason(hass)


@pytest.mark.parametrize(
    "layout",
    [
        {None: {"Hallway": True, "Living room": False, "Bedroom": False}},
        # Floors set up, the only thermostat downstairs: bed is upstairs.
        {
            "Ground floor": {"Hallway": True, "Living room": False},
            "Upstairs": {"Bedroom": False, "Balcony": False},
        },
    ],
    ids=["no floors", "bed upstairs"],
)
async def test_the_home_sleeps_at_the_sleep_temperature(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    layout: dict[str | None, dict[str, bool]],
) -> None:
    """An evening in the living room, then to bed at half past ten: not set back."""
    freezer.move_to(START)  # Monday, 14:00
    await build_home(hass, layout)
    # The balcony is heated by nothing.
    served = {server: set(rooms) for server, rooms in async_discover(hass).serves}
    assert served == {"hallway": {"living_room", "bedroom"}}
    await setup_home(hass, "Hallway", "Living room", "Bedroom")
    await set_state(hass, HALLWAY_MOTION, STATE_ON)
    await set_state(hass, HALLWAY_MOTION, STATE_OFF)
    await someone_moves_about(hass, freezer, LIVING_MOTION, 8 * 60 + 30)  # to 22:30
    assert target(hass, HALLWAY) == 20.0

    await someone_moves_about(hass, freezer, BEDROOM_MOTION, 10)
    await minutes_pass(hass, freezer, 50)  # 23:30
    # Lying still looks empty, as in any bedroom, until a sleeper turns over.
    await someone_moves_about(hass, freezer, BEDROOM_MOTION, 10)
    assert target(hass, HALLWAY) == 18.5
    assert reason(hass).endswith("quiet and dark at night: sleep temperature")
    await minutes_pass(hass, freezer, 120)  # 01:40
    assert target(hass, HALLWAY) == 18.5


async def test_each_floor_follows_its_own_thermostat(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The hallway's thermostat heats downstairs, the landing's upstairs."""
    freezer.move_to(START)  # Monday, 14:00
    await build_home(
        hass,
        {
            "Ground floor": {"Hallway": True, "Living room": False},
            "Upstairs": {"Landing": True, "Bedroom": False},
        },
    )
    served = dict(async_discover(hass).serves)
    assert served == {"hallway": ("living_room",), "landing": ("bedroom",)}
    await setup_home(hass, "Hallway", "Living room", "Landing", "Bedroom")

    await someone_moves_about(hass, freezer, LIVING_MOTION, 120)
    assert target(hass, HALLWAY) == 20.0
    assert target(hass, "climate.landing") == 16.0
    assert "setback: Upstairs is empty since" in reason(hass, "landing")

    # Upstairs to work in the bedroom: downstairs is set back.
    await someone_moves_about(hass, freezer, BEDROOM_MOTION, 90)
    assert target(hass, HALLWAY) == 16.0
    assert "setback: Ground floor is empty since" in reason(hass)
    assert target(hass, "climate.landing") == 20.0
    assert "in Bedroom" in reason(hass, "landing")


async def test_a_thermostat_in_each_room_follows_its_own_room(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Where every room has its own, nothing is shared: the hallway is set back."""
    freezer.move_to(START)  # Monday, 14:00
    await build_home(hass, {None: {"Hallway": True, "Living room": True}})
    assert async_discover(hass).serves == ()
    await setup_home(hass, "Hallway", "Living room")
    await set_state(hass, HALLWAY_MOTION, STATE_ON)
    await set_state(hass, HALLWAY_MOTION, STATE_OFF)

    await someone_moves_about(hass, freezer, LIVING_MOTION, 120)
    assert target(hass, "climate.living_room") == 20.0
    assert target(hass, HALLWAY) == 16.0
    assert "setback: empty since 14:15" in reason(hass)


async def test_a_garden_or_a_room_nothing_sees_keeps_no_home_warm(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Served, a garden would heat the house for whoever mows the lawn, and a
    garage for whoever works on the car."""
    freezer.move_to(START)
    rooms = {"Hallway": True, "Garden": False, "Garage": False, "Study": False}
    await build_home(hass, {None: rooms})
    assert async_discover(hass).serves == (("hallway", ("study",)),)


async def test_a_room_moved_to_another_floor_is_heated_by_that_floors_thermostat(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)  # Monday, 14:00
    await build_home(
        hass,
        {
            "Ground floor": {"Hallway": True, "Study": False},
            "Upstairs": {"Landing": True},
        },
    )
    await setup_home(hass, "Hallway", "Study", "Landing")
    await someone_moves_about(hass, freezer, "binary_sensor.study_motion", 60)
    assert target(hass, HALLWAY) == 20.0
    assert target(hass, "climate.landing") == 16.0

    # The study was upstairs all along; its floor is set right, the floor renamed.
    upstairs = fr.async_get(hass).async_get_floor_by_name("Upstairs")
    assert upstairs is not None
    ar.async_get(hass).async_update("study", floor_id=upstairs.floor_id)
    fr.async_get(hass).async_update(upstairs.floor_id, name="First floor")
    await someone_moves_about(hass, freezer, "binary_sensor.study_motion", 60)

    assert target(hass, "climate.landing") == 20.0
    assert "in Study" in reason(hass, "landing")
    # The hallway is all the ground floor now: its own room's reason again.
    assert target(hass, HALLWAY) == 16.0
    assert "setback: empty since" in reason(hass)
    await minutes_pass(hass, freezer, 60)
    assert "setback: First floor is empty since" in reason(hass, "landing")


@pytest.mark.parametrize(
    ("floors", "unwatched", "room"),
    [
        # The hallway has no motion sensor; the living room and the bedroom have.
        (
            {None: {"Hallway": True, "Living room": False, "Bedroom": False}},
            ("Hallway",),
            "Living room",
        ),
        # The only thermostat is downstairs; the study upstairs is in its heat.
        (
            {"Ground floor": {"Hallway": True}, "Upstairs": {"Study": False}},
            (),
            "Study",
        ),
    ],
    ids=["hallway unwatched", "study upstairs"],
)
async def test_the_home_is_set_back_once_every_room_that_sees_people_is_empty(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    floors: dict[str | None, dict[str, bool]],
    unwatched: tuple[str, ...],
    room: str,
) -> None:
    """Someone in a room the hallway's thermostat heats until 14:50, then nobody."""
    freezer.move_to(START)  # Monday, 14:00
    await build_home(hass, floors, unwatched=unwatched)
    await setup_home(hass, *(name for rooms in floors.values() for name in rooms))
    motion = f"binary_sensor.{_slug(room)}_motion"
    await someone_moves_about(hass, freezer, motion, 60)
    assert target(hass, HALLWAY) == 20.0
    assert f"in {room}" in reason(hass)

    # Last seen at 14:50: every room that sees people is empty. Not "Ground
    # floor" where it heats both.
    await minutes_pass(hass, freezer, 60)
    assert target(hass, HALLWAY) == 16.0
    assert "setback: the home is empty since 15:05" in reason(hass)


async def test_a_home_where_nothing_sees_people_is_kept_at_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)  # Monday, 14:00
    await build_home(
        hass,
        {None: {"Hallway": True, "Living room": False}},
        unwatched=("Hallway", "Living room"),
    )
    await setup_home(hass, "Hallway", "Living room")
    await minutes_pass(hass, freezer, 120)
    assert target(hass, HALLWAY) == 20.0
    assert "no sensor here sees people come or go" in reason(hass)


def test_the_comfort_of_an_arrivals_hour_is_the_thermostats_own_rooms_only() -> None:
    # The hallway knows what people set at each hour; the living room and the
    # bathroom, where people are expected, have no thermostat to learn it from.
    # The hallway's own next arrival is the profile's, later than its early one.
    now = datetime(2026, 1, 6, 5, 0)
    hallway = ZonePrediction(
        when=now,
        occupancy_probability=0.05,
        occupied=False,
        forecast={},
        next_arrival=now + timedelta(hours=5),
        arrival_confidence=0.9,
        next_departure=None,
        departure_confidence=0.0,
        comfort_setpoint=21.0,
        comfort_setpoint_std=0.5,
        time_to_temperature=None,
        lighting={},
        window_open=None,
        arrival_heating_setpoint=19.0,
        early_arrival=EarlyArrival(now + timedelta(hours=3), 0.8, 19.5),
    )
    settings = ControlSettings()
    merged = merged_prediction(hallway, [hallway], settings, now)
    assert merged.next_arrival == hallway.next_arrival
    assert merged.arrival_heating_setpoint == 19.0
    assert merged.early_arrival == hallway.early_arrival
    # Someone comes into the living room first: warmed for to now's comfort.
    living_room = replace(
        hallway, next_arrival=now + timedelta(hours=1), early_arrival=None
    )
    merged = merged_prediction(hallway, [hallway, living_room], settings, now)
    assert merged.next_arrival == living_room.next_arrival
    assert merged.arrival_heating_setpoint is None
    # The bathroom's short visit, told early, comes before the hallway's.
    bathroom = replace(
        hallway,
        next_arrival=None,
        early_arrival=EarlyArrival(now + timedelta(hours=2, minutes=30), 0.7, 22.0),
    )
    merged = merged_prediction(hallway, [hallway, bathroom], settings, now)
    assert merged.early_arrival == EarlyArrival(
        now + timedelta(hours=2, minutes=30), 0.7, None
    )
