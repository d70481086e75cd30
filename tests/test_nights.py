"""Nights in a home: going to bed, getting up in the dark, sleepers left in peace.

Demo lights driven through real service calls; motion sensors are plain states.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)

from custom_components.aiot_brain.const import DOMAIN, EVENT_ACTION

from .test_acting import (
    CONTROL,
    LAMP,
    MOTION,
    START,
    THERMOSTAT,
    WINDOW,
    build_american_living_room,
    build_living_room,
    coordinator_of,
    lamp,
    minutes_pass,
    set_by_hand,
    set_state,
    setup_brain,
    target,
    thermostat,
)
from .test_lighting import by_hand, clock_at
from .test_odd_devices import PresetThermostat
from .test_services import call

HALL_MOTION = "binary_sensor.hall_motion"
ROOMS = ("living_room", "hall")


async def living_room_and_hall(hass: HomeAssistant, *, heated: bool = False) -> None:
    """A living room with a lamp and motion, and a hall with motion.

    ``heated``: each with a thermostat of its own.
    """
    climates = (
        [thermostat(room, [HVACMode.HEAT, HVACMode.OFF]) for room in ROOMS]
        if heated
        else []
    )
    await build_living_room(hass, climates=climates, lights=[lamp()])
    hall = ar.async_get(hass).async_create("Hall")
    entities = er.async_get(hass)
    if heated:
        entities.async_update_entity("climate.hall", area_id=hall.id)
    sensor = entities.async_get_or_create(
        "binary_sensor",
        "test",
        "hall_motion",
        suggested_object_id="hall_motion",
        original_device_class="motion",
    )
    entities.async_update_entity(sensor.entity_id, area_id=hall.id)
    hass.states.async_set(HALL_MOTION, STATE_OFF)


async def at_bedtime(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> list[Event]:
    """Set up the living room and hall at 22:30; return the actions to come."""
    freezer.move_to(START + timedelta(hours=8, minutes=30))
    await living_room_and_hall(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass, zones=("hall", "living_room"))
    return actions


async def test_someone_up_at_three_gets_a_dim_light_in_the_room_left_at_bedtime(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The living room went quiet and dark at bedtime: nobody sleeps there.

    Before anyone set a level at that hour, the light is a dim one: eyes used to
    the dark, and others asleep nearby, want no full light at 3 am.
    """
    actions = await at_bedtime(hass, freezer)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(LAMP).state == STATE_OFF  # off behind them
    await minutes_pass(hass, freezer, 3 * 60 + 25)  # 03:00

    # Down the hall for a glass of water.
    await set_state(hass, HALL_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_ON)

    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    assert round(light.attributes["brightness"] / 2.55) == 30
    assert light.attributes["color_temp_kelvin"] == 2700
    assert actions[-1].data["reason"].endswith("someone arrived and it is dark")


