"""The security rules other than the key's, each judged on its own without running the specs.

The session and remember cookies' attributes (Secure, HttpOnly, SameSite,
the __Host- prefix, size and scope) with advice naming the setting to
change; session data that looks sensitive, named without its value; every
OWASP id in the features has a title and the coverage table orders them by
number; and a held request that an app's hook answers fails in plain words.
"""

from __future__ import annotations

import pytest
from flask import Flask

from flask_conformance import layout
from flask_conformance.drive.browser import SetCookie
from flask_conformance.plugin.tags import OWASP_ID, tags_in
from flask_conformance.security import cookie_attributes
from flask_conformance.security.exposed_data import sensitive_items, value_kind
from flask_conformance.security.owasp import REQUIREMENTS

from .test_secret_key_checks import STRONG_KEY

# -- cookie attributes -----------------------------------------------------
GOOD = "__Host-session=abc; Secure; HttpOnly; Path=/; SameSite=Lax"


@pytest.mark.parametrize(
    ("header", "rule", "severity", "words"),
    [
        (GOOD, cookie_attributes.secure, "passed", "Secure"),
        ("session=abc; HttpOnly; Path=/", cookie_attributes.secure, "fail", "SESSION_COOKIE_SECURE"),
        (GOOD, cookie_attributes.http_only, "passed", "HttpOnly"),
        ("session=abc; Secure; Path=/", cookie_attributes.http_only, "fail", "no HttpOnly"),
        (GOOD, cookie_attributes.same_site, "passed", "SameSite=Lax"),
        ("session=abc; Secure; Path=/", cookie_attributes.same_site, "warn", "no SameSite"),
        ("session=a; Path=/; SameSite=None", cookie_attributes.same_site, "fail", "None without Secure"),
        ("session=a; Secure; SameSite=None", cookie_attributes.same_site, "warn", "any site"),
        ("session=a; Secure; SameSite=Loose", cookie_attributes.same_site, "fail", "not Strict, Lax"),
        (GOOD, cookie_attributes.prefix, "passed", "binds it to this host"),
        ("session=abc; Secure; Path=/", cookie_attributes.prefix, "warn", '"__Host-session"'),
        ("__Secure-s=abc; Secure; Path=/", cookie_attributes.prefix, "warn", "__Host- would also"),
        ("__Host-s=abc; Secure; Path=/app", cookie_attributes.prefix, "fail", "a Path other than /"),
        ("__Host-s=abc; Path=/; Domain=x.test", cookie_attributes.prefix, "fail", "no Secure, a Domain"),
        (GOOD, cookie_attributes.size, "passed", "bytes"),
        ("session=" + "a" * 4100 + "; Path=/", cookie_attributes.size, "fail", "over the 4093 bytes"),
    ],
)
def test_cookie_rules(header: str, rule, severity: str, words: str) -> None:  # type: ignore[no-untyped-def]
    finding = rule(SetCookie.parse(header), "session cookie")
    assert finding.severity == severity
    assert words in finding.message


@pytest.mark.parametrize(
    ("header", "root", "severity", "words"),
    [
        ("s=a; Path=/", "/", "passed", "Path=/"),
        ("s=a; Path=/shop", "/shop", "passed", "Path=/shop"),
        ("s=a; Path=/", "/shop", "warn", "lives under /shop"),
        ("s=a; Domain=example.test; Path=/", "/", "warn", "every subdomain"),
    ],
)
def test_cookie_scope(header: str, root: str, severity: str, words: str) -> None:
    finding = cookie_attributes.scope(SetCookie.parse(header), "session cookie", root)
    assert (finding.severity, words in finding.message) == (severity, True)


def test_remember_cookie_advice_names_flask_logins_settings() -> None:
    finding = cookie_attributes.secure(SetCookie.parse("remember_token=1|x; Path=/"), "remember cookie")
    assert "REMEMBER_COOKIE_SECURE" in finding.message


# -- sensitive-looking session data ----------------------------------------
def test_sensitive_keys_and_values_are_named_without_their_values() -> None:
    payload = {
        "user_id": 1,
        "password": "hunter2",
        "prefs": {"stripe": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
        "cards": ["4111 1111 1111 1111"],
        "csrf_token": "abc123",
        "_fresh": True,
    }
    found = list(sensitive_items(payload))
    assert found == [
        "'password' (its name says it holds a secret)",
        "'prefs.stripe' (its value looks like an API secret key)",
        "'cards[0]' (its value looks like a payment card number)",
    ]
    assert not any("hunter2" in item or "4111" in item for item in found)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("pbkdf2:sha256:600000$salt$hash", "a password hash"),
        ("$2b$12$abcdefghijklmnopqrstuv", "a password hash"),
        ("4111111111111112", None),  # fails the Luhn check: not a card number
        ("1234", None),
        ("alice", None),
    ],
)
def test_value_kinds(value: str, kind: str | None) -> None:
    assert value_kind(value) == kind


# -- OWASP ids ---------------------------------------------------------------
def test_every_owasp_id_in_the_features_has_a_title() -> None:
    used = {tag for tag in tags_in(layout.FEATURES_DIR.rglob("*.feature")) if OWASP_ID.match(tag)}
    assert used, "no feature carries an OWASP tag"
    assert sorted(used - set(REQUIREMENTS)) == []


def test_the_table_orders_requirements_by_number() -> None:
    from flask_conformance.plugin.owasp_table import format_table
    from flask_conformance.security.owasp import coverage_rows

    rows = coverage_rows([(["ASVS5-14.3.3", "ASVS5-3.3.1"], "passed"), (["ASVS5-3.3.1"], "warned")])
    lines = [line for line in format_table(rows) if line.startswith("ASVS5-")]
    assert [line.split()[0] for line in lines] == ["ASVS5-3.3.1", "ASVS5-14.3.3"]
    assert lines[0].split()[-5:] == ["2", "1", "1", "0", "0"]


# -- held requests -----------------------------------------------------------
def test_a_held_request_an_app_hook_answers_fails_in_plain_words() -> None:
    from flask_conformance.drive.held_requests import HeldRequest
    from flask_conformance.drive.probe import install_probe
    from flask_conformance.drive.visitors import Visitor

    app = Flask(__name__)
    app.secret_key = STRONG_KEY
    app.before_request(lambda: ("log in first", 401))
    install_probe(app)
    held = HeldRequest(Visitor(app, "Alice"), write=True, key="theme", value="dark")
    with pytest.raises(AssertionError, match="never reached the kit's probe.*-> 401"):
        held.start()
