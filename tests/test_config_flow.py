"""The config, options and reconfigure flows."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.selector import NumberSelector
from homeassistant.util.unit_system import METRIC_SYSTEM, US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.aiot_brain.const import (
    CONF_CONTROL_LEVEL,
    CONF_COOLING_SETPOINT,
    CONF_HEATING_SETPOINT,
    CONF_HISTORY_DAYS,
    CONF_HOLD_MINUTES,
    CONF_MAX_TEMPERATURE,
    CONF_MIN_TEMPERATURE,
    CONF_NETWORK_INVENTORY,
    CONF_NIGHT_END,
    CONF_NIGHT_START,
    CONF_OUTDOOR_SOURCE,
    CONF_SETBACK_MINUTES,
    CONF_SLEEP_TEMPERATURE,
    CONF_ZONES,
    DOMAIN,
)
from custom_components.aiot_brain.settings import Settings

from .test_coordinator import add_entity
from .test_discovery import build_home

LEARNABLE = ["hallway", "kitchen", "living_room", "bedroom", "office"]
FORM_TEMPERATURES = (
    CONF_HEATING_SETPOINT,
    CONF_COOLING_SETPOINT,
    CONF_MIN_TEMPERATURE,
    CONF_MAX_TEMPERATURE,
    CONF_SLEEP_TEMPERATURE,
)


def form_input(**changes: Any) -> dict[str, Any]:
    """A valid form as the frontend sends it, with ``changes`` applied."""
    values: dict[str, Any] = {
        CONF_ZONES: ["kitchen", "living_room"],
        CONF_OUTDOOR_SOURCE: "sensor.garden_temperature",
        CONF_HEATING_SETPOINT: 20.5,
        CONF_COOLING_SETPOINT: 25.0,
        CONF_MIN_TEMPERATURE: 17.0,
        CONF_MAX_TEMPERATURE: 27.0,
        CONF_CONTROL_LEVEL: "suggest",
        CONF_NETWORK_INVENTORY: False,
        CONF_HISTORY_DAYS: 7.0,
        CONF_SLEEP_TEMPERATURE: 18.0,
        CONF_NIGHT_START: "21:00:00",
        CONF_NIGHT_END: "07:30:00",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def suggested(result: Any, key: str) -> Any:
    """The value a form field is filled in with."""
    for marker in result["data_schema"].schema:
        if marker == key:
            if marker.description and "suggested_value" in marker.description:
                return marker.description["suggested_value"]
            return marker.default()
    raise KeyError(key)


def shown_input(result: Any) -> dict[str, Any]:
    """What the frontend sends for a form submitted as shown."""
    sent = {
        marker.schema: suggested(result, marker.schema)
        for marker in result["data_schema"].schema
    }
    return {key: value for key, value in sent.items() if value is not None}


async def test_user_flow_shows_discovery_and_creates_the_entry(
    hass: HomeAssistant,
) -> None:
    build_home(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert not result["errors"]
    placeholders = result["description_placeholders"]
    assert placeholders["zone_count"] == "5"
    # Each area's contents are shown once, beside its choice.
    labels = [
        option["label"]
        for marker, selector in result["data_schema"].schema.items()
        if marker == CONF_ZONES
        for option in selector.config["options"]
    ]
    assert any(
        label.startswith("Living room (Ground floor): 1 climate, 1 cover")
        for label in labels
    )
    assert placeholders["unlearnable"] == "Storage, Garage, Garden"
    assert placeholders["outdoor_count"] == "3"
    # Every learnable zone is chosen, and a thermometer beats the weather service.
    assert suggested(result, CONF_ZONES) == LEARNABLE
    assert suggested(result, CONF_OUTDOOR_SOURCE) == "sensor.garden_temperature"
    assert suggested(result, CONF_HISTORY_DAYS) == 14

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input()
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "AIoT Brain"
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data == {}
    assert Settings.from_options(entry.options) == Settings(
        zones=("kitchen", "living_room"),
        outdoor_source="sensor.garden_temperature",
        heating_setpoint=20.5,
        cooling_setpoint=25.0,
        min_temperature=17.0,
        max_temperature=27.0,
        control_level="suggest",  # type: ignore[arg-type]
        network_inventory=False,
        history_days=7,
        sleep_temperature=18.0,
        night_start=time(21, 0),
        night_end=time(7, 30),
    )
    assert [zone.name for zone in entry.runtime_data.zones] == [
        "Kitchen",
        "Living room",
    ]


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({CONF_ZONES: []}, CONF_ZONES, "no_zone_selected"),
        (
            {CONF_OUTDOOR_SOURCE: "sensor.gone"},
            CONF_OUTDOOR_SOURCE,
            "outdoor_source_unknown",
        ),
        ({CONF_MIN_TEMPERATURE: 27.0}, CONF_MIN_TEMPERATURE, "min_above_max"),
        ({CONF_HEATING_SETPOINT: 25.5}, CONF_HEATING_SETPOINT, "heating_above_cooling"),
        (
            {CONF_HEATING_SETPOINT: 16.0},
            CONF_HEATING_SETPOINT,
            "setpoint_out_of_bounds",
        ),
        (
            {CONF_COOLING_SETPOINT: 28.0},
            CONF_COOLING_SETPOINT,
            "setpoint_out_of_bounds",
        ),
        (
            {CONF_SLEEP_TEMPERATURE: 16.0},
            CONF_SLEEP_TEMPERATURE,
            "sleep_out_of_bounds",
        ),
        ({CONF_NIGHT_END: "21:00:00"}, CONF_NIGHT_END, "night_empty"),
    ],
)
async def test_user_flow_errors_and_recovery(
    hass: HomeAssistant, changes: dict[str, Any], field: str, error: str
) -> None:
    build_home(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input(**changes)
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    # The form keeps what the user typed.
    assert suggested(result, field) == form_input(**changes).get(field)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input()
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {CONF_HEATING_SETPOINT: 26.0, CONF_SLEEP_TEMPERATURE: 16.0},
            {
                CONF_HEATING_SETPOINT: "heating_above_cooling",
                CONF_SLEEP_TEMPERATURE: "sleep_out_of_bounds",
            },
        ),
        (
            {CONF_COOLING_SETPOINT: 28.0, CONF_SLEEP_TEMPERATURE: 28.0},
            {
                CONF_COOLING_SETPOINT: "setpoint_out_of_bounds",
                CONF_SLEEP_TEMPERATURE: "sleep_out_of_bounds",
            },
        ),
        # Bounds out of order bound nothing: only what is wrong besides is shown.
        (
            {CONF_MIN_TEMPERATURE: 27.0, CONF_HEATING_SETPOINT: 26.0},
            {
                CONF_MIN_TEMPERATURE: "min_above_max",
                CONF_HEATING_SETPOINT: "heating_above_cooling",
            },
        ),
        # Heating below the lowest and above cooling: the second shows under the lowest.
        (
            {CONF_HEATING_SETPOINT: 16.5, CONF_COOLING_SETPOINT: 16.0},
            {
                CONF_HEATING_SETPOINT: "heating_above_cooling",
                CONF_MIN_TEMPERATURE: "min_above_heating",
            },
        ),
    ],
)
async def test_every_fault_is_shown_at_once(
    hass: HomeAssistant, changes: dict[str, Any], errors: dict[str, str]
) -> None:
    """Each field says what is wrong with it: nothing waits for the next submit."""
    build_home(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input(**changes)
    )

    assert result["errors"] == errors


@pytest.mark.parametrize(
    ("units", "changes", "errors"),
    [
        # The lowest raised above the heating setpoint (20 °C), and so above the
        # sleep temperature (18.5 °C) too.
        (
            METRIC_SYSTEM,
            {CONF_MIN_TEMPERATURE: 21},
            {
                CONF_MIN_TEMPERATURE: "min_above_heating",
                CONF_SLEEP_TEMPERATURE: "sleep_out_of_bounds",
            },
        ),
        # Above the sleep temperature only.
        (
            METRIC_SYSTEM,
            {CONF_MIN_TEMPERATURE: 19},
            {CONF_MIN_TEMPERATURE: "min_above_sleep"},
        ),
        (
            METRIC_SYSTEM,
            {CONF_MAX_TEMPERATURE: 16},
            {CONF_MAX_TEMPERATURE: "max_below_min"},
        ),
        (
            METRIC_SYSTEM,
            {CONF_COOLING_SETPOINT: 19.5},
            {CONF_COOLING_SETPOINT: "cooling_below_heating"},
        ),
        # Shown as 75 °F, the cooling setpoint (24 °C) is above a highest typed as 74.
        (
            US_CUSTOMARY_SYSTEM,
            {CONF_MAX_TEMPERATURE: 74},
            {CONF_MAX_TEMPERATURE: "max_below_cooling"},
        ),
        # Below the sleep temperature too: that shows under the sleep temperature.
        (
            METRIC_SYSTEM,
            {CONF_MAX_TEMPERATURE: 18},
            {
                CONF_MAX_TEMPERATURE: "max_below_cooling",
                CONF_SLEEP_TEMPERATURE: "sleep_out_of_bounds",
            },
        ),
        (
            METRIC_SYSTEM,
            {CONF_NIGHT_START: "09:00:00"},
            {CONF_NIGHT_START: "night_empty"},
        ),
        # Both of a pair changed: where it always showed.
        (
            METRIC_SYSTEM,
            {CONF_HEATING_SETPOINT: 25, CONF_COOLING_SETPOINT: 24.5},
            {CONF_HEATING_SETPOINT: "heating_above_cooling"},
        ),
        (
            METRIC_SYSTEM,
            {CONF_HEATING_SETPOINT: 15},
            {CONF_HEATING_SETPOINT: "setpoint_out_of_bounds"},
        ),
    ],
)
async def test_an_error_shows_under_the_field_the_user_changed(
    hass: HomeAssistant,
    units: Any,
    changes: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """Of two fields at odds, the one changed is where the user looks."""
    hass.config.units = units
    entry = await _loaded_entry(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    shown = shown_input(result)

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**shown, **changes}
    )

    assert result["errors"] == errors


async def test_an_area_created_while_setting_up_joins(hass: HomeAssistant) -> None:
    """The form never showed it: it joins, as areas created later do."""
    build_home(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    lab = ar.async_get(hass).async_create("Lab")
    add_entity(
        hass, "binary_sensor", "lab_motion", lab.id, original_device_class="motion"
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input()
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.options[CONF_ZONES] == ["kitchen", "living_room", "lab"]
    assert [zone.zone_id for zone in entry.runtime_data.zones] == [
        "kitchen",
        "living_room",
        "lab",
    ]


async def test_weather_entity_is_the_fallback_outdoor_source(
    hass: HomeAssistant,
) -> None:
    build_home(hass)
    for entity_id in ("sensor.garden_temperature", "sensor.outdoor_module_temperature"):
        er.async_get(hass).async_remove(entity_id)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert suggested(result, CONF_OUTDOOR_SOURCE) == "weather.home"


async def test_a_thermometer_placed_outdoors_beats_one_nobody_placed(
    hass: HomeAssistant,
) -> None:
    build_home(hass)
    er.async_get(hass).async_get_or_create(
        "sensor",
        "xiaomi",
        "balcony",
        suggested_object_id="balcony_temperature",
        original_device_class="temperature",
        unit_of_measurement="°C",
    )

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert suggested(result, CONF_OUTDOOR_SOURCE) == "sensor.garden_temperature"


@pytest.mark.parametrize(
    ("platform", "tracked"),
    [
        ("tesla_fleet", False),  # a car integration
        ("some_car", True),  # any device with a device tracker
    ],
)
async def test_a_cars_outside_temperature_is_not_the_default_outdoor_source(
    hass: HomeAssistant, platform: str, tracked: bool
) -> None:
    build_home(hass)
    er.async_get(hass).async_remove("sensor.garden_temperature")
    car_entry = MockConfigEntry(domain=platform)
    car_entry.add_to_hass(hass)
    car = dr.async_get(hass).async_get_or_create(
        config_entry_id=car_entry.entry_id,
        identifiers={(platform, "model_y")},
        name="Model Y",
    )
    entities = er.async_get(hass)
    entities.async_get_or_create(
        "sensor",
        platform,
        "outside",
        suggested_object_id="model_y_outside_temperature",
        device_id=car.id,
        original_device_class="temperature",
        original_name="Outside temperature",
        unit_of_measurement="°C",
    )
    if tracked:
        entities.async_get_or_create(
            "device_tracker", platform, "location", device_id=car.id
        )

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    # The outdoor module, in no area but not on a car, rather than the car.
    assert suggested(result, CONF_OUTDOOR_SOURCE) == (
        "sensor.outdoor_module_temperature"
    )


async def test_a_weather_station_a_router_tracks_is_the_default_outdoor_source(
    hass: HomeAssistant,
) -> None:
    """The router's tracker of its Wi-Fi shares its device: it goes nowhere."""
    build_home(hass)
    er.async_get(hass).async_remove("sensor.garden_temperature")
    station_entry = MockConfigEntry(domain="ecowitt")
    station_entry.add_to_hass(hass)
    devices = dr.async_get(hass)
    station = devices.async_get_or_create(
        config_entry_id=station_entry.entry_id,
        identifiers={("ecowitt", "station")},
        name="Weather station",
    )
    garden = ar.async_get(hass).async_get_area_by_name("Garden")
    assert garden is not None
    devices.async_update_device(station.id, area_id=garden.id)
    entities = er.async_get(hass)
    entities.async_get_or_create(
        "sensor",
        "ecowitt",
        "outdoor",
        suggested_object_id="weather_station_temperature",
        device_id=station.id,
        original_device_class="temperature",
        unit_of_measurement="°C",
    )
    entities.async_get_or_create("device_tracker", "unifi", "ws", device_id=station.id)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert suggested(result, CONF_OUTDOOR_SOURCE) == (
        "sensor.weather_station_temperature"
    )


