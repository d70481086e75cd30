"""Discovery: zones and roles from the real area, floor, device and entity registries."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
)
from homeassistant.util import slugify
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.aiot_brain.brain.observation import Role
from custom_components.aiot_brain.config_flow import default_settings
from custom_components.aiot_brain.discovery import Actuator, async_discover

from .test_coordinator import START, build_office, coordinator_of, setup_office


def build_home(hass: HomeAssistant) -> None:  # noqa: PLR0915  (one line per entity)
    """A two-storey house with a garden, as a typical install registers it."""
    floors = fr.async_get(hass)
    areas = ar.async_get(hass)
    devices = dr.async_get(hass)
    entities = er.async_get(hass)

    ground = floors.async_create("Ground floor", level=0)
    upstairs = floors.async_create("First floor", level=1)
    cellar = floors.async_create("Basement", level=-1)
    living = areas.async_create("Living room", floor_id=ground.floor_id)
    kitchen = areas.async_create("Kitchen", floor_id=ground.floor_id)
    hallway = areas.async_create("Hallway", floor_id=ground.floor_id)
    bedroom = areas.async_create("Bedroom", floor_id=upstairs.floor_id)
    office = areas.async_create("Office", floor_id=upstairs.floor_id)
    areas.async_create("Storage", floor_id=cellar.floor_id)  # empty
    garage = areas.async_create("Garage")  # a light only
    garden = areas.async_create("Garden")

    def device(domain: str, name: str, area_id: str | None) -> str:
        entry = MockConfigEntry(domain=domain)
        entry.add_to_hass(hass)
        created = devices.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(domain, name)},
            name=name,
        )
        devices.async_update_device(created.id, area_id=area_id)
        return created.id

    def entity(
        domain: str,
        platform: str,
        object_id: str,
        *,
        device_id: str | None = None,
        area_id: str | None = None,
        device_class: str | None = None,
        unit: str | None = None,
        **kwargs: Any,
    ) -> None:
        created = entities.async_get_or_create(
            domain,
            platform,
            object_id,
            suggested_object_id=object_id,
            device_id=device_id,
            original_device_class=device_class,
            unit_of_measurement=unit,
            **kwargs,
        )
        if area_id is not None:
            # An entity placed apart from its device needs a name of its own.
            entities.async_update_entity(
                created.entity_id, area_id=area_id, name=object_id.replace("_", " ")
            )

    # Living room: a multisensor, a TV, a thermostat, two lights, a blind.
    multi = device("zha", "Living multisensor", living.id)
    entity(
        "binary_sensor", "zha", "living_motion", device_id=multi, device_class="motion"
    )
    entity(
        "sensor",
        "zha",
        "living_temperature",
        device_id=multi,
        device_class="temperature",
        unit="°C",
    )
    entity(
        "sensor",
        "zha",
        "living_humidity",
        device_id=multi,
        device_class="humidity",
        unit="%",
    )
    entity(
        "sensor",
        "zha",
        "living_illuminance",
        device_id=multi,
        device_class="illuminance",
        unit="lx",
    )
    entity(
        "sensor",
        "zha",
        "living_battery",
        device_id=multi,
        device_class="battery",
        unit="%",
    )
    tv = device("cast", "Living TV", living.id)
    entity("media_player", "cast", "living_tv", device_id=tv)
    thermostat = device("tado", "Living thermostat", living.id)
    entity("climate", "tado", "living_thermostat", device_id=thermostat)
    entity(
        "sensor",
        "tado",
        "living_thermostat_chip_temperature",
        device_id=thermostat,
        device_class="temperature",
        unit="°C",
        entity_category=er.EntityCategory.DIAGNOSTIC,
    )
    entity("light", "hue", "living_ceiling", area_id=living.id)
    entity("light", "hue", "living_floor_lamp", area_id=living.id)
    entity("cover", "somfy", "living_blind", area_id=living.id)
    # Kitchen: a US-made sensor reporting °F, a coffee machine plug, a door and CO2.
    kitchen_sensor = device("ecobee", "Kitchen sensor", kitchen.id)
    entity(
        "sensor",
        "ecobee",
        "kitchen_temperature",
        device_id=kitchen_sensor,
        device_class="temperature",
        unit="°F",
    )
    entity(
        "binary_sensor",
        "ecobee",
        "kitchen_occupancy",
        device_id=kitchen_sensor,
        device_class="occupancy",
    )
    plug = device("shelly", "Coffee machine plug", kitchen.id)
    entity(
        "sensor",
        "shelly",
        "coffee_machine_power",
        device_id=plug,
        device_class="power",
        unit="kW",
    )
    entity(
        "sensor",
        "shelly",
        "coffee_machine_energy",
        device_id=plug,
        device_class="energy",
        unit="kWh",
    )
    entity("switch", "shelly", "coffee_machine_relay", device_id=plug)
    entity(
        "binary_sensor",
        "zha",
        "kitchen_back_door",
        area_id=kitchen.id,
        device_class="door",
    )
    entity(
        "sensor",
        "airthings",
        "kitchen_co2",
        area_id=kitchen.id,
        device_class="carbon_dioxide",
        unit="ppm",
    )
    # Hallway: a presence radar whose device sits in the hallway but the entity
    # itself was moved to the office; a hidden duplicate; a disabled sensor.
    radar = device("esphome", "Radar", hallway.id)
    entity(
        "binary_sensor",
        "esphome",
        "radar_presence",
        device_id=radar,
        area_id=office.id,
        device_class="presence",
    )
    entity(
        "binary_sensor",
        "esphome",
        "radar_motion_raw",
        device_id=radar,
        device_class="motion",
        hidden_by=er.RegistryEntryHider.USER,
    )
    entity(
        "sensor",
        "esphome",
        "radar_illuminance",
        device_id=radar,
        device_class="illuminance",
        unit="lx",
        disabled_by=er.RegistryEntryDisabler.USER,
    )
    entity(
        "binary_sensor", "zha", "front_door", area_id=hallway.id, device_class="door"
    )
    # Bedroom: a window contact, a fan, a sound level sensor.
    entity(
        "binary_sensor",
        "zha",
        "bedroom_window",
        area_id=bedroom.id,
        device_class="window",
    )
    entity("fan", "dyson", "bedroom_fan", area_id=bedroom.id)
    entity(
        "sensor",
        "netatmo",
        "bedroom_noise",
        area_id=bedroom.id,
        device_class="sound_pressure",
        unit="dB",
    )
    # Office: a PC power meter.
    entity(
        "sensor",
        "tasmota",
        "office_pc_power",
        area_id=office.id,
        device_class="power",
        unit="W",
    )
    # Garage: a light only, nothing to learn from.
    entity("light", "tplink", "garage_light", area_id=garage.id)
    # Garden and outdoors: a garden thermometer, a weather service, a sensor
    # named as outdoor but in no area.
    entity(
        "sensor",
        "zha",
        "garden_temperature",
        area_id=garden.id,
        device_class="temperature",
        unit="°C",
    )
    entity("weather", "met", "home")
    entity(
        "sensor",
        "netatmo",
        "outdoor_module_temperature",
        device_class="temperature",
        unit="°F",
    )
    # No area at all: a thermometer nobody placed; home-level presence.
    entity(
        "sensor", "xiaomi", "spare_thermometer", device_class="temperature", unit="°C"
    )
    entity("person", "person", "anna")
    entity("device_tracker", "mobile_app", "annas_phone")
    entity(
        "device_tracker",
        "mobile_app",
        "old_phone",
        disabled_by=er.RegistryEntryDisabler.USER,
    )
    # Bermuda: the area a BLE tag is in.
    tag = device("bermuda", "Keys tag", None)
    entity("sensor", "bermuda", "keys_tag_area", device_id=tag)
    entity(
        "sensor",
        "bermuda",
        "keys_tag_distance",
        device_id=tag,
        device_class="distance",
        unit="m",
    )
    # Adaptive Lighting colours the living room's lights; its switch is no sensor.
    entity(
        "switch",
        "adaptive_lighting",
        "adaptive_lighting_living_room",
        area_id=living.id,
    )
    # Our own entities are never evidence for ourselves.
    entity(
        "binary_sensor",
        "aiot_brain",
        "living_room_occupancy",
        area_id=living.id,
        device_class="occupancy",
    )


async def test_realistic_home(hass: HomeAssistant, snapshot: SnapshotAssertion) -> None:
    build_home(hass)

    discovery = async_discover(hass)

    assert asdict(discovery) == snapshot
    assert [zone.name for zone in discovery.unlearnable_zones] == [
        "Storage",
        "Garage",
        "Garden",
    ]


async def test_zone_queries(hass: HomeAssistant) -> None:
    build_home(hass)

    discovery = async_discover(hass)

    living = next(zone for zone in discovery.zones if zone.name == "Living room")
    assert discovery.zone(living.zone_id) is living
    assert discovery.zone("nowhere") is None
    assert [e.entity_id for e in living.entities_with(Role.TEMPERATURE)] == [
        "climate.living_thermostat",
        "sensor.living_temperature",
    ]
    assert living.actuators(Actuator.LIGHT) == (
        "light.living_ceiling",
        "light.living_floor_lamp",
    )
    assert living.counts() == {
        "climate": 1,
        "cover": 1,
        "humidity": 1,
        "illuminance": 1,
        "light": 2,
        "media": 1,
        "motion": 1,
        "temperature": 1,
    }
    office = next(zone for zone in discovery.zones if zone.name == "Office")
    # The entity's own area wins over its device's (the radar's device is in the hall).
    assert [e.entity_id for e in office.entities_with(Role.MOTION)] == [
        "binary_sensor.radar_presence"
    ]
    kitchen = next(zone for zone in discovery.zones if zone.name == "Kitchen")
    assert {e.unit for e in kitchen.entities_with(Role.TEMPERATURE)} == {"°F"}


async def test_home_without_areas(hass: HomeAssistant) -> None:
    er.async_get(hass).async_get_or_create(
        "sensor", "zha", "t1", original_device_class="temperature"
    )

    discovery = async_discover(hass)

    assert discovery.zones == ()
    assert discovery.learnable_zones == ()
    assert [e.entity_id for e in discovery.unassigned] == ["sensor.zha_t1"]


async def test_device_trackers_say_who_is_home_only_without_people(
    hass: HomeAssistant,
) -> None:
    registry = er.async_get(hass)
    # Home Assistant files every device tracker under diagnostics.
    diagnostic = {"entity_category": EntityCategory.DIAGNOSTIC}
    registry.async_get_or_create(
        "device_tracker", "mobile_app", "annas_phone", **diagnostic
    )
    registry.async_get_or_create("device_tracker", "ping", "printer", **diagnostic)
    registry.async_get_or_create(
        "device_tracker",
        "nmap",
        "old_tv",
        hidden_by=er.RegistryEntryHider.USER,
        **diagnostic,
    )

    assert async_discover(hass).home_presence == (
        "device_tracker.mobile_app_annas_phone",
        "device_tracker.ping_printer",
    )

    registry.async_get_or_create("person", "person", "anna")

    assert async_discover(hass).home_presence == ("person.person_anna",)


async def test_an_opening_contact_is_a_window_only_when_named_one(
    hass: HomeAssistant,
) -> None:
    """Contacts that say only "opening", as many pair until told otherwise."""
    bedroom = ar.async_get(hass).async_create("Bedroom")
    entry = MockConfigEntry(domain="zha")
    entry.add_to_hass(hass)
    devices, entities = dr.async_get(hass), er.async_get(hass)
    for ident, device_name in [
        ("a", "Fenster Schlafzimmer"),  # the device is named for its window
        ("b", "Lumi magnet sensor"),  # nothing says where it is: a door
    ]:
        device = devices.async_get_or_create(
            config_entry_id=entry.entry_id, identifiers={("zha", ident)}
        )
        devices.async_update_device(
            device.id, area_id=bedroom.id, name_by_user=device_name
        )
        entities.async_get_or_create(
            "binary_sensor",
            "zha",
            f"contact_{ident}",
            suggested_object_id=f"contact_{ident}",  # no word of the window
            device_id=device.id,
            original_device_class="opening",
        )

    zone = async_discover(hass).zones[0]

    assert [e.entity_id for e in zone.entities_with(Role.WINDOW)] == [
        "binary_sensor.contact_a"
    ]
    assert [e.entity_id for e in zone.entities_with(Role.DOOR)] == [
        "binary_sensor.contact_b"
    ]


def add_device(
    hass: HomeAssistant, name: str, area_id: str | None, domain: str = "zha"
) -> str:
    """Register a device of ``domain`` called ``name`` in ``area_id``; return its id."""
    entry = MockConfigEntry(domain=domain)
    entry.add_to_hass(hass)
    devices = dr.async_get(hass)
    created = devices.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(domain, name)}, name=name
    )
    devices.async_update_device(created.id, area_id=area_id)
    return created.id


def add_sensor(
    hass: HomeAssistant,
    object_id: str,
    device_class: str,
    device_id: str | None,
    platform: str = "zha",
    **kwargs: Any,
) -> str:
    """Register a sensor of ``device_class`` on ``device_id``; return its entity id."""
    return (
        er.async_get(hass)
        .async_get_or_create(
            "sensor",
            platform,
            object_id,
            suggested_object_id=object_id,
            device_id=device_id,
            original_device_class=device_class,
            **kwargs,
        )
        .entity_id
    )


@pytest.mark.parametrize(
    ("device_name", "object_id", "device_class", "kwargs"),
    [
        # A thermometer in the fridge, named for it or by its device alone.
        ("Fridge", "fridge_temperature", "temperature", {"has_entity_name": True}),
        ("Kühlschrank", "aqara_t1_temperature", "temperature", {}),
        # Figures computed from the room's air: only the translation key tells.
        ("Room ATC", "room_atc_dp", "temperature", {"translation_key": "dew_point"}),
        ("GW2000A", "gw2000a_feels_like_temperature", "temperature", {}),
        ("Weather", "weather_heat_index", "temperature", {}),
        # A boiler's circuits, and water that people keep in rooms.
        ("Boiler", "boiler_flow_temperature", "temperature", {}),
        ("Boiler", "boiler_return_water_temperature", "temperature", {}),
        ("Boiler", "boiler_dhw_temperature", "temperature", {}),
        ("Heizung", "heizung_vorlauftemperatur", "temperature", {}),
        ("Aquarium", "aquarium_temperature", "temperature", {}),
        # Humidity that is not the air's, and the sun's light.
        ("Plant", "plant_soil_moisture", "humidity", {}),
        ("GW2000A", "gw2000a_solar_lux", "illuminance", {}),
    ],
)
async def test_a_reading_of_something_else_than_the_room_air_is_left_out(
    hass: HomeAssistant,
    device_name: str,
    object_id: str,
    device_class: str,
    kwargs: dict[str, Any],
) -> None:
    """Averaged in, a fridge at 4 °C would make a kitchen at 21 °C read 12.5 °C."""
    room = ar.async_get(hass).async_create("Pool house")
    # A vendor's name and a room's name that only look like the words.
    multi = add_device(hass, "Aquara multisensor", room.id)
    kept = [
        add_sensor(hass, "pool_house_temperature", "temperature", multi),
        add_sensor(hass, "pool_house_humidity", "humidity", multi),
        add_sensor(hass, "pool_house_illuminance", "illuminance", multi),
    ]
    other = add_device(hass, device_name, room.id)
    add_sensor(hass, object_id, device_class, other, **kwargs)

    (zone,) = async_discover(hass).zones

    assert [e.entity_id for e in zone.entities] == sorted(kept)


async def test_the_power_of_appliances_that_run_on_their_own_is_no_activity(
    hass: HomeAssistant,
) -> None:
    """A fridge's compressor or a washing machine's two hours say nothing of people."""
    kitchen = ar.async_get(hass).async_create("Kitchen")
    kept = [
        add_sensor(hass, name, "power", add_device(hass, device, kitchen.id))
        for name, device in (("kettle_power", "Kettle plug"), ("tv_power", "TV plug"))
    ]
    for name, device in (
        ("fridge_plug_power", "Fridge plug"),
        ("plug_3_power", "Kühlschrank"),
        ("washing_machine_power", "Shelly Plug S"),
        ("dishwasher_power", "Plug 4"),
    ):
        add_sensor(hass, name, "power", add_device(hass, device, kitchen.id))

    (zone,) = async_discover(hass).zones

    assert [e.entity_id for e in zone.entities_with(Role.POWER)] == sorted(kept)


@pytest.mark.parametrize(
    ("object_id", "device_name"),
    [
        ("office_heater_power", "Plug 7"),
        ("oil_radiator_power", "Plug 7"),
        ("air_conditioner_power", "Plug 7"),
        ("leistung", "Heizlüfter"),
        ("leistung", "Klimagerät"),
    ],
)
async def test_the_power_of_a_heater_or_an_air_conditioner_is_no_sign_of_people(
    hass: HomeAssistant, object_id: str, device_name: str
) -> None:
    """Pre-heating an empty office runs its heater: that is no one come in."""
    office = ar.async_get(hass).async_create("Office")
    kept = add_sensor(hass, "desk_power", "power", add_device(hass, "Desk", office.id))
    add_sensor(hass, object_id, "power", add_device(hass, device_name, office.id))

    (zone,) = async_discover(hass).zones

    assert [e.entity_id for e in zone.entities_with(Role.POWER)] == [kept]


async def test_the_power_an_air_conditioners_device_shows_is_no_sign_of_people(
    hass: HomeAssistant,
) -> None:
    """A split unit's integration shows its draw beside its climate, on one device."""
    office = ar.async_get(hass).async_create("Office")
    unit = add_device(hass, "Daikin FTXM25", office.id, domain="daikin")
    entities = er.async_get(hass)
    entities.async_get_or_create(
        "climate", "daikin", "ftxm25", device_id=unit, suggested_object_id="office"
    )
    add_sensor(hass, "ftxm25_power", "power", unit, platform="daikin")

    (zone,) = async_discover(hass).zones

    assert zone.entities_with(Role.POWER) == ()
    assert [e.entity_id for e in zone.entities] == ["climate.office"]


