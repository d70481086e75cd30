"""States of real entities become observations in the core's units."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest

from custom_components.aiot_brain.brain.observation import Observation, Role
from custom_components.aiot_brain.brain.timefeatures import wall_clock
from custom_components.aiot_brain.discovery import Actuator, ZoneEntity
from custom_components.aiot_brain.state_mapping import (
    aware,
    observations_from_state,
)


def _observe(
    hass: HomeAssistant,
    entity: ZoneEntity,
    state: str,
    attributes: dict[str, object] | None = None,
    **kwargs: object,
) -> list[Observation]:
    hass.states.async_set(entity.entity_id, state, attributes or {})
    current = hass.states.get(entity.entity_id)
    assert current is not None
    return observations_from_state(entity, current, **kwargs)  # type: ignore[arg-type]


def _values(observations: list[Observation]) -> dict[Role, float]:
    return {observation.role: observation.value for observation in observations}


MOTION = ZoneEntity("binary_sensor.hall_motion", (Role.MOTION,))
TEMPERATURE = ZoneEntity("sensor.office_temperature", (Role.TEMPERATURE,), unit="°F")
POWER = ZoneEntity("sensor.tv_power", (Role.POWER,), unit="kW")
CO2 = ZoneEntity("sensor.office_co2", (Role.CO2,), unit="ppm")
CLIMATE = ZoneEntity(
    "climate.office",
    (Role.TEMPERATURE, Role.HVAC_SETPOINT, Role.HVAC_ACTION),
    Actuator.CLIMATE,
)
LIGHT = ZoneEntity(
    "light.office",
    (Role.LIGHT_ON, Role.LIGHT_BRIGHTNESS, Role.LIGHT_COLOR_TEMP),
    Actuator.LIGHT,
)
MEDIA = ZoneEntity("media_player.living_room", (Role.MEDIA,))
WEATHER = ZoneEntity("weather.home", (Role.OUTDOOR_TEMPERATURE,))


async def test_binary_sensor_and_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-11-16 07:30:00+00:00")
    [observation] = _observe(hass, MOTION, "on")
    assert observation == Observation(
        Role.MOTION,
        1.0,
        dt_util.as_local(datetime.fromisoformat("2026-11-16T07:30:00+00:00")),
        source=MOTION.entity_id,
    )
    assert _values(_observe(hass, MOTION, "off")) == {Role.MOTION: 0.0}


@pytest.mark.parametrize(
    "state", ["unknown", "unavailable", "", "banana", "nan", "inf"]
)
async def test_no_reading_gives_nothing(hass: HomeAssistant, state: str) -> None:
    assert _observe(hass, MOTION, state) == []
    assert _observe(hass, CO2, state, {"unit_of_measurement": "ppm"}) == []


async def test_units_are_converted(hass: HomeAssistant) -> None:
    fahrenheit = _observe(hass, TEMPERATURE, "68", {"unit_of_measurement": "°F"})
    assert _values(fahrenheit)[Role.TEMPERATURE] == pytest.approx(20.0)
    kelvin = _observe(hass, TEMPERATURE, "294.15", {"unit_of_measurement": "K"})
    assert _values(kelvin)[Role.TEMPERATURE] == pytest.approx(21.0)
    kilowatts = _observe(hass, POWER, "0.35", {"unit_of_measurement": "kW"})
    assert _values(kilowatts)[Role.POWER] == pytest.approx(350.0)
    # The registry's unit is used when the state carries none.
    assert _values(_observe(hass, TEMPERATURE, "50"))[Role.TEMPERATURE] == (
        pytest.approx(10.0)
    )


async def test_wrong_units_are_dropped(hass: HomeAssistant) -> None:
    assert _observe(hass, TEMPERATURE, "20", {"unit_of_measurement": "lx"}) == []
    assert _observe(hass, POWER, "20", {"unit_of_measurement": "°C"}) == []


async def test_absurd_numbers_reach_the_core(hass: HomeAssistant) -> None:
    """The core reports them as a faulty sensor, so they must not vanish here."""
    assert _values(_observe(hass, CO2, "-40", {"unit_of_measurement": "ppm"})) == {
        Role.CO2: -40.0
    }
    hot = _observe(hass, TEMPERATURE, "5000", {"unit_of_measurement": "°C"})
    assert _values(hot) == {Role.TEMPERATURE: 5000.0}


async def test_power_below_zero_is_nothing_drawn(hass: HomeAssistant) -> None:
    """A plug a panel feeds back through, or one a watt off with nothing on."""
    fed_back = _observe(hass, POWER, "-1.2", {"unit_of_measurement": "kW"})
    assert _values(fed_back) == {Role.POWER: 0.0}


async def test_a_heat_cool_band_stands_for_the_temperature_asked_for(
    hass: HomeAssistant,
) -> None:
    band = {"current_temperature": 23.0, "target_temp_low": 19.5}
    before = _observe(hass, CLIMATE, "heat_cool", {**band, "target_temp_high": 20.5})
    # A band heats from 0.5 K below the warmth wanted, as AIoT Brain sets one.
    assert _values(before)[Role.HVAC_SETPOINT] == 20.0
    previous = hass.states.get(CLIMATE.entity_id)
    # Too warm: only the upper edge comes down, to where cooling should start.
    cooler = _observe(
        hass,
        CLIMATE,
        "heat_cool",
        {"current_temperature": 23.0, "target_temp_low": 18.0, "target_temp_high": 20},
        previous=previous,
    )
    assert _values(cooler)[Role.HVAC_SETPOINT] == 19.5
    # Too cold: the lower edge goes up, to where heating should start.
    previous = hass.states.get(CLIMATE.entity_id)
    warmer = _observe(
        hass,
        CLIMATE,
        "heat_cool",
        {"current_temperature": 18.0, "target_temp_low": 22, "target_temp_high": 23},
        previous=previous,
    )
    assert _values(warmer)[Role.HVAC_SETPOINT] == 22.5


async def test_a_mode_switched_alone_is_nobodys_setpoint(hass: HomeAssistant) -> None:
    """Switched from heat to cool, it shows the heating's target: nobody chose it."""
    heating: dict[str, object] = {"current_temperature": 23.0, "temperature": 20.0}
    _observe(hass, CLIMATE, "heat", heating, manual=True)

    def setpoint(state: str, attributes: dict[str, object]) -> Observation:
        previous = hass.states.get(CLIMATE.entity_id)
        observed = _observe(
            hass, CLIMATE, state, attributes, manual=True, previous=previous
        )
        return next(o for o in observed if o.role is Role.HVAC_SETPOINT)

    switched = setpoint("cool", heating)
    assert switched.manual is None  # not taught as a cooling comfort
    # A target set for cooling is someone's.
    assert setpoint("cool", {**heating, "temperature": 24.0}).manual is True


