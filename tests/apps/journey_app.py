"""A small login app for the journey features, correct unless told to break.

``create_app()`` logs users in and out the way Flask's docs teach.
``create_app("<bug>")`` breaks one journey behaviour the way real apps do:

- ``forgets_login``: the protected page reads the user with ``session.pop``
  instead of ``session.get``, so a login lasts for one page.
- ``logout_keeps_session``: logout only tells the browser to drop its cookie;
  the session itself is never cleared (a server-side store keeps it).
- ``keeps_planted_id``: Flask-Session, and login stores the user in whatever
  session the browser brought, planted id and all (session fixation).
- ``no_age_check``: a session interface that checks the cookie's signature but
  not its age, so a copied cookie outlives the 30-minute lifetime.
- ``global_user``: remembers the current user in a module-level variable
  instead of ``g``, so a visitor who never logged in is greeted as the last
  user who did.
- ``last_login_wins``: keeps the user who logged in last in a module-level
  variable and trusts it over the session, so every logged-in visitor is
  greeted as whoever logged in most recently.

``store="redis"`` keeps sessions in Flask-Session over fakeredis. The journey
profile is ``journey_app.toml`` beside this module.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from flask import Flask, redirect, request, session
from flask.sessions import SecureCookieSessionInterface

from . import SECRET_KEY, USERS

BUGS = {
    "forgets_login",
    "logout_keeps_session",
    "keeps_planted_id",
    "no_age_check",
    "global_user",
    "last_login_wins",
}

#: The global_user and last_login_wins bugs: the last user who logged in, shared by everyone.
_LAST_USER: dict[str, str] = {}


class NoAgeCheckInterface(SecureCookieSessionInterface):
    """Checks the signature of the session cookie but never its age."""

    def open_session(self, app: Flask, request: Any) -> Any:
        serializer = self.get_signing_serializer(app)
        value = request.cookies.get(self.get_cookie_name(app))
        if serializer is None or not value:
            return self.session_class()
        try:
            return self.session_class(serializer.loads(value))  # the bug: no max_age
        except Exception:  # noqa: BLE001 - a bad signature starts an empty session
            return self.session_class()


def create_app(bug: str | None = None, store: str = "cookie") -> Flask:
    if bug is not None and bug not in BUGS:
        raise ValueError(f"unknown bug {bug!r}: choose one of {sorted(BUGS)}")
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    if bug == "keeps_planted_id":
        store = "redis"
    if store == "redis":
        import fakeredis
        from flask_session import Session

        app.config.update(SESSION_TYPE="redis", SESSION_REDIS=fakeredis.FakeRedis())
        Session(app)
    if bug == "no_age_check":
        app.session_interface = NoAgeCheckInterface()
        app.config["PERMANENT_SESSION_LIFETIME"] = _dt.timedelta(minutes=30)

    @app.post("/login")
    def login() -> Any:
        username = request.form.get("username", "")
        if USERS.get(username) != request.form.get("password"):
            return "Incorrect username or password.", 401
        if bug != "keeps_planted_id":
            session.clear()
        session["user_id"] = username
        if bug != "keeps_planted_id":
            regenerate = getattr(app.session_interface, "regenerate", None)
            if regenerate is not None:
                regenerate(session)
        if bug == "no_age_check":
            session.permanent = True
        if bug in ("global_user", "last_login_wins"):
            _LAST_USER["name"] = username
        return redirect("/dashboard")

    @app.post("/logout")
    def logout() -> Any:
        response = redirect("/login")
        if bug == "logout_keeps_session":
            response.delete_cookie(app.config["SESSION_COOKIE_NAME"])
        else:
            session.clear()
        return response

    @app.get("/dashboard")
    def dashboard() -> Any:
        if bug == "forgets_login":
            username = session.pop("user_id", None)
        elif bug == "global_user":
            username = session.get("user_id") or _LAST_USER.get("name")
        elif bug == "last_login_wins" and "user_id" in session:
            username = _LAST_USER.get("name", session["user_id"])
        else:
            username = session.get("user_id")
        if username is None:
            return redirect("/login")
        return f"Welcome, {username}!"

    return app
