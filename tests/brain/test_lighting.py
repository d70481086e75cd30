"""Lighting preferences: threshold, level, colour, vacancy delay and exits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
import json
import random
from typing import Protocol

import pytest

from custom_components.aiot_brain.brain.lighting import (
    ExitPool,
    ExitWatch,
    LightingPreference,
    SunThreshold,
)
from custom_components.aiot_brain.brain.observation import Role

START = datetime(2026, 1, 5)


def _switches(model: LightingPreference, days: int = 30) -> None:
    """Lights switched on by hand below 80 lx and off by hand above it."""
    rng = random.Random(4)
    for day in range(days):
        for event in range(6):
            when = START + timedelta(days=day, hours=7 + 2 * event)
            dark = rng.uniform(5.0, 78.0)
            bright = rng.uniform(82.0, 600.0)
            model.learn_one(when, {"illuminance": dark})
            model.learn_one(when, {"light_on": 1}, manual=True)
            model.learn_one(when + timedelta(hours=1), {"illuminance": bright})
            model.learn_one(when + timedelta(hours=1), {"light_on": 0}, manual=True)


def test_defaults_before_data() -> None:
    model = LightingPreference(threshold=50.0)
    evening = datetime(2026, 1, 5, 20)
    answer = model.predict_one(evening, {"illuminance": 10})
    assert answer["light_on"] is True
    assert answer["brightness"] == 80.0
    assert answer["color_temp"] == 2700
    assert answer["vacancy_delay"] == timedelta(minutes=10)
    assert model.predict_one(datetime(2026, 1, 5, 12), {})["color_temp"] == 4000
    # Up in the small hours: a dim light, until people set one.
    assert model.predict_one(datetime(2026, 1, 6, 3), {})["brightness"] == 30.0
    assert model.predict_one(datetime(2026, 1, 6, 7), {})["brightness"] == 80.0
    assert model.predict_one(evening, {"illuminance": 500})["light_on"] is False
    assert model.predict_proba_one(evening, {}) == 0.5
    assert model.threshold == pytest.approx(50.0)


def test_learns_threshold_near_80_lux() -> None:
    model = LightingPreference(threshold=20.0)
    _switches(model)
    assert model.threshold == pytest.approx(80.0, rel=0.15)
    when = START + timedelta(days=40, hours=18)
    assert model.predict_one(when, {"illuminance": 40})["light_on"] is True
    assert model.predict_one(when, {"illuminance": 200})["light_on"] is False
    assert model.predict_proba_one(when, {"illuminance": 40}) > 0.8
    assert model.predict_proba_one(when, {"illuminance": 300}) < 0.2
    explanation = model.explain(when, {"illuminance": 40})
    assert "below the learned threshold" in explanation
    assert "manual switches" in explanation


def test_learns_the_lamps_own_light_and_looks_past_it() -> None:
    model = LightingPreference(threshold=80.0)
    when = START + timedelta(hours=18)
    for day in range(5):
        when = START + timedelta(days=day, hours=18)
        model.learn_one(when, {"illuminance": 40})
        model.learn_one(when, {"light_on": 1})
        # The sensor sees the lamp: 300 lx more a few seconds later.
        model.learn_one(when + timedelta(seconds=5), {"illuminance": 340})
        model.learn_one(when + timedelta(hours=3), {"illuminance": 330})
        model.learn_one(when + timedelta(hours=3, seconds=1), {"light_on": 0})
        model.learn_one(when + timedelta(hours=3, seconds=6), {"illuminance": 30})
    assert model.lamp_lux == pytest.approx(300.0, abs=5.0)
    model.learn_one(when + timedelta(days=1), {"light_on": 1})
    model.learn_one(when + timedelta(days=1, seconds=30), {"illuminance": 350})
    # 350 lx with our lamp on is 50 lx of daylight: light is still wanted.
    assert model.predict_one(when + timedelta(days=1), {})["light_on"] is True
    assert "not counting the lamp's own 30" in model.explain(when, {})
    # A reading long after a switch teaches nothing about the lamp.
    model.learn_one(when + timedelta(days=1, hours=1), {"light_on": 0})
    model.learn_one(when + timedelta(days=1, hours=2), {"illuminance": 0})
    assert model.lamp_lux == pytest.approx(300.0, abs=5.0)
    assert model.switch_at is None


def test_automatic_switching_does_not_move_the_threshold() -> None:
    model = LightingPreference(threshold=50.0)
    model.learn_one(START, {"illuminance": 500})
    model.learn_one(START, {"light_on": 1})
    model.learn_one(START + timedelta(hours=1), {"light_on": 0})
    assert model.threshold == pytest.approx(50.0)


def test_the_default_colour_follows_the_sun() -> None:
    """Warm while the sun is down, the day's white once it is high, smooth between."""
    model = LightingPreference()
    afternoon = datetime(2026, 12, 14, 16, 30)  # by the clock, daytime white

    def kelvin(elevation: float) -> float:
        return float(
            model.predict_one(afternoon, {"sun_elevation": elevation})["color_temp"]
        )

    assert kelvin(-5.0) == kelvin(0.0) == 2700
    assert kelvin(15.0) == kelvin(60.0) == 4000
    curve = [kelvin(elevation) for elevation in range(16)]
    assert curve == sorted(curve)
    assert max(b - a for a, b in pairwise(curve)) <= 200

    # A colour people chose wins over it.
    for day in range(10):
        model.learn_one(
            datetime(2026, 12, day + 1, 16, 30), {"light_color_temp": 4500}, True
        )
    assert kelvin(-5.0) == pytest.approx(4500, abs=150)


def test_learns_brightness_and_colour_by_time_and_ambient() -> None:
    model = LightingPreference()
    for day in range(20):
        evening = START + timedelta(days=day, hours=21)
        morning = START + timedelta(days=day, hours=7)
        model.learn_one(evening, {"illuminance": 2})
        model.learn_one(
            evening, {"light_brightness": 30, "light_color_temp": 2200}, manual=True
        )
        model.learn_one(morning, {"illuminance": 50})
        model.learn_one(
            morning, {"light_brightness": 90, "light_color_temp": 5000}, manual=True
        )
    later = START + timedelta(days=30)
    evening = model.predict_one(later + timedelta(hours=22), {"illuminance": 1})
    morning = model.predict_one(later + timedelta(hours=8), {"illuminance": 40})
    assert evening["brightness"] == pytest.approx(30.0, abs=3.0)
    assert evening["color_temp"] == pytest.approx(2200.0, abs=150.0)
    assert morning["brightness"] == pytest.approx(90.0, abs=3.0)
    assert morning["color_temp"] == pytest.approx(5000.0, abs=150.0)
    # Midday was never adjusted, nor were the hours around it: the default.
    noon = model.predict_one(later + timedelta(hours=13), {"illuminance": 40})
    assert noon["brightness"] == 80.0
    # The hour next to the mornings' leans on them.
    ten = model.predict_one(later + timedelta(hours=10), {"illuminance": 40})
    assert 80.0 < ten["brightness"] < 90.0
    explanation = model.explain(later + timedelta(hours=22), {"illuminance": 1})
    assert "21-24 h when dark" in explanation
    assert "40 manual adjustments" in explanation


def test_a_light_we_switch_back_on_for_someone_seen_again_was_a_false_off() -> None:
    """Nobody has to reach for the switch for the delay to learn it was too short."""
    model = LightingPreference(vacancy_delay=600.0, min_delay=120.0, max_delay=3600.0)
    model.learn_one(START, {"light_on": 0})  # we switched it off
    model.learn_one(START + timedelta(seconds=60), {"light_on": 1})  # and on again
    assert (model.false_offs, model.quiet_offs) == (1, 0)
    assert model.vacancy_delay == pytest.approx(600.0 * 1.5)


def test_false_offs_lengthen_and_quiet_offs_shorten_the_delay() -> None:
    model = LightingPreference(vacancy_delay=600.0, min_delay=120.0, max_delay=3600.0)
    when = START
    for _ in range(3):
        model.learn_one(when, {"light_on": 0})  # we switched it off
        model.learn_one(when + timedelta(seconds=30), {"light_on": 1}, manual=True)
        when += timedelta(hours=1)
    assert model.false_offs == 3
    assert model.vacancy_delay == pytest.approx(600.0 * 1.5**3)
    for _ in range(20):
        model.learn_one(when, {"light_on": 0})
        when += timedelta(hours=1)
        model.learn_one(when, {"light_on": 1}, manual=True)  # long after: no complaint
        when += timedelta(minutes=1)
    assert model.quiet_offs == 20
    assert model.vacancy_delay == pytest.approx(600.0 * 1.5**3 * 0.97**20)
    # Within bounds, however long it runs.
    for _ in range(500):
        model.learn_one(when, {"light_on": 1})  # on by motion, say
        model.learn_one(when + timedelta(hours=1), {"light_on": 0})
        when += timedelta(hours=2)
        model.learn_one(when, {"illuminance": 100})
    assert model.vacancy_delay == 120.0
    for _ in range(50):
        model.learn_one(when, {"light_on": 0})
        model.learn_one(when + timedelta(seconds=10), {"light_on": 1}, manual=True)
        when += timedelta(hours=1)
    assert model.vacancy_delay == 3600.0
    assert "false-offs" in model.explain(when, {})


def test_someone_coming_in_soon_after_an_off_takes_back_a_false_off() -> None:
    """Back on three minutes after: nobody waits that long in the dark; they came in."""
    model = LightingPreference(vacancy_delay=600.0, min_delay=120.0, max_delay=3600.0)
    model.learn_one(START, {"light_on": 0})  # we switched it off
    model.learn_one(START + timedelta(seconds=60), {"light_on": 1}, manual=True)
    assert model.vacancy_delay == pytest.approx(900.0)
    later = START + timedelta(hours=1)
    model.learn_one(later, {"light_on": 0})
    model.learn_one(later + timedelta(seconds=180), {"light_on": 1})  # seen: by us
    assert (model.false_offs, model.arrivals_after_offs, model.quiet_offs) == (1, 1, 0)
    assert model.vacancy_delay == pytest.approx(600.0)
    # A reading between the two windows settles nothing yet.
    later += timedelta(hours=1)
    model.learn_one(later, {"light_on": 0})
    model.learn_one(later + timedelta(seconds=150), {"illuminance": 3})
    model.learn_one(later + timedelta(seconds=200), {"light_on": 1}, manual=True)
    assert model.arrivals_after_offs == 2
    assert model.quiet_offs == 0
    assert model.vacancy_delay == pytest.approx(400.0)
    assert "2 arrivals soon after an off" in model.explain(later, {})


