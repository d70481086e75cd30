"""Tests of the zone feature builder."""

from __future__ import annotations

from datetime import datetime, timedelta
import json
import math

import pytest

from custom_components.aiot_brain.brain.features import (
    OccupancyFeatures,
    humidity_ratio,
    light_band,
)
from custom_components.aiot_brain.brain.observation import Observation, Role

START = datetime(2024, 3, 4, 9, 0)


def ramp(
    builder: OccupancyFeatures, minutes: list[float], ppm_per_minute: float
) -> None:
    for minute in minutes:
        when = START + timedelta(minutes=minute)
        builder.update(Observation(Role.CO2, 500.0 + ppm_per_minute * minute, when))


@pytest.mark.parametrize(
    "minutes",
    [
        [float(m) for m in range(121)],  # every minute
        [m * 4.7 for m in range(26)],  # every 4.7 minutes
    ],
)
def test_co2_slope_is_per_minute_whatever_the_rate(minutes: list[float]) -> None:
    builder = OccupancyFeatures()
    ramp(builder, minutes, 5.0)
    features = builder.features(START + timedelta(minutes=minutes[-1]))
    # 5 ppm/min is scaled to 1.0 for the model
    assert features["co2_slope"] == pytest.approx(1.0, abs=0.05)
    assert features["co2_trend"] == pytest.approx(1.0, abs=0.1)
    assert features["co2_excess"] > 1.0


def test_falling_co2_gives_negative_slope_and_baseline_follows_lows() -> None:
    builder = OccupancyFeatures()
    ramp(builder, [float(m) for m in range(61)], -2.0)
    features = builder.features(START + timedelta(minutes=60))
    assert features["co2_slope"] < -0.3
    assert builder.co2_baseline == pytest.approx(380.0)
    assert features["co2_excess"] < 0.05


def test_co2_rising_as_people_breathe_is_told_from_noise_falls_and_old_news() -> None:
    builder = OccupancyFeatures()
    # Someone breathing in a small room: +10 ppm a minute, read each minute.
    ramp(builder, [float(m) for m in range(21)], 10.0)
    now = START + timedelta(minutes=20)
    assert builder.co2_rising(now)
    # No reading since is no change: an old rise fades within minutes.
    assert builder.co2_rising(now + timedelta(minutes=1))
    assert not builder.co2_rising(now + timedelta(minutes=15))
    # A sensor's noise of +-10 ppm about a steady level is no one breathing.
    noisy = OccupancyFeatures()
    for minute in range(60):
        ppm = 800.0 + (10.0 if minute % 3 == 0 else -10.0 if minute % 3 == 1 else 0)
        noisy.update(Observation(Role.CO2, ppm, START + timedelta(minutes=minute)))
        assert not noisy.co2_rising(START + timedelta(minutes=minute))
    # Falling after everyone left, or fresh air through an open window: no.
    falling = OccupancyFeatures()
    ramp(falling, [float(m) for m in range(21)], -5.0)
    assert not falling.co2_rising(now)
    aired = OccupancyFeatures()
    ramp(aired, [float(m) for m in range(21)], 10.0)
    aired.update(Observation(Role.WINDOW, 1.0, now))
    assert not aired.co2_rising(now)
    assert not OccupancyFeatures().co2_rising(now)  # no CO2 sensor


def shower(
    builder: OccupancyFeatures, minutes: range, percent_per_minute: float
) -> None:
    """Relative humidity from 55 % changing each minute at 22 °C, read each minute."""
    for minute in minutes:
        when = START + timedelta(minutes=minute)
        builder.update(Observation(Role.TEMPERATURE, 22.0, when))
        builder.update(
            Observation(Role.HUMIDITY, 55.0 + percent_per_minute * minute, when)
        )


def test_steam_rising_is_a_shower_not_breathing_nor_its_damp_air_after() -> None:
    builder = OccupancyFeatures()
    # A shower: 55 to 90 % in a quarter hour.
    shower(builder, range(16), 35.0 / 15.0)
    now = START + timedelta(minutes=15)
    assert builder.steam_rising(now)
    # No reading since is no change: the shower turned off is old news in minutes.
    assert not builder.steam_rising(now + timedelta(minutes=15))
    # The damp air drying out after it: not rising.
    drying = OccupancyFeatures()
    shower(drying, range(16), -1.0)
    assert not drying.steam_rising(now)
    # Someone breathing in the bathroom: 0.3 % a minute.
    breathing = OccupancyFeatures()
    shower(breathing, range(16), 0.3)
    assert not breathing.steam_rising(now)
    assert not OccupancyFeatures().steam_rising(now)  # no humidity sensor


