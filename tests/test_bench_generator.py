"""The benchmark's trivial suite still runs, so ``bench/run.py`` cannot rot unseen.

This does not time anything: it checks that the suite ``bench/run.py`` generates
is collected with the number of scenarios asked for and passes, with the same
command line the benchmark uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from flask_conformance import layout

from .running import loaded_script

BENCH_SCRIPT = layout.KIT_ROOT / "bench" / "run.py"

pytestmark = pytest.mark.skipif(
    not BENCH_SCRIPT.is_file(), reason="bench/ ships with the repository, not the wheel"
)


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    with loaded_script(BENCH_SCRIPT, "flask_conformance_bench") as module:
        yield module


def test_the_trivial_suite_has_the_scenarios_asked_for_and_passes(
    bench: ModuleType, tmp_path: Path
) -> None:
    suite = bench.write_trivial_suite(tmp_path / "trivial", 4)

    run = bench.run_pytest(bench.trivial_command(suite), suite)

    assert run.returncode == 0, run.output
    assert run.counts == {"passed": 4}, run.output


_REQUEST_COUNTER = """

import flask

requests_made = 0


def _count(sender, **extra):
    global requests_made
    requests_made += 1


flask.request_finished.connect(_count)


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"requests made: {requests_made}")
"""


def test_each_trivial_scenario_is_three_steps_of_two_requests(
    bench: ModuleType, tmp_path: Path
) -> None:
    suite = bench.write_trivial_suite(tmp_path / "trivial", 1)
    feature = (suite / "trivial.feature").read_text(encoding="utf-8")
    with (suite / "conftest.py").open("a", encoding="utf-8") as conftest:
        conftest.write(_REQUEST_COUNTER)

    run = bench.run_pytest(bench.trivial_command(suite), suite)

    assert feature.count("Scenario:") == 1
    assert (
        sum(line.strip().startswith(("Given", "When", "Then")) for line in feature.splitlines())
        == 3
    )
    assert "requests made: 6" in run.output, run.output
    # A scenario with a wrong value must fail, or the suite asserts nothing.
    (suite / "trivial.feature").write_text(
        feature.replace('holds "value-1"', 'holds "another value"'), encoding="utf-8"
    )
    failing = bench.run_pytest(bench.trivial_command(suite), suite)
    assert failing.counts == {"failed": 1}, failing.output


def test_the_clock_report_plugin_reports_the_time_travel_of_a_run(bench: ModuleType) -> None:
    seconds, scenarios = bench.time_travel(bench.KIT_ROOT, "-m", "persistence")

    assert scenarios > 0
    assert seconds > 0
