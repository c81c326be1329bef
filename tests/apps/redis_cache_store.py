"""An app on Flask-Session's cachelib store over cachelib's ``RedisCache``, a
shared cache server the team's apps keep their sessions in::

    SESSION_TYPE = "cachelib"
    SESSION_CACHELIB = RedisCache(host="cache.internal", key_prefix="shop:")

This is not Flask-Session's Redis store, so the kit's fakeredis swap does not
reach it: the kit must refuse in one line before any request, and contact
nothing (redis-py connects on its first command). ``SESSION_CACHE_HOST`` in
the environment names the server here.
"""

from __future__ import annotations

import os

from cachelib.redis import RedisCache
from flask import Flask
from flask_session import Session

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=SECRET_KEY,
        SESSION_TYPE="cachelib",
        SESSION_CACHELIB=RedisCache(
            host=os.environ.get("SESSION_CACHE_HOST", "cache.internal"),
            port=int(os.environ.get("SESSION_CACHE_PORT", "6379")),
            key_prefix="shop:",
        ),
    )
    Session(app)
    return app
