"""Signed-cookie sessions whose responses never say ``Vary: Cookie``, so a
shared cache may serve one visitor's page to another (breaks W-01 and W-07)."""

from __future__ import annotations

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from . import SECRET_KEY


class NoVarySessionInterface(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        super().save_session(app, session, response)
        # The bug: take back the Vary: Cookie that Flask just added.
        others = [value for value in response.vary if value.lower() != "cookie"]
        if others:
            response.headers["Vary"] = ", ".join(others)
        else:
            response.headers.pop("Vary", None)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = NoVarySessionInterface()
    return app
