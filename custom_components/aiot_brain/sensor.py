"""Sensors of AIoT Brain: each zone's predictions and the building's figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from . import AiotBrainConfigEntry
from .brain.forecast import TIME_STEP, on_time_step, time_shown
from .brain.zone import ZonePrediction
from .const import (
    KEY_COMFORT_SETPOINT,
    KEY_CONTROL_STATUS,
    KEY_LEARNING_PROGRESS,
    KEY_MODEL_ACCURACY,
    KEY_MODEL_CALIBRATION,
    KEY_NETWORK_DEVICES,
    KEY_NEXT_ARRIVAL,
    KEY_NEXT_DEPARTURE,
    KEY_OCCUPANCY_FORECAST,
    KEY_OCCUPANCY_PROBABILITY,
    KEY_OCCUPIED_ZONES,
    KEY_TIME_TO_TEMPERATURE,
    ControlStatus,
)
from .coordinator import AiotBrainCoordinator
from .entity import (
    PERCENT_MARKS,
    AiotBrainBuildingEntity,
    AiotBrainZoneEntity,
    NetworkInventoryEntity,
    ZonePredictionDescription,
    ZonePredictionEntity,
)
from .network import NetworkInventory
from .state_mapping import aware, aware_iso, difference_in, from_celsius

PARALLEL_UPDATES = 0  # nothing here talks to a device

# Forecast horizons as attributes of the next-hour forecast sensor.
FORECAST_ATTRIBUTES = {
    "15min": "in_15_minutes",
    "30min": "in_30_minutes",
    "1h": "in_60_minutes",
    "2h": "in_120_minutes",
    "6h": "in_6_hours",
}


def percent(probability: float | None) -> int | None:
    """Return a probability in whole percent, as the recorder should keep it."""
    return None if probability is None else round(probability * 100)


def rounded(temperature: float | None) -> float | None:
    """Return a temperature to a tenth of a degree."""
    return None if temperature is None else round(temperature, 1)


def upcoming(
    when: datetime | None, now: datetime, *, so_already: bool = True
) -> datetime | None:
    """Return a predicted wall-clock time as an aware time, as it is shown.

    None when nothing is expected, and when it is so already (an occupied zone's
    next arrival is "now", which would change every minute and say nothing). A
    time due that has not come (people a few minutes late, ``so_already`` False)
    is shown at the end of the quarter hour under way: unknown would say nobody
    is expected.
    """
    if when is None or (when <= now and so_already):
        return None
    # Rounded in UTC: local arithmetic loses which pass of a repeated hour it is.
    utc = dt_util.as_utc
    shown, utc_now = utc(aware(when)), utc(aware(now))
    if when <= now:
        shown = on_time_step(utc_now) + TIME_STEP
    return dt_util.as_local(time_shown(shown, utc_now))


def next_arrival(prediction: ZonePrediction) -> datetime | None:
    """Return the zone's next arrival as it is shown; None while it is occupied.

    The forecast's arrival of an occupied zone is now, certain; its occupancy may
    have changed since (a full prediction comes each minute).
    """
    occupied = prediction.occupied or prediction.arrival_confidence >= 1.0
    arrival, _ = prediction.arrival_shown
    return upcoming(arrival, prediction.when, so_already=occupied)


def next_departure(prediction: ZonePrediction) -> datetime | None:
    """Return the zone's next departure as it is shown; None while it is empty."""
    return upcoming(prediction.next_departure, prediction.when)


def confidence_shown(shown: datetime | None, confidence: float) -> float | None:
    """Return how sure a predicted time is; None where no time is shown.

    An occupied zone's next arrival is "now", shown as unknown: "100 %" beside
    it would say it is certain of a time it does not show.
    """
    return None if shown is None else confidence


def minutes(duration: timedelta | None) -> int | None:
    """Return a duration in whole minutes."""
    return None if duration is None else round(duration.total_seconds() / 60)


