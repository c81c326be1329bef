"""A correct app protected by Flask-WTF's CSRFProtect, as its docs teach.

Every POST without a token is answered 400, so the kit's probe would be too;
the kit exempts its own blueprint through ``csrf.exempt`` and says so.

- ``create_app()``: the default, CSRF checked on POST, PUT, PATCH, DELETE;
- ``create_app(every_method=True)``: ``WTF_CSRF_METHODS`` includes GET, so
  even reading a page needs a token;
- ``create_app(own_hook=True)``: the app calls ``csrf.protect()`` itself in
  its own before_request, on every method, which ``exempt`` cannot reach;
- ``create_app(broken=True)``: the same app with a session interface that
  writes the cookie on every response, a real defect the kit must still find.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, session
from flask_wtf.csrf import CSRFProtect

from . import SECRET_KEY
from .always_writes import AlwaysWritesSessionInterface


def create_app(every_method: bool = False, own_hook: bool = False, broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.config["SESSION_COOKIE_SECURE"] = True
    if every_method:
        app.config["WTF_CSRF_METHODS"] = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    if own_hook:
        app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf = CSRFProtect(app)
    if broken:
        app.session_interface = AlwaysWritesSessionInterface()

    if own_hook:

        @app.before_request
        def check_csrf() -> None:
            csrf.protect()

    @app.route("/", methods=["GET", "POST"])
    def index() -> Any:
        return f"Hello, {session.get('name', 'stranger')}"

    return app
