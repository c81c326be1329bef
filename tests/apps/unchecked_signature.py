"""Signed-cookie sessions that never check the signature: open_session reads
the payload with ``loads_unsafe`` and ignores whether it was valid, so a
rewritten or re-signed cookie loads (breaks K-01)."""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from . import SECRET_KEY


class UncheckedSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        _valid, data = serializer.loads_unsafe(value)  # the bug: _valid is ignored
        return self.session_class(data if isinstance(data, dict) else {})


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = UncheckedSessionInterface()
    return app
