"""``flask-conformance diff`` compares two Cucumber JSON reports, behaviour by behaviour.

It lists what got worse (exit 1) or better (exit 0) between a known-bad
run and the reference app's, changes nothing between two runs of the same
app, and refuses a file it did not write in one line (exit 4).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from flask_conformance.cli import main
from flask_conformance.report import cucumber

from .report_runs import synthetic_run


def test_diff_lists_the_behaviours_that_got_worse_and_exits_1(runs: dict[str, Path]) -> None:
    old = str(runs["reference-xdist"] / "report.json")
    new = str(runs["bad-xdist"] / "report.json")
    result = CliRunner().invoke(main, ["diff", old, new])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"## Behaviour diff: `{old}` → `{new}`")
    worse = re.search(r"### Got worse \((\d+)\)", result.output)
    assert worse and int(worse.group(1)) >= 4
    assert (
        "| A session ends when its lifetime has passed, and the server checks that itself / "
        "The server itself rejects a permanent session's cookie replayed after the lifetime "
        "[elapsed=31 minutes, verdict=rejects] (cookie sessions) | passed | failed | the server "
        "checks a session's age itself" in result.output
    )
    assert "<summary>Behaviours no longer run (" in result.output


def test_diff_the_other_way_round_is_better_and_exits_0(runs: dict[str, Path]) -> None:
    old = str(runs["bad-xdist"] / "report.json")
    new = str(runs["reference-same-behaviours"] / "report.json")
    result = CliRunner().invoke(main, ["diff", old, new, "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "better: A session ends when its lifetime has passed" in result.output
    assert "worse:" not in result.output


def test_diff_of_a_run_with_itself_changes_nothing(runs: dict[str, Path]) -> None:
    same = str(runs["reference-serial"] / "report.json")
    other = str(runs["reference-xdist"] / "report.json")
    result = CliRunner().invoke(main, ["diff", same, other])
    assert result.exit_code == 0
    assert "No behaviour changed its verdict." in result.output


def test_a_new_failing_behaviour_counts_as_worse(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(cucumber.render(synthetic_run("passed")))
    run = synthetic_run("failed", message="Broken behaviour: x")
    run.records[0]["scenario"]["name"] = "T"
    run.records.append(synthetic_run("passed").records[0])
    new.write_text(cucumber.render(run))
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "text"])
    assert result.exit_code == 1
    assert "new: F / T (cookie sessions): - -> failed (x)" in result.output


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no such file"),
        ("not json", "it is not JSON"),
        ('{"a": 1}', "not a report flask-conformance wrote"),
        ("[]", "not a report flask-conformance wrote"),
        (json.dumps([{"name": "F", "uri": "f.feature", "elements": [
            {"name": "S", "steps": [{"keyword": "Then ", "result": {"status": "failed"}}]}]}]),
         "not a report flask-conformance wrote"),
    ],
    ids=["missing", "not-json", "not-a-list", "empty-list", "another-tools-cucumber-json"],
)
def test_diff_refuses_an_unreadable_file_in_one_line(
    tmp_path: Path, content: str | None, words: str
) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content)
    good = tmp_path / "good.json"
    good.write_text(cucumber.render(synthetic_run("passed")))
    result = CliRunner().invoke(main, ["diff", str(good), str(bad)])
    assert result.exit_code == 4
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and lines[0].startswith("Error: ")