@pytest.mark.parametrize(
    ("object_id", "device_name"),
    [
        ("garage_solar_power", "Plug 5"),
        ("garage_inverter_power", "Plug 5"),
        ("garage_pv_power", "Plug 5"),
        ("solaredge_ac_power", "SolarEdge"),
        ("home_battery_power", "Powerwall"),
        ("grid_import_power", "P1"),
        ("leistung", "Wechselrichter"),
        ("leistung", "Batteriespeicher"),
        ("netzbezug", "Stromzähler"),
    ],
)
async def test_the_power_a_home_makes_stores_or_draws_is_no_sign_of_people(
    hass: HomeAssistant, object_id: str, device_name: str
) -> None:
    """An inverter in the garage makes power all sunny day with nobody there."""
    garage = ar.async_get(hass).async_create("Garage")
    # A recorder ("PVR") and a gaming PC ("Gridiron") only look like the words.
    kept = [
        add_sensor(hass, name, "power", add_device(hass, device, garage.id))
        for name, device in (("pvr_power", "TV box"), ("pc_power", "Gridiron PC"))
    ]
    add_sensor(hass, object_id, "power", add_device(hass, device_name, garage.id))

    (zone,) = async_discover(hass).zones

    assert [e.entity_id for e in zone.entities_with(Role.POWER)] == sorted(kept)


