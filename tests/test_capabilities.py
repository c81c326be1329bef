"""Capability detection, not-applicable verdicts in runs, tampering on any store, Redis.

Each check is shown to pass on an app that keeps the behaviour and to fail, in
words that name it, on one that breaks it (the apps are in ``tests/apps``).
The spec runs use the ``run_specs`` fixture of ``tests/conftest.py``, as the
known-bad apps' tests do.
"""

from __future__ import annotations

import fakeredis
import pytest
from flask import Flask

from flask_conformance.drive.browser import Browser
from flask_conformance.drive.probe import install_probe
from flask_conformance.drive.visitors import Visitors
from flask_conformance.plugin import verdicts
from flask_conformance.target import capabilities
from flask_conformance.target.backends import COOKIE, CUSTOM, REDIS
from flask_conformance.target.build import TargetError
from flask_conformance.target.load import Target, make_target
from flask_conformance.target.raising_function import raised_through, raised_where

from .known_bad import RunSpecs
from .running import REPO_ROOT, SpecRun

APPS = "tests.apps"


def _target(app: str, factory: str = "create_app") -> Target:
    return Target(f"{APPS}.{app}:{factory}")


def _detect(app: str, factory: str = "create_app") -> capabilities.Capabilities:
    return capabilities.detect(_target(app, factory).app(None))


# -- detection ---------------------------------------------------------------


def test_flasks_own_cookie_is_seen_as_sent() -> None:
    found = _detect("leaky_g")
    assert found.backend == COOKIE
    assert found.store_description() == "Flask's signed cookie"
    assert found.has_secret_key and not found.missing_secret_key
    assert found.session_cookie is not None
    assert found.session_cookie.describe() == "session; HttpOnly; Path=/"
    assert not found.flask_login and found.remember_cookie_name is None


def test_a_cookie_renamed_in_the_session_interface_is_found_by_its_real_name() -> None:
    target = _target("own_signed_store")
    app = target.app(None)
    assert app.config["SESSION_COOKIE_NAME"] == "session"  # the config says one thing...
    found = capabilities.detect(app)
    assert found.session_cookie_name == "sid"  # ...the Set-Cookie says another
    assert found.session_cookie is not None
    assert found.session_cookie.attributes["secure"] is True
    assert found.session_cookie.attributes["samesite"] == "Lax"
    assert Visitors(app).session_cookie_name == "sid"
    assert found.backend == CUSTOM
    assert (
        found.store_description() == "the app's own session interface (OwnSignedSessionInterface)"
    )


def test_flask_session_and_its_store_are_named() -> None:
    found = _detect("cachelib_store")
    assert found.backend == CUSTOM
    assert found.flask_session_store == "cachelib"
    assert found.store_description() == "Flask-Session (cachelib, CacheLibSessionInterface)"


def test_flask_login_its_remember_cookie_and_the_fallbacks_are_counted_never_shown() -> None:
    found = _detect("with_login_manager", 'create_app("keep_me")')
    assert found.flask_login
    assert found.remember_cookie_name == "keep_me"
    assert found.secret_key_fallbacks == 2
    words = found.as_words()
    assert words["Flask-Login"] == "yes, remember-me cookie 'keep_me'"
    assert words["SECRET_KEY"].startswith("set, 2 fallbacks")
    assert ("ignored" in words["SECRET_KEY"]) is not capabilities.FALLBACKS_SUPPORTED
    shown = " ".join(words.values())
    for secret in ("known-bad-app-secret", "an-old-key", "an-older-key"):
        assert secret not in shown


def test_flask_logins_default_remember_cookie_name() -> None:
    assert _detect("with_login_manager").remember_cookie_name == "remember_token"


def test_an_app_without_a_secret_key_has_unusable_sessions() -> None:
    found = _detect("no_secret_key")
    assert found.missing_secret_key
    assert found.session_cookie is None
    assert found.as_words()["SECRET_KEY"] == "missing"
    assert "the app has no SECRET_KEY" in found.as_words()["sessions"]


def test_the_targets_capabilities_are_plain_words_for_reports() -> None:
    words = _target("own_signed_store").capabilities
    assert words["app"] == f"{APPS}.own_signed_store:create_app"
    assert words["session cookie"] == "sid; Secure; HttpOnly; Path=/; Samesite=Lax"
    assert all(isinstance(value, str) for value in words.values())


