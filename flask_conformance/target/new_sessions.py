"""Whether the app's own hooks write into every new session, seen over HTTP.

Flask-SeaSurf keeps its CSRF token in the session: its ``after_request``
stores ``_csrf_token`` into any session that lacks one, so a visitor's first
page gets a session cookie though the view never touched the session, and so
does the first page after a cookie was refused, had expired or the session was
emptied while the browser held no token. Such an app is correct; it simply
never leaves a *new* session alone, and the scenarios about sessions nothing
changes (``@session-left-alone``) and about an emptied session's deletion
cookie cannot be observed on it.

It differs from a session interface that writes every session, empty or
not (a real defect of W-05): the hook's session holds keys when read back,
the interface's holds none. And from a ``before_request`` that changes the
session on every request, which :mod:`flask_conformance.target.capabilities`
sees before the view: this hook may run after it, where the probe cannot look,
so the kit judges from the response and a second request, as a browser would.
"""

from __future__ import annotations

from flask import Flask

from ..drive.browser import Browser, Exchange, SetCookie
from ..drive.probe import PREFIX

#: Where ``SessionMixin.permanent`` keeps its flag.
_PERMANENT = "_permanent"


def keys_written_into_new_sessions(app: Flask, cookie_name: str) -> tuple[str, ...]:
    """The keys a new visitor's session holds after one page that never touched it.

    Empty when that page sent no session cookie, or a cookie whose session
    holds nothing (an interface that writes every session is not a hook
    filling new ones).
    """
    browser = Browser(app, name="a new visitor")
    first = browser.get(f"{PREFIX}/untouched", raise_errors=False)
    if not _writes(first, cookie_name):
        return ()
    return tuple(_data_keys(session_keys(browser)))


def only_new_session_keys(app: Flask, cookie: SetCookie, kept: tuple[str, ...]) -> bool:
    """Whether the session ``cookie`` carries holds the keys ``kept`` and nothing else.

    Asked of a cookie a response sent, whatever Domain or Path the app gave
    it: the kit hands its value to the app from a browser of its own.
    """
    if not kept or cookie.deletes:
        return False
    browser = Browser(app, name="the kit")
    browser.plant_cookie(cookie.name, cookie.value)
    return _data_keys(session_keys(browser)) == _data_keys(kept)


def _data_keys(keys: tuple[str, ...]) -> list[str]:
    """``keys`` without ``_permanent``: the session's own flag (``session.permanent``),
    which Flask-Session stores as a key whenever it is set, not data of anyone's."""
    return sorted(key for key in keys if key != _PERMANENT)


def session_keys(browser: Browser) -> tuple[str, ...]:
    """The keys of the session ``browser`` holds, as the probe reads them (() if it cannot)."""
    read = browser.get(f"{PREFIX}/session", raise_errors=False)
    if read.error is not None or read.status != 200:
        return ()
    try:
        return tuple(sorted(read.json()["keys"]))
    except Exception:  # noqa: BLE001 - not the probe's answer: the scenarios say why
        return ()


def _writes(exchange: Exchange, cookie_name: str) -> bool:
    """Whether ``exchange`` wrote the session cookie (a deletion is not a write)."""
    if exchange.error is not None or not 0 < exchange.status < 400:
        return False
    cookie = exchange.set_cookie(cookie_name)
    return cookie is not None and not cookie.deletes
