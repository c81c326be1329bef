"""Whether the app's sessions carry a value from one request to the next.

Before any scenario runs, the kit logs the profile's users in to check that
the profile fits the app. A login that does not last is most often a mistake
in the profile (a wrong password, a protected page that is not one), and the
kit refuses the run in one line saying so. But it is also what an app whose
sessions are broken does (a session interface, or a Flask, that never saves
the session or cannot read it back): then the profile is right, the app is
not, and refusing would hide the finding behind "check the profile". This
module tells the two apart from one plain round trip through the kit's probe:
store a value, ask for it in the next request of the same browser.
"""

from __future__ import annotations

from flask import Flask

from .browser import Browser, Exchange
from .probe import PREFIX

_KEY = "conformance_roundtrip"
_VALUE = "kept"


def why_sessions_forget(app: Flask) -> str | None:
    """Why a value stored in the session is not there in the next request, or None.

    The answer is plain words for a message ("a value stored in one request
    was gone in the next: the next request's session held nothing"); None
    means sessions work, so a login that does not last is not their fault.
    """
    logger_was_disabled = app.logger.disabled
    app.logger.disabled = True  # the scenarios report what the app raised, in words
    try:
        return _round_trip(Browser(app, name="the kit"))
    finally:
        app.logger.disabled = logger_was_disabled


def _round_trip(browser: Browser) -> str | None:
    stored = browser.post(
        f"{PREFIX}/session/store", json_body={"key": _KEY, "value": _VALUE}, raise_errors=False
    )
    failure = _failed(stored, "storing a value in the session")
    if failure is not None:
        return failure
    read = browser.get(f"{PREFIX}/session", raise_errors=False)
    failure = _failed(read, "reading the session in the next request")
    if failure is not None:
        return failure
    try:
        values = read.json()["values"]
    except Exception:  # noqa: BLE001 - not the probe's answer: say what came back
        return f"reading the session in the next request answered {read.describe()}"
    browser.post(f"{PREFIX}/session/clear", json_body={}, raise_errors=False)
    if values.get(_KEY) == _VALUE:
        return None
    held = ", ".join(sorted(values)) if values else "nothing"
    sent = [cookie.name for cookie in stored.set_cookies if not cookie.deletes]
    cookie = f"it set the cookie {', '.join(sent)}" if sent else "it sent no session cookie"
    return (
        f"a value stored in the session in one request was gone in the next ({cookie}; "
        f"the next request's session held {held})"
    )


def _failed(exchange: Exchange, doing: str) -> str | None:
    error = exchange.error or exchange.app_error
    if error is not None:
        return f"{doing} raised {type(error).__name__}: {error}"
    if exchange.status >= 400:
        return f"{doing} was answered {exchange.status}"
    return None
