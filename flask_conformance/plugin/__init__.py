"""The pytest plugin: options, markers and the fixtures every scenario uses.

Installed as a ``pytest11`` entry point, so ``pytest --flask-app myapp:create_app``
works from any folder. It adds the options, markers and fixtures, loads the
target once, and registers the end-of-run summary, the OWASP coverage table and
the report writers; under pytest-xdist it also hands the controller what the
workers left out when the probe is kept out (``pytest_testnodedown``), so a
parallel run ends as a serial one does. The specs themselves are collected from the ``steps``
package, whose ``conftest.py`` wires scenarios to backends and Flask versions.

Being installed must not change anyone else's pytest. Every pytest started in
the environment imports this module, so it imports nothing heavy at the top,
and it registers its markers, summaries and report writers only for a run that
is the kit's (:func:`activate`): one given a kit option, or one that collects
the specs. Its options carry the kit's prefix (``--conformance-report``) so
they cannot collide with a project's own, and its fixtures are named
``conformance_*`` so that a project's ``clock`` or ``app`` fixture neither
reaches the specs nor is shadowed by the kit in the project's own tests.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .. import layout
from ..target import run_end
from ..target.time_limit import DEFAULT_LOAD_TIMEOUT

if TYPE_CHECKING:
    from flask import Flask

    from ..drive.clock import Clock
    from ..drive.visitors import Visitors
    from ..target.load import Target

#: The fixture the session specs parametrize with the target's backends.
BACKEND_FIXTURE = "conformance_backend"

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
        "--conformance-redis-url",
        dest="conformance_redis_url",
        default=None,
        metavar="URL",
        help="use this real Redis for an app whose Flask-Session stores sessions in Redis "
        "(default: an in-memory fakeredis, no server needed)",
    )
    group.addoption(
        "--conformance-load-timeout",
        dest="conformance_load_timeout",
        type=float,
        default=DEFAULT_LOAD_TIMEOUT,
        metavar="SECONDS",
        help="give up, in one line, on an app that takes longer than this to load "
        f"(import, factory, setup; default {DEFAULT_LOAD_TIMEOUT:g}; 0: wait forever)",
    )
    group.addoption(
        "--conformance-strict",
        dest="conformance_strict",
        action="store_true",
        default=False,
        help="treat warnings (risks a reviewer must know about) as failures",
    )
    group.addoption(
        "--conformance-report",
        dest="conformance_reports",
        action="append",
        default=[],
        metavar="FILE",
        help="write a report; the suffix picks the format: .html, .md, "
        ".json (Cucumber JSON), .xml (JUnit) or .sarif (code scanning). Repeatable.",
    )


def pytest_configure(config: pytest.Config) -> None:
    options = config.option
    if (
        options.flask_app is not None
        or options.conformance_profile is not None
        or options.conformance_redis_url is not None
    ):
        activate(config)
        target_for(config)  # a target that cannot load is a usage error, said once
        run_the_specs_by_default(config)
    elif options.conformance_reports or options.conformance_strict:
        activate(config)


_ACTIVE_KEY = pytest.StashKey[bool]()


def activate(config: pytest.Config) -> None:
    """Make this run the kit's: its markers, summaries and report writers.

    Called once the run is known to be the kit's: from :func:`pytest_configure`
    when a kit option is given, and from the specs' ``conftest.py`` when the
    specs are collected. A project's own runs never get here, so they keep
    their own markers, summary and speed.
    """
    if config.stash.get(_ACTIVE_KEY, False):
        return
    config.stash[_ACTIVE_KEY] = True
    from ..report import collect as report_collect
    from ..target import real_redis
    from . import failures, owasp_table, summary, tags

    config.pluginmanager.register(failures, "flask-conformance-failures")
    config.pluginmanager.register(summary, "flask-conformance-summary-hooks")
    config.pluginmanager.register(summary.RunSummary(), "flask-conformance-summary")
    known = {**tags.AREAS, **tags.BACKENDS, **tags.REQUIREMENTS, **tags.DOCUMENTATION}
    if layout.FEATURES_DIR.is_dir():
        for tag in tags.tags_in(layout.FEATURES_DIR.rglob("*.feature")):
            description = tags.describe(tag)
            if description is not None:
                known[tag] = description
    for name, description in sorted(known.items()):
        config.addinivalue_line("markers", f"{name}: {description}")
    config.pluginmanager.register(
        real_redis.RedisRun(lambda: config.stash.get(_TARGET_KEY, None)), "flask-conformance-redis"
    )
    if not config.pluginmanager.has_plugin(owasp_table.PLUGIN_NAME):
        config.pluginmanager.register(owasp_table.OwaspCoverage(), owasp_table.PLUGIN_NAME)
    report_collect.configure(config)  # --conformance-report files: checked now, written at the end


def is_active(config: pytest.Config) -> bool:
    """True when this run is the kit's (see :func:`activate`)."""
    return config.stash.get(_ACTIVE_KEY, False)


def run_the_specs_by_default(config: pytest.Config) -> None:
    """``pytest --flask-app myapp:create_app`` with no paths runs the kit's specs.

    Without this, pytest would collect the current folder (the user's own
    tests, or nothing) and the specs the option is for would never run. Paths
    given on the command line are left alone.
    """
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        return
    config.args = [str(layout.STEPS_DIR)]


_TARGET_KEY = pytest.StashKey["Target"]()
#: What the run left in the app's folders, said at the end (see footprint.py).
_FOOTPRINT_KEY = pytest.StashKey[list[str]]()
#: How many scenarios were left out because something keeps the probe out.
GATED_OUT_KEY = pytest.StashKey[int]()


