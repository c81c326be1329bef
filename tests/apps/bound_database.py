"""An app written the way Flask-SQLAlchemy apps are: its database URI comes
from the environment when the module is imported (``BOUND_DATABASE``, as a
``DATABASE_URL`` would), and the factory, which takes no ``test_config``,
binds the database while it builds the app, as ``db.init_app(app)`` creates
its engine from the URI it finds then. Setting ``DATABASE`` on ``app.config``
afterwards changes nothing: every query goes to the database bound at build.

``flask init-db`` drops the users table and makes it again, as
``db.drop_all(); db.create_all()`` would. A kit that ran it with the profile's
``[config]`` applied too late would wipe the real database; the profile must
use ``[environment]`` instead. Profiles are written by ``tests/test_setup_safety.py``.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from flask import Flask, redirect, request, session

from . import SECRET_KEY, add_dashboard, add_logout

#: Read at import, like ``SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]``.
DATABASE = os.environ.get("BOUND_DATABASE", "bound.sqlite")


class Database:
    """Binds to the configured database when the app is built, like Flask-SQLAlchemy."""

    def init_app(self, app: Flask) -> None:
        app.extensions["bound_database"] = app.config["DATABASE"]

    @staticmethod
    def connect(app: Flask) -> sqlite3.Connection:
        return sqlite3.connect(app.extensions["bound_database"])


db = Database()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, DATABASE=DATABASE)
    db.init_app(app)

    @app.cli.command("init-db")
    def init_db() -> None:
        with db.connect(app) as connection:
            connection.execute("DROP TABLE IF EXISTS users")
            connection.execute("CREATE TABLE users (username TEXT PRIMARY KEY, password TEXT)")

    @app.post("/register")
    def register() -> Any:
        with db.connect(app) as connection:
            connection.execute(
                "INSERT INTO users VALUES (?, ?)",
                (request.form["username"], request.form["password"]),
            )
        return redirect("/login")

    @app.post("/login")
    def login() -> Any:
        with db.connect(app) as connection:
            row = connection.execute(
                "SELECT password FROM users WHERE username = ?", (request.form["username"],)
            ).fetchone()
        if row is None or row[0] != request.form["password"]:
            return "Incorrect username or password.", 401
        session.clear()
        session["user_id"] = request.form["username"]
        return redirect("/dashboard")

    add_logout(app)
    add_dashboard(app)
    return app


def create_app_ignoring_test_config(test_config: dict[str, Any] | None = None) -> Flask:
    """Takes ``test_config`` as Flask's tutorial does, but never applies it."""
    return create_app()
