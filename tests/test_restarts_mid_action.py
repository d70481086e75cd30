"""Home Assistant restarting, or the entry reloading, in the middle of things.

Each test stops and starts the entry over real files, while a device is held,
a light waits for its vacancy delay, or a person turns a thermostat up.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.components.demo.climate import DemoClimate
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Context, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)

from custom_components.aiot_brain.const import EVENT_ACTION, EVENT_HOLD

from .test_acting import (
    CONTROL,
    LAMP,
    MOTION,
    START,
    THERMOSTAT,
    build_living_room,
    calls_to,
    coordinator_of,
    lamp,
    minutes_pass,
    set_living_room_mode,
    set_state,
    setup_brain,
    target,
    thermostat,
)
from .test_nights import restart
from .test_odd_devices import (
    WholeDegreeCloudThermostat,
    radiator_valve,
    whole_degree_living_room,
)


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A configuration directory of this test's own."""
    return hass_tmp_config_dir


@pytest.fixture
def hass_storage() -> Generator[dict[str, Any]]:
    """No stand-in: every Store reads and writes real files."""
    return {}


async def heated_for_someone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> tuple[DemoClimate, MockConfigEntry]:
    """Someone comes into the living room: its thermostat heats it to 20 °C."""
    freezer.move_to(START)
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF])
    await build_living_room(hass, [room])
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 20.0
    return room, entry


async def test_a_valves_window_function_ending_after_a_restart_is_no_hand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The valve airs at 5 °C; Home Assistant restarts; the window is shut.

    Without the restart, the valve back at its 20 °C by itself is nobody's change:
    the hold ends and nothing is learned. A restart during the airing must not
    turn the valve's own return into a person's 20 °C, held for the hold time.
    """
    freezer.move_to(START)
    valve = radiator_valve()
    await build_living_room(hass, [valve])
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass, hold_minutes=120)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 20)
    assert target(hass) == 20.0
    await valve.async_window_opened()
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 5.0

    await restart(hass, entry)
    await minutes_pass(hass, freezer, 2)
    await valve.async_window_shut()
    await minutes_pass(hass, freezer, 1)

    # Switched to eco soon after, it is set back, not left two hours at 20 °C.
    await set_living_room_mode(hass, "eco")
    await minutes_pass(hass, freezer, 5)
    assert target(hass) == 17.0
    assert hass.states.get(CONTROL).attributes["held_until"] == {}
    assert holds[-1].data["reason"] == (
        "Hold ended: the thermostat went back by itself to how it was"
    )
    zone = coordinator_of(entry).brain.zone("living_room")
    assert zone.comfort.labels == 0  # its 20 °C again is nobody's wish


async def test_a_valves_boost_ending_after_a_restart_is_no_hand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Boost pressed in a room kept at eco's 17 °C; a restart; the boost ends."""
    freezer.move_to(START)
    valve = radiator_valve()
    await build_living_room(hass, [valve])
    entry = await setup_brain(hass, hold_minutes=120)
    await set_state(hass, MOTION, STATE_ON)
    await set_living_room_mode(hass, "eco")
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 17.0
    await hass.services.async_call(
        "climate",
        "set_preset_mode",
        {"entity_id": THERMOSTAT, "preset_mode": "boost"},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await minutes_pass(hass, freezer, 10)
    assert (
        "changed by hand" in hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    )

    await restart(hass, entry)
    await minutes_pass(hass, freezer, 5)
    await valve.async_end_boost()
    await minutes_pass(hass, freezer, 1)

    # Over by itself: the valve is as it was, and the area's plan goes on.
    assert hass.states.get(CONTROL).attributes["held_until"] == {}
    assert (
        "changed by hand"
        not in hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT]
    )
    zone = coordinator_of(entry).brain.zone("living_room")
    assert zone.comfort.labels == 0  # eco's 17 °C again is nobody's wish


