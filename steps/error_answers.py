"""Steps that judge what the hooks saw and what the client got when a view
failed (features/hooks/errors.feature).

They read the ``hook_trace`` a failing request of :mod:`steps.errors` left:
which errorhandler answered, which after_request and teardown functions ran
and with what, what was logged, and what reached the test client.
"""

from __future__ import annotations

from pytest_bdd import parsers, then

from flask_conformance.drive.visitors import Visitors

from .checks import expect, not_applicable_when_the_app_traps
from .hooks import ALL_AFTER_REQUEST, ALL_TEARDOWNS, HookTrace, registrant, split_list


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
    expect_after_requests_on(hook_trace, status, ALL_AFTER_REQUEST, "E-01, E-02, E-05")


def expect_after_requests_on(
    hook_trace: HookTrace, status: str, owners: list[str], behaviour_ids: str
) -> None:
    """The after_request functions of ``owners`` ran on the ``status`` response, in
    that order: an error's response is processed like any other."""
    expected = [f"{who} ({status})" for who in owners]
    ran = [f"{registrant(call)} ({call['status']})" for call in hook_trace.calls("after_request")]
    expect(
        ran == expected,
        f"after_request functions process the {status} response like any other ({behaviour_ids})",
        ", ".join(expected),
        ", ".join(ran) or "no after_request function ran",
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
    expect_after_requests_on(hook_trace, status, split_list(order), "E-02, E-06")


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


@then("the response redirects to the same URL with the trailing slash")
def redirects_to_slash(visitors: Visitors, hook_trace: HookTrace) -> None:
    exchange = hook_trace.exchange
    not_applicable_when_the_app_traps(visitors.app, exchange)
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
def response_the_view_made(visitors: Visitors, hook_trace: HookTrace) -> None:
    exchange = hook_trace.exchange
    not_applicable_when_the_app_traps(visitors.app, exchange)
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
