"""A smart bulb behind a wall switch: cut at the wall, then powered again.

Cut, the bulb is unavailable; powered, it comes on at its own power-on level (a
bright white, or the level it had). A bulb that merely drops off the network
comes back soon, as it was. The bulb is a real light entity of Home Assistant's
demo, whose availability follows its power.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.demo.light import DemoLight
from homeassistant.components.group.light import LightGroup
from homeassistant.components.light import ColorMode, LightEntity
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)

from custom_components.aiot_brain.brain.lighting import LightingPreference
from custom_components.aiot_brain.const import DOMAIN, EVENT_ACTION, EVENT_HOLD

from .test_acting import (
    CONTROL,
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
)
from .test_lighting import (
    GROUP,
    by_hand,
    clock_at,
    lamp_reason,
    lighting_explained,
    local,
)


class WallSwitchedBulb(DemoLight):
    """A bulb whose power a wall switch cuts: unavailable while it is cut."""

    powered = True

    @property
    def available(self) -> bool:
        return self.powered

    def cut(self) -> None:
        """The wall switch is switched off."""
        self.powered = False
        self.async_write_ha_state()

    def power(self, brightness: int | None = 255, kelvin: int = 4000) -> None:
        """The wall switch is switched on: the bulb comes on at its power-on level."""
        self.powered = True
        self._attr_is_on = True
        self._attr_brightness = brightness
        self._attr_color_mode = ColorMode.COLOR_TEMP
        self._attr_color_temp_kelvin = kelvin
        self.async_write_ha_state()

    def back_on_the_network(self) -> None:
        """Back from a dropout: as it was."""
        self.powered = True
        self.async_write_ha_state()

    def report(self, brightness: int) -> None:
        """The bulb tells its level in a report of its own, as bulbs come up."""
        self.async_set_context(Context())
        self._attr_brightness = brightness
        self.async_write_ha_state()


async def wall_switched_room(hass: HomeAssistant) -> WallSwitchedBulb:
    """The living room lit by a bulb behind the wall switch, off; set up."""
    bulb = WallSwitchedBulb(unique_id="living_room", device_name="bulb", state=False)
    bulb.entity_id = LAMP
    await build_living_room(hass, climates=[], lights=[bulb])
    return bulb


def brightness_pct(hass: HomeAssistant) -> int:
    return round(hass.states.get(LAMP).attributes["brightness"] / 2.55)


async def switched_at_the_wall(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, bulb: WallSwitchedBulb
) -> None:
    """Someone switches the wall switch off and on again, as one does."""
    bulb.cut()
    await seconds_pass(hass, freezer, 2)
    bulb.power()
    await hass.async_block_till_done()


async def test_a_bulb_switched_on_at_the_wall_gets_the_learned_level_and_is_let_be(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Powered at the wall, it comes on at 100 %: someone is there, nobody chose that.

    The level is the one we would have switched it on at (as Adaptive Lighting
    adapts a light that became available); the light stays on for whoever
    switched it on, and its power-on level teaches nothing.
    """
    freezer.move_to(START)
    bulb = await wall_switched_room(hass)
    entry = await setup_brain(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    # One evening someone lights it by hand at 40 %, 2700 K.
    await clock_at(hass, freezer, local(0, 19))
    await by_hand(
        hass, hass_admin_user, "turn_on", brightness_pct=40, color_temp_kelvin=2700
    )
    await set_state(hass, MOTION, STATE_ON)
    await clock_at(hass, freezer, local(0, 23))
    await by_hand(hass, hass_admin_user, "turn_off")
    await set_state(hass, MOTION, STATE_OFF)
    once = LightingPreference()
    once.learn_one(
        local(0, 19), {"light_brightness": 40.0, "light_color_temp": 2700}, True
    )
    expected = once.predict_one(local(1, 19), {})

    # The next evening they switch it on at the wall, out of the sensor's view.
    await clock_at(hass, freezer, local(1, 19))
    await switched_at_the_wall(hass, freezer, bulb)

    light = hass.states.get(LAMP)
    assert light.state == STATE_ON, lamp_reason(hass)
    assert brightness_pct(hass) == round(expected["brightness"]), lamp_reason(hass)
    assert light.attributes["color_temp_kelvin"] == expected["color_temp"]
    assert "switched on at the wall" in actions[-1].data["reason"]
    # Someone is there: the light is not switched off on them a minute later.
    await minutes_pass(hass, freezer, 5)
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert not lamp_reason(hass).startswith("Holding")
    # The bulb's 100 % was nobody's choice; our level neither.
    assert "from 1 manual adjustment " in await lighting_explained(hass)
    assert coordinator_of(entry).brain.zone("living_room").lighting.false_offs == 0


async def test_a_bulb_powered_at_the_level_we_would_set_gets_no_call(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A bulb that comes on at the level we would set it to is left as it is."""
    freezer.move_to(START)
    bulb = await wall_switched_room(hass)
    await setup_brain(hass)
    expected = LightingPreference().predict_one(local(1, 19), {})
    actions = async_capture_events(hass, EVENT_ACTION)
    await clock_at(hass, freezer, local(1, 19))
    bulb.cut()
    await seconds_pass(hass, freezer, 2)
    bulb.power(
        brightness=round(round(expected["brightness"]) * 2.55),
        kelvin=round(expected["color_temp"]),
    )
    await minutes_pass(hass, freezer, 2)

    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert [event.data["reason"] for event in actions] == []
    assert "stays on" in lamp_reason(hass)


async def test_a_bulb_cut_at_the_wall_is_left_alone_until_it_is_powered_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Cut at bedtime at its night's 20 %, it comes back at 20 % in the morning.

    Meanwhile no call is made to it (and nothing is logged at each minute); the
    cut is no switch-off of ours. In the morning it gets the morning's light.
    """
    freezer.move_to(START)
    bulb = await wall_switched_room(hass)
    entry = await setup_brain(hass)
    await clock_at(hass, freezer, local(0, 22))
    await set_state(hass, MOTION, STATE_ON)
    await by_hand(hass, hass_admin_user, "turn_on", brightness_pct=20)
    await clock_at(hass, freezer, local(0, 23))
    await set_state(hass, MOTION, STATE_OFF)
    calls = async_capture_events(hass, "call_service")
    bulb.cut()
    await hass.async_block_till_done()
    assert hass.states.get(LAMP).state == STATE_UNAVAILABLE
    caplog.clear()

    await minutes_pass(hass, freezer, 60)
    await set_state(hass, MOTION, STATE_ON)  # someone walks through in the dark
    await minutes_pass(hass, freezer, 5)
    assert [call for call in calls if call.data["domain"] == "light"] == []
    assert "alone: it is unavailable" in lamp_reason(hass)
    ours = [r for r in caplog.records if r.name.startswith("custom_components")]
    assert not [r for r in ours if r.levelname in ("WARNING", "ERROR")]
    await set_state(hass, MOTION, STATE_OFF)
    lighting = coordinator_of(entry).brain.zone("living_room").lighting
    assert (lighting.false_offs, lighting.quiet_offs) == (0, 0)

    # A dark morning: switched on at the wall, the bulb shows last night's 20 %.
    await clock_at(hass, freezer, local(1, 7))
    bulb.power(brightness=51, kelvin=2700)
    await hass.async_block_till_done()
    assert hass.states.get(LAMP).state == STATE_ON
    assert brightness_pct(hass) == 80, lamp_reason(hass)


async def test_a_bulb_cut_since_the_start_is_someone_at_the_wall_when_powered(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Cut at the wall when Home Assistant started, it says nothing of before.

    Powered hours later, someone switched it on there all the same; back within
    minutes of the start, it was its integration starting.
    """
    freezer.move_to(START)
    bulb = await wall_switched_room(hass)
    bulb.cut()
    await setup_brain(hass)
    actions = async_capture_events(hass, EVENT_ACTION)

    await clock_at(hass, freezer, local(0, 19))
    bulb.power()
    await minutes_pass(hass, freezer, 5)

    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert brightness_pct(hass) == 80, lamp_reason(hass)
    assert len(actions) == 1


async def test_a_bulb_back_just_after_the_start_is_its_integration_starting(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    bulb = await wall_switched_room(hass)
    bulb.cut()
    await setup_brain(hass)
    actions = async_capture_events(hass, EVENT_ACTION)

    await seconds_pass(hass, freezer, 30)
    bulb.power()
    await minutes_pass(hass, freezer, 2)

    assert brightness_pct(hass) == 100, lamp_reason(hass)
    assert actions == []


async def test_a_bulb_whose_integration_starts_late_is_nobody_at_the_wall(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Until its integration is up, a bulb shows the registry's restored placeholder.

    Its hub unreachable at the start, the integration may come up long after:
    the bulb then shows what it was showing all along, at nobody's hand.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[])
    area = ar.async_get(hass).async_get_area_by_name("Living room")
    assert area is not None
    entities = er.async_get(hass)
    registered = entities.async_get_or_create(
        "light", "test", "living_room", suggested_object_id="living_room"
    )
    registered = entities.async_update_entity(LAMP, area_id=area.id)
    registered.write_unavailable_state(hass)
    await setup_brain(hass)
    actions = async_capture_events(hass, EVENT_ACTION)

    await minutes_pass(hass, freezer, 20)
    await set_state(hass, MOTION, STATE_ON)  # someone sits by the lamp
    bulb = WallSwitchedBulb(unique_id="living_room", device_name="bulb", state=True)
    bulb.entity_id = LAMP
    (platform,) = [p for p in async_get_platforms(hass, "test") if p.domain == "light"]
    await platform.async_add_entities([bulb])
    await minutes_pass(hass, freezer, 1)

    assert hass.states.get(LAMP).state == STATE_ON
    assert brightness_pct(hass) == 71, lamp_reason(hass)  # the demo's 180
    assert actions == []


async def test_a_held_bulb_switched_on_at_the_wall_keeps_the_bulbs_level(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Asked to hold the room's lights, we leave the bulb as it came on, then too."""
    freezer.move_to(START)
    bulb = await wall_switched_room(hass)
    await setup_brain(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await clock_at(hass, freezer, local(0, 19))
    await hass.services.async_call(
        DOMAIN,
        "hold",
        {"area_id": "living_room", "duration": {"minutes": 30}},
        blocking=True,
    )
    await set_state(hass, MOTION, STATE_ON)

    await switched_at_the_wall(hass, freezer, bulb)
    await minutes_pass(hass, freezer, 40)  # the hold ends meanwhile

    assert hass.states.get(LAMP).state == STATE_ON
    assert brightness_pct(hass) == 100, lamp_reason(hass)
    assert actions == []


async def switched_off_after_someone_moved(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> LightingPreference:
    """Someone moves once; we switch the lamp off after the wait; the room's lighting."""
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    for _ in range(40):
        await minutes_pass(hass, freezer, 1)
        if hass.states.get(LAMP).state == STATE_OFF:
            break
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)
    return coordinator_of(entry).brain.zone("living_room").lighting


async def test_switching_the_light_back_on_at_the_wall_says_it_went_off_too_soon(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone sat still; we switched the light off; they get it back at the wall."""
    freezer.move_to(START)
    bulb = await wall_switched_room(hass)
    entry = await setup_brain(hass)
    lighting = await switched_off_after_someone_moved(hass, freezer, entry)
    delay = lighting.vacancy_delay

    await seconds_pass(hass, freezer, 30)
    await switched_at_the_wall(hass, freezer, bulb)

    assert lighting.false_offs == 1
    assert lighting.vacancy_delay > delay
    await minutes_pass(hass, freezer, 5)
    assert lighting.quiet_offs == 0
    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)


async def test_someone_coming_in_minutes_after_the_light_went_off_is_no_false_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Three minutes after the off, the sensor sees someone come in: lit for them.

    Nobody sat that long in the dark: the delay is not lengthened but
    shortened, as it would be lengthened for someone seen again within two
    minutes (people come in as often then).
    """
    freezer.move_to(START)
    await wall_switched_room(hass)
    entry = await setup_brain(hass)
    lighting = await switched_off_after_someone_moved(hass, freezer, entry)
    delay = lighting.vacancy_delay

    await minutes_pass(hass, freezer, 3)
    await set_state(hass, MOTION, STATE_ON)

    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert (lighting.false_offs, lighting.arrivals_after_offs) == (0, 1)
    assert lighting.vacancy_delay == pytest.approx(delay / 1.5)
    await minutes_pass(hass, freezer, 1)
    assert "1 arrival soon after an off" in await lighting_explained(hass)


async def test_a_bulb_back_from_a_dropout_as_it_was_is_nobody_at_the_wall(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Off the network for a few seconds, on or off, it says nobody is there."""
    freezer.move_to(START)
    bulb = await wall_switched_room(hass)
    await setup_brain(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    shown = dict(hass.states.get(LAMP).attributes)
    await set_state(hass, MOTION, STATE_OFF)
    left = dt_util.now()

    for _ in range(3):  # the radio drops out now and then
        await minutes_pass(hass, freezer, 3)
        bulb.cut()
        await seconds_pass(hass, freezer, 5)
        bulb.back_on_the_network()
        await hass.async_block_till_done()
        assert hass.states.get(LAMP).attributes == shown
    # No call brought it to a level, and it goes off when it would have.
    assert len(actions) == 1
    for _ in range(40):
        await minutes_pass(hass, freezer, 1)
        if hass.states.get(LAMP).state == STATE_OFF:
            break
    assert hass.states.get(LAMP).state == STATE_OFF
    assert dt_util.now() - left <= timedelta(minutes=22)

    # Off, it drops out and comes back off: nothing to do.
    bulb.cut()
    await seconds_pass(hass, freezer, 5)
    bulb.back_on_the_network()
    await minutes_pass(hass, freezer, 2)
    assert hass.states.get(LAMP).state == STATE_OFF
    assert len(actions) == 2


async def test_a_bulb_reporting_its_level_a_second_after_power_on_still_gets_ours(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """On at the wall with no level yet, then its 100 % in a report of its own.

    Both are the bulb coming up, nobody's hand: it is not held, and gets our level.
    """
    freezer.move_to(START)
    bulb = await wall_switched_room(hass)
    entry = await setup_brain(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await clock_at(hass, freezer, local(1, 19))
    bulb.cut()
    await seconds_pass(hass, freezer, 2)
    bulb.power(brightness=None)
    await hass.async_block_till_done()
    await seconds_pass(hass, freezer, 1)
    bulb.report(255)
    await hass.async_block_till_done()
    assert brightness_pct(hass) == 80, lamp_reason(hass)  # at once
    await minutes_pass(hass, freezer, 2)

    assert not lamp_reason(hass).startswith("Holding"), lamp_reason(hass)
    assert brightness_pct(hass) == 80, lamp_reason(hass)
    assert all("at the wall" in event.data["reason"] for event in actions)
    assert "from 0 manual adjustments" in await lighting_explained(hass)
    assert coordinator_of(entry).brain.zone("living_room").lighting.false_offs == 0


async def test_a_lamp_of_a_group_going_or_coming_back_is_nobodys_change_of_the_group(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """The group shows its lamps' mean: one lamp cut, powered, or off the network
    moves it, at nobody's hand. The lamp powered at the wall is someone there; it
    keeps its own level (calling the group would change the other lamp too). A
    person dimming the group in the app still holds it.
    """
    freezer.move_to(START)
    actions = await build_lamps_and_group(
        hass, ["light.ceiling", "light.reading"], kind=WallSwitchedBulb
    )
    (platform,) = [p for p in async_get_platforms(hass, "test") if p.domain == "light"]
    reading = platform.entities["light.reading"]
    assert isinstance(reading, WallSwitchedBulb)
    await setup_brain(hass)
    await clock_at(hass, freezer, local(1, 19))
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(GROUP).state == STATE_ON
    level = hass.states.get("light.ceiling").attributes["brightness"]

    def group_reason() -> str:
        return str(hass.states.get(CONTROL).attributes["reasons"][GROUP])

    # The reading lamp is switched off and on again at its wall switch, out of
    # the motion sensor's view: it comes on at 100 %, the group's mean moves.
    reading.cut()
    await seconds_pass(hass, freezer, 2)
    reading.power()
    await hass.async_block_till_done()
    assert hass.states.get(GROUP).attributes["brightness"] != level
    await minutes_pass(hass, freezer, 1)
    assert not group_reason().startswith("Holding"), group_reason()
    # Off the network for a few seconds: the mean moves back and forth.
    await minutes_pass(hass, freezer, 2)
    reading.cut()
    await seconds_pass(hass, freezer, 5)
    reading.back_on_the_network()
    await minutes_pass(hass, freezer, 1)
    assert not group_reason().startswith("Holding"), group_reason()
    # Whoever switched the lamp on is there: the lights stay on for them, and
    # neither lamp is called (the group's call would change both).
    assert hass.states.get(GROUP).state == STATE_ON, group_reason()
    assert len(actions) == 1
    assert hass.states.get("light.ceiling").attributes["brightness"] == level
    assert hass.states.get("light.reading").attributes["brightness"] == 255
    assert "from 0 manual adjustments" in await lighting_explained(hass)

    # A person dims the group in the app: held, as ever.
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": GROUP, "brightness_pct": 30},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await minutes_pass(hass, freezer, 1)
    assert group_reason().startswith("Holding"), group_reason()


async def test_a_group_whose_lamps_are_all_powered_at_the_wall_gets_our_level(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """One wall switch for the group's lamps: they come back one after the other."""
    freezer.move_to(START)
    actions = await build_lamps_and_group(
        hass, ["light.ceiling", "light.reading"], kind=WallSwitchedBulb
    )
    (platform,) = [p for p in async_get_platforms(hass, "test") if p.domain == "light"]
    bulbs = [
        bulb
        for name in ("ceiling", "reading")
        if isinstance(bulb := platform.entities[f"light.{name}"], WallSwitchedBulb)
    ]
    assert len(bulbs) == 2
    await setup_brain(hass)
    await clock_at(hass, freezer, local(1, 19))
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    level = hass.states.get("light.ceiling").attributes["brightness"]

    for bulb in bulbs:
        bulb.cut()
    await seconds_pass(hass, freezer, 2)
    for bulb in bulbs:
        bulb.power()
    await minutes_pass(hass, freezer, 1)

    reason = hass.states.get(CONTROL).attributes["reasons"][GROUP]
    assert not reason.startswith("Holding"), reason
    assert [
        hass.states.get(lamp).attributes["brightness"]
        for lamp in ("light.ceiling", "light.reading")
    ] == [level, level], reason
    assert "at the wall" in actions[-1].data["reason"]


def registered_in_the_living_room(hass: HomeAssistant, object_id: str) -> None:
    """A light of the test platform, placed in the living room, not seen yet."""
    area = ar.async_get(hass).async_get_area_by_name("Living room")
    assert area is not None
    entities = er.async_get(hass)
    entities.async_get_or_create(
        "light", "test", object_id, suggested_object_id=object_id
    )
    entities.async_update_entity(f"light.{object_id}", area_id=area.id)


async def first_seen(hass: HomeAssistant, light: LightEntity) -> None:
    """The light shows up in Home Assistant at last, with no placeholder before."""
    (platform,) = [p for p in async_get_platforms(hass, "test") if p.domain == "light"]
    await platform.async_add_entities([light])
    await hass.async_block_till_done()


@pytest.mark.parametrize("after_the_start", [False, True])
async def test_a_bulb_first_seen_on_after_the_start_is_someone_there_and_gets_ours(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, after_the_start: bool
) -> None:
    """Never seen before (just added, or its integration loads late and showed no
    placeholder), it comes on at its own level, telling it a second later: that
    is a bulb coming up, as at the wall. Someone is there but chose no level: it
    gets ours, is not held and teaches nothing. Seen as we start, it is its
    integration starting with ours: left as it is, and not held either.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[])
    registered_in_the_living_room(hass, "living_room")
    await setup_brain(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    holds = async_capture_events(hass, EVENT_HOLD)
    if after_the_start:
        await clock_at(hass, freezer, local(1, 19))
    else:
        await seconds_pass(hass, freezer, 30)

    bulb = WallSwitchedBulb(unique_id="living_room", device_name="bulb", state=True)
    bulb.entity_id = LAMP
    bulb._attr_brightness = None  # no level yet
    await first_seen(hass, bulb)
    await seconds_pass(hass, freezer, 1)
    bulb.report(255)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 2)

    assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    assert not lamp_reason(hass).startswith("Holding"), lamp_reason(hass)
    assert holds == []
    assert "from 0 manual adjustments" in await lighting_explained(hass)
    if after_the_start:
        assert brightness_pct(hass) == 80, lamp_reason(hass)
        assert actions
        assert all("bulb's own level" in event.data["reason"] for event in actions)
        # Someone is there: the light is not switched off on them.
        await minutes_pass(hass, freezer, 5)
        assert hass.states.get(LAMP).state == STATE_ON, lamp_reason(hass)
    else:
        assert brightness_pct(hass) == 100, lamp_reason(hass)
        assert actions == []


async def test_a_light_group_first_seen_after_the_start_is_left_to_its_lamps(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A group made (or loaded) after the start shows the lamps that were on
    before it: nobody switched it on, and it did not come up at a level of its
    own. It is neither held nor given our level.
    """
    freezer.move_to(START)
    await build_living_room(
        hass, climates=[], lights=[lamp("ceiling"), lamp("reading")]
    )
    registered_in_the_living_room(hass, "living_room_lights")
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": ["light.ceiling", "light.reading"]},
        blocking=True,
    )
    await set_state(hass, MOTION, STATE_ON)  # someone reads by them
    await setup_brain(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    holds = async_capture_events(hass, EVENT_HOLD)
    await clock_at(hass, freezer, local(1, 19))
    assert actions == []  # lit already

    group = LightGroup(
        "living_room_lights",
        "Living room lights",
        ["light.ceiling", "light.reading"],
        mode=None,
    )
    group.entity_id = GROUP
    await first_seen(hass, group)
    await minutes_pass(hass, freezer, 2)

    assert hass.states.get(GROUP).state == STATE_ON
    assert (
        not hass.states.get(CONTROL).attributes["reasons"][GROUP].startswith("Holding")
    )
    assert holds == []
    assert actions == []
    assert [
        hass.states.get(lamp_id).attributes["brightness"]
        for lamp_id in ("light.ceiling", "light.reading")
    ] == [180, 180]


async def set_apart_four_evenings(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, user: MockUser
) -> None:
    """The reading lamp set to 30 % and the ceiling light to full, 4 evenings."""
    for day in range(4):
        await clock_at(hass, freezer, local(day, 19))
        await set_state(hass, MOTION, STATE_ON)
        await clock_at(hass, freezer, local(day, 19.1))
        for entity_id, level in (("light.reading", 30), ("light.ceiling", 100)):
            await hass.services.async_call(
                "light",
                "turn_on",
                {"entity_id": entity_id, "brightness_pct": level},
                blocking=True,
                context=Context(user_id=user.id),
            )
        await clock_at(hass, freezer, local(day, 23))
        await hass.services.async_call(
            "light",
            "turn_off",
            {"entity_id": "light.living_room_lights"},
            blocking=True,
            context=Context(user_id=user.id),
        )
        await set_state(hass, MOTION, STATE_OFF)


def levels_shown(hass: HomeAssistant) -> tuple[float, float]:
    """The reading lamp's and the ceiling light's brightness, in %."""
    return (
        hass.states.get("light.reading").attributes["brightness"] / 2.55,
        hass.states.get("light.ceiling").attributes["brightness"] / 2.55,
    )


async def test_lamps_of_a_group_set_apart_come_on_each_at_its_own_level(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """A reading lamp kept at 30 % beside a ceiling light kept at full, in a group.

    The README promises each lamp its own level where people set them apart;
    the room's light group switched as one must not bring both to one level.
    """
    freezer.move_to(START)
    await build_lamps_and_group(hass, ["light.ceiling", "light.reading"])
    await setup_brain(hass)
    await set_apart_four_evenings(hass, freezer, hass_admin_user)

    holds = async_capture_events(hass, EVENT_HOLD)
    await clock_at(hass, freezer, local(4, 19))
    await set_state(hass, MOTION, STATE_ON)
    reading, ceiling = levels_shown(hass)
    levels = (round(reading), round(ceiling))
    assert reading <= 40, levels
    assert ceiling >= 90, levels
    assert holds == []


class ReportsLater(DemoLight):
    """A radio bulb that, once ``late``, takes a call and reports it a moment
    later, in a context of its own."""

    late = False
    asked: dict[str, Any] | None = None

    async def async_turn_on(self, **kwargs: Any) -> None:
        if self.late:
            self.asked = kwargs
        else:
            await super().async_turn_on(**kwargs)

    async def async_report(self) -> None:
        if self.asked is not None:
            self.async_set_context(Context())
            await super().async_turn_on(**self.asked)
            self.asked = None
            await self.hass.async_block_till_done()


async def test_lamps_of_a_group_called_apart_reporting_later_are_not_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Each lamp of a group of groups, called at its own level, reports it later:
    our calls, not a hand on them; the group is not held, and learns nothing."""
    freezer.move_to(START)
    await build_lamps_and_group(
        hass, ["light.ceiling", "light.reading"], outer_group=True, kind=ReportsLater
    )
    (platform,) = [p for p in async_get_platforms(hass, "test") if p.domain == "light"]
    entry = await setup_brain(hass)
    await set_apart_four_evenings(hass, freezer, hass_admin_user)
    lighting = coordinator_of(entry).brain.zone("living_room").lighting
    adjustments = lighting.adjustments

    bulbs = [platform.entities[key] for key in ("light.ceiling", "light.reading")]
    for bulb in bulbs:
        assert isinstance(bulb, ReportsLater)
        bulb.late = True

    holds = async_capture_events(hass, EVENT_HOLD)
    await clock_at(hass, freezer, local(4, 19))
    await set_state(hass, MOTION, STATE_ON)
    await seconds_pass(hass, freezer, 20)
    for bulb in bulbs:
        assert isinstance(bulb, ReportsLater)
        await bulb.async_report()
    reading, ceiling = levels_shown(hass)
    assert reading <= 40
    assert ceiling >= 90
    assert holds == []
    assert lighting.adjustments == adjustments
