"""Tiny apps written the way the 2018 seed article shows, and their fixes.

Three of the article's wrong claims are about *app code*: a ``before_request``
that renders the login page, a ``url_value_preprocessor`` that returns the
session, a ``teardown_appcontext`` without a parameter. No probe request can
show what Flask does with such code, because the target app (rightly) does not
contain it. The myth specs therefore build these small apps, each hook copied
from the article as closely as it runs, drive them with the kit's
:class:`~flask_conformance.drive.browser.Browser`, and look at what comes back.

Next to each article app is the pattern Flask's docs teach, so that the specs
can show the difference on the same pages.

Things the article's code reaches outside the app for (an HTTP API, a
database) are stand-ins that record what happened to them in :func:`events`,
so the specs can see that a view ran, an API was called or a connection was
closed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, g, redirect, render_template, request, session, url_for
from jinja2 import DictLoader

#: Text that only the login page contains.
LOGIN_PAGE_MARK = "Please log in"
#: Text that only the dashboard page contains.
DASHBOARD_MARK = "Your dashboard"
STYLESHEET_NAME = "style.css"
STYLESHEET = "body { font-family: sans-serif; }\n"
#: The user the specs log in as.
USERNAME = "alice"

_LOGIN_HTML = (
    "<!doctype html><title>Log in</title>"
    f"<p>{LOGIN_PAGE_MARK}</p>"
    '<form method="post"><input name="username"><button>Log in</button></form>'
)
_DASHBOARD_HTML = f"<!doctype html><title>Dashboard</title><p>{DASHBOARD_MARK}</p>"

#: The article calls ``render_template('/login.html')`` with a leading slash;
#: the docs' pattern uses ``"login.html"``. Both names find the same page.
_TEMPLATES = {
    "/login.html": _LOGIN_HTML,
    "login.html": _LOGIN_HTML,
    "/dashboard.html": _DASHBOARD_HTML,
    "dashboard.html": _DASHBOARD_HTML,
}

_EVENTS_KEY = "flask_conformance_seed_events"


def events(app: Flask) -> list[str]:
    """What happened inside ``app`` so far: views run, API calls, closed connections."""
    happened: list[str] = app.extensions[_EVENTS_KEY]
    return happened


def _base_app(static_folder: Path | None = None) -> Flask:
    """A bare app configured as the article configures it (random secret key)."""
    if static_folder is not None:
        static_folder.mkdir(parents=True, exist_ok=True)
        (static_folder / STYLESHEET_NAME).write_text(STYLESHEET, encoding="utf-8")
    app = Flask(
        __name__,
        static_folder=str(static_folder) if static_folder is not None else None,
        static_url_path="/static",
    )
    app.config["SECRET_KEY"] = os.urandom(24)  # as in the article's config.py
    app.jinja_loader = DictLoader(_TEMPLATES)
    app.extensions[_EVENTS_KEY] = []
    return app


def _add_pages(app: Flask) -> None:
    """The article's dashboard at ``/`` and a login page that logs the user in."""

    @app.route("/", methods=["GET", "POST", "OPTIONS"])
    def dashboard() -> Any:
        """Boring route."""
        events(app).append("view:dashboard")
        return render_template("/dashboard.html")

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        events(app).append("view:login")
        if request.method == "POST":
            session["username"] = request.form["username"]
            return redirect(url_for("dashboard"))
        return render_template("login.html")


# -- before_request (H-06, H-08) --------------------------------------------


def article_gate_app(static_folder: Path) -> Flask:
    """The article's ``before_request``, which *renders* a page for everyone."""
    app = _base_app(static_folder)
    _add_pages(app)

    @app.before_request
    def before_request() -> Any:
        """Handle multiple users."""
        if "username" in session:
            return render_template("/dashboard.html")
        else:
            return render_template("/login.html")

    return app


def redirecting_gate_app(static_folder: Path) -> Flask:
    """The docs' pattern: send anonymous visitors to the login page, let the rest through.

    Returning ``None`` lets Flask carry on to the view, to the static files or
    to its 404; the login page and static files are exempt, so an anonymous
    visitor can load the login form's stylesheet and submit the form.
    """
    app = _base_app(static_folder)
    _add_pages(app)

    @app.before_request
    def require_login() -> Any:
        if "username" in session or request.endpoint in ("login", "static"):
            return None
        return redirect(url_for("login", next=request.path))

    return app


# -- url_value_preprocessor (H-02, H-08, H-09) ------------------------------


class _StandInRequests:
    """Stands in for the ``requests`` library the article's preprocessor calls.

    It records each call instead of sending it: the article posts to the
    *endpoint name*, which is not even a URL.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app

    def post(self, url: Any, headers: Any = None, data: Any = None) -> dict[str, Any]:
        events(self.app).append(f"api:{url}")
        return {"email": data, "plan": "basic"}


def article_url_value_preprocessor_app(static_folder: Path) -> Flask:
    """The article's ``url_value_preprocessor``, which returns the session."""
    app = _base_app(static_folder)
    requests = _StandInRequests(app)
    headers: dict[str, str] = {}

    @app.url_value_preprocessor
    def url_value_preprocessor(endpoint: str | None, values: dict[str, Any] | None) -> Any:
        """Handle data sent to any route."""
        if request.args:
            email = request.args.get("email")
            r = requests.post(endpoint, headers=headers, data=email)
            session["usermetadata"] = r
            session.modified = True
            return session

    @app.route("/details")
    def details() -> Any:
        events(app).append("view:details")
        return f"Personal details of {request.args.get('email', 'nobody')}"

    return app


# -- teardown_appcontext (E-08) ---------------------------------------------


class _StandInConnection:
    """Stands in for a database connection; records whether it was closed."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def close(self) -> None:
        events(self.app).append("db:closed")


def teardown_db() -> None:
    """The article's teardown, as written: it takes no parameter.

    It lives at module level so that Python names it ``teardown_db()`` in the
    TypeError, exactly as a reader of the article would see it.
    """
    db = g.pop("db", None)  # noqa: F841 - popped and never closed, as in the article


def _add_report_pages(app: Flask) -> None:
    def db_stuff() -> Any:
        g.db = _StandInConnection(app)
        return g.db

    @app.route("/report")
    def report() -> Any:
        db_stuff()
        events(app).append("view:report")
        return "Report built from the database"

    @app.route("/about")
    def about() -> Any:
        events(app).append("view:about")
        return "This page never touches the database"


def article_teardown_app() -> Flask:
    """The article's ``@app.teardown_appcontext def teardown_db():``, no parameter."""
    app = _base_app()
    _add_report_pages(app)
    # The article's bug, on purpose: Flask's hint wants a parameter the article leaves out.
    app.teardown_appcontext(teardown_db)  # type: ignore[type-var]
    return app


def closing_teardown_app() -> Flask:
    """The docs' pattern: the teardown takes the exception (or None) and closes."""
    app = _base_app()
    _add_report_pages(app)

    @app.teardown_appcontext
    def close_db(exc: BaseException | None) -> None:
        db = g.pop("db", None)
        if db is not None:
            db.close()

    return app
