"""Collecting one record per scenario run, in xdist workers too.

pytest-bdd 9's own ``--cucumberjson`` writes ``[]`` under ``pytest -n 2``
because it keeps its results in the worker that ran the scenario. The kit does
the opposite: the process that runs a scenario turns it into a JSON record
(feature, steps with their status, example, backend, failure in plain words,
and for failed or warned scenarios every HTTP exchange as evidence) and puts
it on the test report as an attribute of its own, which xdist sends to the
controller with each report (``user_properties`` would land in pytest's own
``--junitxml``, where the schema has no place for them). Only the controller
(or a run without xdist) collects the records and writes the ``--report``
files, each atomically, when the session ends.

What a record holds is :mod:`.record`'s, what evidence may show is
:mod:`.evidence`'s, and checking and writing the files is :mod:`.files`'s; this
module is only the pytest plumbing between them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..drive.browser import Browser, Exchange
from ..drive.visitors import Visitors
from ..plugin import verdicts
from ..plugin.summary import scenario_template
from .files import ReportError, check_report_paths, write_atomically, writers
from .record import bare_record, plain_words, scenario_record, target_summary

if TYPE_CHECKING:
    from pluggy import Result

#: The report attribute holding a scenario's record, as a JSON string.
RECORD_ATTRIBUTE = "conformance_record"

#: The real perf_counter, kept in a dict: freezegun (the kit clock) swaps module
#: attributes that are time functions, so a plain reference would read frozen time.
_TIMERS = {"perf_counter": time.perf_counter}

_STEPS = pytest.StashKey[list[dict[str, Any]]]()
_EXCHANGES = pytest.StashKey[list[Exchange]]()
_SCENARIO = pytest.StashKey[Any]()


# -- worker side: steps -------------------------------------------------------
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    request.node.stash[_SCENARIO] = scenario
    request.node.stash[_STEPS] = []


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, **_: Any) -> None:
    """Keep the scenario's exchanges: steps ask for fixtures by name, so the
    item's own arguments do not hold them, but the request still does here."""
    values = []
    for name in request.fixturenames:
        try:
            values.append(request.getfixturevalue(name))
        except Exception:  # noqa: BLE001, S112 - a fixture that cannot be had holds no evidence
            continue
    request.node.stash[_EXCHANGES] = _exchanges(values)


def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Any, **_: Any) -> None:
    request.node.stash.setdefault(_STEPS, []).append(
        {"line": step.line_number, "status": "skipped", "started": _TIMERS["perf_counter"]()}
    )


def _finish_step(request: pytest.FixtureRequest, status: str) -> None:
    steps = request.node.stash.get(_STEPS, [])
    if steps:
        steps[-1]["status"] = status
        steps[-1]["duration"] = _TIMERS["perf_counter"]() - steps[-1].pop("started")


def pytest_bdd_after_step(request: pytest.FixtureRequest, **_: Any) -> None:
    _finish_step(request, "passed")


def pytest_bdd_step_error(request: pytest.FixtureRequest, **_: Any) -> None:
    _finish_step(request, "failed")


# -- worker side: the record --------------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Result[pytest.TestReport], None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    # The call decides, or a setup that failed or skipped. A failed teardown is
    # read from its own report on the controller.
    deciding = report.when == "call" or (report.when == "setup" and not report.passed)
    template = scenario_template(item)
    if not deciding or template is None:
        return
    verdicts.carry_warnings(item, report)
    try:
        record = scenario_record(
            item,
            template,
            call,
            report,
            scenario=item.stash.get(_SCENARIO, None),
            ran=item.stash.get(_STEPS, []),
            exchanges=item.stash.get(_EXCHANGES, []),
        )
    except Exception as error:  # noqa: BLE001 - a report must never break the run
        record = bare_record(item, report, error)
    setattr(report, RECORD_ATTRIBUTE, json.dumps(record, default=str))


def _exchanges(values: list[Any]) -> list[Exchange]:
    """Every exchange of the scenario, from the visitors and any other browser."""
    found: list[Exchange] = []
    seen: set[int] = set()
    for value in values:
        if isinstance(value, (Visitors, Browser)):
            candidates = value.log
        elif isinstance(getattr(value, "browser", None), Browser):
            candidates = value.browser.log
        else:
            continue
        for exchange in candidates:
            if id(exchange) not in seen:
                seen.add(id(exchange))
                found.append(exchange)
    return sorted(found, key=lambda e: e.at)  # stable: same-time exchanges keep their order


# -- controller side ----------------------------------------------------------
class Collector:
    """Gathers records on the controller and writes the reports at the end."""

    def __init__(self, config: pytest.Config, paths: list[str]) -> None:
        self.config = config
        self.paths = paths
        self.records: dict[str, dict[str, Any]] = {}
        #: Report path -> why it could not be written at the end of the run.
        self.unwritten: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        value = getattr(report, RECORD_ATTRIBUTE, None)
        if value is not None:
            self.records[report.nodeid] = json.loads(str(value))
        record = self.records.get(report.nodeid)
        if report.when == "teardown" and report.failed and record is not None:
            crash = getattr(report.longrepr, "reprcrash", None)
            message = crash.message if crash is not None else report.longreprtext
            record.update(plain_words(f"After the scenario: {message}", "teardown"))
            record["verdict"] = "failed"

    def finished_records(self) -> list[dict[str, Any]]:
        """The records, with evidence only where a reviewer needs it."""
        for record in self.records.values():
            if record["verdict"] not in ("failed", "warned"):
                record.pop("evidence", None)
        return list(self.records.values())

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        from .model import Run

        run = Run(
            target=target_summary(self.config),
            records=self.finished_records(),
            exit_status=int(session.exitstatus),
        )
        render = writers()
        for raw in self.paths:
            path = Path(raw)
            try:
                write_atomically(path, render[path.suffix.lower()](run))
            except OSError as error:  # the folder went away, the disk is full...
                self.unwritten[raw] = error.strerror or str(error)
        if self.unwritten and session.exitstatus == pytest.ExitCode.OK:
            # The run did not do all it was asked: a CI step must not read it as clean.
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Name each report, or say in one line why it could not be written.

        Runs before pytest's last line, so the run's own result stays in view.
        """
        for raw in self.paths:
            if raw in self.unwritten:
                terminalreporter.write_line(
                    f"flask-conformance: could not write the report {raw} "
                    f"({self.unwritten[raw]}): the run's verdicts stand, that report is missing.",
                    red=True,
                    bold=True,
                )
            else:
                terminalreporter.write_line(f"flask-conformance report: {raw}")


def configure(config: pytest.Config) -> None:
    """Register the collector: record hooks everywhere, writing on the controller only."""
    paths = list(config.getoption("conformance_reports", None) or [])
    if not paths:
        return
    try:
        check_report_paths(paths)
    except ReportError as error:
        raise pytest.UsageError(str(error)) from None
    import sys

    config.pluginmanager.register(sys.modules[__name__], "flask-conformance-record")
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(Collector(config, paths), "flask-conformance-reports")