async def test_home_without_areas(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.FORM
    assert CONF_ZONES not in result["data_schema"].schema
    assert result["description_placeholders"] == {
        "zone_count": "0",
        "unlearnable": "-",
        "outdoor_count": "0",
    }
    assert suggested(result, CONF_OUTDOOR_SOURCE) is None

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input(zones=None, outdoor_source=None)
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.options[CONF_ZONES] == []
    assert CONF_OUTDOOR_SOURCE not in entry.options
    assert entry.state is ConfigEntryState.LOADED


async def test_only_one_entry(hass: HomeAssistant) -> None:
    MockConfigEntry(domain=DOMAIN, data={}).add_to_hass(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"


async def _loaded_entry(
    hass: HomeAssistant, settings: Settings | None = None
) -> MockConfigEntry:
    build_home(hass)
    settings = settings or Settings(zones=("kitchen",))
    options = replace(settings, network_inventory=False).as_options()
    entry = MockConfigEntry(domain=DOMAIN, title="AIoT Brain", options=options)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_options_flow_changes_everything_and_reloads(
    hass: HomeAssistant,
) -> None:
    entry = await _loaded_entry(hass)
    runtime_before = entry.runtime_data
    comfort = "sensor.kitchen_aiot_brain_comfort_setpoint"
    assert hass.states.get(comfort).state == "20.0"  # the default, nothing learned

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert suggested(result, CONF_ZONES) == ["kitchen"]
    assert suggested(result, CONF_CONTROL_LEVEL) == "observe"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(heating_setpoint=26.0)
    )
    assert result["errors"] == {CONF_HEATING_SETPOINT: "heating_above_cooling"}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        form_input(control_level="automate", hold_minutes=30, setback_minutes=90),
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is not runtime_before  # reloaded
    settings = entry.runtime_data.settings
    assert settings.control_level == "automate"
    assert (settings.hold_minutes, settings.setback_minutes) == (30, 90)
    engine_settings = entry.runtime_data.coordinator.control.settings
    assert engine_settings.hold_duration == timedelta(minutes=30)
    assert engine_settings.setback_after == timedelta(minutes=90)
    assert engine_settings.frost_protection == settings.min_temperature
    assert settings.zones == ("kitchen", "living_room")
    assert settings.heating_setpoint == 20.5
    # Nobody has set the kitchen's thermostat: the new default is its comfort.
    assert hass.states.get(comfort).state == "20.5"


async def test_temperatures_are_asked_in_the_unit_home_assistant_shows(
    hass: HomeAssistant,
) -> None:
    """An American home types °F; the settings keep °C, the form shows °F again."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    entry = await _loaded_entry(hass)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    # The defaults, 20, 24, 16 and 28 °C, and the sleep temperature 18.5 °C.
    assert [suggested(result, key) for key in FORM_TEMPERATURES] == [
        68,
        75,
        61,
        82,
        65,
    ]
    selector = result["data_schema"].schema[CONF_HEATING_SETPOINT]
    assert selector.config["unit_of_measurement"] == "°F"
    assert (selector.config["min"], selector.config["max"]) == (41.0, 95.0)

    # Checked in °F as typed: 80 °F heating is above 78 °F cooling.
    typed = {
        CONF_HEATING_SETPOINT: 80.0,
        CONF_COOLING_SETPOINT: 78.0,
        CONF_MIN_TEMPERATURE: 45.0,
        CONF_MAX_TEMPERATURE: 86.0,
        CONF_SLEEP_TEMPERATURE: 64.0,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(**typed)
    )
    assert result["errors"] == {CONF_HEATING_SETPOINT: "heating_above_cooling"}
    assert suggested(result, CONF_HEATING_SETPOINT) == 80.0

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(**{**typed, CONF_HEATING_SETPOINT: 69.0})
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    settings = entry.runtime_data.settings
    assert (
        settings.heating_setpoint,
        settings.cooling_setpoint,
        settings.min_temperature,
        settings.max_temperature,
        settings.sleep_temperature,
    ) == (20.56, 25.56, 7.22, 30.0, 17.78)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert [suggested(result, key) for key in FORM_TEMPERATURES] == [
        69.0,
        78.0,
        45.0,
        86.0,
        64.0,
    ]


def offered_zones(result: Any) -> list[str]:
    """The zones a form offers to tick."""
    return [
        option["value"]
        for marker, selector in result["data_schema"].schema.items()
        if marker == CONF_ZONES
        for option in selector.config["options"]
    ]


@pytest.mark.parametrize(
    ("units", "stored", "shown"),
    [
        # The defaults, 20, 24, 16, 28 and 18.5 °C, are 68, 75.2, 60.8, 82.4 and
        # 65.3 °F: shown in whole degrees, as Home Assistant shows a thermostat's.
        (US_CUSTOMARY_SYSTEM, (20.0, 24.0, 16.0, 28.0, 18.5), (68, 75, 61, 82, 65)),
        # 21.3 °C is 70.3 °F, which came back as 21.28 °C.
        (US_CUSTOMARY_SYSTEM, (21.3, 24.0, 16.0, 28.0, 18.5), (70, 75, 61, 82, 65)),
        # Typed in °F (69, 78, 45, 86, 64) before the home changed to °C.
        (METRIC_SYSTEM, (20.56, 25.56, 7.22, 30.0, 17.78), (20.5, 25.5, 7, 30, 18)),
        # 72.5, 81.5, 54.5 and 63.5 °F: halves go up, as a thermostat shows them
        # (not to the even number: 72, 82, 54, 64).
        (US_CUSTOMARY_SYSTEM, (22.5, 27.5, 12.5, 28.0, 17.5), (73, 82, 55, 82, 64)),
        # 68.45 and 41.45 °F are rounded once, not to 68.5 and 41.5 first.
        (US_CUSTOMARY_SYSTEM, (20.25, 24.0, 5.25, 28.0, 18.5), (68, 75, 41, 82, 65)),
        # Half a half-degree step goes up too.
        (METRIC_SYSTEM, (20.25, 24.25, 16.0, 28.0, 18.25), (20.5, 24.5, 16, 28, 18.5)),
    ],
)
async def test_temperatures_submitted_as_shown_keep_what_is_stored(
    hass: HomeAssistant,
    units: Any,
    stored: tuple[float, ...],
    shown: tuple[float, ...],
) -> None:
    """The form shows a temperature on its field's step; unchanged, it is not stored."""
    hass.config.units = units
    entry = await _loaded_entry(
        hass, Settings.from_options(dict(zip(FORM_TEMPERATURES, stored, strict=True)))
    )

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert tuple(suggested(result, key) for key in FORM_TEMPERATURES) == shown
    step = result["data_schema"].schema[CONF_HEATING_SETPOINT].config["step"]
    assert step == (1 if units is US_CUSTOMARY_SYSTEM else 0.5)
    as_shown = dict(zip(FORM_TEMPERATURES, shown, strict=True))
    # Also after an error elsewhere, the form showing what was sent.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        form_input(zones=["kitchen"], night_end="21:00:00", **as_shown),
    )
    assert result["errors"] == {CONF_NIGHT_END: "night_empty"}
    assert tuple(suggested(result, key) for key in FORM_TEMPERATURES) == shown
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(zones=["kitchen"], **as_shown)
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert tuple(entry.options[key] for key in FORM_TEMPERATURES) == stored
    # Opened again, submitted as shown but for a change: only that one is stored.
    cooling = 77 if units is US_CUSTOMARY_SYSTEM else 25  # 25 °C
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        form_input(zones=["kitchen"], **{**as_shown, CONF_COOLING_SETPOINT: cooling}),
    )
    await hass.async_block_till_done()

    assert tuple(entry.options[key] for key in FORM_TEMPERATURES) == (
        stored[0],
        25.0,
        *stored[2:],
    )


