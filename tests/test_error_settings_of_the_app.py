"""An app's own routing and error settings never turn into false findings.

``app.url_map.strict_slashes = False`` made the kit's page for E-12 answer a
URL without its trailing slash (the scenario failed: "no redirect"), and
``TRAP_HTTP_EXCEPTIONS = True`` made ``abort(403)``, a 404 and routing's
redirect a 500 (four scenarios failed). The first is now judged on a page
that asks for its slash whatever the app's default; the second is not
applicable, naming the setting. A catch-all errorhandler that answers those
errors with a 500 still fails.
"""

from __future__ import annotations

import pytest

from .runcache import RunCache, spec_args
from .running import SpecRun

#: The scenarios about what Flask makes of an HTTP error.
HTTP_ERRORS = "E-05 or E-12 or E-13"


def _run(run_cache: RunCache, setting: str, broken: bool) -> SpecRun:
    app = f'tests.apps.production_errors:create_app("{setting}", broken={broken})'
    return run_cache.spec_run(spec_args(HTTP_ERRORS, app, "-rs"))


def test_loose_slashes_still_show_routings_redirect(run_cache: RunCache) -> None:
    run = _run(run_cache, "loose_slashes", broken=False)
    assert run.status == 0 and not run.named("failed"), run.summary()
    assert {o.name for o in run.named("passed")} >= {
        "test_a_url_missing_its_trailing_slash_is_redirected_by_routing_never_by_an_errorhandler"
    }, run.summary()


def test_trapped_http_errors_are_not_applicable_naming_the_setting(run_cache: RunCache) -> None:
    run = _run(run_cache, "trap_http", broken=False)
    assert run.status == 0 and not run.named("failed"), run.summary()
    skipped = run.named("skipped")
    assert len(skipped) == 3, run.summary()
    for outcome in skipped:
        assert "the app sets TRAP_HTTP_EXCEPTIONS = True" in outcome.text, outcome.text
        assert "leave it off in the config the kit checks" in outcome.text, outcome.text


@pytest.mark.parametrize("setting", ["loose_slashes", "trap_http"])
def test_a_handler_that_answers_http_errors_with_500_still_fails(
    run_cache: RunCache, setting: str
) -> None:
    run = _run(run_cache, setting, broken=True)
    failed = {o.name for o in run.named("failed")}
    assert run.status == 1 and len(failed) == 3, run.summary()
