"""The Cucumber JSON report validates against the published schema and locates every run.

Other tools read this file, so it must keep to the Cucumber JSON common to
the implementations (no keys of the kit's own), for a real run and for a
teardown failure, a warning and a "not applicable"; each example row and
backend gets its own id and the line of its row, and data tables travel
with their steps.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flask_conformance import layout
from flask_conformance.report import cucumber

from .report_runs import cucumber_report, elements, synthetic_run

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
