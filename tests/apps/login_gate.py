"""A correct app-wide login gate, as Flask's docs teach: anonymous visitors are
redirected to the login page; the login page and static files are exempt. It
keeps every hook contract. It also redirects the kit's own probe requests: the
kit sets that answer aside for its own paths only, so every spec runs, and the
hook checks still judge the gate on the app's own pages."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, redirect, request, session, url_for

from flask_conformance.seed_apps import redirecting_gate_app


def create_app() -> Flask:
    app = redirecting_gate_app(Path(tempfile.mkdtemp(prefix="login-gate-")) / "static")
    app.config["SESSION_COOKIE_SECURE"] = True  # served over https only
    return app


def create_wiping_app() -> Flask:
    """The same gate, broken: it wipes an anonymous visitor's session before
    redirecting, so nothing a visitor keeps before logging in (a basket, a
    language) survives their next request. The kit sets the gate's answer
    aside for its own requests, but the gate still runs, so the kit must
    still see the wipe."""
    app = create_app()
    app.before_request_funcs[None] = []

    @app.before_request
    def require_login() -> Any:
        if "username" in session or request.endpoint in ("login", "static"):
            return None
        session.clear()  # the bug
        return redirect(url_for("login", next=request.path))

    return app
