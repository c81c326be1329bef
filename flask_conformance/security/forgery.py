"""What an attacker holding one session cookie and a wordlist can do.

Flask's cookie is ``payload.timestamp.signature``, signed with itsdangerous
under the app's key (SES-02). flask-unsign shows the attack: try every key of
a published wordlist against a captured cookie, offline, and with the key
found, sign a session of one's own choosing. This module finds the key;
:func:`flask_conformance.security.session_cookie.sign` then signs with the
signing settings of the app's own session interface (salt, key derivation,
digest, tagged-JSON serializer), so a forged cookie is exactly what the app
itself would write with that key.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadData
from itsdangerous.encoding import base64_decode, want_bytes

from .key_strength import Key, configured_keys, in_wordlist
from .session_cookie import cookie_interface, signer


def crack(app: Flask, cookie_value: str, words: Iterable[Key]) -> Key | None:
    """The key flask-unsign would find for ``cookie_value`` with ``words``, or None.

    An attacker has to try every word. The kit holds the app, and when the app
    signs with Flask's own serializer the cookie can only be signed with one of
    its configured keys, so trying every word finds a key exactly when one of
    those keys is a word. The kit therefore looks its keys up in the wordlist
    and confirms each hit against the cookie, which gives the attacker's answer
    without 56,000 trials on every run. An interface that brings its own
    signing serializer or saving may sign with anything: it gets the full trial.
    """
    interface = type(app.session_interface)
    signs_with_app_keys = (
        issubclass(interface, SecureCookieSessionInterface)
        and interface.get_signing_serializer is SecureCookieSessionInterface.get_signing_serializer
        and interface.save_session is SecureCookieSessionInterface.save_session
    )
    if signs_with_app_keys:
        words = [key for _, key in configured_keys(app) if in_wordlist(key)]
    return find_key(app, cookie_value, words)


def find_key(app: Flask, cookie_value: str, candidates: Iterable[Key]) -> Key | None:
    """The candidate that signed ``cookie_value``, found offline, or None.

    Only the signature is checked, as an attacker would: the cookie's age
    does not matter to someone who is about to sign a fresh one.
    """
    signed, _, signature = cookie_value.rpartition(".")
    if not signed or not signature:
        return None
    interface = cookie_interface(app)
    message = signed.encode("utf-8")
    if interface.key_derivation == "hmac":
        return _find_hmac_key(interface, message, signature, candidates)
    for candidate in candidates:
        if signer(interface, candidate).verify_signature(message, signature):
            return candidate
    return None


def _find_hmac_key(
    interface: SecureCookieSessionInterface,
    message: bytes,
    signature: str,
    candidates: Iterable[Key],
) -> Key | None:
    """:func:`find_key` for Flask's own key derivation, fast enough for a whole wordlist.

    itsdangerous builds a :class:`~itsdangerous.Signer` per key, which makes
    trying 56,000 keys take a third of a second. The arithmetic is two HMACs
    (derive the key from the salt, then sign), which :func:`hmac.digest` does
    in C; the result is the same, as ``tests/test_secret_key_checks.py`` checks
    against itsdangerous.
    """
    try:
        wanted = base64_decode(signature)
    except BadData:
        return None
    digest = interface.digest_method().name
    salt = want_bytes(interface.salt)
    for candidate in candidates:
        derived = hmac.digest(want_bytes(candidate), salt, digest)
        if hmac.compare_digest(hmac.digest(derived, message, digest), wanted):
            return candidate
    return None

