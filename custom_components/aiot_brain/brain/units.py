"""Temperatures in the words people read: °C or °F.

The models compute in °C and kelvin differences; only what they say changes scale.

>>> FAHRENHEIT.degrees(20.0), FAHRENHEIT.difference(0.5), CELSIUS.difference(0.5)
('68.0 °F', '0.9 °F', '0.5 K')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TemperatureScale:
    """How temperatures and temperature differences are written."""

    symbol: str
    difference_symbol: str
    per_kelvin: float
    at_zero_celsius: float

    def value(self, celsius: float) -> float:
        """Return ``celsius`` on this scale."""
        return celsius * self.per_kelvin + self.at_zero_celsius

    def degrees(self, celsius: float) -> str:
        """Write a temperature given in °C, e.g. "21.0 °C"."""
        return f"{self.value(celsius):.1f} {self.symbol}"

    def difference(self, kelvin: float, sign: str = "") -> str:
        """Write a difference given in K, e.g. "0.5 K"; ``sign`` "+" shows it always."""
        return f"{kelvin * self.per_kelvin:{sign}.1f} {self.difference_symbol}"


CELSIUS = TemperatureScale("°C", "K", 1.0, 0.0)
FAHRENHEIT = TemperatureScale("°F", "°F", 1.8, 32.0)
