"""One ``g`` object shared by every app context, so values put on ``g`` in one
request are still there in the next (breaks G-01)."""

from __future__ import annotations

from flask import Flask
from flask.ctx import _AppCtxGlobals

from . import SECRET_KEY


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    shared = _AppCtxGlobals()
    # Flask calls app_ctx_globals_class() once per app context; handing back
    # the same instance every time is the bug.
    app.app_ctx_globals_class = lambda: shared  # type: ignore[assignment,method-assign]
    return app
