"""Steps for a logged-in session ending on time (features/journeys/expiry.feature).

The lifetimes come from the journey profile, or from the app's
``permanent_session_lifetime``; time moves on the kit's clock only.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import pytest
from flask import Flask
from pytest_bdd import parsers, then, when

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.clock import Clock
from flask_conformance.drive.visitors import Visitors
from flask_conformance.journeys.profile import JourneyProfile
from flask_conformance.journeys.runner import page_admits
from flask_conformance.plugin import verdicts
from flask_conformance.target.backends import COOKIE

from .checks import expect
from .journeys import status_of


def lifetimes(app: Flask, profile: JourneyProfile) -> tuple[_dt.timedelta, _dt.timedelta | None]:
    """The app's idle lifetime and its stated absolute one (None: not stated)."""
    idle = profile.expiry.idle or app.permanent_session_lifetime
    return idle, profile.expiry.absolute


@when(parsers.parse("{name} stays away for longer than the app's idle lifetime"))
def stays_away(visitors: Visitors, profile: JourneyProfile, clock: Clock, name: str) -> None:
    idle, _ = lifetimes(visitors.app, profile)
    clock.advance(idle + _dt.timedelta(minutes=1))


@then(parsers.parse("the server refuses {name}'s old cookie when {thief} replays it"))
def server_refuses_old_cookie(
    visitors: Visitors, profile: JourneyProfile, name: str, thief: str
) -> None:
    idle, _ = lifetimes(visitors.app, profile)
    page = visitors[thief].visit_protected(profile)
    expect(
        not page_admits(profile, profile.user(name), page),
        "the server itself ends a session after the app's lifetime; the browser forgetting "
        "the cookie is not enough",
        f"{profile.protected_path} to refuse {name}'s cookie, older than {idle}, replayed",
        f"it let {thief} in as {name} (answered {status_of(page)}): the session has no "
        "server-side age check. Flask's own sessions refuse a cookie older than "
        "PERMANENT_SESSION_LIFETIME; a custom session interface must check the age too",
        visitors.log[-1:],
    )


@dataclass
class BusyRun:
    """How keeping a session busy went."""

    limit: _dt.timedelta
    stated: bool
    ended_after: _dt.timedelta | None
    last_page: Exchange


@when(
    parsers.parse("{name} keeps using the app for longer than its absolute lifetime"),
    target_fixture="busy_run",
)
def keeps_busy(visitors: Visitors, profile: JourneyProfile, clock: Clock, name: str) -> BusyRun:
    """Visit every half of the shorter lifetime until the absolute one has passed."""
    idle, absolute = lifetimes(visitors.app, profile)
    limit = absolute or visitors.app.permanent_session_lifetime
    step = min(idle, limit) / 2
    elapsed = _dt.timedelta(0)
    while True:
        clock.advance(step)
        elapsed += step
        admitted, page = visitors[name].is_logged_in(profile)
        if not admitted:
            return BusyRun(limit, absolute is not None, elapsed, page)
        if elapsed > limit:
            return BusyRun(limit, absolute is not None, None, page)


@then(parsers.parse("{name}'s session has ended"))
def session_has_ended(
    request: pytest.FixtureRequest,
    profile: JourneyProfile,
    backend: str,
    busy_run: BusyRun,
    name: str,
) -> None:
    if busy_run.ended_after is not None:
        return
    if not busy_run.stated:
        rewrites = (
            "Flask writes a permanent session cookie again on every request"
            if backend == COOKIE
            else "Flask-Session writes the session to its store again on every request, "
            "permanent or not"
        )
        verdicts.warn(
            request,
            f"{name}'s session never ended while she kept using the app, past the lifetime "
            f"of {busy_run.limit}: {rewrites} (SESSION_REFRESH_EACH_REQUEST), so the lifetime "
            "is an idle limit with no absolute one (WSTG-SESS-07, ASVS 5.0 7.3.2). Store the "
            "login time in the session and end sessions older than your limit in "
            "before_request; if the app already does, state the limit in the profile as "
            "[expiry] absolute",
        )
        return
    expect(
        False,
        "a session ends after the app's absolute lifetime, however busy",
        f"{name} to be turned away once {busy_run.limit} had passed since login "
        f"([expiry] absolute in {profile.source})",
        f"{name} was still logged in after {busy_run.limit} (the page answered "
        f"{status_of(busy_run.last_page)})",
        busy_run.last_page,
    )
