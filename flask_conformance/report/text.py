"""Evidence as plain text lines, shared by the JUnit and Markdown writers."""

from __future__ import annotations

import json
from typing import Any

#: How RFC 6265 spells the attributes the kit's parser keeps in lower case.
ATTRIBUTE_NAMES = {
    "expires": "Expires",
    "max-age": "Max-Age",
    "domain": "Domain",
    "path": "Path",
    "secure": "Secure",
    "httponly": "HttpOnly",
    "samesite": "SameSite",
    "partitioned": "Partitioned",
}


def attributes_text(attributes: dict[str, Any]) -> str:
    """Set-Cookie attributes as a browser shows them: ``Path=/; HttpOnly``."""
    parts = []
    for name, value in attributes.items():
        name = ATTRIBUTE_NAMES.get(name, name)
        parts.append(name if value is True else f"{name}={value}")
    return "; ".join(parts) or "no attributes"


def exchange_line(exchange: dict[str, Any]) -> str:
    sent = ", ".join(f"{k}={v}" for k, v in exchange["cookies_sent"].items()) or "no cookies"
    outcome = exchange.get("error") or str(exchange["status"])
    line = (
        f"{exchange['at']} {exchange['visitor']}: {exchange['method']} {exchange['path']} "
        f"(sent {sent}) -> {outcome}"
    )
    if exchange.get("observation"):
        line += " [check]"
    if exchange.get("restored"):
        line += " [login restored]"
    return line


def evidence_lines(evidence: list[dict[str, Any]]) -> list[str]:
    """Each exchange, its headers, cookies and session payloads, one fact a line."""
    lines: list[str] = []
    for exchange in evidence:
        lines.append(exchange_line(exchange))
        for name, value in exchange["headers"].items():
            lines.append(f"    {name}: {value}")
        for cookie in exchange["set_cookies"]:
            lines.append(
                f"    Set-Cookie {cookie['name']}={cookie['value']} "
                f"({attributes_text(cookie['attributes'])})"
            )
        for where, payload in (exchange.get("session_payloads") or {}).items():
            lines.append(f"    session in {where}: {json.dumps(payload, ensure_ascii=False)}")
        if exchange.get("app_error"):
            lines.append(f"    the app raised {exchange['app_error']}")
    return lines


#: What a hook's outcome means, in the words of the terminal's trace.
_HOOK_OUTCOMES = {
    "answered": "answered the request itself: the view never ran",
    "aborted": "aborted the request itself: the view never ran",
}


def hook_trace_blocks(traces: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The app's hook trace as a reviewer reads the terminal's: one block per
    request, its title (``GET / (an ordinary page) -> 200``), then each hook's
    kind, function and what it did."""
    blocks: list[tuple[str, list[tuple[str, str, str]]]] = []
    for traced in traces:
        if traced.get("path") is None:
            blocks.append((f"{traced.get('request', '?')}: none ({traced.get('note', '')})", []))
            continue
        if traced.get("error"):
            answer = f"raised {traced['error']}"
        else:
            answer = str(traced.get("status", "?"))
            if traced.get("location"):
                answer += f" to {traced['location']}"
        title = f"GET {traced['path']} ({traced.get('request', '')}) -> {answer}"
        rows = []
        for hook in traced.get("hooks") or []:
            scope = "" if hook.get("scope", "app") == "app" else f" [blueprint {hook['scope']}]"
            outcome = str(hook.get("outcome", "ran"))
            did = _HOOK_OUTCOMES.get(outcome, outcome)
            if hook.get("reads_session"):
                did += " (reads the session)"
            rows.append((str(hook.get("kind", "")), f"{hook.get('name', '')}{scope}", did))
        blocks.append((title, rows))
    return blocks
