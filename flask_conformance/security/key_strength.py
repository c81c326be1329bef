"""How strong the app's signing keys are, judged from the app object.

Anyone who knows a key can mint any session Flask will believe (K-02), and a
key can be found offline from one captured cookie: flask-unsign tries a
published wordlist of keys seen in real code in about a second. So the kit
checks ``SECRET_KEY`` and every ``SECRET_KEY_FALLBACKS`` entry

- against that wordlist (the ``flask-unsign-wordlist`` package, read where it
  is installed, never copied), and
- against a length and variety rule, for keys a brute force could find.

Findings name a key by its setting ("SECRET_KEY", "SECRET_KEY_FALLBACKS[1]")
and never show its value: a report that printed the key would leak it.
"""

from __future__ import annotations

import ast
import functools
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Flask

Key = str | bytes

#: Fewer characters than this can be brute-forced from one captured cookie.
MIN_LENGTH = 16
#: Fewer distinct characters than this is a pattern, not a random key.
MIN_DISTINCT = 8
#: What Flask's docs suggest (``secrets.token_hex()``) is far longer; below
#: this a key is accepted with a warning.
RECOMMENDED_LENGTH = 32
#: For bytes keys (``os.urandom(n)``) every byte carries 8 bits, so half the
#: characters give the same strength.
BYTES_FACTOR = 2

PUBLISHED, GUESSABLE, SHORT = "published", "guessable", "short"

HOW_TO_FIX = "generate one with: python -c 'import secrets; print(secrets.token_hex())'"


@dataclass(frozen=True)
class KeyFinding:
    """One problem with one configured key; ``setting`` names it, never the value."""

    setting: str
    problem: str
    #: "fail": anyone can find the key; "warn": weaker than Flask's docs advise.
    severity: str
    #: PUBLISHED (in the wordlist), GUESSABLE (brute-forceable) or SHORT.
    kind: str

    def __str__(self) -> str:
        return f"{self.setting} {self.problem}"


@functools.lru_cache(maxsize=1)
def wordlist() -> frozenset[str]:
    """Every key in flask-unsign's published wordlist (one Python literal a line)."""
    import flask_unsign_wordlist

    words: set[str] = set()
    path = flask_unsign_wordlist.get("all")
    # Lines are literals copied from real code; some carry escapes Python warns about.
    with open(path, encoding="utf-8", errors="replace") as lines, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for line in lines:
            words.add(_word(line.rstrip("\n")))
    return frozenset(words)


def _word(text: str) -> str:
    """The key a wordlist line holds: most are plain quoted strings, read without eval."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" and "\\" not in text:
        inner = text[1:-1]
        if text[0] not in inner:
            return inner
    try:
        word = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        word = text
    return word if isinstance(word, str) else str(word)


def configured_keys(app: Flask) -> Iterator[tuple[str, Key]]:
    """``(setting name, key)`` for SECRET_KEY and each SECRET_KEY_FALLBACKS entry."""
    key = app.config.get("SECRET_KEY")
    if key:
        yield "SECRET_KEY", key
    fallbacks = app.config.get("SECRET_KEY_FALLBACKS") or []
    if isinstance(fallbacks, (str, bytes)):
        fallbacks = [fallbacks]
    for index, fallback in enumerate(fallbacks):
        if fallback:
            yield f"SECRET_KEY_FALLBACKS[{index}]", fallback


def in_wordlist(key: Key) -> bool:
    """Whether ``key`` is one of the keys flask-unsign tries first."""
    if isinstance(key, bytes):
        try:
            key = key.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return key in wordlist()


def judge(setting: str, key: Key) -> list[KeyFinding]:
    """What is wrong with one key: published, guessable or short."""
    if not isinstance(key, (str, bytes)):
        key = str(key)  # itsdangerous would refuse it anyway; judge what it would be
    if in_wordlist(key):
        return [
            KeyFinding(
                setting,
                "is in the flask-unsign wordlist of published keys, so anyone can find it "
                f"from one session cookie and sign sessions of their own: {HOW_TO_FIX}",
                "fail",
                PUBLISHED,
            )
        ]
    factor = BYTES_FACTOR if isinstance(key, bytes) else 1
    length, distinct = len(key) * factor, len(set(key))
    kind = "bytes" if isinstance(key, bytes) else "characters"
    if length < MIN_LENGTH or distinct < MIN_DISTINCT:
        return [
            KeyFinding(
                setting,
                f"is too weak to resist a brute force ({len(key)} {kind}, {distinct} distinct; "
                f"the kit asks for at least {MIN_LENGTH // factor} {kind} and "
                f"{MIN_DISTINCT} distinct): {HOW_TO_FIX}",
                "fail",
                GUESSABLE,
            )
        ]
    if length < RECOMMENDED_LENGTH:
        return [
            KeyFinding(
                setting,
                f"is shorter than advised ({len(key)} {kind}; Flask's docs suggest "
                f"secrets.token_hex(), {RECOMMENDED_LENGTH // factor} {kind} or more): "
                f"{HOW_TO_FIX}",
                "warn",
                SHORT,
            )
        ]
    return []


def judge_app(app: Flask) -> list[KeyFinding]:
    """Every problem with every key the app signs or verifies with."""
    return [finding for setting, key in configured_keys(app) for finding in judge(setting, key)]
