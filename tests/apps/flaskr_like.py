"""An app built like Flask's tutorial app, flaskr: ``create_app(test_config)``
with ``SECRET_KEY="dev"`` until a config file overrides it. Deployed as
written, its key is the first one flask-unsign tries, so anyone holding one
of its cookies can sign sessions of their own (breaks the secret-key and
forgery checks). Its journey profile is ``login_app.toml``.

``create_app({"SECRET_KEY": ...})`` gives other keys, for the tests of the
length rule and of SECRET_KEY_FALLBACKS."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session

from . import USERS, add_dashboard, add_logout


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SECRET_KEY="dev")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session.clear()
        session["user_id"] = username
        return redirect("/dashboard")

    add_logout(app)
    add_dashboard(app)

    return app
