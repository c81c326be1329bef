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
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Flask,
    abort,
    after_this_request,
    copy_current_request_context,
    current_app,
    flash,
    g,
    get_flashed_messages,
    got_request_exception,
    has_request_context,
    jsonify,
    make_response,
    redirect,
    request,
    session,
)

from ..compat.flask import FlaskGlobals, app_ctx, opened_session_of, request_ctx
from .proxies import current_object
from .sample_values import describe, sample

if TYPE_CHECKING:
    from flask.blueprints import BlueprintSetupState

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

    def reset(self) -> None:
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


def _changed_before_view() -> bool:
    """Whether the request's session is already modified, without touching it."""
    return bool(getattr(opened_session(), "modified", False))


def install_probe(app: Flask) -> ProbeState:
    """Register the probe on ``app`` once; return its state."""
    if BLUEPRINT_NAME not in app.blueprints:
        app.extensions[EXTENSION_KEY] = ProbeState()
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


def _noted(name: str) -> Any:
    """The probe's note ``name`` on g, or None."""
    value = getattr(g, name, _MISSING)
    return None if value is _MISSING else value


def _drop_note(name: str) -> Any:
    """Take the probe's note ``name`` off g; its value, or None."""
    value = _noted(name)
    try:
        delattr(g, name)
    except (AttributeError, KeyError):  # not there (KeyError: a dict-based g)
        pass
    return value


# -- recording -------------------------------------------------------------

_G_TRACE = f"{G_PREFIX}trace"
_G_TRACE_ID = f"{G_PREFIX}trace_id"
_G_TOKEN = f"{G_PREFIX}token"
_G_UPLOAD = f"{G_PREFIX}upload"
#: The probe's own notes on g, never shown as what a scenario put there.
_NOTES = frozenset({_G_TRACE, _G_TRACE_ID, _G_TOKEN, _G_UPLOAD})


def _begin_trace() -> None:
    """Start recording if this request asked for it (first probe hook to run).

    Keyed on the trace id rather than on an empty ``g``, so that a traced
    request still records when ``g`` carries over from an earlier request
    (a context the test pushed, G-06, or an app that shares ``g``).
    """
    trace_id = request.headers.get(TRACE_HEADER)
    if trace_id is None:
        # An untraced request whose g carried a trace over stops recording it.
        _drop_note(_G_TRACE)
        _drop_note(_G_TRACE_ID)
        return
    if _noted(_G_TRACE_ID) != trace_id:
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


def _record(hook: str, owner: str, **detail: Any) -> None:
    events = _noted(_G_TRACE) if g else None
    if events is None:
        return
    detail["same_g"] = _noted(_G_TOKEN) is not None
    events.append({"hook": hook, "owner": owner, **detail})


def record(hook: str, owner: str, **detail: Any) -> None:
    """Record a hook call of the probe's other blueprints on a traced request
    (:mod:`flask_conformance.drive.probe_blueprints`)."""
    _record(hook, owner, **detail)


def _query_arg_is(option: str, value: str) -> bool:
    """Whether the request's query string asks the probe for ``option=value``.

    The steps choose the probe's behaviour per request this way (a
    before_request that answers, an after_request that raises).
    """
    return request.args.get(option) == value


#: What a short-circuiting before_request returns instead of its text when the
#: request asks with ``answer_with`` (H-07: any value but None answers).
_SHORT_CIRCUIT_ANSWERS: dict[str, Any] = {
    "empty-string": "",
    "empty-dict": {},
    "empty-list": [],
    "false": False,
}


def _short_circuit_answer(text: str) -> Any:
    """The return value of a short-circuiting before_request of the probe."""
    chosen = request.args.get("answer_with")
    if chosen in _SHORT_CIRCUIT_ANSWERS:
        return _SHORT_CIRCUIT_ANSWERS[chosen]
    return text, 200


# -- the blueprint ---------------------------------------------------------


def _build_blueprint() -> Blueprint:
    parent = Blueprint(BLUEPRINT_NAME, __name__)
    child = Blueprint("nested", __name__)
    _add_app_level_hooks(parent)
    _add_blueprint_hooks(parent, "parent blueprint")
    _add_blueprint_hooks(child, "child blueprint")
    _add_trace_views(child)
    _add_session_views(parent)
    _add_g_views(parent)
    _add_context_views(parent)
    _add_state_views(parent)
    _add_held_views(parent)
    _add_upload_views(parent)
    _add_flash_views(parent)
    errors = _add_error_views(parent)
    parent.register_blueprint(child, url_prefix="/nested")
    parent.register_blueprint(errors, url_prefix="/errors")
    return parent