async def test_a_sleeper_getting_up_and_coming_back_is_left_in_the_dark(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The partner still asleep there wants no light, going or coming back."""
    actions = await at_bedtime(hass, freezer)
    # In bed in the dark: the light never came on, as a lamp switched off by hand.
    hass.states.async_set(MOTION, STATE_ON)
    await set_state(hass, LAMP, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 4 * 60 + 29)  # 03:00
    calls_before = len(actions)

    await set_state(hass, MOTION, STATE_ON)  # getting up
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, HALL_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 30)  # long enough to leave the room empty
    await set_state(hass, HALL_MOTION, STATE_OFF)
    await set_state(hass, MOTION, STATE_ON)  # back to bed

    assert hass.states.get(LAMP).state == STATE_OFF
    reason = hass.states.get(CONTROL).attributes["reasons"][LAMP]
    assert reason == "Living room's light stays off: people are asleep"
    assert len(actions) == calls_before


async def minutes_pass_until(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime
) -> None:
    """Let the minutes pass one by one until ``when``."""
    await minutes_pass(
        hass, freezer, int((when - dt_util.utcnow()) / timedelta(minutes=1))
    )


async def lamp_off_behind_someone_at_2200(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> list[Event]:
    """The living room is the only area watched; its lamp goes off behind them.

    Return the actions from 22:00 on; the clock stands at the minute the lamp
    went off.
    """
    freezer.move_to(START + timedelta(hours=8))  # 22:00
    await build_living_room(hass, climates=[], lights=[lamp()])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 5)
    await set_state(hass, MOTION, STATE_OFF)  # out to the kitchen, unwatched
    for _ in range(60):
        await minutes_pass(hass, freezer, 1)
        if hass.states.get(LAMP).state == STATE_OFF:
            return actions
    pytest.fail("the lamp never went off behind them")


@pytest.mark.parametrize("restarted", [False, True])
async def test_someone_back_minutes_after_the_lamp_went_off_behind_them_gets_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, restarted: bool
) -> None:
    """Back in the only watched room 10 minutes later: nobody sleeps there.

    Nor after a restart meanwhile: when the room was last lit is kept.
    """
    actions = await lamp_off_behind_someone_at_2200(hass, freezer)
    assert actions[-1].data["action"] == "light.turn_off"
    await minutes_pass(hass, freezer, 5)
    if restarted:
        await restart(hass, hass.config_entries.async_entries(DOMAIN)[0])
    await minutes_pass(hass, freezer, 5)

    await set_state(hass, MOTION, STATE_ON)

    assert hass.states.get(LAMP).state == STATE_ON
    assert actions[-1].data["reason"].endswith("someone arrived and it is dark")


@pytest.mark.parametrize("lamp_off", ["behind them", "by hand"])
async def test_a_sleeper_turning_over_at_three_in_the_only_watched_room_stays_dark(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    lamp_off: str,
) -> None:
    """In bed from 22:05, an hour still in the dark before turning over at 03:00.

    Whether they fell asleep reading (the lamp went off behind them) or switched
    it off themselves, whoever stirs then is a sleeper, not someone back.
    """
    if lamp_off == "by hand":
        freezer.move_to(START + timedelta(hours=8))  # 22:00
        await build_living_room(hass, climates=[], lights=[lamp()])
        actions = async_capture_events(hass, EVENT_ACTION)
        await setup_brain(hass)
        await set_state(hass, MOTION, STATE_ON)
        await minutes_pass(hass, freezer, 5)
        await by_hand(hass, hass_admin_user, "turn_off")
        await set_state(hass, MOTION, STATE_OFF)
    else:
        actions = await lamp_off_behind_someone_at_2200(hass, freezer)
    await minutes_pass_until(hass, freezer, START + timedelta(hours=12))  # 02:00
    await set_state(hass, MOTION, STATE_ON)  # turning over
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)  # 03:00
    calls_before = len(actions)

    await set_state(hass, MOTION, STATE_ON)  # turning over again
    await minutes_pass(hass, freezer, 1)

    assert hass.states.get(LAMP).state == STATE_OFF
    assert len(actions) == calls_before


async def night_light_by_hand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, user: MockUser
) -> None:
    """A parent sets the lamp to 10 % and goes out; the child lies still."""
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await by_hand(hass, user, "turn_on", brightness_pct=10)
    await minutes_pass(hass, freezer, 3)
    await set_state(hass, MOTION, STATE_OFF)


async def test_a_night_light_set_by_hand_stays_on_till_the_morning(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """The child lies still by it, and the parent went out: neither is gone."""
    freezer.move_to(START + timedelta(hours=6, minutes=30))  # 20:30
    await build_living_room(hass, climates=[], lights=[lamp()])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await night_light_by_hand(hass, freezer, hass_admin_user)

    await minutes_pass(hass, freezer, 12 * 60 + 20)  # 08:55, still night
    assert hass.states.get(LAMP).state == STATE_ON
    reason = hass.states.get(CONTROL).attributes["reasons"][LAMP]
    assert reason == "Living room's light stays on: a night light someone left on"
    # Switched off once the night is over and nobody moves there.
    await minutes_pass(hass, freezer, 10)
    assert hass.states.get(LAMP).state == STATE_OFF
    assert actions[-1].data["reason"].startswith("Switching off Living room's light")


async def test_a_reading_lamp_left_on_at_night_goes_off_once_nobody_moves(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Set bright by hand, it is no night light: left behind, it goes off."""
    freezer.move_to(START + timedelta(hours=8))  # 22:00
    await build_living_room(hass, climates=[], lights=[lamp()])
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await by_hand(hass, hass_admin_user, "turn_on", brightness_pct=60)
    await set_state(hass, MOTION, STATE_OFF)

    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(LAMP).state == STATE_OFF


async def test_a_child_asleep_by_a_night_light_gets_the_sleep_temperature(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """The night light left on leaves the room as dark as sleepers want it."""
    freezer.move_to(START + timedelta(hours=6, minutes=30))  # 20:30
    await build_living_room(hass, lights=[lamp()])
    await setup_brain(hass)
    await night_light_by_hand(hass, freezer, hass_admin_user)
    await minutes_pass(hass, freezer, 40)

    # Turning over shows the room is slept in.
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 30)

    assert hass.states.get(LAMP).state == STATE_ON
    assert target(hass) == 18.5  # the sleep temperature, not a setback
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.endswith("quiet and dark at night: sleep temperature")


async def asleep_by_a_night_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, user: MockUser
) -> MockConfigEntry:
    """A child asleep from about 21:00 by a night light set at 20:30, turning over."""
    freezer.move_to(START + timedelta(hours=6, minutes=30))  # 20:30
    await build_living_room(hass, lights=[lamp()])
    entry = await setup_brain(hass)
    await night_light_by_hand(hass, freezer, user)
    await minutes_pass(hass, freezer, 40)
    await set_state(hass, MOTION, STATE_ON)  # turning over
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 30)
    assert target(hass) == 18.5
    return entry


