"""Steps for acting on a session through the probe and what Flask notices of
it: reads, writes, in-place changes, permanence (features/sessions/mutation.feature,
and the session steps shared by the expiry, keys, persistence and myths features).

Where the data lives and what happens without a key are in
:mod:`steps.persistence`, what stored values come back as in
:mod:`steps.serialisation`, flashed messages in :mod:`steps.flashing`.
"""

from __future__ import annotations

import re

from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.visitors import Visitors

from .checks import expect, row_for_backend, shown
from .persistence import not_applicable_if_the_app_needs_the_key_first

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
        not_applicable_if_the_app_needs_the_key_first(visitors)


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
