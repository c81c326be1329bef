"""A correct app that keeps the visitor's language in the session, as apps
using Flask-Babel with a session-based locale selector do: a before_request
fills in ``lang`` from Accept-Language when the session has none yet.

So the hook writes into every new session, once, and leaves a session that
has a language alone. It does not change the session on every request: the
"left alone" scenarios apply, and where a new session is what a response
wrote, the kit says Flask's answer cannot be seen there.

``create_app(broken=True)`` is the same app with a session interface that
writes the cookie on every response: a real defect the kit must still find.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request, session

from . import SECRET_KEY, add_dashboard, add_logout
from .always_writes import AlwaysWritesSessionInterface

LANGUAGES = ["en", "de", "fr"]


def create_app(broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)
    if broken:
        app.session_interface = AlwaysWritesSessionInterface()

    @app.before_request
    def remember_language() -> None:
        if "lang" not in session:
            session["lang"] = request.accept_languages.best_match(LANGUAGES) or "en"

    @app.get("/")
    def index() -> Any:
        return {"en": "Hello", "de": "Hallo", "fr": "Bonjour"}[session["lang"]]

    add_dashboard(app)
    add_logout(app)
    return app
