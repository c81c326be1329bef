"""An app on Flask-Session's Memcached store, written as Flask-Session's docs
show it, against the team's Memcached server::

    SESSION_TYPE = "memcached"
    SESSION_MEMCACHED = pymemcache.Client("memcache.internal:11211")

That server holds the sessions of the app's real visitors and is not the
kit's to write into, nor to contact: the kit must refuse in one line before
any request. ``pymemcache`` connects on its first command, so a kit that
refuses in time has contacted nothing. (``SESSION_MEMCACHED_SERVER`` in the
environment names the server here.)
"""

from __future__ import annotations

import os

from flask import Flask
from flask_session import Session
from pymemcache.client.base import Client

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=SECRET_KEY,
        SESSION_TYPE="memcached",
        SESSION_MEMCACHED=Client(
            os.environ.get("SESSION_MEMCACHED_SERVER", "memcache.internal:11211"),
            connect_timeout=1,
            timeout=1,
        ),
    )
    Session(app)
    return app
