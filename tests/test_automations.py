"""Changes an automation makes: held, not fought, and no sign of anyone there.

An automation's context has a parent (what set it off) and no user. Lights on at
dusk or a heating schedule say nothing of who is in the room.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.aiot_brain.const import EVENT_ACTION

from .test_acting import (
    LAMP,
    MOTION,
    START,
    THERMOSTAT,
    build_living_room,
    calls_to,
    lamp,
    minutes_pass,
    set_state,
    setup_brain,
)
from .test_lighting import lamp_reason, lamp_room

READING_LAMP = "light.living_room_reading"


async def test_an_automation_lighting_one_lamp_is_no_arrival_for_the_others(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An automation (lights on at dusk, lighting while away) lights a lamp alone.

    Nobody has been in the living room all afternoon. An automation of the home
    switches its reading lamp on: the automation is held, not fought, and nobody
    came in, so the ceiling lamp stays off.
    """
    freezer.move_to(START)
    await build_living_room(
        hass, climates=[], lights=[lamp(), lamp("living_room_reading")]
    )
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(LAMP).state == STATE_OFF

    # An automation, set off by its trigger: its context has a parent, no user.
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": READING_LAMP},
        blocking=True,
        context=Context(parent_id=Context().id),
    )
    await minutes_pass(hass, freezer, 1)

    assert hass.states.get(READING_LAMP).state == STATE_ON
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)
    assert calls_to(actions, LAMP) == []
    # Nobody was there to leave: the automation's lamp is held its time.
    await minutes_pass(hass, freezer, 90)
    assert hass.states.get(READING_LAMP).state == STATE_ON


async def test_a_heating_schedule_is_no_one_coming_in_to_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A heating schedule (an automation) sets the thermostat of an empty room.

    Nobody has been in the living room all afternoon; at a set time an
    automation sets its thermostat to 21 °C. Nobody came in: the lamp stays off.
    """
    freezer.move_to(START)
    await build_living_room(hass, lights=[lamp()])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(LAMP).state == STATE_OFF

    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": THERMOSTAT, "temperature": 21.0},
        blocking=True,
        context=Context(parent_id=Context().id),
    )
    await minutes_pass(hass, freezer, 1)

    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)
    assert calls_to(actions, LAMP) == []


async def test_a_lamp_held_for_an_automation_does_not_say_a_hand_changed_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An automation dims the lamp while someone is in: held, but by no hand."""
    freezer.move_to(START)
    await lamp_room(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 10)

    # A "film" automation, set off by the TV: its context has a parent, no user.
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": LAMP, "brightness_pct": 20},
        blocking=True,
        context=Context(parent_id=Context().id),
    )
    await minutes_pass(hass, freezer, 1)

    reason = lamp_reason(hass)
    assert reason.startswith("Holding"), reason
    assert "by hand" not in reason, reason
