"""An app that decides its session cookie's SameSite in code, as a bank's app
may: its interface (Flask's signed cookie) answers ``Strict`` from its own
``get_cookie_samesite``, whatever ``SESSION_COOKIE_SAMESITE`` says, and
leaves every other attribute to the config.

The SameSite scenarios of the SESSION_COOKIE_* settings do not apply to it
(the app chose in code), and the others hold (CK-03). Its twin,
``create_app(broken=True)``, writes the cookie without any SameSite at all
although its getter says ``Strict``: the cookie does not carry what the
interface itself answers, which fails.
"""

from __future__ import annotations

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from . import SECRET_KEY


class StrictCookieInterface(SecureCookieSessionInterface):
    def get_cookie_samesite(self, app: Flask) -> str:
        return "Strict"


class DroppingStrictCookieInterface(StrictCookieInterface):
    def get_cookie_samesite(self, app: Flask) -> str:
        return "Strict"

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        super().save_session(app, session, response)
        headers = response.headers.getlist("Set-Cookie")
        response.headers.remove("Set-Cookie")
        for header in headers:  # the bug: the SameSite it asked for is stripped again
            response.headers.add("Set-Cookie", header.replace("; SameSite=Strict", ""))


def create_app(broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)
    app.session_interface = DroppingStrictCookieInterface() if broken else StrictCookieInterface()
    return app
