"""The specs fail on apps that break the behaviour they state.

A spec that passes on every app proves nothing. Each case below points the kit
at one of the small apps in ``tests/apps`` (each breaks one Flask behaviour on
purpose), runs the scenarios that state that behaviour in a subprocess, exactly
as a user would (``pytest steps --flask-app ...``), and checks that

- the scenarios fail, and none errors in the kit instead;
- every failure says in plain words which behaviour broke;
- the same selection passes on the bundled reference app, so the failure comes
  from the broken app and not from the spec.

Scenarios are selected by their behaviour-ID markers, not their names, so that
rewording a scenario does not break these tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from flask_conformance import layout

from .running import REPO_ROOT, RUN_TIMEOUT, SpecRun, junit_args, read_junit

APPS_DIR = Path(__file__).resolve().parent / "apps"


@dataclass(frozen=True)
class BrokenApp:
    """One known-bad app and the scenarios it must fail."""

    #: Module in ``tests/apps``.
    app: str
    #: ``-m`` expression selecting the scenarios that state the broken behaviour.
    markers: str
    #: Words every failure's message must contain, naming the broken behaviour.
    words: tuple[str, ...]
    #: How many of the selected scenarios must fail, at least.
    min_failed: int = 1
    #: True when every selected scenario that runs must fail; False when the
    #: selection also holds scenarios this app does not break.
    all_fail: bool = True
    #: Journey profile beside the app, for ``@journey`` scenarios.
    profile: str | None = None
    #: The factory call, as ``flask --app`` takes it after the colon.
    factory: str = "create_app"

    @property
    def import_string(self) -> str:
        return f"tests.apps.{self.app}:{self.factory}"


# The words are taken from the "Broken behaviour:" line of steps/checks.expect
# or from flask_conformance.browser.AppRaisedError's explanation.
CASES = [
    BrokenApp(
        # The outlines' "accepts" rows (inside the lifetime) hold on this app too.
        app="no_max_age",
        markers="P-05 or P-06",
        words=("Broken behaviour: ", "(P-0", "P-06"),
        min_failed=4,
        all_fail=False,
    ),
    BrokenApp(
        app="no_max_age",
        markers="(P-07 or P-08) and not redis-only",
        words=("Broken behaviour: on cookie sessions: the signature",),
        min_failed=2,
    ),
    BrokenApp(
        # The G-01 scenario that counts teardowns holds even with a shared g.
        app="leaky_g",
        markers="G-01 and not H-13",
        words=("Broken behaviour: ", "G-01"),
        min_failed=2,
    ),
    BrokenApp(
        # The @contexts scenarios push app contexts themselves, outside the
        # kit's browser, so Flask's bare TypeError reaches them unexplained.
        app="teardown_no_param",
        markers="g and not contexts",
        words=(
            "The app raised TypeError",
            "must accept the exception argument, e.g. def teardown_db(exc):",
            "E-08",
        ),
        min_failed=5,
    ),
    BrokenApp(
        # The myths' hook scenarios run the seed article's own apps, not the target;
        # the hygiene checks of the same hook are tests/test_hygiene.py's.
        app="bad_url_preprocessor",
        markers="hooks and not myth and not hygiene",
        words=("The app raised TypeError", "must accept (endpoint, values)", "H-09"),
        min_failed=5,
    ),
    BrokenApp(
        # Without TESTING the TypeError becomes a 500 page; the probe's record of
        # the exception still names the broken hook.
        app="bad_url_preprocessor",
        factory="create_app(testing=False)",
        markers="hooks and not myth and not hygiene",
        words=("must accept (endpoint, values)", "H-09"),
        min_failed=5,
    ),
    BrokenApp(
        # "Another user never sees Alice's identity" holds even when logout is broken;
        # the journey features of features/journeys/ have their own pairs of apps.
        app="wrong_logout",
        markers="journey and logout and not backend-difference",
        words=("Broken behaviour: after logout the protected pages no longer admit the user",),
        all_fail=False,
        profile="wrong_logout.toml",
    ),
    BrokenApp(
        # Garbage and an emptied cookie hold no payload to trust, so they pass.
        app="unchecked_signature",
        markers="K-01",
        words=("Broken behaviour: the session is empty",),
        min_failed=4,
        all_fail=False,
    ),
    BrokenApp(
        # Only the rewritten payload gets through: the other alterations break it.
        app="unsigned_session",
        markers="K-01",
        words=("Broken behaviour: the session is empty",),
        all_fail=False,
    ),
    BrokenApp(
        # The other persistence scenarios hold: the app writes, deletes and
        # varies the cookie as Flask does; only the sessions mix.
        app="shared_session",
        markers="persistence and not backend-difference",
        words=(
            "Broken behaviour: a session keeps what was stored in it for the visitor's next request",
        ),
        all_fail=False,
    ),
    BrokenApp(
        app="always_writes",
        markers="W-02 or W-05 or W-09",
        words=("Broken behaviour: an unchanged session sends no cookie",),
        min_failed=10,
    ),
    BrokenApp(
        # W-01 and W-02 together tag "reading sends no cookie", which no_vary keeps.
        app="no_vary",
        markers="W-07 or (W-01 and not W-02)",
        words=("Broken behaviour: responses that depend on the session say so with Vary: Cookie",),
        # Before Flask 3.1.3, in/len/bool add no Vary: their "varies" rows are
        # skipped and their "does not vary" rows rightly pass on this app.
        min_failed=4,
        all_fail=False,
    ),
    BrokenApp(
        # Its cookie keeps Domain, Path, Secure and HttpOnly, and "no SameSite" holds.
        app="hand_rolled_cookie",
        markers="CK-03 or CK-06 or CK-09",
        words=("Broken behaviour: ", "(CK-0"),
        # 3 SameSite rows and the deletion; Partitioned too on Flask 3.1.
        min_failed=4,
        all_fail=False,
    ),
    BrokenApp(
        # P-09's outline is tagged W-08 as well: the refresh itself is sent.
        app="hand_rolled_cookie",
        markers="W-08 and not P-09",
        words=("Broken behaviour: responses that depend on the session say so with Vary: Cookie",),
    ),
    BrokenApp(
        # Its login, too, writes into the NullSession and fails.
        app="refuses_spoiled_cookie",
        markers="K-08",
        words=("Broken behaviour: ", "RuntimeError: The session is unavailable"),
        min_failed=6,
        profile="login_app.toml",
    ),
]


@dataclass(frozen=True)
class BrokenFlask:
    """A Flask broken in one place (``tests/plugins/broken_flask.py``), where
    no app could break it, and the scenarios it must fail on the reference app."""

    #: The breakage, a key of ``tests.plugins.broken_flask.BREAKAGES``.
    breakage: str
    markers: str
    words: tuple[str, ...]
    min_failed: int = 1
    all_fail: bool = True


FLASK_CASES = [
    BrokenFlask(
        # The other E-02 scenarios use Flask's own 500 page.
        breakage="no-500-handler",
        markers="E-02",
        words=("Broken behaviour: ", "registered for it (E-02)"),
        all_fail=False,
    ),
    BrokenFlask(
        breakage="unhandled-errors-unlogged",
        markers="E-02",
        words=("Broken behaviour: in production Flask logs an unhandled error",),
        all_fail=False,
    ),
    BrokenFlask(
        breakage="blueprint-handlers-everywhere",
        markers="E-09",
        words=("Broken behaviour: ", "only errors raised in requests to that blueprint (E-09)"),
    ),
    BrokenFlask(
        breakage="http-error-handlers-skipped",
        markers="E-01 and E-05",
        words=("Broken behaviour: ", "registered for its code (E-01, E-05)"),
    ),
    BrokenFlask(
        breakage="routing-redirects-lost",
        markers="E-12",
        words=("Broken behaviour: ", "redirected by Flask's routing itself"),
    ),
    BrokenFlask(
        breakage="made-responses-lost",
        markers="E-13",
        words=("Broken behaviour: abort() with a response sends that response as it is",),
    ),
    BrokenFlask(
        breakage="finishing-500-raises",
        markers="E-06",
        words=("Broken behaviour: the request ends in a 500 response",),
    ),
    BrokenFlask(
        breakage="finishing-500-silent",
        markers="E-06",
        words=("Broken behaviour: ", "is logged, and the 500 still goes out (E-06)"),
    ),
    BrokenFlask(
        # The rows in which nothing is trapped hold on this Flask.
        breakage="trap-nothing",
        markers="E-10 or E-11",
        words=("Broken behaviour: ", "(E-10, E-11)"),
        min_failed=5,
        all_fail=False,
    ),
    BrokenFlask(
        # Only Flask's cookie sessions are broken; the redis runs hold.
        breakage="emptied-session-written-again",
        markers="W-04 or M-01",
        words=("Broken behaviour: an emptied session deletes the cookie",),
        min_failed=3,
        all_fail=False,
    ),
    BrokenFlask(
        # On both backends: Flask-Session asks the same getters.
        breakage="cookie-getters-answer-none",
        markers="CK-03 or CK-09",
        words=("Broken behaviour: the session cookie carries the attributes the app configured",),
        min_failed=8,
        all_fail=False,
    ),
    BrokenFlask(
        # The NullSession is still empty and unchanged: only the Vary gives it away.
        breakage="null-session-saved",
        markers="SES-04",
        words=("Broken behaviour: without a secret key on cookie sessions",),
        all_fail=False,
    ),
    BrokenFlask(
        # Only Flask's cookie sessions use the tagged serializer; redis runs hold.
        breakage="nested-values-untagged",
        markers="J-05",
        words=("Broken behaviour: what a ", "on cookie sessions"),
        min_failed=2,
        all_fail=False,
    ),
    BrokenFlask(
        # The rows that set _permanent themselves hold.
        breakage="permanent-by-default",
        markers="P-01",
        words=("Broken behaviour: session.permanent reads the session's _permanent key",),
        min_failed=2,
        all_fail=False,
    ),
    BrokenFlask(
        # A message shown once waits in the session all the same.
        breakage="flashes-kept",
        markers="M-11",
        words=("Broken behaviour: ", "shows it, once (M-11)"),
        min_failed=2,
        all_fail=False,
    ),
]


def _case_id(case: object) -> str:
    if isinstance(case, BrokenFlask):
        return f"broken Flask {case.breakage}: {case.markers}"
    return f"{case.app}: {case.markers}" if isinstance(case, BrokenApp) else str(case)


#: Every selection above, once: each must pass on the reference app.
SELECTIONS = sorted(
    {(case if isinstance(case, BrokenApp) else case.values[0]).markers for case in CASES}
    | {case.markers for case in FLASK_CASES}
)


RunSpecs = Callable[..., SpecRun]


@pytest.fixture
def run_specs(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> RunSpecs:
    """Run the specs in a subprocess from the repository root.

    The root is the working directory so that ``tests.apps`` imports (the kit
    puts the working directory first on ``sys.path``, as ``flask --app``
    does). ``REDIS_URL`` is dropped so that the reference app uses fakeredis.
    """
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.delenv("REDIS_URL", raising=False)

    def run(
        markers: str,
        app: str | None = None,
        profile: str | None = None,
        broken_flask: str | None = None,
    ) -> SpecRun:
        """Run the scenarios selected by ``markers`` against ``app`` (an import
        string), on a Flask with the ``broken_flask`` breakage if one is named."""
        report = pytester.path / "report.xml"
        args = [
            str(layout.STEPS_DIR),
            "-m",
            markers,
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-q",
            *junit_args(report),
        ]
        if app is not None:
            args += ["--flask-app", app]
        if profile is not None:
            args += ["--conformance-profile", str(APPS_DIR / profile)]
        if broken_flask is not None:
            monkeypatch.setenv("BROKEN_FLASK", broken_flask)
            args += ["-p", "tests.plugins.broken_flask"]
        result = pytester.runpytest_subprocess(*args, timeout=RUN_TIMEOUT)
        output = result.stdout.str() + result.stderr.str()
        assert report.is_file(), f"the spec run wrote no report:\n{output}"
        return SpecRun(read_junit(report), output, result.ret)

    return run


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_known_bad_app_fails_the_specs(run_specs: RunSpecs, case: BrokenApp) -> None:
    run = run_specs(case.markers, app=case.import_string, profile=case.profile)
    expect_named_failures(run, case, f"-m {case.markers!r} on {case.import_string}")


@pytest.mark.parametrize("case", FLASK_CASES, ids=_case_id)
def test_broken_flask_fails_the_specs(run_specs: RunSpecs, case: BrokenFlask) -> None:
    run = run_specs(case.markers, broken_flask=case.breakage)
    expect_named_failures(
        run, case, f"-m {case.markers!r} on the reference app, Flask broken by {case.breakage}"
    )


def expect_named_failures(run: SpecRun, case: BrokenApp | BrokenFlask, what: str) -> None:
    """The run failed the case's scenarios, each naming the broken behaviour."""
    failed, passed = run.named("failed"), run.named("passed")
    report = f"{what}:\n{run.summary()}"
    assert not run.named("error"), (
        f"scenarios errored in setup instead of failing:\n{report}\n{run.output}"
    )
    assert len(failed) >= case.min_failed, (
        f"expected at least {case.min_failed} failures:\n{report}\n{run.output}"
    )
    if case.all_fail:
        assert not passed, f"these scenarios passed where they are broken:\n{report}"
    for outcome in failed:
        missing = [words for words in case.words if words not in outcome.text]
        assert not missing, (
            f"{outcome.name} failed without saying {missing!r}; its message was:\n{outcome.text}"
        )


@pytest.mark.parametrize("markers", SELECTIONS)
def test_the_same_scenarios_pass_on_the_reference_app(run_specs: RunSpecs, markers: str) -> None:
    run = run_specs(markers)
    report = f"-m {markers!r} on the reference app:\n{run.summary()}"
    assert run.named("passed"), f"the selection ran nothing:\n{report}\n{run.output}"
    problems = run.named("failed") + run.named("error")
    assert not problems, f"the reference app fails:\n{report}\n" + "\n".join(
        o.text for o in problems
    )
