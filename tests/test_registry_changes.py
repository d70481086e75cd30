"""Areas and entities that come and go while AIoT Brain runs, without a reload."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryDisabler,
    ConfigEntryState,
)
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.aiot_brain import async_remove_config_entry_device
from custom_components.aiot_brain.brain.observation import Role
from custom_components.aiot_brain.const import (
    BRAIN_STORAGE_KEY,
    CONF_HOLD_MINUTES,
    CONF_OUTDOOR_SOURCE,
    CONF_ZONES,
    CONTROL_SAVE_DELAY,
    DOMAIN,
    EVENT_ACTION,
    REDISCOVER_COOLDOWN,
)

from .test_acting import (
    MOTION,
    START as ACTING_START,
    build_living_room,
    outdoors,
    set_state,
    setup_brain,
    target,
    thermostat,
)
from .test_config_flow import shown_input, suggested
from .test_coordinator import (
    START,
    add_entity,
    build_office,
    coordinator_of,
    minutes_pass,
    setup_office,
    setup_office_with_motion_on,
)


async def registries_settle(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Let the debounced rediscovery run."""
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def zone_device(
    hass: HomeAssistant, entry: ConfigEntry, zone_id: str
) -> dr.DeviceEntry | None:
    return dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"{entry.entry_id}_{zone_id}"), entry.entry_id
    )


def add_sensor(
    hass: HomeAssistant, object_id: str, area_id: str, device_class: str
) -> str:
    return add_entity(
        hass, "binary_sensor", object_id, area_id, original_device_class=device_class
    )


HEATING = [HVACMode.HEAT, HVACMode.OFF]


def move_to_kitchen(hass: HomeAssistant, *entity_ids: str) -> None:
    """Move ``entity_ids`` to the kitchen in the entity registry."""
    kitchen = ar.async_get(hass).async_get_area_by_name("Kitchen")
    assert kitchen is not None
    registry = er.async_get(hass)
    for entity_id in entity_ids:
        registry.async_update_entity(entity_id, area_id=kitchen.id)


