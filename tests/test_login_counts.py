"""A profile run logs in exactly as often as its scenarios' meaning needs.

Every login pays the app's password hash (0.1 to 0.5 s on purpose), and that
is most of a profile run's time; a login the kit leaves out where a scenario
needs one gives a verdict about nothing. So these tests count the logins each
scenario sends (``tests.plugins.count_hashes``) in a real run of the journey
scenarios:

- the check that the profile fits logs every user in once, before any scenario;
- a scenario about the login itself ("When Alice logs in": logging in,
  fixation, the isolation scenarios) sends its own login every time, and only
  that one: another user in it (Bob) starts logged in;
- on Flask's signed-cookie sessions, a scenario that starts "Given Alice has
  logged in" sends none: it restores the login the fit check made;
- where sessions live on the server, it sends one, since a copied session id
  would name a session the store no longer holds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from flask_conformance import layout

from .running import REPO_ROOT, clean_env, run_command

LOGIN_PROFILE = "tests/apps/login_app.toml"
JOURNEY_PROFILE = "tests/apps/journey_app.toml"

#: The scenarios whose subject is the login, and the logins each must send.
REAL_LOGINS = {
    "test_after_logging_in_the_protected_page_admits_the_user_as_themselves": ["alice"],
    "test_the_session_mallory_planted_is_not_logged_in_after_alice_logs_in_with_it": ["alice"],
    "test_a_visitor_who_has_not_logged_in_sees_nothing_of_a_loggedin_user": ["alice"],
    # Bob starts logged in; Alice's login within the scenario is its subject.
    "test_another_user_never_sees_alices_identity_before_or_after_she_logs_out": ["alice"],
    # K-08, two example rows: the login after the spoiled cookie is the subject,
    # so each row sends it; the login before is restored.
    "test_after_her_session_cookie_was_spoiled_alice_can_log_in_again": ["alice", "alice"],
}


def _logins_by_scenario(tmp_path: Path, app: str, profile: str) -> dict[str, list[str]]:
    """Run the journey scenarios on ``app``; scenario -> users it logged in at /login.

    The scenario name is without its parameters; "" holds the logins sent
    before any scenario. The reference app's logins (``/auth/login``, for
    the scenarios that document Flask) are not the target's and are left out.
    """
    counts = tmp_path / "logins.json"
    result = run_command(
        [sys.executable, "-m", "pytest", str(layout.STEPS_DIR), "-m", "journey", "-q",
         "-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-p", "tests.plugins.count_hashes", "--flask-app", app,
         "--conformance-profile", profile],
        cwd=REPO_ROOT,
        env=clean_env(COUNT_LOGINS_JSON=str(counts)),
    )  # fmt: skip
    assert counts.is_file(), f"the run counted nothing:\n{result.stdout}{result.stderr}"
    logins: dict[str, list[str]] = {}
    for test, sent in json.loads(counts.read_text(encoding="utf-8")).items():
        for request, count in sent.items():
            method, path, user = request.split(" ")
            if (method, path) == ("POST", "/login"):
                logins.setdefault(test.partition("[")[0], []).extend([user] * count)
    return {test: sorted(users) for test, users in logins.items()}


def test_on_signed_cookies_only_the_scenarios_about_the_login_send_one(tmp_path: Path) -> None:
    logins = _logins_by_scenario(tmp_path, "tests.apps.flaskr_like:create_app", LOGIN_PROFILE)
    assert logins.pop("") == ["alice", "bob"]  # the check that the profile fits
    assert logins == REAL_LOGINS


def test_where_sessions_live_on_the_server_every_logged_in_scenario_logs_in(
    tmp_path: Path,
) -> None:
    logins = _logins_by_scenario(
        tmp_path, 'tests.apps.journey_app:create_app(store="redis")', JOURNEY_PROFILE
    )
    # A Given that starts a user logged in cannot be restored on a server store,
    # so it logs in too: Bob's in the isolation scenario, and Alice's before her
    # cookie is spoiled (in both rows).
    spoiled = "test_after_her_session_cookie_was_spoiled_alice_can_log_in_again"
    isolation = "test_another_user_never_sees_alices_identity_before_or_after_she_logs_out"
    expected = {**REAL_LOGINS, isolation: ["alice", "bob"], spoiled: ["alice"] * 4}
    for test, users in expected.items():
        assert logins[test] == users, test
    assert logins["test_a_login_lasts_for_the_requests_that_follow_it"] == ["alice"]
    assert logins["test_after_logging_out_the_dashboard_turns_the_user_away"] == ["alice"]