async def test_a_preset_switched_alone_is_nobodys_setpoint(hass: HomeAssistant) -> None:
    """A valve's boost pressed, and ended, keeps the 17 °C of a room set back."""
    setback: dict[str, object] = {"temperature": 17.0, "preset_mode": "none"}
    _observe(hass, CLIMATE, "heat", setback, manual=True)

    def setpoint(attributes: dict[str, object]) -> Observation:
        previous = hass.states.get(CLIMATE.entity_id)
        observed = _observe(
            hass, CLIMATE, "heat", attributes, manual=True, previous=previous
        )
        return next(o for o in observed if o.role is Role.HVAC_SETPOINT)

    assert setpoint({**setback, "preset_mode": "boost"}).manual is None
    assert setpoint(setback).manual is None  # the boost over
    # A preset that sets a target of its own shows what was chosen.
    assert setpoint({"temperature": 21.0, "preset_mode": "comfort"}).manual is True


@pytest.mark.parametrize(
    ("preset", "chosen"),
    [
        ("comfort", True),
        ("Confort", True),
        ("none", True),  # a temperature set by hand
        ("eco", None),
        ("Éco", None),
        ("away", None),
        ("boost", None),
        ("sleep", None),
        ("Hors-gel", None),
        ("activity", None),  # comfort's or eco's as motion has it
    ],
)
async def test_a_presets_own_temperature_is_nobodys_setpoint(
    hass: HomeAssistant, preset: str, chosen: bool | None
) -> None:
    """A thermostat that keeps a temperature for each preset shows the preset's."""
    _observe(hass, CLIMATE, "heat", {"temperature": 20.0, "preset_mode": "home"})
    previous = hass.states.get(CLIMATE.entity_id)
    attributes = {"temperature": 18.0, "preset_mode": preset}
    observed = _observe(
        hass, CLIMATE, "heat", attributes, manual=True, previous=previous
    )
    setpoint = next(o for o in observed if o.role is Role.HVAC_SETPOINT)
    assert setpoint.manual is chosen


