"""A login app on signed-cookie sessions that *can* revoke them: each user has
a logout generation on the server, the session carries the generation it was
issued under, and logout moves the user's generation on. A cookie written
after logout from a session loaded before it names an old generation and is
refused: the per-user "not before" remedy ASVS 5.0 7.4.1 names. It does
better than Flask's own sessions: the copied-cookie scenario ("Mallory gets in
as Alice: yes" on cookies) and the logout-race check (the late write does not
log the user back in) pass on it without a warning, where an app that cannot
revoke gets the warnings. Profile: ``login_app.toml``."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session

from . import SECRET_KEY, USERS


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    generations = {username: 0 for username in USERS}

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        session.clear()
        session["user_id"] = username
        session["generation"] = generations[username]
        return redirect("/dashboard")

    @app.post("/logout")
    def logout() -> Any:
        username = session.get("user_id")
        if username in generations:
            generations[username] += 1
        session.clear()
        return redirect("/login")

    @app.get("/dashboard")
    def dashboard() -> Any:
        username = session.get("user_id")
        if username is None or session.get("generation") != generations.get(username):
            return redirect("/login")
        return f"Welcome, {username}!"

    return app