def test_someone_let_in_by_the_door_soon_after_an_off_teaches_nothing() -> None:
    model = LightingPreference(vacancy_delay=600.0, min_delay=120.0, max_delay=3600.0)
    for hour, seconds in enumerate((30, 150)):  # in either window
        off = START + timedelta(hours=hour)
        model.learn_one(off, {"light_on": 0})  # we switched it off
        came = off + timedelta(seconds=seconds)
        model.exits.learn_one(came - timedelta(seconds=5), Role.DOOR, 1.0)
        model.exits.learn_one(came, Role.MOTION, 1.0)
        model.learn_one(came, {"light_on": 1}, manual=True)
        model.exits.learn_one(came + timedelta(seconds=5), Role.DOOR, 0.0)
    assert (model.false_offs, model.arrivals_after_offs, model.quiet_offs) == (0, 0, 0)
    assert model.vacancy_delay == 600.0
    # The door opened as people went, before the off, lets nobody in: whoever
    # switches on within the window was left in the dark.
    off = START + timedelta(days=1)
    model.exits.learn_one(off - timedelta(seconds=30), Role.DOOR, 1.0)
    model.learn_one(off, {"light_on": 0})
    model.learn_one(off + timedelta(seconds=20), {"light_on": 1}, manual=True)
    assert model.false_offs == 1
    assert model.vacancy_delay == pytest.approx(900.0)
    # Nor does a door opened long before the light comes back on.
    off = START + timedelta(days=2)
    model.learn_one(off, {"light_on": 0})
    model.exits.learn_one(off + timedelta(seconds=5), Role.DOOR, 0.0)
    model.exits.learn_one(off + timedelta(seconds=10), Role.DOOR, 1.0)
    model.learn_one(off + timedelta(seconds=110), {"light_on": 1}, manual=True)
    assert model.false_offs == 2
    # A door reported just after the light it came with, across a restart.
    came = off + timedelta(seconds=110)
    restored = LightingPreference.from_dict(json.loads(json.dumps(model.to_dict())))
    assert restored.complaint == (came, 600.0 * 1.5, True)
    restored.door_opened(came + timedelta(seconds=2))
    assert restored.false_offs == 1
    assert restored.vacancy_delay == pytest.approx(900.0)
    saved = restored.to_dict()
    assert saved["complaint"] is None
    saved["complaint"] = [None, 600.0, True]
    with pytest.raises(ValueError, match="a false-off has no time"):
        LightingPreference.from_dict(saved)


def test_people_coming_back_now_and_then_do_not_lengthen_the_delay() -> None:
    """A family's room: one off in ten is followed by someone coming back in.

    They come back as often within two minutes as two minutes later; nobody was
    ever left in the dark, so the delay shrinks to its shortest. Counted as
    false-offs, the first window's would have grown it to the longest.
    """
    model = LightingPreference(vacancy_delay=600.0, min_delay=120.0, max_delay=3600.0)
    when = START
    for off in range(400):
        model.learn_one(when, {"light_on": 0})  # we switched it off
        if off % 20 == 3:
            model.learn_one(when + timedelta(seconds=90), {"light_on": 1})
        elif off % 20 == 13:
            model.learn_one(when + timedelta(seconds=200), {"light_on": 1})
        else:
            model.learn_one(when + timedelta(minutes=30), {"light_on": 1})
        when += timedelta(hours=1)
    assert (model.false_offs, model.arrivals_after_offs) == (20, 20)
    assert model.vacancy_delay == 120.0


def test_arrivals_after_offs_are_kept_and_an_older_state_has_none() -> None:
    model = LightingPreference(vacancy_delay=600.0)
    model.learn_one(START, {"light_on": 0})
    model.learn_one(START + timedelta(seconds=60), {"light_on": 0})  # a reading
    saved = json.loads(json.dumps(model.to_dict()))
    restored = LightingPreference.from_dict(saved)
    # The off is still being watched after the restart: an arrival now counts.
    restored.learn_one(START + timedelta(seconds=200), {"light_on": 1})
    assert restored.arrivals_after_offs == 1
    again = LightingPreference.from_dict(json.loads(json.dumps(restored.to_dict())))
    assert again.arrivals_after_offs == 1
    assert again.vacancy_delay == pytest.approx(400.0)
    del saved["arrivals_after_offs"]
    assert LightingPreference.from_dict(saved).arrivals_after_offs == 0


def test_a_switch_off_not_known_to_be_ours_is_no_auto_off() -> None:
    """History does not say who switched off: the delay learns nothing from it."""
    model = LightingPreference(vacancy_delay=600.0)
    when = START
    for _ in range(20):
        model.learn_one(when, {"light_on": 1}, manual=None)
        model.learn_one(when + timedelta(minutes=30), {"light_on": 0}, manual=None)
        when += timedelta(hours=1)
    # Switched on again soon after, too: no false off either.
    model.learn_one(when, {"light_on": 1}, manual=True)
    assert (model.quiet_offs, model.false_offs) == (0, 0)
    assert model.vacancy_delay == 600.0


def test_bad_values_are_ignored_and_counted() -> None:
    model = LightingPreference()
    bad = [float("nan"), float("inf"), "unavailable", -5.0, 1e9]
    for value in bad:
        model.learn_one(
            START,
            {
                "illuminance": value,
                "light_on": value,
                "light_brightness": value,
                "light_color_temp": value,
            },
            manual=True,
        )
    assert model.bad_values == 4 * len(bad)
    assert model.adjustments == 0
    assert model.switches == 0
    model.learn_one(START, {"illuminance": None, "light_on": None})
    assert model.bad_values == 4 * len(bad)
    model.predict_one(START, {"illuminance": "dark"})
    assert model.bad_values == 4 * len(bad) + 1


def test_times_that_are_not_times_are_counted() -> None:
    model = LightingPreference()
    model.learn_one(None, {"light_on": 1}, manual=True)  # type: ignore[arg-type]
    assert model.bad_values == 1
    assert model.light_on is None
    model.learn_one(START.replace(tzinfo=UTC), {"light_on": 0})
    model.learn_one(START + timedelta(seconds=20), {"light_on": 1}, manual=True)
    assert model.false_offs == 1


class _Senses(Protocol):
    """Whatever takes the sensors' changes: an exit watch, or a whole zone."""

    def learn_one(
        self, when: datetime, role: Role, value: float, source: str | None = None
    ) -> None: ...


def _visits(
    watch: _Senses,
    count: int,
    *,
    still: int = 1,
    stays: int = 0,
    start: datetime = START,
    air: bool = False,
    power: bool = False,
) -> datetime:
    """People come in, sit ``still`` minutes once and go out through the door.

    Every ``stays``-th time one of them stays behind a while. Returns when the last
    visit began. With ``air``, a CO2 sensor reads too: within two minutes of the
    last one out the air falls 30 ppm; behind one of two, 5 ppm. With ``power``,
    the room's meter reads 80 W while people are in (a screen on), and 20 W on
    standby once the last one is out, the moment after the door.
    """
    when = start
    for visit in range(count):
        when = start + timedelta(hours=visit)
        stays_on = stays and visit % stays == 0
        minutes: list[tuple[float, Role, float]] = [
            (0, Role.MOTION, 1.0),  # seen coming in, the door just after
            (0, Role.DOOR, 1.0),
            (1, Role.DOOR, 0.0),
            (5, Role.MOTION, 0.0),
            (5 + still, Role.MOTION, 1.0),
            (20, Role.MOTION, 0.0),
            (20, Role.DOOR, 1.0),  # one goes, shutting the door behind them
            (20.5, Role.DOOR, 0.0),
        ]
        if stays_on:  # the one left behind moves, then goes too
            minutes += [(25, Role.MOTION, 1.0), (28, Role.MOTION, 0.0)]
            minutes += [(28, Role.DOOR, 1.0), (28.5, Role.DOOR, 0.0)]
        if air:
            minutes += [(0, Role.CO2, 500.0), (19, Role.CO2, 900.0)]
            minutes += [(21, Role.CO2, 895.0 if stays_on else 870.0)]
            if stays_on:
                minutes += [(29, Role.CO2, 860.0)]
        if power:
            minutes += [
                (0, Role.POWER, 80.0),
                (28 if stays_on else 20, Role.POWER, 20.0),
            ]
        for minute, role, value in sorted(minutes, key=lambda event: event[0]):
            source = "sensor.co2" if role is Role.CO2 else None
            watch.learn_one(when + timedelta(minutes=minute), role, value, source)
    return when


def test_a_zone_one_person_uses_goes_dark_soon_after_the_door() -> None:
    watch = ExitWatch()
    last = _visits(watch, 15)
    assert watch.door_delay() is None  # too few exits to tell
    assert watch.explain() == (
        "the full delay after the door: 14 exits seen (0 leaving someone behind), "
        "too few to tell how often someone stays behind"
    )
    # About 30 exits with nobody left behind tell it is seldom: the delay shortens.
    last = _visits(watch, 20, start=last + timedelta(hours=1))
    after_34 = watch.door_delay()
    assert after_34 is not None
    assert after_34 < 600.0
    # One of those exits leaving someone would need more to tell.
    one_stayed = ExitWatch()
    _visits(one_stayed, 35, stays=100)  # the first visit leaves someone
    assert round(one_stayed.stayers) == 1
    assert one_stayed.door_delay() is None
    assert "(1 leaving someone behind), too few to tell" in one_stayed.explain()
    last = _visits(watch, 150, start=last + timedelta(hours=1))
    after_150 = watch.door_delay()
    _visits(watch, 300, start=last + timedelta(hours=1))
    after_300 = watch.door_delay()
    assert after_150 is not None
    assert after_300 is not None
    assert 180.0 <= after_300 < after_150 < 600.0
    assert after_300 < 240.0
    assert watch.stayers == 0.0
    assert "someone stayed behind after 0 of" in watch.explain()


def test_the_wait_after_the_door_is_kept_when_the_clock_is_put_back() -> None:
    watch = ExitWatch()
    last = _visits(watch, 300, still=5)  # people sit still five minutes
    delay = watch.door_delay()
    assert delay is not None
    # Someone came in and sat still while the clock was a day ahead; it is put
    # right before they move again: no quiet spell of minus a day is learned.
    ahead = last + timedelta(days=1)
    watch.learn_one(ahead, Role.DOOR, 1.0)
    watch.learn_one(ahead, Role.MOTION, 1.0)
    watch.learn_one(ahead + timedelta(minutes=5), Role.MOTION, 0.0)
    last = _visits(watch, 3, still=5, start=last + timedelta(hours=1))
    assert watch.door_delay() == pytest.approx(delay, rel=0.01)
    assert watch.stayers == 0.0
    assert watch.exit_door() == last + timedelta(minutes=20)


