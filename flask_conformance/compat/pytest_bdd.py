"""pytest-bdd's internals the kit reaches: its step lookup in ``pytest_bdd.scenario``.

The kit's faster step lookup (:mod:`flask_conformance.plugin.step_lookup`)
replaces ``find_fixturedefs_for_step`` and does what it did with the same
module's helpers. They are private to pytest-bdd (9.x), and the package
shadows the module's name with its ``scenario`` function, so the module is
reached through ``sys.modules``.
"""

from __future__ import annotations

import sys
from typing import Any

#: The module's names the indexed lookup replaces or calls.
SCENARIO_NAMES = (
    "find_fixturedefs_for_step",  # replaced
    "step_function_context_registry",  # step function -> its parser and type
    "get_fixture_names",
    "getfixturedefs",
)


def scenario_module() -> Any | None:
    """pytest-bdd's ``pytest_bdd.scenario`` module if it has every name the kit uses, else None."""
    module = sys.modules.get("pytest_bdd.scenario")
    if module is None or not all(hasattr(module, name) for name in SCENARIO_NAMES):
        return None
    return module
