"""Steps for tampering with a session cookie: one vocabulary for every way a
visitor can spoil or change the cookie she holds.

The cookie work itself is :mod:`flask_conformance.security.session_cookie`;
each entry of :data:`TAMPERINGS` only picks what to do with it. Most entries
apply to any store. One that needs a part the app's cookie does not have (a
server-side store's opaque id has no payload and no signature) ends the
scenario as not applicable, saying which part is missing; the few that the
signing-key scenarios use on every store give an opaque id a made-up or
changed id instead, which the store must not know either.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.visitors import Visitors
from flask_conformance.plugin import verdicts
from flask_conformance.security import session_cookie
from flask_conformance.security.session_cookie import NothingToTamperWith
from flask_conformance.target.backends import COOKIE, session_backend

from .checks import expect, session_cookie_of, visitor_values

#: The key and value the scenarios store, and what a tamperer wants instead.
KEY, STORED, WANTED = "user", "alice", "admin"

Tampering = Callable[[Visitors, str], str]


def _other_visitors_payload(visitors: Visitors, value: str) -> str:
    bob = visitors["Bob"]
    bob.store(KEY, "bob")
    bobs = session_cookie_of(visitors, "Bob", "to take a payload from")
    return session_cookie.payload_under_signature(bobs, value)


def _rewrite_payload(visitors: Visitors, value: str) -> str:
    """Put a payload naming "admin" in front of whatever follows it in the cookie.

    A payload anyone can read (base64 JSON, as in Flask's cookie and in many
    home-made session stores) is replaced, keeping the timestamp and
    signature that follow it, if any: a store that does not check them must
    not believe it. An opaque id carries no payload, so a server-side session
    gets a made-up id of the same shape instead.
    """
    if session_cookie.read_payload(value) is None:
        return secrets.token_urlsafe(32)
    return session_cookie.with_payload(value, {KEY: WANTED})


def _change_signature(visitors: Visitors, value: str) -> str:
    """One character of the signature; a server-side store's unsigned id gets one of its own."""
    if session_backend(visitors.app) != COOKIE:
        return session_cookie.flip_character(value, "middle")
    return session_cookie.change_signature(value)


def _resign_with_another_salt(visitors: Visitors, value: str) -> str:
    """The stored value signed with the app's own key under another salt.

    A server-side store without SECRET_KEY (Flask-Session 0.8 sends its bare
    session id unsigned) has no key to sign with: there is nothing to re-sign.
    """
    app = visitors.app
    if session_backend(app) != COOKIE and not app.secret_key:
        raise NothingToTamperWith(
            "the app has no SECRET_KEY and keeps its sessions on the server under an unsigned "
            "id, so there is no key of the app's to re-sign its cookie with under another salt"
        )
    return session_cookie.sign(app, {KEY: STORED}, salt="another-salt")


TAMPERINGS: dict[str, Tampering] = {
    "a character flipped at the start": lambda v, value: session_cookie.flip_character(
        value, "start"
    ),
    "a character flipped in the middle": lambda v, value: session_cookie.flip_character(
        value, "middle"
    ),
    "a character flipped at the end": lambda v, value: session_cookie.flip_character(value, "end"),
    "one character of the signature changed": _change_signature,
    'the payload changed to name "admin" and the signature stripped': (
        lambda v, value: session_cookie.strip_signature(
            session_cookie.change_payload(value, KEY, WANTED)
        )
    ),
    'the readable payload decoded, changed to name "admin" and re-encoded': (
        lambda v, value: session_cookie.change_payload(value, KEY, WANTED)
    ),
    'the payload rewritten to name "admin"': _rewrite_payload,
    "Bob's payload under her own signature": _other_visitors_payload,
    "replaced by garbage": lambda v, value: "garbage-no-server-ever-issued",
    "emptied": lambda v, value: "",
    "re-signed with another secret key": (
        lambda v, value: session_cookie.sign(v.app, {KEY: STORED}, "some-other-secret-key")
    ),
    "re-signed with another salt": _resign_with_another_salt,
}


@given(parsers.parse("{name} has come back with her session cookie tampered with: {how}"))
@when(parsers.parse("{name} comes back with her session cookie tampered with: {how}"))
def comes_back_tampered(visitors: Visitors, name: str, how: str) -> None:
    browser = visitors[name].browser
    cookie_name = visitors.session_cookie_name
    original = session_cookie_of(visitors, name, "to tamper with")
    try:
        tampered = TAMPERINGS[how](visitors, original)
    except NothingToTamperWith as missing:
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
