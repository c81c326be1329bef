"""Steps for what a session stores, where, when its cookie is written, how
Flask notices changes to it, and what stored values come back as."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.sample_values import sample
from flask_conformance.drive.visitors import Visitors
from flask_conformance.hooks.trace import qualified_name
from flask_conformance.plugin import verdicts
from flask_conformance.plugin.verdicts import not_applicable
from flask_conformance.security import session_cookie
from flask_conformance.target import capabilities
from flask_conformance.target.backends import RedisStore
from flask_conformance.target.raising_function import raised_through

from .checks import expect, expect_found_by_backend, row_for_backend, shown
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


# -- acting on the session, through the probe ------------------------------

#: The read-only expressions a scenario may name (any quoted key), and the kind
#: of read the probe performs for each.
_READS = {
    re.compile(r'session\.get\("(?P<key>[^"]+)"\)'): "get",
    re.compile(r'session\["(?P<key>[^"]+)"\]'): "index",
    re.compile(r'"(?P<key>[^"]+)" in session'): "contains",
    re.compile(r"len\(session\)"): "len",
    re.compile(r"bool\(session\)"): "bool",
    re.compile(r"session\.permanent"): "permanent",
}


def _read_kind(expression: str) -> tuple[str, str]:
    """``'session.get("colour")'`` -> ``("get", "colour")``."""
    for pattern, how in _READS.items():
        match = pattern.fullmatch(expression.strip())
        if match:
            return how, match.groupdict().get("key", "")
    known = (
        'session.get("k"), session["k"], "k" in session, len(session), bool(session),'
        " session.permanent"
    )
    raise ValueError(f"Unknown way of reading the session: {expression!r}; known: {known}.")


@when(parsers.parse("{name}'s request reads the session with {expression}"))
def read_with(visitors: Visitors, name: str, expression: str) -> None:
    """One read-only use of the session, and nothing else, in one request (W-02, W-07)."""
    how, key = _read_kind(expression)
    keyless = not visitors.app.secret_key  # the scenario took the key away (SES-04)
    visitors[name].read_once(how, key, raise_errors=not keyless)
    if keyless:
        _not_applicable_if_the_app_needs_the_key_first(visitors)


@when(parsers.re(r'(?P<name>\w+) deletes "(?P<key>[^"]+)" from (?:her|his|their) session'))
def delete_key(visitors: Visitors, name: str, key: str) -> None:
    visitors[name].delete(key)


@when(
    parsers.re(r'(?P<name>\w+) pops "(?P<key>[^"]+)" from (?:her|his|their) session with a default')
)
def pop_with_default(visitors: Visitors, name: str, key: str) -> None:
    """``session.pop(key, None)``: harmless when the key is missing (M-02)."""
    visitors[name].pop(key, None)


@when(
    parsers.re(
        r"(?P<name>\w+) updates (?:her|his|their) session"
        r' with "(?P<value>[^"]*)" under "(?P<key>[^"]+)"'
    )
)
def update_with(visitors: Visitors, name: str, value: str, key: str) -> None:
    visitors[name].update({key: value})


@when(
    parsers.re(
        r'(?P<name>\w+) sets a default of "(?P<value>[^"]*)" under "(?P<key>[^"]+)"'
        r" in (?:her|his|their) session"
    )
)
def set_default(visitors: Visitors, name: str, value: str, key: str) -> None:
    visitors[name].setdefault(key, value)


@given(
    parsers.re(r"(?P<name>\w+) has marked (?:her|his|their) session modified without changing it")
)
@when(parsers.re(r"(?P<name>\w+) marks (?:her|his|their) session modified without changing it"))
def mark_modified(visitors: Visitors, name: str) -> None:
    visitors[name].mark_modified()


@given(parsers.parse('{name} has a list holding "{item}" under "{key}" in the session'))
def store_list(visitors: Visitors, name: str, item: str, key: str) -> None:
    visitors[name].store(key, [item])


@given(parsers.re(r"(?P<name>\w+)'s session (?P<is_or_not>is|is not) permanent"))
def session_permanence(visitors: Visitors, name: str, is_or_not: str) -> None:
    visitors[name].make_permanent(is_or_not == "is")


@given(parsers.re(r"the app has SESSION_REFRESH_EACH_REQUEST set to (?P<value>True|False)"))
def refresh_each_request(app_under_test: Flask, value: str) -> None:
    app_under_test.config["SESSION_REFRESH_EACH_REQUEST"] = value == "True"


@when(
    parsers.re(
        r'(?P<name>\w+) appends "(?P<item>[^"]+)" to the list under "(?P<key>[^"]+)" in place'
        r"(?P<marked>, then sets session\.modified)?"
    )
)
def append_in_place(visitors: Visitors, name: str, item: str, key: str, marked: str | None) -> None:
    """``session[key].append(item)``, a change the session dict cannot see (M-05)."""
    visitors[name].append_in_place(key, item, mark_modified=bool(marked))


#: The key the late writes are made under; the probe suffixes it with where
#: each write was made.
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


@dataclass
class StoredSample:
    """Which sample a scenario stored, by whom, and the request that stored it."""

    name: str
    visitor: str
    exchange: Exchange


@when(
    parsers.parse('{name} stores the {sample_name} sample under "{key}" in the session'),
    target_fixture="stored_sample",
)
def store_sample(visitors: Visitors, name: str, sample_name: str, key: str) -> StoredSample:
    """Store a named sample; a value that cannot be saved fails here (J-04)."""
    sample(sample_name)  # an unknown name is a mistake in the spec: say so at once
    exchange = visitors[name].store_sample(key, sample_name, raise_errors=False)
    return StoredSample(sample_name, name, exchange)


@when(
    parsers.re(
        r'(?P<name>\w+) stores "(?P<value>[^"]+)" under "(?P<key>[^"]+)" in'
        r" the new session the app gave (?:her|him|them)"
    )
)
def store_in_new_session(visitors: Visitors, name: str, value: str, key: str) -> None:
    """Store after the app turned the old cookie down; a failure is judged, not raised."""
    visitors[name].store(key, value, raise_errors=False)


# -- what happened ---------------------------------------------------------


@then(parsers.parse('the new session was saved, holding "{value}" under "{key}"'))
def new_session_saved(visitors: Visitors, value: str, key: str) -> None:
    """The session Flask opens for a spoiled or expired cookie takes writes (K-08)."""
    stored = next(exchange for exchange in reversed(visitors.log) if not exchange.observation)
    behaviour = (
        "a visitor whose cookie was refused gets a new session that takes writes, so she can "
        "log in again (K-08)"
    )
    error = stored.error or stored.app_error
    cookie = stored.set_cookie(visitors.session_cookie_name)
    expect(
        error is None and cookie is not None and not cookie.deletes,
        behaviour,
        f"storing {value!r} under {key!r} to work and send the session cookie",
        f"it raised {type(error).__name__}: {error}{stored.raised_where}"
        if error is not None
        else "no session cookie was sent",
        stored,
    )
    found = visitors[stored.visitor].session_value(key)
    expect(
        found == value,
        behaviour,
        f"{stored.visitor}'s next request to see {value!r} under {key!r}",
        f"it saw {shown(found)}",
        visitors.log[-2:],
    )


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


@then(parsers.parse('what {name} finds under "{key}" without a secret key depends on the backend:'))
def finds_without_key(
    visitors: Visitors, backend: str, name: str, key: str, datatable: list[list[str]]
) -> None:
    expect_found_by_backend(
        visitors[name].session_value(key),
        row_for_backend(datatable, backend),
        "holds",
        f"without SECRET_KEY on {backend} sessions (SES-04)",
        name,
        key,
        visitors.log[-3:],
    )


@then(parsers.parse("what came of storing in the session depends on the backend:"))
def storing_outcome(visitors: Visitors, backend: str, datatable: list[list[str]]) -> None:
    outcome = row_for_backend(datatable, backend)["outcome"]
    _not_applicable_if_the_app_needs_the_key_first(visitors)
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
    _expect_failure(outcome, behaviour, response)


def _not_applicable_if_the_app_needs_the_key_first(visitors: Visitors) -> None:
    """The scenario took the app's key away; an app whose own code needs it
    (Flask-WTF's ``csrf.protect()`` in the app's before_request, or a gate
    that flashes "please log in") raises before the session is ever used, so
    Flask's answer cannot be seen."""
    stored = next(exchange for exchange in reversed(visitors.log) if not exchange.observation)
    error = stored.error or stored.app_error
    in_hook = "before_request function" in stored.raised_where
    if error is not None and in_hook and isinstance(error, RuntimeError):
        not_applicable(
            f"without SECRET_KEY the app's own code raised first{stored.raised_where} "
            f"({error}), before the session was used, so what Flask's session does without "
            "a key cannot be seen on this app"
        )