@dataclass(frozen=True, kw_only=True)
class ZoneSensorDescription(SensorEntityDescription, ZonePredictionDescription):
    """A sensor computed from a zone's prediction."""

    value_fn: Callable[[ZonePrediction], StateType | datetime]
    # Smallest change of the value or a numeric attribute, and of a time in
    # minutes, worth a new state: the recorder writes a row for every state, and
    # the tick recomputes every minute.
    deadband: float = 0.0
    deadband_minutes: float = 0.0
    # The share of the value last written worth a new state too (the more), the
    # values reaching which is written at once (a percent's: empty, certain), and
    # the one whose side the value is on is (see ``significant``).
    deadband_share: float = 0.0
    marks: tuple[float, ...] = PERCENT_MARKS
    threshold: float | None = None
    # Attributes with a deadband of their own, in the unit they are shown in.
    attribute_deadbands: Mapping[str, float] = field(default_factory=dict)
    # How long a time must stand to replace an unknown, and an unknown to replace
    # a time (see ``ChangeFilteredEntity._settling``).
    hold_unknown_minutes: float = 0.0
    hold_time_minutes: float = 0.0
    # Attributes that are temperatures (°C in the prediction).
    temperature_attributes: frozenset[str] = frozenset()
    # Attributes that are temperature differences (K in the prediction).
    difference_attributes: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class BuildingSensorDescription(SensorEntityDescription):
    """A building-wide sensor computed by the coordinator."""

    value_fn: Callable[[AiotBrainCoordinator], StateType]


@dataclass(frozen=True, kw_only=True)
class NetworkSensorDescription(SensorEntityDescription):
    """A sensor computed from the network inventory."""

    value_fn: Callable[[NetworkInventory], int]