def test_a_shared_zone_keeps_a_long_delay_after_the_door() -> None:
    watch = ExitWatch()
    # A quarter of the time someone stays, and people there sit still for minutes.
    _visits(watch, 300, still=5, stays=4)
    assert watch.door_delay() is None  # the full delay after the door holds
    assert watch.stayers > 0.15 * watch.exits  # each stay ends in one more exit
    assert watch.explain().startswith("the full delay after the door: someone")


def test_a_false_off_lengthens_the_delay_after_the_door() -> None:
    watch = ExitWatch()
    last = _visits(watch, 300)
    short = watch.door_delay()
    # The light went off on someone left behind, who then moved.
    last = _visits(watch, 1, stays=1, start=last + timedelta(hours=1))
    longer = watch.door_delay()
    assert short is not None
    assert longer is not None
    assert longer > short
    assert watch.stayers == 1.0
    # Twice more: longer again.
    last = _visits(watch, 2, stays=1, start=last + timedelta(hours=1))
    longer_still = watch.door_delay()
    assert longer_still is not None
    assert longer_still > longer
    # Each time now: people stay behind here, the full delay is back.
    _visits(watch, 40, stays=1, start=last + timedelta(hours=1))
    assert watch.door_delay() is None


def test_a_family_room_someone_sometimes_stays_in_waits_longer_after_the_door() -> None:
    # The kitchen: one exit in 20 leaves someone behind, who moves again soon, as
    # everyone there does. The light goes off sooner than the full ten minutes,
    # later than where nobody stays.
    alone, family = ExitWatch(), ExitWatch()
    _visits(alone, 300)
    _visits(family, 300, stays=20)
    alone_delay, family_delay = alone.door_delay(), family.door_delay()
    assert alone_delay is not None
    assert family_delay is not None
    assert alone_delay + 60.0 < family_delay < 420.0
    assert family.stayers > 0.04 * family.exits
    assert "someone stayed behind after 13 of 270 recent exits" in family.explain()


def _through_door(watch: ExitWatch, when: datetime) -> None:
    """Someone goes through the door at ``when``: opened, and shut behind them."""
    watch.learn_one(when, Role.DOOR, 1.0)
    watch.learn_one(when + timedelta(seconds=30), Role.DOOR, 0.0)


def _home(*rooms: str) -> list[ExitWatch]:
    """Return a watch for each of ``rooms``, joined in one building."""
    pool = ExitPool()
    watches = [ExitWatch() for _ in rooms]
    for watch, room in zip(watches, rooms, strict=True):
        watch.join(pool, room)
    return watches


def test_a_room_leans_on_the_other_rooms_where_nobody_stays_behind() -> None:
    # A flat one person lives in: hundreds of exits from its other rooms, none
    # leaving anyone behind, make its bathroom surer of it than its own 40.
    bathroom, living = _home("bathroom", "living")
    alone = ExitWatch()
    _visits(living, 600)
    _visits(bathroom, 40)
    _visits(alone, 40)
    assert bathroom.exits == alone.exits
    leaning, own = bathroom.door_delay(), alone.door_delay()
    assert leaning is not None
    assert own is not None
    assert leaning < own - 90.0
    assert "after 0 of 38 recent exits (0 of 451 in the other rooms)" in (
        bathroom.explain()
    )
    # A family's rooms, where one exit in 20 leaves someone, lend less.
    family_bathroom, family_kitchen = _home("bathroom", "kitchen")
    _visits(family_kitchen, 600, stays=20)
    _visits(family_bathroom, 40)
    family = family_bathroom.door_delay()
    assert family is not None
    assert leaning < family < own


def test_a_room_where_people_stay_behind_keeps_its_delay_whatever_the_others() -> None:
    # The rule of three weighs the room's own exits: a kitchen where one exit in
    # four leaves someone keeps the full delay in a home whose other rooms never
    # do, and one with too few exits to tell waits it too.
    kitchen, new_room, hall = _home("kitchen", "new room", "hall")
    _visits(hall, 600)
    _visits(kitchen, 300, stays=4)
    _visits(new_room, 15)
    assert kitchen.door_delay() is None
    assert new_room.door_delay() is None
    assert hall.door_delay() is not None


def test_a_room_taken_from_the_building_is_leaned_on_no_more() -> None:
    pool = ExitPool()
    bathroom, living, alone = ExitWatch(), ExitWatch(), ExitWatch()
    bathroom.join(pool, "bathroom")
    living.join(pool, "living")
    _visits(living, 600)
    _visits(bathroom, 40)
    _visits(alone, 40)
    assert pool.others("bathroom") == (pytest.approx(living.exits), 0.0)
    assert bathroom.door_delay() != alone.door_delay()
    pool.remove("living")
    assert pool.others("bathroom") == (0.0, 0.0)
    assert bathroom.door_delay() == alone.door_delay()
    assert "in the other rooms" not in bathroom.explain()


def _sooner_where_told(
    watch: ExitWatch, unmeasured: ExitWatch, empty: str, other: str
) -> float:
    """Check that no stayer was left behind ``watch``'s exits of kind ``empty``,
    all its exits are of that kind or ``other``, and the one pending waits over a
    minute less than where nothing tells; return that wait (s).
    """
    told, untold = watch.by_kind[empty], watch.by_kind[other]
    assert told[1] == 0.0
    assert told[0] + untold[0] == pytest.approx(watch.exits)
    usual, delay = unmeasured.door_delay(), watch.door_delay()
    assert usual is not None
    assert delay is not None
    assert delay < usual - 60.0
    return delay


def test_a_room_whose_air_falls_behind_the_last_one_out_goes_dark_sooner() -> None:
    watch, unmeasured = ExitWatch(), ExitWatch()
    last = _visits(watch, 300, stays=20, air=True)
    _visits(unmeasured, 300, stays=20)
    # Each stay makes two exits: the one that left someone, behind which the
    # air held, and the stayer's own, behind which it fell.
    assert watch.by_kind["held"] == [pytest.approx(watch.stayers)] * 2
    assert round(watch.stayers) == round(unmeasured.stayers) == 13
    # The last visit's exit waits, the air fallen behind it: sooner than where
    # no CO2 sensor tells.
    fell_delay = _sooner_where_told(watch, unmeasured, "fell", "held")
    assert watch.explain().endswith(
        "; the air fell behind this one, as behind 257 of them (0 leaving someone) "
        "(motion sensors hold on 180 s)"
    )
    # The next exit: while the air holds, one may have stayed. Behind such air
    # someone did every time, so the full delay.
    when = last + timedelta(hours=1)
    watch.learn_one(when, Role.MOTION, 1.0)  # in through the door
    _through_door(watch, when)
    watch.learn_one(when + timedelta(minutes=5), Role.CO2, 900.0, "sensor.co2")
    watch.learn_one(when + timedelta(minutes=10), Role.MOTION, 0.0)
    _through_door(watch, when + timedelta(minutes=10))
    assert watch.exit_door() == when + timedelta(minutes=10)
    assert watch.door_delay() is None
    assert watch.explain().startswith(
        "the full delay after the door: someone stayed behind after 13 of 13 recent "
        "exits behind which the air held"
    )
    watch.learn_one(when + timedelta(minutes=11), Role.CO2, 891.0, "sensor.co2")
    assert watch.door_delay() is None  # 9 ppm down: too little
    watch.learn_one(when + timedelta(minutes=12), Role.CO2, 890.0, "sensor.co2")
    assert watch.door_delay() == pytest.approx(fell_delay, abs=1.0)
    # Air that falls only after the window tells nothing of who is left.
    watch.learn_one(when + timedelta(minutes=40), Role.MOTION, 1.0)
    _through_door(watch, when + timedelta(minutes=40))
    watch.learn_one(when + timedelta(minutes=45), Role.CO2, 900.0, "sensor.co2")
    watch.learn_one(when + timedelta(minutes=50), Role.MOTION, 0.0)
    _through_door(watch, when + timedelta(minutes=50))
    watch.learn_one(when + timedelta(minutes=54), Role.CO2, 860.0, "sensor.co2")
    assert watch.door_delay() is None


@pytest.mark.parametrize(("air_changes", "fell"), [(0.8, True), (3.0, False)])
def test_the_air_falls_for_an_empty_room_only_as_an_empty_rooms_air_does(
    air_changes: float, fell: bool
) -> None:
    watch = ExitWatch()
    air = {"fresh_air": 420.0, "air_changes": air_changes}
    # Two people long in a small room: the air stands at their balance.
    watch.learn_one(START, Role.CO2, 1750.0, "sensor.co2", **air)
    watch.learn_one(START, Role.MOTION, 1.0)
    door = START + timedelta(minutes=10)
    watch.learn_one(door, Role.MOTION, 0.0)
    watch.learn_one(door, Role.DOOR, 1.0)
    # One goes: the air falls at half an empty room's pace, 10 ppm in 2 minutes
    # where an empty room's would have lost 35.
    watch.learn_one(door + timedelta(minutes=2), Role.CO2, 1740.0, "sensor.co2", **air)
    assert not watch.air_fell
    # 40 ppm in two and a half: as an empty room's air falls, where it changes
    # 0.8 times an hour (it would lose 44); not where it changes 3 times (156).
    later = door + timedelta(minutes=2, seconds=30)
    watch.learn_one(later, Role.CO2, 1710.0, "sensor.co2", **air)
    assert watch.air_fell is fell


def test_a_room_whose_power_idles_behind_the_last_one_out_goes_dark_sooner() -> None:
    watch, unmeasured = ExitWatch(), ExitWatch()
    last = _visits(watch, 300, stays=20, power=True)
    _visits(unmeasured, 300, stays=20)
    # Behind one of two the screen stays on: every stayer was left behind power
    # still drawn, none behind power gone idle.
    assert watch.by_kind["drawn"][1] == pytest.approx(watch.stayers)
    idled_delay = _sooner_where_told(watch, unmeasured, "idled", "drawn")
    assert watch.explain().endswith(
        "; the power went idle behind this one, as behind 256 of them (0 leaving "
        "someone) (motion sensors hold on 180 s)"
    )
    saved = ExitWatch.from_dict(json.loads(json.dumps(watch.to_dict())))
    assert saved.door_delay() == idled_delay
    # The next one in switches the screen on as the door opens, the meter a
    # moment first: the exit before still counts as one the power idled behind.
    idled_exits = watch.by_kind["idled"][0]
    when = last + timedelta(hours=1)
    for each in (watch, saved):
        each.learn_one(when, Role.POWER, 80.0)
        each.learn_one(when, Role.MOTION, 1.0)
        _through_door(each, when)
        assert each.by_kind["idled"][0] == pytest.approx(idled_exits * 0.999 + 1.0)
        # They leave the screen on: someone may be watching it.
        each.learn_one(when + timedelta(minutes=10), Role.MOTION, 0.0)
        _through_door(each, when + timedelta(minutes=10))
        assert each.door_delay() is None
        assert each.explain().startswith(
            "the full delay after the door: someone stayed behind after 13 of 13 "
            "recent exits behind which the power did not go idle"
        )
        # Its standby a minute later, as a screen that sleeps when left.
        each.learn_one(when + timedelta(minutes=11), Role.POWER, 21.0)
        assert each.door_delay() == pytest.approx(idled_delay, abs=1.0)
        # Back on: someone there switched it on.
        each.learn_one(when + timedelta(minutes=12), Role.POWER, 80.0)
        assert each.door_delay() is None


