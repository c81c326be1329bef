"""A blog built like Flask's tutorial app, flaskr, whose database was never
made (``flask init-db`` not run): the factory makes the instance folder, as
flaskr's does, and the home page opens ``instance/blog.sqlite``, which
``sqlite3.connect`` creates empty before the query fails. The kit's own
requests must not leave that file, or the folder, in the user's project.

``create_app_that_writes`` makes its table on first use instead, so the file
holds data: the kit must leave it and say so. Tests copy this module into a
project folder of their own as ``blog.py`` (``tests/test_footprint.py``).
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask


def create_app(writes: bool = False) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(
        SECRET_KEY="a-long-random-development-key-0123456789abcdef",
        DATABASE=os.path.join(app.instance_path, "blog.sqlite"),
    )
    os.makedirs(app.instance_path, exist_ok=True)

    @app.get("/")
    def index() -> str:
        connection = sqlite3.connect(app.config["DATABASE"])
        try:
            if writes:
                connection.execute("CREATE TABLE IF NOT EXISTS post (title TEXT)")
            count = connection.execute("SELECT count(*) FROM post").fetchone()[0]
        finally:
            connection.close()
        return f"{count} posts"

    return app


def create_app_that_writes() -> Flask:
    return create_app(writes=True)
