"""Whether the app keeps two promises of Flask every profile check relies on.

Before any scenario runs, the kit checks that the journey profile fits the
app: the protected page turns away a visitor who never logged in, and each
user's login lasts to the next request. When that fails it is most often a
mistake in the profile (a wrong password, a protected page that is not one),
and the kit refuses the run in one line saying so. But it is also what an app
does when Flask under it (or the app's session interface) is broken: sessions
that keep nothing between requests lose every login, and a ``before_request``
whose answer does not end the request lets anybody through a login gate. Then
the profile is right and the app is not, and refusing would hide the finding
behind "check the profile". These checks tell the two apart, each with one
plain request through the kit's probe; the scenarios then report the broken
behaviour by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from ..drive.browser import Browser, Exchange, SetCookie
from ..drive.probe import PREFIX, TRACE_HEADER

_KEY = "conformance_roundtrip"
_VALUE = "kept"
_ANSWERED = "answered by the app's before_request"
_VIEW_RAN = "view ran"


def why_sessions_forget(app: Flask) -> str | None:
    """Why a value stored in the session is not there in the next request, or None.

    The answer is plain words for a message ("a value stored in the session
    in one request was gone in the next ..."); None means sessions work (or
    something in front of the app keeps the kit's probe out, so the kit
    cannot tell), and a login that does not last is not their fault.
    """
    with logger_silenced(app):
        browser = Browser(app, name="the kit")
        # Stored on one path, read on another, as a login page and a dashboard are.
        stored = browser.get(
            f"{PREFIX}/nested/view?session_key={_KEY}&session_value={_VALUE}", raise_errors=False
        )
        failure = _failed(stored, "storing a value in the session")
        if failure is not None or not _reached_probe(stored):
            return failure
        read = browser.get(f"{PREFIX}/session", raise_errors=False)
        failure = _failed(read, "reading the session in the next request")
        if failure is not None or not _reached_probe(read):
            return failure
        try:
            values = read.json()["values"]
        except Exception:  # noqa: BLE001 - not the probe's answer: say what came back
            return f"reading the session in the next request answered {read.status}"
        browser.post(f"{PREFIX}/session/clear", json_body={}, raise_errors=False)
    if values.get(_KEY) == _VALUE:
        return None
    held = ", ".join(sorted(values)) if values else "nothing"
    sent = [_named(cookie) for cookie in stored.set_cookies if not cookie.deletes]
    cookie = f"it set the cookie {', '.join(sent)}" if sent else "it sent no session cookie"
    return (
        f"a value stored in the session in one request was gone in the next ({cookie}; "
        f"the next request's session held {held})"
    )


def _named(cookie: SetCookie) -> str:
    path = cookie.attributes.get("path")
    return f"{cookie.name} (Path={path})" if path else f"{cookie.name} (no Path)"


def why_gates_leak(app: Flask) -> str | None:
    """Why a ``before_request`` that returns a response does not end the request, or None.

    Flask promises that it does (H-06): the view never runs. A login gate is
    such a hook; where Flask breaks the promise, every gate lets anybody in.
    """
    with logger_silenced(app):
        page = Browser(app, name="the kit").get(
            f"{PREFIX}/nested/view?short_circuit=app-1",
            headers={TRACE_HEADER: "flask-basics"},
            raise_errors=False,
        )
    failure = _failed(page, "a request whose before_request answers it")
    if failure is not None:
        return failure
    if _ANSWERED in page.text or _VIEW_RAN not in page.text:
        return None  # Flask kept its promise, or something else answered: nothing to say
    return (
        "a before_request that returns a response does not end the request: the kit's own "
        f"before_request answered, and the app sent {page.status} {page.text[:60]!r} instead "
        "(Flask promises the view never runs, H-06)"
    )


@contextmanager
def logger_silenced(app: Flask) -> Iterator[None]:
    """Keep Flask's error log (a traceback per exception) quiet during the
    kit's own look at the app; the scenarios report those errors in words."""
    was_disabled = app.logger.disabled
    app.logger.disabled = True
    try:
        yield
    finally:
        app.logger.disabled = was_disabled


def _failed(exchange: Exchange, doing: str) -> str | None:
    """What went wrong if the app raised; None if it answered (look at the answer)."""
    error = exchange.error or exchange.app_error
    if error is not None:
        return f"{doing} raised {type(error).__name__}: {error}"
    return None


def _reached_probe(exchange: Exchange) -> bool:
    """Whether the kit's probe answered, not something in front of it (WSGI middleware).

    When it did not, these checks cannot tell a broken Flask from a gate the
    kit cannot see into, and say nothing.
    """
    return exchange.status < 300
