"""Constants for AIoT Brain."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
import logging
from typing import Final

from .brain.control import ControlLevel, Mode

__all__ = ["ControlLevel", "Mode"]

DOMAIN: Final = "aiot_brain"
NAME: Final = "AIoT Brain"
MANUFACTURER: Final = "AIoT Brain"

LOGGER = logging.getLogger(__package__)

# Option keys. Everything a user chooses lives in the config entry's options, so
# the options flow and the reconfigure flow change the same values.
CONF_ZONES: Final = "zones"  # area ids of the zones to learn
CONF_OUTDOOR_SOURCE: Final = "outdoor_source"  # entity id, or absent
CONF_HEATING_SETPOINT: Final = "heating_setpoint"  # °C
CONF_COOLING_SETPOINT: Final = "cooling_setpoint"  # °C
CONF_MIN_TEMPERATURE: Final = "min_temperature"  # °C, never set below
CONF_MAX_TEMPERATURE: Final = "max_temperature"  # °C, never set above
CONF_CONTROL_LEVEL: Final = "control_level"
CONF_NETWORK_INVENTORY: Final = "network_inventory"
CONF_HISTORY_DAYS: Final = "history_days"
CONF_HOLD_MINUTES: Final = "hold_minutes"  # a person's change is left alone so long
CONF_SETBACK_MINUTES: Final = "setback_minutes"  # set back if nobody is back sooner
CONF_SLEEP_TEMPERATURE: Final = "sleep_temperature"  # °C while people sleep, or None
CONF_NIGHT_START: Final = "night_start"  # "HH:MM:SS": sleep is looked for from then
CONF_NIGHT_END: Final = "night_end"  # ... until then


DEFAULT_HEATING_SETPOINT: Final = 20.0
DEFAULT_COOLING_SETPOINT: Final = 24.0
DEFAULT_MIN_TEMPERATURE: Final = 16.0
DEFAULT_MAX_TEMPERATURE: Final = 28.0
DEFAULT_CONTROL_LEVEL: Final = ControlLevel.OBSERVE
DEFAULT_NETWORK_INVENTORY: Final = True
DEFAULT_HISTORY_DAYS: Final = 14
DEFAULT_HOLD_MINUTES: Final = 120
DEFAULT_SETBACK_MINUTES: Final = 45

# Limits the forms accept.
SETPOINT_LOWEST: Final = 5.0
SETPOINT_HIGHEST: Final = 35.0
HISTORY_DAYS_MAX: Final = 90
HOLD_MINUTES_MAX: Final = 24 * 60
SETBACK_MINUTES_MAX: Final = 12 * 60

# Fired when the network inventory sees a device it has never seen before.
EVENT_NEW_NETWORK_DEVICE: Final = f"{DOMAIN}_new_network_device"
# Fired by the controllers: a call made, proposed, or only observed; a hold.
EVENT_ACTION: Final = f"{DOMAIN}_action"
EVENT_SUGGESTION: Final = f"{DOMAIN}_suggestion"
EVENT_DECISION: Final = f"{DOMAIN}_decision"
EVENT_HOLD: Final = f"{DOMAIN}_hold"

# Storage keys under .storage/ (one entry per Home Assistant: single_config_entry).
STORAGE_VERSION: Final = 1
NETWORK_STORAGE_KEY: Final = f"{DOMAIN}.network_inventory"
BRAIN_STORAGE_KEY: Final = f"{DOMAIN}.brain"

# How often every zone runs its self-supervised step and publishes its forecast.
TICK_INTERVAL: Final = timedelta(minutes=1)
# Learned state is written at most this often; a stop or unload writes it at once.
SAVE_DELAY: Final = timedelta(minutes=5).total_seconds()
# A control the user changed is written sooner: losing it would surprise them.
CONTROL_SAVE_DELAY: Final = 10.0
# Registry changes come in bursts (a new device brings several entities).
REDISCOVER_COOLDOWN: Final = 2.0


class ControlStatus(StrEnum):
    """What a zone's controller is doing, as its control sensor shows it."""

    CONTROLLING = "controlling"
    SUGGESTING = "suggesting"
    OBSERVING = "observing"
    HOLDING = "holding"  # a person's change (or a service) holds a device
    LEARNING = "learning"  # reading its history: it decides nothing meanwhile
    OFF = "off"  # the mode is off
    NO_DEVICES = "no_devices"  # no thermostat or light to control


COMFORT_OFFSET_LIMIT: Final = 3.0  # °C either way from the learned setpoint

# Keys of the zone entities (unique id suffixes and translation keys).
KEY_OCCUPANCY: Final = "occupancy"
KEY_OCCUPANCY_PROBABILITY: Final = "occupancy_probability"
KEY_OCCUPANCY_FORECAST: Final = "occupancy_forecast"
KEY_NEXT_ARRIVAL: Final = "next_arrival"
KEY_NEXT_DEPARTURE: Final = "next_departure"
KEY_COMFORT_SETPOINT: Final = "comfort_setpoint"
KEY_TIME_TO_TEMPERATURE: Final = "time_to_temperature"
KEY_ANOMALY: Final = "anomaly"
KEY_BUILDING_ANOMALY: Final = "building_anomaly"
KEY_WINDOW_OPEN: Final = "window_open"
KEY_MODEL_ACCURACY: Final = "model_accuracy"
KEY_MODEL_CALIBRATION: Final = "model_calibration"
KEY_MODE: Final = "mode"
KEY_CONTROL: Final = "control"
KEY_COMFORT_OFFSET: Final = "comfort_offset"
KEY_RELEARN: Final = "relearn"
KEY_CONTROL_STATUS: Final = "control_status"
# Keys of the building's own entities.
KEY_OCCUPIED_ZONES: Final = "occupied_zones"
KEY_TRIP: Final = "trip"
KEY_LEARNING_PROGRESS: Final = "learning_progress"

# Repair issues.
ISSUE_ZONE_WITHOUT_SENSORS: Final = "zone_without_sensors"
ISSUE_STATE_RESET: Final = "state_reset"
ISSUE_CALL_REFUSED: Final = "call_refused"
ISSUE_HISTORY_FAILED: Final = "history_failed"
ISSUE_NO_OUTDOOR_SOURCE: Final = "no_outdoor_source"
ISSUE_OUTDOOR_SOURCE_GONE: Final = "outdoor_source_gone"

# Keys of the building's network entities (unique id suffixes and translation keys).
KEY_NEW_NETWORK_DEVICE: Final = "new_network_device"
KEY_ACKNOWLEDGE_NETWORK_DEVICES: Final = "acknowledge_network_devices"
KEY_NETWORK_DEVICES: Final = "network_devices"
NETWORK_ENTITY_KEYS: Final = (
    KEY_NEW_NETWORK_DEVICE,
    KEY_ACKNOWLEDGE_NETWORK_DEVICES,
    KEY_NETWORK_DEVICES,
)
