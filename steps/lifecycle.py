"""Steps for the lifecycle of contexts and the signals Flask sends.

These scenarios are about what a test, a CLI command or a background job
sees from outside a request, so most steps act from the test's side: they
push contexts of the app under test by hand, ask Flask whether a context is
active, run a job a request handed over in a thread, and listen to the app's
signals. Every context a step pushes is popped before the step ends, and the
signal receivers are disconnected when the scenario ends.

Which teardown functions ran is read from the probe's own hooks, which record
into the current context's g once :func:`trace_this_context` asks them to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from typing import Any

import flask
import pytest
from blinker import Signal
from flask import Flask
from flask.ctx import AppContext, RequestContext
from pytest_bdd import given, parsers, then, when

from flask_conformance.compat.flask import app_ctx, request_ctx
from flask_conformance.drive.probe import (
    PREFIX,
    TRACE_HEADER,
    ProbeHandledError,
    ProbeUnhandledError,
    new_trace_id,
    probe_state,
    trace_this_context,
)
from flask_conformance.drive.probe_g_views import run_job
from flask_conformance.drive.proxies import current_object
from flask_conformance.drive.visitors import Visitors

from .checks import expect, shown_error
from .errors import expect_unhandled
from .hooks import HookTrace, make_traced_request, registrant, table_steps

#: The probe page a context pushed by hand is for: under both probe blueprints,
#: so that their teardown_request functions run as well as the app's.
TRACED_PAGE = f"{PREFIX}/nested/view"


# -- contexts left behind (CX-01, G-12) ------------------------------------


def active_contexts() -> str:
    """The contexts active in the test right now, in words ("" when none).

    Read from Flask's context proxies, which are false when unbound, not from
    has_app_context(): that is a behaviour of its own (CX-04).
    """
    found = []
    if request_ctx:
        found.append(f"a request context for {request_ctx.request.path}")
    if app_ctx:
        found.append(f"an app context of {app_ctx.app.name!r}")
    return " and ".join(found)


@when('the test\'s "with client:" block ends')
def leave_with_client(kept_contexts: ExitStack) -> None:
    kept_contexts.close()


@then("no request context and no app context is active in the test")
def no_context_left(visitors: Visitors) -> None:
    left = active_contexts()
    expect(
        not left,
        "when a request, a with client: block or a with block ends, its request and app"
        " contexts are popped, so the next request starts with a new g (CX-01, G-12)",
        "no context active in the test",
        f"{left} {'were' if ' and ' in left else 'was'} still active",
        visitors.log[-1:],
    )


# -- contexts pushed by hand (CX-02, CX-03, CX-04) ------------------------


#: A context of either kind: both push, pop and work as ``with`` blocks.
Context = AppContext | RequestContext


def _pop(context: Context) -> None:
    context.pop()


def _pop_after_caught_error(context: Context) -> None:
    try:
        raise ProbeHandledError("raised and caught by the test")
    except ProbeHandledError:
        pass
    context.pop()


def _pop_while_handling_error(context: Context) -> None:
    try:
        raise ProbeHandledError("raised and caught by the test")
    except ProbeHandledError:
        context.pop()  # Flask passes the error being handled to the teardowns


#: How a test ends a request context it pushed by hand, in the feature's words.
ENDINGS: dict[str, Callable[[Context], None]] = {
    "pops it": _pop,
    "pops it after catching an error of its own": _pop_after_caught_error,
    "pops it while handling an error of its own": _pop_while_handling_error,
}
LEAVES_BY_ERROR = "leaves its with block by an error"


def pushed_by_hand(app: Flask, kind: str, ending: str) -> list[dict[str, Any]]:
    """Push a ``kind`` context ("app", or "request" for a probe page), end it as
    ``ending`` says; the hooks it ran."""
    trace_id = new_trace_id()
    context: Context = (
        app.app_context()
        if kind == "app"
        else app.test_request_context(TRACED_PAGE, headers={TRACE_HEADER: trace_id})
    )
    if ending == LEAVES_BY_ERROR:
        with pytest.raises(ProbeUnhandledError), context:
            trace_this_context(trace_id)
            raise ProbeUnhandledError("raised in the test's with block")
    else:
        context.push()
        trace_this_context(trace_id)
        ENDINGS[ending](context)
    return probe_state(app).traces[trace_id]


@when(
    parsers.re(
        r"the test pushes (?:a (?P<request>request) context for a page|an app context) of the"
        r" app by hand and (?P<ending>.+)"
    ),
    target_fixture="teardown_events",
)
def push_by_hand(app_under_test: Flask, request: str | None, ending: str) -> list[dict[str, Any]]:
    return pushed_by_hand(app_under_test, request or "app", ending)


def popped_out_of_order(app: Flask, kind: str) -> BaseException | None:
    """Push two ``kind`` contexts, pop the first while the second is on top; what Flask raised.

    Flask resets its context variable to before the first push either way, so
    nothing is left active; the second context is dropped unpopped.
    """
    first, second = (
        (app.app_context(), app.app_context())
        if kind == "app"
        else (app.test_request_context(), app.test_request_context())
    )
    first.push()
    second.push()
    try:
        first.pop()
    except Exception as error:  # noqa: BLE001 - what Flask says is the answer
        return error
    with suppress(Exception):  # Flask let it through: end what is left, if anything
        second.pop()
    return None


@when(
    parsers.re(
        r"the test pushes two (?P<kind>app|request) contexts of the app by hand and pops the"
        r" first one first"
    ),
    target_fixture="refusal",
)
def pop_out_of_order(app_under_test: Flask, kind: str) -> BaseException | None:
    return popped_out_of_order(app_under_test, kind)


@then(
    parsers.re(
        r"Flask refused with an AssertionError saying it popped the wrong (?P<kind>app|request)"
        r" context"
    )
)
def refused_wrong_pop(refusal: BaseException | None, kind: str) -> None:
    words = f"Popped wrong {kind} context"
    expect(
        isinstance(refusal, AssertionError) and words in str(refusal),
        "a context that is not the current one cannot be popped: Flask raises instead of"
        " leaving the contexts mixed up (CX-06)",
        f"AssertionError: {words}. (...)",
        shown_error(refusal),
    )


#: What a test calls outside any context, by the helper's name.
OUTSIDE_CALLS: dict[str, Callable[[], Any]] = {
    "after_this_request": lambda: flask.after_this_request(lambda response: response),
    "copy_current_request_context": lambda: flask.copy_current_request_context(lambda: None),
}


@when(parsers.re(r"the test calls (?P<helper>\w+) outside any context"), target_fixture="refusal")
def call_outside(helper: str) -> BaseException | None:
    try:
        OUTSIDE_CALLS[helper]()
    except Exception as error:  # noqa: BLE001 - what Flask says is the answer
        return error
    return None


@then(
    parsers.re(
        r"Flask refused with a RuntimeError saying (?P<helper>\w+) can only be used in a"
        r" request context"
    )
)
def refused_outside(refusal: BaseException | None, helper: str) -> None:
    words = f"'{helper}' can only be used when a request context is active"
    expect(
        isinstance(refusal, RuntimeError) and words in str(refusal),
        "after_this_request and copy_current_request_context need a request: outside one they"
        " raise a RuntimeError that says so (CX-07)",
        f"RuntimeError: {words}, ...",
        shown_error(refusal),
    )


@then(parsers.re(r"its teardown functions ran once each, in order, receiving (?P<exception>\w+):"))
def teardowns_received(
    teardown_events: list[dict[str, Any]], exception: str, datatable: list[list[str]]
) -> None:
    expected = [(hook, who, exception) for hook, who in table_steps(datatable)]
    found = [
        (event["hook"], registrant(event), event.get("exception"))
        for event in teardown_events
        if event["hook"].startswith("teardown")
    ]
    expect(
        found == expected,
        "popping a context pushed by hand runs every teardown function once, in order, with"
        " the error that ended it, or with None (CX-02, H-13)",
        " -> ".join(f"{hook} ({who}, {exc})" for hook, who, exc in expected),
        " -> ".join(f"{hook} ({who}, {exc})" for hook, who, exc in found) or "no teardown ran",
    )


#: The contexts a feature may push, by the call that makes them.
CONTEXT_CALLS = {
    "app.app_context()": lambda app: app.app_context(),
    "app.test_request_context()": lambda app: app.test_request_context(),
}


@dataclass
class EnteredContext:
    """What the test saw inside a ``with`` block of a context of the app."""

    handed: Any
    current_app_context: Any
    current_request_context: Any
    has_app_context: bool
    has_request_context: bool


def enter(app: Flask, call: str) -> EnteredContext:
    with CONTEXT_CALLS[call](app) as handed:
        return EnteredContext(
            handed=handed,
            current_app_context=current_object(app_ctx) if app_ctx else None,
            current_request_context=(current_object(request_ctx) if request_ctx else None),
            has_app_context=flask.has_app_context(),
            has_request_context=flask.has_request_context(),
        )


@when(
    parsers.re(r"the test enters (?P<call>\S+) in a with block"),
    target_fixture="entered",
)
def enter_context(app_under_test: Flask, call: str) -> EnteredContext:
    return enter(app_under_test, call)


@then(
    parsers.re(
        r"inside the block, the context it was handed was the current (?P<kind>app|request)"
        r" context, of the app"
    )
)
def handed_current_context(app_under_test: Flask, entered: EnteredContext, kind: str) -> None:
    current = entered.current_app_context if kind == "app" else entered.current_request_context
    handed = entered.handed
    expect(
        handed is not None and handed is current and getattr(handed, "app", None) is app_under_test,
        f"with app.{'app' if kind == 'app' else 'test_request'}_context() as ctx: hands over the"
        f" {kind} context it pushed, the current one inside the block (CX-03)",
        f"the current {kind} context of {app_under_test.name!r}",
        f"{handed!r}, while the current {kind} context was {current!r}",
    )


@when(
    parsers.re(
        r"the test asks Flask (?:inside (?P<call>\S+)|outside any context) whether"
        r" contexts are active"
    ),
    target_fixture="entered",
)
def ask_flask(app_under_test: Flask, call: str | None) -> EnteredContext:
    if call is not None:
        return enter(app_under_test, call)
    return EnteredContext(
        handed=None,
        current_app_context=None,
        current_request_context=None,
        has_app_context=flask.has_app_context(),
        has_request_context=flask.has_request_context(),
    )


@then(
    parsers.re(
        r"Flask answers (?P<app>True|False) for an app context and (?P<request>True|False)"
        r" for a request context"
    )
)
def flask_answers(entered: EnteredContext, app: str, request: str) -> None:
    found = (entered.has_app_context, entered.has_request_context)
    expect(
        found == (app == "True", request == "True"),
        "has_app_context() and has_request_context() say whether such a context is active (CX-04)",
        f"has_app_context() {app}, has_request_context() {request}",
        f"has_app_context() {found[0]}, has_request_context() {found[1]}",
    )


# -- pushing the request's own contexts again (CX-05) -----------------------


@when(
    parsers.re(
        r"(?P<name>\w+)'s traced request pushes its own app and request contexts again"
        r" and leaves them"
    ),
    target_fixture="hook_trace",
)
def reenter_contexts(visitors: Visitors, name: str) -> HookTrace:
    return make_traced_request(visitors, name, "reenter=contexts")


@then("the request's teardown functions ran once each, after its after_request functions")
def teardowns_once_at_end(hook_trace: HookTrace) -> None:
    hooks = [hook for hook, _ in hook_trace.steps()]
    teardowns = [i for i, hook in enumerate(hooks) if hook.startswith("teardown")]
    last_after = max((i for i, hook in enumerate(hooks) if hook == "after_request"), default=-1)
    expect(
        "reentered" in hooks
        and len(teardowns) == 4
        and all(i > last_after for i in teardowns)
        and last_after >= 0,
        "a context pushed again while it is active is only torn down when its first push"
        " is popped, at the end of the request (CX-05)",
        "reentered -> ... after_request -> teardown_request (child, parent, app) ->"
        " teardown_appcontext, each teardown once",
        hook_trace.describe(),
        hook_trace.exchange,
    )


@then("the request was still intact in the view once it had left them")
def request_intact(hook_trace: HookTrace) -> None:
    left = hook_trace.calls("left again")
    expect(
        bool(left) and all(event.get("request_intact") for event in left),
        "leaving a context pushed again leaves the request as it was: Flask only clears it"
        " when the request's own context is popped (CX-05)",
        "the request still attached to its WSGI environ after the inner contexts ended",
        "it was detached" if left else "the view did not get past the inner contexts",
        hook_trace.exchange,
    )


# -- a job that keeps the request (G-14) ------------------------------------


@when(
    parsers.re(
        r'(?P<name>\w+)\'s request stores "(?P<value>[^"]*)" under "(?P<key>\w+)" in the session'
        r" and hands over a job with (?P<how>\S+)"
    ),
    target_fixture="job_id",
)
def hand_over_job(visitors: Visitors, name: str, value: str, key: str, how: str) -> str:
    return visitors[name].hand_over_job(how, key, value)


@when("the job runs in a thread of its own after the response", target_fixture="job_saw")
def job_runs(app_under_test: Flask, job_id: str) -> dict[str, Any]:
    return run_job(app_under_test, job_id)


def expect_job_ran(visitors: Visitors, job_saw: dict[str, Any]) -> None:
    expect(
        "raised" not in job_saw,
        "a job handed over with copy_current_request_context or a copied request context"
        " runs later inside that request's context (G-14)",
        "the job to run and report what it saw",
        f"the job raised {job_saw.get('raised')}",
        visitors.last_response,
    )


@then(parsers.re(r"the job saw (?P<name>\w+)'s request, the very request object"))
def job_saw_request(visitors: Visitors, job_saw: dict[str, Any], name: str) -> None:
    expect_job_ran(visitors, job_saw)
    expect(
        job_saw["request_context"]
        and job_saw["same_request"]
        and job_saw["path"] == f"{PREFIX}/job",
        "a copied request context carries the request object itself (G-14)",
        f"the request for {PREFIX}/job, the same object",
        f"the request for {job_saw['path']}"
        + ("" if job_saw["same_request"] else ", another request object"),
        visitors.last_response,
    )


@then(
    parsers.re(
        r'the job saw the request\'s own session object, holding "(?P<value>[^"]*)"'
        r' under "(?P<key>\w+)"'
    )
)
def job_saw_session(visitors: Visitors, job_saw: dict[str, Any], value: str, key: str) -> None:
    expect_job_ran(visitors, job_saw)
    expect(
        job_saw["same_session"] and job_saw["value"] == value,
        "a copied request context carries the request's session object, with what the request"
        " put in it, not a session reloaded from the cookie (G-14)",
        f"the request's session object, holding {value!r} under {key!r}",
        f"{'the same' if job_saw['same_session'] else 'another'} session object, holding"
        f" {job_saw['value']!r} under {key!r}",
        visitors.last_response,
    )


@then("the job's g did not hold what the request put on g")
def job_has_own_g(visitors: Visitors, job_saw: dict[str, Any]) -> None:
    expect_job_ran(visitors, job_saw)
    expect(
        job_saw["request_g"] is None,
        "a copied request context pushed in another thread gets an app context, and a g, of"
        " its own (G-14)",
        "nothing of the request's on the job's g",
        f"the job's g held {job_saw['request_g']!r}",
        visitors.last_response,
    )


# -- signals (SIG-01, SIG-02) -----------------------------------------------

#: The signals the specs listen to, and the keyword of what each one carries
#: (an exception, or the response).
SIGNALS: dict[str, str | None] = {
    "appcontext_pushed": None,
    "request_started": None,
    "got_request_exception": "exception",
    "request_finished": "response",
    "request_tearing_down": "exc",
    "appcontext_tearing_down": "exc",
    "appcontext_popped": None,
}


@dataclass
class SignalLog:
    """The signals the app sent while the test listened: ``(signal, what it carried)``.

    What a signal carried is an exception's class name (``"None"`` for no
    exception), a response as ``"500 response"``, or ``""`` for a signal that
    carries nothing.
    """

    app: Flask
    sent: list[tuple[str, str]] = field(default_factory=list)
    _receivers: list[tuple[Signal, Any]] = field(default_factory=list)

    def listen(self) -> None:
        for name, keyword in SIGNALS.items():
            signal: Signal = getattr(flask, name)

            def receiver(
                sender: Any, name: str = name, keyword: str | None = keyword, **extra: Any
            ) -> None:
                self.sent.append((name, "" if keyword is None else _carried(extra.get(keyword))))

            signal.connect(receiver, self.app, weak=False)
            self._receivers.append((signal, receiver))

    def stop(self) -> None:
        for signal, receiver in self._receivers:
            signal.disconnect(receiver, self.app)
        self._receivers.clear()


@pytest.fixture
def signal_log(app_under_test: Flask) -> Iterator[SignalLog]:
    """The app's signals, recorded while the scenario listens."""
    log = SignalLog(app_under_test)
    yield log
    log.stop()


