"""Single-user apps, and who a page shows.

A profile with one user must work: scenarios in which a second person logs in
are not applicable, saying why, never a traceback. And "the page shows the
admin" means the profile's marker is in the text a person reads, as a whole:
not the username inside the URL of the redirect every stranger gets.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from flask_conformance import layout
from flask_conformance.drive.browser import Exchange
from flask_conformance.journeys.page_text import shows
from flask_conformance.journeys.profile import JourneyProfile, ProfileError
from flask_conformance.journeys.profile_reading import parse_profile

from .runcache import JUNIT, RunCache
from .running import SpecRun

PROFILE = "tests/apps/admin_console.toml"


def run_specs(run_cache: RunCache, factory: str) -> SpecRun:
    command = [str(layout.STEPS_DIR), "-q", "-p", "no:randomly"]
    command += ["-p", "no:cacheprovider", "-m", "journey or logout", f"--junitxml={JUNIT}"]
    command += ["--flask-app", f"tests.apps.admin_console:{factory}"]
    command += ["--conformance-profile", PROFILE]
    return run_cache.spec_run(command)


def test_a_single_user_app_is_checked_without_a_false_alarm(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "create_app")
    assert run.status == 0, run.output
    assert not run.named("failed") and not run.named("error"), run.summary()
    assert "Traceback" not in run.all_text and "ProfileError" not in run.all_text
    second = [o for o in run.named("skipped") if "Bob logs in here" in o.text]
    assert len(second) == 1, run.summary()
    assert "add another [[users]] entry to run it" in second[0].text


def test_a_single_user_app_that_shows_its_user_to_strangers_still_fails(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, "leaky")
    assert run.status == 1, run.output
    failed = run.named("failed")
    assert len(failed) == 1, run.summary()
    assert "a visitor who has not logged in sees nothing of a user who has" in failed[0].text
    assert "showing 'admin'" in failed[0].text


def page(body: str, content_type: str = "text/html; charset=utf-8") -> Exchange:
    return Exchange(
        method="GET",
        path="/admin",
        at=datetime(2030, 1, 1, tzinfo=timezone.utc),
        visitor="Bob",
        cookies_sent={},
        status=200,
        headers=[("Content-Type", content_type)],
        body=body.encode(),
    )


@pytest.mark.parametrize(
    ("body", "marker", "shown"),
    [
        ('<a href="/login?next=/admin">/login?next=/admin</a>', "admin", False),
        ('<p title="admin">Hello</p>', "admin", False),
        ("<script>var user = 'admin';</script><p>Hello</p>", "admin", False),
        ("<p>Welcome, malice</p>", "alice", False),
        ("<p>Welcome, alice2</p>", "alice", False),
        ("<p>Welcome,\n  <b>alice</b>!</p>", "Welcome, alice", True),
        ("<p>Signed in as admin</p>", "admin", True),
        ("<span>alice</span>", "<span>alice</span>", True),
        ("<span>alice2</span>", "<span>alice</span>", False),
    ],
)
def test_a_marker_counts_only_whole_and_where_a_person_reads_it(
    body: str, marker: str, shown: bool
) -> None:
    assert shows(page(body), marker) is shown


def test_json_answers_are_read_by_their_values() -> None:
    answer = '{"user": "alice", "next": "/bob/home"}'
    assert shows(page(answer, "application/json"), "alice")
    assert not shows(page(answer, "application/json"), "bob")
    assert not shows(page(answer, "application/json"), "user")
    # A marker written as JSON is looked for in the answer as written, whole.
    assert shows(page('{"user":"alice"}', "application/json"), '"user":"alice"')
    assert not shows(page('{"user":"alice2"}', "application/json"), '"user":"alice')


def _profile(*usernames: str) -> JourneyProfile:
    return parse_profile(
        {
            "login": {"path": "/login"},
            "logout": {"path": "/logout"},
            "protected": {
                "path": "/p",
                "logged_in": {"status": 200},
                "logged_out": {"status": 302},
            },
            "users": [{"username": name, "password": "pw"} for name in usernames],
        },
        source="test",
    )


def test_two_personas_are_never_one_account() -> None:
    only_bob = _profile("bob")
    assert only_bob.user("Alice").username == "bob"  # the only user plays Alice
    assert not only_bob.has_user("Bob")
    with pytest.raises(ProfileError, match="no user to play Bob"):
        only_bob.user("Bob")
    named = _profile("bob", "alice")
    assert (named.user("Alice").username, named.user("Bob").username) == ("alice", "bob")
    others = _profile("carol", "dave")
    assert (others.user("Alice").username, others.user("Bob").username) == ("carol", "dave")
