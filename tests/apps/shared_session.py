"""A session interface that keeps every visitor's session in one global dict,
so Bob's writes show up in Alice's session (breaks "two visitors' sessions
never mix", SES-01). Apart from that it writes, deletes and varies the cookie
as Flask does, so that only the mixing shows."""

from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin

from . import SECRET_KEY

#: Everybody's session, all in one place: the bug.
_EVERYONE: dict[str, object] = {}


class SharedSessionInterface(SessionInterface):
    """Loads the one shared dict for everybody; writes it back when changed."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession:
        return SecureCookieSession(_EVERYONE)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        name, path = self.get_cookie_name(app), self.get_cookie_path(app)
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:
                _EVERYONE.clear()
                response.delete_cookie(name, path=path)
                response.vary.add("Cookie")
            return
        if not self.should_set_cookie(app, session):
            return
        _EVERYONE.clear()
        _EVERYONE.update(session)
        # A cookie, so that the app looks like it keeps a session per visitor.
        response.set_cookie(name, "shared", httponly=True, path=path)
        response.vary.add("Cookie")


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = SharedSessionInterface()
    return app
