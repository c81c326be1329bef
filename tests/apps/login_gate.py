"""A correct app-wide login gate, as Flask's docs teach: anonymous visitors are
redirected to the login page; the login page and static files are exempt. It
keeps every hook contract. It also redirects the kit's own probe requests: the
kit sets that answer aside for its own paths only, so every spec runs, and the
hook checks still judge the gate on the app's own pages."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Flask

from flask_conformance.drive.article_apps import redirecting_gate_app

from .always_writes import AlwaysWritesSessionInterface


def create_app(broken: bool = False) -> Flask:
    """``broken=True``: the same gate in front of a session interface that writes
    the cookie on every response, a real defect the kit must still find."""
    app = redirecting_gate_app(Path(tempfile.mkdtemp(prefix="login-gate-")) / "static")
    app.config["SESSION_COOKIE_SECURE"] = True  # served over https only
    if broken:
        app.session_interface = AlwaysWritesSessionInterface()
    return app
