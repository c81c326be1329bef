"""Apps that are safer than Flask's default pass, and blind spots are checked.

Each case below is a small app in ``tests/apps`` written the way real apps
are (issue 10): one that the kit used to fail though it is correct, or pass
though it is not. Every test runs the kit as a user would, in a subprocess,
and shows both sides: the old false verdict is gone, and a genuinely broken
twin of the app still gets its finding.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from flask import Flask
from packaging.version import Version

from flask_conformance import layout
from flask_conformance.drive.browser import Browser
from flask_conformance.drive.probe import PREFIX, ProbeUnhandledError, install_probe
from flask_conformance.target import capabilities
from flask_conformance.target.load import make_target
from flask_conformance.target.raising_function import raised_where

from .runcache import JUNIT, RunCache
from .running import SpecRun, junit_args

APPS = Path(__file__).resolve().parent / "apps"
LOGIN_PROFILE = str(APPS / "login_app.toml")
JOURNEY_PROFILE = str(APPS / "journey_app.toml")


def run_specs(
    run_cache: RunCache, markers: str, app: str, profile: str | None = None, *extra: str
) -> SpecRun:
    """Run the specs selected by ``markers`` against ``app``, once per session."""
    args = [str(layout.STEPS_DIR), "-m", markers, "-p", "no:randomly", "-p", "no:cacheprovider"]
    args += ["-q", "-rs", *junit_args(JUNIT), "--flask-app", f"tests.apps.{app}", *extra]
    if profile is not None:
        args += ["--conformance-profile", profile]
    return run_cache.spec_run(args, report_required=False)


def no_failures(run: SpecRun) -> None:
    problems = run.named("failed") + run.named("error")
    assert run.named("passed") and not problems, run.summary() + "\n" + run.output[-3000:]


def failures_saying(run: SpecRun, words: str) -> list[str]:
    return [outcome.name for outcome in run.named("failed") if words in outcome.text]


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


# -- B.5b a CSRF token the app's hooks write into every new session ---------

NEW_SESSIONS = "sessions and not redis-only"


@pytest.mark.parametrize(
    "factory", ["create_app", "create_app(seasurf=True)", "create_app(store='redis')"]
)
def test_a_csrf_token_written_into_every_new_session_is_no_finding(
    run_cache: RunCache, factory: str
) -> None:
    """Flask-SeaSurf stores its token, after the view, into any session that
    lacks one: a new, refused or emptied session comes back holding it."""
    if "seasurf" in factory:
        pytest.importorskip("flask_seasurf")
    run = run_specs(run_cache, NEW_SESSIONS, f"cookie_csrf_token:{factory}")
    no_failures(run)
    skipped = " ".join(o.text for o in run.named("skipped"))
    assert "write _csrf_token into every new session" in skipped, run.summary()


def test_the_capabilities_say_the_app_writes_into_every_new_session() -> None:
    target = make_target("tests.apps.cookie_csrf_token:create_app", None)
    found = capabilities.detect(target.app(None))
    assert found.new_session_keys == ("_csrf_token",) and not found.hooks_write_session
    assert found.as_words()["session written by the app's hooks"] == (
        "into every new session (_csrf_token)"
    )


def test_an_app_that_writes_every_session_still_fails_beside_such_a_token(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, NEW_SESSIONS, "cookie_csrf_token:create_app(broken=True)")
    assert failures_saying(run, "an unchanged session sends no cookie"), run.summary()


# -- B.5c a setting the app's own hook puts back (Flask-Talisman) -----------

COOKIE_SETTINGS = "CK-03 or CK-06 or CK-09"
TALISMAN_SETS_SECURE = "set SESSION_COOKIE_SECURE to True (the kit had set False)"
#: The one scenario that sets SESSION_COOKIE_SECURE to False (CK-06, partitioned
#: cookies) is tagged @flask-3.1+: on older Flask lines it is set aside for that.
SETS_SECURE_FALSE = Version(version("flask")) >= Version("3.1")


@pytest.mark.parametrize(
    "factory",
    ["create_app", "create_app(store='redis')", "create_app(talisman=True, store='redis')"],
)
def test_a_setting_the_apps_hook_puts_back_is_not_judged(run_cache: RunCache, factory: str) -> None:
    """Flask-Talisman sets SESSION_COOKIE_SECURE = True on every request: the
    kit's False was never in effect, so CK-06 failed on Flask-Session."""
    if "talisman" in factory:
        pytest.importorskip("flask_talisman")
    run = run_specs(run_cache, COOKIE_SETTINGS, f"forced_https:{factory}")
    no_failures(run)
    put_back = [o for o in run.named("skipped") if TALISMAN_SETS_SECURE in o.text]
    assert bool(put_back) == SETS_SECURE_FALSE, run.summary()


