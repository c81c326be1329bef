"""What the app under test uses, found out by asking it.

Scenarios that do not apply to an app (a signed-cookie scenario on a
server-side store, a Redis scenario on a file store, a Flask-Login scenario on
an app without Flask-Login) are reported as *not applicable*, with the reason;
everything else runs on every app. :mod:`flask_conformance.plugin.applicability`
decides from what this module finds out about the app:

- its session interface (Flask's signed cookie, Flask-Session and which
  store, or the app's own);
- whether it has a ``SECRET_KEY`` and how many fallbacks (never their values);
- Flask-Login (``app.login_manager``, which ``LoginManager.init_app`` sets) and
  the name of its remember-me cookie;
- the session cookie **as the app really sends it**: the kit stores a value
  through the probe and reads the ``Set-Cookie`` that comes back. Real apps
  rename cookies and set attributes in their own session interface, so
  ``app.config`` alone is not to be trusted;
- whether the app's own hooks change the session of a request whose view
  never touched it: on every request, or once, the first time they see a
  session they did not write (Flask-Login's session protection), tried on an
  empty and on a non-empty session;
- the keys the app keeps in a fresh visitor's session by itself (a hook that
  stores which database is open), the baseline "an empty session" and
  "what she stored or nothing" are judged against.

Nothing here ever records a secret's value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask

from ..drive.browser import AppRaisedError, Browser, Exchange, SetCookie
from ..drive.probe import PREFIX, SESSION_CHANGED_HEADER
from .backends import COOKIE, REDIS, session_backend
from .raising_function import raised_where

#: Where the detected capabilities are kept on the app (``app.extensions``).
EXTENSION_KEY = "flask_conformance_capabilities"
#: Flask 3.1 added SECRET_KEY_FALLBACKS; older Flask ignores the setting.
FALLBACKS_SUPPORTED = "SECRET_KEY_FALLBACKS" in Flask.default_config
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
class Capabilities:
    """What one app uses, in the terms scenarios need."""

    #: ``cookie``, ``redis`` or ``custom`` (:mod:`flask_conformance.target.backends`).
    backend: str
    #: The session interface's class, e.g. ``FileSystemSessionInterface``.
    session_interface: str
    #: Flask-Session's store (``redis``, ``filesystem``, ``cachelib``...) or None.
    flask_session_store: str | None
    has_secret_key: bool
    secret_key_fallbacks: int
    flask_login: bool
    remember_cookie_name: str | None
    #: The session cookie as sent, or None when storing a value sent none.
    session_cookie: ObservedCookie | None
    #: Why the kit could not see a session cookie, in plain words (or None).
    session_problem: str | None = None
    #: The app's own hooks change the session on every request (a before_request
    #: that sets ``session.permanent``, say), so no request leaves it alone.
    hooks_write_session: bool = False
    #: The app's own hooks change a session once, the first time they see it
    #: (Flask-Login's session protection marks a session without ``_id`` as
    #: not fresh), then leave it alone; the kit lets them settle a session
    #: it wrote before a scenario judges the next request.
    hooks_settle_session: bool = False
    #: The keys the app itself keeps in a fresh visitor's session (a hook that
    #: stores which database is open, say), seen over HTTP: the baseline
    #: scenarios compare a session against instead of ``{}``.
    app_session_keys: tuple[str, ...] = ()

    @property
    def missing_secret_key(self) -> bool:
        """Flask's signed-cookie sessions without a key: every write raises (SES-05).

        Decided from a real write, not from ``app.secret_key`` alone: a session
        interface may sign with a key of its own.
        """
        return self.backend == COOKIE and not self.has_secret_key and self.session_cookie is None

    @property
    def signs_with_own_key(self) -> bool:
        """The app has no SECRET_KEY, yet storing a value wrote a session cookie.

        Its session interface signs with a key of its own (or none): sessions
        work, and SECRET_KEY is not what protects them.
        """
        written = self.session_cookie is not None
        return self.backend == COOKIE and not self.has_secret_key and written

    @property
    def session_cookie_name(self) -> str | None:
        return self.session_cookie.name if self.session_cookie else None

    @property
    def always_permanent(self) -> bool:
        """Every session is permanent, though nobody asked: its cookie has an expiry.

        Flask's sessions are browser sessions until ``session.permanent`` is
        set; Flask-Session's default (``SESSION_PERMANENT = True``) and the
        common ``before_request`` that sets ``session.permanent = True`` make
        every cookie carry ``Expires``, so the app has no browser sessions.
        """
        if self.session_cookie is None:
            return False
        return any(key in self.session_cookie.attributes for key in ("expires", "max-age"))

    def store_description(self) -> str:
        if self.backend == COOKIE:
            if self.session_interface == "SecureCookieSessionInterface":
                return "Flask's signed cookie"
            return f"Flask's signed cookie ({self.session_interface})"
        if self.flask_session_store:
            return f"Flask-Session ({self.flask_session_store}, {self.session_interface})"
        return f"the app's own session interface ({self.session_interface})"

    def as_words(self) -> dict[str, str]:
        """Plain words for reports and the run's header: no secret values."""
        fallbacks = self.secret_key_fallbacks
        secret = "set" if self.has_secret_key else "missing"
        if self.signs_with_own_key:
            secret = "not set; the session interface writes its cookie without it"
        if self.has_secret_key and fallbacks:
            secret += f", {fallbacks} fallback{'s' if fallbacks != 1 else ''}"
            if not FALLBACKS_SUPPORTED:
                secret += " (ignored: Flask before 3.1 has no SECRET_KEY_FALLBACKS)"
        login = "no"
        if self.flask_login:
            login = f"yes, remember-me cookie {self.remember_cookie_name!r}"
        cookie = self.session_cookie.describe() if self.session_cookie else "none seen"
        words = {
            "session store": self.store_description(),
            "SECRET_KEY": secret,
            "session cookie": cookie,
            "Flask-Login": login,
            "permanent sessions": "always" if self.always_permanent else "when asked",
            "session written by the app's hooks": self._hook_writes(),
        }
        if self.app_session_keys:
            words["keys the app keeps in every session"] = ", ".join(self.app_session_keys)
        if self.session_problem:
            words["sessions"] = f"unusable: {self.session_problem}"
        return words

    def _hook_writes(self) -> str:
        if self.hooks_write_session:
            return "on every request"
        if self.hooks_settle_session:
            return (
                "once, into a session it did not write itself (the kit lets the app settle "
                "such a session before judging the next request)"
            )
        return "no"


