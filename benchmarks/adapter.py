"""What the Home Assistant side of AIoT Brain costs, measured in a real Home Assistant.

    python -m benchmarks.adapter [--zones 20] [--days 14] [--hour-zones 20]

A Home Assistant with the real recorder on SQLite (in a temporary directory) gets
``--zones`` areas, each with a motion sensor, a CO2 sensor and a thermometer, and
``--days`` of their history recorded. Then:

- warm start: AIoT Brain is set up on every zone and learns the whole history; the
  wall time is measured, and a probe task that wakes every 10 ms measures the
  longest event-loop stall meanwhile (target < 100 ms);
- one lived-in hour: ``--hour-zones`` zones get an hour of state changes (someone
  in for 40 minutes, then gone) and the minute ticks, on the hour's own clock;
  each state change is timed through the state machine, the adapter, the core and
  the entities (mean and p99 in µs, next to the same change of an entity nobody
  listens to), and the rows AIoT Brain's entities added to the recorder's
  ``states`` table are counted (target <= 30 per zone per hour).

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
import json
import math
import random
import statistics
import tempfile
import time
from typing import Any

from homeassistant import loader
from homeassistant.components import recorder
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    entity_registry as er,
    recorder as recorder_helper,
)
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)
from sqlalchemy import text

from custom_components.aiot_brain.const import DOMAIN
from custom_components.aiot_brain.coordinator import AiotBrainCoordinator
from custom_components.aiot_brain.settings import Settings

TARGET_ROWS_PER_ZONE_HOUR = 30
TARGET_STALL_MS = 100.0
PROBE_INTERVAL = 0.01


def _zone_id(number: int) -> str:
    return f"zone_{number:02d}"


def _build_zones(hass: HomeAssistant, zones: int) -> None:
    areas = ar.async_get(hass)
    entities = er.async_get(hass)
    for number in range(zones):
        area = areas.async_create(f"Zone {number:02d}")
        for object_id, domain, device_class, unit in (
            ("motion", "binary_sensor", "motion", None),
            ("co2", "sensor", "carbon_dioxide", "ppm"),
            ("temperature", "sensor", "temperature", "°C"),
        ):
            entry = entities.async_get_or_create(
                domain,
                "bench",
                f"{area.id}_{object_id}",
                suggested_object_id=f"{area.id}_{object_id}",
                original_device_class=device_class,
                unit_of_measurement=unit,
            )
            entities.async_update_entity(entry.entity_id, area_id=area.id)


def _occupied(number: int, when: datetime) -> bool:
    """Office hours, a little different for each zone; weekends empty."""
    start = 8 * 60 + (number % 4) * 30
    minute = when.hour * 60 + when.minute
    return when.weekday() < 5 and start <= minute < start + 8 * 60


def _day_of_states(
    number: int, day: datetime, rng: random.Random
) -> list[tuple[float, str, str, dict[str, Any]]]:
    """One zone's recorded day: (timestamp, entity id, state, attributes)."""
    zone = _zone_id(number)
    states: list[tuple[float, str, str, dict[str, Any]]] = []
    co2 = 420.0
    for minute in range(0, 24 * 60, 10):
        when = day + timedelta(minutes=minute)
        stamp = when.timestamp()
        present = _occupied(number, when)
        if present and rng.random() < 0.7:
            states.append((stamp, f"binary_sensor.{zone}_motion", "on", {}))
            states.append((stamp + 90, f"binary_sensor.{zone}_motion", "off", {}))
        co2 += (30.0 if present else -20.0) + rng.uniform(-5, 5)
        co2 = min(max(co2, 410.0), 1400.0)
        if minute % 30 == 0:
            unit = {"unit_of_measurement": "ppm"}
            states.append((stamp + 5, f"sensor.{zone}_co2", str(round(co2)), unit))
            temperature = 20.5 + (0.8 if present else 0.0) + rng.uniform(-0.2, 0.2)
            states.append(
                (
                    stamp + 7,
                    f"sensor.{zone}_temperature",
                    f"{temperature:.1f}",
                    {"unit_of_measurement": "°C"},
                )
            )
    return states


async def _record_history(hass: HomeAssistant, zones: int, days: int) -> int:
    rng = random.Random(5)
    today = dt_util.start_of_local_day()
    instance = recorder.get_instance(hass)
    count = 0
    for day_index in range(days, 0, -1):
        day = today - timedelta(days=day_index)
        states = [
            state
            for number in range(zones)
            for state in _day_of_states(number, day, rng)
        ]
        states.sort(key=lambda state: state[0])
        for stamp, entity_id, value, attributes in states:
            hass.states.async_set(entity_id, value, attributes, timestamp=stamp)
        count += len(states)
        await instance.async_block_till_done()
    return count


