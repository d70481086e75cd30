"""What a controller sees and what it may do: the same things Home Assistant offers.

The controller interface
------------------------
A controller is any object with two methods::

    class MyController:
        def __init__(self, building: BuildingInfo) -> None: ...
        def step(self, view: View) -> Iterable[Command]: ...

and is registered in ``simulator.controllers.CONTROLLERS`` (name -> factory taking a
``BuildingInfo``), which makes it available as ``--controller NAME``.

``BuildingInfo`` is the building as the HA registries describe it: floors, areas
(zones) and, per zone, the entity id of each role (``motion``, ``door``, ``window``,
``temperature``, ``humidity``, ``co2``, ``illuminance``, ``power``, ``light``,
``climate``; ``None`` where the zone has no such entity), plus the outdoor temperature
sensor, the ``person`` entities of the people whose phones HA tracks (``"home"`` or
``"not_home"``), and the building manager's baseline settings (comfort, setback,
schedule).

Once per simulated step (1 minute by default) the simulator calls ``step(view)``:

* ``view.now``: the building's local wall-clock time (naive ``datetime``);
* ``view.states``: entity id -> ``EntityState`` with HA's state strings
  (``"on"``/``"off"``, ``"21.4"``, ``"heat"``) and attributes (a climate has
  ``temperature``, ``target_temp_low``/``high``, ``current_temperature``,
  ``hvac_action``, ``preset_mode``, ``hvac_modes``; a light has ``brightness`` 0..255 and
  ``color_temp_kelvin``), and ``last_changed``;
* ``view.changes``: the ``StateChange`` events since the previous step, in order.
  ``manual`` is True when a person changed a light or thermostat by hand (in HA: a
  state change that no service call of the controller caused) -- the signal a learning
  controller learns comfort from.

It returns service-call-like ``Command`` objects, as HA's ``hass.services.async_call``
would take them:

* ``Command("climate", "set_hvac_mode", entity_id, {"hvac_mode": "heat"})``
  (``off``, ``heat``, ``cool``, ``heat_cool`` where the device supports it);
* ``Command("climate", "set_temperature", entity_id, {"temperature": 21.0})`` or with
  ``target_temp_low`` / ``target_temp_high``, optionally ``hvac_mode``;
* ``Command("climate", "set_preset_mode", entity_id, {"preset_mode": "eco"})``;
* ``Command("light", "turn_on", entity_id, {"brightness_pct": 80, "color_temp_kelvin":
  3000})`` (``brightness`` 0..255 also accepted);
* ``Command("light", "turn_off", entity_id)``.

A controller never sees the hidden truth (who is where, what they prefer); the
simulator scores it on that truth. Every command counts towards
``calls_per_device_hour``, even one that changes nothing; an invalid command raises
``CommandError``, as HA would raise ``ServiceValidationError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import re
from typing import Any, Protocol

from .scenario import BaselineSpec

ROLES = (
    "motion",
    "door",
    "window",
    "temperature",
    "humidity",
    "co2",
    "illuminance",
    "power",
    "light",
    "climate",
)
ENTITY_DOMAIN = {
    "motion": "binary_sensor",
    "door": "binary_sensor",
    "window": "binary_sensor",
    "temperature": "sensor",
    "humidity": "sensor",
    "co2": "sensor",
    "illuminance": "sensor",
    "power": "sensor",
    "light": "light",
    "climate": "climate",
}
OUTDOOR_TEMPERATURE = "sensor.outdoor_temperature"
HOME, NOT_HOME = "home", "not_home"  # a person entity's states
PRESETS = {"comfort": 21.0, "eco": 18.0, "away": 15.0}


def entity_id_for(zone_id: str, role: str) -> str:
    """Return the entity id of a zone's ``role``, the same in the simulator and HA."""
    domain = ENTITY_DOMAIN[role]
    if role in ("light", "climate"):
        return f"{domain}.{zone_id}"
    return f"{domain}.{zone_id}_{role}"


def person_entity_id(name: str) -> str:
    """Return the entity id of a tracked person, as HA derives it from the name."""
    return "person." + "_".join(re.findall(r"[a-z0-9]+", name.lower()))


class CommandError(ValueError):
    """A command the target device cannot carry out (unknown entity, bad value)."""


@dataclass(frozen=True, slots=True)
class EntityState:
    """An entity's state as HA shows it."""

    entity_id: str
    state: str
    attributes: Mapping[str, Any]
    last_changed: datetime


@dataclass(frozen=True, slots=True)
class StateChange:
    """A state change event; ``manual`` when a person did it by hand."""

    entity_id: str
    old: EntityState | None
    new: EntityState
    manual: bool = False


@dataclass(frozen=True, slots=True)
class Command:
    """A service call: domain, service, target entity and service data."""

    domain: str
    service: str
    entity_id: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ZoneEntities:
    """A zone (HA area) and the entity id of each role it has."""

    zone_id: str
    name: str
    floor_id: str
    floor_name: str
    entities: Mapping[str, str]

    def entity(self, role: str) -> str | None:
        """Return the entity id for ``role``, or None."""
        return self.entities.get(role)


@dataclass(frozen=True, slots=True)
class BuildingInfo:
    """The building as the registries show it, and the manager's baseline settings."""

    name: str
    zones: tuple[ZoneEntities, ...]
    outdoor_temperature: str
    start: datetime
    step: timedelta
    baseline: BaselineSpec
    # The person entities of the people whose phones HA tracks.
    people: tuple[str, ...] = ()


@dataclass(slots=True)
class View:
    """What the controller sees at one step."""

    now: datetime
    states: Mapping[str, EntityState]
    changes: list[StateChange]


class Controller(Protocol):
    """Anything that turns views into commands."""

    def step(self, view: View) -> Iterable[Command]:
        """Return the service calls to make now (possibly none)."""
        ...
