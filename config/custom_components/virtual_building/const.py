"""Constants of the virtual building integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "virtual_building"
CONF_SCENARIO: Final = "scenario"
CONF_SPEED: Final = "speed"
CONF_SEED: Final = "seed"
CONF_TRACKED: Final = "tracked"  # whose phones HA tracks (see with_tracked)
DEFAULT_SCENARIO: Final = "family_home"
DEFAULT_SPEED: Final = 60
DEFAULT_TRACKED: Final = "none"
MIN_SPEED: Final = 1
MAX_SPEED: Final = 60
MANUFACTURER: Final = "Virtual building"
