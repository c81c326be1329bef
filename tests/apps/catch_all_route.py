"""A correct app built like a wiki (An Otter Wiki): a catch-all ``/<path:path>`` route
serves every page, behind Flask-Login's ``login_required``. The catch-all view reads
the session on every URL, even one no other route matches, and Flask-Login's own
after_request reads it on every request (so every response varies on Cookie).

Neither is a defect: the unknown-page scenario is not applicable (no URL is unknown to
the app), and so is "no Vary" (the app's hook reads the session). The broken twin,
``create_broken_app``, has no catch-all route and no hook that reads the session, yet
turns every unknown page into a redirect and adds Vary: Cookie to every response: both
scenarios must still fail on it."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, redirect
from flask_login import LoginManager, login_required

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    login = LoginManager(app)
    login.login_view = "login"
    login.user_loader(lambda user_id: None)
    app.add_url_rule("/-/login", "login", lambda: "Log in")

    @app.route("/", defaults={"path": "home"})
    @app.route("/<path:path>")
    @login_required
    def page(path: str) -> Any:
        return f"The page {path}"

    return app


def create_broken_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.add_url_rule("/-/login", "login", lambda: "Log in")
    app.register_error_handler(404, lambda error: redirect("/-/login"))

    @app.after_request
    def vary_on_cookie(response: Response) -> Response:
        response.vary.add("Cookie")
        return response

    return app
