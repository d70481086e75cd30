"""A virtual building for demos, end-to-end tests and savings benchmarks.

Pure Python, deterministic for a seed, stepping in simulated minutes:

* ``scenario``: buildings, weather and people as YAML/JSON data (``scenarios/``);
* ``weather``, ``occupants``, ``building``: the physics, the people and the devices;
* ``interface``: what a controller sees (HA-like entity states) and does (HA-like
  service calls) -- read its docstring before writing a controller;
* ``controllers``: the built-in baselines and the ``CONTROLLERS`` registry;
* ``benchmark``: ``python -m simulator.benchmark --scenario NAME --days N
  --controller NAME`` prints the scores as JSON.
"""

from .building import Building
from .controllers import CONTROLLERS
from .interface import (
    BuildingInfo,
    Command,
    CommandError,
    EntityState,
    StateChange,
    View,
)
from .scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "CONTROLLERS",
    "Building",
    "BuildingInfo",
    "Command",
    "CommandError",
    "EntityState",
    "Scenario",
    "ScenarioError",
    "StateChange",
    "View",
    "load_scenario",
]
