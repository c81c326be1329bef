"""One scenario run as the JSON record every report is written from, and the target's summary.

The worker that ran a scenario builds its record from what pytest and
pytest-bdd know (feature, scenario, example, steps, outcome) and from what the
collecting hooks kept (each step's status and time, the exchanges); the
controller adds the target's summary once, when the run ends. What a record
holds, and how a failure becomes plain words (behaviour, expected, actual), is
decided here; :mod:`.collect` only gathers the pieces and carries records
between processes.
"""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..drive.browser import Exchange
from ..plugin import BACKEND_FIXTURE, verdicts
from .evidence import exchange_record

if TYPE_CHECKING:
    from pytest_bdd.parser import ScenarioTemplate


def bare_record(item: pytest.Item, report: pytest.TestReport, error: Exception) -> dict[str, Any]:
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
    *,
    scenario: Any = None,
    ran: list[dict[str, Any]] | None = None,
    exchanges: list[Exchange] | None = None,
) -> dict[str, Any]:
    """The JSON-able record of one scenario run (of ``template``), as the writers need it.

    ``scenario`` is the scenario pytest-bdd ran (None: rendered again from
    ``template``), ``ran`` the status and duration of each step that started,
    in order, and ``exchanges`` every HTTP exchange of the run.
    """
    params_all = item.callspec.params if hasattr(item, "callspec") else {}
    example = dict(params_all.get("_pytest_bdd_example") or {})
    scenario = scenario or template.render(example)
    feature = scenario.feature
    ran = ran or []
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
    record["evidence"] = [exchange_record(e) for e in exchanges or []]
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
