"""A correct app-wide login gate, as Flask's docs teach: anonymous visitors are
redirected to the login page; the login page and static files are exempt. It
keeps every hook contract, but it also redirects the kit's own probe requests,
so the kit can only run its hook checks and must say what it needs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Flask

from flask_conformance.seed_apps import redirecting_gate_app


def create_app() -> Flask:
    return redirecting_gate_app(Path(tempfile.mkdtemp(prefix="login-gate-")) / "static")
