"""A login by HTTP Basic auth, as Flask-HTTPAuth's ``@auth.login_required`` writes it.

``GET /login`` is guarded by the decorator itself: without credentials it
answers 401 with ``WWW-Authenticate: Basic``, the challenge at which the
browser asks for the password; with them it stores the user in the session and
sends the visitor on. No before_request is involved, so nothing keeps the
login page from its view: the 401 *is* the login page of HTTP authentication.
The decorator is written out here (as Flask's own snippet on HTTP Basic auth
does) so the kit's tests need no extra package; it answers as
Flask-HTTPAuth's ``HTTPBasicAuth`` does.

``create_app(gate=True)`` is the defect the hygiene check is about: an
app-wide before_request that sends every anonymous visitor to the login page,
the login page included, so nobody ever reaches it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, redirect, request, session

from . import SECRET_KEY, USERS, add_dashboard, add_logout


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Flask-HTTPAuth's ``HTTPBasicAuth.login_required``: check the credentials or challenge."""

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        auth = request.authorization
        if auth is None or USERS.get(auth.username or "") != auth.password:
            return Response(
                "Unauthorized Access",
                401,
                {"WWW-Authenticate": 'Basic realm="Authentication Required"'},
            )
        return view(*args, **kwargs)

    return checked


def create_app(gate: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)

    @app.get("/login")
    @login_required
    def login() -> Any:
        auth = request.authorization
        session.clear()
        session["user_id"] = auth.username if auth is not None else None
        return redirect("/dashboard")

    if gate:

        @app.before_request
        def require_login() -> Any:
            if "user_id" in session:
                return None
            return redirect("/login")

    add_dashboard(app)
    add_logout(app)
    return app
