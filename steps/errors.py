"""Steps for what hooks and teardown see when a view fails.

Whether an unhandled exception becomes a 500 or escapes to the test client
depends on TESTING, DEBUG and PROPAGATE_EXCEPTIONS (E-02, E-03), so every
scenario here sets them explicitly on the app under test (the fixture restores
its config afterwards). The traced requests and the order checks come from
:mod:`steps.hooks`.

An app with a catch-all ``errorhandler(Exception)`` leaves no error
unhandled, so the unhandled-error scenarios do not apply to it; whether its
handler answers a crash as a server error is still judged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance import verdicts
from flask_conformance.browser import Exchange
from flask_conformance.hooktrace import qualified_name
from flask_conformance.probe import ProbeUnhandledError
from flask_conformance.visitors import Visitors

from .checks import expect
from .hooks import (
    ALL_AFTER_REQUEST,
    ALL_TEARDOWNS,
    HookTrace,
    make_traced_request,
    registrant,
)

#: Feature wording for a config flag: on, off, or left to its default (None).
_FLAG = {"on": True, "off": False, "unset": None}


# -- how the app treats errors ---------------------------------------------


@given("the app turns unhandled errors into 500 responses, as in production")
def production_error_handling(app_under_test: Flask) -> None:
    app_under_test.config.update(TESTING=False, DEBUG=False, PROPAGATE_EXCEPTIONS=False)


@given("the app runs with TESTING on")
def testing_on(app_under_test: Flask) -> None:
    app_under_test.config.update(TESTING=True, DEBUG=False, PROPAGATE_EXCEPTIONS=None)


@given(
    parsers.re(
        r"the app runs with TESTING (?P<testing>on|off)"
        r" and PROPAGATE_EXCEPTIONS (?P<propagate>on|off|unset)"
    )
)
def testing_and_propagation(app_under_test: Flask, testing: str, propagate: str) -> None:
    app_under_test.config.update(
        TESTING=_FLAG[testing], DEBUG=False, PROPAGATE_EXCEPTIONS=_FLAG[propagate]
    )


# -- failing requests ------------------------------------------------------


@when(
    parsers.re(
        r"(?P<name>\w+)'s traced request raises an error that the blueprint's errorhandler handles"
    ),
    target_fixture="hook_trace",
)
def raises_handled(visitors: Visitors, name: str) -> HookTrace:
    return make_traced_request(visitors, name, "raise=handled")


def catch_all_handler(app: Flask) -> Callable[..., Any] | None:
    """The app-wide errorhandler that catches every exception, if the app has one.

    Flask looks an exception's classes up, most specific first, among the
    handlers registered without a status code; one for ``Exception`` (or
    ``BaseException``) therefore catches whatever a view raises.
    """
    handlers = app.error_handler_spec.get(None, {}).get(None, {})
    for cls in ProbeUnhandledError.__mro__:
        if cls in handlers:
            return handlers[cls]
    return None


def crash(visitors: Visitors, name: str, query: str) -> HookTrace:
    """A traced request whose view raises an exception the app does not know.

    When the app's catch-all errorhandler answered it, no error was left
    unhandled: the scenario is not applicable, unless that answer hides the
    failure (anything below 500), which fails.
    """
    trace = make_traced_request(visitors, name, query)
    expect_unhandled(visitors, trace.exchange)
    return trace


def expect_unhandled(visitors: Visitors, exchange: Exchange) -> None:
    """Return when Flask's unhandled-error path ran for ``exchange``; else judge the
    catch-all errorhandler that answered it (see :func:`crash`)."""
    handler = catch_all_handler(visitors.app)
    if handler is None or exchange.error is not None or exchange.app_error is not None:
        return  # Flask's unhandled-error path ran: the scenario judges it
    label = qualified_name(handler)
    expect(
        exchange.status is not None and exchange.status >= 500,
        "an error the app did not expect is answered as a server error, even by a catch-all "
        "errorhandler",
        f"the app's errorhandler(Exception) {label} to answer the probe's unexpected error "
        "with a 5xx status",
        f"it answered {exchange.status}, so clients, proxies and monitoring take the failure "
        "for a success: return a 500 for exceptions that are not HTTP errors (and an "
        "HTTPException as itself)",
        exchange,
    )
    verdicts.not_applicable(
        f"the app handles every exception: its errorhandler(Exception) {label} answered the "
        f"probe's unexpected error with {exchange.status}, so Flask's unhandled-error path "
        "(an exception that reaches the test client, teardowns that receive it) never runs "
        "in this app"
    )


@when(
    parsers.re(r"(?P<name>\w+)'s traced request raises an error that nothing handles"),
    target_fixture="hook_trace",
)
def raises_unhandled(visitors: Visitors, name: str) -> HookTrace:
    return crash(visitors, name, "raise=unhandled")


@when(parsers.re(r"(?P<name>\w+)'s traced request aborts with 403"), target_fixture="hook_trace")
def aborts(visitors: Visitors, name: str) -> HookTrace:
    return make_traced_request(visitors, name, "raise=abort")


@when(
    parsers.re(
        r'(?P<name>\w+)\'s request stores "(?P<value>[^"]+)" under "(?P<key>[^"]+)"'
        r" in the session and then crashes"
    ),
    target_fixture="hook_trace",
)
def stores_then_crashes(visitors: Visitors, name: str, value: str, key: str) -> HookTrace:
    return crash(visitors, name, f"session_key={key}&session_value={value}&raise=unhandled")


@when(
    parsers.re(
        r"(?P<name>\w+)'s traced request registers (?P<count>\d+) after_this_request callbacks"
        r" and then crashes"
    ),
    target_fixture="hook_trace",
)
def callbacks_then_crash(visitors: Visitors, name: str, count: str) -> HookTrace:
    return crash(visitors, name, f"after_this_request={int(count)}&raise=unhandled")


# -- what the hooks saw ----------------------------------------------------


@then(parsers.re(r"the response was made by the (?P<owner>.+)'s errorhandler"))
def made_by_errorhandler(hook_trace: HookTrace, owner: str) -> None:
    handlers = hook_trace.registrants("errorhandler")
    expect(
        handlers == [owner] and hook_trace.exchange.error is None,
        "an exception with a registered errorhandler becomes that handler's response (E-01)",
        f"the {owner}'s errorhandler to run once and answer",
        f"errorhandlers that ran: {', '.join(handlers) or 'none'}; {hook_trace.describe()}",
        hook_trace.exchange,
    )


@then(parsers.re(r"every after_request function ran on the (?P<status>\d{3}) response"))
def after_requests_ran_on(hook_trace: HookTrace, status: str) -> None:
    calls = hook_trace.calls("after_request")
    ran = [f"{registrant(call)} ({call['status']})" for call in calls]
    expected = [f"{who} ({status})" for who in ALL_AFTER_REQUEST]
    expect(
        ran == expected,
        f"after_request functions process the {status} response like any other (E-01, E-02, E-05)",
        ", ".join(expected),
        ", ".join(ran) or "no after_request function ran",
        hook_trace.exchange,
    )


@then("no after_request function ran")
def no_after_request(hook_trace: HookTrace) -> None:
    ran = hook_trace.registrants("after_request")
    expect(
        not ran,
        "when an exception escapes to the test client there is no response to process (E-03)",
        "no after_request call",
        f"after_request ran for {', '.join(ran)}",
        hook_trace.exchange,
    )


@then(parsers.re(r"every teardown function received (?P<received>no exception|\w+)"))
def teardowns_received(hook_trace: HookTrace, received: str) -> None:
    wanted = "None" if received == "no exception" else received
    got = [
        (event["hook"], registrant(event), event.get("exception"))
        for event in hook_trace.events
        if event["hook"] in ("teardown_request", "teardown_appcontext")
    ]
    expected = [(hook, who, wanted) for hook, who in ALL_TEARDOWNS]
    expect(
        got == expected,
        "every teardown runs, and gets the exception only when it was unhandled (E-01, E-02, E-05)",
        ", ".join(f"{hook} ({who}) got {exc}" for hook, who, exc in expected),
        ", ".join(f"{hook} ({who}) got {exc}" for hook, who, exc in got) or "no teardown ran",
        hook_trace.exchange,
    )


@then(parsers.re(r"the error reached the test client as (?P<error>\w+)"))
def error_reached_client(hook_trace: HookTrace, error: str) -> None:
    raised = hook_trace.exchange.error
    expect(
        raised is not None and type(raised).__name__ == error,
        "with TESTING on, an unhandled exception propagates out of the test client (E-03)",
        f"the test client to raise {error}",
        (
            f"it got a {hook_trace.exchange.status} response"
            if raised is None
            else f"it raised {type(raised).__name__}"
        ),
        hook_trace.exchange,
    )


@then(parsers.re(r"the unhandled error (?P<outcome>became a 500 response|reached the test client)"))
def unhandled_error_outcome(hook_trace: HookTrace, outcome: str) -> None:
    exchange = hook_trace.exchange
    if outcome == "reached the test client":
        happened = exchange.error is not None
    else:
        happened = exchange.error is None and exchange.status == 500
    expect(
        happened,
        "PROPAGATE_EXCEPTIONS decides whether an unhandled error escapes; when unset,"
        " TESTING (or DEBUG) decides (E-02, E-03)",
        f"the error {outcome}",
        f"the test client raised {type(exchange.error).__name__}"
        if exchange.error
        else f"a {exchange.status} response",
        exchange,
    )
