"""The runtime: states in, predictions out, with Home Assistant's clock under control."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryDisabler
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.aiot_brain.brain.observation import Observation, Role
from custom_components.aiot_brain.brain.timefeatures import wall_clock
from custom_components.aiot_brain.brain.zone import ZoneBrain
from custom_components.aiot_brain.const import DOMAIN, REDISCOVER_COOLDOWN
from custom_components.aiot_brain.coordinator import (
    REPLAY_QUIET_TICK,
    AiotBrainCoordinator,
    ReplayClock,
)
from custom_components.aiot_brain.settings import Settings

START = datetime.fromisoformat("2026-11-02T16:00:00+00:00")  # a Monday, 08:00 local

OCCUPANCY = "binary_sensor.office_aiot_brain_occupancy"
PROBABILITY = "sensor.office_aiot_brain_occupancy_probability"
FORECAST = "sensor.office_aiot_brain_occupancy_forecast_next_hour"
OCCUPIED_ZONES = "sensor.aiot_brain_occupied_zones"


def add_entity(
    hass: HomeAssistant,
    domain: str,
    object_id: str,
    area_id: str | None,
    platform: str = "test",
    **kwargs: Any,
) -> str:
    """Register an entity (in ``area_id``, if given); return its entity id."""
    registry = er.async_get(hass)
    created = registry.async_get_or_create(
        domain, platform, object_id, suggested_object_id=object_id, **kwargs
    )
    if area_id:
        registry.async_update_entity(created.entity_id, area_id=area_id)
    return created.entity_id


def build_office(hass: HomeAssistant) -> None:
    """An office (motion, CO2, temperature, thermostat), a kitchen, weather, a tag."""
    areas = ar.async_get(hass)
    office = areas.async_create("Office")
    kitchen = areas.async_create("Kitchen")

    add_entity(
        hass,
        "binary_sensor",
        "office_motion",
        office.id,
        original_device_class="motion",
    )
    add_entity(
        hass,
        "sensor",
        "office_co2",
        office.id,
        original_device_class="carbon_dioxide",
        unit_of_measurement="ppm",
    )
    add_entity(
        hass,
        "sensor",
        "office_temperature",
        office.id,
        original_device_class="temperature",
        unit_of_measurement="°C",
    )
    add_entity(hass, "climate", "office_thermostat", office.id)
    add_entity(
        hass,
        "binary_sensor",
        "kitchen_motion",
        kitchen.id,
        original_device_class="motion",
    )
    add_entity(hass, "weather", "home", None)
    add_entity(hass, "sensor", "keys_tag_area", None, platform="bermuda")


def office_entry(hass: HomeAssistant, **settings: Any) -> MockConfigEntry:
    """A config entry for the office (and whatever else ``settings`` chooses)."""
    options: dict[str, Any] = {"zones": ("office",), "history_days": 0, **settings}
    entry = MockConfigEntry(
        domain=DOMAIN, title="AIoT Brain", options=Settings(**options).as_options()
    )
    entry.add_to_hass(hass)
    return entry


async def setup_office(hass: HomeAssistant, **settings: Any) -> MockConfigEntry:
    """Set AIoT Brain up on the office (and whatever else ``settings`` chooses)."""
    entry = office_entry(hass, **settings)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def coordinator_of(entry: MockConfigEntry) -> AiotBrainCoordinator:
    coordinator: AiotBrainCoordinator = entry.runtime_data.coordinator
    return coordinator


async def setup_office_with_motion_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> MockConfigEntry:
    """Set the office up at START and let its motion sensor see someone."""
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await hass.async_block_till_done()
    return entry


async def minutes_pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: int
) -> None:
    """Let the minute timer run ``minutes`` times."""
    for _ in range(minutes):
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def test_occupancy_follows_motion(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass)
    assert hass.states.get(OCCUPANCY).state == STATE_OFF
    assert hass.states.get(OCCUPIED_ZONES).state == "0"

    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await hass.async_block_till_done()

    # On the change itself, not at the next minute.
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    assert hass.states.get(OCCUPIED_ZONES).state == "1"
    probability = int(hass.states.get(PROBABILITY).state)
    assert probability > 50

    # With nothing but motion to go on (no CO2 reading yet), it holds on for
    # some minutes after the sensor clears (just left, or sitting still) ...
    hass.states.async_set("binary_sensor.office_motion", STATE_OFF)
    await minutes_pass(hass, freezer, 4)
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    # ... and not for hours.
    await minutes_pass(hass, freezer, 6)
    assert hass.states.get(OCCUPANCY).state == STATE_OFF
    await minutes_pass(hass, freezer, 170)
    assert hass.states.get(OCCUPANCY).state == STATE_OFF
    assert int(hass.states.get(PROBABILITY).state) < 50
    assert hass.states.get(OCCUPIED_ZONES).state == "0"


async def test_an_area_is_occupied_while_any_of_its_motion_sensors_sees_someone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    desk = add_entity(
        hass,
        "binary_sensor",
        "office_desk_presence",
        "office",
        original_device_class="occupancy",
    )
    await setup_office(hass)

    # Someone walks past the door's sensor to the desk, and sits there.
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    hass.states.async_set(desk, STATE_ON)
    await hass.async_block_till_done()
    hass.states.async_set("binary_sensor.office_motion", STATE_OFF)
    await minutes_pass(hass, freezer, 180)
    assert hass.states.get(OCCUPANCY).state == STATE_ON

    hass.states.async_set(desk, STATE_OFF)
    await minutes_pass(hass, freezer, 180)
    assert hass.states.get(OCCUPANCY).state == STATE_OFF


async def test_a_motion_sensor_that_goes_unavailable_while_on_stops_counting(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_office_with_motion_on(hass, freezer)
    assert hass.states.get(OCCUPANCY).state == STATE_ON

    # Its battery dies while it is on.
    hass.states.async_set("binary_sensor.office_motion", STATE_UNAVAILABLE)
    await minutes_pass(hass, freezer, 180)
    assert hass.states.get(OCCUPANCY).state == STATE_OFF
    anomaly = hass.states.get("binary_sensor.office_aiot_brain_anomaly")
    assert anomaly.state == STATE_ON
    assert anomaly.attributes["reason"] == (
        "binary_sensor.office_motion has been unavailable since 08:00"
    )
    office = coordinator_of(entry).brain.zone("office")
    assert office.bad_values == 0


async def test_a_sensor_gone_the_night_the_clocks_go_forward_is_said_gone_then(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The core's clock eases over the change; the anomaly tells the clocks' time."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    # 01:00 winter time; at 02:00 the clocks go forward to 03:00.
    freezer.move_to(datetime.fromisoformat("2026-03-29T00:00:00+00:00"))
    build_office(hass)
    await setup_office(hass)
    hass.states.async_set("sensor.office_temperature", "20.0")
    await minutes_pass(hass, freezer, 40)

    hass.states.async_set("sensor.office_temperature", STATE_UNAVAILABLE)  # 01:40
    await minutes_pass(hass, freezer, 90)

    anomaly = hass.states.get("binary_sensor.office_aiot_brain_anomaly")
    assert anomaly.attributes["reason"] == (
        "sensor.office_temperature has been unavailable since 01:40"
    )


async def test_heating_that_stopped_reporting_is_no_heating_without_effect(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    anomaly = "binary_sensor.office_aiot_brain_anomaly"
    thermostat = "climate.office_thermostat"
    heating = {"current_temperature": 19.0, "temperature": 21.0}
    hass.states.async_set(
        "sensor.office_temperature", "19.0", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set(thermostat, "heat", {**heating, "hvac_action": "heating"})
    await minutes_pass(hass, freezer, 30)

    # The valve's battery dies while it heats: whether it heats is not known,
    # only that it is gone, said once (not for its setpoint and its reading).
    hass.states.async_set(thermostat, STATE_UNAVAILABLE)  # 08:30
    await minutes_pass(hass, freezer, 59)
    assert hass.states.get(anomaly).state == STATE_OFF  # a radio blip, perhaps
    await minutes_pass(hass, freezer, 121)
    gone = hass.states.get(anomaly)
    assert gone.attributes["kinds"] == ["unavailable"]
    assert gone.attributes["reason"] == (
        f"{thermostat} has been unavailable since 08:30"
    )

    # A new battery: it heats again, and is judged from then on.
    hass.states.async_set(thermostat, "heat", {**heating, "hvac_action": "heating"})
    await minutes_pass(hass, freezer, 50)
    assert hass.states.get(anomaly).state == STATE_OFF
    await minutes_pass(hass, freezer, 20)
    assert hass.states.get(anomaly).attributes["kinds"] == ["hvac_no_effect"]
    assert "heating since 11:30" in hass.states.get(anomaly).attributes["reason"]

    # Taken out of the area: its run is no longer judged here.
    er.async_get(hass).async_update_entity(thermostat, area_id=None)
    await minutes_pass(hass, freezer, 180)
    assert hass.states.get(anomaly).state == STATE_OFF
    office = coordinator_of(entry).brain.zone("office")
    assert thermostat not in office.anomalies.sources


async def test_a_thermometer_back_after_a_night_unavailable_is_not_stuck(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass)
    anomaly = "binary_sensor.office_aiot_brain_anomaly"
    thermometer = "sensor.office_temperature"
    celsius = {"unit_of_measurement": "°C"}
    # Its usual pace: a change every ten minutes.
    for step in range(30):
        hass.states.async_set(thermometer, f"{20.0 + step % 3 / 10:.1f}", celsius)
        await minutes_pass(hass, freezer, 10)
    hass.states.async_set(thermometer, "20.5", celsius)
    await minutes_pass(hass, freezer, 10)

    # Its radio drops out for the night, and it comes back reading as before.
    hass.states.async_set(thermometer, STATE_UNAVAILABLE)
    await minutes_pass(hass, freezer, 8 * 60)
    assert hass.states.get(anomaly).attributes["kinds"] == ["unavailable"]
    hass.states.async_set(thermometer, "20.5", celsius)
    await minutes_pass(hass, freezer, 10)
    assert hass.states.get(anomaly).state == STATE_OFF
    # Flat for long after it came back, it is stuck after all.
    await minutes_pass(hass, freezer, 6 * 60)
    assert hass.states.get(anomaly).attributes["kinds"] == ["stuck"]


async def test_a_window_is_open_while_any_of_its_contacts_is(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    left, right = (
        add_entity(
            hass, "binary_sensor", name, "office", original_device_class="window"
        )
        for name in ("office_window_left", "office_window_right")
    )
    await setup_office(hass)
    window = "binary_sensor.office_aiot_brain_window_open"

    hass.states.async_set(left, STATE_ON)
    hass.states.async_set(right, STATE_ON)
    await hass.async_block_till_done()
    hass.states.async_set(right, STATE_OFF)
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(window).state == STATE_ON  # the left one is still open

    # The open one's battery dies: the shut one reads the window alone.
    hass.states.async_set(left, STATE_UNAVAILABLE)
    await hass.async_block_till_done()
    assert hass.states.get(window).state == STATE_OFF


async def test_forecast_is_published_every_minute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    coordinator = coordinator_of(entry)
    first = coordinator.predictions["office"].when

    await minutes_pass(hass, freezer, 3)

    assert coordinator.predictions["office"].when == first + timedelta(minutes=3)
    forecast = hass.states.get(FORECAST)
    horizons = [
        "in_15_minutes",
        "in_30_minutes",
        "in_60_minutes",
        "in_120_minutes",
        "in_6_hours",
    ]
    assert all(isinstance(forecast.attributes[name], int) for name in horizons)
    assert all(0 <= forecast.attributes[name] <= 100 for name in horizons)
    assert forecast.state == str(forecast.attributes["in_60_minutes"])
    assert forecast.attributes["unit_of_measurement"] == "%"


async def test_outdoor_source_reaches_every_zone_in_celsius(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(
        hass, zones=("office", "kitchen"), outdoor_source="weather.home"
    )
    brain = coordinator_of(entry).brain

    hass.states.async_set(
        "weather.home", "rainy", {"temperature": 41.0, "temperature_unit": "°F"}
    )
    hass.states.async_set(
        "sensor.office_temperature", "18.5", {"unit_of_measurement": "°C"}
    )
    await hass.async_block_till_done()

    for zone_id in ("office", "kitchen"):
        assert brain.zone(zone_id).latest[Role.OUTDOOR_TEMPERATURE] == pytest.approx(5)
    assert brain.zone("office").latest[Role.TEMPERATURE] == 18.5
    assert Role.TEMPERATURE not in brain.zone("kitchen").latest
    # Both temperatures known: the next minute tells the time to reach comfort.
    await minutes_pass(hass, freezer, 1)
    time_to = hass.states.get("sensor.office_aiot_brain_time_to_temperature")
    assert time_to.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE)
    assert time_to.attributes["unit_of_measurement"] == "min"


async def test_a_room_sensor_not_the_thermostat_reads_the_room(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    add_entity(hass, "climate", "kitchen_valve", "kitchen")
    entry = await setup_office(hass, zones=("office", "kitchen"))
    brain = coordinator_of(entry).brain

    hass.states.async_set(
        "sensor.office_temperature", "19.5", {"unit_of_measurement": "°C"}
    )
    # Radiator valves read the heat next to them.
    for valve_id in ("climate.office_thermostat", "climate.kitchen_valve"):
        hass.states.async_set(
            valve_id, "heat", {"current_temperature": 23.0, "temperature": 21.0}
        )
    await hass.async_block_till_done()

    office, kitchen_zone = brain.zone("office"), brain.zone("kitchen")
    assert office.latest[Role.TEMPERATURE] == 19.5
    assert office.thermal.temperature == 19.5
    assert office.latest[Role.HVAC_SETPOINT] == 21.0  # the rest of it still counts
    assert kitchen_zone.latest[Role.TEMPERATURE] == 23.0  # nothing else reads there


async def test_thermostats_are_read_in_fahrenheit_once_home_assistant_switches(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The user switches Home Assistant to US customary while AIoT Brain runs."""
    freezer.move_to(START)
    build_office(hass)
    add_entity(hass, "climate", "kitchen_valve", "kitchen")
    entry = await setup_office(hass, zones=("office", "kitchen"))

    await hass.config.async_update(unit_system="us_customary")
    hass.states.async_set(
        "climate.kitchen_valve",
        "heat",
        {"current_temperature": 68.0, "temperature": 70.0},
        context=Context(user_id="someone"),
    )
    await minutes_pass(hass, freezer, 1)

    kitchen = coordinator_of(entry).brain.zone("kitchen")
    assert kitchen.latest[Role.TEMPERATURE] == pytest.approx(20.0)
    assert kitchen.latest[Role.HVAC_SETPOINT] == pytest.approx(21.1, abs=0.1)
    comfort = hass.states.get("sensor.kitchen_aiot_brain_comfort_setpoint")
    assert comfort.attributes["unit_of_measurement"] == "°F"


