"""A Flask-Login app with "remember me", for the remember-me journeys.

``create_app()`` ends remember-me the way Flask-Login's docs advise
("alternative tokens"): the id in the session and the remember cookie is
``username:generation``, ``user_loader`` refuses an old generation, and logout
moves the user's generation on before ``logout_user()`` (which also has the
browser delete the remember cookie). A copy of the cookie taken before logout
is then worthless.

``create_app(revoke=False)`` is the plain pattern: ``get_id()`` is the
username, so logout_user() deletes the cookie in the user's own browser but a
copy taken before logout logs its holder straight back in.

``create_app(broken=True)`` logs out with ``session.clear()`` alone: the
remember cookie stays in the browser and logs the user straight back in.

``cookie_name`` renames the remember cookie, as apps do (one appends the port
it serves on). Its journey profile is ``journey_app.toml``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from . import SECRET_KEY, USERS


class User(UserMixin):
    def __init__(self, username: str, generation: int) -> None:
        self.username = username
        self.generation = generation

    def get_id(self) -> str:
        return f"{self.username}:{self.generation}"


def create_app(broken: bool = False, revoke: bool = True, cookie_name: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    if cookie_name is not None:
        app.config["REMEMBER_COOKIE_NAME"] = cookie_name
    login_manager = LoginManager(app)
    login_manager.login_view = "login"
    generations = {username: 0 for username in USERS}

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        username, _, generation = user_id.partition(":")
        if username not in USERS or generation != str(generations[username]):
            return None
        return User(username, generations[username])

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "GET":
            return "Log in"
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        user = User(username, generations[username])
        login_user(user, remember=request.form.get("remember") == "y")
        return redirect("/dashboard")

    @app.post("/logout")
    def logout() -> Any:
        if broken:
            session.clear()  # the bug: the remember cookie survives
            return redirect("/login")
        if revoke and current_user.is_authenticated:
            generations[current_user.username] += 1
        logout_user()
        return redirect("/login")

    @app.get("/dashboard")
    def dashboard() -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return f"Welcome, {current_user.username}!"

    return app
