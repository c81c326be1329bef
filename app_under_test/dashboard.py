"""The logged-in part of the app, with hooks of its own.

Its URLs carry a language code (``/en/dashboard/``). The blueprint's
``url_value_preprocessor`` takes it out of the view arguments and puts it on
``g``, and its ``url_defaults`` puts it back into every URL built for the
blueprint: the pattern from Flask's "URL Processors" docs.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, request, session, url_for

from .db import get_db

bp = Blueprint("dashboard", __name__, url_prefix="/<lang_code>/dashboard")

GREETINGS = {"en": "Welcome", "de": "Willkommen", "fr": "Bienvenue"}


@bp.url_value_preprocessor
def pull_lang_code(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.lang_code = values.pop("lang_code") if values else "en"


@bp.url_defaults
def add_lang_code(endpoint: str, values: dict[str, Any]) -> None:
    values.setdefault("lang_code", g.get("lang_code", "en"))


@bp.before_request
def load_logged_in_user() -> Any:
    """Put the logged-in user on ``g``; send anyone else to the login page."""
    user_id = session.get("user_id")
    g.user = None
    if user_id is not None:
        g.user = get_db().execute("SELECT * FROM user WHERE id = ?", (user_id,)).fetchone()
    if g.user is None:
        return redirect(url_for("auth.login", next=request.path))
    return None


@bp.after_request
def keep_private_pages_out_of_caches(response: Any) -> Any:
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/")
def home() -> Any:
    greeting = GREETINGS.get(g.lang_code, GREETINGS["en"])
    return render_template("dashboard.html", greeting=greeting)
