"""An app whose session interface signs Flask's cookie with a key of its own
(kept apart from SECRET_KEY, which the app leaves unset), as some apps do to
rotate the session key on its own schedule. Sessions work: the kit must
decide that from a real signed cookie, not from ``app.secret_key``."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

SESSION_KEY = "b7e1c0d4f2a9e8c3d5b6a7f0e1d2c3b4a5f6e7d8c9b0a1f2"


class OwnKeySessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, signed with SESSION_SIGNING_KEY instead of SECRET_KEY."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = app.config.get("SESSION_SIGNING_KEY")
        if not key:
            return None
        return URLSafeTimedSerializer(
            key,
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SESSION_SIGNING_KEY=SESSION_KEY, SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax"
    )
    app.session_interface = OwnKeySessionInterface()
    return app