def test_a_room_idle_all_along_tells_nothing_by_its_power() -> None:
    # Nobody used anything there (a reading corner), or the screen went to
    # standby long after the door: neither says the last one left.
    watch = ExitWatch()
    _visits(watch, 300, stays=20, power=True)
    when = START + timedelta(days=20)
    watch.learn_one(when, Role.MOTION, 1.0)
    _through_door(watch, when)
    watch.learn_one(when + timedelta(minutes=10), Role.MOTION, 0.0)
    _through_door(watch, when + timedelta(minutes=10))
    assert watch.door_delay() is None
    when += timedelta(hours=1)
    watch.learn_one(when, Role.MOTION, 1.0)
    _through_door(watch, when)
    watch.learn_one(when + timedelta(minutes=1), Role.POWER, 80.0)
    watch.learn_one(when + timedelta(minutes=10), Role.MOTION, 0.0)
    _through_door(watch, when + timedelta(minutes=10))
    watch.learn_one(when + timedelta(minutes=14), Role.POWER, 20.0)
    assert watch.door_delay() is None


def test_the_idle_power_is_the_lowest_the_room_draws_lately() -> None:
    watch = ExitWatch()
    day = timedelta(days=1)
    for evening in range(7):  # a TV three hours an evening, 20 W on standby
        when = START + evening * day
        watch.learn_one(when, Role.POWER, 20.0)
        watch.learn_one(when + timedelta(hours=10), Role.POWER, 150.0)
        watch.learn_one(when + timedelta(hours=13), Role.POWER, 20.0)
    assert watch.power_idle == 20.0
    # A games console added on standby: 45 W. The idle level creeps up to it
    # within three weeks, however high the evenings' use.
    watch.learn_one(START + 7 * day, Role.POWER, 45.0)
    assert watch.power_idle is not None
    assert watch.power_idle < 21.0
    for evening in range(7, 28):
        when = START + evening * day
        watch.learn_one(when + timedelta(hours=10), Role.POWER, 175.0)
        watch.learn_one(when + timedelta(hours=13), Role.POWER, 45.0)
    assert watch.power_idle == pytest.approx(45.0, abs=2.0)


def test_the_air_falling_behind_an_exit_is_told_until_it_rises_back() -> None:
    watch = ExitWatch()
    air = {"fresh_air": 420.0, "air_changes": 0.5}
    # A caller in a phone booth: the air rises with their breath.
    watch.learn_one(START, Role.MOTION, 1.0)
    for minute in range(10):
        when = START + timedelta(minutes=minute)
        watch.learn_one(when, Role.CO2, 800.0 + 20.0 * minute, "sensor.co2", **air)
    assert not watch.air_falling()  # nobody gone
    door = START + timedelta(minutes=10)
    watch.learn_one(door, Role.MOTION, 0.0)
    watch.learn_one(door, Role.DOOR, 1.0)
    watch.learn_one(door + timedelta(minutes=1), Role.CO2, 980.0, "sensor.co2", **air)
    assert not watch.air_falling()  # held so far
    # Out: 10 ppm down in two minutes, as the booth's air would lose empty.
    falls = door + timedelta(minutes=2)
    watch.learn_one(falls, Role.CO2, 970.0, "sensor.co2", **air)
    assert watch.air_falling()
    saved = ExitWatch.from_dict(json.loads(json.dumps(watch.to_dict())))
    assert saved.air_falling()
    # Back above where it was at the door: someone breathes there after all.
    watch.learn_one(falls + timedelta(minutes=3), Role.CO2, 990.0, "sensor.co2")
    assert not watch.air_falling()
    # Seen again: no exit pending, whatever the air did.
    saved.learn_one(falls + timedelta(minutes=3), Role.MOTION, 1.0)
    assert not saved.air_falling()


def test_a_stayer_who_moves_at_once_counts_by_the_air_that_followed() -> None:
    watch = ExitWatch()
    door = START + timedelta(minutes=20)
    watch.learn_one(START, Role.CO2, 700.0, "sensor.co2")
    watch.learn_one(START, Role.MOTION, 1.0)
    watch.learn_one(door, Role.MOTION, 0.0)
    watch.learn_one(door, Role.DOOR, 1.0)
    watch.learn_one(door + timedelta(minutes=1, seconds=10), Role.MOTION, 1.0)
    watch.learn_one(door + timedelta(minutes=2, seconds=20), Role.MOTION, 0.0)
    assert round(watch.stayers) == 1  # counted, but its air is not told yet
    assert watch.by_kind == {}
    saved = ExitWatch.from_dict(json.loads(json.dumps(watch.to_dict())))
    assert saved.to_dict() == watch.to_dict()
    for each in (watch, saved):  # the window over, nothing fell: still air
        each.learn_one(
            door + timedelta(minutes=3, seconds=30), Role.CO2, 695.0, "sensor.co2"
        )
        assert each.by_kind == {"held": [1.0, 1.0]}
    # The next: the air falls after the one left behind moved, still within the
    # window (one of two went from a room their breath had warmed). It counts
    # as air that fell, and teaches that one may stay behind such air.
    # The first door still stands open: they go out by the room's other one.
    door += timedelta(hours=1)
    watch.learn_one(door - timedelta(minutes=5), Role.MOTION, 1.0)
    watch.learn_one(door, Role.MOTION, 0.0)
    watch.learn_one(door, Role.DOOR, 1.0, "binary_sensor.back_door")
    watch.learn_one(door + timedelta(minutes=1, seconds=10), Role.MOTION, 1.0)
    watch.learn_one(door + timedelta(minutes=2, seconds=20), Role.MOTION, 0.0)
    watch.learn_one(
        door + timedelta(minutes=2, seconds=40), Role.CO2, 680.0, "sensor.co2"
    )
    assert watch.by_kind["fell"] == [1.0, 1.0]


@pytest.mark.parametrize("key", ["exits", "stayers", "gaps", "gap_minutes"])
def test_an_exit_count_below_zero_is_refused(key: str) -> None:
    """Read back, it would fail the zone's every prediction after."""
    state = {**ExitWatch().to_dict(), key: -7}
    with pytest.raises(ValueError, match="corrupt exit state"):
        ExitWatch.from_dict(state)


def test_a_corrupt_exit_waiting_on_its_air_is_refused() -> None:
    state = {**ExitWatch().to_dict(), "untold": [None, True]}
    with pytest.raises(ValueError, match="corrupt exit state"):
        ExitWatch.from_dict(state)
    state = {**ExitWatch().to_dict(), "co2": {"sensor.co2": "lots"}}
    with pytest.raises(ValueError, match="corrupt exit state"):
        ExitWatch.from_dict(state)
    for watts in ("lots", [80.0], {"W": 80.0}, "nan", float("inf")):
        for key in ("power", "power_idle"):
            state = {**ExitWatch().to_dict(), key: watts}
            with pytest.raises(ValueError, match="corrupt exit state"):
                ExitWatch.from_dict(state)
    restored = ExitWatch.from_dict({**ExitWatch().to_dict(), "power": "80.5"})
    assert restored.power == 80.5  # text that reads as a number, as before


_POWER_KEYS = ("power", "power_read", "power_idle", "power_used", "power_idled")


def test_an_exit_state_saved_before_the_air_was_watched_loads() -> None:
    watch = ExitWatch()
    _visits(watch, 40, stays=20, air=True, power=True)
    state = watch.to_dict()
    for key in ("co2", "air_at_door", "air_fell", "untold", "by_kind", *_POWER_KEYS):
        del state[key]
    restored = ExitWatch.from_dict(state)
    assert restored.by_kind == ExitWatch().by_kind
    assert restored.exits == watch.exits


def test_an_exit_state_saved_before_the_power_was_watched_keeps_its_air() -> None:
    # Till then the air's kinds were saved as "by_air", and an exit waiting on
    # its air as "unaired".
    watch = ExitWatch()
    last = _visits(watch, 40, stays=20, air=True)
    state = watch.to_dict()
    for key in _POWER_KEYS:
        del state[key]
    del state["untold"]
    state["by_air"] = state.pop("by_kind")
    door = last + timedelta(minutes=20)
    state["unaired"] = [door.isoformat(), True]
    restored = ExitWatch.from_dict(state)
    assert restored.by_kind == watch.by_kind
    assert restored.untold == (door, True)
    assert restored.door_delay() == watch.door_delay()
    # The window over, it is counted as air that fell (as it did), with the
    # stayer it was saved with.
    restored.learn_one(door + timedelta(minutes=4), Role.CO2, 850.0, "sensor.co2")
    assert restored.untold is None
    exits, stayers = watch.by_kind["fell"]
    assert restored.by_kind["fell"] == [
        pytest.approx(exits * 0.999 + 1.0),
        pytest.approx(stayers * 0.999 + 1.0),
    ]


def test_people_who_sit_still_long_keep_the_long_delay() -> None:
    brisk, still = ExitWatch(), ExitWatch()
    _visits(brisk, 300, still=1)
    _visits(still, 300, still=12)
    brisk_delay, still_delay = brisk.door_delay(), still.door_delay()
    assert brisk_delay is not None
    assert still_delay is not None
    assert brisk_delay < 300.0
    assert still_delay > 3 * 600.0
    assert "people sit still 11." in still.explain()


def test_someone_who_comes_in_and_sits_down_unseen_did_not_stay_behind() -> None:
    watch = ExitWatch()
    start = START
    for visit in range(150):
        # The door into the empty room, then five minutes before the sensor
        # first sees the one who came in (lying down, on a call).
        when = start + timedelta(hours=visit)
        watch.learn_one(when, Role.DOOR, 1.0)
        watch.learn_one(when + timedelta(minutes=1), Role.DOOR, 0.0)
        if visit:
            # The room stood empty: the door let someone in, it is no exit.
            assert watch.exit_door() is None
            if visit == 1:
                restored = ExitWatch.from_dict(json.loads(json.dumps(watch.to_dict())))
                assert restored.entering
                assert restored.to_dict() == watch.to_dict()
        watch.learn_one(when + timedelta(minutes=5), Role.MOTION, 1.0)
        watch.learn_one(when + timedelta(minutes=10), Role.MOTION, 0.0)
        watch.learn_one(when + timedelta(minutes=20), Role.DOOR, 1.0)  # out
        watch.learn_one(when + timedelta(minutes=21), Role.DOOR, 0.0)
        assert watch.exit_door() == when + timedelta(minutes=20)
    assert watch.stayers == 0.0
    assert watch.exits > 130.0  # every visit's exit, faded
    assert watch.door_delay() is not None
    # One comes in and goes out again unseen: the second door is an exit.
    when += timedelta(hours=1)
    watch.learn_one(when, Role.DOOR, 1.0)
    watch.learn_one(when + timedelta(minutes=1), Role.DOOR, 0.0)
    assert watch.exit_door() is None
    watch.learn_one(when + timedelta(minutes=4), Role.DOOR, 1.0)
    assert watch.exit_door() == when + timedelta(minutes=4)


