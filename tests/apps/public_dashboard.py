"""A login app whose dashboard is public: everyone gets it (200), with a
greeting for a logged-in user; only ``/account`` is kept for logged-in users
(302 to the login page otherwise). A profile that names ``/dashboard`` as its
protected page cannot tell a logged-in visitor from one who is not, and is
refused; one that names ``/account`` fits (``public_dashboard.toml``)."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session

from . import SECRET_KEY, USERS, add_logout


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session.clear()
        session["user_id"] = username
        return redirect("/account")

    @app.get("/dashboard")
    def dashboard() -> Any:
        username = session.get("user_id")
        return f"Dashboard. Welcome, {username}!" if username else "Dashboard. Welcome, guest!"

    @app.get("/account")
    def account() -> Any:
        username = session.get("user_id")
        if username is None:
            return redirect("/login")
        return f"Welcome, {username}!"

    add_logout(app)
    return app