@pytest.mark.parametrize(
    ("stored", "typed", "in_order"),
    [
        # The highest typed down to 65 °F (18.33 °C), the sleep temperature 18.5 °C
        # shown as 65 °F: it may sleep at the highest, stored as that.
        (
            (17.0, 18.0, 16.0, 28.0, 18.5),
            {CONF_MAX_TEMPERATURE: 65},
            (17.0, 18.0, 16.0, 18.33, 18.33),
        ),
        # Cooling typed down to the heating shown, 65 °F: one comfort both ways.
        (
            (18.5, 24.0, 16.0, 28.0, 18.5),
            {CONF_COOLING_SETPOINT: 65},
            (18.33, 18.33, 16.0, 28.0, 18.5),
        ),
        # The lowest typed up to the sleep temperature, 17.5 °C shown as 64 °F.
        (
            (20.0, 24.0, 16.0, 28.0, 17.5),
            {CONF_MIN_TEMPERATURE: 64},
            (20.0, 24.0, 17.78, 28.0, 17.78),
        ),
    ],
)
async def test_temperatures_equal_as_shown_are_equal(
    hass: HomeAssistant,
    stored: tuple[float, ...],
    typed: dict[str, float],
    in_order: tuple[float, ...],
) -> None:
    """The form checks what it shows; the stored values are kept in that order."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    entry = await _loaded_entry(
        hass, Settings.from_options(dict(zip(FORM_TEMPERATURES, stored, strict=True)))
    )
    result = await hass.config_entries.options.async_init(entry.entry_id)
    shown = {key: suggested(result, key) for key in FORM_TEMPERATURES}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(zones=["kitchen"], **{**shown, **typed})
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
    assert tuple(entry.options[key] for key in FORM_TEMPERATURES) == in_order
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert {key: suggested(result, key) for key in FORM_TEMPERATURES} == {
        **shown,
        **typed,
    }


async def test_a_form_shown_in_fahrenheit_is_read_in_fahrenheit(
    hass: HomeAssistant,
) -> None:
    """The home switched to °C while the form was open: what it sends is still °F."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    entry = await _loaded_entry(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    shown = {key: suggested(result, key) for key in FORM_TEMPERATURES}
    hass.config.units = METRIC_SYSTEM

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        form_input(zones=["kitchen"], **{**shown, CONF_HEATING_SETPOINT: 69}),
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
    # 69 °F, and the defaults kept, not 69, 75, 61, 82 and 65 °C.
    assert tuple(entry.options[key] for key in FORM_TEMPERATURES) == (
        20.56,
        24.0,
        16.0,
        28.0,
        18.5,
    )


