"""A correct app whose config changes how Flask routes and answers HTTP errors.

- ``create_app("loose_slashes")``: ``app.url_map.strict_slashes = False``, so
  ``/about`` and ``/about/`` are the same page and routing redirects nothing.
  The kit's own page asks for the trailing slash, so what Flask's routing does
  with a URL that leaves it off (E-12) is still seen on this app.
- ``create_app("trap_http")``: ``TRAP_HTTP_EXCEPTIONS = True``, which makes
  Flask treat every HTTP error as an unhandled exception (a 500 in
  production): what Flask makes of ``abort(403)``, a 404 or routing's redirect
  otherwise cannot be seen, and those scenarios are not applicable, naming it.

``broken=True`` adds a catch-all ``errorhandler(Exception)`` that answers
every error it sees with a 500, ``abort(403)`` and routing's redirect
included (the app traps HTTP errors, so its handler sees them): the scenarios
about HTTP errors must still fail.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from . import SECRET_KEY

SETTINGS = ("loose_slashes", "trap_http")


def create_app(setting: str, broken: bool = False) -> Flask:
    if setting not in SETTINGS:
        raise ValueError(f"unknown setting {setting!r}: choose one of {SETTINGS}")
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)
    if setting == "loose_slashes":
        app.url_map.strict_slashes = False
    else:
        app.config["TRAP_HTTP_EXCEPTIONS"] = True

    @app.get("/about/")
    def about() -> Any:
        return "About us"

    if broken:
        app.config["TRAP_HTTP_EXCEPTIONS"] = True

        @app.errorhandler(Exception)
        def something_went_wrong(error: Exception) -> Any:
            return "Something went wrong.", 500

    return app
