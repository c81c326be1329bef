"""What a tester does to a session cookie to change what the session holds.

These work on any store, because they only look at the cookie: flip a
character anywhere in it, strip the signature off a ``payload.signature``
cookie, put another visitor's payload under one's own signature, or decode a
readable payload (base64 JSON, zlib-compressed when it starts with a dot, as
Flask and many home-made stores write it), change a value and encode it back
the same way. A store that keeps the session on the server hands out an
opaque id with no payload or signature to work on; those alterations do not
apply to it, and :class:`NothingToTamperWith` says why.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass
from typing import Any


class NothingToTamperWith(Exception):
    """The cookie has no part this alteration works on; the message says why."""


@dataclass(frozen=True)
class ReadablePayload:
    """A cookie's leading base64 JSON part, and how it was encoded."""

    data: Any
    compressed: bool
    #: Everything after the payload (``.timestamp.signature``), kept as it was.
    rest: str

    @classmethod
    def of(cls, value: str) -> ReadablePayload:
        compressed = value.startswith(".")
        body = value[1:] if compressed else value
        payload, dot, rest = body.partition(".")
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
        return cls(data, compressed, dot + rest)

    def encode(self, data: Any) -> str:
        """``data`` encoded as this payload was, followed by the same rest."""
        raw = json.dumps(data, separators=(",", ":")).encode()
        if self.compressed:
            raw = zlib.compress(raw)
        text = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return ("." if self.compressed else "") + text + self.rest


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
    old = value[index]
    new = ("1" if old == "0" else "0") if old.isdigit() else ("B" if old == "A" else "A")
    return value[:index] + new + value[index + 1 :]


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


def signature_of(value: str) -> str:
    _head, dot, signature = value.rpartition(".")
    if not dot:
        raise NothingToTamperWith(
            "the cookie has no '.'-separated signature to swap (an unsigned value or an "
            "opaque session id)"
        )
    return signature


def payload_under_signature(payload_from: str, signature_from: str) -> str:
    """One visitor's payload (and timestamp) under another visitor's signature."""
    signature = signature_of(signature_from)
    ReadablePayload.of(payload_from)  # only a readable payload is worth moving
    head, _dot, _old = payload_from.rpartition(".")
    return f"{head}.{signature}"
