"""Wires the features to the app under test.

- Registers the step modules, so their definitions are visible to every
  scenario in this package (and nowhere else).
- Runs every ``@sessions`` and ``@journey`` scenario once per session backend
  the target offers (the reference app offers ``cookie`` and ``redis``).
- Sets aside as not applicable, with the reason said out loud, scenarios that
  do not apply to the app; :mod:`flask_conformance.plugin.applicability`
  decides, this module only asks at the right moment.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from flask_conformance.drive.clock import Clock
from flask_conformance.drive.visitors import Visitors
from flask_conformance.journeys.profile import JourneyProfile
from flask_conformance.plugin import (
    BACKEND_FIXTURE,
    GATED_OUT_KEY,
    activate,
    applicability,
    step_lookup,
    tags,
    target_for,
    target_of,
    verdicts,
)
from flask_conformance.target import capabilities
from flask_conformance.target.load import Target

from . import (
    blueprint_registration,
    blueprints,
    cleanup,
    context,
    cookie_attributes,
    cookie_settings,
    error_answers,
    error_settings,
    errors,
    expiry,
    flashing,
    g_api,
    hooks,
    hygiene,
    journey_expiry,
    journeys,
    keys,
    late_setup,
    lifecycle,
    logout,
    myths,
    persistence,
    remember,
    reused_contexts,
    security,
    serialisation,
    sessions,
    shared,
    signals,
    signing_keys,
    tampering,
    usable,
)

STEP_MODULES = (
    shared,
    sessions,
    persistence,
    serialisation,
    flashing,
    cookie_settings,
    expiry,
    logout,
    keys,
    context,
    g_api,
    lifecycle,
    reused_contexts,
    signals,
    hooks,
    blueprints,
    blueprint_registration,
    late_setup,
    cleanup,
    errors,
    error_settings,
    error_answers,
    myths,
    hygiene,
    journeys,
    journey_expiry,
    remember,
    security,
    signing_keys,
    cookie_attributes,
    tampering,
    usable,
)


def pytest_configure(config: pytest.Config) -> None:
    activate(config)  # the specs are collected: this run is the kit's
    step_lookup.install()
    for module in STEP_MODULES:
        if not config.pluginmanager.is_registered(module):
            config.pluginmanager.register(module)
    target_for(config)  # also on an xdist controller, whose summary shows the hook trace


def pytest_collection_finish(session: pytest.Session) -> None:
    """Keep what lives for the whole run out of the garbage collector's way.

    By the end of collection the process holds about 90,000 objects that live
    until it exits: Flask, Redis and pytest modules, the parsed features, the
    step definitions, the collected scenarios. Every full collection during the
    run, and the ones pytest forces at exit, walks all of them again, which
    costs about 0.15 s a run. :func:`gc.freeze` moves them to a generation the
    collector skips; objects made by the scenarios are collected as before.
    """
    gc.freeze()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    definition = metafunc.definition
    runs_per_backend = definition.get_closest_marker("sessions") or definition.get_closest_marker(
        "journey"
    )
    if runs_per_backend and BACKEND_FIXTURE in metafunc.fixturenames:
        backends = target_of(definition).backends
        metafunc.parametrize(BACKEND_FIXTURE, backends, ids=backends)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the scenarios that need the probe when something keeps it out.

    The kit sets aside what an app-wide before_request (a login gate, a CSRF
    check) answers to its own requests (:mod:`flask_conformance.drive.probe_access`),
    so only protection it cannot see into (WSGI middleware) gets here. The
    hook checks (``@hygiene``) need no probe and still run; the terminal
    summary then says in one line what the kit needs, and the run ends with
    exit status 4, under xdist too (see plugin.py).
    """
    if target_for(config).probe_blocker is None:
        return
    here = Path(__file__).parent
    gated = [
        i
        for i in items
        if i.path.is_relative_to(here)
        and not i.get_closest_marker("hygiene")
        and not i.get_closest_marker(tags.DOCUMENTS_FLASK)  # they run on the kit's own apps
    ]
    if gated:
        config.hook.pytest_deselected(items=gated)
        left_out = set(map(id, gated))
        items[:] = [item for item in items if id(item) not in left_out]
        config.stash[GATED_OUT_KEY] = len(gated)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Set aside, with the reason, a scenario that does not apply (see plugin/applicability.py)."""
    names = [marker.name for marker in item.iter_markers()]  # closest first, as before
    for name in names:
        mismatch = applicability.flask_version_mismatch(name)
        if mismatch:
            verdicts.not_applicable(mismatch)
    callspec = getattr(item, "callspec", None)  # only parametrized tests have one
    backend = callspec.params.get(BACKEND_FIXTURE) if callspec is not None else None
    found = capabilities.detect(target_of(item).app(backend or None))
    reason = applicability.reason_from_capabilities(found, set(names), backend or None)
    if reason:
        verdicts.not_applicable(reason)


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Set aside what only the scenario's steps show does not apply.

    A second person logs in on a one-user profile; or the steps use the
    session on an app that cannot sign one.
    """
    step_names = [step.name for step in scenario.steps]
    missing = applicability.second_user_missing(target_of(request.node).profile, step_names)
    if missing:
        verdicts.not_applicable(missing)
    markers = {marker.name for marker in request.node.iter_markers()}
    if applicability.needs_a_usable_session(markers, step_names):
        app = request.getfixturevalue("app_under_test")
        if capabilities.detect(app).missing_secret_key:
            verdicts.not_applicable(applicability.NO_SECRET_KEY)


@pytest.fixture
def profile(conformance_target: Target) -> JourneyProfile:
    """How the app logs users in and out, for the steps that need to.

    pytest-bdd asks for a step's fixtures when the step runs, so on an app
    without a profile, or whose login the kit found blocked, the scenario
    ends as not applicable, saying why, at its first step that needs one.
    It lives in this conftest, like the short names below, so that inside the
    specs it wins over a project's own ``profile`` fixture.
    """
    if conformance_target.profile is None:
        verdicts.not_applicable(applicability.NO_PROFILE)
    if conformance_target.login_blocked is not None:
        verdicts.not_applicable(conformance_target.login_blocked)
    return conformance_target.profile


# The short names the step modules use. The kit's own fixtures are named
# ``conformance_*`` (flask_conformance/plugin/__init__.py); these aliases live in this
# conftest, so inside the specs they win over a project's fixtures of the same
# name (a conftest.py at the project's root defining ``clock`` or ``app``), and
# outside the specs a project's tests never get the kit's by accident.


@pytest.fixture(autouse=True)
def app_under_test(conformance_app: Flask) -> Flask:
    """The app under test for this scenario.

    Used by every scenario, so every one gets a clean app, a frozen clock and
    its backend; and so the backend fixture is among the scenario's fixture
    names when :func:`pytest_generate_tests` looks, which is how each
    ``@sessions`` and ``@journey`` scenario runs once per backend.
    """
    return conformance_app


@pytest.fixture
def backend(conformance_backend: str) -> str:
    """The session backend this scenario runs on."""
    return conformance_backend


@pytest.fixture
def clock(conformance_clock: Clock) -> Clock:
    """The kit's frozen clock for this scenario."""
    return conformance_clock


@pytest.fixture
def visitors(conformance_visitors: Visitors) -> Visitors:
    """The people in this scenario, each with a browser of their own."""
    return conformance_visitors