async def test_mold_indicator_is_not_the_room_humidity(hass: HomeAssistant) -> None:
    """Home Assistant's helper computes a humidity and joins its sensor's device."""
    bathroom = ar.async_get(hass).async_create("Bathroom")
    device = add_device(hass, "Bathroom sensor", bathroom.id)
    humidity = add_sensor(hass, "bathroom_sensor_humidity", "humidity", device)
    add_sensor(hass, "bathroom_critical_humidity", "humidity", device, "mold_indicator")

    (zone,) = async_discover(hass).zones

    assert [e.entity_id for e in zone.entities_with(Role.HUMIDITY)] == [humidity]


async def test_a_contact_named_door_and_window_is_a_door_unless_the_user_says(
    hass: HomeAssistant,
) -> None:
    """Vendors name their contacts "Door/Window Sensor"; the user's names come first."""
    hallway = ar.async_get(hass).async_create("Hallway")
    devices, entities = dr.async_get(hass), er.async_get(hass)

    def contact(
        device_name: str,
        object_id: str,
        *,
        name: str | None = None,
        device_name_by_user: str | None = None,
        **kwargs: Any,
    ) -> None:
        device_id = add_device(hass, device_name, hallway.id)
        devices.async_update_device(device_id, name_by_user=device_name_by_user)
        entity_id = entities.async_get_or_create(
            "binary_sensor",
            "zha",
            object_id,
            suggested_object_id=object_id,
            device_id=device_id,
            original_device_class="opening",
            **kwargs,
        ).entity_id
        entities.async_update_entity(entity_id, name=name)

    # IKEA's PARASOLL on ZHA, as it pairs: a door, the safe reading.
    parasoll = "IKEA of Sweden PARASOLL Door/Window Sensor"
    contact(parasoll, "parasoll_1_opening", has_entity_name=True)
    contact(f"{parasoll} 2", "parasoll_2_opening", device_name_by_user="Küchenfenster")
    # The Xiaomi Aqara gateway's contacts, named by the user.
    aqara = "Door Window Sensor_158d0001a2b3c"
    contact("Magnet 1", "aqara_1", original_name=f"{aqara}1", name="Front door")
    contact("Magnet 2", "aqara_2", original_name=f"{aqara}2", name="Bathroom window")
    # The "door" of "indoor" is none.
    contact("Contact", "indoor_window", name="Indoor window to the hall")

    (zone,) = async_discover(hass).zones

    assert [e.entity_id for e in zone.entities_with(Role.WINDOW)] == [
        "binary_sensor.aqara_2",
        "binary_sensor.indoor_window",
        "binary_sensor.parasoll_2_opening",
    ]
    assert [e.entity_id for e in zone.entities_with(Role.DOOR)] == [
        "binary_sensor.aqara_1",
        "binary_sensor.parasoll_1_opening",
    ]


