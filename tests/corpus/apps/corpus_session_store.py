"""Sessions in a server-side store (Flask-Session over cachelib's FileSystemCache), a
login gate (a before_request that sends every anonymous visitor to the login page), a new
session id at login and ``session.clear()`` at logout, which deletes the stored session.
Users: alice/wonderland, bob/builder."""
import tempfile

from cachelib import FileSystemCache
from flask import Flask, redirect, request, session
from flask_session import Session

USERS = {"alice": "wonderland", "bob": "builder"}


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="Qw8Zt3LmN5xVb1Rk7Hs0Jd4Fy6Pg2Ce9", SESSION_TYPE="cachelib",
                      SESSION_CACHELIB=FileSystemCache(tempfile.mkdtemp()), SESSION_COOKIE_SECURE=True)
    Session(app)

    @app.before_request
    def gate():
        if "user" not in session and request.endpoint not in ("login", "static"):
            return redirect("/login")

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST" and USERS.get(request.form.get("username")) == request.form.get("password"):
            app.session_interface.regenerate(session)
            session["user"] = request.form["username"]
            return redirect("/")
        return '<form method=post><input name=username><input name=password type=password></form>'

    app.add_url_rule("/logout", "logout", lambda: (session.clear(), redirect("/login"))[1], methods=["POST"])
    app.add_url_rule("/", "home", lambda: f"Hello, {session['user']}")
    return app
