"""A zone's models wired together, and a building of zones saved and restored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
import json
import math
from zoneinfo import ZoneInfo

import pytest

from custom_components.aiot_brain.brain.observation import Observation, Role
from custom_components.aiot_brain.brain.timefeatures import local_time, wall_clock
from custom_components.aiot_brain.brain.zone import Brain, ZoneBrain

from .test_lighting import _visits

MONDAY = datetime(2026, 11, 2)


def _live_two_weeks(
    zone: ZoneBrain, setpoints: dict[tuple[int, int], float] | None = None
) -> datetime:
    """Occupied 08:00-17:00 on weekdays with motion every 10 minutes, CO2 up.

    The CO2 settles towards 900 ppm with people in and back to 420 ppm within
    hours once they left, as a room's air does (a step would be an airing).
    ``setpoints`` are set by hand each weekday at their (hour, minute).
    """
    when = MONDAY
    co2 = 420.0
    for minute in range(14 * 24 * 60):
        when = MONDAY + timedelta(minutes=minute)
        present = when.weekday() < 5 and 8 <= when.hour < 17
        setpoint = (setpoints or {}).get((when.hour, when.minute))
        if present and setpoint is not None:
            zone.learn_one(
                Observation(Role.HVAC_SETPOINT, setpoint, when, "climate", manual=True)
            )
        if minute % 10 == 0:
            zone.learn_one(Observation(Role.MOTION, float(present), when, "motion"))
            settled = 900.0 if present else 420.0
            co2 = settled + (co2 - settled) * math.exp(-10.0 / 60.0)
            zone.learn_one(Observation(Role.CO2, co2, when, "co2"))
        if minute % 5 == 0:
            zone.tick(when)
    return when


@pytest.fixture(scope="module")
def trained() -> ZoneBrain:
    zone = ZoneBrain()
    _live_two_weeks(zone)
    return zone


def test_no_arrival_is_told_while_everyone_is_away_on_a_trip(
    trained: ZoneBrain,
) -> None:
    zone = ZoneBrain.from_dict(json.loads(json.dumps(trained.to_dict())))
    monday_early = MONDAY + timedelta(days=14, hours=5)
    assert zone.predict_one(monday_early).next_arrival is not None
    left = monday_early - timedelta(hours=33)  # Saturday evening
    zone.learn_one(Observation(Role.NOBODY_HOME, 1.0, left, "person.anna"))
    prediction = zone.predict_one(monday_early)
    assert prediction.trip_since == left
    assert (prediction.next_arrival, prediction.arrival_confidence) == (None, 0.0)
    # Someone without a phone moves about here: no trip here, arrivals as usual.
    zone.learn_one(Observation(Role.MOTION, 1.0, monday_early, "motion"))
    prediction = zone.predict_one(monday_early)
    assert prediction.trip_since is None
    assert "no trip here" in prediction.reasons["absence"]


def test_the_usual_week_is_not_forecast_during_a_trip(trained: ZoneBrain) -> None:
    zone = ZoneBrain.from_dict(json.loads(json.dumps(trained.to_dict())))
    monday_0730 = MONDAY + timedelta(days=14, hours=7, minutes=30)
    usual = zone.predict_one(monday_0730)
    assert usual.forecast["1h"] > 0.8
    assert "trip" not in usual.reasons["forecast"]
    left = monday_0730 - timedelta(hours=36)  # Saturday evening
    zone.learn_one(Observation(Role.NOBODY_HOME, 1.0, left, "person.anna"))
    on_trip = zone.predict_one(monday_0730)
    assert on_trip.trip_since == left
    assert on_trip.forecast.keys() == usual.forecast.keys()
    assert max(on_trip.forecast.values()) <= on_trip.occupancy_probability < 0.5
    assert "on a trip" in on_trip.reasons["forecast"]


def test_the_forecast_reason_gives_the_forecast_shown(trained: ZoneBrain) -> None:
    zone = ZoneBrain.from_dict(json.loads(json.dumps(trained.to_dict())))
    saturday_10 = MONDAY + timedelta(days=19, hours=10)  # usually empty
    zone.learn_one(Observation(Role.MOTION, 1.0, saturday_10, "motion"))
    # Before the next tick the forecast still counts the area empty: the motion
    # is the activity that counts.
    prediction = zone.predict_one(saturday_10 + timedelta(seconds=30))

    shown = f"In 1h: {prediction.forecast['1h']:.0%} occupied"
    assert prediction.reasons["forecast"].startswith(shown)
    assert "recent activity in the area" in prediction.reasons["forecast"]


def test_occupancy_follows_motion(trained: ZoneBrain) -> None:
    zone = ZoneBrain.from_dict(json.loads(json.dumps(trained.to_dict())))
    tuesday_10 = MONDAY + timedelta(days=15, hours=10)
    zone.learn_one(Observation(Role.MOTION, 1.0, tuesday_10, "motion"))
    zone.learn_one(Observation(Role.CO2, 900.0, tuesday_10, "co2"))
    assert zone.tick(tuesday_10 + timedelta(minutes=1)) > 0.8
    prediction = zone.predict_one(tuesday_10 + timedelta(minutes=1))
    assert prediction.occupied
    assert "motion" in prediction.reasons["occupancy"]


def test_forecast_learns_the_working_week(trained: ZoneBrain) -> None:
    monday_early = MONDAY + timedelta(days=14, hours=5)
    prediction = trained.predict_one(monday_early)
    assert not prediction.occupied
    assert prediction.forecast["15min"] < 0.1
    assert prediction.forecast["6h"] > 0.8
    assert prediction.next_arrival is not None
    assert prediction.next_arrival.date() == monday_early.date()
    assert 7 <= prediction.next_arrival.hour <= 9


def test_pre_heating_is_told_the_comfort_of_the_arrivals_hour() -> None:
    # 19 °C set on coming in at 08:10, 22 °C at 15:00: at 05:00, pre-heating
    # for the 08:00 arrival aims at the morning's comfort, not at what the
    # small hours lean on.
    zone = ZoneBrain(heating_default=20.0)
    _live_two_weeks(zone, {(8, 10): 19.0, (15, 0): 22.0})
    monday_early = MONDAY + timedelta(days=14, hours=5)
    prediction = zone.predict_one(monday_early)
    assert prediction.next_arrival is not None
    assert 7 <= prediction.next_arrival.hour <= 9
    assert prediction.arrival_heating_setpoint == pytest.approx(19.0, abs=0.5)
    assert prediction.heating_setpoint is not None
    assert prediction.heating_setpoint > prediction.arrival_heating_setpoint + 0.5
    # Three hours ahead, beyond the 2 hours alike moments tell the next arrival
    # from, the early arrival a slow room warms for is told too, with its comfort.
    early = prediction.early_arrival
    assert early is not None
    assert 7 <= early.when.hour <= 9
    assert early.heating_setpoint == pytest.approx(19.0, abs=0.5)
    # A room in use has no arrival ahead to warm for.
    came_in = MONDAY + timedelta(days=14, hours=8, minutes=30)
    zone.learn_one(Observation(Role.MOTION, 1.0, came_in, "motion"))
    zone.tick(came_in)
    in_use = zone.predict_one(came_in)
    assert in_use.arrival_heating_setpoint is None
    assert in_use.early_arrival is None


def test_the_comfort_of_the_hour_people_get_up_is_told_where_asked() -> None:
    # The same habits: at 04:00, warming for a 08:10 rising aims at 19 °C, and a
    # comfort offset (the area's number) moves it as it moves the others.
    zone = ZoneBrain(heating_default=20.0)
    _live_two_weeks(zone, {(8, 10): 19.0, (15, 0): 22.0})
    small_hours = MONDAY + timedelta(days=14, hours=4)
    rising = small_hours.replace(hour=8, minute=10)
    assert zone.predict_one(small_hours).waking_heating_setpoint is None
    prediction = zone.predict_one(small_hours, waking=rising)
    assert prediction.waking_heating_setpoint == pytest.approx(19.0, abs=0.5)
    assert prediction.heating_setpoint is not None
    assert prediction.heating_setpoint > prediction.waking_heating_setpoint + 0.5
    warmer = prediction.with_comfort_offset(1.0)
    assert warmer.waking_heating_setpoint == pytest.approx(
        prediction.waking_heating_setpoint + 1.0
    )


def test_an_empty_zone_keeps_the_comfort_people_set_there() -> None:
    """A meeting room's people set it warmer the fuller it is; empty, it is not colder.

    The comfort is what people set, at the occupancy usual at their changes: an
    empty room's, far from any label, would follow the occupancy effect down.
    """
    zone = ZoneBrain(heating_default=20.0)
    for day in range(28):
        evening = MONDAY + timedelta(days=day, hours=19)
        zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, evening, "out"))
        full = day % 2 == 0
        zone.occupancy_probability = 1.0 if full else 0.6
        setpoint = 22.0 if full else 21.0
        zone.learn_one(
            Observation(Role.HVAC_SETPOINT, setpoint, evening, "climate", manual=True)
        )
    zone.occupancy_probability = 0.02  # nobody there for hours
    empty = zone.predict_one(MONDAY + timedelta(days=29, hours=19))
    zone.occupancy_probability = 1.0
    full = zone.predict_one(MONDAY + timedelta(days=29, hours=19))
    assert 21.0 <= empty.comfort_setpoint <= 22.0
    assert empty.heating_setpoint == full.heating_setpoint


def test_everyone_away_reaches_the_forecast() -> None:
    zone = ZoneBrain()
    when = MONDAY + timedelta(hours=12)
    zone.learn_one(Observation(Role.NOBODY_HOME, 1.0, when, "person.anna"))
    zone.tick(when)
    pending = zone.forecast.pending
    assert pending
    # Weighted apart by the zone's state, as all evidence is.
    assert all(
        any("nobody_home_now" in name and value > 0 for name, value in x.items())
        for *_, x in pending
    )


def test_manual_setpoints_teach_comfort() -> None:
    zone = ZoneBrain(heating_default=20.0)
    for day in range(21):
        evening = MONDAY + timedelta(days=day, hours=19)
        zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, evening, "out"))
        zone.learn_one(
            Observation(Role.HVAC_SETPOINT, 22.0, evening, "climate", manual=True)
        )
        # An automatic setpoint (not a person's) is no comfort label.
        zone.learn_one(Observation(Role.HVAC_SETPOINT, 16.0, evening, "climate"))
    prediction = zone.predict_one(MONDAY + timedelta(days=22, hours=19))
    assert prediction.comfort_setpoint == pytest.approx(22.0, abs=0.5)
    assert prediction.comfort_setpoint_std < 1.0


def _turned_up(
    zone: ZoneBrain, setpoint: float, days: int = 3, first_day: int = 0
) -> None:
    """People set ``setpoint`` by hand each winter morning at 09:00."""
    for day in range(first_day, first_day + days):
        morning = MONDAY + timedelta(days=day, hours=9)
        zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, morning, "out"))
        zone.learn_one(
            Observation(Role.HVAC_SETPOINT, setpoint, morning, "climate", manual=True)
        )


def test_setpoints_outside_the_bounds_teach_no_comfort_before_or_after_saving() -> None:
    """Turned right down to switch off, right up to boost: no comfort wanted."""
    brain = Brain(20.0, 24.0, setpoint_bounds=(16.0, 28.0))
    _turned_up(brain.zone("hall"), 7.0)
    _turned_up(brain.zone("hall"), 30.0)
    assert brain.zone("hall").comfort.labels == 0

    data = json.loads(json.dumps(brain.to_dict()))
    restored, _ = Brain.from_dict(data, 20.0, 24.0, setpoint_bounds=(16.0, 28.0))
    for labels, zone in enumerate(
        (restored.zone("hall"), restored.restart_zone("hall"))
    ):
        _turned_up(zone, 5.0)
        assert zone.comfort.labels == labels
        # The lowest bound is a setpoint we set (on a morning of its own).
        _turned_up(zone, 16.0, days=1, first_day=labels)
    assert restored.zone("hall").comfort.labels == 2


def test_a_zone_without_changes_of_its_own_starts_from_the_others() -> None:
    brain = Brain(heating_default=20.0, cooling_default=24.0)
    for zone_id in ("office_1", "office_2"):
        _turned_up(brain.zone(zone_id), 22.0)
    brain.zone("office_3").learn_one(
        Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "out")
    )
    noon = MONDAY + timedelta(days=4, hours=12)

    quiet = brain.zone("office_3").predict_one(noon)
    assert 21.5 < quiet.comfort_setpoint < 22.0  # most of the way to the others'
    assert "as people set other areas" in quiet.reasons["comfort"]
    assert quiet.cooling_setpoint == 24.0  # nobody has set the cooling yet

    # Its own people's changes outweigh the others' within a few.
    _turned_up(brain.zone("office_3"), 19.0)
    morning = noon - timedelta(hours=3)
    assert brain.zone("office_3").predict_one(morning).comfort_setpoint < 19.5
    assert brain.zone("office_3").predict_one(noon).comfort_setpoint < 20.0

    # Saved and restored, the building tells the same; without the others, the
    # default again.
    data = json.loads(json.dumps(brain.to_dict()))
    restored, _ = Brain.from_dict(data, heating_default=20.0, cooling_default=24.0)
    for zone_id in ("office_1", "office_2", "office_3"):
        assert restored.zone(zone_id).predict_one(noon) == brain.zone(
            zone_id
        ).predict_one(noon)
    fresh = restored.zone("office_4")
    fresh.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "out"))
    assert fresh.predict_one(noon).comfort_setpoint > 20.5
    for zone_id in ("office_1", "office_2", "office_3"):
        restored.remove_zone(zone_id)
    assert fresh.predict_one(noon).comfort_setpoint == 20.0


def test_forgetting_a_zones_comfort_keeps_its_other_lessons() -> None:
    """A guest's 23 °C goes, from the zone and from what the others lean on."""
    brain = Brain(heating_default=20.0, cooling_default=24.0)
    guest_room, hall = brain.zone("guest_room"), brain.zone("hall")
    _turned_up(guest_room, 23.0)
    hall.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "out"))
    noon = MONDAY + timedelta(days=4, hours=12)
    assert hall.predict_one(noon).comfort_setpoint > 21.0  # leaning on the guest's
    occupancy = guest_room.occupancy

    brain.forget_comfort("guest_room")

    assert brain.zone("guest_room") is guest_room
    assert guest_room.occupancy is occupancy
    assert guest_room.comfort.labels == 0
    assert guest_room.predict_one(noon).comfort_setpoint == 20.0
    assert hall.predict_one(noon).comfort_setpoint == 20.0
    # It learns again, and the others lean on it again.
    _turned_up(guest_room, 21.0)
    assert hall.predict_one(noon).comfort_setpoint > 20.0
    brain.forget_comfort("attic")  # no such zone: nothing to forget
    assert "attic" not in brain.zones


