"""Steps for where a session's data lives, when its cookie is written, and
what storing in it does without a secret key (features/sessions/persistence.feature
and features/sessions/usable.feature)."""

from __future__ import annotations

from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.visitors import Visitors
from flask_conformance.hooks.trace import qualified_name
from flask_conformance.plugin import verdicts
from flask_conformance.plugin.verdicts import not_applicable
from flask_conformance.security import session_cookie
from flask_conformance.target import capabilities
from flask_conformance.target.backends import RedisStore
from flask_conformance.target.raising_function import raised_through

from .checks import expect, row_for_backend
from .errors import catch_all_handler


@then(parsers.parse("where {name}'s session data lives depends on the backend:"))
def data_location(visitors: Visitors, name: str, backend: str, datatable: list[list[str]]) -> None:
    where = row_for_backend(datatable, backend)["where the data lives"]
    browser = visitors[name].browser
    cookie = browser.cookie_value(visitors.session_cookie_name) or ""
    payload = session_cookie.read_payload(cookie)
    if where.startswith("in the cookie"):
        expect(
            isinstance(payload, dict) and bool(payload),
            "Flask's own sessions keep the data in the cookie (SES-01)",
            "a cookie whose payload holds the session data",
            f"the cookie {cookie[:40]!r} decodes to {payload!r}",
            browser.history[-1:],
        )
    else:
        store = RedisStore(visitors.app)
        expect(
            payload is None and store.has_session(cookie),
            "a server-side session keeps the data in the store, the cookie holds an id (T-12)",
            "an opaque cookie naming a session held in Redis",
            f"the cookie {cookie[:40]!r}; sessions in the store: {store.session_keys()}",
            browser.history[-1:],
        )


_LATE_WRITE = "late"


@when(
    parsers.parse(
        "{name}'s request writes to the session from an after_request function"
        " and from a teardown function"
    )
)
def write_late(visitors: Visitors, name: str) -> None:
    visitors[name].write_in_after_request_and_teardown(_LATE_WRITE)


@given("the app has no secret key set")
def no_secret_key(app_under_test: Flask) -> None:
    if capabilities.detect(app_under_test).signs_with_own_key:
        verdicts.not_applicable(
            "the app's session interface writes its cookie without SECRET_KEY (it signs with "
            "a key of its own), so taking SECRET_KEY away changes nothing"
        )
    app_under_test.config["SECRET_KEY"] = None


@when(parsers.parse('{name} tries to store "{value}" under "{key}" in the session'))
def try_store(visitors: Visitors, name: str, value: str, key: str) -> None:
    """Store, keeping an exception that escapes the app on the exchange."""
    visitors[name].store(key, value, raise_errors=False)


@then(parsers.parse("{name}'s browser holds no session cookie"))
def no_session_cookie(visitors: Visitors, name: str) -> None:
    browser = visitors[name].browser
    value = browser.cookie_value(visitors.session_cookie_name)
    expect(
        value is None,
        "an empty session that nothing changed is never written (W-05)",
        f"{name}'s browser to hold no session cookie",
        f"it holds {value!r}",
        browser.history,
    )


@then(
    parsers.re(
        r"the write made in (?P<where>after_request|teardown) (?P<is_or_not>is|is not)"
        r" in (?P<name>\w+)'s session"
    )
)
def late_write_kept(visitors: Visitors, where: str, is_or_not: str, name: str) -> None:
    key = f"{_LATE_WRITE}_from_{where}"
    keys = visitors[name].read_session()["keys"]
    wanted = is_or_not == "is"
    expect(
        (key in keys) == wanted,
        "the session is saved after every after_request function and before teardown (W-06)",
        f"the write made in {where} {'to be kept' if wanted else 'to be lost'}",
        f"the next request's session has keys {keys}",
        visitors.log[-2:],
    )


@then(parsers.parse("what came of storing in the session depends on the backend:"))
def storing_outcome(visitors: Visitors, backend: str, datatable: list[list[str]]) -> None:
    outcome = row_for_backend(datatable, backend)["outcome"]
    not_applicable_if_the_app_needs_the_key_first(visitors)
    response = visitors.last_response
    if outcome == "succeeds":
        expect(
            response.error is None and response.status == 200 and response.set_cookies != [],
            f"on {backend} sessions storing works without a secret key (SES-05)",
            "a 200 response that writes the session",
            response.describe(),
            response,
        )
        return
    behaviour = "without a secret key every write to a cookie session fails (SES-05)"
    handler = catch_all_handler(visitors.app)
    if response.error is None and response.app_error is None and handler is not None:
        expect(
            response.status >= 500,
            behaviour,
            "a server error: the write cannot be signed",
            f"the app's errorhandler(Exception) answered {response.status}",
            response,
        )
        verdicts.not_applicable(
            "the app handles every exception: its errorhandler(Exception) "
            f"{qualified_name(handler)} answered the failed write with {response.status}, so "
            "Flask's RuntimeError never leaves the app for the kit to name"
        )
    expect_failure(outcome, behaviour, response)


def not_applicable_if_the_app_needs_the_key_first(visitors: Visitors) -> None:
    """The scenario took the app's key away; an app whose own code needs it
    (Flask-WTF's ``csrf.protect()`` in the app's before_request, or a gate
    that flashes "please log in") raises before the session is ever used, so
    Flask's answer cannot be seen. So does an after_request that writes into
    every new session (Flask-SeaSurf's CSRF token): Flask refuses the write
    without a key, in the app's hook, once the view has read the session."""
    stored = next(exchange for exchange in reversed(visitors.log) if not exchange.observation)
    error = stored.error or stored.app_error
    if error is None or not isinstance(error, RuntimeError):
        return
    if "before_request function" in stored.raised_where:
        not_applicable(
            f"without SECRET_KEY the app's own code raised first{stored.raised_where} "
            f"({error}), before the session was used, so what Flask's session does without "
            "a key cannot be seen on this app"
        )
    if "after_request function" in stored.raised_where and "secret key" in str(error):
        not_applicable(
            f"without SECRET_KEY the app's own code raised{stored.raised_where} ({error}): "
            "it writes into the session of every request like this one, which Flask refuses "
            "without a key, so the answer Flask gives a session nobody writes cannot be "
            "seen on this app"
        )


def expect_failure(
    outcome: str, behaviour: str, response: Exchange, *, when_saving: bool = False
) -> None:
    """Check ``response`` against ``"fails with <Error>[: <message start>]"``.

    With ``when_saving``, the error must also have been raised by the session
    interface's ``save_session``, i.e. after the view returned (J-04), not by
    the view storing the value.
    """
    wanted = outcome.removeprefix("nothing: saving ").removeprefix("fails with ")
    error_name, _, message = wanted.partition(": ")
    # Without TESTING the error becomes a 500; the probe kept the exception.
    error = response.error or response.app_error
    expect(
        error is not None and type(error).__name__ == error_name and str(error).startswith(message),
        behaviour,
        f"the request to raise {wanted}",
        "it raised nothing" if error is None else f"it raised {type(error).__name__}: {error}",
        response,
    )
    if when_saving and error is not None:  # expect() above has already failed a None
        raised_in = raised_through(error)
        expect(
            "save_session" in raised_in,
            behaviour,
            "the error to come from save_session, after the view returned",
            f"it was raised through {' > '.join(raised_in)}",
            response,
        )
