"""Changes an automation makes: held, not fought, and no sign of anyone there.

An automation's context has no user, and a parent (what set it off) or, set off by
a time or the sun, none. Lights on at dusk or a heating schedule say nothing of
who is in the room.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.aiot_brain.const import EVENT_ACTION, EVENT_HOLD

from .test_acting import (
    LAMP,
    MOTION,
    START,
    THERMOSTAT,
    build_living_room,
    calls_to,
    coordinator_of,
    lamp,
    minutes_pass,
    set_state,
    setup_brain,
    target,
)
from .test_lighting import lamp_reason, lamp_room

READING_LAMP = "light.living_room_reading"
COMFORT = "sensor.living_room_aiot_brain_comfort_setpoint"


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


# The automation's time trigger waits for tomorrow's 14:10 as the test ends.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_a_heating_schedule_automation_teaches_no_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A heating schedule (an automation on a time trigger) is nobody's wish.

    Home Assistant runs a time-triggered automation in a context with neither a
    user nor a parent: its change is still held as an automation's, not learned
    as a person's comfort, nor taken for a hand in the room.
    """
    freezer.move_to(START)  # 14:00 local
    await build_living_room(hass)
    at = (dt_util.as_local(START) + timedelta(minutes=10)).strftime("%H:%M:%S")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Heating schedule",
                "triggers": [{"trigger": "time", "at": at}],
                "actions": [
                    {
                        "action": "climate.set_temperature",
                        "target": {"entity_id": THERMOSTAT},
                        "data": {"temperature": 24},
                    }
                ],
            }
        },
    )
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 5)
    assert target(hass) == 20.0
    assert float(hass.states.get(COMFORT).state) == 20.0

    await minutes_pass(hass, freezer, 10)  # the schedule ran at 14:10

    assert target(hass) == 24.0
    assert len(holds) == 1  # held, as any other hand's change
    # But not learned: nobody set 24 °C, nor was anyone's hand on it.
    assert float(hass.states.get(COMFORT).state) == 20.0
    assert "living_room" not in coordinator_of(entry).control.last_touched
