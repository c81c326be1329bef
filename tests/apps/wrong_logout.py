"""A login app whose logout pops the wrong session key ("user" instead of
"user_id"), so the user stays logged in after logging out (breaks the logout
journey, M-09). Its journey profile is ``wrong_logout.toml`` beside it."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session

from . import SECRET_KEY, USERS, add_dashboard


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session["user_id"] = username
        return redirect("/dashboard")

    @app.post("/logout")
    def logout() -> Any:
        session.pop("user", None)  # the bug: login stored "user_id"
        return redirect("/login")

    add_dashboard(app)

    return app
