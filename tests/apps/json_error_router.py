"""A JSON API whose extension routes errors, as Flask-RESTX's ``Api`` does.

``Api.init_app`` in Flask-RESTX (and Flask-RESTful, Flask-RESTPlus) replaces
``app.handle_exception`` and ``app.handle_user_exception`` with an
``error_router`` that answers the errors of its own resources in JSON and
passes every other error on to Flask's handler. Its frame then sits in the
traceback of every exception, the kit's own deliberate ones included (its
probe stores into the session of an app whose key it took away, SES-05). The
extension is written out here under the app's own module, as any extension
the kit has never heard of would be: the kit must tell a frame that passed an
error on from the app's function that raised it, whatever its module.

``create_app(broken=True)`` adds the defect the kit must still name: a
before_request of the app's that raises ``KeyError`` on every request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask, jsonify, request, session
from werkzeug.exceptions import HTTPException

from . import SECRET_KEY, USERS


class JsonApi:
    """Answers errors under ``prefix`` in JSON; passes the rest on to Flask."""

    def __init__(self, app: Flask, prefix: str = "/api/") -> None:
        self.prefix = prefix
        app.handle_exception = partial(self.error_router, app.handle_exception)  # type: ignore[method-assign]
        app.handle_user_exception = partial(  # type: ignore[method-assign]
            self.error_router, app.handle_user_exception
        )

    def error_router(self, original_handler: Callable[[Exception], Any], e: Exception) -> Any:
        if not request.path.startswith(self.prefix):
            return original_handler(e)
        code = e.code if isinstance(e, HTTPException) else 500
        return jsonify(message=str(e)), code or 500


def create_app(broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)
    JsonApi(app)

    @app.post("/api/auth/login")
    def login() -> Any:
        body = request.get_json(silent=True) or {}
        if USERS.get(body.get("username", "")) != body.get("password"):
            return jsonify(message="Incorrect username or password"), 401
        session.clear()
        session["user_id"] = body["username"]
        return jsonify(user=body["username"])

    if broken:

        @app.before_request
        def load_tenant() -> None:
            session["tenant"] = request.headers["X-Tenant"]

    return app