def test_new_defaults_change_only_what_people_have_not_taught() -> None:
    brain = Brain(heating_default=20.0, cooling_default=24.0)
    _turned_up(brain.zone("office_1"), 22.0)
    brain.zone("hall").learn_one(
        Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "out")
    )
    morning = MONDAY + timedelta(days=4, hours=9)
    taught = brain.zone("office_1").predict_one(morning).comfort_setpoint
    leaning = brain.zone("hall").predict_one(morning).comfort_setpoint
    data = json.loads(json.dumps(brain.to_dict()))

    # The user raised the defaults in the options: restored with them.
    restored, _ = Brain.from_dict(data, heating_default=21.0, cooling_default=25.0)

    # People's 22 °C stays theirs: only the little weight the default has beside
    # three changes moves with it.
    office = restored.zone("office_1").predict_one(morning)
    assert office.comfort_setpoint == pytest.approx(taught, abs=0.1)
    # The hall leans on them as before, from the new default: between the two.
    hall = restored.zone("hall").predict_one(morning)
    assert leaning < hall.comfort_setpoint < office.comfort_setpoint
    # Where nobody taught anything, the new defaults answer.
    assert hall.cooling_setpoint == 25.0
    restored.remove_zone("office_1")
    assert restored.zone("hall").predict_one(morning).comfort_setpoint == 21.0
    assert restored.zone("attic").predict_one(morning).comfort_setpoint == 21.0


def test_time_to_temperature_needs_both_temperatures() -> None:
    zone = ZoneBrain()
    assert zone.predict_one(MONDAY).time_to_temperature is None
    # Comfortable already: nothing to wait for, outdoor reading or not.
    zone.learn_one(Observation(Role.TEMPERATURE, 21.5, MONDAY, "t"))
    assert zone.predict_one(MONDAY).time_to_temperature == timedelta(0)
    # Colder: how long it takes depends on the outside.
    zone.learn_one(Observation(Role.TEMPERATURE, 17.0, MONDAY, "t"))
    assert zone.predict_one(MONDAY).time_to_temperature is None
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "out"))
    predicted = zone.predict_one(MONDAY)
    duration = predicted.time_to_temperature
    assert duration is not None
    assert duration > timedelta(0)
    # The prediction carries the zone's response, which times the same way.
    assert predicted.thermal is not None
    assert predicted.thermal.time_to(17.0, predicted.heating_setpoint, 5.0) == duration
    # Still the prior's rate: no setback is limited by it.
    assert not predicted.heating_learned


