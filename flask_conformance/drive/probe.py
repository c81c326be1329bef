"""The probe: a blueprint the kit registers on the app under test.

Steps never reach into an app's code. Everything a scenario needs done *inside*
a request (store, read, pop or clear session values, mutate a nested value,
make the session permanent, put values on ``g``, record which hooks ran) is an
endpoint of this blueprint, mounted under :data:`PREFIX`. Because the probe runs
inside the target app, every spec exercises that app's own session interface,
config, ``g`` class and hooks.

The probe's hooks record events only for requests that carry the
:data:`TRACE_HEADER`; for every other request they do nothing, so the app's own
pages behave exactly as without the probe.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    got_request_exception,
    jsonify,
    request,
    session,
)

from ..compat.flask import opened_session_of, request_ctx
from .address import remember_address
from .proxies import current_object
from .sample_values import describe

#: URL prefix reserved for the probe.
PREFIX = "/__conformance__"
BLUEPRINT_NAME = "_conformance"
#: Requests carrying this header have their hook events recorded under its value.
TRACE_HEADER = "X-Conformance-Trace"
#: ``g`` attributes set by the probe start with this, so they never clash with
#: the app's own.
G_PREFIX = "conformance_"
EXTENSION_KEY = "flask_conformance"


class ProbeHandledError(Exception):
    """Raised by a probe view and handled by the probe's error handler."""


class ProbeUnhandledError(Exception):
    """Raised by a probe view; no handler exists for it."""


@dataclass
class KeptUpload:
    """A file uploaded to the probe, kept past its request (H-18)."""

    stream: Any
    open_in_view: bool
    #: Whether it was still open when the app-wide teardown_request ran (None: not seen).
    open_in_teardown: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "open_in_view": self.open_in_view,
            "open_in_teardown": self.open_in_teardown,
            "closed_now": bool(self.stream.closed),
        }


@dataclass
class ProbeState:
    """What the probe remembers between requests, kept in ``app.extensions``."""

    traces: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    teardown_appcontext_calls: int = 0
    #: Exceptions Flask turned into error responses (``got_request_exception``):
    #: without TESTING they never reach the client, but they are the evidence.
    errors: list[BaseException] = field(default_factory=list)
    #: Gates of requests held open mid-flight, by name: (started, release).
    gates: dict[str, tuple[threading.Event, threading.Event]] = field(default_factory=dict)
    #: Functions a request handed over to run later (G-14), by job id.
    jobs: dict[str, Callable[[], dict[str, Any]]] = field(default_factory=dict)
    #: How the kit gets its probe through the app's protection
    #: (:mod:`flask_conformance.drive.probe_access`); kept for the whole run.
    csrf_exempted: bool = False
    #: The app's before_request functions whose answer to a probe request was
    #: set aside, by qualified name: what they answered (``302 to /login``).
    answers_set_aside: dict[str, str] = field(default_factory=dict)
    #: Files uploaded to the probe, by the name the kit gave them: kept after
    #: their request, to see whether Flask closed them (H-18).
    uploads: dict[str, KeptUpload] = field(default_factory=dict)
    #: Config values the kit set for the scenario (``SESSION_COOKIE_SECURE``:
    #: False), to tell whether the app's own code put its own back.
    settings: dict[str, Any] = field(default_factory=dict)

    def reset(self) -> None:
        self.settings.clear()
        self.gates.clear()
        self.jobs.clear()
        self.uploads.clear()
        self.traces.clear()
        self.teardown_appcontext_calls = 0
        self.errors.clear()


def probe_state(app: Flask) -> ProbeState:
    state: ProbeState = app.extensions[EXTENSION_KEY]
    return state


#: Set on the untouched page's response: "1" when the app's own hooks changed
#: the session before the view ran (they write it on every request).
SESSION_CHANGED_HEADER = "X-Conformance-Session-Changed"


def opened_session() -> Any:
    """The request's session as opened so far, or None, without touching it.

    Not through the ``session`` proxy: since Flask 3.1.3 looking through it
    counts as using the session (and adds ``Vary: Cookie``), and Flask 3.1.3
    opens the session lazily, into ``_session``.
    """
    return opened_session_of(current_object(request_ctx))


def changed_before_view() -> bool:
    """Whether the request's session is already modified, without touching it."""
    return bool(getattr(opened_session(), "modified", False))


def install_probe(app: Flask) -> ProbeState:
    """Register the probe on ``app`` once; return its state."""
    if BLUEPRINT_NAME not in app.blueprints:
        app.extensions[EXTENSION_KEY] = ProbeState()
        remember_address(app)
        app.register_blueprint(_build_blueprint(), url_prefix=PREFIX)
        got_request_exception.connect(_remember_error, app, weak=False)
    return probe_state(app)


def _remember_error(sender: Flask, exception: BaseException, **extra: Any) -> None:
    probe_state(sender).errors.append(exception)


# -- the probe's own notes on g ----------------------------------------------
#
# The probe keeps its notes on g with plain attribute access only (getattr,
# setattr, delattr), never with g.get, g.pop or ``in``: those are behaviours
# the specs judge (G-03), and a g whose pop or get is broken must fail those
# scenarios by name instead of breaking every request the probe answers.

_MISSING = object()


def noted(name: str) -> Any:
    """The probe's note ``name`` on g, or None."""
    value = getattr(g, name, _MISSING)
    return None if value is _MISSING else value


def drop_note(name: str) -> Any:
    """Take the probe's note ``name`` off g; its value, or None."""
    value = noted(name)
    try:
        delattr(g, name)
    except (AttributeError, KeyError):  # not there (KeyError: a dict-based g)
        pass
    return value


