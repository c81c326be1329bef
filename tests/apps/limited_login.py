"""The journey app behind a login rate limit, as Flask-Limiter puts one there.

Three login attempts per client per minute; the fourth in the same minute is
refused, whatever the credentials. The kit logs in far more often than a
person, so a correct app like this one must get "not applicable" for the
scenarios the limit stops, never a failure. How the refusal is answered:

- ``breach="429"`` (Flask-Limiter's default): 429 Too Many Requests;
- ``breach="page"``: the login page again, with 200 and "Too many failed login
  attempts." (ihatemoney's ``on_breach`` handler does this);
- ``breach="same"``: 302 to the dashboard, exactly as a login that works, so as
  not to tell an attacker that the limit was reached: only the dashboard,
  which then turns the visitor away, shows that the login was refused.

``create_app("forgets_login")`` keeps journey_app's login that lasts one page
behind the same limit: the scenarios the limit lets through still catch it.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, abort, redirect, request

from . import journey_app

#: Login attempts a client may make per minute.
LIMIT = 3
LOGIN_PAGE = (
    "<p>Too many failed login attempts.</p>"
    '<form method="post"><input name="username"><input name="password" type="password"></form>'
)


def create_app(bug: str | None = None, breach: str = "429") -> Flask:
    app = journey_app.create_app(bug)
    attempts: dict[int, int] = {}

    @app.before_request
    def limit_logins() -> Any:
        if request.method != "POST" or request.path != "/login":
            return None
        minute = int(time.time() // 60)
        attempts[minute] = attempts.get(minute, 0) + 1
        if attempts[minute] <= LIMIT:
            return None
        if breach == "page":
            return LOGIN_PAGE
        if breach == "same":
            return redirect("/dashboard")
        abort(429)

    return app
