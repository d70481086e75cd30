"""Changes an automation makes: held, not fought, and no sign of anyone there.

An automation's context has a parent (what set it off) and no user. Lights on at
dusk or a heating schedule say nothing of who is in the room.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
import pytest
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


@pytest.mark.parametrize(
    ("domain", "service", "data"),
    [
        # Lights on at dusk, or lighting while away: the reading lamp alone.
        ("light", "turn_on", {"entity_id": READING_LAMP}),
        # A heating schedule.
        ("climate", "set_temperature", {"entity_id": THERMOSTAT, "temperature": 21.0}),
    ],
)
async def test_an_automation_in_an_empty_room_is_no_arrival(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    domain: str,
    service: str,
    data: dict[str, Any],
) -> None:
    """Nobody has been in the living room all afternoon when an automation runs.

    What it set is held, not fought, for its whole time (nobody was there to
    leave); and nobody came in, so the ceiling lamp stays off.
    """
    freezer.move_to(START)
    await build_living_room(hass, lights=[lamp(), lamp("living_room_reading")])
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(LAMP).state == STATE_OFF

    # Set off by its trigger: its context has a parent, no user.
    await hass.services.async_call(
        domain, service, data, blocking=True, context=Context(parent_id=Context().id)
    )
    called = len(calls_to(actions, data["entity_id"]))
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)
    assert calls_to(actions, LAMP) == []

    await minutes_pass(hass, freezer, 90)
    assert len(calls_to(actions, data["entity_id"])) == called


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


async def test_a_lamp_an_automation_dims_at_night_is_no_night_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A film automation dims the living room's lamp to 10 % at 21:00.

    Set so by a hand, it would be a night light a child sleeps by, kept on till
    the morning; set so by an automation, it goes off once the room is empty.
    """
    freezer.move_to(START + timedelta(hours=7))  # 21:00
    await build_living_room(hass, climates=[], lights=[lamp()])
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 2)
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": LAMP, "brightness_pct": 10},
        blocking=True,
        context=Context(parent_id=Context().id),
    )
    await minutes_pass(hass, freezer, 3)
    await set_state(hass, MOTION, STATE_OFF)

    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(LAMP).state == STATE_OFF, lamp_reason(hass)
