"""An app whose before_request ends the program when a maintenance flag is
set, calling ``sys.exit()`` where it should answer 503. Flask does not turn
SystemExit into a 500, so it escapes every request: a broken app, which the
kit must report as failed behaviours naming the hook, not by crashing."""

from __future__ import annotations

import sys

from flask import Flask

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, MAINTENANCE=True)

    @app.before_request
    def maintenance() -> None:
        if app.config["MAINTENANCE"]:
            sys.exit("down for maintenance")

    return app
