"""The end-of-run summary: which behaviours failed, in plain words.

pytest's own summary lists test ids such as
``test_a_browsersession_cookie_still_dies[cookie]``, which tell a reviewer
little. This plugin adds a section that names each broken behaviour (the
first line of the kit's :class:`~steps.checks.BehaviourBroken` message) next
to the scenario that shows it, then the warnings and the not-applicable
count. It reads only the reports the controller receives, so it is complete
under xdist too.

Scenarios tagged ``@documents-flask`` show what Flask itself does, on apps the
kit builds; their outcome is Flask's whatever app is checked. They are counted
in a line of their own, and a failure among them is said to be Flask's (or the
kit's), never the app's.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Generator

import pytest
from pytest_bdd.parser import ScenarioTemplate

from .tags import DOCUMENTS_FLASK
from .verdicts import carry_warnings, verdict_of, warnings_of

#: The report attribute holding the scenario's title (set on its setup report).
SCENARIO_ATTRIBUTE = "conformance_scenario"
#: The report attribute set on every report of a ``@documents-flask`` scenario.
DOCUMENTS_ATTRIBUTE = "conformance_documents_flask"
_BROKEN = "Broken behaviour: "
_APP_RAISED = "The app raised "
SHOWN_PER_BEHAVIOUR = 3


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    carry_warnings(item, report)
    if item.get_closest_marker(DOCUMENTS_FLASK) is not None:
        setattr(report, DOCUMENTS_ATTRIBUTE, True)
    if call.when == "setup":
        setattr(report, SCENARIO_ATTRIBUTE, scenario_title(item))
    return report


def documents_flask(report: pytest.TestReport) -> bool:
    """True when the report is of a scenario that documents Flask, not the app."""
    return bool(getattr(report, DOCUMENTS_ATTRIBUTE, False))


def scenario_title(item: pytest.Item) -> str:
    """``Feature: Scenario [params]`` for a pytest-bdd item, else the test's name."""
    template = scenario_template(item)
    if template is None:
        return item.name
    params = getattr(item, "callspec", None)
    name = template.name
    example = params.params.get("_pytest_bdd_example", {}) if params is not None else {}
    for column, value in example.items():  # an outline's <placeholders>, as in its steps
        name = name.replace(f"<{column}>", str(value))
    title = f"{template.feature.name}: {name}"
    return f"{title} [{params.id}]" if params is not None else title


def scenario_template(item: pytest.Item) -> ScenarioTemplate | None:
    """The Gherkin scenario a pytest-bdd item runs, or None for other tests.

    pytest-bdd 9 keeps it in a registry of its ``scenario`` module (whose
    name the package shadows with the ``scenario`` function, hence sys.modules).
    """
    registry = sys.modules["pytest_bdd.scenario"].scenario_wrapper_template_registry
    obj = getattr(item, "obj", None)  # doctests and other plugins' items have none
    return registry.get(obj) if obj is not None else None


class RunSummary:
    """Collects verdicts as reports arrive and prints them at the end."""

    def __init__(self) -> None:
        self.titles: dict[str, str] = {}
        self.broken: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []
        self.not_applicable = 0
        #: ``@documents-flask`` runs: nodeid -> verdict, and the ones that failed.
        self.documented: dict[str, str] = {}
        self.flask_broken: list[tuple[str, str]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        title = getattr(report, SCENARIO_ATTRIBUTE, None)
        if title is not None:
            self.titles[report.nodeid] = str(title)
        title = self.titles.get(report.nodeid, report.nodeid)
        verdict = verdict_of(report)
        if documents_flask(report):
            self._documented(report, title, verdict)
        elif verdict == "failed":
            self.broken.append((title, broken_behaviour(report)))
        elif verdict == "not applicable" and report.when in ("setup", "call"):  # steps too
            self.not_applicable += 1
        elif verdict == "warned" and report.when == "call":
            self.warnings.extend((title, warning) for warning in warnings_of(report))

    def _documented(self, report: pytest.TestReport, title: str, verdict: str) -> None:
        """Keep a ``@documents-flask`` run apart: its worst verdict, and a failure's words."""
        decisive = report.when == "call" or report.outcome != "passed"
        if decisive and self.documented.get(report.nodeid) in (None, "passed", "warned"):
            self.documented[report.nodeid] = verdict
        if verdict == "failed":
            self.flask_broken.append((title, broken_behaviour(report)))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        self._write_documented(terminalreporter)
        if not (self.broken or self.warnings):
            return
        write = terminalreporter.write_line
        if self.broken:
            terminalreporter.section("behaviours that do not hold", red=True, bold=True)
            for behaviour, titles in grouped(self.broken).items():
                write(f"✗ {behaviour}")
                for title in titles[:SHOWN_PER_BEHAVIOUR]:
                    write(f"    shown by: {title}")
                if len(titles) > SHOWN_PER_BEHAVIOUR:
                    write(f"    and {len(titles) - SHOWN_PER_BEHAVIOUR} more scenarios")
        if self.warnings:
            terminalreporter.section("warnings (--strict makes them fail)", yellow=True)
            for title, warning in self.warnings:
                write(f"! {warning}")
                write(f"    shown by: {title}")
        if self.not_applicable:
            write(
                f"{self.not_applicable} scenarios did not apply to this app "
                "(pytest -rs lists each with its reason)."
            )


    def _write_documented(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.documented:
            return
        counts = Counter(self.documented.values())
        words = ", ".join(f"{counts[v]} {v}" for v in VERDICT_ORDER if counts[v])
        terminalreporter.write_line(
            f"{len(self.documented)} scenario runs document Flask on apps the kit builds "
            f"itself ({words}): their outcome does not depend on this app, so they are not "
            "counted in its results."
        )
        if self.flask_broken:
            terminalreporter.section(
                "Flask does not behave as the kit documents it", red=True, bold=True
            )
            terminalreporter.write_line(
                "These scenarios ran on apps the kit builds, not on the app under test: the "
                "installed Flask (or the kit) differs from the documentation. Not this app's "
                "defect."
            )
            for title, behaviour in sorted(self.flask_broken, key=lambda pair: pair[::-1]):
                terminalreporter.write_line(f"✗ {behaviour}")
                terminalreporter.write_line(f"    shown by: {title}")


#: The order verdicts are named in.
VERDICT_ORDER = ("passed", "warned", "failed", "not applicable")


def grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Scenario titles per behaviour, sorted, so xdist's order does not show."""
    groups: dict[str, list[str]] = {}
    for title, behaviour in sorted(pairs, key=lambda pair: (pair[1], pair[0])):
        groups.setdefault(behaviour, []).append(title)
    return groups


def broken_behaviour(report: pytest.TestReport) -> str:
    """The plain-words behaviour a failed report names, or its first error line."""
    text = report.longreprtext
    errors = [line[2:].strip() for line in text.splitlines() if line.startswith("E ")]
    for line in errors:
        if _BROKEN in line:
            return line.split(_BROKEN, 1)[1].strip()
    if errors:
        return errors[0]
    # The kit's own plain-words report (no traceback, no "E" lines); xdist may
    # put a "[gw0] ..." line before it.
    for line in text.splitlines():
        if line.startswith(_BROKEN):
            return line[len(_BROKEN) :].strip()
        if line.startswith(_APP_RAISED):
            return line.strip()
    return (
        f"{report.when} failed: {text.strip().splitlines()[-1] if text.strip() else 'no details'}"
    )
