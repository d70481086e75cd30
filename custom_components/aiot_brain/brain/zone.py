"""One zone's models behind one door: observations in, predictions out.

:class:`ZoneBrain` routes each observation to the models that learn from it, runs
the zone's self-supervised loop on :meth:`ZoneBrain.tick` (about once a minute), and
answers :meth:`ZoneBrain.predict_one` with everything the entities and the
controller need. :class:`Brain` keeps the zones of a building and saves them as one
versioned JSON document; a zone whose saved state is unreadable starts afresh
without taking the others with it.

The core runs on the building's naive local wall-clock time: aware datetimes are
turned into their own wall-clock time on the way in (see
:func:`~.timefeatures.wall_clock` for the hours around a change of the clocks).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
import json
import math
from typing import Any

from .absence import Absences
from .anomaly import Anomaly, AnomalyDetector
from .comfort import ComfortPool, PreferredSetpoint, Season
from .forecast import OccupancyForecast
from .lighting import ExitPool, LightingPreference
from .moved_on import MotionMap
from .observation import Observation, Role, as_number, plausible
from .occupancy import OccupancyModel
from .saved import check_version, from_iso, to_iso
from .thermal import ThermalModel, ThermalResponse
from .timefeatures import clock_put_back, wall_clock
from .units import CELSIUS, TemperatureScale

ZONE_VERSION = 1
BRAIN_VERSION = 1

# Window inference without a contact: a fall of this many °C per 20 minutes while
# it is at least this much colder outside.
WINDOW_OPEN_FALL = 0.5
WINDOW_OPEN_GAP = 5.0
# A fall the cooling made shows in that slope for up to about an hour after the
# cooling stops (a room cooled 2 K in 20 minutes): no window is inferred from it.
COOLING_FALL_MEMORY = timedelta(hours=1)

# Occupancy features that tell the forecast more than the zone's state does:
# recent activity, and everyone being away.
_FORECAST_EVIDENCE = ("motion_30min", "door_30min", "media_30min", "nobody_home_now")

# How each role is named in the x dicts of the thermal and lighting models.
_THERMAL_KEYS = {
    Role.TEMPERATURE: "temperature",
    Role.OUTDOOR_TEMPERATURE: "outdoor_temperature",
    Role.HVAC_ACTION: "hvac_action",
}
_LIGHT_KEYS = {
    Role.LIGHT_ON: "light_on",
    Role.LIGHT_BRIGHTNESS: "light_brightness",
    Role.LIGHT_COLOR_TEMP: "light_color_temp",
    Role.ILLUMINANCE: "illuminance",
}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _hvac_action(values: list[float]) -> float:
    """Heating while any thermostat heats, else cooling while any cools."""
    return 1.0 if max(values) > 0.0 else -1.0 if min(values) < 0.0 else 0.0


# Roles a room may have several sensors of, and how the room's reading follows
# from theirs: a switch between two sensors that differ is no change of the room.
_ROOM_READINGS: dict[Role, Callable[[list[float]], float]] = {
    Role.TEMPERATURE: _mean,
    Role.HUMIDITY: _mean,
    Role.CO2: _mean,
    Role.ILLUMINANCE: _mean,
    Role.SOUND: _mean,
    Role.POWER: sum,
    Role.HVAC_ACTION: _hvac_action,  # two radiators, one heating: the room heats
    Role.WINDOW: max,  # open while any of its windows is
    Role.OUTDOOR_TEMPERATURE: _mean,  # one source; its last reading must not outlive it
}
# A sensor silent this long has died or gone: its last reading no longer counts.
# Not a window contact: it reports only when opened or shut.
READING_LIFETIME = timedelta(hours=24)
# Sensors of a role a room is read from: beyond them, the one heard from least
# recently is dropped (sensors renamed again and again must not grow the state).
MAX_ROOM_SENSORS = 32


# The models look up to a week and a day ahead and read times in other zones'
# clocks: a time this close to either end of the calendar (a broken clock's) is
# none they can work with.
_CALENDAR_MARGIN = timedelta(days=30)
_EARLIEST = datetime.min + _CALENDAR_MARGIN
_LATEST = datetime.max - _CALENDAR_MARGIN


def _core_time(when: object) -> datetime | None:
    """Return :func:`wall_clock` of ``when``, or None for no usable time."""
    if not isinstance(when, datetime):
        return None
    if not _EARLIEST <= when.replace(tzinfo=None) <= _LATEST:
        return None
    return wall_clock(when)


def _query_time(when: datetime) -> datetime:
    """Return :func:`wall_clock` of a time asked about, kept within the calendar."""
    core = _core_time(when)
    if core is not None:
        return core
    return _EARLIEST if when.replace(tzinfo=None) < _EARLIEST else _LATEST


@dataclass(frozen=True, slots=True)
class EarlyArrival:
    """An arrival told from further ahead than the next arrival, for slow rooms."""

    when: datetime
    confidence: float
    # The heating comfort of its hour, with people there (None: not known, as
    # for another room's arrival: now's comfort stands).
    heating_setpoint: float | None


@dataclass(frozen=True, slots=True)
class ZonePrediction:
    """Everything the zone's models say at one moment."""

    when: datetime
    occupancy_probability: float
    occupied: bool
    forecast: dict[str, float]
    next_arrival: datetime | None
    arrival_confidence: float
    next_departure: datetime | None
    departure_confidence: float
    comfort_setpoint: float
    comfort_setpoint_std: float
    # Until the zone is within its comfort, up to the heating comfort or down to
    # the cooling one (zero: it is; None: not known).
    time_to_temperature: timedelta | None
    lighting: dict[str, Any]
    window_open: bool | None
    anomalies: tuple[Anomaly, ...] = field(default=())
    reasons: dict[str, str] = field(default_factory=dict)
    accuracy: float | None = None
    calibration_error: float | None = None
    # The comfort of each season in these conditions, whichever season it is now:
    # a heater acts on the heating one even on a warm day (None: comfort_setpoint).
    heating_setpoint: float | None = None
    cooling_setpoint: float | None = None
    # The heating comfort of the next arrival's hour, with people there: what
    # pre-heating warms to (None: no arrival ahead).
    arrival_heating_setpoint: float | None = None
    # The heating comfort of the hour the people who sleep here usually get up,
    # where the thermostat's engine told it (ZoneBrain.predict_one's ``waking``):
    # what warming for getting up warms to (None: now's comfort stands).
    waking_heating_setpoint: float | None = None
    # Where no next arrival is told from alike moments within two hours, one told
    # from up to four (see OccupancyForecast.early_arrival); None otherwise.
    early_arrival: EarlyArrival | None = None
    # How the zone heats and cools: the time to any temperature, not only to the
    # comfort (None: not known, nothing is timed).
    thermal: ThermalResponse | None = None
    # Whether the heating's rate was measured, not still mostly its prior: only a
    # measured one limits how far an empty zone is set back.
    heating_learned: bool = True
    # Since when everyone is away, where that has gone on far longer than usual
    # (a trip: nobody comes back at the usual time); None otherwise.
    trip_since: datetime | None = None
    # Since when everyone is away (their phones say so) with nobody seen here.
    away_since: datetime | None = None
    # The temperature (°C) time_to_temperature counts to; None where it is zero
    # or not known.
    time_to_temperature_target: float | None = None

    @property
    def early_first(self) -> EarlyArrival | None:
        """Return the early arrival where it comes before the next one, else None."""
        early = self.early_arrival
        if early is not None and (
            self.next_arrival is None or early.when < self.next_arrival
        ):
            return early
        return None

    @property
    def arrival_shown(self) -> tuple[datetime | None, float]:
        """Return the arrival to show, and its confidence: the next, or an early one.

        At 04:00 the bathroom's 07:00 visit is told early only: shown, rather
        than a later arrival or none, as slow rooms warm for it.
        """
        early = self.early_first
        if early is not None:
            return early.when, early.confidence
        return self.next_arrival, self.arrival_confidence

    @property
    def anomaly_reason(self) -> str | None:
        """Say what is unusual, each anomaly's reason in turn (None: nothing)."""
        return "; ".join(anomaly.reason for anomaly in self.anomalies) or None

    def with_comfort_offset(self, offset: float) -> ZonePrediction:
        """Return the prediction with every comfort setpoint moved by ``offset`` K."""
        heating, cooling = self.heating_setpoint, self.cooling_setpoint
        arriving, early = self.arrival_heating_setpoint, self.early_arrival
        waking = self.waking_heating_setpoint
        return replace(
            self,
            comfort_setpoint=self.comfort_setpoint + offset,
            heating_setpoint=None if heating is None else heating + offset,
            cooling_setpoint=None if cooling is None else cooling + offset,
            arrival_heating_setpoint=None if arriving is None else arriving + offset,
            waking_heating_setpoint=None if waking is None else waking + offset,
            early_arrival=early
            if early is None or early.heating_setpoint is None
            else replace(early, heating_setpoint=early.heating_setpoint + offset),
        )


