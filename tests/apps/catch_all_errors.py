"""An app whose ``errorhandler(Exception)`` answers every error, as many JSON
APIs do.

``create_app()`` is the careful version: HTTP errors (``abort(403)``, 404) pass
through as themselves, anything else becomes a JSON 500. No error is ever left
unhandled, so Flask's unhandled-error path (E-02, E-03) never runs: those specs
are not applicable to it, and everything else holds.

``create_app(broken=True)`` swallows errors: every exception, HTTP errors
included, becomes a 200 with the error in JSON, so a crash looks like success
to the client and ``abort(403)`` lets the caller through with a 200.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from . import SECRET_KEY


def create_app(broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY

    @app.errorhandler(Exception)
    def handle_any_error(error: Exception) -> Any:
        if broken:
            return jsonify(error=str(error))  # the bug: a 200 for every failure
        if isinstance(error, HTTPException):
            return error
        app.logger.exception("unexpected error")
        return jsonify(error="internal server error"), 500

    @app.get("/")
    def index() -> Any:
        return jsonify(status="ok")

    return app
