"""Fixtures shared by the kit's own tests."""

from __future__ import annotations

import os

import pytest

from . import forking
from .runcache import RunCache


@pytest.fixture(scope="session")
def run_cache(tmp_path_factory: pytest.TempPathFactory) -> RunCache:
    """This session's runs of the kit, shared by every test and every xdist worker.

    An xdist worker's base temporary directory is a folder of the session's,
    so the session's is the one place all workers see (pytest-xdist's own
    advice for a session fixture made once); without xdist it is this
    process's own.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return RunCache(shared / "kit-runs")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """End this test process's fork server (``tests/forking.py``), if it started one."""
    forking.stop()
