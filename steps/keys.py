"""Steps for signing keys: a refused cookie, forged cookies and key rotation.

Cookies are signed and checked with
:mod:`flask_conformance.security.session_cookie`, with the app's own signing
settings, so a forged cookie is exactly what the app would have written with
that key: same salt, digest, key derivation and tagged JSON. The ways to spoil
a cookie are in :mod:`steps.tampering`.
"""

from __future__ import annotations

from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.visitors import Visitors
from flask_conformance.plugin import verdicts
from flask_conformance.security import session_cookie
from flask_conformance.target import capabilities
from flask_conformance.target.backends import RedisStore

from .checks import expect, shown

# -- a refused cookie ------------------------------------------------------


@then("the app answers as usual")
def answers_as_usual(visitors: Visitors) -> None:
    response = visitors.last_response
    expect(
        response.status == 200,
        "a cookie that fails its signature check is not an error: Flask starts an empty session (K-01)",
        "200, as for any visitor without a session",
        f"{response.status}",
        response,
    )


@given(parsers.parse("{name} has planted a session id of her own choosing"))
def plant_made_up_id(visitors: Visitors, name: str) -> None:
    visitors[name].browser.plant_cookie(
        visitors.session_cookie_name, "mallory-chose-this-session-id"
    )


@then(parsers.parse("the app gave {name} a new session id instead of the planted one"))
def new_session_id(visitors: Visitors, name: str) -> None:
    planted = "mallory-chose-this-session-id"
    store = RedisStore(visitors.app)
    now_held = visitors[name].browser.cookie_value(visitors.session_cookie_name)
    expect(
        now_held not in (None, planted)
        and store.has_session(now_held)
        and not store.has_session(planted),
        "Flask-Session never keys the store by an id the client made up (session fixation)",
        "a new id in the cookie, stored in Redis, and nothing stored under the planted id",
        f"the cookie now holds {shown(now_held)}; sessions in the store: {store.session_keys()}",
        visitors.log[-1:],
    )


# -- forging ---------------------------------------------------------------


@given(
    parsers.parse(
        '{name} has forged a session cookie holding "{value}" under "{key}" with the app\'s secret key'
    )
)
def forge_with_real_key(visitors: Visitors, name: str, value: str, key: str) -> None:
    forged = session_cookie.sign(visitors.app, {key: value})
    visitors[name].browser.plant_cookie(visitors.session_cookie_name, forged)


# -- rotation --------------------------------------------------------------


def _secret_key_signs(app: Flask) -> None:
    """Not applicable when the app's session interface signs with a key of its own."""
    if capabilities.detect(app).signs_with_own_key:
        verdicts.not_applicable(
            "the app's session interface signs its cookie with a key of its own, not "
            "SECRET_KEY, so setting or rotating SECRET_KEY changes nothing"
        )


@given(parsers.parse('the app signs sessions with the secret key "{key}"'))
def signs_with(visitors: Visitors, key: str) -> None:
    _secret_key_signs(visitors.app)
    visitors.app.config["SECRET_KEY"] = key


@given(
    parsers.parse(
        'the app\'s secret key has been rotated to "{new}", keeping "{old}" as a fallback'
    )
)
@when(parsers.parse('the app\'s secret key is rotated to "{new}", keeping "{old}" as a fallback'))
def rotate_with_fallback(visitors: Visitors, new: str, old: str) -> None:
    _secret_key_signs(visitors.app)
    visitors.app.config["SECRET_KEY"] = new
    visitors.app.config["SECRET_KEY_FALLBACKS"] = [old]


@when(parsers.parse('the app\'s secret key is changed to "{new}" with no fallback'))
def rotate_without_fallback(visitors: Visitors, new: str) -> None:
    _secret_key_signs(visitors.app)
    visitors.app.config["SECRET_KEY"] = new
    if "SECRET_KEY_FALLBACKS" in visitors.app.config:
        visitors.app.config["SECRET_KEY_FALLBACKS"] = None


@when(parsers.parse('"{old}" is dropped from the fallbacks'))
def drop_fallback(visitors: Visitors, old: str) -> None:
    fallbacks = visitors.app.config.get("SECRET_KEY_FALLBACKS") or []
    visitors.app.config["SECRET_KEY_FALLBACKS"] = [key for key in fallbacks if key != old]


@when(parsers.re(r'(?P<name>\w+) reads "(?P<key>[^"]+)" from (?:her|his|their) session'))
def reads_key(visitors: Visitors, name: str, key: str) -> None:
    visitors[name].read_once("get", key)


@then(parsers.parse('{name}\'s session cookie is signed with "{key}", not with "{other}"'))
def cookie_signed_with(visitors: Visitors, name: str, key: str, other: str) -> None:
    app = visitors.app
    value = visitors[name].browser.cookie_value(visitors.session_cookie_name) or ""
    by_key = session_cookie.signed_with(app, value, key)
    by_other = session_cookie.signed_with(app, value, other)
    expect(
        by_key and not by_other,
        "Flask signs every cookie it writes with SECRET_KEY and re-signs only on a write (K-04, K-05)",
        f"{name}'s cookie to verify with {key!r} and not with {other!r}",
        f"it verifies with {key!r}: {by_key}; with {other!r}: {by_other}",
        visitors[name].browser.history[-2:],
    )