async def test_a_restart_at_night_leaves_a_child_asleep_by_a_night_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """The light was on before the restart: it is no light switched on by someone up."""
    entry = await asleep_by_a_night_light(hass, freezer, hass_admin_user)

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 5)

    assert hass.states.get(LAMP).state == STATE_ON
    assert target(hass) == 18.5  # still asleep, not taken to be up
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.endswith("quiet and dark at night: sleep temperature")


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Home Assistant stops and starts again: the entry unloads and sets up."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_a_restart_at_night_finds_nobody_asleep_in_a_room_empty_all_evening(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Used in the afternoon and left: set back before a restart, and after it."""
    freezer.move_to(START)  # 14:00
    await build_living_room(hass, lights=[lamp()])
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 9 * 60)  # 23:05
    assert target(hass) == 16.0

    await restart(hass, entry)
    await minutes_pass(hass, freezer, 5)

    assert target(hass) == 16.0  # no sleep temperature for nobody
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "setback: empty" in reason
    # Whoever comes in at 01:00 is no sleeper turning over: the light comes on.
    await minutes_pass(hass, freezer, 110)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON


async def test_a_restart_at_night_leaves_a_room_left_at_bedtime_set_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The living room went quiet and dark at bedtime: nobody sleeps there."""
    freezer.move_to(START + timedelta(hours=8, minutes=30))  # 22:30
    await build_living_room(hass)
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)
    assert target(hass) == 16.0

    await restart(hass, entry)
    await minutes_pass(hass, freezer, 5)

    assert target(hass) == 16.0
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "setback: empty" in reason


async def to_bed_at_2235_and_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone moves about from 22:30, lies down at 22:35; a restart at 22:40."""
    freezer.move_to(START + timedelta(hours=8, minutes=30))
    await build_living_room(hass)
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 5)
    await restart(hass, entry)


