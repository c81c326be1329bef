"""Find the step definitions that match a step without asking pytest each time.

pytest-bdd 9 looks a step up by asking pytest, for *every* registered fixture
name, which definitions of that name are visible to the test
(``find_fixturedefs_for_step``), and does so again for every step of every
scenario. The cost is steps x fixture names: harmless for a small suite, but
the kit has well over a hundred step definitions, and the lookup was a third
of its run time.

Which step definitions a test can see depends only on where the test lives:
definitions are registered before the first test runs and are visible by
folder and module. So this module asks pytest once per module for the step
definitions visible there, then does pytest-bdd's own per-step filtering
(step type, then the definition's parser) against that short list, and
remembers the answer per step text. pytest-bdd still sorts the matches and
picks the winner exactly as before. ``tests/test_steplookup.py`` compares the
answer with pytest-bdd's for every step of every feature.

Installed only by the kit's own ``steps/conftest.py``, and only when
pytest-bdd has the functions it replaces and uses
(:mod:`flask_conformance.compat.pytest_bdd`); otherwise nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ..compat.pytest_bdd import scenario_module

ORIGINAL = "_flask_conformance_original"

StepDefinition = tuple[Any, Any]  # (FixtureDef, pytest-bdd's StepFunctionContext)


def install() -> bool:
    """Replace pytest-bdd's step lookup with the indexed one; False if it lacks one."""
    module = scenario_module()
    if module is None:
        return False
    lookup = module.find_fixturedefs_for_step
    if getattr(lookup, ORIGINAL, None) is None:
        module.find_fixturedefs_for_step = indexed_lookup(module, lookup)
    return True


def indexed_lookup(module: Any, original: Callable[..., Any]) -> Callable[..., list[Any]]:
    """pytest-bdd's lookup, asking pytest once per module instead of once per step."""
    registry = module.step_function_context_registry
    per_module: dict[pytest.Collector | None, list[StepDefinition]] = {}
    per_type: dict[tuple[pytest.Collector | None, str], list[StepDefinition]] = {}
    per_step: dict[tuple[Any, ...], list[Any]] = {}

    def visible_step_definitions(
        fixturemanager: Any, node: pytest.Item, step_type: str
    ) -> list[StepDefinition]:
        """The definitions ``node`` sees that may match a step of ``step_type``."""
        if node.parent not in per_module:
            per_module[node.parent] = [
                (fixturedef, registry[fixturedef.func])
                for name in module.get_fixture_names(fixturemanager=fixturemanager)
                for fixturedef in module.getfixturedefs(fixturemanager, name, node) or []
                if fixturedef.func in registry
            ]
        key = (node.parent, step_type)
        if key not in per_type:
            per_type[key] = [
                (fixturedef, context)
                for fixturedef, context in per_module[node.parent]
                if context.type in (None, step_type)
            ]
        return per_type[key]

    def find_fixturedefs_for_step(step: Any, fixturemanager: Any, node: pytest.Item) -> list[Any]:
        key = (step.type, step.name, node.parent)
        if key not in per_step:
            per_step[key] = [
                fixturedef
                for fixturedef, context in visible_step_definitions(fixturemanager, node, step.type)
                if context.parser.is_matching(step.name)
            ]
        return per_step[key]

    setattr(find_fixturedefs_for_step, ORIGINAL, original)
    return find_fixturedefs_for_step
