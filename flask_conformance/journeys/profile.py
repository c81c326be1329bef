"""Journey profiles: how an app logs a user in and out.

A profile is a short TOML table, either ``[tool.flask-conformance]`` in the
app's ``pyproject.toml`` (read from the working folder when no profile file is
given) or a file of its own, where the ``tool.flask-conformance`` prefix may be
left out::

    [tool.flask-conformance.login]
    method = "POST"
    path = "/login"
    form = { username = "{username}", password = "{password}" }

    [tool.flask-conformance.logout]
    method = "POST"
    path = "/logout"

    [tool.flask-conformance.protected]
    path = "/dashboard"
    logged_in = { status = 200, contains = "Welcome, {username}" }
    logged_out = { status = 302 }

    [[tool.flask-conformance.users]]
    username = "alice"
    password = "wonderland"

``{username}`` and ``{password}`` in any string are replaced with the user's
own. That is all a typical app needs. Real apps may need more, all optional:

Requests (``login``, ``logout``, ``setup.register``)
    ``method`` (default POST), ``path``, and a body: ``form = {...}`` or
    ``json = {...}``; ``headers = {...}`` to send; ``csrf`` to pass the app's
    CSRF check, either from a form on a page
    (``csrf = { from_page = "/login", field = "csrf_token" }``: the kit opens
    the page and sends the hidden field's value back in the form or JSON body)
    or from a cookie (``csrf = { from_cookie = "csrf_token", header =
    "X-CSRFToken" }``, optionally with ``from_page`` to visit first so the app
    sets the cookie). ``login`` also takes ``remember = {...}``: the extra
    fields that ask to be remembered (Flask-Login), e.g. ``{ remember = "y" }``;
    an app that remembers every login needs none.

``[config]``
    Config values for the run, e.g. ``DATABASE = "{tmp}/app.sqlite"`` or
    ``WTF_CSRF_ENABLED = false`` (the simplest way past CSRF). ``{tmp}`` is a
    temporary folder made for each run. A factory that takes ``test_config``
    (as Flask's tutorial writes it) gets them as its argument, so they are in
    place before the app is built; any other app gets them set on
    ``app.config`` right after it is built.

``[environment]``
    Environment variables set in the kit's process before the app is imported,
    for apps that read their config from the environment when they are
    imported or built (``DATABASE_URL = "sqlite:///{tmp}/app.db"``). Values
    are strings; ``{tmp}`` is the same folder as in ``[config]``.

``[setup]``
    How to prepare the database and users, run in this order once per app the
    kit builds, and only when the kit is sure the app uses the profile's
    config: every ``[config]`` value must be in effect once the app is built
    (through ``test_config`` or ``[environment]``), or the kit refuses before
    running anything (see :mod:`flask_conformance.journeys.setup_guard`).
    ``command = "init-db"`` (one of the app's own ``flask`` commands, run
    with ``app.test_cli_runner()``; a list for arguments),
    ``callable = "myapp.testing:seed"`` (called with the app), and
    ``register = { path = "/auth/register", form = {...} }`` (a request sent
    once per user, like a login).

``[backends.cookie]``, ``[backends.redis]``
    For an app that can run on more than one session store (the kit's
    reference app runs on Flask's signed cookie and on Flask-Session over
    Redis): one table per store, each holding the config values that build
    the app on it (``SESSION_TYPE = "redis"``), added to ``[config]``. The
    session specs then run once per store. Without them the app runs on the
    store it was built with. The kit decides this from the profile, never from
    the app's import string, so the same app gets the same verdicts however it
    is named.

``[expiry]``
    The app's own session policy when it is not Flask's lifetime:
    ``idle = "30 minutes"`` (ends after this long without a request) and
    ``absolute = "12 hours"`` (ends this long after login however busy).
    Without them the kit expects Flask's ``PERMANENT_SESSION_LIFETIME``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The people of the journey scenarios who log in with an account of the
#: profile, in the order they take its users.
PERSONAS = ("alice", "bob")

#: The placeholder for the run's temporary folder in ``[config]`` values.
TMP_PLACEHOLDER = "{tmp}"


class ProfileError(Exception):
    """The profile cannot be used; the message names the problem and the fix."""


@dataclass(frozen=True)
class User:
    username: str
    password: str

    def fill(self, value: Any) -> Any:
        """Replace ``{username}``/``{password}`` placeholders in ``value``."""
        if isinstance(value, str):
            return value.replace("{username}", self.username).replace("{password}", self.password)
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.fill(item) for item in value]
        return value


@dataclass(frozen=True)
class CsrfSpec:
    """Where the app's CSRF token comes from and where it goes back."""

    #: Page to open first; with ``field``, the page whose form holds the token.
    from_page: str | None = None
    #: Name of the hidden form field holding the token (sent back in the body).
    field: str | None = None
    #: Name of the cookie holding the token (sent back in ``header``).
    from_cookie: str | None = None
    header: str | None = None


