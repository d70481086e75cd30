"""Fixtures shared by the tests."""

from __future__ import annotations

import pytest

# Import the repository's package first: pytest-homeassistant-custom-component ships a
# `custom_components` package of its own, and whichever is imported first wins.
import custom_components.aiot_brain  # noqa: F401


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> None:
    """Let Home Assistant load the integrations under custom_components/."""
