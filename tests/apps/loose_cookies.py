"""An app whose session cookie has every attribute problem the cookie checks
know: no Secure, no HttpOnly, SameSite=None (which browsers reject without
Secure), a Domain, no __Host- prefix, and a session too large for browsers
to keep. Each cookie-attribute scenario must fail, or warn, on it."""

from __future__ import annotations

import hashlib

from flask import Flask, session

#: 9000 characters that do not compress away (a cookie's payload is zlib-compressed).
BULK = "".join(hashlib.sha256(str(n).encode()).hexdigest() for n in range(140))


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="loose-cookies-app-secret-long-enough-to-pass",
        SESSION_COOKIE_HTTPONLY=False,
        SESSION_COOKIE_SAMESITE="None",
        SESSION_COOKIE_DOMAIN="example.test",
    )

    @app.before_request
    def remember_everything() -> None:
        session.setdefault("history", BULK)

    return app
