"""Taking a server-side session store down, for the specs that say what
Flask-Session does then.

fakeredis can play a Redis server that stopped answering: every command of a
client of a ``FakeServer`` whose ``connected`` is false raises redis'
``ConnectionError``. A real Redis server cannot be stopped by the kit, so the
outage specs run on fakeredis only; a real one that stops answering by itself
says nothing about the app, and stops the run (:mod:`flask_conformance.target.real_redis`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

from ..compat.fakeredis import server_of

if TYPE_CHECKING:
    from fakeredis import FakeServer


def fake_server(app: Flask) -> FakeServer | None:
    """The FakeServer behind the app's Flask-Session Redis client, or None."""
    import fakeredis

    client = getattr(app.session_interface, "client", None)
    if not isinstance(client, fakeredis.FakeRedis):
        return None
    pool = client.connection_pool
    try:
        connection = pool.get_connection()
    except TypeError:  # redis-py before 5.1 wants a command name
        connection = pool.get_connection("PING")
    try:
        return server_of(connection)
    finally:
        pool.release(connection)


class Outage:
    """The store of one app, down until :meth:`end` (always called by the step's finaliser)."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.server.connected = False

    def end(self) -> None:
        self.server.connected = True
