"""The specs fail on apps that break the behaviour they state.

A spec that passes on every app proves nothing. Each case below points the kit
at one of the small apps in ``tests/apps`` (each breaks one Flask behaviour on
purpose), runs the scenarios that state that behaviour in a subprocess, exactly
as a user would (``pytest steps --flask-app ...``), and checks that

- the scenarios fail, and none errors in the kit instead;
- every failure says in plain words which behaviour broke;
- the same selection passes on the bundled reference app, so the failure comes
  from the broken app and not from the spec
  (``test_reference_app_passes_known_bad_selections.py``).

Some behaviours live in Flask's own code, where no app can break them: the
signals Flask sends, ``has_app_context()``, what a copied request context
carries (a case names a breakage of ``tests/plugins/broken_flask.py``, which
changes Flask itself for the run as a mutant would), and the setup guard, the
closing of a request's files, the merging of a blueprint's hooks (the cases
of ``test_patched_flask.py`` run their scenarios on the reference app under a
Flask patched by ``tests/plugins/patched_flask.py``).

Scenarios are selected by their behaviour-ID markers, not their names, so that
rewording a scenario does not break these tests. The module is one table, a
row per app (or broken Flask) and selection, grouped by behaviour; what the
rows share is in ``tests/known_bad.py``.
"""

from __future__ import annotations

import pytest

from .known_bad import (
    BrokenApp,
    RunSpecs,
    case_id,
    expect_named_failures,
)