@pytest.mark.parametrize("area_name", ["Wintergarten", "Winter garden", "Garden room"])
async def test_a_conservatory_keeps_its_thermometer(
    hass: HomeAssistant, area_name: str
) -> None:
    """A heated conservatory is a room, its name's "garden" notwithstanding."""
    room = ar.async_get(hass).async_create(area_name)
    device = add_device(hass, "Thermometer WG", room.id)
    thermometer = add_sensor(hass, "thermometer_wg_temperature", "temperature", device)

    discovery = async_discover(hass)

    assert [e.entity_id for e in discovery.zones[0].thermometers] == [thermometer]
    assert discovery.outdoor == ()


async def test_outdoor_humidity_and_light_are_no_rooms(hass: HomeAssistant) -> None:
    """A weather station's gateway in the living room reports the outdoors too."""
    areas = ar.async_get(hass)
    living = areas.async_create("Living room")
    garden = areas.async_create("Garden")
    station = add_device(hass, "GW2000A", living.id, "ecowitt")
    for object_id, device_class in (
        ("gw2000a_indoor_temperature", "temperature"),
        ("gw2000a_indoor_humidity", "humidity"),
        ("gw2000a_outdoor_temperature", "temperature"),
        ("gw2000a_outdoor_humidity", "humidity"),
        ("gw2000a_outdoor_illuminance", "illuminance"),
        ("gw2000a_aussenfeuchte", "humidity"),
    ):
        add_sensor(hass, object_id, device_class, station, "ecowitt")
    # A thermometer named for the outdoors by its device only.
    balcony = add_device(hass, "Aqara T1", None)
    dr.async_get(hass).async_update_device(balcony, name_by_user="Balkon")
    add_sensor(hass, "aqara_t1_temperature", "temperature", balcony)
    # The garden's light is the garden's own, for its lights.
    garden_sensor = add_device(hass, "Garden sensor", garden.id)
    add_sensor(hass, "garden_sensor_illuminance", "illuminance", garden_sensor)

    discovery = async_discover(hass)

    garden_zone, living_zone = discovery.zones
    assert [e.entity_id for e in living_zone.entities] == [
        "sensor.gw2000a_indoor_humidity",
        "sensor.gw2000a_indoor_temperature",
    ]
    assert [e.entity_id for e in discovery.outdoor] == [
        "sensor.aqara_t1_temperature",
        "sensor.gw2000a_outdoor_temperature",
    ]
    assert [e.entity_id for e in garden_zone.entities] == [
        "sensor.garden_sensor_illuminance"
    ]


