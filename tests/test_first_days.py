"""A new user's first days at the observe and suggest levels: what they are told.

A living room and a bedroom, each with motion, a demo thermostat and a demo lamp,
driven (or not) through real service calls.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    setup_test_component_platform,
)

from custom_components.aiot_brain.const import (
    DOMAIN,
    EVENT_ACTION,
    EVENT_DECISION,
    EVENT_SUGGESTION,
)

from .test_acting import (
    START,
    build_living_room,
    dismiss_suggestion,
    follow_notifications,
    lamp,
    minutes_pass,
    outdoors,
    set_state,
    setup_brain,
    target,
    thermostat,
)
from .test_coordinator import add_entity

# Every Store reads and writes real files here: a saved state is written as one.
from .test_persistence import (  # noqa: F401
    hass_config_dir,
    hass_storage,
    write_store,
)

ROOMS = {"living_room": "Living room", "bedroom": "Bedroom"}
LIVING_ROOM_MOTION = "binary_sensor.living_room_motion"
LIVING_ROOM_CONTROL = "sensor.living_room_aiot_brain_control"
LIVING_ROOM_LAMP = "light.living_room"
BEDROOM_CONTROL = "sensor.bedroom_aiot_brain_control"
BEDROOM_LAMP = "light.bedroom"


async def furnish(hass: HomeAssistant, rooms: dict[str, str]) -> list[str]:
    """Rooms, each with motion, a thermostat and a lamp; return the motion sensors.

    The motion sensors are registered, with no state yet.
    """
    setup_test_component_platform(
        hass,
        "climate",
        [thermostat(room, [HVACMode.HEAT, HVACMode.OFF]) for room in rooms],
    )
    setup_test_component_platform(hass, "light", [lamp(room) for room in rooms])
    assert await async_setup_component(
        hass, "climate", {"climate": {"platform": "test"}}
    )
    assert await async_setup_component(hass, "light", {"light": {"platform": "test"}})
    await hass.async_block_till_done()
    areas, entities = ar.async_get(hass), er.async_get(hass)
    motions = []
    for room, name in rooms.items():
        area = areas.async_create(name)
        for entity_id in (f"climate.{room}", f"light.{room}"):
            entities.async_update_entity(entity_id, area_id=area.id)
        motions.append(
            add_entity(
                hass,
                "binary_sensor",
                f"{room}_motion",
                area.id,
                original_device_class="motion",
            )
        )
    outdoors(hass, 5.0)
    return motions


async def build_home(hass: HomeAssistant) -> None:
    """A living room and a bedroom, each with motion, a thermostat and a lamp."""
    for motion in await furnish(hass, ROOMS):
        hass.states.async_set(motion, STATE_OFF)


async def setup_home(hass: HomeAssistant, level: str) -> MockConfigEntry:
    return await setup_brain(hass, level=level, zones=tuple(ROOMS))


def set_back_as_nobody_seen_since(clock: str) -> dict[str, str]:
    """Each room's setback once nobody has been seen there since the start."""
    return {
        f"climate.{room}": (
            f"Heating {name} to 16.0 °C: setback: empty since {clock} "
            "(nobody seen yet), no arrival expected soon"
        )
        for room, name in ROOMS.items()
    }


async def change_an_option(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The user changes the hold time in the options: the entry reloads."""
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "hold_minutes": 60}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def test_an_option_changed_at_observe_reports_no_decision_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Each would-be call is told once, not again after every reload or restart."""
    freezer.move_to(START)
    await build_home(hass)
    decisions = async_capture_events(hass, EVENT_DECISION)
    entry = await setup_home(hass, "observe")
    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 15)
    told = [event.data["reason"] for event in decisions]
    # Heating the living room, its lamp, and setting the bedroom back, nobody
    # seen there for 15 minutes.
    assert len(told) == 3

    await change_an_option(hass, entry)
    await minutes_pass(hass, freezer, 5)

    assert [event.data["reason"] for event in decisions] == told


@pytest.mark.parametrize(
    "saved",
    [
        "garbage",
        {"observed": "garbage"},
        {"observed": {"climate.living_room": 7}},
        {
            "observed": {
                "climate.living_room": {
                    "domain": "climate",
                    "service": "set_temperature",
                }
            }
        },
    ],
)
async def test_an_unreadable_decision_told_before_is_told_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, saved: object
) -> None:
    freezer.move_to(START)
    await build_home(hass)
    write_store(hass, {"told": saved})
    decisions = async_capture_events(hass, EVENT_DECISION)
    await setup_home(hass, "observe")
    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)

    assert "climate.living_room" in {event.data["entity_id"] for event in decisions}


