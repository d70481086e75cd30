"""Occupancy now: a calibrated P(occupied) for one zone, learned online.

The model is an online logistic regression with per-feature adaptive step sizes
(AdaGrad) over the features of :mod:`.features`. Logistic loss keeps the probability
calibrated, the model is a few dozen floats, and each update is plain arithmetic.

Labels come from ground truth when there is one (benchmarks) and otherwise from the
zone itself (:meth:`OccupancyModel.self_label`): fresh motion, presence or media
playing is a positive example, and a quiet spell with CO2 falling towards fresh
air as an empty room's does (as fast as the zone's air changes, learnt) is a
negative one, as is a quiet zone while everyone's tracker says they are away.
Positives come far more often than negatives, so the two
classes are weighted to count alike. A confirmed quiet spell also labels, in hindsight,
the minutes after its last motion as empty (those whose CO2 already fell), and
is learnt once a quarter hour, not each minute, so that a long empty day does not
drown what the minutes after a departure look like. The environmental features learnt
from those moments are what carries P(occupied) through the unclear ones, such
as someone reading without moving while the CO2 stays up. A zone with no such
reading (a motion sensor beside a thermostat) has nothing to learn and keeps the
prior weights.
"""

from __future__ import annotations

from datetime import datetime
import math
from typing import Any

from .features import AIR_CHANGE_FEATURES, OccupancyFeatures, co2_ppm
from .observation import Observation, as_number
from .saved import check_version, from_iso, from_sum_of_squares, to_iso

OCCUPANCY_VERSION = 1

# What a zone knows before it has learnt anything: recent motion, presence and media
# mean someone is there, and an empty zone is the more common state. Learning moves
# these weights; they only make the first hours sensible.
PRIOR_WEIGHTS: dict[str, float] = {
    "motion_now": 2.0,
    "motion_5min": 3.0,
    "motion_30min": 1.0,
    "presence_now": 4.0,
    # Everyone away: fresh motion still outweighs it (a guest, a cleaner), but
    # the quiet minutes after it soon read as empty.
    "nobody_home_now": -3.0,
    "media_now": 2.0,
    "door_5min": 1.0,
    "co2_excess": 1.0,
}
PRIOR_BIAS = -2.0

# Words for the explanation, by feature name.
FEATURE_WORDS: dict[str, str] = {
    "motion_now": "motion sensor active",
    "motion_5min": "motion in the last minutes",
    "motion_30min": "motion in the last half hour",
    "door_now": "door open",
    "door_5min": "door used recently",
    "door_30min": "door used in the last half hour",
    "media_now": "media playing",
    "media_5min": "media played recently",
    "media_30min": "media played in the last half hour",
    "presence_now": "presence detected",
    "nobody_home_now": "everyone away",
    "light_on_now": "lights on",
    "co2_excess": "CO2 above fresh air",
    "co2_slope": "CO2 trend",
    "co2_trend": "CO2 half-hour trend",
    "light_level": "light level",
    "light_wiggle": "light flicker",
    "light_slope": "light change",
    "humidity_slope": "humidity trend",
    "humidity_trend": "humidity half-hour trend",
    "temperature_slope": "temperature trend",
    "sound_level": "sound level",
    "power_level": "power use",
    "power_slope": "power change",
    "hour_sin": "time of day",
    "hour_cos": "time of day",
}

