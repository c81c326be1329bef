"""A session interface that stores the session as plain base64 JSON with no
signature, so a visitor can rewrite their own session (breaks K-01)."""

from __future__ import annotations

import base64
import binascii

from flask import Flask, Request, Response
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin

from . import SECRET_KEY

_serializer = TaggedJSONSerializer()


class UnsignedSessionInterface(SessionInterface):
    """Trusts whatever the cookie says: the bug."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession:
        value = request.cookies.get(self.get_cookie_name(app), "")
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            data = _serializer.loads(raw.decode("utf-8"))
        except (binascii.Error, ValueError):
            return SecureCookieSession()
        return SecureCookieSession(data if isinstance(data, dict) else {})

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        name = self.get_cookie_name(app)
        path = self.get_cookie_path(app)
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:
                response.delete_cookie(name, path=path)
            return
        if not self.should_set_cookie(app, session):
            return
        value = base64.urlsafe_b64encode(_serializer.dumps(dict(session)).encode("utf-8"))
        response.set_cookie(name, value.decode("ascii").rstrip("="), httponly=True, path=path)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = UnsignedSessionInterface()
    return app