async def test_a_renamed_bermuda_area_sensor_is_still_an_area_tracker(
    hass: HomeAssistant,
) -> None:
    """Bermuda's "Area" sensor, renamed by its user; its other sensors are no tracker."""
    registry = er.async_get(hass)
    for unique_id, object_id, kwargs in (
        # Bermuda today: a translated name; before: "Area" in every language.
        ("aa:bb:cc:dd:ee:01", "annas_watch_area", {"translation_key": "area"}),
        ("aa:bb:cc:dd:ee:02", "keys_tag_area", {"original_name": "Area"}),
        (
            "aa:bb:cc:dd:ee:01_area_last_seen",
            "annas_watch_area_last_seen",
            {"translation_key": "area_last_seen"},
        ),
    ):
        entity_id = registry.async_get_or_create(
            "sensor",
            "bermuda",
            unique_id,
            suggested_object_id=object_id,
            has_entity_name=True,
            **kwargs,
        ).entity_id
        registry.async_update_entity(
            entity_id, new_entity_id=entity_id.replace("_area", "_room")
        )

    assert async_discover(hass).area_trackers == (
        "sensor.annas_watch_room",
        "sensor.keys_tag_room",
    )


@pytest.mark.parametrize(
    "platform",
    [
        "tesla_fleet",  # a car integration
        "some_car",  # any integration that tracks its own device
    ],
)
async def test_a_car_in_the_garage_says_nothing_of_the_garage(
    hass: HomeAssistant, platform: str
) -> None:
    """Its cabin's 30 °C is not the garage's, its charging all night nobody there."""
    garage = ar.async_get(hass).async_create("Garage")
    car = add_device(hass, "Model Y", garage.id, domain=platform)
    entities = er.async_get(hass)
    entities.async_get_or_create("device_tracker", platform, "location", device_id=car)
    add_sensor(hass, "model_y_inside_temperature", "temperature", car, platform)
    add_sensor(hass, "model_y_charger_power", "power", car, platform)
    entities.async_get_or_create("media_player", platform, "media", device_id=car)
    climate = entities.async_get_or_create(
        "climate", platform, "climate", device_id=car, suggested_object_id="model_y"
    )
    # The garage's own: a heater that a router tracks too (it shares its MAC).
    heater = add_device(hass, "Garage heater", garage.id, domain="daikin")
    entities.async_get_or_create("device_tracker", "unifi", "heater", device_id=heater)
    entities.async_get_or_create(
        "climate", "daikin", "heater", device_id=heater, suggested_object_id="heater"
    )
    kept = add_sensor(hass, "garage_temperature", "temperature", heater, "daikin")

    (zone,) = async_discover(hass).zones

    assert [e.entity_id for e in zone.entities] == ["climate.heater", kept]
    assert zone.left_alone == ((climate.entity_id, f"a car's, from {platform}"),)


