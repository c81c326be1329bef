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
  empty and on a non-empty session, or into every new session (Flask-SeaSurf
  stores its token after the view, :mod:`flask_conformance.target.new_sessions`);
- the keys the app keeps in a fresh visitor's session by itself (a hook that
  stores which database is open), the baseline "an empty session" and
  "what she stored or nothing" are judged against.

Nothing here ever records a secret's value.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from ..drive.browser import AppRaisedError
from .backends import COOKIE, session_backend
from .observation import ObservedCookie, observe_quietly
from .raising_function import raised_where

#: Where the detected capabilities are kept on the app (``app.extensions``).
EXTENSION_KEY = "flask_conformance_capabilities"
#: Flask 3.1 added SECRET_KEY_FALLBACKS; older Flask ignores the setting.
FALLBACKS_SUPPORTED = "SECRET_KEY_FALLBACKS" in Flask.default_config

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
    #: The keys the app's hooks write into every new session, though the view
    #: never touched it (Flask-SeaSurf's ``_csrf_token``, stored after the
    #: view): a new, refused, expired or emptied session is never left alone.
    new_session_keys: tuple[str, ...] = ()

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
        if self.new_session_keys:
            return f"into every new session ({', '.join(self.new_session_keys)})"
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
    observed = observe_quietly(app)
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
        new_session_keys=observed.new_session_keys,
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
