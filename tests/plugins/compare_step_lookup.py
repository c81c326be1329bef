"""Compare the kit's step lookup with pytest-bdd's on every step of a run.

Loaded with ``-p tests.plugins.compare_step_lookup``; writes how many lookups
it compared and which differed to the JSON file named by
``COMPARE_STEP_LOOKUP_OUT``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pytest

from flask_conformance.plugin.step_lookup import ORIGINAL

compared: list[int] = [0]
differences: list[str] = []


def pytest_collection_finish(session: pytest.Session) -> None:
    module = sys.modules["pytest_bdd.scenario"]
    kit_lookup = module.find_fixturedefs_for_step
    original = getattr(kit_lookup, ORIGINAL)

    def both(step: Any, fixturemanager: Any, node: pytest.Item) -> list[Any]:
        ours = list(kit_lookup(step=step, fixturemanager=fixturemanager, node=node))
        theirs = list(original(step=step, fixturemanager=fixturemanager, node=node))
        compared[0] += 1
        if ours != theirs:
            differences.append(f"{node.nodeid}: {step.type} {step.name!r}")
        return ours

    module.find_fixturedefs_for_step = both


def pytest_sessionfinish(session: pytest.Session) -> None:
    with open(os.environ["COMPARE_STEP_LOOKUP_OUT"], "w", encoding="utf-8") as out:
        json.dump({"compared": compared[0], "differences": differences}, out)
