"""First setup learns from the real recorder's history, off the event loop."""

from __future__ import annotations

from datetime import datetime, timedelta
import threading
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACAction, HVACMode
from homeassistant.components.recorder import Recorder
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant, State, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    area_registry as ar,
    entity_registry as er,
    issue_registry as ir,
    label_registry as lr,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    flush_store,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from sqlalchemy.exc import OperationalError

from custom_components.aiot_brain import history
from custom_components.aiot_brain.brain.control import ControlLevel
from custom_components.aiot_brain.brain.lighting import LightingPreference
from custom_components.aiot_brain.brain.observation import Observation, Role
from custom_components.aiot_brain.brain.zone import ZoneBrain
from custom_components.aiot_brain.const import DOMAIN, REDISCOVER_COOLDOWN

from . import test_acting as acting
from .test_coordinator import (
    OCCUPANCY,
    START,
    add_entity,
    add_people,
    build_office,
    coordinator_of,
    minutes_pass,
    office_entry,
    setup_office,
)

PROGRESS = "sensor.aiot_brain_learning_progress"
states_between = history._states_between  # the real read, which a test wraps
RELEARN = "button.office_aiot_brain_relearn"
DAYS = 5


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant, as the recorder fixtures require."""


async def record_working_week(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Office hours 08:00-17:00 local: motion every 10 minutes, CO2 up."""
    build_office(hass)
    local_start = dt_util.as_local(START).replace(hour=0)
    for day in range(DAYS):
        for minute in range(6 * 60, 20 * 60, 10):
            freezer.move_to(local_start + timedelta(days=day, minutes=minute))
            present = 8 * 60 <= minute < 17 * 60
            hass.states.async_set(
                "sensor.office_co2",
                "900" if present else "420",
                {"unit_of_measurement": "ppm"},
            )
            if present:
                hass.states.async_set("binary_sensor.office_motion", STATE_ON)
                freezer.tick(timedelta(minutes=2))
                hass.states.async_set("binary_sensor.office_motion", STATE_OFF)
    await async_wait_recording_done(hass)
    # The next Monday, 06:00 local.
    freezer.move_to(local_start + timedelta(days=7, hours=6))


def history_failed(hass: HomeAssistant) -> set[str]:
    """The zones a repair issue says could not read their history."""
    prefix = "history_failed_"
    return {
        issue_id.removeprefix(prefix)
        for domain, issue_id in ir.async_get(hass).issues
        if domain == DOMAIN and issue_id.startswith(prefix)
    }


async def test_first_setup_learns_from_history(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    entry = office_entry(hass, history_days=14)
    progress: list[str] = []
    buffered: list[int] = []

    @callback
    def follow(event: Event) -> None:
        if event.data["entity_id"] != PROGRESS or not event.data["new_state"]:
            return
        progress.append(event.data["new_state"].state)
        coordinator = coordinator_of(entry)
        if len(progress) == 2:
            # A live change while history is replayed waits for the replay's end.
            assert coordinator.learning == {"office"}
            hass.states.async_set("binary_sensor.office_motion", STATE_ON)
        elif len(progress) == 3:
            buffered.append(len(coordinator._buffer))

    hass.bus.async_listen("state_changed", follow)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    coordinator = coordinator_of(entry)
    assert buffered == [1]
    assert coordinator.learning == set()
    assert coordinator._buffer == []
    assert progress[-1] == "100"
    numbers = [int(value) for value in progress]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) > 10  # 14 days in 6-hour chunks
    zone = coordinator.brain.zone("office")
    assert zone.latest[Role.MOTION] == 1.0  # the buffered live change
    assert min(zone.occupancy.label_counts.values()) >= DAYS  # each replayed day, both
    assert zone.score.accuracy is not None
    # The forecast learned the office hours (a fresh zone says 0.5 for both).
    monday = dt_util.now().replace(tzinfo=None)
    assert zone.forecast.profile(monday.replace(hour=11)) > 0.5
    assert zone.forecast.profile(monday.replace(hour=3)) < 0.5
    assert hass.states.get(PROGRESS).state == "100"