def test_the_thermal_model_learns_with_the_zones_occupancy(trained: ZoneBrain) -> None:
    zone = ZoneBrain.from_dict(json.loads(json.dumps(trained.to_dict())))
    tuesday_10 = MONDAY + timedelta(days=15, hours=10)
    zone.learn_one(Observation(Role.MOTION, 1.0, tuesday_10, "motion"))
    zone.learn_one(Observation(Role.CO2, 900.0, tuesday_10, "co2"))
    probability = zone.tick(tuesday_10 + timedelta(minutes=1))
    assert zone.thermal.occupied == probability > 0.8
    # An occupied room's time to temperature counts what its people add.
    zone.thermal.coefficients[4] = 1.0  # K/h from people, as if learned
    zone.learn_one(Observation(Role.TEMPERATURE, 18.0, tuesday_10, "t"))
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, tuesday_10, "out"))
    predicted = zone.predict_one(tuesday_10 + timedelta(minutes=1))
    assert predicted.thermal is not None
    goal = predicted.heating_setpoint
    empty = predicted.thermal.time_to(18.0, goal, 5.0)
    assert empty is not None
    assert predicted.time_to_temperature == (
        predicted.thermal.time_to(18.0, goal, 5.0, occupied=probability)
    )
    assert predicted.time_to_temperature < empty


def test_time_to_temperature_is_until_the_zone_is_within_its_comfort() -> None:
    zone = ZoneBrain(heating_default=20.0, cooling_default=24.0)
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 15.0, MONDAY, "out"))

    def time_at(indoor: float) -> timedelta | None:
        zone.learn_one(Observation(Role.TEMPERATURE, indoor, MONDAY, "t"))
        return zone.predict_one(MONDAY).time_to_temperature

    # Between the heating and the cooling comfort it is comfortable already.
    assert time_at(22.0) == timedelta(0)
    # Colder: up to the heating comfort (20 °C), whichever season it is.
    assert time_at(18.0) == zone.thermal.response().time_to(18.0, 20.0, 15.0)
    # Warmer: down to the cooling comfort (24 °C), not to the heating one.
    warm = time_at(26.0)
    assert warm == zone.thermal.response().time_to(26.0, 24.0, 15.0)
    assert warm is not None
    assert warm < zone.thermal.response().time_to(26.0, 20.0, 15.0)


def test_time_to_temperature_only_times_a_way_the_thermostats_can_go() -> None:
    zone = ZoneBrain(heating_default=20.0, cooling_default=24.0)
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 15.0, MONDAY, "out"))

    def time_at(indoor: float, **reach: bool) -> timedelta | None:
        zone.learn_one(Observation(Role.TEMPERATURE, indoor, MONDAY, "t"))
        return zone.predict_one(MONDAY, **reach).time_to_temperature

    # A heater cannot cool a warm room down: nothing to wait for.
    assert time_at(26.0, can_cool=False) == timedelta(0)
    assert time_at(18.0, can_cool=False) == zone.thermal.response().time_to(
        18.0, 20.0, 15.0
    )
    # An air conditioner cannot warm a cold one up.
    assert time_at(18.0, can_heat=False) == timedelta(0)
    assert time_at(26.0, can_heat=False) == zone.thermal.response().time_to(
        26.0, 24.0, 15.0
    )


def test_window_contact_and_anomalies() -> None:
    zone = ZoneBrain()
    assert zone.predict_one(MONDAY).window_open is None
    zone.learn_one(Observation(Role.WINDOW, 1.0, MONDAY, "window"))
    zone.learn_one(Observation(Role.TEMPERATURE, 79.0, MONDAY, "t"))
    prediction = zone.predict_one(MONDAY)
    assert prediction.window_open is True
    assert prediction.anomalies == ()  # 79 °C is still plausible for the core...
    zone.learn_one(Observation(Role.TEMPERATURE, 120.0, MONDAY, "t"))
    assert zone.bad_values == 1  # ...but 120 °C is not a reading to learn from,
    assert zone.latest[Role.TEMPERATURE] == 79.0
    # ...it is a faulty sensor to report.
    kinds = [anomaly.kind for anomaly in zone.predict_one(MONDAY).anomalies]
    assert kinds == ["out_of_range"]


def test_a_window_is_open_while_any_of_its_contacts_reads_open() -> None:
    zone = ZoneBrain()
    for contact in ("binary_sensor.left", "binary_sensor.right"):
        zone.learn_one(Observation(Role.WINDOW, 1.0, MONDAY, contact))
    shut = MONDAY + timedelta(minutes=5)
    zone.learn_one(Observation(Role.WINDOW, 0.0, shut, "binary_sensor.right"))
    assert zone.predict_one(shut).window_open is True  # the left one is still open
    # Open for days, the left one is no dead sensor: it reports only changes.
    later = shut + timedelta(days=2)
    zone.learn_one(Observation(Role.WINDOW, 0.0, later, "binary_sensor.right"))
    assert zone.predict_one(later).window_open is True
    restored = ZoneBrain.from_dict(json.loads(json.dumps(zone.to_dict())))
    # The open one stops reading: the other one, shut, reads the room.
    restored.learn_one(
        Observation(Role.WINDOW, 0.0, later, "binary_sensor.left", gone=True)
    )
    assert restored.predict_one(later).window_open is False


def test_no_heating_is_learned_while_the_thermostats_are_unavailable() -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "weather"))
    for name in ("climate.left", "climate.right"):
        zone.learn_one(Observation(Role.HVAC_ACTION, 1.0, MONDAY, name))

    def cooling_down(start: datetime, hours: int) -> datetime:
        when = start
        for minute in range(0, hours * 60, 10):
            when = start + timedelta(minutes=minute)
            reading = 20.0 - minute / 60.0  # the heating is in fact off
            zone.learn_one(Observation(Role.TEMPERATURE, reading, when, "sensor.t"))
        return when

    # One radiator goes unavailable while heating, the other has stopped: the
    # room cools with nothing heating it, and is learned so.
    left_gone = MONDAY + timedelta(minutes=1)
    zone.learn_one(Observation(Role.HVAC_ACTION, 0.0, left_gone, "climate.right"))
    zone.learn_one(
        Observation(Role.HVAC_ACTION, 0.0, left_gone, "climate.left", gone=True)
    )
    when = cooling_down(left_gone, 2)
    heating, idle = zone.thermal.samples[1], zone.thermal.samples[0]
    assert idle > 0
    # Now both are unavailable: nothing is learned, idle or heating.
    zone.learn_one(Observation(Role.HVAC_ACTION, 0.0, when, "climate.right", gone=True))
    when = cooling_down(when, 3)
    assert zone.thermal.samples[:2] == [idle, heating]
    # One is back: learning goes on.
    zone.learn_one(Observation(Role.HVAC_ACTION, 0.0, when, "climate.right"))
    cooling_down(when, 2)
    assert zone.thermal.samples[0] > idle


@pytest.mark.parametrize("leaves", ["unavailable", "moved away"])
def test_a_contact_gone_while_open_no_longer_says_the_window_is(leaves: str) -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.WINDOW, 1.0, MONDAY, "binary_sensor.window"))
    gone = MONDAY + timedelta(minutes=1)
    if leaves == "unavailable":
        zone.learn_one(
            Observation(Role.WINDOW, 0.0, gone, "binary_sensor.window", gone=True)
        )
    else:
        zone.keep_sources(set())
    assert zone.predict_one(gone + timedelta(days=3)).window_open is None
    assert Role.WINDOW not in zone.latest


@pytest.mark.parametrize("leaves", ["unavailable", "moved away"])
def test_time_to_temperature_is_unknown_once_no_thermometer_reads(leaves: str) -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "weather"))
    for source, reading in (("sensor.desk", 17.0), ("sensor.shelf", 19.0)):
        zone.learn_one(Observation(Role.TEMPERATURE, reading, MONDAY, source))
    gone = MONDAY + timedelta(minutes=1)
    zone.learn_one(Observation(Role.TEMPERATURE, 0.0, gone, "sensor.shelf", gone=True))
    # The desk reads the room alone.
    assert zone.latest[Role.TEMPERATURE] == 17.0
    assert zone.predict_one(gone).time_to_temperature == (
        zone.thermal.response().time_to(17.0, 20.0, 5.0)
    )
    if leaves == "unavailable":
        zone.learn_one(
            Observation(Role.TEMPERATURE, 0.0, gone, "sensor.desk", gone=True)
        )
    else:
        zone.keep_sources({"weather"})
    prediction = zone.predict_one(gone + timedelta(days=3))
    assert prediction.time_to_temperature is None
    assert prediction.window_open is None  # nothing to infer it from
    assert Role.OUTDOOR_TEMPERATURE in zone.latest


