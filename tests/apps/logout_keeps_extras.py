"""A correct app whose logout removes the login but keeps the rest of the
session, as real apps do: Flask-WTF's ``csrf_token``, the visitor's
``locale`` and a flash message saying they were logged out all survive the
logout, and none of them says who the user was.

``create_app(broken=True)`` logs out by setting ``logged_in = False`` and
keeps ``user_id``: the protected page turns the visitor away, but the session
still names the user (an app that reads ``user_id`` elsewhere, an audit log
or an "Welcome back" banner, still takes the visitor for them). Its journey
profile is ``logout_keeps_extras.toml``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, redirect, request, session
from flask_wtf.csrf import CSRFProtect, generate_csrf

from . import SECRET_KEY, USERS


def create_app(broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.config["SESSION_COOKIE_SECURE"] = True
    CSRFProtect(app)

    @app.before_request
    def remember_locale() -> None:
        if "locale" not in session:
            session["locale"] = request.accept_languages.best or "en"

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "GET":
            return f'<form method="post"><input name="csrf_token" value="{generate_csrf()}"></form>'
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session["user_id"] = username
        session["logged_in"] = True
        return redirect("/dashboard")

    @app.post("/logout")
    def logout() -> Any:
        if broken:
            session["logged_in"] = False  # the bug: user_id stays
        else:
            session.pop("user_id", None)
            session.pop("logged_in", None)
        flash("You have been logged out.")
        return redirect("/login")

    @app.get("/dashboard")
    def dashboard() -> Any:
        if not session.get("logged_in"):
            return redirect("/login")
        return f"Welcome, {session['user_id']}!"

    return app
