"""Comfort: the setpoint people choose, and whether they want it cooler or warmer.

Three models live here:

* :class:`Season` tells whether the zone is in its heating or its cooling season,
  from what its HVAC has mostly done over the last days (or, without HVAC, from
  the outdoor temperature of those days), so the comfort learned for one season
  does not switch to the other's on every warm afternoon.
* :class:`PreferredSetpoint` learns the thermostat setpoint a zone's people pick by
  hand, as a function of the time of week, occupancy, the outdoor temperature and
  the season, with its uncertainty. Without labels it answers with the configured
  heating or cooling default, moved by what people set in the building's other
  zones (a :class:`ComfortPool`).
* :class:`ThermalPreference` learns online to tell, from the comfort signals at hand
  (air temperature, humidity, air speed, clothing...), whether people would rather be
  cooler, stay as they are or be warmer. A global model is mixed with per-building and
  per-person offsets, so each group gets its own adapting class priors.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
import math
from typing import Any

from .observation import Role, as_number, plausible
from .pool import ZonePool
from .saved import check_version, from_number
from .timefeatures import hour_of_day, is_weekend, later
from .units import CELSIUS, TemperatureScale

SETPOINT_VERSION = 1
PREFERENCE_VERSION = 1
SEASON_VERSION = 1

# The season is what the HVAC (or the weather) did over about this many hours.
SEASON_HOURS = 48.0

# Time-of-week profile: an hourly slot per mode (heating, cooling) and day type
# (weekday, weekend); neighbouring hours share what they learned through a kernel.
_HOURS = 24
_PROFILE_SLOTS = 2 * 2 * _HOURS
_KERNEL_HOURS = 1.0
_OTHER_DAY_TYPE = 0.2  # how much weekdays and weekends inform each other
# Linear effects on top of the profile, and how far each may plausibly move it (K).
# The season enters through the mode (a heating and a cooling profile) and the
# outdoor temperature: a calendar term would soak up any offset seen in one month.
_EFFECTS = ("occupancy", "outdoor temperature")
_EFFECT_PRIOR_STD = (1.0, 1.0)
# An effect explains departures from what is usual at labels: until an input has
# been seen at this many labels, the usual is unknown and the effect stays put.
_EFFECT_MIN_LABELS = 3
_OUTDOOR_TEMPERATURE = Role.OUTDOOR_TEMPERATURE.value  # its key in the conditions
# The least share of an hour's offset a new label there takes, however many came
# before: a changed habit (22.5 °C every evening after years of 21 °C) is followed
# within about four changes, as people expect of a learning thermostat, while a
# single change moves it a quarter of the way.
_LEAST_SHARE = 0.25
# A label this soon after the last one replaces it: the dial on its way to where
# the person left it (a child's 21 -> 25 -> 19 -> 22, a knob that reports each
# half degree it passes) is one wish, not one per step.
_SETTLING = timedelta(minutes=1)
# The share of a label's surprise (how far it lies from what was predicted at its
# hour) that every other hour learned in its mode takes: a habit changed at every
# hour (a baby: warmer all day), shown by one change a day at scattered hours,
# is followed within weeks rather than months, while a night's complaints move
# the evening's comfort little.
_SPREAD = 0.05


class _RunningMean:
    """Time-weighted exponential mean of a signal that holds its value between updates."""

    def __init__(self, hours: float) -> None:
        self.hours = hours
        self.mean: float | None = None
        self.value = 0.0
        self.since: datetime | None = None

    def update(self, when: datetime, value: float) -> None:
        self.mean = self.read(when)
        if self.mean is None:
            self.mean = value
        self.value = value
        self.since = when if self.since is None else later(self.since, when)

    def read(self, when: datetime) -> float | None:
        if self.mean is None or self.since is None:
            return None
        hours = max((when - self.since).total_seconds() / 3600.0, 0.0)
        return self.value + (self.mean - self.value) * math.exp(-hours / self.hours)

    def to_list(self) -> list[Any]:
        since = None if self.since is None else self.since.isoformat()
        return [self.mean, self.value, since]

    def load_list(self, data: object) -> None:
        if not isinstance(data, list) or len(data) != 3:
            raise ValueError(f"a running mean needs 3 values, got {data!r}")
        mean, value, since = data
        self.mean = from_number(mean)
        self.value = float(value)
        self.since = None if since is None else datetime.fromisoformat(str(since))
        if (self.mean is None) != (self.since is None):
            raise ValueError(f"a running mean with half a history: {data!r}")


class Season:
    """Whether a zone is in its heating (1) or cooling (-1) season.

    The HVAC's action (1 heating, -1 cooling, 0 idle) averaged over the last
    ``SEASON_HOURS`` decides: an office that heats for an hour on a June morning
    and cools all afternoon is in its cooling season, a house whose heating ran
    this morning in its heating season however warm the afternoon. Where no HVAC
    has acted, the outdoor temperature over those hours decides, against
    ``cooling_above``.

    >>> from datetime import datetime
    >>> season = Season()
    >>> season.learn_one(datetime(2026, 6, 1, 8), {"hvac_action": -1.0})
    >>> season.learn_one(datetime(2026, 6, 3, 7), {"hvac_action": 1.0})
    >>> season.learn_one(datetime(2026, 6, 3, 8), {"hvac_action": -1.0})
    >>> season.predict_one(datetime(2026, 6, 3, 18))  # an hour's heating changes nothing
    -1.0

    """

    def __init__(self, cooling_above: float = 20.0) -> None:
        """Start knowing no season."""
        self.cooling_above = float(cooling_above)
        self.action = _RunningMean(SEASON_HOURS)
        self.outdoor = _RunningMean(SEASON_HOURS)
        self.bad_values = 0

    def learn_one(self, when: datetime, x: Mapping[str, object]) -> None:
        """Take the HVAC action and/or outdoor temperature at ``when``."""
        for role, mean in (
            (Role.HVAC_ACTION, self.action),
            (Role.OUTDOOR_TEMPERATURE, self.outdoor),
        ):
            if role.value not in x:
                continue
            value = plausible(role, x[role.value])
            if value is None or not isinstance(when, datetime):
                self.bad_values += 1
            else:
                mean.update(when, value)

    def predict_one(self, when: datetime) -> float | None:
        """Return 1.0 (heating season), -1.0 (cooling season) or None (unknown)."""
        balance = self.action.read(when)
        if balance:
            return 1.0 if balance > 0.0 else -1.0
        outdoor = self.outdoor.read(when)
        if outdoor is None:
            return None
        return -1.0 if outdoor > self.cooling_above else 1.0

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data."""
        return {
            "version": SEASON_VERSION,
            "cooling_above": self.cooling_above,
            "action": self.action.to_list(),
            "outdoor": self.outdoor.to_list(),
            "bad_values": self.bad_values,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Season:
        """Restore a season saved with :meth:`to_dict`."""
        check_version(data, "season", SEASON_VERSION)
        try:
            season = cls(float(data["cooling_above"]))
            season.action.load_list(data["action"])
            season.outdoor.load_list(data["outdoor"])
            season.bad_values = int(data["bad_values"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"corrupt season state: {error}") from error
        return season


# Per mode (heating, cooling): the labels' weight and their weighted offset sum.
_ModeSums = tuple[tuple[float, float], tuple[float, float]]


class ComfortPool:
    """What people set by hand across a building, for zones that have seen little.

    Each zone's labels are kept as, per mode, their weight and the weighted sum of
    their offsets from the default. A zone leans on the other zones' mean offset
    where it has few labels of its own: people who turned the heating up in five
    offices most likely want the sixth warmer too.
    """

    def __init__(self) -> None:
        """Start with no zones."""
        self._sums = ZonePool(4)  # heating's weight and sum, then cooling's

    def update(self, zone_id: str, sums: _ModeSums) -> None:
        """Keep ``zone_id``'s (weight, weighted offset) for heating and cooling."""
        (heating_weight, heating_sum), (cooling_weight, cooling_sum) = sums
        self._sums.update(
            zone_id, (heating_weight, heating_sum, cooling_weight, cooling_sum)
        )

    def remove(self, zone_id: str) -> None:
        """Forget a zone's labels."""
        self._sums.remove(zone_id)

    def others(self, zone_id: str, cooling: bool) -> tuple[float, float]:
        """Return the other zones' label weight and mean offset (K).

        The mean is shrunk towards none while their labels are few.
        """
        totals = self._sums.others(zone_id)
        weight, total = totals[2:] if cooling else totals[:2]
        return weight, total / (weight + 1.0)


class PreferredSetpoint:
    """The setpoint a zone's people choose, learned from their manual changes.

    Two parts, learned together by backfitting: a time-of-week profile (per mode,
    heating or cooling season, per day type and hour, smoothed over neighbouring
    hours) of how far people set the thermostat from the configured default, and
    small linear effects of occupancy and outdoor temperature (a Kalman filter). Old
    labels fade, and a new one always takes a quarter of its hour's offset, so a
    changed habit wins within about four changes; the mode's other hours take a
    little of it too (``_SPREAD``). With no labels the
    answer is the default of the current mode; the predictive standard deviation
    shrinks from ``prior_std`` as labels near that hour accumulate.

    Parameters
    ----------
    heating_default
        Setpoint (°C) to use when heating and nothing is learned.
    cooling_default
        Setpoint (°C) to use when cooling and nothing is learned.
    cooling_above
        Outdoor temperature (°C) above which the zone is taken to be
        in cooling mode when ``x`` does not say (``hvac_mode``).
    prior_std
        How far (K) people plausibly set away from the default.
    fading
        Weight an hour slot keeps per new label there (below 1 forgets).

    ``bounds`` (°C, lowest and highest) are the setpoints the controller may
    set; one a person sets outside them is no comfort but a gesture (a
    thermostat turned right down to switch it off, right up to boost) and
    teaches nothing.

    ``x`` may hold ``occupied`` (0..1), ``outdoor_temperature`` (°C) and
    ``hvac_mode`` (1 heating, -1 cooling); missing or bad values count as unknown.

    Example:
        >>> from datetime import datetime
        >>> model = PreferredSetpoint(heating_default=20.0, cooling_default=24.0)
        >>> model.predict_one(datetime(2026, 1, 5, 20), {"outdoor_temperature": 3})
        20.0
        >>> for day in range(5, 29):
        ...     model.learn_one(datetime(2026, 1, day, 20), {}, 21.5)
        >>> abs(model.predict_one(datetime(2026, 1, 29, 20), {}) - 21.5) < 0.2
        True

    """

    def __init__(
        self,
        heating_default: float = 20.0,
        cooling_default: float = 24.0,
        *,
        cooling_above: float = 20.0,
        prior_std: float = 1.5,
        fading: float = 0.97,
    ) -> None:
        """Start from the defaults with no labels."""
        self.heating_default = float(heating_default)
        self.cooling_default = float(cooling_default)
        self.cooling_above = float(cooling_above)
        self.prior_std = float(prior_std)
        self.fading = float(fading)
        self.bounds = (-math.inf, math.inf)
        # Per slot: weight of the labels, their mean offset from the default, and
        # the mean squared deviation around it.
        self.profile = [[0.0, 0.0, 0.0] for _ in range(_PROFILE_SLOTS)]
        self._label_sums: dict[bool, tuple[float, float]] = {}
        self.effects = [0.0] * len(_EFFECTS)
        self.effect_variance = [std * std for std in _EFFECT_PRIOR_STD]
        self.input_means = [1.0, 15.0]  # occupancy and outdoor °C seen at labels
        self.input_counts = [0, 0]
        self.labels = 0
        self.bad_values = 0
        self._pool: ComfortPool | None = None
        self._zone_id = ""
        # The last label's time and what was learned before it, to replace it by
        # one that follows within _SETTLING. Not saved: a restart takes longer.
        self._last_label: tuple[datetime, tuple[Any, ...]] | None = None

    def join(self, pool: ComfortPool, zone_id: str) -> None:
        """Share this zone's labels through ``pool``, and lean on the others'."""
        self._pool, self._zone_id = pool, zone_id
        pool.update(zone_id, self._mode_sums())

    def _mode_sums(self) -> _ModeSums:
        return self._labels_of(cooling=False), self._labels_of(cooling=True)

    def _labels_of(self, *, cooling: bool) -> tuple[float, float]:
        """Return a mode's label weight and weighted offset sum, over all hours."""
        # Asked for with every estimate, changed only by a label: remembered.
        sums = self._label_sums.get(cooling)
        if sums is None:
            mode = self._mode_slots(cooling)
            slots = self.profile[mode.start : mode.stop]
            sums = (
                sum([slot[0] for slot in slots]),
                sum([slot[0] * slot[1] for slot in slots]),
            )
            self._label_sums[cooling] = sums
        return sums

    def _others(self, cooling: bool) -> tuple[float, float]:
        """Return the weight and mean offset (K) of the building's other zones' labels."""
        return (
            (0.0, 0.0)
            if self._pool is None
            else self._pool.others(self._zone_id, cooling)
        )

    # -- inputs ----------------------------------------------------------------

    def _number(self, x: Mapping[str, object], key: str) -> float | None:
        if key not in x or x[key] is None:
            return None
        number = as_number(x[key])
        if number is None:
            self.bad_values += 1
        return number

    def _conditions(
        self, when: datetime, x: Mapping[str, object]
    ) -> tuple[bool, list[float]]:
        """Return whether the zone is cooling and the linear-effect inputs."""
        outdoor = self._number(x, _OUTDOOR_TEMPERATURE)
        if outdoor is not None and plausible(Role.OUTDOOR_TEMPERATURE, outdoor) is None:
            self.bad_values += 1
            outdoor = None
        occupied = self._number(x, "occupied")
        if occupied is not None and not 0.0 <= occupied <= 1.0:
            self.bad_values += 1
            occupied = None
        mode = self._number(x, "hvac_mode")
        if mode is not None and mode not in (-1.0, 1.0):
            self.bad_values += 1
            mode = None
        if mode is None:
            cooling = outdoor is not None and outdoor > self.cooling_above
        else:
            cooling = mode < 0
        # Centred on what is usual when people make changes, so an effect only
        # explains departures from it and never competes with the profile.
        occupancy_mean, outdoor_mean = self.input_means
        inputs = [
            0.0 if occupied is None else occupied - occupancy_mean,
            0.0 if outdoor is None else (outdoor - outdoor_mean) / 10.0,
        ]
        return cooling, inputs

    # -- the two parts ---------------------------------------------------------

    @staticmethod
    def _slot(cooling: bool, weekend: bool, hour: int) -> int:
        return ((2 if cooling else 0) + (1 if weekend else 0)) * _HOURS + hour % _HOURS

    @staticmethod
    def _mode_slots(cooling: bool) -> range:
        """Return the profile slots of a mode: its weekdays' hours, then weekends'."""
        start = PreferredSetpoint._slot(cooling, False, 0)
        return range(start, start + 2 * _HOURS)

    def _profile(self, when: datetime, cooling: bool) -> tuple[float, float, float]:
        """Kernel-smoothed offset, its label weight and the scatter around it.

        The scatter counts how far the hours nearby disagree as well as how much
        each hour's own labels do: between 21.5 °C every evening and 19 °C every
        night, 20.4 °C at 23:00 is no sure thing.
        """
        hour = hour_of_day(when)
        weekend = is_weekend(when)
        weight = offset = second_moment = 0.0
        base = int(hour)
        same = self._slot(cooling, weekend, 0)
        other = self._slot(cooling, not weekend, 0)
        profile = self.profile
        for shift in range(-3, 4):
            slot_hour = (base + shift) % _HOURS
            near, far = profile[same + slot_hour], profile[other + slot_hour]
            if near[0] == 0.0 and far[0] == 0.0:
                continue  # nothing learned at this hour: skip the kernel
            distance = base + shift + 0.5 - hour
            closeness = math.exp(-0.5 * (distance / _KERNEL_HOURS) ** 2)
            near_share = closeness * near[0]
            far_share = closeness * _OTHER_DAY_TYPE * far[0]
            # The same day type's hour first, then the other's, into each sum.
            weight = weight + near_share + far_share
            offset = offset + near_share * near[1] + far_share * far[1]
            second_moment = (
                second_moment
                + near_share * (near[2] + near[1] * near[1])
                + far_share * (far[2] + far[1] * far[1])
            )
        if weight <= 0.0:
            return 0.0, 0.0, 0.0
        mean = offset / weight
        return mean, weight, max(second_moment / weight - mean * mean, 0.0)

    def _level(self, cooling: bool) -> float:
        """Return the mode's offset over all hours, shrunk by its weight.

        An hour with no labels nearby leans on it: people who turned the heating up
        in the morning and the afternoon most likely want it up at noon too.
        """
        return sum(self._level_parts(cooling))

    def _level_parts(self, cooling: bool) -> tuple[float, float, float]:
        """Return the mode's level (K) as its own labels', the building's and the other mode's.

        With few labels of its own a mode leans on what people set in the
        building's other zones in this mode, moved by how far this zone's people
        set the other mode from what people set there: people who heat to 22.5 °C
        where the rest of the office heats to 21 °C want no cooling down to the
        21 °C the rest asks for either. Only where people in other areas set the
        other mode: the configured defaults alone, which nobody here chose, are no
        one's settings to differ from.
        """
        weight, total = self._labels_of(cooling=cooling)
        _, shared = self._others(cooling)
        apart = 0.0
        others_weight, others_offset = self._others(not cooling)
        if others_weight > 0.0:
            other_weight, other_total = self._labels_of(cooling=not cooling)
            apart = (other_total - other_weight * others_offset) / (other_weight + 1.0)
        return total / (weight + 1.0), shared / (weight + 1.0), apart / (weight + 1.0)

    def _shrunk_profile(
        self, when: datetime, cooling: bool
    ) -> tuple[float, float, float]:
        """Return the offset at ``when``, the trust in its hour and their scatter.

        Where labels nearby are few, the offset leans on the mode's level.
        """
        offset, weight, scatter = self._profile(when, cooling)
        trust = weight / (weight + 1.0)
        level = self._level(cooling)
        return trust * offset + (1.0 - trust) * level, trust, scatter

    def _effect(self, inputs: list[float]) -> float:
        return sum([e * i for e, i in zip(self.effects, inputs, strict=True)])

    def _estimate(self, when: datetime, x: Mapping[str, object]) -> tuple[float, float]:
        """Return the setpoint and its standard deviation."""
        cooling, inputs = self._conditions(when, x)
        default = self.cooling_default if cooling else self.heating_default
        # Few labels nearby: lean towards the usual level, and be unsure.
        profile, trust, scatter = self._shrunk_profile(when, cooling)
        setpoint = default + profile + self._effect(inputs)
        effect_variance = sum(
            [v * i * i for v, i in zip(self.effect_variance, inputs, strict=True)]
        )
        variance = (
            (1.0 - trust) * self.prior_std**2
            + trust * max(scatter, 0.01)
            + effect_variance
        )
        return setpoint, math.sqrt(variance)

    # -- learning and prediction -----------------------------------------------

    def learn_one(
        self,
        when: datetime,
        x: Mapping[str, object],
        y: object,
        *,
        offset: float = 0.0,
    ) -> None:
        """Learn from a setpoint ``y`` (°C) a person chose by hand at ``when``.

        ``offset`` (K) is what the thermostat is sent on top of the comfort (the
        area's Comfort offset): the setpoint teaches the comfort less it, or each
        change would add the offset once more.
        """
        setpoint = plausible(Role.HVAC_SETPOINT, y)
        if setpoint is None or not isinstance(when, datetime):
            self.bad_values += 1
            return
        low, high = self.bounds
        if not low <= setpoint <= high:
            return  # switched off or boosted by hand: no comfort anyone wants
        setpoint -= offset
        if self._last_label is not None:
            since = when - self._last_label[0]
            if timedelta(0) <= since <= _SETTLING:
                self._restore(self._last_label[1])
        cooling, inputs = self._conditions(when, x)
        at = self._slot(cooling, is_weekend(when), int(hour_of_day(when)))
        self._last_label = (when, self._learned(cooling, at))
        default = self.cooling_default if cooling else self.heating_default
        profile, _, _ = self._shrunk_profile(when, cooling)
        # Linear effects explain what the profile does not (Kalman step, diagonal).
        residual = setpoint - default - profile - self._effect(inputs)
        self._spread(cooling, at, residual)
        noise = 0.25
        for index, value in enumerate(inputs):
            if value == 0.0 or self.input_counts[index] < _EFFECT_MIN_LABELS:
                continue
            # A little process noise keeps the effects learning while the
            # profile they share the labels with is still settling.
            variance = min(
                self.effect_variance[index] + 0.002, _EFFECT_PRIOR_STD[index] ** 2
            )
            gain = variance * value / (variance * value * value + noise)
            self.effects[index] += gain * residual
            self.effect_variance[index] = max((1.0 - gain * value) * variance, 1e-4)
        # The profile slot learns what the effects do not explain.
        target = setpoint - default - self._effect(inputs)
        slot = self.profile[at]
        slot[0] = slot[0] * self.fading + 1.0
        share = max(1.0 / slot[0], _LEAST_SHARE)
        deviation = target - slot[1]
        slot[1] += share * deviation
        slot[2] += share * (min(deviation * deviation, 25.0) * (1.0 - share) - slot[2])
        self._label_sums.pop(cooling, None)
        self._learn_input_means(inputs)
        self.labels += 1
        if self._pool is not None:
            self._pool.update(self._zone_id, self._mode_sums())

    def _spread(self, cooling: bool, at: int, surprise: float) -> None:
        """Move the mode's other learned hours by a share of a label's ``surprise``."""
        for index in self._mode_slots(cooling):
            slot = self.profile[index]
            if index != at and slot[0] > 0.0:
                slot[1] += _SPREAD * surprise

    def _learned(self, cooling: bool, at: int) -> tuple[Any, ...]:
        """Return a copy of what a label in slot ``at`` would change.

        Its slot, and the mode's other learned slots, which it spreads to.
        """
        profile = self.profile
        return (
            {
                index: list(profile[index])
                for index in self._mode_slots(cooling)
                if index == at or profile[index][0] > 0.0
            },
            list(self.effects),
            list(self.effect_variance),
            list(self.input_means),
            list(self.input_counts),
            self.labels,
        )

    def _restore(self, learned: tuple[Any, ...]) -> None:
        """Go back to what :meth:`_learned` copied."""
        (
            slots,
            self.effects,
            self.effect_variance,
            self.input_means,
            self.input_counts,
            self.labels,
        ) = learned
        for index, slot in slots.items():
            self.profile[index] = slot
        self._label_sums.clear()

    def _learn_input_means(self, inputs: list[float]) -> None:
        for index, centred in enumerate(inputs):
            if centred == 0.0:
                continue
            self.input_counts[index] += 1
            rate = max(1.0 / self.input_counts[index], 0.02)
            scale = 10.0 if index == 1 else 1.0
            self.input_means[index] += rate * centred * scale

    def predict_one(self, when: datetime, x: Mapping[str, object]) -> float:
        """Return the preferred setpoint (°C) at ``when`` for the conditions ``x``."""
        return self._estimate(when, x)[0]

    def predict_std_one(self, when: datetime, x: Mapping[str, object]) -> float:
        """Return the standard deviation (K) of the preferred setpoint."""
        return self._estimate(when, x)[1]

    def explain(
        self,
        when: datetime,
        x: Mapping[str, object],
        scale: TemperatureScale = CELSIUS,
    ) -> str:
        """Say which signals moved the setpoint away from the default."""
        setpoint, std = self._estimate(when, x)
        estimate = f"{scale.degrees(setpoint)} ± {scale.difference(std)}"
        cooling, inputs = self._conditions(when, x)
        mode = "cooling" if cooling else "heating"
        default = self.cooling_default if cooling else self.heating_default
        if self.labels == 0:
            _, shared = self._others(cooling)
            if round(shared * scale.per_kelvin, 1) == 0:  # nothing the text would show
                return f"{estimate}: the {mode} default, no manual changes learned yet"
            return (
                f"{estimate}: no manual changes here yet; the {mode} default "
                f"{scale.degrees(default)} {scale.difference(shared, '+')} "
                "as people set other areas"
            )
        offset, weight, _ = self._profile(when, cooling)
        trust = weight / (weight + 1.0)
        # Where this hour has few labels of its own, the estimate leans on what
        # people set at the other hours: say so, or nothing explains it.
        own, shared, apart = self._level_parts(cooling)
        other_mode = "heating" if cooling else "cooling"
        effects = {
            "time of day": trust * offset,
            "changes at other hours": (1.0 - trust) * own,
            "as people set other areas": (1.0 - trust) * shared,
            f"changes when {other_mode}": (1.0 - trust) * apart,
        }
        for name, effect, value in zip(_EFFECTS, self.effects, inputs, strict=True):
            effects[name] = effects.get(name, 0.0) + effect * value
        ranked = sorted(effects.items(), key=lambda item: -abs(item[1]))
        # What moved it less than the text shows ("-0.0 K") moved nothing.
        parts = [
            f"{signal} {scale.difference(effect, '+')}"
            for signal, effect in ranked[:3]
            if round(effect * scale.per_kelvin, 1) != 0
        ]
        because = "; " + ", ".join(parts) if parts else ""
        changes = "manual change" if self.labels == 1 else "manual changes"
        return (
            f"{estimate} from {self.labels} {changes} "
            f"({mode} default {scale.degrees(default)}{because})"
        )

    # -- state -----------------------------------------------------------------

    def rebase(self, heating_default: float, cooling_default: float) -> None:
        """Answer from new defaults where nothing is learned, keeping what is.

        Labels are kept as offsets from the default they were learned against: each
        mode's offsets move by the change, so a setpoint people taught stays theirs.
        """
        for cooling, default in ((False, heating_default), (True, cooling_default)):
            change = float(default) - (
                self.cooling_default if cooling else self.heating_default
            )
            for index in self._mode_slots(cooling):
                slot = self.profile[index]
                if slot[0] > 0.0:
                    slot[1] -= change
            self._label_sums.pop(cooling, None)
        self.heating_default = float(heating_default)
        self.cooling_default = float(cooling_default)
        if self._pool is not None:
            self._pool.update(self._zone_id, self._mode_sums())

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data (empty slots stay short)."""
        return {
            "version": SETPOINT_VERSION,
            "heating_default": self.heating_default,
            "cooling_default": self.cooling_default,
            "cooling_above": self.cooling_above,
            "prior_std": self.prior_std,
            "fading": self.fading,
            "profile": {
                str(index): list(slot)
                for index, slot in enumerate(self.profile)
                if slot[0] > 0.0
            },
            "effects": list(self.effects),
            "effect_variance": list(self.effect_variance),
            "input_means": list(self.input_means),
            "input_counts": list(self.input_counts),
            "labels": self.labels,
            "bad_values": self.bad_values,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PreferredSetpoint:
        """Restore a model saved with :meth:`to_dict`."""
        check_version(data, "preferred setpoint", SETPOINT_VERSION)
        try:
            model = cls(
                float(data["heating_default"]),
                float(data["cooling_default"]),
                cooling_above=float(data["cooling_above"]),
                prior_std=float(data["prior_std"]),
                fading=float(data["fading"]),
            )
            for index, slot in data["profile"].items():
                values = [float(value) for value in slot]
                if len(values) != 3:
                    raise ValueError(f"slot {index} has {len(values)} values")
                model.profile[int(index)] = values
            effects = [float(value) for value in data["effects"]]
            variances = [float(value) for value in data["effect_variance"]]
            means = [float(value) for value in data["input_means"]]
            counts = [int(value) for value in data["input_counts"]]
            model.labels = int(data["labels"])
            model.bad_values = int(data["bad_values"])
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"corrupt preferred setpoint state: {error}") from error
        if any(
            len(values) != len(_EFFECTS)
            for values in (effects, variances, means, counts)
        ):
            raise ValueError(
                "corrupt preferred setpoint state: wrong number of effects"
            )
        model.effects = effects
        model.effect_variance = variances
        model.input_means = means
        model.input_counts = counts
        return model


class ThermalPreference:
    """Online classifier of thermal preference (e.g. cooler / no change / warmer).

    A multinomial logistic regression on the numeric comfort signals, standardised
    online, plus per-group class offsets: each building, person or other group named
    in ``group_keys`` gets its own intercepts, learned faster than the shared weights
    (a new group's step starts large and shrinks with the square root of its labels,
    so a newcomer adapts within a few votes and a known one stays steady).
    The literature finds people and buildings differ mostly in where their comfort
    lies, so these offsets act as class priors that adapt to each group while the
    shared weights carry what is common. Unseen groups start from the global model.

    Parameters
    ----------
    group_keys
        Keys of ``x`` whose values name a group (building, person,
        season...) rather than a measurement.
    learning_rate
        Step size of the shared weights.
    group_learning_rate
        First step size of a group's offsets.
    min_group_learning_rate
        The step size they shrink to, no further, so groups
        keep following their people.
    l2
        Weight decay, keeping weights and offsets small and calibrated.
    max_groups
        Groups remembered; the least recently seen is forgotten first,
        which bounds the state.
    max_features
        Numeric signals remembered; later new names are ignored.
    max_classes
        Labels remembered; later new labels are ignored and counted.

    Numbers in ``x`` are features (missing ones count as average); anything else that
    is not a group is a bad value, ignored and counted.

    Example:
        >>> model = ThermalPreference(group_keys=("person",))
        >>> for _ in range(50):
        ...     model.learn_one({"ta": 28.0, "person": "a"}, "cooler")
        ...     model.learn_one({"ta": 18.0, "person": "a"}, "warmer")
        >>> model.predict_one({"ta": 29.0, "person": "a"})
        'cooler'

    """

    def __init__(
        self,
        group_keys: tuple[str, ...] = (),
        *,
        learning_rate: float = 0.005,
        group_learning_rate: float = 0.5,
        min_group_learning_rate: float = 0.05,
        l2: float = 1e-4,
        max_groups: int = 16,
        max_features: int = 64,
        max_classes: int = 8,
    ) -> None:
        """Start with no classes, features or groups."""
        self.group_keys = tuple(group_keys)
        self.learning_rate = float(learning_rate)
        self.group_learning_rate = float(group_learning_rate)
        self.min_group_learning_rate = float(min_group_learning_rate)
        self.l2 = float(l2)
        self.max_groups = int(max_groups)
        self.max_features = int(max_features)
        self.max_classes = int(max_classes)
        self.classes: list[str] = []
        # Running mean, sum of squared deviations and count per feature (Welford).
        self.feature_stats: dict[str, list[float]] = {}
        # Per class: the shared weights per feature, "" being the intercept.
        self.weights: list[dict[str, float]] = []
        # Per group ("key=value"): one offset per class, when it was last seen and
        # how many labels it has given.
        self.group_offsets: dict[str, list[float]] = {}
        self.group_seen: dict[str, int] = {}
        self.group_labels: dict[str, int] = {}
        self.seen = 0
        self.bad_values = 0

    # -- inputs ----------------------------------------------------------------

    def _split(self, x: Mapping[str, object]) -> tuple[dict[str, float], list[str]]:
        """Return the raw numeric features and the group names in ``x``."""
        numbers: dict[str, float] = {}
        groups: list[str] = []
        for key, value in x.items():
            if key in self.group_keys:
                if value is None or value == "":
                    continue
                number = as_number(value)
                # "12.0" and 12 name the same group.
                name = (
                    int(number) if number is not None and number.is_integer() else value
                )
                groups.append(f"{key}={name}")
                continue
            if value is None:
                continue
            number = as_number(value)
            if number is None or abs(number) > 1e9:
                self.bad_values += 1
                continue
            numbers[key] = number
        return numbers, groups

    def _standardise(self, numbers: Mapping[str, float]) -> dict[str, float]:
        features = {"": 1.0}
        for key, value in numbers.items():
            stats = self.feature_stats.get(key)
            if stats is None or stats[2] < 2:
                continue
            std = math.sqrt(stats[1] / (stats[2] - 1.0))
            if std <= 0.0:
                continue
            features[key] = max(-5.0, min(5.0, (value - stats[0]) / std))
        return features

    def _scores(self, features: Mapping[str, float], groups: list[str]) -> list[float]:
        scores = []
        for index, weights in enumerate(self.weights):
            score = sum(
                weights.get(key, 0.0) * value for key, value in features.items()
            )
            for group in groups:
                offsets = self.group_offsets.get(group)
                if offsets is not None:
                    score += offsets[index]
            scores.append(score)
        return scores

    @staticmethod
    def _softmax(scores: list[float]) -> list[float]:
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        return [value / total for value in exps]

    # -- learning and prediction -----------------------------------------------

    def predict_proba_one(self, x: Mapping[str, object]) -> dict[str, float]:
        """Return the probability of each known class (empty before any label)."""
        if not self.classes:
            return {}
        numbers, groups = self._split(x)
        probabilities = self._softmax(self._scores(self._standardise(numbers), groups))
        return dict(zip(self.classes, probabilities, strict=True))

    def predict_one(self, x: Mapping[str, object]) -> str | None:
        """Return the most likely class, or None before any label."""
        probabilities = self.predict_proba_one(x)
        if not probabilities:
            return None
        return max(probabilities, key=probabilities.__getitem__)

    def learn_one(self, x: Mapping[str, object], y: object) -> None:
        """Learn that the signals ``x`` came with the preference ``y``."""
        if not isinstance(y, str) or not y.strip():
            self.bad_values += 1
            return
        label = y.strip()
        if label not in self.classes:
            if len(self.classes) >= self.max_classes:
                self.bad_values += 1
                return
            self.classes.append(label)
            self.weights.append({})
            for offsets in self.group_offsets.values():
                offsets.append(0.0)
        numbers, groups = self._split(x)
        features = self._standardise(numbers)
        probabilities = self._softmax(self._scores(features, groups))
        self.seen += 1
        for group in groups:
            if group not in self.group_offsets:
                self._make_room_for_group()
                self.group_offsets[group] = [0.0] * len(self.classes)
            self.group_seen[group] = self.seen
        group_rates = [
            max(
                self.group_learning_rate
                / math.sqrt(self.group_labels.get(group, 0) + 1),
                self.min_group_learning_rate,
            )
            for group in groups
        ]
        target = self.classes.index(label)
        rate, decay = self.learning_rate, self.l2
        # The shared intercept keeps pace with the groups' offsets, so it holds the
        # population's class priors for groups not seen yet.
        intercept_rate = max(rate, self.min_group_learning_rate)
        for index, weights in enumerate(self.weights):
            error = probabilities[index] - (1.0 if index == target else 0.0)
            for key, value in features.items():
                weight = weights.get(key, 0.0)
                step = intercept_rate if key == "" else rate
                weights[key] = weight - step * (error * value + decay * weight)
            for group, group_rate in zip(groups, group_rates, strict=True):
                offsets = self.group_offsets[group]
                offsets[index] -= group_rate * (error + decay * offsets[index])
        for group in groups:
            self.group_labels[group] = self.group_labels.get(group, 0) + 1
        self._update_stats(numbers)

    def _make_room_for_group(self) -> None:
        if len(self.group_offsets) < self.max_groups:
            return
        oldest = min(self.group_seen, key=self.group_seen.__getitem__)
        del self.group_offsets[oldest]
        del self.group_seen[oldest]
        del self.group_labels[oldest]

    def _update_stats(self, numbers: Mapping[str, float]) -> None:
        for key, value in numbers.items():
            stats = self.feature_stats.get(key)
            if stats is None:
                if len(self.feature_stats) >= self.max_features:
                    continue
                stats = self.feature_stats[key] = [0.0, 0.0, 0.0]
            stats[2] += 1.0
            delta = value - stats[0]
            stats[0] += delta / stats[2]
            stats[1] += delta * (value - stats[0])

    def explain(self, x: Mapping[str, object]) -> str:
        """Say which signals pushed the prediction towards its class."""
        prediction = self.predict_one(x)
        if prediction is None:
            return "no preference learned yet"
        numbers, groups = self._split(x)
        features = self._standardise(numbers)
        index = self.classes.index(prediction)
        # A signal's push towards the prediction, against the average of the others.
        others = [i for i in range(len(self.classes)) if i != index] or [index]

        def push(key: str, value: float) -> float:
            own = self.weights[index].get(key, 0.0)
            rest = sum(self.weights[i].get(key, 0.0) for i in others) / len(others)
            return (own - rest) * value

        pushes = {key: push(key, value) for key, value in features.items() if key != ""}
        for group in groups:
            offsets = self.group_offsets.get(group)
            if offsets is not None:
                rest = sum(offsets[i] for i in others) / len(others)
                pushes[group] = offsets[index] - rest
        ranked = sorted(pushes.items(), key=lambda item: -item[1])[:3]
        probability = self.predict_proba_one(x)[prediction]
        reasons = [
            f"{key} ({'high' if features.get(key, 0.0) > 0 else 'low'})"
            if key in features
            else key
            for key, effect in ranked
            if effect > 0
        ]
        because = ", ".join(reasons) if reasons else "the usual preference"
        return f"{prediction} ({probability:.0%}) mostly because of {because}"

    # -- state -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data."""
        return {
            "version": PREFERENCE_VERSION,
            "group_keys": list(self.group_keys),
            "learning_rate": self.learning_rate,
            "group_learning_rate": self.group_learning_rate,
            "min_group_learning_rate": self.min_group_learning_rate,
            "l2": self.l2,
            "max_groups": self.max_groups,
            "max_features": self.max_features,
            "max_classes": self.max_classes,
            "classes": list(self.classes),
            "feature_stats": {key: list(v) for key, v in self.feature_stats.items()},
            "weights": [dict(weights) for weights in self.weights],
            "group_offsets": {k: list(v) for k, v in self.group_offsets.items()},
            "group_seen": dict(self.group_seen),
            "group_labels": dict(self.group_labels),
            "seen": self.seen,
            "bad_values": self.bad_values,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThermalPreference:
        """Restore a model saved with :meth:`to_dict`."""
        check_version(data, "thermal preference", PREFERENCE_VERSION)
        try:
            model = cls(
                tuple(str(key) for key in data["group_keys"]),
                learning_rate=float(data["learning_rate"]),
                group_learning_rate=float(data["group_learning_rate"]),
                min_group_learning_rate=float(data["min_group_learning_rate"]),
                l2=float(data["l2"]),
                max_groups=int(data["max_groups"]),
                max_features=int(data["max_features"]),
                max_classes=int(data["max_classes"]),
            )
            model.classes = [str(label) for label in data["classes"]]
            model.feature_stats = {
                str(key): [float(v) for v in stats]
                for key, stats in data["feature_stats"].items()
            }
            model.weights = [
                {str(key): float(v) for key, v in weights.items()}
                for weights in data["weights"]
            ]
            model.group_offsets = {
                str(key): [float(v) for v in offsets]
                for key, offsets in data["group_offsets"].items()
            }
            model.group_seen = {
                str(key): int(seen) for key, seen in data["group_seen"].items()
            }
            model.group_labels = {
                str(key): int(count) for key, count in data["group_labels"].items()
            }
            model.seen = int(data["seen"])
            model.bad_values = int(data["bad_values"])
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"corrupt thermal preference state: {error}") from error
        classes = len(model.classes)
        if len(model.weights) != classes or any(
            len(offsets) != classes for offsets in model.group_offsets.values()
        ):
            raise ValueError("corrupt thermal preference state: class count mismatch")
        if any(len(stats) != 3 for stats in model.feature_stats.values()):
            raise ValueError("corrupt thermal preference state: feature statistics")
        if (
            not set(model.group_seen)
            == set(model.group_labels)
            == set(model.group_offsets)
        ):
            raise ValueError("corrupt thermal preference state: group bookkeeping")
        return model
