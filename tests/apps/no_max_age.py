"""Signed-cookie sessions that never expire on the server: open_session skips
the max_age check, so an old cookie still loads (breaks P-05 and P-06)."""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

from . import SECRET_KEY


class AgelessSessionInterface(SecureCookieSessionInterface):
    """Flask's interface, minus ``max_age`` when reading the cookie."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            return self.session_class(serializer.loads(value))  # no max_age: the bug
        except BadSignature:
            return self.session_class()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = AgelessSessionInterface()
    return app
