"""An ordinary API app with Flask-CORS, which wraps ``app.handle_exception``
and ``app.handle_user_exception`` so that error responses get CORS headers
too. Its frames then sit in the traceback of every exception, the kit's own
deliberate ones included; the app itself breaks nothing."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from flask_cors import CORS

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    CORS(app)

    @app.get("/")
    def index() -> Any:
        return jsonify(status="ok")

    return app
