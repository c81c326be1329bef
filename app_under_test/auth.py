"""Logging in and out."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.security import check_password_hash

from .db import get_db

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=("GET", "POST"))
def login() -> Any:
    if request.method == "POST":
        user = (
            get_db()
            .execute("SELECT * FROM user WHERE username = ?", (request.form.get("username", ""),))
            .fetchone()
        )
        if user is None or not check_password_hash(
            user["password"], request.form.get("password", "")
        ):
            flash("Incorrect username or password.")
            return render_template("login.html"), 401
        session.clear()
        session["user_id"] = user["id"]
        _new_session_id()  # after the write: regenerate() does nothing to an empty session
        return redirect(request.args.get("next") or url_for("dashboard.home", lang_code="en"))
    return render_template("login.html")


@bp.route("/logout", methods=("POST",))
def logout() -> Any:
    session.clear()
    return redirect(url_for("auth.login"))


def _new_session_id() -> None:
    """Give a server-side session a new id at login, so a planted id is worthless.

    Flask's signed-cookie sessions have no id to renew; clearing them is enough.
    Flask-Session's ``regenerate`` leaves an empty session alone, so it must
    run after the user is stored, not right after ``session.clear()``: there the
    session is empty and the id the browser brought (maybe planted) would stay.
    """
    regenerate = getattr(current_app.session_interface, "regenerate", None)
    if regenerate is not None:
        regenerate(session)
