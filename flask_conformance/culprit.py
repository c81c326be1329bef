"""Which of the app's own functions raised: a hook, a view or an error handler.

"The app raised RuntimeError" sends a reader hunting; "in the before_request
function 'load_user' (myapp.py, line 12)" sends them to the line. The
traceback of an exception that left (or was handled by) Flask runs through
Flask's own frames, then the app's function Flask called, then whatever that
called. The first frame that belongs to neither Flask, Werkzeug, the kit nor
their helpers is the app's function; the app's hook registries say what kind
of function it is.

The kit's own exceptions (the probe raises some on purpose, to watch Flask's
error path) are never the app's fault, whatever frames they pass through:
extensions such as Flask-CORS and Flask-RESTful wrap Flask's exception
handling, so their frames sit in every traceback and are not the app's code
either.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterable
from types import CodeType, TracebackType
from typing import Any

from flask import Flask

#: Modules whose frames are not the app's own code.
_NOT_THE_APP = (
    "flask",
    "werkzeug",
    "flask_conformance",
    "flask_session",
    "itsdangerous",
    "blinker",
    "click",
    "contextlib",
    "functools",
    "asgiref",
    # Extensions that wrap app.handle_exception / handle_user_exception.
    "flask_cors",
    "flask_restful",
)

#: The module the kit's own exceptions come from.
_KIT = "flask_conformance"


def raised_where(app: Flask, error: BaseException) -> str:
    """`` in the app's <kind> function 'name' (file, line N)``, or ``""``.

    ``""`` too for the kit's own exceptions: the probe raised them itself.
    """
    if _is_kits_own(error):
        return ""
    frame = _first_app_frame(error.__traceback__)
    if frame is None:
        return ""
    code = frame.tb_frame.f_code
    kind = _kind_of(app, code)
    place = f"{os.path.basename(code.co_filename)}, line {frame.tb_lineno}"
    innermost = _innermost(error.__traceback__)
    if innermost is not None and innermost.tb_frame.f_code is not code and _is_app_frame(innermost):
        inner = innermost.tb_frame.f_code
        place += (
            f", via {inner.co_name} in {os.path.basename(inner.co_filename)}, "
            f"line {innermost.tb_lineno}"
        )
    label = f"{kind} function" if kind else "function"
    return f" in the app's {label} {code.co_name!r} ({place})"


def _is_kits_own(error: BaseException) -> bool:
    module = type(error).__module__ or ""
    return module == _KIT or module.startswith(_KIT + ".")


def _is_app_frame(tb: TracebackType) -> bool:
    module = tb.tb_frame.f_globals.get("__name__", "")
    return module.split(".")[0] not in _NOT_THE_APP


def _first_app_frame(tb: TracebackType | None) -> TracebackType | None:
    while tb is not None:
        if _is_app_frame(tb):
            return tb
        tb = tb.tb_next
    return None


def _innermost(tb: TracebackType | None) -> TracebackType | None:
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    return last


def _kind_of(app: Flask, code: CodeType) -> str | None:
    """The hook list (or view table) that holds the function with ``code``."""
    registries: list[tuple[str, Iterable[Callable[..., Any]]]] = [
        ("url_value_preprocessor", _flatten(app.url_value_preprocessors)),
        ("before_request", _flatten(app.before_request_funcs)),
        ("after_request", _flatten(app.after_request_funcs)),
        ("teardown_request", _flatten(app.teardown_request_funcs)),
        ("teardown_appcontext", app.teardown_appcontext_funcs),
        ("context_processor", _flatten(app.template_context_processors)),
        ("view", app.view_functions.values()),
        ("errorhandler", _error_handlers(app)),
    ]
    for kind, functions in registries:
        for function in functions:
            if _code_of(function) is code:
                return kind
    return None


def _flatten(by_scope: dict[Any, list[Callable[..., Any]]]) -> list[Callable[..., Any]]:
    return [function for functions in by_scope.values() for function in functions]


def _error_handlers(app: Flask) -> list[Callable[..., Any]]:
    found = []
    for by_code in app.error_handler_spec.values():
        for handlers in by_code.values():
            found.extend(handlers.values())
    return found


def _code_of(function: Callable[..., Any]) -> CodeType | None:
    view_class = getattr(function, "view_class", None)
    if view_class is not None:
        function = getattr(view_class, "dispatch_request", function)
    return getattr(inspect.unwrap(function), "__code__", None)
