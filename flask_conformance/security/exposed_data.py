"""Sensitive-looking data in a session anyone holding the cookie can read.

Flask's session cookie is signed, not encrypted (SES-02): its payload is
base64 JSON that anyone can decode without the key (WSTG-SESS-04). This
module walks a decoded payload and names what looks sensitive: keys such as
"password" or "api_key", and values that look like secrets whatever their
key (a password hash, a private key, a payment card number...).

Findings name where the data sits and what it looks like, never the value:
a report must not repeat the leak.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

#: Keys whose values must not travel in a readable cookie.
SENSITIVE_KEY = re.compile(
    r"pass(word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|"
    r"access[_-]?key|credit|card[_-]?(number|no)|cvv|cvc|ssn|social[_-]?security|iban|"
    r"otp|totp|mfa[_-]?seed|recovery[_-]?code|session[_-]?key",
    re.IGNORECASE,
)
#: Keys that match the pattern above but are meant to sit in the session:
#: a CSRF token is the browser's own copy of a per-session value.
HARMLESS_KEY = re.compile(r"csrf", re.IGNORECASE)

#: Values that look secret whatever their key, with what they look like.
SENSITIVE_VALUES = (
    (re.compile(r"^(pbkdf2:|scrypt:|\$2[aby]\$|\$argon2)"), "a password hash"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (re.compile(r"^AKIA[0-9A-Z]{16}$"), "an AWS access key id"),
    (re.compile(r"^(sk|rk)_(live|test)_[0-9A-Za-z]{10,}$"), "an API secret key"),
    (re.compile(r"^gh[pousr]_[0-9A-Za-z]{30,}$"), "a GitHub token"),
    (re.compile(r"^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*$"), "a JSON Web Token"),
)
_CARD = re.compile(r"^(?:\d[ -]?){13,19}$")


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return total % 10 == 0


def value_kind(value: Any) -> str | None:
    """What a value looks like, if it looks sensitive."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern, kind in SENSITIVE_VALUES:
        if pattern.search(text):
            return kind
    if _CARD.match(text):
        digits = re.sub(r"\D", "", text)
        if _luhn(digits):
            return "a payment card number"
    return None


def sensitive_items(payload: Any, where: str = "") -> Iterator[str]:
    """Plain descriptions of everything sensitive-looking in ``payload``."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            path = f"{where}.{key}" if where else str(key)
            if (
                isinstance(key, str)
                and not key.startswith(" ")  # Flask's tagged-JSON markers (" t", " d"...)
                and SENSITIVE_KEY.search(key)
                and not HARMLESS_KEY.search(key)
                and value not in (None, "", [], {})
            ):
                yield f"{path!r} (its name says it holds a secret)"
            else:
                yield from sensitive_items(value, path)
    elif isinstance(payload, list):
        for index, item in enumerate(payload):
            yield from sensitive_items(item, f"{where}[{index}]")
    else:
        kind = value_kind(payload)
        if kind is not None:
            yield f"{where or 'the payload'!r} (its value looks like {kind})"
