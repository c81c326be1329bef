"""Steps for the contexts a test, a CLI command or a background job sees
from outside a request (features/context/lifecycle.feature, CX-01 to CX-04,
CX-06, CX-07, G-12).

Most steps act from the test's side: they push contexts of the app under test
by hand, ask Flask whether a context is active, and pop contexts out of order.
Every context a step pushes is popped before the step ends.

Which teardown functions ran is read from the probe's own hooks, which record
into the current context's g once :func:`trace_this_context` asks them to.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from typing import Any

import flask
import pytest
from flask import Flask
from flask.ctx import AppContext, RequestContext
from pytest_bdd import parsers, then, when

from flask_conformance.compat.flask import app_ctx, request_ctx
from flask_conformance.drive.address import address_of
from flask_conformance.drive.probe import (
    PREFIX,
    TRACE_HEADER,
    ProbeHandledError,
    ProbeUnhandledError,
    new_trace_id,
    probe_state,
    trace_this_context,
)
from flask_conformance.drive.proxies import current_object
from flask_conformance.drive.visitors import Visitors

from .checks import expect, shown_error
from .hooks import registrant, table_steps
from .shared import one_of

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
        else app.test_request_context(
            TRACED_PAGE, base_url=address_of(app).base_url, headers={TRACE_HEADER: trace_id}
        )
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


@dataclass(frozen=True)
class Refusal:
    """How Flask refuses what the test did: the error it raises, words its
    message holds, and the behaviour the refusal is."""

    error: type[BaseException]
    says: str
    behaviour: str


#: Flask's refusals, by the words after "saying" in the step.
REFUSALS: dict[str, Refusal] = {
    **{
        f"it popped the wrong {kind} context": Refusal(
            AssertionError,
            f"Popped wrong {kind} context",
            "a context that is not the current one cannot be popped: Flask raises instead of"
            " leaving the contexts mixed up (CX-06)",
        )
        for kind in ("app", "request")
    },
    **{
        f"{helper} can only be used in a request context": Refusal(
            RuntimeError,
            f"'{helper}' can only be used when a request context is active",
            "after_this_request and copy_current_request_context need a request: outside one"
            " they raise a RuntimeError that says so (CX-07)",
        )
        for helper in OUTSIDE_CALLS
    },
}


@then(parsers.re(r"Flask refused with an? (?P<error>\w+) saying " + one_of("saying", REFUSALS)))
def refused(refusal: BaseException | None, error: str, saying: str) -> None:
    """The refusal is the behaviour, so any other outcome breaks it."""
    row = REFUSALS[saying]
    if error != row.error.__name__:
        raise AssertionError(f"Flask says {saying!r} with {row.error.__name__}, not {error}.")
    expect(
        isinstance(refusal, row.error) and row.says in str(refusal),
        row.behaviour,
        f"{row.error.__name__}: {row.says} (...)",
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
