"""How high the sun stands over a building: the sunshine a clear sky would give.

The sun warms rooms through their windows. No sensor is needed to know when it
can: the sun's elevation follows from the building's latitude and longitude and
the time (the usual approximations of the solar declination and the equation of
time, good to a few minutes). Clouds are not known; the thermal model learns
what a clear sky's sun is worth on average.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import math
from typing import NamedTuple


class Site(NamedTuple):
    """Where the building stands, in degrees (north and east positive)."""

    latitude: float
    longitude: float


def sun_height(when: datetime, site: Site) -> float:
    """Return the sine of the sun's elevation at ``when``, 0 while it is down.

    An aware ``when`` is any time zone's; a naive one is taken as UTC.
    """
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    hour = when.hour + when.minute / 60.0 + when.second / 3600.0
    day = when.timetuple().tm_yday
    year_angle = 2.0 * math.pi / 365.0 * (day - 1 + (hour - 12.0) / 24.0)
    declination = (
        0.006918
        - 0.399912 * math.cos(year_angle)
        + 0.070257 * math.sin(year_angle)
        - 0.006758 * math.cos(2 * year_angle)
        + 0.000907 * math.sin(2 * year_angle)
        - 0.002697 * math.cos(3 * year_angle)
        + 0.00148 * math.sin(3 * year_angle)
    )
    equation_of_time = 229.18 * (
        0.000075
        + 0.001868 * math.cos(year_angle)
        - 0.032077 * math.sin(year_angle)
        - 0.014615 * math.cos(2 * year_angle)
        - 0.040849 * math.sin(2 * year_angle)
    )
    solar_minutes = hour * 60.0 + equation_of_time + 4.0 * site.longitude
    hour_angle = math.radians(solar_minutes / 4.0 - 180.0)
    latitude = math.radians(site.latitude)
    height = math.sin(latitude) * math.sin(declination) + math.cos(latitude) * math.cos(
        declination
    ) * math.cos(hour_angle)
    return max(height, 0.0)


class Daylight(NamedTuple):
    """The sun over a site from a moment on: what the hours ahead will bring."""

    site: Site
    start: datetime

    def ahead(self, hours: float) -> float:
        """Return the sun's height (see :func:`sun_height`) ``hours`` from the start."""
        return sun_height(self.start + timedelta(hours=hours), self.site)
