"""A login app set up as CS50's Finance is: Flask-Session, ``SESSION_PERMANENT =
False``, and no ``SECRET_KEY`` at all.

Flask-Session 0.8 needs no key: it sends the session's id unsigned and keeps
the session on the server (here in cachelib's ``FileSystemCache``, what its
deprecated ``SESSION_TYPE = "filesystem"`` now wraps). Correct, and common:
with no key there is nothing to re-sign a cookie with, so the tampering that
re-signs under another salt does not apply, while every other tampering of
the id runs.

``create_app(broken=True)`` is the same app without ``Session(app)``: Flask's
signed cookie with no key, on which sessions cannot work at all.
"""

from __future__ import annotations

import tempfile
from typing import Any

from cachelib import FileSystemCache
from flask import Flask, redirect, request, session
from flask_session import Session

from . import USERS


def create_app(broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SESSION_PERMANENT=False,
        SESSION_TYPE="cachelib",
        SESSION_CACHELIB=FileSystemCache(tempfile.mkdtemp(prefix="cs50-sessions-")),
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    if not broken:
        Session(app)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        session.clear()
        if request.method == "POST":
            if USERS.get(request.form.get("username", "")) != request.form.get("password"):
                return "invalid username and/or password", 403
            session["user_id"] = request.form["username"]
            return redirect("/dashboard")
        return '<form method="post"><input name="username"><input name="password"></form>'

    @app.get("/dashboard")
    def dashboard() -> Any:
        if session.get("user_id") is None:
            return redirect("/login")
        return f"Welcome, {session['user_id']}!"

    return app
