"""Constants for AIoT Brain."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
import logging
from typing import Final

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


class ControlLevel(StrEnum):
    """How far the integration may act on its own."""

    OBSERVE = "observe"  # learn and predict only
    SUGGEST = "suggest"  # propose actions, a person confirms
    AUTOMATE = "automate"  # act through service calls within the safety rules


DEFAULT_HEATING_SETPOINT: Final = 20.0
DEFAULT_COOLING_SETPOINT: Final = 24.0
DEFAULT_MIN_TEMPERATURE: Final = 16.0
DEFAULT_MAX_TEMPERATURE: Final = 28.0
DEFAULT_CONTROL_LEVEL: Final = ControlLevel.OBSERVE
DEFAULT_NETWORK_INVENTORY: Final = True
DEFAULT_HISTORY_DAYS: Final = 14

# Limits the forms accept.
SETPOINT_LOWEST: Final = 5.0
SETPOINT_HIGHEST: Final = 35.0
HISTORY_DAYS_MAX: Final = 90

# Fired when the network inventory sees a device it has never seen before.
EVENT_NEW_NETWORK_DEVICE: Final = f"{DOMAIN}_new_network_device"

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


class Mode(StrEnum):
    """What a zone, or the whole building, should aim for."""

    AUTO = "auto"  # follow the learned occupancy and comfort
    COMFORT = "comfort"  # keep the comfort setpoint, occupied or not
    ECO = "eco"  # save energy, accept less comfort
    AWAY = "away"  # nobody is expected: protect the building only
    OFF = "off"  # do not act at all


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
KEY_WINDOW_OPEN: Final = "window_open"
KEY_MODEL_ACCURACY: Final = "model_accuracy"
KEY_MODEL_CALIBRATION: Final = "model_calibration"
KEY_MODE: Final = "mode"
KEY_CONTROL: Final = "control"
KEY_COMFORT_OFFSET: Final = "comfort_offset"
KEY_RELEARN: Final = "relearn"
# Keys of the building's own entities.
KEY_OCCUPIED_ZONES: Final = "occupied_zones"
KEY_LEARNING_PROGRESS: Final = "learning_progress"

# Repair issues.
ISSUE_ZONE_WITHOUT_SENSORS: Final = "zone_without_sensors"
ISSUE_STATE_RESET: Final = "state_reset"

# Keys of the building's network entities (unique id suffixes and translation keys).
KEY_NEW_NETWORK_DEVICE: Final = "new_network_device"
KEY_ACKNOWLEDGE_NETWORK_DEVICES: Final = "acknowledge_network_devices"
KEY_NETWORK_DEVICES: Final = "network_devices"
NETWORK_ENTITY_KEYS: Final = (
    KEY_NEW_NETWORK_DEVICE,
    KEY_ACKNOWLEDGE_NETWORK_DEVICES,
    KEY_NETWORK_DEVICES,
)
