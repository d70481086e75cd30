"""AIoT Brain: learns when areas are occupied and what comfort people prefer."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .const import LOGGER


@dataclass
class AiotBrainData:
    """What a loaded config entry holds while it runs."""

    river_version: str


type AiotBrainConfigEntry = ConfigEntry[AiotBrainData]


def _load_river() -> str:
    """Import river (about 1.3 s) and return its version; runs in the executor."""
    import river  # noqa: F401, PLC0415  (deferred: too slow for the event loop)

    return version("river")


async def async_setup_entry(hass: HomeAssistant, entry: AiotBrainConfigEntry) -> bool:
    """Set up AIoT Brain from a config entry."""
    river_version = await hass.async_add_executor_job(_load_river)
    entry.runtime_data = AiotBrainData(river_version=river_version)
    LOGGER.debug("AIoT Brain set up with river %s", river_version)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: AiotBrainConfigEntry) -> bool:
    """Unload a config entry."""
    return True
