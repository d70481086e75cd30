"""Small scenarios built in code, for tests that need exact physics."""

from __future__ import annotations

import copy
from typing import Any

from simulator.scenario import Scenario, parse_scenario

ONE_ROOM: dict[str, Any] = {
    "name": "one_room",
    "start": "2026-01-05",
    "weather": {
        "annual_mean_c": 5.0,
        "annual_amplitude_c": 0.0,
        "daily_amplitude_c": 0.0,
        "noise_sd_c": 0.0,
    },
    "floors": [
        {
            "id": "ground",
            "zones": [
                {
                    "id": "room",
                    "area_m2": 20,
                    "ua_outside_w_per_k": 40,
                    "solar_aperture_m2": 0,
                    "heater_w": 2000,
                    "standby_w": 0,
                    "initial_c": 20.0,
                }
            ],
        }
    ],
    "occupants": [],
}


def one_room(**zone: Any) -> Scenario:
    """A single, empty room with constant 5 °C outside and no sun."""
    data = copy.deepcopy(ONE_ROOM)
    data["floors"][0]["zones"][0].update(zone)
    return parse_scenario(data)
