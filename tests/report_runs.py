"""What the tests of the --report files share: the kit's runs that write them, and a made-up run.

:func:`report_args` is the command a user would type to run the packaged
specs writing all four reports (and pytest's own JUnit); the ``runs``
fixture of ``tests/conftest.py`` makes those runs once per session for
every module that reads them. :func:`synthetic_run` is one scenario's
record, for the tests that render a report without running the kit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from flask_conformance import layout
from flask_conformance.report import cucumber
from flask_conformance.report.model import Run

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


def cucumber_report(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def elements(folder: Path) -> list[dict[str, Any]]:
    return [element for feature in cucumber_report(folder) for element in feature["elements"]]


def verdict(element: dict[str, Any]) -> str:
    return cucumber.verdict_of(element)


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