def test_a_setting_the_hook_leaves_alone_is_still_judged(run_cache: RunCache) -> None:
    run = run_specs(run_cache, COOKIE_SETTINGS, "forced_https:create_app(broken=True)")
    assert failures_saying(run, "carries the attributes the app configured"), run.summary()


# -- B.6 remember-me cookie: renamed, and its attributes checked -----------


def test_a_renamed_remember_cookie_is_found_and_its_attributes_checked(run_cache: RunCache) -> None:
    run = run_specs(
        run_cache,
        "security and WSTG-SESS-02",
        'remember_app:create_app(cookie_name="remember_5000")',
        str(APPS / "journey_app.toml"),
    )
    remember = [o for o in run.outcomes if "remember cookie" in o.name]
    assert remember and not [o for o in remember if o.result == "skipped"], run.summary()
    assert "'remember_5000'" in run.all_text


@pytest.mark.parametrize(
    ("app", "has_flask_login"),
    [("flaskr_like:create_app", False), ("remember_app:create_app()", True)],
)
def test_a_profile_without_remember_fields_is_told_what_is_missing_truthfully(
    run_cache: RunCache, app: str, has_flask_login: bool
) -> None:
    """Without [login] remember fields the remember cookie's attributes are not checked.
    The reason suggests adding them, but never implies that an app without
    Flask-Login (Supysonic, Flask-MonitoringDashboard) has a remember-me."""
    run = run_specs(run_cache, "security and WSTG-SESS-02", app, str(APPS / "login_app.toml"))
    remember = [o for o in run.outcomes if "remember cookie" in o.name]
    assert remember and all(o.result == "skipped" for o in remember), run.summary()
    for outcome in remember:
        assert 'add the extra login fields to [login], like remember = { remember = "y" }' in (
            outcome.text
        )
        assert ("if the app has a remember-me of its own" in outcome.text) is not has_flask_login


# -- B.7 a session interface with a signing key of its own -----------------


def test_an_interface_with_its_own_signing_key_has_usable_sessions(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "sessions or security", "own_key_interface:create_app")
    no_failures(run)
    assert "sessions are unusable" not in run.all_text

    from tests.apps.own_key_interface import create_app

    app = create_app()
    install_probe(app)
    found = capabilities.detect(app)
    assert not found.missing_secret_key and found.signs_with_own_key
    assert found.as_words()["SECRET_KEY"].startswith("not set; the session interface writes")


def test_an_app_with_no_key_at_all_is_still_told_its_sessions_are_unusable(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, "SES-05 and not backend-difference", "no_secret_key:create_app")
    assert failures_saying(run, "sessions are unusable: the app has no SECRET_KEY"), run.summary()


def test_a_server_side_store_without_a_key_has_nothing_to_re_sign(run_cache: RunCache) -> None:
    """CS50 Finance's setup: Flask-Session and no SECRET_KEY. Re-signing its
    unsigned id under another salt is not applicable; it used to fail with
    "Flask built no signing serializer"."""
    run = run_specs(run_cache, "K-01", "cs50_style:create_app")
    no_failures(run)
    assert "no signing serializer" not in run.all_text
    skipped = [o for o in run.named("skipped") if "another salt" in o.name]
    assert skipped and all("no key of the app's" in o.text for o in skipped), run.summary()

    keyless = run_specs(
        run_cache, "SES-05 and not backend-difference", "cs50_style:create_app(broken=True)"
    )
    assert failures_saying(keyless, "sessions are unusable: the app has no SECRET_KEY")


# -- B.8 a profile whose protected page is public --------------------------


def test_a_public_protected_page_is_refused_in_one_line(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "journey", "public_dashboard:create_app", LOGIN_PROFILE)
    assert run.status == 4, run.output
    assert "/dashboard answered 200 to a visitor who had not logged in, not 302" in run.output
    assert "Traceback" not in run.output

    fitting = run_specs(
        run_cache, "journey", "public_dashboard:create_app", str(APPS / "public_dashboard.toml")
    )
    no_failures(fitting)


# -- B.9 a login that the app's own before_request answers -----------------


