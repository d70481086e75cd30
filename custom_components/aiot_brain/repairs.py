"""Repairs of AIoT Brain: a reset learned state is read and dismissed."""

from __future__ import annotations

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant


async def async_create_fix_flow(
    hass: HomeAssistant,
    issue_id: str,
    data: dict[str, str | int | float | None] | None,
) -> RepairsFlow:
    """Return the flow that dismisses a fixable issue once the user has read it.

    The only fixable issue is the reset learned state: nothing is left to do
    but to know it (the areas learn again by themselves).
    """
    return ConfirmRepairFlow()
