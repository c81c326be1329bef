"""A login app that makes the session permanent at login, the most common
pattern (``session.permanent = True`` so that the login outlives the browser).
With Flask's default SESSION_REFRESH_EACH_REQUEST, every response to such a
session sends the cookie again, even one that only read it: a request still
running at logout puts the old cookie back. That is Flask's behaviour, not
the app's bug, and gets a warning, never a failure.

``create_app(refresh=False)`` sets SESSION_REFRESH_EACH_REQUEST off: a request
that only reads the session sends no cookie, so it cannot undo the logout.
Profile: ``login_app.toml``."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session

from . import SECRET_KEY, USERS, add_dashboard, add_logout


def create_app(refresh: bool = True) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_REFRESH_EACH_REQUEST=refresh)

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session.clear()
        session.permanent = True
        session["user_id"] = username
        return redirect("/dashboard")

    add_logout(app)
    add_dashboard(app)

    return app
