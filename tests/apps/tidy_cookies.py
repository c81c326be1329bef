"""A login app whose cookies are set as the security checks ask: the session
cookie is ``__Host-session`` with Secure, HttpOnly and SameSite=Lax, and the
key is random. Login also sets a remember cookie (Flask-Login's name,
``remember_token``): with ``create_app()`` it is Secure, HttpOnly and Lax;
with ``create_app(careless_remember=True)`` it has none of them, as
Flask-Login's defaults give (REMEMBER_COOKIE_SECURE is False, SAMESITE None).
Profile: ``login_app.toml``."""

from __future__ import annotations

from typing import Any

from flask import Flask, make_response, redirect, request, session

from . import USERS, add_dashboard, add_logout


def create_app(careless_remember: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="4f9c1e0b7d2a6e8f3c5b9a1d0e7f2c4b6a8d1e3f5c7b9a0d2e4f6a8c1b3d5e7f",
        SESSION_COOKIE_NAME="__Host-session",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session["user_id"] = username
        response = make_response(redirect("/dashboard"))
        attributes = {} if careless_remember else {"secure": True, "samesite": "Lax"}
        response.set_cookie(
            "remember_token",
            f"{username}|0123abcd",
            max_age=365 * 24 * 3600,
            httponly=not careless_remember,
            **attributes,
        )
        return response

    add_logout(app)
    add_dashboard(app)

    return app
