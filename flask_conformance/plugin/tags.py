"""Every tag the feature files may use, with what it means.

Tags become pytest markers, so ``-m "sessions and not redis-only"`` selects
scenarios. pytest warns about (and with ``--strict-markers`` rejects) markers it
was not told about; the plugin registers the tags below, every behaviour ID
(``SES-01``, ``P-05``, ...) and every Flask version tag it finds in the features.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

AREAS = {
    "sessions": "Flask sessions; runs once per session backend",
    "persistence": "what a session stores and when the cookie is written",
    "cookie-settings": "the session cookie's attributes follow the app's SESSION_COOKIE_* settings",
    "mutation": "how Flask notices changes to the session",
    "serialisation": "which values survive a round trip through the session",
    "expiry": "session lifetime on the kit's clock",
    "logout": "ending a session by pop or clear",
    "keys": "signing keys, tampering and key rotation",
    "g": "the g object and application contexts",
    "contexts": "app and request contexts pushed by tests and tools",
    "hooks": "request hook ordering and short-circuits",
    "errors": "hooks and teardown when a view raises",
    "blueprints": "how a blueprint's hooks join the app's when it is registered",
    "cleanup": "what Flask closes when a request ends",
    "setup": "setup methods (hooks, routes, blueprints) refused once the app has served",
    "myth": "refutes a claim of the 2018 seed article",
    "journey": "needs the app's journey profile (how it logs users in and out)",
    "security": "session security checks: secrets, forgery, cookie attributes, exposed data",
    "session-left-alone": "needs sessions the app leaves alone between requests: not permanent "
    "unless asked, and not changed by the app's own hooks",
    "hygiene": "the target's own hooks: signatures, teardown robustness, login gates",
}

BACKENDS = {
    "cookie-only": "describes Flask's signed-cookie sessions only",
    "redis-only": "describes Flask-Session's Redis store only",
    "backend-difference": "the outcome differs by backend; the scenario states each",
}

#: The tag of scenarios whose outcome cannot depend on the app under test.
DOCUMENTS_FLASK = "documents-flask"

#: Scenarios that show what Flask itself does, on small apps the kit builds (the
#: seed article's code, or the kit's own reference app). They pass or fail with
#: Flask, whatever app is checked, so the kit reports them apart and never
#: counts them in the app's totals or OWASP coverage.
DOCUMENTATION = {
    DOCUMENTS_FLASK: "documents Flask on an app the kit builds itself; whatever app is checked, "
    "the outcome is Flask's, so it is reported apart and not counted for the app",
}

#: Scenarios that need something not every app uses; without it they are not applicable.
REQUIREMENTS = {
    "flask-login": "needs Flask-Login (app.login_manager); not applicable without it",
}

#: Why a backend-specific scenario does not run on the other backend.
BACKEND_ONLY_REASONS = {
    "cookie-only": (
        "this scenario is about data kept in a signed cookie; with a server-side "
        "store the cookie holds only a random session id"
    ),
    "redis-only": "this scenario is about the Redis store behind Flask-Session",
}

BEHAVIOUR_ID = re.compile(r"^[A-Z]{1,3}-\d{2}$")
#: OWASP requirement tags: ``@WSTG-SESS-06``, ``@ASVS4-3.3.1`` (ASVS 4.0.3) and
#: ``@ASVS5-7.4.1`` (ASVS 5.0). Reports build their coverage table from them.
OWASP_ID = re.compile(r"^(?:WSTG-[A-Z]{4}-\d{2}|ASVS[45]-\d+\.\d+\.\d+)$")
FLASK_VERSION = re.compile(r"^flask-(?P<version>\d+(?:\.\d+)*)(?P<bound>\+|-)$")
_TAG_IN_FEATURE = re.compile(r"(?<!\S)@(\S+)")


def tags_in(feature_files: Iterable[Path]) -> set[str]:
    """All tags used in the given feature files."""
    found: set[str] = set()
    for path in feature_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("@"):
                found.update(_TAG_IN_FEATURE.findall(line))
    return found


def describe(tag: str) -> str | None:
    """What a tag means, or None when the kit does not know it."""
    if tag in AREAS:
        return AREAS[tag]
    if tag in BACKENDS:
        return BACKENDS[tag]
    if tag in REQUIREMENTS:
        return REQUIREMENTS[tag]
    if tag in DOCUMENTATION:
        return DOCUMENTATION[tag]
    if BEHAVIOUR_ID.match(tag):
        return f"pins behaviour {tag} of the reference catalogue"
    if OWASP_ID.match(tag):
        return f"covers OWASP requirement {tag}"
    match = FLASK_VERSION.match(tag)
    if match:
        if match["bound"] == "+":
            return f"needs Flask {match['version']} or newer"
        return f"describes Flask before {match['version']}"
    return None


def documents_flask(scenario_tags: Iterable[str]) -> bool:
    """True for a scenario that documents Flask rather than checking the app."""
    return DOCUMENTS_FLASK in scenario_tags
