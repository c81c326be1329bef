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

import html
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from pytest_bdd import given, parsers, then, when
from werkzeug.exceptions import BadRequest, BadRequestKeyError, Forbidden, HTTPException

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.probe import ProbeUnhandledError
from flask_conformance.drive.probe_hooks import MISSING_FORM_KEY
from flask_conformance.drive.visitors import Visitors
from flask_conformance.hooks.trace import qualified_name
from flask_conformance.plugin import verdicts

from .checks import expect
from .hooks import (
    ALL_AFTER_REQUEST,
    ALL_TEARDOWNS,
    HookTrace,
    make_traced_request,
    registrant,
    split_list,
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


@given(
    parsers.re(
        r"the app runs with DEBUG (?P<debug>on|off)"
        r" and TRAP_BAD_REQUEST_ERRORS (?P<trap>on|off|unset)"
    )
)
def debug_and_trap_bad_request(app_under_test: Flask, debug: str, trap: str) -> None:
    app_under_test.config.update(
        TESTING=False,
        DEBUG=_FLAG[debug],
        PROPAGATE_EXCEPTIONS=None,
        TRAP_BAD_REQUEST_ERRORS=_FLAG[trap],
        TRAP_HTTP_EXCEPTIONS=False,
    )


@given(
    parsers.re(
        r"the app has TRAP_HTTP_EXCEPTIONS (?P<http>on|off)"
        r" and TRAP_BAD_REQUEST_ERRORS (?P<bad_request>on|off|unset)"
    )
)
def trap_settings(app_under_test: Flask, http: str, bad_request: str) -> None:
    app_under_test.config.update(
        TRAP_HTTP_EXCEPTIONS=_FLAG[http], TRAP_BAD_REQUEST_ERRORS=_FLAG[bad_request]
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


def crash(visitors: Visitors, name: str, query: str, page: str = "/nested/view") -> HookTrace:
    """A traced request whose view raises an exception the app does not know.

    When the app's catch-all errorhandler answered it, no error was left
    unhandled: the scenario is not applicable, unless that answer hides the
    failure (anything below 500), which fails.
    """
    trace = make_traced_request(visitors, name, query, page=page)
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


@when(
    parsers.re(r"(?P<name>\w+)'s traced request raises an error that only a 500 handler answers"),
    target_fixture="hook_trace",
)
def raises_for_500_handler(visitors: Visitors, name: str) -> HookTrace:
    """The errors blueprint's view fails; that blueprint has a 500 handler (E-02)."""
    with app_log(visitors.app) as logged:
        trace = crash(visitors, name, "", page="/errors/view")
    trace.logged = logged
    return trace


@when(
    parsers.re(
        r"(?P<name>\w+)'s traced request aborts with 409,"
        r" which the errors blueprint's errorhandler answers"
    ),
    target_fixture="hook_trace",
)
def aborts_with_handled_code(visitors: Visitors, name: str) -> HookTrace:
    return make_traced_request(visitors, name, page="/errors/conflict")


@when(
    parsers.re(r"(?P<name>\w+)'s traced request aborts with a response the view made itself"),
    target_fixture="hook_trace",
)
def aborts_with_response(visitors: Visitors, name: str) -> HookTrace:
    return make_traced_request(visitors, name, page="/errors/made-response")


@when(
    parsers.re(r"(?P<name>\w+)'s traced request leaves the trailing slash off a page's URL"),
    target_fixture="hook_trace",
)
def leaves_slash_off(visitors: Visitors, name: str) -> HookTrace:
    return make_traced_request(visitors, name, page="/errors/folder")


@when(
    parsers.re(
        r"(?P<name>\w+)'s traced request raises, in the parent blueprint's view,"
        r" the error the child blueprint handles"
    ),
    target_fixture="hook_trace",
)
def raises_outside_child(visitors: Visitors, name: str) -> HookTrace:
    """ProbeHandledError, which only the child blueprint handles, from the parent (E-09)."""
    return crash(visitors, name, "", page="/parent-view")


@when(
    parsers.re(
        r"(?P<name>\w+)'s traced request has the child blueprint's after_request fail"
        r" on every response"
    ),
    target_fixture="hook_trace",
)
def after_request_fails(visitors: Visitors, name: str) -> HookTrace:
    """The child blueprint's after_request raises, on the 500 it causes too (E-06)."""
    with app_log(visitors.app) as logged:
        trace = make_traced_request(visitors, name, "after_request_raises=child")
    trace.logged = logged
    return trace


#: What a failing request of the probe does, by the words of the features.
_BAD_REQUESTS = {
    "reads a form field it was not sent": "missing-form-key",
    "aborts with 400": "bad-request",
    "aborts with 403": "abort",
}


@when(
    parsers.re(
        r"(?P<name>\w+)'s traced request (?P<what>reads a form field it was not sent"
        r"|aborts with 400|aborts with 403), under these settings"
    ),
    target_fixture="hook_trace",
)
def bad_request(visitors: Visitors, name: str, what: str) -> HookTrace:
    return make_traced_request(visitors, name, f"raise={_BAD_REQUESTS[what]}")


@contextmanager
def app_log(app: Flask) -> Iterator[list[str]]:
    """The messages ``app.logger`` logs at ERROR or above inside the block.

    An app that turned its logger off logs nothing for Flask either: the
    scenarios about Flask's log do not apply to it.
    """
    if app.logger.disabled or not app.logger.isEnabledFor(logging.ERROR):
        verdicts.not_applicable(
            f"the app turned its logger {app.logger.name!r} off (disabled, or a level above "
            "ERROR), so Flask's log of an error cannot be seen in this app"
        )
    logged: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    handler = Keep(logging.ERROR)
    app.logger.addHandler(handler)
    try:
        yield logged
    finally:
        app.logger.removeHandler(handler)


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


@then(
    parsers.re(
        r"the response is the one the (?P<owner>errors blueprint)'s (?P<code>\d{3}) handler returned"
    )
)
def answered_by_code_handler(hook_trace: HookTrace, owner: str, code: str) -> None:
    exchange = hook_trace.exchange
    handlers = hook_trace.registrants("errorhandler")
    answer = f"answered by the {owner}'s {code} handler"
    behaviour = (
        "in production an unhandled error is answered by the 500 handler registered for it (E-02)"
        if code == "500"
        else "an HTTP error is answered by the errorhandler registered for its code (E-01, E-05)"
    )
    expect(
        exchange.error is None
        and exchange.status == int(code)
        and exchange.text == answer
        and handlers == [owner],
        behaviour,
        f"500 {answer!r}, from the {owner}'s handler",
        f"the test client raised {type(exchange.error).__name__}"
        if exchange.error
        else f"{exchange.status} {exchange.text[:80]!r}; errorhandlers that ran: "
        f"{', '.join(handlers) or 'none'}",
        exchange,
    )


@then(parsers.re(r"the 500 handler received (?P<error>\w+) as the original error"))
def handler_got_original(hook_trace: HookTrace, error: str) -> None:
    received = [call.get("original") for call in hook_trace.calls("errorhandler")]
    expect(
        received == [error],
        "the 500 handler receives an InternalServerError whose original_exception is the "
        "error that was raised (E-02)",
        f"original_exception {error}",
        f"original_exception {', '.join(map(str, received)) or '(the handler never ran)'}",
        hook_trace.exchange,
    )


@then(
    parsers.re(
        r"its after_request functions ran on the (?P<status>\d{3}) response"
        r" in the order (?P<order>.+)"
    )
)
def after_requests_on_status(hook_trace: HookTrace, status: str, order: str) -> None:
    expected = [f"{who} ({status})" for who in split_list(order)]
    ran = [f"{registrant(call)} ({call['status']})" for call in hook_trace.calls("after_request")]
    expect(
        ran == expected,
        f"after_request functions process the {status} response like any other (E-02, E-06)",
        ", ".join(expected),
        ", ".join(ran) or "no after_request function ran",
        hook_trace.exchange,
    )


@then("no errorhandler ran")
def no_errorhandler(hook_trace: HookTrace) -> None:
    handlers = hook_trace.registrants("errorhandler")
    expect(
        not handlers,
        "a blueprint's errorhandler handles only errors raised in requests to that blueprint "
        "(E-09)",
        "no errorhandler of the child blueprint to run for an error of the parent blueprint",
        f"errorhandlers that ran: {', '.join(handlers)}; {hook_trace.describe()}",
        hook_trace.exchange,
    )


@then(parsers.parse('the app logged the unhandled error as "{message}"'))
def logged_unhandled(hook_trace: HookTrace, message: str) -> None:
    wanted = message.replace("<path>", hook_trace.exchange.path.split("?")[0])
    expect(
        wanted in hook_trace.logged,
        "in production Flask logs an unhandled error, naming the request, before answering it "
        "(E-02)",
        f"app.logger to log {wanted!r}",
        f"it logged {hook_trace.logged}" if hook_trace.logged else "it logged nothing",
        hook_trace.exchange,
    )


@then(parsers.parse('the app logged "{message}"'))
def app_logged(hook_trace: HookTrace, message: str) -> None:
    expect(
        message in hook_trace.logged,
        "an after_request that fails again while the 500 is finished is logged, and the 500 "
        "still goes out (E-06)",
        f"app.logger to log {message!r}",
        f"it logged {hook_trace.logged}" if hook_trace.logged else "it logged nothing",
        hook_trace.exchange,
    )


#: The HTTP error each failing request of the probe raises, by its ``raise`` option.
_RAISED: dict[str, type[HTTPException]] = {
    "missing-form-key": BadRequestKeyError,
    "bad-request": BadRequest,
    "abort": Forbidden,
}


_OUTCOME = (
    r"(?:is answered (?P<status>\d{3})(?:, (?P<naming>not naming|naming) the field)?"
    r"|reached the test client as (?P<error>\w+)"
    r"|became a 500 response)"
)


@then(parsers.re(r"the failed request (?P<outcome>" + _OUTCOME + ")"))
def failed_request_outcome(
    visitors: Visitors,
    hook_trace: HookTrace,
    outcome: str,
    status: str | None,
    naming: str | None,
    error: str | None,
) -> None:
    """How Flask answered an HTTP error under DEBUG and the TRAP_* settings (E-10, E-11)."""
    exchange = hook_trace.exchange
    if error is not None:
        happened = exchange.error is not None and type(exchange.error).__name__ == error
    elif status is not None:
        happened = exchange.error is None and exchange.status == int(status)
        if happened and naming is not None:
            named = f"KeyError: '{MISSING_FORM_KEY}'" in html.unescape(exchange.text)
            happened = named == (naming == "naming")
    else:
        happened = exchange.error is None and exchange.status == 500
    if not happened:
        _not_applicable_if_the_app_answers(visitors.app, exchange)
    expect(
        happened,
        "DEBUG and the TRAP_* settings decide whether an HTTP error is answered, shown with "
        "its details or raised as an unhandled error (E-10, E-11)",
        f"the request {outcome}",
        f"the test client raised {type(exchange.error).__name__}"
        if exchange.error
        else f"a {exchange.status} response: {exchange.text[:120]!r}",
        exchange,
    )


def _not_applicable_if_the_app_answers(app: Flask, exchange: Exchange) -> None:
    """An app with its own handler for the error answers it its own way.

    Flask hands a trapped HTTP error, like any other exception, to the app's
    handler for its status code or class (a 400 page, a catch-all
    errorhandler(Exception)), and such a handler writes its own page, so the
    trap settings and the page Flask writes cannot be seen on that app. The
    handler must still answer with an error status.
    """
    option = parse_qs(urlsplit(exchange.path).query).get("raise", [""])[0]
    raised = _RAISED[option]
    handler = _own_handler(app, raised, raised.code or 500)
    if handler is None:
        return
    label = qualified_name(handler)
    expect(
        exchange.error is not None or exchange.status >= 400,
        "an HTTP error is answered as an error, even by the app's own errorhandler",
        f"the app's errorhandler {label} to answer with a 4xx or 5xx status",
        f"it answered {exchange.status}, so clients take the failure for a success",
        exchange,
    )
    if handler is catch_all_handler(app):
        verdicts.not_applicable(
            f"the app handles every exception: its errorhandler(Exception) {label} answered "
            f"the probe's {raised.__name__} with {exchange.status}, so whether Flask traps it "
            "(DEBUG, TRAP_*) cannot be seen in this app"
        )
    verdicts.not_applicable(
        f"the app answers {raised.__name__} with its own errorhandler {label} "
        f"({exchange.status}), so what Flask does with one no handler takes cannot be seen "
        "in this app"
    )


def _own_handler(app: Flask, error_class: type[BaseException], code: int) -> Any:
    """The app-wide errorhandler for ``code`` or for a class of ``error_class``, if any."""
    spec = app.error_handler_spec.get(None, {})
    for key in (code, None):
        handlers = spec.get(key, {})
        for cls in error_class.__mro__:
            if cls in handlers:
                return handlers[cls]
    return None


@then("the response redirects to the same URL with the trailing slash")
def redirects_to_slash(hook_trace: HookTrace) -> None:
    exchange = hook_trace.exchange
    location = exchange.header("Location") or ""
    handlers = hook_trace.registrants("errorhandler")
    expect(
        exchange.error is None
        and exchange.status in (301, 308)
        and location.endswith(exchange.path + "/")
        and not handlers
        and not hook_trace.calls("view"),
        "a URL missing its trailing slash is redirected by Flask's routing itself; no "
        "errorhandler sees the redirect (E-12)",
        f"a 308 redirect to {exchange.path}/, with no errorhandler and no view run",
        f"the test client raised {type(exchange.error).__name__}"
        if exchange.error
        else f"{exchange.status} to {location or '(nowhere)'}; errorhandlers that ran: "
        f"{', '.join(handlers) or 'none'}; {hook_trace.describe()}",
        exchange,
    )


@then("the response is the one the view made, and no errorhandler ran")
def response_the_view_made(hook_trace: HookTrace) -> None:
    exchange = hook_trace.exchange
    handlers = hook_trace.registrants("errorhandler")
    made = "made by the errors blueprint's view"
    expect(
        exchange.error is None
        and exchange.status == 409
        and exchange.text == made
        and not handlers,
        "abort() with a response sends that response as it is; no errorhandler sees it, not "
        "even one for its status (E-13)",
        f"409 {made!r}, with no errorhandler run",
        f"the test client raised {type(exchange.error).__name__}"
        if exchange.error
        else f"{exchange.status} {exchange.text[:80]!r}; errorhandlers that ran: "
        f"{', '.join(handlers) or 'none'}",
        exchange,
    )
