"""The SARIF report: valid for code scanning, and true about the app.

The consumers are real: Microsoft's SARIF multitool (npm
``@microsoft/sarif-multitool``) validates each report with its SARIF rules and
GitHub's ingestion rules, and jsonschema checks it against the SARIF 2.1.0
schema vendored in ``tests/schemas``. The multitool is looked up in a cache
folder (``FLASK_CONFORMANCE_NPM_CACHE``, by default
``~/.cache/flask-conformance/npm``) where ``.ci/run`` installs it; without it the
validation skips, or fails when ``FLASK_CONFORMANCE_REQUIRE_SARIF`` is set.

The content is judged on known-bad apps run through each way of asking for a
report: an app whose teardown raises (the kit names the raising line and the
function), an app with loose cookie settings (located at its factory, OWASP
tags on the rules, warnings as warnings), and the reference app, which
breaks nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from flask_conformance import layout
from flask_conformance.report import sarif
from flask_conformance.target import raising_function

from .report_runs import synthetic_run
from .runcache import OUT, CachedRun, RunCache
from .running import REPO_ROOT, clean_env, run_command

SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0.json"
MULTITOOL_PACKAGE = "@microsoft/sarif-multitool@5.7.0"
NPM_CACHE = Path(
    os.environ.get("FLASK_CONFORMANCE_NPM_CACHE")
    or Path.home() / ".cache" / "flask-conformance" / "npm"
)
BIN = Path(sys.executable).parent
RUN_TIMEOUT = 180
#: An Outline whose rows all see the same teardown raise: one result, several runs.
ORDERING = "each-kind-of-hook-runs-in-its-own-order"

#: app, how the report is asked for, pytest's marker expression.
RUNS = {
    # pytest's own option
    "teardown": ("tests.apps.fragile_teardown:create_app", "pytest", "hooks"),
    # flask-conformance check
    "cookies": ("tests.apps.loose_cookies:create_app", "check", "security"),
    # flask --app X conformance
    "reference": ("app_under_test:create_app", "flask", "hooks or security"),
}


def kit_command(name: str, report: str | Path, *extra: str) -> list[str | Path]:
    """The command line of run ``name`` of :data:`RUNS`, writing its SARIF to ``report``."""
    app, how, markers = RUNS[name]
    tail = ["-q", "-p", "no:randomly", "-m", markers, *extra]
    if how == "pytest":
        command = [BIN / "pytest", layout.STEPS_DIR, "-p", "no:cacheprovider", "--flask-app", app,
                   "--conformance-report", report, *tail]  # fmt: skip
    elif how == "check":
        command = [BIN / "flask-conformance", "check", app, "--report", report, "--", *tail]
    else:
        command = [BIN / "flask", "--app", app, "conformance", "--report", report, "--", *tail]
    return command


def check_ran(result: subprocess.CompletedProcess[str] | CachedRun, report: Path) -> int:
    """The run's exit status, once it is known to have ended in verdicts and written ``report``."""
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
    assert f"flask-conformance report: {report}" in result.stdout
    return result.returncode


def run_kit(name: str, report: Path, *extra: str) -> int:
    """Run ``name`` of :data:`RUNS` in a process of its own; its exit status."""
    return check_ran(run_command(kit_command(name, report, *extra), timeout=RUN_TIMEOUT), report)


@pytest.fixture(scope="module")
def reports(run_cache: RunCache) -> dict[str, tuple[Path, int]]:
    """Each run's SARIF file and exit status, made once per session (shared: read only)."""
    made = {}
    for name in RUNS:
        result = run_cache.run(kit_command(name, f"{OUT}/{name}.sarif"), timeout=RUN_TIMEOUT)
        report = result.folder / f"{name}.sarif"
        made[name] = (report, check_ran(result, report))
    return made


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def uri(location: dict[str, Any]) -> str:
    return location["physicalLocation"]["artifactLocation"]["uri"]


def line(location: dict[str, Any]) -> int:
    return location["physicalLocation"]["region"]["startLine"]


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, source in enumerate(lines, 1) if text in source)


# -- the consumers ---------------------------------------------------------------
def multitool() -> Path:
    """The multitool's native binary from the npm cache, or a skip (a failure in CI)."""
    problem = None
    node = shutil.which("node")
    if node is None:
        problem = "node is not installed"
    else:
        found = run_command([node, "-p", "require('@microsoft/sarif-multitool')"], cwd=NPM_CACHE,
                            timeout=30) if NPM_CACHE.is_dir() else None  # fmt: skip
        if found is None or found.returncode != 0:
            problem = f"@microsoft/sarif-multitool is not installed in {NPM_CACHE}"
        else:
            binary = Path(found.stdout.strip())
            if run_command([binary, "--version"], timeout=60).returncode == 0:
                return binary
            problem = f"the SARIF multitool {binary} does not run here"
    how = f"npm install --prefix {NPM_CACHE} {MULTITOOL_PACKAGE}"
    if os.environ.get("FLASK_CONFORMANCE_REQUIRE_SARIF"):
        pytest.fail(f"{problem}; it is required here: {how}")
    pytest.skip(f"{problem} ({how})")


