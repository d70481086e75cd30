"""End to end: AIoT Brain over the virtual apartment in a real Home Assistant.

The virtual building and AIoT Brain are added through their config flows; Home
Assistant's clock moves on a minute at a time, the building steps, its entities
change, and AIoT Brain hears them and ticks. Its occupancy entities are scored
against the simulator's hidden truth, which only the scorer reads.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from benchmarks import end_to_end
from custom_components.aiot_brain.brain.observation import Role
from custom_components.aiot_brain.const import EVENT_ACTION

end_to_end.add_config_dir_to_path()

# A Monday afternoon: the flat's nurse is on the early shift, comes home at about
# 14:45 and goes to bed at about 21:30. Four hours to learn (the return home among
# them), then the evening and the first hours of sleep are scored.
START = datetime(2026, 1, 5, 14)
MINUTES = 10 * 60
LEARNING = 4 * 60


async def test_aiot_brain_tracks_the_virtual_apartment(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(
        dt_util.as_utc(START.replace(tzinfo=dt_util.get_default_time_zone()))
    )
    run = await end_to_end.async_set_up(hass, "apartment", seed=0)

    # Both integrations run, and AIoT Brain found every room of the flat as a zone.
    for entry_id in (run.building_entry_id, run.brain_entry_id):
        entry = hass.config_entries.async_get_entry(entry_id)
        assert entry is not None
        assert entry.state is ConfigEntryState.LOADED
    areas = {area.name: area.id for area in ar.async_get(hass).async_list_areas()}
    rooms = {"Living room and kitchen", "Bedroom", "Bathroom"}
    assert set(run.coordinator.zones) == {areas[room] for room in rooms}
    assert {zone.name for zone in run.zones} == rooms
    # It runs on what the form suggests, as a person accepting it would (the
    # weather as outdoor source), but on the manager's numbers: the baselines'
    # comfort and cooling setpoints and their setback as the night, not defaults
    # of ours that they are not told.
    settings = run.coordinator.settings
    assert settings.outdoor_source is not None
    assert (settings.heating_setpoint, settings.cooling_setpoint) == (21.0, 25.0)
    assert settings.sleep_temperature == 17.0
    # It hears the building's entities through the state machine, nothing else.
    heard = run.coordinator._router.entity_ids
    registry = er.async_get(hass)
    assert "binary_sensor.bedroom_motion" in heard
    assert all(
        registry.async_get(entity_id).platform == "virtual_building"
        for entity_id in heard
    )
    for zone in run.zones:
        assert hass.states.get(zone.occupancy_entity).state in ("on", "off")
        assert 0 <= float(hass.states.get(zone.probability_entity).state) <= 100
        assert zone.motion_entity is not None

    async def advance() -> None:
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    result = await end_to_end.async_run(run, MINUTES, LEARNING, advance)
    zones = {zone["name"]: zone for zone in result["zones"].values()}
    overall = result["overall"]
    ours, motion = overall["aiot_brain"], overall["motion_10min"]

    assert overall["zone_minutes"] == 3 * (MINUTES - LEARNING)
    # Somebody was home, and somewhere else most of the time: not a one-sided test.
    assert 0.15 < overall["occupied_share"] < 0.6
    assert all(zone["aiot_brain_unavailable_minutes"] == 0 for zone in zones.values())
    # Far better than chance (0.5) on both states, and better than the motion
    # sensors alone, because it keeps a quiet room occupied.
    assert ours["balanced_accuracy"] >= 0.75
    assert ours["balanced_accuracy"] >= motion["balanced_accuracy"] + 0.05
    assert ours["balanced_accuracy"] >= overall["motion_now"]["balanced_accuracy"]
    # The sleeper barely moves: the motion sensor misses them, AIoT Brain does not.
    bedroom = zones["Bedroom"]
    assert bedroom["aiot_brain"]["accuracy"] >= 0.75
    assert (
        bedroom["aiot_brain"]["accuracy"] >= bedroom["motion_10min"]["accuracy"] + 0.15
    )
    # The probability tells the two states apart.
    assert ours["mean_probability_occupied"] >= ours["mean_probability_empty"] + 0.4
    # The building has no faulty sensors and no intruders: no alarm is due.
    assert overall["anomaly_share"] == 0.0


async def test_aiot_brain_drives_the_virtual_apartment(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(
        dt_util.as_utc(START.replace(tzinfo=dt_util.get_default_time_zone()))
    )
    run = await end_to_end.async_set_up(hass, "apartment", 0, "automate")
    areas = {area.name: area.id for area in ar.async_get(hass).async_list_areas()}
    control = f"sensor.{areas['Living room and kitchen']}_aiot_brain_control"
    actions = async_capture_events(hass, EVENT_ACTION)

    async def advance() -> None:
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    result = await end_to_end.async_run(run, MINUTES, LEARNING, advance)
    figures = end_to_end.building_figures(hass, run)

    # Its calls went through Home Assistant into the building's devices.
    assert hass.states.get(control).state in ("controlling", "holding")
    assert hass.states.get(control).attributes["last_action"]
    acted_on = {event.data["entity_id"] for event in actions}
    assert any(entity_id.startswith("climate.") for entity_id in acted_on)
    # Its lights are controlled too (here their occupants switch them by hand,
    # and it holds them).
    reasons = hass.states.get(control).attributes["reasons"]
    assert any(entity_id.startswith("light.") for entity_id in reasons)
    assert figures["calls_per_device_hour_mean"] > 0
    assert figures["calls_per_device_hour_max"] <= 6
    # Its entities change when what they say changes, not with every minute:
    # each change is a row in the recorder's database (about 50 an hour when
    # the reasons counted the minutes).
    assert result["state_writes_per_zone_hour"] < 25


async def test_an_american_home_drives_the_apartment_through_fahrenheit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The form, the readings and the calls all pass through °F."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(
        dt_util.as_utc(START.replace(tzinfo=dt_util.get_default_time_zone()))
    )
    run = await end_to_end.async_set_up(hass, "apartment", 0, "automate")
    # The form was given the manager's 69.8 °F for comfort and 62.6 °F for the
    # night (the baselines' 21 °C and 17 °C setback); the settings keep °C.
    settings = run.coordinator.settings
    assert (settings.heating_setpoint, settings.sleep_temperature) == (21.0, 17.0)
    actions = async_capture_events(hass, EVENT_ACTION)

    async def advance() -> None:
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    await end_to_end.async_run(run, MINUTES, LEARNING, advance)

    heating = [
        event.data
        for event in actions
        if event.data["action"] == "climate.set_temperature"
        and event.data["data"].get("hvac_mode") == "heat"
    ]
    assert heating
    for action in heating:
        # Sent in °F, within the bounds (16-28 °C is 60.8-82.4 °F) ...
        sent = action["data"]["temperature"]
        assert 60.8 <= sent <= 82.4
        # ... and said in °F: the value the thermostat was sent.
        said = action["reason"].split(":", 1)[0]
        assert said.endswith(f" to {sent:.1f} °F")
    assert end_to_end.building_figures(hass, run)["calls_per_device_hour_max"] <= 6


async def test_a_manager_fills_in_the_form_their_own_way(hass: HomeAssistant) -> None:
    options = end_to_end.option_values(
        ["heating_setpoint=21.5", "cooling_setpoint = 22", "sleep_temperature=none"]
    )
    run = await end_to_end.async_set_up(hass, "apartment", 0, "automate", options)

    settings = run.coordinator.settings
    assert (settings.heating_setpoint, settings.cooling_setpoint) == (21.5, 22.0)
    assert settings.sleep_temperature is None
    assert settings.outdoor_source is not None  # the rest as the form suggests


async def test_a_form_that_refuses_what_it_is_sent_says_why(
    hass: HomeAssistant,
) -> None:
    upside_down = {"heating_setpoint": 23.0, "cooling_setpoint": 21.0}
    with pytest.raises(end_to_end.FormRejectedError, match="heating_above_cooling"):
        await end_to_end.async_set_up(hass, "apartment", 0, "observe", upside_down)


async def test_an_option_the_form_does_not_have_is_named(hass: HomeAssistant) -> None:
    with pytest.raises(end_to_end.FormRejectedError, match="no field 'colour'"):
        await end_to_end.async_set_up(hass, "apartment", 0, "observe", {"colour": 1})


async def test_an_option_of_the_wrong_kind_is_refused(hass: HomeAssistant) -> None:
    warm = {"heating_setpoint": "warm"}
    with pytest.raises(end_to_end.FormRejectedError, match="heating_setpoint"):
        await end_to_end.async_set_up(hass, "apartment", 0, "observe", warm)


def test_options_are_read_as_numbers_flags_and_none() -> None:
    assert end_to_end.option_values(
        ["a=1", "b=TRUE", "c=false", "d=None", "e=sensor.x"]
    ) == {"a": 1.0, "b": True, "c": False, "d": None, "e": "sensor.x"}
    with pytest.raises(ValueError, match="NAME=VALUE"):
        end_to_end.option_values(["heating_setpoint"])
    with pytest.raises(SystemExit) as exit_info:
        end_to_end.main(["--option", "=3"])
    assert exit_info.value.code == 2


async def test_a_tracked_phone_tells_every_room_when_the_flat_is_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(
        dt_util.as_utc(START.replace(tzinfo=dt_util.get_default_time_zone()))
    )
    run = await end_to_end.async_set_up(hass, "apartment", 0, tracked="residents")
    coordinator = run.coordinator
    # No person is set up in this Home Assistant: the phone's tracker says it.
    assert coordinator.discovery.home_presence == ("device_tracker.sam_phone",)
    assert "device_tracker.sam_phone" in coordinator._router.entity_ids
    seen: set[tuple[str, float]] = set()
    for _ in range(90):  # Sam is at work, and comes home at about 14:45
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        phone = hass.states.get("device_tracker.sam_phone").state
        heard = {
            coordinator.brain.zone(zone_id).latest[Role.NOBODY_HOME]
            for zone_id in coordinator.zones
        }
        (everyone_away,) = heard  # every room knows the same
        seen.add((phone, everyone_away))
    assert seen == {("not_home", 1.0), ("home", 0.0)}
