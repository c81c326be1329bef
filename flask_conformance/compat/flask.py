"""Flask's internals the kit reaches: the context globals, g's class, the opened session.

- ``app_ctx`` and ``request_ctx`` (``flask.globals``, Flask 2.3 and later) are
  the proxies to the current contexts; the kit pushes copies of them and
  compares identities across contexts.
- ``_AppCtxGlobals`` (``flask.ctx``) is the class of ``g``; Flask's own keeps
  its names in ``__dict__``, which the probe reads without g's API.
- The request context keeps the session it opened in ``session`` (Flask
  before 3.1.3) or, opened lazily, in ``_session`` (3.1.3 and later).
"""

from __future__ import annotations

from typing import Any

from flask.ctx import _AppCtxGlobals as FlaskGlobals
from flask.globals import app_ctx, request_ctx

__all__ = ["FlaskGlobals", "app_ctx", "opened_session_of", "request_ctx"]

#: Where a request context keeps the session it opened, newest Flask first.
SESSION_ATTRIBUTES = ("_session", "session")


def opened_session_of(request_context: Any) -> Any:
    """The session ``request_context`` has opened so far, or None, without opening it."""
    state = vars(request_context)
    for name in SESSION_ATTRIBUTES:
        if name in state:
            return state[name]
    return None