async def test_a_restart_just_after_bedtime_lets_the_room_fall_asleep(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone went to bed minutes before the restart: their room is slept in."""
    await to_bed_at_2235_and_restart(hass, freezer)
    await minutes_pass(hass, freezer, 30)
    await set_state(hass, MOTION, STATE_ON)  # turning over
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 30)

    assert target(hass) == 18.5
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.endswith("quiet and dark at night: sleep temperature")


async def test_a_restart_is_no_sleep_for_someone_who_just_lay_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Quiet 20 minutes before sleep is taken, a restart or not."""
    await to_bed_at_2235_and_restart(hass, freezer)
    await minutes_pass(hass, freezer, 5)  # 22:45, quiet for 10 minutes

    assert target(hass) == 20.0
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.endswith("occupied, motion at 22:35")


@pytest.mark.parametrize("down_hours", [12, 23])
async def test_a_sleep_before_a_long_downtime_ends(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    down_hours: int,
) -> None:
    """Down from 21:45 over the morning: nobody sleeps there now, day or evening."""
    entry = await asleep_by_a_night_light(hass, freezer, hass_admin_user)
    await by_hand(hass, hass_admin_user, "turn_off")  # in the morning, going out

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    freezer.tick(timedelta(hours=down_hours))  # 09:45, or 20:45 the next day
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 5)

    assert target(hass) == 16.0
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "setback: empty" in reason


async def test_a_lamp_dimmed_by_hand_comes_back_at_that_level_half_an_hour_later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Out of the room a while, back to the 30 % just chosen, not the evening's mean."""
    await at_bedtime(hass, freezer)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await by_hand(hass, hass_admin_user, "turn_on", brightness_pct=30)
    await minutes_pass(hass, freezer, 4)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 21)
    assert hass.states.get(LAMP).state == STATE_OFF  # off behind them

    # Back from the hall a while later.
    await minutes_pass(hass, freezer, 10)
    await set_state(hass, HALL_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_ON)
    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    assert round(light.attributes["brightness"] / 2.55) == 30
    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, HALL_MOTION, STATE_OFF)

    # The next morning: the morning's light, not last night's choice.
    await minutes_pass(hass, freezer, 9 * 60)  # 08:00
    await set_state(hass, HALL_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_ON)
    light = hass.states.get(LAMP)
    assert light.state == STATE_ON
    assert round(light.attributes["brightness"] / 2.55) == 80


async def test_a_bedroom_is_warm_by_the_time_its_people_usually_get_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Up at 06:30 on three weekday mornings: on the fourth it is warm by then.

    Whoever gets up is seen moving about in the hall; what was learned survives a
    restart.
    """
    entry = await three_mornings_up_at_half_past_six(hass, freezer)
    thursday = MONDAY_EVENING + timedelta(days=3)
    await asleep_at_night(hass, freezer, thursday)
    await restart(hass, entry)

    # Thursday night: asleep at the sleep temperature past bedtime ...
    await clock_at(hass, freezer, thursday + timedelta(hours=4))  # 02:30
    assert target(hass) == 18.5
    # ... and warming, from as long before they usually get up as it takes.
    await minutes_pass_until(hass, freezer, thursday + timedelta(hours=7, minutes=45))
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith(
        "Living room already heating to 20.0 °C: Pre-heating: usually up at 06:30, "
    )
    assert target(hass) == 20.0  # the comfort, as by day
    # Up: the room is left to the night's rules again.
    await up_at_half_past_six(hass, freezer, thursday)
    assert target(hass) == 18.5


async def test_a_reset_forgets_when_people_get_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Reset is a fresh start: the mornings learned go with the rest, for good.

    ``explain`` tells them, and then that they are gone.
    """
    entry = await three_mornings_up_at_half_past_six(hass, freezer)
    assert await getting_up(hass) == {THERMOSTAT: "usually up at 06:30 on weekdays"}

    await call(hass, "reset", {"area_id": "living_room"})
    await restart(hass, entry)
    assert await getting_up(hass) == {}  # nobody seen getting up there

    thursday = MONDAY_EVENING + timedelta(days=3)
    await asleep_at_night(hass, freezer, thursday)
    await minutes_pass_until(hass, freezer, thursday + timedelta(hours=7, minutes=45))
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "usually up" not in reason
    assert target(hass) == 18.5  # still the night's


