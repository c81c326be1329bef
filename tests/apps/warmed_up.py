"""An app whose factory warms its page cache by requesting its own home page.

That request counts as the app's first: Flask then refuses new blueprints, so
the kit cannot add its probe. It must say so in one line, not crash."""

from __future__ import annotations

from flask import Flask

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.get("/")
    def home() -> str:
        return "Welcome"

    app.test_client().get("/")  # prime the cache
    return app