def test_a_co2_sensor_reading_zero_as_it_starts_leaves_fresh_air_as_it_was() -> None:
    builder = OccupancyFeatures()
    builder.update(Observation(Role.CO2, 420.0, START))
    builder.update(Observation(Role.CO2, 0.0, START + timedelta(minutes=1)))
    builder.update(Observation(Role.CO2, 420.0, START + timedelta(minutes=2)))
    assert builder.bad_values == 1
    assert builder.co2_baseline == 420.0
    assert builder.features(START + timedelta(minutes=2))["co2_excess"] < 0.05


def test_motion_evidence_fades_and_stale_levels_drop() -> None:
    builder = OccupancyFeatures()
    builder.update(Observation(Role.MOTION, 1.0, START))
    assert builder.features(START)["motion_5min"] == 1.0
    builder.update(Observation(Role.MOTION, 0.0, START + timedelta(minutes=1)))
    later = builder.features(START + timedelta(minutes=11))
    assert later["motion_now"] == 0.0
    assert later["motion_5min"] == pytest.approx(math.exp(-2.0))
    assert later["motion_30min"] == pytest.approx(math.exp(-10.0 / 30.0))
    builder.update(Observation(Role.ILLUMINANCE, 400.0, START))
    assert "light_level" in builder.features(START + timedelta(minutes=30))
    assert "light_level" in builder.features(START + timedelta(hours=6))
    assert "light_level" not in builder.features(START + timedelta(hours=6, minutes=1))


def test_no_reading_since_the_last_is_no_change() -> None:
    # Two children asleep: the CO2 climbs, then holds at what they breathe out,
    # and a sensor that reports only changes says nothing more all night.
    builder = OccupancyFeatures()
    for minute in range(0, 61, 5):
        ppm = 1430.0 - 600.0 * math.exp(-minute / 20.0)
        builder.update(Observation(Role.CO2, ppm, START + timedelta(minutes=minute)))
    last = START + timedelta(hours=1)
    trends = [
        builder.features(last + timedelta(minutes=minutes))["co2_trend"]
        for minutes in (0, 30, 180)
    ]
    assert trends[0] > trends[1] > 0.0
    assert trends[2] == pytest.approx(0.0, abs=0.01)
    # The last reading's level, above the baseline it had crept up to by then.
    assert builder.co2_baseline is not None
    excess = 1430.0 - 600.0 * math.exp(-3.0) - builder.co2_baseline
    steady = builder.features(last + timedelta(hours=2))
    assert steady["co2_excess"] == pytest.approx(math.log1p(excess / 100.0))
    assert "co2_excess" in builder.features(last + timedelta(hours=6))
    assert "co2_excess" not in builder.features(last + timedelta(hours=6, minutes=1))
    # A lamp switched off: the step's flicker fades over the dark minutes after
    # it, as it would over readings that did not change.
    builder.update(Observation(Role.ILLUMINANCE, 400.0, last))
    off = last + timedelta(minutes=10)
    builder.update(Observation(Role.ILLUMINANCE, 0.0, off))
    flicker = builder.features(off)["light_wiggle"]
    assert flicker > 3.0
    half_hour = builder.features(off + timedelta(minutes=30))["light_wiggle"]
    assert half_hour == pytest.approx(flicker * math.exp(-3.0))


def test_a_zone_sees_motion_while_any_of_its_sensors_does() -> None:
    builder = OccupancyFeatures()
    builder.update(Observation(Role.MOTION, 1.0, START, "binary_sensor.desk"))
    builder.update(Observation(Role.MOTION, 1.0, START, "binary_sensor.sofa"))
    builder.update(
        Observation(
            Role.MOTION, 0.0, START + timedelta(minutes=1), "binary_sensor.sofa"
        )
    )
    still = builder.features(START + timedelta(minutes=10))
    assert still["motion_now"] == 1.0  # the desk still sees someone
    assert still["motion_5min"] == 1.0

    # Saved and restored mid-way, the desk is still the one on.
    builder = OccupancyFeatures.from_dict(json.loads(json.dumps(builder.to_dict())))
    builder.update(
        Observation(
            Role.MOTION, 0.0, START + timedelta(minutes=12), "binary_sensor.desk"
        )
    )
    later = builder.features(START + timedelta(minutes=17))
    assert later["motion_now"] == 0.0
    assert later["motion_5min"] == pytest.approx(math.exp(-1.0))  # from the last clear


