"""A well-behaved app with a session interface of its own: the whole session
in a cookie named ``sid``, as JSON signed with HMAC-SHA256 under the app's
secret key, and checked for age on every request.

It is what a careful team writes when it wants another cookie format. It breaks
nothing, so every store-agnostic scenario (persistence, isolation, expiry,
tampering, ``g``, hooks) must pass on it, though it is neither Flask's cookie
nor Flask-Session, and its cookie is not called ``session``.
"""

from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer

from . import SECRET_KEY


class OwnSignedSessionInterface(SessionInterface):
    """Signed JSON in a cookie called ``sid``; a bad or old signature gives an empty session."""

    def _serializer(self, app: Flask) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(
            app.secret_key, salt="own-signed-session", signer_kwargs={"digest_method": _sha256}
        )

    def get_cookie_name(self, app: Flask) -> str:
        return "sid"

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession:
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return SecureCookieSession()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data = self._serializer(app).loads(value, max_age=max_age)
        except BadSignature:
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
                response.vary.add("Cookie")
            return
        if not self.should_set_cookie(app, session):
            return
        response.set_cookie(
            name,
            self._serializer(app).dumps(dict(session)),
            expires=self.get_expiration_time(app, session),
            httponly=True,
            secure=True,
            samesite="Lax",
            path=path,
        )
        response.vary.add("Cookie")


def _sha256(data: bytes = b"") -> object:
    import hashlib

    return hashlib.sha256(data)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = OwnSignedSessionInterface()
    return app