def _add_app_level_hooks(bp: Blueprint) -> None:
    """Hooks that Flask appends to the *app's* lists when the probe registers."""

    @bp.app_url_value_preprocessor
    def app_url_value_preprocessor(endpoint: str | None, values: dict[str, Any] | None) -> Any:
        _begin_trace()
        _record("url_value_preprocessor", "app", endpoint=endpoint)
        if request.headers.get(TRACE_HEADER) and _query_arg_is("uvp_returns", "redirect"):
            return redirect("/elsewhere")  # Flask ignores this (reference H-09)
        return None

    for number in (1, 2):

        def before_app(number: int = number) -> Any:
            _record("before_request", "app", number=number)
            if request.headers.get(TRACE_HEADER) and _query_arg_is("short_circuit", f"app-{number}"):
                return _short_circuit_answer("answered by the app's before_request")
            return None

        before_app.__name__ = f"before_app_request_{number}"
        bp.before_app_request(before_app)

        def after_app(response: Any, number: int = number) -> Any:
            _record("after_request", "app", number=number, status=response.status_code)
            return response

        after_app.__name__ = f"after_app_request_{number}"
        bp.after_app_request(after_app)

    @bp.teardown_app_request
    def teardown_app(exc: BaseException | None) -> None:
        late_write = _drop_note(f"{G_PREFIX}teardown_write")
        if late_write is not None:
            late_write(exc)
        upload = _drop_note(_G_UPLOAD)
        if upload is not None:
            upload.open_in_teardown = not upload.stream.closed
        _record("teardown_request", "app", exception=_exc_name(exc))

    def teardown_appcontext(exc: BaseException | None) -> None:
        state = current_app.extensions.get(EXTENSION_KEY)
        if state is not None:
            state.teardown_appcontext_calls += 1
        _record("teardown_appcontext", "app", exception=_exc_name(exc))

    def register_teardown(setup: BlueprintSetupState) -> None:
        setup.app.teardown_appcontext(teardown_appcontext)

    bp.record_once(register_teardown)


def _add_blueprint_hooks(bp: Blueprint, owner: str) -> None:
    slug = owner.split()[0]

    @bp.url_value_preprocessor
    def url_value_preprocessor(endpoint: str | None, values: dict[str, Any] | None) -> Any:
        _record("url_value_preprocessor", owner)
        if request.headers.get(TRACE_HEADER) and _query_arg_is("uvp_returns", "redirect"):
            return redirect("/elsewhere")
        return None

    @bp.before_request
    def before_request() -> Any:
        _record("before_request", owner)
        if request.headers.get(TRACE_HEADER) and _query_arg_is("short_circuit", slug):
            return _short_circuit_answer(f"answered by the {owner}'s before_request")
        return None

    @bp.after_request
    def after_request(response: Any) -> Any:
        _record("after_request", owner, status=response.status_code)
        if request.headers.get(TRACE_HEADER) and _query_arg_is("after_request_raises", slug):
            # On every response, the 500 it causes included (E-06).
            raise ProbeUnhandledError(f"raised by the {owner}'s after_request")
        return response

    @bp.teardown_request
    def teardown_request(exc: BaseException | None) -> None:
        _record("teardown_request", owner, exception=_exc_name(exc))


def _add_trace_views(child: Blueprint) -> None:
    @child.errorhandler(ProbeHandledError)
    def handle_probe_error(error: ProbeHandledError) -> Any:
        _record("errorhandler", "child blueprint", exception=type(error).__name__)
        return "handled by the child blueprint", 418

    @child.route("/view", methods=["GET", "POST"])
    def traced_view() -> Any:
        _record("view", "child blueprint")
        if _query_arg_is("reenter", "contexts"):
            # Push the request's own contexts again and leave them (CX-05).
            own_app_context = current_object(app_ctx)
            own_request_context = current_object(request_ctx)
            with own_app_context, own_request_context:
                _record("reentered", "child blueprint")
            # Werkzeug's back-reference from the environ to the request, which
            # Flask clears only when the request's own, first push ends.
            intact = request.environ.get("werkzeug.request") is own_request_context.request
            _record("left again", "child blueprint", request_intact=intact)
        for number in range(1, int(request.args.get("after_this_request", "0")) + 1):

            def callback(response: Any, number: int = number) -> Any:
                _record("after_this_request", "view", number=number)
                return response

            after_this_request(callback)
        if "session_key" in request.args:
            session[request.args["session_key"]] = request.args.get("session_value", "set")
        error = request.args.get("raise")
        if error == "handled":
            raise ProbeHandledError("raised by the probe view")
        if error == "unhandled":
            raise ProbeUnhandledError("raised by the probe view")
        if error == "abort":
            abort(403)
        if error == "bad-request":
            abort(400)
        if error == "missing-form-key":
            return request.form[MISSING_FORM_KEY]  # raises BadRequestKeyError (E-09)
        return "view ran"


