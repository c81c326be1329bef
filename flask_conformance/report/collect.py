"""Collecting one record per scenario run, in xdist workers too.

pytest-bdd 9's own ``--cucumberjson`` writes ``[]`` under ``pytest -n 2``
because it keeps its results in the worker that ran the scenario. The kit does
the opposite: the process that runs a scenario turns it into a JSON record
(feature, steps with their status, example, backend, failure in plain words,
and for failed or warned scenarios every HTTP exchange as evidence) and puts
it on the test report as an attribute of its own, which xdist sends to the
controller with each report (``user_properties`` would land in pytest's own
``--junitxml``, where the schema has no place for them). Only the controller
(or a run without xdist)
collects the records and writes the ``--report`` files, each atomically, when
the session ends.
"""

from __future__ import annotations

import json
import os
import platform
import re
import tempfile
import time
from collections.abc import Generator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..drive.browser import Browser, Exchange
from ..drive.visitors import Visitors
from ..plugin import BACKEND_FIXTURE, verdicts
from ..plugin.summary import scenario_template
from ..security.session_cookie import read_payload

if TYPE_CHECKING:
    from pluggy import Result
    from pytest_bdd.parser import ScenarioTemplate

#: The report attribute holding a scenario's record, as a JSON string.
RECORD_ATTRIBUTE = "conformance_record"
#: Response headers a reviewer needs to judge a session behaviour.
RELEVANT_HEADERS = ("content-type", "location", "vary", "cache-control", "www-authenticate")
_SECRET_KEY = re.compile(
    r"secret|passw|token|csrf|api[_-]?key|private|credential|auth", re.IGNORECASE
)
REDACTED = "[redacted]"

#: The real perf_counter, kept in a dict: freezegun (the kit clock) swaps module
#: attributes that are time functions, so a plain reference would read frozen time.
_TIMERS = {"perf_counter": time.perf_counter}

_STEPS = pytest.StashKey[list[dict[str, Any]]]()
_EXCHANGES = pytest.StashKey[list[Exchange]]()
_SCENARIO = pytest.StashKey[Any]()


class ReportError(Exception):
    """A ``--report`` path the kit cannot write; the message says what to do."""


# -- report paths -------------------------------------------------------------
def writers() -> dict[str, Any]:
    """Suffix -> function writing that format from a Run, imported on use."""
    from . import cucumber, html, junit, markdown, sarif

    return {
        ".html": html.render,
        ".md": markdown.render,
        ".json": cucumber.render,
        ".xml": junit.render,
        ".sarif": sarif.render,
    }


