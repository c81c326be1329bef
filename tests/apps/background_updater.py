"""An app whose factory starts a background thread that refreshes a cache, and
forgets ``daemon=True``, as hand-rolled updaters and schedulers often do. The
thread never ends, so Python would wait for it forever after the run. With
``create_app(fail=True)`` the factory starts the thread and then fails."""

from __future__ import annotations

import threading

from flask import Flask

from . import SECRET_KEY


def create_app(fail: bool = False) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    stop = threading.Event()  # nothing ever sets it: the updater runs until the process ends

    def refresh_cache() -> None:
        while not stop.wait(60):
            app.extensions["cache"] = {}

    threading.Thread(target=refresh_cache, name="cache refresher").start()
    if fail:
        raise RuntimeError("the cache server is not configured")
    return app
