"""No false alarms from the app's ordinary protection or its own session keys.

Each correct app in ``tests/apps`` is written like the real case (Flask-WTF's
``CSRFProtect``, a login gate, Flask-Login reading ``current_user`` in a
hook, a hook that keeps its own key in every session, a logout that keeps a
CSRF token and a flash message); the kit must check it with no failed
behaviour at all. Its broken twin (the same app with one real defect) must
still fail the behaviour it breaks, in words that name it: getting through
the app's protection must not make the kit blind.

A gate still runs on the kit's own requests (what it does to the session
for every visitor is what the specs see); what it writes while turning a
visitor away (a "please log in" flash, the page to come back to) is undone
with its answer, since no visitor who reaches a page gets it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from flask_conformance import layout
from flask_conformance.drive.visitors import Visitors
from flask_conformance.target import capabilities
from flask_conformance.target.load import Target

from .known_bad import APPS_DIR, RunSpecs
from .runcache import JUNIT, RunCache
from .running import SpecRun


@dataclass(frozen=True)
class CorrectApp:
    #: Import string after ``tests.apps.``.
    app: str
    #: Words the run's header must say (what the kit did to get through).
    header: tuple[str, ...] = ()
    #: Journey profile beside the app.
    profile: str | None = None


CORRECT = [
    CorrectApp(
        "csrf_protected:create_app",
        ("probe access: the kit exempts its own blueprint from the app's Flask-WTF CSRFProtect",),
    ),
    CorrectApp(
        "csrf_protected:create_app(every_method=True)",
        ("probe access: the kit exempts its own blueprint from the app's Flask-WTF CSRFProtect",),
    ),
    CorrectApp(
        "csrf_protected:create_app(own_hook=True)",
        (
            (
                "the app's before_request tests.apps.csrf_protected.create_app.<locals>"
                ".check_csrf answers the kit's probe requests (aborted with 400)"
            ),
        ),
    ),
    CorrectApp(
        "login_gate:create_app",
        (
            (
                "probe access: the app's before_request "
                "flask_conformance.drive.article_apps.redirecting_gate_app.<locals>.require_login answers "
                "the kit's probe requests (302 to /login): the kit sets that answer aside for "
                "paths under /__conformance__ only"
            ),
        ),
    ),
    CorrectApp(
        "remembering_gate:create_app",
        (
            (
                "the app's before_request tests.apps.remembering_gate.create_app.<locals>"
                ".check_password answers the kit's probe requests (302 to /login/)"
            ),
        ),
    ),
    CorrectApp(
        "login_manager_hook:create_app",
        ("session written by the app's hooks: once, into a session it did not write itself",),
        profile="login_manager_hook.toml",
    ),
    CorrectApp(
        "login_manager_hook:create_app(protection='strong')",
        ("session written by the app's hooks: on every request",),
        profile="login_manager_hook.toml",
    ),
    CorrectApp(
        "session_language:create_app",
        ("session written by the app's hooks: into every new session (lang)",),
    ),
    CorrectApp(
        "own_session_key:create_app",
        ("keys the app keeps in every session: database",),
    ),
    CorrectApp("logout_keeps_extras:create_app", profile="logout_keeps_extras.toml"),
    CorrectApp("friendly_error_pages:create_app"),
]


def run_all(run_cache: RunCache, app: str, *extra: str, profile: str | None = None) -> SpecRun:
    """Every spec against ``tests.apps.<app>``, with the run's header shown."""
    args = [
        str(layout.STEPS_DIR),
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        f"--junitxml={JUNIT}",
        "--flask-app",
        f"tests.apps.{app}",
        *extra,
    ]
    if profile is not None:
        args += ["--conformance-profile", str(APPS_DIR / profile)]
    return run_cache.spec_run(args)


@pytest.mark.parametrize("case", CORRECT, ids=lambda case: case.app)
def test_a_correct_app_has_no_failed_behaviour(
    run_cache: RunCache,
    case: CorrectApp,
) -> None:
    run = run_all(run_cache, case.app, "-p", "no:xdist", profile=case.profile)
    problems = run.named("failed") + run.named("error")
    assert run.status == 0 and not problems, run.summary() + "\n".join(o.text for o in problems)
    assert len(run.named("passed")) > 100, run.summary()
    for words in case.header:
        assert words in run.output, run.output[:3000]


