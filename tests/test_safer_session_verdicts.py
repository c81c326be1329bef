"""Apps that are safer than Flask's default pass, and blind spots are checked:
sessions the app's hooks write, cookie settings, remember-me, signing keys,
profiles and login limits.

As in tests/test_safer_verdicts.py, each case is a small app in ``tests/apps``
written the way real apps are; each test shows that the old false verdict is
gone and that a genuinely broken twin of the app still gets its finding.
"""

from __future__ import annotations

from importlib.metadata import version

import pytest
from packaging.version import Version

from flask_conformance.drive.probe import install_probe
from flask_conformance.target import capabilities
from flask_conformance.target.load import make_target

from .runcache import RunCache
from .safer_runs import (
    APPS,
    JOURNEY_PROFILE,
    LOGIN_PROFILE,
    failures_saying,
    no_failures,
    run_specs,
)

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