def multitool_findings(path: Path, tmp_path: Path) -> list[tuple[str, str, str, str]]:
    """What the multitool's SARIF and GitHub rules say: (rule, level, message id, message)."""
    out = tmp_path / f"{path.stem}.validation.sarif"
    result = run_command(
        [multitool(), "validate", path, "--output", out, "--log", "ForceOverwrite",
         "--rule-kind", "Sarif;Gh", "--quiet"],
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0 and out.is_file(), result.stdout + result.stderr
    said = load(out)["runs"][0].get("results", [])
    return [
        (r["ruleId"], r.get("level", "warning"), r["message"].get("id", ""), str(r["message"]))
        for r in said
    ]


def assert_valid(path: Path, tmp_path: Path) -> None:
    """Schema-valid, and no error or warning from the multitool's rules.

    The driver names the project's address from the package's metadata
    (``[project.urls]``), which GitHub's ingestion rules ask for.
    """
    log = load(path)
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert log["runs"][0]["tool"]["driver"]["informationUri"] == sarif.information_uri()
    problems = [
        finding
        for finding in multitool_findings(path, tmp_path)
        if finding[1] in ("error", "warning")
    ]
    assert problems == [], problems


@pytest.mark.parametrize("name", list(RUNS))
def test_the_sarif_report_validates_with_the_multitool_and_the_schema(
    reports: dict[str, tuple[Path, int]], name: str, tmp_path: Path
) -> None:
    assert_valid(reports[name][0], tmp_path)


def test_a_report_outside_the_kits_checkout_validates_too(tmp_path: Path) -> None:
    """Run elsewhere, the specs are not in the repository: their own base id."""
    run = synthetic_run("failed", message="Broken behaviour: x\nexpected: y\nactual: z",
                        behaviour="x", expected="y", actual="z")  # fmt: skip
    run.records[0]["feature"]["file"] = "features/sessions/expiry.feature"
    path = tmp_path / "elsewhere.sarif"
    path.write_text(sarif.render(run, root=tmp_path), encoding="utf-8")
    log = load(path)["runs"][0]
    (result,) = log["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "features/sessions/expiry.feature",
        "uriBaseId": sarif.KITROOT,
    }
    assert sarif.KITROOT in log["originalUriBaseIds"]
    assert "cannot name the app's line" in result["message"]["text"]
    assert_valid(path, tmp_path)


# -- what it says ------------------------------------------------------------------
def test_a_raising_teardown_is_located_at_the_line_that_raised(
    reports: dict[str, tuple[Path, int]],
) -> None:
    path, status = reports["teardown"]
    log = load(path)["runs"][0]
    assert log["invocations"] == [{"executionSuccessful": True, "exitCode": status}]
    assert status == 1
    results = log["results"]
    assert results and {r["level"] for r in results} == {"error"}
    app_file = REPO_ROOT / "tests" / "apps" / "fragile_teardown.py"
    raising = line_of(app_file, "g.db.close()")  # the line that raises AttributeError: db
    defined = line_of(app_file, "def close_db")
    for result in results:
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert uri(location) == "tests/apps/fragile_teardown.py", result
        # The scenario that shows it is a related location, in the repository.
        (scenario,) = result["relatedLocations"]
        assert (REPO_ROOT / uri(scenario)).is_file() and uri(scenario).endswith(".feature")
    lines = {result["ruleId"]: line(result["locations"][0]) for result in results}
    # The hook check names the function (its definition); the others saw it raise.
    hygiene = "hooks/hygiene/teardown-functions-cope-with-a-request-that-stored-nothing-on-g"
    assert lines.pop(hygiene) in (defined, defined - 1)  # with or without its decorator line
    assert set(lines.values()) == {raising}
    # One result per rule and place: the runs of one scenario are counted, not repeated.
    keys = [(r["ruleId"], json.dumps(r["locations"])) for r in results]
    assert len(keys) == len(set(keys))
    ordering = [r for r in results if r["ruleId"] == "hooks/ordering/" + ORDERING]
    assert len(ordering) == 1 and ordering[0]["properties"]["runs"] > 1
    assert f"{ordering[0]['properties']['runs']} runs show it" in ordering[0]["message"]["text"]


def test_loose_cookies_break_rules_tagged_with_their_owasp_ids(
    reports: dict[str, tuple[Path, int]],
) -> None:
    log = load(reports["cookies"][0])["runs"][0]
    rules = {rule["id"]: rule for rule in log["tool"]["driver"]["rules"]}
    secure = rules["security/cookie_attributes/the-cookie-is-only-ever-sent-over-https"]
    tags = ["security", "ASVS4-3.4.1", "ASVS5-3.3.1", "WSTG-SESS-02"]
    assert secure["properties"]["tags"] == tags
    assert "ASVS4-3.4.1 (Session cookies have the Secure attribute)" in secure["help"]["text"]
    assert "\\<cookie\\>" in secure["help"]["markdown"]  # not an HTML tag
    broken = [r for r in log["results"] if r["ruleId"] == secure["id"]]
    assert len(broken) == 1 and broken[0]["level"] == "error"
    text = broken[0]["message"]["text"]
    assert "Secure" in text and "SESSION_COOKIE_SECURE" in text and "Evidence: " in text
    # No function to name: the factory that makes the app and its settings.
    factory = line_of(REPO_ROOT / "tests" / "apps" / "loose_cookies.py", "def create_app")
    (location,) = broken[0]["locations"]
    assert (uri(location), line(location)) == ("tests/apps/loose_cookies.py", factory)
    # A warning is a result of level "warning" under its rule.
    warned = [r for r in log["results"] if r["level"] == "warning"]
    assert any("Domain=example.test" in r["message"]["text"] for r in warned), warned
    assert all(r["message"]["text"].startswith("Risk (warning): ") for r in warned)
    # Every result's rule is listed, and its index points at it.
    for result in log["results"]:
        assert log["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_the_reference_app_breaks_no_rule(reports: dict[str, tuple[Path, int]]) -> None:
    path, status = reports["reference"]
    log = load(path)["runs"][0]
    assert status == 0
    assert log["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]
    assert log["tool"]["driver"]["rules"], "the checked behaviours are listed as rules"
    # Its warnings (no __Host- prefix, ...) are risks to weigh, never errors.
    assert [r for r in log["results"] if r["level"] != "warning"] == []
    for result in log["results"]:
        assert uri(result["locations"][0]) == "app_under_test/__init__.py"


def test_the_same_run_gives_the_same_file_with_and_without_xdist(
    reports: dict[str, tuple[Path, int]], tmp_path: Path
) -> None:
    again = tmp_path / "cookies-xdist.sarif"
    run_kit("cookies", again, "-n", "2")
    assert again.read_text(encoding="utf-8") == reports["cookies"][0].read_text(encoding="utf-8")


def test_passed_and_not_applicable_runs_are_no_results() -> None:
    for verdict in ("passed", "not applicable"):
        log = json.loads(sarif.render(synthetic_run(verdict)))["runs"][0]
        assert log["results"] == []
        rules = log["tool"]["driver"]["rules"]
        assert [rule["id"] for rule in rules] == ([] if verdict != "passed" else ["f/s-b"])


def test_the_factory_is_found_for_each_way_of_naming_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "sarif_factory_app.py"
    source.write_text(
        "from flask import Flask\n\n\ndef create_app(name='x'):\n    return Flask(name)\n\n\n"
        "app = create_app()\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__("sarif_factory_app")
    for import_string, expected in (
        ("sarif_factory_app:create_app", 4),
        ("sarif_factory_app:create_app('y')", 4),
        ("sarif_factory_app:app", 8),  # the line that assigns the app
        ("sarif_factory_app", 8),
    ):
        place = raising_function.factory_place(import_string)
        assert place is not None and place["line"] == expected, (import_string, place)
        assert Path(place["file"]) == source
    assert raising_function.factory_place("not_imported_anywhere:create_app") is None


# -- bad input -------------------------------------------------------------------
def test_a_sarif_path_the_kit_cannot_write_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "out.sarif"
    result = run_command([BIN / "flask-conformance", "check", "--report", missing])
    output = result.stdout + result.stderr
    assert result.returncode == 4, output
    lines = [text for text in output.splitlines() if text.strip()]
    assert len(lines) == 1 and "does not exist; create it first" in lines[0], output
    # A folder that goes away during the run: the verdicts stand, one line, exit 4.
    folder = tmp_path / "reports"
    folder.mkdir()
    result = run_command(
        [BIN / "flask-conformance", "check", "--report", folder / "out.sarif", "--",
         "-m", "P-05", "-p", "no:randomly", "-p", "tests.plugins.remove_report_folder"],
        env=clean_env(REMOVE_REPORT_FOLDER=str(folder)),
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 4, output
    assert "Traceback" not in output and "INTERNALERROR" not in output, output
    said = [text for text in output.splitlines() if "could not write the report" in text]
    assert len(said) == 1 and "out.sarif (No such file or directory)" in said[0], output
    assert " passed" in output.splitlines()[-1]
