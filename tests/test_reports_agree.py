"""The --report files agree: complete, identical with and without xdist, the same totals.

pytest-bdd's own ``--cucumberjson`` writes ``[]`` under ``-n 2``, so these
tests run the specs the way a user does (a subprocess from the repository
root), once in one process and once with ``-n 2``, and compare what the kit
wrote: every format holds every scenario run, the reference app's totals,
a known-bad app's failures in plain words, and a warning raised in an xdist
worker.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from .report_runs import FORMATS, cucumber_report, elements, verdict
from .running import run_command


def without_timings(value: Any) -> Any:
    """The report with every duration zeroed: the only part that may differ."""
    if isinstance(value, dict):
        return {k: 0 if k == "duration" else without_timings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


#: A server-side session id as Flask-Session makes one: 32 random bytes, URL-safe base64.
#: Every run gets new ones, with or without xdist, so comparisons blank them like timings.
RANDOM_SESSION_ID = re.compile(r"(?<![\w.-])[A-Za-z0-9_-]{43}(?![\w.-])")


def without_session_ids(text: str) -> str:
    return RANDOM_SESSION_ID.sub("<random session id>", text)


def pytest_testcases(folder: Path) -> int:
    return len(list(ET.parse(folder / "pytest.xml").getroot().iter("testcase")))


@pytest.mark.parametrize("name", ["reference", "bad"])
def test_reports_are_identical_with_and_without_xdist(runs: dict[str, Path], name: str) -> None:
    serial, parallel = runs[f"{name}-serial"], runs[f"{name}-xdist"]

    def cucumber_text(folder: Path) -> str:
        return without_session_ids(json.dumps(without_timings(cucumber_report(folder)), indent=1))

    assert cucumber_text(serial) == cucumber_text(parallel)
    for suffix in ("md", "html"):
        assert without_session_ids((serial / f"report.{suffix}").read_text()) == (
            without_session_ids((parallel / f"report.{suffix}").read_text())
        )
    times = re.compile(r' time="[0-9.]+"')
    assert without_session_ids(times.sub("", (serial / "report.xml").read_text())) == (
        without_session_ids(times.sub("", (parallel / "report.xml").read_text()))
    )


@pytest.mark.parametrize("run", ["reference-serial", "reference-xdist", "bad-xdist"])
def test_every_scenario_run_is_in_every_report(runs: dict[str, Path], run: str) -> None:
    folder = runs[run]
    expected = pytest_testcases(folder)
    assert expected > 0
    assert len(elements(folder)) == expected
    assert len(list(ET.parse(folder / "report.xml").getroot().iter("testcase"))) == expected
    assert (folder / "report.html").read_text().count('<details class="scenario ') == expected
    ids = {e["id"] for e in elements(folder)}
    assert len(ids) == expected  # one id per scenario run, example row and backend


def test_reference_app_report_has_totals_target_and_myths(runs: dict[str, Path]) -> None:
    folder = runs["reference-xdist"]
    verdicts = [verdict(e) for e in elements(folder)]
    assert "failed" not in verdicts
    # The reference app keeps every behaviour; it warns where Flask's design is the risk
    # (a signed cookie cannot be revoked at logout), so its report carries warnings.
    assert "warned" in verdicts
    text = (folder / "report.md").read_text()
    assert text.startswith("## ⚠ flask-conformance: `app_under_test:create_app`")
    # The scenarios that document Flask on the kit's own apps are counted apart.
    app_verdicts = [
        verdict(e)
        for e in elements(folder)
        if not any(tag["name"] == "@documents-flask" for tag in e["tags"])
    ]
    passed, warned, not_applicable = (
        app_verdicts.count(v) for v in ("passed", "warned", "not applicable")
    )
    assert f"| {passed} | 0 | {warned} | {not_applicable} |" in text
    documented = len(verdicts) - len(app_verdicts)
    assert documented >= 18
    assert f"Not counted above: {documented} scenario runs document Flask" in text
    assert "The seed article's myths" in text
    assert "> Unlike cookie-based sessions, Flask sessions are handled and stored" in text
    page = (folder / "report.html").read_text()
    assert f"flask {version('flask')}" in text.lower() and f"werkzeug {version('werkzeug')}" in text
    assert "werkzeug" in page


def test_failures_read_in_plain_words_in_markdown_junit_and_html(runs: dict[str, Path]) -> None:
    folder = runs["bad-xdist"]
    text = (folder / "report.md").read_text()
    assert text.startswith("## ✘ flask-conformance: `tests.apps.no_max_age:create_app`")
    assert "- **Expected:** Alice's browser to send the session cookie" in text
    assert "Evidence (kit clock time, visitor, request, response):" in text
    assert "Set-Cookie session=" in text and "(HttpOnly; Path=/)" in text
    assert 'session in set session: {"user": "alice"}' in text
    suite = ET.parse(folder / "report.xml").getroot()
    failures = list(suite.iter("failure"))
    assert len(failures) == int(suite.get("failures", "0")) >= 4
    assert all("P-0" in f.get("message", "") for f in failures)
    assert all(f.text and f.text.startswith("Broken behaviour: ") for f in failures)
    reference = ET.parse(runs["reference-xdist"] / "report.xml").getroot()
    skipped = list(reference.iter("skipped"))
    assert skipped and all(s.get("message") for s in skipped)
    assert any("does not apply to redis sessions" in s.get("message", "") for s in skipped)
    page = (folder / "report.html").read_text()
    assert page.count("<h4>Evidence</h4>") == len(failures)
    assert "<dt>Expected</dt>" in page and "kit clock" in page


# -- a warned scenario, collected in an xdist worker ----------------------------
WARNING_FEATURE = """\
Feature: Warnings reach the reports
  A narrative the reports show.

  @sessions
  Scenario: A behaviour that holds but is a risk
    Given a risky behaviour
    Then it is reported as a warning

  Scenario: A behaviour that holds
    Given a risky behaviour
"""


WARNING_STEPS = """\
from pytest_bdd import given, scenarios, then

from flask_conformance.plugin import verdicts

scenarios("warn.feature")


@given("a risky behaviour")
def _risky():
    pass


@then("it is reported as a warning")
def _warned(request):
    verdicts.warn(request, "a signed cookie cannot be revoked before it expires")
"""


@pytest.mark.parametrize("xdist", [["-p", "no:xdist"], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_warning_from_a_worker_reaches_every_report(tmp_path: Path, xdist: list[str]) -> None:
    (tmp_path / "warn.feature").write_text(WARNING_FEATURE)
    (tmp_path / "test_warn.py").write_text(WARNING_STEPS)
    reports = [tmp_path / f"out.{suffix}" for suffix in FORMATS]
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *xdist, str(tmp_path)]
    for report in reports:
        args += ["--conformance-report", str(report)]
    result = run_command([*args, "-o", "addopts="], cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    [feature] = json.loads(reports[2].read_text())
    verdicts = {e["name"]: verdict(e) for e in feature["elements"]}
    assert verdicts == {
        "A behaviour that holds but is a risk": "warned",
        "A behaviour that holds": "passed",
    }
    assert "warned</span>: a signed cookie cannot be revoked" in reports[0].read_text()
    assert "- **Warning:** a signed cookie cannot be revoked" in reports[1].read_text()
    junit_text = reports[3].read_text()
    warning = "A behaviour that holds but is a risk: a signed cookie cannot be revoked"
    assert f'name="conformance-warning" value="{warning}' in junit_text
    assert "A narrative the reports show." in reports[0].read_text()
