"""Steps for remember-me logins (features/journeys/remember.feature): the
remember cookie logs the user back in after the browser restarts, and stops
doing so, for her and for a thief holding a copy, once she has logged out.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.visitors import Visitors
from flask_conformance.journeys.profile import JourneyProfile
from flask_conformance.journeys.remember import (
    always_remembered,
    no_remember_cookie,
    remember_cookie,
)
from flask_conformance.journeys.runner import page_admits
from flask_conformance.plugin import verdicts
from flask_conformance.target.load import Target

from .checks import expect
from .journeys import status_of


def remember_cookie_name(visitors: Visitors) -> str:
    """The remember cookie's name, as the login that asked to be remembered set it."""
    if visitors.remember_cookie_name is not None:
        return visitors.remember_cookie_name
    return str(visitors.app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))


@given(parsers.parse("{name} has logged in asking to be remembered"))
def logged_in_remembered(
    visitors: Visitors, conformance_target: Target, profile: JourneyProfile, name: str
) -> None:
    if getattr(visitors.app, "login_manager", None) is None:
        verdicts.not_applicable(
            "the app does not use Flask-Login (it has no app.login_manager), so it sets no "
            "remember-me cookie"
        )
    if profile.login.remember is None:
        # An app may remember every login; otherwise the profile must say how to ask.
        header = always_remembered(visitors.app, visitors[name].login(profile))
        if header is None:
            verdicts.not_applicable(no_remember_cookie(visitors.app, profile))
        assert header is not None
        visitors.remember_cookie_name = header.name
        return
    login = visitors[name].login(profile, remember=True)
    cookie = remember_cookie(
        visitors.app, profile, profile.user(name), login, conformance_target.logins
    )
    expect(
        cookie is not None,
        "logging in with remember-me sets Flask-Login's remember cookie",
        f"a cookie that only a login with {profile.login.remember} sets",
        "the login set no cookie a plain login does not: check [login] remember in the profile",
        login,
    )
    assert cookie is not None
    visitors.remember_cookie_name = cookie.name


@given(parsers.parse("{thief} has copied {name}'s remember cookie"))
def copy_remember_cookie(visitors: Visitors, thief: str, name: str) -> None:
    """Put the victim's remember cookie, and nothing else, into the thief's browser."""
    cookie_name = remember_cookie_name(visitors)
    value = visitors[name].browser.cookie_value(cookie_name)
    if value is None:
        raise AssertionError(f"{name} has no {cookie_name!r} cookie to copy.")
    visitors[thief].browser.plant_cookie(cookie_name, value)


@when(parsers.parse("{name} closes her browser and opens it again"))
def restarts_browser(visitors: Visitors, name: str) -> None:
    visitors[name].restart_browser()


@then(parsers.parse("the remember-me cookie does not log {name} back in"))
def remember_cookie_refused(visitors: Visitors, profile: JourneyProfile, name: str) -> None:
    admitted, page = visitors[name].is_logged_in(profile)
    cookie = remember_cookie_name(visitors)
    still_there = visitors[name].browser.cookie(cookie) is not None
    expect(
        not admitted,
        "logging out also ends remember-me: the remember cookie does not log the user back in",
        f"{profile.protected_path} to turn {name} away after logout and a browser restart",
        f"it let {name} in (answered {status_of(page)})"
        + (
            f"; the {cookie!r} cookie was still in the browser: log out with "
            "flask_login.logout_user(), which deletes it, not session.clear() alone"
            if still_there
            else ""
        ),
        visitors.log[-3:],
    )


@then(parsers.parse("{thief} cannot get in as {name} with the copied remember cookie"))
def copied_remember_cookie_refused(
    visitors: Visitors, profile: JourneyProfile, thief: str, name: str
) -> None:
    page = visitors[thief].visit_protected(profile)
    cookie = remember_cookie_name(visitors)
    expect(
        not page_admits(profile, profile.user(name), page),
        "logging out ends remember-me on the server: a remember cookie copied before logout "
        "does not log anyone in afterwards",
        f"{profile.protected_path} to turn away {thief}, whose browser holds only {name}'s "
        f"{cookie!r} cookie from before logout",
        f"it let {thief} in as {name} (answered {status_of(page)}): logout_user() only asks the "
        "browser to drop the cookie, and Flask-Login's remember cookie stays valid as long as "
        "the user's id does. Make get_id() return a token that changes at logout (Flask-Login's "
        '"alternative tokens", or Flask-Security\'s fs_uniquifier) and reject old ones in '
        "user_loader",
        visitors.log[-1:],
    )
