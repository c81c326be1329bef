"""Each journey feature fails on an app that breaks it and passes on one that
does not.

Like tests/test_known_bad_apps.py, every case runs the journey scenarios in a
subprocess, exactly as a user would (``pytest steps --flask-app ...
--conformance-profile ...``), and reads each scenario's outcome from the JUnit
report. Scenarios are picked by ``-m journey`` and a ``-k`` keyword from the
scenario's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from flask_conformance import layout

from .runcache import JUNIT, RunCache
from .running import SpecRun, junit_args

APPS_DIR = Path(__file__).resolve().parent / "apps"
PROFILE = "journey_app.toml"


@pytest.fixture
def run_journeys(run_cache: RunCache):  # type: ignore[no-untyped-def]
    """Run the journey scenarios named by ``keyword`` against ``app``, once per session.

    From the repository root, without ``REDIS_URL`` (:func:`running.clean_env`).
    """

    def run(app: str, keyword: str, profile: Path | None, *extra: str) -> SpecRun:
        args = [str(layout.STEPS_DIR), "-m", "journey", "-k", keyword, "-p", "no:randomly"]
        args += ["-p", "no:cacheprovider", "-p", "no:xdist", "-q", *junit_args(JUNIT)]
        args += ["--flask-app", f"tests.apps.{app}", *extra]
        if profile is not None:
            args += ["--conformance-profile", str(profile)]
        return run_cache.spec_run(args)

    return run


@dataclass(frozen=True)
class Journey:
    """One journey behaviour, an app that keeps it and one that breaks it."""

    keyword: str
    good: str
    bad: str
    #: Words the failure must say.
    words: tuple[str, ...]
    profile: str = PROFILE


CASES = [
    Journey(
        keyword="lasts_for_the_requests",
        good="journey_app:create_app()",
        bad='journey_app:create_app("forgets_login")',
        words=("Broken behaviour: a login lasts for the requests that follow it", "visit 1"),
    ),
    Journey(
        keyword="deletes_the_session_cookie_or_leaves_no_identity",
        good="journey_app:create_app()",
        bad="wrong_logout:create_app",
        words=(
            (
                "Broken behaviour: logging out deletes the session cookie or leaves a session "
                "that no longer says who the user is"
            ),
            "after logout the session still holds user_id as at login",
        ),
        profile="wrong_logout.toml",
    ),
    Journey(
        keyword="copied_before_logout_is_worthless",
        good='journey_app:create_app(store="redis")',
        bad='journey_app:create_app("logout_keeps_session", store="redis")',
        words=(
            "Broken behaviour: logging out ends the session on the server (redis sessions)",
            "it let Mallory in as Alice",
        ),
    ),
    Journey(
        keyword="mallory_planted or new_id",
        good='journey_app:create_app(store="redis")',
        bad='journey_app:create_app("keeps_planted_id")',
        words=("(session fixation)", "regenerate(session)"),
    ),
    Journey(
        keyword="left_alone",
        good="journey_app:create_app()",
        bad='journey_app:create_app("no_age_check")',
        words=(
            "Broken behaviour: the server itself ends a session after the app's lifetime",
            "the session has no server-side age check",
        ),
    ),
    Journey(
        keyword="copied_before_logout_does_not_log_anyone_in",
        good="remember_app:create_app()",
        bad="remember_app:create_app(revoke=False)",
        words=(
            "Broken behaviour: logging out ends remember-me on the server",
            "whose browser holds only Alice's 'remember_token' cookie",
            "alternative tokens",
        ),
    ),
    Journey(
        keyword="the_rememberme_cookie_does_not_log",
        good="remember_app:create_app()",
        bad="remember_app:create_app(broken=True)",
        words=(
            "Broken behaviour: logging out also ends remember-me",
            "the 'remember_token' cookie was still in the browser",
            "flask_login.logout_user()",
        ),
    ),
    # An app that remembers every login (changedetection.io's): no [login] remember
    # fields, and the plain login's remember cookie is the one to check.
    Journey(
        keyword="the_rememberme_cookie_does_not_log",
        good="always_remembered:create_app()",
        bad="always_remembered:create_app(broken=True)",
        words=(
            "Broken behaviour: logging out also ends remember-me",
            "the 'remember_token' cookie was still in the browser",
        ),
        profile="always_remembered.toml",
    ),
    # Its remember cookie logs Alice back in after her session cookie was spoiled,
    # and its login page sends her on to the dashboard: the kit reads the CSRF
    # token where a browser lands. The twin's login page crashes on such a cookie.
    Journey(
        keyword="spoiled",
        good="always_remembered:create_app()",
        bad="always_remembered:create_app(refuses_spoiled=True)",
        words=("The app raised RuntimeError", "while answering GET /login"),
        profile="always_remembered.toml",
    ),
    Journey(
        keyword="has_not_logged_in_sees_nothing",
        good="journey_app:create_app()",
        bad='journey_app:create_app("global_user")',
        words=(
            "Broken behaviour: each visitor's session is their own",
            "it answered 200 showing 'Welcome, alice'",
        ),
    ),
    # Bob starts logged in (his login restored), Alice logs in within the
    # scenario: what her login leaves on the server must still reach him.
    Journey(
        keyword="another_user_never_sees_alices_identity",
        good="journey_app:create_app()",
        bad='journey_app:create_app("last_login_wins")',
        words=(
            "Broken behaviour: each visitor's session is their own",
            "without greeting Bob and showed 'Welcome, alice'",
        ),
    ),
]


def _ids(case: Journey) -> str:
    return f"{case.keyword}-{case.bad.partition(':')[0]}"


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_the_broken_app_fails(run_journeys, case: Journey) -> None:  # type: ignore[no-untyped-def]
    if "remember" in case.good:
        pytest.importorskip("flask_login")
    run = run_journeys(case.bad, case.keyword, APPS_DIR / case.profile)
    summary = f"{case.keyword} on {case.bad}:\n{run.summary()}\n{run.output[-2000:]}"
    failed = run.named("failed")
    assert failed and not run.named("error") and not run.named("passed"), summary
    for outcome in failed:
        missing = [words for words in case.words if words not in outcome.text]
        assert not missing, f"{outcome.name} did not say {missing!r}:\n{outcome.text}"


#: The correct apps, each with every journey it must pass, in one run per app.
GOOD_RUNS = {
    (case.good, case.profile): " or ".join(
        f"({other.keyword})"
        for other in CASES
        if (other.good, other.profile) == (case.good, case.profile)
    )
    for case in CASES
}


@pytest.mark.parametrize(("good", "keywords"), GOOD_RUNS.items(), ids=[g for g, _ in GOOD_RUNS])
def test_the_correct_apps_pass(  # type: ignore[no-untyped-def]
    run_journeys, good: tuple[str, str], keywords: str
) -> None:
    app, profile = good
    if "remember" in app:
        pytest.importorskip("flask_login")
    run = run_journeys(app, keywords, APPS_DIR / profile)
    summary = f"{keywords} on {app}:\n{run.summary()}\n{run.output[-2000:]}"
    expected = sum(1 for case in CASES if (case.good, case.profile) == good)
    assert len(run.named("passed")) >= expected, summary
    assert not run.named("failed") and not run.named("error"), summary


ABSOLUTE_HOUR = """
[config]
PERMANENT_SESSION_LIFETIME = 3600

