"""A scenario's HTTP exchanges as a report shows them, secrets left out.

A failed or warned scenario carries every request it sent and every response
it got as evidence, so that a reviewer can judge the verdict without running
anything. Evidence is written into files that get attached to CI runs and
shared, so what an exchange may show is decided here, in one place: the
headers that bear on session behaviour, cookie values shortened, and decoded
session payloads with the values under secret-looking keys (passwords, tokens,
CSRF values, API keys) redacted.
"""

from __future__ import annotations

import re
from typing import Any

from ..drive.browser import Exchange
from ..security.session_cookie import read_payload

#: Response headers a reviewer needs to judge a session behaviour.
RELEVANT_HEADERS = ("content-type", "location", "vary", "cache-control", "www-authenticate")
_SECRET_KEY = re.compile(
    r"secret|passw|token|csrf|api[_-]?key|private|credential|auth", re.IGNORECASE
)
REDACTED = "[redacted]"


def exchange_record(exchange: Exchange) -> dict[str, Any]:
    """One exchange as evidence: what was sent, what came back, when."""
    record: dict[str, Any] = {
        "visitor": exchange.visitor,
        "at": exchange.at.strftime("%Y-%m-%d %H:%M:%S"),
        "method": exchange.method,
        "path": exchange.path,
        "status": exchange.status,
        "observation": exchange.observation,
        "cookies_sent": {k: shorten(v) for k, v in exchange.cookies_sent.items()},
        "headers": {k: v for k, v in exchange.headers if k.lower() in RELEVANT_HEADERS},
        "set_cookies": [
            {
                "name": c.name,
                "value": shorten(c.value),
                "attributes": c.attributes,
                "deletes": c.deletes,
            }
            for c in exchange.set_cookies
        ],
    }
    payloads = {}
    for name, value in exchange.cookies_sent.items():
        payload = read_payload(value)
        if isinstance(payload, dict):
            payloads[f"sent {name}"] = redact(payload)
    for cookie in exchange.set_cookies:
        payload = read_payload(cookie.value)
        if isinstance(payload, dict):
            payloads[f"set {cookie.name}"] = redact(payload)
    if payloads:
        record["session_payloads"] = payloads
    if exchange.restored:
        record["restored"] = True
    if exchange.error is not None:
        record["error"] = f"{type(exchange.error).__name__}: {exchange.error}"
    if exchange.app_error is not None:
        record["app_error"] = f"{type(exchange.app_error).__name__}: {exchange.app_error}"
    if exchange.raised_where:
        record["raised_where"] = exchange.raised_where.strip()
    if exchange.raised_at is not None:
        record["raised_at"] = exchange.raised_at
    return record


def shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def redact(value: Any, key: str = "") -> Any:
    """The payload with values under secret-looking keys replaced."""
    if key and _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, dict):
        return {str(k): redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return shorten(value, 120)
    return value
