"""A pytest plugin that reports what the kit's time travel cost in a run.

``bench/run.py`` loads it with ``-p clock_report`` (with ``bench/`` on
``PYTHONPATH``) in a separate, untimed run of the specs. At the end of the
session it prints one line that the benchmark parses::

    flask-conformance-bench: time_travel_seconds=0.0123 scenarios=126

``time_travel_seconds`` is :data:`flask_conformance.drive.clock.time_travel_seconds`,
the real time the kit spent starting, moving and stopping freezers;
``scenarios`` counts the scenarios whose body ran (skipped ones never start the
clock).
"""

from __future__ import annotations

import pytest

MARKER = "flask-conformance-bench:"

_scenarios_run = 0


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    global _scenarios_run
    if report.when == "call":
        _scenarios_run += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from flask_conformance.drive import clock

    terminalreporter.write_line(
        f"{MARKER} time_travel_seconds={clock.time_travel_seconds:.6f} scenarios={_scenarios_run}"
    )
