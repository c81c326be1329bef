"""Steps for the failing requests of features/hooks/errors.feature.

Each step makes one traced request that fails in a named way (an error a
handler takes, one nothing handles, an abort, a crash after session writes or
after_this_request callbacks) and hands its trace on as ``hook_trace``; what
the hooks saw is judged in :mod:`steps.error_answers`, and the settings that
decide what Flask makes of an error in :mod:`steps.error_settings`. The traced
requests and the order checks come from :mod:`steps.hooks`.

An app with a catch-all ``errorhandler(Exception)`` leaves no error
unhandled, so the unhandled-error scenarios do not apply to it; whether its
handler answers a crash as a server error is still judged (:func:`crash`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from pytest_bdd import parsers, when

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.probe import ProbeUnhandledError
from flask_conformance.drive.visitors import Visitors
from flask_conformance.hooks.trace import qualified_name
from flask_conformance.plugin import verdicts

from .checks import expect
from .hooks import NESTED_VIEW, HookTrace, make_traced_request
from .shared import one_of, traced_request


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


def crash(visitors: Visitors, name: str, query: str, page: str = NESTED_VIEW) -> HookTrace:
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


#: The crashes that differ only in the probe's options and page, by the words
#: that follow "<name>'s traced request" in the features (see
#: :data:`steps.hooks.TRACED_QUERIES`).
CRASHES: dict[str, tuple[str, str]] = {
    "raises an error that nothing handles": ("raise=unhandled", NESTED_VIEW),
    # ProbeHandledError, which only the child blueprint handles, from the parent (E-09)
    "raises, in the parent blueprint's view, the error the child blueprint handles": (
        "",
        "/parent-view",
    ),
}


@traced_request(one_of("what", CRASHES))
def crashes(visitors: Visitors, name: str, what: str) -> HookTrace:
    query, page = CRASHES[what]
    return crash(visitors, name, query, page)


@when(
    parsers.re(
        r'(?P<name>\w+)\'s request stores "(?P<value>[^"]+)" under "(?P<key>[^"]+)"'
        r" in the session and then crashes"
    ),
    target_fixture="hook_trace",
)
def stores_then_crashes(visitors: Visitors, name: str, value: str, key: str) -> HookTrace:
    return crash(visitors, name, f"session_key={key}&session_value={value}&raise=unhandled")


@traced_request(r"registers (?P<count>\d+) after_this_request callbacks and then crashes")
def callbacks_then_crash(visitors: Visitors, name: str, count: str) -> HookTrace:
    return crash(visitors, name, f"after_this_request={int(count)}&raise=unhandled")


@traced_request(r"raises an error that only a 500 handler answers")
def raises_for_500_handler(visitors: Visitors, name: str) -> HookTrace:
    """The errors blueprint's view fails; that blueprint has a 500 handler (E-02)."""
    return logged_request(visitors, name, "", "/errors/view", crashes=True)


@traced_request(r"has the child blueprint's after_request fail on every response")
def after_request_fails(visitors: Visitors, name: str) -> HookTrace:
    """The child blueprint's after_request raises, on the 500 it causes too (E-06)."""
    return logged_request(visitors, name, "after_request_raises=child", crashes=False)


def logged_request(
    visitors: Visitors, name: str, query: str, page: str = NESTED_VIEW, *, crashes: bool
) -> HookTrace:
    """A traced request (a :func:`crash` if ``crashes``) with what the app logged
    at ERROR while answering it, for the steps about Flask's error log."""
    with app_log(visitors.app) as logged:
        trace = (crash if crashes else make_traced_request)(visitors, name, query, page)
    trace.logged = logged
    return trace


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