async def test_a_zone_unticked_before_an_error_is_offered_again(
    hass: HomeAssistant,
) -> None:
    # The storage has no sensor: it is offered because it was chosen.
    entry = await _loaded_entry(hass, Settings(zones=("kitchen", "storage")))
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert "storage" in offered_zones(result)

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(zones=["kitchen"], min_temperature=27.0)
    )

    assert result["errors"] == {CONF_MIN_TEMPERATURE: "min_above_max"}
    assert suggested(result, CONF_ZONES) == ["kitchen"]
    assert "storage" in offered_zones(result)  # to tick again
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(zones=["kitchen", "storage"])
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_ZONES] == ["kitchen", "storage"]


@pytest.mark.parametrize("units", [METRIC_SYSTEM, US_CUSTOMARY_SYSTEM])
async def test_every_number_is_filled_in_with_a_value_the_form_accepts(
    hass: HomeAssistant, units: Any
) -> None:
    """The frontend marks a number off the field's step as invalid (red).

    In a home that shows °F the defaults are 75.2, 60.8, 82.4 and 65.3 °F: they are
    shown in whole degrees.
    """
    hass.config.units = units
    build_home(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    numbers = {
        marker.schema: selector.config
        for marker, selector in result["data_schema"].schema.items()
        if isinstance(selector, NumberSelector)
    }
    assert set(FORM_TEMPERATURES) <= numbers.keys()
    for key, config in numbers.items():
        value = suggested(result, key)
        assert config["min"] <= value <= config["max"], key
        steps = (value - config["min"]) / config["step"]
        assert steps == pytest.approx(round(steps)), (key, value, config["step"])


async def test_one_comfort_for_heating_and_cooling_is_allowed(
    hass: HomeAssistant,
) -> None:
    entry = await _loaded_entry(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(heating_setpoint=22.0, cooling_setpoint=22.0)
    )
    await hass.async_block_till_done()

    # The controller keeps its own dead band around one comfort temperature.
    assert result["type"] is FlowResultType.CREATE_ENTRY
    settings = entry.runtime_data.settings
    assert (settings.heating_setpoint, settings.cooling_setpoint) == (22.0, 22.0)


async def test_options_set_the_night_and_can_turn_the_sleep_temperature_off(
    hass: HomeAssistant,
) -> None:
    entry = await _loaded_entry(hass)
    engine_settings = entry.runtime_data.coordinator.control.settings
    assert engine_settings.sleep_temperature == 18.5  # the default
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert suggested(result, CONF_SLEEP_TEMPERATURE) == 18.5
    assert suggested(result, CONF_NIGHT_END) == "09:00:00"

    # An office: nobody sleeps there. A night that ends as it starts is refused,
    # and the form shown again keeps the temperature the user emptied empty.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        form_input(sleep_temperature=None, night_start="19:00:00", night_end="19:00"),
    )
    assert result["errors"] == {CONF_NIGHT_END: "night_empty"}
    assert suggested(result, CONF_SLEEP_TEMPERATURE) is None
    # People arrive from 07:00.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        form_input(sleep_temperature=None, night_start="19:00:00", night_end="06:30"),
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_SLEEP_TEMPERATURE] is None
    engine_settings = entry.runtime_data.coordinator.control.settings
    assert engine_settings.sleep_temperature is None
    assert (engine_settings.night_start, engine_settings.night_end) == (
        time(19, 0),
        time(6, 30),
    )

    # Emptied stays empty when the options are opened again.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert suggested(result, CONF_SLEEP_TEMPERATURE) is None
    assert suggested(result, CONF_NIGHT_END) == "06:30:00"


