"""The seed article's login gate: a ``before_request`` that *renders* the
login page for anonymous visitors, so it answers every request itself: unknown
URLs get 200, the stylesheet is login markup and the login form never reaches
its view (breaks H-06 and H-08)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Flask

from flask_conformance.drive.article_apps import article_gate_app


def create_app() -> Flask:
    return article_gate_app(Path(tempfile.mkdtemp(prefix="article-gate-")) / "static")
