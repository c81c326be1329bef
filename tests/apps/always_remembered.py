"""A Flask-Login app that remembers every login, written like changedetection.io's.

Its login form has no "remember me" box: ``login_user(user, remember=True)``
always sets the remember cookie. ``CSRFProtect`` guards the whole app, and the
login page sends a visitor who is already logged in on to the dashboard, whose
logout form carries the CSRF token. So a visitor whose session cookie was
spoiled is logged straight back in by the remember cookie, and opening the
login page takes her to the dashboard, as it would in a browser.

``create_app()`` ends remember-me at logout with ``logout_user()``;
``create_app(broken=True)`` logs out with ``session.clear()`` alone, so the
remember cookie stays in the browser and logs the user back in (a real defect);
``create_app(refuses_spoiled=True)`` answers a session cookie it cannot trust
with a session that refuses writes (``refuses_spoiled_cookie``'s interface), so
a visitor whose cookie was spoiled can never log in again (breaks K-08).
Its journey profile is ``always_remembered.toml``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, render_template_string, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect

from . import SECRET_KEY, USERS
from .refuses_spoiled_cookie import RefusingSessionInterface

LOGIN_PAGE = """<form method="post"><input type="hidden" name="csrf_token"
value="{{ csrf_token() }}"><input name="username"><input name="password"></form>"""
DASHBOARD = """Welcome, {{ name }}! <form method="post" action="/logout"><input type="hidden"
name="csrf_token" value="{{ csrf_token() }}"><button>Log out</button></form>"""


class User(UserMixin):
    def __init__(self, username: str) -> None:
        self.id = username


def create_app(broken: bool = False, refuses_spoiled: bool = False) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    if refuses_spoiled:
        app.session_interface = RefusingSessionInterface()
    CSRFProtect(app)
    login_manager = LoginManager(app)
    login_manager.login_view = "login"
    login_manager.user_loader(lambda user_id: User(user_id) if user_id in USERS else None)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if current_user.is_authenticated:
            return redirect("/dashboard")  # already logged in: nothing to do here
        if request.method == "GET":
            return render_template_string(LOGIN_PAGE)
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        login_user(User(username), remember=True)  # every login is remembered
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
        return render_template_string(DASHBOARD, name=current_user.id)

    return app