#: The form field a probe view reads though no request ever sends it.
MISSING_FORM_KEY = "conformance_missing"


def _add_error_views(parent: Blueprint) -> Blueprint:
    """Views whose errors show which errorhandler Flask picks (E-01, E-02, E-09).

    The parent blueprint's view raises the error only the child blueprint
    handles; the ``errors`` blueprint has a 500 and a 409 handler of its own,
    so that the probe never stands in for the app's handlers on any other page.
    """

    @parent.route("/parent-view")
    def parent_view() -> Any:
        _record("view", "parent blueprint")
        raise ProbeHandledError("raised by the parent blueprint's view")

    errors = Blueprint("errors", __name__)

    @errors.errorhandler(500)
    def handle_server_error(error: Any) -> Any:
        original = getattr(error, "original_exception", None)
        _record("errorhandler", "errors blueprint", original=_exc_name(original))
        return "answered by the errors blueprint's 500 handler", 500

    @errors.errorhandler(409)
    def handle_conflict(error: Any) -> Any:
        _record("errorhandler", "errors blueprint", code=error.code)
        return "answered by the errors blueprint's 409 handler", 409

    @errors.route("/conflict")
    def conflicting_view() -> Any:
        _record("view", "errors blueprint")
        abort(409)

    @errors.route("/made-response")
    def aborts_with_response() -> Any:
        """``abort(response)``: an HTTPException with no code, carrying the view's response (E-13)."""
        _record("view", "errors blueprint")
        abort(make_response("made by the errors blueprint's view", 409))

    @errors.route("/folder/")
    def folder() -> Any:
        """A URL with a trailing slash: asked for without it, routing redirects (E-12)."""
        _record("view", "errors blueprint")
        return "folder"

    @errors.route("/view")
    def failing_view() -> Any:
        _record("view", "errors blueprint")
        raise ProbeUnhandledError("raised by the errors blueprint's view")

    return errors


def _add_session_views(bp: Blueprint) -> None:
    @bp.route("/untouched")
    def untouched() -> Any:
        response = make_response("this view never touches the session")
        # Whether the app's own hooks changed the session before this view ran,
        # read without touching it (a look through the proxy would count as a use).
        response.headers[SESSION_CHANGED_HEADER] = "1" if _changed_before_view() else "0"
        return response

    @bp.route("/session", methods=["GET"])
    def read_session() -> Any:
        data = dict(session)
        return jsonify(
            keys=sorted(data),
            values={key: _jsonable(value) for key, value in data.items()},
            described={key: describe(value) for key, value in data.items()},
            permanent=session.permanent,
        )

    @bp.route("/session/read", methods=["GET"])
    def read_once() -> Any:
        """Perform exactly one kind of read, for the specs on Vary and cookies."""
        how, key = request.args["how"], request.args.get("key", "")

        def index() -> Any:
            try:
                return session[key]
            except KeyError:  # only [], not `in`: that would be a second kind of read
                return None

        readers: dict[str, Callable[[], Any]] = {
            "get": lambda: session.get(key),
            "index": index,
            "contains": lambda: key in session,
            "len": lambda: len(session),
            "bool": lambda: bool(session),
            "permanent": lambda: session.permanent,
        }
        return jsonify(result=_jsonable(readers[how]()))

    @bp.route("/session/store", methods=["POST"])
    def store() -> Any:
        body = request.get_json()
        value = sample(body["sample"]) if "sample" in body else body["value"]
        session[body["key"]] = value
        return jsonify(stored=body["key"])

    @bp.route("/session/update", methods=["POST"])
    def update() -> Any:
        session.update(request.get_json()["values"])
        return jsonify(ok=True)

    @bp.route("/session/setdefault", methods=["POST"])
    def setdefault() -> Any:
        body = request.get_json()
        return jsonify(result=_jsonable(session.setdefault(body["key"], body["value"])))

    @bp.route("/session/pop", methods=["POST"])
    def pop() -> Any:
        body = request.get_json()
        try:
            if "default" in body:
                result = session.pop(body["key"], body["default"])
            else:
                result = session.pop(body["key"])
        except KeyError:
            return jsonify(error="KeyError")
        return jsonify(result=_jsonable(result), still_present=body["key"] in session)

    @bp.route("/session/lookup", methods=["GET"])
    def look_up() -> Any:
        """Ask the session about one key in the three ways code does (M-08)."""
        key = request.args["key"]
        try:
            indexed = {"value": _jsonable(session[key])}
        except KeyError:
            indexed = {"raised": "KeyError"}
        return jsonify(contains=key in session, index=indexed, get=_jsonable(session.get(key)))

    @bp.route("/session/delete", methods=["POST"])
    def delete() -> Any:
        """``del session[key]``, one of the top-level changes Flask notices (M-01)."""
        key = request.get_json()["key"]
        if key in session:
            del session[key]
        return jsonify(ok=True)

    @bp.route("/session/clear", methods=["POST"])
    def clear() -> Any:
        session.clear()
        return jsonify(ok=True)

    @bp.route("/session/append", methods=["POST"])
    def append_in_place() -> Any:
        """Mutate a nested list in place, the case Flask cannot detect (M-05)."""
        body = request.get_json()
        if body["key"] in session:
            session[body["key"]].append(body["item"])
        if body.get("mark_modified"):
            session.modified = True
        return jsonify(ok=True)

    @bp.route("/session/permanent", methods=["POST"])
    def make_permanent() -> Any:
        session.permanent = bool(request.get_json()["value"])
        return jsonify(ok=True)

    @bp.route("/session/mark-modified", methods=["POST"])
    def mark_modified() -> Any:
        session.modified = True
        return jsonify(ok=True)

    @bp.route("/session/teardown-write", methods=["POST"])
    def write_in_teardown() -> Any:
        """Write once in after_this_request and once in teardown (W-06)."""
        key = request.get_json()["key"]

        @after_this_request
        def in_after(response: Any) -> Any:
            session[f"{key}_from_after_request"] = True
            return response

        def in_teardown(exc: BaseException | None) -> None:
            session[f"{key}_from_teardown"] = True

        setattr(g, f"{G_PREFIX}teardown_write", in_teardown)
        return jsonify(ok=True)


