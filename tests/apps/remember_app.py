"""A Flask-Login app with "remember me", for the remember-me journey.

``create_app()`` logs out with ``flask_login.logout_user()``, which also has
the remember cookie deleted. ``create_app(broken=True)`` logs out with
``session.clear()`` alone: the remember cookie stays in the browser and logs
the user straight back in. Its journey profile is ``journey_app.toml``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from . import SECRET_KEY, USERS


class User(UserMixin):
    def __init__(self, username: str) -> None:
        self.id = username


def create_app(broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    login_manager = LoginManager(app)
    login_manager.login_view = "login"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return User(user_id) if user_id in USERS else None

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "GET":
            return "Log in"
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        login_user(User(username), remember=request.form.get("remember") == "y")
        return redirect("/dashboard")

    @app.post("/logout")
    def logout() -> Any:
        if broken:
            session.clear()  # the bug: the remember cookie survives
        else:
            logout_user()
        return redirect("/login")

    @app.get("/dashboard")
    def dashboard() -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return f"Welcome, {current_user.id}!"

    return app
