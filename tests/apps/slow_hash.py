"""A login app that hashes passwords the way OWASP asks: PBKDF2-SHA256 with
600,000 iterations, about a third of a second per hash on purpose (argon2,
bcrypt and scrypt apps pay the same kind of price). Users sign up at
``POST /register`` and every login pays the hash again, so a kit that logs in
for every scenario is slow on it. Profile: ``slow_hash.toml``; the speed
figure is in ``bench/check.py``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session
from werkzeug.security import check_password_hash, generate_password_hash

from . import SECRET_KEY, add_dashboard, add_logout

#: OWASP's Password Storage Cheat Sheet figure for PBKDF2-HMAC-SHA256.
METHOD = "pbkdf2:sha256:600000"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, PASSWORD_HASH=METHOD)
    app.config.update(test_config or {})
    hashes: dict[str, str] = {}

    @app.post("/register")
    def register() -> Any:
        method = app.config["PASSWORD_HASH"]
        hashes[request.form["username"]] = generate_password_hash(
            request.form["password"], method=method
        )
        return redirect("/login")

    @app.post("/login")
    def login() -> Any:
        stored = hashes.get(request.form.get("username", ""))
        if stored is None or not check_password_hash(stored, request.form.get("password", "")):
            return "Incorrect username or password.", 401
        session.clear()
        session["user_id"] = request.form["username"]
        return redirect("/dashboard")

    add_logout(app)
    add_dashboard(app)
    return app
