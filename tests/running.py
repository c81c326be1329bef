"""Running the kit, or anything else, in a process of its own for the kit's own tests.

Most of what the kit promises is about what a user sees from a command line:
its exit code, its one-line errors, its reports. The tests check that from a
real process, and they all run it the same way: output captured as text, the
exit code left for the test to judge, a timeout so that a wedged process fails
the test instead of hanging the run, and no input to wait for.

They also run it in the same environment. A developer's shell may carry
settings that would change what the kit runs against (an app for ``flask``, a
real Redis for the reference app, extra pytest flags); :func:`clean_env` leaves
those out, and a test that wants one passes it explicitly.

The process is forked from a warm one that has already paid Python's start-up
and the imports of pytest, Flask and Redis whenever nothing could tell it from
a fresh process (``tests/forking.py``), and fresh otherwise.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from . import forking

REPO_ROOT = Path(__file__).resolve().parents[1]

#: Long enough for a full run of the specs on a slow machine; a run that takes
#: longer is wedged.
RUN_TIMEOUT = 120

#: Settings a developer's shell may carry that would change what a test runs.
OUTSIDE_SETTINGS = ("FLASK_APP", "REDIS_URL", "PYTEST_ADDOPTS")


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without :data:`OUTSIDE_SETTINGS`, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if key not in OUTSIDE_SETTINGS}
    env.update(settings)
    return env


def run_command(
    command: Sequence[str | Path],
    *,
    cwd: Path = REPO_ROOT,
    env: dict[str, str] | None = None,
    timeout: float = RUN_TIMEOUT,
    own_process: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in ``cwd`` and return what it printed and its exit code.

    ``env`` defaults to :func:`clean_env`. The command runs in a child forked
    from a warm process when that cannot differ from a fresh one
    (``tests/forking.py``); ``own_process`` asks for a fresh process anyway,
    for a test whose subject is the process itself (signals, hangs, threads
    keeping it alive, time limits).
    """
    args = [str(part) for part in command]
    env = clean_env() if env is None else env
    if not own_process:
        done = forking.run(args, Path(cwd), env, timeout)
        if done is not None:
            return done
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# -- what a run of the specs did, scenario by scenario -----------------------

#: JUnit's word for each way a test did not pass, worst first: a scenario that
#: failed and then errored in teardown counts as an error.
_NOT_PASSED = {"error": "error", "failure": "failed", "skipped": "skipped"}


@dataclass
class Outcome:
    """One scenario's result, as pytest's JUnit XML report records it."""

    name: str
    result: str  # "passed", "failed", "error" or "skipped"
    #: The failure, error or skip message and its details.
    text: str = ""
    #: What the kit said through ``verdicts.warn`` (user property ``conformance-warning``).
    warnings: list[str] = field(default_factory=list)
    #: The JUnit ``classname``: the test's module (and class), dotted.
    classname: str = ""
    #: The scenario's markers, when the run recorded them (``tests/plugins/record_markers.py``).
    markers: frozenset[str] | None = None


@dataclass
class SpecRun:
    """What one run of the specs did: each scenario, the output, the exit code."""

    outcomes: list[Outcome]
    output: str
    status: int

    def named(self, result: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.result == result]

    @property
    def warnings(self) -> list[str]:
        return [warning for outcome in self.outcomes for warning in outcome.warnings]

    @property
    def all_text(self) -> str:
        """Everything the run said: output, failure messages and warnings."""
        texts = (outcome.text for outcome in self.outcomes)
        return self.output + "".join(texts) + "".join(self.warnings)

    def summary(self) -> str:
        return "\n".join(f"  {o.result:7} {o.name}" for o in self.outcomes) or "  (nothing ran)"

    def selected(self, expression: str) -> SpecRun:
        """The scenarios of this run that ``-m expression`` selects, as if run alone.

        For a run that recorded its markers and ran every scenario the
        expression could select (all the specs, or a union of expressions).
        The output is the whole run's: a test that judges what a run printed
        needs a run of its own.
        """
        chosen = []
        for outcome in self.outcomes:
            if outcome.markers is None:
                raise ValueError(f"the run did not record the markers of {outcome.name}")
            if marks_match(expression, outcome.markers):
                chosen.append(outcome)
        return SpecRun(chosen, self.output, self.status)


def marks_match(expression: str, markers: frozenset[str]) -> bool:
    """Whether ``pytest -m expression`` selects a test with these markers.

    pytest's own parser of ``-m`` (not public API, but the same in pytest 8
    and 9: ``evaluate`` calls the matcher with a marker name, and keyword
    arguments for ``-m "name(key=value)"``, which no selection here uses).
    """
    from _pytest.mark.expression import Expression

    return Expression.compile(expression).evaluate(
        lambda name, **kwargs: not kwargs and name in markers
    )


def junit_args(path: Path) -> list[str]:
    """pytest options writing its JUnit report to ``path``, warnings included.

    The kit records a warning as a ``conformance-warning`` user property only
    where pytest's JUnit family has a place for it on a testcase (xunit1); the
    default, xunit2, has none.
    """
    return [f"--junitxml={path}", "-o", "junit_family=xunit1"]


def read_junit(path: Path) -> list[Outcome]:
    """Each scenario's outcome, message and warnings, from pytest's JUnit XML report."""
    outcomes = []
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome = Outcome(case.get("name", "?"), "passed", classname=case.get("classname", ""))
        recorded = {child.tag: child for child in case if child.tag in _NOT_PASSED}
        for tag, result in _NOT_PASSED.items():
            if tag in recorded:
                child = recorded[tag]
                outcome.result = result
                outcome.text = (child.get("message") or "") + "\n" + (child.text or "")
                break
        outcome.warnings = [
            prop.get("value") or ""
            for prop in case.iter("property")
            if prop.get("name") == "conformance-warning"
        ]
        outcomes.append(outcome)
    return outcomes


def read_markers(path: Path, outcomes: list[Outcome]) -> None:
    """Give each outcome its markers from ``tests/plugins/record_markers.py``'s file."""
    recorded = json.loads(path.read_text(encoding="utf-8"))
    markers = {(classname, name): frozenset(names) for classname, name, names in recorded}
    for outcome in outcomes:
        outcome.markers = markers.get((outcome.classname, outcome.name))


@contextmanager
def loaded_script(path: Path, name: str) -> Iterator[ModuleType]:
    """Import a script of ``bench/`` (not a package) as module ``name`` for a test."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the module runs.
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[name]
