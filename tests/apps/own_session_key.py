"""A correct app whose before_request keeps its own key in every session:
which of its databases the visitor works in, chosen once per visitor.

The key is in every session, even one nobody stored anything in, so "the
session is empty" and "the session holds what was stored or nothing" must be
judged against what this app keeps in a fresh session (the baseline the kit
learns over HTTP), not against ``{}``.

``create_app(broken=True)`` is the same app with a session interface that
does not check the cookie's signature's age or content (a tampered or expired
cookie is read as it is): the tampering and expiry scenarios must still fail.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, session

from . import SECRET_KEY
from .no_max_age import AgelessSessionInterface
from .unsigned_session import UnsignedSessionInterface


def create_app(broken: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.config["SESSION_COOKIE_SECURE"] = True
    if broken == "unsigned":
        app.session_interface = UnsignedSessionInterface()
    elif broken == "ageless":
        app.session_interface = AgelessSessionInterface()

    @app.before_request
    def open_database() -> None:
        g.database = session.setdefault("database", "main")

    @app.get("/")
    def index() -> Any:
        return f"Working in {g.database}"

    return app
