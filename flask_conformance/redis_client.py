"""The Redis behind an app whose Flask-Session keeps sessions in Redis.

The kit never touches the app's own Redis. By default it swaps Flask-Session's
client (``app.session_interface.client``, which Flask-Session 0.8 builds from
``SESSION_REDIS`` once, in ``Session(app)``) for an in-process fakeredis, so no
server is needed and the store follows the kit's clock. With ``--redis-url`` it
uses that real server instead, through a client that gives up at once: redis-py
8 retries a refused connection ten times with backoff (3-4 s per command), which
would turn "Redis is not running" into minutes of waiting.
"""

from __future__ import annotations

import redis
from flask import Flask
from redis.backoff import NoBackoff
from redis.retry import Retry

from .backends import REDIS, session_backend

#: Seconds to wait for a real Redis to connect or answer.
TIMEOUT_SECONDS = 1.0


class RedisUnavailable(Exception):
    """The Redis named by ``--redis-url`` cannot be used; the message says why."""


def use_kit_redis(app: Flask, redis_url: str | None) -> None:
    """Point ``app``'s Flask-Session Redis store at fakeredis or at ``redis_url``.

    Apps on any other session store are left alone.
    """
    if session_backend(app) != REDIS:
        return
    app.session_interface.client = connect(redis_url)  # type: ignore[attr-defined]


def connect(redis_url: str | None) -> redis.Redis:
    """A fakeredis client (no URL) or a checked client for a real server."""
    if redis_url is None:
        import fakeredis

        return fakeredis.FakeRedis()
    try:
        client = redis.Redis.from_url(
            redis_url,
            socket_connect_timeout=TIMEOUT_SECONDS,
            socket_timeout=TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 0),
        )
    except ValueError as error:
        raise RedisUnavailable(
            f"--redis-url {redis_url!r} is not a Redis URL ({error}): "
            "write it as redis://HOST:PORT/DB, for example redis://localhost:6379/0."
        ) from None
    try:
        client.ping()
    except redis.RedisError as error:
        raise RedisUnavailable(
            f"Redis at {redis_url} cannot be reached ({_first_line(error)}): start it, fix "
            "--redis-url, or leave --redis-url out to use the kit's in-memory fakeredis."
        ) from None
    return client


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
