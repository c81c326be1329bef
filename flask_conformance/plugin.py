"""The pytest plugin: options, markers and the fixtures every scenario uses.

Installed as a ``pytest11`` entry point, so ``pytest --flask-app myapp:create_app``
works from any folder. It adds the options, markers and fixtures, loads the
target once, and registers the end-of-run summary, the OWASP coverage table and
the report writers; under pytest-xdist it also hands the controller what the
workers left out when the probe is kept out (``pytest_testnodedown``), so a
parallel run ends as a serial one does. The specs themselves are collected from the ``steps``
package, whose ``conftest.py`` wires scenarios to backends and Flask versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from . import hooktrace, layout, redis_run, summary, summary_owasp, tags
from .backends import REDIS, RedisStore, session_backend
from .clock import Clock
from .journey import ProfileError
from .probe import probe_state
from .report import collect as report_collect
from .target import Target, TargetError, make_target
from .visitors import Visitors


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flask-conformance", "Flask conformance specs")
    group.addoption(
        "--flask-app",
        dest="flask_app",
        default=None,
        metavar="MODULE:ATTR",
        help="the Flask app (or app factory) to run the specs against; "
        "default: the bundled reference app",
    )
    group.addoption(
        "--conformance-profile",
        dest="conformance_profile",
        default=None,
        metavar="FILE",
        help="TOML journey profile saying how the app logs users in and out",
    )
    group.addoption(
        "--redis-url",
        dest="conformance_redis_url",
        default=None,
        metavar="URL",
        help="use this real Redis for an app whose Flask-Session stores sessions in Redis "
        "(default: an in-memory fakeredis, no server needed)",
    )
    group.addoption(
        "--conformance-strict",
        dest="conformance_strict",
        action="store_true",
        default=False,
        help="treat warnings (risks a reviewer must know about) as failures",
    )
    group.addoption(
        "--report",
        dest="conformance_reports",
        action="append",
        default=[],
        metavar="FILE",
        help="write a report; the suffix picks the format: .html, .md, "
        ".json (Cucumber JSON) or .xml (JUnit). Repeatable.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(summary, "flask-conformance-summary-hooks")
    config.pluginmanager.register(summary.RunSummary(), "flask-conformance-summary")
    known = {**tags.AREAS, **tags.BACKENDS, **tags.REQUIREMENTS}
    if layout.FEATURES_DIR.is_dir():
        for tag in tags.tags_in(layout.FEATURES_DIR.rglob("*.feature")):
            description = tags.describe(tag)
            if description is not None:
                known[tag] = description
    for name, description in sorted(known.items()):
        config.addinivalue_line("markers", f"{name}: {description}")
    config.pluginmanager.register(
        redis_run.RedisRun(lambda: config.stash.get(_TARGET_KEY, None)), "flask-conformance-redis"
    )
    if not config.pluginmanager.has_plugin(summary_owasp.PLUGIN_NAME):
        config.pluginmanager.register(summary_owasp.OwaspCoverage(), summary_owasp.PLUGIN_NAME)
    options = config.option
    if (
        options.flask_app is not None
        or options.conformance_profile is not None
        or getattr(options, "conformance_redis_url", None) is not None
    ):
        target_for(config)  # a target that cannot load is a usage error, said once
        run_the_specs_by_default(config)
    report_collect.configure(config)  # --report files: checked now, written at the end


def run_the_specs_by_default(config: pytest.Config) -> None:
    """``pytest --flask-app myapp:create_app`` with no paths runs the kit's specs.

    Without this, pytest would collect the current folder (the user's own
    tests, or nothing) and the specs the option is for would never run. Paths
    given on the command line are left alone. A checkout's specs are left to
    its own testpaths unless pytest runs from the checkout: its root
    ``conftest.py`` must be the top-level one.
    """
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        return
    if layout.PACKAGED or config.rootpath == layout.KIT_ROOT:
        config.args = [str(layout.STEPS_DIR)]


_TARGET_KEY = pytest.StashKey[Target]()
#: How many scenarios were left out because something keeps the probe out.
GATED_OUT_KEY = pytest.StashKey[int]()


def target_for(config: pytest.Config) -> Target:
    """The app under test for this run, loaded once (collection needs it too)."""
    if _TARGET_KEY not in config.stash:
        options = config.option
        run_id, worker = redis_run.run_names(config)
        try:
            config.stash[_TARGET_KEY] = make_target(
                options.flask_app,
                options.conformance_profile,
                getattr(options, "conformance_redis_url", None),
                run_id=run_id,
                worker=worker,
            )
        except (TargetError, ProfileError) as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[_TARGET_KEY]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Show a broken behaviour in its own plain words, not as a Python traceback.

    A failure the kit explains (``plain_words`` on the exception: a broken
    behaviour, or the app raising with the function that raised named) is a
    finding about the app, so the report is its message. ``--tb=long`` (or any
    ``--tb`` other than the default) shows the traceback and the app's
    captured log as usual.
    """
    outcome = yield
    report = outcome.get_result()
    excinfo = call.excinfo
    if (
        report.failed
        and excinfo is not None
        and getattr(excinfo.value, "plain_words", False)
        and item.config.option.tbstyle == "auto"
    ):
        report.longrepr = str(excinfo.value)
        # Flask logs the app's exception with its traceback; the message
        # above already names it and the function that raised.
        report.sections = [
            (title, text)
            for title, text in report.sections
            if not title.startswith(("Captured log", "Captured stderr"))
        ]


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    """Say which app the specs run against and what the kit found it uses."""
    if config.option.flask_app is None and not _runs_the_specs(config):
        return None
    try:
        target = target_for(config)
        words = target.capabilities
    except pytest.UsageError:
        return None
    app = words.pop("app", target.import_string)
    details = "; ".join(f"{name}: {value}" for name, value in words.items())
    lines = [f"flask-conformance target: {app}", f"  capabilities: {details}"]
    if target.unused_redis:
        lines.append(f"  {target.unused_redis}")
    access = target.probe_access
    if access is not None:
        lines.append(f"  probe access: {access}")
    return lines