@pytest.mark.parametrize("leaves", ["unavailable", "moved away"])
def test_the_air_is_not_read_once_no_co2_sensor_reads(leaves: str) -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.CO2, 1400.0, MONDAY, "sensor.co2"))
    # Two hours with nothing new: still the room's air, holding steady.
    later = MONDAY + timedelta(hours=2)
    features = zone.occupancy.features(later)
    assert features["co2_excess"] == pytest.approx(math.log1p(9.8))
    assert features["co2_trend"] == pytest.approx(0.0, abs=1e-9)
    # Heard again with the same reading all night, it is still read at up;
    # a motion sensor heard clear again, while another sees someone, stays clear.
    zone.learn_one(Observation(Role.MOTION, 1.0, MONDAY, "binary_sensor.bed"))
    zone.learn_one(Observation(Role.MOTION, 0.0, MONDAY, "binary_sensor.door"))
    for hour in range(3, 10):
        zone.heard(Role.CO2, "sensor.co2", MONDAY + timedelta(hours=hour))
        zone.heard(Role.MOTION, "binary_sensor.door", MONDAY + timedelta(hours=hour))
    up = MONDAY + timedelta(hours=10)  # at dawn
    zone.learn_one(Observation(Role.MOTION, 0.0, up, "binary_sensor.bed"))
    assert zone.occupancy.features(up)["motion_now"] == 0.0
    # (Above a fresh-air baseline that crept up by 5 ppm an hour meanwhile.)
    assert zone.occupancy.features(up)["co2_excess"] == pytest.approx(
        math.log1p(9.45), abs=0.01
    )
    if leaves == "unavailable":
        zone.learn_one(Observation(Role.CO2, 0.0, up, "sensor.co2", gone=True))
    else:
        zone.keep_sources(set())
    assert "co2_excess" not in zone.occupancy.features(up)


@pytest.mark.parametrize("leaves", ["unavailable", "no longer chosen"])
def test_an_outdoor_source_that_stops_reading_is_not_read_for_good(
    leaves: str,
) -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.TEMPERATURE, 17.0, MONDAY, "sensor.desk"))
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "weather"))
    assert zone.predict_one(MONDAY).time_to_temperature is not None

    gone = MONDAY + timedelta(minutes=1)
    if leaves == "unavailable":
        zone.learn_one(
            Observation(Role.OUTDOOR_TEMPERATURE, 0.0, gone, "weather", gone=True)
        )
    else:
        zone.keep_sources({"sensor.desk"})
    # Last week's 5 °C would time the heating, and teach the heating model.
    assert zone.predict_one(gone).time_to_temperature is None
    assert zone.thermal.outdoor is None
    assert zone.thermal.predict_one({"temperature": 17.0}) is None

    # Back: it is read again.
    later = gone + timedelta(hours=2)
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, -2.0, later, "weather"))
    assert zone.predict_one(later).time_to_temperature == (
        zone.thermal.response().time_to(17.0, 20.0, -2.0)
    )


def test_the_exit_watch_tells_the_zones_motion_sensors_apart() -> None:
    zone = ZoneBrain()
    minute = timedelta(minutes=1)
    zone.learn_one(Observation(Role.MOTION, 1.0, MONDAY, "binary_sensor.desk"))
    zone.learn_one(Observation(Role.MOTION, 1.0, MONDAY, "binary_sensor.hall"))
    zone.learn_one(
        Observation(Role.MOTION, 0.0, MONDAY + 3 * minute, "binary_sensor.hall")
    )
    zone.learn_one(
        Observation(Role.DOOR, 1.0, MONDAY + 4 * minute, "binary_sensor.door")
    )
    assert zone.lighting.exits.pending is None  # the desk still sees someone
    zone.learn_one(
        Observation(Role.MOTION, 0.0, MONDAY + 9 * minute, "binary_sensor.desk")
    )
    zone.learn_one(
        Observation(Role.DOOR, 0.0, MONDAY + 10 * minute, "binary_sensor.door")
    )
    assert zone.lighting.exits.pending == MONDAY + 10 * minute


def test_a_room_read_by_two_sensors_is_read_as_their_mean() -> None:
    # Two thermometers a degree apart, a room warming a degree an hour, and two
    # light sensors that disagree on a steady level.
    zone, alone = ZoneBrain(), ZoneBrain()
    for minute in range(90):
        when = MONDAY + timedelta(minutes=minute)
        room = 20.0 + minute / 60.0
        source = "desk" if minute % 2 else "shelf"
        offset = 1.0 if source == "desk" else 0.0
        zone.learn_one(Observation(Role.TEMPERATURE, room + offset, when, source))
        zone.learn_one(
            Observation(Role.ILLUMINANCE, 100.0 + 200.0 * offset, when, source)
        )
        alone.learn_one(Observation(Role.TEMPERATURE, room, when, "shelf"))
        alone.learn_one(Observation(Role.ILLUMINANCE, 100.0, when, "shelf"))
    end = MONDAY + timedelta(minutes=89)
    features, single = zone.occupancy.features(end), alone.occupancy.features(end)
    # Each switch between the sensors is no change of the room.
    assert features["temperature_slope"] == pytest.approx(
        single["temperature_slope"], abs=0.05
    )
    assert features["light_wiggle"] < 0.001  # they disagree by a log-unit
    assert zone.latest[Role.TEMPERATURE] == pytest.approx(
        (20.0 + 88 / 60 + 21.0 + 89 / 60) / 2
    )
    # The drift check still sees each sensor as it reads.
    assert zone.anomalies.sources.keys() >= {"desk", "shelf"}

    # A sensor that leaves the room no longer counts.
    zone.keep_sources({"shelf"})
    zone.learn_one(Observation(Role.TEMPERATURE, 21.6, end, "shelf"))
    assert zone.latest[Role.TEMPERATURE] == 21.6

    restored = ZoneBrain.from_dict(json.loads(json.dumps(zone.to_dict())))
    restored.learn_one(Observation(Role.TEMPERATURE, 21.7, end, "desk"))
    assert restored.latest[Role.TEMPERATURE] == pytest.approx(21.65)
    # One silent for a day has died: the other reads the room alone.
    restored.learn_one(
        Observation(Role.TEMPERATURE, 22.0, end + timedelta(hours=25), "desk")
    )
    assert restored.latest[Role.TEMPERATURE] == 22.0


def test_a_room_heats_while_any_of_its_radiators_does() -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.HVAC_ACTION, 1.0, MONDAY, "climate.window_valve"))
    zone.learn_one(Observation(Role.HVAC_ACTION, 0.0, MONDAY, "climate.door_valve"))
    assert zone.latest[Role.HVAC_ACTION] == 1.0
    assert zone.thermal.action == 1.0
    assert zone.anomalies.hvac_since == MONDAY  # its effect is judged from then
    zone.learn_one(Observation(Role.HVAC_ACTION, 0.0, MONDAY, "climate.window_valve"))
    assert zone.thermal.action == 0.0


def test_one_lamp_of_two_switched_off_is_not_the_room_going_dark() -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.ILLUMINANCE, 40.0, MONDAY, "sensor.lux"))
    for lamp in ("light.sofa", "light.shelf"):
        zone.learn_one(Observation(Role.LIGHT_ON, 1.0, MONDAY, lamp, manual=True))
    threshold = zone.lighting.log_threshold
    switches = zone.lighting.switches
    zone.learn_one(Observation(Role.LIGHT_ON, 0.0, MONDAY, "light.shelf", manual=True))
    assert zone.lighting.light_on  # the sofa lamp is still on
    assert (zone.lighting.switches, zone.lighting.log_threshold) == (
        switches,
        threshold,
    )
    zone.learn_one(Observation(Role.LIGHT_ON, 0.0, MONDAY, "light.sofa", manual=True))
    assert not zone.lighting.light_on
    assert zone.lighting.switches == switches + 1


