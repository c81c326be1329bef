"""An app whose before_request raises on every request (a database that is not
there): every page is a 500. The kit must report it as a failed behaviour that
names the hook, ``before_request`` function ``load_user``, not as a crash of
the kit."""

from __future__ import annotations

from flask import Flask, g

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.before_request
    def load_user() -> None:
        g.user = _query_user()

    return app


def _query_user() -> None:
    raise ConnectionError("the user database is not reachable")