@pytest.mark.parametrize("forget", ["reset", "forget_comfort"])
async def test_the_temperature_set_in_bed_is_what_the_room_sleeps_at_from_then_on(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    forget: str,
) -> None:
    """Cold at 01:00, someone in bed turns the room up to 19.5 °C and sleeps on.

    Held its two hours, it then stays the room's sleep temperature in place of
    the options' 18.5 °C: that night, and the next after a restart. A reset
    forgets it, and so does forgetting the temperatures people set.
    """
    freezer.move_to(MONDAY_EVENING)
    await living_room_and_hall(hass, heated=True)
    entry = await setup_brain(hass, zones=("hall", "living_room"))
    await asleep_at_night(hass, freezer, MONDAY_EVENING)
    await clock_at(hass, freezer, MONDAY_EVENING + timedelta(hours=2, minutes=30))
    await set_by_hand(hass, hass_admin_user, 19.5)
    await minutes_pass(hass, freezer, 150)  # 03:30: the hold is over

    assert hass.states.get(CONTROL).attributes["held_until"] == {}
    assert target(hass) == 19.5
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason == (
        "Living room already heating to 19.5 °C: quiet and dark at night: the "
        "sleep temperature people set here"
    )

    tuesday = MONDAY_EVENING + timedelta(days=1)
    await up_at_half_past_six(hass, freezer, MONDAY_EVENING)
    await restart(hass, entry)
    said = {THERMOSTAT: "sleeps at 19.5 °C, as people set it here at night"}
    assert await sleeping_at(hass) == said
    await asleep_at_night(hass, freezer, tuesday, sleep_temperature=19.5)
    await up_at_half_past_six(hass, freezer, tuesday)
    await call(hass, forget, {"area_id": "living_room"})
    assert await sleeping_at(hass) == {}
    await asleep_at_night(hass, freezer, tuesday + timedelta(days=1))


async def test_a_sleep_temperature_set_in_bed_in_fahrenheit_is_kept_in_fahrenheit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """In a home that shows °F, 68 °F set in bed is 68 °F every night after."""
    freezer.move_to(MONDAY_EVENING)
    await build_american_living_room(hass)
    entry = await setup_brain(hass)
    await asleep_at_night(hass, freezer, MONDAY_EVENING, sleep_temperature=65.0)
    await clock_at(hass, freezer, MONDAY_EVENING + timedelta(hours=2, minutes=30))
    await set_by_hand(hass, hass_admin_user, 68.0)
    await minutes_pass(hass, freezer, 150)  # the hold is over

    assert target(hass) == 68.0
    said = {THERMOSTAT: "sleeps at 68.0 °F, as people set it here at night"}
    assert await sleeping_at(hass) == said
    await restart(hass, entry)
    tuesday = MONDAY_EVENING + timedelta(days=1)
    await asleep_at_night(hass, freezer, tuesday, sleep_temperature=68.0)


