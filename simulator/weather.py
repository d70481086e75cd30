"""Outdoor weather, one day of 1-minute values at a time.

Temperature: a seasonal cosine, a daily cosine peaking mid-afternoon, and weather
fronts (a day-to-day random walk pulled back to normal, interpolated through the day).
Daylight: clear-sky illuminance from the sun's elevation (latitude, season, hour) times
a cloud factor that drifts hour by hour.
"""

from __future__ import annotations

from datetime import date
import math
import random

from .scenario import MINUTES_PER_DAY, WeatherSpec

CLEAR_SKY_LUX = 110_000.0
LUX_PER_W_M2 = 110.0  # luminous efficacy of daylight: turns lux into solar W/m2


def saturation_humidity_g_m3(temp_c: float) -> float:
    """Water vapour that air at ``temp_c`` can hold (Magnus formula), in g/m3."""
    vapour_hpa = 6.112 * math.exp(17.62 * temp_c / (243.12 + temp_c))
    return 216.7 * vapour_hpa / (273.15 + temp_c)


def sun_elevation_sin(latitude: float, day_of_year: int, hour: float) -> float:
    """Sine of the sun's elevation at a local solar hour (negative: below horizon)."""
    declination = math.radians(-23.44) * math.cos(
        2 * math.pi * (day_of_year + 10) / 365
    )
    hour_angle = math.radians(15.0 * (hour - 12.0))
    lat = math.radians(latitude)
    return math.sin(lat) * math.sin(declination) + math.cos(lat) * math.cos(
        declination
    ) * math.cos(hour_angle)


class Weather:
    """Deterministic weather for a seed; ``day(d)`` gives that day's minute values."""

    def __init__(self, spec: WeatherSpec, start: date, seed: int) -> None:
        """Set up the random streams; nothing is computed until a day is asked for."""
        self.spec = spec
        self.start = start
        self._rng = random.Random(f"{seed}:weather")
        # Fronts: the anomaly at each midnight, drawn in order so day d never depends
        # on which days were asked for before it.
        self._front = [self._rng.gauss(0.0, spec.noise_sd_c)]
        self._cloud = [self._rng.random()]

    def _extend(self, day: int) -> None:
        while len(self._front) <= day + 1:
            previous = self._front[-1]
            self._front.append(
                0.7 * previous + self._rng.gauss(0.0, self.spec.noise_sd_c * 0.7)
            )
        while len(self._cloud) <= (day + 1) * 24:
            drift = 0.8 * self._cloud[-1] + 0.2 * self._rng.random()
            self._cloud.append(min(1.0, max(0.0, drift + self._rng.gauss(0.0, 0.15))))

    def day(self, day: int) -> tuple[list[float], list[float], list[float]]:
        """Outdoor temperature (°C), illuminance (lx) and humidity (g/m3) per minute."""
        self._extend(day)
        spec = self.spec
        day_of_year = (
            (self.start.toordinal() + day)
            - date(
                date.fromordinal(self.start.toordinal() + day).year, 1, 1
            ).toordinal()
            + 1
        )
        seasonal = spec.annual_mean_c - spec.annual_amplitude_c * math.cos(
            2 * math.pi * (day_of_year - spec.coldest_day) / 365.0
        )
        front_start, front_end = self._front[day], self._front[day + 1]
        temps: list[float] = []
        lux: list[float] = []
        water: list[float] = []
        for minute in range(MINUTES_PER_DAY):
            hour = minute / 60.0
            fraction = minute / MINUTES_PER_DAY
            temp = (
                seasonal
                + spec.daily_amplitude_c * math.cos(2 * math.pi * (hour - 15.0) / 24.0)
                + front_start
                + (front_end - front_start) * fraction
            )
            temps.append(temp)
            if minute % 10 == 0:
                # Daylight and humidity change slowly; every 10 minutes is plenty.
                elevation = sun_elevation_sin(spec.latitude, day_of_year, hour)
                hour_index = day * 24 + int(hour)
                cloud = self._cloud[hour_index] + (
                    self._cloud[hour_index + 1] - self._cloud[hour_index]
                ) * (hour - int(hour))
                cover = spec.cloudiness * cloud
                current_lux = (
                    CLEAR_SKY_LUX * elevation * (1.0 - 0.8 * cover)
                    if elevation > 0
                    else 0.0
                )
                current_water = spec.outdoor_rh * saturation_humidity_g_m3(temp)
            lux.append(current_lux)
            water.append(current_water)
        return temps, lux, water
