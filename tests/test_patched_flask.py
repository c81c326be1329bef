"""The specs fail on the reference app when Flask itself is patched to break them.

Some behaviours live in Flask's own code, where no app can break them: the
setup guard, the closing of a request's files, the merging of a blueprint's
hooks, what a setup decorator gives back. Each case runs their scenarios on
the bundled reference app under a Flask patched by
``tests/plugins/patched_flask.py`` and checks, as ``test_known_bad_apps.py``
does for broken apps, that they fail, none errors, and every failure names
the broken behaviour.
"""

from __future__ import annotations

import pytest

from .known_bad import (
    PatchedFlask,
    RunSpecs,
    case_id,
    expect_named_failures,
)

PATCHED_FLASK_CASES = [
    PatchedFlask(
        patch="late-setup",
        markers="H-16",
        words=("Broken behaviour: ", "refuses more setup (H-16)"),
        min_failed=12,
    ),
    PatchedFlask(
        # The file is still open in teardown on a Flask that never closes it.
        patch="request-files-open",
        markers="H-18",
        words=("Broken behaviour: Flask closes a request's uploaded files", "(H-18)"),
        min_failed=3,
        all_fail=False,
    ),
    PatchedFlask(
        # Closing early closes, so the scenarios on "closed afterwards" hold.
        patch="request-files-closed-early",
        markers="H-18 and H-13",
        words=("Broken behaviour: ", "only after its teardown_request functions ran (H-18)"),
    ),
    PatchedFlask(
        patch="blueprint-hooks-merged-once",
        markers="H-20 and H-05",
        words=("Broken behaviour: a blueprint registered twice runs its own hooks", "(H-20)"),
        all_fail=False,  # the first registration keeps its hooks
    ),
    PatchedFlask(
        patch="app-wide-hooks-per-registration",
        markers="H-20 and H-04",
        words=("Broken behaviour: a blueprint registered twice adds its app-wide hooks",),
    ),
    PatchedFlask(
        # A request that builds no URL runs none on this Flask either.
        patch="url-defaults-not-merged",
        markers="H-10",
        words=("Broken behaviour: Flask runs url_defaults functions in a fixed order (H-10)",),
        min_failed=2,
        all_fail=False,
    ),
    PatchedFlask(
        # A page of a blueprint without processors, and the view's own value, hold.
        patch="context-processors-not-merged",
        markers="H-14",
        words=("Broken behaviour: Flask runs context_processor functions", "(H-14)"),
        min_failed=2,
        all_fail=False,
    ),
    PatchedFlask(
        patch="decorators-give-back-none",
        markers="H-19",
        words=("Broken behaviour: a setup decorator gives back the function", "(H-19)"),
        min_failed=21,
    ),
    PatchedFlask(
        patch="error-handler-keys-unchecked",
        markers="H-22",
        words=("Broken behaviour: an error handler is taken only for an exception class", "H-22"),
        min_failed=3,
    ),
    PatchedFlask(
        # A parent without a subdomain leaves the child's as it is there too.
        patch="nested-subdomains-not-joined",
        markers="BP-01",
        words=("Broken behaviour: a nested blueprint answers on its own subdomain", "(BP-01)"),
        min_failed=2,
        all_fail=False,
    ),
    PatchedFlask(
        patch="blueprint-names-shared",
        markers="BP-02",
        words=("Broken behaviour: an app refuses a second blueprint under a name", "(BP-02)"),
        min_failed=2,
    ),
    PatchedFlask(
        patch="blueprint-commands-dropped",
        markers="BP-03",
        words=("Broken behaviour: a blueprint's CLI commands join the app's flask command",),
        min_failed=3,
    ),
    PatchedFlask(
        patch="blueprint-static-not-served",
        markers="BP-04",
        words=("Broken behaviour: a blueprint serves its static files", "(BP-04)"),
    ),
    PatchedFlask(
        patch="app-errorhandler-on-blueprint",
        markers="H-21",
        words=("Broken behaviour: a blueprint's app_errorhandler answers its error", "(H-21)"),
    ),
    PatchedFlask(
        # A Flask that refuses to register a blueprint of the kit fails the
        # scenarios that need it, naming what it raised, and the run goes on.
        patch="blueprint-registered-once",
        markers="blueprints and not documents-flask",
        words=("Broken behaviour: ", "Flask refused it: ValueError"),
        min_failed=2,
        all_fail=False,
    ),
]


@pytest.mark.parametrize("case", PATCHED_FLASK_CASES, ids=case_id)
def test_patched_flask_fails_the_specs(run_specs: RunSpecs, case: PatchedFlask) -> None:
    run = run_specs(case.markers, patched_flask=case.patch)
    expect_named_failures(
        run, case, f"-m {case.markers!r} on the reference app, Flask patched by {case.patch}"
    )
