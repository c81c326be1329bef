"""A correct app whose CSRF token lives in the session and in a cookie, as
Flask-SeaSurf keeps it.

The extension below is Flask-SeaSurf's mechanism written out (so the kit's
tests need no extra package): a before_request refuses a POST whose
``_csrf_token`` (form field or ``X-CSRFToken`` header) is not the session's,
and an after_request stores a token into any session that lacks one and sends
it in a ``_csrf_token`` cookie, unless the browser already holds that cookie.
So a visitor's first page, which never touches the session, gets a session
cookie holding the token, and so does the first page after a refused or
expired cookie: the app never leaves a new session alone. That is correct.

- ``create_app()``: the hand-written extension;
- ``create_app(seasurf=True)``: the real Flask-SeaSurf (``pip install
  flask-seasurf``), configured as its documentation does;
- ``create_app(store="redis")``: sessions in Flask-Session's Redis store
  (``SESSION_PERMANENT = False``), which stores ``_permanent`` beside the token;
- ``create_app(broken=True)``: the same app on a session interface that
  writes the cookie on every response, the real defect (W-02, W-05) the kit
  must still find.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, abort, g, request, session
from flask.wrappers import Response

from . import SECRET_KEY, add_dashboard, add_logout
from .always_writes import AlwaysWritesSessionInterface

TOKEN = "_csrf_token"


def protect(app: Flask) -> None:
    """Flask-SeaSurf's before_request and after_request, in their essentials."""

    @app.before_request
    def check_token() -> None:
        g.csrf_token = session.get(TOKEN) or secrets.token_hex()
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        sent = request.form.get(TOKEN) or request.headers.get("X-CSRFToken", "")
        if not secrets.compare_digest(sent, session.get(TOKEN, "")):
            abort(403)

    @app.after_request
    def send_token(response: Response) -> Response:
        if request.cookies.get(TOKEN) == g.csrf_token:
            return response
        if session.get(TOKEN) != g.csrf_token:
            session[TOKEN] = g.csrf_token
        response.set_cookie(TOKEN, g.csrf_token, secure=True, samesite="Lax")
        return response


def create_app(seasurf: bool = False, broken: bool = False, store: str = "cookie") -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)
    if store == "redis":
        import fakeredis
        from flask_session import Session

        app.config.update(
            SESSION_TYPE="redis", SESSION_REDIS=fakeredis.FakeRedis(), SESSION_PERMANENT=False
        )
        Session(app)
    if seasurf:
        from flask_seasurf import SeaSurf

        app.config.update(CSRF_COOKIE_SECURE=True, CSRF_COOKIE_SAMESITE="Lax")
        SeaSurf(app)
    else:
        protect(app)
    if broken:
        app.session_interface = AlwaysWritesSessionInterface()

    @app.get("/")
    def index() -> Any:
        return "Hello"

    add_dashboard(app)
    add_logout(app)
    return app