def detect(app: Flask) -> Capabilities:
    """Find out what ``app`` uses (once per app; the probe must be installed)."""
    cached: Capabilities | None = app.extensions.get(EXTENSION_KEY)
    if cached is not None:
        return cached
    interface = app.session_interface
    fallbacks = app.config.get("SECRET_KEY_FALLBACKS") or []
    login_manager = getattr(app, "login_manager", None)
    observed = _observe_quietly(app)
    found = Capabilities(
        backend=session_backend(app),
        session_interface=type(interface).__name__,
        flask_session_store=_flask_session_store(app),
        has_secret_key=bool(app.secret_key),
        secret_key_fallbacks=len(fallbacks) if isinstance(fallbacks, (list, tuple)) else 1,
        flask_login=login_manager is not None,
        remember_cookie_name=(
            app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            if login_manager is not None
            else None
        ),
        session_cookie=observed.cookie,
        session_problem=observed.problem,
        hooks_write_session=observed.hooks_write,
        hooks_settle_session=observed.hooks_settle,
        app_session_keys=observed.app_keys,
    )
    app.extensions[EXTENSION_KEY] = found
    return found


def detected(app: Flask) -> Capabilities | None:
    """The capabilities already detected for ``app``, if any."""
    return app.extensions.get(EXTENSION_KEY)


def session_cookie_name(app: Flask) -> str:
    """The session cookie's name as the app sends it.

    The observed name wins; before detection (or when no cookie was seen) the
    session interface's own answer, which honours an overridden
    ``get_cookie_name``, is the next best thing.
    """
    found = detected(app)
    if found is not None and found.session_cookie_name:
        return found.session_cookie_name
    try:
        return app.session_interface.get_cookie_name(app)
    except Exception as error:  # the app's session interface is broken: any error is the app's
        raise AppRaisedError(
            f"The app raised {type(error).__name__}: {error} when the kit asked its session "
            f"interface for the session cookie's name{raised_where(app, error)}."
        ) from error


def _flask_session_store(app: Flask) -> str | None:
    """Flask-Session's store, from the interface's module (``flask_session.redis.redis``)."""
    module = type(app.session_interface).__module__
    if not module.startswith("flask_session."):
        return None
    return module.split(".")[1]


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


def _observe_quietly(app: Flask) -> Observation:
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
    hooks_write = hooks_write or second
    # The interface's own name if it was sent; else a cookie that only
    # storing sent (a page that never touches the session sends the others).
    wanted = _cookie_name_outside_a_request(app)
    always_sent = {cookie.name for cookie in before.set_cookies}
    chosen = next(
        (c for c in candidates if c.name == wanted),
        next((c for c in candidates if c.name not in always_sent), candidates[0]),
    )
    browser.post(f"{PREFIX}/session/clear", json_body={}, raise_errors=False)
    return Observation(
        ObservedCookie.from_set_cookie(chosen),
        None,
        hooks_write,
        hooks_settle=first and not hooks_write,
        app_keys=app_keys,
    )


def _changed_by_hooks(untouched: Exchange) -> bool:
    """Whether the app's hooks changed the session of a request whose view never touched it."""
    return untouched.header(SESSION_CHANGED_HEADER) == "1"


def _app_session_keys(app: Flask) -> tuple[str, ...]:
    """The keys a fresh visitor's session holds before anyone stored anything.

    Read by the probe in a new browser's first request, after the app's own
    hooks ran: what the app keeps in every session by itself.
    """
    read = Browser(app, name="a new visitor").get(f"{PREFIX}/session", raise_errors=False)
    if read.error is not None or read.status != 200:
        return ()
    try:
        return tuple(sorted(read.json()["keys"]))
    except Exception:  # noqa: BLE001 - not the probe's answer: the scenarios say why
        return ()


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