async def test_history_does_not_take_every_switch_off_for_ours(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """History does not say who switched a light off: none counts as our auto-off.

    Taken for ours, each one not followed by a complaint shortened the vacancy
    delay, so a week of people switching off their own light left it at its
    shortest after the first setup.
    """
    build_office(hass)
    add_entity(hass, "light", "office_light", "office")
    local_start = dt_util.as_local(START).replace(hour=0)
    for day in range(DAYS):
        for hour in range(8, 17):
            freezer.move_to(local_start + timedelta(days=day, hours=hour))
            hass.states.async_set("light.office_light", STATE_ON, {"brightness": 200})
            freezer.tick(timedelta(minutes=30))
            hass.states.async_set("light.office_light", STATE_OFF)
    await async_wait_recording_done(hass)
    freezer.move_to(local_start + timedelta(days=7, hours=6))

    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)

    lighting = coordinator_of(entry).brain.zone("office").lighting
    assert lighting.light_on is False  # the light's history was read
    assert lighting.quiet_offs == 0
    assert lighting.vacancy_delay == LightingPreference().vacancy_delay


async def test_restart_does_not_replay_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert coordinator_of(entry).learning == set()


async def test_a_restart_while_learning_history_learns_it_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    await record_working_week(hass, freezer)
    entry = office_entry(hass, history_days=14)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()  # history is still being read meanwhile
    assert coordinator_of(entry).learning == {"office"}

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    # Part of a history is not kept as if it were all.
    assert "office" not in hass_storage["aiot_brain.brain"]["data"]["brain"]["zones"]
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    coordinator = coordinator_of(entry)
    assert coordinator.learning == set()
    zone = coordinator.brain.zone("office")
    assert min(zone.occupancy.label_counts.values()) >= DAYS
    monday = dt_util.now().replace(tzinfo=None)
    assert zone.forecast.profile(monday.replace(hour=11)) > 0.5
    assert hass.states.get(PROGRESS).state == "100"


async def test_relearn_forgets_and_learns_history_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = coordinator_of(entry)
    before = coordinator.brain.zone("office")
    learned = before.occupancy.self_labels
    # A person turned the heating up: history could not tell that from ours.
    now = dt_util.now()
    before.learn_one(
        Observation(Role.HVAC_SETPOINT, 23.0, now, "climate.office", manual=True)
    )
    comfort = before.predict_one(now).comfort_setpoint

    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    assert coordinator.learning == {"office"}
    # While it reads, asking again says so instead of doing nothing.
    for domain, service, data in (
        ("button", "press", {"entity_id": RELEARN}),
        (DOMAIN, "relearn", {}),
        (DOMAIN, "reset", {}),
    ):
        with pytest.raises(ServiceValidationError) as raised:
            await hass.services.async_call(domain, service, data, blocking=True)
        assert raised.value.translation_key == "still_learning"
        assert raised.value.translation_placeholders == {"zones": "Office"}
    await hass.async_block_till_done(wait_background_tasks=True)

    after = coordinator.brain.zone("office")
    assert after is not before
    assert after.occupancy.self_labels == pytest.approx(learned, rel=0.05)
    # What people taught by hand is kept; the rest was learned again.
    assert after.comfort.labels == 1
    assert after.predict_one(now).comfort_setpoint == comfort


async def test_a_building_relearn_while_one_area_reads_does_the_others_and_says_so(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=14, zones=("office", "kitchen"))
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = coordinator_of(entry)
    kitchen = coordinator.brain.zone("kitchen")
    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    assert coordinator.learning == {"office"}

    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(DOMAIN, "reset", {}, blocking=True)

    assert raised.value.translation_key == "still_learning_others_done"
    assert raised.value.translation_placeholders == {"zones": "Office"}
    assert coordinator.brain.zone("kitchen") is not kitchen  # reset all the same
    await hass.async_block_till_done(wait_background_tasks=True)  # the read ends


