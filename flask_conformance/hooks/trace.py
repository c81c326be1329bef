"""Which of the target's own hooks run, in what order, for three kinds of request.

A reviewer reading a conformance report wants to know what the app itself does
around every request: which ``before_request`` loads the user, which teardown
closes the database, whether a login gate answers pages that should be 404.
The hook trace answers that for an ordinary page, a static file and an unknown
URL, naming every hook by its qualified name (``flaskr.auth.load_logged_in_user``).

The trace is taken once, when the target is loaded, by swapping the app's hook
lists for wrapped copies for the duration of the three requests and putting the
very same lists back afterwards. Each wrapper calls the app's function with the
arguments Flask gave it, so a hook with the wrong signature fails exactly as it
would without the wrapper; no request outside the trace is affected.

The kit's own probe hooks are left out: they are not the app's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, has_request_context
from werkzeug.exceptions import HTTPException

from ..drive.address import address_of
from ..drive.probe import PREFIX, opened_session

#: The hook registries of a Flask app that the trace records, in Flask's order.
SCOPED_HOOKS = (
    ("url_value_preprocessors", "url_value_preprocessor"),
    ("before_request_funcs", "before_request"),
    ("after_request_funcs", "after_request"),
    ("teardown_request_funcs", "teardown_request"),
)
#: A path no sensible app routes; the trace asks for it as "an unknown URL".
UNKNOWN_PATH = "/flask-conformance-no-such-page"
#: How a before_request can end a request: by returning a value or by abort().
_ANSWERS = ("answered", "aborted")
#: Statuses that mean "turned away" rather than "the app broke" (a 500).
_KEPT_OUT = frozenset({301, 302, 303, 307, 308, 400, 401, 403})
#: The modules of the kit's probe, whose hooks are not the app's.
_PROBE_MODULES = frozenset(
    {
        "flask_conformance.drive.probe",
        "flask_conformance.drive.probe_hooks",
        "flask_conformance.drive.probe_session_views",
        "flask_conformance.drive.probe_g_views",
        "flask_conformance.drive.probe_blueprints",
    }
)


def qualified_name(func: Callable[..., Any]) -> str:
    """``module.qualname`` of a hook, the way a reviewer finds it in the code."""
    inner = getattr(func, "__func__", func)
    module = getattr(inner, "__module__", None) or "?"
    name = getattr(inner, "__qualname__", None) or getattr(inner, "__name__", None)
    if name is None:  # a callable object or a partial
        name = type(inner).__qualname__
    return f"{module}.{name}"


def is_kit_hook(func: Callable[..., Any]) -> bool:
    module = getattr(getattr(func, "__func__", func), "__module__", "") or ""
    return module in _PROBE_MODULES


def own_hooks(app: Flask) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    """Every hook the app registered itself: (kind, scope, function).

    ``scope`` is ``"app"`` or the blueprint's name; blueprint hooks live in the
    app's registries under the blueprint's name once it is registered.
    """
    for attribute, kind in SCOPED_HOOKS:
        for scope, funcs in getattr(app, attribute).items():
            for func in funcs:
                if not is_kit_hook(func):
                    yield kind, scope or "app", func
    for func in app.teardown_appcontext_funcs:
        if not is_kit_hook(func):
            yield "teardown_appcontext", "app", func


@dataclass
class TracedRequest:
    """One traced request: where it went and which of the app's hooks ran."""

    label: str
    path: str | None
    status: int | None = None
    location: str | None = None
    #: The ``WWW-Authenticate`` header of the answer: HTTP authentication's login.
    challenge: str | None = None
    hooks: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    note: str | None = None

    @property
    def short_circuited_by(self) -> str | None:
        for hook in self.hooks:
            if hook["kind"] == "before_request" and hook["outcome"] in _ANSWERS:
                return str(hook["name"])
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "request": self.label,
            "method": "GET",
            "path": self.path,
            "status": self.status,
            "location": self.location,
            "short_circuited_by": self.short_circuited_by,
            "error": self.error,
            "note": self.note,
            "hooks": self.hooks,
        }


