"""A login app that checks a CSRF token in a before_request, as Flask-WTF's
``CSRFProtect`` does: a POST without the token of the login form is aborted
with 400 before any view runs. A profile without ``csrf`` is a profile
mistake, not an app whose login nobody can use: with ``login_app.toml`` (no
csrf) the profile is refused, saying how to add it; ``csrf_hook.toml`` fits."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, abort, redirect, request, session

from . import SECRET_KEY, USERS, add_dashboard, add_logout


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.before_request
    def csrf_protect() -> None:
        token = request.form.get("csrf_token")
        if request.method == "POST" and (not token or token != session.get("csrf")):
            abort(400, "The CSRF token is missing.")

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "GET":
            token = session.setdefault("csrf", secrets.token_hex(8))
            return f'<form method="post"><input type="hidden" name="csrf_token" value="{token}">'
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session["user_id"] = username
        return redirect("/dashboard")

    add_logout(app)
    add_dashboard(app)
    return app