def test_someone_coming_in_through_a_door_left_open_is_no_stayer() -> None:
    """Whoever walks in through a door left standing open moves no door.

    One person uses the room; every other time they leave its door open behind
    them, and come in through it an hour later, seen only by the motion
    sensor. That motion may as well be someone who stayed: those exits are not
    counted, and the others tell that nobody stays behind.
    """
    watch = ExitWatch()
    when = START
    half_a_minute = timedelta(seconds=30)
    for visit in range(200):
        when = START + timedelta(hours=visit)
        if visit % 2 == 0:  # the door was shut behind the last one out
            watch.learn_one(when, Role.DOOR, 1.0)
            watch.learn_one(when + half_a_minute, Role.DOOR, 0.0)
        watch.learn_one(when + timedelta(minutes=1), Role.MOTION, 1.0)
        watch.learn_one(when + timedelta(minutes=5), Role.MOTION, 0.0)
        out = when + timedelta(minutes=20)
        if visit % 2 == 0:
            watch.learn_one(out, Role.DOOR, 1.0)  # and left open
        else:
            watch.learn_one(out, Role.DOOR, 0.0)  # shut behind them
        assert watch.exit_door() == out
    assert watch.stayers == 0.0
    assert round(watch.exits) == 94  # the 99 shut behind and settled, faded
    assert watch.door_delay() is not None
    # The last one out shut it. Now two come in; one goes, leaving it open, and
    # the other moves a minute and a half later: one stayed behind, as ever.
    later = when + timedelta(hours=1)
    watch.learn_one(later, Role.DOOR, 1.0)
    watch.learn_one(later + half_a_minute, Role.DOOR, 0.0)
    watch.learn_one(later + timedelta(minutes=1), Role.MOTION, 1.0)
    watch.learn_one(later + timedelta(minutes=5), Role.MOTION, 0.0)
    watch.learn_one(later + timedelta(minutes=20), Role.DOOR, 1.0)
    watch.learn_one(later + timedelta(minutes=21.5), Role.MOTION, 1.0)
    watch.learn_one(later + timedelta(minutes=25), Role.MOTION, 0.0)
    assert watch.stayers == pytest.approx(1.0)


def test_a_door_left_open_and_shut_later_is_the_exit_to_count() -> None:
    """Shut with no one seen since it stood open: whoever shut it went out."""
    watch = ExitWatch()
    half_a_minute = timedelta(seconds=30)
    watch.learn_one(START, Role.DOOR, 1.0)
    watch.learn_one(START + half_a_minute, Role.DOOR, 0.0)
    watch.learn_one(START + timedelta(minutes=1), Role.MOTION, 1.0)
    watch.learn_one(START + timedelta(minutes=5), Role.MOTION, 0.0)
    watch.learn_one(START + timedelta(minutes=20), Role.DOOR, 1.0)  # left open
    shut = START + timedelta(minutes=40)
    watch.learn_one(shut, Role.DOOR, 0.0)
    assert watch.exit_door() == shut
    # The next one in opens it: everyone had gone.
    watch.learn_one(shut + timedelta(hours=1), Role.DOOR, 1.0)
    assert (watch.exits, watch.stayers) == (1.0, 0.0)
    # Shut by someone coming in, seen at once: no exit, and nothing counted.
    watch.learn_one(shut + timedelta(hours=1, seconds=30), Role.DOOR, 0.0)
    watch.learn_one(shut + timedelta(hours=1, minutes=1), Role.MOTION, 1.0)
    watch.learn_one(shut + timedelta(hours=1, minutes=3), Role.MOTION, 0.0)
    watch.learn_one(shut + timedelta(hours=1, minutes=20), Role.DOOR, 1.0)  # open
    entered = shut + timedelta(hours=1, minutes=40)
    watch.learn_one(entered, Role.DOOR, 0.0)
    watch.learn_one(entered + half_a_minute, Role.MOTION, 1.0)
    assert watch.exit_door() is None
    assert watch.pending is None
    assert (round(watch.exits, 3), watch.stayers) == (1.0, 0.0)


def test_a_door_sensor_reading_open_again_moved_no_door() -> None:
    """Back from unavailable or a restart, or with only its attributes changed,
    a contact reads again that its door stands open: nobody went through it.

    Someone came in and left the door open, and sits still. Taken for a move
    after the last motion, the reading would be them going out.
    """
    watch = ExitWatch()
    door, back_door = "binary_sensor.door", "binary_sensor.back_door"
    watch.learn_one(START, Role.DOOR, 1.0, door)
    watch.learn_one(START + timedelta(seconds=30), Role.MOTION, 1.0)
    watch.learn_one(START + timedelta(minutes=4), Role.MOTION, 0.0)
    again = START + timedelta(minutes=20)
    watch.learn_one(again, Role.DOOR, 1.0, door)
    assert watch.exit_door() is None
    assert watch.door_opened == START
    # Saved and restored, it still knows the door stands open.
    watch = ExitWatch.from_dict(watch.to_dict())
    assert watch.doors == {door: True}
    watch.learn_one(again + timedelta(minutes=5), Role.DOOR, 1.0, door)
    assert watch.exit_door() is None
    # The room's other door opening is someone going out through it ...
    out = again + timedelta(minutes=10)
    watch.learn_one(out, Role.DOOR, 1.0, back_door)
    assert watch.exit_door() == out
    # ... and the first one shut, the door moving too.
    shut = out + timedelta(minutes=1)
    watch.learn_one(shut, Role.DOOR, 0.0, door)
    assert watch.door_seen == shut
    # A contact renamed is followed; one taken from the zone is forgotten.
    watch.rename_sensor(door, "binary_sensor.front_door")
    assert watch.doors == {"binary_sensor.front_door": False, back_door: True}
    watch.keep_sensors({back_door})
    assert watch.doors == {back_door: True}


def test_other_roles_and_lone_door_moves_teach_no_stayers() -> None:
    watch = ExitWatch()
    watch.learn_one(START, Role.LIGHT_ON, 1.0)
    assert watch.to_dict() == ExitWatch().to_dict()
    for minute in range(0, 600, 10):  # a door nobody walks through
        watch.learn_one(START + timedelta(minutes=minute), Role.DOOR, 1.0)
    assert watch.stayers == 0.0


def test_a_door_while_another_motion_sensor_sees_someone_is_no_exit() -> None:
    watch = ExitWatch()
    last = _visits(watch, 300)
    short = watch.door_delay()
    assert short is not None
    desk, by_door, door = "binary_sensor.desk", "binary_sensor.by_door", "door"

    def come_in(when: datetime) -> None:
        watch.learn_one(when, Role.DOOR, 1.0, door)
        watch.learn_one(when, Role.MOTION, 1.0, desk)
        watch.learn_one(when, Role.MOTION, 1.0, by_door)

    # Two come in. The sensor by the door clears, the door moves (one goes), and
    # the sensor by the desk still sees the other: no exit yet.
    start = last + timedelta(hours=1)
    come_in(start)
    watch.learn_one(start + timedelta(minutes=3), Role.MOTION, 0.0, by_door)
    watch.learn_one(start + timedelta(minutes=4), Role.DOOR, 0.0, door)
    assert watch.pending is None
    # The other goes: the desk clears, then the door moves behind them.
    watch.learn_one(start + timedelta(minutes=30), Role.MOTION, 0.0, desk)
    watch.learn_one(start + timedelta(minutes=31), Role.DOOR, 1.0, door)
    assert watch.pending == start + timedelta(minutes=31)
    # Saved and restored half-way through the next visit, the sensors still on
    # are still told apart.
    come_in(start + timedelta(hours=1))
    watch.learn_one(start + timedelta(hours=1, minutes=3), Role.MOTION, 0.0, by_door)
    restored = ExitWatch.from_dict(json.loads(json.dumps(watch.to_dict())))
    assert restored.motion_on.keys() == {desk}
    for each in (watch, restored):
        each.learn_one(start + timedelta(hours=1, minutes=4), Role.DOOR, 0.0, door)
        assert each.pending is None
        assert each.to_dict() == watch.to_dict()
    assert watch.stayers == 0.0  # nobody was ever left behind
    delay = watch.door_delay()
    assert delay is not None
    assert delay < short  # and two more exits went cleanly


def _visits_seen_by_a_holding_sensor(
    watch: ExitWatch, count: int, hold: timedelta, start: datetime = START
) -> datetime:
    """Return when the last of ``count`` visits began, as real sensors saw them.

    The motion sensor stays on ``hold`` after it last saw someone; the door
    contact is open for a few seconds. Each visitor comes in and sits down at once
    (the sensor saw them once), moves again half a minute after it cleared, and
    goes out twenty minutes after coming in.
    """
    second = timedelta(seconds=1)
    pir, door = "binary_sensor.pir", "binary_sensor.door"
    when = start
    for visit in range(count):
        when = start + timedelta(hours=visit)
        watch.learn_one(when, Role.DOOR, 1.0, door)
        watch.learn_one(when + 3 * second, Role.MOTION, 1.0, pir)
        watch.learn_one(when + 6 * second, Role.DOOR, 0.0, door)
        watch.learn_one(when + 3 * second + hold, Role.MOTION, 0.0, pir)
        watch.learn_one(when + 33 * second + hold, Role.MOTION, 1.0, pir)
        out = when + timedelta(minutes=20)  # last seen two seconds before
        watch.learn_one(out, Role.DOOR, 1.0, door)
        watch.learn_one(out + 4 * second, Role.DOOR, 0.0, door)
        watch.learn_one(out - 2 * second + hold, Role.MOTION, 0.0, pir)
    return when


