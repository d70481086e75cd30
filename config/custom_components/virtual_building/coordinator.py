"""Runs a simulated building inside Home Assistant.

One simulated minute per tick; the tick interval is one minute divided by the speed-up,
so at 60x the building lives an hour per real minute. A step of even the office floor
takes well under a millisecond, so it runs in the event loop without blocking it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.event import async_track_time_interval

from simulator import Building, Command, CommandError, EntityState

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)

type VirtualBuildingConfigEntry = ConfigEntry[VirtualBuildingRuntime]

EVERY_STEP = "*"  # listen to this instead of an entity id to hear every step


class VirtualBuildingRuntime:
    """The building, its clock and the entities listening to its state changes."""

    def __init__(self, hass: HomeAssistant, building: Building, speed: float) -> None:
        """Wrap ``building``; nothing runs until ``async_start``."""
        self.hass = hass
        self.building = building
        self.speed = speed
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._unsub_timer: CALLBACK_TYPE | None = None
        self.building.take_view()  # the entities read the initial states directly

    @property
    def tick(self) -> timedelta:
        """Real time between two simulated steps."""
        return self.building.info.step / self.speed

    @property
    def now(self) -> datetime:
        """The building's local wall-clock time (naive)."""
        return self.building.now

    def state(self, entity_id: str) -> EntityState:
        """Return the simulated entity's current state."""
        return self.building.states[entity_id]

    @callback
    def async_start(self) -> None:
        """Start stepping the building."""
        self._unsub_timer = async_track_time_interval(
            self.hass, self._async_tick, self.tick, name=f"{DOMAIN} step"
        )

    @callback
    def async_stop(self) -> None:
        """Stop stepping the building."""
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    @callback
    def async_listen(self, entity_id: str, update: CALLBACK_TYPE) -> Callable[[], None]:
        """Call ``update`` whenever the simulated ``entity_id`` changes.

        ``EVERY_STEP`` instead of an entity id: after every step.
        """
        self._listeners.setdefault(entity_id, []).append(update)

        def remove() -> None:
            self._listeners[entity_id].remove(update)

        return remove

    @callback
    def _async_tick(self, _now: datetime) -> None:
        self.building.step()
        self._async_notify()

    @callback
    def async_step(self, steps: int = 1) -> None:
        """Advance the building ``steps`` minutes now (tests and fast-forwarding)."""
        for _ in range(steps):
            self.building.step()
        self._async_notify()

    @callback
    def async_command(self, command: Command) -> None:
        """Carry out a service call on a simulated device."""
        try:
            self.building.apply(command)
        except CommandError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_command",
                translation_placeholders={"error": str(err)},
            ) from err
        self._async_notify()

    @callback
    def _async_notify(self) -> None:
        # In the order the building changed them, the same in every run.
        changed = dict.fromkeys(
            [change.entity_id for change in self.building.take_view().changes]
        )
        changed[EVERY_STEP] = None
        for entity_id in changed:
            for update in self._listeners.get(entity_id, ()):
                update()
