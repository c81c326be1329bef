"""How much the kit costs over a bare pytest-bdd suite.

Run from anywhere, in an environment where the kit is installed::

    python bench/run.py [--rounds 3] [--check]

It prints:

a. the kit's scenario count and the wall time of ``pytest steps -q -p no:randomly``
   on the bundled reference app;
b. the wall time of a *trivial* pytest-bdd suite with the same number of
   scenarios, each of three steps making two Flask test-client requests each
   against a minimal app with a cookie session, generated into a temporary
   folder;
c. the ratio kit / trivial (target: at most 1.3);
d. the kit's time-travel cost per scenario, read from
   :data:`flask_conformance.drive.clock.time_travel_seconds` by the ``clock_report``
   plugin beside this file (target: at most 0.5 ms);
e. the peak RSS of the kit's run.

The two suites run alternately, ``--rounds`` times each, in fresh processes timed
with :func:`time.perf_counter`, and the medians are compared, so that whatever
else the machine is doing weighs on both alike. Both run as on a developer's
machine: with Python's bytecode caches (``PYTHONDONTWRITEBYTECODE`` is dropped
for them) written by one untimed run of each first. The time-travel figure comes from
one more, untimed, run of the specs, so the timed command is exactly the one a
developer types. ``--check`` makes the script exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
KIT_ROOT = BENCH_DIR.parent

RATIO_TARGET = 1.3
TIME_TRAVEL_TARGET_MS = 0.5

#: Flags both suites run with, besides their own folder.
COMMON_FLAGS = ["-q", "-p", "no:randomly"]
#: The kit's pytest plugin is installed as an entry point and would otherwise
#: load into the trivial suite too; the trivial suite gets bare pytest-bdd.
TRIVIAL_FLAGS = ["-p", "no:flask_conformance.plugin"]

_SUMMARY_COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)")
_COLLECTED = re.compile(r"^(\d+) tests? collected", re.MULTILINE)
_CLOCK_REPORT = re.compile(r"flask-conformance-bench: time_travel_seconds=([\d.]+) scenarios=(\d+)")


# -- the trivial suite ---------------------------------------------------------

_TRIVIAL_INI = """\
[pytest]
addopts = --strict-markers -p no:cacheprovider
"""

_TRIVIAL_CONFTEST = '''\
"""A minimal Flask app with a cookie session, and a test client per scenario."""

import pytest
from flask import Flask, request, session


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "trivial-bench"

    @app.post("/store")
    def store():
        session["value"] = request.form["value"]
        return "stored"

    @app.get("/read")
    def read():
        return session.get("value", "")

    return app


@pytest.fixture(scope="session")
def app():
    return create_app()
'''

_TRIVIAL_STEPS = '''\
"""Three steps per scenario, each making two requests."""

from pytest_bdd import given, parsers, scenarios, then, when

scenarios("trivial.feature")


@given("a visitor who has opened the site", target_fixture="browser")
def opened_site(app):
    browser = app.test_client()
    for _ in range(2):
        assert browser.get("/read").status_code == 200
    return browser


@when(parsers.parse('the visitor stores "{value}" in the session'))
def store(browser, value):
    assert browser.post("/store", data={"value": value}).status_code == 200
    assert browser.get("/read").get_data(as_text=True) == value


@then(parsers.parse('the visitor\\'s session still holds "{value}" after a reload'))
def holds(browser, value):
    for _ in range(2):
        assert browser.get("/read").get_data(as_text=True) == value
'''

_TRIVIAL_SCENARIO = """\
  Scenario: Visitor {n} keeps a value
    Given a visitor who has opened the site
    When the visitor stores "value-{n}" in the session
    Then the visitor's session still holds "value-{n}" after a reload
"""


def write_trivial_suite(directory: Path, scenarios: int) -> Path:
    """Write a bare pytest-bdd suite of ``scenarios`` scenarios into ``directory``.

    It has its own ``pytest.ini``, so pytest treats the folder as its own
    project whatever the current directory is.
    """
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pytest.ini").write_text(_TRIVIAL_INI, encoding="utf-8")
    (directory / "conftest.py").write_text(_TRIVIAL_CONFTEST, encoding="utf-8")
    (directory / "test_trivial.py").write_text(_TRIVIAL_STEPS, encoding="utf-8")
    body = "".join(_TRIVIAL_SCENARIO.format(n=n) + "\n" for n in range(1, scenarios + 1))
    (directory / "trivial.feature").write_text(
        "Feature: A visitor's session keeps a value\n\n" + body, encoding="utf-8"
    )
    return directory


# -- running pytest ------------------------------------------------------------


def pytest_command() -> list[str]:
    """The ``pytest`` script of this environment, as a developer would type it."""
    script = Path(sys.executable).with_name("pytest")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pytest"]


def kit_command(*extra: str) -> list[str]:
    return [*pytest_command(), "steps", *COMMON_FLAGS, *extra]


def trivial_command(directory: Path, *extra: str) -> list[str]:
    return [*pytest_command(), str(directory), *COMMON_FLAGS, *TRIVIAL_FLAGS, *extra]


@dataclass
class Run:
    """One pytest process: what it printed, how long it took, how much memory it used."""

    returncode: int
    output: str
    seconds: float
    peak_rss_mib: float

    @property
    def counts(self) -> dict[str, int]:
        lines = self.output.strip().splitlines()
        summary = lines[-1] if lines else ""
        counts: dict[str, int] = {}
        for number, kind in _SUMMARY_COUNT.findall(summary):
            counts["error" if kind.startswith("error") else kind] = int(number)
        return counts

    @property
    def summary(self) -> str:
        lines = self.output.strip().splitlines()
        return lines[-1].strip("= ") if lines else "(no output)"


def run_pytest(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run one pytest process, timing it and reading its own peak RSS.

    ``os.wait4`` gives the resource usage of this one child (``RUSAGE_CHILDREN``
    would mix in every earlier run).
    """
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTEST_ADDOPTS", None)
    # Python caches bytecode unless told not to; some machines (this project's
    # development one among them) tell it not to, and then every run compiles
    # every module from source again, which weighs on the larger suite.
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    return Run(process.returncode, output, seconds, usage.ru_maxrss / 1024)


