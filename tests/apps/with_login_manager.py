"""An app that uses Flask-Login (``LoginManager.init_app`` sets
``app.login_manager``), with a renamed remember-me cookie when asked, and two
old signing keys kept as fallbacks: what capability detection must see, and
count, without ever showing a key."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager

from . import SECRET_KEY


def create_app(remember_cookie_name: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.config["SECRET_KEY_FALLBACKS"] = ["an-old-key", "an-older-key"]
    if remember_cookie_name is not None:
        app.config["REMEMBER_COOKIE_NAME"] = remember_cookie_name
    LoginManager().init_app(app)
    return app