def _add_flash_views(bp: Blueprint) -> None:
    @bp.route("/flash", methods=["POST"])
    def flash_message() -> Any:
        """``flash(message)``: kept in the session for the next request (M-11)."""
        flash(request.get_json()["message"])
        return jsonify(ok=True)

    @bp.route("/flashes")
    def flashed_messages() -> Any:
        """What ``get_flashed_messages()`` gives this request, as a page would show it."""
        return jsonify(messages=[_jsonable(m) for m in get_flashed_messages()])


def _add_g_views(bp: Blueprint) -> None:
    @bp.route("/g/<name>", methods=["POST"])
    def set_on_g(name: str) -> Any:
        attr = G_PREFIX + name
        present_before = attr in g
        setattr(g, attr, request.get_json()["value"])
        return jsonify(present_before=present_before)

    @bp.route("/g/<name>", methods=["GET"])
    def read_from_g(name: str) -> Any:
        attr = G_PREFIX + name
        return jsonify(present=attr in g, value=_jsonable(g.get(attr)))

    @bp.route("/g-counter", methods=["POST"])
    def count_on_g() -> Any:
        attr = f"{G_PREFIX}counter"
        setattr(g, attr, g.get(attr, 0) + 1)
        return jsonify(counter=getattr(g, attr))

    @bp.route("/g-nested")
    def nested_app_context() -> Any:
        """Push an app context inside the request and compare the two ``g``."""
        setattr(g, f"{G_PREFIX}outer", "outer")
        outer_g = current_object(g)
        with current_app.app_context():
            inner_sees_outer = f"{G_PREFIX}outer" in g
            same_object = current_object(g) is outer_g
            setattr(g, f"{G_PREFIX}inner", "inner")
        return jsonify(
            inner_sees_outer=inner_sees_outer,
            same_object=same_object,
            outer_sees_inner=f"{G_PREFIX}inner" in g,
            outer_kept_value=g.get(f"{G_PREFIX}outer") == "outer",
        )

    @bp.route("/g-api", methods=["POST"])
    def call_g_api() -> Any:
        """Put the given names on g, make one call of g's API, say what came of it (G-03).

        The call is one of :data:`G_CALLS`, made on the request's own ``g``, so
        the app's ``app_ctx_globals_class`` answers. Names are the probe's
        (prefixed), so the app's own names on g are never touched.
        """
        body = request.get_json()
        for name, value in body["contents"].items():
            setattr(g, G_PREFIX + name, value)
        attr = G_PREFIX + body["name"]
        try:
            result = G_CALLS[body["call"]](attr, *body["default"])
        except Exception as error:  # noqa: BLE001 - what the call raised is the answer
            outcome: dict[str, Any] = {"raised": type(error).__name__}
        else:
            outcome = {"returned": _jsonable(result)}
        outcome["left"] = {
            name[len(G_PREFIX) :]: _jsonable(value) for name, value in _probe_contents_of_g()
        }
        outcome["app_name"] = current_app.name
        return jsonify(outcome)