# -- recording -------------------------------------------------------------

_G_TRACE = f"{G_PREFIX}trace"
_G_TRACE_ID = f"{G_PREFIX}trace_id"
_G_TOKEN = f"{G_PREFIX}token"
G_UPLOAD = f"{G_PREFIX}upload"
#: The probe's own notes on g, never shown as what a scenario put there.
PROBE_NOTES = frozenset({_G_TRACE, _G_TRACE_ID, _G_TOKEN, G_UPLOAD})


def begin_trace() -> None:
    """Start recording if this request asked for it (first probe hook to run).

    Keyed on the trace id rather than on an empty ``g``, so that a traced
    request still records when ``g`` carries over from an earlier request
    (a context the test pushed, G-06, or an app that shares ``g``).
    """
    trace_id = request.headers.get(TRACE_HEADER)
    if trace_id is None:
        # An untraced request whose g carried a trace over stops recording it.
        drop_note(_G_TRACE)
        drop_note(_G_TRACE_ID)
        return
    if noted(_G_TRACE_ID) != trace_id:
        trace_this_context(trace_id)


def trace_this_context(trace_id: str) -> None:
    """Record the probe's hooks that run in the current app context under ``trace_id``.

    A request starts it from its first hook; a test that pushes a context by
    hand, where no request hook runs, calls it itself.
    """
    events: list[dict[str, Any]] = []
    probe_state(current_app).traces[trace_id] = events
    setattr(g, _G_TRACE, events)
    setattr(g, _G_TRACE_ID, trace_id)
    setattr(g, _G_TOKEN, uuid.uuid4().hex)


def record(hook: str, owner: str, **detail: Any) -> None:
    """Record a hook call on this request's trace, if the request asked for one."""
    events = noted(_G_TRACE) if g else None
    if events is None:
        return
    detail["same_g"] = noted(_G_TOKEN) is not None
    events.append({"hook": hook, "owner": owner, **detail})


# -- the blueprint ---------------------------------------------------------


def _build_blueprint() -> Blueprint:
    # The view modules import this one's names; imported here, once this module is complete.
    from .probe_g_views import add_context_views, add_g_views
    from .probe_hooks import (
        add_app_level_hooks,
        add_blueprint_hooks,
        add_error_views,
        add_trace_views,
    )
    from .probe_session_views import add_flash_views, add_session_views

    parent = Blueprint(BLUEPRINT_NAME, __name__)
    child = Blueprint("nested", __name__)
    add_app_level_hooks(parent)
    add_blueprint_hooks(parent, "parent blueprint")
    add_blueprint_hooks(child, "child blueprint")
    add_trace_views(child)
    add_session_views(parent)
    add_g_views(parent)
    add_context_views(parent)
    _add_state_views(parent)
    _add_held_views(parent)
    _add_upload_views(parent)
    add_flash_views(parent)
    errors = add_error_views(parent)
    parent.register_blueprint(child, url_prefix="/nested")
    parent.register_blueprint(errors, url_prefix="/errors")
    return parent


def _add_state_views(bp: Blueprint) -> None:
    @bp.route("/trace/<trace_id>")
    def read_trace(trace_id: str) -> Any:
        return jsonify(events=probe_state(current_app).traces.get(trace_id, []))

    @bp.route("/stats")
    def stats() -> Any:
        return jsonify(teardown_appcontext_calls=probe_state(current_app).teardown_appcontext_calls)


#: The longest a held request waits for the kit to let it go, in real seconds:
#: a scenario that never releases it fails instead of hanging the run.
HOLD_LIMIT = 10.0


def _add_held_views(bp: Blueprint) -> None:
    @bp.route("/session/held", methods=["POST"])
    def held_request() -> Any:
        """A request that loads the session, waits mid-flight, then maybe writes.

        It stands for a slow request still running while the same visitor's
        next request (a logout) comes and goes; the kit opens the gate it
        waits on. ``write`` false makes it read only.
        """
        body = request.get_json()
        started, release = probe_state(current_app).gates[body["gate"]]
        loaded = dict(session)
        started.set()
        if not release.wait(HOLD_LIMIT):
            abort(504)
        if body.get("write"):
            session[body["key"]] = body["value"]
        return jsonify(loaded_keys=sorted(loaded))


def _add_upload_views(bp: Blueprint) -> None:
    @bp.route("/upload", methods=["POST"])
    def keep_upload() -> Any:
        """Keep the uploaded file past the request, then end as asked (H-18).

        ``then`` is ``answer``, ``abort`` (403) or ``raise`` (an error that
        nothing handles).
        """
        stream = request.files["upload"].stream
        kept = KeptUpload(stream, open_in_view=not stream.closed and bool(stream.read()))
        probe_state(current_app).uploads[request.form["name"]] = kept
        setattr(g, G_UPLOAD, kept)
        then = request.form.get("then", "answer")
        if then == "abort":
            abort(403)
        if then == "raise":
            raise ProbeUnhandledError("raised by the probe's upload view")
        return jsonify(kept=request.form["name"])

    @bp.route("/upload/<name>")
    def read_upload(name: str) -> Any:
        kept = probe_state(current_app).uploads.get(name)
        return jsonify(seen=False) if kept is None else jsonify(seen=True, **kept.as_dict())


_trace_ids = itertools.count(1)


def new_trace_id() -> str:
    return f"trace-{next(_trace_ids)}"


def jsonable(value: Any) -> Any:
    """``value`` if JSON can carry it unchanged, else its description."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {key: jsonable(item) for key, item in value.items()}
    return describe(value)
