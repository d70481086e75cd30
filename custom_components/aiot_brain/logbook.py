"""Describe AIoT Brain's events in the logbook: actions with their reasons, new devices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_CONTEXT_ID,
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.components.logbook.models import LazyEventPartialState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, callback

from .const import (
    DOMAIN,
    EVENT_ACTION,
    EVENT_DECISION,
    EVENT_HOLD,
    EVENT_NEW_NETWORK_DEVICE,
    EVENT_SUGGESTION,
    NAME,
)

# How each event's reason is introduced.
_PREFIXES = {
    EVENT_ACTION: "",
    EVENT_SUGGESTION: "suggests: ",
    EVENT_DECISION: "would act, but only observes: ",
    EVENT_HOLD: "",
}


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[
        [str, str, Callable[[LazyEventPartialState], dict[str, Any]]], None
    ],
) -> None:
    """Describe the controllers' events: the reason is the message."""

    @callback
    def describe(event: LazyEventPartialState) -> dict[str, Any]:
        data = event.data
        return {
            LOGBOOK_ENTRY_NAME: f"{NAME} ({data.get('zone')})",
            LOGBOOK_ENTRY_MESSAGE: (
                f"{_PREFIXES.get(str(event.event_type), '')}{data.get('reason')}"
            ),
            LOGBOOK_ENTRY_ENTITY_ID: data.get(ATTR_ENTITY_ID),
            LOGBOOK_ENTRY_CONTEXT_ID: event.context_id,
        }

    @callback
    def describe_new_device(event: LazyEventPartialState) -> dict[str, Any]:
        # The alert turns on once; each device that appears meanwhile is told here.
        data = event.data
        return {
            LOGBOOK_ENTRY_NAME: NAME,
            LOGBOOK_ENTRY_MESSAGE: (
                "found a new device on the network: "
                f"{data.get('name')} ({data.get('kind')})"
            ),
        }

    for event_type in _PREFIXES:
        async_describe_event(DOMAIN, event_type, describe)
    async_describe_event(DOMAIN, EVENT_NEW_NETWORK_DEVICE, describe_new_device)