def _probe_contents_of_g() -> list[tuple[str, Any]]:
    """What the probe put on g, read without g's API where that can be helped.

    Flask's own g class (and a subclass) keeps its names in ``__dict__``, so
    what a call left there is read from it, whatever that call's answer was.
    Another class (an attribute dict, say) is listed and read through its API.
    """
    current = current_object(g)
    if isinstance(current, FlaskGlobals):
        names = [name for name in vars(current) if name.startswith(G_PREFIX)]
        return [(name, vars(current)[name]) for name in names if name not in _NOTES]
    return [(name, getattr(g, name)) for name in _probe_names_on_g()]


def _probe_names_on_g() -> list[str]:
    """The names the probe put on g, in the order g lists them (its own notes aside)."""
    return [name for name in g if name.startswith(G_PREFIX) and name not in _NOTES]


#: The calls of g's API the specs ask about (G-03), by name; each takes the
#: attribute name and, where the call has one, a default.
G_CALLS: dict[str, Callable[..., Any]] = {
    "attribute": lambda name: getattr(g, name),
    "get": lambda name, *default: g.get(name, *default),
    "hasattr": lambda name: hasattr(g, name),
    "contains": lambda name: name in g,
    "pop": lambda name, *default: g.pop(name, *default),
    "delete": lambda name: delattr(g, name),
    "setdefault": lambda name, *default: g.setdefault(name, *default),
    "list": lambda name: [attr[len(G_PREFIX) :] for attr in _probe_names_on_g()],
    "repr": lambda name: repr(g),
}


def _add_context_views(bp: Blueprint) -> None:
    @bp.route("/job", methods=["POST"])
    def hand_over_job() -> Any:
        """Store a value in the session, then hand over a job that runs later (G-14).

        The job keeps the request the way the body says: the decorator
        ``copy_current_request_context``, or ``request_ctx.copy()`` pushed by
        the job itself. The test runs it (:func:`run_job`) after the response.
        """
        body = request.get_json()
        session[body["key"]] = body["value"]
        setattr(g, f"{G_PREFIX}job", "the request's")
        job = _job_reading(body["key"])
        if body["how"] == "copy_current_request_context":
            later = copy_current_request_context(job)
        else:
            copied = request_ctx.copy()

            def later() -> dict[str, Any]:
                with copied:
                    return job()

        job_id = uuid.uuid4().hex
        probe_state(current_app).jobs[job_id] = later
        return jsonify(job=job_id)


def _job_reading(key: str) -> Callable[[], dict[str, Any]]:
    """A job that reports the request and session it sees, compared with this request's."""
    handed_request = current_object(request)
    handed_session = current_object(session)

    def job() -> dict[str, Any]:
        seen_request = current_object(request)
        seen_session = current_object(session)
        return {
            "request_context": has_request_context(),
            "path": request.path,
            "same_request": seen_request is handed_request,
            "value": _jsonable(session.get(key)),
            "same_session": seen_session is handed_session,
            "request_g": _noted(f"{G_PREFIX}job"),
        }

    return job


def run_job(app: Flask, job_id: str) -> dict[str, Any]:
    """Run a job a request handed over, in a thread of its own, as an app would.

    What it saw, or ``{"raised": ...}`` with the exception's name and message.
    """
    job = probe_state(app).jobs.pop(job_id)
    seen: dict[str, Any] = {}

    def run() -> None:
        try:
            seen.update(job())
        except Exception as error:  # noqa: BLE001 - the job's failure is the answer
            seen["raised"] = f"{type(error).__name__}: {error}"

    worker = threading.Thread(target=run, name=f"conformance-job-{job_id[:8]}")
    worker.start()
    worker.join(HOLD_LIMIT)
    if worker.is_alive():
        seen["raised"] = f"the job did not finish within {HOLD_LIMIT:g} seconds"
    return seen


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
        setattr(g, _G_UPLOAD, kept)
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


def _exc_name(exc: BaseException | None) -> str:
    return "None" if exc is None else type(exc).__name__


def _jsonable(value: Any) -> Any:
    """``value`` if JSON can carry it unchanged, else its description."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {key: _jsonable(item) for key, item in value.items()}
    return describe(value)
