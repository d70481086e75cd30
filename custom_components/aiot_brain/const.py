"""Constants for AIoT Brain."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "aiot_brain"
NAME: Final = "AIoT Brain"

LOGGER = logging.getLogger(__package__)