class Scorecard:
    """How well P(occupied) agrees with the moments the zone labels itself.

    Without ground truth the honest test is the zone's own clear evidence (fresh
    motion, long quiet): the probability given *before* learning from such a
    moment is scored against it. Recent moments count most (about the last
    ``window`` labelled ones): accuracy, and the expected calibration error over
    ten probability bins.

    >>> score = Scorecard()
    >>> score.learn_one(0.9, True)
    >>> score.learn_one(0.2, True)
    >>> round(score.accuracy, 2)
    0.5

    """

    BINS = 10

    def __init__(self, window: float = 5000.0) -> None:
        """Start with nothing scored."""
        self.decay = 1.0 - 1.0 / window
        self.weight = 0.0
        self.correct = 0.0
        # Per bin: weight, sum of probabilities, sum of labels.
        self.bins = [[0.0, 0.0, 0.0] for _ in range(self.BINS)]

    def learn_one(self, probability: float, label: bool) -> None:
        """Score one probability against its label."""
        decay = self.decay
        self.weight = self.weight * decay + 1.0
        self.correct = self.correct * decay + float((probability >= 0.5) == label)
        index = min(int(probability * self.BINS), self.BINS - 1)
        for number, row in enumerate(self.bins):
            row[0] *= decay
            row[1] *= decay
            row[2] *= decay
            if number == index:
                row[0] += 1.0
                row[1] += probability
                row[2] += float(label)

    @property
    def accuracy(self) -> float | None:
        """Share of labelled moments called right, or None before the first."""
        return self.correct / self.weight if self.weight else None

    @property
    def calibration_error(self) -> float | None:
        """Mean gap between stated and observed occupancy rates, weighted by bin."""
        if not self.weight:
            return None
        gap = sum(abs(row[1] - row[2]) for row in self.bins)
        return gap / self.weight

    def to_list(self) -> list[Any]:
        """Return the state as JSON-compatible data."""
        return [self.decay, self.weight, self.correct, [list(r) for r in self.bins]]

    @classmethod
    def from_list(cls, data: Any) -> Scorecard:
        """Restore from :meth:`to_list`; anything unreadable starts afresh."""
        score = cls()
        try:
            decay, weight, correct, bins = data
            rows = [[float(value) for value in row] for row in bins]
        except TypeError, ValueError:
            return score
        if len(rows) == cls.BINS and all(len(row) == 3 for row in rows):
            score.decay, score.weight = float(decay), float(weight)
            score.correct, score.bins = float(correct), rows
        return score


