"""An app whose own session interface builds the cookie's name from a config
key the app forgot to set: every call to ``get_cookie_name`` raises KeyError,
in requests and whenever the kit asks for the name. Sessions are broken; the
kit must say so in plain words, naming the function, never as a traceback."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from . import SECRET_KEY


class PrefixedSessionInterface(SecureCookieSessionInterface):
    def get_cookie_name(self, app: Flask) -> str:
        return app.config["SESSION_COOKIE_PREFIX"] + "session"


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = PrefixedSessionInterface()
    return app
