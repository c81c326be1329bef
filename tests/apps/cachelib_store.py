"""A well-behaved app on a server-side store that is neither Flask's cookie nor
Redis: Flask-Session's cachelib store over an in-memory ``SimpleCache``.

It breaks nothing. The store-agnostic scenarios (persistence, isolation,
expiry, tampering, ``g``, hooks) must pass on it, and the cookie-only and
redis-only ones must say they do not apply.
"""

from __future__ import annotations

from cachelib import SimpleCache
from flask import Flask
from flask_session import Session

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=SECRET_KEY,
        SESSION_TYPE="cachelib",
        SESSION_CACHELIB=SimpleCache(),
        # Flask's default, so that the specs compare like with like.
        SESSION_PERMANENT=False,
        # And the cookie attributes the security checks ask for.
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    Session(app)
    return app