def _expect_failure(
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


_SAME = re.compile(r"the same (?P<type>\w+)")
_EQUAL_TO_SAMPLE = re.compile(r'an? (?P<type>\w+) equal to the "(?P<sample>[^"]+)" sample')
_STRING = re.compile(r'the string "(?P<text>.*)"')
_REPR = re.compile(r"an? (?P<type>\w+): (?P<repr>.+)")
_FAILS = re.compile(r"nothing: saving fails with (?P<error>\w+)")


@then(parsers.parse('what comes back under "{key}" depends on the backend:'))
def comes_back_as(
    visitors: Visitors,
    backend: str,
    stored_sample: StoredSample,
    key: str,
    datatable: list[list[str]],
) -> None:
    wanted = row_for_backend(datatable, backend)["comes back as"]
    stored = stored_sample.exchange
    visitor = visitors[stored_sample.visitor]
    behaviour = f"what a {stored_sample.name} comes back as on {backend} sessions (J-01..J-05)"
    if _FAILS.fullmatch(wanted):
        _expect_failure(
            wanted,
            f"{behaviour}: saving it fails at the end of the request",
            stored,
            when_saving=True,
        )
        keys = visitor.read_session()["keys"]
        expect(
            key not in keys,
            f"{behaviour}: a session that failed to save keeps nothing",
            f"nothing saved under {key!r}",
            f"the next request's session has keys {keys}",
            visitors.log[-2:],
        )
        return
    expect(
        stored.error is None,
        behaviour,
        "the value to be saved",
        f"the request raised {type(stored.error).__name__}: {stored.error}",
        stored,
    )
    found = visitor.read_session()["described"].get(key)
    found = None if found is None else _unfrozen(found["type"], found["repr"])
    expected_type, expected_repr = _expected(wanted, stored_sample.name)
    expect(
        found is not None and (found["type"], found["repr"]) == (expected_type, expected_repr),
        behaviour,
        f"{wanted}, i.e. a {expected_type} {expected_repr}",
        "nothing" if found is None else f"a {found['type']} {found['repr']}",
        visitors.log[-2:],
    )


def _unfrozen(type_name: str, text: str) -> dict[str, str]:
    """A value's type name and repr as they would be without the kit's frozen clock.

    While freezegun runs, ``datetime.datetime`` is its ``FakeDatetime`` subclass,
    so the datetimes Flask's tagged JSON builds are FakeDatetimes. They are
    datetimes in every way an app can tell; only their name differs.
    """
    return {
        "type": type_name.replace("FakeDatetime", "datetime").replace("FakeDate", "date"),
        "repr": text.replace("FakeDatetime(", "datetime.datetime(").replace(
            "FakeDate(", "datetime.date("
        ),
    }


def _expected(wanted: str, sample_name: str) -> tuple[str, str]:
    """The type name and repr a "comes back as" cell describes."""
    if match := _SAME.fullmatch(wanted):
        value = _unfrozen(type(sample(sample_name)).__name__, repr(sample(sample_name)))
        if value["type"] != match["type"]:
            raise ValueError(f"The {sample_name} sample is not a {match['type']}: {wanted!r}.")
        return value["type"], value["repr"]
    if match := _EQUAL_TO_SAMPLE.fullmatch(wanted):
        other = sample(match["sample"])
        return match["type"], _unfrozen(type(other).__name__, repr(other))["repr"]
    if match := _STRING.fullmatch(wanted):
        return "str", repr(match["text"])
    if match := _REPR.fullmatch(wanted):
        return match["type"], match["repr"]
    raise ValueError(
        f"Cannot read {wanted!r}; write 'the same <type>', 'a <type> equal to the \"<sample>\" "
        "sample', 'the string \"<text>\"', 'a <type>: <repr>'"
        " or 'nothing: saving fails with <Error>'."
    )


@then(parsers.parse('what the list under "{key}" holds afterwards depends on the backend:'))
def list_afterwards(visitors: Visitors, backend: str, key: str, datatable: list[list[str]]) -> None:
    row = row_for_backend(datatable, backend)
    wanted = [item.strip() for item in row["holds"].split(",")]
    name = visitors.last_response.visitor
    found = visitors[name].session_value(key)
    expect(
        found == wanted,
        f"on {backend} sessions an in-place change to a stored value is saved only when the"
        " session is written back: when marked modified or refreshed on every request (M-05, M-06)",
        f"the list under {key!r} to hold {wanted}",
        f"it holds {shown(found)}",
        visitors.log[-2:],
    )


# -- flashed messages ------------------------------------------------------


@given(parsers.parse('{name}\'s request has flashed "{message}"'))
@when(parsers.parse('{name}\'s request flashes "{message}"'))
def flashes(visitors: Visitors, name: str, message: str) -> None:
    visitors[name].flash(message)


def _expect_messages(visitors: Visitors, name: str, wanted: list[str]) -> None:
    page = visitors[name].flashed_messages()
    shown_messages = page.json()["messages"]
    expect(
        shown_messages == wanted,
        "a flashed message is kept in the session until the next page shows it, once (M-11)",
        f"the page to show {wanted}" if wanted else "the page to show no message",
        f"it showed {shown_messages}",
        visitors.log[-3:],
    )


@then(parsers.parse('the next page {name} sees shows the message "{message}"'))
def next_page_shows(visitors: Visitors, name: str, message: str) -> None:
    _expect_messages(visitors, name, [message])


@then(parsers.parse("the page {name} sees after that shows no message"))
def later_page_shows_none(visitors: Visitors, name: str) -> None:
    _expect_messages(visitors, name, [])
