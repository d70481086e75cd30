"""The events automations and blueprints build on carry what the README says."""

from __future__ import annotations

from datetime import datetime

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockUser,
    async_capture_events,
)

from custom_components.aiot_brain.const import (
    DOMAIN,
    EVENT_ACTION,
    EVENT_DECISION,
    EVENT_HOLD,
    EVENT_SUGGESTION,
)

from .test_acting import (
    MOTION,
    START,
    THERMOSTAT,
    build_living_room,
    minutes_pass,
    set_by_hand,
    set_state,
    setup_brain,
)

CALL_KEYS = {"zone_id", "zone", "entity_id", "action", "data", "reason"}
HOLD_KEYS = {"zone_id", "zone", "entity_id", "until", "reason"}


def _a_call_to_the_thermostat(data: dict[str, object]) -> None:
    assert set(data) == CALL_KEYS
    assert data["zone_id"] == "living_room"
    assert data["zone"] == "Living room"
    assert data["entity_id"] == THERMOSTAT
    assert str(data["action"]).startswith("climate.set_")
    assert isinstance(data["data"], dict)
    assert str(data["reason"]).startswith("Heating Living room to 20.0 °C")


@pytest.mark.parametrize(
    ("level", "told"),
    [
        ("observe", EVENT_DECISION),
        ("suggest", EVENT_SUGGESTION),
        ("automate", EVENT_ACTION),
    ],
)
async def test_each_level_tells_its_call_with_the_same_keys(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, level: str, told: str
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    fired = {
        event: async_capture_events(hass, event)
        for event in (EVENT_ACTION, EVENT_SUGGESTION, EVENT_DECISION)
    }
    await setup_brain(hass, level=level)

    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)

    assert [event for event, seen in fired.items() if seen] == [told]
    _a_call_to_the_thermostat(fired[told][0].data)


async def test_a_hold_and_its_end_tell_the_area_the_device_and_until_when(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    freezer.move_to(START)
    await build_living_room(hass)
    holds = async_capture_events(hass, EVENT_HOLD)
    await setup_brain(hass, hold_minutes=90)
    await set_state(hass, MOTION, STATE_ON)

    await set_by_hand(hass, hass_admin_user, 22.5)
    await hass.async_block_till_done()

    held = holds[0].data
    assert set(held) == HOLD_KEYS
    assert (held["zone_id"], held["zone"]) == ("living_room", "Living room")
    assert held["entity_id"] == THERMOSTAT
    until = datetime.fromisoformat(str(held["until"]))
    assert (until - START).total_seconds() == 90 * 60
    assert str(held["reason"]).startswith("Holding the thermostat in Living room")

    await hass.services.async_call(
        DOMAIN, "resume", {"area_id": "living_room"}, blocking=True
    )
    ended = holds[-1].data
    assert set(ended) == HOLD_KEYS
    assert ended["until"] is None
    assert str(ended["reason"]).startswith("Hold ended")
