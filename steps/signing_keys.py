"""Steps for the app's signing keys and cookies forged with them
(features/security/secrets.feature).

A key from a published list or too weak to resist guessing fails or warns
(``verdicts.warn``, a failure under --strict); a forged cookie the app believes
fails. An app with no key to check is not applicable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from pytest_bdd import parsers, then, when

from flask_conformance.drive.visitors import Visitors
from flask_conformance.plugin import verdicts
from flask_conformance.security import session_cookie
from flask_conformance.security.forgery import crack
from flask_conformance.security.key_strength import PUBLISHED, configured_keys, judge_app, wordlist
from flask_conformance.target import capabilities

from .checks import expect, session_cookie_of


def _keys_or_not_applicable(app: Flask) -> None:
    if list(configured_keys(app)):
        return
    if capabilities.detect(app).signs_with_own_key:
        verdicts.not_applicable(
            "the app has no SECRET_KEY: its session interface signs the cookie with a key of "
            "its own, which the kit cannot see to check (the forgery checks still try it)"
        )
    verdicts.not_applicable("the app has no SECRET_KEY, so it signs nothing")


@then("none of the app's signing keys is in the flask-unsign wordlist")
def keys_not_published(app_under_test: Flask) -> None:
    _keys_or_not_applicable(app_under_test)
    published = [f for f in judge_app(app_under_test) if f.kind == PUBLISHED]
    expect(
        not published,
        "a signing key must be secret: one from a published list is known to every attacker",
        "SECRET_KEY and every SECRET_KEY_FALLBACKS entry to be absent from the wordlist",
        "; ".join(str(finding) for finding in published),
    )


@then("every one of the app's signing keys is long and varied enough")
def keys_strong(request: pytest.FixtureRequest, app_under_test: Flask) -> None:
    _keys_or_not_applicable(app_under_test)
    findings = [f for f in judge_app(app_under_test) if f.kind != PUBLISHED]
    failures = [f for f in findings if f.severity == "fail"]
    expect(
        not failures,
        "a signing key must be too long and varied for a brute force to find it",
        "every signing key to be long and varied enough",
        "; ".join(str(finding) for finding in failures),
    )
    for finding in findings:
        verdicts.warn(request, str(finding))


@dataclass
class Forgery:
    """A forged cookie Mallory now holds, and how it was made."""

    visitor: str
    key: str
    value: str
    how: str
    #: True when the app's own key was found in the wordlist.
    cracked: bool = False


def _crack_then_resign(app: Flask, value: str, forgery: Forgery) -> str:
    """What flask-unsign does: find the key offline, then sign a session of one's own."""
    key = crack(app, value, wordlist())
    forgery.cracked = key is not None
    return session_cookie.sign(app, {forgery.key: forgery.value}, key if key is not None else "dev")


def _alter_payload(app: Flask, value: str, forgery: Forgery) -> str:
    """Another payload in front of the original timestamp and signature."""
    return session_cookie.with_payload(value, {forgery.key: forgery.value})


FORGERIES: dict[str, Callable[[Flask, str, Forgery], str]] = {
    "re-signed with a key cracked from it with the flask-unsign wordlist": _crack_then_resign,
    "with its payload altered and its signature kept": _alter_payload,
}


@when(
    parsers.re(
        r"(?P<name>\w+) sends (?P<owner>\w+)'s session cookie (?P<forged>.+), "
        r'naming "(?P<value>[^"]+)" under "(?P<key>[^"]+)"'
    ),
    target_fixture="forgery",
)
def sends_forged(
    visitors: Visitors, name: str, owner: str, forged: str, value: str, key: str
) -> Forgery:
    cookie_name = visitors.session_cookie_name
    original = session_cookie_of(visitors, owner, "to forge from")
    forgery = Forgery(name, key, value, forged)
    forged_value = FORGERIES[forged](visitors.app, original, forgery)
    visitors[name].browser.plant_cookie(cookie_name, forged_value)
    return forgery


@then(parsers.parse("the app does not believe {name}'s forged cookie"))
def forgery_refused(visitors: Visitors, forgery: Forgery, name: str) -> None:
    found = visitors[name].session_value(forgery.key)
    why = (
        "the app's signing key is in the flask-unsign wordlist: the kit found it by cracking a "
        "real session cookie offline, as anyone holding one can"
        if forgery.cracked
        else "the app does not check the cookie's signature"
    )
    expect(
        found != forgery.value,
        "a session cookie the app did not sign with a key only it holds is refused",
        f"the cookie {forgery.how} to give an empty session",
        f"the app read {forgery.value!r} under {forgery.key!r} from it: {why}",
        visitors.log[-1:],
    )
