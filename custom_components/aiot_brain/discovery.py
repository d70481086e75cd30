"""Find the zones of a home and what each of their entities means to the models.

Zones are Home Assistant areas; floors group them. An entity belongs to its own area,
or else to its device's area. Every entity is classified once, from the registries
alone (domain, device class, unit, names), so discovery is cheap and repeatable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
import re

from homeassistant.const import Platform, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
)
from homeassistant.util.unit_conversion import TemperatureConverter

from .brain.observation import Role, as_number
from .const import DOMAIN, SETPOINT_HIGHEST


class Actuator(StrEnum):
    """What an entity can drive."""

    CLIMATE = "climate"
    LIGHT = "light"
    FAN = "fan"
    COVER = "cover"


# Roles that say someone is (or is not) in the zone.
OCCUPANCY_ROLES: frozenset[Role] = frozenset(
    {Role.MOTION, Role.DOOR, Role.MEDIA, Role.POWER, Role.PRESENCE}
)
# Roles that describe the zone's air and light.
ENVIRONMENT_ROLES: frozenset[Role] = frozenset(
    {Role.TEMPERATURE, Role.HUMIDITY, Role.CO2, Role.ILLUMINANCE, Role.SOUND}
)
# A zone can be learned from when it has at least one of these.
LEARNABLE_ROLES: frozenset[Role] = OCCUPANCY_ROLES | ENVIRONMENT_ROLES

_BINARY_SENSOR_ROLES: dict[str, Role] = {
    "motion": Role.MOTION,
    "occupancy": Role.MOTION,
    "presence": Role.MOTION,
    "door": Role.DOOR,
    "garage_door": Role.DOOR,
    "window": Role.WINDOW,
}
_SENSOR_ROLES: dict[str, Role] = {
    "temperature": Role.TEMPERATURE,
    "humidity": Role.HUMIDITY,
    "carbon_dioxide": Role.CO2,
    "illuminance": Role.ILLUMINANCE,
    "sound_pressure": Role.SOUND,
    "power": Role.POWER,
}
# A climate entity reports the room temperature and a person's setpoint choices.
_CLIMATE_ROLES = (Role.TEMPERATURE, Role.HVAC_SETPOINT, Role.HVAC_ACTION)
_LIGHT_ROLES = (Role.LIGHT_ON, Role.LIGHT_BRIGHTNESS, Role.LIGHT_COLOR_TEMP)

# Domains whose every entity means the same, whatever its device class.
_DOMAIN_MEANINGS: dict[str, tuple[tuple[Role, ...], Actuator | None]] = {
    Platform.WEATHER: ((Role.OUTDOOR_TEMPERATURE,), None),
    Platform.MEDIA_PLAYER: ((Role.MEDIA,), None),
    Platform.CLIMATE: (_CLIMATE_ROLES, Actuator.CLIMATE),
    Platform.LIGHT: (_LIGHT_ROLES, Actuator.LIGHT),
    Platform.FAN: ((), Actuator.FAN),
    Platform.COVER: ((), Actuator.COVER),
}


def _words(words: str, prefixes: str) -> re.Pattern[str]:
    """Match ``words`` whole and ``prefixes`` at a word's start, but not a room's name.

    Entity ids part words with "_", and "Aquara" says nothing of an aquarium. German
    leads its compounds with the word that matters ("Poolwasser"), hence prefixes.
    A word followed by "room" or "house" names a room ("Pool house").
    """
    return re.compile(
        rf"(?<![^\W_])(?:{words}|(?:{prefixes})[^\W_]*)(?![^\W_])"
        r"(?![ _-]?(?:room|house)(?![^\W_]))",
        re.IGNORECASE,
    )


# The room's air and light, read by sensors that may read something else instead.
_ROOM_AIR_ROLES = frozenset({Role.TEMPERATURE, Role.HUMIDITY, Role.ILLUMINANCE})
# Such sensors that read no room's air: appliances, water, soil and sun, the pipes
# of a boiler or a ventilation unit, setpoints, figures computed from the air (dew
# point, feels-like, mould risk). Averaged in, a fridge would make the kitchen cold.
# (A bathroom's exhaust fan reads the bathroom: "exhaust" is not on the list.)
_NOT_ROOM_AIR_WORDS = _words(
    r"fridge|freezer|refrigerator|cooler|oven|water|spa|hot[ _]tub|soil|solar|"
    r"flow|return|dhw|supply|setpoint|target|dew[ _]?point|frost[ _]?point|"
    r"feels[ _]?like|apparent|heat[ _]?index|wind[ _]?chill|wet[ _]?bulb|humidex|"
    r"mou?ld",
    r"pool|aquari|k(ü|ue|u)hl|tiefk(ü|ue|u)hl|gefrier|(back)?ofen|"
    r"(warm|brauch|trink)?wasser|vorlauf|r(ü|ue|u)cklauf|zuluft|fortluft|soll|"
    r"taupunkt|gef(ü|ue|u)hlt|hitzeindex|schimmel",
)
# Power of appliances that run on their own, long after anyone touched them (a
# fridge's compressor, a washing machine's two hours, a server): no sign of people.
# Nor is the power the home makes, stores or draws from the grid: an inverter in the
# garage works all sunny day with nobody there.
_SELF_RUNNING_WORDS = _words(
    r"fridge|freezer|refrigerator|aquarium|pump|heat[ _]?pump|boiler|server|nas|"
    r"router|washer|washing[ _]machine|dryer|dishwasher|dehumidifier|"
    r"ev[ _]charger|wallbox|water[ _]heater|"
    r"pv|inverter|battery|grid|smart[ _]?meter|p1[ _]?meter|"
    r"heater|radiator|air[ _]?con(ditioner|ditioning)?",
    r"k(ü|ue|u)hlschrank|gefrier|aquari|pumpe|w(ä|ae)rmepumpe|waschmaschine|"
    r"trockner|sp(ü|ue)lmaschine|geschirrsp(ü|ue)ler|luftentfeuchter|wallbox|"
    r"solar|photovoltai|wechselrichter|batterie|akku|speicher|netz|einspeis|"
    r"balkonkraftwerk|heiz|klimager(ä|ae)t|klimaanlage",
)
# Climates of things that are in a room without keeping it: a sauna, a pool or a
# hot tub, an aquarium or a terrarium, a fridge or a wine cooler, hot water, a car
# parked in the garage. Driven to a room's comfort, a car would be preheated every
# morning; read, a sauna at 80 °C would make its room hot. (Not "whirlpool":
# Whirlpool air conditioners are a room's.)
_NOT_A_ROOMS_CLIMATE_WORDS = _words(
    r"sauna|spa|hot[ _]?tub|jacuzzi|fridge|freezer|refrigerator|"
    r"wine[ _]?cooler|water[ _]heater|hot[ _]water|dhw|car|vehicle",
    r"pool|aquari|terrari|vivari|k(ü|ue|u)hlschrank|gefrier|weink(ü|ue|u)hl|"
    r"(warm|brauch|trink)wasser|fahrzeug",
)
# Lights that keep the hours of fish, reptiles or plants, not of people in the room.
_NOT_A_ROOMS_LIGHT_WORDS = _words(
    r"grow[ _]?lights?|plant[ _]lights?",
    r"aquari|terrari|vivari|pflanzenl(ampe|icht)",
)
# Integrations of cars: their climates warm a cabin, their thermometers read it, and
# their charging or their radio is no sign of people in the garage.
VEHICLE_PLATFORMS = frozenset(
    {
        "tesla_fleet",
        "teslemetry",
        "tessie",
        "tesla_custom",
        "volkswagencarnet",
        "volkswagen_we_connect_id",
        "myskoda",
        "kia_uvo",
        "renault",
        "bmw_connected_drive",
        "mbapi2020",
        "audiconnect",
        "polestar_api",
    }
)
# Helpers that compute their readings from other sensors of the room.
_DERIVED_PLATFORMS = frozenset({"mold_indicator", "thermal_comfort"})
# Sensors named for the outdoors read the weather, as do thermometers in an outdoor
# area (the humidity and light of a garden are its own). A "Winter garden" or a
# "Wintergarten" is a room, and so is a balcony's, terrace's or patio's door or
# window ("Balkontür", "Terrassenfenster"): a contact's thermometer there hangs
# indoors. (Entity ids spell "tür" "tur".)
_OUTDOOR_WORDS = _words(
    r"outdoors?|outside|exterior|(?<!winter[ _])garden|(back)?yard|"
    r"(?:balcony|terrace|patio)(?![ _-]?(?:doors?|windows?)(?![^\W_]))",
    r"au(ss|ß)en|garten|"
    r"(?:balkon|terrass)(?!(?:en?)?[ _-]?(?:t(?:ü|ue|u)r|fenster))",
)
# Outbuildings the home's heating does not reach: someone working in the garage
# keeps no house warm.
_UNHEATED_WORDS = _words(r"garage|carport|shed", r"garage|carport|schuppen")
# A contact that says only "opening" (as many door and window sensors do until
# told otherwise) is on a window when its name or its device's says so, and not
# door too: vendors name their contacts "Door/Window Sensor".
_WINDOW_WORDS = re.compile(
    r"window|skylight|fenster|fen[eê]tre|finestra|ventana", re.IGNORECASE
)
# Not the "door" of "indoor" or "outdoor"; German doors end compounds (Haustür).
_DOOR_WORDS = re.compile(
    r"(?<!in)(?<!out)door|t(ü|ue)r|porte|porta|puerta", re.IGNORECASE
)
# Bermuda (BLE room presence) names the area a tracked device is in.
_AREA_TRACKER_PLATFORMS = frozenset({"bermuda"})
# So does every MQTT room sensor, ESPresense's way into Home Assistant: its state
# is the room (its topic's last level, "living_room") or "not_home".
_ROOM_SENSOR_PLATFORMS = frozenset({"mqtt_room"})
# Its main switches list the lights whose colour it manages.
_ADAPTIVE_LIGHTING = "adaptive_lighting"


@dataclass(frozen=True, slots=True)
class ZoneEntity:
    """An entity and what it means: the roles it reports and what it can drive."""

    entity_id: str
    roles: tuple[Role, ...]
    actuator: Actuator | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Floor:
    """A floor of the building; it groups zones."""

    floor_id: str
    name: str
    level: int | None


@dataclass(frozen=True, slots=True)
class Zone:
    """An area of the home and the entities in it."""

    zone_id: str  # the area id: stable across renames
    name: str
    floor_id: str | None
    entities: tuple[ZoneEntity, ...] = ()
    # Climates and lights in the area that serve no room, and why: neither driven
    # nor read.
    left_alone: tuple[tuple[str, str], ...] = ()
    # Temperature sensors on a thermostat's or valve's device (a FRITZ!DECT 301
    # shows its reading as a sensor too): they read by the heat, as it does.
    by_the_heat: tuple[str, ...] = ()

    @property
    def learnable(self) -> bool:
        """Whether the zone has any sensor the models can learn from."""
        return any(role in LEARNABLE_ROLES for role in self.roles)

    @property
    def roles(self) -> frozenset[Role]:
        """Every role reported by an entity in the zone."""
        return frozenset(role for entity in self.entities for role in entity.roles)

    def entities_with(self, role: Role) -> tuple[ZoneEntity, ...]:
        """Return the entities that report ``role``."""
        return tuple(entity for entity in self.entities if role in entity.roles)

    @property
    def thermometers(self) -> tuple[ZoneEntity, ...]:
        """Return what reads the room's temperature: its sensors, else its thermostats.

        A thermostat reads where it hangs, a radiator valve next to the heat: where
        a room has a sensor of its own, that is the room's temperature.
        """
        readers = self.entities_with(Role.TEMPERATURE)
        sensors = tuple(
            entity
            for entity in readers
            if entity.actuator is None and entity.entity_id not in self.by_the_heat
        )
        return sensors or readers

    def actuators(self, kind: Actuator) -> tuple[str, ...]:
        """Return the entity ids of the actuators of ``kind``."""
        return tuple(e.entity_id for e in self.entities if e.actuator is kind)

    def counts(self) -> dict[str, int]:
        """Count entities per role and per actuator kind, for people to read."""
        counter: Counter[str] = Counter()
        for entity in self.entities:
            if entity.actuator is not None:
                counter[entity.actuator.value] += 1
            else:
                counter.update(role.value for role in entity.roles)
        return dict(sorted(counter.items()))


@dataclass(frozen=True, slots=True)
class Discovery:
    """Everything found in the registries, ready for the models and the entities."""

    zones: tuple[Zone, ...] = ()
    floors: tuple[Floor, ...] = ()
    # Outdoor temperature sensors and weather entities, wherever they are.
    outdoor: tuple[ZoneEntity, ...] = ()
    # Whose state says whether anybody is home at all: the people (person
    # entities), or the device trackers where nobody set people up.
    home_presence: tuple[str, ...] = ()
    # Entities whose state names the area someone is in (Bermuda).
    area_trackers: tuple[str, ...] = ()
    # Adaptive Lighting's switches: the lights they list get their colour there.
    colour_managers: tuple[str, ...] = ()
    # Relevant entities in no area: they cannot be placed in a zone.
    unassigned: tuple[ZoneEntity, ...] = field(default=())
    # By the id of a zone whose thermostats are the only ones of its floor (or of
    # the home, where areas have no floors): the zones they serve besides it.
    serves: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def zone(self, zone_id: str) -> Zone | None:
        """Return the zone with this id, if there is one."""
        return next((zone for zone in self.zones if zone.zone_id == zone_id), None)

    def served_by(self, zone_id: str) -> tuple[str, ...]:
        """Return the zones the thermostats of ``zone_id`` serve besides it."""
        return next((served for server, served in self.serves if server == zone_id), ())

    def floor_name(self, floor_id: str | None) -> str | None:
        """Return the name of the floor, None for none."""
        return next((f.name for f in self.floors if f.floor_id == floor_id), None)

    @property
    def learnable_zones(self) -> tuple[Zone, ...]:
        """Zones with at least one sensor to learn from."""
        return tuple(zone for zone in self.zones if zone.learnable)

    @property
    def unlearnable_zones(self) -> tuple[Zone, ...]:
        """Zones with nothing to learn from (no sensors, or actuators only)."""
        return tuple(zone for zone in self.zones if not zone.learnable)


def classify(
    entry: er.RegistryEntry,
    area_name: str | None = None,
    device: dr.BaseDeviceEntry | None = None,
) -> ZoneEntity | None:
    """Return what ``entry`` means to the models, or None if it means nothing."""
    device_class = entry.device_class or entry.original_device_class
    roles: tuple[Role, ...] = ()
    actuator: Actuator | None = None
    if entry.domain in _DOMAIN_MEANINGS:
        roles, actuator = _DOMAIN_MEANINGS[entry.domain]
    elif entry.domain == Platform.BINARY_SENSOR:
        if device_class in _BINARY_SENSOR_ROLES:
            roles = (_BINARY_SENSOR_ROLES[device_class],)
        elif device_class == "opening":
            roles = (_contact_role(entry, device),)
    elif entry.domain == Platform.SENSOR:
        if entry.platform in _ROOM_SENSOR_PLATFORMS:
            roles = (Role.PRESENCE,)
        elif entry.platform in _AREA_TRACKER_PLATFORMS:
            roles = (Role.PRESENCE,) if _is_area_tracker(entry) else ()
        elif device_class in _SENSOR_ROLES:
            roles = _reading_roles(
                entry, _SENSOR_ROLES[device_class], area_name, device
            )
    if not roles and actuator is None:
        return None
    return ZoneEntity(entry.entity_id, roles, actuator, entry.unit_of_measurement)


def travels(
    entities: er.EntityRegistry,
    entry: er.RegistryEntry,
    device: dr.BaseDeviceEntry | None,
) -> bool:
    """Whether ``entry`` is a car's (or a phone's): it is wherever that is.

    A car integration's, or on a device its own integration tracks. A router's
    tracker on a thermostat's device (they share its MAC address) says nothing.
    """
    return entry.platform in VEHICLE_PLATFORMS or (
        device is not None
        and any(
            other.domain == Platform.DEVICE_TRACKER and other.platform == entry.platform
            for other in er.async_entries_for_device(
                entities, device.id, include_disabled_entities=True
            )
        )
    )


def _keeps_no_room(
    entry: er.RegistryEntry,
    device: dr.BaseDeviceEntry | None,
    unit: str,
    travelling: bool,
) -> str | None:
    """Say why a climate or a light serves no room, None if it may.

    It is a car's, its names say what it is, or a climate's lowest target is
    hotter than any room is kept (a sauna that no name gives away).
    """
    if travelling:
        return f"a car's, from {entry.platform}"
    words = (
        _NOT_A_ROOMS_LIGHT_WORDS
        if entry.domain == Platform.LIGHT
        else _NOT_A_ROOMS_CLIMATE_WORDS
    )
    for name in filter(None, _names(entry, device)):
        if found := words.search(name):
            return f'its names say "{found.group(0).replace("_", " ").lower()}"'
    lowest = as_number((entry.capabilities or {}).get("min_temp"))
    if lowest is not None and (
        TemperatureConverter.convert(lowest, unit, UnitOfTemperature.CELSIUS)
        > SETPOINT_HIGHEST
    ):
        return f"it takes {lowest:g} {unit} at the least, hotter than any room"
    return None


def _has_climate(entities: er.EntityRegistry, device_id: str) -> bool:
    """Whether the device is a thermostat's or a valve's: it has a climate."""
    return any(
        other.domain == Platform.CLIMATE
        for other in er.async_entries_for_device(
            entities, device_id, include_disabled_entities=True
        )
    )


def _without_heaters_draw(
    entities: er.EntityRegistry,
    zone_entity: ZoneEntity | None,
    device: dr.BaseDeviceEntry | None,
) -> ZoneEntity | None:
    """Return ``zone_entity`` without the power it reads on a climate's device.

    That is a heater's or an air conditioner's own draw: it runs as we drive it
    (pre-heating an empty room), not as people come and go. None: nothing is left.
    """
    if (
        zone_entity is None
        or Role.POWER not in zone_entity.roles
        or zone_entity.actuator is not None
        or device is None
        or not _has_climate(entities, device.id)
    ):
        return zone_entity
    roles = tuple(role for role in zone_entity.roles if role is not Role.POWER)
    return replace(zone_entity, roles=roles) if roles else None


def _is_area_tracker(entry: er.RegistryEntry) -> bool:
    """Whether ``entry`` is the sensor that names the area a tracked device is in.

    Its translation key, or the name "Area" it had before Bermuda translated it,
    stays when the user renames it; its entity id is "…_area" until then.
    """
    return (
        entry.translation_key == "area"
        or entry.original_name == "Area"
        or entry.entity_id.endswith("_area")
    )


def _contact_role(entry: er.RegistryEntry, device: dr.BaseDeviceEntry | None) -> Role:
    """Return whether a contact that says only "opening" is on a door or a window.

    The first of its names that says either decides, so a user's "Front door" wins
    over the vendor's "Door/Window Sensor". A door taken for a window would hide
    people coming and going and set the heating back whenever it stood open: a name
    that says both is a door's, and so is a contact that no name places.
    """
    for name in filter(None, _names(entry, device)):
        if _DOOR_WORDS.search(name):
            return Role.DOOR
        if _WINDOW_WORDS.search(name):
            return Role.WINDOW
    return Role.DOOR


def _reading_roles(
    entry: er.RegistryEntry,
    role: Role,
    area_name: str | None,
    device: dr.BaseDeviceEntry | None,
) -> tuple[Role, ...]:
    """Return what a sensor's reading is: the room's, the weather's, or nothing."""
    names = _names(entry, device)
    if role is Role.POWER:
        return () if _named(names, _SELF_RUNNING_WORDS) else (role,)
    if role not in _ROOM_AIR_ROLES:
        return (role,)
    if entry.platform in _DERIVED_PLATFORMS or _named(names, _NOT_ROOM_AIR_WORDS):
        return ()
    outdoor = _named(names, _OUTDOOR_WORDS)
    outdoor_area = _named((area_name,), _OUTDOOR_WORDS)
    if role is Role.TEMPERATURE and (outdoor or outdoor_area):
        return (Role.OUTDOOR_TEMPERATURE,)
    # Nothing uses the outdoor humidity or light: a weather station's gateway in the
    # living room would only add them to the room.
    return () if outdoor and not outdoor_area else (role,)


