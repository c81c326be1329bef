"""An app that waits for its database server while it is loaded, as apps that
open a connection at import or in the factory do. The "server" is a socket the
test listens on and never answers (``WAITS_FOR_DATABASE_PORT`` on 127.0.0.1),
so the handshake waits forever. With ``WAITS_FOR_DATABASE_AT_IMPORT=1`` the
module connects as soon as it is imported; otherwise the factory does. The kit
must give up after its load time limit and say what it was waiting for."""

from __future__ import annotations

import os
import socket

from flask import Flask

from . import SECRET_KEY


def _connect() -> socket.socket:
    port = int(os.environ["WAITS_FOR_DATABASE_PORT"])
    connection = socket.create_connection(("127.0.0.1", port))
    connection.recv(1)  # the server's greeting, which never comes
    return connection


if os.environ.get("WAITS_FOR_DATABASE_AT_IMPORT") == "1":
    DATABASE = _connect()


def create_app(test_config: dict[str, object] | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.config.update(test_config or {})
    app.extensions["database"] = _connect()
    return app
