"""People's whereabouts (person entities, trackers) and what follows from them.

Real Home Assistant ``person`` entities follow their device trackers; the living
room is test_acting's, with a demo thermostat.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .test_acting import (
    CONTROL,
    MOTION,
    START,
    THERMOSTAT,
    TRIP,
    build_living_room,
    minutes_pass,
    set_state,
    setup_brain,
    target,
)

ANOMALY = "binary_sensor.living_room_aiot_brain_anomaly"
PHONES = {"anna": "device_tracker.anna_phone", "ben": "device_tracker.ben_phone"}


async def set_up_people(hass: HomeAssistant, anna: str, ben: str) -> None:
    """Anna and Ben, each a person following their phone's tracker."""
    hass.states.async_set(PHONES["anna"], anna)
    hass.states.async_set(PHONES["ben"], ben)
    assert await async_setup_component(
        hass,
        "person",
        {
            "person": [
                {"id": name, "name": name.title(), "device_trackers": [phone]}
                for name, phone in PHONES.items()
            ]
        },
    )
    await hass.async_block_till_done()
    assert hass.states.get("person.anna").state == anna
    assert hass.states.get("person.ben").state == ben


async def test_a_phone_switched_off_at_home_is_not_taken_for_everyone_away(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Ben is at work; Anna is at home in a room with only a radiator thermostat.

    Her phone's battery dies (its tracker goes unavailable, so her person entity
    turns "unknown"): nothing says she left, and the room is not set back under her.
    """
    freezer.move_to(START)
    await build_living_room(hass)
    er.async_get(hass).async_update_entity(MOTION, area_id=None)  # thermostat alone
    await set_up_people(hass, anna="home", ben="not_home")
    await setup_brain(hass, min_temperature=12.0)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 20.0

    await set_state(hass, PHONES["anna"], STATE_UNAVAILABLE)
    assert hass.states.get("person.anna").state == "unknown"
    await minutes_pass(hass, freezer, 10)

    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert target(hass) == 20.0, reason


async def test_a_phone_switched_off_at_home_raises_no_someone_while_away_alarm(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Anna and Ben work 08:00-17:00 for six days. On the seventh Anna stays home
    and her phone's battery dies; she walks into the living room. Nobody broke
    in: the area's Anomaly does not say someone is there while everyone is away."""
    freezer.move_to(START)
    await build_living_room(hass)
    await set_up_people(hass, anna="home", ben="home")
    await setup_brain(hass, min_temperature=12.0)
    morning = dt_util.as_local(START).replace(hour=8, minute=0) + timedelta(days=1)

    async def at(when: datetime, entity_id: str, state: str) -> None:
        freezer.move_to(when)
        await set_state(hass, entity_id, state)

    for day in range(6):
        leaving = morning + timedelta(days=day)
        await at(leaving, PHONES["anna"], "not_home")
        await at(leaving, PHONES["ben"], "not_home")
        await at(leaving + timedelta(hours=9), PHONES["anna"], "home")
        await at(leaving + timedelta(hours=9), PHONES["ben"], "home")
    day7 = morning + timedelta(days=6)
    await at(day7, PHONES["ben"], "not_home")  # Ben goes to work, Anna stays
    await at(day7 + timedelta(hours=1), PHONES["anna"], STATE_UNAVAILABLE)
    assert hass.states.get("person.anna").state == "unknown"
    await at(day7 + timedelta(hours=2), MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 15)

    anomaly = hass.states.get(ANOMALY)
    assert anomaly.state == STATE_OFF, anomaly.attributes


async def test_a_person_removed_while_home_starts_no_trip_of_days_ago(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Ben has been away two days; Anna is at home. Her person is deleted (she
    moves her tracking to another account, or moves out): everyone is away from
    now on, not since Ben left two days ago, and that is no trip yet."""
    freezer.move_to(START)
    await build_living_room(hass)
    await set_up_people(hass, anna="home", ben="home")
    await setup_brain(hass, min_temperature=12.0)
    await set_state(hass, PHONES["ben"], "not_home")  # Ben leaves for two days
    for _ in range(2 * 24):
        await set_state(hass, MOTION, STATE_ON)  # Anna about the house
        await minutes_pass(hass, freezer, 30)
        await set_state(hass, MOTION, STATE_OFF)
        await minutes_pass(hass, freezer, 30)
    assert hass.states.get(TRIP).state == STATE_OFF

    # Anna's person goes (the person integration removes its entity).
    er.async_get(hass).async_remove("person.anna")
    hass.states.async_remove("person.anna")
    await hass.async_block_till_done()
    freezer.tick(timedelta(seconds=5))  # past the rediscovery's cooldown
    await minutes_pass(hass, freezer, 1)

    trip = hass.states.get(TRIP)
    reason = hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    assert trip.state == STATE_OFF, (trip.attributes, reason)
    assert "far longer than usual" not in reason
