"""Applicability: each reason a scenario is not applicable, and its absence.

The decisions are pure functions of the scenario's tags and steps, the running
Flask and the app's capabilities (:mod:`flask_conformance.plugin.applicability`);
each is shown to hold back a scenario that does not apply and to let through
one that does.
"""

from __future__ import annotations

import copy

import pytest

from flask_conformance.journeys.profile_reading import parse_profile
from flask_conformance.plugin import applicability
from flask_conformance.target.backends import COOKIE, CUSTOM, REDIS

from .test_capabilities import _detect
from .test_journey import GOOD


@pytest.mark.parametrize(
    ("app", "markers", "backend", "reason"),
    [
        ("no_secret_key", {"sessions"}, COOKIE, applicability.NO_SECRET_KEY),
        ("no_secret_key", {"sessions", "SES-05"}, COOKIE, None),
        ("no_max_age", {"hooks", "flask-login"}, None, applicability.NO_FLASK_LOGIN),
        ("with_login_manager", {"hooks", "flask-login"}, None, None),
        ("cachelib_store", {"sessions", "cookie-only"}, CUSTOM, "Flask's signed-cookie"),
        ("cachelib_store", {"sessions", "redis-only"}, CUSTOM, "the Redis store"),
        ("cachelib_store", {"sessions", "backend-difference"}, CUSTOM, "differs by session"),
        ("cachelib_store", {"sessions"}, CUSTOM, None),
        ("no_max_age", {"sessions", "cookie-only"}, COOKIE, None),
    ],
)
def test_what_does_not_apply_is_said_in_words(
    app: str, markers: set[str], backend: str | None, reason: str | None
) -> None:
    found = applicability.reason_from_capabilities(_detect(app), markers, backend)
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found




@pytest.mark.parametrize(
    ("tag", "running", "reason"),
    [
        ("flask-3.1+", (3, 0, 3), "describes Flask 3.1 or newer; this run has Flask 3.0.3"),
        ("flask-3.1+", (3, 1, 0), None),
        ("flask-3.1-", (3, 1, 0), "describes Flask before 3.1; this run has Flask 3.1.0"),
        ("flask-3.1-", (2, 3, 3), None),
        ("sessions", (3, 0, 0), None),
    ],
)
def test_a_version_tag_excludes_only_the_other_flasks(
    tag: str, running: tuple[int, ...], reason: str | None
) -> None:
    assert applicability.flask_version_mismatch(tag, running) == reason


def test_steps_that_use_the_session_need_a_usable_one_except_in_the_missing_key_behaviour() -> None:
    steps = ["Alice stores her name in the session", "she reads it back"]
    assert applicability.needs_a_usable_session({"hooks"}, steps)
    assert not applicability.needs_a_usable_session({"hooks", "SES-05"}, steps)
    assert not applicability.needs_a_usable_session({"hooks"}, ["the app answers 404"])


def test_a_second_person_needs_a_second_user_in_the_profile() -> None:
    table = copy.deepcopy(GOOD)
    steps = ["Alice has logged in", "Bob logs in"]
    assert applicability.second_user_missing(parse_profile(table, source="p.toml"), steps) is None
    table["users"] = table["users"][:1]
    reason = applicability.second_user_missing(parse_profile(table, source="p.toml"), steps)
    assert reason is not None
    assert reason.startswith("Bob logs in here") and "p.toml has 1 user" in reason
    assert applicability.second_user_missing(None, steps) is None


def test_the_store_is_named_by_its_backend_or_by_what_the_app_uses() -> None:
    found = _detect("cachelib_store")
    assert applicability.describe_store(found, REDIS) == "redis sessions"
    assert applicability.describe_store(found, found.backend) == found.store_description()
