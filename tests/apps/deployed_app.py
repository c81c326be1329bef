"""A correct login app configured for where it is deployed, as production configs are.

``create_app(setting)`` sets one thing a production config sets:

- ``server_name``: ``SERVER_NAME = "example.com"`` with ``subdomain_matching``
  and an admin blueprint on ``admin.example.com``. Flask then answers only
  requests for that host (Flask before 3.1 does so without subdomain_matching).
- ``cookie_domain``: ``SESSION_COOKIE_DOMAIN = ".example.com"``: a browser keeps
  the cookie only on example.com and its subdomains.
- ``app_root``: ``APPLICATION_ROOT = "/app"``: the server mounts the app under
  ``/app`` (its ``SCRIPT_NAME``), and the session cookie has ``Path=/app``.
- ``host_matching``: ``Flask(host_matching=True, static_host=...)``, every route
  on ``host="example.com"``; a rule without a host is reachable on no host.
- ``dispatched``: mounted under ``/app`` as Flask's docs deploy an app under a
  prefix, ``app.wsgi_app = DispatcherMiddleware(not_found, {"/app": app.wsgi_app})``:
  no request outside ``/app`` reaches the app.
- ``slash_routes``: the login's route is ``/login/``; Flask's routing answers
  ``/login`` with a 308 to it. A profile that names ``/login`` is refused,
  saying which path to write.

Driven at ``https://localhost/``, each looked as if its sessions and its login
did not work at all. Every redirect is built with ``url_for``, so it carries
the host and mount path as the app was asked for it.

``broken=True`` is the same app with a logout that leaves the user in the
session (it only flashes a goodbye), a real defect the kit must still find.
Its journey profile is ``login_app.toml``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, redirect, request, session, url_for
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Response

from . import SECRET_KEY, USERS

SETTINGS = (
    "server_name", "cookie_domain", "app_root", "host_matching", "dispatched", "slash_routes"
)


def create_app(setting: str, broken: bool = False) -> Flask:
    if setting not in SETTINGS:
        raise ValueError(f"unknown setting {setting!r}: choose one of {SETTINGS}")
    matching: dict[str, Any] = {"subdomain_matching": setting == "server_name"}
    if setting == "host_matching":
        matching = {"host_matching": True, "static_host": "static.example.com"}
    app = Flask(__name__, **matching)
    on_host = {"host": "example.com"} if setting == "host_matching" else {}
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)
    if setting == "server_name":
        app.config["SERVER_NAME"] = "example.com"
        admin = Blueprint("admin", __name__, subdomain="admin")
        admin.add_url_rule("/", "index", lambda: "Admin")
        app.register_blueprint(admin)
    elif setting == "cookie_domain":
        app.config["SESSION_COOKIE_DOMAIN"] = ".example.com"
    elif setting == "app_root":
        app.config["APPLICATION_ROOT"] = "/app"

    login_rule = "/login/" if setting == "slash_routes" else "/login"

    @app.route(login_rule, methods=["GET", "POST"], **on_host)
    def login() -> Any:
        if request.method == "GET":
            return '<form method="post"><input name="username"><input name="password"></form>'
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session.clear()
        session["user_id"] = username
        return redirect(url_for("dashboard"))

    @app.post("/logout", **on_host)
    def logout() -> Any:
        if broken:
            flash("Goodbye!")
        else:
            session.clear()
        return redirect(url_for("login"))

    @app.get("/dashboard", **on_host)
    def dashboard() -> Any:
        username = session.get("user_id")
        if username is None:
            return redirect(url_for("login"))
        return f"Welcome, {username}!"

    if setting == "dispatched":
        not_found = Response("Not Found", status=404)
        app.wsgi_app = DispatcherMiddleware(not_found, {"/app": app.wsgi_app})  # type: ignore[method-assign]
    return app