def test_entries_without_the_night_options_keep_the_defaults() -> None:
    older = Settings(zones=("kitchen",)).as_options()
    for key in (CONF_SLEEP_TEMPERATURE, CONF_NIGHT_START, CONF_NIGHT_END):
        del older[key]

    settings = Settings.from_options(older)

    assert settings.sleep_temperature == 18.5
    assert (settings.night_start, settings.night_end) == (time(20, 0), time(9, 0))


async def test_reconfigure_flow(hass: HomeAssistant) -> None:
    entry = await _loaded_entry(hass)

    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert suggested(result, CONF_ZONES) == ["kitchen"]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input(zones=[])
    )
    assert result["errors"] == {CONF_ZONES: "no_zone_selected"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input(zones=["office"])
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.options[CONF_ZONES] == ["office"]
    assert entry.state is ConfigEntryState.LOADED
    assert [zone.zone_id for zone in entry.runtime_data.zones] == ["office"]


async def test_reconfigure_reloads_only_what_changed(hass: HomeAssistant) -> None:
    """Saved as shown, nothing changed: the zones keep running, not restarted."""
    entry = await _loaded_entry(hass)
    runtime_before = entry.runtime_data

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], shown_input(result)
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert entry.runtime_data is runtime_before

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**shown_input(result), CONF_CONTROL_LEVEL: "suggest"}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert entry.runtime_data is not runtime_before
    assert entry.runtime_data.settings.control_level == "suggest"