def test_a_motion_sensor_that_holds_on_still_lets_the_door_tell_an_exit() -> None:
    watch = ExitWatch()
    hold = timedelta(seconds=90)
    # The door closes before the sensor clears: until the sensor's hold is known,
    # that is no exit (the last motion may have been after the door).
    last = _visits_seen_by_a_holding_sensor(watch, 5, hold)
    assert watch.hold("binary_sensor.pir") == 0.0
    assert watch.exit_door() is None
    assert watch.exits == 0.0
    last = _visits_seen_by_a_holding_sensor(watch, 10, hold, last + timedelta(hours=1))
    assert watch.hold("binary_sensor.pir") == 90.0  # its shortest "on"
    out = last + timedelta(minutes=20, seconds=4)
    assert watch.exit_door() == out
    # Someone who comes in and sits down at once is no exit, though the door
    # closed after the one time the sensor saw them.
    watch.learn_one(last + timedelta(hours=1), Role.DOOR, 1.0, "binary_sensor.door")
    # Each coming in settled the last exit: the five since the hold was known.
    assert round(watch.exits) == 5
    for moment, role, value in (
        (timedelta(seconds=3), Role.MOTION, 1.0),
        (timedelta(seconds=6), Role.DOOR, 0.0),
        (timedelta(seconds=93), Role.MOTION, 0.0),
    ):
        source = "binary_sensor.pir" if role is Role.MOTION else "binary_sensor.door"
        watch.learn_one(last + timedelta(hours=1) + moment, role, value, source)
    assert watch.exit_door() is None
    # Enough exits with nobody left behind, and the wait after the door shortens.
    _visits_seen_by_a_holding_sensor(watch, 300, hold, last + timedelta(hours=2))
    delay = watch.door_delay()
    assert watch.stayers == 0.0
    assert delay is not None
    assert delay < 600.0
    restored = ExitWatch.from_dict(json.loads(json.dumps(watch.to_dict())))
    assert restored.to_dict() == watch.to_dict()
    assert restored.hold("binary_sensor.pir") == 90.0
    assert watch.explain().endswith("(motion sensors hold on 90 s)")


def test_a_glitch_of_a_second_does_not_hide_the_hold() -> None:
    watch = ExitWatch()
    pir = "binary_sensor.pir"
    blip = START - timedelta(hours=1)
    watch.learn_one(blip, Role.MOTION, 1.0, pir)
    watch.learn_one(blip + timedelta(seconds=1), Role.MOTION, 0.0, pir)
    _visits_seen_by_a_holding_sensor(watch, 10, timedelta(seconds=90))
    assert watch.hold(pir) == 90.0


def test_a_sensor_never_on_for_less_than_minutes_shows_no_hold() -> None:
    watch = ExitWatch()
    # Always on for at least six minutes: people moving, not what the sensor holds.
    _visits_seen_by_a_holding_sensor(watch, 30, timedelta(minutes=6))
    assert watch.hold("binary_sensor.pir") == 0.0
    assert watch.exits == 0.0


def test_a_four_minute_hold_that_reads_a_second_over_is_still_a_hold() -> None:
    watch = ExitWatch()
    _visits_seen_by_a_holding_sensor(watch, 25, timedelta(seconds=241))
    assert watch.hold("binary_sensor.pir") == 241.0
    assert watch.exits > 0.0


def test_a_motion_sensor_taken_from_the_zone_while_on_is_forgotten() -> None:
    watch = ExitWatch()
    last = _visits_seen_by_a_holding_sensor(watch, 10, timedelta(seconds=90))
    pir, door = "binary_sensor.pir", "binary_sensor.door"
    # The sensor sees someone, and is moved to another room while still on: it
    # never clears here. The door then moves behind the one who was there.
    seen = last + timedelta(hours=1)
    watch.learn_one(seen, Role.MOTION, 1.0, pir)
    watch.learn_one(seen + timedelta(minutes=5), Role.DOOR, 1.0, door)
    watch.learn_one(seen + timedelta(minutes=5, seconds=4), Role.DOOR, 0.0, door)
    assert watch.exit_door() is None  # the sensor is on, as far as it knows
    watch.keep_sensors({door, "binary_sensor.new_pir"})
    assert watch.motion_on == {}
    assert watch.holds == {}
    assert watch.exit_door() == seen + timedelta(minutes=5, seconds=4)


def test_co2_sensors_renamed_or_taken_from_the_zone_are_followed_so() -> None:
    watch = ExitWatch()
    for number in range(6):  # more than are followed: the first four are
        watch.learn_one(START, Role.CO2, 600.0 + number, f"sensor.co2_{number}")
    assert sorted(watch.co2) == [f"sensor.co2_{number}" for number in range(4)]
    watch.learn_one(START, Role.DOOR, 1.0, "binary_sensor.door")
    watch.rename_sensor("sensor.co2_0", "sensor.booth_co2")
    assert watch.co2["sensor.booth_co2"] == watch.air_at_door["sensor.booth_co2"]
    watch.learn_one(START + timedelta(minutes=1), Role.CO2, 580.0, "sensor.booth_co2")
    assert watch.air_fell  # its reading at the door carried over
    watch.keep_sensors({"sensor.booth_co2", "binary_sensor.door"})
    assert watch.co2 == {"sensor.booth_co2": 580.0}
    assert list(watch.air_at_door) == ["sensor.booth_co2"]
    watch.learn_one(START + timedelta(minutes=2), Role.CO2, 640.0, "sensor.co2_5")
    assert watch.co2["sensor.co2_5"] == 640.0  # room again for a new one
    # One that stops reading tells nothing of the air after the next door.
    watch.sensor_lost("sensor.booth_co2")
    watch.sensor_lost("sensor.co2_5")
    watch.learn_one(START + timedelta(minutes=3), Role.DOOR, 1.0, "binary_sensor.door")
    assert watch.co2 == watch.air_at_door == {}


def test_an_exit_state_saved_with_one_motion_flag_loads() -> None:
    state = ExitWatch().to_dict()
    restored = ExitWatch.from_dict({**state, "motion_on": True})
    assert restored.motion_on == {}


def test_round_trip() -> None:
    model = LightingPreference()
    _switches(model, days=5)
    # An exit whose motion came back and is not yet settled, saved half-way.
    last = _visits(model.exits, 60, stays=3, air=True)
    model.exits.learn_one(last + timedelta(hours=1, minutes=5), Role.MOTION, 1.0)
    assert model.exits.returned is not None
    model.learn_one(START, {"light_brightness": 55, "light_color_temp": 3000}, True)
    model.learn_one(START + timedelta(days=6), {"light_on": 0})
    state = json.loads(json.dumps(model.to_dict()))
    restored = LightingPreference.from_dict(state)
    for hour in range(24):
        when = START + timedelta(days=7, hours=hour)
        for lux in (None, 5, 60, 300):
            x = {} if lux is None else {"illuminance": lux}
            assert restored.predict_one(when, x) == model.predict_one(when, x)
            assert restored.explain(when, x) == model.explain(when, x)
    assert restored.to_dict() == model.to_dict()
    assert len(json.dumps(state)) < 8192
    later = last + timedelta(hours=2)
    for watch in (model.exits, restored.exits):
        watch.learn_one(later, Role.DOOR, 1.0)
    assert restored.exits.to_dict() == model.exits.to_dict()
    assert restored.exits.door_delay() == model.exits.door_delay()


def test_state_saved_before_exits_were_watched_still_loads() -> None:
    state = LightingPreference().to_dict()
    del state["exits"]
    restored = LightingPreference.from_dict(state)
    assert restored.exits.to_dict() == ExitWatch().to_dict()


def test_state_saved_before_the_sun_stood_in_still_loads() -> None:
    state = LightingPreference().to_dict()
    del state["sun"]
    restored = LightingPreference.from_dict(state)
    assert restored.sun.to_dict() == SunThreshold().to_dict()


def test_state_saved_with_the_whole_days_average_still_loads() -> None:
    model = LightingPreference()
    model.learn_one(START + timedelta(hours=22), {"light_brightness": 20}, True)
    state = {**model.to_dict(), "overall": [1.0, 20.0, 0.0, 0.0]}
    restored = LightingPreference.from_dict(state)
    assert restored.to_dict() == model.to_dict()


def test_state_saved_keeps_the_whole_days_levels_an_earlier_release_reads() -> None:
    model = LightingPreference()
    model.learn_one(START + timedelta(hours=22), {"light_brightness": 20}, True)
    model.learn_one(START + timedelta(days=1, hours=7), {"light_brightness": 80}, True)
    weight, brightness_sum, _, _ = model.to_dict()["overall"]
    # Both levels, as an earlier release learned them into its day's average.
    assert weight == pytest.approx(2.0, abs=0.1)
    assert brightness_sum / weight == pytest.approx(50.0, abs=1.0)


def test_a_relearned_zone_keeps_what_people_taught_it_of_the_sun() -> None:
    taught = LightingPreference()
    for day in (1, 2):  # the lamp comes on at noon, switched off by hand at once
        noon = START + timedelta(days=day, hours=12)
        taught.learn_one(noon, {"sun_elevation": 20.0})
        taught.learn_one(noon, {"light_on": 1}, manual=False)
        taught.learn_one(noon + timedelta(minutes=2), {"light_on": 0}, manual=True)
    assert not taught.predict_one(noon, {})["light_on"]

    relearned = LightingPreference()
    relearned.keep_lessons_of(taught)
    assert not relearned.predict_one(noon, {"sun_elevation": 20.0})["light_on"]
    assert relearned.predict_one(noon, {"sun_elevation": 10.0})["light_on"]


def _taught_by_the_sun() -> LightingPreference:
    """A room without a light sensor, its lamp switched off at once two noons."""
    model = LightingPreference()
    for day in (1, 2):
        noon = START + timedelta(days=day, hours=12)
        model.learn_one(noon, {"sun_elevation": 20.0})
        model.learn_one(noon, {"light_on": 1}, manual=False)
        model.learn_one(noon + timedelta(minutes=2), {"light_on": 0}, manual=True)
    return model


def test_what_the_sun_taught_holds_once_a_light_sensor_reads() -> None:
    model = _taught_by_the_sun()
    noon = START + timedelta(days=3, hours=12)
    # A light sensor arrives: 30 lx at noon, below the default 50 lx.
    model.learn_one(noon, {"illuminance": 30})
    high = model.predict_one(noon, {"illuminance": 30, "sun_elevation": 20.0})
    assert high["light_on"] is False
    assert high["daylight"].startswith("sun at 20°, learned bright enough above")
    explanation = model.explain(noon, {"illuminance": 30, "sun_elevation": 20.0})
    light = explanation.split(";")[0]
    assert light.startswith("ambient 30 lx, its threshold not yet taught by hand")
    assert "sun at 20°, learned bright enough above" in light
    # The reverse: with the sun low, light as before, though 70 lx is above 50 lx.
    low = model.predict_one(noon, {"illuminance": 70, "sun_elevation": 10.0})
    assert low["light_on"] is True
    assert "sun at 10°" in low["daylight"]


