"""The phones of the building's tracked people, as a phone app reports them."""

from __future__ import annotations

from homeassistant.components.device_tracker import SourceType, TrackerEntity
from homeassistant.components.zone import ENTITY_ID_HOME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from simulator.interface import HOME

from .coordinator import VirtualBuildingConfigEntry, VirtualBuildingRuntime

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VirtualBuildingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a phone for every tracked person."""
    runtime = entry.runtime_data
    async_add_entities(
        VirtualPhone(runtime, entry.entry_id, person)
        for person in runtime.building.info.people
    )


class VirtualPhone(TrackerEntity):
    """A tracked person's phone: in the home zone while they are in the building."""

    _attr_should_poll = False
    _attr_source_type = SourceType.GPS

    def __init__(
        self, runtime: VirtualBuildingRuntime, entry_id: str, person: str
    ) -> None:
        """Follow the simulated ``person`` entity (``person.anna``)."""
        self.runtime = runtime
        self.sim_entity_id = person
        name = person.removeprefix("person.")
        self.entity_id = f"device_tracker.{name}_phone"
        self._attr_unique_id = f"{entry_id}_{name}_phone"
        self._attr_name = f"{name.replace('_', ' ').title()}'s phone"
        self._follow()

    def _follow(self) -> None:
        home = self.runtime.state(self.sim_entity_id).state == HOME
        self._attr_in_zones = [ENTITY_ID_HOME] if home else []

    @callback
    def _async_moved(self) -> None:
        self._follow()
        self.async_write_ha_state()

    async def async_added_to_hass(self) -> None:
        """Write the state whenever the person comes or goes."""
        self.async_on_remove(
            self.runtime.async_listen(self.sim_entity_id, self._async_moved)
        )
