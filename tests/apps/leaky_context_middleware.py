"""WSGI middleware that pushes an app context for its own logging and never
pops it. Every request then leaves an app context behind (breaks CX-01), and
the next request reuses it, with its g (G-06)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app

from . import SECRET_KEY


class RequestLogger:
    """Logs every request through the app's logger, which needs an app context."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wsgi_app = app.wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.app.app_context().push()  # the bug: never popped
        current_app.logger.debug("request for %s", environ.get("PATH_INFO"))
        return self.wsgi_app(environ, start_response)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.wsgi_app = RequestLogger(app)  # type: ignore[method-assign]
    return app