ZONE_SENSORS: tuple[ZoneSensorDescription, ...] = (
    ZoneSensorDescription(
        key=KEY_OCCUPANCY_PROBABILITY,
        translation_key=KEY_OCCUPANCY_PROBABILITY,
        deadband=10,
        # The Occupancy sensor is on from 50 % (``ZonePrediction.occupied``):
        # automations comparing with it see it cross then, with the Occupancy.
        threshold=50,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        shows_occupancy=True,
        value_fn=lambda prediction: percent(prediction.occupancy_probability),
    ),
    ZoneSensorDescription(
        key=KEY_OCCUPANCY_FORECAST,
        translation_key=KEY_OCCUPANCY_FORECAST,
        deadband=10,
        native_unit_of_measurement=PERCENTAGE,
        # A forecast is no measurement: no long-term statistics (kept for ever).
        suggested_display_precision=0,
        value_fn=lambda prediction: percent(prediction.forecast.get("1h")),
        # The other horizons move by a few points each quarter hour: a new state
        # when one moves by 20 (the next hour's, the state, at 10).
        attribute_deadbands={
            name: 20 for horizon, name in FORECAST_ATTRIBUTES.items() if horizon != "1h"
        },
        attributes_fn=lambda prediction: {
            name: percent(prediction.forecast.get(horizon))
            for horizon, name in FORECAST_ATTRIBUTES.items()
        },
    ),
    ZoneSensorDescription(
        key=KEY_NEXT_ARRIVAL,
        translation_key=KEY_NEXT_ARRIVAL,
        deadband=10,  # the confidence, in percent
        deadband_minutes=30,
        # Unknown while people are in: they are gone once out for a quarter of an
        # hour, not while someone sits still.
        hold_unknown_minutes=15,
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=next_arrival,
        attributes_fn=lambda p: {
            "confidence": percent(confidence_shown(next_arrival(p), p.arrival_shown[1]))
        },
    ),
    ZoneSensorDescription(
        key=KEY_NEXT_DEPARTURE,
        translation_key=KEY_NEXT_DEPARTURE,
        deadband=10,  # the confidence, in percent
        deadband_minutes=30,
        # Shown while people are in, also while someone sits still unseen.
        hold_time_minutes=15,
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=next_departure,
        attributes_fn=lambda p: {
            "confidence": percent(
                confidence_shown(next_departure(p), p.departure_confidence)
            )
        },
    ),
    ZoneSensorDescription(
        key=KEY_COMFORT_SETPOINT,
        translation_key=KEY_COMFORT_SETPOINT,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda prediction: round(prediction.comfort_setpoint, 1),
        # The state is the season's comfort; these are both seasons'.
        temperature_attributes=frozenset({"heating_comfort", "cooling_comfort"}),
        # How sure the comfort is: one standard deviation, which narrows as
        # people's own changes near this hour agree. It wobbles by a tenth or two
        # as the hour moves on: written anew when it moves by a quarter degree.
        difference_attributes=frozenset({"uncertainty"}),
        attribute_deadbands={"uncertainty": 0.25},
        attributes_fn=lambda prediction: {
            "heating_comfort": rounded(prediction.heating_setpoint),
            "cooling_comfort": rounded(prediction.cooling_setpoint),
            "uncertainty": prediction.comfort_setpoint_std,  # rounded when shown
        },
    ),
    ZoneSensorDescription(
        key=KEY_TIME_TO_TEMPERATURE,
        translation_key=KEY_TIME_TO_TEMPERATURE,
        # Hours to go that move by minutes are no news; its last minutes are,
        # and reaching the temperature (zero) is written at once.
        deadband=5,
        deadband_share=0.2,
        marks=(0,),
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        # A time still to come, no measurement: no long-term statistics.
        suggested_display_precision=0,
        value_fn=lambda prediction: minutes(prediction.time_to_temperature),
        temperature_attributes=frozenset({"target_temperature"}),
        # The temperature it is the time to: a new one is news, however long.
        attribute_deadbands={"target_temperature": 0.5},
        attributes_fn=lambda prediction: {
            "target_temperature": rounded(prediction.time_to_temperature_target)
        },
    ),
    ZoneSensorDescription(
        key=KEY_MODEL_ACCURACY,
        translation_key=KEY_MODEL_ACCURACY,
        deadband=2,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda prediction: percent(prediction.accuracy),
    ),
    ZoneSensorDescription(
        key=KEY_MODEL_CALIBRATION,
        translation_key=KEY_MODEL_CALIBRATION,
        deadband=2,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda prediction: percent(prediction.calibration_error),
    ),
)


@dataclass(frozen=True, kw_only=True)
class ControlSensorDescription(SensorEntityDescription):
    """What a zone's controller does, and why."""

    # Attributes compared by their gist for a new state (see ``_shown``).
    rough_attributes: frozenset[str] = frozenset()


ZONE_CONTROL_STATUS = ControlSensorDescription(
    key=KEY_CONTROL_STATUS,
    translation_key=KEY_CONTROL_STATUS,
    device_class=SensorDeviceClass.ENUM,
    options=[status.value for status in ControlStatus],
    # The reasons say when motion was last seen and how sure occupancy is, which
    # move each minute someone does: a new state (a recorder row) when they say
    # something else, or their figures clearly move.
    rough_attributes=frozenset({"reasons"}),
)

BUILDING_SENSORS: tuple[BuildingSensorDescription, ...] = (
    BuildingSensorDescription(
        key=KEY_OCCUPIED_ZONES,
        translation_key=KEY_OCCUPIED_ZONES,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda coordinator: coordinator.occupied_zones,
    ),
    BuildingSensorDescription(
        key=KEY_LEARNING_PROGRESS,
        translation_key=KEY_LEARNING_PROGRESS,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda coordinator: percent(coordinator.learning_progress),
    ),
)