def fritz_dect_301(hass: HomeAssistant, area_id: str) -> tuple[str, str]:
    """A FRITZ!DECT 301 radiator valve as Home Assistant's fritzbox integration
    registers it: its climate and, on the same device, its temperature sensor
    (not diagnostic: the integration marks it so only on plugs and bulbs)."""
    device = add_device(hass, "FRITZ!DECT 301 Wohnzimmer", area_id, "fritzbox")
    entities = er.async_get(hass)
    valve = entities.async_get_or_create(
        "climate",
        "fritzbox",
        "099950123456",
        suggested_object_id="fritz_dect_301_wohnzimmer",
        device_id=device,
    ).entity_id
    reading = entities.async_get_or_create(
        "sensor",
        "fritzbox",
        "099950123456_temperature",
        suggested_object_id="fritz_dect_301_wohnzimmer_temperature",
        device_id=device,
        original_device_class="temperature",
        unit_of_measurement="°C",
        translation_key="temperature",
    ).entity_id
    return valve, reading


async def test_a_valves_own_temperature_sensor_is_not_the_rooms_beside_a_room_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """ "A thermostat's or valve's own temperature counts only in an area with no
    room sensor of its own: it hangs next to the heat."

    A valve whose integration shows its reading as a sensor of its own as well
    (FRITZ!DECT 301) is the same valve by the radiator: with a room thermometer in
    the area, its 24 °C must not be averaged into the room's 20 °C.
    """
    freezer.move_to(START)
    build_office(hass)  # the office has a room thermometer of its own
    _valve, reading = fritz_dect_301(hass, "office")

    entry = await setup_office(hass)
    hass.states.async_set(
        "sensor.office_temperature", "20.0", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set(reading, "24.0", {"unit_of_measurement": "°C"})
    await hass.async_block_till_done()

    assert coordinator_of(entry).brain.zone("office").latest[Role.TEMPERATURE] == 20.0
    zone = async_discover(hass).zone("office")
    assert zone is not None
    assert [e.entity_id for e in zone.thermometers] == ["sensor.office_temperature"]


async def test_a_valves_own_temperature_sensor_reads_a_room_with_none_of_its_own(
    hass: HomeAssistant,
) -> None:
    """Without a room sensor, the valve's sensor is what reads the room."""
    room = ar.async_get(hass).async_create("Bedroom")
    valve, reading = fritz_dect_301(hass, room.id)

    zone = async_discover(hass).zones[0]

    assert [e.entity_id for e in zone.thermometers] == [valve, reading]


@pytest.mark.parametrize(
    "device_name",
    [
        "Balcony door",
        "Patio door",
        "Terrace door",
        "Balkontür",
        "Terrassentür",
        "Balcony window",
        "Balkonfenster",
    ],
)
async def test_a_door_sensors_thermometer_indoors_is_the_rooms(
    hass: HomeAssistant, device_name: str
) -> None:
    """A door/window sensor with a thermometer (Fibaro FGDW-002) on the balcony door.

    It hangs indoors, on the living room's side of the door: its temperature is
    the room's, not the weather's, as "Pool house" names a room.
    """
    living = ar.async_get(hass).async_create("Living room")
    contact = add_device(hass, device_name, living.id, "zwave_js")
    # Its entity id as Home Assistant makes it from the device's name.
    thermometer = add_sensor(
        hass,
        f"{slugify(device_name)}_air_temperature",
        "temperature",
        contact,
        "zwave_js",
    )
    er.async_get(hass).async_get_or_create(
        "weather", "met", "home", suggested_object_id="home"
    )

    discovery = async_discover(hass)

    assert default_settings(hass, discovery).outdoor_source == "weather.home"
    assert thermometer not in [e.entity_id for e in discovery.outdoor]
    assert [e.entity_id for e in discovery.zones[0].thermometers] == [thermometer]


@pytest.mark.parametrize(
    "name",
    [
        "Balcony",
        "Balkon",
        "Terrasse",
        "Balkon Temperatur",
        "Terrassentemperatur",
        "Terrace sensor",
    ],
)
async def test_a_balcony_thermometer_still_reads_the_weather(
    hass: HomeAssistant, name: str
) -> None:
    """Only a door or window word after it makes a balcony's name the room's."""
    device = add_device(hass, name, None)
    thermometer = add_sensor(hass, "aqara_t1_temperature", "temperature", device)

    assert [e.entity_id for e in async_discover(hass).outdoor] == [thermometer]