# Self-supervision: how fresh motion must be to count as a positive label, and how
# stale to count as a negative one: 45 minutes when CO2 confirms it (falling, or
# back near fresh air), two hours when there is no CO2 sensor to ask.
FRESH_MOTION = math.exp(-1.0 / 5.0)  # motion_5min after one minute
QUIET_MOTION = math.exp(-45.0 / 30.0)  # motion_30min after 45 minutes
# CO2 falling over both the last minutes and the last half hour means the air is
# being breathed by fewer people than before; after 20 quiet minutes that is the
# plainest sign that the last one left, and learning it then (not an hour later)
# teaches the model what the minutes just after a departure look like.
SHORT_QUIET_MOTION = math.exp(-20.0 / 30.0)  # motion_30min after 20 minutes
LONG_QUIET_MOTION = math.exp(-120.0 / 30.0)  # motion_30min after two hours
# With everyone away, a zone quiet for ten minutes is empty (one never quiet is
# a pet's or an untracked person's: it gets no label).
AWAY_QUIET_MOTION = math.exp(-10.0 / 30.0)  # motion_30min after 10 minutes
CO2_FALLING = -0.1  # co2_trend, i.e. -0.5 ppm per minute
CO2_NEAR_FRESH_AIR = math.log1p(0.5)  # co2_excess of 50 ppm
# In a room just left, CO2 falls at the rate its air changes, in proportion to
# what is left above fresh air: 0.66-1.0 of it an hour in a family's simulated
# kids' room (homes change their air 0.2-1 times an hour). Where one of n people
# leaves, those left breathe on and it falls at most 1/n as fast, ever slower:
# one child asleep after the other got up, 0.08-0.25 of it an hour. So CO2 says
# a room is empty only while it falls at least half as fast as the room's air
# changes (a closed, airtight bedroom's 0.2-0.3 times an hour), but never need
# fall faster than 0.4 of it an hour: a rate learnt from a noisy sensor, or
# against fresh air read too high, reads fast. The rate is learnt as the
# fastest (the 90th percentile) the CO2 falls over the last minutes after 20
# quiet ones while it falls over the half hour, from at least 100 ppm above
# fresh air: people still there only slow it, and their air held steady says
# nothing of it. Until the room shows its own, 0.8 times an hour.
CO2_EMPTY_FALL_PER_HOUR = 0.4
USUAL_AIR_CHANGES_PER_HOUR = 0.8
AIR_CHANGE_QUANTILE = 0.9
AIR_CHANGE_STEP = 0.005  # per quiet minute: 1,000 minutes take it down 0.5
AIR_CHANGE_MIN_EXCESS = math.log1p(1.0)  # co2_excess of 100 ppm
AIR_CHANGE_BOUNDS = (0.05, 10.0)

# Hindsight: a silence that ends up confirmed empty was most likely empty from
# soon after the last motion. The environment at these minutes after it is kept
# and learnt as empty once the silence is confirmed, so the model learns what the
# minutes after a departure look like (CO2 still high, only starting to fall, a
# lamp left on) instead of only what a long-empty zone looks like. Any new
# motion ends the silence and drops what was kept.
HINDSIGHT_MINUTES = (10.0, 15.0, 20.0, 30.0)

# A long silence's minutes are all alike (the air settled, nobody there). Learnt
# each minute, an empty day outweighed the few hindsight minutes of its departure
# by hundreds to one: the model knew what a long-empty room looks like, not one
# just left, and a flat's living room read 85 % occupied an hour after its person
# left. Learnt once a quarter hour, the silence still teaches its course.
EMPTY_LABEL_MINUTES = 15.0

# Features that make self-labels; the model does not learn from them in that mode.
LABEL_EVIDENCE = ("motion_", "presence_", "media_", "door_", "nobody_home_")
# Readings of what people do to a room's air, light and sound. Without one of them a
# self-label teaches only the bias: with both classes weighing alike it drifts to
# even odds, and a room seen by a motion sensor alone (beside a thermostat or a
# lamp) read an empty night 52-67 % occupied after some weeks.
PEOPLE_TRACES = (
    "co2_",
    "humidity_",
    "light_level",
    "light_wiggle",
    "light_slope",
    "sound_",
    "power_",
)

MAX_WEIGHT = 50.0

# Self-labels are lopsided: every minute with fresh motion is a positive, while a
# negative needs a long, confirmed quiet spell, so a young model sees many times more
# positives than negatives and learns that "occupied" is the normal state of the
# zone. Each class therefore carries the same total weight: a label of the commoner
# class counts by the ratio of the two counts (which start from a few pseudo-labels
# each, so the first labels do not swing it).
LABEL_PSEUDO_COUNT = 10.0


