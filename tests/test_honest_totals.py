"""Scenarios that document Flask are counted apart from the app's results.

The myth scenarios that run the seed article's code on apps the kit builds,
and the logout-race table that states what Flask does, cannot pass or fail
with the app under test. They once filled every app's totals and OWASP
coverage. Now they are tagged ``@documents-flask`` and every summary counts
them in a line of their own, while the app's own failures still count.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from flask_conformance import layout
from flask_conformance.report import markdown
from flask_conformance.report.model import Run

from .running import run_command

#: Steps that build an app of the kit's own instead of using the app under test.
KIT_APP_STEP = re.compile(r"^\s*(Given|And) an app whose ", re.MULTILINE)
_SCENARIO = re.compile(r"^\s*Scenario(?: Outline)?:", re.MULTILINE)


def scenarios(feature: Path) -> list[tuple[set[str], str]]:
    """Each scenario of a feature file: its tags and its text."""
    text = feature.read_text(encoding="utf-8")
    starts = [m.start() for m in _SCENARIO.finditer(text)]
    found = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        before = text[:start].rstrip().splitlines()
        tag_line = before[-1] if before and before[-1].strip().startswith("@") else ""
        found.append(({t.lstrip("@") for t in tag_line.split()}, text[start:end]))
    return found


def test_every_scenario_on_an_app_of_the_kits_own_is_counted_apart() -> None:
    """The audit: a scenario whose steps never touch the target documents Flask."""
    on_kit_apps = 0
    for feature in layout.FEATURES_DIR.rglob("*.feature"):
        for scenario_tags, text in scenarios(feature):
            if KIT_APP_STEP.search(text):
                on_kit_apps += 1
                assert "documents-flask" in scenario_tags, (feature.name, text.splitlines()[0])
    assert on_kit_apps == 6


def _record(tags: list[str], verdict: str, name: str) -> dict[str, Any]:
    return {
        "nodeid": name,
        "feature": {"name": "F", "description": "", "file": "f.feature", "line": 1, "tags": []},
        "scenario": {"keyword": "Scenario", "name": name, "line": 1, "description": ""},
        "tags": tags,
        "params": {},
        "backend": None,
        "steps": [],
        "verdict": verdict,
        "warnings": [],
        "duration": 0.0,
    }


def test_reports_leave_documented_runs_out_of_the_apps_totals_and_coverage() -> None:
    run = Run(
        target={
            "import_string": "x:app",
            "backends": [],
            "versions": {},
            "capabilities": {},
            "hook_trace": [],
        },
        records=[
            _record(["documents-flask", "WSTG-SESS-06"], "passed", "documented"),
            _record(["documents-flask"], "failed", "documented, broken"),
            _record(["WSTG-SESS-06"], "failed", "the app's own"),
        ],
    )
    assert run.totals["failed"] == 1 and sum(run.totals.values()) == 1
    assert run.documented_totals["passed"] == 1 and run.documented_totals["failed"] == 1
    (row,) = run.coverage()
    assert row.requirement == "WSTG-SESS-06" and dict(row.verdicts) == {"failed": 1}
    text = markdown.render(run)
    assert "Not counted above: 2 scenario runs document Flask" in text


def test_a_run_counts_the_myths_on_the_kits_apps_apart_and_the_apps_defects_in(
    tmp_path: Path,
) -> None:
    """On the seed article's gate app: its hygiene failures count, the myths do not."""
    report = tmp_path / "report.md"
    command = [sys.executable, "-m", "pytest", str(layout.STEPS_DIR), "-q", "-p", "no:randomly"]
    command += ["-m", "myth or hygiene", "--flask-app", "tests.apps.article_gate:create_app"]
    result = run_command([*command, "--conformance-report", str(report)])
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "18 scenario runs document Flask on apps the kit builds itself (18 passed)" in output
    assert "behaviours that do not hold" in output  # the app's own defects, as before
    text = report.read_text(encoding="utf-8")
    assert "Not counted above: 18 scenario runs document Flask" in text
    totals = re.search(r"^\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", text, re.MULTILINE)
    assert totals is not None, text
    passed, failed, _warned, _na, _total = map(int, totals.groups())
    assert failed >= 2 and passed < 18, text  # the 18 documented passes are not the app's
