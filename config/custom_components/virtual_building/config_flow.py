"""Add a virtual building from the UI or from YAML."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
)
import probatio as vol

from simulator import ScenarioError, load_scenario
from simulator.scenario import builtin_scenarios, with_tracked

from .const import (
    CONF_SCENARIO,
    CONF_SEED,
    CONF_SPEED,
    CONF_TRACKED,
    DEFAULT_SCENARIO,
    DEFAULT_SPEED,
    DEFAULT_TRACKED,
    DOMAIN,
    MAX_SPEED,
    MIN_SPEED,
)


class VirtualBuildingConfigFlow(ConfigFlow, domain=DOMAIN):
    """Pick a scenario, a speed-up and a seed."""

    VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the scenario and speed."""
        errors: dict[str, str] = {}
        if user_input is not None:
            result = await self._async_create(user_input, errors)
            if result is not None:
                return result
        scenarios = await self.hass.async_add_executor_job(builtin_scenarios)
        schema = vol.Schema(
            {
                vol.Required(CONF_SCENARIO, default=DEFAULT_SCENARIO): SelectSelector(
                    SelectSelectorConfig(options=scenarios, custom_value=True)
                ),
                vol.Required(CONF_SPEED, default=DEFAULT_SPEED): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_SPEED,
                        max=MAX_SPEED,
                        step=1,
                        mode=NumberSelectorMode.SLIDER,
                    )
                ),
                vol.Required(CONF_SEED, default=0): vol.Coerce(int),
                vol.Required(CONF_TRACKED, default=DEFAULT_TRACKED): TextSelector(),
            }
        )
        return self.async_show_form(step_id="user", data_schema=schema, errors=errors)

    async def async_step_import(self, import_data: dict[str, Any]) -> ConfigFlowResult:
        """Create or update the entry from the YAML configuration."""
        for entry in self._async_current_entries(include_ignore=False):
            if entry.unique_id == import_data[CONF_SCENARIO]:
                self.hass.config_entries.async_update_entry(entry, data=import_data)
                return self.async_abort(reason="already_configured")
        errors: dict[str, str] = {}
        result = await self._async_create(import_data, errors)
        if result is None:
            return self.async_abort(reason=next(iter(errors.values())))
        return result

    async def _async_create(
        self, data: dict[str, Any], errors: dict[str, str]
    ) -> ConfigFlowResult | None:
        try:
            scenario = await self.hass.async_add_executor_job(
                load_scenario, data[CONF_SCENARIO]
            )
        except ScenarioError:
            errors[CONF_SCENARIO] = "bad_scenario"
            return None
        try:
            with_tracked(scenario, data.get(CONF_TRACKED, DEFAULT_TRACKED))
        except ScenarioError:
            errors[CONF_TRACKED] = "bad_tracked"
            return None
        await self.async_set_unique_id(data[CONF_SCENARIO])
        self._abort_if_unique_id_configured()
        data = {
            **data,
            CONF_SPEED: float(data[CONF_SPEED]),
            CONF_SEED: int(data[CONF_SEED]),
        }
        return self.async_create_entry(title=f"Virtual {scenario.name}", data=data)
