"""The one module that reads, signs and spoils Flask session cookies.

Each test checks the codec against Flask itself: a cookie Flask wrote is read
as Flask stored it, a cookie the codec signs is one Flask opens, and every
spoiled cookie is one Flask refuses (or, for the payload swaps, one a store
that does not check signatures would believe).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface

from flask_conformance.security import session_cookie
from flask_conformance.security.session_cookie import NothingToTamperWith, ReadablePayload
from tests.apps.own_key_interface import SESSION_KEY, OwnKeySessionInterface


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="codec-test", TESTING=True)
    return app


def _signed(app: Flask, data: dict[str, Any]) -> str:
    """A cookie value as Flask itself writes it."""
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    return serializer.dumps(data)


def _opened(app: Flask, value: str) -> dict[str, Any]:
    """What Flask's session holds for a request carrying ``value``."""
    with app.test_request_context(headers={"Cookie": f"session={value}"}):
        return dict(session)


# -- reading ---------------------------------------------------------------


def test_reads_a_signed_cookie_without_the_key(app: Flask) -> None:
    assert session_cookie.read_payload(_signed(app, {"colour": "blue"})) == {"colour": "blue"}


def test_reads_a_compressed_cookie(app: Flask) -> None:
    value = _signed(app, {"text": "blue " * 200})
    assert value.startswith("."), "itsdangerous compresses a payload this repetitive"
    assert session_cookie.read_payload(value) == {"text": "blue " * 200}


@pytest.mark.parametrize(
    "value",
    ["", "not base64 at all!", "3f2a9c1e-8b7d-4c8e-9f00-1234567890ab", ".garbage"],
)
def test_reads_nothing_in_other_values(value: str) -> None:
    assert session_cookie.read_payload(value) is None
    with pytest.raises(NothingToTamperWith, match="no readable payload"):
        ReadablePayload.of(value)


@pytest.mark.parametrize("data", [{"colour": "blue"}, {"text": "blue " * 200}])
def test_a_payload_is_written_back_as_it_was_read(app: Flask, data: dict[str, Any]) -> None:
    value = _signed(app, data)
    assert ReadablePayload.of(value).encode(data) == value


# -- signing ---------------------------------------------------------------


def test_signing_without_a_key_signs_as_the_app_does(app: Flask) -> None:
    assert _opened(app, session_cookie.sign(app, {"user": "alice"})) == {"user": "alice"}


def test_signing_with_the_apps_key_is_what_flask_writes(app: Flask) -> None:
    assert (
        session_cookie.sign(app, {"user": "alice"}, "codec-test").split(".")[0]
        == (_signed(app, {"user": "alice"}).split(".")[0])
    )
    assert _opened(app, session_cookie.sign(app, {"user": "alice"}, "codec-test")) == {
        "user": "alice"
    }


@pytest.mark.parametrize(
    ("key", "salt"), [("another-key", None), (None, "another-salt"), ("codec-test", "other")]
)
def test_another_key_or_salt_is_refused(app: Flask, key: str | None, salt: str | None) -> None:
    assert _opened(app, session_cookie.sign(app, {"user": "alice"}, key, salt)) == {}


def test_signing_without_a_key_honours_an_interface_with_a_key_of_its_own(app: Flask) -> None:
    app.session_interface = OwnKeySessionInterface()
    app.config["SESSION_SIGNING_KEY"] = SESSION_KEY
    value = session_cookie.sign(app, {"user": "alice"})
    assert _opened(app, value) == {"user": "alice"}
    assert session_cookie.signed_with(app, value, SESSION_KEY)
    assert not session_cookie.signed_with(app, value, "codec-test")


def test_no_key_at_all_is_said_plainly() -> None:
    with pytest.raises(AssertionError, match="the secret key is empty"):
        session_cookie.sign(Flask(__name__), {"user": "alice"})


def test_signed_with_names_the_key_that_signed(app: Flask) -> None:
    value = _signed(app, {"user": "alice"})
    assert session_cookie.signed_with(app, value, "codec-test")
    assert not session_cookie.signed_with(app, value, "another-key")


# -- spoiling --------------------------------------------------------------


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_flipped_character_is_refused(app: Flask, where: str) -> None:
    value = _signed(app, {"user": "alice"})
    flipped = session_cookie.flip_character(value, where)
    assert len(flipped) == len(value) and flipped != value
    assert _opened(app, flipped) == {}


def test_a_changed_signature_is_refused(app: Flask) -> None:
    value = _signed(app, {"user": "alice"})
    changed = session_cookie.change_signature(value)
    assert changed.rpartition(".")[0] == value.rpartition(".")[0]
    assert changed[-1] == value[-1] and changed != value
    assert _opened(app, changed) == {}


def test_a_stripped_signature_is_refused(app: Flask) -> None:
    value = _signed(app, {"user": "alice"})
    assert _opened(app, session_cookie.strip_signature(value)) == {}


def test_a_changed_payload_keeps_the_rest_and_is_refused(app: Flask) -> None:
    value = _signed(app, {"user": "alice", "theme": "dark"})
    changed = session_cookie.change_payload(value, "user", "admin")
    assert session_cookie.read_payload(changed) == {"user": "admin", "theme": "dark"}
    assert changed.partition(".")[2] == value.partition(".")[2]
    assert _opened(app, changed) == {}


def test_another_payload_keeps_the_timestamp_and_signature(app: Flask) -> None:
    for value in (_signed(app, {"user": "alice"}), _signed(app, {"text": "blue " * 200})):
        replaced = session_cookie.with_payload(value, {"user": "admin"})
        assert session_cookie.read_payload(replaced) == {"user": "admin"}
        assert replaced.partition(".")[2] == value.removeprefix(".").partition(".")[2]
        assert _opened(app, replaced) == {}


def test_another_visitors_payload_under_ones_own_signature(app: Flask) -> None:
    alice, bob = _signed(app, {"user": "alice"}), _signed(app, {"user": "bob"})
    swapped = session_cookie.payload_under_signature(bob, alice)
    assert session_cookie.read_payload(swapped) == {"user": "bob"}
    assert swapped.rpartition(".")[2] == alice.rpartition(".")[2]
    assert _opened(app, swapped) == {}


@pytest.mark.parametrize(
    ("spoil", "missing"),
    [
        (lambda v: session_cookie.flip_character("ab", "middle"), "too short"),
        (lambda v: session_cookie.change_signature(v), "no '.'-separated signature to change"),
        (lambda v: session_cookie.strip_signature(v), "no '.'-separated signature to strip"),
        (lambda v: session_cookie.change_payload(v, "user", "admin"), "no readable payload"),
        (lambda v: session_cookie.payload_under_signature(v, v), "signature to swap"),
    ],
)
def test_an_opaque_id_has_nothing_to_tamper_with(spoil: Any, missing: str) -> None:
    opaque_id = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA_-"
    with pytest.raises(NothingToTamperWith, match=missing):
        spoil(opaque_id)
