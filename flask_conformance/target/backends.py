"""Which session backend an app uses, and the kit's view of a server-side store.

Specs that differ by backend name the backend by kind: ``cookie`` for Flask's
signed-cookie sessions, ``redis`` for Flask-Session's Redis store and
``custom`` for any other session interface.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

COOKIE = "cookie"
REDIS = "redis"
CUSTOM = "custom"


def session_backend(app: Flask) -> str:
    """The kind of session store ``app`` uses."""
    interface = app.session_interface
    if isinstance(interface, SecureCookieSessionInterface):
        return COOKIE
    try:
        from flask_session.redis import RedisSessionInterface
    except ImportError:  # pragma: no cover - flask-session is a dependency
        return CUSTOM
    if isinstance(interface, RedisSessionInterface):
        return REDIS
    return CUSTOM


class RedisStore:
    """The Redis keyspace behind Flask-Session, for specs that look at the store."""

    def __init__(self, app: Flask) -> None:
        # Flask-Session's RedisSessionInterface, which has no type hints.
        interface: Any = app.session_interface
        self.client = interface.client
        self.prefix: str = interface.key_prefix

    @property
    def is_fake(self) -> bool:
        import fakeredis

        return isinstance(self.client, fakeredis.FakeRedis)

    def session_keys(self) -> list[str]:
        return sorted(
            key.decode() if isinstance(key, bytes) else key
            for key in self.client.scan_iter(f"{self.prefix}*")
        )

    def has_session(self, sid: str) -> bool:
        return bool(self.client.exists(self.prefix + sid))

    def ttl(self, sid: str) -> int:
        """Seconds the store keeps ``sid`` (-2: no such key)."""
        return int(self.client.ttl(self.prefix + sid))

    def reset(self) -> None:
        """Forget every session, so no scenario sees another's."""
        keys = list(self.client.scan_iter(f"{self.prefix}*"))
        if keys:
            self.client.delete(*keys)

    def follow_clock(self, delta: _dt.timedelta) -> None:
        """Age every session key by ``delta``, for a real Redis server.

        freezegun moves time inside this process only; a real Redis server
        counts TTLs on its own clock. Shortening (or, for a backward move,
        lengthening) each key's TTL by the same amount keeps the store in step
        with the kit's clock. fakeredis reads the patched clock and needs none
        of this.
        """
        shift_ms = int(delta.total_seconds() * 1000)
        for key in self.client.scan_iter(f"{self.prefix}*"):
            remaining = self.client.pttl(key)
            if remaining < 0:
                continue
            if remaining - shift_ms <= 0:
                self.client.delete(key)
            else:
                self.client.pexpire(key, remaining - shift_ms)
