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
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from .browser import Browser
from .journey import JourneyProfile, User
from .journey_runner import send
from .probe import PREFIX


def login_identity(app: Flask, profile: JourneyProfile, user: User) -> dict[str, Any]:
    """The session values that say ``user`` is logged in: key -> value."""
    first = _session_after_login(app, profile, user, "first")
    second = _session_after_login(app, profile, user, "second")
    stable = {key: value for key, value in first.items() if key in second and second[key] == value}
    others = [other for other in profile.users if other.username != user.username]
    if others:
        theirs = _session_after_login(app, profile, others[0], "other")
        return {key: value for key, value in stable.items() if theirs.get(key) != value}
    return {key: value for key, value in stable.items() if user.username in str(value)}


def _session_after_login(
    app: Flask, profile: JourneyProfile, user: User, which: str
) -> dict[str, Any]:
    """What a fresh browser's session holds once ``user`` logged in, minus what it held before."""
    browser = Browser(app, name=f"{user.username} ({which} browser of the kit)")
    before = browser.get(f"{PREFIX}/session", observation=True).json()["values"]
    send(browser, user, profile.login)
    after = browser.get(f"{PREFIX}/session", observation=True).json()["values"]
    return {key: value for key, value in after.items() if before.get(key) != value}
