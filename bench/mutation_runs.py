"""Running one suite against one mutant of Flask, for ``bench/mutation.py``.

Each suite runs in a process group of its own with the mutated Flask first on
``PYTHONPATH``, and is killed whole when it overstays; what it printed is read
down to the one verdict the benchmark counts: survived, caught by a named
scenario (or a named test of Flask's), or caught only by a crash.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutants import Mutant

KIT_ROOT = Path(__file__).resolve().parent.parent
#: Flask's own test files for the areas in scope.
FLASK_TEST_FILES = (
    "tests/test_basic.py",
    "tests/test_reqctx.py",
    "tests/test_appctx.py",
    "tests/test_blueprints.py",
    "tests/test_session_interface.py",
    "tests/test_testing.py",
)
SPECS_ARGS = ("--", "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider")
FLASK_TESTS_TIMEOUT = 180.0


@dataclass
class Outcome:
    status: int | None  # None: timed out
    output: str


def run(command: list[str], cwd: Path, pythonpath: list[Path], timeout: float) -> Outcome:
    """Run ``command`` in its own process group; kill that group on time-out."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(map(str, pythonpath))
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            status: int | None = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            status = None
        log.seek(0)
        return Outcome(status, log.read().decode("utf-8", "replace"))


_KIT_LINE = re.compile(
    r"^(ERROR: .*|flask-conformance: .*|INTERNALERROR> \w*(Error|Exception)\b.*)$", re.MULTILINE
)


def kit_line(output: str) -> str:
    """The kit's one line about a crash: its refusal, or the INTERNALERROR's exception."""
    found: list[tuple[str, str]] = _KIT_LINE.findall(output)  # (the line, its error word)
    if found:
        return found[-1][0].strip()
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


def run_specs(pythonpath: Path | None, workdir: Path, timeout: float) -> dict[str, Any]:
    """Run the specs on the reference app; say whether and how they noticed.

    The kit beside this script is put on the path after the mutated Flask, so
    the figures are those of this checkout even where another one is installed.
    """
    report = workdir / "specs.json"
    path = [pythonpath, KIT_ROOT] if pythonpath is not None else [KIT_ROOT]
    outcome = run(
        [sys.executable, "-m", "flask_conformance", "check", "--report", str(report), *SPECS_ARGS],
        workdir,
        path,
        timeout,
    )
    if outcome.status is None:
        return {"verdict": "crash", "how": "timeout", "line": f"no answer within {timeout:.0f}s"}
    if outcome.status == 0:
        return {"verdict": "survived"}
    failed = failed_scenarios(report)
    if outcome.status == 1 and failed:
        name, why = failed[0]
        return {"verdict": "scenario", "scenario": name, "line": why}
    how = {
        1: "errors before any scenario judged anything",
        2: "interrupted",
        3: "INTERNALERROR",
        4: "refused at start-up",
    }.get(outcome.status, f"exit {outcome.status}")
    return {
        "verdict": "crash",
        "how": how,
        "status": outcome.status,
        "line": kit_line(outcome.output),
    }


def failed_scenarios(report: Path) -> list[tuple[str, str]]:
    """(scenario name, first line of why) of every failed scenario in a Cucumber report.

    A scenario that failed before any of its steps ran, without naming a
    broken behaviour (a fixture the broken Flask made raise), is no named
    catch and is left out: the run then counts as a crash.
    """
    from flask_conformance.report.cucumber import verdict_of, why_of

    try:
        features = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [
        (element.get("name", "?"), why_of(element))
        for feature in features
        for element in feature.get("elements") or []
        if verdict_of(element) == "failed" and _names_the_failure(element)
    ]


def _names_the_failure(element: dict[str, Any]) -> bool:
    steps = [step.get("result") or {} for step in element.get("steps") or []]
    if any(result.get("status") in ("passed", "failed") for result in steps):
        return True  # a step ran: the scenario judged something
    messages = [
        str((hook.get("result") or {}).get("error_message", ""))
        for hook in element.get("after") or []
    ]
    return any(message.startswith("Broken behaviour") for message in messages)


_FAILED_TEST = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def run_flask_tests(
    python: Path, sdist: Path, pythonpath: Path | None, deselect: Iterable[str], timeout: float
) -> dict[str, Any]:
    """Run Flask's own test files; say whether they noticed and which test first."""
    command = [str(python), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *FLASK_TEST_FILES]
    for test in deselect:
        command += ["--deselect", test]
    outcome = run(command, sdist, [pythonpath] if pythonpath is not None else [], timeout)
    if outcome.status is None:
        return {"verdict": "caught", "test": f"timeout after {timeout:.0f}s"}
    if outcome.status == 0:
        return {"verdict": "survived"}
    failed = _FAILED_TEST.findall(outcome.output)
    return {"verdict": "caught", "test": failed[0] if failed else f"exit {outcome.status}"}


def baseline_failures(python: Path, sdist: Path) -> list[str]:
    """Flask's tests that fail on the unmutated Flask here: they are deselected."""
    command = [
        str(python),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-rfE",
        *FLASK_TEST_FILES,
    ]
    return sorted(set(_FAILED_TEST.findall(run(command, sdist, [], FLASK_TESTS_TIMEOUT).output)))


def mutated_copy(flask_dir: Path, mutant: Mutant, into: Path) -> Path:
    """Copy ``flask_dir`` into ``into/flask`` with the mutant applied; return ``into``."""
    target = into / "flask"
    shutil.copytree(flask_dir, target, ignore=shutil.ignore_patterns("__pycache__"))
    path = target / mutant.file
    path.write_text(mutant.apply(path.read_text(encoding="utf-8")), encoding="utf-8")
    return into
