"""A correct password gate written like sqlite-web's: an anonymous visitor is
told to log in with a flash message, the page they wanted is kept in the
session for after the login, and they are redirected.

Those two writes happen only while the gate turns a visitor away; a visitor
who reaches a page never gets them. The kit sets the gate's answer aside for
its own requests and undoes what the gate wrote while answering, so the
session specs see the sessions of visitors who get through, not a session
that fills with "please log in" flashes on every request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, redirect, request, session, url_for

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["PASSWORD"] = "wonderland"

    @app.before_request
    def check_password() -> Any:
        if not session.get("authorized") and request.path != "/login/":
            flash("You must log-in to view the database browser.", "danger")
            session["next_url"] = request.base_url
            return redirect(url_for("login"))
        return None

    @app.route("/login/", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "POST" and request.form.get("password") == app.config["PASSWORD"]:
            session["authorized"] = True
            return redirect(session.get("next_url") or url_for("index"))
        return "Password, please"

    @app.get("/")
    def index() -> str:
        return "The database browser"

    return app
