"""Areas with one kind of sensor, as real homes have them, over hours of a day.

Each area of a benchmark building has motion, a door, CO2 and more; a real room
often has one of them: a phone's area tracker, a TV, a presence sensor at a desk.
The thermostats and lights are Home Assistant's demo entities.
"""

from __future__ import annotations

from homeassistant.components.climate import HVACMode
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    setup_test_component_platform,
)

from .test_acting import (
    START,
    THERMOSTAT,
    minutes_pass,
    set_state,
    setup_brain,
    target,
    thermostat,
)
from .test_coordinator import add_entity

OCCUPANCY = "binary_sensor.living_room_aiot_brain_occupancy"
PROBABILITY = "sensor.living_room_aiot_brain_occupancy_probability"


async def build_thermostat_room(hass: HomeAssistant) -> str:
    """A living room with only a thermostat, and a kitchen; return its area id."""
    climate = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF])
    setup_test_component_platform(hass, "climate", [climate])
    assert await async_setup_component(
        hass, "climate", {"climate": {"platform": "test"}}
    )
    await hass.async_block_till_done()
    areas = ar.async_get(hass)
    room = areas.async_create("Living room")
    areas.async_create("Kitchen")
    er.async_get(hass).async_update_entity(THERMOSTAT, area_id=room.id)
    return room.id


@pytest.mark.parametrize("gone", ["Kitchen", STATE_UNKNOWN])
async def test_a_room_only_a_phone_tracker_sees_is_empty_once_the_phone_leaves(
    hass, freezer, gone: str
) -> None:
    """Bermuda places the phone in the living room for an afternoon, then not.

    Bermuda updated or reloaded meanwhile (its sensors unavailable for an hour)
    is no news of the phone. Its "unknown" is: no proxy has seen it for a while.
    """
    freezer.move_to(START)
    await build_thermostat_room(hass)
    phone = add_entity(hass, "sensor", "phone_area", None, platform="bermuda")
    await set_state(hass, phone, "Living room")
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 180)
    await set_state(hass, phone, STATE_UNAVAILABLE)
    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    assert target(hass) == 20.0
    await set_state(hass, phone, "Living room")

    # Off to the kitchen at six (or out of every proxy's range): the room is empty.
    await set_state(hass, phone, gone)
    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(OCCUPANCY).state == STATE_OFF
    assert int(hass.states.get(PROBABILITY).state) < 50
    assert target(hass) == 16.0


async def test_a_phone_espresense_places_in_a_room_makes_it_occupied(
    hass, freezer
) -> None:
    """ESPresense reports through MQTT room sensors: their state names the room."""
    freezer.move_to(START)
    await build_thermostat_room(hass)
    phone = add_entity(hass, "sensor", "phone_room", None, platform="mqtt_room")
    await set_state(hass, phone, "not_home")
    await setup_brain(hass)
    await minutes_pass(hass, freezer, 30)
    assert hass.states.get(OCCUPANCY).state == STATE_OFF

    await set_state(hass, phone, "living_room")
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    assert target(hass) == 20.0

    await set_state(hass, phone, "kitchen")
    await minutes_pass(hass, freezer, 60)
    assert hass.states.get(OCCUPANCY).state == STATE_OFF


async def test_an_area_tracker_naming_an_area_goes_to_it_not_to_one_of_that_id(
    hass, freezer
) -> None:
    """The kitchen became the workshop, and a new kitchen was made beside it.

    The old one keeps its id, "kitchen"; Bermuda names the new one, "Kitchen": the
    phone is in the new kitchen, not in the workshop.
    """
    freezer.move_to(START)
    areas = ar.async_get(hass)
    old = areas.async_create("Kitchen")
    areas.async_update(old.id, name="Workshop")
    new = areas.async_create("Kitchen")
    assert (old.id, new.id) == ("kitchen", "kitchen_2")
    for area in (old, new):
        add_entity(
            hass,
            "binary_sensor",
            f"{area.id}_motion",
            area.id,
            original_device_class="motion",
        )
    phone = add_entity(hass, "sensor", "phone_area", None, platform="bermuda")
    await set_state(hass, phone, STATE_UNKNOWN)
    await setup_brain(hass, zones=("kitchen", "kitchen_2"))
    await minutes_pass(hass, freezer, 30)

    await set_state(hass, phone, "Kitchen")
    await minutes_pass(hass, freezer, 1)

    occupancy = "binary_sensor.{}_aiot_brain_occupancy"
    assert hass.states.get(occupancy.format("workshop")).state == STATE_OFF
    assert hass.states.get(occupancy.format("kitchen")).state == STATE_ON