async def _probe(stalls: list[float], stop: asyncio.Event) -> None:
    """Sleep in short steps and note how late each wake-up is."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(PROBE_INTERVAL)
        stalls.append(loop.time() - before - PROBE_INTERVAL)


def _rows_by_entity(hass: HomeAssistant) -> dict[str, int]:
    with recorder.util.session_scope(hass=hass, read_only=True) as session:
        result = session.execute(
            text(
                "SELECT m.entity_id, COUNT(*) FROM states s "
                "JOIN states_meta m ON s.metadata_id = m.metadata_id "
                "GROUP BY m.entity_id"
            )
        )
        return {str(entity_id): int(rows) for entity_id, rows in result}


async def _live_hour(
    hass: HomeAssistant, coordinator: AiotBrainCoordinator, zones: int
) -> tuple[list[float], list[float]]:
    """One hour on its own clock; return the timed routed and unrouted changes."""
    rng = random.Random(11)
    start = dt_util.now().replace(second=0, microsecond=0)
    routed: list[float] = []
    unrouted: list[float] = []
    co2 = dict.fromkeys(range(zones), 700.0)

    def timed(samples: list[float], entity_id: str, value: str, stamp: float) -> None:
        attributes = {"unit_of_measurement": "ppm"} if "co2" in entity_id else {}
        began = time.perf_counter()
        hass.states.async_set(entity_id, value, attributes, timestamp=stamp)
        samples.append((time.perf_counter() - began) * 1e6)

    for minute in range(60):
        when = start + timedelta(minutes=minute)
        stamp = when.timestamp()
        for number in range(zones):
            zone = _zone_id(number)
            present = minute < 40
            if present and minute % 4 == 0:
                timed(routed, f"binary_sensor.{zone}_motion", "on", stamp + 1)
                timed(routed, f"binary_sensor.{zone}_motion", "off", stamp + 50)
            co2[number] += (8.0 if present else -15.0) + rng.uniform(-2, 2)
            co2[number] = min(max(co2[number], 410.0), 1400.0)
            timed(routed, f"sensor.{zone}_co2", str(round(co2[number])), stamp + 2)
            if minute % 5 == 0:
                value = (
                    f"{21.0 + 0.02 * min(minute, 40) - 0.01 * max(0, minute - 40):.1f}"
                )
                timed(routed, f"sensor.{zone}_temperature", value, stamp + 3)
            timed(unrouted, "sensor.nobody_listens", str(minute * 100 + number), stamp)
        coordinator._async_tick(when + timedelta(minutes=1))  # noqa: SLF001
        await hass.async_block_till_done()
    return routed, unrouted


def _micros(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
    return {
        "mean": round(statistics.fmean(ordered), 1),
        "p99": round(p99, 1),
        "count": len(ordered),
    }


async def run(zones: int, days: int, hour_zones: int) -> dict[str, Any]:
    """Run the benchmark and return its result."""
    with tempfile.TemporaryDirectory() as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            # Let Home Assistant load the repository's custom integration.
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            # The network inventory is off: zeroconf's sockets are not needed.
            hass.config.components.add("zeroconf")
            recorder_helper.async_initialize_recorder(hass)
            assert await async_setup_component(
                hass,
                recorder.DOMAIN,
                {recorder.DOMAIN: {"db_url": f"sqlite:///{config_dir}/bench.db"}},
            )
            await recorder.get_instance(hass).async_db_ready
            _build_zones(hass, zones)
            recorded = await _record_history(hass, zones, days)

            chosen = tuple(_zone_id(number) for number in range(zones))
            settings = Settings(
                zones=chosen, history_days=days, network_inventory=False
            )
            entry = MockConfigEntry(domain=DOMAIN, options=settings.as_options())
            entry.add_to_hass(hass)
            stalls: list[float] = []
            stop = asyncio.Event()
            probe = asyncio.create_task(_probe(stalls, stop))
            began = time.perf_counter()
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done(wait_background_tasks=True)
            warm_start = time.perf_counter() - began
            stop.set()
            await probe
            coordinator: AiotBrainCoordinator = entry.runtime_data.coordinator
            assert not coordinator.learning

            # Only the measured zones take part in the hour.
            instance = recorder.get_instance(hass)
            await instance.async_block_till_done()
            rows_before = await instance.async_add_executor_job(_rows_by_entity, hass)
            routed, unrouted = await _live_hour(hass, coordinator, hour_zones)
            await instance.async_block_till_done()
            rows_after = await instance.async_add_executor_job(_rows_by_entity, hass)
            ours = {
                entity_id: rows_after[entity_id] - rows_before.get(entity_id, 0)
                for entity_id in rows_after
                if "_aiot_brain_" in entity_id
                and any(
                    entity_id.split(".")[1].startswith(z) for z in chosen[:hour_zones]
                )
            }
            rows_per_zone = sum(ours.values()) / hour_zones
            busiest = sorted(ours.items(), key=lambda item: -item[1])[:5]
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_stop()

    longest_stall_ms = max(stalls, default=0.0) * 1000.0
    return {
        "task": "adapter",
        "data": (
            f"{zones} zones x {days} days recorded ({recorded} states), "
            f"then one lived-in hour in {hour_zones} zones"
        ),
        "state_change_us": _micros(routed),
        "unrouted_state_change_us": _micros(unrouted),
        "recorder_rows_per_zone_hour": round(rows_per_zone, 1),
        "busiest_entities_rows": dict(busiest),
        "warm_start_seconds": round(warm_start, 2),
        "warm_start_longest_loop_stall_ms": round(longest_stall_ms, 1),
        "targets": {
            "recorder_rows_per_zone_hour": TARGET_ROWS_PER_ZONE_HOUR,
            "warm_start_longest_loop_stall_ms": TARGET_STALL_MS,
            "all_met": rows_per_zone <= TARGET_ROWS_PER_ZONE_HOUR
            and longest_stall_ms < TARGET_STALL_MS,
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark from the command line and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=20)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--hour-zones", type=int, default=None)
    args = parser.parse_args(argv)
    hour_zones = min(args.hour_zones or args.zones, args.zones)
    result = asyncio.run(run(args.zones, args.days, hour_zones))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
