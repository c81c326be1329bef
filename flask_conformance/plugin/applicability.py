"""Whether a scenario applies to the app under test, and if not, why.

A scenario the app cannot be judged on is *not applicable*, never failed
nor passed, and the report says the true reason in plain words. Every such
decision that depends only on the scenario's tags and steps, the running
Flask and what :mod:`flask_conformance.target.capabilities` found out over
HTTP is made here, by pure functions that return the reason or None:

- :func:`flask_version_mismatch`: a ``@flask-3.1+`` / ``@flask-3.1-`` tag
  describes another Flask than the one running;
- :func:`reason_from_capabilities`: the app lacks what the scenario is about
  (a SECRET_KEY, Flask-Login, a session its hooks leave alone) or keeps its
  sessions in another store than the scenario describes;
- :func:`needs_a_usable_session`: a scenario outside ``@sessions`` whose
  steps use the session cannot run on an app that cannot sign one;
- :func:`second_user_missing`: a second person logs in, and the journey
  profile has one user.

``steps/conftest.py`` calls them at the right moment of pytest's run; a step
that finds out only by acting (the app answered 404 to its login page, say)
still says so itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.metadata import version

from ..journeys.profile import JourneyProfile
from ..target.backends import COOKIE, REDIS
from ..target.capabilities import Capabilities
from .tags import BACKEND_ONLY_REASONS, FLASK_VERSION

#: The running Flask as numbers, ``(3, 1, 0)``, compared with ``@flask-X.Y±`` tags.
RUNNING_FLASK = tuple(int(part) for part in version("flask").split(".")[:3] if part.isdigit())

#: Why a scenario that needs Flask-Login does not apply to an app without it.
NO_FLASK_LOGIN = (
    "the app does not use Flask-Login (it has no app.login_manager), and this scenario "
    "is about Flask-Login and its remember-me cookie"
)
ALWAYS_PERMANENT = (
    "the app makes every session permanent (its session cookie carries an expiry the kit "
    "never asked for: SESSION_PERMANENT = True, Flask-Session's default, or a hook that sets "
    "session.permanent), and this scenario is about sessions that are not permanent unless asked"
)
HOOKS_WRITE_SESSION = (
    "the app's own hooks change the session on every request (a before_request that sets "
    "session.permanent, say), so no request leaves it alone, and this scenario is about "
    "sessions that nothing changes between requests"
)
#: Why a journey scenario does not apply to an app the kit has no profile of.
NO_PROFILE = (
    "no journey profile: the kit does not know how this app logs users in. Give one with "
    "--profile FILE (pytest: --conformance-profile FILE) or a [tool.flask-conformance] table "
    "in the app's pyproject.toml; examples/flaskr.toml is a complete one"
)
NO_SECRET_KEY = (
    "sessions are unusable: the app has no SECRET_KEY, so Flask cannot sign a session "
    "cookie and every session write raises; set SECRET_KEY to run this scenario"
)
#: The behaviour that is *about* an app without a SECRET_KEY: it always applies.
_ABOUT_MISSING_KEY = "SES-05"

#: A step in which a person logs in with an account of the profile.
_LOGS_IN = re.compile(r"^(?P<persona>[A-Z][a-z]+) (?:has logged in|logs in)\b")


def flask_version_mismatch(
    tag: str, running: tuple[int, ...] = RUNNING_FLASK
) -> str | None:
    """Why a ``@flask-X.Y+`` or ``@flask-X.Y-`` tag excludes the running Flask, or None.

    Any other tag is no version tag and excludes nothing.
    """
    match = FLASK_VERSION.match(tag)
    if not match:
        return None
    wanted = tuple(int(part) for part in match["version"].split("."))
    running_text = ".".join(map(str, running))
    if match["bound"] == "+" and running < wanted:
        return f"describes Flask {match['version']} or newer; this run has Flask {running_text}"
    if match["bound"] == "-" and running >= wanted:
        return f"describes Flask before {match['version']}; this run has Flask {running_text}"
    return None


def reason_from_capabilities(
    found: Capabilities, markers: set[str], backend: str | None
) -> str | None:
    """Why a scenario with ``markers`` does not apply to an app, or None.

    ``backend`` is the store the scenario runs on (None when it is not a
    session scenario). The reasons are plain words for the run's report.
    """
    if "sessions" in markers and found.missing_secret_key and _ABOUT_MISSING_KEY not in markers:
        return NO_SECRET_KEY
    if "flask-login" in markers and not found.flask_login:
        return NO_FLASK_LOGIN
    if "session-left-alone" in markers and found.hooks_write_session:
        return HOOKS_WRITE_SESSION
    if "session-left-alone" in markers and found.always_permanent:
        return ALWAYS_PERMANENT
    if backend is not None and backend not in (COOKIE, REDIS):
        if "backend-difference" in markers:
            return (
                f"the outcome differs by session store and the scenario states it for Flask's "
                f"signed cookie and Flask-Session's Redis store only; the app keeps its "
                f"sessions in {found.store_description()}"
            )
        if "cookie-only" in markers:
            return (
                f"this scenario is about Flask's signed-cookie session (its signature, key "
                f"rotation and timestamp); the app keeps its sessions in "
                f"{found.store_description()}"
            )
    if backend is not None:
        for only, reason in BACKEND_ONLY_REASONS.items():
            wanted = only.removesuffix("-only")
            if only in markers and backend != wanted:
                return f"does not apply to {describe_store(found, backend)}: {reason}"
    return None


def describe_store(found: Capabilities, backend: str) -> str:
    """The store a scenario runs on, in words: ``redis sessions``, or the app's own store."""
    if backend in (COOKIE, REDIS) or backend != found.backend:
        return f"{backend} sessions"
    return found.store_description()


def needs_a_usable_session(markers: set[str], step_names: Iterable[str]) -> bool:
    """Whether a scenario's steps use the session, so an app that cannot sign one fails them.

    For scenarios outside ``@sessions`` (those are decided by
    :func:`reason_from_capabilities` before setup). When it holds and the app
    has no SECRET_KEY, the reason is :data:`NO_SECRET_KEY`. Asked before the
    app is, so an app is only asked when the answer matters.
    """
    if _ABOUT_MISSING_KEY in markers:
        return False
    return any("session" in name.lower() for name in step_names)


def second_user_missing(profile: JourneyProfile | None, step_names: Iterable[str]) -> str | None:
    """Why a scenario in which another person logs in cannot run on this profile, or None.

    Single-user apps are common (an admin console); their profile has one
    ``[[users]]`` entry. A scenario where a person without an account there
    logs in is not applicable, and the reason says how to run it.
    """
    if profile is None:
        return None
    for name in step_names:
        match = _LOGS_IN.match(name)
        if match and not profile.has_user(match["persona"]):
            return (
                f"{match['persona']} logs in here, a second person with an account of their "
                f"own, and the profile {profile.source} has {len(profile.users)} user: add "
                "another [[users]] entry to run it"
            )
    return None
