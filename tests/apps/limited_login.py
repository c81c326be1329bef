"""The journey app behind a login rate limit, as Flask-Limiter puts one there.

Three login attempts per client per minute; the fourth in the same minute is
answered 429 Too Many Requests, whatever the credentials. The kit logs in far
more often than a person, so a correct app like this one must get "not
applicable" for the scenarios the limit stops, never a failure.
``create_app("forgets_login")`` keeps journey_app's login that lasts one page
behind the same limit: the scenarios the limit lets through still catch it.
"""

from __future__ import annotations

import time

from flask import Flask, abort, request

from . import journey_app

#: Login attempts a client may make per minute.
LIMIT = 3


def create_app(bug: str | None = None) -> Flask:
    app = journey_app.create_app(bug)
    attempts: dict[int, int] = {}

    @app.before_request
    def limit_logins() -> None:
        if request.method != "POST" or request.path != "/login":
            return
        minute = int(time.time() // 60)
        attempts[minute] = attempts.get(minute, 0) + 1
        if attempts[minute] > LIMIT:
            abort(429)

    return app
