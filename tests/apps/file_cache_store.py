"""A well-behaved app on Flask-Session's cachelib store over a
``FileSystemCache`` in a real folder, as Flask-Session's docs recommend in
place of the deprecated filesystem store::

    SESSION_TYPE = "cachelib"
    SESSION_CACHELIB = FileSystemCache(cache_dir="flask_session", threshold=500)

The folder (``SESSION_CACHE_DIR`` in the environment here) holds the real
sessions of the app's real visitors: the kit must leave it byte for byte as it
was, and no behaviour fails. Profile: ``login_app.toml``.
"""

from __future__ import annotations

import os

from cachelib.file import FileSystemCache
from flask import Flask
from flask_session import Session

from . import SECRET_KEY
from .filesystem_store import add_login


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=SECRET_KEY,
        SESSION_TYPE="cachelib",
        SESSION_CACHELIB=FileSystemCache(
            cache_dir=os.environ.get("SESSION_CACHE_DIR", "flask_session"), threshold=500
        ),
        SESSION_PERMANENT=False,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    Session(app)
    add_login(app)
    return app
