"""Steps for the journey features: logging in and out through the app's own
pages, as its journey profile describes them (features/journeys/login.feature,
logout.feature, fixation.feature, isolation.feature), and the helpers every
journey module shares (:func:`identity`, :func:`expect_admitted`). The journey
profile reaches each step as the ``profile`` fixture (steps/conftest.py).

The basic steps ("Alice has logged in", "Alice logs out", "Mallory has copied
Alice's session cookie", "Alice is turned away from the dashboard") live in
logout.py; the steps here build on them. Expiry is in
:mod:`steps.journey_expiry`, remember-me in :mod:`steps.remember`. Time moves
on the kit's clock only.
"""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.visitors import Visitor, Visitors
from flask_conformance.journeys.identity import login_identity
from flask_conformance.journeys.page_text import shows
from flask_conformance.journeys.profile import JourneyProfile, User
from flask_conformance.journeys.runner import page_admits
from flask_conformance.plugin import verdicts
from flask_conformance.target.backends import COOKIE

from .checks import expect

#: What a cookie-session app can do about a cookie that outlives logout.
REPLAY_REMEDIES = (
    "keep sessions server-side (Flask-Session), so logout deletes them; or keep a table of "
    "live sessions and delete the session's entry at logout; or store a per-user "
    '"not before" time, set it at logout and refuse sessions issued earlier; or rotate a '
    "per-user signing key at logout"
)


def identity(profile: JourneyProfile, user: User) -> str:
    """What on the protected page shows that ``user`` is the one logged in."""
    contains = profile.logged_in.contains
    return user.fill(contains) if contains is not None else user.username


def status_of(page: Exchange) -> str:
    """A page's status as a failure message shows it, with where a redirect went."""
    location = page.header("Location")
    return f"{page.status}" + (f" (to {location})" if location else "")


def expect_admitted(
    visitor: Visitor,
    profile: JourneyProfile,
    admitted: bool,
    page: Exchange,
    behaviour: str,
    evidence: list[Exchange],
    after: str = "",
) -> None:
    """Fail unless the protected ``page`` admitted ``visitor`` as herself.

    A page that turns her away because the app refuses to repeat a login that
    admitted her earlier in the run (a rate limit, a lockout) shows no defect
    of the login: that is not applicable, saying so. ``after`` ends what was
    expected (", after Alice logs in as ...").
    """
    refused = None if admitted else visitor.refused_admission(profile)
    if refused is not None:
        verdicts.not_applicable(refused)
    shown = identity(profile, profile.user(visitor.name))
    expect(
        admitted,
        behaviour,
        f"{profile.protected_path} to answer {profile.logged_in.status} showing {shown!r}{after}",
        f"it answered {status_of(page)}" + ("" if shows(page, shown) else f" without {shown!r}"),
        evidence,
    )


# -- logging in ------------------------------------------------------------


@when(parsers.parse("{name} logs in"))
def logs_in(visitors: Visitors, profile: JourneyProfile, name: str) -> None:
    visitors[name].login(profile)


@then(parsers.parse("the dashboard admits {name} as herself"))
def admits_as_self(visitors: Visitors, profile: JourneyProfile, name: str) -> None:
    admitted, page = visitors[name].is_logged_in(profile)
    expect_admitted(
        visitors[name],
        profile,
        admitted,
        page,
        "logging in admits the user to the protected pages as themselves",
        visitors.log[-2:],
    )


@then(parsers.parse("{name} is still logged in on each of her next {count:d} visits"))
def stays_logged_in(visitors: Visitors, profile: JourneyProfile, name: str, count: int) -> None:
    for visit in range(1, count + 1):
        admitted, page = visitors[name].is_logged_in(profile)
        expect(
            admitted,
            "a login lasts for the requests that follow it: the session carries it",
            f"{profile.protected_path} to admit {name} on each of her next {count} visits",
            f"visit {visit} answered {status_of(page)}",
            visitors.log[-2:],
        )


# -- logging out -----------------------------------------------------------


@then(parsers.parse("{name}'s session cookie is deleted or no longer holds her identity"))
def cookie_emptied(visitors: Visitors, profile: JourneyProfile, name: str) -> None:
    """Judged by behaviour, not by key names: a session may keep a CSRF token,
    a locale or a flash message after logout, but not the values that say who
    is logged in (:mod:`flask_conformance.journeys.identity`), and it must no longer
    admit the user."""
    logout = visitors.last_response
    cookie_name = visitors.session_cookie_name
    sent = logout.set_cookie(cookie_name)
    if (sent is not None and sent.deletes) or visitors[name].browser.cookie(cookie_name) is None:
        return
    user = profile.user(name)
    identity = login_identity(visitors.app, profile, user, visitors.logins)
    after = visitors[name].read_session()["values"]
    left = sorted(key for key, value in identity.items() if after.get(key) == value)
    admitted, page = visitors[name].is_logged_in(profile)
    expect(
        not left and not admitted,
        "logging out deletes the session cookie or leaves a session that no longer says who "
        "the user is and no longer admits them",
        f"the logout response to delete the {cookie_name!r} cookie, or a session without "
        f"{name}'s identity ({', '.join(sorted(identity)) or 'the values her login stored'}) "
        f"that {profile.protected_path} turns away",
        ", ".join(
            part
            for part in (
                f"after logout the session still holds {', '.join(left)} as at login"
                if left
                else "",
                f"{profile.protected_path} still admits {name} (it answered {page.status})"
                if admitted
                else "",
            )
            if part
        ),
        [logout, *visitors.log[-2:]],
    )