@pytest.mark.parametrize("door_first", [True, False])
def test_a_light_back_on_with_the_door_just_opened_is_no_false_off(
    door_first: bool,
) -> None:
    # We switched the light off; a minute later someone opens the door and the
    # light comes back on for them. The door's contact and the light report
    # that moment in either order.
    zone = ZoneBrain()
    evening = MONDAY + timedelta(hours=10)
    zone.learn_one(Observation(Role.LIGHT_ON, 1.0, evening, "light.sofa"))
    off = evening + timedelta(minutes=30)
    zone.learn_one(Observation(Role.LIGHT_ON, 0.0, off, "light.sofa", manual=False))
    delay = zone.lighting.vacancy_delay
    back = off + timedelta(minutes=1)
    door = Observation(Role.DOOR, 1.0, back, "binary_sensor.door")
    light = Observation(Role.LIGHT_ON, 1.0, back, "light.sofa", manual=True)
    for observation in (door, light) if door_first else (light, door):
        zone.learn_one(observation)
    assert zone.lighting.false_offs == 0
    assert zone.lighting.vacancy_delay == delay
    # Without the door, someone was left in the dark.
    zone.learn_one(Observation(Role.DOOR, 0.0, back, "binary_sensor.door"))
    again = back + timedelta(minutes=30)
    zone.learn_one(Observation(Role.LIGHT_ON, 0.0, again, "light.sofa", manual=False))
    on = again + timedelta(minutes=1)
    zone.learn_one(Observation(Role.LIGHT_ON, 1.0, on, "light.sofa", manual=True))
    assert zone.lighting.false_offs == 1
    assert zone.lighting.vacancy_delay == delay * zone.lighting.lengthen
    # Nor is a door opened later than the light came on to let anyone in.
    later = on + timedelta(minutes=2)
    zone.learn_one(Observation(Role.DOOR, 1.0, later, "binary_sensor.door"))
    assert zone.lighting.false_offs == 1
    assert zone.lighting.complaint is None


def test_a_door_reading_open_again_let_no_one_in() -> None:
    # The door stands open. We switched the light off on someone sitting still,
    # who switches it back on as the door's contact, back from unavailable,
    # reads open again: nobody came in, someone was left in the dark.
    zone = ZoneBrain()
    evening = MONDAY + timedelta(hours=10)
    door = "binary_sensor.door"
    zone.learn_one(Observation(Role.DOOR, 1.0, evening, door))
    zone.learn_one(Observation(Role.LIGHT_ON, 1.0, evening, "light.sofa"))
    off = evening + timedelta(minutes=30)
    zone.learn_one(Observation(Role.LIGHT_ON, 0.0, off, "light.sofa", manual=False))
    delay = zone.lighting.vacancy_delay
    back = off + timedelta(minutes=1)
    zone.learn_one(Observation(Role.DOOR, 0.0, back, door, gone=True))
    zone.learn_one(Observation(Role.LIGHT_ON, 1.0, back, "light.sofa", manual=True))
    zone.learn_one(Observation(Role.DOOR, 1.0, back, door))
    assert zone.lighting.false_offs == 1
    assert zone.lighting.vacancy_delay == delay * zone.lighting.lengthen


@pytest.mark.parametrize("leaves", ["unavailable", "moved away"])
def test_a_lamp_cut_at_the_wall_no_longer_hides_the_daylight(leaves: str) -> None:
    zone = ZoneBrain()
    evening = MONDAY + timedelta(hours=10)
    zone.learn_one(Observation(Role.ILLUMINANCE, 40.0, evening, "sensor.lux"))
    zone.learn_one(Observation(Role.LIGHT_ON, 1.0, evening, "light.sofa"))
    seen = evening + timedelta(seconds=5)  # the sensor sees the lamp add 300 lx
    zone.learn_one(Observation(Role.ILLUMINANCE, 340.0, seen, "sensor.lux"))
    assert zone.lighting.lamp_lux == pytest.approx(300.0)
    threshold, switches = zone.lighting.log_threshold, zone.lighting.switches
    cut = evening + timedelta(days=1)
    if leaves == "unavailable":
        zone.learn_one(Observation(Role.LIGHT_ON, 0.0, cut, "light.sofa", gone=True))
    else:
        zone.keep_sources({"sensor.lux"})
    # 200 lx of daylight now, no longer read as 300 lx less.
    zone.learn_one(Observation(Role.ILLUMINANCE, 200.0, cut, "sensor.lux"))
    assert not zone.lighting.light_on
    assert zone.lighting.predict_one(cut, {})["light_on"] is False
    assert (zone.lighting.log_threshold, zone.lighting.switches) == (
        threshold,
        switches,
    )


def test_everyone_away_far_longer_than_usual_is_a_trip() -> None:
    zone = ZoneBrain()
    phone = "person.anna"
    for day in range(12):
        left = MONDAY + timedelta(days=day, hours=-1)
        zone.learn_one(Observation(Role.NOBODY_HOME, 1.0, left, phone))
        back = left + timedelta(hours=8)
        zone.learn_one(Observation(Role.NOBODY_HOME, 0.0, back, phone))
    left = MONDAY + timedelta(days=12, hours=-1)
    zone.learn_one(Observation(Role.NOBODY_HOME, 1.0, left, phone))
    assert zone.predict_one(left + timedelta(hours=11)).trip_since is None
    later = left + timedelta(hours=13)
    assert zone.predict_one(later).trip_since == left
    assert "a trip" in zone.predict_one(later).reasons["absence"]
    restored = ZoneBrain.from_dict(json.loads(json.dumps(zone.to_dict())))
    assert restored.predict_one(later).trip_since == left
    # Saved before absences were learned: none known, nothing lost.
    data = zone.to_dict()
    del data["absences"]
    assert ZoneBrain.from_dict(data).predict_one(later).trip_since is None


def test_a_sensor_that_stops_reading_no_longer_counts() -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.MOTION, 1.0, MONDAY, "binary_sensor.desk"))
    for source, reading in (("sensor.desk", 21.0), ("sensor.shelf", 22.0)):
        zone.learn_one(Observation(Role.TEMPERATURE, reading, MONDAY, source))
    later = MONDAY + timedelta(minutes=30)
    for source in ("binary_sensor.desk", "sensor.shelf"):
        zone.learn_one(Observation(Role.MOTION, 0.0, later, source, gone=True))
    assert zone.occupancy.features(later)["motion_now"] == 0.0
    # The door rule still takes the desk as seeing someone: no exit is made up.
    assert zone.lighting.exits.motion_on.keys() == {"binary_sensor.desk"}
    zone.learn_one(Observation(Role.TEMPERATURE, 21.2, later, "sensor.desk"))
    assert zone.latest[Role.TEMPERATURE] == 21.2
    assert zone.bad_values == 0


def test_aware_times_run_on_their_wall_clock() -> None:
    zone = ZoneBrain()
    aware = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    zone.learn_one(Observation(Role.MOTION, 1.0, aware, "motion"))
    zone.learn_one(Observation(Role.TEMPERATURE, 20.0, aware, "t"))
    assert zone.tick(aware + timedelta(minutes=1)) > 0.5
    assert zone.predict_one(aware).when == datetime(2026, 11, 2, 9, 0)
    assert wall_clock(MONDAY) is MONDAY


@pytest.mark.parametrize(
    ("zone_name", "start"),
    [
        ("Europe/Berlin", datetime(2026, 10, 24, 22, 0, tzinfo=UTC)),  # back
        ("Europe/Berlin", datetime(2026, 3, 28, 22, 0, tzinfo=UTC)),  # forward
        ("America/New_York", datetime(2026, 11, 1, 3, 0, tzinfo=UTC)),  # back
    ],
)
def test_the_core_clock_never_runs_backwards_when_the_clocks_change(
    zone_name: str, start: datetime
) -> None:
    zone = ZoneInfo(zone_name)
    clock = []
    for minute in range(8 * 60):
        local = (start + timedelta(minutes=minute)).astimezone(zone)
        clock.append(wall_clock(local))
        off_by = abs(clock[-1] - local.replace(tzinfo=None))
        # Within half the change of the local time, and exactly it away from
        # the change (the first and last two hours here).
        assert off_by <= timedelta(minutes=30)
        if minute < 120 or minute >= 6 * 60:
            assert off_by == timedelta(0)
        # And back: the moment it stands for, in the right offset.
        back = local_time(clock[-1], zone)
        assert abs(back.astimezone(UTC) - local.astimezone(UTC)) < timedelta(
            milliseconds=1
        )
        assert back.utcoffset() == local.utcoffset()
    assert all(later > earlier for earlier, later in pairwise(clock))


def test_the_hour_that_repeats_in_autumn_does_not_look_occupied() -> None:
    """A room left at 02:50 summer time is empty again at 02:30 winter time."""
    berlin = ZoneInfo("Europe/Berlin")
    zone = ZoneBrain()
    start = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)  # 14:00 summer time
    # Someone about until 20:00 (UTC), then passing through at 00:50 UTC, which is
    # 02:50 summer time; the clocks go back at 01:00 UTC.
    moves = dict.fromkeys(range(0, 8 * 60, 7), 1.0)
    moves |= {minute + 1: 0.0 for minute in moves} | {770: 1.0, 771: 0.0}
    for minute in range(16 * 60):  # until 04:00 winter time
        now = (start + timedelta(minutes=minute)).astimezone(berlin)
        if minute in moves:
            zone.learn_one(Observation(Role.MOTION, moves[minute], now, "motion"))
        if minute % 5 == 0:
            zone.learn_one(Observation(Role.TEMPERATURE, 20.0, now, "t"))
        zone.tick(now)
        if minute == 810:  # 02:30 winter time, 40 minutes after the last motion
            assert now.isoformat() == "2026-10-25T02:30:00+01:00"
            assert zone.predict_one(now).occupancy_probability < 0.5
    assert zone.forecast.bad_values == 0  # no update set aside as stale


