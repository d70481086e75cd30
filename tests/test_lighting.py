"""Lighting as people live with it: evenings, dimming and switching off by hand.

Real demo lamps and a light sensor in the living room, days of a household's
habits played through, and what the lamps do (and what we say) at the end.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockUser,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.aiot_brain.brain.lighting import LightingPreference
from custom_components.aiot_brain.const import DOMAIN, EVENT_ACTION

from .test_acting import (
    CONTROL,
    DOOR,
    LAMP,
    MOTION,
    START,
    build_lamps_and_group,
    build_living_room,
    lamp,
    minutes_pass,
    seconds_pass,
    set_state,
    setup_brain,
)

ILLUMINANCE = "sensor.living_room_illuminance"
GROUP = "light.living_room_lights"


async def lamp_room(hass: HomeAssistant, lux: float | None = None) -> None:
    """The living room with its lamp (and a light sensor reading ``lux``), set up."""
    await build_living_room(hass, climates=[], lights=[lamp()])
    if lux is not None:
        await add_light_sensor(hass, lux)
    await setup_brain(hass)


async def add_light_sensor(hass: HomeAssistant, lux: float) -> None:
    """A light sensor in the living room, reading ``lux``."""
    area = ar.async_get(hass).async_get_area_by_name("Living room")
    assert area is not None
    entities = er.async_get(hass)
    sensor = entities.async_get_or_create(
        "sensor",
        "test",
        "living_room_illuminance",
        suggested_object_id="living_room_illuminance",
        original_device_class="illuminance",
        unit_of_measurement="lx",
    )
    entities.async_update_entity(sensor.entity_id, area_id=area.id)
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
        # Home in the afternoon: the lamp comes on in daytime white. After
        # dinner someone dims it, leaving its colour; at bedtime it goes off.
        await clock_at(hass, freezer, local(day, 17))
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


async def test_sensors_back_from_a_restart_are_no_one_going_out_through_the_door(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()], door=True)
    await setup_brain(hass)

    # Someone comes in through the door and sits down to read.
    await clock_at(hass, freezer, local(0, 17))
    await set_state(hass, DOOR, STATE_ON)
    await seconds_pass(hass, freezer, 3)
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 3)
    await set_state(hass, DOOR, STATE_OFF)
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
    assert "someone stayed behind after 0 of 0" in await lighting_explained(hass)


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
