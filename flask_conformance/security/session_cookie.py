"""Flask session cookies: read, write, sign and spoil them, in one place.

Flask's session cookie is ``payload.timestamp.signature``, signed with
itsdangerous under the app's key (SES-02). The payload is base64 JSON,
zlib-compressed when the cookie starts with a dot, and it is signed, not
encrypted: anyone holding the cookie reads it without the key. Many
home-made stores write the same readable payload, with or without a
signature after it. A server-side store (Flask-Session) hands out an opaque
id instead, with no payload or signature to read or change.

The kit does four things with such a cookie, and each is here once:

- read what it holds (:func:`read_payload`, :class:`ReadablePayload`), for
  the specs and the reports' evidence;
- sign a session as the app would (:func:`sign`, :func:`signed_with`), to
  forge a cookie or to check which key signed one;
- spoil it as a tester would (:func:`flip_character`,
  :func:`change_signature`, :func:`strip_signature`, :func:`change_payload`,
  :func:`with_payload`, :func:`payload_under_signature`);
- say why a spoiling does not apply (:class:`NothingToTamperWith`), when the
  cookie lacks the part it works on.

Nothing here drives the app or knows pytest: the steps decide what a result
means.
"""

from __future__ import annotations

import base64
import copy
import json
import zlib
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer

from .key_strength import Key


class NothingToTamperWith(Exception):
    """The cookie has no part this alteration works on; the message says why."""


# -- the readable payload --------------------------------------------------


def encode_payload(data: Any, compressed: bool = False) -> str:
    """``data`` as a cookie's leading part: base64 JSON, compressed after a dot if asked.

    Compact JSON, as Flask writes it. The data is written as given: a payload
    read with :func:`read_payload` keeps Flask's type tags, so writing it back
    gives the same tags.
    """
    raw = json.dumps(data, separators=(",", ":")).encode()
    if compressed:
        raw = zlib.compress(raw)
    text = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return ("." if compressed else "") + text


def _after_payload(value: str) -> str:
    """Everything after the cookie's leading part (``.timestamp.signature``), or ``""``."""
    _payload, dot, rest = value.removeprefix(".").partition(".")
    return dot + rest


@dataclass(frozen=True)
class ReadablePayload:
    """A cookie's leading base64 JSON part, and how it was encoded."""

    data: Any
    compressed: bool
    #: Everything after the payload (``.timestamp.signature``), kept as it was.
    rest: str

    @classmethod
    def of(cls, value: str) -> ReadablePayload:
        """Decode ``value``'s payload; :class:`NothingToTamperWith` when it has none."""
        compressed = value.startswith(".")
        payload = value.removeprefix(".").partition(".")[0]
        try:
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            if compressed:
                raw = zlib.decompress(raw)
            data = json.loads(raw)
        except (ValueError, zlib.error):
            raise NothingToTamperWith(
                "the cookie holds no readable payload (it looks like an opaque session id), "
                "so there is nothing to decode and change"
            ) from None
        return cls(data, compressed, _after_payload(value))

    def encode(self, data: Any) -> str:
        """``data`` encoded as this payload was, followed by the same rest."""
        return encode_payload(data, self.compressed) + self.rest


def read_payload(value: str) -> Any:
    """What a session cookie holds, read without the key; None when it holds nothing readable.

    The specs and reports use it to show what anyone holding the cookie can
    read. A server-side session id, or any value that is not base64 JSON,
    gives None.
    """
    try:
        return ReadablePayload.of(value).data
    except NothingToTamperWith:
        return None


# -- signing ---------------------------------------------------------------


def cookie_interface(app: Flask) -> SecureCookieSessionInterface:
    """The app's signed-cookie interface, or Flask's default for any other backend.

    Its salt, key derivation, digest and serializer are what a cookie signed
    "as the app would" must use.
    """
    interface = app.session_interface
    if isinstance(interface, SecureCookieSessionInterface):
        return interface
    return SecureCookieSessionInterface()


def signer(interface: SecureCookieSessionInterface, key: Key) -> Signer:
    """The signer ``interface`` would use with ``key``: it checks a signature alone."""
    return Signer(
        key,
        salt=interface.salt,
        key_derivation=interface.key_derivation,
        digest_method=interface.digest_method,
    )


