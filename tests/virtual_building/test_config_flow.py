"""Adding a virtual building from the UI."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_IMPORT, SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

DOMAIN = "virtual_building"


async def test_user_flow_creates_an_entry(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"scenario": "castle", "speed": 10, "seed": 0}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"scenario": "bad_scenario"}
    apartment = {"scenario": "apartment", "speed": 10, "seed": 3}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**apartment, "tracked": "Zed"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"tracked": "bad_tracked"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], apartment
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Virtual apartment"
    assert result["data"] == {
        "scenario": "apartment",
        "speed": 10.0,
        "seed": 3,
        "tracked": "none",
    }
    await hass.async_block_till_done()
    assert hass.states.get("light.bedroom") is not None
    assert hass.states.async_entity_ids("device_tracker") == []


async def test_import_updates_an_existing_entry(hass: HomeAssistant) -> None:
    data = {"scenario": "apartment", "speed": 10.0, "seed": 0}
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_IMPORT}, data=data
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_IMPORT}, data={**data, "speed": 20.0}
    )
    assert result["type"] is FlowResultType.ABORT
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    assert entry.data["speed"] == 20.0
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_IMPORT}, data={**data, "scenario": "castle"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "bad_scenario"
