"""Steps for tampering with a session cookie on any store.

The alterations live in :mod:`flask_conformance.security.session_cookie`; an alteration that
needs a part the app's cookie does not have ends the scenario as not
applicable, saying which part is missing.
"""

from __future__ import annotations

from collections.abc import Callable

from pytest_bdd import parsers, then, when

from flask_conformance.drive.visitors import Visitors
from flask_conformance.plugin import verdicts
from flask_conformance.security import session_cookie

from .checks import expect, session_cookie_of, visitor_values

#: The key and value the Background stores, and what a tamperer wants instead.
KEY, STORED, WANTED = "user", "alice", "admin"

Alteration = Callable[[Visitors, str], str]


def _other_visitors_payload(visitors: Visitors, value: str) -> str:
    bob = visitors["Bob"]
    bob.store(KEY, "bob")
    bobs = session_cookie_of(visitors, "Bob", "to take a payload from")
    return session_cookie.payload_under_signature(bobs, value)


TAMPERINGS: dict[str, Alteration] = {
    "a character flipped at the start": lambda v, value: session_cookie.flip_character(value, "start"),
    "a character flipped in the middle": lambda v, value: session_cookie.flip_character(value, "middle"),
    "a character flipped at the end": lambda v, value: session_cookie.flip_character(value, "end"),
    'the payload changed to name "admin" and the signature stripped': (
        lambda v, value: session_cookie.strip_signature(session_cookie.change_payload(value, KEY, WANTED))
    ),
    "Bob's payload under her own signature": _other_visitors_payload,
    'the readable payload decoded, changed to name "admin" and re-encoded': (
        lambda v, value: session_cookie.change_payload(value, KEY, WANTED)
    ),
}


@when(parsers.parse("{name} comes back with her session cookie tampered with: {how}"))
def comes_back_tampered(visitors: Visitors, name: str, how: str) -> None:
    browser = visitors[name].browser
    cookie_name = visitors.session_cookie_name
    original = session_cookie_of(visitors, name, "to tamper with")
    try:
        tampered = TAMPERINGS[how](visitors, original)
    except session_cookie.NothingToTamperWith as missing:
        verdicts.not_applicable(str(missing))
    if tampered == original:
        raise AssertionError(f"Tampering ({how}) left {name}'s cookie unchanged.")
    browser.plant_cookie(cookie_name, tampered)
    visitors[name].read_once("get", KEY)


@then(
    parsers.parse("{name}'s session holds what she stored or nothing, never the tampered content")
)
def holds_original_or_nothing(visitors: Visitors, name: str) -> None:
    values = visitor_values(visitors.app, visitors[name].read_session()["values"])
    expect(
        values in ({}, {KEY: STORED}),
        "a visitor cannot change what their session holds by changing the cookie",
        f"the app to reject the tampered cookie (an empty session) or to read "
        f"{ {KEY: STORED} } as before",
        f"the app read {values} from the tampered cookie: the client can change what "
        "the session holds; sign the cookie (Flask's default session does) or keep the "
        "session on the server",
        visitors.log[-3:],
    )