NETWORK_SENSORS: tuple[NetworkSensorDescription, ...] = (
    NetworkSensorDescription(
        key=KEY_NETWORK_DEVICES,
        translation_key=KEY_NETWORK_DEVICES,
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda inventory: len(inventory.devices),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AiotBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors, and those of zones that appear later."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        BuildingSensor(coordinator, description) for description in BUILDING_SENSORS
    )
    if (inventory := entry.runtime_data.network) is not None:
        async_add_entities(
            NetworkSensor(entry, description, inventory)
            for description in NETWORK_SENSORS
        )

    coordinator.async_add_zone_entities(
        async_add_entities,
        lambda zone: [
            *(
                ZoneSensor(coordinator, description, zone)
                for description in ZONE_SENSORS
            ),
            ZoneControlSensor(coordinator, ZONE_CONTROL_STATUS, zone),
        ],
    )


class ZoneSensor(ZonePredictionEntity, SensorEntity):
    """A prediction of one zone."""

    entity_description: ZoneSensorDescription
    # The forecast's horizons move with every change of occupancy and are read
    # live by automations; the recorder keeps the next hour's state alone.
    _unrecorded_attributes = frozenset(FORECAST_ATTRIBUTES.values())

    def _shown(self) -> tuple[Any, Any, dict[str, Any]]:
        return (self.available, self.native_value, self.extra_state_attributes or {})

    @property
    def native_value(self) -> StateType | datetime:
        """Return the sensor's value."""
        if (prediction := self.prediction) is None:
            return None
        return self.entity_description.value_fn(prediction)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the attributes; temperatures in the unit HA shows them in.

        That of the state where the state is a temperature (a user may choose
        another), else the home's.
        """
        attributes = super().extra_state_attributes
        description = self.entity_description
        temperatures = description.temperature_attributes
        differences = description.difference_attributes
        if not attributes or not (temperatures or differences):
            return attributes
        # HA converts a temperature state (°C) to the unit it shows, not attributes.
        unit = (
            self.unit_of_measurement
            if self.device_class == SensorDeviceClass.TEMPERATURE
            else None
        ) or self.hass.config.units.temperature_unit
        shown = dict(attributes)
        for key, value in attributes.items():
            if value is None:
                continue
            if key in temperatures:
                shown[key] = from_celsius(value, unit)
            elif key in differences:
                shown[key] = difference_in(value, unit)
        return shown


class ZoneControlSensor(AiotBrainZoneEntity, SensorEntity):
    """What the zone's controller is doing, and why, device by device."""

    # Reasons change with every prediction; the logbook keeps the actions.
    _unrecorded_attributes = frozenset({"reasons", "suggestions"})
    # A prediction alone changes nothing it shows: the controller tells it after
    # each decision (which follows every new prediction), hold and suggestion.
    follows_predictions = False

    @property
    def native_value(self) -> str:
        """Return the controller's status."""
        return self.coordinator.control.status(self.zone_id).value

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the reasons, holds, suggestions and the last action."""
        control = self.coordinator.control
        last = control.last_action.get(self.zone_id)
        return {
            "reasons": control.reasons(self.zone_id),
            "held_until": {
                entity_id: until.isoformat()
                for entity_id, until in control.holds(self.zone_id).items()
            },
            "suggestions": control.zone_suggestions(self.zone_id),
            "last_action": None if last is None else last[1],
            "last_action_at": None if last is None else aware_iso(last[0]),
        }

    async def async_added_to_hass(self) -> None:
        """Also update whenever the zone's controller decides or holds."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.control.async_add_listener(
                self.zone_id, self._handle_update
            )
        )


class BuildingSensor(AiotBrainBuildingEntity, SensorEntity):
    """A building-wide figure."""

    entity_description: BuildingSensorDescription

    @property
    def native_value(self) -> StateType:
        """Return the sensor's value."""
        return self.entity_description.value_fn(self.coordinator)


class NetworkSensor(NetworkInventoryEntity, SensorEntity):
    """A number from the network inventory."""

    entity_description: NetworkSensorDescription

    @property
    def native_value(self) -> int:
        """Return the sensor's value."""
        return self.entity_description.value_fn(self.inventory)
