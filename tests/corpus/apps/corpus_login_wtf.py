"""Flask-Login (default "basic" session protection) and Flask-WTF's CSRFProtect on every
request, a catch-all error page, and ``g.user = current_user`` in a before_request: the app a
tutorial reader writes around the two extensions. Users: alice/wonderland, bob/builder."""
from flask import Flask, g, redirect, render_template_string, request
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf.csrf import CSRFProtect

USERS = {"alice": "wonderland", "bob": "builder"}
FORM = '<form method=post><input name=csrf_token value="{{ csrf_token() }}" type=hidden>{{ f|safe }}</form>'


class User(UserMixin):
    def __init__(self, name: str) -> None:
        self.id = name


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="vIg3ZkR0m8yXbq2Lw6Jt1NcH5pUaEd9s", SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax")
    CSRFProtect(app)
    login = LoginManager(app)
    login.login_view = "login_page"
    login.user_loader(lambda name: User(name) if name in USERS else None)
    app.before_request(lambda: setattr(g, "user", current_user))
    app.register_error_handler(Exception, lambda e: (f"Something went wrong: {e}", getattr(e, "code", 500)))

    @app.route("/login", methods=["GET", "POST"])
    def login_page():
        name = request.form.get("username", "")
        if request.method == "POST" and USERS.get(name) == request.form.get("password"):
            login_user(User(name), remember=bool(request.form.get("remember")))
            return redirect("/dashboard")
        return render_template_string(FORM, f="<input name=username><input name=password>")

    @app.route("/logout", methods=["POST"])
    def logout():
        logout_user()
        return redirect("/login")

    app.add_url_rule("/dashboard", "dashboard", login_required(lambda: f"Welcome, {g.user.id}"))
    return app