async def test_climate_attributes(hass: HomeAssistant) -> None:
    values = _values(
        _observe(
            hass,
            CLIMATE,
            "heat",
            {"current_temperature": 19.5, "temperature": 21, "hvac_action": "heating"},
        )
    )
    assert values == {
        Role.TEMPERATURE: 19.5,
        Role.HVAC_SETPOINT: 21.0,
        Role.HVAC_ACTION: 1.0,
    }
    cooling = _observe(
        hass,
        CLIMATE,
        "cool",
        {"current_temperature": 80.6, "temperature": 75.2, "hvac_action": "cooling"},
        system_temperature_unit="°F",
    )
    # Cooling to 24 °C starts 0.5 K above the coolness wanted, as AIoT Brain sets it.
    assert _values(cooling) == pytest.approx(
        {Role.TEMPERATURE: 27.0, Role.HVAC_SETPOINT: 23.5, Role.HVAC_ACTION: -1.0}
    )
    idle = _values(_observe(hass, CLIMATE, "off", {"hvac_action": "off"}))
    assert idle == {Role.HVAC_ACTION: 0.0}


async def test_light_attributes(hass: HomeAssistant) -> None:
    values = _values(
        _observe(hass, LIGHT, "on", {"brightness": 128, "color_temp_kelvin": 2700})
    )
    assert values == pytest.approx(
        {
            Role.LIGHT_ON: 1.0,
            Role.LIGHT_BRIGHTNESS: 50.2,
            Role.LIGHT_COLOR_TEMP: 2700.0,
        },
        abs=0.1,
    )
    assert _values(_observe(hass, LIGHT, "off", {"brightness": None})) == {
        Role.LIGHT_ON: 0.0
    }


async def test_media_and_weather(hass: HomeAssistant) -> None:
    assert _values(_observe(hass, MEDIA, "playing")) == {Role.MEDIA: 1.0}
    assert _values(_observe(hass, MEDIA, "paused")) == {Role.MEDIA: 0.0}
    # A TV on live TV says only "on"; a speaker that is "on" plays nothing.
    tv, speaker = {"device_class": "tv"}, {"device_class": "speaker"}
    assert _values(_observe(hass, MEDIA, "on", tv)) == {Role.MEDIA: 1.0}
    assert _values(_observe(hass, MEDIA, "on", speaker)) == {Role.MEDIA: 0.0}
    assert _values(_observe(hass, MEDIA, "idle", tv)) == {Role.MEDIA: 0.0}
    weather = _observe(
        hass, WEATHER, "sunny", {"temperature": 41.0, "temperature_unit": "°F"}
    )
    assert _values(weather) == pytest.approx({Role.OUTDOOR_TEMPERATURE: 5.0})


async def test_manual_flag_is_kept(hass: HomeAssistant) -> None:
    [*observations] = _observe(
        hass, CLIMATE, "heat", {"temperature": 22.5}, manual=True
    )
    assert [o.manual for o in observations] == [True]


@pytest.mark.parametrize(
    ("time_zone", "start"),
    [
        ("Europe/Berlin", datetime(2026, 3, 28, 22, 0, tzinfo=UTC)),  # forward
        ("Europe/Berlin", datetime(2026, 10, 24, 22, 0, tzinfo=UTC)),  # back
        ("America/New_York", datetime(2026, 11, 1, 3, 0, tzinfo=UTC)),  # back
        ("Australia/Lord_Howe", datetime(2026, 4, 4, 12, 0, tzinfo=UTC)),  # 30 min
    ],
)
async def test_the_cores_times_are_shown_as_the_moments_they_stand_for(
    hass: HomeAssistant, time_zone: str, start: datetime
) -> None:
    """A time the core gives near a change of the clocks, e.g. a hold's end, is
    shown as the moment the core acts on it: never a time the clocks skip."""
    await hass.config.async_set_time_zone(time_zone)
    for minute in range(0, 6 * 60, 5):
        moment = dt_util.as_local(start + timedelta(minutes=minute))
        shown = aware(wall_clock(moment))
        assert abs(dt_util.as_utc(shown) - dt_util.as_utc(moment)) < timedelta(
            milliseconds=1
        )
        assert shown.utcoffset() == moment.utcoffset()