@pytest.mark.parametrize("ahead", [timedelta(days=1), timedelta(days=365)])
def test_a_zone_learns_again_once_its_clock_is_put_back(ahead: timedelta) -> None:
    """A Raspberry Pi boots with a clock ahead, then it is put right."""
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "out"))

    def live(when: datetime, minute: int) -> None:
        """Heating 2 K/h from 18 °C, CO2 up 5 ppm a minute from 500 ppm."""
        zone.learn_one(Observation(Role.HVAC_ACTION, 1.0, when, "valve"))
        zone.learn_one(Observation(Role.CO2, 500.0 + 5.0 * minute, when, "co2"))
        zone.learn_one(Observation(Role.TEMPERATURE, 18.0 + minute / 30, when, "t"))
        zone.tick(when)
        zone.predict_one(when)

    for minute in range(60):
        live(MONDAY + timedelta(minutes=minute), minute)
    for minute in range(3):
        live(MONDAY + ahead + timedelta(minutes=minute), 60)
    learned = sum(zone.thermal.samples)
    for minute in range(90):
        live(MONDAY + timedelta(hours=1, minutes=minute), minute)
    now = MONDAY + timedelta(hours=1, minutes=89)
    features = zone.occupancy.features(now)
    assert features["co2_slope"] == pytest.approx(1.0, abs=0.05)  # 5 ppm/min
    assert features["temperature_slope"] == pytest.approx(2 / 3, abs=0.1)
    assert sum(zone.thermal.samples) >= learned + 4
    assert zone.thermal.bad_values == zone.forecast.bad_values == 0
    prediction = zone.predict_one(now)
    assert prediction.window_open is False
    assert prediction.time_to_temperature is not None


def test_a_clock_put_back_onto_a_minute_already_ticked_raises_nothing() -> None:
    """Ticks on whole minutes, as the history replay's: two hours ahead, put right.

    At 08:00 again, a forecast was queued at 08:00 the first time: the two alike
    left the queue comparing their features, and ticks hours later raised.
    """
    zone = ZoneBrain()
    morning = MONDAY.replace(hour=8)
    for minute in range(121):  # 08:00 .. 10:00
        zone.tick(morning + timedelta(minutes=minute))
    for minute in range(8 * 60):  # put back to 08:00, then on to 16:00
        zone.tick(morning + timedelta(minutes=minute))
        zone.predict_one(morning + timedelta(minutes=minute))
    forecast = zone.forecast
    assert forecast.bad_values == 0
    assert forecast.last_update == morning + timedelta(minutes=8 * 60 - 1)
    # Each forecast due is queued once: nothing made before the clock was put back.
    queued = [(due, index) for due, index, *_ in forecast.pending]
    assert len(queued) == len(set(queued))


def test_cooling_before_the_clock_was_put_back_hides_no_open_window() -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 0.0, MONDAY, "out"))
    ahead = MONDAY + timedelta(days=1)  # a clock a day ahead, put right after
    zone.learn_one(Observation(Role.HVAC_ACTION, -1.0, ahead, "split"))
    zone.learn_one(Observation(Role.HVAC_ACTION, 0.0, ahead, "split"))
    for minute in range(41):  # 1 °C in 20 minutes, 20 °C colder outside
        when = MONDAY + timedelta(minutes=minute)
        zone.learn_one(Observation(Role.TEMPERATURE, 22.0 - minute / 20, when, "t"))
    assert zone.predict_one(MONDAY + timedelta(minutes=40)).window_open is True


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1e9, 1e12])
def test_bad_values_are_counted(value: float) -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.CO2, value, MONDAY, "co2"))
    zone.learn_one(Observation(Role.CO2, "x", MONDAY, "co2"))  # type: ignore[arg-type]
    zone.learn_one(Observation(Role.CO2, 500.0, "now", "co2"))  # type: ignore[arg-type]
    zone.learn_one(Observation("pm25", 12.0, MONDAY, "dust"))  # type: ignore[arg-type]
    assert zone.bad_values == 4
    assert Role.CO2 not in zone.latest
    assert zone.latest == {}


def test_round_trip_gives_identical_predictions(trained: ZoneBrain) -> None:
    restored = ZoneBrain.from_dict(json.loads(json.dumps(trained.to_dict())))
    later = MONDAY + timedelta(days=14, hours=7, minutes=40)
    assert restored.predict_one(later) == trained.predict_one(later)
    assert restored.to_dict() == trained.to_dict()
    assert trained.state_bytes() <= 64 * 1024


_DESK_READINGS = {
    Role.TEMPERATURE: 21.0,
    Role.HUMIDITY: 40.0,
    Role.CO2: 600.0,
    Role.ILLUMINANCE: 300.0,
    Role.SOUND: 40.0,
    Role.POWER: 50.0,
    Role.HVAC_ACTION: 1.0,
    Role.WINDOW: 0.0,
}


