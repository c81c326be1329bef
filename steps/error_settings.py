"""Steps for the settings that decide what Flask makes of an error
(features/hooks/errors.feature, and the production and TESTING givens of
features/context/lifecycle.feature).

Whether an unhandled exception becomes a 500 or escapes to the test client
depends on TESTING, DEBUG and PROPAGATE_EXCEPTIONS (E-02, E-03), and whether an
HTTP error is answered or trapped on DEBUG and the TRAP_* settings (E-10,
E-11), so every scenario about errors sets them explicitly on the app under
test (the fixture restores its config afterwards). The judgement of a failing
request's outcome under those settings lives here too, because an app's own
handler for the error hides what the settings do; the failing requests
("..., under these settings") are entries of :data:`steps.hooks.TRACED_QUERIES`.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from pytest_bdd import given, parsers, then
from werkzeug.exceptions import BadRequest, BadRequestKeyError, Forbidden, HTTPException

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.probe_hooks import MISSING_FORM_KEY
from flask_conformance.drive.visitors import Visitors
from flask_conformance.hooks.trace import qualified_name
from flask_conformance.plugin import verdicts

from .checks import expect
from .errors import catch_all_handler
from .hooks import HookTrace

#: Feature wording for a config flag: on, off, or left to its default (None).
_FLAG = {"on": True, "off": False, "unset": None}



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
