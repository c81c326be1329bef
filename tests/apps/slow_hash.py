"""A login app that hashes passwords the way OWASP asks: PBKDF2-SHA256 with
600,000 iterations, about a third of a second per hash on purpose (argon2,
bcrypt and scrypt apps pay the same kind of price). Users sign up at
``POST /register`` into the SQLite file ``DATABASE`` (``create_app(test_config)``,
as Flask's tutorial writes it), and every login pays the hash again, so a kit
that logs in for every scenario is slow on it. Profile: ``slow_hash.toml``;
the speed figure is in ``bench/check.py``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Flask, redirect, request, session
from werkzeug.security import check_password_hash, generate_password_hash

from . import SECRET_KEY, add_dashboard, add_logout

#: OWASP's Password Storage Cheat Sheet figure for PBKDF2-HMAC-SHA256.
METHOD = "pbkdf2:sha256:600000"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, DATABASE="slow_hash.sqlite")
    app.config.update(test_config or {})

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(app.config["DATABASE"])
        connection.execute(
            "CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, hash TEXT)"
        )
        return connection

    @app.post("/register")
    def register() -> Any:
        digest = generate_password_hash(request.form["password"], method=METHOD)
        with connect() as connection:
            connection.execute(
                "INSERT INTO users VALUES (?, ?)", (request.form["username"], digest)
            )
        return redirect("/login")

    @app.post("/login")
    def login() -> Any:
        with connect() as connection:
            row = connection.execute(
                "SELECT hash FROM users WHERE username = ?", (request.form.get("username"),)
            ).fetchone()
        if row is None or not check_password_hash(row[0], request.form.get("password", "")):
            return "Incorrect username or password.", 401
        session.clear()
        session["user_id"] = request.form["username"]
        return redirect("/dashboard")

    add_logout(app)
    add_dashboard(app)
    return app