def _wrap(
    app: Flask, kind: str, scope: str, func: Callable[..., Any], events: list[dict[str, Any]]
) -> Callable[..., Any]:
    name = qualified_name(func)
    call = app.ensure_sync(func)  # an async hook is awaited as Flask would

    def traced(*args: Any, **kwargs: Any) -> Any:
        event: dict[str, Any] = {"kind": kind, "scope": scope, "name": name, "outcome": "ran"}
        events.append(event)
        accessed_before = _session_accessed()
        try:
            result = call(*args, **kwargs)
        except HTTPException as error:  # abort(401): an answer, not a crash
            event["outcome"] = "aborted"
            event["aborted_with"] = error.code
            raise
        except Exception as error:
            event["outcome"] = f"raised {type(error).__name__}: {error}"
            raise
        if accessed_before is False and _session_accessed():
            event["reads_session"] = True
        if kind == "before_request" and result is not None:
            event["outcome"] = "answered"
        return result

    # What functools.wraps would set, without copying the name: mypy's function type
    # declares no __wrapped__.
    traced.__wrapped__ = func  # type: ignore[attr-defined]
    return traced


def _session_accessed() -> bool | None:
    """Whether the request's session was used so far (None: no session to ask)."""
    if not has_request_context():
        return None
    accessed = getattr(opened_session(), "accessed", None)
    return None if accessed is None else bool(accessed)


def session_readers(traces: list[dict[str, Any]]) -> list[str]:
    """The app's hooks that read the session on a traced request where nothing had
    read it before them (neither an earlier hook nor, for an after_request, the view).

    Such a hook reads it whenever nothing else does, so no request of the app leaves
    the session untouched (and every response varies on Cookie). Every traced request
    is asked, not only the unknown URL: an app with a catch-all route (a wiki's
    ``/<path:path>``) serves that URL with a view that reads the session first, which
    hides the hook there; Flask-Login's own after_request is such a hook. Only hooks
    of the whole app count (``before_request`` on the app, a blueprint's
    ``before_app_request``): a blueprint's own hook runs only for that blueprint's
    pages, and the app's other pages stay untouched by it.
    """
    readers: list[str] = []
    for traced in traces:
        for hook in traced["hooks"]:
            app_wide = hook.get("scope", "app") == "app"
            if app_wide and hook.get("reads_session") and str(hook["name"]) not in readers:
                readers.append(str(hook["name"]))
    return readers


@contextmanager
def recording(app: Flask, events: list[dict[str, Any]]) -> Iterator[None]:
    """Record the app's own hooks into ``events`` while the block runs.

    The app's registries get new lists of wrappers; the original list objects
    are put back afterwards, so nothing of the app changes for later requests.
    """
    saved: list[tuple[dict[Any, list[Any]], Any, list[Any]]] = []
    for attribute, kind in SCOPED_HOOKS:
        registry = getattr(app, attribute)
        for scope, funcs in list(registry.items()):
            saved.append((registry, scope, funcs))
            registry[scope] = [
                func if is_kit_hook(func) else _wrap(app, kind, scope or "app", func, events)
                for func in funcs
            ]
    teardowns = app.teardown_appcontext_funcs
    app.teardown_appcontext_funcs = [
        func if is_kit_hook(func) else _wrap(app, "teardown_appcontext", "app", func, events)
        for func in teardowns
    ]
    try:
        yield
    finally:
        for registry, scope, funcs in saved:
            registry[scope] = funcs
        app.teardown_appcontext_funcs = teardowns


def trace_request(app: Flask, label: str, path: str) -> TracedRequest:
    """GET ``path`` on ``app`` with a fresh client and record the app's hooks."""
    traced = TracedRequest(label, path)
    client = app.test_client()
    with recording(app, traced.hooks):
        try:
            client_path, base_url = address_of(app).client_args(path)
            response = client.get(client_path, base_url=base_url)
        except (Exception, SystemExit) as error:  # noqa: BLE001 - the app let it escape
            traced.error = f"{type(error).__name__}: {error}"
            return traced
    traced.status = response.status_code
    traced.location = response.headers.get("Location")
    traced.challenge = response.headers.get("WWW-Authenticate")
    response.close()
    return traced


