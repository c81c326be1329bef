"""Finding an app's remember-me cookie from what its login really sets.

Flask-Login's cookie is ``remember_token`` unless REMEMBER_COOKIE_NAME says
otherwise, but apps rename it in code (one appends the port it serves on), so
config is only a guess. What tells is the login itself: the remember cookie is
the one a login that asks to be remembered sets and a plain login does not;
or, for an app that remembers every login, the one its plain login sets.
"""

from __future__ import annotations

from flask import Flask

from ..drive.browser import Browser, Exchange, SetCookie
from .login_cache import LoginCache
from .profile import JourneyProfile, User
from .runner import send

#: Flask-Login's default name, preferred when a login sets several new cookies.
DEFAULT_NAME = "remember_token"


def remember_cookie(
    app: Flask,
    profile: JourneyProfile,
    user: User,
    remembered: Exchange,
    logins: LoginCache | None = None,
) -> SetCookie | None:
    """The cookie ``remembered`` (a login asking to be remembered) set that a plain login does not.

    None when there is no such cookie: the app does not remember users, or the
    profile's ``[login] remember`` fields do not ask it to.
    """
    plain = _plain_login(app, profile, user, logins)
    plain_names = {cookie.name for cookie in plain.set_cookies if not cookie.deletes}
    found = [
        cookie
        for cookie in remembered.set_cookies
        if not cookie.deletes and cookie.name not in plain_names
    ]
    configured = str(app.config.get("REMEMBER_COOKIE_NAME", DEFAULT_NAME))
    for cookie in found:
        if cookie.name == configured:
            return cookie
    return found[0] if found else None


def always_remembered(app: Flask, login: Exchange) -> SetCookie | None:
    """The remember cookie a plain ``login`` set, or None.

    Some apps remember every login (``login_user(user, remember=True)``, with no
    box to tick, as changedetection.io does): their plain login already sets
    Flask-Login's cookie, under the name the config gives it.
    """
    header = login.set_cookie(str(app.config.get("REMEMBER_COOKIE_NAME", DEFAULT_NAME)))
    return None if header is None or header.deletes else header


def no_remember_cookie(app: Flask, profile: JourneyProfile) -> str:
    """Why the remember-me scenarios do not apply when a plain login set no
    remember cookie and ``profile`` does not say how to ask for one.

    The fix it suggests (remember fields in ``[login]``) is offered as a
    possibility to an app without Flask-Login: nothing says it has a remember-me.
    """
    ask = 'add the extra login fields to [login], like remember = { remember = "y" }'
    if getattr(app, "login_manager", None) is None:
        ask = f"if the app has a remember-me of its own, {ask}"
    return (
        f"the login gave no remember cookie, and the profile {profile.source} does not say how "
        f"to ask to be remembered: {ask}"
    )


def _plain_login(
    app: Flask, profile: JourneyProfile, user: User, logins: LoginCache | None
) -> Exchange:
    """A login of ``user`` that does not ask to be remembered.

    With ``logins``, the run's captured login of that user serves where a copy
    is the same as a new login (:mod:`flask_conformance.journeys.login_cache`): only the
    names of the cookies it set are read, so the app's password hash is not
    paid again for every scenario that looks at the remember cookie.
    """
    key = logins.key(app, user.username) if logins is not None else None
    captured = logins.get(key) if logins is not None else None
    if captured is not None and captured.exchanges:
        return captured.exchanges[-1]  # the login itself comes last
    browser = Browser(app, name=f"{user.username} (not remembered)")
    login = send(browser, user, profile.login)
    if logins is not None:
        logins.capture(key, browser.jar, browser.history)
    return login
