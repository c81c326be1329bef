"""Flask's signed cookie that leaves part of the session on the server.

A subclass of Flask's interface, as apps write one to keep a cookie small:
the cookie carries the keys the app names (here ``user``), and everything
else a visitor stores is kept in a dict in the server's memory, found again
by the signed cookie's ``user``. So the cookie alone no longer carries the
whole session (breaks SES-01/SES-02 as the seed article's myth scenario
pins them), though every visitor still finds what they stored.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin

from . import SECRET_KEY

#: What is kept out of the cookie, by the cookie's ``user``.
_SERVER_SIDE: dict[Any, dict[str, Any]] = {}
_IN_COOKIE = ("user",)


class SplitSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        session = super().open_session(app, request)
        if session is not None and "user" in session:
            session.update(_SERVER_SIDE.get(session["user"], {}))
            session.modified = False
        return session

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if "user" in session:
            rest = {key: value for key, value in session.items() if key not in _IN_COOKIE}
            _SERVER_SIDE[session["user"]] = rest
            for key in rest:
                dict.__delitem__(session, key)
        super().save_session(app, session, response)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)
    app.session_interface = SplitSessionInterface()
    return app