def test_an_open_plan_floor_stays_within_64_kb() -> None:
    """32 desks' multisensors and 8 lamps people dim by hand, ten days long."""
    zone = ZoneBrain()
    floor = "open_plan_office_second_floor"
    for minute in range(0, 10 * 24 * 60, 5):
        when = MONDAY + timedelta(minutes=minute)
        present = 8 <= when.hour < 18
        for desk in range(32):
            if (minute // 5 + desk) % 8:
                continue
            for role, reading in _DESK_READINGS.items():
                # Daylight through the day: dark, dim, bright, brighter.
                light = (minute // 60) % 4 if role is Role.ILLUMINANCE else 1
                value = reading * light + desk % 3
                source = f"sensor.{floor}_desk_{desk:02d}_{role.value}"
                zone.learn_one(Observation(role, value, when, source))
            motion = f"binary_sensor.{floor}_desk_{desk:02d}_motion"
            zone.learn_one(Observation(Role.MOTION, float(present), when, motion))
        for lamp in range(8):
            if (minute // 5 + lamp) % 12:
                continue
            lamp_id = f"light.{floor}_ceiling_{lamp}"
            for role, value in (
                (Role.LIGHT_ON, float(present or (minute // 5) % 2 == 0)),
                (Role.LIGHT_BRIGHTNESS, 30.0 + (minute // 60) % 60),
                (Role.LIGHT_COLOR_TEMP, 2700.0 + 10 * ((minute // 60) % 100)),
            ):
                zone.learn_one(Observation(role, value, when, lamp_id, manual=True))
        outdoor = "sensor.weather_station_outdoor_temperature"
        zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, when, outdoor))
        zone.tick(when)
    assert len(zone.lighting.lamps) == 8
    assert zone.state_bytes() <= 64 * 1024


def test_brain_resets_only_the_corrupt_zone(trained: ZoneBrain) -> None:
    brain = Brain(heating_default=21.0)
    brain.zones["office"] = trained
    brain.zone("hall")
    data = json.loads(json.dumps(brain.to_dict()))
    data["zones"]["hall"]["forecast"] = "garbage"
    data["zones"]["kitchen"] = {"version": 99}
    data["zones"]["attic"] = json.loads(json.dumps(trained.to_dict()))
    data["zones"]["attic"]["forecast"]["week"][1][0] = 10**400  # too big a float

    restored, reset = Brain.from_dict(data, heating_default=21.0)

    assert sorted(reset) == ["attic", "hall", "kitchen"]
    # Kept whole, but for the defaults given (the options may have changed them).
    kept = restored.zones["office"].to_dict()
    assert kept["comfort"]["heating_default"] == 21.0
    kept["comfort"] = trained.comfort.to_dict()
    assert kept == trained.to_dict()
    assert restored.zones["hall"].predict_one(MONDAY).comfort_setpoint == 21.0
    restored.remove_zone("hall")
    assert "hall" not in restored.zones


def test_a_restarted_zone_keeps_only_what_people_taught_it() -> None:
    brain = Brain(heating_default=19.0)
    zone = brain.zone("study")
    evening = MONDAY.replace(hour=19)
    zone.learn_one(Observation(Role.MOTION, 1.0, evening, "motion"))
    zone.learn_one(Observation(Role.HVAC_SETPOINT, 22.0, evening, "t", manual=True))
    zone.learn_one(Observation(Role.ILLUMINANCE, 20.0, evening, "lux"))
    zone.learn_one(Observation(Role.LIGHT_BRIGHTNESS, 35.0, evening, "lamp", True))
    zone.tick(evening + timedelta(minutes=1))
    taught = zone.predict_one(evening + timedelta(minutes=1))

    fresh = brain.restart_zone("study")

    assert brain.zones["study"] is fresh is not zone
    assert fresh.latest == {}  # sensors' lessons start anew...
    assert fresh.occupancy.to_dict() == ZoneBrain().occupancy.to_dict()
    kept = fresh.predict_one(evening + timedelta(minutes=1))
    assert kept.comfort_setpoint == taught.comfort_setpoint != 19.0  # ...people's not
    assert fresh.lighting.adjustments == 1
    assert fresh.lighting.to_dict()["cells"] == zone.lighting.to_dict()["cells"]
    # The building's pool still has the zone's labels, once.
    assert brain.zone("hall").predict_one(evening).comfort_setpoint > 19.0
    assert brain.restart_zone("attic").comfort.labels == 0  # a zone new to it


@pytest.mark.parametrize(
    "data",
    [{}, {"version": 2, "zones": {}}, {"version": 1}, {"version": 1, "zones": 3}],
)
def test_unreadable_brain_raises(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="brain state"):
        Brain.from_dict(data)


def test_unreadable_zone_raises() -> None:
    with pytest.raises(ValueError, match="version"):
        ZoneBrain.from_dict({"version": 7})
    with pytest.raises(ValueError, match="corrupt"):
        ZoneBrain.from_dict({"version": 1})


def _hvac(zone: ZoneBrain, when: datetime, action: float, outdoor: float) -> None:
    zone.learn_one(Observation(Role.HVAC_ACTION, action, when, "climate"))
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, outdoor, when, "outdoor"))


def test_a_warm_afternoon_does_not_switch_the_heating_season() -> None:
    zone = ZoneBrain(heating_default=20.0, cooling_default=24.0)
    morning = MONDAY + timedelta(hours=6)
    _hvac(zone, morning, 1.0, 8.0)  # heating through a cold morning ...
    _hvac(zone, morning + timedelta(hours=3), 0.0, 17.0)
    noon = morning + timedelta(hours=6)
    _hvac(zone, noon, 0.0, 22.0)  # ... and a warm afternoon outside

    # A heat-only room is not heated to the cooling setpoint on a warm afternoon.
    assert zone.predict_one(noon).comfort_setpoint == 20.0


def test_the_season_follows_what_the_hvac_mostly_did() -> None:
    zone = ZoneBrain(heating_default=20.0, cooling_default=24.0)
    start = MONDAY
    for day in range(3):  # an office in June: a little heat early, cooling all day
        morning = start + timedelta(days=day, hours=7)
        _hvac(zone, morning, 1.0, 12.0)
        _hvac(zone, morning + timedelta(minutes=30), -1.0, 16.0)
        _hvac(zone, morning + timedelta(hours=10), 0.0, 18.0)
    cold_morning = start + timedelta(days=3, hours=7)
    _hvac(zone, cold_morning, 0.0, 11.0)
    assert zone.predict_one(cold_morning).comfort_setpoint == 24.0

    restored = ZoneBrain.from_dict(json.loads(json.dumps(zone.to_dict())))
    assert restored.predict_one(cold_morning).comfort_setpoint == 24.0

    # A zone saved before seasons were kept learns its season again.
    older = {key: value for key, value in zone.to_dict().items() if key != "season"}
    relearning = ZoneBrain.from_dict(older)
    assert relearning.predict_one(cold_morning).comfort_setpoint == 20.0
    _hvac(relearning, cold_morning, -1.0, 11.0)
    later = cold_morning + timedelta(hours=1)
    assert relearning.predict_one(later).comfort_setpoint == 24.0


def test_without_hvac_the_season_follows_the_days_outdoor_temperature() -> None:
    zone = ZoneBrain(heating_default=20.0, cooling_default=24.0)
    # Spring: 12 °C at 03:00, 21 °C at 15:00, up to the second afternoon ...
    for hour in range(40):
        when = MONDAY + timedelta(hours=hour)
        outdoor = 16.5 - 4.5 * math.cos((hour - 3) / 24 * 2 * math.pi)
        zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, outdoor, when, "out"))
    afternoon = MONDAY + timedelta(days=1, hours=15)
    assert zone.latest[Role.OUTDOOR_TEMPERATURE] == pytest.approx(21.0)
    assert zone.predict_one(afternoon).comfort_setpoint == 20.0
    for hour in range(40, 120):  # ... then a heat wave: 24-33 °C
        when = MONDAY + timedelta(hours=hour)
        outdoor = 28.5 - 4.5 * math.cos((hour - 3) / 24 * 2 * math.pi)
        zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, outdoor, when, "out"))
    assert zone.predict_one(MONDAY + timedelta(days=5)).comfort_setpoint == 24.0


def test_the_comfort_follows_the_days_weather_not_the_hours() -> None:
    """22.5 °C set each cool morning, 20 °C each warm afternoon, for two weeks.

    The day's warming is the hour's, which the hour's profile learns: an
    unusually warm morning is still wanted at 22.5 °C, a cool afternoon at 20.
    """
    zone = ZoneBrain(heating_default=20.0)

    def outdoor(when: datetime) -> float:  # 8 °C at 03:00, 18 °C at 15:00
        return 13.0 - 5.0 * math.cos((when.hour - 3) / 24 * 2 * math.pi)

    for hour in range(14 * 24):
        when = MONDAY + timedelta(hours=hour)
        zone.learn_one(
            Observation(Role.OUTDOOR_TEMPERATURE, outdoor(when), when, "out")
        )
        wish = {9: 22.5, 15: 20.0}.get(when.hour)
        if wish is not None:
            zone.learn_one(
                Observation(Role.HVAC_SETPOINT, wish, when, "climate", manual=True)
            )
    warm_morning = MONDAY + timedelta(days=14, hours=9)
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 18.0, warm_morning, "out"))
    assert zone.predict_one(warm_morning).comfort_setpoint > 22.2
    cool_afternoon = MONDAY + timedelta(days=14, hours=15)
    zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 11.0, cool_afternoon, "out"))
    assert zone.predict_one(cool_afternoon).comfort_setpoint < 20.4


