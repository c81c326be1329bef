"""``flask-conformance diff``: a finding that stops being checked is not fixed.

A branch once passed the gate by making failing checks not apply (failed ->
not applicable counted as better) or not run (a failing behaviour that
disappeared was neutral). Both now exit 1 as "no longer checked", with the new
reason for a reviewer to judge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from flask_conformance.cli import main
from flask_conformance.report import cucumber
from flask_conformance.report.model import Run

KEY = "Remember-me / The remember cookie is refused after logout"
REASON = "not applicable: needs Flask-Login (app.login_manager); not applicable without it"
BROKEN = "a copied remember cookie logs its holder back in"


def _record(name: str, verdict: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "nodeid": f"steps/test_features.py::{name}",
        "feature": {
            "name": "Remember-me",
            "description": "",
            "file": "r.feature",
            "line": 1,
            "tags": [],
        },
        "scenario": {"keyword": "Scenario", "name": name, "line": 2, "description": ""},
        "tags": [],
        "params": {},
        "example_index": -1,
        "backend": None,
        "steps": [
            {"keyword": "Then", "name": "it holds", "line": 3, "status": "passed", "duration": 0.0}
        ],
        "verdict": verdict,
        "warnings": [],
        "duration": 0.0,
    }
    if verdict == "failed":
        record["steps"][0]["status"] = "failed"
        record.update(message=f"Broken behaviour: {BROKEN}", behaviour=BROKEN, phase="call")
    if verdict == "warned":
        record["warnings"] = ["a copied remember cookie works until it expires"]
    if verdict == "not applicable":
        record["steps"][0]["status"] = "skipped"
        record["message"] = REASON
    return record


def report(path: Path, verdict: str | None) -> str:
    """A report the kit writes, holding the behaviour with ``verdict`` (None: not run)."""
    records = [_record("Another behaviour", "passed")]
    if verdict is not None:
        records.append(_record("The remember cookie is refused after logout", verdict))
    target = {"import_string": "x:app", "backends": [], "versions": {}, "capabilities": {},
              "hook_trace": []}  # fmt: skip
    path.write_text(cucumber.render(Run(target=target, records=records)), encoding="utf-8")
    return str(path)


def diff(tmp_path: Path, before: str | None, after: str | None) -> tuple[int, str]:
    old = report(tmp_path / "old.json", before)
    new = report(tmp_path / "new.json", after)
    result = CliRunner().invoke(main, ["diff", old, new, "--format", "text"])
    return result.exit_code, result.output


@pytest.mark.parametrize("before", ["failed", "warned"])
def test_a_finding_that_no_longer_applies_is_not_checked_and_exits_1(
    tmp_path: Path, before: str
) -> None:
    status, output = diff(tmp_path, before, "not applicable")
    assert status == 1, output
    assert f"unchecked: {KEY}: {before} -> not applicable" in output
    assert "needs Flask-Login" in output  # the new reason, for the reviewer to judge
    assert "better:" not in output


def test_a_finding_that_disappears_is_not_checked_and_exits_1(tmp_path: Path) -> None:
    status, output = diff(tmp_path, "failed", None)
    assert status == 1, output
    assert f"unchecked: {KEY}: failed -> - (not run in the new report)" in output


@pytest.mark.parametrize(
    ("before", "after", "kind", "status"),
    [
        ("failed", "passed", "better", 0),  # really fixed
        ("passed", "not applicable", "changed", 0),  # nothing was found before
        ("passed", None, "gone", 0),
        ("passed", "failed", "worse", 1),
    ],
)
def test_the_other_moves_keep_their_meaning(
    tmp_path: Path, before: str, after: str | None, kind: str, status: int
) -> None:
    code, output = diff(tmp_path, before, after)
    assert code == status, output
    assert f"{kind}: {KEY}: {before} -> {after or '-'}" in output
