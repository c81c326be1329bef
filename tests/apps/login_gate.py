"""A correct app-wide login gate, as Flask's docs teach: anonymous visitors are
redirected to the login page; the login page and static files are exempt. It
keeps every hook contract. It also redirects the kit's own probe requests: the
kit sets that answer aside for its own paths only, so every spec runs, and the
hook checks still judge the gate on the app's own pages."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Flask

from flask_conformance.seed_apps import redirecting_gate_app


def create_app() -> Flask:
    app = redirecting_gate_app(Path(tempfile.mkdtemp(prefix="login-gate-")) / "static")
    app.config["SESSION_COOKIE_SECURE"] = True  # served over https only
    return app
