"""Physics sanity: drift, heating rate, energy balance, windows, air quality."""

from __future__ import annotations

from collections.abc import Callable
import math

import pytest

from simulator import Building, Command, load_scenario
from simulator.controllers import CONTROLLERS
from simulator.occupants import ASLEEP, AWAKE, Occupant

from .helpers import one_room


def test_unheated_room_drifts_to_outdoor_at_its_time_constant() -> None:
    scenario = one_room()
    building = Building(scenario)
    building.apply(
        Command("climate", "set_hvac_mode", "climate.room", {"hvac_mode": "off"})
    )
    zone = scenario.zones[0]
    tau_min = zone.heat_capacity_j_per_k / zone.ua_outside_w_per_k / 60.0
    for _ in range(int(tau_min)):
        building.step()
    # After one time constant, 1/e of the initial difference (20 - 5) is left.
    assert building.temp[0] == pytest.approx(5.0 + 15.0 / math.e, abs=0.05)
    for _ in range(int(5 * tau_min)):
        building.step()
    assert building.temp[0] == pytest.approx(5.0, abs=0.1)
    assert not building.heating[0]


def test_heater_reaches_setpoint_as_fast_as_its_power_allows() -> None:
    scenario = one_room(initial_c=12.0)
    building = Building(scenario)
    building.apply(
        Command(
            "climate",
            "set_temperature",
            "climate.room",
            {"temperature": 20.0, "hvac_mode": "heat"},
        )
    )
    zone = scenario.zones[0]
    ua, capacity, power = (
        zone.ua_outside_w_per_k,
        zone.heat_capacity_j_per_k,
        zone.heater_w,
    )
    equilibrium = 5.0 + power / ua  # where full power would settle: 55 °C
    expected_min = (
        capacity / ua * math.log((equilibrium - 12.0) / (equilibrium - 20.0)) / 60.0
    )
    minutes = 0
    while building.temp[0] < 20.0:
        building.step()
        minutes += 1
        assert minutes < 2 * expected_min
    assert minutes == pytest.approx(expected_min, abs=2)
    # Then the thermostat holds it within its hysteresis.
    for _ in range(600):
        building.step()
        assert 19.7 < building.temp[0] < 20.3
    assert building.states["climate.room"].attributes[
        "current_temperature"
    ] == pytest.approx(building.temp[0], abs=0.06)


def test_energy_balance_holds_in_a_lived_in_house() -> None:
    building = Building(load_scenario("family_home"), seed=3)
    building.run(CONTROLLERS["schedule"](building.info), 2 * 1440)
    scale = max(building.gain_j)
    for residual in building.balance():
        assert abs(residual) < 1e-6 * scale
    # What one zone gives its neighbours, they receive.
    assert abs(sum(building.exchange_j)) < 1e-6 * max(map(abs, building.exchange_j))
    assert building.metrics.heating_j > 0


def test_open_window_loses_heat_faster() -> None:
    closed, opened = Building(one_room()), Building(one_room())
    for building in (closed, opened):
        building.apply(
            Command("climate", "set_hvac_mode", "climate.room", {"hvac_mode": "off"})
        )
    opened.window_open[0] = True
    opened.window_close_at[0] = 10**9
    for _ in range(60):
        closed.step()
        opened.step()
    assert opened.temp[0] < closed.temp[0] - 1.0
    assert opened.states["binary_sensor.room_window"].state == "on"
    assert closed.states["binary_sensor.room_window"].state == "off"


def test_heating_energy_matches_heater_power_times_time_on() -> None:
    building = Building(one_room(initial_c=10.0))
    building.apply(
        Command(
            "climate",
            "set_temperature",
            "climate.room",
            {"temperature": 25.0, "hvac_mode": "heat"},
        )
    )
    for _ in range(60):
        building.step()
    assert building.heating[0]
    assert building.metrics.heating_j == pytest.approx(2000.0 * 3600.0)


def test_people_raise_co2_and_humidity_and_sensors_show_it() -> None:
    building = Building(load_scenario("apartment"), seed=1)
    bedroom = building.zone_index["bedroom"]
    water_before = building.water[bedroom]
    # Night: the occupant sleeps in the bedroom with the door closed.
    for _ in range(4 * 60):
        building.step()
    assert building.asleep[bedroom] == 1
    assert building.co2[bedroom] > 900.0
    co2_state = float(building.states["sensor.bedroom_co2"].state)
    assert co2_state == pytest.approx(building.co2[bedroom], abs=10.0)
    assert building.water[bedroom] > water_before
    humidity = float(building.states["sensor.bedroom_humidity"].state)
    assert 10.0 < humidity <= 100.0


