"""A teardown that assumes every request opened the database: on a request
that stored nothing on ``g`` it raises AttributeError (breaks E-07's advice:
a teardown runs for every request, so it must cope with an empty ``g``)."""

from __future__ import annotations

from flask import Flask, g

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.route("/")
    def index() -> str:
        return "This page never opens the database"

    @app.teardown_appcontext
    def close_db(exc: BaseException | None) -> None:
        g.db.close()  # the bug: g.db is there only if the request opened it

    return app