async def test_a_valve_s_window_function_at_night_is_no_sleep_temperature(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The bedroom window opened for air at 01:00: the valve drops to eco's 17.5 °C.

    That teaches nothing (as the README says of a thermostat turned down while a
    window of its area is open), so it must not become the temperature the
    room sleeps at every night from then on either.
    """
    freezer.move_to(MONDAY_EVENING)
    valve = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        presets=["none", "frost", "eco", "comfort", "boost"],
        kind=PresetThermostat,
    )
    hall = thermostat("hall", [HVACMode.HEAT, HVACMode.OFF])
    await build_living_room(hass, climates=[valve, hall], lights=[lamp()], window=True)
    area = ar.async_get(hass).async_create("Hall")
    entities = er.async_get(hass)
    entities.async_update_entity("climate.hall", area_id=area.id)
    sensor = entities.async_get_or_create(
        "binary_sensor",
        "test",
        "hall_motion",
        suggested_object_id="hall_motion",
        original_device_class="motion",
    )
    entities.async_update_entity(sensor.entity_id, area_id=area.id)
    hass.states.async_set(HALL_MOTION, STATE_OFF)
    entry = await setup_brain(hass, zones=("hall", "living_room"))
    zone = coordinator_of(entry).brain.zone("living_room")
    await asleep_at_night(hass, freezer, MONDAY_EVENING)

    # 01:00: the window is opened; the valve's own window function turns it down.
    await clock_at(hass, freezer, MONDAY_EVENING + timedelta(hours=2, minutes=30))
    await set_state(hass, WINDOW, STATE_ON)
    await valve.async_window(True)
    assert target(hass) == 17.5
    await minutes_pass(hass, freezer, 30)  # asleep meanwhile
    await set_state(hass, WINDOW, STATE_OFF)
    await valve.async_window(False)  # back by itself to what it was
    await minutes_pass(hass, freezer, 5)

    assert zone.comfort.labels == 0  # no comfort learned, as promised
    assert await sleeping_at(hass) == {}  # nor a sleep temperature
    assert target(hass) == 18.5


async def test_a_boost_pressed_in_bed_is_no_sleep_temperature(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Cold at 01:00, someone presses the valve's boost (23 °C) and sleeps on.

    A boost's own temperature teaches nothing; it must not become what the room
    sleeps at every night from then on.
    """
    freezer.move_to(MONDAY_EVENING)
    valve = thermostat(
        "living_room",
        [HVACMode.HEAT, HVACMode.OFF],
        preset="none",
        presets=["none", "frost", "eco", "comfort", "boost"],
        kind=PresetThermostat,
    )
    await build_living_room(hass, climates=[valve], lights=[lamp()])
    entry = await setup_brain(hass)
    zone = coordinator_of(entry).brain.zone("living_room")
    await asleep_at_night(hass, freezer, MONDAY_EVENING)

    await clock_at(hass, freezer, MONDAY_EVENING + timedelta(hours=2, minutes=30))
    await hass.services.async_call(
        "climate",
        "set_preset_mode",
        {"entity_id": THERMOSTAT, "preset_mode": "boost"},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert target(hass) == 23.0
    await minutes_pass(hass, freezer, 30)  # asleep again

    assert zone.comfort.labels == 0  # no comfort learned, as promised
    assert await sleeping_at(hass) == {}  # nor a sleep temperature


async def sleeping_at(hass: HomeAssistant) -> dict[str, str]:
    """Return what ``explain`` says people set the living room to sleep at."""
    response = await call(hass, "explain", {"area_id": "living_room"})
    return response["zones"]["living_room"]["sleeping_at"]


async def test_a_living_room_left_for_bed_is_not_warmed_for_getting_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Left dark at bedtime for a bed elsewhere: nobody sleeps or gets up there.

    Up at 06:30 on three mornings, as in the bedroom's test above; but nobody
    turned over in the living room at night, so it learns no morning and is not
    warmed for one on the fourth.
    """
    await three_mornings_up_at_half_past_six(hass, freezer, to_bed=off_to_bed_elsewhere)
    assert await getting_up(hass) == {}

    thursday = MONDAY_EVENING + timedelta(days=3)
    await off_to_bed_elsewhere(hass, freezer, thursday)
    await minutes_pass_until(hass, freezer, thursday + timedelta(hours=7, minutes=45))
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert "usually up" not in reason
    assert target(hass) < 20.0  # set back, empty


async def off_to_bed_elsewhere(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, evening: datetime
) -> None:
    """Out of the living room at ``evening``, through the hall, to bed elsewhere."""
    await clock_at(hass, freezer, evening)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)
    await set_state(hass, HALL_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, HALL_MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 60)


async def getting_up(hass: HomeAssistant) -> dict[str, str]:
    """Return what ``explain`` says of getting up in the living room."""
    response = await call(hass, "explain", {"area_id": "living_room"})
    return response["zones"]["living_room"]["getting_up"]


MONDAY_EVENING = START + timedelta(hours=8, minutes=30)  # 22:30


async def asleep_at_night(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    evening: datetime,
    sleep_temperature: float = 18.5,
) -> None:
    """To bed at ``evening``, turning over 40 minutes later: asleep (so warm)."""
    await clock_at(hass, freezer, evening)
    await set_state(hass, MOTION, STATE_ON)  # going to bed
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 40)
    await set_state(hass, MOTION, STATE_ON)  # turning over
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == sleep_temperature  # asleep


async def three_mornings_up_at_half_past_six(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    to_bed: Callable[
        [HomeAssistant, FrozenDateTimeFactory, datetime], Awaitable[None]
    ] = asleep_at_night,
    on_rising: Callable[[HomeAssistant], Awaitable[None]] | None = None,
) -> MockConfigEntry:
    """Off to bed as ``to_bed`` has it, Monday to Wednesday night; up at 06:30.

    By default asleep in the living room; ``on_rising`` is what people do once
    up. The living room is heated, with an outdoor sensor at 5 °C.
    """
    freezer.move_to(MONDAY_EVENING)
    await living_room_and_hall(hass, heated=True)
    hass.states.async_set("sensor.outdoor", "5.0", {"unit_of_measurement": "°C"})
    entry = await setup_brain(
        hass, zones=("hall", "living_room"), outdoor_source="sensor.outdoor"
    )
    for night in range(3):
        await to_bed(hass, freezer, MONDAY_EVENING + timedelta(days=night))
        await up_at_half_past_six(hass, freezer, MONDAY_EVENING + timedelta(days=night))
        if on_rising is not None:
            await on_rising(hass)
    return entry


async def up_at_half_past_six(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, evening: datetime
) -> None:
    """Someone moves about in the hall from 06:30 the morning after ``evening``."""
    await in_the_hall(hass, freezer, evening + timedelta(hours=7, minutes=59), 20)


async def in_the_hall(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    when: datetime,
    minutes: int,
    *,
    restart_after: int | None = None,
) -> None:
    """Someone moves about in the hall from ``when`` for ``minutes``.

    ``restart_after``: Home Assistant restarts that many minutes in.
    """
    await clock_at(hass, freezer, when)
    await set_state(hass, HALL_MOTION, STATE_ON)
    if restart_after is not None:
        await minutes_pass(hass, freezer, restart_after)
        await restart(hass, hass.config_entries.async_entries(DOMAIN)[0])
        minutes -= restart_after
    await minutes_pass(hass, freezer, minutes)
    await set_state(hass, HALL_MOTION, STATE_OFF)


async def test_a_sleeper_turning_over_while_someone_is_up_in_the_hall_sleeps_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Asleep in the living room while someone moves about the hall until 01:00.

    Turning over a moment after motion in the hall looks like someone coming in,
    but people had been up in the hall for half an hour: it is the sleeper,
    left in the dark at the sleep temperature.
    """
    freezer.move_to(MONDAY_EVENING)
    await living_room_and_hall(hass, heated=True)
    await setup_brain(hass, zones=("hall", "living_room"))
    await set_state(hass, MOTION, STATE_ON)  # going to bed
    await minutes_pass(hass, freezer, 1)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 29)  # 23:00
    assert target(hass) == 16.0  # asleep or gone: nobody seen stirring yet
    await set_state(hass, HALL_MOTION, STATE_ON)  # up late in the hall
    await minutes_pass(hass, freezer, 30)

    await set_state(hass, MOTION, STATE_ON)  # turning over
    reason = hass.states.get(CONTROL).attributes["reasons"][LAMP]
    assert reason == "Living room's light stays off: people are asleep"
    await set_state(hass, MOTION, STATE_OFF)
    for _ in range(90):
        await minutes_pass(hass, freezer, 1)
        assert hass.states.get(LAMP).state == STATE_OFF
        assert target(hass) == 18.5
    await set_state(hass, HALL_MOTION, STATE_OFF)

    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.endswith("quiet and dark at night: sleep temperature")


async def asleep_with_someone_up_in_the_hall_till_three(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    evening: datetime,
    *,
    restarted: bool = False,
) -> None:
    """To bed at ``evening``, asleep; someone up in the hall from 01:00 to 03:00.

    ``restarted``: Home Assistant restarts at 02:40, while the hall is busy.
    """
    await asleep_at_night(hass, freezer, evening)
    await in_the_hall(
        hass,
        freezer,
        evening + timedelta(hours=2, minutes=30),
        120,
        restart_after=100 if restarted else None,
    )


@pytest.mark.parametrize("restarted", [False, True])
async def test_someone_up_late_past_half_past_two_is_no_one_getting_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, restarted: bool
) -> None:
    """Up in the hall till three on three nights: the mornings are still 06:30.

    The night's second half begins at 02:30, when moving about elsewhere is people
    getting up; but whoever is still up from before then is up late, also after
    a restart in the middle of it.
    """
    await three_mornings_up_at_half_past_six(
        hass,
        freezer,
        to_bed=partial(
            asleep_with_someone_up_in_the_hall_till_three, restarted=restarted
        ),
    )

    assert await getting_up(hass) == {THERMOSTAT: "usually up at 06:30 on weekdays"}


