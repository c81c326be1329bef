"""A login app that keeps the password, its hash and an API key in Flask's
signed (not encrypted) session cookie, where anyone holding the cookie reads
them (breaks the exposed-session-data check, WSTG-SESS-04). Profile:
``login_app.toml``."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session
from werkzeug.security import generate_password_hash

from . import SECRET_KEY, USERS, add_dashboard, add_logout


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        if USERS.get(username) != password:
            return "Incorrect username or password.", 401
        session["user_id"] = username
        session["password"] = password  # the bugs: secrets in a readable cookie
        session["profile"] = {"hash": generate_password_hash(password, "pbkdf2:sha256:1000")}
        session["api_key"] = "key-for-" + username
        return redirect("/dashboard")

    add_logout(app)
    add_dashboard(app)

    return app
