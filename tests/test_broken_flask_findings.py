"""A broken Flask is a finding, not a refusal.

When Flask itself (or the app's session interface) keeps nothing between
requests, the profile's login cannot last. The kit used to refuse the run in
one line blaming the profile ("The app did not log 'alice' in ... check that
user's password"), although the profile was right and the app was not. It now
tells the two apart by a plain session round trip, and runs every scenario,
whose failures name the broken behaviours. A profile that does not fit an app
whose sessions work is still refused (tests/test_journey_setup.py::
test_credentials_the_app_rejects, and the CSRF and 404 cases there).
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from flask_conformance.journeys.flask_basics import why_gates_leak, why_sessions_forget
from flask_conformance.target.load import make_target

from .running import REPO_ROOT, run_command


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)


def _save_nothing(self: SecureCookieSessionInterface, *args: Any, **kwargs: Any) -> None:
    return None


def test_a_login_lost_with_the_session_is_the_apps_defect_not_the_profiles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(SecureCookieSessionInterface, "save_session", _save_nothing)
    target = make_target(None, None)  # the reference app with its own, correct, profile
    assert target.profile_defect is not None
    assert target.profile_defect.startswith("Logging 'alice' in did not last:")
    assert "because the app's sessions keep nothing between requests" in target.profile_defect
    assert "it sent no session cookie" in target.profile_defect
    assert "That is the app's defect, not the profile's" in target.profile_defect


def test_a_session_cookie_that_only_comes_back_to_one_folder_is_the_apps_defect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without a Path the browser sends the cookie back only under the login's own folder.
    monkeypatch.setattr(SecureCookieSessionInterface, "get_cookie_path", lambda self, app: None)
    target = make_target(None, None)
    assert target.profile_defect is not None
    assert "it set the cookie session (no Path)" in target.profile_defect


def test_a_protected_page_open_to_all_because_gates_leak_is_the_apps_defect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    preprocess = Flask.preprocess_request

    def ignore_the_answers(self: Flask) -> None:
        preprocess(self)  # the before_request functions run; what they return is dropped

    monkeypatch.setattr(Flask, "preprocess_request", ignore_the_answers)
    target = make_target(None, None)
    assert target.profile_defect is not None
    assert target.profile_defect.startswith(
        "/en/dashboard/ admitted a visitor who had not logged in, because a before_request "
        "that returns a response does not end the request"
    )
    assert "That is the app's defect, not the profile's" in target.profile_defect


def test_sessions_that_work_leave_the_login_check_as_it_was() -> None:
    target = make_target(None, None)
    assert target.profile_defect is None


def test_a_flask_that_saves_no_session_gets_named_failures_not_a_refusal() -> None:
    result = run_command(
        [
            sys.executable,
            "-m",
            "flask_conformance",
            "check",  # the reference app
            "--",
            "-m",
            "journey or P-03",
            "-p",
            "no:randomly",
            "-p",
            "tests.plugins.forgetful_sessions",
        ]
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "ERROR:" not in output
    assert "INTERNALERROR" not in output
    assert "profile check: Logging 'alice' in did not last" in output
    assert "Broken behaviour: logging in admits the user to the protected pages" in output
    assert (
        "Broken behaviour: a session that is not permanent gets a browser-session cookie" in output
    )


@pytest.mark.parametrize(
    "import_string",
    [
        "tests.apps.login_gate:create_app",  # an app-wide gate the kit's probe is let through
        "tests.apps.public_dashboard:create_app",  # sessions and hooks fine, profile wrong
        "tests.apps.csrf_protected:create_app",
    ],
)
def test_flasks_promises_hold_on_ordinary_apps(import_string: str) -> None:
    app = make_target(import_string, None).app(None)
    assert why_sessions_forget(app) is None
    assert why_gates_leak(app) is None


def test_a_gate_the_kit_cannot_see_into_is_no_proof_of_a_broken_flask() -> None:
    # WSGI middleware answers every request for the probe: the kit cannot tell, says nothing.
    app = make_target("tests.apps.middleware_gate:create_app", None).app(None)
    assert why_sessions_forget(app) is None
    assert why_gates_leak(app) is None
