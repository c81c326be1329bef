"""A well-behaved app on Flask-Session's Redis store, configured as many real
apps are: ``SESSION_TYPE = "redis"`` and no ``SESSION_REDIS``, so Flask-Session
would talk to localhost:6379. The kit must swap in fakeredis (no server
needed), or a real Redis given with ``--redis-url``, and the redis-only
scenarios must pass on it."""

from __future__ import annotations

from flask import Flask
from flask_session import Session

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=SECRET_KEY,
        SESSION_TYPE="redis",
        # Flask-Session makes sessions permanent by default, Flask does not.
        SESSION_PERMANENT=False,
    )
    Session(app)
    return app