async def test_a_light_switched_on_for_someone_goes_off_on_time_over_a_reload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone leaves; the vacancy delay runs from when they were last seen.

    A reload (an option changed) or a restart halfway through the wait does not
    start it again, and the reason names when motion was last seen, not the
    restart.
    """
    freezer.move_to(START)
    await build_living_room(hass, climates=[], lights=[lamp()])
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 5)
    await set_state(hass, MOTION, STATE_OFF)
    # Without a reload, find when it goes off.
    minutes = 0
    while hass.states.get(LAMP).state == STATE_ON and minutes < 120:
        await minutes_pass(hass, freezer, 1)
        minutes += 1
    assert hass.states.get(LAMP).state == STATE_OFF
    unreloaded = minutes

    # Again, with an option changed (a reload) halfway through the wait.
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(LAMP).state == STATE_ON
    await minutes_pass(hass, freezer, 4)
    await set_state(hass, MOTION, STATE_OFF)
    await minutes_pass(hass, freezer, unreloaded // 2)
    await restart(hass, entry)
    minutes = unreloaded // 2
    while hass.states.get(LAMP).state == STATE_ON and minutes < 120:
        await minutes_pass(hass, freezer, 1)
        minutes += 1

    assert minutes <= unreloaded + 1
    reason = hass.states.get(CONTROL).attributes["reasons"][LAMP]
    assert "no motion since 14:29" in reason  # when they left, not the restart


@pytest.mark.parametrize("changed", ["at_the_device", "from_the_app"])
@pytest.mark.parametrize("restart_kind", ["home_assistant", "reload", "back_later"])
async def test_a_thermostat_turned_up_during_a_restart_is_not_turned_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
    restart_kind: str,
    changed: str,
) -> None:
    """Heated to 20 °C by AIoT Brain; someone turns it up to 22.5 °C meanwhile.

    At the dial while Home Assistant restarts (its integration comes back showing
    22.5 °C, before or after ours starts), or from Home Assistant's app while the
    entry reloads: it shows neither what it did nor what AIoT Brain last set.
    Setting it back to 20 °C would fight whoever set it.
    """
    actions = async_capture_events(hass, EVENT_ACTION)
    room, entry = await heated_for_someone(hass, freezer)
    assert len(actions) == 1

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    if restart_kind != "reload":
        room._attr_available = False
        room.async_write_ha_state()
    freezer.tick(timedelta(minutes=1))
    if restart_kind == "back_later":
        # Its integration comes back after ours has started.
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        await minutes_pass(hass, freezer, 1)
    room._attr_available = True
    if changed == "at_the_device":
        room._target_temperature = 22.5  # the dial
        room.async_write_ha_state()
    else:
        room.async_write_ha_state()
        await hass.services.async_call(
            "climate",
            "set_temperature",
            {"entity_id": THERMOSTAT, "temperature": 22.5},
            blocking=True,
            context=Context(user_id=hass_admin_user.id),
        )
    freezer.tick(timedelta(seconds=30))
    if restart_kind != "back_later":
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 10)

    assert target(hass) == 22.5
    assert len(actions) == 1
    control = hass.states.get(CONTROL)
    assert list(control.attributes["held_until"]) == [THERMOSTAT]
    assert control.attributes["reasons"][THERMOSTAT].startswith(
        "Holding the thermostat in Living room: "
    )


@pytest.mark.parametrize("shows", ["as_before", "our_last_call"])
async def test_a_thermostat_back_from_a_restart_as_we_left_it_is_not_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, shows: str
) -> None:
    """Back as it was, or showing only now our last call: nobody changed it.

    A cloud thermostat reports our calls at its next poll: the one for eco had
    not come when Home Assistant stopped.
    """
    freezer.move_to(START)
    room = await whole_degree_living_room(hass, WholeDegreeCloudThermostat)
    holds = async_capture_events(hass, EVENT_HOLD)
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await room.async_poll()
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 20.0
    if shows == "our_last_call":
        await set_living_room_mode(hass, "eco")
        assert room.asked["temperature"] == 17.0

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    room._attr_available = False
    room.async_write_ha_state()
    freezer.tick(timedelta(minutes=1))
    room._attr_available = True
    await room.async_poll()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 10)

    assert holds == []
    assert hass.states.get(CONTROL).attributes["held_until"] == {}
    assert target(hass) == (17.0 if shows == "our_last_call" else 20.0)


async def restarted_before_the_thermostats_setpoint(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Heated for someone, then restarted with the thermostat unavailable.

    Returns its attributes before, and the same without its setpoint, as its
    integration (MQTT with a topic per setting, say) reports them first.
    """
    _, entry = await heated_for_someone(hass, freezer)
    full = dict(hass.states.get(THERMOSTAT).attributes)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    hass.states.async_set(THERMOSTAT, STATE_UNAVAILABLE, {})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return full, {k: v for k, v in full.items() if k != "temperature"}


