"""Checks that have nothing to do with permanence run on every app.

``@session-left-alone`` scenarios are not applicable on an app whose sessions
are all permanent or written by its hooks. Three checks once shared that tag
only because they also said "no cookie was sent": an altered or re-signed
cookie gives an empty session (K-01), the server checks a cookie's age to the
second (P-05), ``pop`` without a default raises KeyError (M-08). Each is now
split: its core runs on such apps, and only the "no cookie" part does not.
"""

from __future__ import annotations

import pytest

from flask_conformance import layout

from .runcache import JUNIT, RunCache
from .running import SpecRun


def run_specs(run_cache: RunCache, markers: str, app: str) -> SpecRun:
    command = [str(layout.STEPS_DIR), "-q", "-p", "no:randomly"]
    command += ["-p", "no:cacheprovider", "-rs", "-m", markers, "--flask-app", app]
    return run_cache.spec_run([*command, f"--junitxml={JUNIT}"])


@pytest.mark.parametrize(
    "app",
    [
        "tests.apps.always_permanent:permanent_by_hook",
        "tests.apps.always_permanent:flask_session_default",
    ],
)
def test_the_core_checks_run_on_apps_whose_every_session_is_permanent(
    run_cache: RunCache, app: str
) -> None:
    core = run_specs(run_cache, "(K-01 or M-08 or P-05) and not session-left-alone", app)
    assert core.status == 0, core.output
    names = [outcome.name for outcome in core.named("passed")]
    assert any("did_not_sign" in name for name in names), core.summary()
    assert any("raises_keyerror" in name for name in names), core.summary()
    if app.endswith("permanent_by_hook"):  # cookie sessions: the signature's age, to the second
        assert any("to_the_second" in name for name in names), core.summary()
    skipped = [outcome for outcome in core.named("skipped") if "permanent" in outcome.text]
    assert not skipped, core.summary()

    no_cookie = run_specs(run_cache, "(K-01 or M-08) and session-left-alone", app)
    assert no_cookie.named("skipped") and not no_cookie.named("passed"), no_cookie.summary()
    assert all("not applicable" in outcome.text for outcome in no_cookie.named("skipped"))


@pytest.mark.parametrize(
    ("app", "words"),
    [
        ("tests.apps.permanent_and_broken:unchecked", "the session is empty"),
        ("tests.apps.permanent_and_broken:ageless", "the server checks a session's age itself"),
    ],
)
def test_a_permanent_app_that_breaks_a_core_check_fails_it(
    run_cache: RunCache, app: str, words: str
) -> None:
    run = run_specs(run_cache, "(K-01 or P-05) and not session-left-alone", app)
    assert run.status == 1, run.output
    assert any(words in outcome.text for outcome in run.named("failed")), run.summary()
