"""Lighting as people live with it: evenings, dimming and switching off by hand.

Real demo lamps and a light sensor in the living room, days of a household's
habits played through, and what the lamps do (and what we say) at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.demo.light import DemoLight
from homeassistant.components.light import LightEntityFeature
from homeassistant.const import (
    EVENT_CALL_SERVICE,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.aiot_brain.brain.lighting import LightingPreference
from custom_components.aiot_brain.brain.observation import Role
from custom_components.aiot_brain.const import DOMAIN, EVENT_ACTION, EVENT_HOLD

from .test_acting import (
    CONTROL,
    DOOR,
    HALL_MOTION,
    LAMP,
    MOTION,
    START,
    build_lamps_and_group,
    build_living_room,
    coordinator_of,
    lamp,
    minutes_pass,
    seconds_pass,
    set_state,
    setup_brain,
    taught_that_moving_on_leaves_the_living_room_empty,
)
from .test_whereabouts import PHONES, set_up_people

ILLUMINANCE = "sensor.living_room_illuminance"
GROUP = "light.living_room_lights"


async def lamp_room(hass: HomeAssistant, lux: float | None = None) -> None:
    """The living room with its lamp (and a light sensor reading ``lux``), set up."""
    await build_living_room(hass, climates=[], lights=[lamp()])
    if lux is not None:
        await add_light_sensor(hass, lux)
    await setup_brain(hass)


def add_sensor(
    hass: HomeAssistant, object_id: str, device_class: str, unit: str
) -> None:
    """A sensor of ``device_class`` in the living room."""
    area = ar.async_get(hass).async_get_area_by_name("Living room")
    assert area is not None
    entities = er.async_get(hass)
    sensor = entities.async_get_or_create(
        "sensor",
        "test",
        object_id,
        suggested_object_id=object_id,
        original_device_class=device_class,
        unit_of_measurement=unit,
    )
    entities.async_update_entity(sensor.entity_id, area_id=area.id)


async def add_light_sensor(hass: HomeAssistant, lux: float) -> None:
    """A light sensor in the living room, reading ``lux``."""
    add_sensor(hass, "living_room_illuminance", "illuminance", "lx")
    await set_lux(hass, lux)


async def set_lux(hass: HomeAssistant, lux: float) -> None:
    hass.states.async_set(
        ILLUMINANCE,
        str(lux),
        {"unit_of_measurement": "lx", "device_class": "illuminance"},
    )
    await hass.async_block_till_done()


def local(day: int, hour: float) -> datetime:
    """The local time ``hour`` on the ``day``-th day after the start."""
    start = dt_util.as_local(START).replace(hour=0, minute=0)
    return start + timedelta(days=day, hours=hour)


async def clock_at(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime
) -> None:
    """Move the clock to ``when`` and let its minute pass as Home Assistant sees it."""
    freezer.move_to(when)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def lamp_reason(hass: HomeAssistant) -> str:
    """What the area's Control sensor says of the lamp."""
    return str(hass.states.get(CONTROL).attributes["reasons"][LAMP])


