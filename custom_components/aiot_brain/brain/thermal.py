"""Thermal response of a zone: how fast it heats, cools and drifts.

The zone is modelled as one thermal mass::

    dT/dt = loss * (T_out - T_in) + heating_rate * heating + cooling_rate * cooling
            + bias + occupied_gain * occupied

(K/h; ``heating`` and ``cooling`` are the share of the time the HVAC spent doing so,
``occupied`` the share of it people were there). People and what they switch on warm
a room: an office cools more slowly while people work in it than while it stands
empty before they come, which is when pre-cooling has to be timed. The five
coefficients are learned online by recursive least squares from successive indoor
temperature readings, and give the time to reach a temperature: how early to start
heating (optimum start) and how early to stop before people leave (optimum stop:
how long the zone takes to drift to a setback with the HVAC off).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
import math
from typing import Any, NamedTuple

from .observation import Role, as_number, plausible
from .saved import check_version, from_iso, from_number, to_iso
from .timefeatures import clock_put_back
from .units import CELSIUS, TemperatureScale

VERSION = 2
# Version 1 had no occupied gain: it restores with the gain at its prior.
READABLE_VERSIONS = (1, 2)
_NAMES = ("loss", "heating_rate", "cooling_rate", "bias", "occupied_gain")
_SIZE = len(_NAMES)
# How far each coefficient may plausibly be from its prior. The bias (sun,
# appliances) is kept small: otherwise it trades off against the loss, since the
# indoor-outdoor gap varies little over a day.
_PRIOR_VARIANCE = (0.01, 1.0, 1.0, 0.04, 0.25)
# Spans measured mostly heating (five hours' worth at the least) before the
# heating rate is taken as the room's own rather than the prior's.
_HEATING_LEARNED = 20


class TimeToTemperature(NamedTuple):
    """How long the zone takes to reach a temperature, and how sure that is (0..1)."""

    duration: timedelta | None
    confidence: float


def _plausible_temperatures(
    current: object, target: object, outdoor: object
) -> tuple[float, float, float] | None:
    """Return the indoor, target and outdoor temperatures, or None if one is absurd."""
    values = (
        plausible(Role.TEMPERATURE, current),
        plausible(Role.TEMPERATURE, target),
        plausible(Role.OUTDOOR_TEMPERATURE, outdoor),
    )
    if values[0] is None or values[1] is None or values[2] is None:
        return None
    return values[0], values[1], values[2]


def _heading(current: float, target: float) -> float:
    """Return the HVAC action that heads from ``current`` to ``target``."""
    return 1.0 if target > current else -1.0 if target < current else 0.0


class ThermalResponse(NamedTuple):
    """The zone's learned coefficients, held to physics (see the module's equation).

    A prediction carries them, so that the time to any temperature can be told
    without the model: to the heat edge of a band, or to the sleep temperature.
    """

    loss: float
    heating_rate: float
    cooling_rate: float
    bias: float
    occupied_gain: float = 0.0

    def rate(
        self,
        temperature: float,
        outdoor: float,
        hvac_action: float,
        occupied: float = 0.0,
    ) -> float:
        """Return the rate of change (K/h) at ``temperature`` with this action."""
        return self.loss * (outdoor - temperature) + self._drive(hvac_action, occupied)

    def _drive(self, hvac_action: float, occupied: float) -> float:
        gains = self.bias + self.occupied_gain * occupied
        if hvac_action > 0:
            return self.heating_rate + gains
        if hvac_action < 0:
            return self.cooling_rate + gains
        return gains

    def time_to(
        self,
        current: float,
        target: float,
        outdoor: float,
        hvac_action: float | None = None,
        occupied: float = 0.0,
    ) -> timedelta | None:
        """Return how long going from ``current`` to ``target`` °C takes.

        ``hvac_action`` is 1 to heat, -1 to cool, 0 to drift with the HVAC off; by
        default it heats up or cools down towards the target. ``occupied`` is the
        share of that time people are there (0: an empty room made ready for
        them). None: it never gets there that way (or not within a week), or a
        temperature is not plausible.
        """
        temperatures = _plausible_temperatures(current, target, outdoor)
        if temperatures is None:
            return None
        current, target, outdoor = temperatures
        if hvac_action is None:
            hvac_action = _heading(current, target)
        if abs(target - current) < 1e-9:
            return timedelta(0)
        drive = self._drive(hvac_action, occupied)
        # Constant inputs: T(t) = T_eq + (T0 - T_eq) * exp(-loss * t).
        hours: float | None
        if self.loss < 1e-6:
            hours = (target - current) / drive if abs(drive) > 1e-9 else None
        else:
            equilibrium = outdoor + drive / self.loss
            if abs(current - equilibrium) < 1e-9:
                hours = None  # the room stays where it is
            else:
                ratio = (target - equilibrium) / (current - equilibrium)
                hours = -math.log(ratio) / self.loss if 0.0 < ratio < 1.0 else None
        if hours is None or hours < 0 or hours > 24 * 7:
            return None
        return timedelta(seconds=round(hours * 3600))

    def heated_up_from(
        self, target: float, outdoor: float, within: timedelta
    ) -> float | None:
        """Return the lowest temperature heating an empty room reaches ``target`` from.

        Within ``within``; ``target`` itself where heating never gets there. None
        where a temperature is not plausible.
        """
        temperatures = _plausible_temperatures(target, target, outdoor)
        if temperatures is None:
            return None
        target, _, outdoor = temperatures
        hours = within.total_seconds() / 3600.0
        drive = self._drive(1.0, 0.0)
        # time_to's curve run backwards from the target.
        if self.loss < 1e-6:
            start = target - drive * hours
        else:
            equilibrium = outdoor + drive / self.loss
            if equilibrium <= target:
                return target
            start = equilibrium + (target - equilibrium) * math.exp(self.loss * hours)
        return min(start, target)


class ThermalModel:
    """Heating and cooling rates of a zone, learned from its temperature readings.

    Parameters
    ----------
    loss
        Prior heat-loss coefficient (1/h): share of the indoor-outdoor gap
        closed per hour with the HVAC off (0.05 is a time constant of 20 h).
    heating_rate
        Prior temperature rise (K/h) while heating.
    cooling_rate
        Prior temperature change (K/h) while cooling (negative).
    forgetting
        Forgetting factor per sample (<1 lets the model follow
        changes such as a season's ventilation). The default remembers
        about 2,000 spans, three weeks of quarter hours: with ten days,
        the loss and the gains wandered off together and the time to
        temperature with them (``benchmarks.thermal``).
    min_interval
        Shortest span (minutes) over which a rate is measured;
        shorter spans are dominated by the sensor's resolution.
    max_interval
        Longest span (minutes); a longer gap restarts the span.

    ``learn_one(when, x)`` takes readings as they come: ``x`` may hold
    ``temperature``, ``outdoor_temperature`` and ``hvac_action`` (1 heating, -1
    cooling, 0 idle), any of them missing.

    Example:
        >>> model = ThermalModel(heating_rate=2.0, loss=0.0)
        >>> model.time_to_temperature(18.0, 21.0, 18.0).duration
        datetime.timedelta(seconds=5400)

    """

    def __init__(
        self,
        *,
        loss: float = 0.05,
        heating_rate: float = 1.5,
        cooling_rate: float = -1.5,
        forgetting: float = 0.9995,
        min_interval: float = 15.0,
        max_interval: float = 120.0,
    ) -> None:
        """Start from the prior coefficients."""
        self.prior = [float(loss), float(heating_rate), float(cooling_rate), 0.0, 0.0]
        self.coefficients = list(self.prior)
        self.covariance = [
            [_PRIOR_VARIANCE[row] if row == col else 0.0 for col in range(_SIZE)]
            for row in range(_SIZE)
        ]
        self.forgetting = float(forgetting)
        self.min_interval = float(min_interval)
        self.max_interval = float(max_interval)
        # The span being measured: start time, start temperature, and the time
        # spent heating / cooling and the outdoor temperature seen since.
        self.span_start: datetime | None = None
        self.span_temperature = 0.0
        self.span_heating = 0.0
        self.span_cooling = 0.0
        self.span_occupied = 0.0
        self.span_outdoor: float | None = None
        self.last_time: datetime | None = None
        self.action = 0.0
        # P(occupied) as last noted: the share of the time ahead people are there.
        self.occupied = 0.0
        self.outdoor: float | None = None
        self.temperature: float | None = None
        # Samples seen per HVAC state (idle, heating, cooling) and squared errors.
        self.samples = [0, 0, 0]
        self.error_variance = 0.25
        self.bad_values = 0

    # -- learning --------------------------------------------------------------

    def _clean(self, x: Mapping[str, object], role: Role) -> float | None:
        if role.value not in x or x[role.value] is None:
            return None
        value = plausible(role, x[role.value])
        if value is None:
            self.bad_values += 1
        return value

    def learn_one(self, when: datetime, x: Mapping[str, object]) -> None:
        """Take the readings ``x`` taken at ``when``."""
        if not isinstance(when, datetime):  # untyped callers may send anything
            self.bad_values += 1  # type: ignore[unreachable]
            return
        when = when.replace(tzinfo=None)  # its wall clock, comparable with ours
        temperature = self._clean(x, Role.TEMPERATURE)
        outdoor = self._clean(x, Role.OUTDOOR_TEMPERATURE)
        action = self._clean(x, Role.HVAC_ACTION)
        if clock_put_back(when, self.last_time):
            # No span across the jump: timing restarts here, the rates stay.
            self.last_time = None
            self.interrupt()
        if self.last_time is not None and when < self.last_time:
            self.bad_values += 1  # out of order: ignore rather than learn nonsense
            return
        self._accumulate(when)
        if outdoor is not None:
            self.outdoor = outdoor
        if action is not None:
            self.action = float(round(action))
        if temperature is None:
            return
        self.temperature = temperature
        if self.span_start is None:
            self._start_span(when, temperature)
            return
        minutes = (when - self.span_start).total_seconds() / 60.0
        if minutes > self.max_interval:
            self._start_span(when, temperature)
        elif minutes >= self.min_interval:
            self._learn_span(minutes, temperature)
            self._start_span(when, temperature)

    def interrupt(self) -> None:
        """Measure no span across now: the room is not left to itself (a window).

        The next temperature reading starts a span afresh.
        """
        self.span_start = None

    def lose_outdoor(self) -> None:
        """Forget the outdoor temperature: its source stopped reading.

        A span started before keeps the outdoor temperature seen at its start.
        """
        self.outdoor = None

    def note_occupied(self, probability: float) -> None:
        """Take the zone's P(occupied) from now on (no reading, no time)."""
        value = as_number(probability)
        if value is None or not 0.0 <= value <= 1.0:
            self.bad_values += 1
            return
        self.occupied = value

    def _accumulate(self, when: datetime) -> None:
        if self.last_time is not None and self.span_start is not None:
            hours = (when - self.last_time).total_seconds() / 3600.0
            if self.action > 0:
                self.span_heating += hours
            elif self.action < 0:
                self.span_cooling += hours
            self.span_occupied += hours * self.occupied
        self.last_time = when

    def _start_span(self, when: datetime, temperature: float) -> None:
        self.span_start = when
        self.span_temperature = temperature
        self.span_heating = self.span_cooling = self.span_occupied = 0.0
        self.span_outdoor = self.outdoor

    def _learn_span(self, minutes: float, temperature: float) -> None:
        outdoor = self.span_outdoor if self.span_outdoor is not None else self.outdoor
        if outdoor is None:
            return  # without the outdoor temperature the loss cannot be told apart
        hours = minutes / 60.0
        rate = (temperature - self.span_temperature) / hours
        middle = (temperature + self.span_temperature) / 2.0
        heating = min(self.span_heating / hours, 1.0)
        cooling = min(self.span_cooling / hours, 1.0)
        occupied = min(self.span_occupied / hours, 1.0)
        self._update([outdoor - middle, heating, cooling, 1.0, occupied], rate)
        state = 1 if heating >= 0.5 else 2 if cooling >= 0.5 else 0
        self.samples[state] += 1

    def _update(self, features: list[float], target: float) -> None:
        """One recursive least squares step with forgetting."""
        covariance_x = [
            sum(self.covariance[row][col] * features[col] for col in range(_SIZE))
            for row in range(_SIZE)
        ]
        spread = self.forgetting + sum(
            f * c for f, c in zip(features, covariance_x, strict=True)
        )
        error = target - sum(
            c * f for c, f in zip(self.coefficients, features, strict=True)
        )
        gain = [value / spread for value in covariance_x]
        for row in range(_SIZE):
            self.coefficients[row] += gain[row] * error
            for col in range(_SIZE):
                self.covariance[row][col] = (
                    self.covariance[row][col] - gain[row] * covariance_x[col]
                ) / self.forgetting
        # Bound the covariance so rarely excited terms cannot wind up. A variance
        # is scaled down with its row and column, keeping the correlations: cut
        # alone, the matrix stops being positive definite and the estimate blows
        # up (a heat-only room, whose cooling rate is never seen).
        scale = [
            math.sqrt(bound / max(self.covariance[row][row], bound))
            for row, bound in enumerate(_PRIOR_VARIANCE)
        ]
        for row in range(_SIZE):
            for col in range(_SIZE):
                self.covariance[row][col] *= scale[row] * scale[col]
        self.error_variance = 0.98 * self.error_variance + 0.02 * min(
            error * error, 100.0
        )

    # -- prediction ------------------------------------------------------------

    def predict_one(self, x: Mapping[str, object]) -> float | None:
        """Return the expected rate of change (K/h) for the conditions ``x``."""
        temperature = self._clean(x, Role.TEMPERATURE)
        outdoor = self._clean(x, Role.OUTDOOR_TEMPERATURE)
        action = self._clean(x, Role.HVAC_ACTION)
        temperature = self.temperature if temperature is None else temperature
        outdoor = self.outdoor if outdoor is None else outdoor
        if temperature is None or outdoor is None:
            return None
        return self.response().rate(
            temperature,
            outdoor,
            self.action if action is None else action,
            self.occupied,
        )

    def response(self) -> ThermalResponse:
        """Return the coefficients as they stand, held to physics.

        Heat leaks from warm to cold, heating warms and cooling cools; the estimate
        itself stays unclamped so that least squares stays consistent.
        """
        loss, heating_rate, cooling_rate, bias, occupied_gain = self.coefficients
        return ThermalResponse(
            max(loss, 0.0),
            max(heating_rate, 0.05),
            min(cooling_rate, -0.05),
            bias,
            max(occupied_gain, 0.0),  # people warm a room
        )

    def time_to_temperature(
        self,
        current: float,
        target: float,
        outdoor: float,
        hvac_action: float | None = None,
        occupied: float = 0.0,
    ) -> TimeToTemperature:
        """Return how long the zone takes to go from ``current`` to ``target`` °C.

        ``hvac_action`` is 1 to heat, -1 to cool, 0 to let it drift with the HVAC
        off (optimum stop); by default it heats up or cools down towards the target.
        ``occupied`` is the share of that time people are there. The duration is
        None when the target cannot be reached that way, or when an input is not a
        plausible temperature (counted in ``bad_values``).
        """
        temperatures = _plausible_temperatures(current, target, outdoor)
        if temperatures is None:
            self.bad_values += 1
            return TimeToTemperature(None, 0.0)
        current, target, outdoor = temperatures
        if hvac_action is None:
            hvac_action = _heading(current, target)
        return TimeToTemperature(
            self.response().time_to(current, target, outdoor, hvac_action, occupied),
            self._confidence(hvac_action),
        )

    @property
    def heating_learned(self) -> bool:
        """Whether enough heating was measured for its rate to be more than the prior."""
        return self.samples[1] >= _HEATING_LEARNED

    def _confidence(self, hvac_action: float) -> float:
        state = 1 if hvac_action > 0 else 2 if hvac_action < 0 else 0
        seen = self.samples[state] + self.samples[0] / 4.0
        # More samples of this kind and a smaller scatter make it surer.
        return round(seen / (seen + 20.0) / (1.0 + math.sqrt(self.error_variance)), 3)

    def explain(self, scale: TemperatureScale = CELSIUS) -> str:
        """Say in words what the zone has been learned to do."""
        response = self.response()
        loss = response.loss
        learned = sum(self.samples)
        source = (
            f"from {learned} measured spans" if learned else "defaults, no data yet"
        )
        time_constant = f"{1.0 / loss:.0f} h" if loss > 1e-6 else "very long"
        return (
            f"heats {scale.difference(response.heating_rate)}/h, "
            f"cools {scale.difference(-response.cooling_rate)}/h, "
            f"people add {scale.difference(response.occupied_gain)}/h, "
            f"drifts towards outdoors with a time constant of {time_constant} "
            f"({source})"
        )

    # -- state -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data."""
        return {
            "version": VERSION,
            "prior": list(self.prior),
            "coefficients": list(self.coefficients),
            "covariance": [list(row) for row in self.covariance],
            "forgetting": self.forgetting,
            "min_interval": self.min_interval,
            "max_interval": self.max_interval,
            "span_start": to_iso(self.span_start),
            "span_temperature": self.span_temperature,
            "span_heating": self.span_heating,
            "span_cooling": self.span_cooling,
            "span_occupied": self.span_occupied,
            "span_outdoor": self.span_outdoor,
            "last_time": to_iso(self.last_time),
            "action": self.action,
            "occupied": self.occupied,
            "outdoor": self.outdoor,
            "temperature": self.temperature,
            "samples": list(self.samples),
            "error_variance": self.error_variance,
            "bad_values": self.bad_values,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThermalModel:
        """Restore a model saved with :meth:`to_dict`."""
        version = check_version(data, "thermal model", *READABLE_VERSIONS)

        try:
            loss, heating_rate, cooling_rate = (float(v) for v in data["prior"][:3])
            model = cls(
                loss=loss,
                heating_rate=heating_rate,
                cooling_rate=cooling_rate,
                forgetting=float(data["forgetting"]),
                min_interval=float(data["min_interval"]),
                max_interval=float(data["max_interval"]),
            )
            coefficients = [float(v) for v in data["coefficients"]]
            covariance = [[float(v) for v in row] for row in data["covariance"]]
            if version == 1:
                coefficients, covariance = _with_occupied_gain(coefficients, covariance)
            model.coefficients, model.covariance = coefficients, covariance
            model.span_start = from_iso(data["span_start"])
            model.span_temperature = float(data["span_temperature"])
            model.span_heating = float(data["span_heating"])
            model.span_cooling = float(data["span_cooling"])
            model.span_occupied = float(data.get("span_occupied", 0.0))
            model.span_outdoor = from_number(data["span_outdoor"])
            model.last_time = from_iso(data["last_time"])
            model.action = float(data["action"])
            model.occupied = float(data.get("occupied", 0.0))
            model.outdoor = from_number(data["outdoor"])
            model.temperature = from_number(data["temperature"])
            model.samples = [int(v) for v in data["samples"]]
            model.error_variance = float(data["error_variance"])
            model.bad_values = int(data["bad_values"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"corrupt thermal model state: {error}") from error
        if (
            len(model.coefficients) != _SIZE
            or len(model.covariance) != _SIZE
            or any(len(row) != _SIZE for row in model.covariance)
            or len(model.samples) != 3
        ):
            raise ValueError("corrupt thermal model state: wrong sizes")
        return model


def _with_occupied_gain(
    coefficients: list[float], covariance: list[list[float]]
) -> tuple[list[float], list[list[float]]]:
    """Add the occupied gain, at its prior, to a version 1 model's estimate."""
    rows = [[*row, 0.0] for row in covariance]
    rows.append([*([0.0] * len(coefficients)), _PRIOR_VARIANCE[-1]])
    return [*coefficients, 0.0], rows
