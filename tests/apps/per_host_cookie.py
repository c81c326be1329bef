"""An app whose own session interface names the session cookie after the host
the request came to (``session-localhost``), as apps serving several sites
from one process do. Outside a request the name cannot be known: asking then
raises. The app's sessions work, so the kit must find the cookie from what
the app sent and check the app as usual, not refuse it."""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

from . import SECRET_KEY


class PerHostSessionInterface(SecureCookieSessionInterface):
    def get_cookie_name(self, app: Flask) -> str:
        return f"session-{request.host.split(':')[0]}"


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = PerHostSessionInterface()
    return app
