"""The end-of-run summary names broken behaviours in plain words."""

from __future__ import annotations

import subprocess
import sys

import pytest

from flask_conformance.plugin.summary import (
    broken_behaviour,
    grouped,
    scenario_template,
    scenario_title,
)

from .running import run_command


def run_check(app: str, *pytest_args: str) -> subprocess.CompletedProcess[str]:
    return run_command(
        [sys.executable, "-m", "flask_conformance", "check", app, "--", *pytest_args],
        timeout=300,
    )


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_the_summary_names_each_broken_behaviour_and_a_scenario(workers: list[str]) -> None:
    run = run_check(
        "tests.apps.always_writes:create_app",
        "-q",
        "-m",
        "persistence",
        "-p",
        "no:randomly",
        *workers,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    summary = run.stdout.split("behaviours that do not hold", 1)[1]
    assert "✗ an unchanged session sends no cookie" in summary
    assert (
        "shown by: A session keeps what a visitor stored, for that visitor only: "
        "An empty session that nothing changed sends no cookie at all [cookie]"
    ) in summary
    assert "    and 5 more scenarios" in summary
    # A second behaviour the app breaks, named from the kit's plain-words report.
    assert "✗ an emptied session deletes the cookie" in summary


def test_a_run_where_everything_holds_has_no_broken_section() -> None:
    run = run_check("app_under_test:create_app", "-q", "-m", "persistence", "-p", "no:randomly")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "behaviours that do not hold" not in run.stdout


class FakeReport:
    def __init__(self, longreprtext: str, when: str = "call") -> None:
        self.longreprtext = longreprtext
        self.when = when


def test_the_behaviour_is_the_broken_line_not_the_source_that_builds_it() -> None:
    text = (
        '    lines = [f"Broken behaviour: {behaviour}"]\n'
        "E   steps.checks.BehaviourBroken: Broken behaviour: g is new for every request\n"
        "E     expected: nothing\n"
    )
    assert broken_behaviour(FakeReport(text)) == "g is new for every request"  # type: ignore[arg-type]


def test_a_plain_words_failure_names_its_behaviour() -> None:
    report = FakeReport(
        "Broken behaviour: g is new for every request\n  expected: nothing\n  evidence: ..."
    )
    assert broken_behaviour(report) == "g is new for every request"  # type: ignore[arg-type]


def test_other_errors_show_their_first_error_line() -> None:
    text = "    assert x\nE   KeyError: 'colour'\nE   more\n"
    assert broken_behaviour(FakeReport(text)) == "KeyError: 'colour'"  # type: ignore[arg-type]


def test_grouping_is_sorted_whatever_order_reports_arrived_in() -> None:
    pairs = [("b scenario", "x"), ("a scenario", "y"), ("a scenario", "x")]
    assert grouped(pairs) == {"x": ["a scenario", "b scenario"], "y": ["a scenario"]}


class ItemWithoutFunction:
    """Like a doctest item: a test with a name but no Python function."""

    name = "README.md::readme"


def test_a_test_that_is_no_scenario_is_named_by_its_test_name() -> None:
    item = ItemWithoutFunction()
    assert scenario_template(item) is None  # type: ignore[arg-type]
    assert scenario_title(item) == "README.md::readme"  # type: ignore[arg-type]