def signing_serializer(
    app: Flask, key: Key | None = None, salt: str | None = None
) -> URLSafeTimedSerializer:
    """The serializer that signs ``app``'s session cookies, with ``key`` or the app's own.

    With ``key`` None it is the app's own, exactly as its session interface
    builds it (its key, its fallbacks, any override, a key of its own that is
    not SECRET_KEY). With a ``key`` it is Flask's serializer with the app's
    signing settings and ``key`` as its only key: what the app would write if
    that were its key, which is what a forger or a key check needs. ``salt``
    replaces the app's salt either way.

    An app with no key to sign with is the app's defect, not the kit's, so it
    raises AssertionError: in a scenario that is a failed behaviour.
    """
    interface = cookie_interface(app)
    if salt is not None:
        interface = copy.copy(interface)
        interface.salt = salt
    if key is None:
        own = interface.get_signing_serializer(app)
        if own is None:
            raise AssertionError("Flask built no signing serializer: the secret key is empty.")
        return own
    # The serializer Flask's get_signing_serializer builds, with ``key`` in place of the app's.
    signing = {"key_derivation": interface.key_derivation, "digest_method": interface.digest_method}
    return URLSafeTimedSerializer(
        key, salt=interface.salt, serializer=interface.serializer, signer_kwargs=signing
    )


def sign(app: Flask, data: dict[str, Any], key: Key | None = None, salt: str | None = None) -> str:
    """A session cookie value holding ``data``, signed as :func:`signing_serializer` says."""
    return signing_serializer(app, key, salt).dumps(data)


def signed_with(app: Flask, value: str, key: Key) -> bool:
    """Whether ``value`` carries a valid signature ``app`` would make with ``key``.

    The cookie's age is not checked: the question is only which key signed it.
    """
    try:
        signing_serializer(app, key).loads(value)
    except BadSignature:
        return False
    return True


# -- spoiling --------------------------------------------------------------


def _another_character(old: str) -> str:
    """A different character of the same alphabet, so the cookie keeps its shape."""
    if old.isdigit():
        return "1" if old == "0" else "0"
    return "B" if old == "A" else "A"


def flip_character(value: str, where: str) -> str:
    """Change one character at the ``start``, ``middle`` or ``end`` of ``value``.

    The character is swapped for another of the same alphabet (``A`` and
    ``B``, or ``0`` and ``1``) so the cookie keeps its shape. At the end, the
    character before the last is changed: the last base64 character of a
    signature also carries padding bits, and changing only those can leave the
    decoded bytes as they were.
    """
    if len(value) < 3:
        raise NothingToTamperWith("the cookie is too short to change one character of")
    index = {"start": 1 if value.startswith(".") else 0, "middle": len(value) // 2}.get(
        where, len(value) - 2
    )
    return value[:index] + _another_character(value[index]) + value[index + 1 :]


def _split_signature(value: str, to: str) -> tuple[str, str]:
    """``value``'s signed part and its signature; none is missing, or it says what it can't do."""
    head, dot, signature = value.rpartition(".")
    if not dot:
        raise NothingToTamperWith(
            f"the cookie has no '.'-separated signature to {to} (an unsigned value or an "
            "opaque session id)"
        )
    return head, signature


def change_signature(value: str) -> str:
    """Change the first character of the signature.

    Not its last: the last base64 character of a 20-byte signature also
    carries padding bits, and changing only those leaves the signature valid.
    """
    head, signature = _split_signature(value, "change")
    if not signature:
        raise NothingToTamperWith("the cookie's signature is empty, so there is none to change")
    return f"{head}.{_another_character(signature[0])}{signature[1:]}"


def strip_signature(value: str) -> str:
    """``payload.timestamp.signature`` without its last part."""
    head, dot, _signature = value.rpartition(".")
    if not dot or not head.strip("."):
        raise NothingToTamperWith(
            "the cookie has no '.'-separated signature to strip (an unsigned value or an "
            "opaque session id)"
        )
    return head


def change_payload(value: str, key: str, new_value: str) -> str:
    """Decode the readable payload, set ``key`` to ``new_value``, encode it back."""
    payload = ReadablePayload.of(value)
    if not isinstance(payload.data, dict):
        raise NothingToTamperWith("the cookie's payload is not a mapping of session keys")
    return payload.encode({**payload.data, key: new_value})


def with_payload(value: str, data: dict[str, Any]) -> str:
    """``data`` as a readable payload in front of whatever follows ``value``'s payload.

    The timestamp and signature are kept as they were, without reading the
    old payload: a store that does not check them believes the new one.
    """
    return encode_payload(data) + _after_payload(value)


def payload_under_signature(payload_from: str, signature_from: str) -> str:
    """One visitor's payload (and timestamp) under another visitor's signature."""
    _head, signature = _split_signature(signature_from, "swap")
    ReadablePayload.of(payload_from)  # only a readable payload is worth moving
    head, _dot, _old = payload_from.rpartition(".")
    return f"{head}.{signature}"