def collected(command: list[str], cwd: Path) -> int:
    run = run_pytest([*command, "--collect-only"], cwd)
    match = _COLLECTED.search(run.output)
    if run.returncode != 0 or match is None:
        raise SystemExit(f"collecting failed ({' '.join(command)}):\n{run.output}")
    return int(match[1])


def time_travel(cwd: Path, *extra: str) -> tuple[float, int]:
    """Seconds spent moving the clock in one run of the specs, and the scenarios run."""
    pythonpath = os.pathsep.join(filter(None, [str(BENCH_DIR), os.environ.get("PYTHONPATH")]))
    run = run_pytest(kit_command("-p", "clock_report", *extra), cwd, {"PYTHONPATH": pythonpath})
    match = _CLOCK_REPORT.search(run.output)
    if match is None:
        raise SystemExit(f"the clock_report plugin printed nothing:\n{run.output}")
    return float(match[1]), int(match[2])


# -- the benchmark -------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each suite (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    scenarios = collected(kit_command(), KIT_ROOT)
    kit_runs: list[Run] = []
    trivial_runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="flask-conformance-bench-") as tmp:
        trivial_dir = write_trivial_suite(Path(tmp) / "trivial", scenarios)
        trivial_scenarios = collected(trivial_command(trivial_dir), trivial_dir)
        if trivial_scenarios != scenarios:
            raise SystemExit(
                f"the trivial suite has {trivial_scenarios} scenarios, not {scenarios}"
            )
        # One untimed run of each writes the bytecode caches a developer's machine has.
        run_pytest(kit_command(), KIT_ROOT)
        run_pytest(trivial_command(trivial_dir), trivial_dir)
        for _ in range(args.rounds):
            kit_runs.append(run_pytest(kit_command(), KIT_ROOT))
            trivial_runs.append(run_pytest(trivial_command(trivial_dir), trivial_dir))
    travel_seconds, travelled = time_travel(KIT_ROOT)

    kit = statistics.median(run.seconds for run in kit_runs)
    trivial = statistics.median(run.seconds for run in trivial_runs)
    ratio = kit / trivial
    per_scenario_ms = 1000 * travel_seconds / travelled if travelled else float("nan")
    peak_rss = max(run.peak_rss_mib for run in kit_runs)

    def verdict(ok: bool) -> str:
        return "ok" if ok else "OVER TARGET"

    def rounds(runs: list[Run]) -> str:
        return ", ".join(f"{run.seconds:.2f}" for run in runs)

    ratio_ok = ratio <= RATIO_TARGET
    travel_ok = per_scenario_ms <= TIME_TRAVEL_TARGET_MS
    print(f"flask-conformance benchmark ({args.rounds} rounds each, alternating; medians)")
    print(f"  python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"a. kit scenarios:            {scenarios}  (last run: {kit_runs[-1].summary})")
    print(f"   kit wall time:            {kit:.3f} s  (rounds: {rounds(kit_runs)})")
    print(
        f"b. trivial suite wall time:  {trivial:.3f} s  "
        f"(rounds: {rounds(trivial_runs)}; {trivial_runs[-1].summary})"
    )
    print(
        f"c. ratio kit/trivial:        {ratio:.2f}  (target <= {RATIO_TARGET}) {verdict(ratio_ok)}"
    )
    print(
        f"d. time travel per scenario: {per_scenario_ms:.3f} ms  "
        f"({travel_seconds * 1000:.1f} ms over {travelled} scenarios; "
        f"target <= {TIME_TRAVEL_TARGET_MS} ms) {verdict(travel_ok)}"
    )
    print(f"e. kit peak RSS:             {peak_rss:.1f} MiB")

    failing = [run for run in kit_runs + trivial_runs if run.returncode != 0]
    if failing:
        print(
            f"warning: {len(failing)} of the timed runs did not pass "
            f"(e.g. {failing[0].summary}); the timings include failures"
        )
    if args.check and not (ratio_ok and travel_ok):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
