"""The probe's hooks, its traced view and its error views.

What a traced request passes through: a url_value_preprocessor, before and
after_request and teardown functions at app level and in a parent and a
child blueprint, a view that raises, aborts or re-enters contexts as asked,
and error handlers at each level. Each records itself on the request's trace
(:func:`flask_conformance.drive.probe.record`); the query string chooses what
a hook does instead (short-circuit, raise). Part of the probe blueprint
(:mod:`flask_conformance.drive.probe`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    make_response,
    redirect,
    request,
    session,
)

from ..compat.flask import app_ctx, request_ctx
from .probe import (
    EXTENSION_KEY,
    G_PREFIX,
    G_UPLOAD,
    TRACE_HEADER,
    ProbeHandledError,
    ProbeUnhandledError,
    begin_trace,
    drop_note,
    record,
)
from .proxies import current_object

if TYPE_CHECKING:
    from flask.blueprints import BlueprintSetupState


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


def add_app_level_hooks(bp: Blueprint) -> None:
    """Hooks that Flask appends to the *app's* lists when the probe registers."""

    @bp.app_url_value_preprocessor
    def app_url_value_preprocessor(endpoint: str | None, values: dict[str, Any] | None) -> Any:
        begin_trace()
        record("url_value_preprocessor", "app", endpoint=endpoint)
        if request.headers.get(TRACE_HEADER) and _query_arg_is("uvp_returns", "redirect"):
            return redirect("/elsewhere")  # Flask ignores this (reference H-09)
        return None

    for number in (1, 2):

        def before_app(number: int = number) -> Any:
            record("before_request", "app", number=number)
            if request.headers.get(TRACE_HEADER) and _query_arg_is("short_circuit", f"app-{number}"):
                return _short_circuit_answer("answered by the app's before_request")
            return None

        before_app.__name__ = f"before_app_request_{number}"
        bp.before_app_request(before_app)

        def after_app(response: Any, number: int = number) -> Any:
            record("after_request", "app", number=number, status=response.status_code)
            return response

        after_app.__name__ = f"after_app_request_{number}"
        bp.after_app_request(after_app)

    @bp.teardown_app_request
    def teardown_app(exc: BaseException | None) -> None:
        late_write = drop_note(f"{G_PREFIX}teardown_write")
        if late_write is not None:
            late_write(exc)
        upload = drop_note(G_UPLOAD)
        if upload is not None:
            upload.open_in_teardown = not upload.stream.closed
        record("teardown_request", "app", exception=_exc_name(exc))

    def teardown_appcontext(exc: BaseException | None) -> None:
        state = current_app.extensions.get(EXTENSION_KEY)
        if state is not None:
            state.teardown_appcontext_calls += 1
        record("teardown_appcontext", "app", exception=_exc_name(exc))

    def register_teardown(setup: BlueprintSetupState) -> None:
        setup.app.teardown_appcontext(teardown_appcontext)

    bp.record_once(register_teardown)


def add_blueprint_hooks(bp: Blueprint, owner: str) -> None:
    slug = owner.split()[0]

    @bp.url_value_preprocessor
    def url_value_preprocessor(endpoint: str | None, values: dict[str, Any] | None) -> Any:
        record("url_value_preprocessor", owner)
        if request.headers.get(TRACE_HEADER) and _query_arg_is("uvp_returns", "redirect"):
            return redirect("/elsewhere")
        return None

    @bp.before_request
    def before_request() -> Any:
        record("before_request", owner)
        if request.headers.get(TRACE_HEADER) and _query_arg_is("short_circuit", slug):
            return _short_circuit_answer(f"answered by the {owner}'s before_request")
        return None

    @bp.after_request
    def after_request(response: Any) -> Any:
        record("after_request", owner, status=response.status_code)
        if request.headers.get(TRACE_HEADER) and _query_arg_is("after_request_raises", slug):
            # On every response, the 500 it causes included (E-06).
            raise ProbeUnhandledError(f"raised by the {owner}'s after_request")
        return response

    @bp.teardown_request
    def teardown_request(exc: BaseException | None) -> None:
        record("teardown_request", owner, exception=_exc_name(exc))


def add_trace_views(child: Blueprint) -> None:
    @child.errorhandler(ProbeHandledError)
    def handle_probe_error(error: ProbeHandledError) -> Any:
        record("errorhandler", "child blueprint", exception=type(error).__name__)
        return "handled by the child blueprint", 418

    @child.route("/view", methods=["GET", "POST"])
    def traced_view() -> Any:
        record("view", "child blueprint")
        if _query_arg_is("reenter", "contexts"):
            # Push the request's own contexts again and leave them (CX-05).
            own_app_context = current_object(app_ctx)
            own_request_context = current_object(request_ctx)
            with own_app_context, own_request_context:
                record("reentered", "child blueprint")
            # Werkzeug's back-reference from the environ to the request, which
            # Flask clears only when the request's own, first push ends.
            intact = request.environ.get("werkzeug.request") is own_request_context.request
            record("left again", "child blueprint", request_intact=intact)
        for number in range(1, int(request.args.get("after_this_request", "0")) + 1):

            def callback(response: Any, number: int = number) -> Any:
                record("after_this_request", "view", number=number)
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


def add_error_views(parent: Blueprint) -> Blueprint:
    """Views whose errors show which errorhandler Flask picks (E-01, E-02, E-09).

    The parent blueprint's view raises the error only the child blueprint
    handles; the ``errors`` blueprint has a 500 and a 409 handler of its own,
    so that the probe never stands in for the app's handlers on any other page.
    """

    @parent.route("/parent-view")
    def parent_view() -> Any:
        record("view", "parent blueprint")
        raise ProbeHandledError("raised by the parent blueprint's view")

    errors = Blueprint("errors", __name__)

    @errors.errorhandler(500)
    def handle_server_error(error: Any) -> Any:
        original = getattr(error, "original_exception", None)
        record("errorhandler", "errors blueprint", original=_exc_name(original))
        return "answered by the errors blueprint's 500 handler", 500

    @errors.errorhandler(409)
    def handle_conflict(error: Any) -> Any:
        record("errorhandler", "errors blueprint", code=error.code)
        return "answered by the errors blueprint's 409 handler", 409

    @errors.route("/conflict")
    def conflicting_view() -> Any:
        record("view", "errors blueprint")
        abort(409)

    @errors.route("/made-response")
    def aborts_with_response() -> Any:
        """``abort(response)``: an HTTPException with no code, carrying the view's response (E-13)."""
        record("view", "errors blueprint")
        abort(make_response("made by the errors blueprint's view", 409))

    @errors.route("/folder/", strict_slashes=True)  # whatever the app's url_map says
    def folder() -> Any:
        """A URL with a trailing slash: asked for without it, routing redirects (E-12)."""
        record("view", "errors blueprint")
        return "folder"

    @errors.route("/view")
    def failing_view() -> Any:
        record("view", "errors blueprint")
        raise ProbeUnhandledError("raised by the errors blueprint's view")

    return errors


def _exc_name(exc: BaseException | None) -> str:
    return "None" if exc is None else type(exc).__name__
