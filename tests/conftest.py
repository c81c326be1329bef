"""Fixtures shared by the kit's own tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from . import forking
from .known_bad import APPS_DIR, RunSpecs
from .report_runs import BAD_APP, BAD_MARKERS, RUN_TIMEOUT, report_args
from .runcache import OUT, RunCache, spec_args
from .running import SpecRun


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


@pytest.fixture(scope="session")
def runs(run_cache: RunCache) -> dict[str, Path]:
    """The reference app and a known-bad app, each with and without -n 2, writing every report.

    Read by the tests of the --report files (``tests/test_report*.py``) and
    made once per session (not once per xdist worker, nor once per module,
    that runs one of those tests); the folders are shared: read them, never
    change them.
    """
    folders = {}
    for name, app, extra in (
        ("reference", None, ()),
        ("bad", BAD_APP, ("-m", BAD_MARKERS)),
    ):
        for xdist in (False, True):
            args = report_args(OUT, *extra, app=app, xdist=xdist)
            result = run_cache.run(args, timeout=RUN_TIMEOUT)
            assert result.returncode in (0, 1), result.output
            folders[f"{name}-{'xdist' if xdist else 'serial'}"] = result.folder
    # The reference app on the same behaviours as the bad run, to diff like with like.
    args = report_args(OUT, "-m", BAD_MARKERS, app=None, xdist=True)
    result = run_cache.run(args, timeout=RUN_TIMEOUT)
    assert result.returncode == 0, result.output
    folders["reference-same-behaviours"] = result.folder
    return folders


@pytest.fixture
def run_specs(run_cache: RunCache) -> RunSpecs:
    """Run the specs from the repository root, once per session for each distinct run.

    The root is the working directory so that ``tests.apps`` imports (the kit
    puts the working directory first on ``sys.path``, as ``flask --app``
    does). ``REDIS_URL`` is left out (:func:`running.clean_env`) so that the
    reference app uses fakeredis.
    """

    def run(
        markers: str | None,
        app: str | None = None,
        profile: str | None = None,
        broken_flask: str | None = None,
        patched_flask: str | None = None,
    ) -> SpecRun:
        """Run the scenarios selected by ``markers`` (all of them: None) against
        ``app`` (an import string), on a Flask broken as ``broken_flask`` names
        or with the ``patched_flask`` patch, if one is named."""
        args = spec_args(markers, app)
        settings = {}
        if profile is not None:
            args += ["--conformance-profile", str(APPS_DIR / profile)]
        if broken_flask is not None:
            settings["BROKEN_FLASK"] = broken_flask
            args += ["-p", "tests.plugins.broken_flask"]
        if patched_flask is not None:
            settings["PATCHED_FLASK"] = patched_flask
            args += ["-p", "tests.plugins.patched_flask"]
        return run_cache.spec_run(args, settings=settings)

    return run


def pytest_sessionfinish(session: pytest.Session) -> None:
    """End this test process's fork server (``tests/forking.py``), if it started one."""
    forking.stop()
