"""An app on Flask-Session's Redis store that hides store outages: when Redis
does not answer, it opens a new empty session and skips the save instead of
failing the request. A visitor then looks logged out rather than getting an
error, which breaks the documented outage behaviour (the request fails)."""

from __future__ import annotations

from typing import Any

import fakeredis
import redis
from flask import Flask
from flask_session.redis import RedisSessionInterface


class ForgivingInterface(RedisSessionInterface):
    def open_session(self, app: Flask, request: Any) -> Any:
        try:
            return super().open_session(app, request)
        except redis.ConnectionError:
            return self.session_class(sid=self._generate_sid(self.sid_length), permanent=False)

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        try:
            super().save_session(app, session, response)
        except redis.ConnectionError:
            pass


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="forgiving-store-app-secret-long-enough",
        SESSION_PERMANENT=False,
    )
    app.session_interface = ForgivingInterface(app, client=fakeredis.FakeRedis(), permanent=False)
    return app
