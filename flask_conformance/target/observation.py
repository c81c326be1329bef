"""What one request of the kit's showed about the app's sessions.

:mod:`flask_conformance.target.capabilities` asks these questions once per app
and keeps the answers: the session cookie as the app really sends it, whether
the app's own hooks change a session whose view never touched it (on every
request, once, or into every new session), and the keys a fresh visitor's
session holds by itself. Everything is seen over HTTP, through the kit's
probe, never read from ``app.config``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask

from ..drive.browser import Browser, Exchange, SetCookie
from ..drive.probe import PREFIX, SESSION_CHANGED_HEADER
from .backends import COOKIE, REDIS, session_backend
from .new_sessions import keys_written_into_new_sessions, session_keys
from .raising_function import raised_where

#: The value the kit stores to see the session cookie (then clears again).
_PROBE_KEY = "conformance_capabilities"


@dataclass(frozen=True)
class ObservedCookie:
    """The session cookie as one real ``Set-Cookie`` header showed it."""

    name: str
    attributes: dict[str, str | bool] = field(default_factory=dict)

    @classmethod
    def from_set_cookie(cls, cookie: SetCookie) -> ObservedCookie:
        return cls(cookie.name, dict(cookie.attributes))

    def describe(self) -> str:
        """``session; HttpOnly; Path=/`` (the attributes, never the value)."""
        shown = {
            "secure": "Secure",
            "httponly": "HttpOnly",
            "partitioned": "Partitioned",
        }
        parts = [self.name]
        for key, value in self.attributes.items():
            if key in ("expires", "max-age"):
                parts.append(key.title() if key == "expires" else "Max-Age")
            elif value is True:
                parts.append(shown.get(key, key))
            else:
                parts.append(f"{key.title()}={value}")
        return "; ".join(parts)



@dataclass(frozen=True)
class Observation:
    """What storing a value through the probe showed about the app's sessions."""

    cookie: ObservedCookie | None
    #: Why the kit could not see a session cookie (None: it could).
    problem: str | None
    #: The app's hooks change the session on every request.
    hooks_write: bool
    #: The app's hooks change a non-empty session once, then leave it alone.
    hooks_settle: bool = False
    #: What the app keeps in a fresh visitor's session by itself.
    app_keys: tuple[str, ...] = ()
    #: What the app's hooks write into every new session after a page that
    #: never touched it (Flask-SeaSurf's ``_csrf_token``), read back.
    new_session_keys: tuple[str, ...] = ()


def observe_quietly(app: Flask) -> Observation:
    """Store a value through the probe and read the session's ``Set-Cookie``.

    Returns the cookie, or None and why the kit could not see one, and whether
    the app's own hooks changed the session of a request whose view never
    touched it. The value is cleared again so the store is left as it was.
    """
    # An app that raises here is reported by the scenarios, naming the function;
    # Flask's own error log of these kit requests would only repeat it.
    was_disabled = app.logger.disabled
    app.logger.disabled = True
    try:
        return _observe_session_cookie(app)
    finally:
        app.logger.disabled = was_disabled


def _observe_session_cookie(app: Flask) -> Observation:
    browser = Browser(app, name="the kit")
    before = browser.get(f"{PREFIX}/untouched", raise_errors=False)
    hooks_write = _changed_by_hooks(before)
    app_keys = _app_session_keys(app)
    stored = browser.post(
        f"{PREFIX}/session/store",
        json_body={"key": _PROBE_KEY, "value": "1"},
        raise_errors=False,
    )
    failure = _request_failure(app, stored)
    if failure is not None:
        return Observation(None, failure, hooks_write, app_keys=app_keys)
    candidates = [c for c in stored.set_cookies if not c.deletes]
    if not candidates:
        return Observation(
            None,
            (
                "storing a value in the session sent no session cookie back, so the "
                "visitor's next request cannot find it"
            ),
            hooks_write,
            app_keys=app_keys,
        )
    # A session that holds data is not an empty one: Flask-Login's session
    # protection, for one, writes into it the first time it loads the user.
    first = _changed_by_hooks(browser.get(f"{PREFIX}/untouched", raise_errors=False))
    second = _changed_by_hooks(browser.get(f"{PREFIX}/untouched", raise_errors=False))
    # The interface's own name if it was sent; else a cookie that only
    # storing sent (a page that never touches the session sends the others).
    wanted = _cookie_name_outside_a_request(app)
    always_sent = {cookie.name for cookie in before.set_cookies}
    chosen = next(
        (c for c in candidates if c.name == wanted),
        next((c for c in candidates if c.name not in always_sent), candidates[0]),
    )
    browser.post(f"{PREFIX}/session/clear", json_body={}, raise_errors=False)
    new_keys = keys_written_into_new_sessions(app, chosen.name)
    # A hook that fills in a key a new session lacks (a language, once) changed
    # the fresh visitor's session, and leaves the sessions after it alone: it
    # writes into every new session, not on every request.
    hooks_write = second or (hooks_write and not new_keys)
    return Observation(
        ObservedCookie.from_set_cookie(chosen),
        None,
        hooks_write,
        hooks_settle=first and not hooks_write,
        app_keys=app_keys,
        new_session_keys=new_keys,
    )


def _changed_by_hooks(untouched: Exchange) -> bool:
    """Whether the app's hooks changed the session of a request whose view never touched it."""
    return untouched.header(SESSION_CHANGED_HEADER) == "1"


def _app_session_keys(app: Flask) -> tuple[str, ...]:
    """The keys a fresh visitor's session holds before anyone stored anything.

    Read by the probe in a new browser's first request, after the app's own
    hooks ran: what the app keeps in every session by itself.
    """
    return session_keys(Browser(app, name="a new visitor"))


def _cookie_name_outside_a_request(app: Flask) -> str | None:
    """The interface's own cookie name, or None when it can only say inside a request.

    An interface may name the cookie from the request (per blueprint, per
    host); asked outside one it raises, and the cookie the app really sent is
    the better answer anyway.
    """
    try:
        return app.session_interface.get_cookie_name(app)
    except Exception:  # noqa: BLE001 - the name depends on a request; the sent cookie decides
        return None


def _request_failure(app: Flask, exchange: Exchange) -> str | None:
    error = exchange.error or exchange.app_error
    if error is None:
        if exchange.status >= 400:
            return (
                f"storing a value in the session was answered {exchange.status} instead of "
                "reaching the kit's probe"
            )
        return None
    if (
        isinstance(error, RuntimeError)
        and "no secret key" in str(error)
        and session_backend(app) == COOKIE
    ):
        return (
            "the app has no SECRET_KEY, so Flask cannot sign a session cookie; set "
            "SECRET_KEY (for example from an environment variable) in the app's config"
        )
    if session_backend(app) == REDIS and type(error).__module__.startswith("redis"):
        return f"the session store (Redis) failed: {type(error).__name__}: {error}"
    where = raised_where(app, error)
    return f"storing a value in the session raised {type(error).__name__}: {error}{where}"
