"""Which of the session's values say who is logged in, learned over HTTP.

"Logging out empties the session of the login" cannot be judged by key names:
real apps keep ``csrf_token``, ``locale``, ``_flashes``, ``_permanent`` or
Flask-Security's ``fs_cc`` in the session across a logout, and none of them
says who the visitor is. What does is a value the login puts there that
belongs to *that user*: the same whenever that user logs in, and different
for another user (Flask-Login's ``_user_id``, flaskr's ``user_id``). A CSRF
token differs between two logins of the same user; Flask-Login's ``_fresh``
and ``_id`` are the same for two users: neither is an identity.

The kit finds those values by logging in from browsers of its own (the user
twice and, when the profile has one, another user once) and comparing what
the probe reads from each session. With a single user it keeps the stable
values that name the user (their username is in the value).

Each of those logins pays the app's password hash. Where the run holds a
captured login that is the same as a new one (:mod:`flask_conformance.journeys.login_cache`:
signed-cookie sessions, the same instant and config), the first login of the
user and the other user's come from it instead, if the app still admits the
copy (a logout may have revoked it; then the kit logs in for real). The
second login of the user is always sent: only two real logins tell a value
made anew at each login (a CSRF token) from one that says who the user is.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import Flask

from ..drive.browser import Browser
from ..drive.probe import PREFIX
from .login_cache import LoginCache
from .profile import JourneyProfile, User
from .runner import page_admits, send


def login_identity(
    app: Flask, profile: JourneyProfile, user: User, logins: LoginCache | None = None
) -> dict[str, Any]:
    """The session values that say ``user`` is logged in: key -> value.

    With ``logins``, the run's captured logins serve for the first login of
    ``user`` and for the other user's, where a copy is the same as a login.
    """
    first = _session_after_login(app, profile, user, "first", logins)
    second = _session_after_login(app, profile, user, "second")
    stable = {key: value for key, value in first.items() if key in second and second[key] == value}
    others = [other for other in profile.users if other.username != user.username]
    if others:
        theirs = _session_after_login(app, profile, others[0], "other", logins)
        return {key: value for key, value in stable.items() if theirs.get(key) != value}
    return {key: value for key, value in stable.items() if user.username in str(value)}


def _session_after_login(
    app: Flask, profile: JourneyProfile, user: User, which: str, logins: LoginCache | None = None
) -> dict[str, Any]:
    """What a fresh browser's session holds once ``user`` logged in, minus what it held before."""
    browser = Browser(app, name=f"{user.username} ({which} browser of the kit)")
    before = browser.get(f"{PREFIX}/session", observation=True).json()["values"]
    if not _restored(browser, profile, user, logins):
        send(browser, user, profile.login)
    after = browser.get(f"{PREFIX}/session", observation=True).json()["values"]
    return {key: value for key, value in after.items() if before.get(key) != value}


def _restored(
    browser: Browser, profile: JourneyProfile, user: User, logins: LoginCache | None
) -> bool:
    """Put the run's captured login of ``user`` in ``browser`` if the app still admits it."""
    captured = None if logins is None else logins.get(logins.key(browser.app, user.username))
    if captured is None:
        return False
    own = [copy.copy(cookie) for cookie in browser.jar]
    captured.restore_into(browser.jar, browser.name)
    if page_admits(profile, user, browser.get(profile.protected_path, observation=True)):
        return True
    browser.forget_cookies()  # revoked since it was captured: log in for real, as before
    for cookie in own:
        browser.jar.set_cookie(cookie)
    return False