@dataclass(frozen=True)
class BrokenTwin:
    app: str
    markers: str
    #: Words the failures of the broken behaviour say.
    words: str
    min_failed: int
    profile: str | None = None


TWINS = [
    BrokenTwin(
        "csrf_protected:create_app(broken=True)",
        "(W-02 or W-05 or W-09) and not redis-only",
        "Broken behaviour: an unchanged session sends no cookie",
        min_failed=8,
    ),
    BrokenTwin(
        "login_gate:create_app(broken=True)",
        "(W-02 or W-05 or W-09) and not redis-only",
        "Broken behaviour: an unchanged session sends no cookie",
        min_failed=8,
    ),
    BrokenTwin(
        "login_manager_hook:create_app(broken=True)",
        "(W-02 or W-05 or W-09) and not redis-only",
        "Broken behaviour: an unchanged session sends no cookie",
        min_failed=8,
        profile="login_manager_hook.toml",
    ),
    BrokenTwin(
        # Beside the strong protection above: leaving out the bookkeeping a
        # reading request adds still finds a session kept partly on the server.
        "split_store:create_app",
        "SES-01 and myth",
        "Flask's own session is stored entirely in the cookie",
        min_failed=1,
    ),
    BrokenTwin(
        "session_language:create_app(broken=True)",
        "(W-02 or W-05 or W-09) and not redis-only",
        "Broken behaviour: an unchanged session sends no cookie",
        min_failed=4,
    ),
    BrokenTwin(
        "own_session_key:create_app(broken='unsigned')",
        "keys and WSTG-SESS-01",
        "Broken behaviour: a visitor cannot change what their session holds by changing the cookie",
        min_failed=1,
    ),
    BrokenTwin(
        "own_session_key:create_app(broken='ageless')",
        "P-05 or P-06 or P-07",
        "the server checks a session's age itself",
        min_failed=1,
    ),
    BrokenTwin(
        "logout_keeps_extras:create_app(broken=True)",
        "WSTG-SESS-06 and ASVS4-3.3.1 and not ASVS5-7.4.1",
        "after logout the session still holds user_id as at login",
        min_failed=1,
        profile="logout_keeps_extras.toml",
    ),
    BrokenTwin(
        "friendly_error_pages:create_app(broken=True)",
        "E-02 or E-10 or E-11",
        "Broken behaviour: the request ends in a 500 response",
        min_failed=2,
    ),
]


@pytest.mark.parametrize("twin", TWINS, ids=lambda twin: twin.app)
def test_the_broken_twin_still_fails(run_specs: RunSpecs, twin: BrokenTwin) -> None:
    run = run_specs(twin.markers, app=f"tests.apps.{twin.app}", profile=twin.profile)
    naming = [outcome for outcome in run.named("failed") if twin.words in outcome.text]
    assert not run.named("error") and len(naming) >= twin.min_failed, run.summary() + run.output


def test_the_logout_check_passed_the_correct_app_for_the_right_reason(
    run_specs: RunSpecs,
) -> None:
    """The correct app's logout keeps csrf_token, locale and a flash: it passes, it is not skipped."""
    run = run_specs(
        "WSTG-SESS-06 and ASVS4-3.3.1 and not ASVS5-7.4.1",
        app="tests.apps.logout_keeps_extras:create_app",
        profile="logout_keeps_extras.toml",
    )
    assert [o.result for o in run.outcomes] == ["passed"], run.summary() + run.output


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "-n 2"])
def test_a_probe_kept_out_by_middleware_ends_the_run_in_one_line(
    run_cache: RunCache,
    workers: tuple[str, ...],
) -> None:
    """What no before_request answers the kit cannot set aside: it checks the
    hooks, says what it needs and ends with exit status 4, serial or not.

    The @documents-flask scenarios run on the kit's own apps whatever the
    target, so they are left out here: this is about what ran on the app."""
    run = run_all(run_cache, "middleware_gate:create_app", "-m", "not documents-flask", *workers)
    lines = [line for line in run.output.splitlines() if line.startswith("flask-conformance: ")]
    assert run.status == 4, run.output
    assert len(lines) == 1 and "answered 302 to /login by something outside" in lines[0], lines
    # Only the hook checks ran (six of them), and none failed.
    assert 0 < len(run.outcomes) <= 6, run.summary()
    assert all(o.result in ("passed", "skipped") for o in run.outcomes), run.summary()