def test_a_sensor_that_left_while_on_stops_counting() -> None:
    builder = OccupancyFeatures()
    builder.update(Observation(Role.MOTION, 1.0, START, "binary_sensor.desk"))
    builder.update(Observation(Role.DOOR, 1.0, START, "binary_sensor.door"))
    builder.keep_sources({"binary_sensor.door"})
    features = builder.features(START + timedelta(minutes=5))
    assert features["motion_now"] == 0.0
    assert features["motion_5min"] == pytest.approx(math.exp(-1.0))  # from its last on
    assert features["door_now"] == 1.0


def test_a_sensor_that_stops_reading_counts_as_off_from_then() -> None:
    builder = OccupancyFeatures()
    builder.update(Observation(Role.MOTION, 1.0, START, "binary_sensor.desk"))
    builder.update(Observation(Role.MOTION, 1.0, START, "binary_sensor.sofa"))
    builder.lose_source("binary_sensor.sofa", START + timedelta(minutes=5))
    assert builder.features(START + timedelta(minutes=6))["motion_now"] == 1.0
    builder.lose_source("binary_sensor.desk", START + timedelta(minutes=10))
    features = builder.features(START + timedelta(minutes=15))
    assert features["motion_now"] == 0.0
    assert features["motion_5min"] == pytest.approx(math.exp(-1.0))  # from then


def test_state_saved_before_sensors_were_told_apart_clears_on_any_sensor() -> None:
    builder = OccupancyFeatures()
    builder.update(Observation(Role.MOTION, 1.0, START, "binary_sensor.desk"))
    saved = builder.to_dict()
    del saved["on_sources"]
    restored = OccupancyFeatures.from_dict(json.loads(json.dumps(saved)))
    assert restored.features(START)["motion_now"] == 1.0
    restored.update(
        Observation(
            Role.MOTION, 0.0, START + timedelta(minutes=1), "binary_sensor.sofa"
        )
    )
    assert restored.features(START + timedelta(minutes=1))["motion_now"] == 0.0


def test_light_bands_and_humidity_ratio() -> None:
    assert light_band(0.0) == "light_0_10lx"
    assert light_band(450.0) == "light_300_1000lx"
    assert light_band(50_000.0) == "light_above_3000lx"
    # 20 °C at 50 % is about 7.3 g of water per kg of dry air
    assert humidity_ratio(20.0, 50.0) == pytest.approx(7.3, abs=0.1)
    builder = OccupancyFeatures()
    for minute in range(30):
        when = START + timedelta(minutes=minute)
        builder.update(Observation(Role.TEMPERATURE, 21.0, when))
        builder.update(Observation(Role.HUMIDITY, 40.0 + minute * 0.2, when))
    features = builder.features(START + timedelta(minutes=29))
    assert features["humidity_slope"] > 0.0
    assert features["temperature_slope"] == pytest.approx(0.0)


@pytest.mark.parametrize(
    "observation",
    [
        Observation(Role.CO2, None, START),  # type: ignore[arg-type]
        Observation(Role.CO2, math.nan, START),
        Observation(Role.CO2, math.inf, START),
        Observation(Role.CO2, "lots", START),  # type: ignore[arg-type]
        Observation(Role.CO2, 1e9, START),
        Observation("smell", 1.0, START),  # type: ignore[arg-type]
        Observation(Role.MOTION, 1.0, "noon"),  # type: ignore[arg-type]
    ],
)
def test_bad_values_are_counted_not_raised(observation: Observation) -> None:
    builder = OccupancyFeatures()
    builder.update(observation)
    assert builder.bad_values == 1
    assert set(builder.features(START)) == {"hour_sin", "hour_cos"}