def test_a_light_sensor_decides_once_people_switched_by_it() -> None:
    model = _taught_by_the_sun()
    afternoon = START + timedelta(days=3, hours=13)
    model.learn_one(afternoon, {"illuminance": 30, "sun_elevation": 20.0})
    # The lamp stays off; someone finds 30 lx too dark and switches it on.
    model.learn_one(afternoon, {"light_on": 1}, manual=True)
    model.learn_one(afternoon + timedelta(hours=1), {"light_on": 0}, manual=False)
    later = START + timedelta(days=4, hours=13)
    answer = model.predict_one(later, {"illuminance": 30, "sun_elevation": 20.0})
    assert answer["light_on"] is True
    assert answer["daylight"] is None
    explanation = model.explain(later, {"illuminance": 30, "sun_elevation": 20.0})
    assert explanation.startswith("ambient 30 lx is below the learned threshold")
    assert "sun" not in explanation.split(";")[0]


def test_rejects_bad_state() -> None:
    state = LightingPreference().to_dict()
    with pytest.raises(ValueError, match="version"):
        LightingPreference.from_dict({**state, "version": 7})
    with pytest.raises(ValueError, match="corrupt"):
        LightingPreference.from_dict({**state, "cells": [[0.0]]})
    with pytest.raises(ValueError, match="corrupt"):
        LightingPreference.from_dict({**state, "auto_off_at": "yesterday"})
    with pytest.raises(ValueError, match="corrupt"):
        LightingPreference.from_dict({k: v for k, v in state.items() if k != "cells"})
    with pytest.raises(ValueError, match="exit state version"):
        LightingPreference.from_dict({**state, "exits": {"version": 9}})
    with pytest.raises(ValueError, match="sun state version"):
        LightingPreference.from_dict({**state, "sun": {"version": 9}})
    with pytest.raises(ValueError, match="corrupt sun state"):
        LightingPreference.from_dict({**state, "sun": {"version": 1}})
    with pytest.raises(ValueError, match="corrupt"):
        LightingPreference.from_dict(
            {**state, "exits": {**state["exits"], "pending": "soon"}}
        )


def test_motion_sensors_renamed_again_and_again_keep_the_watch_small() -> None:
    watch = ExitWatch()
    start = datetime(2026, 1, 5)
    for visit in range(1000):  # each visit seen by a sensor under a new name
        now = start + timedelta(minutes=10 * visit)
        watch.learn_one(now, Role.MOTION, 1.0, f"binary_sensor.motion_{visit}")
        watch.learn_one(
            now + timedelta(minutes=3),
            Role.MOTION,
            0.0,
            f"binary_sensor.motion_{visit}",
        )
        watch.learn_one(now, Role.MOTION, 1.0, f"binary_sensor.left_on_{visit}")
    assert len(watch.holds) == 32
    assert len(watch.motion_on) == 32
    assert len(json.dumps(watch.to_dict())) < 4096


def test_a_new_room_is_said_to_go_by_the_default_threshold() -> None:
    model = LightingPreference()
    explanation = model.explain(START, {"illuminance": 20})
    assert "below the default threshold 50 lx (no manual switch yet)" in explanation
    assert "learned" not in explanation.split(";")[0]
    assert "from 0 manual adjustments" in explanation
    assert (
        "after 0 false-offs, 0 arrivals soon after an off and 0 unchallenged offs"
        in explanation
    )


def _two_lamps(model: LightingPreference, evenings: int) -> None:
    """Each evening the reading lamp is set to 30 %, the ceiling light to 100 %."""
    for day in range(evenings):
        evening = START + timedelta(days=day, hours=20)
        model.learn_one(evening, {"illuminance": 2})
        for lamp in ("light.reading", "light.ceiling"):  # on for who came in
            model.learn_one(evening, {"light_brightness": 80}, False, lamp)
        for minute, lamp, level in (
            (1, "light.reading", 30),
            (2, "light.ceiling", 100),
        ):
            model.learn_one(
                evening + timedelta(minutes=minute),
                {"light_brightness": level},
                manual=True,
                source=lamp,
            )


def test_two_lamps_each_learn_their_own_level() -> None:
    model = LightingPreference()
    _two_lamps(model, 7)
    evening = START + timedelta(days=8, hours=20)
    lamps = model.predict_one(evening, {"illuminance": 2})["lamps"]
    assert lamps["light.reading"]["brightness"] == pytest.approx(30.0, abs=3.0)
    assert lamps["light.ceiling"]["brightness"] == pytest.approx(100.0, abs=3.0)
    # A lamp nobody set goes by the zone's level, as it always did.
    assert "light.hall" not in lamps

    # Renamed, the reading lamp keeps its level; gone from the zone, it is forgotten.
    model.rename_lamp("light.reading", "light.reading_lamp")
    state = json.loads(json.dumps(model.to_dict()))
    restored = LightingPreference.from_dict(state)
    lamps = restored.predict_one(evening, {"illuminance": 2})["lamps"]
    assert lamps["light.reading_lamp"]["brightness"] == pytest.approx(30.0, abs=3.0)
    relearned = LightingPreference()
    relearned.keep_lessons_of(restored)
    assert relearned.predict_one(evening, {"illuminance": 2}) == restored.predict_one(
        evening, {"illuminance": 2}
    )
    restored.keep_lamps({"light.ceiling"})
    assert set(restored.predict_one(evening, {})["lamps"]) == {"light.ceiling"}


def test_lamps_set_apart_are_kept_up_to_a_bound_of_the_zones_state() -> None:
    """Each lamp set apart takes up to 2.5 KB: beyond eight, a lamp goes by the zone's."""
    model = LightingPreference()
    lamps = [f"light.desk_{number}" for number in range(12)]
    for day in range(7):
        for hour in range(0, 24, 3):  # every slice of the day, dark, dim and bright
            for lux in (2, 50, 500):
                when = START + timedelta(days=day, hours=hour, minutes=lux % 49)
                model.learn_one(when, {"illuminance": lux})
                for number, lamp in enumerate(lamps):
                    level = {"light_brightness": 10.3 + 7.1 * number + hour / 7}
                    model.learn_one(
                        when + timedelta(seconds=number + 1), level, True, lamp
                    )
    evening = START + timedelta(days=8, hours=20)
    kept = model.predict_one(evening, {"illuminance": 2})["lamps"]
    assert set(kept) == set(lamps[:8])
    assert len(json.dumps(model.to_dict())) < 8 * 2_560 + 4_096


def test_a_zones_only_lamp_gets_the_zones_level() -> None:
    """Its own adjustments are the zone's: they are not counted twice."""
    model = LightingPreference()
    evening = START + timedelta(hours=21)
    model.learn_one(evening, {"light_brightness": 40}, manual=True, source="light.one")
    answer = model.predict_one(evening + timedelta(days=1), {})
    assert answer["lamps"]["light.one"]["brightness"] == answer["brightness"]
    assert answer["lamps"]["light.one"]["color_temp"] == answer["color_temp"]


def test_state_saved_before_lamps_were_told_apart_still_loads() -> None:
    model = LightingPreference()
    model.learn_one(START + timedelta(hours=22), {"light_brightness": 20}, True)
    state = model.to_dict()
    del state["lamps"]
    restored = LightingPreference.from_dict(state)
    assert restored.to_dict() == model.to_dict()
    with pytest.raises(ValueError, match="corrupt"):
        LightingPreference.from_dict({**state, "lamps": {"light.one": [[0.0]]}})


def test_a_lamps_last_level_saved_short_is_corrupt_not_a_fault_at_each_change() -> None:
    """Read as it is, every change of the lamp would raise (no brightness, colour)."""
    model = LightingPreference()
    night = START + timedelta(hours=22)
    model.learn_one(night, {"light_brightness": 20}, True, "light.one")
    state = json.loads(json.dumps(model.to_dict()))
    assert state["shown"] == {"light.one": [20.0, None]}

    for shown in ([20.0], [], [20.0, 2700.0, 3.0]):
        with pytest.raises(ValueError, match="corrupt"):
            LightingPreference.from_dict({**state, "shown": {"light.one": shown}})


def test_a_lamp_back_on_at_the_level_it_had_teaches_nothing() -> None:
    """A wall switch or a plain "on" brings back the lamp's last level: no choice."""
    model = LightingPreference()
    night = START + timedelta(hours=22)
    model.learn_one(night, {"light_brightness": 20}, True, "light.one")
    model.learn_one(night, {"light_color_temp": 2700}, True, "light.one")
    model.learn_one(night + timedelta(hours=1), {"light_on": 0}, True, "light.one")
    morning = START + timedelta(days=1, hours=7)
    before = model.to_dict()["cells"]
    for key, value in (
        ("light_on", 1),
        ("light_brightness", 20),
        ("light_color_temp", 2700),
    ):
        model.learn_one(morning, {key: value}, True, "light.one")
    assert model.to_dict()["cells"] == before
    # Turned up from there, it is a choice.
    model.learn_one(
        morning + timedelta(minutes=1), {"light_brightness": 90}, True, "light.one"
    )
    assert model.adjustments == 2
    # What it showed survives a restart, and follows a rename.
    model.rename_lamp("light.one", "light.two")
    restored = LightingPreference.from_dict(json.loads(json.dumps(model.to_dict())))
    restored.learn_one(
        morning + timedelta(hours=1), {"light_brightness": 90}, True, "light.two"
    )
    assert restored.adjustments == 2


def test_a_lamp_set_by_hand_comes_back_at_that_level_within_the_hour() -> None:
    model = LightingPreference()
    evening = START + timedelta(hours=22)
    model.learn_one(evening, {"light_brightness": 80}, False, "light.one")  # ours
    model.learn_one(
        evening + timedelta(minutes=1), {"light_brightness": 30}, True, "light.one"
    )
    model.learn_one(
        evening + timedelta(minutes=2), {"light_color_temp": 2200}, True, "light.one"
    )
    back = evening + timedelta(minutes=40)
    restored = LightingPreference.from_dict(json.loads(json.dumps(model.to_dict())))
    for lamp in (model, restored):
        level = lamp.predict_one(back, {})["lamps"]["light.one"]
        assert (level["brightness"], level["color_temp"]) == (30.0, 2200)
    # Later, the habit: one adjustment weighs as one.
    later = model.predict_one(evening + timedelta(hours=1.5), {})["lamps"]["light.one"]
    assert later["brightness"] > 40.0
    with pytest.raises(ValueError, match="corrupt"):
        LightingPreference.from_dict(
            {**model.to_dict(), "chosen": {"light.one": [None, 30.0, None]}}
        )


