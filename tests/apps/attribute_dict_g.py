"""``g`` replaced by an attribute dict, a pattern copied from older code: a
missing name reads as None instead of raising AttributeError, ``hasattr`` is
always True, ``del`` of a missing name raises KeyError and the repr is a dict's
(breaks G-03)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from . import SECRET_KEY


class AttributeDict(dict[str, Any]):
    """A dict whose keys read as attributes; missing ones are None."""

    __getattr__ = dict.get
    __setattr__ = dict.__setitem__
    __delattr__ = dict.__delitem__


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.app_ctx_globals_class = AttributeDict  # type: ignore[assignment]
    return app
