"""Small Flask apps that break one behaviour on purpose, or keep it carefully.

Every module has a factory. The kit's tests point the kit at each of them
(``--flask-app tests.apps.<name>:create_app``): on a broken app the specs for
the broken behaviour must fail, in words that name it (a spec that passes there
asserts nothing); on a careful app the same specs must pass. The apps with a
login share the users and pages below, so that each module shows only what it
does differently.
"""

from typing import Any

from flask import Flask, redirect, session

SECRET_KEY = "known-bad-app-secret"

#: The journey profiles' users (``tests/apps/*.toml``): username -> password.
USERS = {"alice": "wonderland", "bob": "builder"}


def add_dashboard(app: Flask) -> None:
    """``GET /dashboard``: "Welcome, <user>!" when logged in, else a redirect to login."""

    @app.get("/dashboard")
    def dashboard() -> Any:
        username = session.get("user_id")
        if username is None:
            return redirect("/login")
        return f"Welcome, {username}!"


def add_logout(app: Flask) -> None:
    """``POST /logout`` that ends the session the way Flask's docs do: clear it."""

    @app.post("/logout")
    def logout() -> Any:
        session.clear()
        return redirect("/login")
