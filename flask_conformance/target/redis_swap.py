"""The Redis behind an app whose Flask-Session keeps sessions in Redis.

The kit never touches the app's own Redis. By default it swaps Flask-Session's
client (``app.session_interface.client``, which Flask-Session 0.8 builds from
``SESSION_REDIS`` once, in ``Session(app)``) for an in-process fakeredis, so no
server is needed and the store follows the kit's clock.

With ``--redis-url`` (or ``REDIS_URL`` for the bundled reference app) it uses
that real server instead, which may be a developer's own Redis, full of other
people's keys. So the kit writes there only under a key prefix of its own,
``flask-conformance:<run>:<worker>:``, one per run and per xdist worker (workers
then never see each other's sessions), touches nothing outside it, and deletes
it when the run ends. Its client gives up quickly: redis-py 8 retries a refused
connection ten times with backoff (3-4 s per command), which would turn "Redis
is not running" into minutes of waiting, and a server that hangs must not hang
the run.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import redis
from flask import Flask
from redis.backoff import NoBackoff
from redis.retry import Retry

from .backends import REDIS, session_backend

#: Seconds to wait for a real Redis to accept a connection.
CONNECT_TIMEOUT_SECONDS = 1.0
#: Seconds to wait for a real Redis to answer a command (a local one answers in well under a millisecond).
TIMEOUT_SECONDS = 1.0
#: Every key the kit writes in a real Redis starts with this.
KEY_NAMESPACE = "flask-conformance"
#: The worker name of a run without xdist, or of xdist's controller.
MAIN_WORKER = "main"


class RedisUnavailable(Exception):
    """The Redis named by ``--redis-url`` cannot be used; the message says why."""


def new_run_id() -> str:
    """A fresh id for one run's keys: unguessable, so two runs never share keys."""
    return secrets.token_hex(6)


def run_prefix(run_id: str) -> str:
    """The prefix of every key one run writes, in any of its workers."""
    return f"{KEY_NAMESPACE}:{run_id}:"


@dataclass
class KitRedis:
    """A real Redis server the kit was pointed at, and the only keys it may use there."""

    url: str
    #: Where the URL came from, as the user wrote it: ``--redis-url`` (pytest:
    #: ``--conformance-redis-url``) or ``REDIS_URL``.
    source: str
    run_id: str
    worker: str = MAIN_WORKER
    _client: redis.Redis | None = field(default=None, repr=False)
    #: Why the server stopped answering, once the kit noticed; None while it answers.
    stopped: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_url(self.url, self.source)

    @property
    def prefix(self) -> str:
        """This process's keys: ``flask-conformance:<run>:<worker>:``."""
        return f"{run_prefix(self.run_id)}{self.worker}:"

    @property
    def name(self) -> str:
        """The server in a message: ``Redis at redis://localhost:6379/0``."""
        return f"Redis at {self.url}"

    @property
    def connected(self) -> bool:
        return self._client is not None

    def client(self) -> redis.Redis:
        """The kit's client, connected and checked the first time it is asked for."""
        if self._client is None:
            client = redis.Redis.from_url(
                self.url,
                socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
                socket_timeout=TIMEOUT_SECONDS,
                retry=Retry(NoBackoff(), 0),
            )
            try:
                client.ping()
            except redis.RedisError as error:
                client.close()
                raise RedisUnavailable(
                    f"{self.name} cannot be reached ({first_line(error)}): start it, fix "
                    f"{self.source}, or leave {self.source} out to use the kit's in-memory "
                    "fakeredis."
                ) from None
            self._client = client
        return self._client

    def install(self, app: Flask) -> None:
        """Make ``app``'s Flask-Session keep its sessions under the kit's prefix."""
        # Flask-Session's RedisSessionInterface, which has no type hints.
        interface: Any = app.session_interface
        interface.client = self.client()
        interface.key_prefix = self.prefix

    def check_answers(self) -> str | None:
        """None while the server answers; otherwise why not (remembered in ``stopped``)."""
        if self.stopped is None and self._client is not None:
            try:
                self._client.ping()
            except redis.RedisError as error:
                self.stopped = first_line(error)
        return self.stopped

    def remove_keys(self, whole_run: bool = False) -> None:
        """Delete the keys this process wrote (``whole_run``: those of every worker).

        Best effort: a server that stopped answering keeps them, and the run's
        own result, not a cleanup error, is what the user sees.
        """
        if self._client is None or self.stopped is not None:
            return
        pattern = (run_prefix(self.run_id) if whole_run else self.prefix) + "*"
        try:
            keys = list(self._client.scan_iter(match=pattern, count=1000))
            for start in range(0, len(keys), 500):
                self._client.delete(*keys[start : start + 500])
        except redis.RedisError as error:
            self.stopped = first_line(error)


def check_url(url: str, source: str) -> None:
    """Refuse a URL that is not a Redis URL, before anything is built or connected."""
    try:
        redis.connection.parse_url(url)  # type: ignore[no-untyped-call]  # redis-py has no hints here
    except ValueError as error:
        raise RedisUnavailable(
            f"{source} {url!r} is not a Redis URL ({first_line(error)}): write it as "
            "redis://HOST:PORT/DB, for example redis://localhost:6379/0."
        ) from None


def use_kit_redis(app: Flask, kit_redis: KitRedis | None) -> None:
    """Point ``app``'s Flask-Session Redis store at fakeredis or at the kit's real Redis.

    Apps on any other session store are left alone.
    """
    if session_backend(app) != REDIS:
        return
    if kit_redis is None:
        import fakeredis

        interface: Any = app.session_interface  # Flask-Session's, which has no type hints
        interface.client = fakeredis.FakeRedis()
    else:
        kit_redis.install(app)


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
