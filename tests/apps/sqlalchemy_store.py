"""A well-behaved app on Flask-Session's SQLAlchemy store, written as
Flask-Session's docs show it: the app's Flask-SQLAlchemy database keeps the
sessions too::

    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db = SQLAlchemy(app)
    app.config.update(SESSION_TYPE="sqlalchemy", SESSION_SQLALCHEMY=db)
    Session(app)

The database (``SESSION_DATABASE_URL`` here) holds the real visitors' sessions:
the kit must refuse it in one line before any request, and run on a database
the profile gives the app under ``{tmp}``, where the app breaks nothing, so no
behaviour fails. Profile: ``login_app.toml`` plus that ``[environment]``.
"""

from __future__ import annotations

import os

from flask import Flask
from flask_session import Session
from flask_sqlalchemy import SQLAlchemy

from . import SECRET_KEY
from .filesystem_store import add_login


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=SECRET_KEY,
        SQLALCHEMY_DATABASE_URI=os.environ.get("SESSION_DATABASE_URL", "sqlite:///app.sqlite"),
        SESSION_PERMANENT=False,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    db = SQLAlchemy(app)
    app.config.update(SESSION_TYPE="sqlalchemy", SESSION_SQLALCHEMY=db)
    Session(app)
    add_login(app)
    return app