async def test_an_option_changed_at_suggest_proposes_nothing_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The reload takes the notifications down and puts the same ones back, no news."""
    freezer.move_to(START)
    await build_home(hass)
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    entry = await setup_home(hass, "suggest")
    notifications = follow_notifications(hass)
    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 15)
    told = [event.data["reason"] for event in suggested]
    assert len(told) == 3
    shown = dict(notifications)
    assert len(shown) == 3

    await change_an_option(hass, entry)
    await minutes_pass(hass, freezer, 5)

    assert [event.data["reason"] for event in suggested] == told
    assert notifications == shown


async def test_the_control_sensor_reads_observing_while_a_lamp_switched_by_hand_is_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """At the observe level nothing is held back from anyone: it only watches."""
    freezer.move_to(START)
    await build_home(hass)
    await setup_home(hass, "observe")
    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": "light.living_room"},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await minutes_pass(hass, freezer, 1)

    control = hass.states.get(LIVING_ROOM_CONTROL)
    assert control.state == "observing"
    # What it would leave alone, were it to act, is still shown.
    assert list(control.attributes["held_until"]) == ["light.living_room"]


@pytest.mark.parametrize(
    ("from_the_app", "lamp_after"), [(True, STATE_OFF), (False, STATE_ON)]
)
async def test_a_thermostat_changed_from_the_app_puts_nobody_in_its_room(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    from_the_app: bool,
    lamp_after: str,
) -> None:
    """The bedroom's heating switched off from the sofa lights no bedroom lamp.

    A change from the app or a dashboard carries its user and may come from any
    room; a hand on the thermostat itself (no user) is someone there.
    """
    freezer.move_to(START + timedelta(hours=3, minutes=30))  # 17:30, dark
    await build_home(hass)
    await setup_home(hass, "automate")
    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(BEDROOM_LAMP).state == STATE_OFF

    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {"entity_id": "climate.bedroom", "hvac_mode": HVACMode.OFF},
        blocking=True,
        context=Context(user_id=hass_admin_user.id if from_the_app else None),
    )
    await minutes_pass(hass, freezer, 1)

    assert hass.states.get(BEDROOM_LAMP).state == lamp_after
    # Held either way: nobody's change is fought.
    assert (
        "climate.bedroom" in hass.states.get(BEDROOM_CONTROL).attributes["held_until"]
    )


async def test_a_suggestion_accepted_is_carried_out_in_the_name_of_who_accepted_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """The logbook says who said yes; the lamp's change is still no person's hand."""
    freezer.move_to(START + timedelta(hours=3, minutes=30))  # 17:30, dark
    await build_home(hass)
    actions = async_capture_events(hass, EVENT_ACTION)
    await setup_home(hass, "suggest")
    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)

    yes = Context(user_id=hass_admin_user.id)
    await hass.services.async_call(
        DOMAIN,
        "accept_suggestion",
        {"area_id": "living_room"},
        blocking=True,
        context=yes,
    )
    await hass.async_block_till_done()

    lamp_state = hass.states.get(LIVING_ROOM_LAMP)
    assert lamp_state.state == STATE_ON
    assert lamp_state.context.user_id == hass_admin_user.id
    assert lamp_state.context.parent_id == yes.id
    assert {event.context.user_id for event in actions} == {hass_admin_user.id}
    assert len(actions) == 2  # the lamp and the heating
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LIVING_ROOM_CONTROL).attributes["held_until"] == {}


async def test_a_lamp_proposed_for_someone_staying_is_proposed_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """As the sun sets the light it would give turns warmer: the same proposal."""
    freezer.move_to(START + timedelta(hours=2))  # 16:00, the sun 10° up
    await build_home(hass)
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    await setup_home(hass, "suggest")
    notifications = follow_notifications(hass)
    # Someone spends the evening in the living room and never answers.
    for _ in range(60):
        await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
        await minutes_pass(hass, freezer, 1)
        await set_state(hass, LIVING_ROOM_MOTION, STATE_OFF)
        await minutes_pass(hass, freezer, 2)

    lamp_proposals = [e for e in suggested if e.data["entity_id"] == LIVING_ROOM_LAMP]
    assert len(lamp_proposals) == 1
    assert lamp_proposals[0].data["data"]["color_temp_kelvin"] > 3000
    # What is shown, and what accepting it would do, is the light of the hour.
    assert "2700 K" in notifications[f"{DOMAIN}_suggestion_{LIVING_ROOM_LAMP}"]
    await hass.services.async_call(
        DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(LIVING_ROOM_LAMP).attributes["color_temp_kelvin"] == 2700


async def test_a_lamp_dismissed_is_not_proposed_again_until_the_room_is_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Dismissing the notification says "not now": not again while they stay."""
    freezer.move_to(START + timedelta(hours=3, minutes=30))  # 17:30
    await build_living_room(hass, climates=[], lights=[lamp()])
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    entry = await setup_brain(hass, level="suggest")
    notifications = follow_notifications(hass)
    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert len(suggested) == 1
    notification = f"{DOMAIN}_suggestion_{LIVING_ROOM_LAMP}"
    assert notification in notifications

    await dismiss_suggestion(hass, LIVING_ROOM_LAMP)
    # They stay all evening; the light it would give turns warmer at 18:00, and
    # an option changed reloads AIoT Brain meanwhile.
    for minutes in range(20):
        if minutes == 10:
            await change_an_option(hass, entry)
        await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
        await minutes_pass(hass, freezer, 1)
        await set_state(hass, LIVING_ROOM_MOTION, STATE_OFF)
        await minutes_pass(hass, freezer, 2)

    assert len(suggested) == 1
    assert notification not in notifications
    control = hass.states.get(LIVING_ROOM_CONTROL)
    assert control.attributes["suggestions"] == {}
    assert control.attributes["reasons"][LIVING_ROOM_LAMP].startswith(
        "Not now (dismissed at 17:31, until Living room is empty): "
        "Switching on Living room's light"
    )
    # A yes to what was dismissed is no longer possible.
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
        )

    # They leave; whoever comes in later is asked again.
    await minutes_pass(hass, freezer, 60)
    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert len(suggested) == 2
    assert notification in notifications


