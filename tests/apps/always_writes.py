"""Signed-cookie sessions that send the cookie on every response, even when
the session was only read, never touched or is empty (breaks W-02, W-05, W-09)."""

from __future__ import annotations

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from . import SECRET_KEY


class AlwaysWritesSessionInterface(SecureCookieSessionInterface):
    """Writes the session back whether or not anything changed."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        serializer = self.get_signing_serializer(app)
        assert serializer is not None
        response.set_cookie(
            self.get_cookie_name(app),
            serializer.dumps(dict(session)),
            httponly=True,
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = AlwaysWritesSessionInterface()
    return app
