"""The seed article's ``teardown_appcontext`` with no parameter: Flask calls it
with the exception argument, so every request raises TypeError (breaks E-08)."""

from __future__ import annotations

from flask import Flask, g

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.teardown_appcontext
    def teardown_db():  # type: ignore[no-untyped-def] # the bug: no exc parameter
        db = g.pop("db", None)
        if db is not None:
            db.close()

    return app
