"""The --report files: complete, identical with and without xdist, with evidence.

pytest-bdd's own ``--cucumberjson`` writes ``[]`` under ``-n 2``, so these
tests run the specs the way a user does (a subprocess from the repository
root), once in one process and once with ``-n 2``, and compare what the kit
wrote. A known-bad app shows that every failure carries its evidence.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import escape, unescape
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from flask_conformance import layout
from flask_conformance.cli import main
from flask_conformance.drive.browser import Exchange
from flask_conformance.report import cucumber, evidence, html, junit, markdown, narrative
from flask_conformance.report.model import Run
from flask_conformance.report.record import bare_record

from .runcache import OUT, RunCache
from .running import run_command

FORMATS = ("html", "md", "json", "xml")
RUN_TIMEOUT = 180
BAD_APP = "tests.apps.no_max_age:create_app"
BAD_MARKERS = "P-05 or P-06"


def report_args(folder: str | Path, *extra: str, app: str | None, xdist: bool) -> list[str]:
    """The packaged specs writing all four reports (and pytest's own JUnit) into folder."""
    args = [sys.executable, "-m", "pytest", str(layout.STEPS_DIR), "-q", "-p", "no:cacheprovider"]
    args += ["-n", "2"] if xdist else ["-p", "no:xdist"]
    args += [f"--junitxml={folder}/pytest.xml"]
    for suffix in FORMATS:
        args += ["--conformance-report", f"{folder}/report.{suffix}"]
    if app is not None:
        args += ["--flask-app", app]
    return [*args, *extra]


def run_with_reports(
    folder: Path, *extra: str, app: str | None = None, xdist: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the packaged specs writing all four reports (and pytest's own JUnit) into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    return run_command(report_args(folder, *extra, app=app, xdist=xdist), timeout=RUN_TIMEOUT)


@pytest.fixture(scope="module")
def runs(run_cache: RunCache) -> dict[str, Path]:
    """The reference app and a known-bad app, each with and without -n 2.

    Made once per session (not once per xdist worker that runs a test of this
    module); the folders are shared: read them, never change them.
    """
    folders = {}
    for name, app, extra in (
        ("reference", None, ()),
        ("bad", BAD_APP, ("-m", BAD_MARKERS)),
    ):
        for xdist in (False, True):
            args = report_args(OUT, *extra, app=app, xdist=xdist)
            result = run_cache.run(args, timeout=RUN_TIMEOUT)
            assert result.returncode in (0, 1), result.output
            folders[f"{name}-{'xdist' if xdist else 'serial'}"] = result.folder
    # The reference app on the same behaviours as the bad run, to diff like with like.
    args = report_args(OUT, "-m", BAD_MARKERS, app=None, xdist=True)
    result = run_cache.run(args, timeout=RUN_TIMEOUT)
    assert result.returncode == 0, result.output
    folders["reference-same-behaviours"] = result.folder
    return folders


def cucumber_report(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def elements(folder: Path) -> list[dict[str, Any]]:
    return [element for feature in cucumber_report(folder) for element in feature["elements"]]


def verdict(element: dict[str, Any]) -> str:
    return cucumber.verdict_of(element)


def failure_text(element: dict[str, Any]) -> str:
    """The error message of the element's failed step or hook."""
    results = [step["result"] for step in element["steps"]]
    results += [hook["result"] for hook in element.get("after", [])]
    return next(r["error_message"] for r in results if r["status"] == "failed")


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


def test_markdown_fits_a_pull_request_comment(runs: dict[str, Path]) -> None:
    for run in ("reference-xdist", "bad-xdist"):
        size = len((runs[run] / "report.md").read_bytes())
        assert size < 60_000, f"{run}: {size} bytes"


def test_html_loads_nothing_from_elsewhere(runs: dict[str, Path]) -> None:
    for run in ("reference-xdist", "bad-xdist"):
        page = (runs[run] / "report.html").read_text()
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", page)
        assert "@import" not in page and "url(" not in page
        assert "<link" not in page and "<script src" not in page
        # The stylesheet and the script are files of the package, inlined whole.
        assert html.CSS in page and html.SCRIPT in page


def test_every_failure_carries_its_evidence(runs: dict[str, Path]) -> None:
    folder = runs["bad-xdist"]
    failed = [e for e in elements(folder) if verdict(e) == "failed"]
    assert len(failed) >= 4
    times = set()
    for element in failed:
        step = next(s for s in element["steps"] if s["result"]["status"] == "failed")
        message = step["result"]["error_message"]
        assert message.startswith("Broken behaviour: ")
        assert "the server checks a session's age itself" in message or "P-06" in message
        assert "expected:" in message.lower() and "actual:" in message.lower()
        assert "2030-01-01 12:00:00" in message  # the kit's clock, not the wall
        assert "Set-Cookie session=" in message and "HttpOnly" in message
        times.update(re.findall(r"2030-01-01 \d\d:\d\d:\d\d", message))
    assert len(times) > 1, "the clock time of each request is shown"


# -- Cucumber JSON against the published schema -----------------------------------
CUCUMBER_SCHEMA = Path(__file__).parent / "schemas" / "cucumber-json-canonical.json"


def validate_cucumber(features: list[dict[str, Any]]) -> None:
    """The report against the Cucumber JSON common to the implementations (no own keys)."""
    import jsonschema

    schema = json.loads(CUCUMBER_SCHEMA.read_text(encoding="utf-8"))
    document = {"implementation": "flask-conformance", "features": features}
    errors = sorted(
        jsonschema.Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.path)
    )
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("run", ["reference-serial", "bad-xdist"])
def test_the_cucumber_json_validates_against_the_published_schema(
    runs: dict[str, Path], run: str
) -> None:
    validate_cucumber(cucumber_report(runs[run]))


def test_a_teardown_failure_and_a_warning_validate_too() -> None:
    late = synthetic_run("failed", message="After the scenario: TypeError: boom")
    warned = synthetic_run("warned", warnings=["a signed cookie cannot be revoked"])
    na = synthetic_run("not applicable", message="needs Flask-Login")
    for run in (late, warned, na):
        features = json.loads(cucumber.render(run))
        validate_cucumber(features)
        [element] = features[0]["elements"]
        assert cucumber.verdict_of(element) == run.records[0]["verdict"]
    assert json.loads(cucumber.render(late))[0]["elements"][0]["after"][0]["result"] == {
        "status": "failed", "duration": 0, "error_message": "After the scenario: TypeError: boom"
    }


def test_every_example_row_and_backend_has_its_own_id_and_line(runs: dict[str, Path]) -> None:
    features = cucumber_report(runs["reference-serial"])
    assert {f["uri"] for f in features} == {
        path.relative_to(layout.KIT_ROOT).as_posix()
        for path in layout.FEATURES_DIR.rglob("*.feature")
    }
    for feature in features:
        lines = (layout.KIT_ROOT / feature["uri"]).read_text().splitlines()
        ids = [e["id"] for e in feature["elements"]]
        assert len(ids) == len(set(ids)), feature["uri"]
        for element in feature["elements"]:
            text = lines[element["line"] - 1].strip()
            if element["keyword"] == "Scenario Outline":
                assert text.startswith("|"), (feature["uri"], element["line"], text)
            else:
                assert text.startswith(element["keyword"] + ":"), (feature["uri"], text)


def test_data_tables_reach_the_cucumber_json_and_the_html(runs: dict[str, Path]) -> None:
    steps = [s for e in elements(runs["reference-serial"]) for s in e["steps"] if "rows" in s]
    assert len({(s["name"], s["line"]) for s in steps}) >= 15
    ordering = next(s for s in steps if s["name"] == "the hooks ran in this order:")
    assert ordering["rows"][0] == {"cells": ["hook", "registered by"]}
    page = (runs["reference-serial"] / "report.html").read_text()
    assert '<table class="datatable"><thead><tr><th scope="col">hook</th>' in page


# -- JUnit XML against pytest's own schema --------------------------------------
JUNIT_SCHEMA = Path(__file__).parent / "schemas" / "junit-10.xsd"


def xmllint() -> str:
    """xmllint, or a skip (a failure when CI requires it)."""
    found = shutil.which("xmllint")
    if found is None:
        if os.environ.get("FLASK_CONFORMANCE_REQUIRE_XMLLINT"):
            pytest.fail("xmllint is required here: apt-get install libxml2-utils")
        pytest.skip("xmllint is not installed (apt-get install libxml2-utils)")
    return found


def validate_junit(path: Path) -> None:
    result = run_command([xmllint(), "--noout", "--schema", JUNIT_SCHEMA, path], timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("run", ["reference-serial", "bad-xdist"])
def test_the_junit_report_validates_against_pytests_junit_schema(
    runs: dict[str, Path], run: str
) -> None:
    validate_junit(runs[run] / "report.xml")


@pytest.mark.parametrize("run", ["reference-serial", "bad-xdist"])
def test_pytests_own_junitxml_stays_valid_with_the_kits_scenarios(
    runs: dict[str, Path], run: str
) -> None:
    """The kit's data rides on the reports, not in user properties pytest would write."""
    validate_junit(runs[run] / "pytest.xml")


def test_the_junit_report_names_feature_files_that_exist_in_the_repository(
    runs: dict[str, Path],
) -> None:
    root = ET.parse(runs["reference-serial"] / "report.xml").getroot()
    files = [suite.get("file", "") for suite in root.iter("testsuite")]
    assert files and all(file.startswith("features/") for file in files), files
    assert all((layout.KIT_ROOT / file).is_file() for file in files), files
    assert len(files) == len(set(files)) == len(list(layout.FEATURES_DIR.rglob("*.feature")))


def test_a_warned_run_says_so_in_the_junit_report(runs: dict[str, Path]) -> None:
    root = ET.parse(runs["reference-serial"] / "report.xml").getroot()
    warned = [
        case
        for case in root.iter("testcase")
        if "Verdict: warned" in (case.findtext("system-out") or "")
    ]
    assert warned
    assert all("Warning: " in (case.findtext("system-out") or "") for case in warned)
    properties = root.iter("property")
    names = [p.get("value", "") for p in properties if p.get("name") == "conformance-warning"]
    assert any(value.startswith(warned[0].get("name", "?") + ": ") for value in names)


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


def test_a_failure_after_the_scenario_is_reported_with_its_evidence(tmp_path: Path) -> None:
    """A teardown that raises fails the scenario after its steps all passed (E-08)."""
    result = run_with_reports(
        tmp_path, "-m", "contexts", app="tests.apps.teardown_no_param:create_app", xdist=True
    )
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [e for e in elements(tmp_path) if verdict(e) == "failed"]
    after = [e for e in failed if e["after"][0]["result"]["status"] == "failed"]
    assert after, [failure_text(e) for e in failed]
    for element in after:
        message = element["after"][0]["result"]["error_message"]
        assert message.startswith("After the scenario: ")
        assert "takes 0 positional arguments but 1 was given" in message
        assert "2030-01-01 12:00:00" in message  # with its evidence
        assert all(step["result"]["status"] == "passed" for step in element["steps"])
    # The record travels on the call's report only: pytest's own JUnit stays clean.
    assert "conformance-record" not in (tmp_path / "pytest.xml").read_text()


def test_a_report_the_kit_cannot_write_is_one_line_before_anything_runs(tmp_path: Path) -> None:
    (tmp_path / "folder.html").mkdir()
    for bad, words in (
        (tmp_path / "report.txt", "its suffix must say the format"),
        (tmp_path / "missing" / "report.html", "does not exist; create it first"),
        (tmp_path / "folder.html", "it is a folder; name a file"),
    ):
        result = run_command(
            [sys.executable, "-m", "pytest", str(layout.STEPS_DIR), "-p", "no:cacheprovider",
             "--conformance-report", str(bad)],
            timeout=RUN_TIMEOUT,
        )  # fmt: skip
        assert result.returncode == 4, result.stdout + result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and words in lines[0], result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "folder.html"]
    assert list((tmp_path / "folder.html").iterdir()) == []


def test_check_passes_report_through_and_refuses_a_bad_suffix(tmp_path: Path) -> None:
    bad = tmp_path / "report.pdf"
    result = run_command(
        [Path(sys.executable).parent / "flask-conformance", "check", "--report", bad],
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 4
    assert "its suffix must say the format, .html, .md, .json" in result.stderr
    assert not bad.exists()


def test_check_and_its_report_option_write_the_report(tmp_path: Path) -> None:
    page = tmp_path / "g.md"
    result = run_command(
        [Path(sys.executable).parent / "flask-conformance", "check", "--report", page,
         "--", "-q", "-m", "G-01", "-p", "no:randomly"],
        timeout=RUN_TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"flask-conformance report: {page}" in result.stdout
    text = page.read_text()
    assert text.startswith("## ✔ flask-conformance: `app_under_test:create_app`")
    assert "What one request puts on g is gone in the next" in text


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


# -- units ----------------------------------------------------------------------
def test_secret_looking_values_are_redacted() -> None:
    payload = {"user": "alice", "csrf_token": "abc", "nested": {"api_key": 1, "colour": "blue"}}
    assert evidence.redact(payload) == {
        "user": "alice",
        "csrf_token": "[redacted]",
        "nested": {"api_key": "[redacted]", "colour": "blue"},
    }


def test_an_exchange_becomes_evidence_with_its_cookie_and_decoded_session() -> None:
    cookie = "eyJ1c2VyIjoiYWxpY2UiLCJwYXNzd29yZCI6Imh1bnRlcjIifQ.aaaa.bbbb"  # user, password
    exchange = Exchange(
        method="POST",
        path="/login",
        at=dt.datetime(2030, 1, 1, 12, 31, tzinfo=dt.timezone.utc),
        visitor="Alice",
        cookies_sent={},
        status=302,
        headers=[
            ("Location", "/"),
            ("Set-Cookie", f"session={cookie}; Secure; HttpOnly; Path=/; SameSite=Lax"),
            ("X-Other", "not relevant"),
        ],
    )
    record = evidence.exchange_record(exchange)
    assert record["at"] == "2030-01-01 12:31:00"
    assert record["headers"] == {"Location": "/"}
    [set_cookie] = record["set_cookies"]
    assert set_cookie["attributes"] == {
        "secure": True,
        "httponly": True,
        "path": "/",
        "samesite": "Lax",
    }
    assert record["session_payloads"] == {
        "set session": {"user": "alice", "password": "[redacted]"}
    }
    assert "hunter2" not in json.dumps(record)


def synthetic_run(verdict: str, **extra: Any) -> Run:
    record = {
        "nodeid": "steps/test_features.py::test_x",
        "feature": {"name": "F", "description": "narrative", "file": "f.feature", "line": 1,
                    "tags": []},
        "scenario": {"keyword": "Scenario", "name": "S <b>", "line": 3, "description": ""},
        "tags": ["sessions", "WSTG-SESS-06"],
        "params": {},
        "example_index": -1,
        "backend": "cookie",
        "steps": [{"keyword": "Then", "name": "x", "line": 4, "status": "passed", "duration": 0}],
        "verdict": verdict,
        "warnings": [],
        "duration": 0.1,
        **extra,
    }  # fmt: skip
    target = {
        "import_string": "myapp:create_app",
        "backends": ["cookie"],
        "versions": {"flask": "3.1.3"},
        "capabilities": {"session store": "signed cookie"},
        "hook_trace": [
            {"request": "an ordinary page", "path": "/", "status": 200, "location": None,
             "error": None, "hooks": [{"kind": "before_request", "name": "myapp.load_user",
                                       "scope": "app", "outcome": "ran", "reads_session": True},
                                      {"kind": "before_request", "name": "myapp.gate",
                                       "scope": "admin", "outcome": "answered"}]},
            {"request": "a static file", "path": None, "note": "the app has no static folder"},
        ],
    }
    return Run(target=target, records=[record])


def test_html_shows_capabilities_hook_trace_coverage_and_escapes_names() -> None:
    page = html.render(synthetic_run("passed"))
    cells = re.sub(r' data-label="[^"]*"', "", page)
    assert "<td>session store</td><td>signed cookie</td>" in cells
    # The hook trace reads like the terminal's: per request, hook kind, function, what it did.
    assert '<h3 class="traced">GET / (an ordinary page) -&gt; 200</h3>' in page
    assert (
        "<td>before_request</td><td><code>myapp.load_user</code></td>"
        "<td>ran (reads the session)</td>"
    ) in cells
    assert (
        "<td><code>myapp.gate [blueprint admin]</code></td>"
        "<td>answered the request itself: the view never ran</td>"
    ) in cells
    assert "a static file: none (the app has no static folder)" in page
    assert "{&#x27;" not in page and "{'" not in page  # no Python dicts
    assert "<td>WSTG-SESS-06</td><td>Testing for logout functionality</td><td>1</td>" in cells
    assert "S &lt;b&gt;" in page and "S <b>" not in page


def test_markdown_and_junit_show_capabilities_and_hook_trace() -> None:
    run = synthetic_run("not applicable", message="not applicable: no Flask-Login")
    text = markdown.render(run)
    assert "| session store | signed cookie |" in text
    assert "**GET / (an ordinary page) -&gt; 200**" in text
    assert "| before_request | `myapp.load_user` | ran (reads the session) |" in text
    assert '"hook"' not in text and "{" not in text.split("Hook trace")[1]  # no JSON lines
    assert "| WSTG-SESS-06 | Testing for logout functionality | 1 |" in text
    xml = junit.render(run)
    assert '<skipped message="not applicable: no Flask-Login"' in xml
    assert 'name="capability-session store" value="signed cookie"' in xml


# -- diff -------------------------------------------------------------------------
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


def test_markdown_stays_under_60_kb_however_many_failures() -> None:
    run = synthetic_run("failed", message="Broken behaviour: x", behaviour="x", expected="y",
                        actual="z")  # fmt: skip
    exchange = evidence.exchange_record(
        Exchange(
            method="GET",
            path="/" + "p" * 200,
            at=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
            visitor="Alice",
            cookies_sent={"session": "v" * 300},
            status=200,
            headers=[("Set-Cookie", "session=" + "w" * 300 + "; HttpOnly")],
        )
    )
    template = run.records[0]
    run.records = [
        {**template, "nodeid": f"n{i}", "scenario": {**template["scenario"], "line": i},
         "evidence": [exchange] * 20}
        for i in range(400)
    ]  # fmt: skip
    text = markdown.render(run)
    assert len(text.encode()) < markdown.SIZE_LIMIT
    assert "more failures and warnings are left out to fit a comment" in text
    assert text.startswith("## ✘ flask-conformance") and "| 0 | 400 | 0 | 0 | 400 |" in text


def test_a_scenario_whose_details_cannot_be_recorded_still_reaches_the_reports() -> None:
    class Item:
        nodeid = "steps/test_features.py::test_odd"
        name = "test_odd"

    report = pytest.TestReport(
        Item.nodeid, ("steps/test_features.py", 0, "test_odd"), {}, "passed", None, "call",
        conformance_warnings=["a risk"],
    )  # fmt: skip
    record = bare_record(Item(), report, KeyError("feature"))  # type: ignore[arg-type]
    assert record["verdict"] == "warned" and record["warnings"] == ["a risk"]
    run = Run(target=synthetic_run("passed").target, records=[record])
    text = markdown.render(run)
    assert "⚠ <b>warned</b>: test_odd" in text
    assert "could not record this scenario&#x27;s details: KeyError" in html.render(run)


# -- findings first --------------------------------------------------------------
def test_reports_open_with_findings_grouped_most_severe_first() -> None:
    vary = synthetic_run("failed", message="Broken behaviour: no Vary: Cookie",
                         behaviour="no Vary: Cookie", expected="Vary: Cookie",
                         actual="no Vary header")  # fmt: skip
    tags = ["sessions", "WSTG-SESS-02"]
    second = {**vary.records[0], "nodeid": "n2", "backend": "redis", "tags": tags}
    risky = synthetic_run("warned", warnings=["a signed cookie cannot be revoked"]).records[0]
    lone = synthetic_run("failed", message="Broken behaviour: no Secure", behaviour="no Secure")
    run = Run(target=vary.target, records=[risky, vary.records[0], second, lone.records[0]])
    [first, other, warning] = run.findings()
    assert (first.behaviour, len(first.records)) == ("no Vary: Cookie", 2)
    assert first.owasp_ids == ["WSTG-SESS-02", "WSTG-SESS-06"]
    assert (other.behaviour, warning.verdict) == ("no Secure", "warned")
    page = html.render(run)
    assert page.index('id="findings"') < page.index('id="summary"') < page.index('id="attention"')
    assert page.count('<h3 class="finding">') == 3
    assert "2 runs; OWASP WSTG-SESS-02, WSTG-SESS-06." in page
    text = markdown.render(run)
    assert text.index("### Findings") < text.index("### Failures and warnings")
    assert "- ✘ **no Vary: Cookie** (2 runs; OWASP WSTG-SESS-02, WSTG-SESS-06)" in text
    assert "expected Vary: Cookie; actual no Vary header" in text


def test_a_real_runs_findings_group_its_failed_runs(runs: dict[str, Path]) -> None:
    text = (runs["bad-xdist"] / "report.md").read_text()
    findings = text.split("### Findings", 1)[1].split("### Failures and warnings", 1)[0]
    listed = re.findall(r"^- ✘ \*\*(.+)\*\* \((\d+) runs?", findings, re.MULTILINE)
    failed = [e for e in elements(runs["bad-xdist"]) if verdict(e) == "failed"]
    assert listed and sum(int(n) for _, n in listed) == len(failed)
    assert len(listed) < len(failed)  # grouped, not one line per run
    # Each finding carries one piece of evidence: an HTTP exchange of the run it names.
    assert findings.count("\n  - evidence: ") == len(listed)
    page = (runs["bad-xdist"] / "report.html").read_text()
    section = page.split('<section id="findings"', 1)[1].split("</section>", 1)[0]
    assert section.count('<h3 class="finding">') == len(listed)
    assert section.count("<p><small>Evidence: ") == len(listed)


# -- narratives and myths, as a reader sees them ------------------------------------
def feature_narratives() -> list[tuple[str, str]]:
    """(where, narrative) for every Feature: and Scenario: narrative in the kit's features."""
    from pytest_bdd.parser import FeatureParser

    found = []
    for path in sorted(layout.FEATURES_DIR.rglob("*.feature")):
        name = str(path.relative_to(layout.FEATURES_DIR))
        feature = FeatureParser(str(layout.FEATURES_DIR), name).parse()
        found.append((name, feature.description))
        found += [(f"{name}: {s.name}", s.description) for s in feature.scenarios.values()]
    return [(where, text) for where, text in found if text]


def test_feature_narratives_render_their_lists_code_and_emphasis_in_html() -> None:
    rendered = {where: narrative.to_html(text) for where, text in feature_narratives()}
    errors = rendered["hooks/errors.feature"]
    assert errors.count("<li>") == 3 and "<ul>" in errors and "- an exception" not in errors
    assert "<code>g</code> is not global" in rendered["context/g.feature"]
    assert "<code>with client:</code>" in rendered["context/g.feature"]
    assert "<code>app.session_interface.regenerate(session)</code>" in (
        rendered["journeys/fixation.feature"]
    )
    assert "<em>inside the cookie</em>" in rendered["sessions/persistence.feature"]
    # Only the small Markdown the narratives use: no stray code blocks, headings or links.
    for where, page in rendered.items():
        tags = set(re.findall(r"<(\w+)", page))
        assert tags <= {"p", "ul", "li", "code", "em"}, f"{where}: {tags}"
        assert "`" not in page, f"{where}: a backtick shows"


def test_a_narrative_is_escaped_not_trusted() -> None:
    text = 'Keep <script>alert(1)</script> out, and ![x](http://example.test/x.png) [a](javascript:1)'
    page = narrative.to_html(text)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img" not in page and 'href="javascript' not in page
    assert "<h" not in narrative.to_html("# Not a heading\n\nText")
    # A route is text, not an autolink to a "path:" address; nor is a Markdown link.
    route = narrative.to_html("a wiki's /<path:path> and [docs](https://example.test/)")
    assert "<a" not in route and "/&lt;path:path&gt;" in route


def test_the_html_shows_a_narrative_as_paragraphs_and_a_list() -> None:
    run = synthetic_run("passed")
    run.records[0]["feature"]["description"] = "Two kinds:\n\n- `g` per request;\n- *sessions*."
    page = html.render(run)
    assert (
        '<div class="narrative"><p>Two kinds:</p>\n<ul>\n<li><code>g</code> per request;</li>\n'
        "<li><em>sessions</em>.</li>\n</ul></div>"
    ) in page


MYTH_CLAIM = 'IMPORTANT: "True" forces our changes to be recognized. session.modified = True'


def myth_run() -> Run:
    """A run of the myth scenario whose claim quotes the article's own quotes."""
    from pytest_bdd.parser import FeatureParser

    feature = FeatureParser(str(layout.FEATURES_DIR), "myths.feature").parse()
    scenario = next(s for s in feature.scenarios.values() if "M-01" in s.tags)
    run = synthetic_run("passed")
    record = run.records[0]
    record["tags"] = ["myth", "M-01"]
    record["scenario"] = {**record["scenario"], "name": scenario.name,
                          "description": scenario.description}  # fmt: skip
    return run


def test_a_myth_claim_that_quotes_quotes_is_shown_whole() -> None:
    run = myth_run()
    assert [claim for claim, _ in run.myths()] == [MYTH_CLAIM]
    assert f"<blockquote><p>{escape(MYTH_CLAIM)}</p></blockquote>" in html.render(run)
    assert f"> {MYTH_CLAIM}\n" in markdown.render(run)


def github_markdown(text: str) -> str:
    """The text as GitHub's CommonMark with tables renders it (raw HTML allowed, as there)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


def visible(page: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", page)).replace("\u200b", "")


def test_markdown_names_and_claims_read_on_github_as_written() -> None:
    odd = "a *b* _c_ `d` [e](f) ~~g~~ <b>h</b> x|y @app.route & i_j"
    run = myth_run()
    record = run.records[0]
    record.update(verdict="failed", behaviour=odd, expected="E", actual="A",
                  message="Broken behaviour: " + odd)  # fmt: skip
    record["scenario"]["name"] = odd
    page = github_markdown(markdown.render(run))
    for markup in ("<em>b</em>", "<em>c</em>", "<code>d</code>", '<a href="f"', "<del>", "<b>h"):
        assert markup not in page, markup
    assert visible(page).count(odd) >= 3  # the finding, the failure's title and behaviour
    assert MYTH_CLAIM in visible(page)
    assert not re.search(r"(?<![\w.])@app", page), "GitHub would mention the user 'app'"