def test_daylight_follows_the_sun() -> None:
    building = Building(load_scenario("family_home"))
    seen = []
    for _ in range(1440):
        building.step()
        seen.append(building.outdoor_lux)
    assert seen[2 * 60] == 0.0  # 02:00 in January
    assert seen[12 * 60] > 2000.0
    assert seen[22 * 60] == 0.0


def test_sleepers_are_scored_against_their_night_preference() -> None:
    building = Building(load_scenario("apartment"), seed=1)
    sam = building.occupants[0]
    assert sam.spec.sleep_setpoint_c == 18.5
    bedroom = building.zone_index["bedroom"]
    building.temp[bedroom] = 18.5  # right for sleeping, 2 °C under the day preference
    building.step()
    assert building.activity[0] == ASLEEP
    assert building.metrics.miss_time_min == 0
    building.temp[bedroom] = 21.0
    building.step()
    assert building.metrics.miss_time_min == 1
    assert building.metrics.miss_time_too_warm_min == 1
    building.temp[bedroom] = 16.0
    building.step()
    assert building.metrics.miss_time_min == 2
    assert building.metrics.miss_time_too_warm_min == 1  # too cold this time


def _step_until(building: Building, ready: Callable[[], bool]) -> None:
    for _ in range(3 * 1440):
        if ready():
            return
        building.step()
    raise AssertionError("never came about in three days")


def test_misses_while_everyone_there_sleeps_are_told_apart() -> None:
    # The family's kids share a room: David goes to bed at eight, Clara later.
    building = Building(load_scenario("family_home"))
    room = building.zone_index["kids_room"]
    clara, david = building.occupants[2], building.occupants[3]
    assert (clara.spec.name, david.spec.name) == ("Clara", "David")

    def there(person: Occupant, activity: int) -> bool:
        return (
            building.position[person.index] == room
            and building.activity[person.index] == activity
        )

    def misses_in_a_minute(while_so: Callable[[], bool]) -> tuple[int, int]:
        """Misses and misses asleep in the kids' room, far too warm for a minute."""
        _step_until(building, while_so)
        metrics = building.metrics
        misses = metrics.zone_miss_time_min[room]
        asleep_misses = metrics.zone_asleep_miss_min[room]
        building.temp[room] = 30.0
        building.step()
        assert while_so()  # still so when the minute was scored
        return (
            metrics.zone_miss_time_min[room] - misses,
            metrics.zone_asleep_miss_min[room] - asleep_misses,
        )

    def clara_up() -> bool:
        return there(david, ASLEEP) and there(clara, AWAKE)

    def both_asleep() -> bool:
        return there(david, ASLEEP) and there(clara, ASLEEP)

    assert misses_in_a_minute(clara_up) == (1, 0)  # she can say what she wants
    assert misses_in_a_minute(both_asleep) == (1, 1)
    zones = building.metrics.by_zone([zone.id for zone in building.scenario.zones])
    assert zones["kids_room"]["miss_time_asleep_min"] >= 1
    assert zones["living_room"]["miss_time_asleep_min"] == 0
    assert sum(zone["miss_time_asleep_min"] for zone in zones.values()) == (
        building.metrics.miss_time_asleep_min
    )


def _too_warm_in_the_living_room(target: float) -> Building:
    """Sam awake in the flat's living room, kept at 24 °C with its thermostat at ``target``.

    Stepped until Sam has been too warm for longer than their patience.
    """
    building = Building(load_scenario("apartment"), seed=1)
    room = building.zone_index["living_kitchen"]
    sam = building.occupants[0]
    patience = sam.spec.patience_min
    # Until they are up in there for longer than their patience lasts.
    _step_until(
        building,
        lambda: (
            building.position[sam.index] == room
            and building.activity[sam.index] == AWAKE
            and sam.segments[0][0] - building.minute > patience + 1
        ),
    )
    building.apply(
        Command(
            "climate",
            "set_temperature",
            "climate.living_kitchen",
            {"temperature": target, "hvac_mode": "heat"},
        )
    )
    for _ in range(patience + 1):
        building.temp[room] = 24.0  # the sun, say: 3.5 K above Sam's 20.5 °C
        building.step()
    assert building.position[sam.index] == room
    return building


def test_too_warm_people_turn_down_only_heating_that_keeps_them_warm() -> None:
    # The sun warmed the room past its thermostat's 21 °C: turning that down would
    # not cool it, so Sam opens the window, as they would with no thermostat at all.
    sunny = _too_warm_in_the_living_room(target=21.0)
    room = sunny.zone_index["living_kitchen"]
    assert sunny.window_open[room]
    assert sunny.target[room] == 21.0
    # The heating keeps it at 24 °C: they turn it down to what they want, window shut.
    heated = _too_warm_in_the_living_room(target=24.0)
    assert heated.target[room] == 20.5
    assert not heated.window_open[room]
