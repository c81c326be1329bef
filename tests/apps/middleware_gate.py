"""An app behind a login gate the kit cannot see into: WSGI middleware that
redirects every request without a ``sso`` cookie to the login page, except
the login page and static files. No before_request answers, so the kit
cannot set the answer aside; it checks the hooks only and says in one line
what it needs, with exit status 4, serial or under ``-n 2`` alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from . import SECRET_KEY

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def require_sso(wsgi_app: WSGIApp) -> WSGIApp:
    def gated(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if "sso=" in environ.get("HTTP_COOKIE", "") or path == "/login":
            return wsgi_app(environ, start_response)
        start_response("302 Found", [("Location", "/login"), ("Content-Length", "0")])
        return [b""]

    return gated


def create_app() -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.get("/login")
    def login() -> str:
        return "Log in"

    app.wsgi_app = require_sso(app.wsgi_app)  # type: ignore[method-assign]
    return app