class ZoneBrain:
    """The learning models of one zone.

    Parameters
    ----------
    heating_default
        Comfort setpoint (°C) while heating, before people have shown theirs.
    cooling_default
        Comfort setpoint (°C) while cooling, before people have shown theirs.

    >>> from datetime import datetime
    >>> zone = ZoneBrain()
    >>> zone.learn_one(Observation(Role.MOTION, 1.0, datetime(2026, 1, 5, 9, 0)))
    >>> zone.tick(datetime(2026, 1, 5, 9, 1)) > 0.5
    True

    """

    def __init__(
        self, heating_default: float = 20.0, cooling_default: float = 24.0
    ) -> None:
        """Start a zone that knows nothing yet."""
        self.occupancy = OccupancyModel()
        self.forecast = OccupancyForecast()
        self.comfort = PreferredSetpoint(heating_default, cooling_default)
        self.season = Season(self.comfort.cooling_above)
        self.lighting = LightingPreference()
        self.thermal = ThermalModel()
        self.anomalies = AnomalyDetector()
        self.absences = Absences()
        self.score = Scorecard()
        self.latest: dict[Role, float] = {}
        # Per role of _ROOM_READINGS: each sensor's last reading and its time.
        self.readings: dict[Role, dict[str, tuple[float, datetime]]] = {}
        self.occupancy_probability = 0.0
        # When the HVAC last cooled here: the fall it left is no open window.
        self.cooled_at: datetime | None = None
        self.bad_values = 0

    # -- learning ----------------------------------------------------------------

    def learn_one(
        self, observation: Observation, *, comfort_offset: float = 0.0
    ) -> None:
        """Take one observation of the zone; bad ones are counted, never raised.

        A number outside the role's plausible range is a faulty sensor: only the
        anomaly detector sees it (to report it), the models do not learn from it.
        ``comfort_offset`` (K) is what the zone's thermostats are sent on top of
        its comfort: a person's setpoint teaches the comfort without it.
        """
        when = _core_time(observation.when)
        if observation.role == Role.SUN_ELEVATION:
            self._learn_sun(observation, when)
            return
        if observation.gone and when is not None:
            self._lose_source(observation.source, when)
            return
        value = plausible(observation.role, observation.value)
        if value is None or when is None:
            self.bad_values += 1
            number = as_number(observation.value)
            if number is not None and when is not None:
                self.anomalies.learn_one(
                    Observation(observation.role, number, when, observation.source)
                )
            return
        # A role given as its name ("temperature") is the role; saved, it must be.
        role = Role(observation.role)
        if (
            value != observation.value
            or when is not observation.when
            or role is not observation.role
        ):
            observation = replace(observation, role=role, value=value, when=when)
        reading = observation
        if role in _ROOM_READINGS:
            value = self._room_reading(role, observation.source, value, when)
            observation = replace(observation, value=value)
        # The anomaly checks follow each sensor as it reads, the HVAC as the room's.
        self.anomalies.learn_one(observation if role is Role.HVAC_ACTION else reading)
        self._note_cooling(role, when, value)
        self.latest[role] = value
        self.occupancy.observe(observation)
        if role is Role.LIGHT_ON:
            # One lamp of two switched off is not the room going dark.
            value = self.occupancy.builder.state_of(role) or value
        self._learn_thermal(role, when, value)
        if role in (Role.HVAC_ACTION, Role.OUTDOOR_TEMPERATURE):
            self.season.learn_one(when, {role.value: value})
        if role in (Role.MOTION, Role.DOOR, Role.CO2, Role.POWER):
            self._learn_exits(role, when, value, observation.source)
        if role in _LIGHT_KEYS:
            self.lighting.learn_one(
                when,
                {_LIGHT_KEYS[role]: value},
                manual=observation.manual,
                source=observation.source,
            )
        if role in (Role.NOBODY_HOME, Role.MOTION, Role.PRESENCE):
            self._learn_absence(role, when, value)
        if role is Role.HVAC_SETPOINT and observation.manual:
            self._learn_comfort(observation, when, value, comfort_offset)

    def _learn_comfort(
        self, observation: Observation, when: datetime, value: float, offset: float
    ) -> None:
        """Learn a person's setpoint as the comfort of the way they set it.

        Set to cool, it is what they want when cooling, whatever the season: on a
        spring afternoon cooled after a morning's heating, no heating comfort.
        """
        # Labels say how occupied the zone was as people set it; the comfort is
        # told at the occupancy usual at them (see predict_one).
        conditions = {
            **self._comfort_conditions(when),
            "occupied": self.occupancy_probability,
        }
        if observation.cooling is not None:
            conditions["hvac_mode"] = -1.0 if observation.cooling else 1.0
        self.comfort.learn_one(when, conditions, value, offset=offset)

    def _note_cooling(self, role: Role, when: datetime, value: float) -> None:
        """Note when the HVAC cools, and when it stops: the fall it leaves lingers."""
        if role is Role.HVAC_ACTION and min(value, self.latest.get(role, 0.0)) < 0.0:
            self.cooled_at = when

    def _learn_sun(self, observation: Observation, when: datetime | None) -> None:
        """Take the sun's elevation: no sensor of the room, nor a sign of people.

        Only the room's light heeds it, where no light sensor reads. Gone (the sun
        integration removed), it leaves no daylight to go by.
        """
        role = Role.SUN_ELEVATION
        if observation.gone:
            self.latest.pop(role, None)
            self.lighting.sun.elevation = None
            return
        value = plausible(role, observation.value)
        if value is None or when is None:
            self.bad_values += 1
            return
        self.latest[role] = value
        self.lighting.learn_one(when, {role.value: value})

    def _learn_thermal(self, role: Role, when: datetime, value: float) -> None:
        """Teach the thermal model; no span is measured across an open window.

        An airing's cold draught is no part of how the room heats or keeps its
        heat: learned, a room aired twice a day while its radiator heated came to
        take a day to warm. Nor is a span measured while the room's thermostats
        are all unavailable: the last one's "heating" would be learned for days.
        """
        if role in _THERMAL_KEYS:
            readings = {_THERMAL_KEYS[role]: value}
            action = self.latest.get(Role.HVAC_ACTION)
            if action is not None and round(action) != self.thermal.action:
                # A radiator that heated went unavailable: the others' action.
                readings["hvac_action"] = action
            self.thermal.learn_one(when, readings)
        # Nor while no thermostat says whether it heats: all went unavailable.
        action_unknown = self.readings.get(Role.HVAC_ACTION) == {}
        if self.latest.get(Role.WINDOW, 0.0) >= 0.5 or action_unknown:
            self.thermal.interrupt()

    def _learn_exits(
        self, role: Role, when: datetime, value: float, source: str | None
    ) -> None:
        """Tell the light's exit watch of a motion, door, CO2 or power change.

        A door the watch took as opening (not a sensor reading open again) is
        told to the light too: it may have let in whoever switched it back on
        just now.
        """
        exits = self.lighting.exits
        occupancy = self.occupancy
        exits.learn_one(
            when,
            role,
            value,
            source,
            fresh_air=occupancy.builder.co2_baseline,
            air_changes=occupancy.air_changes_per_hour,
        )
        if role is Role.DOOR and exits.door_opened == when:
            self.lighting.door_opened(when)

    def _learn_absence(self, role: Role, when: datetime, value: float) -> None:
        """Follow everyone's absence, and whether someone is seen here meanwhile."""
        if role is Role.NOBODY_HOME:
            self.absences.learn_one(when, value >= 0.5)
        elif value >= 0.5:  # someone moving, or placed here by their tracker
            self.absences.learn_seen(when)

    def heard(self, role: Role, source: str, when: datetime) -> None:
        """Note that ``source`` read for ``role`` at ``when`` what it read before.

        A sensor that reads the same for a day is no dead one: Home Assistant
        reports such a reading without a change, and it still counts for the room.
        """
        readings = self.readings.get(role, {})
        moment = _core_time(when)
        if moment is not None and source in readings:
            value, seen = readings[source]
            readings[source] = (value, max(seen, moment))
            # The room still reads what it did: its level holds, not goes stale.
            room = self.latest.get(role)
            if room is not None:
                self.occupancy.builder.heard(role, room, moment)

    def _room_reading(
        self, role: Role, source: str, value: float, when: datetime
    ) -> float:
        """Return the room's reading of ``role`` after ``source`` read ``value``."""
        readings = self.readings.setdefault(role, {})
        joins = source not in readings
        readings[source] = (value, when)
        if len(readings) > MAX_ROOM_SENSORS:
            others = (name for name in readings if name != source)
            del readings[min(others, key=lambda name: readings[name][1])]
        room = value
        if len(readings) > 1:
            if role is not Role.WINDOW:
                for gone in [
                    s
                    for s, (_, seen) in readings.items()
                    if when - seen > READING_LIFETIME
                ]:
                    del readings[gone]
            room = _ROOM_READINGS[role]([reading for reading, _ in readings.values()])
        if joins:
            self._recomposed(role, room)
        return room

    def _forget_readings(
        self, gone: Collection[str], roles: Collection[Role] | None = None
    ) -> None:
        """Drop what the sensors ``gone`` read; the room reads what the rest do.

        Of ``roles`` only, where given.

        With none left, the room's reading is not known: a dead thermometer's last
        temperature would time the heating days later, as would an outdoor source's
        last reading (which the heating model would also learn from), and a dead
        light sensor's bright afternoon would keep the lamps off at night.
        """
        for role, readings in self.readings.items():
            lost = readings.keys() & gone
            if not lost or (roles is not None and role not in roles):
                continue
            for source in lost:
                del readings[source]
            if readings:
                values = [reading for reading, _ in readings.values()]
                self.latest[role] = _ROOM_READINGS[role](values)
                self._recomposed(role, self.latest[role])
            else:
                self.latest.pop(role, None)
                self.occupancy.builder.lose_level(role)
                if role is Role.OUTDOOR_TEMPERATURE:
                    self.thermal.lose_outdoor()
                if role is Role.ILLUMINANCE:
                    self.lighting.illuminance = None

    def _recomposed(self, role: Role, value: float) -> None:
        """Take ``value`` as the room's ``role`` now that a sensor joined or left it.

        Sensors of a room differ (one by the window, a thermostat by its
        radiator): the step is no change of the air, and taken for one a
        thermometer added, replaced or back from unavailable would read as a
        window opened, or a heating span as the room cooling while it heated.
        """
        self.occupancy.builder.rebase(role, value)
        if role is Role.TEMPERATURE:
            self.thermal.interrupt()

    def _lose_source(self, source: str, when: datetime) -> None:
        """Forget what ``source`` said last: it stopped reading.

        The exit watch keeps a motion sensor (on stays on there): a door opened
        meanwhile is no exit of someone that sensor might still see; the other
        zones no longer take it for someone moving here. A CO2 sensor's air it
        forgets: it no longer tells how the air goes.
        """
        self.occupancy.builder.lose_source(source, when)
        self.lighting.exits.sensor_lost(source)
        self._lamps_gone()
        self.anomalies.lose_source(source, when)
        self._forget_readings({source})

    def _lamps_gone(self) -> None:
        """Take the room's lamps as off when the last one on stopped reading or left.

        A bulb cut at the wall reads unavailable: its light is gone, and counting
        it would read the daylight as dark. Nothing tells a cut from a bulb off the
        network, so this teaches the lighting model nothing.
        """
        if (
            self.lighting.light_on
            and self.occupancy.builder.state_of(Role.LIGHT_ON) == 0.0
        ):
            self.lighting.light_on = False

    def tick(self, when: datetime) -> float:
        """Run the zone's self-supervised step at ``when``; return P(occupied)."""
        when = _query_time(when)
        label = self.occupancy.self_label(self.occupancy.features(when))
        self.occupancy_probability = self.occupancy.update(when)
        self.thermal.note_occupied(self.occupancy_probability)
        if label is not None:
            self.score.learn_one(self.occupancy_probability, label)
        self.forecast.learn_one(
            when, self.occupancy_probability >= 0.5, self._forecast_evidence(when)
        )
        return self.occupancy_probability

    # -- predicting --------------------------------------------------------------

    def predict_one(
        self,
        when: datetime,
        *,
        can_heat: bool = True,
        can_cool: bool = True,
        scale: TemperatureScale = CELSIUS,
        comfort_offset: float = 0.0,
        sun_elevation: float | None = None,
        waking: datetime | None = None,
    ) -> ZonePrediction:
        """Return what the zone's models say at ``when`` (nothing is learned).

        ``can_heat`` and ``can_cool`` tell whether the zone's thermostats can go
        that way; the time to temperature only times a way they can, to the
        comfort moved by ``comfort_offset`` (K), as the thermostats are sent it.
        The reasons write temperatures on ``scale``; the numbers stay °C. Those of
        anomalies and absences say times as the clocks of an aware ``when``'s zone
        show them. ``sun_elevation`` (°, at ``when``) colours the light; where it
        is not known, the last one seen, or the clock. ``waking`` is when the
        people who sleep here usually get up, where a thermostat warms for it:
        that hour's comfort is told too.
        """
        zone = when.tzinfo
        when = _query_time(when)
        features = self.occupancy.features(when)
        probability = self.occupancy.predict_proba_one(features)[True]
        evidence = self._forecast_evidence(when)
        trip_since = self.absences.predict_one(when)
        arrival, arrival_confidence = self.forecast.next_arrival(when)
        forecast = self.forecast.predict_one(when, evidence)
        if trip_since is not None and not self.forecast.occupied:
            # Nobody comes back at the usual time; when they will is not known,
            # so the usual week says nothing and the present is all there is.
            arrival, arrival_confidence = None, 0.0
            forecast = {name: min(p, probability) for name, p in forecast.items()}
            forecast_reason = (
                f"In 1h: {forecast['1h']:.0%} occupied, as now: everyone is away"
                " on a trip, nobody is expected back at the usual time."
            )
        else:
            forecast_reason = self.forecast.explain(when, x=evidence)
        departure, departure_confidence = self.forecast.next_departure(when)
        # The comfort is what people want as they set it, empty room or not: no
        # occupancy given, it is told at the occupancy usual at their changes.
        # Setbacks are taken from it, and an empty room's would follow the
        # occupancy effect far from any label (a meeting room's labels, all made
        # in meetings, put it 2.7 K lower empty: pre-cooled to 19 °C for people
        # who want 21.5 °C).
        conditions = self._comfort_conditions(when)
        setpoint = self.comfort.predict_one(when, conditions)
        heating = self.comfort.predict_one(when, {**conditions, "hvac_mode": 1.0})
        cooling = self.comfort.predict_one(when, {**conditions, "hvac_mode": -1.0})
        # Pre-heating warms for the hour people come in (19 °C on waking).
        arriving = {**conditions, "hvac_mode": 1.0}
        arrival_heating = None
        if arrival is not None and arrival > when:
            arrival_heating = self.comfort.predict_one(arrival, arriving)
        waking_heating = None
        if waking is not None:
            waking_heating = self.comfort.predict_one(_query_time(waking), arriving)
        early = None
        told = None if trip_since is not None else self.forecast.early_arrival(when)
        if told is not None:
            early_when, early_confidence = told
            early = EarlyArrival(
                early_when,
                early_confidence,
                self.comfort.predict_one(early_when, arriving),
            )
        thermal = self.thermal.response()
        # Seen by a contact or by the room's fall: either way the window, not
        # the heating, sets the room's course, and no heating fault is told.
        window_open = self._window_open(when)
        anomalies = tuple(
            self.anomalies.predict_one(
                when, scale, zone=zone, window_open=bool(window_open)
            )
        )
        time_to_temperature, target = self._time_to_comfort(
            thermal,
            heating + comfort_offset if can_heat else None,
            cooling + comfort_offset if can_cool else None,
            probability,
        )
        return ZonePrediction(
            when=when,
            occupancy_probability=probability,
            occupied=probability >= 0.5,
            forecast=forecast,
            next_arrival=arrival,
            arrival_confidence=arrival_confidence,
            next_departure=departure,
            departure_confidence=departure_confidence,
            comfort_setpoint=setpoint,
            comfort_setpoint_std=self.comfort.predict_std_one(when, conditions),
            time_to_temperature=time_to_temperature,
            time_to_temperature_target=target,
            lighting=self._lighting(when, sun_elevation),
            window_open=window_open,
            anomalies=anomalies,
            reasons={
                "occupancy": self.occupancy.explain(features),
                "forecast": forecast_reason,
                "comfort": self.comfort.explain(when, conditions, scale),
                "lighting": self.lighting.explain(
                    when, self._light_conditions(sun_elevation)
                ),
                "thermal": self.thermal.explain(scale),
                "anomaly": self.anomalies.words(anomalies),
                "absence": self.absences.explain(when, zone),
            },
            accuracy=self.score.accuracy,
            calibration_error=self.score.calibration_error,
            heating_setpoint=heating,
            cooling_setpoint=cooling,
            arrival_heating_setpoint=arrival_heating,
            waking_heating_setpoint=waking_heating,
            early_arrival=early,
            thermal=thermal,
            heating_learned=self.thermal.heating_learned,
            trip_since=trip_since,
            away_since=self.absences.away_now(),
        )

    def keep_sources(
        self,
        sources: Collection[str],
        not_thermometers: Collection[str] = (),
        roles: Mapping[str, Collection[Role]] | None = None,
    ) -> None:
        """Forget the sensors not in ``sources``: they left the zone.

        ``not_thermometers`` are thermostats whose own temperature the zone no
        longer takes (a room sensor reads it now): their last one is forgotten
        too, or the room would read its mean with it, frozen there for a day.
        ``roles``, by sensor, are what each reads now: what one read as another
        kind is forgotten too (a contact shown as a door since, left "open" as a
        window, would keep the room aired for good).
        """
        self.occupancy.builder.keep_sources(sources)
        self._lamps_gone()
        self._forget_readings(
            {s for readings in self.readings.values() for s in readings} - set(sources)
        )
        self._forget_readings(not_thermometers, (Role.TEMPERATURE,))
        now_read = roles or {}
        for role, readings in list(self.readings.items()):
            other = {s for s in readings if s in now_read and role not in now_read[s]}
            self._forget_readings(other, (role,))
            self.anomalies.forget_readings(other, role)
        self.lighting.exits.keep_sensors(sources)
        self.lighting.keep_lamps(sources)
        self.anomalies.keep_sources(sources)
        self.anomalies.forget_readings(not_thermometers, Role.TEMPERATURE)

    def rename_source(self, old: str, new: str) -> None:
        """Carry what was learned of sensor ``old`` to ``new``, its entity id renamed.

        It is the same sensor: how long it usually stays flat (all of a calm
        night), its peers' usual gap, its motion hold, its reading and a lamp's
        levels stay its own.
        """
        for readings in self.readings.values():
            if old in readings and new not in readings:
                readings[new] = readings.pop(old)
        self.occupancy.builder.rename_source(old, new)
        self.lighting.exits.rename_sensor(old, new)
        self.lighting.rename_lamp(old, new)
        self.anomalies.rename_source(old, new)

    def with_exit(self, prediction: ZonePrediction, when: datetime) -> ZonePrediction:
        """Return ``prediction`` with the signs of people gone or still in, as at ``when``.

        A full prediction may be minutes old; an exit is a moment's news.
        """
        lighting = {**prediction.lighting, **self._still_in(_query_time(when))}
        return replace(prediction, lighting=lighting)

    def with_light(
        self,
        prediction: ZonePrediction,
        when: datetime,
        sun_elevation: float | None = None,
    ) -> ZonePrediction:
        """Return ``prediction`` with the light wanted at ``when`` and the exit, as now.

        A full prediction may be minutes old; the blinds that came down a moment
        before someone walked in are a moment's news, as is an exit. The sun at
        ``sun_elevation`` (°) colours the light, as in :meth:`predict_one`.
        """
        lighting = self._lighting(_query_time(when), sun_elevation)
        return replace(prediction, lighting=lighting)

    def _lighting(self, when: datetime, sun_elevation: float | None) -> dict[str, Any]:
        return {
            **self.lighting.predict_one(when, self._light_conditions(sun_elevation)),
            **self._still_in(when),
        }

    def _still_in(self, when: datetime) -> dict[str, Any]:
        """Return the moment's signs of people gone or still in, unseen.

        The exit the door rule waits for and how long it waits (as the air and
        the power went behind that exit), when people moved on to another zone
        and how long to wait after that (and when the motion sensors here last
        changed: a hand on the light since is someone here), how long motion
        alone waits where people under the light move again soon, whether the
        door was shut behind someone who came in and did not move since, whether CO2
        rises as only people breathing there make it (someone stayed behind,
        sitting still; not while the air falls behind the exit) and whether
        humidity rises as only a shower makes it (someone behind the curtain).
        """
        builder = self.occupancy.builder
        exits = self.lighting.exits
        return {
            "exit_door": exits.exit_door(),
            "door_delay": exits.door_wait(),
            "moved_on": exits.moved_on_at(when),
            "moved_on_delay": exits.moved_on_wait(),
            "quiet_floor": exits.quiet_wait(),
            "shut_in": exits.shut_behind(when),
            "motion_cleared": exits.motion_seen,
            "co2_rising": builder.co2_rising(when) and not exits.air_falling(),
            "steam_rising": builder.steam_rising(when),
        }

    def _light_conditions(self, sun_elevation: float | None) -> dict[str, float]:
        conditions: dict[str, float] = {}
        if Role.ILLUMINANCE in self.latest:
            conditions[Role.ILLUMINANCE.value] = self.latest[Role.ILLUMINANCE]
        if sun_elevation is not None:
            conditions[Role.SUN_ELEVATION.value] = sun_elevation
        return conditions

    def _comfort_conditions(self, when: datetime) -> dict[str, float]:
        """Return the season and the weather the comfort is learned and told in."""
        conditions: dict[str, float] = {}
        season = self.season.predict_one(when)
        if season is not None:
            conditions["hvac_mode"] = season
        if Role.OUTDOOR_TEMPERATURE in self.latest:
            # The weather of the last two days, as people's comfort follows what
            # they have lived in, not the hour's: that rises and falls with each
            # day as the hour's own profile does, and would teach a kitchen set
            # warmer on cool mornings than on warm afternoons that warm weather
            # wants a cooler room.
            outdoor = self.season.outdoor.read(when)
            if outdoor is not None:
                conditions["outdoor_temperature"] = outdoor
        return conditions

    def _forecast_evidence(self, when: datetime) -> dict[str, float]:
        features = self.occupancy.features(when)
        return {name: features[name] for name in _FORECAST_EVIDENCE if name in features}

    def _time_to_comfort(
        self,
        thermal: ThermalResponse,
        heating: float | None,
        cooling: float | None,
        occupied: float,
    ) -> tuple[timedelta | None, float | None]:
        """Return how long until the zone is comfortable (zero: it is), and to what.

        ``occupied`` is the prediction's P(occupied): people there warm it too.

        Up to the heating comfort when colder, down to the cooling one when warmer:
        a cold summer morning is not timed to the summer's comfort. A way the
        thermostats cannot go (None) has nothing to wait for: a heater's room is
        as comfortable as it can make it once it is warm enough. Neither way:
        None, no time is told.
        """
        current = self.latest.get(Role.TEMPERATURE)
        if current is None or (heating is None and cooling is None):
            return None, None  # nothing here heats or cools: it gets nowhere
        if heating is not None and current < heating:
            target = heating
        elif cooling is not None and current > cooling:
            target = cooling
        else:
            return timedelta(0), None  # no outdoor reading needed to know that
        outdoor = self.latest.get(Role.OUTDOOR_TEMPERATURE)
        time = None
        if outdoor is not None:
            time = thermal.time_to(current, target, outdoor, occupied=occupied)
        return time, None if time is None else target

    def _window_open(self, when: datetime) -> bool | None:
        window = self.latest.get(Role.WINDOW)
        if window is not None:
            return window >= 0.5
        # No contact reading: a quick fall towards a much colder outside, with no
        # cooling running or just stopped, is what an open window looks like.
        indoor = self.latest.get(Role.TEMPERATURE)
        outdoor = self.latest.get(Role.OUTDOOR_TEMPERATURE)
        if indoor is None or outdoor is None:
            return None
        # The builder's: the occupancy model's features leave an airing's out.
        slope = self.occupancy.builder.temperature_slope(when)  # °C per 20 minutes
        if slope is None:
            return None
        cooled = self.cooled_at
        cooling = self.latest.get(Role.HVAC_ACTION, 0.0) < 0.0 or (
            cooled is not None
            and not clock_put_back(when, cooled)  # cooled before: long ago
            and when - cooled < COOLING_FALL_MEMORY
        )
        return (
            slope <= -WINDOW_OPEN_FALL
            and indoor - outdoor >= WINDOW_OPEN_GAP
            and not cooling
        )

    # -- state -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the zone's whole state as versioned JSON-compatible data."""
        return {
            "version": ZONE_VERSION,
            "occupancy": self.occupancy.to_dict(),
            "forecast": self.forecast.to_dict(),
            "comfort": self.comfort.to_dict(),
            "season": self.season.to_dict(),
            "lighting": self.lighting.to_dict(),
            "thermal": self.thermal.to_dict(),
            "anomalies": self.anomalies.to_dict(),
            "absences": self.absences.to_dict(),
            "score": self.score.to_list(),
            "latest": {role.value: value for role, value in self.latest.items()},
            "readings": {
                role.value: {
                    source: [value, seen.isoformat()]
                    for source, (value, seen) in readings.items()
                }
                for role, readings in self.readings.items()
            },
            "occupancy_probability": self.occupancy_probability,
            "cooled_at": to_iso(self.cooled_at),
            "bad_values": self.bad_values,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ZoneBrain:
        """Restore a zone saved by :meth:`to_dict`; ValueError if it is unreadable."""
        check_version(data, "zone", ZONE_VERSION)
        zone = cls.__new__(cls)
        try:
            zone.occupancy = OccupancyModel.from_dict(data["occupancy"])
            zone.forecast = OccupancyForecast.from_dict(data["forecast"])
            zone.comfort = PreferredSetpoint.from_dict(data["comfort"])
            # Saved before seasons were kept: it is learned again from the HVAC.
            zone.season = (
                Season.from_dict(data["season"])
                if "season" in data
                else Season(zone.comfort.cooling_above)
            )
            zone.lighting = LightingPreference.from_dict(data["lighting"])
            zone.thermal = ThermalModel.from_dict(data["thermal"])
            zone.anomalies = AnomalyDetector.from_dict(data["anomalies"])
            # Saved before absences were learned: learned from the next one on.
            zone.absences = (
                Absences.from_dict(data["absences"])
                if "absences" in data
                else Absences()
            )
            zone.score = Scorecard.from_list(data.get("score"))
            zone.latest = {Role(role): float(v) for role, v in data["latest"].items()}
            # Absent when saved before sensors were told apart: read afresh.
            zone.readings = {
                Role(role): {
                    str(source): (float(value), datetime.fromisoformat(seen))
                    for source, (value, seen) in readings.items()
                }
                for role, readings in data.get("readings", {}).items()
            }
            zone.occupancy_probability = float(data["occupancy_probability"])
            # Absent when saved before: as if it had not cooled lately.
            zone.cooled_at = from_iso(data.get("cooled_at"))
            zone.bad_values = int(data["bad_values"])
        except (KeyError, TypeError, AttributeError, OverflowError) as err:
            msg = f"corrupt zone state: {err!r}"
            raise ValueError(msg) from err
        return zone

    @classmethod
    def with_lessons_of(
        cls,
        data: object,
        heating_default: float = 20.0,
        cooling_default: float = 24.0,
    ) -> ZoneBrain:
        """Return a fresh zone with what people taught a saved one, where readable.

        For a zone whose saved state cannot be read whole: as
        :meth:`Brain.restart_zone`, people's setpoints and light preferences are
        kept, since history cannot teach them again.
        """
        zone = cls(heating_default, cooling_default)
        saved = data if isinstance(data, Mapping) else {}
        unreadable = (KeyError, TypeError, ValueError, AttributeError, OverflowError)
        with suppress(*unreadable):
            zone.comfort = PreferredSetpoint.from_dict(saved["comfort"])
        with suppress(*unreadable):
            lighting = LightingPreference.from_dict(saved["lighting"])
            zone.lighting.keep_lessons_of(lighting)
        return zone

    def state_bytes(self) -> int:
        """Size of the zone's saved state as compact JSON, in bytes."""
        return len(json.dumps(self.to_dict(), separators=(",", ":")))


class Brain:
    """The zones of one building, saved and restored together.

    Parameters
    ----------
    heating_default
        Comfort setpoint (°C) while heating for zones that learn nothing yet.
    cooling_default
        Comfort setpoint (°C) while cooling for zones that learn nothing yet.
    setpoint_bounds
        The lowest and highest setpoints (°C) the controller may set: one a
        person sets outside them teaches no comfort (see ``PreferredSetpoint``).

    """

    def __init__(
        self,
        heating_default: float = 20.0,
        cooling_default: float = 24.0,
        setpoint_bounds: tuple[float, float] = (-math.inf, math.inf),
    ) -> None:
        """Start a building with no zones."""
        self.heating_default = heating_default
        self.cooling_default = cooling_default
        self.setpoint_bounds = setpoint_bounds
        self.zones: dict[str, ZoneBrain] = {}
        self.comfort_pool = ComfortPool()
        self.exit_pool = ExitPool()

    def zone(self, zone_id: str) -> ZoneBrain:
        """Return the zone's models, starting them if the zone is new."""
        if zone_id not in self.zones:
            self._add(zone_id, self.blank_zone())
        return self.zones[zone_id]

    def blank_zone(self) -> ZoneBrain:
        """Return a new zone of the building's defaults, not one of its zones."""
        zone = ZoneBrain(self.heating_default, self.cooling_default)
        zone.comfort.bounds = self.setpoint_bounds
        return zone

    def _add(self, zone_id: str, zone: ZoneBrain) -> None:
        self.zones[zone_id] = zone
        zone.comfort.bounds = self.setpoint_bounds
        zone.comfort.join(self.comfort_pool, zone_id)
        zone.lighting.exits.join(self.exit_pool, zone_id)

    def follow_motion(self, zone_ids: Iterable[str], *, apart: bool = False) -> None:
        """Follow ``zone_ids``' motion on the building's map, or ``apart`` on their own.

        Zones learning their history learn apart (together, as their history
        runs): their past beside the other zones' present would tell of people
        moving on who never did, and they learn in another thread.
        """
        board = MotionMap() if apart else self.exit_pool.motion
        for zone_id in zone_ids:
            if (zone := self.zones.get(zone_id)) is not None:
                zone.lighting.exits.moved_on.join(board, zone_id)

    def remove_zone(self, zone_id: str) -> None:
        """Forget a zone and everything learned about it."""
        self.zones.pop(zone_id, None)
        self.comfort_pool.remove(zone_id)
        self.exit_pool.remove(zone_id)

    def forget_comfort(self, zone_id: str) -> None:
        """Forget the setpoints people taught a zone; keep everything else.

        It starts again from the defaults and what people set in the other zones:
        a new tenant's office, not the last one's.
        """
        zone = self.zones.get(zone_id)
        if zone is None:
            return
        self.comfort_pool.remove(zone_id)
        zone.comfort = PreferredSetpoint(self.heating_default, self.cooling_default)
        self._add(zone_id, zone)

    def restart_zone(self, zone_id: str) -> ZoneBrain:
        """Start a zone afresh, keeping only what people taught it by hand.

        Their setpoints and light preferences come from their own changes, which
        recorded history cannot tell from ours: a replay could not teach them
        again. Everything sensors teach starts anew, to be learned from history.
        """
        old = self.zones.get(zone_id)
        self.remove_zone(zone_id)
        fresh = self.blank_zone()
        if old is not None:
            fresh.comfort = old.comfort
            fresh.lighting.keep_lessons_of(old.lighting)
        self._add(zone_id, fresh)
        return fresh

    def to_dict(self) -> dict[str, Any]:
        """Return every zone's state as one versioned JSON-compatible document."""
        return {
            "version": BRAIN_VERSION,
            "zones": {zone_id: zone.to_dict() for zone_id, zone in self.zones.items()},
        }

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        heating_default: float = 20.0,
        cooling_default: float = 24.0,
        setpoint_bounds: tuple[float, float] = (-math.inf, math.inf),
    ) -> tuple[Brain, list[str]]:
        """Restore a building; return it and the ids of zones that had to be reset.

        A zone reset keeps what people taught it, where that can be read.

        ValueError when the document itself is unreadable.
        """
        check_version(data, "brain", BRAIN_VERSION)
        zones = data.get("zones")
        if not isinstance(zones, Mapping):
            msg = "corrupt brain state: no zones"
            raise ValueError(msg)
        brain = cls(heating_default, cooling_default, setpoint_bounds)
        reset: list[str] = []
        for zone_id, zone_data in zones.items():
            try:
                zone = ZoneBrain.from_dict(zone_data)
            except ValueError:
                reset.append(str(zone_id))
                zone = ZoneBrain.with_lessons_of(
                    zone_data, heating_default, cooling_default
                )
            # The defaults may have changed in the options since it was saved.
            zone.comfort.rebase(heating_default, cooling_default)
            brain._add(str(zone_id), zone)
        return brain, reset
