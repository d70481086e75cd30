"""The first night after AIoT Brain is added in the evening: who may sleep where.

What the recorder saw of each area's motion sensor before the start tells when
people were last there. A study and a bedroom, each with motion, a demo thermostat
and a demo lamp, with the real recorder.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from .test_acting import (
    START,
    minutes_pass,
    set_state,
    setup_brain,
    target,
)
from .test_first_days import furnish

ROOMS = {"study": "Study", "bedroom": "Bedroom"}
STUDY_MOTION = "binary_sensor.study_motion"
BEDROOM_MOTION = "binary_sensor.bedroom_motion"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant, as the recorder fixtures require."""


def at(hours: int, minutes: int = 0) -> timedelta:
    """The time from 14:00 on the first day to ``hours:minutes`` (the next day early)."""
    hours += 24 if hours < 14 else 0
    return timedelta(hours=hours - 14, minutes=minutes)


async def build_home(hass: HomeAssistant) -> None:
    """A study and a bedroom, each with motion, a thermostat and a lamp."""
    await furnish(hass, ROOMS)


async def seen(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entity_id: str, when: timedelta
) -> None:
    """Someone moves in view of ``entity_id`` from ``when`` for two minutes."""
    freezer.move_to(START + when)
    await set_state(hass, entity_id, STATE_ON)
    freezer.tick(timedelta(minutes=2))
    await set_state(hass, entity_id, STATE_OFF)


async def added_at_2230(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    study_used: bool = True,
    **settings: object,
) -> None:
    """The study used in the afternoon, someone to bed at 21:40; added at 22:30.

    Without ``study_used``, nobody entered the study since its sensor was added.
    """
    freezer.move_to(START)
    await build_home(hass)
    for motion in (STUDY_MOTION, BEDROOM_MOTION):
        await set_state(hass, motion, STATE_OFF)
    if study_used:
        await seen(hass, freezer, STUDY_MOTION, at(16))
        await seen(hass, freezer, STUDY_MOTION, at(18, 10))
    await seen(hass, freezer, BEDROOM_MOTION, at(21, 38))  # off at 21:40
    await async_wait_recording_done(hass)
    freezer.move_to(START + at(22, 30))
    await setup_brain(hass, zones=tuple(ROOMS), **settings)
    await hass.async_block_till_done(wait_background_tasks=True)


async def at_0230(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the night pass to 02:30."""
    await minutes_pass(hass, freezer, 4 * 60)


@pytest.mark.parametrize("study_used", [True, False], ids=["used", "unused"])
async def test_someone_in_the_study_at_0230_gets_the_light_the_first_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, study_used: bool
) -> None:
    """Nobody was in the study since 18:12 (or at all): it is empty, not slept in.

    Taken as maybe slept in before, whoever came in got no light, a sleeper
    turning over, and it was kept at the sleep temperature all night.
    """
    await added_at_2230(hass, freezer, study_used, history_days=1)
    await at_0230(hass, freezer)
    assert target(hass, "climate.study") == 16.0  # set back: empty
    assert target(hass, "climate.bedroom") == 16.0  # nobody has stirred there yet

    await set_state(hass, STUDY_MOTION, STATE_ON)

    assert hass.states.get("light.study").state == STATE_ON


async def test_a_sleeper_turning_over_at_0230_the_first_night_gets_no_light(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Someone went to bed at 21:40, before AIoT Brain was added: left in the dark."""
    await added_at_2230(hass, freezer, history_days=1)
    await at_0230(hass, freezer)

    await set_state(hass, BEDROOM_MOTION, STATE_ON)
    await minutes_pass(hass, freezer, 1)

    assert hass.states.get("light.bedroom").state == STATE_OFF
    assert target(hass, "climate.bedroom") == 18.5  # sleep temperature


@pytest.mark.parametrize(
    ("settings", "new_sensors"),
    [({"history_days": 0}, False), ({"history_days": 1}, True)],
    ids=["history off", "sensors new"],
)
async def test_without_history_the_first_night_leaves_unseen_rooms_to_sleepers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    settings: dict[str, object],
    new_sensors: bool,
) -> None:
    """Nothing tells when people were last in the study: it may be slept in."""
    freezer.move_to(START)
    await build_home(hass)
    freezer.move_to(START + at(22, 29) if new_sensors else START)
    for motion in (STUDY_MOTION, BEDROOM_MOTION):
        await set_state(hass, motion, STATE_OFF)
    await async_wait_recording_done(hass)
    freezer.move_to(START + at(22, 30))
    await setup_brain(hass, zones=tuple(ROOMS), **settings)
    await hass.async_block_till_done(wait_background_tasks=True)
    await at_0230(hass, freezer)
    assert target(hass, "climate.study") == 18.5  # sleep temperature

    await set_state(hass, STUDY_MOTION, STATE_ON)

    assert hass.states.get("light.study").state == STATE_OFF
