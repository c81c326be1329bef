"""An app that scopes its session cookie to the prefix its reverse proxy mounts it
under, as Calibre-Web does: a middleware reads ``X-Script-Name`` on every request,
and the app's session interface (Flask's signed cookie) answers the cookie's path
from its own ``get_cookie_path``, whatever ``APPLICATION_ROOT`` says. Served at the
root, the cookie carries ``Path=/``. Before any request has gone through the
middleware, the getter cannot answer (it raises).

The path scenarios of the SESSION_COOKIE_* settings do not apply to it (the app
chose in code), and the others hold. Its twin, ``create_app(broken=True)``, writes
the cookie without the path its own getter answers: that fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from . import SECRET_KEY


class MountPoint:
    """WSGI middleware that keeps the prefix the proxy said it mounted the app under."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.script_name = environ.get("HTTP_X_SCRIPT_NAME", "/")
        return self.app(environ, start_response)


class MountPointInterface(SecureCookieSessionInterface):
    def get_cookie_path(self, app: Flask) -> str:
        return app.wsgi_app.script_name.rstrip("/") or "/"  # type: ignore[attr-defined]


class PathDroppingInterface(MountPointInterface):
    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        super().save_session(app, session, response)
        headers = response.headers.getlist("Set-Cookie")
        response.headers.remove("Set-Cookie")
        for header in headers:  # the bug: the path it answered is stripped again
            response.headers.add("Set-Cookie", header.replace("; Path=/", ""))


def create_app(broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)
    app.session_interface = PathDroppingInterface() if broken else MountPointInterface()
    app.wsgi_app = MountPoint(app.wsgi_app)  # type: ignore[method-assign]
    return app
