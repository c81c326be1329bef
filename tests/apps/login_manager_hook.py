"""A correct Flask-Login app written like Miguel Grinberg's Flask Mega-Tutorial:
a before_request reads ``current_user`` on every request (to put the user on
``g`` and note when they were last seen), with Flask-Login's default session
protection ("basic").

Reading ``current_user`` loads the user, and basic session protection then
writes ``_fresh = False`` into any non-empty session that has no ``_id``,
once: a session the kit's probe wrote is such a session. A real visitor's
session has had that write long before; the kit lets the app settle the
probe's session the same way, so "an unchanged session sends no cookie" holds.

``create_app(protection="strong")`` is the same app with Flask-Login's
"strong" session protection, which changes a session without ``_id`` on every
request (it drops the login keys and adds ``_remember = "clear"``, which its
after_request takes back out): the "left alone" scenarios do not apply, and
the session as a request reads it may hold bookkeeping its cookie does not.

``create_app(store="cachelib")`` keeps the sessions on the server with
Flask-Session, ``SESSION_PERMANENT = False`` as CS50 and many tutorials set it.
Flask-Session then saves every session to its store at the end of every
request (``SESSION_REFRESH_EACH_REQUEST``), one that only read it too, without
sending a cookie; its logout flashes "You have been logged out.", so the
session outlives logout (empty of the login) and a request in flight at logout
saves the logged-in session back under its id: a risk to warn about.

``create_app(broken=True)`` is the same app with a session interface that
writes the cookie on every response: a real defect the kit must still find.
Its journey profile is ``login_manager_hook.toml``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Flask, flash, g, redirect, request
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from . import SECRET_KEY, USERS
from .always_writes import AlwaysWritesSessionInterface

#: When each user was last seen (the tutorial keeps it in its database).
LAST_SEEN: dict[str, datetime] = {}


class User(UserMixin):
    def __init__(self, username: str) -> None:
        self.id = username


def create_app(broken: bool = False, protection: str = "basic", store: str = "cookie") -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.config["SESSION_COOKIE_SECURE"] = True
    if store == "cachelib":
        from cachelib import SimpleCache
        from flask_session import Session

        app.config.update(
            SESSION_TYPE="cachelib", SESSION_CACHELIB=SimpleCache(), SESSION_PERMANENT=False
        )
        Session(app)
    if broken:
        app.session_interface = AlwaysWritesSessionInterface()
    login_manager = LoginManager(app)
    login_manager.session_protection = protection
    login_manager.login_view = "login"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return User(user_id) if user_id in USERS else None

    @app.before_request
    def before_request() -> None:
        g.user = current_user
        if current_user.is_authenticated:
            LAST_SEEN[current_user.id] = datetime.now(timezone.utc)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "GET":
            return "Log in"
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        login_user(User(username))
        return redirect("/dashboard")

    @app.post("/logout")
    def logout() -> Any:
        logout_user()
        if store != "cookie":
            flash("You have been logged out.")  # the session outlives logout, not the login
        return redirect("/login")

    @app.get("/dashboard")
    def dashboard() -> Any:
        if not g.user.is_authenticated:
            return login_manager.unauthorized()
        return f"Welcome, {g.user.id}!"

    return app