def _sit_under_the_light(
    model: LightingPreference, gaps: list[float], *, lit: bool = True
) -> datetime:
    """Someone sits in the room, still for each of ``gaps`` minutes in turn.

    No door moves and no one is seen elsewhere; the light is on throughout, or
    off throughout. Returns when they were last seen.
    """
    when = START
    model.learn_one(when, {"light_on": 1.0 if lit else 0.0}, manual=True)
    for gap in gaps:
        model.exits.learn_one(when, Role.MOTION, 1.0)
        when += timedelta(minutes=1)
        model.exits.learn_one(when, Role.MOTION, 0.0)
        when += timedelta(minutes=gap)
    model.exits.learn_one(when, Role.MOTION, 1.0)
    return when


# People who move again within minutes: at most 6 minutes still, one spell in 8.
_BRISK = [1.0, 1.0, 2.0, 1.0, 3.0, 1.0, 2.0, 6.0]


def test_people_seen_to_move_again_within_minutes_shorten_the_quiet_floor() -> None:
    model = LightingPreference()
    _sit_under_the_light(model, _BRISK * 24 + _BRISK[:7])  # 199 spells: too few
    assert model.exits.quiet_floor() is None
    _sit_under_the_light(model, _BRISK * 40)
    floor = model.exits.quiet_floor()
    assert floor is not None
    # Well past the longest spell seen, and well short of 20 minutes.
    assert 12 * 60 < floor < 17 * 60
    assert model.exits.quiet_wait() == timedelta(seconds=round(floor))
    assert model.exits.explain().endswith(
        f"; {floor / 60:.0f} min without motion at most, as people under the "
        "light moved again in 323 recent quiet spells"
    )


def test_the_quiet_floor_counts_only_spells_under_the_light() -> None:
    # The same spells in the dark may be anyone's: people gone out (the light
    # off behind them) and back, asleep, or in daylight.
    model = LightingPreference()
    _sit_under_the_light(model, _BRISK * 40, lit=False)
    assert model.exits.quiet_floor() is None


def test_a_zone_where_people_sometimes_sit_still_long_keeps_the_floor() -> None:
    # One spell in a hundred is someone reading, still for 40 minutes.
    model = LightingPreference()
    _sit_under_the_light(model, ([*_BRISK] * 12 + [2.0, 2.0, 2.0, 40.0]) * 4)
    assert model.exits.quiet_floor() is None
    # Read for 12 minutes instead, as often: the floor leaves them time to.
    model = LightingPreference()
    _sit_under_the_light(model, ([*_BRISK] * 12 + [2.0, 2.0, 2.0, 12.0]) * 4)
    floor = model.exits.quiet_floor()
    assert floor is not None
    assert floor > 13 * 60


def test_the_quiet_floor_never_goes_below_ten_minutes() -> None:
    model = LightingPreference()
    _sit_under_the_light(model, [0.5] * 400)
    assert model.exits.quiet_floor() == 600.0


def test_the_spells_under_the_light_survive_a_round_trip() -> None:
    model = LightingPreference()
    last_seen = _sit_under_the_light(model, _BRISK * 40)
    floor = model.exits.quiet_floor()
    restored = LightingPreference.from_dict(json.loads(json.dumps(model.to_dict())))
    assert restored.exits.quiet_floor() == floor
    assert restored.exits.lit_since == START
    # Still lit after the restart: the next spell counts.
    restored.exits.learn_one(last_seen, Role.MOTION, 0.0)
    restored.exits.learn_one(last_seen + timedelta(minutes=30), Role.MOTION, 1.0)
    assert restored.exits.lit_spells[-1] == 1.0
    # Saved before they were kept: none, and none lit.
    saved = model.exits.to_dict()
    del saved["lit_spells"], saved["lit_since"]
    old = ExitWatch.from_dict(saved)
    assert old.quiet_floor() is None
    assert old.lit_since is None
    saved["lit_spells"] = [1.0, 2.0]
    with pytest.raises(ValueError, match="2 quiet spell bins, not 31"):
        ExitWatch.from_dict(saved)


def _sit_as_we_switch_off(model: LightingPreference, gaps: list[float]) -> None:
    """Someone sits under the light, still for each of ``gaps`` minutes in turn.

    As the controller runs it: a spell longer than 20 minutes has the light
    switched off by us at 20 minutes, and back on by hand half a minute later.
    """
    when = START
    model.learn_one(when, {"light_on": 1.0}, manual=True)
    for gap in gaps:
        model.exits.learn_one(when, Role.MOTION, 1.0)
        when += timedelta(minutes=1)
        model.exits.learn_one(when, Role.MOTION, 0.0)
        if gap > 20.0:
            off = when + timedelta(minutes=20)
            model.learn_one(off, {"light_on": 0.0}, manual=False)
            back = off + timedelta(seconds=30)
            model.exits.learn_one(back, Role.MOTION, 1.0)
            model.learn_one(back, {"light_on": 1.0}, manual=True)
            model.exits.learn_one(back + timedelta(seconds=1), Role.MOTION, 0.0)
        when += timedelta(minutes=gap)
    model.exits.learn_one(when, Role.MOTION, 1.0)


def test_a_spell_our_switch_off_cut_counts_as_long_as_it_went_on() -> None:
    # One spell in a hundred is someone reading still for 40 minutes, whom the
    # light goes off on at 20: their spell ends in the dark, yet counts as 20
    # minutes and a half, so the light keeps waiting at least as long.
    model = LightingPreference()
    _sit_as_we_switch_off(model, ([*_BRISK] * 12 + [2.0, 2.0, 2.0, 40.0]) * 4)
    assert model.false_offs == 4
    assert model.exits.lit_spells[20] > 3.0  # four, faded by the spells since
    floor = model.exits.quiet_floor()
    assert floor is None or floor > 20 * 60


def _switched_off_on_someone_still(model: LightingPreference) -> datetime:
    """Someone sits still under the light; we switch it off 20 quiet minutes on."""
    model.learn_one(START, {"light_on": 1.0}, manual=True)
    model.exits.learn_one(START, Role.MOTION, 1.0)
    model.exits.learn_one(START + timedelta(minutes=1), Role.MOTION, 0.0)
    off = START + timedelta(minutes=21)
    model.learn_one(off, {"light_on": 0.0}, manual=False)
    return off


def test_only_a_spell_someone_complained_of_counts_as_cut_short() -> None:
    model = LightingPreference()
    off = _switched_off_on_someone_still(model)
    restored = LightingPreference.from_dict(json.loads(json.dumps(model.to_dict())))
    assert restored.exits.lit_cut == START + timedelta(minutes=1)
    # Back on by hand within the window, after a restart: cut at 20.5 minutes.
    back = off + timedelta(seconds=30)
    restored.learn_one(back, {"light_on": 1.0}, manual=True)
    assert restored.exits.lit_spells[20] == 1.0
    # Someone back an hour after another off was no one left in the dark; nor
    # is a spell begun in the dark one under the light.
    restored.exits.learn_one(back, Role.MOTION, 1.0)
    restored.exits.learn_one(back + timedelta(minutes=1), Role.MOTION, 0.0)
    later = back + timedelta(minutes=25)
    restored.learn_one(later, {"light_on": 0.0}, manual=False)
    restored.exits.learn_one(later + timedelta(minutes=5), Role.MOTION, 0.0)
    restored.exits.learn_one(later + timedelta(minutes=8), Role.MOTION, 1.0)
    restored.learn_one(later + timedelta(hours=1), {"light_on": 1.0}, manual=True)
    assert sum(restored.exits.lit_spells) == pytest.approx(1.0, abs=0.01)


def test_a_door_just_after_an_arrival_soon_after_an_off_teaches_nothing() -> None:
    model = LightingPreference(vacancy_delay=600.0, min_delay=120.0, max_delay=3600.0)
    model.learn_one(START, {"light_on": 0})  # we switched it off
    came = START + timedelta(seconds=150)
    model.learn_one(came, {"light_on": 1}, manual=True)
    assert model.vacancy_delay == pytest.approx(400.0)
    model.door_opened(came + timedelta(seconds=2))
    assert (model.false_offs, model.arrivals_after_offs) == (0, 0)
    assert model.vacancy_delay == 600.0


@pytest.mark.parametrize("complaint", [[], ["2026-01-05T00:00:00"]])
def test_a_false_off_saved_short_is_corrupt_state(complaint: list[object]) -> None:
    saved = LightingPreference().to_dict()
    saved["complaint"] = complaint
    with pytest.raises(ValueError, match="corrupt lighting state"):
        LightingPreference.from_dict(saved)


def test_spells_and_doors_are_told_with_aware_times() -> None:
    model = LightingPreference(vacancy_delay=600.0)
    aware = START.replace(tzinfo=UTC)
    model.learn_one(aware, {"light_on": 1.0}, manual=True)
    model.exits.learn_one(aware, Role.MOTION, 1.0)
    model.exits.learn_one(aware + timedelta(minutes=1), Role.MOTION, 0.0)
    model.exits.learn_one(aware + timedelta(minutes=3), Role.MOTION, 1.0)
    assert model.exits.lit_spells[2] == 1.0
    off = aware + timedelta(hours=1)
    model.learn_one(off, {"light_on": 0})
    model.exits.learn_one(off + timedelta(seconds=25), Role.DOOR, 1.0)
    model.learn_one(off + timedelta(seconds=30), {"light_on": 1}, manual=True)
    assert model.false_offs == 0
    assert model.vacancy_delay == 600.0


def test_a_light_switched_on_by_its_brightness_alone_is_lit() -> None:
    model = LightingPreference()
    model.learn_one(START, {"light_brightness": 60.0}, manual=True)
    assert model.light_on is True
    model.exits.learn_one(START, Role.MOTION, 1.0)
    model.exits.learn_one(START + timedelta(minutes=1), Role.MOTION, 0.0)
    model.exits.learn_one(START + timedelta(minutes=3), Role.MOTION, 1.0)
    assert model.exits.lit_spells[2] == 1.0


def test_a_door_just_after_a_false_off_takes_its_cut_spell_back() -> None:
    model = LightingPreference()
    off = _switched_off_on_someone_still(model)
    back = off + timedelta(seconds=30)
    model.learn_one(back, {"light_on": 1.0}, manual=True)
    assert (model.false_offs, model.exits.lit_spells[20]) == (1, 1.0)
    # Across a restart, the door reported just after: someone let in.
    restored = LightingPreference.from_dict(json.loads(json.dumps(model.to_dict())))
    assert restored.exits.cut_bin == 20
    restored.door_opened(back + timedelta(seconds=3))
    assert (restored.false_offs, sum(restored.exits.lit_spells)) == (0, 0.0)
    assert restored.exits.cut_bin is None
    saved = model.exits.to_dict()
    saved["cut_bin"] = 31
    with pytest.raises(ValueError, match="no quiet spell bin 31"):
        ExitWatch.from_dict(saved)
