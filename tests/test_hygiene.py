"""The hook hygiene checks fail on apps whose hooks break Flask's contracts.

Each case runs the ``@hygiene`` scenarios of one check in a subprocess against
a known-bad app in ``tests/apps`` and asserts the failure names the function
and the fix; the same selection passes on the reference app (and, for the
checks the reference app cannot show, on a correct login-gate app).

An app-wide login gate that redirects anonymous visitors is correct Flask. It
also answers the kit's own probe requests; the kit sets that answer aside for
its own paths only, so every spec runs, and the checks here still judge the
gate on the app's own pages.
"""

from __future__ import annotations

import sys
from importlib.metadata import version

import pytest
from packaging.version import Version

from tests.runcache import RunCache

from .known_bad import BrokenApp, RunSpecs

#: Flask 3.1.3 marks the session accessed for `in` and len() too (W-07).
IN_MARKS_THE_SESSION_ACCESSED = Version(version("flask")) >= Version("3.1.3")

CASES = [
    BrokenApp(
        app="teardown_no_param",
        markers="hygiene and E-08",
        words=(
            (
                "the teardown_appcontext function tests.apps.teardown_no_param.create_app.<locals>"
                ".teardown_db() cannot take the exception argument"
            ),
            "write it as def teardown_db(exc):",
        ),
    ),
    BrokenApp(
        app="bad_url_preprocessor",
        markers="hygiene and H-09",
        words=(
            (
                "the url_value_preprocessor function tests.apps.bad_url_preprocessor.create_app"
                ".<locals>.pull_lang_code"
            ),
            "cannot take (endpoint, values)",
            "write it as def pull_lang_code(endpoint, values):",
        ),
    ),
    BrokenApp(
        app="bad_url_preprocessor",
        factory="create_app(testing=False)",
        markers="hygiene and H-09",
        words=("pull_lang_code", "write it as def pull_lang_code(endpoint, values):"),
    ),
    BrokenApp(
        app="fragile_teardown",
        markers="hygiene and E-07",
        words=(
            (
                "the teardown_appcontext function tests.apps.fragile_teardown.create_app.<locals>"
                ".close_db raised AttributeError"
            ),
            "a request that stored nothing on g",
            "g.pop('name', None)",
        ),
    ),
    BrokenApp(
        # The unknown URL gets the login page with 200, the stylesheet too.
        app="article_gate",
        markers="hygiene and H-08",
        words=(
            (
                "the app's before_request flask_conformance.drive.article_apps.article_gate_app.<locals>"
                ".before_request answered GET"
            ),
            "with 200 itself",
        ),
        min_failed=2,
    ),
    BrokenApp(
        app="article_gate",
        markers="hygiene and H-06 and not H-08",
        words=(
            "a login gate must let the login page through",
            "answered GET /login with 200 itself, so the login view never ran",
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.app}: {case.markers}")
def test_a_broken_hook_fails_its_check(run_specs: RunSpecs, case: BrokenApp) -> None:
    run = run_specs(case.markers, app=case.import_string)
    failed = run.named("failed")
    report = f"-m {case.markers!r} on {case.import_string}:\n{run.summary()}\n{run.output}"
    assert not run.named("error"), report
    assert len(failed) >= case.min_failed and not run.named("passed"), report
    for outcome in failed:
        missing = [words for words in case.words if words not in outcome.text]
        assert not missing, f"{outcome.name} did not say {missing!r}:\n{outcome.text}"


@pytest.mark.parametrize("markers", sorted({case.markers for case in CASES}))
def test_the_same_checks_pass_on_the_reference_app(run_specs: RunSpecs, markers: str) -> None:
    run = run_specs(None).selected(markers)  # one run of every spec, shared
    assert run.named("passed") and not run.named("failed") + run.named("error"), run.summary()


def test_a_correct_login_gate_passes_every_hook_check(run_specs: RunSpecs) -> None:
    run = run_specs("hygiene", app="tests.apps.login_gate:create_app")
    assert [o.result for o in run.outcomes] == ["passed"] * 6, run.summary() + run.output


def test_a_login_gate_lets_every_spec_run_and_is_still_judged_on_the_apps_pages(
    run_cache: RunCache,
) -> None:
    from flask_conformance import layout

    result = run_cache.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(layout.STEPS_DIR),
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "--flask-app",
            "tests.apps.login_gate:create_app",
        ],
    )
    output = result.stdout
    assert result.returncode == 0 and "deselected" not in output, output
    gate = "flask_conformance.drive.article_apps.redirecting_gate_app.<locals>.require_login"
    access = [line for line in output.splitlines() if line.startswith("  probe access: ")]
    assert len(access) == 1 and f"the app's before_request {gate} answers" in access[0], output
    assert not [line for line in output.splitlines() if line.startswith("flask-conformance: ")]
    # The hook trace still shows the gate answering the app's own page.
    assert "GET / (an ordinary page) -> 302 to /login?next=/" in output, output