def check_report_paths(paths: list[str]) -> None:
    """Refuse, before any scenario runs, a report the kit could not write."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            raise ReportError(f"Cannot write the report {raw!r}: it is a folder; name a file.")
        if path.suffix.lower() not in (".html", ".md", ".json", ".xml", ".sarif"):
            raise ReportError(
                f"Cannot write the report {raw!r}: its suffix must say the format, "
                ".html, .md, .json (Cucumber JSON), .xml (JUnit) or .sarif (code scanning)."
            )
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise ReportError(
                f"Cannot write the report {raw!r}: the folder {str(folder)!r} does not exist; "
                "create it first."
            )
        if not os.access(folder, os.W_OK):
            raise ReportError(
                f"Cannot write the report {raw!r}: the folder {str(folder)!r} is not writable."
            )


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader never sees half a report."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a report is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
        record = scenario_record(item, template, call, report)
    except Exception as error:  # noqa: BLE001 - a report must never break the run
        record = _bare_record(item, report, error)
    setattr(report, RECORD_ATTRIBUTE, json.dumps(record, default=str))


def _bare_record(item: pytest.Item, report: pytest.TestReport, error: Exception) -> dict[str, Any]:
    """A record that keeps the scenario in the reports when the full one cannot be made."""
    verdict = verdicts.verdict_of(report)
    note = f"(the kit could not record this scenario's details: {type(error).__name__}: {error})"
    return {
        "nodeid": item.nodeid,
        "feature": {"name": "?", "description": "", "file": "?", "line": 0, "tags": []},
        "scenario": {"keyword": "Scenario", "name": item.name, "line": 0, "description": note},
        "tags": [],
        "params": {},
        "example_index": -1,
        "backend": None,
        "steps": [],
        "verdict": verdict,
        "warnings": verdicts.warnings_of(report),
        "duration": round(report.duration, 6),
        "message": report.longreprtext if verdict in ("failed", "not applicable") else note,
    }


def scenario_record(
    item: pytest.Item,
    template: ScenarioTemplate,
    call: pytest.CallInfo[None],
    report: pytest.TestReport,
) -> dict[str, Any]:
    """The JSON-able record of one scenario run (of ``template``), as the writers need it."""
    params_all = item.callspec.params if hasattr(item, "callspec") else {}
    example = dict(params_all.get("_pytest_bdd_example") or {})
    scenario = item.stash.get(_SCENARIO, None) or template.render(example)
    feature = scenario.feature
    ran = item.stash.get(_STEPS, [])
    steps = []
    for index, step in enumerate(scenario.steps):
        done = ran[index] if index < len(ran) else {}
        entry = {
            "keyword": step.keyword,
            "name": step.name,
            "line": step.line_number,
            "status": done.get("status", "skipped"),
            "duration": round(done.get("duration", 0.0), 6),
        }
        if step.datatable is not None:  # the table is part of what the step says
            entry["rows"] = [[str(cell) for cell in row] for row in step.datatable.raw()]
        steps.append(entry)
    verdict = verdicts.verdict_of(report)
    record: dict[str, Any] = {
        "nodeid": item.nodeid,
        "feature": {
            "name": feature.name,
            "description": feature.description or "",
            "file": repository_path(feature.filename, item.config.rootpath),
            "line": feature.line_number,
            "tags": sorted(feature.tags),
        },
        "scenario": {
            "keyword": scenario.keyword,
            "name": scenario.name,
            # The Outline's own name, placeholders and all: what every example checks.
            "template": template.name,
            "line": scenario.line_number,
            "description": scenario.description or "",
        },
        "example_line": _example_line(template, example, feature.filename),
        "tags": sorted(set(scenario.tags) | set(feature.tags)),
        "params": example,
        "example_index": _example_index(template, example),
        "backend": params_all.get(BACKEND_FIXTURE),
        "steps": steps,
        "verdict": verdict,
        "warnings": verdicts.warnings_of(report),
        "duration": round(report.duration, 6),
    }
    record.update(_outcome(call, report, verdict))
    # Kept even when the call passed, in case the teardown fails; the controller
    # drops the evidence of scenarios that end passed.
    record["evidence"] = [exchange_record(e) for e in item.stash.get(_EXCHANGES, [])]
    return record


def repository_path(filename: str, rootpath: Path) -> str:
    """A feature file's path as a reviewer finds it in the repository.

    The kit's features are named from the kit's root (``features/...``, in a
    checkout and in the wheel alike), any other feature from pytest's rootdir,
    so that every report names a file the same way and CI can point at it.
    """
    from .. import layout

    path = Path(filename).resolve()
    for base in (layout.KIT_ROOT, rootpath.resolve()):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()


def _example_line(template: Any, example: dict[str, str], filename: str) -> int | None:
    """The line of the Examples row this run comes from (pytest-bdd keeps only
    the line of ``Examples:``), so a reader lands on the row, not the Outline."""
    index = _example_index(template, example)
    if index < 0:
        return None
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    seen = 0
    for examples in template.examples:
        rows = [
            number
            for number in range((examples.line_number or 0) + 1, len(lines) + 1)
            if lines[number - 1].strip().startswith("|")
        ]
        # The first row is the header; rows stop at the first line that is not a row.
        table: list[int] = []
        for number in rows:
            gap = table and number != table[-1] + 1
            if gap and not _blank_or_comment(lines, table[-1], number):
                break
            table.append(number)
        body = table[1:]
        if index < seen + len(body):
            return body[index - seen]
        seen += len(body)
    return None


def _blank_or_comment(lines: list[str], after: int, before: int) -> bool:
    """True when the lines strictly between two table rows are blank or comments."""
    return all(
        not lines[n - 1].strip() or lines[n - 1].strip().startswith("#")
        for n in range(after + 1, before)
    )


def _example_index(template: Any, example: dict[str, str]) -> int:
    if not example:
        return -1
    index = 0
    for examples in template.examples:
        for context in examples.as_contexts():
            if context == example:
                return index
            index += 1
    return -1


def _outcome(
    call: pytest.CallInfo[None], report: pytest.TestReport, verdict: str
) -> dict[str, Any]:
    """The failure or skip in plain words: behaviour, expected and actual."""
    if verdict == "not applicable":
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        return {"message": str(reason).removeprefix("Skipped: ")}
    if verdict != "failed":
        return {}
    error = call.excinfo.value if call.excinfo is not None else None
    if error is None:
        message = report.longreprtext
    elif isinstance(error, AssertionError) or type(error).__name__ == "Failed":
        message = str(error)
    else:
        message = f"{type(error).__name__}: {error}"
    return plain_words(message, report.when)


def plain_words(message: str, phase: str) -> dict[str, Any]:
    """The message, and its behaviour, expected and actual lines when it has them."""
    outcome: dict[str, Any] = {"message": message, "phase": phase}
    for line in message.splitlines():
        for label in ("Broken behaviour", "expected", "actual"):
            prefix = f"{label}:"
            if line.strip().startswith(prefix) and label.split()[0].lower() not in outcome:
                outcome[label.split()[0].lower()] = line.strip()[len(prefix) :].strip()
    if "broken" in outcome:
        outcome["behaviour"] = outcome.pop("broken")
    return outcome


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


def exchange_record(exchange: Exchange) -> dict[str, Any]:
    """One exchange as evidence: what was sent, what came back, when."""
    record: dict[str, Any] = {
        "visitor": exchange.visitor,
        "at": exchange.at.strftime("%Y-%m-%d %H:%M:%S"),
        "method": exchange.method,
        "path": exchange.path,
        "status": exchange.status,
        "observation": exchange.observation,
        "cookies_sent": {k: shorten(v) for k, v in exchange.cookies_sent.items()},
        "headers": {k: v for k, v in exchange.headers if k.lower() in RELEVANT_HEADERS},
        "set_cookies": [
            {
                "name": c.name,
                "value": shorten(c.value),
                "attributes": c.attributes,
                "deletes": c.deletes,
            }
            for c in exchange.set_cookies
        ],
    }
    payloads = {}
    for name, value in exchange.cookies_sent.items():
        payload = read_payload(value)
        if isinstance(payload, dict):
            payloads[f"sent {name}"] = redact(payload)
    for cookie in exchange.set_cookies:
        payload = read_payload(cookie.value)
        if isinstance(payload, dict):
            payloads[f"set {cookie.name}"] = redact(payload)
    if payloads:
        record["session_payloads"] = payloads
    if exchange.restored:
        record["restored"] = True
    if exchange.error is not None:
        record["error"] = f"{type(exchange.error).__name__}: {exchange.error}"
    if exchange.app_error is not None:
        record["app_error"] = f"{type(exchange.app_error).__name__}: {exchange.app_error}"
    if exchange.raised_where:
        record["raised_where"] = exchange.raised_where.strip()
    if exchange.raised_at is not None:
        record["raised_at"] = exchange.raised_at
    return record


def shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def redact(value: Any, key: str = "") -> Any:
    """The payload with values under secret-looking keys replaced."""
    if key and _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, dict):
        return {str(k): redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return shorten(value, 120)
    return value


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


def target_summary(config: pytest.Config) -> dict[str, Any]:
    """The target's import string, versions, capabilities and hook trace."""
    from ..plugin import target_for
    from ..target.raising_function import app_functions, factory_place

    try:
        target = target_for(config)
        import_string = target.import_string
        capabilities = dict(target.capabilities)
        hook_trace = list(target.hook_trace)
        backends = list(target.backends)
        functions = app_functions(target.app(None))
        factory = factory_place(import_string)
    except Exception as error:  # noqa: BLE001 - the report still says what it can
        import_string, capabilities, hook_trace, backends = f"(not loaded: {error})", {}, [], []
        functions, factory = {}, None
    return {
        "import_string": import_string,
        "backends": backends,
        "versions": {
            "python": platform.python_version(),
            "flask": _version("flask"),
            "werkzeug": _version("werkzeug"),
            "flask-session": _version("flask-session"),
            "flask-conformance": _version("flask-conformance"),
        },
        "capabilities": capabilities,
        "hook_trace": hook_trace,
        # Where the app's hooks, views and error handlers are written, by the
        # qualified name messages use: SARIF points at them.
        "functions": functions,
        "factory": factory,
    }


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


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