async def test_new_entity_in_a_zone_is_heard(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    door = add_sensor(hass, "office_door", "office", "door")
    await registries_settle(hass, freezer)

    hass.states.async_set(door, STATE_ON)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert coordinator_of(entry).brain.zone("office").latest[Role.DOOR] == 1.0


async def test_sensors_moved_to_another_area_are_forgotten_by_their_old_zone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    office = coordinator_of(entry).brain.zone("office")
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    hass.states.async_set(
        "sensor.office_temperature", "21.5", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set("sensor.office_co2", "650", {"unit_of_measurement": "ppm"})
    await hass.async_block_till_done()
    assert office.lighting.exits.motion_on.keys() == {"binary_sensor.office_motion"}
    assert office.occupancy.builder.state["motion"] == 1.0
    assert "sensor.office_temperature" in office.anomalies.sources

    # Both go to the kitchen, the motion sensor while it is still on.
    move_to_kitchen(hass, "binary_sensor.office_motion", "sensor.office_temperature")
    await registries_settle(hass, freezer)

    assert office.lighting.exits.motion_on == {}
    assert office.occupancy.builder.state["motion"] == 0.0
    assert "sensor.office_temperature" not in office.anomalies.sources
    assert "sensor.office_co2" in office.anomalies.sources  # still there


async def set_up_desk_thermometer(hass: HomeAssistant, area_id: str) -> str:
    """A real thermometer (a template sensor) reading 21.5 °C in ``area_id``."""
    sensor = {
        "name": "Desk temperature",
        "unique_id": "desk_temperature",
        "state": "21.5",
        "device_class": "temperature",
        "unit_of_measurement": "°C",
    }
    assert await async_setup_component(
        hass, "template", {"template": [{"sensor": [sensor]}]}
    )
    await hass.async_block_till_done()
    er.async_get(hass).async_update_entity("sensor.desk_temperature", area_id=area_id)
    return "sensor.desk_temperature"


async def test_a_renamed_thermometer_is_read_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    registry = er.async_get(hass)
    registry.async_remove("sensor.office_temperature")
    thermometer = await set_up_desk_thermometer(hass, "office")
    entry = await setup_office(hass)
    office = coordinator_of(entry).brain.zone("office")
    assert office.latest[Role.TEMPERATURE] == 21.5

    registry.async_update_entity(thermometer, new_entity_id="sensor.office_desk")
    await registries_settle(hass, freezer)

    # Its reading stands, under its new name: the office still knows how warm it is.
    assert office.latest.get(Role.TEMPERATURE) == 21.5
    assert set(office.readings[Role.TEMPERATURE]) == {"sensor.office_desk"}


async def test_a_thermometer_added_beside_the_thermostat_reads_the_room_alone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The thermostat's own reading (by its radiator) no longer counts once one does.

    Neither in the room's temperature (as its mean with the thermostat's last
    reading, frozen there for a day) nor as a sensor stuck at that reading.
    """
    freezer.move_to(START)
    build_office(hass)
    er.async_get(hass).async_remove("sensor.office_temperature")
    entry = await setup_office(hass)
    office = coordinator_of(entry).brain.zone("office")

    async def hours_pass(hours: int, thermometer: str | None = None) -> None:
        """Both read a little differently every minute, as real ones do."""
        for minute in range(hours * 60):
            wobble = 0.1 * ((minute + 1) % 3)
            hass.states.async_set(
                "climate.office_thermostat",
                "heat",
                {"current_temperature": 23.0 + wobble},
            )
            if thermometer is not None:
                hass.states.async_set(
                    thermometer, str(21.5 + wobble), {"unit_of_measurement": "°C"}
                )
            await minutes_pass(hass, freezer, 1)

    await hours_pass(1)
    assert office.latest[Role.TEMPERATURE] == 23.0

    thermometer = add_entity(
        hass,
        "sensor",
        "office_desk",
        "office",
        original_device_class="temperature",
        unit_of_measurement="°C",
    )
    hass.states.async_set(thermometer, "21.5", {"unit_of_measurement": "°C"})
    await registries_settle(hass, freezer)
    assert office.latest[Role.TEMPERATURE] == 21.5

    await hours_pass(7, thermometer)
    anomaly = hass.states.get("binary_sensor.office_aiot_brain_anomaly")
    assert anomaly.state == STATE_OFF, anomaly.attributes["reason"]


async def test_a_renamed_thermometer_keeps_what_its_calm_nights_taught(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Flat all night, as on nights before: no fault under its new name either."""
    freezer.move_to(START)  # 08:00
    build_office(hass)
    await setup_office(hass)
    anomaly = "binary_sensor.office_aiot_brain_anomaly"

    async def days_pass(days: int, thermometer: str) -> list[str]:
        """It reads a little differently every ten minutes by day, not at night."""
        alarms = []
        for step in range(days * 144):
            if 7 <= (8 + step // 6) % 24 < 23:
                hass.states.async_set(
                    thermometer,
                    str(21.0 + 0.1 * (step % 4)),
                    {"unit_of_measurement": "°C"},
                )
            freezer.tick(timedelta(minutes=10))
            async_fire_time_changed(hass)
            await hass.async_block_till_done()
            if hass.states.get(anomaly).state == STATE_ON:
                alarms.append(hass.states.get(anomaly).attributes["reason"])
        return alarms

    # Its first calm night is news; the next is not.
    assert await days_pass(1, "sensor.office_temperature")
    assert not await days_pass(1, "sensor.office_temperature")

    er.async_get(hass).async_update_entity(
        "sensor.office_temperature", new_entity_id="sensor.office_desk"
    )
    await registries_settle(hass, freezer)

    assert not await days_pass(1, "sensor.office_desk")


async def test_a_thermometer_renamed_while_the_entry_is_unloaded_keeps_what_it_taught(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Renamed while AIoT Brain is disabled or reloading, it is the same sensor."""
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    for step in range(12):  # it reads a little differently every ten minutes
        hass.states.async_set(
            "sensor.office_temperature",
            str(21.0 + 0.1 * (step % 4)),
            {"unit_of_measurement": "°C"},
        )
        await minutes_pass(hass, freezer, 10)
    office = coordinator_of(entry).brain.zone("office")
    taught = office.anomalies.sources["sensor.office_temperature"][Role.TEMPERATURE]
    assert taught.changes >= 10
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    er.async_get(hass).async_update_entity(
        "sensor.office_temperature", new_entity_id="sensor.office_desk"
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    office = coordinator_of(entry).brain.zone("office")
    assert "sensor.office_temperature" not in office.anomalies.sources
    kept = office.anomalies.sources["sensor.office_desk"][Role.TEMPERATURE]
    assert (kept.changes, kept.run_hours) == (taught.changes, taught.run_hours)


async def test_sensors_moved_into_an_area_are_read_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    thermometer = await set_up_desk_thermometer(hass, "office")
    entry = await setup_office(hass, zones=("office", "kitchen"))
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await hass.async_block_till_done()
    kitchen = coordinator_of(entry).brain.zone("kitchen")
    assert Role.TEMPERATURE not in kitchen.latest

    move_to_kitchen(hass, "binary_sensor.office_motion", thermometer)
    await registries_settle(hass, freezer)

    assert kitchen.latest[Role.TEMPERATURE] == 21.5
    assert kitchen.occupancy.builder.state["motion"] == 1.0


async def test_a_sensor_moved_while_home_assistant_was_down_is_forgotten_at_start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_office_with_motion_on(hass, freezer)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    move_to_kitchen(hass, "binary_sensor.office_motion")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    office = coordinator_of(entry).brain.zone("office")
    assert office.lighting.exits.motion_on == {}  # saved on, forgotten at start
    assert office.occupancy.builder.state["motion"] == 0.0


async def office_with_a_garden_thermometer(
    hass: HomeAssistant, hidden_by: er.RegistryEntryHider | None = None
) -> ConfigEntry:
    """Set up the office, its outdoor source the garden's thermometer."""
    build_office(hass)
    add_entity(
        hass,
        "sensor",
        "garden_temperature",
        None,
        original_device_class="temperature",
        unit_of_measurement="°C",
        hidden_by=hidden_by,
    )
    return await setup_office(hass, outdoor_source="sensor.garden_temperature")


# A hidden source is one discovery does not see: renaming it changes nothing there.
@pytest.mark.parametrize("hidden_by", [None, er.RegistryEntryHider.USER])
async def test_the_outdoor_source_is_followed_when_it_is_renamed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hidden_by: er.RegistryEntryHider | None,
) -> None:
    freezer.move_to(START)
    entry = await office_with_a_garden_thermometer(hass, hidden_by)
    coordinator = coordinator_of(entry)

    er.async_get(hass).async_update_entity(
        "sensor.garden_temperature", new_entity_id="sensor.outdoor_temperature"
    )
    await registries_settle(hass, freezer)
    hass.states.async_set(
        "sensor.outdoor_temperature", "4.0", {"unit_of_measurement": "°C"}
    )
    await hass.async_block_till_done()

    office = coordinator.brain.zone("office")
    assert office.latest[Role.OUTDOOR_TEMPERATURE] == 4.0
    # The options show the new id, without a reload.
    assert entry.options[CONF_OUTDOOR_SOURCE] == "sensor.outdoor_temperature"
    assert coordinator_of(entry) is coordinator


async def test_the_outdoor_source_renamed_while_the_entry_is_disabled_is_found(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Disabled for a while, the outdoor thermometer renamed meanwhile: enabled
    again, AIoT Brain reads it under its new name, and calls it gone nowhere."""
    freezer.move_to(START)
    entry = await office_with_a_garden_thermometer(hass)
    await hass.config_entries.async_set_disabled_by(
        entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()

    er.async_get(hass).async_update_entity(
        "sensor.garden_temperature", new_entity_id="sensor.outdoor_temperature"
    )
    await hass.config_entries.async_set_disabled_by(entry.entry_id, None)
    await hass.async_block_till_done()
    hass.states.async_set(
        "sensor.outdoor_temperature", "4.0", {"unit_of_measurement": "°C"}
    )
    await minutes_pass(hass, freezer, 2)

    assert entry.options[CONF_OUTDOOR_SOURCE] == "sensor.outdoor_temperature"
    assert not ir.async_get(hass).async_get_issue(DOMAIN, "outdoor_source_gone")
    office = coordinator_of(entry).brain.zone("office")
    assert office.latest[Role.OUTDOOR_TEMPERATURE] == 4.0


async def test_the_outdoor_source_renamed_while_the_options_are_open_is_kept(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Renamed while the options form is open, and left as shown there: the form
    takes it under its new name, and says nothing of a field nobody touched."""
    freezer.move_to(START)
    entry = await office_with_a_garden_thermometer(hass)
    form = await hass.config_entries.options.async_init(entry.entry_id)
    assert suggested(form, CONF_OUTDOOR_SOURCE) == "sensor.garden_temperature"

    er.async_get(hass).async_update_entity(
        "sensor.garden_temperature", new_entity_id="sensor.outdoor_temperature"
    )
    await registries_settle(hass, freezer)
    hass.states.async_set(
        "sensor.outdoor_temperature", "4.0", {"unit_of_measurement": "°C"}
    )
    await hass.async_block_till_done()
    result = await hass.config_entries.options.async_configure(
        form["flow_id"], {**shown_input(form), CONF_HOLD_MINUTES: 60}
    )
    await hass.async_block_till_done()

    assert result.get("errors") in (None, {})
    assert entry.options[CONF_OUTDOOR_SOURCE] == "sensor.outdoor_temperature"
    assert entry.options[CONF_HOLD_MINUTES] == 60


async def test_a_window_contact_shown_as_a_door_leaves_no_window_open(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An open contact, shown as a window, set to "Show as: Door" and then shut.

    What it read as a window is forgotten: the area is not aired for good, and
    its thermostat heats for the person there again, also after a reload.
    """
    freezer.move_to(ACTING_START)
    await build_living_room(hass, window=True)
    contact = "binary_sensor.living_room_window"
    entry = await setup_brain(hass)
    await set_state(hass, MOTION, STATE_ON)
    await set_state(hass, contact, STATE_ON)
    await minutes_pass(hass, freezer, 10)
    window = "binary_sensor.living_room_aiot_brain_window_open"
    assert hass.states.get(window).state == STATE_ON
    assert target(hass) == 17.0  # eco while it airs

    er.async_get(hass).async_update_entity(contact, device_class="door")
    await registries_settle(hass, freezer)
    await set_state(hass, contact, STATE_OFF)
    for _ in range(4):  # two hours of someone moving about in the room
        await set_state(hass, MOTION, STATE_OFF)
        await set_state(hass, MOTION, STATE_ON)
        await minutes_pass(hass, freezer, 30)
    assert hass.states.get(window).state != STATE_ON  # no window it knows of
    assert target(hass) == 20.0
    zone = coordinator_of(entry).brain.zone("living_room")
    assert not zone.occupancy.builder.window_open

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await minutes_pass(hass, freezer, 5)
    assert hass.states.get(window).state != STATE_ON
    assert target(hass) == 20.0


async def test_new_area_becomes_a_zone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    lab = ar.async_get(hass).async_create("Lab")
    await registries_settle(hass, freezer)
    assert "lab" not in coordinator_of(entry).zones  # nothing to learn from yet

    motion = add_sensor(hass, "lab_motion", lab.id, "motion")
    await registries_settle(hass, freezer)
    hass.states.async_set(motion, STATE_ON)
    await hass.async_block_till_done()

    assert "lab" in coordinator_of(entry).zones
    assert entry.options["zones"] == ["office", "lab"]  # the options show it too
    assert hass.states.get("binary_sensor.lab_aiot_brain_occupancy").state == STATE_ON
    assert hass.states.get("select.lab_aiot_brain_mode").state == "auto"
    device = zone_device(hass, entry, "lab")
    assert device is not None
    assert device.area_id == lab.id


async def test_an_area_created_before_a_restart_joins_once_it_has_a_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)  # the kitchen is left out
    lab = ar.async_get(hass).async_create("Lab")
    await registries_settle(hass, freezer)
    assert await hass.config_entries.async_reload(entry.entry_id)  # a restart
    await hass.async_block_till_done()

    add_sensor(hass, "lab_motion", lab.id, "motion")
    add_sensor(hass, "kitchen_door", "kitchen", "door")
    await registries_settle(hass, freezer)

    assert list(coordinator_of(entry).zones) == ["lab", "office"]
    assert entry.options["zones"] == ["office", "lab"]


async def test_an_area_that_joined_just_before_a_crash_is_listed_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    lab = ar.async_get(hass).async_create("Lab")
    add_sensor(hass, "lab_motion", lab.id, "motion")
    await registries_settle(hass, freezer)
    assert entry.options["zones"] == ["office", "lab"]
    # Known within seconds, with the options, not only at the next save.
    freezer.tick(timedelta(seconds=CONTROL_SAVE_DELAY + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert "lab" in hass_storage[BRAIN_STORAGE_KEY]["data"]["known_areas"]

    # Had the power gone before that save, the options list it but the save not.
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    hass_storage[BRAIN_STORAGE_KEY]["data"]["known_areas"].remove("lab")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.options["zones"] == ["office", "lab"]
    assert list(coordinator_of(entry).zones) == ["lab", "office"]


async def test_removed_area_takes_its_zone_device_and_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, zones=("office", "kitchen"))
    assert zone_device(hass, entry, "kitchen") is not None
    hass.states.async_set("binary_sensor.kitchen_motion", STATE_ON)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.aiot_brain_occupied_zones").state == "1"

    ar.async_get(hass).async_delete("kitchen")
    await registries_settle(hass, freezer)

    coordinator = coordinator_of(entry)
    assert list(coordinator.zones) == ["office"]
    assert "kitchen" not in coordinator.brain.zones
    assert zone_device(hass, entry, "kitchen") is None
    assert hass.states.get("binary_sensor.kitchen_aiot_brain_occupancy") is None
    assert not [
        entity
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if "kitchen" in entity.unique_id
    ]
    # The occupied kitchen no longer counts.
    assert hass.states.get("sensor.aiot_brain_occupied_zones").state == "0"
    # Removed as the registry asks now (it warns of calls that break in 2027.8).
    assert "device_registry" not in caplog.text


async def test_zone_without_sensors_is_a_repair_until_it_has_one(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    build_office(hass)
    ar.async_get(hass).async_create("Cellar")
    await setup_office(hass, zones=("office", "cellar"))
    issues = ir.async_get(hass)
    issue = issues.async_get_issue(DOMAIN, "zone_without_sensors_cellar")
    assert issue is not None
    assert issue.translation_placeholders == {"zone": "Cellar"}
    assert issues.async_get_issue(DOMAIN, "zone_without_sensors_office") is None
    # The options, where the issue says to remove it, offer it and keep it chosen:
    # saving them for anything else does not drop it.
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    form = await hass.config_entries.options.async_init(entry.entry_id)
    assert suggested(form, CONF_ZONES) == ["office", "cellar"]
    offered = next(
        selector.config["options"]
        for marker, selector in form["data_schema"].schema.items()
        if marker == CONF_ZONES
    )
    labels = {option["value"]: option["label"] for option in offered}
    assert labels["cellar"] == "Cellar: no sensor to learn from now"
    filled_in = {key: value for key, value in entry.options.items() if value}
    await hass.config_entries.options.async_configure(form["flow_id"], filled_in)
    await hass.async_block_till_done()
    assert entry.options[CONF_ZONES] == ["office", "cellar"]

    add_sensor(hass, "cellar_motion", "cellar", "motion")
    await registries_settle(hass, freezer)

    assert issues.async_get_issue(DOMAIN, "zone_without_sensors_cellar") is None


@pytest.mark.parametrize("flow", ["options", "reconfigure"])
async def test_an_area_created_while_the_options_are_open_is_kept(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, flow: str
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass)
    if flow == "options":
        form = await hass.config_entries.options.async_init(entry.entry_id)
        submit = hass.config_entries.options.async_configure
    else:
        form = await entry.start_reconfigure_flow(hass)
        submit = hass.config_entries.flow.async_configure
    assert suggested(form, CONF_ZONES) == ["office"]

    # A colleague adds the lab meanwhile: it joins, as new areas do.
    lab = ar.async_get(hass).async_create("Lab")
    add_sensor(hass, "lab_motion", lab.id, "motion")
    await registries_settle(hass, freezer)
    assert entry.options[CONF_ZONES] == ["office", "lab"]

    # The form, saved as it was shown, never offered the lab to untick.
    filled_in = {key: value for key, value in entry.options.items() if value}
    await submit(form["flow_id"], {**filled_in, CONF_ZONES: ["office"]})
    await hass.async_block_till_done()

    assert entry.options[CONF_ZONES] == ["office", "lab"]
    assert list(coordinator_of(entry).zones) == ["lab", "office"]


async def test_stale_zone_devices_are_removed_and_removable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, zones=("office", "kitchen"))
    devices = dr.async_get(hass)
    kitchen = zone_device(hass, entry, "kitchen")
    office = zone_device(hass, entry, "office")
    building = devices.async_get(entry.runtime_data.building_device_id)
    assert kitchen is not None
    assert office is not None
    assert building is not None

    # The user takes the kitchen out of the zones.
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "zones": ["office"]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert devices.async_get(kitchen.id) is None
    assert "device_registry" not in caplog.text
    assert not await async_remove_config_entry_device(hass, entry, office)
    assert not await async_remove_config_entry_device(hass, entry, building)
    assert await async_remove_config_entry_device(hass, entry, kitchen)


async def warm_living_room_in_the_cold(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, thermometer: float | None
) -> str:
    """Someone in the living room, 5 °C outdoors, its thermostat reading 22.5 °C.

    With ``thermometer``, a room sensor reads that beside it. Returns the sensor.
    """
    freezer.move_to(ACTING_START)
    await build_living_room(
        hass, climates=[thermostat("living_room", HEATING, current=22.5)]
    )
    outdoors(hass, 5.0)
    sensor = add_entity(
        hass,
        "sensor",
        "living_room_temperature",
        "living_room" if thermometer is not None else None,
        original_device_class="temperature",
        unit_of_measurement="°C",
    )
    if thermometer is not None:
        set_thermometer(hass, sensor, thermometer)
    await setup_brain(hass, outdoor_source="sensor.outdoor")
    await set_state(hass, MOTION, STATE_ON)
    for _ in range(40):  # the room's temperature steady, as it has been for days
        if thermometer is not None:
            set_thermometer(hass, sensor, thermometer)
        await minutes_pass(hass, freezer, 1)
    return sensor


def set_thermometer(hass: HomeAssistant, entity_id: str, celsius: float) -> None:
    hass.states.async_set(
        entity_id,
        str(celsius),
        {"unit_of_measurement": "°C", "device_class": "temperature"},
        force_update=True,
    )


@pytest.mark.parametrize("journey", ["added", "replaced"])
async def test_a_thermometer_added_or_replaced_opens_no_window(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, journey: str
) -> None:
    """A room sensor that reads otherwise than what read before is no window opened.

    Added: the room's first, reading 19 °C where the radiator's thermostat read
    22.5 °C. Replaced: the old sensor removed, the new one, hung elsewhere, reads
    1.5 °C less. Either way the room did not cool in a minute: no setback.
    """
    old = await warm_living_room_in_the_cold(
        hass, freezer, None if journey == "added" else 21.0
    )
    actions = async_capture_events(hass, EVENT_ACTION)
    registry = er.async_get(hass)
    new = add_entity(
        hass,
        "sensor",
        "living_room_new_temperature",
        None,
        original_device_class="temperature",
        unit_of_measurement="°C",
    )
    reading = 19.0 if journey == "added" else 19.5
    set_thermometer(hass, new, reading)
    if journey == "replaced":
        registry.async_remove(old)
        await registries_settle(hass, freezer)
        await minutes_pass(hass, freezer, 2)  # the new one paired a moment later
    registry.async_update_entity(new, area_id="living_room")
    await registries_settle(hass, freezer)

    window = "binary_sensor.living_room_aiot_brain_window_open"
    for _ in range(30):
        set_thermometer(hass, new, reading)
        await minutes_pass(hass, freezer, 1)
        assert hass.states.get(window).state == STATE_OFF
    assert not [a for a in actions if "window open" in a.data["reason"]]


def weather_and_a_cold_office(hass: HomeAssistant) -> None:
    """The office at 18 °C, heating to 20 °C, the weather 5 °C outside."""
    build_office(hass)
    hass.states.async_set("weather.home", "rainy", {"temperature": 5.0})
    hass.states.async_set(
        "sensor.office_temperature", "18.0", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set(
        "climate.office_thermostat",
        "heat",
        {
            "current_temperature": 18.0,
            "temperature": 20.0,
            "hvac_action": "heating",
            "min_temp": 7,
            "max_temp": 30,
        },
    )


TIME_TO_TEMPERATURE = "sensor.office_aiot_brain_time_to_temperature"


@pytest.mark.parametrize("how", ["deleted", "disabled"])
async def test_an_outdoor_source_gone_times_no_heating_with_its_last_reading(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, how: str
) -> None:
    """ "with no thermometer left reading, or no outdoor temperature, the area's
    *Time to temperature* is unknown": the weather integration removed (or its
    entity disabled), its last 5 °C must not go on timing the heating."""
    freezer.move_to(START)
    weather_and_a_cold_office(hass)
    entry = await setup_office(hass, outdoor_source="weather.home")
    await minutes_pass(hass, freezer, 2)
    assert hass.states.get(TIME_TO_TEMPERATURE).state not in ("unknown", None)

    registry = er.async_get(hass)
    if how == "deleted":
        registry.async_remove("weather.home")
    else:
        registry.async_update_entity(
            "weather.home", disabled_by=er.RegistryEntryDisabler.USER
        )
    hass.states.async_remove("weather.home")  # as its platform does
    await registries_settle(hass, freezer)
    await minutes_pass(hass, freezer, 7 * 60)

    assert hass.states.get(TIME_TO_TEMPERATURE).state == "unknown"
    office = coordinator_of(entry).brain.zone("office")
    assert office.latest.get(Role.OUTDOOR_TEMPERATURE) is None


async def test_an_outdoor_source_disabled_raises_a_repair(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The weather entity chosen as the outdoor source, disabled by its user.

    Home Assistant takes its state away; the registry keeps it. Heating can no
    more be timed than with it deleted, and a repair issue says so.
    """
    freezer.move_to(START)
    build_office(hass)
    hass.states.async_set("weather.home", "rainy", {"temperature": 5.0})
    await setup_office(hass, outdoor_source="weather.home")
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "outdoor_source_gone") is None

    er.async_get(hass).async_update_entity(
        "weather.home", disabled_by=er.RegistryEntryDisabler.USER
    )
    hass.states.async_remove("weather.home")  # as its platform does
    await registries_settle(hass, freezer)
    await minutes_pass(hass, freezer, 2)

    assert issues.async_get_issue(DOMAIN, "outdoor_source_gone") is not None
    # Enabled again, it is back.
    er.async_get(hass).async_update_entity("weather.home", disabled_by=None)
    hass.states.async_set("weather.home", "rainy", {"temperature": 5.0})
    await registries_settle(hass, freezer)
    assert issues.async_get_issue(DOMAIN, "outdoor_source_gone") is None