def test_a_gated_app_ends_the_same_serial_and_under_xdist(
    run_cache: RunCache,
) -> None:
    serial = run_all(run_cache, "login_gate:create_app", "-p", "no:xdist")
    parallel = run_all(run_cache, "login_gate:create_app", "-n", "2")
    assert serial.status == parallel.status == 0, serial.output + parallel.output

    def results(run: SpecRun) -> list[tuple[str, str]]:
        return sorted((o.name, o.result) for o in run.outcomes)

    assert results(serial) == results(parallel)


# -- in one process: what the kit detects ------------------------------------


def _detected(factory: str) -> tuple[Target, capabilities.Capabilities]:
    target = Target(f"tests.apps.{factory}")
    return target, capabilities.detect(target.app(None))


def test_a_one_time_write_by_flask_login_is_told_from_a_write_on_every_request() -> None:
    _, found = _detected("login_manager_hook:create_app")
    assert found.hooks_settle_session and not found.hooks_write_session
    strong = Target("tests.apps.login_manager_hook:create_app")
    app = strong.app(None)
    app.extensions.pop(capabilities.EXTENSION_KEY)
    app.config["SESSION_PROTECTION"] = "strong"  # clears the login keys on every request
    again = capabilities.detect(app)
    assert again.hooks_write_session and not again.hooks_settle_session


def test_a_hook_that_fills_in_a_new_session_once_is_not_one_that_writes_every_request() -> None:
    _, found = _detected("session_language:create_app")
    assert found.new_session_keys == ("lang",)
    assert not found.hooks_write_session and not found.hooks_settle_session


def test_an_app_without_such_hooks_settles_nothing() -> None:
    _, found = _detected("csrf_protected:create_app")
    assert not found.hooks_settle_session and not found.hooks_write_session
    assert found.app_session_keys == ()


def test_the_keys_an_app_keeps_in_every_session_are_learned_over_http() -> None:
    _, found = _detected("own_session_key:create_app")
    assert found.app_session_keys == ("database",)
    assert found.as_words()["keys the app keeps in every session"] == "database"


def test_the_kit_gets_through_csrf_by_exemption_and_says_so() -> None:
    target, _ = _detected("csrf_protected:create_app(every_method=True)")
    app = target.app(None)
    exempted = app.extensions["csrf"]._exempt_blueprints
    assert {bp.name for bp in exempted} == {"_conformance", "nested", "errors"}
    assert target.probe_access is not None and "csrf.exempt" in target.probe_access
    # The app's own pages are as protected as before.
    assert app.test_client().get("/", base_url="https://localhost").status_code == 400


def test_a_gate_still_answers_the_apps_own_pages_and_unknown_urls_under_the_probe_pass() -> None:
    target, _ = _detected("login_gate:create_app")
    client = target.app(None).test_client()
    assert client.get("/", base_url="https://localhost").status_code == 302
    assert client.get("/__conformance__/nested/no-such-page").status_code == 404
    assert client.get("/__conformance__/untouched").status_code == 200
    assert target.probe_blocker is None


def test_what_a_gate_writes_while_turning_a_visitor_away_is_undone_for_the_probe() -> None:
    target, found = _detected("remembering_gate:create_app")
    assert not found.hooks_write_session and not found.hooks_settle_session
    visitors = Visitors(target.app(None))
    visitors["Alice"].store("colour", "blue")
    assert visitors["Alice"].read_session()["keys"] == ["colour"]  # no flash, no next_url
    untouched = visitors["Alice"].visit_untouched_page()
    assert untouched.set_cookies == []
    # What the gate read stays read: it reads the session for every visitor.
    assert "cookie" in (untouched.header("Vary") or "").lower()