@then(parsers.parse("{thief} cannot get in as {name} with the copied cookie"))
def replay_refused(
    request: pytest.FixtureRequest,
    visitors: Visitors,
    profile: JourneyProfile,
    backend: str,
    thief: str,
    name: str,
) -> None:
    page = visitors[thief].visit_protected(profile)
    admitted = page_admits(profile, profile.user(name), page)
    if admitted and backend == COOKIE:
        verdicts.warn(
            request,
            f"a session cookie copied before {name} logged out still let {thief} in as {name} "
            "afterwards. Flask's signed-cookie sessions cannot be revoked: logout only asks the "
            "browser to drop its copy, and the server keeps nothing to forget, so a stolen copy "
            "works until it expires (WSTG-SESS-06, ASVS 5.0 7.4.1). Remedies: " + REPLAY_REMEDIES,
        )
        return
    expect(
        not admitted,
        f"logging out ends the session on the server ({backend} sessions): "
        "a copy of the old cookie must not work afterwards",
        f"{profile.protected_path} to turn {thief} away with {name}'s pre-logout cookie",
        f"it let {thief} in as {name} (answered {status_of(page)}): clear the session at logout "
        "(session.clear()) so the store deletes it",
        visitors.log[-3:],
    )


# -- session fixation ------------------------------------------------------


@given(parsers.parse("{attacker} has planted her session cookie in {name}'s browser"))
def plant_own_session(
    visitors: Visitors, profile: JourneyProfile, attacker: str, name: str
) -> None:
    """The attacker gets a session from the app and puts its cookie in the victim's browser.

    Only a login can take up a planted session, so the step asks for the
    ``profile``: without one the scenario is not applicable.
    """
    cookie_name = visitors.session_cookie_name
    visitors[attacker].store("planted_by", attacker)
    value = visitors[attacker].browser.cookie_value(cookie_name)
    if value is None:
        raise AssertionError(f"The app gave {attacker} no {cookie_name!r} cookie to plant.")
    visitors[name].browser.plant_cookie(cookie_name, value)


@then(parsers.parse("{attacker} is still not logged in as {name}"))
def attacker_not_logged_in(
    visitors: Visitors, profile: JourneyProfile, backend: str, attacker: str, name: str
) -> None:
    page = visitors[attacker].visit_protected(profile)
    expect(
        not page_admits(profile, profile.user(name), page),
        "a session planted before login is not the session logged in (session fixation)",
        f"{attacker}'s own session to stay logged out after {name} logged in with it",
        f"{attacker} is logged in as {name} (the page answered {status_of(page)}): "
        + (
            "give the session a new id at login, "
            "app.session_interface.regenerate(session) with Flask-Session"
            if backend != COOKIE
            else "start a new session at login (session.clear() before storing the user)"
        ),
        visitors.log[-3:],
    )


@given(
    parsers.parse("{name} has a server-side session from before she logs in"),
    target_fixture="session_id_before",
)
def session_before_login(
    visitors: Visitors, profile: JourneyProfile, backend: str, name: str
) -> str:
    """The ``profile`` comes before the backend: without one the scenario is not
    applicable for that reason, whatever the backend."""
    if backend == COOKIE:
        verdicts.not_applicable(
            "Flask's signed-cookie sessions have no session id to renew: the cookie is "
            "rewritten with the user in it at login"
        )
    visitors[name].store("visited_before_login", True)
    sid = visitors[name].browser.cookie_value(visitors.session_cookie_name)
    if sid is None:
        raise AssertionError(f"The app gave {name} no session cookie before login.")
    return sid


@then(parsers.parse("{name}'s session id has changed"))
def session_id_changed(visitors: Visitors, name: str, session_id_before: str) -> None:
    after = visitors[name].browser.cookie_value(visitors.session_cookie_name)
    expect(
        after != session_id_before,
        "a server-side session gets a new id when its user logs in (session fixation)",
        "a new session id in the cookie after login",
        "the session id is the one from before login: call "
        "app.session_interface.regenerate(session) at login (Flask-Session 0.6+)",
        visitors.log[-2:],
    )


# -- isolation -------------------------------------------------------------


@then(parsers.parse("{other}, who has not logged in, is turned away and sees nothing of {name}"))
def anonymous_sees_nothing(
    visitors: Visitors, profile: JourneyProfile, other: str, name: str
) -> None:
    user = profile.user(name)
    page = visitors[other].visit_protected(profile)
    shown = [text for text in (identity(profile, user), user.username) if shows(page, text)]
    expect(
        page.status == profile.logged_out.status and not shown,
        "each visitor's session is their own: a visitor who has not logged in sees nothing "
        "of a user who has",
        f"{profile.protected_path} to answer {profile.logged_out.status} to {other} without "
        f"showing {user.username!r}",
        f"it answered {status_of(page)}" + (f" showing {shown[0]!r}" if shown else ""),
        page,
    )