async def test_a_bedroom_nobody_entered_since_the_afternoon_is_not_slept_in(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Installed at 14:00; its motion sensor saw nobody there all evening."""
    freezer.move_to(START)
    await build_home(hass)
    decisions = async_capture_events(hass, EVENT_DECISION)
    await setup_home(hass, "observe")
    await minutes_pass(hass, freezer, 6 * 60 + 30)  # 20:30, night since 20:00

    reasons = hass.states.get(BEDROOM_CONTROL).attributes["reasons"]
    assert reasons["climate.bedroom"] == (
        "Observing only: Heating Bedroom to 16.0 °C: setback: empty since 14:15 "
        "(nobody seen yet), no arrival expected soon"
    )
    told = [e.data["reason"] for e in decisions if e.data["zone_id"] == "bedroom"]
    assert len(told) == 1


async def test_a_notification_says_accepting_takes_the_areas_other_suggestion_too(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Home at 17:30: the heating and the lamp are proposed; one yes does both."""
    freezer.move_to(START + timedelta(hours=3, minutes=30))
    await build_home(hass)
    await setup_home(hass, "suggest")
    notifications = follow_notifications(hass)
    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    lamp_message = notifications[f"{DOMAIN}_suggestion_{LIVING_ROOM_LAMP}"]
    assert "Switching on Living room's light" in lamp_message
    assert "with any other suggestion for Living room" in lamp_message

    await hass.services.async_call(
        DOMAIN, "accept_suggestion", {"area_id": "living_room"}, blocking=True
    )
    await hass.async_block_till_done()

    assert hass.states.get(LIVING_ROOM_LAMP).state == STATE_ON
    assert hass.states.get("climate.living_room").attributes["temperature"] == 20.0


async def test_a_room_nobody_was_seen_in_since_the_start_is_set_back_once_quiet_long_enough(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Added at 14:00: nobody seen yet is nobody known gone, for the vacancy time.

    Someone sitting still since before the start looks the same to its sensor as
    an empty room, as someone sitting still after motion went off would.
    """
    freezer.move_to(START)
    await build_home(hass)
    suggested = async_capture_events(hass, EVENT_SUGGESTION)
    await setup_home(hass, "suggest")
    await minutes_pass(hass, freezer, 14)

    assert suggested == []
    assert hass.states.get(BEDROOM_CONTROL).attributes["reasons"][
        "climate.bedroom"
    ] == (
        "Leaving Bedroom's thermostat as it is: nobody seen since 14:00, "
        "taken as empty from 14:15"
    )

    await minutes_pass(hass, freezer, 1)

    assert {
        event.data["entity_id"]: event.data["reason"] for event in suggested
    } == set_back_as_nobody_seen_since("14:15")


async def test_someone_sitting_still_at_the_start_is_not_set_back_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Automate from 14:00; someone in the living room stirs at 14:10."""
    freezer.move_to(START)
    await build_home(hass)
    await setup_home(hass, "automate")
    await minutes_pass(hass, freezer, 10)
    assert target(hass, "climate.living_room") == 17.0
    assert target(hass, "climate.bedroom") == 17.0

    await set_state(hass, LIVING_ROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 6)

    assert target(hass, "climate.living_room") == 20.0
    assert target(hass, "climate.bedroom") == 16.0


async def test_a_first_start_at_bedtime_leaves_unseen_rooms_to_the_sleep_rule(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Added at 23:00: whoever lies still in bed is not left cold or woken.

    Nothing seen there may be sleepers: the sleep temperature, from the start.
    """
    freezer.move_to(START + timedelta(hours=9))  # 23:00
    await build_home(hass)
    await setup_home(hass, "observe")
    await minutes_pass(hass, freezer, 2)

    reasons = hass.states.get(BEDROOM_CONTROL).attributes["reasons"]
    assert reasons["climate.bedroom"] == (
        "Observing only: Heating Bedroom to 18.5 °C: quiet and dark at night: "
        "sleep temperature"
    )
