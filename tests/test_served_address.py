"""The kit drives an app where its config says it is served.

Production configs name the host (``SERVER_NAME``), the domain of the session
cookie (``SESSION_COOKIE_DOMAIN``) and the path the app is mounted under
(``APPLICATION_ROOT``, or a DispatcherMiddleware the app mounts itself with);
``host_matching`` puts every route on a host. Driven at ``https://localhost/``, a correct app with
any of them was refused (``SERVER_NAME`` with subdomain_matching: its pages
answer 404 on another host) or failed 70 to 100 scenarios (a browser does not
send a cookie scoped to another domain or path). Each correct app now passes
every scenario, and its twin whose logout leaves the user in the session
still fails the logout journeys.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flask_conformance.drive.address import Address

from .runcache import RunCache, spec_args
from .running import SpecRun

PROFILE = Path(__file__).resolve().parent / "apps" / "login_app.toml"
SETTINGS = ("server_name", "cookie_domain", "app_root", "host_matching", "dispatched")
#: What a logout that leaves the user in the session fails, on every setting.
LOGOUT_FAILURES = {
    "test_after_logging_out_the_dashboard_turns_the_user_away[cookie]",
    "test_logging_out_deletes_the_session_cookie_or_leaves_no_identity_in_it[cookie]",
    (
        "test_a_request_that_only_reads_the_session_and_ends_after_logout_undoes_it_only_by"
        "_sending_the_session_back[cookie]"
    ),
}


def _run(run_cache: RunCache, setting: str, broken: bool) -> SpecRun:
    app = f'tests.apps.deployed_app:create_app("{setting}", broken={broken})'
    return run_cache.spec_run(spec_args(None, app, "--conformance-profile", PROFILE))


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_correct_app_passes_where_it_is_served(run_cache: RunCache, setting: str) -> None:
    run = _run(run_cache, setting, broken=False)
    failed = [f"{o.name}:\n{o.text[:600]}" for o in run.named("failed") + run.named("error")]
    assert run.status == 0 and not failed, "\n".join(failed) or run.output[-3000:]
    assert run.named("passed"), run.output[-3000:]


@pytest.mark.parametrize("setting", SETTINGS)
def test_its_broken_twin_still_fails_the_logout(run_cache: RunCache, setting: str) -> None:
    run = _run(run_cache, setting, broken=True)
    failed = {o.name for o in run.named("failed")}
    assert run.status == 1 and failed == LOGOUT_FAILURES, run.summary()


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("/app/login", "/login"),
        ("https://example.com/app/login?next=%2F", "/login?next=%2F"),
        ("/app", "/"),
        ("/elsewhere", None),
        ("https://other.example.com/app/login", None),
        ("dashboard", "/dashboard"),
    ],
)
def test_a_redirect_is_followed_as_a_path_of_the_app(location: str, expected: str | None) -> None:
    address = Address(host="example.com", root="/app")
    assert address.app_path(location, "https://example.com/app/login") == expected


def test_the_address_names_the_settings_it_comes_from() -> None:
    from flask import Flask

    from flask_conformance.drive.address import find_address

    app = Flask(__name__)
    assert find_address(app) == Address()
    app.config.update(SERVER_NAME="localhost:5000", APPLICATION_ROOT="/app/")
    address = find_address(app)
    assert address.base_url == "https://localhost:5000/app"
    assert address.hostname == "localhost"
    assert "SERVER_NAME = 'localhost:5000'" in address.reason
    assert "APPLICATION_ROOT = '/app/'" in address.reason