async def test_warming_for_getting_up_aims_at_the_comfort_people_want_on_rising(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Up at 06:30, and the heating turned up to 23 °C by hand soon after.

    On the fourth morning the room warms for getting up to what people want
    then, not to the comfort of the hour the warming starts in.
    """
    entry = await three_mornings_up_at_half_past_six(
        hass, freezer, on_rising=turned_up_to_23
    )
    thursday = MONDAY_EVENING + timedelta(days=3)
    await asleep_at_night(hass, freezer, thursday)
    # Still the night's first half: nobody is getting up yet.
    await minutes_pass_until(hass, freezer, thursday + timedelta(minutes=235))
    assert (
        coordinator_of(entry).predictions["living_room"].waking_heating_setpoint is None
    )
    assert target(hass) == 18.5
    # From 02:30, four hours (the longest warm-up) before 06:30: warming to what
    # people set on rising, not to 02:30's comfort (22 °C on the thermostat's
    # half degrees).
    await minutes_pass_until(hass, freezer, thursday + timedelta(minutes=245))
    prediction = coordinator_of(entry).predictions["living_room"]
    assert prediction.waking_heating_setpoint is not None
    assert prediction.heating_setpoint is not None
    assert prediction.waking_heating_setpoint > prediction.heating_setpoint + 0.5
    assert target(hass) == 23.0
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert reason.startswith(
        "Living room already heating to 23.0 °C: Pre-heating: usually up at 06:30, "
    )
    # Up: the night's rules again, and no rising ahead to tell the comfort of.
    await up_at_half_past_six(hass, freezer, thursday)
    assert target(hass) == 18.5
    assert (
        coordinator_of(entry).predictions["living_room"].waking_heating_setpoint is None
    )


async def turned_up_to_23(hass: HomeAssistant) -> None:
    """Someone up sets the living room's heating to 23 °C from the app."""
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": THERMOSTAT, "temperature": 23.0},
        blocking=True,
        context=Context(),
    )
