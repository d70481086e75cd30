"""Reading a ``Store`` that may hold a file this release cannot take, or parts of one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
import glob
import os
from pathlib import Path
import shutil
from typing import Any

from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import LOGGER


async def async_load(hass: HomeAssistant, store: Store[Any]) -> tuple[Any, bool]:
    """Return the stored data (None: none) and whether a file was unreadable.

    Home Assistant sets a file that is not JSON aside itself. One written by a
    later release, of a version below any we wrote (which the store has no way
    to migrate), or JSON that is no storage document, would stop the setup: it
    is set aside too (kept for a later release, or for the user), and the
    caller starts afresh.
    """
    try:
        return await store.async_load(), False
    except (
        HomeAssistantError,
        KeyError,
        NotImplementedError,
        TypeError,
        ValueError,
    ) as err:
        aside = await _async_set_aside(hass, store, os.replace)
        LOGGER.error(
            "Cannot read %s (%r); starting afresh, the file is kept as %s",
            store.path,
            err,
            aside,
        )
        return None, True


def stored_moment(value: object) -> datetime | None:
    """Return a moment read back from a stored file; None where it holds none.

    Nor does a time that is no moment (month 13: a flipped bit), or one that
    names no offset from UTC, which the aware times it is compared with need:
    a broken field costs itself, not the setup.
    """
    if not isinstance(value, str):
        return None
    try:
        moment = dt_util.parse_datetime(value)
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


async def async_keep_copy(hass: HomeAssistant, store: Store[Any]) -> str:
    """Keep a copy of the stored file, whose unreadable parts a save would lose.

    A later release's learned state, read after going back to this one, is
    there for the user (or that release) still. Returns where the copy is.
    """
    return await _async_set_aside(hass, store, shutil.copy2)


async def _async_set_aside(
    hass: HomeAssistant, store: Store[Any], move: Callable[[str, str], object]
) -> str:
    """Move or copy the stored file aside; return where it is now (or why not)."""
    aside = f"{store.path}.unreadable.{dt_util.utcnow().isoformat()}"
    try:
        await hass.async_add_executor_job(move, store.path, aside)
    except OSError as err:
        return f"nowhere ({err})"
    return aside


async def async_remove(store: Store[Any]) -> None:
    """Remove the stored data and the unreadable files set aside from it.

    Home Assistant sets a file that is not JSON aside as "<file>.corrupt.<time>"
    and raises a repair asking to restore it: both go with the data.
    """
    await store.async_remove()
    await store.hass.async_add_executor_job(_remove_set_aside, store.path)
    corrupt = f"storage_corruption_{store.key}_"
    issues = ir.async_get(store.hass)
    for domain, issue_id in list(issues.issues):
        if domain == HOMEASSISTANT_DOMAIN and issue_id.startswith(corrupt):
            ir.async_delete_issue(store.hass, domain, issue_id)


def _remove_set_aside(path: str) -> None:
    stored = Path(path)
    for kind in ("unreadable", "corrupt"):
        for aside in stored.parent.glob(f"{glob.escape(stored.name)}.{kind}.*"):
            aside.unlink(missing_ok=True)
