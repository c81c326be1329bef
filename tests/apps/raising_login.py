"""A login app whose login view asks a user database that is down: every login
is a 500. The kit must still run every scenario it can, and the journey
scenarios must fail naming the view, rather than refusing the profile.
Profile: ``login_app.toml``."""

from __future__ import annotations

from flask import Flask

from . import SECRET_KEY, add_dashboard, add_logout


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.post("/login")
    def login() -> str:
        _find_user()
        return "never reached"

    add_dashboard(app)
    add_logout(app)
    return app


def _find_user() -> None:
    raise ConnectionError("the user database is not reachable")