def page_path(app: Flask, preferred: str | None = None) -> str | None:
    """An ordinary page to trace: ``preferred``, else ``/``, else a plain GET rule."""
    if preferred:
        return preferred
    candidates = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in (rule.methods or ()):
            continue
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        if rule.rule.startswith(PREFIX):
            continue
        candidates.append(rule.rule)
    if "/" in candidates:
        return "/"
    return min(candidates, key=lambda rule: (len(rule), rule)) if candidates else None


def static_path(app: Flask) -> str | None:
    """The URL of one file in the app's static folder, or None."""
    folder = app.static_folder
    if not app.has_static_folder or folder is None:
        return None
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            relative = os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
            return f"{(app.static_url_path or '/static').rstrip('/')}/{relative}"
    return None


def trace_app(app: Flask, page: str | None = None) -> list[TracedRequest]:
    """Trace an ordinary page, a static file and an unknown URL of ``app``."""
    traces = []
    ordinary = page_path(app, page)
    if ordinary is None:
        traces.append(TracedRequest("an ordinary page", None, note="the app has no GET page"))
    else:
        traces.append(trace_request(app, "an ordinary page", ordinary))
    static = static_path(app)
    if static is None:
        traces.append(
            TracedRequest("a static file", None, note="the app has no static folder with a file")
        )
    else:
        traces.append(trace_request(app, "a static file", static))
    traces.append(trace_request(app, "an unknown URL", UNKNOWN_PATH))
    return traces


def probe_blocker(app: Flask) -> str | None:
    """Why the kit's probe cannot be reached on ``app``, in one line, or None.

    The kit sets aside what an app-wide ``before_request`` answers to its own
    requests (:mod:`flask_conformance.drive.probe_access`), so a login gate or a
    CSRF check no longer keeps it out. What is left is protection the kit
    cannot see into (WSGI middleware, a proxy in front of the app) or a hook
    the kit was not allowed to wrap: then no spec that works through the
    probe can run, and the hook checks, which need no probe, still do.
    """
    path = f"{PREFIX}/untouched"
    traced = trace_request(app, "the kit's probe", path)
    gate = traced.short_circuited_by
    if gate is None and traced.status not in _KEPT_OUT:
        return None  # reached, or the app raised: the scenarios report that, naming the function
    answer = f"{traced.status}" + (f" to {traced.location}" if traced.location else "")
    by = (
        f"the app's before_request {gate}"
        if gate is not None
        else "something outside Flask's request hooks (WSGI middleware, say)"
    )
    return (
        f"The kit's own request GET {path} was answered {answer} by {by} before it reached "
        f"the kit's probe, so only the hook checks could run: let requests for paths under "
        f"{PREFIX} through (for example only when app.testing is set) and run the kit again."
    )


def format_trace(traces: list[dict[str, Any]]) -> list[str]:
    """The trace as lines for the terminal: one block per request."""
    lines: list[str] = []
    for traced in traces:
        if traced["path"] is None:
            lines.append(f"{traced['request']}: none ({traced['note']})")
            continue
        if traced["error"]:
            answer = f"raised {traced['error']}"
        else:
            answer = str(traced["status"])
            if traced["location"]:
                answer += f" to {traced['location']}"
        lines.append(f"GET {traced['path']} ({traced['request']}) -> {answer}")
        if not traced["hooks"]:
            lines.append("    (none of the app's own hooks ran)")
        for hook in traced["hooks"]:
            scope = "" if hook["scope"] == "app" else f" [blueprint {hook['scope']}]"
            outcome = hook["outcome"]
            if outcome in _ANSWERS:
                outcome = f"{outcome} the request itself: the view never ran"
            shown = "" if outcome == "ran" else f"  <- {outcome}"
            if hook.get("reads_session"):
                shown += "  (reads the session)"
            lines.append(f"    {hook['kind']:<24}{hook['name']}{scope}{shown}")
    return lines