def test_a_seed_gate_fails_the_hook_checks_and_the_other_specs_still_run(
    run_specs: RunSpecs,
) -> None:
    run = run_specs("not journey", app="tests.apps.article_gate:create_app")
    failed = {outcome.name for outcome in run.named("failed")}
    hygiene = {
        "test_a_url_that_no_route_matches_still_gets_a_404_not_a_page",
        "test_static_files_get_past_the_apps_before_request_functions",
        "test_the_login_page_gets_past_the_apps_before_request_functions",
    }
    assert run.status == 1 and hygiene <= failed, run.summary()
    # The other failure is the article's own cookie: it sets no Secure attribute.
    assert failed - hygiene == {
        "test_the_cookie_is_only_ever_sent_over_https[cookie-session cookie]"
    }
    assert len(run.named("passed")) > 100, run.summary()


def test_an_app_hook_that_reads_the_session_makes_no_vary_not_applicable(
    run_specs: RunSpecs,
) -> None:
    run = run_specs("W-09 and not redis-only", app="tests.apps.session_reading_hook:create_app")
    skipped = run.named("skipped")
    assert skipped and not run.named("failed") + run.named("error"), run.summary() + run.output
    reasons = " ".join(o.text for o in skipped)
    assert (
        "not applicable: the app's own hook tests.apps.session_reading_hook.create_app.<locals>"
        ".load_logged_in_user reads the session on every request" in reasons
    ), reasons


def test_a_catch_all_route_makes_the_unknown_page_and_no_vary_not_applicable(
    run_specs: RunSpecs,
) -> None:
    """Issue 10 (An Otter Wiki): a wiki's /<path:path> route answers every URL, and
    Flask-Login's after_request reads the session; neither is the app's defect."""
    run = run_specs(
        "H-17 or (W-09 and not redis-only)", app="tests.apps.catch_all_route:create_app"
    )
    skipped = run.named("skipped")
    assert not run.named("failed") + run.named("error"), run.summary() + run.output
    reasons = " ".join(o.text for o in skipped)
    route = "the app's own route /<path:path> matches /__conformance__/nested/no-such-page"
    assert route in reasons, reasons
    hook = "flask_login.login_manager.LoginManager._update_remember_cookie reads the session"
    if IN_MARKS_THE_SESSION_ACCESSED:
        assert hook in reasons, reasons
    else:
        # Flask-Login asks `"_remember" in session`, which adds no Vary before
        # Flask 3.1.3 (W-07): there the scenario runs, and holds.
        assert any("no_cookie_and_no_vary" in o.name for o in run.named("passed")), run.summary()


def test_a_broken_twin_without_a_catch_all_route_still_fails_them(
    run_specs: RunSpecs,
) -> None:
    """Its 404s redirect and it adds Vary: Cookie with no hook reading the session."""
    run = run_specs(
        "H-17 or (W-09 and not redis-only)", app="tests.apps.catch_all_route:create_broken_app"
    )
    failed = " ".join(o.text for o in run.named("failed"))
    assert "the request ends in a 404 response" in failed, run.summary() + run.output
    assert "responses that depend on the session say so with Vary: Cookie" in failed, failed


def test_errors_of_an_app_without_testing_are_found_as_500s(run_specs: RunSpecs) -> None:
    # SES-05 expects RuntimeError, H-07 TypeError: here they are 500 pages.
    run = run_specs(
        "(SES-05 or H-07) and not redis-only", app="tests.apps.session_reading_hook:create_app"
    )
    assert len(run.named("passed")) >= 2 and not run.named("failed") + run.named("error"), (
        run.summary() + run.output
    )