# The words are taken from the "Broken behaviour:" line of steps/checks.expect
# or from flask_conformance.drive.browser.AppRaisedError's explanation.
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
        # The myths' hook scenarios, and the others that document Flask, run on
        # apps the kit builds, not the target; the hygiene checks of the same
        # hook are tests/test_hygiene.py's. Refusing setup after a request
        # (@setup) holds on this app, whose requests end in a TypeError.
        app="bad_url_preprocessor",
        markers="hooks and not myth and not hygiene and not documents-flask and not setup",
        words=("The app raised TypeError", "must accept (endpoint, values)", "H-09"),
        min_failed=5,
    ),
    BrokenApp(
        # Without TESTING the TypeError becomes a 500 page; the probe's record of
        # the exception still names the broken hook.
        app="bad_url_preprocessor",
        factory="create_app(testing=False)",
        markers="hooks and not myth and not hygiene and not documents-flask and not setup",
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
    # -- g's API (G-03): an app's own g class, and Flask's g broken call by call
    BrokenApp(
        # get, in and the names put on g still work like a dict's on this app.
        app="attribute_dict_g",
        markers="G-03",
        words=("Broken behaviour: ", "(G-03)"),
        min_failed=4,
        all_fail=False,
    ),
    BrokenApp(
        # The reference app's own teardown calls g.pop("db", None): a plain app
        # lets the scenario about pop be the one that fails.
        app="plain_app",
        broken_flask="g-pop-ignores-default",
        markers="G-03",
        words=("Broken behaviour: g.pop works like a dict's pop",),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="g-setdefault-overwrites",
        markers="G-03",
        words=("Broken behaviour: g.setdefault returns what g holds",),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="g-contains-inverted",
        markers="G-03",
        words=("Broken behaviour: 'name' in g says whether",),
        min_failed=2,
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="g-iterates-nothing",
        markers="G-03",
        words=("Broken behaviour: iterating g lists the names put on it",),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="g-repr-plain",
        markers="G-03",
        words=("Broken behaviour: inside an app context, repr(g) names the app",),
        all_fail=False,
    ),
    # -- the lifecycle of contexts (features/context/lifecycle.feature)
    BrokenApp(
        app="leaky_context_middleware",
        markers="CX-01",
        words=("Broken behaviour: when a request", "(CX-01, G-12)", "was still active"),
    ),
    BrokenApp(
        app="forgetful_test_client",
        markers="G-12",
        words=("Broken behaviour: when a request", "(CX-01, G-12)", "were still active"),
    ),
    BrokenApp(
        app=None,
        broken_flask="app-context-skips-teardown",
        markers="CX-02",
        words=("Broken behaviour: popping a context pushed by hand runs every teardown",),
        min_failed=5,
    ),
    BrokenApp(
        app=None,
        broken_flask="request-context-ignores-handled-error",
        markers="CX-02",
        words=("Broken behaviour: popping a context pushed by hand", "ProbeHandledError"),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="app-context-ignores-handled-error",
        markers="CX-02",
        words=("Broken behaviour: popping a context pushed by hand", "ProbeHandledError"),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="request-context-exit-drops-error",
        markers="CX-02",
        words=("Broken behaviour: popping a context pushed by hand", "ProbeUnhandledError"),
        all_fail=False,
    ),
    BrokenApp(
        # The request context's with block still hands over the request context.
        app=None,
        broken_flask="app-context-enter-hands-nothing",
        markers="CX-03",
        words=("Broken behaviour: with app.app_context() as ctx: hands over",),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="has-app-context-inverted",
        markers="CX-04",
        words=("Broken behaviour: has_app_context() and has_request_context()",),
        min_failed=3,
    ),
    BrokenApp(
        app=None,
        broken_flask="request-context-tears-down-every-pop",
        markers="CX-05",
        words=("Broken behaviour: a context pushed again while it is active",),
    ),
    BrokenApp(
        app=None,
        broken_flask="request-context-detaches-request-early",
        markers="CX-05",
        words=("Broken behaviour: leaving a context pushed again leaves the request as it was",),
    ),
    BrokenApp(
        app=None,
        broken_flask="app-context-pops-out-of-order",
        markers="CX-06",
        words=("Broken behaviour: a context that is not the current one cannot be popped",),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="request-context-pops-out-of-order",
        markers="CX-06",
        words=("Broken behaviour: a context that is not the current one cannot be popped",),
        all_fail=False,
    ),
    BrokenApp(
        # The other row, copy_current_request_context, still refuses.
        app=None,
        broken_flask="after-this-request-outside-request",
        markers="CX-07",
        words=("Broken behaviour: after_this_request and copy_current_request_context need",),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="copy-reloads-session",
        markers="G-14",
        words=("Broken behaviour: a copied request context carries the request's session",),
        min_failed=2,
        all_fail=False,
    ),
    BrokenApp(
        # One g for every app context: the job's g holds what the request put there.
        app="leaky_g",
        markers="G-14",
        words=("Broken behaviour: a copied request context pushed in another thread",),
        all_fail=False,
    ),
    # -- Flask's signals
    BrokenApp(
        app=None,
        broken_flask="request-started-not-sent",
        markers="SIG-01 or SIG-02",
        words=("Broken behaviour: Flask sends each request signal once", "request_started"),
        min_failed=3,
    ),
    BrokenApp(
        # Under TESTING no request_finished is sent at all: that scenario holds.
        app=None,
        broken_flask="request-finished-without-response",
        markers="SIG-01 or SIG-02",
        words=("Broken behaviour: Flask sends each request signal once", "request_finished(None)"),
        min_failed=2,
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="appcontext-popped-before-teardown",
        markers="SIG-01 or SIG-02",
        words=("Broken behaviour: Flask sends each request signal once", "appcontext_popped"),
        min_failed=3,
    ),
    BrokenApp(
        app=None,
        broken_flask="request-tearing-down-without-error",
        markers="SIG-02",
        words=(
            "Broken behaviour: Flask sends each request signal once",
            "request_tearing_down(None)",
        ),
        min_failed=2,
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
    # Flask broken where no app could break it (tests/plugins/broken_flask.py).
    BrokenApp(
        app=None,
        # The other E-02 scenarios use Flask's own 500 page.
        broken_flask="no-500-handler",
        markers="E-02",
        words=("Broken behaviour: ", "registered for it (E-02)"),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="unhandled-errors-unlogged",
        markers="E-02",
        words=("Broken behaviour: in production Flask logs an unhandled error",),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        broken_flask="blueprint-handlers-everywhere",
        markers="E-09",
        words=("Broken behaviour: ", "only errors raised in requests to that blueprint (E-09)"),
    ),
    BrokenApp(
        app=None,
        broken_flask="http-error-handlers-skipped",
        markers="E-01 and E-05",
        words=("Broken behaviour: ", "registered for its code (E-01, E-05)"),
    ),
    BrokenApp(
        app=None,
        broken_flask="routing-redirects-lost",
        markers="E-12",
        words=("Broken behaviour: ", "redirected by Flask's routing itself"),
    ),
    BrokenApp(
        app=None,
        broken_flask="made-responses-lost",
        markers="E-13",
        words=("Broken behaviour: abort() with a response sends that response as it is",),
    ),
    BrokenApp(
        app=None,
        broken_flask="finishing-500-raises",
        markers="E-06",
        words=("Broken behaviour: the request ends in a 500 response",),
    ),
    BrokenApp(
        app=None,
        broken_flask="finishing-500-silent",
        markers="E-06",
        words=("Broken behaviour: ", "is logged, and the 500 still goes out (E-06)"),
    ),
    BrokenApp(
        app=None,
        # The rows in which nothing is trapped hold on this Flask.
        broken_flask="trap-nothing",
        markers="E-10 or E-11",
        words=("Broken behaviour: ", "(E-10, E-11)"),
        min_failed=5,
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        # Only Flask's cookie sessions are broken; the redis runs hold.
        broken_flask="emptied-session-written-again",
        markers="W-04 or M-01",
        words=("Broken behaviour: an emptied session deletes the cookie",),
        min_failed=3,
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        # On both backends: Flask-Session asks the same getters.
        broken_flask="cookie-getters-answer-none",
        markers="CK-03 or CK-09",
        words=("Broken behaviour: the session cookie carries the attributes the app configured",),
        min_failed=8,
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        # The NullSession is still empty and unchanged: only the Vary gives it away.
        broken_flask="null-session-saved",
        markers="SES-04",
        words=("Broken behaviour: without a secret key on cookie sessions",),
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        # Only Flask's cookie sessions use the tagged serializer; redis runs hold.
        broken_flask="nested-values-untagged",
        markers="J-05",
        words=("Broken behaviour: what a ", "on cookie sessions"),
        min_failed=2,
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        # The rows that set _permanent themselves hold.
        broken_flask="permanent-by-default",
        markers="P-01",
        words=("Broken behaviour: session.permanent reads the session's _permanent key",),
        min_failed=2,
        all_fail=False,
    ),
    BrokenApp(
        app=None,
        # A message shown once waits in the session all the same.
        broken_flask="flashes-kept",
        markers="M-11",
        words=("Broken behaviour: ", "shows it, once (M-11)"),
        min_failed=2,
        all_fail=False,
    ),
]


def _same_target(case: BrokenApp) -> tuple[str | None, str | None, str | None]:
    """What a run of the case is made on: the app, its profile and the Flask breakage."""
    return case.import_string, case.profile, case.broken_flask


def _target_selections() -> dict[tuple[str | None, str | None, str | None], str]:
    """For each target of :data:`CASES`, the ``-m`` of one run holding every case on it.

    Each case reads its own selection out of that run (:meth:`SpecRun.selected`).
    """
    selections: dict[tuple[str | None, str | None, str | None], list[str]] = {}
    for entry in CASES:
        case = entry if isinstance(entry, BrokenApp) else entry.values[0]
        selections.setdefault(_same_target(case), []).append(case.markers)
    return {
        target: markers[0] if len(markers) == 1 else " or ".join(f"({m})" for m in markers)
        for target, markers in selections.items()
    }


TARGET_SELECTIONS = _target_selections()


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_known_bad_app_fails_the_specs(run_specs: RunSpecs, case: BrokenApp) -> None:
    selection = TARGET_SELECTIONS[_same_target(case)]
    run = run_specs(
        selection, app=case.import_string, profile=case.profile, broken_flask=case.broken_flask
    )
    if selection != case.markers:  # one run for several cases on this app
        run = run.selected(case.markers)
    expect_named_failures(run, case, f"-m {case.markers!r} on {case}")