async def test_a_thermostat_filling_in_its_setpoint_after_a_restart_is_not_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Restarted, the thermostat shows it heating before its setpoint has
    arrived, then the same 20 °C as before. Nobody touched it: it is not held,
    as found changed or as changed by hand."""
    holds = async_capture_events(hass, EVENT_HOLD)
    full, partial = await restarted_before_the_thermostats_setpoint(hass, freezer)

    # Its mode first, its setpoint not yet known: not found changed.
    hass.states.async_set(THERMOSTAT, HVACMode.HEAT, partial)
    await hass.async_block_till_done()
    assert holds == []

    # Then its setpoint, the 20 °C it had: no hand either.
    hass.states.async_set(THERMOSTAT, HVACMode.HEAT, full)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 1)

    assert holds == []
    assert hass.states.get(CONTROL).attributes["held_until"] == {}


async def test_a_thermostat_filling_in_another_setpoint_after_a_restart_is_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Its setpoint arriving after its mode shows 23 °C: set by hand meanwhile."""
    holds = async_capture_events(hass, EVENT_HOLD)
    _, partial = await restarted_before_the_thermostats_setpoint(hass, freezer)

    hass.states.async_set(THERMOSTAT, HVACMode.HEAT, partial)
    await hass.async_block_till_done()
    hass.states.async_set(THERMOSTAT, HVACMode.HEAT, {**partial, "temperature": 23.0})
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 1)

    assert len(holds) == 1
    assert THERMOSTAT in hass.states.get(CONTROL).attributes["held_until"]
    assert target(hass) == 23.0


async def test_a_thermostat_back_before_its_setpoint_is_left_alone_until_it_shows_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Turned to 23 °C at its dial while off the network, it comes back showing
    its mode first and its setpoint a minute later (MQTT with a topic per
    setting, Z-Wave's values one by one). Nothing is sent meanwhile over the
    setpoint not yet known, and the 23 °C is then held."""
    freezer.move_to(START)
    room = thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF])
    await build_living_room(hass, [room])
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    assert target(hass) == 20.0
    actions = async_capture_events(hass, EVENT_ACTION)
    full = dict(hass.states.get(THERMOSTAT).attributes)
    hass.states.async_set(THERMOSTAT, STATE_UNAVAILABLE, {})
    await minutes_pass(hass, freezer, 10)
    room._target_temperature = 23.0

    partial = {key: value for key, value in full.items() if key != "temperature"}
    hass.states.async_set(THERMOSTAT, HVACMode.HEAT, partial)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 1)  # a decision falls in between
    assert calls_to(actions, THERMOSTAT) == []
    assert hass.states.get(CONTROL).attributes["reasons"][THERMOSTAT] == (
        "Leaving Living room's thermostat alone: it is back, and has yet to report "
        "each of its settings"
    )
    room.async_write_ha_state()  # its setpoint arrives
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 5)

    assert target(hass) == 23.0
    assert THERMOSTAT in hass.states.get(CONTROL).attributes["held_until"]
    assert calls_to(actions, THERMOSTAT) == []


async def test_a_thermostat_back_that_never_shows_its_setpoint_is_driven_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """One whose setpoint never comes is not waited for beyond two minutes."""
    freezer.move_to(START)
    await build_living_room(
        hass, [thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF])]
    )
    await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    full = dict(hass.states.get(THERMOSTAT).attributes)
    hass.states.async_set(THERMOSTAT, STATE_UNAVAILABLE, {})
    await minutes_pass(hass, freezer, 10)
    partial = {key: value for key, value in full.items() if key != "temperature"}
    hass.states.async_set(THERMOSTAT, HVACMode.HEAT, partial)
    await hass.async_block_till_done()

    await minutes_pass(hass, freezer, 3)
    assert target(hass) == 20.0  # sent again, and shown


async def test_a_thermostat_still_without_its_setpoint_reading_the_room_is_no_hand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Its setpoint not shown yet (nor ever, in a mode that has none, as a band's
    heat/cool mode has no single setpoint), the room's temperature it reads
    moving is nobody's change: it is not held, nor taken for someone there."""
    holds = async_capture_events(hass, EVENT_HOLD)
    _, partial = await restarted_before_the_thermostats_setpoint(hass, freezer)
    hass.states.async_set(THERMOSTAT, HVACMode.HEAT, partial)
    await hass.async_block_till_done()

    warmer = {**partial, "current_temperature": partial["current_temperature"] + 0.5}
    hass.states.async_set(THERMOSTAT, HVACMode.HEAT, warmer)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 1)

    assert holds == []
    assert hass.states.get(CONTROL).attributes["held_until"] == {}
