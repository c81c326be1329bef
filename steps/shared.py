"""Steps every area uses: storing and reading the session, the response's
cookies and headers, and the passing of time; and the decorator for the one
step form many areas share."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.browser import SetCookie
from flask_conformance.drive.clock import Clock
from flask_conformance.drive.visitors import Visitors
from flask_conformance.hooks.trace import session_readers
from flask_conformance.plugin.verdicts import not_applicable
from flask_conformance.security import session_cookie
from flask_conformance.target.capabilities import detect
from flask_conformance.target.load import Target
from flask_conformance.target.new_sessions import only_new_session_keys

from .checks import expect, row_for_backend, shown, visitor_keys

P = ParamSpec("P")
T = TypeVar("T")


def traced_request(words: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """The when-step "<name>'s traced request <words>", whose trace is ``hook_trace``.

    The hook, error, blueprint and lifecycle features send many traced requests
    (:func:`steps.hooks.make_traced_request`) and judge them with the same
    then-steps, which read the trace from the ``hook_trace`` fixture. Saying
    that once leaves each step its own words, its ``def`` and one line.
    ``words`` is a regular expression; its groups, and ``name``, are the
    step's arguments.
    """
    pattern = rf"(?P<name>\w+)'s traced request {words}"
    return when(parsers.re(pattern), target_fixture="hook_trace")


def one_of(group: str, phrases: Iterable[str]) -> str:
    """A regex group named ``group`` that matches exactly one of ``phrases``.

    For a step whose words pick a row of a table (``hooks.TRACED_QUERIES``,
    ``errors.CRASHES``...): the table's keys are the step's texts, so adding a
    row adds a step.
    """
    return f"(?P<{group}>" + "|".join(map(re.escape, phrases)) + ")"


# -- storing ---------------------------------------------------------------


@given(parsers.parse('{name} has stored "{value}" under "{key}" in the session'))
@when(parsers.parse('{name} stores "{value}" under "{key}" in the session'))
def store_value(visitors: Visitors, name: str, value: str, key: str) -> None:
    visitors[name].store(key, value)


@when(parsers.parse("{name} visits a page that never touches the session"))
def visit_untouched(visitors: Visitors, name: str) -> None:
    visitors[name].visit_untouched_page()


# -- reading back ----------------------------------------------------------


@then(parsers.parse('{name}\'s session holds "{value}" under "{key}"'))
def session_holds(visitors: Visitors, name: str, value: str, key: str) -> None:
    found = visitors[name].read_session()["values"].get(key)
    expect(
        found == value,
        "a session keeps what was stored in it for the visitor's next request",
        f"{name}'s next request to see {value!r} under {key!r}",
        f"it saw {shown(found)}",
        visitors.log[-2:],
    )


@then(parsers.parse("{name}'s session is empty"))
def session_is_empty(visitors: Visitors, name: str) -> None:
    keys = visitor_keys(visitors.app, visitors[name].read_session()["keys"])
    expect(
        not keys,
        "the session is empty",
        f"{name}'s next request to see an empty session",
        f"it held {', '.join(keys)}",
        visitors.log[-3:],
    )


@then(parsers.parse('{name}\'s session has no "{key}"'))
def session_lacks(visitors: Visitors, name: str, key: str) -> None:
    keys = visitors[name].read_session()["keys"]
    expect(
        key not in keys,
        f"{key!r} is gone from the session",
        f"no {key!r} in {name}'s session",
        f"the session still has {key!r}",
        visitors.log[-2:],
    )


#: Where what a visitor finds in her session differs by backend, by the words
#: that say when she looks: the behaviour (on ``{backend}`` sessions) and how
#: many of the last exchanges are its evidence.
FOUND_BY_BACKEND = {
    "after the key change": ("changing the secret key on {backend} sessions", 2),
    "with the copied cookie": (
        "a cookie copied before the session was cleared, on {backend} sessions",
        4,
    ),
    "without a secret key": ("without SECRET_KEY on {backend} sessions (SES-04)", 3),
}


@then(
    parsers.re(
        r'what (?P<name>\w+) finds under "(?P<key>[^"]+)" '
        + one_of("when", FOUND_BY_BACKEND)
        + " depends on the backend:"
    )
)
def finds_by_backend(
    visitors: Visitors, backend: str, name: str, key: str, when: str, datatable: list[list[str]]
) -> None:
    """The table's ``<name> finds`` cell holds the value expected, or
    ``nothing`` for a missing one; its ``why`` says why this backend does so."""
    behaviour, exchanges = FOUND_BY_BACKEND[when]
    row = row_for_backend(datatable, backend)
    wanted = row[f"{name} finds"]
    found = visitors[name].session_value(key)
    expect(
        (found is None) if wanted == "nothing" else found == wanted,
        f"{behaviour.format(backend=backend)}: {row['why']}",
        f"{name} to find {wanted if wanted == 'nothing' else repr(wanted)} under {key!r}",
        f"{name} found {shown(found)}",
        visitors.log[-exchanges:],
    )


# -- the response ----------------------------------------------------------


@then("the response sets the session cookie")
def response_sets_cookie(visitors: Visitors) -> None:
    response = visitors.last_response
    cookie = response.set_cookie(visitors.session_cookie_name)
    expect(
        cookie is not None and not cookie.deletes,
        "a changed session is written back to the cookie",
        "a Set-Cookie for the session cookie",
        "no session cookie was set" if cookie is None else "the cookie was deleted instead",
        response,
    )


@then("the response sets no cookie")
def response_sets_no_cookie(visitors: Visitors) -> None:
    response = visitors.last_response
    if response.set_cookies:  # only then is the session cookie's name worth asking for
        name = visitors.session_cookie_name
        _unless_filled_by_hooks(
            visitors,
            [cookie for cookie in response.set_cookies if cookie.name == name],
            "the request opened a new session (the visitor's first, or one the app started "
            "in place of a refused or expired cookie) and they wrote it",
            "whether Flask leaves an unchanged session unwritten",
        )
    expect(
        not response.set_cookies,
        "an unchanged session sends no cookie",
        "no Set-Cookie header",
        "Set-Cookie: " + "; ".join(c.raw for c in response.set_cookies),
        response,
    )


@then("the response deletes the session cookie")
def response_deletes_cookie(visitors: Visitors) -> None:
    """Every Set-Cookie for the session cookie deletes it: the browser keeps the last one,
    so a deletion followed by a new cookie would leave it a session after all (W-04)."""
    response = visitors.last_response
    name = visitors.session_cookie_name
    headers = [cookie for cookie in response.set_cookies if cookie.name == name]
    _unless_filled_by_hooks(
        visitors,
        headers,
        "the view emptied the session and they wrote it back in the same response",
        "the deletion cookie of an emptied session",
    )
    expect(
        bool(headers) and all(cookie.deletes for cookie in headers),
        "an emptied session deletes the cookie",
        "a Set-Cookie that expires the session cookie (Max-Age=0, Expires in 1970), and no other",
        "; ".join(f"Set-Cookie: {cookie.raw}" for cookie in headers) or "no session cookie header",
        response,
    )


def _unless_filled_by_hooks(
    visitors: Visitors, headers: list[SetCookie], what_happened: str, about: str
) -> None:
    """Not applicable when the session cookie the response wrote holds only what the
    app's hooks write into every new session.

    Flask-SeaSurf stores its CSRF token, after the view, into any session
    that lacks one, so a new or emptied session is written back holding the
    token and nothing else (:mod:`flask_conformance.target.new_sessions`).
    Only such a cookie is excused: a session interface that writes a session
    nothing changed, or an empty one instead of deleting it, still fails.
    """
    kept = detect(visitors.app).new_session_keys
    written = [cookie for cookie in headers if not cookie.deletes]
    if written and only_new_session_keys(visitors.app, written[-1], kept):
        not_applicable(
            f"the app's own hooks write {', '.join(kept)} into every new session, though the "
            f"page never touches it; {what_happened}, so {about} cannot be seen on this app"
        )


@then(parsers.re(r"the response (?P<negation>does not vary|varies) on Cookie"))
def response_varies(visitors: Visitors, negation: str, conformance_target: Target) -> None:
    _expect_vary(
        visitors,
        negation == "varies",
        "responses that depend on the session say so with Vary: Cookie",
        conformance_target,
    )


def _expect_vary(visitors: Visitors, wanted: bool, behaviour: str, target: Target) -> None:
    response = visitors.last_response
    readers = session_readers(target.hook_trace)
    if not wanted and readers:
        not_applicable(
            f"the app's own hook {readers[0]} reads the session on every request, "
            "so every response of this app varies on Cookie"
        )
    vary = [v.strip().lower() for v in (response.header("Vary") or "").split(",")]
    expect(
        ("cookie" in vary) == wanted,
        behaviour,
        "Vary: Cookie" if wanted else "no Vary: Cookie",
        f"Vary: {response.header('Vary') or '(none)'}",
        response,
    )


@then("whether the response varies on Cookie depends on the backend:")
def response_varies_by_backend(
    visitors: Visitors, backend: str, datatable: list[list[str]], conformance_target: Target
) -> None:
    row = row_for_backend(datatable, backend)
    _expect_vary(
        visitors,
        row["varies"] == "yes",
        f"without a secret key on {backend} sessions: {row['why']} (SES-04)",
        conformance_target,
    )


@then(parsers.parse('anyone holding {name}\'s cookie can read "{value}" in it'))
def cookie_readable(visitors: Visitors, name: str, value: str) -> None:
    cookie = visitors[name].browser.cookie_value(visitors.session_cookie_name)
    payload = session_cookie.read_payload(cookie or "")
    expect(
        payload is not None and value in str(payload),
        "Flask's session cookie is signed, not encrypted",
        f"the cookie's payload to show {value!r} without the secret key",
        f"decoded payload: {shown(payload)}",
        visitors[name].browser.history[-1:],
    )


# -- time ------------------------------------------------------------------

_UNITS = {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days"}


def duration(amount: str, unit: str) -> _dt.timedelta:
    """``"31", "minutes"`` -> ``timedelta(minutes=31)``."""
    return _dt.timedelta(**{_UNITS[unit.rstrip("s")]: int(amount)})


_DURATION = r"(?P<amount>\d+) (?P<unit>seconds?|minutes?|hours?|days?)"


@given(parsers.re(_DURATION + r" (?:have|has) passed"))
@when(parsers.re(_DURATION + r" pass(?:es)?"))
def time_passes(clock: Clock, amount: str, unit: str) -> None:
    clock.advance(duration(amount, unit))


@when(parsers.re(r"the clock is moved back " + _DURATION))
def clock_moves_back(clock: Clock, amount: str, unit: str) -> None:
    clock.advance(-duration(amount, unit))
