"""An app with a page of its own for each HTTP error and for a crash, as the
Flask tutorial's "Custom Error Pages" writes them.

``create_app()`` keeps the status of every page (400, 403, 404, 500): the kit
must see no failed behaviour. Its own 400 and 403 pages answer a trapped
error themselves, so the TRAP_* scenarios whose outcome they change do not
apply to it (E-10, E-11).

``create_app(broken=True)`` sends its "something went wrong" page with 200,
so a crash looks like success to clients, proxies and monitoring (breaks E-02).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from . import SECRET_KEY


def create_app(broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)

    @app.errorhandler(400)
    def bad_request(error: Any) -> Any:
        return "<h1>That request did not make sense</h1>", 400

    @app.errorhandler(403)
    def forbidden(error: Any) -> Any:
        return "<h1>You may not see this page</h1>", 403

    @app.errorhandler(404)
    def not_found(error: Any) -> Any:
        return "<h1>No such page</h1>", 404

    @app.errorhandler(500)
    def server_error(error: Any) -> Any:
        return "<h1>Something went wrong</h1>", 200 if broken else 500  # the bug: 200

    @app.get("/")
    def index() -> str:
        return "<h1>Welcome</h1>"

    return app