[expiry]
absolute = "1 hour"
"""


@pytest.mark.parametrize(
    ("app", "passes"),
    [
        # Written once at login, the session's one-hour lifetime is absolute.
        ("journey_app:create_app()", True),
        # Flask-Session writes the session again on every request: it never ends.
        ('journey_app:create_app(store="redis")', False),
    ],
)
def test_a_stated_absolute_lifetime_is_enforced(  # type: ignore[no-untyped-def]
    run_journeys, tmp_path: Path, app: str, passes: bool
) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text((APPS_DIR / PROFILE).read_text() + ABSOLUTE_HOUR, encoding="utf-8")
    run = run_journeys(app, "constant_use", profile)
    summary = f"{app}:\n{run.summary()}\n{run.output[-2000:]}"
    if passes:
        assert run.named("passed") and not run.named("failed"), summary
        return
    [failure] = run.named("failed")
    assert "Broken behaviour: a session ends after the app's absolute lifetime" in failure.text
    assert "Alice was still logged in after 1:00:00" in failure.text


@pytest.mark.parametrize(
    ("app", "keyword", "words"),
    [
        (
            # A signed cookie cannot be revoked: warned, with the remedies.
            "journey_app:create_app()",
            "copied_before_logout_is_worthless",
            (
                "Flask's signed-cookie sessions cannot be revoked",
                "Remedies: keep sessions server-side (Flask-Session)",
                '"not before" time',
                "per-user signing key",
            ),
        ),
        (
            # No absolute lifetime stated and none enforced: warned.
            'journey_app:create_app(store="redis")',
            "constant_use",
            (
                "Alice's session never ended while she kept using the app",
                "Flask-Session writes the session to its store again on every request",
                "[expiry] absolute",
            ),
        ),
    ],
)
def test_structural_risks_are_warnings(  # type: ignore[no-untyped-def]
    run_journeys, app: str, keyword: str, words: tuple[str, ...]
) -> None:
    profile = APPS_DIR / PROFILE
    warned = run_journeys(app, keyword, profile, "-rA")
    assert warned.named("passed") and not warned.named("failed"), warned.summary()
    strict = run_journeys(app, keyword, profile, "--conformance-strict")
    [failure] = strict.named("failed")
    assert "Warning treated as a failure (--strict)" in failure.text
    missing = [text for text in words if text not in failure.text]
    assert not missing, f"the warning did not say {missing!r}:\n{failure.text}"


def test_without_a_profile_journeys_are_not_applicable(run_journeys) -> None:  # type: ignore[no-untyped-def]
    run = run_journeys("journey_app:create_app()", "not nothing", None)
    skipped = run.named("skipped")
    # The documented logout race runs on the kit's own app, on its two backends.
    documented = [o for o in run.outcomes if "on_flasks_own_sessions" in o.name]
    assert [o.result for o in documented] == ["passed", "passed"], run.summary()
    assert skipped and len(skipped) == len(run.outcomes) - 2, run.summary()
    for outcome in skipped:
        if "rememberme" in outcome.name:  # @flask-login: this app has no Flask-Login at all
            assert "not applicable: the app does not use Flask-Login" in outcome.text
            continue
        assert "not applicable: no journey profile" in outcome.text, outcome.text
        assert "--profile FILE" in outcome.text and "[tool.flask-conformance]" in outcome.text


def test_remember_me_is_not_applicable_without_flask_login(run_journeys) -> None:  # type: ignore[no-untyped-def]
    run = run_journeys("journey_app:create_app()", "rememberme", APPS_DIR / PROFILE)
    assert len(run.outcomes) == 2, run.summary()  # replayed by Alice, and copied by Mallory
    for outcome in run.outcomes:
        assert outcome.result == "skipped"
        assert "not applicable: the app does not use Flask-Login" in outcome.text