async def test_a_relearn_by_a_label_on_two_of_an_areas_entities_says_no_error(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The office's Mode and Control carry a label; a script relearns by it.

    The office reads its history again, and the call does not fail saying it is
    still reading and "the other zones were done" (there are none): the script
    would take the relearn for failed.
    """
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = coordinator_of(entry)
    before = coordinator.brain.zone("office")
    label = lr.async_get(hass).async_create("Meeting rooms")
    for entity_id in (
        "select.office_aiot_brain_mode",
        "switch.office_aiot_brain_control",
    ):
        er.async_get(hass).async_update_entity(entity_id, labels={label.label_id})

    await hass.services.async_call(
        DOMAIN, "relearn", {"label_id": label.label_id}, blocking=True
    )

    assert coordinator.learning == {"office"}
    await hass.async_block_till_done(wait_background_tasks=True)  # the read ends
    assert coordinator.brain.zone("office") is not before


async def test_explain_says_an_area_reading_its_history_is_not_ready(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    await hass.services.async_call(DOMAIN, "relearn", {}, blocking=True)

    # Meanwhile it decides nothing, and its models are fresh ones.
    for service in ("explain", "get_forecast"):
        response = await hass.services.async_call(
            DOMAIN, service, {}, blocking=True, return_response=True
        )
        assert response["zones"]["office"]["ready"] is False, service
    await hass.async_block_till_done(wait_background_tasks=True)
    explained = await hass.services.async_call(
        DOMAIN, "explain", {}, blocking=True, return_response=True
    )
    assert explained["zones"]["office"]["ready"] is True


async def test_an_area_reading_its_history_says_so_on_its_control_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=14)
    control = "sensor.office_aiot_brain_control"
    assert coordinator_of(entry).learning == {"office"}
    assert hass.states.get(control).state == "learning"  # it decides nothing yet
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(control).state == "observing"

    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    assert hass.states.get(control).state == "learning"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(control).state == "observing"


async def test_a_restart_while_an_area_relearns_keeps_what_people_taught_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    zone = coordinator_of(entry).brain.zone("office")
    now = dt_util.now()
    zone.learn_one(
        Observation(Role.HVAC_SETPOINT, 23.0, now, "climate.office", manual=True)
    )
    comfort = zone.predict_one(now).comfort_setpoint
    restarted = threading.Event()

    def until_the_restart(hass: HomeAssistant, *args: Any) -> list[State]:
        restarted.wait(timeout=10)
        return states_between(hass, *args)

    monkeypatch.setattr(history, "_states_between", until_the_restart)
    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    assert coordinator_of(entry).learning == {"office"}

    # Home Assistant restarts while the office reads its history.
    assert await hass.config_entries.async_unload(entry.entry_id)
    restarted.set()
    monkeypatch.setattr(history, "_states_between", states_between)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    coordinator = coordinator_of(entry)
    assert coordinator.learning == set()
    after = coordinator.brain.zone("office")
    # The history was read again in full, and the person's lesson is kept.
    assert min(after.occupancy.label_counts.values()) >= DAYS
    assert after.comfort.labels == 1
    assert after.predict_one(now).comfort_setpoint == comfort


async def test_an_area_reset_as_unreadable_reads_its_history_and_keeps_lessons(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    zone = coordinator_of(entry).brain.zone("office")
    now = dt_util.now()
    zone.learn_one(
        Observation(Role.HVAC_SETPOINT, 23.0, now, "climate.office", manual=True)
    )
    comfort = zone.predict_one(now).comfort_setpoint
    assert await hass.config_entries.async_unload(entry.entry_id)
    # A later release's forecast, read after going back to this one.
    saved = hass_storage["aiot_brain.brain"]["data"]["brain"]["zones"]["office"]
    saved["forecast"]["version"] = 99

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    coordinator = coordinator_of(entry)
    assert coordinator.reset_zones == ["office"]
    assert coordinator.learning == set()
    after = coordinator.brain.zone("office")
    assert min(after.occupancy.label_counts.values()) >= DAYS
    assert after.comfort.labels == 1
    assert after.predict_one(now).comfort_setpoint == comfort


async def test_a_building_mode_set_while_an_area_relearns_shows_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    control = "sensor.office_aiot_brain_control"
    assert hass.states.get(control).state == "observing"
    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    assert coordinator_of(entry).learning == {"office"}

    # The whole building off: the office, reading its history, says so too.
    await hass.services.async_call(DOMAIN, "set_mode", {"mode": "off"}, blocking=True)
    assert coordinator_of(entry).learning == {"office"}
    assert hass.states.get(control).state == "off"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(control).state == "off"


async def test_a_failing_history_read_does_not_leave_zones_waiting(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await record_working_week(hass, freezer)
    reads: list[datetime] = []

    def locked_after_a_day(
        hass: HomeAssistant, start: datetime, *args: Any
    ) -> list[State]:
        reads.append(start)
        if len(reads) > 4:  # six-hour chunks: the database locks up after a day
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        return states_between(hass, start, *args)

    monkeypatch.setattr(history, "_states_between", locked_after_a_day)
    monkeypatch.setattr(history, "RETRY_PAUSES", (0.0,))  # asked again, in vain
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)

    coordinator = coordinator_of(entry)
    assert coordinator.learning == set()
    assert "Learning the history of ['office'] failed" in caplog.text
    assert hass.states.get(PROGRESS).state == "100"
    # The office goes on from now: predicted, and learning what happens live.
    assert hass.states.get(OCCUPANCY).state == STATE_OFF
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await hass.async_block_till_done()
    assert hass.states.get(OCCUPANCY).state == STATE_ON
    # A repair issue asks for a relearn once the database works again ...
    issues = ir.async_get(hass)
    issue = issues.async_get_issue(DOMAIN, "history_failed_office")
    assert issue is not None
    assert issue.translation_placeholders == {"zone": "Office"}

    # ... stays when the integration is reloaded, which reads nothing again ...
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert issues.async_get_issue(DOMAIN, "history_failed_office") is not None
    # ... and when Home Assistant restarts (the repair list as it is read back) ...
    await flush_store(issues._store)
    restarted = ir.IssueRegistry(hass)
    await restarted.async_load()
    assert restarted.issues[(DOMAIN, "history_failed_office")].active

    # ... and goes once the history is read in full.
    monkeypatch.setattr(history, "_states_between", states_between)
    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert coordinator_of(entry).learning == set()
    assert issues.async_get_issue(DOMAIN, "history_failed_office") is None


async def test_a_fault_in_one_zones_history_leaves_the_others_theirs(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug in the kitchen's model costs the office nothing of its week."""
    await record_working_week(hass, freezer)
    for state in (STATE_ON, STATE_OFF):  # someone in the kitchen early that Monday
        hass.states.async_set("binary_sensor.kitchen_motion", state)
        freezer.tick(timedelta(minutes=2))
    await async_wait_recording_done(hass)
    learn_one = ZoneBrain.learn_one

    def kitchen_broken(self: ZoneBrain, observation: Observation, **kw: Any) -> Any:
        if observation.source.startswith("binary_sensor.kitchen"):
            raise ZeroDivisionError("a bug in the kitchen's model")
        return learn_one(self, observation, **kw)

    monkeypatch.setattr(ZoneBrain, "learn_one", kitchen_broken)
    entry = office_entry(hass, zones=("office", "kitchen"), history_days=14)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    coordinator = coordinator_of(entry)
    assert coordinator.learning == set()
    assert "Learning the history of kitchen failed" in caplog.text
    # The office learned its week of office hours, and is told nothing failed.
    assert coordinator.brain.zone("office").occupancy.self_labels > 0
    assert history_failed(hass) == {"kitchen"}


async def test_a_thermostat_beyond_the_setpoints_teaches_the_room_nothing_from_history(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A water heater shown as a climate (30-60 °C), its 50 °C recorded for hours.

    The recorder keeps no thermostat's range, so its recorded states could not
    tell that it keeps no room: the room read 34.5 °C with the radiator's 19 °C.
    """
    freezer.move_to(acting.START - timedelta(hours=3))
    boiler = acting.thermostat("boiler", [HVACMode.HEAT, HVACMode.OFF], target=55.0)
    boiler._attr_min_temp, boiler._attr_max_temp = 30.0, 60.0
    boiler._current_temperature = 50.0
    boiler._hvac_action = HVACAction.HEATING
    radiator = acting.thermostat("living_room", [HVACMode.HEAT, HVACMode.OFF])
    await acting.build_living_room(hass, [radiator, boiler])
    await async_wait_recording_done(hass)
    freezer.move_to(acting.START)

    entry = await acting.setup_brain(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)

    zone = coordinator_of(entry).brain.zone("living_room")
    assert zone.latest[Role.TEMPERATURE] == 19.0
    assert "climate.boiler" not in zone.readings.get(Role.TEMPERATURE, {})
    assert "climate.boiler" not in zone.readings.get(Role.HVAC_ACTION, {})


async def test_an_unread_history_issue_goes_with_its_zone_from_the_options(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Its area, no longer learned, has no Relearn to settle it."""
    freezer.move_to(START)
    build_office(hass)
    entry = await setup_office(hass, zones=("office", "kitchen"))
    assert await hass.config_entries.async_unload(entry.entry_id)
    for zone in ("office", "kitchen"):  # as failed reads left them, before
        ir.async_create_issue(
            hass,
            DOMAIN,
            f"history_failed_{zone}",
            is_fixable=False,
            is_persistent=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key="history_failed",
            translation_placeholders={"zone": zone.title()},
        )

    # The kitchen was taken out of the zones.
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "zones": ["office"]}
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert history_failed(hass) == {"office"}


async def test_relearn_without_history_starts_afresh(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=0)
    coordinator = coordinator_of(entry)
    hass.states.async_set("sensor.office_co2", "900", {"unit_of_measurement": "ppm"})
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    await minutes_pass(hass, freezer, 2)
    assert coordinator.brain.zone("office").occupancy.self_labels > 0

    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    assert coordinator.learning == set()
    after = coordinator.brain.zone("office")
    assert after.occupancy.self_labels == 0
    # Nothing learned, but the office as it stands is known: someone is moving.
    assert after.latest[Role.MOTION] == 1.0


async def office_whose_history_failed(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> MockConfigEntry:
    """Set the office up on a database that refuses every read; its issue raised."""
    build_office(hass)

    def locked(hass: HomeAssistant, *args: Any) -> list[State]:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(history, "_states_between", locked)
    monkeypatch.setattr(history, "RETRY_PAUSES", (0.0,))
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert ir.async_get(hass).async_get_issue(DOMAIN, "history_failed_office")
    return entry


async def test_relearn_settles_an_unread_history_once_none_is_read(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue asks for a Relearn: it goes, also with no history left to read."""
    freezer.move_to(START)
    entry = await office_whose_history_failed(hass, monkeypatch)
    # The user gives up on the broken database: no history is read any more.
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "history_days": 0}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "history_failed_office") is not None

    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    assert issues.async_get_issue(DOMAIN, "history_failed_office") is None


async def test_a_reset_settles_an_unread_history(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reset starts the area afresh from now: nothing is left half-read."""
    freezer.move_to(START)
    await office_whose_history_failed(hass, monkeypatch)

    await hass.services.async_call(
        DOMAIN, "reset", {"area_id": "office"}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "history_failed_office") is None


async def test_an_unread_history_issue_names_its_area_as_renamed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It outlives restarts: it must not send the user to an area of no such name."""
    freezer.move_to(START)
    await office_whose_history_failed(hass, monkeypatch)

    ar.async_get(hass).async_update("office", name="Study")
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    issue = ir.async_get(hass).async_get_issue(DOMAIN, "history_failed_office")
    assert issue is not None
    assert issue.translation_placeholders == {"zone": "Study"}


async def test_an_area_placed_at_run_time_learns_its_history(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    # The office's motion and CO2 sensors are moved to a new area, history and all.
    lab = ar.async_get(hass).async_create("Lab")
    for moved in ("binary_sensor.office_motion", "sensor.office_co2"):
        er.async_get(hass).async_update_entity(moved, area_id=lab.id)
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    coordinator = coordinator_of(entry)
    assert "lab" in coordinator.zones
    assert coordinator.learning == set()
    assert min(coordinator.brain.zone("lab").occupancy.label_counts.values()) >= DAYS
    assert hass.states.get("sensor.lab_aiot_brain_occupancy_probability") is not None


async def test_history_says_when_everyone_was_away(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    add_people(hass)
    freezer.move_to(START - timedelta(days=1))
    hass.states.async_set("person.anna", "home")
    hass.states.async_set("person.ben", "home")
    await record_working_week(hass, freezer)  # both at home, the office busy
    freezer.tick(timedelta(hours=2))
    hass.states.async_set("person.anna", "not_home")
    hass.states.async_set("person.ben", "Work")
    await async_wait_recording_done(hass)
    freezer.tick(timedelta(hours=1))
    entry = office_entry(hass, history_days=14)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    zone = coordinator_of(entry).brain.zone("office")
    assert zone.latest[Role.NOBODY_HOME] == 1.0


async def test_history_teaches_how_long_everyone_is_usually_out(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    add_people(hass)
    build_office(hass)
    morning = dt_util.as_local(START).replace(hour=8)
    for day in range(12):  # both out 08:00-17:00 every day
        for hours, state in ((0, "not_home"), (9, "home")):
            freezer.move_to(morning + timedelta(days=day, hours=hours))
            hass.states.async_set("person.anna", state)
            hass.states.async_set("person.ben", state)
    left = morning + timedelta(days=12)
    freezer.move_to(left)
    hass.states.async_set("person.anna", "not_home")
    hass.states.async_set("person.ben", "not_home")
    await async_wait_recording_done(hass)
    freezer.move_to(left + timedelta(hours=16))  # 1.5 times the usual 9 hours: 13.5
    entry = office_entry(hass, history_days=14)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await minutes_pass(hass, freezer, 1)

    zone = coordinator_of(entry).brain.zone("office")
    assert zone.absences.hours == [9.0] * 12
    trip = hass.states.get("binary_sensor.aiot_brain_away_on_a_trip")
    assert trip.state == STATE_ON
    assert dt_util.parse_datetime(trip.attributes["since"]) == left


async def test_a_zone_waiting_for_anothers_replay_learns_a_live_change_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await record_working_week(hass, freezer)
    entry = await setup_office(hass, zones=("office", "kitchen"), history_days=14)
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = coordinator_of(entry)

    # The kitchen is relearned first; the office waits for the kitchen's replay.
    coordinator.async_relearn("kitchen")
    coordinator.async_relearn("office")
    assert coordinator.learning == {"kitchen", "office"}
    freezer.tick(timedelta(minutes=1))
    # A reading too hot to be true, which the office counts as a bad value.
    hass.states.async_set(
        "sensor.office_temperature", "95", {"unit_of_measurement": "°C"}
    )
    freezer.tick(timedelta(minutes=1))
    await async_wait_recording_done(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert coordinator.learning == set()
    assert coordinator.brain.zone("office").bad_values == 1


async def test_a_sensor_moved_away_while_its_area_reads_its_history_is_forgotten(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await record_working_week(hass, freezer)
    hass.states.async_set(
        "sensor.office_temperature", "21.0", {"unit_of_measurement": "°C"}
    )
    freezer.tick(timedelta(minutes=1))
    await async_wait_recording_done(hass)
    moved = threading.Event()

    def after_the_move(hass: HomeAssistant, *args: Any) -> list[State]:
        moved.wait(timeout=10)
        return states_between(hass, *args)

    monkeypatch.setattr(history, "_states_between", after_the_move)
    entry = await setup_office(hass, history_days=14)
    coordinator = coordinator_of(entry)
    assert coordinator.learning == {"office"}

    # The thermometer goes to the kitchen while the office reads its history.
    kitchen = ar.async_get(hass).async_get_area_by_name("Kitchen")
    assert kitchen is not None
    er.async_get(hass).async_update_entity(
        "sensor.office_temperature", area_id=kitchen.id
    )
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    moved.set()
    await hass.async_block_till_done(wait_background_tasks=True)

    office = coordinator.brain.zone("office")
    assert coordinator.learning == set()
    assert "sensor.office_temperature" not in office.readings.get(Role.TEMPERATURE, {})
    assert Role.TEMPERATURE not in office.latest  # nothing there reads it now


async def test_a_sensor_renamed_while_its_area_reads_its_history_keeps_what_it_taught(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The recorder keeps its history under the new id from then on."""
    await record_working_week(hass, freezer)
    renamed = threading.Event()

    def after_the_rename(hass: HomeAssistant, *args: Any) -> list[State]:
        renamed.wait(timeout=10)
        return states_between(hass, *args)

    monkeypatch.setattr(history, "_states_between", after_the_rename)
    entry = await setup_office(hass, history_days=14)
    coordinator = coordinator_of(entry)
    assert coordinator.learning == {"office"}

    er.async_get(hass).async_update_entity(
        "sensor.office_co2", new_entity_id="sensor.office_air"
    )
    await async_wait_recording_done(hass)
    renamed.set()
    await hass.async_block_till_done(wait_background_tasks=True)
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    office = coordinator.brain.zone("office")
    assert coordinator.learning == set()
    assert "sensor.office_co2" not in office.anomalies.sources
    # Each working day's rise and fall, as the history taught them.
    assert office.anomalies.sources["sensor.office_air"][Role.CO2].changes >= DAYS


async def test_an_area_deleted_while_its_history_fails_raises_no_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await record_working_week(hass, freezer)
    deleted = threading.Event()

    def locked(hass: HomeAssistant, *args: Any) -> list[State]:
        deleted.wait(timeout=10)
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(history, "_states_between", locked)
    monkeypatch.setattr(history, "RETRY_PAUSES", (0.0,))
    entry = await setup_office(hass, zones=("office", "kitchen"), history_days=14)
    assert coordinator_of(entry).learning == {"office", "kitchen"}

    ar.async_get(hass).async_delete("kitchen")
    freezer.tick(timedelta(seconds=REDISCOVER_COOLDOWN + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    deleted.set()
    await hass.async_block_till_done(wait_background_tasks=True)

    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "history_failed_office") is not None
    # No area is left to relearn: the issue could never be settled.
    assert issues.async_get_issue(DOMAIN, "history_failed_kitchen") is None


async def test_a_suggestion_withdrawn_while_its_area_relearns_is_not_carried_out(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await record_working_week(hass, freezer)
    hass.states.async_set(
        "sensor.office_temperature", "15.0", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set(
        "climate.office_thermostat",
        "heat",
        {
            "hvac_modes": ["off", "heat"],
            "temperature": 15.0,
            "current_temperature": 15.0,
            "supported_features": 1,
            "min_temp": 7.0,
            "max_temp": 35.0,
        },
    )
    hass.states.async_set("binary_sensor.office_motion", STATE_ON)
    entry = await setup_office(
        hass, history_days=14, control_level=ControlLevel.SUGGEST
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    await minutes_pass(hass, freezer, 1)
    control = coordinator_of(entry).control
    assert control.zone_suggestions("office")  # heating the cold office proposed
    read = threading.Event()

    def held(hass: HomeAssistant, *args: Any) -> list[State]:
        read.wait(timeout=10)
        return states_between(hass, *args)

    monkeypatch.setattr(history, "_states_between", held)
    await hass.services.async_call(
        "button", "press", {"entity_id": RELEARN}, blocking=True
    )
    assert coordinator_of(entry).learning == {"office"}

    # While it reads, the office is switched off: no step comes to withdraw the
    # proposal, and saying yes to it must not heat.
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.office_aiot_brain_mode", "option": "off"},
        blocking=True,
    )
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN, "accept_suggestion", {"area_id": "office"}, blocking=True
        )
    assert raised.value.translation_key == "no_suggestion"
    assert control.zone_suggestions("office") == {}
    read.set()
    await hass.async_block_till_done(wait_background_tasks=True)


# The recorder writes what it heard every few seconds (five by default, here an
# hour: not before the replay reads), to a file that can be read meanwhile.
@pytest.mark.parametrize("recorder_config", [{"commit_interval": 3600}])
@pytest.mark.parametrize("persistent_database", [True])
async def test_a_change_the_recorder_has_not_written_yet_is_learned(
    hass: HomeAssistant,
) -> None:
    """No frozen time here: a leap of the clock makes the recorder write at once."""
    build_office(hass)
    hass.states.async_set(
        "sensor.office_temperature",
        "23.5",
        {"unit_of_measurement": "°C"},
        timestamp=dt_util.utcnow().timestamp() - 0.5,  # half a second ago
    )
    entry = office_entry(hass, history_days=14)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert (
        coordinator_of(entry).brain.zone("office").latest.get(Role.TEMPERATURE) == 23.5
    )
