"""Apps that are safer than Flask's default pass, and blind spots are checked:
logout, the error path and the login page.

Each case below is a small app in ``tests/apps`` written the way real apps
are (issue 10): one that the kit used to fail though it is correct, or pass
though it is not. Every test runs the kit as a user would, in a subprocess,
and shows both sides: the old false verdict is gone, and a genuinely broken
twin of the app still gets its finding. The session and cookie cases are in
tests/test_safer_session_verdicts.py.
"""

from __future__ import annotations

from flask import Flask

from flask_conformance.drive.browser import Browser
from flask_conformance.drive.probe import PREFIX, ProbeUnhandledError, install_probe
from flask_conformance.target.raising_function import raised_where

from .runcache import RunCache
from .safer_runs import (
    APPS,
    LOGIN_PROFILE,
    failures_saying,
    no_failures,
    run_specs,
)

# -- A.1 a signed-cookie app that revokes at logout ------------------------

REPLAY = "M-10 or (journey and WSTG-SESS-06 and not security)"
REPLAY_WARNING = "copied before Alice logged out still let Mallory in"


def test_signed_cookie_apps_that_revoke_at_logout_pass_without_a_replay_warning(
    run_cache: RunCache,
) -> None:
    for app in ("revoking_logout:create_app", "live_sessions:create_app"):
        run = run_specs(run_cache, REPLAY, app, LOGIN_PROFILE)
        no_failures(run)
        assert not [w for w in run.warnings if REPLAY_WARNING in w], (app, run.warnings)


def test_a_signed_cookie_app_that_does_not_revoke_still_gets_the_replay_warning(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, REPLAY, "flaskr_like:create_app", LOGIN_PROFILE)
    no_failures(run)
    assert [w for w in run.warnings if REPLAY_WARNING in w], run.warnings


# -- A.2 a permanent session and a read-only request overlapping logout ----

RACE = "security and journey"
READ_ONLY_WARNING = "a request that only read Alice's session"


def test_a_permanent_session_refreshed_by_a_read_only_request_is_warned_not_failed(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, RACE, "permanent_login:create_app", LOGIN_PROFILE)
    no_failures(run)
    [warning] = [w for w in run.warnings if READ_ONLY_WARNING in w]
    assert "SESSION_REFRESH_EACH_REQUEST" in warning and "permanent" in warning

    quiet = run_specs(run_cache, RACE, "permanent_login:create_app(refresh=False)", LOGIN_PROFILE)
    no_failures(quiet)
    assert not [w for w in quiet.warnings if READ_ONLY_WARNING in w], quiet.warnings


def test_a_store_that_saves_a_read_only_session_back_is_warned_not_failed(
    run_cache: RunCache,
) -> None:
    """Flask-Session saves the session a request only read at its end, without
    a cookie; Flask-Login's logout leaves the session non-empty, so a request
    in flight at logout restores the login. The kit used to fail it as "the
    logout did not end the session"."""
    profile = str(APPS / "login_manager_hook.toml")
    run = run_specs(run_cache, RACE, "login_manager_hook:create_app(store='cachelib')", profile)
    no_failures(run)
    [warning] = [w for w in run.warnings if READ_ONLY_WARNING in w]
    assert "without sending a cookie" in warning and "session store" in warning


def test_a_logout_that_does_not_end_the_session_still_fails_the_read_only_race(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, RACE, "wrong_logout:create_app", str(APPS / "wrong_logout.toml"))
    assert failures_saying(run, "sends no session back cannot undo logout"), run.summary()


# -- A.3 a catch-all errorhandler, A.4 Flask-CORS in the traceback ---------


def test_a_catch_all_errorhandler_makes_the_unhandled_error_specs_not_applicable(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, "errors", "catch_all_errors:create_app")
    no_failures(run)
    skipped = run.named("skipped")
    assert len(skipped) >= 5, run.summary()
    assert all("the app handles every exception" in outcome.text for outcome in skipped)
    assert "handle_any_error" in skipped[0].text


def test_a_catch_all_errorhandler_that_hides_failures_still_fails(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "errors", "catch_all_errors:create_app(broken=True)")
    assert failures_saying(run, "it answered 200, so clients"), run.summary()
    assert failures_saying(run, "Broken behaviour: the request ends in a 403"), run.summary()


def test_an_extension_wrapping_flasks_error_handling_is_not_blamed_for_the_probe(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, "errors", "cors_app:create_app")
    no_failures(run)
    assert "wrapped_function" not in run.all_text


def test_the_apps_own_error_is_still_named_through_flask_cors() -> None:
    from tests.apps.cors_app import create_app

    app = create_app()

    @app.get("/report")
    def show_report() -> str:
        raise LookupError("no such report")

    install_probe(app)
    exchange = Browser(app, name="Alice").get("/report", raise_errors=False)
    assert exchange.raised_where.startswith(" in the app's view function 'show_report' (")
    assert raised_where(Flask(__name__), ProbeUnhandledError("the kit's own")) == ""


def test_an_error_router_of_an_unknown_extension_is_not_blamed_for_the_probe(
    run_cache: RunCache,
) -> None:
    """Flask-RESTX's ``error_router`` passes the probe's own RuntimeError on
    (SES-05: the kit took the key away); it did not raise it."""
    run = run_specs(run_cache, "SES-05 or errors", "json_error_router:create_app")
    no_failures(run)
    assert "function 'error_router'" not in run.all_text


def test_an_app_that_raises_behind_an_error_router_still_fails(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "SES-05 or errors", "json_error_router:create_app(broken=True)")
    assert failures_saying(run, "The app raised KeyError"), run.summary()


def test_the_apps_own_error_is_still_pinned_on_it_through_an_error_router() -> None:
    from tests.apps.json_error_router import create_app

    app = create_app(broken=True)
    install_probe(app)
    exchange = Browser(app, name="Alice").get(f"{PREFIX}/untouched", raise_errors=False)
    assert "json_error_router.py" in exchange.raised_where, exchange.raised_where


# -- A.5 a JSON API's login takes no GET -----------------------------------


def test_a_post_only_login_is_not_a_page_the_hygiene_check_asks_for(run_cache: RunCache) -> None:
    profile = str(APPS / "json_api_login.toml")
    run = run_specs(run_cache, "hygiene or journey", "json_api_login:create_app", profile)
    no_failures(run)
    assert [o for o in run.named("skipped") if "is not a page" in o.text], run.summary()


def test_a_gate_that_keeps_the_login_page_out_still_fails(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "hygiene and H-06", "article_gate:create_app")
    assert failures_saying(run, "a login gate must let the login page through"), run.summary()


def test_a_login_by_http_basic_auth_is_the_login_page_not_a_gate(run_cache: RunCache) -> None:
    """Flask-HTTPAuth's ``login_required`` on the login view answers 401 with
    ``WWW-Authenticate``: the view ran, and its challenge is the login."""
    run = run_specs(run_cache, "hygiene and H-06", "basic_auth_login:create_app")
    no_failures(run)

    gated = run_specs(run_cache, "hygiene and H-06", "basic_auth_login:create_app(gate=True)")
    assert failures_saying(gated, "a login gate must let the login page through"), gated.summary()
