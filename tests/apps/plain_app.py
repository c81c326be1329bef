"""An ordinary app with one page and nothing of its own on ``g``.

The kit's tests break Flask itself under it (``tests/plugins/broken_flask.py``)
where the reference app's own code would trip over the broken Flask first (its
teardown calls ``g.pop("db", None)``), so that the scenario stating the broken
behaviour is the one that fails."""

from __future__ import annotations

from flask import Flask

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.route("/")
    def home() -> str:
        return "home"

    return app
