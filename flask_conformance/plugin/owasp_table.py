"""The OWASP coverage table printed at the end of a run.

A reviewer reading a run wants to know which OWASP requirements it tested
and with what result, not only which scenarios passed. Scenarios name their
requirements with tags (``@WSTG-SESS-02``, ``@ASVS4-3.4.1``, ``@ASVS5-3.3.1``),
which pytest-bdd turns into markers. Each of a scenario's test reports
carries its OWASP markers in an attribute of its own (not a user property,
which would land in pytest's own --junitxml).

The table is built from the test reports the terminal sees, so it works the
same with and without xdist: workers send each report, its attributes (the
tags, and the warnings) included, to the controller, which prints the table.
Report keywords would not do: they also hold parametrize ids, and a test
parametrized with "WSTG-SESS-02" is not a scenario covering it.

Scenarios tagged ``@documents-flask`` run on apps the kit builds itself, so
they cover nothing of the app under test: they are left out of the table and
named in a line under it.
"""

from __future__ import annotations

import re
from collections.abc import Generator

import pytest

from ..security.owasp import CoverageRow, coverage_rows
from .tags import DOCUMENTS_FLASK, OWASP_ID
from .verdicts import verdict_of

PLUGIN_NAME = "flask-conformance-owasp"
#: The report attribute holding a scenario's OWASP tags.
OWASP_ATTRIBUTE = "conformance_owasp"
#: The same for a ``@documents-flask`` scenario, which the table does not count.
DOCUMENTED_ATTRIBUTE = "conformance_owasp_documented"
COLUMNS = ("passed", "warned", "failed", "not applicable")


class OwaspCoverage:
    """Collects each scenario's verdict and OWASP tags; prints the table."""

    def __init__(self) -> None:
        #: nodeid -> (OWASP tags, verdict); a later phase's verdict wins over
        #: "passed" from an earlier one.
        self.results: dict[str, tuple[list[str], str]] = {}
        #: nodeid -> OWASP tags of the ``@documents-flask`` runs, not counted.
        self.documented: dict[str, list[str]] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report: pytest.TestReport = yield
        owasp_tags = sorted(
            {mark.name for mark in item.iter_markers() if OWASP_ID.match(mark.name)}
        )
        if owasp_tags:
            documented = item.get_closest_marker(DOCUMENTS_FLASK) is not None
            setattr(report, DOCUMENTED_ATTRIBUTE if documented else OWASP_ATTRIBUTE, owasp_tags)
        return report

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        documented = getattr(report, DOCUMENTED_ATTRIBUTE, None)
        if documented:
            self.documented[report.nodeid] = [str(tag) for tag in documented]
        owasp_tags = [str(tag) for tag in getattr(report, OWASP_ATTRIBUTE, None) or []]
        if not owasp_tags:
            return
        if report.when == "call" or report.outcome != "passed":
            verdict = verdict_of(report)
            previous = self.results.get(report.nodeid)
            if previous is None or previous[1] in ("passed", "warned"):
                self.results[report.nodeid] = (owasp_tags, verdict)

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if hasattr(terminalreporter.config, "workerinput"):
            return  # a worker: the controller prints the table
        rows = coverage_rows(self.results.values())
        if rows:
            for line in format_table(rows):
                terminalreporter.write_line(line)
        if self.documented:
            terminalreporter.write_line(not_counted_line(self.documented))


def not_counted_line(documented: dict[str, list[str]]) -> str:
    """Say which runs the table leaves out because they document Flask, not the app."""
    requirements = sorted({tag for tags in documented.values() for tag in tags})
    return (
        f"Not counted above: {len(documented)} scenario runs that document Flask on apps the "
        f"kit builds itself ({', '.join(requirements)}); they do not test this app."
    )


def _natural(row: CoverageRow) -> list[object]:
    """Sort key: ASVS5-3.3.1 before ASVS5-14.3.3."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", row.requirement)]


def format_table(rows: list[CoverageRow]) -> list[str]:
    """The coverage table as text lines, one requirement a row."""
    rows = sorted(rows, key=_natural)
    header = ("requirement", "title", "scenarios", *COLUMNS)
    body = [
        (
            row.requirement,
            row.title or "(no title known to the kit)",
            str(row.scenarios),
            *(str(row.verdicts.get(column, 0)) for column in COLUMNS),
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in (header, *body)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths))
        ).rstrip()

    rule = "-" * len(line(header))
    return (
        ["", "OWASP coverage (scenario runs per requirement, by verdict)", rule, line(header), rule]
        + [line(cells) for cells in body]
        + [rule]
    )