def test_the_run_header_shows_the_target_and_its_capabilities(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flask_conformance import layout

    monkeypatch.chdir(REPO_ROOT)
    result = pytester.runpytest_subprocess(
        str(layout.STEPS_DIR),
        "--flask-app",
        f"{APPS}.cachelib_store:create_app",
        "--co",
        "-p",
        "no:cacheprovider",
    )
    result.stdout.fnmatch_lines(
        [
            f"flask-conformance target: {APPS}.cachelib_store:create_app",
            (
                "  capabilities: session store: Flask-Session (cachelib, "
                "CacheLibSessionInterface); SECRET_KEY: set; session cookie: session; *"
            ),
        ]
    )


# -- not applicable (decided in plugin/applicability.py) ----------------------


def _not_applicable(run: SpecRun) -> list[str]:
    return [o.text for o in run.named("skipped") if verdicts.NOT_APPLICABLE in o.text]


@pytest.mark.parametrize("app", ["cachelib_store", "own_signed_store"])
def test_store_agnostic_scenarios_run_and_pass_on_other_stores(
    run_specs: RunSpecs,
    app: str,
) -> None:
    run = run_specs("sessions or g or hooks", app=f"{APPS}.{app}:create_app")
    problems = run.named("failed") + run.named("error")
    assert not problems, "\n".join(o.name + "\n" + o.text for o in problems)
    assert len(run.named("passed")) >= 80, run.summary()
    texts = _not_applicable(run)
    assert any("signed-cookie session" in text for text in texts), run.summary()
    assert any("the Redis store behind Flask-Session" in text for text in texts)
    # Every other skip says why it does not apply (journeys need a profile).
    unexplained = [
        o.name
        for o in run.named("skipped")
        if verdicts.NOT_APPLICABLE not in o.text and "journey profile" not in o.text
    ]
    assert not unexplained, run.summary()


# -- sessions without a secret key -----------------------------------------


def test_no_secret_key_is_one_failed_behaviour_and_the_rest_not_applicable(
    run_specs: RunSpecs,
) -> None:
    run = run_specs("sessions or errors", app=f"{APPS}.no_secret_key:create_app")
    failed = run.named("failed")
    assert [o.name for o in failed] == [
        "test_a_visitors_session_keeps_a_value_from_one_request_to_the_next[cookie]"
    ], run.summary()
    assert "Broken behaviour: sessions are unusable: the app has no SECRET_KEY" in failed[0].text
    assert "Set SECRET_KEY in the app's config" in failed[0].text
    assert not run.named("error")
    unusable = [t for t in _not_applicable(run) if "the app has no SECRET_KEY" in t]
    assert len(unusable) >= 50, run.summary()


def test_sessions_are_usable_on_the_reference_app(run_specs: RunSpecs) -> None:
    run = run_specs(None).selected("sessions and SES-05")  # one run of every spec, shared
    assert len(run.named("passed")) >= 3 and not run.named("failed"), run.summary()


# -- tampering on any store ---------------------------------------------------

TAMPERING = "keys and WSTG-SESS-01"
TAMPERING_BROKEN = "Broken behaviour: a visitor cannot change what their session holds"


@pytest.mark.parametrize(
    ("app", "broken_by"),
    [
        ("unsigned_session", 'the readable payload decoded, changed to name "admin"'),
        ("detachable_signature", "the signature stripped"),
        ("unchecked_signature", "Bob's payload under her own signature"),
    ],
)
def test_tampering_fails_a_store_whose_content_the_client_can_change(
    run_specs: RunSpecs,
    app: str,
    broken_by: str,
) -> None:
    run = run_specs(TAMPERING, app=f"{APPS}.{app}:create_app")
    failed = run.named("failed")
    assert any(broken_by in o.name for o in failed), run.summary()
    for outcome in failed:
        assert TAMPERING_BROKEN in outcome.text, outcome.text
        assert "'admin'" in outcome.text or "'bob'" in outcome.text, outcome.text
    assert not run.named("error")


@pytest.mark.parametrize(
    "app", [None, "cachelib_store", "own_signed_store", "flask_session_redis", "no_max_age"]
)
def test_tampering_passes_on_stores_that_hold_their_ground(
    run_specs: RunSpecs,
    app: str | None,
) -> None:
    if app is None:  # the reference app: read out of its one shared run of every spec
        run = run_specs(None).selected(TAMPERING)
    else:
        run = run_specs(TAMPERING, app=f"{APPS}.{app}:create_app")
    assert run.named("passed") and not run.named("failed") and not run.named("error"), (
        run.summary() + run.output[-3000:]
    )
    for text in [o.text for o in run.named("skipped")]:
        assert verdicts.NOT_APPLICABLE in text


# -- an app that raises inside a probe request --------------------------------


def test_an_app_raising_in_a_hook_fails_naming_the_hook(run_specs: RunSpecs) -> None:
    run = run_specs("persistence", app=f"{APPS}.raising_before_request:create_app")
    failed = run.named("failed")
    assert failed and not run.named("passed"), run.summary()
    for outcome in failed:
        assert "ConnectionError: the user database is not reachable" in outcome.text
        assert "in the app's before_request function 'load_user'" in outcome.text, outcome.text


def _raising_app() -> Flask:
    app = Flask(__name__)

    @app.route("/view")
    def show_report() -> str:
        raise LookupError("no such report")

    @app.route("/teardown")
    def fine() -> str:
        return "fine"

    @app.teardown_request
    def close_db(exc: BaseException | None) -> None:
        from flask import request

        if request.path == "/teardown":
            raise OSError("closing failed")

    install_probe(app)
    return app


def test_raised_where_names_a_view() -> None:
    app = _raising_app()
    exchange = Browser(app).get("/view", raise_errors=False)
    assert isinstance(exchange.app_error, LookupError)
    assert exchange.raised_where.startswith(" in the app's view function 'show_report' (")
    assert "in the app's view function 'show_report'" in exchange.describe()


def test_raised_where_names_a_teardown_function() -> None:
    app = _raising_app()
    exchange = Browser(app).get("/teardown", raise_errors=False)
    assert isinstance(exchange.error, OSError)
    assert exchange.raised_where.startswith(" in the app's teardown_request function 'close_db'")


def test_raised_through_names_every_function_on_the_way() -> None:
    def save_session() -> None:
        raise RuntimeError("store is down")

    def view() -> None:
        save_session()

    try:
        view()
    except RuntimeError as error:
        names = raised_through(error)
    assert names[-2:] == ["view", "save_session"]


def test_raised_where_says_nothing_without_the_apps_code() -> None:
    assert raised_where(Flask(__name__), ValueError("never raised")) == ""


# -- Redis ------------------------------------------------------------------


def test_an_apps_flask_session_redis_is_swapped_for_fakeredis() -> None:
    app = _target("flask_session_redis").app(None)
    assert isinstance(app.session_interface.client, fakeredis.FakeRedis)
    found = capabilities.detect(app)
    assert found.backend == REDIS and found.session_cookie is not None


def test_redis_only_scenarios_run_on_an_apps_own_redis_store(
    run_specs: RunSpecs,
) -> None:
    run = run_specs("redis-only", app=f"{APPS}.flask_session_redis:create_app")
    assert len(run.named("passed")) >= 5, run.summary()
    assert not run.named("failed") and not run.named("error"), run.summary()


def test_an_unreachable_redis_is_one_line_at_once(unused_port: int) -> None:
    import time

    started = time.monotonic()
    with pytest.raises(TargetError) as caught:
        make_target(f"{APPS}.flask_session_redis:create_app", None, unused_port_url(unused_port))
    assert time.monotonic() - started < 2.5
    message = str(caught.value)
    assert "\n" not in message
    assert "cannot be reached" in message and "leave --redis-url out" in message


def unused_port_url(port: int) -> str:
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_redis_url_that_is_not_one_is_one_line() -> None:
    with pytest.raises(TargetError, match="is not a Redis URL") as caught:
        make_target(f"{APPS}.flask_session_redis:create_app", None, "localhost:6379")
    assert "\n" not in str(caught.value)


def test_apps_on_other_stores_ignore_the_redis_url(unused_port: int) -> None:
    target = make_target(f"{APPS}.cachelib_store:create_app", None, unused_port_url(unused_port))
    assert capabilities.detect(target.app(None)).backend == CUSTOM
    assert target.unused_redis is not None and "does not apply" in target.unused_redis


# -- apps that make every session permanent -----------------------------------


@pytest.mark.parametrize(
    ("factory", "reason"),
    [
        ("flask_session_default", "the app makes every session permanent"),
        ("permanent_by_hook", "the app's own hooks change the session on every request"),
    ],
)
def test_an_app_that_never_leaves_the_session_alone_is_not_failed_for_it(
    run_specs: RunSpecs,
    factory: str,
    reason: str,
) -> None:
    found = _detect("always_permanent", factory)
    assert found.always_permanent
    assert found.hooks_write_session == (factory == "permanent_by_hook")
    run = run_specs("sessions", app=f"{APPS}.always_permanent:{factory}")
    problems = run.named("failed") + run.named("error")
    assert not problems, "\n".join(o.name + "\n" + o.text for o in problems)
    texts = [t for t in _not_applicable(run) if reason in t]
    assert len(texts) >= 10, run.summary()


def test_an_interface_that_writes_every_response_is_not_excused_as_the_apps_hooks() -> None:
    found = _detect("always_writes")
    assert not found.hooks_write_session and not found.always_permanent


def test_the_reference_app_leaves_sessions_alone() -> None:
    target = make_target(None, None)
    for backend in ("cookie", "redis"):
        found = capabilities.detect(target.app(backend))
        assert not found.always_permanent and not found.hooks_write_session
