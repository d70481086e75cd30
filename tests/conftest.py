"""Fixtures shared by the tests."""

from __future__ import annotations

import logging
from unittest.mock import MagicMock

import pytest

# Import the repository's package first: pytest-homeassistant-custom-component ships a
# `custom_components` package of its own, and whichever is imported first wins.
import custom_components.aiot_brain  # noqa: F401

# pytest-homeassistant-custom-component logs every SQL statement, and the
# recorder's every step in tests that use caplog; the recorder's thread, writing
# between the moments pytest captures a test's output, printed them into the
# suite's. Our tests read the recorder through its API, not its log.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
logging.getLogger("homeassistant.components.recorder").setLevel(logging.INFO)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> None:
    """Let Home Assistant load the integrations under custom_components/."""


@pytest.fixture(autouse=True)
def auto_mock_zeroconf(mock_async_zeroconf: MagicMock) -> None:
    """Give every test Home Assistant's shared zeroconf without opening sockets.

    The integration depends on zeroconf (network inventory), so any test that sets
    up a config entry sets up zeroconf too. The network inventory runs a real
    service browser on this instance; a stand-in loop keeps the browser's query
    timers from running, while records fed to the browser are handled as on a
    real network.
    """
    mock_async_zeroconf.zeroconf.loop = MagicMock()
