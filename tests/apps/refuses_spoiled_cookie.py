"""Signed-cookie sessions whose interface answers a cookie it cannot trust
(a bad signature, an expired one, an empty value) with ``None``, as a
hand-written ``open_session`` that "gives up" does.

Flask then opens a NullSession: the visitor reads an empty session, but
every write raises "The session is unavailable because no secret key was
set", so a visitor whose cookie was spoiled or expired can never log in
again (breaks K-08). Flask's own interface returns a new, empty session.
It logs users in and out as the other login apps do (profile: ``login_app.toml``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, redirect, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

from . import SECRET_KEY, USERS, add_dashboard, add_logout


class RefusingSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        name = self.get_cookie_name(app)
        if name not in request.cookies:
            return self.session_class()
        lifetime = int(app.permanent_session_lifetime.total_seconds())
        try:
            return self.session_class(serializer.loads(request.cookies[name], max_age=lifetime))
        except BadSignature:
            return None  # the bug: Flask falls back to a NullSession that refuses writes


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = RefusingSessionInterface()

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session["user_id"] = username
        return redirect("/dashboard")

    add_dashboard(app)
    add_logout(app)
    return app
