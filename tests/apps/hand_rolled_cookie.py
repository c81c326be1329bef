"""Signed-cookie sessions saved by a ``save_session`` written by hand after an
old Flask's, as apps that wrap or log their session saving still carry.

It writes the cookie with the attributes Flask 0.12 knew: no SameSite, no
Partitioned, and no ``Vary: Cookie`` of its own (breaks CK-03's SameSite rows,
CK-06 and W-08); it deletes an emptied session with ``delete_cookie(name)``,
forgetting the Domain and Path the cookie was set for, so a browser keeps the
old cookie (breaks CK-09). Opening the session is Flask's own.
"""

from __future__ import annotations

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from . import SECRET_KEY


class HandRolledCookieInterface(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        name = self.get_cookie_name(app)
        if not session:
            if session.modified:
                response.delete_cookie(name)  # the bug: no domain=, no path=
            return
        if not self.should_set_cookie(app, session):
            return
        value = self.get_signing_serializer(app).dumps(dict(session))  # type: ignore[union-attr]
        response.set_cookie(  # the bug: no samesite=, no partitioned=, no Vary
            name,
            value,
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
        )


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = HandRolledCookieInterface()
    return app