def test_a_login_answered_by_the_apps_hook_is_a_finding_about_the_app(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "journey or hygiene", "article_gate:create_app", LOGIN_PROFILE)
    assert run.status == 1, run.output
    assert "Check that user's password" not in run.all_text
    assert failures_saying(run, "a login gate must let the login page through"), run.summary()

    target = make_target("tests.apps.article_gate:create_app", LOGIN_PROFILE)
    assert target.login_blocked is not None
    assert "before_request" in target.login_blocked
    assert "answered the login POST /login itself" in target.login_blocked


def test_a_hook_that_refuses_a_login_without_its_csrf_token_is_a_profile_mistake(
    run_cache: RunCache,
) -> None:
    """A CSRF guard in a before_request (as Flask-WTF's CSRFProtect) aborts; it is no gate."""
    run = run_specs(run_cache, "journey", "csrf_hook:create_app", LOGIN_PROFILE)
    assert run.status == 4, run.output
    assert "csrf_protect refused the login POST /login with 400" in run.output
    assert "add csrf = {" in run.output and "nobody can log in" not in run.output

    fitting = run_specs(run_cache, "journey", "csrf_hook:create_app", str(APPS / "csrf_hook.toml"))
    assert fitting.status != 4 and fitting.named("passed"), fitting.output[-2000:]


# -- a login rate limit ---------------------------------------------------------


def test_a_login_rate_limit_makes_the_scenarios_it_stops_not_applicable(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, "journey", "limited_login:create_app", JOURNEY_PROFILE)
    no_failures(run)
    limited = [o for o in run.named("skipped") if "429 Too Many Requests" in o.text]
    assert limited, run.summary()
    assert run.named("passed"), run.summary()


@pytest.mark.parametrize("breach", ["page", "same"])
def test_a_login_limit_answered_like_a_login_makes_the_scenarios_not_applicable(
    run_cache: RunCache, breach: str
) -> None:
    """ihatemoney answers a breached limit with its login page and 200; other
    apps answer it as they answer a login that works. Either way the login
    that admitted Alice before the scenarios no longer does: the app refuses
    repeated logins, which is not a broken login."""
    target = f'limited_login:create_app(breach="{breach}")'
    run = run_specs(run_cache, "journey", target, JOURNEY_PROFILE)
    no_failures(run)
    refused = [o for o in run.named("skipped") if "refuses repeated logins" in o.text]
    assert refused, run.summary()
    assert run.named("passed"), run.summary()


@pytest.mark.parametrize("breach", ["429", "page"])
def test_a_broken_login_behind_a_login_rate_limit_still_fails(
    run_cache: RunCache, breach: str
) -> None:
    target = f'limited_login:create_app("forgets_login", breach="{breach}")'
    run = run_specs(run_cache, "journey", target, JOURNEY_PROFILE)
    failed = run.named("failed")
    assert failed, run.summary()
    assert not [o for o in failed if "429" in o.text], run.summary()
    assert [o for o in failed if "a_login_lasts_for_the_requests" in o.name], run.summary()


# -- an interface that decides a cookie attribute in code ------------------


def test_an_interface_that_decides_samesite_in_code_is_not_held_to_the_setting(
    run_cache: RunCache,
) -> None:
    run = run_specs(run_cache, "cookie-settings", "strict_cookie_interface:create_app")
    no_failures(run)
    # Before Flask 3.1 the Partitioned row is not applicable for the version too.
    skipped = [o for o in run.named("skipped") if "describes Flask 3.1 or newer" not in o.text]
    assert len(skipped) == 3, run.summary()
    assert all("in its own get_cookie_samesite()" in outcome.text for outcome in skipped)


def test_an_interface_that_drops_the_samesite_it_decided_still_fails(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "cookie-settings", "strict_cookie_interface:create_app(broken=True)")
    assert failures_saying(run, "it does not carry SameSite=Strict"), run.summary()


def test_an_interface_that_scopes_the_cookie_to_its_mount_point_is_not_held_to_the_root(
    run_cache: RunCache,
) -> None:
    """Calibre-Web's: its getter answers only once a request went through its middleware."""
    run = run_specs(run_cache, "cookie-settings", "mount_point_cookie:create_app")
    no_failures(run)
    chose = [o for o in run.named("skipped") if "get_cookie_path() answers '/'" in o.text]
    assert any("scoped_to_the_apps_root" in outcome.name for outcome in chose), run.summary()


def test_an_interface_that_drops_the_path_it_decided_still_fails(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "cookie-settings", "mount_point_cookie:create_app(broken=True)")
    assert failures_saying(run, "it does not carry Path=/shop"), run.summary()