def _sigmoid(score: float) -> float:
    if score >= 0.0:
        return 1.0 / (1.0 + math.exp(-score))
    exp = math.exp(score)
    return exp / (1.0 + exp)


class OccupancyModel:
    """Online, calibrated P(occupied) for one zone.

    Feed it every observation of the zone with :meth:`observe`, then either give it
    ground truth (``learn_one(features, occupied)``) or let it label itself
    (:meth:`update`). Bad values are ignored and counted in ``bad_values``.

    >>> from datetime import datetime
    >>> from .observation import Observation, Role
    >>> model = OccupancyModel()
    >>> now = datetime(2024, 1, 8, 9, 0)
    >>> model.observe(Observation(Role.MOTION, 1.0, now))
    >>> model.predict_one(model.features(now))
    True

    Parameters
    ----------
    learning_rate
        AdaGrad base step size.
    l2
        L2 penalty per update, which keeps weights of rare features modest.
    use_time_of_day
        Whether the hour of day is a feature. Off by default: the schedule belongs
        to the forecast, and a few days of it teach the detector habits that need
        not hold tomorrow.

    """

    def __init__(
        self,
        learning_rate: float = 1.0,
        l2: float = 1e-5,
        use_time_of_day: bool = False,
    ) -> None:
        """Start from the prior weights."""
        self.learning_rate = learning_rate
        self.l2 = l2
        self.use_time_of_day = use_time_of_day
        self.builder = OccupancyFeatures()
        self.weights: dict[str, float] = dict(PRIOR_WEIGHTS)
        self.bias = PRIOR_BIAS
        self.squared_gradients: dict[str, float] = {}
        self.bias_squared_gradient = 0.0
        self.labels_seen = 0
        self.self_labels = 0
        # Self-labels per class, for balancing: {False: negatives, True: positives}.
        self.label_counts: dict[bool, float] = {False: 0.0, True: 0.0}
        # The environment at HINDSIGHT_MINUTES into the current silence.
        self.silence: list[dict[str, float]] = []
        # When the current silence was last learnt as empty.
        self.empty_learnt_at: datetime | None = None
        # How many times an hour the zone's air changes (see above).
        self.air_changes_per_hour = USUAL_AIR_CHANGES_PER_HOUR
        self._bad_labels = 0

    @property
    def bad_values(self) -> int:
        """Ignored observations and labels so far."""
        return self.builder.bad_values + self._bad_labels

    # The stream of one zone -------------------------------------------------

    def observe(self, observation: Observation) -> None:
        """Fold one observation of the zone into the features."""
        self.builder.update(observation)

    def features(self, when: datetime) -> dict[str, float]:
        """Return the features the model reads at ``when``.

        During an airing the air's trends are left out: they follow the window.
        """
        features = self.builder.features(when)
        if not self.use_time_of_day:
            features.pop("hour_sin", None)
            features.pop("hour_cos", None)
        if self.builder.airing(when):
            for name in AIR_CHANGE_FEATURES:
                features.pop(name, None)
        return features

    def update(self, when: datetime) -> float:
        """Learn from the zone's own clear evidence at ``when``; return P(occupied).

        This is the self-supervised loop a home runs (e.g. once a minute): the
        probability is computed before any learning, so it is an honest prediction.
        """
        features = self.features(when)
        probability = self.predict_proba_one(features)[True]
        label = self.self_label(features)
        self._learn_air_change(features)
        if label is None:
            self._remember_silence(features)
            return probability
        if label:
            self.empty_learnt_at = None
            moments = [_environment(features)]
        elif self._learnt_empty_lately(when):
            moments = []
        else:
            self.empty_learnt_at = when
            moments = [*filter(_air_falls, self.silence), _environment(features)]
        self.silence = []
        for moment in filter(_shows_people_traces, moments):
            self.label_counts[label] += 1.0
            self.learn_one(moment, label, self.label_weight(label))
            self.self_labels += 1
        return probability

    def _learn_air_change(self, features: dict[str, float]) -> None:
        """Follow the fastest the CO2 falls while nobody moves (see the rate above)."""
        if (
            "co2_slope" not in features
            or features.get("co2_trend", 0.0) > CO2_FALLING
            or features.get("motion_30min", 1.0) > SHORT_QUIET_MOTION
            or features.get("co2_excess", 0.0) < AIR_CHANGE_MIN_EXCESS
        ):
            return
        rate = self.air_changes_per_hour
        below = _co2_fall_per_hour(features) <= rate
        rate += AIR_CHANGE_STEP * (AIR_CHANGE_QUANTILE - below)
        self.air_changes_per_hour = _air_changes(rate)

    def _learnt_empty_lately(self, when: datetime) -> bool:
        """Whether this silence was learnt as empty less than a quarter hour ago."""
        if self.empty_learnt_at is None:
            return False
        minutes = (when - self.empty_learnt_at).total_seconds() / 60.0
        return 0.0 <= minutes < EMPTY_LABEL_MINUTES

    def _remember_silence(self, features: dict[str, float]) -> None:
        """Keep the environment at the silence's next hindsight minute."""
        recent = features.get("motion_30min", 0.0)  # exp(-quiet minutes / 30)
        count = len(self.silence)
        if count < len(HINDSIGHT_MINUTES) and 0.0 < recent <= math.exp(
            -HINDSIGHT_MINUTES[count] / 30.0
        ):
            self.silence.append(_environment(features))

    def label_weight(self, label: bool) -> float:
        """Return the weight of a self-label that balances the two classes."""
        mine = self.label_counts[label] + LABEL_PSEUDO_COUNT
        other = self.label_counts[not label] + LABEL_PSEUDO_COUNT
        return min(other / mine, 1.0)

    def self_label(self, features: dict[str, float]) -> bool | None:
        """Return a label the evidence makes obvious, or None when it does not.

        Positive: fresh motion, presence, or a door used while media plays.
        Negative: nothing playing, no one present, and no motion for 10 minutes
        while everyone is away; otherwise no motion for 45 minutes with CO2
        falling or back near fresh air, or for 20 minutes with CO2 falling over
        both the last minutes and the last half hour (two hours without a CO2
        sensor). Falling is as an empty room's CO2 falls, at least half as fast
        as its air changes, not as one where someone still breathes.
        None in a zone without a motion sensor (one that has never seen motion).
        """
        if "motion_30min" not in features:
            # Without a motion sensor nothing says the zone is quiet, and the
            # labels left come from one side only: presence says someone is here,
            # never that nobody is; everyone away says nobody is, never who is.
            # Learnt, they tilt P(occupied) that way for good (presence alone:
            # occupied all night long), so the prior weights stand.
            return None
        if features.get("presence_now", 0.0) > 0.5:
            return True
        if features.get("motion_5min", 0.0) >= FRESH_MOTION:
            return True
        if features.get("media_now", 0.0) > 0.5 and features.get("door_30min", 0.0):
            return True
        if features.get("media_now", 0.0) > 0.5:
            return None
        if (
            features.get("nobody_home_now", 0.0) > 0.5
            and features.get("motion_30min", 0.0) <= AWAY_QUIET_MOTION
        ):
            return False
        quiet = features["motion_30min"]
        if "co2_trend" in features:
            empty_fall = min(self.air_changes_per_hour / 2.0, CO2_EMPTY_FALL_PER_HOUR)
            falls_as_if_empty = _co2_fall_per_hour(features) >= empty_fall
            co2_says_empty = (
                features["co2_trend"] <= CO2_FALLING and falls_as_if_empty
            ) or features.get("co2_excess", 0.0) <= CO2_NEAR_FRESH_AIR
            if quiet <= QUIET_MOTION and co2_says_empty:
                return False
            co2_still_falling = (
                falls_as_if_empty
                and features["co2_trend"] <= CO2_FALLING
                and features.get("co2_slope", 0.0) <= CO2_FALLING
            )
            if quiet <= SHORT_QUIET_MOTION and co2_still_falling:
                return False
            return None
        if quiet <= LONG_QUIET_MOTION:
            return False
        return None

    # River-style estimator API ----------------------------------------------

    def _score(self, features: dict[str, float]) -> float:
        score = self.bias
        for name, value in features.items():
            score += self.weights.get(name, 0.0) * value
        return score

    def predict_proba_one(self, x: dict[str, float]) -> dict[bool, float]:
        """Return ``{False: P(empty), True: P(occupied)}``."""
        probability = _sigmoid(self._score(_clean(x)))
        return {False: 1.0 - probability, True: probability}

    def predict_one(self, x: dict[str, float]) -> bool:
        """Return whether the zone is more likely occupied than not."""
        return self.predict_proba_one(x)[True] >= 0.5

    def learn_one(self, x: dict[str, float], y: object, weight: float = 1.0) -> None:
        """Take one labelled example; a label that is not 0/1/bool is counted.

        ``weight`` scales the example's pull (1 is an ordinary example).
        """
        label = as_number(y)
        if label is None or label not in (0.0, 1.0):
            self._bad_labels += 1
            return
        features = _clean(x)
        error = (_sigmoid(self._score(features)) - label) * weight
        rate = self.learning_rate
        self.bias_squared_gradient += error * error
        self.bias -= rate * error / math.sqrt(self.bias_squared_gradient + 1e-8)
        for name, value in features.items():
            weight = self.weights.get(name, 0.0)
            gradient = error * value + self.l2 * weight
            accumulated = self.squared_gradients.get(name, 0.0) + gradient * gradient
            self.squared_gradients[name] = accumulated
            weight -= rate * gradient / math.sqrt(accumulated + 1e-8)
            self.weights[name] = max(-MAX_WEIGHT, min(MAX_WEIGHT, weight))
        self.labels_seen += 1

    # Words ------------------------------------------------------------------

    def explain(self, x: dict[str, float], top: int = 3) -> str:
        """Say which signals pushed P(occupied) up or down the most."""
        features = _clean(x)
        probability = self.predict_proba_one(features)[True]
        contributions: dict[str, float] = {}
        for name, value in features.items():
            words = FEATURE_WORDS.get(name, name.replace("_", " "))
            if name.startswith("light_") and name.endswith("lx"):
                words = "light level"
            contributions[words] = contributions.get(words, 0.0) + (
                self.weights.get(name, 0.0) * value
            )
        ranked = sorted(contributions.items(), key=lambda item: -abs(item[1]))
        reasons = [
            f"{words} ({'for' if push > 0 else 'against'})"
            for words, push in ranked[:top]
            if abs(push) >= 0.05
        ]
        verdict = "occupied" if probability >= 0.5 else "empty"
        if not reasons:
            return f"Probably {verdict} ({probability:.0%}): no signal stands out."
        return f"Probably {verdict} ({probability:.0%}): " + ", ".join(reasons) + "."

    # State --------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the whole state as versioned JSON-compatible data."""
        return {
            "version": OCCUPANCY_VERSION,
            "learning_rate": self.learning_rate,
            "l2": self.l2,
            "use_time_of_day": self.use_time_of_day,
            "features": self.builder.to_dict(),
            "weights": dict(self.weights),
            "bias": self.bias,
            "squared_gradients": dict(self.squared_gradients),
            "bias_squared_gradient": self.bias_squared_gradient,
            "labels_seen": self.labels_seen,
            "self_labels": self.self_labels,
            "label_counts": [self.label_counts[False], self.label_counts[True]],
            "silence": [dict(moment) for moment in self.silence],
            "empty_learnt_at": to_iso(self.empty_learnt_at),
            "air_changes_per_hour": self.air_changes_per_hour,
            "bad_labels": self._bad_labels,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OccupancyModel:
        """Restore from :meth:`to_dict`; ValueError on an unknown version or bad data."""
        check_version(data, "occupancy model", OCCUPANCY_VERSION)
        try:
            model = cls(
                learning_rate=float(data["learning_rate"]),
                l2=float(data["l2"]),
                use_time_of_day=bool(data["use_time_of_day"]),
            )
            model.builder = OccupancyFeatures.from_dict(data["features"])
            model.weights = _floats(data["weights"])
            model.bias = float(data["bias"])
            model.squared_gradients = {
                str(name): from_sum_of_squares(value)
                for name, value in data["squared_gradients"].items()
            }
            model.bias_squared_gradient = from_sum_of_squares(
                data["bias_squared_gradient"]
            )
            model.labels_seen = int(data["labels_seen"])
            model.self_labels = int(data["self_labels"])
            model._bad_labels = int(data["bad_labels"])
            # State saved before balancing has no counts: start them afresh.
            negatives, positives = data.get("label_counts", (0.0, 0.0))
            model.label_counts = {False: float(negatives), True: float(positives)}
            model.silence = [_floats(moment) for moment in data.get("silence", ())]
            # Saved before silences were learnt once a quarter hour: none.
            model.empty_learnt_at = from_iso(data.get("empty_learnt_at"))
            # Saved before the air's change was learnt: the usual rate.
            model.air_changes_per_hour = _air_changes(
                float(data.get("air_changes_per_hour", USUAL_AIR_CHANGES_PER_HOUR))
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"corrupt occupancy model state: {error!r}") from error
        return model


def _environment(features: dict[str, float]) -> dict[str, float]:
    """Return the environment's view of the zone, the one self-labels teach.

    The evidence that makes a label would explain it away and teach nothing for
    the moments without it.
    """
    return {
        name: value
        for name, value in features.items()
        if not name.startswith(LABEL_EVIDENCE)
    }


def _air_changes(rate: float) -> float:
    """Return ``rate`` within the air changes an hour a room can have."""
    if not math.isfinite(rate):
        return USUAL_AIR_CHANGES_PER_HOUR
    return min(max(rate, AIR_CHANGE_BOUNDS[0]), AIR_CHANGE_BOUNDS[1])


def _co2_fall_per_hour(features: dict[str, float]) -> float:
    """Return how much of its excess over fresh air the CO2 loses an hour now.

    From its last minutes' trend; an excess under 50 ppm counts as 50 (noise).
    """
    excess, slope = co2_ppm(features)
    return -slope * 60.0 / max(excess, 50.0)


def _air_falls(moment: dict[str, float]) -> bool:
    """Whether a kept moment can be told from someone still there by its air.

    Ten minutes after the last motion the CO2 of a room just left may not have
    turned down yet; learnt as empty, such a moment taught that a sleeper's or a
    reader's steady air is empty too. Without a CO2 trend it is kept.
    """
    return moment.get("co2_slope", -1.0) < 0.0


def _shows_people_traces(environment: dict[str, float]) -> bool:
    """Whether a moment has a reading that can tell an occupied room from an empty one."""
    return any(name.startswith(PEOPLE_TRACES) for name in environment)


def _floats(data: Any) -> dict[str, float]:
    return {str(name): float(value) for name, value in data.items()}


def _clean(x: dict[str, Any]) -> dict[str, float]:
    """Drop feature values that are not finite numbers."""
    clean: dict[str, float] = {}
    for name, value in x.items():
        # Plain floats in range are nearly every value: take them as they are. NaN
        # fails the comparison and goes the long way, like any other odd value.
        if type(value) is float and -1e6 < value < 1e6:
            clean[name] = value
            continue
        number = as_number(value)
        if number is not None and abs(number) < 1e6:
            clean[name] = number
    return clean