@pytest.mark.parametrize(
    "when",
    [
        datetime(9999, 12, 31, 23),
        datetime(9999, 12, 31, 23, tzinfo=UTC),
        datetime(1, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(1, 1, 1),
    ],
)
def test_times_at_the_ends_of_the_calendar_raise_nothing(when: datetime) -> None:
    zone = ZoneBrain()
    zone.learn_one(Observation(Role.TEMPERATURE, 21.0, MONDAY, "t1"))
    zone.learn_one(Observation(Role.TEMPERATURE, 21.5, when, "t2"))  # a broken clock
    zone.learn_one(Observation(Role.MOTION, 1.0, when, "m", gone=True))
    assert zone.bad_values == 2
    assert zone.latest == {Role.TEMPERATURE: 21.0}
    assert 0.0 <= zone.tick(when) <= 1.0
    assert 0.0 <= zone.predict_one(when).occupancy_probability <= 1.0


def test_a_role_given_by_its_name_is_saved_as_the_role() -> None:
    zone = ZoneBrain()
    for role in Role:
        value = 3000.0 if role in (Role.CO2, Role.LIGHT_COLOR_TEMP) else 1.0
        zone.learn_one(Observation(role.value, value, MONDAY, "s", True))  # type: ignore[arg-type]
    assert zone.bad_values == 0
    assert all(type(role) is Role for role in zone.latest)
    assert set(zone.latest) == set(Role)
    saved = json.loads(json.dumps(zone.to_dict()))
    assert ZoneBrain.from_dict(saved).to_dict() == saved


def test_sensors_renamed_again_and_again_keep_the_state_small() -> None:
    zone, steady = ZoneBrain(), ZoneBrain()
    for minute in range(0, 24 * 60, 2):  # a day: a new name every two minutes
        now = MONDAY + timedelta(minutes=minute)
        for role in (Role.TEMPERATURE, Role.POWER):
            zone.learn_one(Observation(role, 20.0, now, f"sensor.{role}_{minute}"))
            steady.learn_one(Observation(role, 20.0, now, f"sensor.{role}"))
    assert all(len(readings) == 32 for readings in zone.readings.values())
    assert zone.latest == {Role.TEMPERATURE: 20.0, Role.POWER: 640.0}
    # The 32 names kept for each role, and no more: 720 names each would add
    # tens of kilobytes. Measured against the same zone whose sensors kept
    # their names, so what a zone saves besides does not count against it.
    assert zone.state_bytes() < steady.state_bytes() + 8 * 1024


def test_the_light_is_told_whether_someone_still_breathes_there() -> None:
    # Two in a phone booth; one goes out through the door, the other sits still on
    # the phone: no motion, but CO2 still rises, as the lights are told. Once no
    # reading has come for a while, the old rise is no longer news.
    zone = ZoneBrain()
    start = MONDAY + timedelta(hours=12)
    for minute in range(21):
        when = start + timedelta(minutes=minute)
        if minute in (0, 10):  # in, then one of them out
            zone.learn_one(Observation(Role.DOOR, 1.0, when, "door"))
            zone.learn_one(Observation(Role.DOOR, 0.0, when, "door"))
        if minute in (0, 8):
            zone.learn_one(Observation(Role.MOTION, float(minute == 0), when, "motion"))
        zone.learn_one(Observation(Role.CO2, 800.0 + 10.0 * minute, when, "co2"))
    now = start + timedelta(minutes=20)
    lighting = zone.predict_one(now).lighting
    assert lighting["co2_rising"] is True
    assert lighting["exit_door"] == start + timedelta(minutes=10)
    later = zone.with_exit(zone.predict_one(now), now + timedelta(minutes=15))
    assert later.lighting["co2_rising"] is False


def test_the_light_is_told_no_one_breathes_there_once_the_air_falls() -> None:
    # A caller alone in a phone booth for twenty minutes, then out through the
    # door. Its air falls at once, as an empty booth's does, but the
    # minutes-long averages still carry the caller's breath: not as someone
    # left behind breathing, for the light.
    zone = ZoneBrain()
    start = MONDAY + timedelta(hours=12)
    zone.learn_one(Observation(Role.DOOR, 1.0, start, "door"))
    zone.learn_one(Observation(Role.MOTION, 1.0, start, "motion"))
    for minute in range(20):
        when = start + timedelta(minutes=minute)
        zone.learn_one(Observation(Role.CO2, 800.0 + 20.0 * minute, when, "co2"))
    door = start + timedelta(minutes=20)
    zone.learn_one(Observation(Role.MOTION, 0.0, door, "motion"))
    zone.learn_one(Observation(Role.DOOR, 1.0, door, "door"))
    zone.learn_one(Observation(Role.DOOR, 0.0, door, "door"))
    for minute in range(1, 8):
        when = door + timedelta(minutes=minute)
        zone.learn_one(Observation(Role.CO2, 1180.0 - 10.0 * minute, when, "co2"))
    now = door + timedelta(minutes=7)
    assert zone.occupancy.builder.co2_rising(now)
    lighting = zone.predict_one(now).lighting
    assert lighting["exit_door"] == door
    assert lighting["co2_rising"] is False


def test_a_thermometer_joining_the_room_teaches_no_cooling_while_it_heats() -> None:
    """The room's mean steps down as a cooler corner's sensor joins: no fall."""

    def heated(second_sensor: bool) -> ZoneBrain:
        zone = ZoneBrain()
        zone.learn_one(Observation(Role.OUTDOOR_TEMPERATURE, 5.0, MONDAY, "out"))
        for minute in range(120):
            when = MONDAY + timedelta(minutes=minute)
            zone.learn_one(Observation(Role.HVAC_ACTION, 1.0, when, "valve"))
            warmth = 18.0 + minute / 30  # 2 K/h
            zone.learn_one(Observation(Role.TEMPERATURE, warmth, when, "desk"))
            if second_sensor and minute >= 40:
                zone.learn_one(Observation(Role.TEMPERATURE, warmth - 2, when, "door"))
        return zone

    alone, joined = heated(False), heated(True)
    conditions = {"temperature": 20.0, "outdoor_temperature": 5.0, "hvac_action": 1.0}
    rate_alone = alone.thermal.predict_one(conditions)
    rate_joined = joined.thermal.predict_one(conditions)
    assert rate_alone is not None
    assert rate_joined is not None
    assert rate_joined == pytest.approx(rate_alone, abs=0.3)


class _Sensors:
    """A zone's sensors, read into it as the glue reads them."""

    def __init__(self, zone: ZoneBrain) -> None:
        self.zone = zone

    def learn_one(
        self, when: datetime, role: Role, value: float, source: str | None = None
    ) -> None:
        self.zone.learn_one(Observation(role, value, when, source or role.value))


def _in_again(
    zone: ZoneBrain, last: datetime, *readings: tuple[Role, float, str]
) -> datetime:
    """The next visit, an hour after ``last``: in through the door, sensors
    reading as ``readings`` say (role, value, source) as it opens, and the door
    shut behind them; return when.
    """
    when = last + timedelta(hours=1)
    zone.learn_one(Observation(Role.MOTION, 1.0, when, "motion"))
    zone.learn_one(Observation(Role.DOOR, 1.0, when, "door"))
    for role, value, source in readings:
        zone.learn_one(Observation(role, value, when, source))
    shut = when + timedelta(seconds=30)
    zone.learn_one(Observation(Role.DOOR, 0.0, shut, "door"))
    return when


def _out(zone: ZoneBrain, when: datetime) -> None:
    """The last one seen goes out through the door at ``when``."""
    zone.learn_one(Observation(Role.MOTION, 0.0, when, "motion"))
    zone.learn_one(Observation(Role.DOOR, 1.0, when, "door"))


def test_the_wait_after_the_door_follows_the_whole_rooms_power() -> None:
    zone = ZoneBrain()
    last = _visits(_Sensors(zone), 300, stays=20, power=True)
    # The next visit: a desk lamp on a second meter, 30 W, besides the screen.
    when = _in_again(
        zone, last, (Role.POWER, 80.0, "power"), (Role.POWER, 30.0, "desk")
    )
    out = when + timedelta(minutes=10)
    _out(zone, out)
    # The screen to standby, the lamp left on: the room still draws 50 W.
    zone.learn_one(Observation(Role.POWER, 20.0, out, "power"))
    assert zone.lighting.exits.power == 50.0
    assert zone.predict_one(out).lighting["door_delay"] is None
    # The lamp off too, within the minute: the whole room is idle.
    off = out + timedelta(minutes=1)
    zone.learn_one(Observation(Role.POWER, 0.0, off, "desk"))
    delay = zone.predict_one(off).lighting["door_delay"]
    assert delay is not None
    assert delay < timedelta(minutes=4)


def test_the_wait_after_the_door_follows_the_air_behind_it_at_once() -> None:
    zone = ZoneBrain()
    last = _visits(_Sensors(zone), 300, stays=20, air=True)
    # The next visit's exit, a full prediction made just before it.
    when = _in_again(zone, last, (Role.CO2, 900.0, "sensor.co2"))
    out = when + timedelta(minutes=10)
    prediction = zone.predict_one(out - timedelta(minutes=1))
    _out(zone, out)
    held = zone.with_exit(prediction, out).lighting
    assert held["exit_door"] == out
    assert held["door_delay"] is None  # behind such air, someone stayed
    # The air falls behind the last one out: the wait shortens as it does.
    fell = out + timedelta(minutes=2)
    zone.learn_one(Observation(Role.CO2, 880.0, fell, "sensor.co2"))
    delay = zone.with_exit(prediction, fell).lighting["door_delay"]
    assert delay is not None
    assert delay < timedelta(minutes=4)
    assert zone.predict_one(fell).lighting["door_delay"] == delay
    # The CO2 sensor goes unavailable: its last reading tells no more air.
    zone.learn_one(Observation(Role.CO2, 0.0, fell, "sensor.co2", gone=True))
    assert zone.lighting.exits.co2 == {}


def test_a_buildings_zones_lean_on_each_others_exits_and_still_do_restored() -> None:
    brain = Brain()
    bathroom, living = brain.zone("bathroom"), brain.zone("living")
    alone = ZoneBrain()
    _visits(_Sensors(living), 600)
    last = _visits(_Sensors(bathroom), 40)
    _visits(_Sensors(alone), 40)
    after = last + timedelta(minutes=21)
    leaning = bathroom.predict_one(after).lighting["door_delay"]
    own = alone.predict_one(after).lighting["door_delay"]
    assert leaning is not None
    assert own is not None
    assert leaning < own - timedelta(minutes=1)
    restored, reset = Brain.from_dict(json.loads(json.dumps(brain.to_dict())))
    assert reset == []
    assert restored.zone("bathroom").predict_one(after).lighting["door_delay"] == (
        leaning
    )
    # A living room started afresh has no exits to lend; one removed, none.
    restored.restart_zone("living")
    assert restored.zone("bathroom").predict_one(after).lighting["door_delay"] == own
    _visits(_Sensors(restored.zone("living")), 600)
    assert restored.zone("bathroom").predict_one(after).lighting["door_delay"] == (
        leaning
    )
    restored.remove_zone("living")
    assert restored.zone("bathroom").predict_one(after).lighting["door_delay"] == own
