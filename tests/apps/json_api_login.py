"""A JSON API that logs in with ``POST /api/login`` and nothing else: there is
no login page, and a GET there answers 405 from Flask's router, whatever the
app's hooks do. Its journey profile is ``json_api_login.toml``."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request, session

from . import SECRET_KEY, USERS


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.post("/api/login")
    def login() -> Any:
        body = request.get_json(silent=True) or {}
        username = body.get("username", "")
        if USERS.get(username) != body.get("password"):
            return jsonify(error="incorrect username or password"), 401
        session.clear()
        session["user_id"] = username
        return jsonify(user=username)

    @app.post("/api/logout")
    def logout() -> Any:
        session.clear()
        return jsonify(user=None)

    @app.get("/api/me")
    def me() -> Any:
        username = session.get("user_id")
        if username is None:
            return jsonify(error="not logged in"), 401
        return jsonify(user=username)

    return app
