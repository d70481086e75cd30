"""The virtual building in a real Home Assistant: registries, entities, services, time."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
)
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from simulator import Command

DOMAIN = "virtual_building"


async def _setup(
    hass: HomeAssistant, scenario: str = "family_home", speed: float = 60
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=scenario,
        data={"scenario": scenario, "speed": speed, "seed": 1},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float, ticks: int
) -> None:
    for _ in range(ticks):
        freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def test_creates_floors_areas_devices_and_entities(hass: HomeAssistant) -> None:
    # Onboarding creates a "Kitchen" area without a floor; the building places it.
    kitchen = ar.async_get(hass).async_create("Kitchen")
    entry = await _setup(hass)
    floors = {floor.name: floor for floor in fr.async_get(hass).async_list_floors()}
    assert set(floors) >= {"Ground floor", "First floor"}
    assert floors["First floor"].level == 1
    areas = {area.name: area for area in ar.async_get(hass).async_list_areas()}
    for name, floor in (
        ("Living room", "Ground floor"),
        ("Kitchen", "Ground floor"),
        ("Bathroom", "First floor"),
    ):
        assert areas[name].floor_id == floors[floor].floor_id
    assert areas["Kitchen"].id == kitchen.id
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    names = {device.name: device for device in devices}
    assert names["Living room thermostat"].area_id == areas["Living room"].id
    assert names["Kids' room multisensor"].area_id == areas["Kids' room"].id
    assert "Weather station" in names
    registry = er.async_get(hass)
    expected = {
        "binary_sensor.living_room_motion": "motion",
        "binary_sensor.living_room_door": "door",
        "binary_sensor.living_room_window": "window",
        "sensor.living_room_temperature": "temperature",
        "sensor.living_room_humidity": "humidity",
        "sensor.living_room_co2": "carbon_dioxide",
        "sensor.living_room_illuminance": "illuminance",
        "sensor.living_room_power": "power",
    }
    for entity_id, device_class in expected.items():
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        assert state.attributes["device_class"] == device_class
        entity = registry.async_get(entity_id)
        assert entity is not None
        assert (
            dr.async_get(hass).async_get(entity.device_id).area_id
            == areas["Living room"].id
        )
    assert hass.states.get("light.living_room") is not None
    climate = hass.states.get("climate.living_room")
    assert climate.state == "heat"
    assert climate.attributes["temperature"] == 20.0
    assert float(hass.states.get("sensor.outdoor_temperature").state) < 15
    # The bathroom scenario has no CO2 sensor, so neither does HA.
    assert hass.states.get("sensor.bathroom_co2") is None
    assert entry.state is ConfigEntryState.LOADED


async def test_light_service_calls_light_the_simulated_room(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _setup(hass)
    building = entry.runtime_data.building
    study = building.zone_index["study"]
    before = building.illuminance[study]
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": "light.study", "brightness": 128, "color_temp_kelvin": 2700},
        blocking=True,
    )
    state = hass.states.get("light.study")
    assert state.state == "on"
    assert state.attributes["brightness"] == 128
    assert state.attributes["color_temp_kelvin"] == 2700
    assert building.light_on[study]
    assert building.metrics.calls["light.study"] == 1
    await _advance(hass, freezer, 1, 1)
    lux = float(hass.states.get("sensor.study_illuminance").state)
    assert lux >= before + 0.4 * building.light_lux[study]
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": "light.study"}, blocking=True
    )
    assert hass.states.get("light.study").state == "off"
    assert not building.light_on[study]


async def test_thermostat_heats_the_simulated_room(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _setup(hass, speed=60)
    building = entry.runtime_data.building
    study = building.zone_index["study"]
    start_temp = building.temp[study]
    start_minute = building.minute
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.study", "temperature": 28, "hvac_mode": "heat"},
        blocking=True,
    )
    assert hass.states.get("climate.study").attributes["temperature"] == 28
    # 60x: one simulated minute per real second.
    await _advance(hass, freezer, 1, 30)
    assert building.minute == start_minute + 30
    assert building.temp[study] > start_temp + 0.5
    climate = hass.states.get("climate.study")
    assert climate.attributes["hvac_action"] == "heating"
    assert climate.attributes["current_temperature"] == pytest.approx(
        building.temp[study], abs=0.06
    )
    sensor = float(hass.states.get("sensor.study_temperature").state)
    assert sensor == pytest.approx(building.temp[study], abs=0.06)
    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {"entity_id": "climate.study", "hvac_mode": "off"},
        blocking=True,
    )
    assert hass.states.get("climate.study").state == "off"
    await hass.services.async_call(
        "climate",
        "set_preset_mode",
        {"entity_id": "climate.study", "preset_mode": "eco"},
        blocking=True,
    )
    climate = hass.states.get("climate.study")
    assert (climate.state, climate.attributes["temperature"]) == ("heat", 18.0)
    await hass.services.async_call(
        "climate", "turn_off", {"entity_id": "climate.study"}, blocking=True
    )
    assert hass.states.get("climate.study").state == "off"
    await hass.services.async_call(
        "climate", "turn_on", {"entity_id": "climate.study"}, blocking=True
    )
    assert hass.states.get("climate.study").state == "heat"


async def test_speed_sets_the_pace(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _setup(hass, scenario="apartment", speed=2)
    building = entry.runtime_data.building
    start = building.minute
    await _advance(hass, freezer, 30, 4)  # 2 real minutes at 2x
    assert building.minute == start + 4


async def test_the_building_lives(hass: HomeAssistant) -> None:
    entry = await _setup(hass, scenario="apartment")
    runtime = entry.runtime_data
    watched = [
        "binary_sensor.living_kitchen_motion",
        "binary_sensor.bathroom_door",
        "light.living_kitchen",
        "sensor.living_kitchen_temperature",
        "sensor.living_kitchen_co2",
        "sensor.outdoor_temperature",
        "sensor.weather_station_simulated_time",
    ]
    seen: Counter[str] = Counter()

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        seen[event.data["entity_id"]] += 1

    async_track_state_change_event(hass, watched, record)
    for _ in range(24 * 60):  # a simulated day, minute by minute
        runtime.async_step()
    await hass.async_block_till_done()
    assert set(seen) == set(watched)
    assert seen["binary_sensor.living_kitchen_motion"] > 10
    assert seen["sensor.weather_station_simulated_time"] == 24 * 60
    assert runtime.building.metrics.manual_interventions > 0


async def test_dual_setpoint_climate_in_the_office(hass: HomeAssistant) -> None:
    await _setup(hass, scenario="office_floor")
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {
            "entity_id": "climate.meeting_1",
            "target_temp_low": 20,
            "target_temp_high": 24,
            "hvac_mode": "heat_cool",
        },
        blocking=True,
    )
    state = hass.states.get("climate.meeting_1")
    assert state.state == "heat_cool"
    assert (
        state.attributes["target_temp_low"],
        state.attributes["target_temp_high"],
    ) == (20, 24)


async def test_invalid_command_is_a_validation_error(hass: HomeAssistant) -> None:
    entry = await _setup(hass, scenario="apartment")
    with pytest.raises(ServiceValidationError):
        entry.runtime_data.async_command(
            Command(
                "climate", "set_temperature", "climate.bedroom", {"temperature": "warm"}
            )
        )


async def test_unload_stops_the_clock(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _setup(hass, scenario="apartment")
    building = entry.runtime_data.building
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    minute = building.minute
    await _advance(hass, freezer, 1, 5)
    assert building.minute == minute
    assert hass.states.get("light.bedroom").state == STATE_UNAVAILABLE


async def test_yaml_configuration_creates_the_entry(hass: HomeAssistant) -> None:
    assert await async_setup_component(
        hass, DOMAIN, {DOMAIN: {"scenario": "apartment", "speed": 30, "seed": 2}}
    )
    await hass.async_block_till_done()
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    assert entry.data == {
        "scenario": "apartment",
        "speed": 30.0,
        "seed": 2,
        "tracked": "none",
    }
    assert hass.states.get("climate.living_kitchen") is not None


async def test_tracked_phones_come_and_go_with_their_people(
    hass: HomeAssistant,
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="family_home",
        data={"scenario": "family_home", "speed": 60, "seed": 1, "tracked": "Anna"},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    runtime = entry.runtime_data
    assert hass.states.async_entity_ids("device_tracker") == [
        "device_tracker.anna_phone"
    ]
    assert hass.states.get("device_tracker.anna_phone").name == "Anna's phone"
    states = []
    for _ in range(24 * 60):  # a day, minute by minute
        runtime.async_step()
        await hass.async_block_till_done()
        states.append(hass.states.get("device_tracker.anna_phone").state)
        assert (states[-1] == "home") == (runtime.state("person.anna").state == "home")
    assert {"home", "not_home"} <= set(states)


async def test_tracking_someone_the_scenario_lacks_fails_setup_clearly(
    hass: HomeAssistant,
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={"scenario": "apartment", "speed": 60, "seed": 0, "tracked": "Zed"},
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert "no occupant named ['Zed']" in (entry.reason or "")


async def test_bad_scenario_fails_setup_clearly(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, data={"scenario": "castle", "speed": 60, "seed": 0}
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert "unknown scenario" in (entry.reason or "")