async def lighting_explained(hass: HomeAssistant) -> str:
    """What the explain action says of the living room's lighting."""
    response = await hass.services.async_call(
        DOMAIN,
        "explain",
        {"area_id": "living_room"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return str(response["zones"]["living_room"]["predictions"]["lighting"])  # type: ignore[index]


async def by_hand(
    hass: HomeAssistant, user: MockUser, service: str, **data: object
) -> None:
    """A person switches the living room lamp from the app."""
    await hass.services.async_call(
        "light",
        service,
        {"entity_id": LAMP, **data},
        blocking=True,
        context=Context(user_id=user.id),
    )


async def test_switching_the_lamp_off_at_bedtime_does_not_teach_that_dusk_is_bright(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await lamp_room(hass, lux=300)

    for day in range(7):
        # Home at dusk: the lamp comes on. At bedtime someone switches it off in
        # the dark room and goes; the morning is bright.
        await clock_at(hass, freezer, local(day, 18))
        await set_lux(hass, 20)
        await clock_at(hass, freezer, local(day, 18.5))
        await set_state(hass, MOTION, STATE_ON)
        assert hass.states.get(LAMP).state == STATE_ON, (day, lamp_reason(hass))
        await clock_at(hass, freezer, local(day, 23))
        await set_lux(hass, 0)
        await by_hand(hass, hass_admin_user, "turn_off")
        await set_state(hass, MOTION, STATE_OFF)
        await clock_at(hass, freezer, local(day + 1, 8))
        await set_lux(hass, 300)


async def test_dimming_in_the_evening_teaches_no_colour_nobody_chose(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await lamp_room(hass)

    for day in range(4):
        # Home in the afternoon, the sun still high: the lamp comes on in
        # daytime white. After dinner someone dims it, leaving its colour; at
        # bedtime it goes off.
        await clock_at(hass, freezer, local(day, 15))
        await set_state(hass, MOTION, STATE_ON)
        assert hass.states.get(LAMP).attributes["color_temp_kelvin"] == 4000
        await clock_at(hass, freezer, local(day, 19.5))
        await by_hand(hass, hass_admin_user, "turn_on", brightness_pct=30)
        await clock_at(hass, freezer, local(day, 23))
        await by_hand(hass, hass_admin_user, "turn_off")
        await set_state(hass, MOTION, STATE_OFF)

    # Home late one evening: dimmed as they like it, in the evening's warm light.
    await clock_at(hass, freezer, local(4, 19.5))
    await set_state(hass, MOTION, STATE_ON)
    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    assert round(light.attributes["brightness"] / 2.55) < 50
    assert light.attributes["color_temp_kelvin"] == 2700, lamp_reason(hass)


async def test_a_lamp_dimmed_in_a_group_teaches_its_level_not_the_groups_mean(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    calls = await build_lamps_and_group(hass, ["light.ceiling", "light.reading"])
    await setup_brain(hass)

    # The room's lamps come on in the evening; someone dims the reading lamp
    # they sit under to 20 %, and at bedtime switches the room off.
    await clock_at(hass, freezer, local(0, 19))
    await set_state(hass, MOTION, STATE_ON)
    await clock_at(hass, freezer, local(0, 19.1))
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": "light.reading", "brightness_pct": 20},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await clock_at(hass, freezer, local(0, 23))
    await hass.services.async_call(
        "light",
        "turn_off",
        {"entity_id": GROUP},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await set_state(hass, MOTION, STATE_OFF)

    # One lamp dimmed once: the group's mean of the two lamps (50 %), or the
    # reading lamp alone still on while the room went off, nobody chose.
    assert "from 1 manual adjustment " in await lighting_explained(hass)
    once = LightingPreference()
    once.learn_one(local(0, 19.1), {"light_brightness": 20.0}, manual=True)
    await clock_at(hass, freezer, local(1, 19))
    await set_state(hass, MOTION, STATE_ON)
    assert calls[-1].data["entity_id"] == GROUP
    assert calls[-1].data["data"]["brightness_pct"] == round(
        once.predict_one(local(1, 19), {})["brightness"]
    )


class WarmestAt3000K(DemoLight):
    """A bulb whose whites go down to 3000 K only, over a radio: it takes a call
    and reports a moment later, in a context of its own, the nearest white it has.
    """

    _attr_min_color_temp_kelvin = 3000
    _attr_max_color_temp_kelvin = 6500
    asked: dict[str, Any]

    async def async_turn_on(self, **kwargs: Any) -> None:
        self.asked = kwargs

    async def async_report(self) -> None:
        asked = dict(self.asked)
        if (kelvin := asked.get("color_temp_kelvin")) is not None:
            asked["color_temp_kelvin"] = min(max(kelvin, 3000), 6500)
        self.async_set_context(Context())
        await DemoLight.async_turn_on(self, **asked)
        await self.hass.async_block_till_done()


async def test_a_lamp_of_a_group_showing_the_nearest_white_it_has_is_not_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The group is sent 2700 K, which the reading lamp cannot show (Home
    Assistant sends it on as it is): it reports 3000 K, and the group's mean
    moves with it. That is our call, not a hand; its level still must be ours.
    """
    freezer.move_to(START)
    calls = await build_lamps_and_group(
        hass, ["light.ceiling", "light.reading"], reading_kind=WarmestAt3000K
    )
    (platform,) = [p for p in async_get_platforms(hass, "test") if p.domain == "light"]
    reading = platform.entities["light.reading"]
    assert isinstance(reading, WarmestAt3000K)
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass)
    lighting = coordinator_of(entry).brain.zone("living_room").lighting
    await clock_at(hass, freezer, local(0, 19))
    await set_state(hass, MOTION, STATE_ON)
    assert calls[-1].data["entity_id"] == GROUP
    assert calls[-1].data["data"]["color_temp_kelvin"] == 2700

    await seconds_pass(hass, freezer, 20)
    await reading.async_report()
    shown = hass.states.get("light.reading").attributes
    assert (shown["color_temp_kelvin"], shown["brightness"]) == (3000, 204)
    assert hass.states.get(GROUP).attributes["color_temp_kelvin"] == 2850
    assert holds == []
    assert lighting.adjustments == 0

    # Someone dims it at the lamp a moment later: theirs, the group held.
    await seconds_pass(hass, freezer, 10)
    await reading.async_turn_on(brightness=77)
    await reading.async_report()
    assert holds
    assert {hold.data["entity_id"] for hold in holds} == {GROUP}
    assert lighting.adjustments == 1


async def test_someone_walking_in_just_after_the_blinds_came_down_gets_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await lamp_room(hass, lux=300)
    await clock_at(hass, freezer, local(0, 17))

    # The blinds come down at dusk and someone walks in seconds later.
    await set_lux(hass, 5)
    freezer.tick(timedelta(seconds=20))
    await set_state(hass, MOTION, STATE_ON)

    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)


async def control_switch(hass: HomeAssistant, service: str) -> None:
    await hass.services.async_call(
        "switch",
        service,
        {"entity_id": "switch.living_room_aiot_brain_control"},
        blocking=True,
    )


async def test_a_level_set_at_dusk_is_learned_for_dusk_where_the_lamp_lights_the_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await lamp_room(hass, lux=300)
    await control_switch(hass, "turn_off")  # watching the household first

    async def switch_on_by_hand(when: datetime, lux: float, brightness: int) -> None:
        # The sensor on the ceiling sees the lamp's 150 lx a few seconds later.
        await clock_at(hass, freezer, when)
        await set_lux(hass, lux)
        await by_hand(hass, hass_admin_user, "turn_on", brightness_pct=brightness)
        freezer.tick(timedelta(seconds=5))
        await set_lux(hass, lux + 150)

    async def switch_off_by_hand(when: datetime, lux: float) -> None:
        await clock_at(hass, freezer, when)
        await by_hand(hass, hass_admin_user, "turn_off")
        freezer.tick(timedelta(seconds=5))
        await set_lux(hass, lux)

    for day in range(5):
        # At dusk they read in full light; after dark they want it low.
        await switch_on_by_hand(local(day, 18), 30, 100)
        await switch_off_by_hand(local(day, 19), 30)
        await switch_on_by_hand(local(day, 20.5), 2, 20)
        await switch_off_by_hand(local(day, 22), 2)

    await control_switch(hass, "turn_on")
    await clock_at(hass, freezer, local(5, 17.9))
    await set_lux(hass, 30)
    await clock_at(hass, freezer, local(5, 18))
    await set_state(hass, MOTION, STATE_ON)
    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    assert round(light.attributes["brightness"] / 2.55) >= 80, lamp_reason(hass)


async def test_a_lamp_switched_on_by_hand_at_a_level_is_one_adjustment(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await lamp_room(hass)

    # One evening someone switches the lamp on at 40 % (in the colour it had).
    await clock_at(hass, freezer, local(0, 19))
    await by_hand(hass, hass_admin_user, "turn_on", brightness_pct=40)
    await set_state(hass, MOTION, STATE_ON)
    kelvin = hass.states.get(LAMP).attributes["color_temp_kelvin"]
    await clock_at(hass, freezer, local(0, 23))
    await by_hand(hass, hass_admin_user, "turn_off")
    await set_state(hass, MOTION, STATE_OFF)

    assert "from 1 manual adjustment " in await lighting_explained(hass)
    once = LightingPreference()
    once.learn_one(
        local(0, 19), {"light_brightness": 40.0, "light_color_temp": kelvin}, True
    )
    expected = once.predict_one(local(1, 19), {})
    await clock_at(hass, freezer, local(1, 19))
    await set_state(hass, MOTION, STATE_ON)
    light = hass.states.get(LAMP)
    assert round(light.attributes["brightness"] / 2.55) == round(expected["brightness"])
    assert light.attributes["color_temp_kelvin"] == expected["color_temp"]


async def comes_in_through_the_door(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    *,
    shuts: bool = True,
    seen_after: int = 3,
) -> MockConfigEntry:
    """At 17:00 on the first day, someone comes into the lamp room by its door.

    The motion sensor sees them ``seen_after`` seconds after the door opens. They
    shut it behind them, unless told not to.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    entry = await setup_brain(hass)
    await clock_at(hass, freezer, local(0, 17))
    await set_state(hass, DOOR, STATE_ON)
    await seconds_pass(hass, freezer, seen_after)
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 3)
    if shuts:
        await set_state(hass, DOOR, STATE_OFF)
    return entry


async def test_sensors_back_from_a_restart_are_no_one_going_out_through_the_door(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await comes_in_through_the_door(hass, freezer)
    # ... and sits down to read.
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    assert hass.states.get(LAMP).state == STATE_ON
    # The Zigbee network restarts: its sensors are gone a minute, then back shut.
    await minutes_pass(hass, freezer, 3)
    for sensor in (MOTION, DOOR):
        await set_state(hass, sensor, STATE_UNAVAILABLE)
    await minutes_pass(hass, freezer, 1)
    for sensor in (MOTION, DOOR):
        await set_state(hass, sensor, STATE_OFF)

    # Still reading, still: the light waits for the vacancy delay, not the door's.
    await minutes_pass(hass, freezer, 12)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert "the full delay after the door: 0 exits seen" in await lighting_explained(
        hass
    )


async def test_a_door_sensor_back_open_moved_no_door_behind_the_reader(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # Someone comes in, leaves the door open and sits down to read.
    entry = await comes_in_through_the_door(hass, freezer, shuts=False)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    assert hass.states.get(LAMP).state == STATE_ON
    # The door's contact drops off the network and comes back, reading open.
    await minutes_pass(hass, freezer, 3)
    await set_state(hass, DOOR, STATE_UNAVAILABLE)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, DOOR, STATE_ON)

    # Nobody went out through it ...
    exits = coordinator_of(entry).brain.zone("living_room").lighting.exits
    assert exits.exit_door() is None
    # ... and the reader turning a page is one who sat still 8 minutes under the
    # light, as the learned quiet floor must know.
    await minutes_pass(hass, freezer, 4)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    assert exits.lit_spells[8] == 1.0
    assert sum(exits.lit_spells) == 1.0


async def switches_the_lamp_off_and_lies_still(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone switches the lamp off from the app, and the sensor clears."""
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": LAMP}, blocking=True, context=Context()
    )
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)


def assert_left_in_the_dark(hass: HomeAssistant) -> None:
    """The lamp is off, held for whoever switched it off."""
    assert hass.states.get(LAMP).state == STATE_OFF
    assert "changed by hand" in lamp_reason(hass)


async def test_a_reader_behind_the_door_they_shut_keeps_the_light_until_an_hour_unseen(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await comes_in_through_the_door(hass, freezer)
    # ... sits down to read, out of the motion sensor's sight, for 45 minutes.
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 45)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert lamp_reason(hass).endswith("the door is shut behind someone who came in")

    # Shut in across a restart too.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 5)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)

    # An hour unseen: asleep over the book, or gone out another way.
    await minutes_pass(hass, freezer, 10)
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)


async def test_someone_seen_as_they_open_the_door_to_go_out_is_not_shut_in(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await comes_in_through_the_door(hass, freezer)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    # Twenty minutes on, they get up and go out: the sensor sees them at the
    # moment the door opens, and clears as they shut it behind them.
    await minutes_pass(hass, freezer, 20)
    await set_state(hass, DOOR, STATE_ON)
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 5)
    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, DOOR, STATE_OFF)

    await minutes_pass(hass, freezer, 11)
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)


async def test_someone_who_switched_the_lamp_off_behind_their_door_stays_in_the_dark(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await comes_in_through_the_door(hass, freezer)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_ON
    # A nap: they switch the lamp off and lie still for 40 minutes.
    await switches_the_lamp_off_and_lies_still(hass, freezer)
    await minutes_pass(hass, freezer, 40)

    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 5)
    assert_left_in_the_dark(hass)


async def test_motion_a_minute_after_the_door_opened_is_no_one_it_let_in(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone steps in within seconds of the door: a minute on, it may be anyone."""
    await comes_in_through_the_door(hass, freezer, seen_after=60)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)

    await minutes_pass(hass, freezer, 25)
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)


async def test_a_door_that_stays_shut_while_people_come_and_go_keeps_no_light_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # The living room's contact is on the patio door. At noon someone comes in
    # from the garden by it and shuts it; then they go out through the hall.
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    await setup_brain(hass)
    await set_state(hass, DOOR, STATE_OFF)
    await clock_at(hass, freezer, local(0, 12))
    await set_state(hass, DOOR, STATE_ON)
    await seconds_pass(hass, freezer, 3)
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 3)
    await set_state(hass, DOOR, STATE_OFF)
    await minutes_pass(hass, freezer, 5)
    await set_state(hass, MOTION, STATE_OFF)

    # In the evening someone comes in through the hall, the patio door unmoved.
    await clock_at(hass, freezer, local(0, 17))
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    assert hass.states.get(LAMP).state == STATE_ON

    await minutes_pass(hass, freezer, 25)
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)


async def switched_off_on_the_sofa(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Anna, at home alone, on the living room sofa the next evening.

    The living room has learned from her trips that whoever moves on to the
    hall leaves it empty (Ben is away, his phone too). At 17:30 she comes in
    from the hall and the lamp comes on; at 18:00 she switches it off by hand,
    for a nap, and lies still.
    """
    await set_up_people(hass, anna="home", ben="not_home")
    await taught_that_moving_on_leaves_the_living_room_empty(hass, freezer)
    await clock_at(hass, freezer, local(1, 17.4))
    await set_state(hass, HALL_MOTION, STATE_ON)  # on her way in
    await clock_at(hass, freezer, local(1, 17.5))
    await set_state(hass, HALL_MOTION, STATE_OFF)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    await clock_at(hass, freezer, local(1, 18))
    await switches_the_lamp_off_and_lies_still(hass, freezer)


async def test_someone_who_switched_the_lamp_off_gets_no_light_when_they_stir(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await switched_off_on_the_sofa(hass, freezer)
    # Half an hour still in the dark, long enough for the heating to count the
    # room empty; then she turns over.
    await minutes_pass(hass, freezer, 30)
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 5)
    assert_left_in_the_dark(hass)


async def test_someone_back_after_switching_the_lamp_off_and_leaving_home_gets_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await switched_off_on_the_sofa(hass, freezer)
    # She goes out by the patio, unseen by the hall; her phone leaves home.
    await minutes_pass(hass, freezer, 5)
    hass.states.async_set(PHONES["anna"], "not_home")
    await minutes_pass(hass, freezer, 40)
    hass.states.async_set(PHONES["anna"], "home")
    await hass.async_block_till_done()
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 5)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)


async def test_someone_back_after_switching_the_lamp_off_and_going_out_gets_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await switched_off_on_the_sofa(hass, freezer)
    # Up again, she goes out through the hall, and comes back 30 min later.
    await minutes_pass(hass, freezer, 5)
    await set_state(hass, HALL_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, HALL_MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 30)
    await set_state(hass, HALL_MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 20)
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 5)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)


async def test_someone_back_for_their_phone_gets_the_light_back_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await comes_in_through_the_door(hass, freezer)
    await minutes_pass(hass, freezer, 5)
    assert hass.states.get(LAMP).state == STATE_ON
    # They go out through the door; the light goes off behind them.
    await set_state(hass, MOTION, STATE_OFF)
    await seconds_pass(hass, freezer, 20)
    await set_state(hass, DOOR, STATE_ON)
    await seconds_pass(hass, freezer, 5)
    await set_state(hass, DOOR, STATE_OFF)
    for _ in range(12):
        await minutes_pass(hass, freezer, 1)
        if hass.states.get(LAMP).state == STATE_OFF:
            break
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)

    # Two minutes later they are back for their phone: light, not a wait.
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, DOOR, STATE_ON)
    await seconds_pass(hass, freezer, 3)
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 5)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)


async def test_explain_says_when_the_learned_vacancy_delay_applies(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)

    # The light waits far longer than the 10 minutes learned for someone
    # sitting still: until P(occupied) says the room is surely empty.
    await minutes_pass(hass, freezer, 18)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 3)
    assert hass.states.get(LAMP).state == STATE_OFF
    assert actions[-1].data["reason"].startswith("Switching off")
    explained = await lighting_explained(hass)
    assert "vacancy delay 10 min once the room is surely empty" in explained
    # With no light sensor, no ambient band was read.
    assert explained.startswith("no illuminance reading")
    assert " when dim" not in explained


HUMIDITY = "sensor.living_room_humidity"
TEMPERATURE = "sensor.living_room_temperature"


async def set_air(hass: HomeAssistant, humidity: float) -> None:
    """The room's air reads ``humidity`` % at 22 °C."""
    for entity_id, value, unit, device_class in (
        (TEMPERATURE, 22.0, "°C", "temperature"),
        (HUMIDITY, humidity, "%", "humidity"),
    ):
        attributes = {"unit_of_measurement": unit, "device_class": device_class}
        hass.states.async_set(entity_id, str(round(value, 1)), attributes)
    await hass.async_block_till_done()


async def test_the_light_stays_on_for_someone_showering_out_of_the_sensors_view(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    add_sensor(hass, "living_room_humidity", "humidity", "%")
    add_sensor(hass, "living_room_temperature", "temperature", "°C")
    await set_air(hass, 55.0)
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 30)

    # Someone comes in, undresses and showers 25 minutes behind the curtain,
    # where the motion sensor cannot see them: the air grows damp.
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)
    assert hass.states.get(LAMP).state == STATE_ON
    for minute in range(25):
        await set_air(hass, 55.0 + 1.4 * minute)
        await minutes_pass(hass, freezer, 1)
        assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert lamp_reason(hass) == (
        "Living room's light stays on: humidity is rising as a shower makes it"
    )

    # They dry off, go out, and the damp air lingers: the light goes off after
    # the quiet as for any room.
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await set_state(hass, MOTION, STATE_OFF)
    for minute in range(30):
        await set_air(hass, 89.0 - 0.5 * minute)
        await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_OFF


@pytest.fixture
async def sun(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's sun over the test's home (San Diego), from the start on."""
    freezer.move_to(START)
    entry = MockConfigEntry(domain="sun")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_a_light_sensor_that_stopped_reading_leaves_no_one_in_the_dark(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await lamp_room(hass, lux=300)

    # Its battery dies on a bright afternoon.
    await clock_at(hass, freezer, local(0, 15))
    await set_state(hass, ILLUMINANCE, STATE_UNAVAILABLE)

    # Home after dark: with nothing reading the light, light is wanted.
    await clock_at(hass, freezer, local(0, 19))
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)


async def dimmed_late_at_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, user: MockUser, day: int
) -> None:
    """At 22:00 the lamp comes on in the dark and is dimmed to 20 %; off at 23:00."""
    await clock_at(hass, freezer, local(day, 22))
    await set_lux(hass, 2)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await by_hand(hass, user, "turn_on", brightness_pct=20)
    await clock_at(hass, freezer, local(day, 23))
    await by_hand(hass, user, "turn_off")
    await set_state(hass, MOTION, STATE_OFF)


async def test_a_lamp_dimmed_at_night_comes_on_bright_on_a_dark_morning(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await lamp_room(hass, lux=300)

    # A week of late evenings: the lamp comes on in the dark and is dimmed to 20 %.
    for day in range(7):
        await dimmed_late_at_night(hass, freezer, hass_admin_user, day)

    # A dark winter morning: the night's dimming is no one's wish for it.
    await clock_at(hass, freezer, local(7, 7))
    await set_lux(hass, 2)
    await set_state(hass, MOTION, STATE_ON)
    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    assert round(light.attributes["brightness"] / 2.55) == 80, lamp_reason(hass)


def under_the_sun[Test: Callable[..., Any]](test: Test) -> Test:
    """Run ``test`` under the sun, whose polling timer outlives every test."""
    test = pytest.mark.parametrize("expected_lingering_timers", [True])(test)
    return pytest.mark.usefixtures("sun")(test)


async def arrive(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime
) -> None:
    """Someone walks into the living room at ``when``."""
    await clock_at(hass, freezer, when)
    await set_state(hass, MOTION, STATE_ON)


async def switched_off_at_once_at_one(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, user: MockUser, day: int
) -> None:
    """At 13:00 (sun at 37°) the lamp comes on; someone switches it off at once."""
    await arrive(hass, freezer, local(day, 13))
    assert hass.states.get(LAMP).state == STATE_ON, (day, lamp_reason(hass))
    await minutes_pass(hass, freezer, 1)
    await by_hand(hass, user, "turn_off")
    await set_state(hass, MOTION, STATE_OFF)


@under_the_sun
async def test_a_room_without_a_light_sensor_learns_when_the_sun_lights_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    await lamp_room(hass)

    # Two days the lamp comes on after lunch and is switched off at once: one
    # switch-off alone may be someone who came in for a moment and went.
    for day in (1, 2):
        await switched_off_at_once_at_one(hass, freezer, hass_admin_user, day)

    await arrive(hass, freezer, local(3, 13))
    assert hass.states.get(LAMP).state == STATE_OFF
    reason = lamp_reason(hass)
    assert "stays off: bright enough without it (sun at 37°, learned bright" in reason
    assert "from 2 manual switches" in reason
    await set_state(hass, MOTION, STATE_OFF)

    # After dusk the room is dark again.
    await arrive(hass, freezer, local(3, 18))
    assert hass.states.get(LAMP).state == STATE_ON
    assert "it is dark (sun at -14°, learned bright enough above" in lamp_reason(hass)


@under_the_sun
async def test_the_lamp_switched_on_by_hand_in_daylight_brings_light_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    await lamp_room(hass)
    for day in (1, 2):
        await switched_off_at_once_at_one(hass, freezer, hass_admin_user, day)

    # A dull day: the lamp stays off, and someone switches it on themselves;
    # an hour later they switch it off as they go.
    await arrive(hass, freezer, local(3, 13))
    assert hass.states.get(LAMP).state == STATE_OFF
    await minutes_pass(hass, freezer, 1)
    await by_hand(hass, hass_admin_user, "turn_on")
    await clock_at(hass, freezer, local(3, 14))
    await by_hand(hass, hass_admin_user, "turn_off")
    await set_state(hass, MOTION, STATE_OFF)

    # At that height of the sun the room gets light again.
    await arrive(hass, freezer, local(4, 13))
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)


@under_the_sun
async def test_a_windowless_room_lit_at_noon_keeps_getting_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    await lamp_room(hass)

    # In the light all through their stay; switched off as they go.
    for day in (1, 2, 3):
        await arrive(hass, freezer, local(day, 13))
        assert hass.states.get(LAMP).state == STATE_ON, (day, lamp_reason(hass))
        await minutes_pass(hass, freezer, 40)
        await by_hand(hass, hass_admin_user, "turn_off")
        await set_state(hass, MOTION, STATE_OFF)

    await arrive(hass, freezer, local(4, 13))
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    await minutes_pass(hass, freezer, 1)  # explained as of the minute
    assert (
        "light is assumed wanted (sun at 37°; 0 of 2 switch-offs by hand in daylight"
        in await lighting_explained(hass)
    )


@under_the_sun
async def test_a_room_with_a_light_sensor_goes_by_it_not_by_the_sun(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    # A north room: 20 lx at noon, under the same high sun.
    await lamp_room(hass, lux=20)
    for day in (1, 2):
        await switched_off_at_once_at_one(hass, freezer, hass_admin_user, day)

    # Two switch-offs move the lux threshold a little, nowhere near 20 lx.
    await arrive(hass, freezer, local(3, 13))
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    explained = await lighting_explained(hass)
    assert explained.startswith("ambient 20 lx is below the learned threshold")
    assert "sun" not in explained + lamp_reason(hass)
    # Nor is it told where the sun stands.
    coordinator = coordinator_of(hass.config_entries.async_entries(DOMAIN)[0])
    assert Role.SUN_ELEVATION not in coordinator.brain.zone("living_room").latest


@under_the_sun
async def test_what_the_sun_taught_a_room_survives_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    await lamp_room(hass)
    for day in (1, 2):
        await switched_off_at_once_at_one(hass, freezer, hass_admin_user, day)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await arrive(hass, freezer, local(3, 13))
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)


@under_the_sun
async def test_what_the_sun_taught_a_room_holds_when_it_gets_a_light_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    await lamp_room(hass)
    for day in (1, 2):
        await switched_off_at_once_at_one(hass, freezer, hass_admin_user, day)

    # A light sensor comes: 30 lx after lunch, below the default 50 lx that
    # nobody has taught yet. The lamp stays off, as people taught it.
    await add_light_sensor(hass, 30)
    await arrive(hass, freezer, local(3, 13))
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)
    reason = lamp_reason(hass)
    assert "stays off: bright enough without it (sun at 37°, learned bright" in reason
    await minutes_pass(hass, freezer, 1)  # explained as of the minute
    explained = await lighting_explained(hass)
    assert explained.startswith("ambient 30 lx, its threshold not yet taught by hand")

    # Someone finds it too dark all the same and switches it on; off as they go.
    await by_hand(hass, hass_admin_user, "turn_on")
    await clock_at(hass, freezer, local(3, 14))
    await by_hand(hass, hass_admin_user, "turn_off")
    await set_state(hass, MOTION, STATE_OFF)

    # From then on the sensor decides: 30 lx is too dark for them.
    await arrive(hass, freezer, local(4, 13))
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert "sun" not in lamp_reason(hass)


async def test_a_reading_lamp_kept_dim_and_a_ceiling_light_kept_bright_each_get_theirs(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Two lamps, two habits: neither is given the mean of both."""
    freezer.move_to(START)
    reading = "light.living_room_reading"
    await build_living_room(
        hass, climates=[], lights=[lamp(), lamp("living_room_reading")]
    )
    await add_light_sensor(hass, 300)
    await setup_brain(hass)

    # A week of evenings: both come on; the reading lamp is kept at 30 %, the
    # ceiling light at full.
    for day in range(7):
        await clock_at(hass, freezer, local(day, 20))
        await set_lux(hass, 2)
        await set_state(hass, MOTION, STATE_ON)
        await minutes_pass(hass, freezer, 1)
        for entity_id, level in ((reading, 30), (LAMP, 100)):
            await hass.services.async_call(
                "light",
                "turn_on",
                {"entity_id": entity_id, "brightness_pct": level},
                blocking=True,
                context=Context(user_id=hass_admin_user.id),
            )
        await clock_at(hass, freezer, local(day, 23))
        for entity_id in (reading, LAMP):
            await hass.services.async_call(
                "light",
                "turn_off",
                {"entity_id": entity_id},
                blocking=True,
                context=Context(user_id=hass_admin_user.id),
            )
        await set_state(hass, MOTION, STATE_OFF)

    await clock_at(hass, freezer, local(7, 20))
    await set_lux(hass, 2)
    await set_state(hass, MOTION, STATE_ON)
    shown = {
        entity_id: round(hass.states.get(entity_id).attributes["brightness"] / 2.55)
        for entity_id in (reading, LAMP)
    }
    assert shown[reading] == pytest.approx(30, abs=3), lamp_reason(hass)
    assert shown[LAMP] == pytest.approx(100, abs=3), lamp_reason(hass)
    assert f"{reading} 32 % at 2700 K" in await lighting_explained(hass)


async def test_a_lamp_switched_on_at_last_nights_level_teaches_no_dim_morning(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Switched on from the wall or the app's plain on, a lamp shows its last level.

    Nobody chose that 20 % for the morning: it is the night's, remembered.
    """
    freezer.move_to(START)
    await lamp_room(hass, lux=300)
    for day in range(7):
        await dimmed_late_at_night(hass, freezer, hass_admin_user, day)
        # A dark morning: switched on as it was, and off when the day is up.
        await clock_at(hass, freezer, local(day + 1, 7))
        await by_hand(hass, hass_admin_user, "turn_on")
        assert round(hass.states.get(LAMP).attributes["brightness"] / 2.55) == 20
        await set_state(hass, MOTION, STATE_ON)
        await clock_at(hass, freezer, local(day + 1, 8))
        await by_hand(hass, hass_admin_user, "turn_off")
        await set_state(hass, MOTION, STATE_OFF)
        await set_lux(hass, 300)

    # The next dark morning someone walks in: the morning's light, not the night's.
    await clock_at(hass, freezer, local(8, 7))
    await set_lux(hass, 2)
    await set_state(hass, MOTION, STATE_ON)
    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    assert round(light.attributes["brightness"] / 2.55) == 80, lamp_reason(hass)


async def in_berlin(hass: HomeAssistant) -> None:
    """Home Assistant set up for a home in Berlin: its sun and its clock."""
    await hass.config.async_update(latitude=52.52, longitude=13.40)
    await hass.config.async_set_time_zone("Europe/Berlin")


@pytest.mark.parametrize(
    ("day", "warm"),
    [
        ("2026-12-14", True),  # the sun set at 15:52
        ("2026-06-15", False),  # the sun sets at 21:31
    ],
)
async def test_the_default_white_follows_the_sun_not_the_clock(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, day: str, warm: bool
) -> None:
    """Home at 16:30: in December it has been dark for half an hour, in June it is day."""
    await in_berlin(hass)
    freezer.move_to(
        datetime.fromisoformat(f"{day}T16:30").replace(
            tzinfo=dt_util.get_default_time_zone()
        )
    )
    await lamp_room(hass)

    await set_state(hass, MOTION, STATE_ON)
    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    kelvin = light.attributes["color_temp_kelvin"]
    if warm:
        assert kelvin <= 3000, lamp_reason(hass)
    else:
        assert kelvin >= 4000, lamp_reason(hass)


def fading_lamp() -> DemoLight:
    """A demo lamp that takes a transition: it fades in and out."""
    entity = lamp()
    entity._attr_supported_features |= LightEntityFeature.TRANSITION
    return entity


@pytest.mark.parametrize("fades", [True, False])
async def test_a_lamp_that_fades_is_faded_in_and_out_and_no_other_is(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, fades: bool
) -> None:
    freezer.move_to(START)
    await build_living_room(
        hass, climates=[], lights=[fading_lamp() if fades else lamp()]
    )
    await setup_brain(hass)
    calls = async_capture_events(hass, EVENT_CALL_SERVICE)

    # Someone comes in, then leaves the room empty.
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 30)
    assert hass.states.get(LAMP).state == STATE_OFF

    sent = {
        event.data["service"]: event.data["service_data"]
        for event in calls
        if event.data["domain"] == "light"
    }
    assert sent.keys() == {"turn_on", "turn_off"}
    if fades:
        # On at once for whoever walked in; off gently in the empty room.
        assert sent["turn_on"]["transition"] == 1
        assert 2 <= sent["turn_off"]["transition"] <= 5
    else:
        assert "transition" not in sent["turn_on"]
        assert "transition" not in sent["turn_off"]


async def report(hass: HomeAssistant, state: str, brightness_pct: float) -> None:
    """The lamp reports where it is, in a context of its own (as Zigbee lamps do)."""
    attributes = dict(hass.states.get(LAMP).attributes)
    if state == STATE_ON:
        attributes["brightness"] = round(brightness_pct * 2.55)
    hass.states.async_set(LAMP, state, attributes, context=Context())
    await hass.async_block_till_done()


async def until_off(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the minutes pass until the lamp is switched off, not one more."""
    for _ in range(30):
        await minutes_pass(hass, freezer, 1)
        if hass.states.get(LAMP).state == STATE_OFF:
            return
    pytest.fail(lamp_reason(hass))


async def test_a_lamp_reporting_its_way_through_our_fade_is_no_persons_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[fading_lamp()])
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass)
    lighting = coordinator_of(entry).brain.zone("living_room").lighting

    # Someone comes in: the lamp fades up to 80 %, reporting on its way.
    await set_state(hass, MOTION, STATE_ON)
    assert round(hass.states.get(LAMP).attributes["brightness"] / 2.55) == 80
    for level in (10, 45, 80):
        await report(hass, STATE_ON, level)
    assert holds == []

    # The room empties: the lamp fades out, reporting on its way.
    await set_state(hass, MOTION, STATE_OFF)
    await until_off(hass, freezer)
    for level in (60, 20):
        await report(hass, STATE_ON, level)
    await report(hass, STATE_OFF, 0)
    assert holds == []
    assert lighting.adjustments == 0  # nobody chose any of those levels

    # Long after the fade, someone switches it on at 20 % on the wall: theirs.
    await minutes_pass(hass, freezer, 1)
    await report(hass, STATE_ON, 20)
    assert len(holds) == 1


@pytest.mark.parametrize(
    ("brightness_left_out", "persons"),
    [(False, (STATE_ON, 30)), (True, (STATE_OFF, 0))],
)
async def test_a_lamp_reporting_on_before_its_level_is_no_persons_change(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    brightness_left_out: bool,
    persons: tuple[str, float],
) -> None:
    """Some Zigbee and cloud lamps report our call as on with no level (brightness
    None, or left out), and their level a moment later, each in a context of its
    own: both are our call arriving. Another level, or off, just after is a hand's.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass)
    lighting = coordinator_of(entry).brain.zone("living_room").lighting
    await set_state(hass, MOTION, STATE_ON)
    assert round(hass.states.get(LAMP).attributes["brightness"] / 2.55) == 80

    attributes = dict(hass.states.get(LAMP).attributes)
    if brightness_left_out:
        del attributes["brightness"]
    else:
        attributes["brightness"] = None
    hass.states.async_set(LAMP, STATE_ON, attributes, context=Context())
    await seconds_pass(hass, freezer, 1)
    await report(hass, STATE_ON, 80)
    assert holds == []
    assert lighting.adjustments == 0

    await seconds_pass(hass, freezer, 10)
    await report(hass, *persons)
    assert len(holds) == 1


async def test_someone_who_switched_the_lamp_off_for_a_film_stays_in_the_dark(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """No door to tell who is in: the TV playing since the lamp went off does."""
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    tv = er.async_get(hass).async_get_or_create(
        "media_player",
        "test",
        "tv",
        suggested_object_id="tv",
        original_device_class="tv",
    )
    er.async_get(hass).async_update_entity(tv.entity_id, area_id="living_room")
    await setup_brain(hass)
    await clock_at(hass, freezer, local(0, 20))
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_ON
    hass.states.async_set(tv.entity_id, "playing", {"device_class": "tv"})
    await switches_the_lamp_off_and_lies_still(hass, freezer)
    await minutes_pass(hass, freezer, 40)

    await set_state(hass, MOTION, STATE_ON)  # reaching for a drink
    await seconds_pass(hass, freezer, 5)
    assert_left_in_the_dark(hass)

    # The film is over and they get up: the lamp is theirs to switch on.
    hass.states.async_set(tv.entity_id, "off", {"device_class": "tv"})
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_OFF


@pytest.mark.parametrize(
    "reports",
    [
        # Pressed "on" at its remote a few seconds on: back at its last level.
        [(5, 80)],
        # Shown at 40 % on its way out (our fade), then brought back to 80 % there.
        [(0, 40), (3, 80)],
    ],
)
async def test_a_lamp_brought_back_up_at_its_remote_as_it_fades_out_is_a_hand(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    reports: list[tuple[int, int]],
) -> None:
    """Someone reading still sees the lamp fade out on them and brings it back.

    A lamp that fades goes off over three seconds in a room that looks empty; the
    reader uses its remote (a Hue dimmer: no user, no automation). A fade out only
    dims: that is a hand on the lamp, held, and not switched off on them again a
    few minutes later.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[fading_lamp()])
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass)

    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    await until_off(hass, freezer)
    for wait, level in reports:
        assert holds == []
        await seconds_pass(hass, freezer, wait)
        await report(hass, STATE_ON, level)
    assert hass.states.get(LAMP).state == STATE_ON

    await minutes_pass(hass, freezer, 10)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert len(holds) == 1
