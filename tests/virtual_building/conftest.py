"""Make the dev integrations under config/custom_components importable.

``custom_components`` is a namespace package, so adding ``config/`` to the path
merges ``config/custom_components`` into it, next to the repository's own.
"""

from __future__ import annotations

from pathlib import Path
import sys

CONFIG_DIR = str(Path(__file__).resolve().parents[2] / "config")
if CONFIG_DIR not in sys.path:
    sys.path.append(CONFIG_DIR)