async def test_a_fridge_thermometer_leaves_the_kitchen_temperature_alone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    for name in ("kitchen_temperature", "fridge_temperature"):
        add_entity(
            hass,
            "sensor",
            name,
            "kitchen",
            original_device_class="temperature",
            unit_of_measurement="°C",
        )
    entry = await setup_office(hass, zones=("office", "kitchen"))

    for entity_id, value in (
        ("sensor.kitchen_temperature", "21.0"),
        ("sensor.fridge_temperature", "4.0"),
    ):
        hass.states.async_set(entity_id, value, {"unit_of_measurement": "°C"})
    await hass.async_block_till_done()

    kitchen = coordinator_of(entry).brain.zone("kitchen")
    assert kitchen.latest[Role.TEMPERATURE] == 21.0  # not 12.5, the two's mean


async def test_a_second_thermometer_reading_the_same_for_days_still_counts(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Home Assistant reports a steady reading without a change event."""
    freezer.move_to(START)
    build_office(hass)
    add_entity(
        hass,
        "sensor",
        "office_temperature_2",
        "office",
        original_device_class="temperature",
        unit_of_measurement="°C",
    )
    entry = await setup_office(hass)
    celsius = {"unit_of_measurement": "°C"}
    hass.states.async_set("sensor.office_temperature_2", "21.0", celsius)
    for hour in range(30):
        freezer.tick(timedelta(hours=1))
        # The first thermometer moves; the second reports 21.0 again each hour.
        hass.states.async_set("sensor.office_temperature", f"{19 + hour % 2}", celsius)
        hass.states.async_set("sensor.office_temperature_2", "21.0", celsius)
        await hass.async_block_till_done()

    office = coordinator_of(entry).brain.zone("office")
    assert office.latest[Role.TEMPERATURE] == pytest.approx(20.5)  # 20 and 21

    # One that falls silent has died: after a day the room reads the other alone.
    freezer.tick(timedelta(hours=25))
    hass.states.async_set("sensor.office_temperature", "19.0", celsius)
    await hass.async_block_till_done()
    assert office.latest[Role.TEMPERATURE] == pytest.approx(19.0)


async def test_a_zone_without_history_starts_from_the_states_as_they_stand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    hass.states.async_set(
        "weather.home", "rainy", {"temperature": 5.0, "temperature_unit": "°C"}
    )
    hass.states.async_set(
        "sensor.office_temperature", "18.5", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    freezer.tick(timedelta(hours=1))  # none of them will change for a while

    entry = await setup_office(hass, outdoor_source="weather.home")

    zone = coordinator_of(entry).brain.zone("office")
    assert zone.latest[Role.OUTDOOR_TEMPERATURE] == 5.0
    assert zone.latest[Role.TEMPERATURE] == 18.5
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    time_to = hass.states.get("sensor.office_aiot_brain_time_to_temperature")
    assert float(time_to.state) > 0  # 18.5 °C is below the heating comfort


async def test_areas_without_history_make_their_first_predictions_in_turns(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A new building's hundreds of areas must not hold the event loop at once."""
    freezer.move_to(START)
    build_office(hass)
    hass.states.async_set(
        "sensor.office_temperature", "18.5", {"unit_of_measurement": "°C"}
    )
    entry = await setup_office(hass, zones=("office", "kitchen"))
    coordinator = coordinator_of(entry)
    zones = ("office", "kitchen")
    for zone_id in zones:
        coordinator.brain.remove_zone(zone_id)
        coordinator.brain.zone(zone_id)
    before = dict(coordinator.predictions)

    def fresh() -> list[str]:
        return [z for z in zones if coordinator.predictions.get(z) is not before[z]]

    coordinator.async_learn_history(list(zones))
    assert len(fresh()) <= 1  # the first may come at once, the other waits its turn
    await asyncio.sleep(0)
    await hass.async_block_till_done()
    assert fresh() == list(zones)
    assert coordinator.brain.zone("office").latest[Role.TEMPERATURE] == 18.5


async def test_a_fault_in_one_zone_leaves_the_others_going(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, zones=("office", "kitchen"))
    coordinator = coordinator_of(entry)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise ZeroDivisionError("a bug in the kitchen's model")

    kitchen = coordinator.brain.zone("kitchen")
    for method in ("learn_one", "tick", "predict_one"):
        monkeypatch.setattr(kitchen, method, broken)
    hass.states.async_set("binary_sensor.kitchen_motion", STATE_ON)
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await minutes_pass(hass, freezer, 3)

    # The office still learns and is predicted every minute ...
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    assert coordinator.predictions["office"].when == wall_clock(dt_util.now())
    # ... and each of the kitchen's faults is told once, not every minute.
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert sorted(r.getMessage() for r in errors) == [
        "Learning kitchen failed; the other zones go on",
        "Predicting kitchen failed; the other zones go on",
    ]
    assert all(r.exc_info is not None for r in errors)


async def test_only_the_chosen_zones_listen(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)

    hass.states.async_set("binary_sensor.kitchen_motion", STATE_ON)
    await hass.async_block_till_done()

    assert set(coordinator_of(entry).brain.zones) == {"office"}
    assert hass.states.get("binary_sensor.kitchen_aiot_brain_occupancy") is None


async def test_area_tracker_moves_presence_between_zones(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, zones=("office", "kitchen"))
    brain = coordinator_of(entry).brain

    hass.states.async_set("sensor.keys_tag_area", "Office")
    await hass.async_block_till_done()
    assert brain.zone("office").latest[Role.PRESENCE] == 1.0
    assert hass.states.get(OCCUPANCY).state == STATE_ON

    hass.states.async_set("sensor.keys_tag_area", "kitchen")  # by id works too
    await hass.async_block_till_done()
    assert brain.zone("office").latest[Role.PRESENCE] == 0.0
    assert brain.zone("kitchen").latest[Role.PRESENCE] == 1.0
    assert hass.states.get("binary_sensor.kitchen_aiot_brain_occupancy").state == (
        STATE_ON
    )

    hass.states.async_set("sensor.keys_tag_area", "not_home")
    await hass.async_block_till_done()
    assert brain.zone("kitchen").latest[Role.PRESENCE] == 0.0


async def test_an_area_tracker_is_followed_across_registry_changes_and_restarts(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, zones=("office", "kitchen"))
    hass.states.async_set("sensor.keys_tag_area", "Office")
    await hass.async_block_till_done()

    # Any registry change rebuilds the routes; the tag's place is kept.
    er.async_get(hass).async_update_entity(
        "sensor.office_co2", name="Office air quality"
    )
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    hass.states.async_set("sensor.keys_tag_area", "Kitchen")
    await hass.async_block_till_done()
    brain = coordinator_of(entry).brain
    assert brain.zone("office").latest[Role.PRESENCE] == 0.0
    assert brain.zone("kitchen").latest[Role.PRESENCE] == 1.0

    # The tag leaves the house while Home Assistant is down.
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    hass.states.async_set("sensor.keys_tag_area", "not_home")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    brain = coordinator_of(entry).brain
    assert brain.zone("kitchen").latest[Role.PRESENCE] == 0.0


def add_people(hass: HomeAssistant) -> None:
    """Anna and Ben, and a printer whose tracker says "home" all day."""
    entities = er.async_get(hass)
    for person in ("anna", "ben"):
        entities.async_get_or_create(
            "person", "person", person, suggested_object_id=person
        )
    entities.async_get_or_create(
        "device_tracker", "ping", "printer", suggested_object_id="printer"
    )
    hass.states.async_set("device_tracker.printer", "home")


async def test_everyone_away_empties_every_zone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    add_people(hass)
    hass.states.async_set("person.anna", "home")
    hass.states.async_set("person.ben", "not_home")
    hass.states.async_set("sensor.office_co2", "800")
    entry = await setup_office(hass, zones=("office", "kitchen"))
    brain = coordinator_of(entry).brain

    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await minutes_pass(hass, freezer, 30)
    hass.states.async_set("binary_sensor.office_motion", STATE_OFF)
    await minutes_pass(hass, freezer, 20)
    # Anna may be reading, the air as it was: a young zone that has seen only
    # her keeps her.
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    assert brain.zone("office").latest[Role.NOBODY_HOME] == 0.0

    hass.states.async_set("person.anna", "Work", {"latitude": 52.1})
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(OCCUPANCY).state == STATE_OFF
    reasons = coordinator_of(entry).predictions["office"].reasons
    assert "everyone away" in reasons["occupancy"]
    for zone_id in ("office", "kitchen"):
        assert brain.zone(zone_id).latest[Role.NOBODY_HOME] == 1.0

    # A new position far away changes nothing; Ben coming home does.
    observed = brain.zone("kitchen").occupancy.builder.last_event.copy()
    freezer.tick(timedelta(minutes=1))
    hass.states.async_set("person.anna", "not_home", {"latitude": 52.3})
    await hass.async_block_till_done()
    assert brain.zone("kitchen").occupancy.builder.last_event == observed
    hass.states.async_set("person.ben", "home")
    await hass.async_block_till_done()
    assert brain.zone("kitchen").latest[Role.NOBODY_HOME] == 0.0


async def test_people_who_left_while_home_assistant_was_down_are_away(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    add_people(hass)
    hass.states.async_set("person.anna", "home")
    entry = await setup_office(hass)
    brain = coordinator_of(entry).brain
    await minutes_pass(hass, freezer, 1)
    assert brain.zone("office").latest[Role.NOBODY_HOME] == 0.0
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    hass.states.async_set("person.anna", "not_home")
    hass.states.async_set("person.ben", STATE_UNKNOWN)  # no tracker of his own
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    brain = coordinator_of(entry).brain
    assert brain.zone("office").latest[Role.NOBODY_HOME] == 1.0


async def test_a_reload_while_one_of_two_is_out_makes_up_no_absence(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    add_people(hass)
    hass.states.async_set("person.anna", "home")
    hass.states.async_set("person.ben", "home")
    entry = await setup_office(hass)
    hass.states.async_set("person.anna", "not_home")  # Anna goes to work
    freezer.tick(timedelta(hours=5))
    hass.states.async_set("person.ben", "home", {"gps_accuracy": 12})  # a new fix
    await hass.async_block_till_done()

    # Saving the options reloads; Anna's state is read before Ben's.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    zone = coordinator_of(entry).brain.zone("office")
    assert zone.latest[Role.NOBODY_HOME] == 0.0
    assert (zone.absences.hours, zone.absences.away_since) == ([], None)

    # Ben leaves too, and Home Assistant restarts an hour later: everyone has
    # been away since he left, not since Anna did.
    hass.states.async_set("person.ben", "not_home")
    left = dt_util.now()
    freezer.tick(timedelta(hours=1))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    zone = coordinator_of(entry).brain.zone("office")
    assert zone.absences.away_since == dt_util.as_local(left).replace(tzinfo=None)


async def test_someone_in_the_office_while_everyone_is_away_is_an_anomaly(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    add_people(hass)
    hass.states.async_set("person.anna", "home")
    await setup_office(hass)
    anomaly = "binary_sensor.office_aiot_brain_anomaly"
    morning = dt_util.as_local(START)  # Monday 08:00

    async def at(when: datetime, entity_id: str, state: str) -> None:
        freezer.move_to(when)
        hass.states.async_set(entity_id, state)
        await hass.async_block_till_done()

    for day in range(6):  # Anna works 08:00-17:00; nobody comes in meanwhile
        leaving = morning + timedelta(days=day)
        await at(leaving, "person.anna", "not_home")
        await at(leaving + timedelta(hours=9), "person.anna", "home")
    await at(morning + timedelta(days=6), "person.anna", "not_home")
    await at(morning + timedelta(days=6, hours=3), "binary_sensor.office_motion", "on")
    await minutes_pass(hass, freezer, 15)

    state = hass.states.get(anomaly)
    assert state.state == STATE_ON
    assert state.attributes["kinds"] == ["occupied_while_away"]
    assert "while everyone was away" in state.attributes["reason"]
    # The building's sensor names the area, for one automation over all of them.
    building = hass.states.get("binary_sensor.aiot_brain_anomaly")
    assert building.state == STATE_ON
    assert building.attributes["areas"] == {"Office": state.attributes["reason"]}

    await at(morning + timedelta(days=6, hours=4), "person.anna", "home")
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(anomaly).state == STATE_OFF
    building = hass.states.get("binary_sensor.aiot_brain_anomaly")
    assert building.state == STATE_OFF
    assert building.attributes["areas"] == {}


async def _co2_reads_650_then(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, reading: str
) -> tuple[ZoneBrain, dict[str, Any]]:
    """Set up the office, let its CO2 read 650 ppm, then ``reading``.

    Return the office zone and its state from before ``reading``.
    """
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    zone = coordinator_of(entry).brain.zone("office")
    hass.states.async_set("sensor.office_co2", "650", {"unit_of_measurement": "ppm"})
    await hass.async_block_till_done()
    learned = zone.to_dict()

    freezer.tick(timedelta(seconds=5))
    hass.states.async_set("sensor.office_co2", reading, {"unit_of_measurement": "ppm"})
    await hass.async_block_till_done()
    return zone, learned


@pytest.mark.parametrize("no_reading", [STATE_UNKNOWN, STATE_UNAVAILABLE, ""])
async def test_a_sensor_without_a_reading_is_forgotten_not_learned(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, no_reading: str
) -> None:
    zone, learned = await _co2_reads_650_then(hass, freezer, no_reading)

    now = zone.to_dict()
    assert now.pop("readings") == {"co2": {}}  # its 650 ppm no longer holds
    assert now.pop("latest") == {}  # nor is the room's CO2 known
    learned.pop("readings")
    assert learned.pop("latest") == {"co2": 650.0}
    # Unavailable since then (the anomaly check says so after an hour).
    # Its one record (of CO2) says when it went, in its twelfth field, and the
    # area's occupied hours then, in its eighteenth (popped first: each pop
    # moves the fields after it).
    gone_at, occupied_at_gone = 11, 17
    now_co2 = now["anomalies"]["sources"]["sensor.office_co2"][0]
    learned_co2 = learned["anomalies"]["sources"]["sensor.office_co2"][0]
    assert now_co2.pop(occupied_at_gone) is not None
    assert learned_co2.pop(occupied_at_gone) is None
    assert now_co2.pop(gone_at)
    assert learned_co2.pop(gone_at) is None
    # Occupancy reads the air no more: it forgot the level, and only that.
    assert "co2" not in now["occupancy"]["features"]["levels"]
    assert learned["occupancy"]["features"]["levels"].pop("co2")
    assert now == learned
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(PROBABILITY).state not in (STATE_UNKNOWN, STATE_UNAVAILABLE)


@pytest.mark.parametrize("bad", ["high", "nan", "inf"])
async def test_bad_states_teach_nothing_and_break_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, bad: str
) -> None:
    zone, learned = await _co2_reads_650_then(hass, freezer, bad)

    assert zone.latest[Role.CO2] == 650.0
    assert zone.to_dict() == learned
    await minutes_pass(hass, freezer, 1)
    assert hass.states.get(PROBABILITY).state not in (STATE_UNKNOWN, STATE_UNAVAILABLE)


@pytest.mark.parametrize("absurd", ["-5", "1e9"])
async def test_absurd_readings_are_reported_not_learned(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, absurd: str
) -> None:
    zone, learned = await _co2_reads_650_then(hass, freezer, absurd)

    assert zone.latest[Role.CO2] == 650.0
    after = zone.to_dict()
    for state in (learned, after):
        del state["anomalies"], state["bad_values"]
    assert after == learned  # no model learned from it...
    anomalies = zone.predict_one(START).anomalies
    assert [anomaly.kind for anomaly in anomalies] == [
        "out_of_range"
    ]  # ...it is reported


async def test_a_removed_entity_is_no_error(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await setup_office_with_motion_on(hass, freezer)

    hass.states.async_remove("binary_sensor.office_motion")
    await minutes_pass(hass, freezer, 1)

    assert hass.states.get(OCCUPANCY).state == STATE_ON


async def test_only_a_persons_setpoint_teaches_comfort(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    await setup_office(hass, heating_setpoint=20.0, zones=("office", "kitchen"))
    setpoint = "sensor.office_aiot_brain_comfort_setpoint"
    heating = {"current_temperature": 19.0, "hvac_action": "heating"}

    # A schedule or an automation: no user behind the change.
    for minute in range(5):
        hass.states.async_set(
            "climate.office_thermostat",
            "heat",
            {**heating, "temperature": 17.0 + minute / 10},
            context=Context(parent_id="automation"),
        )
        await minutes_pass(hass, freezer, 1)
    assert float(hass.states.get(setpoint).state) == 20.0

    for minute in range(5):
        hass.states.async_set(
            "climate.office_thermostat",
            "heat",
            {**heating, "temperature": 23.0 - minute / 10},
            context=Context(user_id="someone"),
        )
        await minutes_pass(hass, freezer, 1)
    assert float(hass.states.get(setpoint).state) > 20.0
    # The kitchen, where nobody has changed anything, leans on the office.
    kitchen = hass.states.get("sensor.kitchen_aiot_brain_comfort_setpoint")
    assert float(kitchen.state) > 20.0


class _TickedZone(ZoneBrain):
    """A zone that notes when it is ticked."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[datetime] = []

    def tick(self, when: datetime) -> float:
        self.ticks.append(when)
        return super().tick(when)


async def test_history_of_the_night_the_clocks_go_back_is_ticked_in_order(
    hass: HomeAssistant,
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    zone = _TickedZone()
    clock = ReplayClock(zone)
    # 01:30 CEST; at 03:00 CEST (01:00 UTC) the clocks go back to 02:00 CET.
    start = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    for minute in range(0, 150, 7):  # motion every 7 minutes
        when = dt_util.as_local(start + timedelta(minutes=minute))
        clock.learn(Observation(Role.MOTION, 1.0, when, "binary_sensor.motion"))
    end = start + timedelta(minutes=180)
    clock.advance(end)

    instants = [dt_util.as_utc(when) for when in zone.ticks]
    assert instants == sorted(set(instants))
    assert end - REPLAY_QUIET_TICK < instants[-1] <= end


async def test_an_area_tracker_not_yet_loaded_at_a_restart_takes_nobody_away(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, zones=("office", "kitchen"))
    hass.states.async_set("sensor.keys_tag_area", "Office")
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    # Home Assistant starts again; the tracker's integration is not loaded yet.
    hass.states.async_remove("sensor.keys_tag_area")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    office = coordinator_of(entry).brain.zone("office")
    assert office.latest[Role.PRESENCE] == 1.0
    assert hass.states.get(OCCUPANCY).state == STATE_ON


async def test_without_an_outdoor_source_a_repair_says_heating_cannot_be_timed(
    hass: HomeAssistant,
) -> None:
    build_office(hass)
    entry = await setup_office(hass)  # a thermostat, no outdoor source chosen
    issues = ir.async_get(hass)
    issue = issues.async_get_issue(DOMAIN, "no_outdoor_source")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING

    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "outdoor_source": "weather.home"}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, "no_outdoor_source") is None


async def test_an_outdoor_source_deleted_raises_a_repair_until_it_is_back(
    hass: HomeAssistant,
) -> None:
    # The weather integration removed (another chosen in its place, say): no
    # area is warmed before people arrive any more, and nothing said so.
    build_office(hass)
    hass.states.async_set("weather.home", "rainy", {"temperature": 5.0})
    await setup_office(hass, outdoor_source="weather.home")
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "outdoor_source_gone") is None

    er.async_get(hass).async_remove("weather.home")
    hass.states.async_remove("weather.home")
    await hass.async_block_till_done()

    issue = issues.async_get_issue(DOMAIN, "outdoor_source_gone")
    assert issue is not None
    assert issue.translation_placeholders == {"entity": "weather.home"}
    assert issues.async_get_issue(DOMAIN, "no_outdoor_source") is None

    add_entity(hass, "weather", "home", None)
    hass.states.async_set("weather.home", "rainy", {"temperature": 5.0})
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, "outdoor_source_gone") is None


async def test_an_outdoor_source_missing_once_started_raises_a_repair(
    hass: HomeAssistant,
) -> None:
    # Deleted while Home Assistant was down: once every entity is set up, it
    # is not coming.
    build_office(hass)
    er.async_get(hass).async_remove("weather.home")
    entry = await setup_office(hass, outdoor_source="weather.home")

    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "outdoor_source_gone") is not None
    # Disabled, it leaves nothing to repair.
    await hass.config_entries.async_set_disabled_by(
        entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, "outdoor_source_gone") is None


async def test_a_repair_ignored_stays_ignored_when_the_options_are_saved(
    hass: HomeAssistant,
) -> None:
    build_office(hass)
    ar.async_get(hass).async_create("Cellar")  # nothing in it to learn from
    # No outdoor source: there is none, say.
    entry = await setup_office(hass, zones=("office", "cellar"))
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "zone_without_sensors_cellar")
    issues.async_ignore(DOMAIN, "no_outdoor_source", True)

    # Saving the options reloads the integration: the cellar taken out.
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "zones": ["office"]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    issue = issues.async_get_issue(DOMAIN, "no_outdoor_source")
    assert issue is not None
    assert issue.dismissed_version is not None
    assert issues.async_get_issue(DOMAIN, "zone_without_sensors_cellar") is None
    # Disabled, it leaves nothing to repair.
    await hass.config_entries.async_set_disabled_by(
        entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, "no_outdoor_source") is None