@pytest.mark.parametrize("deleted", ["before the form opened", "while it was open"])
@pytest.mark.parametrize("flow", ["options", "reconfigure"])
async def test_a_deleted_area_leaves_the_saved_zones(
    hass: HomeAssistant, flow: str, deleted: str
) -> None:
    entry = await _loaded_entry(hass, Settings(zones=("kitchen", "living_room")))
    areas = ar.async_get(hass)
    if deleted == "before the form opened":
        areas.async_delete("living_room")
    if flow == "options":
        result = await hass.config_entries.options.async_init(entry.entry_id)
        submit = hass.config_entries.options.async_configure
    else:
        result = await entry.start_reconfigure_flow(hass)
        submit = hass.config_entries.flow.async_configure
    if deleted == "while it was open":
        assert suggested(result, CONF_ZONES) == ["kitchen", "living_room"]
        areas.async_delete("living_room")

    await submit(result["flow_id"], shown_input(result))
    await hass.async_block_till_done()

    assert entry.options[CONF_ZONES] == ["kitchen"]


async def test_the_form_asks_the_main_choices_first_and_groups_the_rest(
    hass: HomeAssistant,
) -> None:
    """What to learn and how far to act come first; the night together; the rarely
    changed last."""
    build_home(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert [marker.schema for marker in result["data_schema"].schema] == [
        CONF_ZONES,
        CONF_CONTROL_LEVEL,
        CONF_OUTDOOR_SOURCE,
        CONF_HEATING_SETPOINT,
        CONF_COOLING_SETPOINT,
        CONF_MIN_TEMPERATURE,
        CONF_MAX_TEMPERATURE,
        CONF_HOLD_MINUTES,
        CONF_SETBACK_MINUTES,
        CONF_SLEEP_TEMPERATURE,
        CONF_NIGHT_START,
        CONF_NIGHT_END,
        CONF_HISTORY_DAYS,
        CONF_NETWORK_INVENTORY,
    ]
