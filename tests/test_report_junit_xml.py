"""The JUnit XML report, and pytest's own, validate against pytest's JUnit schema.

CI systems read these files: the kit's must be valid and name feature files
that exist, a warned scenario must say so, and the kit's data must not make
pytest's own ``--junitxml`` invalid. The schema check needs xmllint.
"""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flask_conformance import layout

from .running import run_command

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
