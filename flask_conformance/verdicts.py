"""The four verdicts a behaviour can get: passed, failed, warned, not applicable.

pytest knows passed, failed and skipped. The kit maps its verdicts onto them
so that every pytest tool (``-x``, ``--lf``, xdist, JUnit) keeps working:

- **failed** is a failing test: the app breaks the behaviour.
- **not applicable** is a skip whose reason starts with ``not applicable:``:
  the app does not use what the scenario is about (no Flask-Login, no
  server-side store...). Version and backend skips are not-applicable too.
- **warned** is a passing test carrying a ``conformance-warning`` user
  property: the app keeps Flask's behaviour but the behaviour itself is a
  risk a reviewer must know about (a signed cookie cannot be revoked). With
  ``--strict`` (pytest: ``--conformance-strict``) a warning fails instead.

User properties travel from xdist workers to the controller with each
report, so reports built on the controller see warnings from every worker.
"""

from __future__ import annotations

from typing import NoReturn

import pytest

NOT_APPLICABLE = "not applicable: "
WARNING_PROPERTY = "conformance-warning"


def not_applicable(reason: str) -> NoReturn:
    """End the scenario as not applicable, saying why."""
    pytest.skip(NOT_APPLICABLE + reason)


def warn(request: pytest.FixtureRequest, message: str) -> None:
    """Record a warning on the running scenario (a failure under ``--strict``)."""
    if request.config.getoption("conformance_strict", False):
        pytest.fail(f"Warning treated as a failure (--strict): {message}", pytrace=False)
    request.node.user_properties.append((WARNING_PROPERTY, message))


def warnings_of(report: pytest.TestReport) -> list[str]:
    """The warnings a scenario recorded, from its test report."""
    return [str(value) for name, value in report.user_properties if name == WARNING_PROPERTY]


def verdict_of(report: pytest.TestReport) -> str:
    """passed, failed, warned or not applicable, for a report of any phase."""
    if report.failed:
        return "failed"
    if report.skipped:
        return "not applicable"
    return "warned" if warnings_of(report) else "passed"
