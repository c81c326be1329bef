"""A correct app built like Flask's tutorial (flaskr): an app-wide
``before_request`` reads the session on every request to load the user, and
TESTING is off, so errors become 500 pages instead of escaping the request.

It breaks nothing: every response varies on Cookie because every request uses
the session, and the specs that expect an error must find it in the probe's
record rather than in an exception."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, session

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.before_request
    def load_logged_in_user() -> None:
        g.user = session.get("user_id")

    @app.route("/")
    def index() -> Any:
        return f"Hello, {g.user or 'stranger'}"

    return app