def test_round_trip_and_errors() -> None:
    builder = OccupancyFeatures()
    ramp(builder, [float(m) for m in range(20)], 3.0)
    builder.update(Observation(Role.MOTION, 1.0, START + timedelta(minutes=5)))
    builder.update(Observation(Role.TEMPERATURE, 21.0, START))
    builder.update(Observation(Role.HUMIDITY, 45.0, START))
    restored = OccupancyFeatures.from_dict(json.loads(json.dumps(builder.to_dict())))
    when = START + timedelta(minutes=25)
    assert restored.features(when) == builder.features(when)
    with pytest.raises(ValueError, match="version"):
        OccupancyFeatures.from_dict({"version": 99})
    with pytest.raises(ValueError, match="corrupt"):
        OccupancyFeatures.from_dict({"version": 1, "levels": {"co2": [1, 2]}})


def test_other_signals_and_late_readings() -> None:
    builder = OccupancyFeatures()
    builder.update(Observation(Role.SOUND, 40.0, START))
    builder.update(Observation(Role.POWER, 150.0, START))
    builder.update(Observation(Role.PRESENCE, 1.0, START))
    builder.update(Observation(Role.LIGHT_ON, 1.0, START))
    builder.update(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, START))  # not used here
    builder.update(Observation(Role.POWER, 10.0, START - timedelta(minutes=5)))  # late
    features = builder.features(START + timedelta(minutes=1))
    assert features["sound_level"] == pytest.approx(0.8)
    assert features["power_level"] == pytest.approx(math.log1p(150.0) / 5.0)
    assert features["presence_now"] == 1.0
    assert features["light_on_now"] == 1.0
    assert "presence_5min" not in features
    assert builder.bad_values == 0


def test_sensors_gone_while_on_under_new_names_keep_the_state_small() -> None:
    builder = OccupancyFeatures()
    start = datetime(2026, 1, 5)
    for minute in range(1000):  # lamps that leave while on, never to clear
        now = start + timedelta(minutes=minute)
        builder.update(Observation(Role.LIGHT_ON, 1.0, now, f"light.lamp_{minute}"))
    assert len(builder.on_sources["light_on"]) == 32
    assert builder.features(now)["light_on_now"] == 1.0
    assert len(json.dumps(builder.to_dict())) < 4096


def test_levels_follow_again_once_the_clock_is_put_back() -> None:
    # One reading stamped a day ahead (a clock wrong at boot, put right later):
    # the real readings after it are all "older" than it.
    builder = OccupancyFeatures()
    ramp(builder, [float(m) for m in range(30)], 0.0)
    builder.update(Observation(Role.CO2, 500.0, START + timedelta(days=1)))
    builder.update(Observation(Role.TEMPERATURE, 20.0, START + timedelta(days=1)))
    for minute in range(30, 151):
        when = START + timedelta(minutes=minute)
        builder.update(Observation(Role.CO2, 500.0 + 5.0 * (minute - 30), when))
        builder.update(Observation(Role.TEMPERATURE, 20.0 + (minute - 30) / 20, when))
    features = builder.features(START + timedelta(minutes=150))
    assert features["co2_slope"] == pytest.approx(1.0, abs=0.05)  # 5 ppm/min
    assert features["co2_excess"] > math.log1p(5.0)  # 1100 ppm: 600 above its low
    assert features["temperature_slope"] == pytest.approx(1.0, abs=0.1)  # °C/20 min
    assert builder.bad_values == 0
    # A reading half a minute late is still no news.
    late = START + timedelta(minutes=149, seconds=30)
    builder.update(Observation(Role.CO2, 3000.0, late))
    assert builder.features(START + timedelta(minutes=150)) == features


def test_motion_evidence_fades_once_the_clock_is_put_back() -> None:
    # Motion cleared while the clock was a day ahead: it is no motion "just now"
    # for a day once the clock is right.
    builder = OccupancyFeatures()
    builder.update(Observation(Role.MOTION, 1.0, START, "hall"))
    builder.update(Observation(Role.MOTION, 0.0, START + timedelta(days=1), "hall"))
    features = builder.features(START + timedelta(hours=2))
    assert features["motion_now"] == 0.0
    assert features["motion_30min"] < 0.05
    # Motion seen while the clock was ahead, cleared once it is right: the
    # evidence fades from the clear.
    builder.update(Observation(Role.MOTION, 1.0, START + timedelta(days=1), "hall"))
    cleared = START + timedelta(hours=2, minutes=1)
    builder.update(Observation(Role.MOTION, 0.0, cleared, "hall"))
    later = builder.features(cleared + timedelta(minutes=10))
    assert later["motion_5min"] == pytest.approx(math.exp(-2.0))
