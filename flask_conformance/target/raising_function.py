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
extensions such as Flask-CORS, Flask-RESTful and Flask-RESTX wrap Flask's
exception handling, so their frames sit in every traceback and are not the
app's code either; nor is any frame that only passed on an error the kit's
probe raised (:func:`_first_app_frame`).

Reports that point at source (SARIF for code scanning) need the place as data,
not words: :func:`raised_at` gives the file and line of the same frame, and
:func:`app_functions` the file and first line of every hook, view and error
handler the app registered, by the qualified name the kit's messages use;
:func:`raised_through` the names of every function an error passed through.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
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
    "flask_restx",
    "flask_restplus",
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


def raised_at(error: BaseException) -> dict[str, Any] | None:
    """The app's function that raised ``error``, as data: file, line, function.

    The same frame :func:`raised_where` names; None when it names none.
    """
    if _is_kits_own(error):
        return None
    frame = _first_app_frame(error.__traceback__)
    if frame is None:
        return None
    code = frame.tb_frame.f_code
    return {"file": code.co_filename, "line": frame.tb_lineno, "function": code.co_name}


def raised_through(error: BaseException) -> list[str]:
    """The names of the functions ``error`` passed through, outermost first.

    For a check of *which stage* of a request raised (a session interface's
    ``save_session``, after the view returned), whoever's code that is.
    """
    return [frame.f_code.co_name for frame, _ in traceback.walk_tb(error.__traceback__)]


def app_functions(app: Flask) -> dict[str, dict[str, Any]]:
    """Every hook, view and error handler of the app's own: qualified name -> place.

    The kit's messages name an app's hook by its qualified name
    (``myapp.auth.load_user``); this says where that function is written.
    The kit's own probe functions, Flask's and extensions' are left out.
    """
    from ..hooks.trace import qualified_name  # the names the kit's messages use

    places: dict[str, dict[str, Any]] = {}
    for _kind, functions in _registries(app):
        for function in functions:
            code = _code_of(function)
            name = qualified_name(function)
            if code is None or name.split(".")[0] in _NOT_THE_APP:
                continue
            places.setdefault(name, {"file": code.co_filename, "line": code.co_firstlineno})
    return dict(sorted(places.items()))


def factory_place(import_string: str) -> dict[str, Any] | None:
    """Where the app named by ``import_string`` is made: file and line, or None.

    A finding the kit cannot pin on one function (a cookie setting, a session
    interface) is still the app's, and the factory or module that builds the
    app is where its settings are made: the factory's first line, or the line
    that assigns a module-level app. The module is imported already (the kit
    loaded the app from it), so nothing of the app runs again here.
    """
    module_name, _, attribute = import_string.partition(":")
    module = sys.modules.get(module_name.strip())
    filename = getattr(module, "__file__", None)
    if module is None or not filename:
        return None
    name = attribute.split("(")[0].strip()
    found = getattr(module, name, None) if name else None
    code = getattr(inspect.unwrap(found), "__code__", None) if callable(found) else None
    if code is not None and not isinstance(found, Flask):
        return {"file": code.co_filename, "line": code.co_firstlineno, "function": name}
    assignment = re.compile(rf"^{re.escape(name or 'app')}\s*[:=]")
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    line = next((n for n, text in enumerate(lines, 1) if assignment.match(text)), 1)
    return {"file": filename, "line": line, "function": name or "app"}


def _is_kits_own(error: BaseException) -> bool:
    module = type(error).__module__ or ""
    return module == _KIT or module.startswith(_KIT + ".")


def _is_app_frame(tb: TracebackType) -> bool:
    module = tb.tb_frame.f_globals.get("__name__", "")
    return module.split(".")[0] not in _NOT_THE_APP


def _first_app_frame(tb: TracebackType | None) -> TracebackType | None:
    """The outermost of the app's frames below the kit's innermost one.

    The kit's frames come first in every traceback (its browser sent the
    request) and, for an error of the kit's probe, last: what the probe
    called raised it. An extension's frame between them wraps Flask's error
    handling (it caught the probe's error and passed it on), whatever its
    name, so it did not raise it.
    """
    kit = None
    walk = tb
    while walk is not None:
        if _is_kit_frame(walk):
            kit = walk
        walk = walk.tb_next
    if kit is not None:
        tb = kit.tb_next
    while tb is not None:
        if _is_app_frame(tb):
            return tb
        tb = tb.tb_next
    return None


def _is_kit_frame(tb: TracebackType) -> bool:
    return str(tb.tb_frame.f_globals.get("__name__", "")).split(".")[0] == _KIT


def _innermost(tb: TracebackType | None) -> TracebackType | None:
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    return last


def _kind_of(app: Flask, code: CodeType) -> str | None:
    """The hook list (or view table) that holds the function with ``code``."""
    for kind, functions in _registries(app):
        for function in functions:
            if _code_of(function) is code:
                return kind
    return None


def _registries(app: Flask) -> list[tuple[str, Iterable[Callable[..., Any]]]]:
    """Each kind of function Flask calls for the app, with the app's functions of it."""
    return [
        ("url_value_preprocessor", _flatten(app.url_value_preprocessors)),
        ("before_request", _flatten(app.before_request_funcs)),
        ("after_request", _flatten(app.after_request_funcs)),
        ("teardown_request", _flatten(app.teardown_request_funcs)),
        ("teardown_appcontext", app.teardown_appcontext_funcs),
        ("context_processor", _flatten(app.template_context_processors)),
        ("view", app.view_functions.values()),
        ("errorhandler", _error_handlers(app)),
    ]


def _flatten(by_scope: dict[Any, list[Callable[..., Any]]]) -> list[Callable[..., Any]]:
    return [function for functions in by_scope.values() for function in functions]


def _error_handlers(app: Flask) -> list[Callable[..., Any]]:
    found: list[Callable[..., Any]] = []
    for by_code in app.error_handler_spec.values():
        for handlers in by_code.values():
            found.extend(handlers.values())
    return found


def _code_of(function: Callable[..., Any]) -> CodeType | None:
    view_class = getattr(function, "view_class", None)
    if view_class is not None:
        function = getattr(view_class, "dispatch_request", function)
    return getattr(inspect.unwrap(function), "__code__", None)
