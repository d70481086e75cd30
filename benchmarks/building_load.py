"""Building load: AIoT Brain over many areas in a real Home Assistant.

::

    python -m benchmarks.building_load [--areas 200] [--minutes 10] [--changes 4000]

A Home Assistant (real state machine, registries and timers) gets ``--areas``
areas, each with a motion sensor, a temperature sensor, a thermostat and a light
registered as an integration registers them, and AIoT Brain through its config
flow over every one of them (observe level: it decides for each thermostat and
light but calls nothing, so the devices need only show a state). After an hour
on the frozen clock, so every zone has learned and predicts, it measures on the
real clock:

- ``tick_ms``: one minute's step of every zone (the timers due that minute and all
  they set off: learning, predicting, deciding, publishing), the mean of
  ``--minutes`` minutes;
- ``state_changes_per_second``: a burst of ``--changes`` sensor changes spread
  over the areas (motion on and off, temperatures moving), each heard, learned
  from and published at once, as a building's sensors report;
- ``longest_loop_hold_ms``: the longest the event loop was held at once over
  the next ``SAVE_MINUTES`` minutes, which include writing the learned state:
  how long anything else in Home Assistant could have had to wait;
- ``longest_gc_pause_ms``: the longest pause of Python's garbage collector in
  those minutes, which stops the whole process and is left out of the hold;
- ``longest_reload_hold_ms``: the same hold while AIoT Brain is reloaded (saved,
  stopped, read back and its entities added again), as an options change does;
- ``longest_setup_hold_ms``: the same hold while it is first added through the
  config flow (``setup_seconds`` in all), and every area starts learning;
- ``longest_mode_change_hold_ms``: the same hold while the whole building is set
  to away and back (``aiot_brain.set_mode``), and every area decides anew.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
import gc
import json
from typing import Any

from homeassistant.const import STATE_OFF, STATE_ON, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er

# Makes ``dt_util.utcnow`` follow a frozen clock, as in Home Assistant's own tests.
from pytest_homeassistant_custom_component import patch_time  # noqa: F401

from benchmarks.end_to_end import (
    async_add_aiot_brain,
    frozen_home_assistant,
    real_seconds,
)
from custom_components.aiot_brain.const import DOMAIN

START = datetime(2026, 1, 5, 8)  # a Monday morning
WARM_UP_MINUTES = 60
# Longer than the delay of a save, so these minutes include one.
SAVE_MINUTES = 6
# Changes handled before waiting for all they set off: a sensor network's burst.
BURST = 50
_PLATFORM = "building_load"
_THERMOSTAT = {
    "hvac_modes": ["off", "heat"],
    "min_temp": 7,
    "max_temp": 30,
    "current_temperature": 20.0,
    "temperature": 20.0,
    "supported_features": 385,  # target temperature, turn on and off
}
_LIGHT = {"supported_color_modes": ["brightness"], "supported_features": 0}


def _add_areas(hass: HomeAssistant, count: int) -> list[tuple[str, str]]:
    """Register ``count`` areas with their sensors; return (motion, temperature)."""
    areas = ar.async_get(hass)
    entities = er.async_get(hass)
    sensors: list[tuple[str, str]] = []
    for index in range(count):
        area = areas.async_create(f"Room {index + 1}")
        pair = []
        for domain, device_class in (
            ("binary_sensor", "motion"),
            ("sensor", "temperature"),
        ):
            entry = entities.async_get_or_create(
                domain,
                _PLATFORM,
                f"room_{index + 1}_{device_class}",
                suggested_object_id=f"room_{index + 1}_{device_class}",
                original_device_class=device_class,
            )
            entities.async_update_entity(entry.entity_id, area_id=area.id)
            pair.append(entry.entity_id)
        motion, temperature = pair
        hass.states.async_set(motion, STATE_OFF, {"device_class": "motion"})
        _set_temperature(hass, temperature, 20.0)
        for domain, state, attributes in (
            ("climate", "heat", _THERMOSTAT),
            ("light", STATE_OFF, _LIGHT),
        ):
            entry = entities.async_get_or_create(
                domain,
                _PLATFORM,
                f"room_{index + 1}_{domain}",
                suggested_object_id=f"room_{index + 1}",
            )
            entities.async_update_entity(entry.entity_id, area_id=area.id)
            hass.states.async_set(entry.entity_id, state, attributes)
        sensors.append((motion, temperature))
    return sensors


def _set_temperature(hass: HomeAssistant, entity_id: str, celsius: float) -> None:
    hass.states.async_set(
        entity_id,
        f"{celsius:.1f}",
        {
            "device_class": "temperature",
            "unit_of_measurement": UnitOfTemperature.CELSIUS,
        },
    )


async def _measure(areas: int, minutes: int, changes: int) -> dict[str, Any]:
    async with frozen_home_assistant(START) as (hass, advance):
        sensors = _add_areas(hass, areas)
        began = real_seconds()
        async with _loop_watch() as setup_figures:
            entry = await async_add_aiot_brain(hass)
            await hass.async_block_till_done()
        setup_seconds = real_seconds() - began
        zones = len(entry.runtime_data.coordinator.zones)
        for _ in range(WARM_UP_MINUTES):
            await advance()

        began = real_seconds()
        for _ in range(minutes):
            await advance()
        tick_seconds = (real_seconds() - began) / minutes

        began = real_seconds()
        for change in range(changes):
            motion, temperature = sensors[change % areas]
            if change % 2 == 0:
                on = (change // (2 * areas)) % 2 == 0
                hass.states.async_set(
                    motion,
                    STATE_ON if on else STATE_OFF,
                    {"device_class": "motion"},
                )
            else:
                _set_temperature(hass, temperature, 20.0 + (change % 7) / 10)
            if change % BURST == BURST - 1:
                await hass.async_block_till_done()
        await hass.async_block_till_done()
        change_seconds = real_seconds() - began

        async with _loop_watch() as loop_figures:
            for _ in range(SAVE_MINUTES):
                await advance()
        async with _loop_watch() as mode_figures:
            for mode in ("away", "auto"):  # the whole building, as a manager would
                await hass.services.async_call(
                    DOMAIN, "set_mode", {"mode": mode}, blocking=True
                )
            await hass.async_block_till_done()
        async with _loop_watch() as reload_figures:
            await hass.config_entries.async_reload(entry.entry_id)
            await hass.async_block_till_done()

        await hass.config_entries.async_unload(entry.entry_id)
    return {
        "task": "building_load",
        "data": f"{areas} areas, each with motion, temperature, a thermostat, a light",
        "zones": zones,
        "setup_seconds": round(setup_seconds, 2),
        "tick_ms": round(tick_seconds * 1000, 1),
        "tick_ms_per_zone": round(tick_seconds * 1000 / max(zones, 1), 3),
        "state_changes_per_second": round(changes / change_seconds)
        if change_seconds > 0
        else None,
        "longest_loop_hold_ms": round(loop_figures["longest_hold"] * 1000, 1),
        "longest_gc_pause_ms": round(loop_figures["longest_gc_pause"] * 1000, 1),
        "longest_reload_hold_ms": round(reload_figures["longest_hold"] * 1000, 1),
        "longest_setup_hold_ms": round(setup_figures["longest_hold"] * 1000, 1),
        "longest_mode_change_hold_ms": round(mode_figures["longest_hold"] * 1000, 1),
    }


@asynccontextmanager
async def _loop_watch() -> AsyncIterator[dict[str, float]]:
    """Yield figures that end up holding the event loop's longest turn, in seconds.

    A task that only yields notes the real time between its turns: each gap is
    one pass of the loop. Python's garbage collector also stops everything, now
    and then, for as long as walking all of Home Assistant's objects takes. Its
    pauses are taken out of the gaps and given on their own.
    """
    figures = {"longest_hold": 0.0, "longest_gc_pause": 0.0}
    collecting = {"since": 0.0, "total": 0.0}

    def on_collection(phase: str, _info: dict[str, int]) -> None:
        now = real_seconds()
        if phase == "start":
            collecting["since"] = now
            return
        pause = now - collecting["since"]
        collecting["total"] += pause
        figures["longest_gc_pause"] = max(figures["longest_gc_pause"], pause)

    stop = asyncio.Event()

    async def watch() -> None:
        last, collected = real_seconds(), 0.0
        while not stop.is_set():
            await asyncio.sleep(0)
            now = real_seconds()
            held = now - last - (collecting["total"] - collected)
            figures["longest_hold"] = max(figures["longest_hold"], held)
            last, collected = now, collecting["total"]

    gc.callbacks.append(on_collection)
    watcher = asyncio.get_running_loop().create_task(watch())
    await asyncio.sleep(0)  # the watch starts first, or it misses the first turn
    try:
        yield figures
    finally:
        stop.set()
        await watcher
        gc.callbacks.remove(on_collection)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line, run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=200)
    parser.add_argument("--minutes", type=int, default=10, help="minutes timed")
    parser.add_argument("--changes", type=int, default=4000, help="changes timed")
    args = parser.parse_args(argv)
    if min(args.areas, args.minutes, args.changes) < 1:
        parser.error("--areas, --minutes and --changes must be at least 1")
    print(json.dumps(asyncio.run(_measure(args.areas, args.minutes, args.changes))))


if __name__ == "__main__":
    main()
