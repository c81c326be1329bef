"""The four verdicts a behaviour can get: passed, failed, warned, not applicable.

pytest knows passed, failed and skipped. The kit maps its verdicts onto them
so that every pytest tool (``-x``, ``--lf``, xdist, JUnit) keeps working:

- **failed** is a failing test: the app breaks the behaviour.
- **not applicable** is a skip whose reason starts with ``not applicable:``:
  the app does not use what the scenario is about (no Flask-Login, no
  server-side store...). Version and backend skips are not-applicable too.
- **warned** is a passing test carrying warnings: the app keeps Flask's
  behaviour but the behaviour itself is a risk a reviewer must know about (a
  signed cookie cannot be revoked). With ``--strict`` (pytest:
  ``--conformance-strict``) a warning fails instead.

The kit's data about a scenario travels on the test report as attributes of
its own (``conformance_warnings``, ``conformance_record``...), which xdist
sends from the worker to the controller like any report field. It is kept out
of ``user_properties``: pytest writes those into its own ``--junitxml`` as
``testcase/properties``, which the default ``junit_family`` (xunit2, schema
``junit-10.xsd``) does not allow. Only where the family allows them (xunit1
or legacy) is each warning also a ``conformance-warning`` user property.
"""

from __future__ import annotations

from typing import NoReturn

import pytest

NOT_APPLICABLE = "not applicable: "
WARNING_PROPERTY = "conformance-warning"
#: The report attribute holding a scenario's warnings.
WARNINGS_ATTRIBUTE = "conformance_warnings"
#: pytest's JUnit families whose schema has properties on a testcase.
_FAMILIES_WITH_TESTCASE_PROPERTIES = ("xunit1", "legacy")
_WARNINGS = pytest.StashKey[list[str]]()


def not_applicable(reason: str) -> NoReturn:
    """End the scenario as not applicable, saying why."""
    pytest.skip(NOT_APPLICABLE + reason)


def warn(request: pytest.FixtureRequest, message: str) -> None:
    """Record a warning on the running scenario (a failure under ``--strict``)."""
    if request.config.getoption("conformance_strict", False):
        pytest.fail(f"Warning treated as a failure (--strict): {message}", pytrace=False)
    request.node.stash.setdefault(_WARNINGS, []).append(message)
    if request.config.getini("junit_family") in _FAMILIES_WITH_TESTCASE_PROPERTIES:
        request.node.user_properties.append((WARNING_PROPERTY, message))


def carry_warnings(item: pytest.Item, report: pytest.TestReport) -> None:
    """Put the scenario's warnings so far on its report (for every phase)."""
    warnings: list[str] = item.stash.get(_WARNINGS, [])
    setattr(report, WARNINGS_ATTRIBUTE, list(warnings))


def warnings_of(report: pytest.TestReport) -> list[str]:
    """The warnings a scenario recorded, from its test report."""
    return [str(warning) for warning in getattr(report, WARNINGS_ATTRIBUTE, None) or []]


def verdict_of(report: pytest.TestReport) -> str:
    """passed, failed, warned or not applicable, for a report of any phase."""
    if report.failed:
        return "failed"
    if report.skipped:
        return "not applicable"
    return "warned" if warnings_of(report) else "passed"
