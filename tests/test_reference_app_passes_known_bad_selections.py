"""Every selection a known-bad case fails passes on the bundled reference app.

A failure on a broken app proves something only if the same scenarios pass
on an app that keeps the behaviour: otherwise the spec, not the app, is
broken. The selections are those of ``test_known_bad_apps.py`` and
``test_patched_flask.py``, read out of one shared run of every spec.
"""

from __future__ import annotations

import pytest

from .known_bad import (
    BrokenApp,
    RunSpecs,
)
from .test_known_bad_apps import CASES
from .test_patched_flask import PATCHED_FLASK_CASES

#: Every selection above, once: each must pass on the reference app.
SELECTIONS = sorted(
    {(case if isinstance(case, BrokenApp) else case.values[0]).markers for case in CASES}
    | {case.markers for case in PATCHED_FLASK_CASES}
)


@pytest.mark.parametrize("markers", SELECTIONS)
def test_the_same_scenarios_pass_on_the_reference_app(run_specs: RunSpecs, markers: str) -> None:
    # One run of every spec on the reference app, shared by every selection:
    # the scenarios -m would select, read out of it by their markers.
    run = run_specs(None).selected(markers)
    report = f"-m {markers!r} on the reference app:\n{run.summary()}"
    assert run.named("passed"), f"the selection ran nothing:\n{report}\n{run.output}"
    problems = run.named("failed") + run.named("error")
    assert not problems, f"the reference app fails:\n{report}\n" + "\n".join(
        o.text for o in problems
    )