def target_for(config: pytest.Config) -> Target:
    """The app under test for this run, loaded once (collection needs it too)."""
    if _TARGET_KEY not in config.stash:
        from ..journeys.profile import ProfileError
        from ..target import real_redis
        from ..target.build import TargetError
        from ..target.load import make_target

        options = config.option
        if not config.pluginmanager.is_registered(run_end):
            config.pluginmanager.register(run_end, "flask-conformance-run-end")
        run_id, worker = real_redis.run_names(config)
        try:
            config.stash[_TARGET_KEY] = make_target(
                options.flask_app,
                options.conformance_profile,
                options.conformance_redis_url,
                run_id=run_id,
                worker=worker,
                redis_option=real_redis.redis_option(config),
                load_timeout=getattr(options, "conformance_load_timeout", DEFAULT_LOAD_TIMEOUT),
            )
        except (TargetError, ProfileError) as error:
            if run_end.lingering_threads():  # pytest would print the line, then hang
                sys.stderr.write(f"ERROR: {error}\n")
                run_end.exit_now(pytest.ExitCode.USAGE_ERROR)
            raise pytest.UsageError(str(error)) from None
    return config.stash[_TARGET_KEY]


_DOCUMENTATION_TARGET_KEY = pytest.StashKey["Target"]()


def documentation_target(config: pytest.Config) -> Target:
    """The kit's own reference app, with its profile, built by the kit.

    A ``@documents-flask`` scenario that needs a running app (a logout racing
    a request, say) shows what Flask does, so it runs here, never on the app
    under test: its outcome is Flask's whatever app is checked.
    """
    if _DOCUMENTATION_TARGET_KEY not in config.stash:
        from ..journeys.profile_reading import load_profile
        from ..target.load import Target

        # Always on the kit's in-memory fakeredis: a Redis the user named is for their app.
        profile = load_profile(layout.REFERENCE_PROFILE)
        config.stash[_DOCUMENTATION_TARGET_KEY] = Target(layout.REFERENCE_APP, profile)
    return config.stash[_DOCUMENTATION_TARGET_KEY]


def target_of(node: pytest.Item | pytest.Function) -> Target:
    """The app a scenario runs on: the kit's own for ``@documents-flask``, else the target."""
    from .tags import DOCUMENTS_FLASK

    if node.get_closest_marker(DOCUMENTS_FLASK) is not None:
        return documentation_target(node.config)
    return target_for(node.config)


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    """Say which app the specs run against and what the kit found it uses."""
    if not is_active(config):
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
    if target.profile_defect:
        lines.append(f"  profile check: {target.profile_defect}")
    access = target.probe_access
    if access is not None:
        lines.append(f"  probe access: {access}")
    return lines


@pytest.fixture
def conformance_target(request: pytest.FixtureRequest) -> Target:
    """The app this scenario runs on (loaded once per test session): see :func:`target_of`."""
    return target_of(request.node)


@pytest.fixture
def conformance_backend(conformance_target: Target) -> str:
    """The session backend of this run (session specs parametrize it)."""
    return conformance_target.backends[0]


@pytest.fixture
def conformance_clock() -> Iterator[Clock]:
    """Frozen time for one scenario; real time comes back when it ends."""
    from ..drive.clock import Clock

    with Clock() as scenario_clock:
        yield scenario_clock


@pytest.fixture
def conformance_app(
    conformance_target: Target, conformance_backend: str, conformance_clock: Clock
) -> Iterator[Flask]:
    """The target app for this scenario, with its config and store as they started."""
    from ..drive.probe import probe_state
    from ..target.backends import REDIS, RedisStore, session_backend

    app = conformance_target.app(conformance_backend)
    config_before = dict(app.config)
    probe_state(app).reset()
    store = RedisStore(app) if session_backend(app) == REDIS else None
    if store is not None:
        store.reset()
        if not store.is_fake:
            conformance_clock.on_move(store.follow_clock)
    yield app
    app.config.clear()
    app.config.update(config_before)


@pytest.fixture
def conformance_visitors(conformance_app: Flask, conformance_target: Target) -> Visitors:
    """The people in a scenario, each with a browser of their own, and the run's
    logins that ``be_logged_in`` restores (see login_cache.py)."""
    from ..drive.visitors import Visitors

    return Visitors(conformance_app, conformance_target.logins)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Show the target's own hooks, and why specs were left out if the probe is gated."""
    if _TARGET_KEY not in config.stash:
        return  # no spec ran in this process (or xdist workers ran them)
    from ..hooks import trace as hooktrace

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
    for line in config.stash.get(_FOOTPRINT_KEY, []):
        terminalreporter.write_line(line, yellow=True)


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
    """A run that could only check the hooks is a usage problem, not a pass.

    The run's process (not an xdist worker: the others may still be running)
    also removes what the app left empty in its folders while the kit ran.
    """
    config = session.config
    gated = config.stash.get(GATED_OUT_KEY, 0)
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller decides
        workeroutput[_GATED_OUT_OUTPUT] = gated
        return
    if gated and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.USAGE_ERROR
    if _TARGET_KEY in config.stash:
        own = [*config.option.conformance_reports]
        if getattr(config.option, "xmlpath", None):
            own.append(config.option.xmlpath)
        config.stash[_FOOTPRINT_KEY] = config.stash[_TARGET_KEY].tidy_project(own)
