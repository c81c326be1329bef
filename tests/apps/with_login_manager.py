"""An app that uses Flask-Login, as far as the kit can tell: Flask-Login's
``LoginManager.init_app`` sets ``app.login_manager`` to the manager, and the
remember-me cookie is named by ``REMEMBER_COOKIE_NAME`` (default
``remember_token``). Flask-Login is not a dependency of the kit, so this app
does what ``init_app`` does, with a stand-in manager."""

from __future__ import annotations

from flask import Flask

from . import SECRET_KEY


class StandInLoginManager:
    """What the kit looks for: an object ``init_app`` puts on the app."""

    def init_app(self, app: Flask) -> None:
        app.login_manager = self  # type: ignore[attr-defined]


def create_app(remember_cookie_name: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.config["SECRET_KEY_FALLBACKS"] = ["an-old-key", "an-older-key"]
    if remember_cookie_name is not None:
        app.config["REMEMBER_COOKIE_NAME"] = remember_cookie_name
    StandInLoginManager().init_app(app)
    return app
