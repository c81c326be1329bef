"""A well-behaved app that makes every session permanent, as many real apps do:
Flask-Session with its default ``SESSION_PERMANENT = True``. It has no browser
sessions, so the scenarios about those do not apply."""

from __future__ import annotations

from flask import Flask, session
from flask_session import Session

from . import SECRET_KEY


def flask_session_default() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_TYPE="redis", SESSION_COOKIE_SECURE=True)
    # SESSION_PERMANENT is left at Flask-Session's default: True.
    Session(app)
    return app


def permanent_by_hook() -> Flask:
    """Flask's signed cookie and the common hook that makes every session permanent.

    Setting ``session.permanent`` changes the session, so Flask writes the
    cookie on every request: the app has no session that nothing changes.
    """
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)

    @app.before_request
    def make_session_permanent() -> None:
        session.permanent = True

    return app
