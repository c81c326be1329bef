"""A login app on Flask's signed-cookie sessions that keeps a table of live
sessions on the server, as many real apps do to list and end a user's
sessions: login records a random token in the table and in the session, every
page looks the token up, logout deletes it. A copy of the cookie taken before
logout carries a token the table no longer has, so it is refused: the
"copied cookie keeps working" row of Flask's signed cookie does not hold here,
and must not fail the app. Profile: ``login_app.toml``."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, redirect, request, session

from . import SECRET_KEY, USERS


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    live: dict[str, str] = {}  # token -> username

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session.clear()
        token = secrets.token_urlsafe(16)
        live[token] = username
        session["session_id"] = token
        return redirect("/dashboard")

    @app.post("/logout")
    def logout() -> Any:
        live.pop(session.get("session_id", ""), None)
        session.clear()
        return redirect("/login")

    @app.get("/dashboard")
    def dashboard() -> Any:
        username = live.get(session.get("session_id", ""))
        if username is None:
            return redirect("/login")
        return f"Welcome, {username}!"

    return app
