"""sqlite-web as ``sqlite_web --password DB`` starts it (its ``configure_app``): the password
gate on every page and the secret key derived from the database path and the password, here
on a new database in a temporary folder. Its one user is the password "wonderland"."""
import hashlib
import os
import tempfile

from sqlite_web.sqlite_web import app, initialize_app

PASSWORD = "wonderland"


def create_app():
    if not app.config.get("PASSWORD"):  # sqlite-web keeps one module-level app
        database = os.path.join(tempfile.mkdtemp(), "corpus.db")
        initialize_app([database], password=PASSWORD)
        app.secret_key = hashlib.sha256(b"sqlite-web-" + database.encode() + PASSWORD.encode()).hexdigest()
    return app