@given("the test listens to the app's signals")
def listen_to_signals(signal_log: SignalLog) -> None:
    signal_log.listen()


@when(parsers.re(r"(?P<name>\w+)'s request raises an error that nothing handles"))
def untraced_crash(visitors: Visitors, name: str) -> None:
    """An untraced request to a probe page that raises (a traced one asks again for its trace)."""
    exchange = visitors[name].browser.get(f"{TRACED_PAGE}?raise=unhandled", raise_errors=False)
    expect_unhandled(visitors, exchange)  # not applicable to an app that handles every error


@then("the app sent these signals, once each, in this order:")
def signals_in_order(visitors: Visitors, signal_log: SignalLog, datatable: list[list[str]]) -> None:
    _, *rows = datatable
    expected = [(signal.strip(), carried.strip()) for signal, carried in rows]
    found = signal_log.sent
    expect(
        found == expected,
        "Flask sends each request signal once, in the order of a request's life, request_finished"
        " with the response, and the exception of an unhandled error with got_request_exception"
        " and the teardown signals (SIG-01, SIG-02, H-01)",
        " -> ".join(_shown_signal(pair) for pair in expected),
        " -> ".join(_shown_signal(pair) for pair in found) or "no signal",
        visitors.log[-1:],
    )


def _carried(value: Any) -> str:
    """An exception, None or a response, as the feature's table writes it."""
    if value is None:
        return "None"
    if isinstance(value, BaseException):
        return type(value).__name__
    return f"{getattr(value, 'status_code', '?')} response"


def _shown_signal(pair: tuple[str, str]) -> str:
    name, carried = pair
    return f"{name}({carried})" if carried else name