def _names(
    entry: er.RegistryEntry, device: dr.BaseDeviceEntry | None
) -> tuple[str | None, ...]:
    """Return an entity's names, the user's first: its own, its device's, defaults."""
    return (
        entry.name,
        device.name_by_user if device else None,
        entry.entity_id,
        entry.original_name,
        entry.translation_key,
        device.name if device else None,
    )


def _named(names: tuple[str | None, ...], words: re.Pattern[str]) -> bool:
    return any(name and words.search(name) for name in names)


def _skipped(entry: er.RegistryEntry) -> bool:
    """Disabled, hidden, configuration and diagnostic entities, and our own."""
    return (
        entry.disabled_by is not None
        or entry.hidden_by is not None
        or entry.entity_category is not None
        or entry.platform == DOMAIN
    )


def served_areas(zones: Iterable[Zone]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return which zones the only thermostat of a floor serves besides its own.

    Many homes heat a whole floor, or the whole flat, from one thermostat in the
    hallway or the living room: its heat is the heat of every room there without a
    thermostat of its own. Where one zone alone in the home has thermostats, it
    serves every other: a house with one thermostat downstairs heats the bedrooms
    upstairs too, floors set up or not. Otherwise areas are grouped by their floor
    (those with none together: the home, where nobody set floors up); in a group
    where one zone alone has thermostats, that zone serves the others. An outdoor
    area (a garden, a balcony) or an outbuilding (a garage, a shed) is heated by
    nothing.
    """
    zones = list(zones)
    floors: dict[str | None, list[Zone]] = {}
    for zone in zones:
        floors.setdefault(zone.floor_id, []).append(zone)
    heated = [zone for zone in zones if zone.actuators(Actuator.CLIMATE)]
    groups = [zones] if len(heated) == 1 else list(floors.values())
    serves: list[tuple[str, tuple[str, ...]]] = []
    for group in groups:
        servers = [zone for zone in group if zone.actuators(Actuator.CLIMATE)]
        if len(servers) != 1:
            continue
        server = servers[0]
        served = tuple(
            zone.zone_id
            for zone in group
            if zone is not server
            and not _named((zone.name,), _OUTDOOR_WORDS)
            and not _named((zone.name,), _UNHEATED_WORDS)
        )
        if served:
            serves.append((server.zone_id, served))
    return tuple(sorted(serves))


def _people_or_trackers(entity_ids: list[str]) -> tuple[str, ...]:
    """Return the person entities, or the device trackers if there are none.

    A person follows their own trackers; the trackers of a home's printers and TVs
    say "home" all day and would hide that the people are out.
    """
    people = [entity_id for entity_id in entity_ids if entity_id.startswith("person.")]
    return tuple(sorted(people or entity_ids))


def async_discover(hass: HomeAssistant) -> Discovery:
    """Read the registries and return the home's zones and their entities."""
    area_registry = ar.async_get(hass)
    device_registry = dr.async_get(hass)
    entity_registry = er.async_get(hass)
    floor_registry = fr.async_get(hass)

    areas = {area.id: area for area in area_registry.async_list_areas()}
    per_zone: dict[str, list[ZoneEntity]] = {area_id: [] for area_id in areas}
    left_alone: dict[str, list[tuple[str, str]]] = {area_id: [] for area_id in areas}
    by_the_heat: dict[str, list[str]] = {area_id: [] for area_id in areas}
    unit = hass.config.units.temperature_unit
    outdoor: list[ZoneEntity] = []
    home_presence: list[str] = []
    area_trackers: list[str] = []
    colour_managers: list[str] = []
    unassigned: list[ZoneEntity] = []

    for entry in entity_registry.entities.values():
        if entry.domain in (Platform.DEVICE_TRACKER, "person"):
            # Home Assistant files every device tracker under diagnostics.
            if entry.disabled_by is None and entry.hidden_by is None:
                home_presence.append(entry.entity_id)
            continue
        if entry.domain == Platform.SWITCH and entry.platform == _ADAPTIVE_LIGHTING:
            colour_managers.append(entry.entity_id)
            continue
        if _skipped(entry):
            continue
        device = device_registry.async_get(entry.device_id) if entry.device_id else None
        area_id = entry.area_id or (device.area_id if device else None)
        area = areas.get(area_id) if area_id else None
        zone_entity = _without_heaters_draw(
            entity_registry,
            classify(entry, area.name if area else None, device),
            device,
        )
        if zone_entity is None:
            continue
        travelling = travels(entity_registry, entry, device)
        if zone_entity.actuator in (Actuator.CLIMATE, Actuator.LIGHT) and (
            why := _keeps_no_room(entry, device, unit, travelling)
        ):
            if area is not None:
                left_alone[area.id].append((entry.entity_id, why))
            continue
        if Role.OUTDOOR_TEMPERATURE in zone_entity.roles:
            outdoor.append(zone_entity)
        elif Role.PRESENCE in zone_entity.roles:
            area_trackers.append(entry.entity_id)
        elif not travelling:  # a car's cabin, charging or radio: not its garage's
            (unassigned if area is None else per_zone[area.id]).append(zone_entity)
            if (
                area is not None
                and Role.TEMPERATURE in zone_entity.roles
                and zone_entity.actuator is None
                and device is not None
                and _has_climate(entity_registry, device.id)
            ):
                by_the_heat[area.id].append(entry.entity_id)

    floors = sorted(
        (
            Floor(floor.floor_id, floor.name, floor.level)
            for floor in floor_registry.async_list_floors()
        ),
        key=lambda floor: (floor.level is None, floor.level or 0, floor.name),
    )
    floor_order = {floor.floor_id: index for index, floor in enumerate(floors)}
    zones = sorted(
        (
            Zone(
                area.id,
                area.name,
                area.floor_id,
                tuple(sorted(per_zone[area.id], key=lambda e: e.entity_id)),
                tuple(sorted(left_alone[area.id])),
                tuple(sorted(by_the_heat[area.id])),
            )
            for area in areas.values()
        ),
        key=lambda zone: (
            floor_order.get(zone.floor_id or "", len(floor_order)),
            zone.name,
        ),
    )
    return Discovery(
        zones=tuple(zones),
        floors=tuple(floors),
        outdoor=tuple(sorted(outdoor, key=lambda e: e.entity_id)),
        home_presence=_people_or_trackers(home_presence),
        area_trackers=tuple(sorted(area_trackers)),
        colour_managers=tuple(sorted(colour_managers)),
        unassigned=tuple(sorted(unassigned, key=lambda e: e.entity_id)),
        serves=served_areas(zones),
    )