@dataclass(frozen=True)
class RequestSpec:
    method: str
    path: str
    form: dict[str, str] | None = None
    json: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    csrf: CsrfSpec | None = None
    #: Extra body fields that ask the app to remember the user (login only).
    remember: dict[str, Any] | None = None

    def describe(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class PageExpectation:
    status: int
    contains: str | None = None


@dataclass(frozen=True)
class Setup:
    """How to prepare the app's database and users before the specs run."""

    command: list[str] | None = None
    callable: str | None = None
    register: RequestSpec | None = None

    @property
    def runs_anything(self) -> bool:
        """Whether the kit would run anything against the app's data."""
        return bool(self.command or self.callable or self.register)


@dataclass(frozen=True)
class Expiry:
    """The app's own session policy, when it is not Flask's lifetime."""

    idle: _dt.timedelta | None = None
    absolute: _dt.timedelta | None = None


@dataclass(frozen=True)
class JourneyProfile:
    source: str
    login: RequestSpec
    logout: RequestSpec
    protected_path: str
    logged_in: PageExpectation
    logged_out: PageExpectation
    users: list[User] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    setup: Setup = field(default_factory=Setup)
    expiry: Expiry = field(default_factory=Expiry)
    #: Session store name ("cookie", "redis") -> the config that builds the app on it.
    backends: dict[str, dict[str, Any]] = field(default_factory=dict)

    def user(self, persona: str) -> User:
        """The profile user playing ``persona`` ("Alice" is the first, "Bob" the second).

        A user whose username matches a persona's name plays that persona;
        the others take the remaining users in order, so two personas are
        never one account. Alice, whom every journey needs, always has one: a
        profile's only user plays her whatever its name, and there is no Bob.
        """
        cast = self.cast()
        if persona.lower() in cast:
            return cast[persona.lower()]
        raise ProfileError(
            f"The profile {self.source} has no user to play {persona}: "
            f"add a [[users]] entry (it has {len(self.users)})."
        )

    def has_user(self, persona: str) -> bool:
        """Whether some user of the profile plays ``persona``."""
        return persona.lower() in self.cast()

    def cast(self) -> dict[str, User]:
        """Persona (lower case) -> the user playing it."""
        cast: dict[str, User] = {}
        left = list(self.users)
        for persona in PERSONAS:
            for user in left:
                if user.username.lower() == persona:
                    cast[persona] = user
                    left.remove(user)
                    break
        for persona in PERSONAS:
            if persona not in cast and left:
                cast[persona] = left.pop(0)
        if PERSONAS[0] not in cast and cast:  # the only user is "bob"; every journey needs Alice
            cast[PERSONAS[0]] = cast.pop(PERSONAS[1])
        return cast

    def config_for(self, tmp: Path) -> dict[str, Any]:
        """The ``[config]`` overrides with ``{tmp}`` replaced by ``tmp``."""
        return {key: _with_tmp(value, tmp) for key, value in self.config.items()}

    def environment_for(self, tmp: Path) -> dict[str, str]:
        """The ``[environment]`` variables with ``{tmp}`` replaced by ``tmp``."""
        return {key: _with_tmp(value, tmp) for key, value in self.environment.items()}


def _with_tmp(value: Any, tmp: Path) -> Any:
    return value.replace(TMP_PLACEHOLDER, str(tmp)) if isinstance(value, str) else value
