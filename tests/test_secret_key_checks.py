"""The secret-key check: which keys it flags, and that it cracks and forges as an attacker would.

A key in flask-unsign's wordlist, or too short or too plain to resist a
brute force, fails (a fallback is named by its position, never its value);
random keys pass. The offline crack finds a published key from a cookie the
app wrote itself and forges one the app believes; its fast HMAC arithmetic
must agree with itsdangerous, key by key and salt by salt, and find what
trying every word finds.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import flask_unsign_wordlist
import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from flask_conformance.drive.browser import SetCookie
from flask_conformance.security.forgery import crack, find_key
from flask_conformance.security.key_strength import judge, judge_app, wordlist
from flask_conformance.security.session_cookie import cookie_interface, sign, signer

STRONG_KEY = "9f2c7a41d0be5e38c6a14f7d2b9e03c58a61f4d7e2c9b0a3f5d8e1c4b7a2f6d9"


# -- the secret-key rule ---------------------------------------------------
@pytest.mark.parametrize(
    ("key", "severity", "words"),
    [
        ("dev", "fail", "is in the flask-unsign wordlist"),
        ("secret", "fail", "is in the flask-unsign wordlist"),
        ("you-will-never-guess", "fail", "is in the flask-unsign wordlist"),
        (b"dev", "fail", "is in the flask-unsign wordlist"),
        ("k3Y!x9Q", "fail", "too weak to resist a brute force (7 characters"),
        ("ab" * 20, "fail", "2 distinct"),
        ("Zq8#vL2m!Rt5@Wx9", "warn", "shorter than advised (16 characters"),
    ],
)
def test_weak_keys_are_flagged(key: str | bytes, severity: str, words: str) -> None:
    (finding,) = judge("SECRET_KEY", key)
    assert (finding.severity, finding.setting) == (severity, "SECRET_KEY")
    assert words in str(finding)
    if "wordlist" in words:  # the same words for every published key: none is shown
        assert str(finding) == str(judge("SECRET_KEY", "changeme")[0])
    else:
        assert str(key) not in str(finding)


@pytest.mark.parametrize(
    "make_key",
    [secrets.token_hex, lambda: secrets.token_urlsafe(32), lambda: os.urandom(16)],
    ids=["token_hex", "token_urlsafe", "urandom"],
)
def test_random_keys_pass(make_key) -> None:  # type: ignore[no-untyped-def]
    assert judge("SECRET_KEY", make_key()) == []


def test_fallbacks_are_named_by_position_never_by_value() -> None:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=STRONG_KEY, SECRET_KEY_FALLBACKS=[STRONG_KEY[::-1], "changeme"])
    (finding,) = judge_app(app)
    assert finding.setting == "SECRET_KEY_FALLBACKS[1]"
    assert "changeme" not in str(finding)


def test_the_wordlist_is_flask_unsigns_own() -> None:
    path = Path(flask_unsign_wordlist.get("all"))
    # Read where the package installed it, never a copy (a .venv may sit in the repository).
    assert path.is_file() and path.is_relative_to(Path(flask_unsign_wordlist.__file__).parent)
    words = wordlist()
    assert len(words) > 50_000
    assert {"dev", "secret", "changeme", "super secret key"} <= words


# -- cracking and forging --------------------------------------------------
def _real_cookie(key: str) -> tuple[Flask, str]:
    """An app with ``key`` and a session cookie it wrote itself."""
    app = Flask(__name__)
    app.secret_key = key
    # Its own interface: Flask's default is one instance shared by every app, and
    # a test that changes its salt must not change every later app's.
    app.session_interface = SecureCookieSessionInterface()

    @app.route("/")
    def index() -> str:
        session["user"] = "alice"
        return "ok"

    response = app.test_client().get("/")
    cookie = SetCookie.parse(response.headers["Set-Cookie"])
    return app, cookie.value


def test_a_wordlist_key_is_cracked_from_a_real_cookie_and_forges_a_cookie_the_app_believes() -> (
    None
):
    app, cookie = _real_cookie("dev")
    assert find_key(app, cookie, wordlist()) == "dev"
    forged = sign(app, {"user": "admin"}, "dev")
    with app.test_request_context(headers={"Cookie": f"session={forged}"}):
        assert app.session_interface.open_session(app, __import__("flask").request)["user"] == (
            "admin"
        )


@pytest.mark.parametrize("key", ["dev", b"\x00bytes key\xff", "ünïcode key"])
@pytest.mark.parametrize("salt", ["cookie-session", "an app's own salt"])
def test_the_fast_crack_agrees_with_itsdangerous(key: str | bytes, salt: str) -> None:
    app, cookie = _real_cookie(key)
    app.session_interface.salt = salt  # type: ignore[attr-defined]
    with app.test_request_context():
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        cookie = serializer.dumps({"user": "alice"})
    signed, _, signature = cookie.rpartition(".")
    assert signer(cookie_interface(app), key).verify_signature(signed.encode(), signature)
    assert find_key(app, cookie, ["wrong", "also wrong", key, "later"]) == key
    assert find_key(app, cookie, ["wrong", "also wrong"]) is None
    # The signature's second-to-last character carries six bits of the HMAC (the
    # last one only four, and "AA" could decode to the same bytes): change it.
    tampered = cookie[:-2] + ("B" if cookie[-2] == "A" else "A") + cookie[-1]
    assert find_key(app, tampered, [key]) is None


def test_a_random_key_is_not_cracked() -> None:
    app, cookie = _real_cookie(secrets.token_hex())
    assert find_key(app, cookie, wordlist()) is None


class _OwnKeyInterface(SecureCookieSessionInterface):
    """Signs with a key of its own, not the app's: only a full trial can find it."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(
            "dev",
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={"key_derivation": "hmac", "digest_method": self.digest_method},
        )


def _app_with(key: str, fallbacks: list[str], interface: type | None) -> tuple[Flask, str]:
    app, _ = _real_cookie(key)
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    if interface is not None:
        app.session_interface = interface()
    response = app.test_client().get("/")
    return app, SetCookie.parse(response.headers["Set-Cookie"]).value


@pytest.mark.parametrize(
    ("key", "fallbacks", "interface", "found"),
    [
        ("dev", [], None, "dev"),
        (secrets.token_hex(), [], None, None),
        # A published fallback verifies old cookies but signs none: nothing to find.
        (secrets.token_hex(), ["dev"], None, None),
        (secrets.token_hex(), [], _OwnKeyInterface, "dev"),
    ],
    ids=["published key", "random key", "published fallback", "interface with its own key"],
)
def test_the_crack_finds_what_trying_every_word_finds(
    key: str, fallbacks: list[str], interface: type | None, found: str | None
) -> None:
    app, cookie = _app_with(key, fallbacks, interface)
    assert crack(app, cookie, wordlist()) == found
    assert find_key(app, cookie, wordlist()) == found
