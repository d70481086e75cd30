"""The examples in the learning core's docstrings do what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

from custom_components.aiot_brain import brain

MODULES = sorted(
    module.name for module in pkgutil.iter_modules(brain.__path__, f"{brain.__name__}.")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    failed, _ = doctest.testmod(importlib.import_module(name))
    assert failed == 0
