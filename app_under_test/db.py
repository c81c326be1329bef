"""The user database: one SQLite connection per request, kept on ``g``.

The database lives in memory, shared between connections through SQLite's
shared cache, and is kept alive by one connection held for the app's lifetime:
the reference app needs no files and no setup step.
"""

from __future__ import annotations

import sqlite3
import uuid

from flask import Flask, current_app, g
from werkzeug.security import generate_password_hash

SCHEMA = """
CREATE TABLE user (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT UNIQUE NOT NULL,
    password TEXT NOT NULL
);
"""

DEMO_USERS = {"alice": "wonderland", "bob": "builder"}


def get_db() -> sqlite3.Connection:
    """The request's connection, opened on first use."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"], uri=True)
        g.db.row_factory = sqlite3.Row
    connection: sqlite3.Connection = g.db
    return connection


def close_db(exc: BaseException | None = None) -> None:
    """Close the request's connection.

    Flask calls every ``teardown_appcontext`` function with the exception that
    ended the request (or None), so the parameter is required.
    """
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    app.config.setdefault("DATABASE", f"file:reference-{uuid.uuid4().hex}?mode=memory&cache=shared")
    keeper = sqlite3.connect(app.config["DATABASE"], uri=True)
    keeper.executescript(SCHEMA)
    method = app.config["PASSWORD_HASH_METHOD"]
    keeper.executemany(
        "INSERT INTO user (username, password) VALUES (?, ?)",
        [(name, generate_password_hash(pw, method=method)) for name, pw in DEMO_USERS.items()],
    )
    keeper.commit()
    app.extensions["reference_db_keeper"] = keeper
    app.teardown_appcontext(close_db)