def _runs_the_specs(config: pytest.Config) -> bool:
    """True when the run collects the kit's specs (the steps folder)."""
    steps = layout.STEPS_DIR.resolve()
    for arg in config.args:
        path = Path(str(arg).split("::")[0]).resolve()
        if path == steps or steps in path.parents or path in steps.parents:
            return True
    return False


@pytest.fixture(scope="session")
def conformance_target(request: pytest.FixtureRequest) -> Target:
    """The app under test, loaded once per test session."""
    return target_for(request.config)


@pytest.fixture
def backend(conformance_target: Target) -> str:
    """The session backend of this run (session specs parametrize it)."""
    return conformance_target.backends[0]


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Frozen time for one scenario; real time comes back when it ends."""
    scenario_clock = Clock()
    scenario_clock.start()
    yield scenario_clock
    scenario_clock.stop()


@pytest.fixture
def app_under_test(conformance_target: Target, backend: str, clock: Clock) -> Iterator[Flask]:
    """The target app for this scenario, with its config and store as they started."""
    app = conformance_target.app(backend)
    config_before = dict(app.config)
    probe_state(app).reset()
    store = RedisStore(app) if session_backend(app) == REDIS else None
    if store is not None:
        store.reset()
        if not store.is_fake:
            clock.on_move(store.follow_clock)
    yield app
    app.config.clear()
    app.config.update(config_before)


@pytest.fixture
def visitors(app_under_test: Flask) -> Visitors:
    """The people in a scenario, each with a browser of their own."""
    return Visitors(app_under_test)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Show the target's own hooks, and why specs were left out if the probe is gated."""
    if _TARGET_KEY not in config.stash:
        return  # no spec ran in this process (or xdist workers ran them)
    target = config.stash[_TARGET_KEY]
    terminalreporter.section(f"Hook trace of {target.import_string}")
    for line in hooktrace.format_trace(target.hook_trace):
        terminalreporter.write_line(line)
    if target.unused_redis:
        terminalreporter.write_line(f"flask-conformance: {target.unused_redis}", yellow=True)
    if config.stash.get(GATED_OUT_KEY, 0):
        terminalreporter.write_line(
            f"flask-conformance: {target.probe_blocker}", red=True, bold=True
        )


#: The key under which an xdist worker hands its count of left-out scenarios
#: to the controller (``config.workeroutput``).
_GATED_OUT_OUTPUT = "flask_conformance_gated_out"


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """On an xdist controller: add up what the workers left out.

    The workers collect the specs, so they are the ones that leave out the
    scenarios a blocked probe cannot run; the controller, which ends the run,
    must know, or ``-n 2`` would end "passed" where the serial run ends 4.
    """
    output = getattr(node, "workeroutput", {}) or {}
    gated = output.get(_GATED_OUT_OUTPUT, 0)
    config = getattr(node, "config", None)
    if gated and config is not None:
        config.stash[GATED_OUT_KEY] = max(config.stash.get(GATED_OUT_KEY, 0), gated)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run that could only check the hooks is a usage problem, not a pass."""
    config = session.config
    gated = config.stash.get(GATED_OUT_KEY, 0)
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller decides
        workeroutput[_GATED_OUT_OUTPUT] = gated
        return
    if gated and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.USAGE_ERROR
