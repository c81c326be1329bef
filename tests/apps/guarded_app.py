"""A login app that needs what real apps need from a journey profile.

- Users live in a database file, ``DATABASE``, which does not exist until
  ``flask init-db`` creates it; users then sign up at ``POST /register`` (or
  the setup callable :func:`seed` adds them).
- ``POST /login`` takes a form with a CSRF token from the hidden field of
  ``GET /login`` (unless ``CSRF_ENABLED`` is false).
- ``POST /api/login`` takes JSON, an ``X-Client`` header, and the CSRF token
  of the ``csrf_token`` cookie (set by ``GET /login``) in ``X-CSRFToken``.

The factory takes ``test_config``, as Flask's tutorial writes it. The
journey-profile tests write the profiles they need.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import click
from flask import Flask, abort, current_app, redirect, request, session

from . import SECRET_KEY, add_dashboard, add_logout


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, DATABASE=None, CSRF_ENABLED=True)
    app.config.update(test_config or {})
    app.extensions["built_with"] = dict(test_config or {})

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create an empty user database."""
        _database().write_text("{}", encoding="utf-8")
        click.echo("Initialized the database.")

    @app.get("/login")
    def login_page() -> Any:
        token = session.setdefault("csrf", secrets.token_hex(8))
        response = current_app.make_response(
            f'<form method="post"><input type="hidden" name="csrf_token" value="{token}">'
            '<input name="username"><input name="password"></form>'
        )
        response.set_cookie("csrf_token", token)
        return response

    @app.post("/login")
    def login() -> Any:
        token = request.form.get("csrf_token")
        if app.config["CSRF_ENABLED"] and (not token or token != session.get("csrf")):
            return "The CSRF token is missing.", 400
        return _log_in(request.form.get("username"), request.form.get("password"))

    @app.post("/api/login")
    def api_login() -> Any:
        if request.headers.get("X-Client") != "kit":
            return {"error": "unknown client"}, 403
        if request.headers.get("X-CSRFToken") != request.cookies.get("csrf_token"):
            return {"error": "bad CSRF token"}, 400
        body = request.get_json()
        return _log_in(body.get("username"), body.get("password"))

    @app.post("/register")
    def register() -> Any:
        users = _users()
        users[request.form["username"]] = request.form["password"]
        _database().write_text(json.dumps(users), encoding="utf-8")
        return redirect("/login")

    add_logout(app)
    add_dashboard(app)

    return app


def _log_in(username: str | None, password: str | None) -> Any:
    if username is None or _users().get(username) != password:
        return "Incorrect username or password.", 401
    session.clear()
    session["user_id"] = username
    return redirect("/dashboard")


def _database() -> Path:
    if not current_app.config["DATABASE"]:
        abort(500, "DATABASE is not configured")
    return Path(current_app.config["DATABASE"])


def _users() -> dict[str, str]:
    path = _database()
    if not path.is_file():
        abort(500, "the database does not exist: run flask init-db")
    return json.loads(path.read_text(encoding="utf-8"))


def seed(app: Flask) -> None:
    """Setup callable: create the database with alice and bob in it."""
    Path(app.config["DATABASE"]).write_text(
        json.dumps({"alice": "wonderland", "bob": "builder"}), encoding="utf-8"
    )
