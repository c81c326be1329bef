"""Write down each collected scenario's markers, for a run shared by many selections.

Loaded with ``-p tests.plugins.record_markers``; writes the JSON file named
by ``--record-markers``: for each scenario that will run, its JUnit
``classname`` and ``name`` (as pytest's ``--junitxml`` writes them) and the
names of its markers. ``tests/runcache.py`` then reads, out of one run of all
the specs, what a run with ``-m EXPR`` would have run, without a process of
its own for every expression.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--record-markers", metavar="FILE", help="write each test's markers here")


def junit_address(nodeid: str) -> tuple[str, str]:
    """The ``classname`` and ``name`` pytest's JUnit XML gives the test ``nodeid``."""
    path, bracket, params = nodeid.partition("[")
    names = path.split("::")
    module = names[0].replace("/", ".")
    names[0] = module.removesuffix(".py")
    return ".".join(names[:-1]), names[-1] + bracket + params


def pytest_collection_finish(session: pytest.Session) -> None:
    target = session.config.getoption("--record-markers")
    if not target or hasattr(session.config, "workerinput"):
        return
    recorded = [
        [*junit_address(item.nodeid), sorted({mark.name for mark in item.iter_markers()})]
        for item in session.items
    ]
    Path(target).write_text(json.dumps(recorded), encoding="utf-8")
