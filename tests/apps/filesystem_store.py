"""A well-behaved app on Flask-Session's filesystem store, written as
Flask-Session's docs show it: ``SESSION_TYPE = "filesystem"`` and a
``SESSION_FILE_DIR`` (here from ``SESSION_FILE_DIR`` in the environment, as a
deployment would set it; Flask-Session's default is ``./flask_session``).

That folder holds the real sessions of the app's real visitors. The kit must
keep its own sessions in a folder it made and removes, and leave this one
byte for byte as it was; and the app breaks nothing, so no behaviour fails.
Profile: ``login_app.toml``.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, redirect, request, session
from flask_session import Session

from . import SECRET_KEY, USERS, add_dashboard, add_logout


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=SECRET_KEY,
        SESSION_TYPE="filesystem",
        SESSION_PERMANENT=False,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    if "SESSION_FILE_DIR" in os.environ:
        app.config["SESSION_FILE_DIR"] = os.environ["SESSION_FILE_DIR"]
    Session(app)
    add_login(app)
    return app


def add_login(app: Flask) -> None:
    """``POST /login`` as Flask-Session's docs advise: a new session id once the user is in."""

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session.clear()
        session["user_id"] = username
        app.session_interface.regenerate(session)  # type: ignore[attr-defined]
        return redirect("/dashboard")

    add_logout(app)
    add_dashboard(app)
