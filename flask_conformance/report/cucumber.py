"""Cucumber JSON, the format CI dashboards and ``flask-conformance diff`` read.

The file keeps to the common Cucumber JSON schema (``canonical.json`` of
cucumber/cucumber-json-schema, vendored in ``tests/schemas``), which forbids
keys of one's own, so everything the kit has to say sits in fields every
consumer reads:

- each scenario run is one element, its ``name`` the scenario with its example
  and backend (``... [elapsed=31 minutes] (redis sessions)``), its ``id``
  unique in the run, its ``line`` the Examples row it comes from;
- ``uri`` is the feature's path in the repository (``features/...``);
- steps carry their data tables as ``rows``; a failed step's ``error_message``
  is the broken behaviour in plain words followed by the evidence;
- the kit's own checks are hooks whose ``match.location`` is
  :data:`KIT_HOOK`: a ``before`` hook that is ``skipped`` with the reason when
  the scenario does not apply to the app, and an ``after`` hook that fails
  when the scenario failed after its steps (a teardown) or that passes with
  the warnings as its message when the behaviour holds but is a risk.

That hook is also how ``diff`` knows a file is the kit's.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .model import Run, title_of
from .text import evidence_lines

STEP_STATUS = {"passed": "passed", "failed": "failed", "skipped": "skipped"}
#: ``match.location`` of the kit's own hooks.
KIT_HOOK = "flask-conformance"
WARNING_PREFIX = "Warning: "


def render(run: Run) -> str:
    return json.dumps(document(run), indent=2, ensure_ascii=False) + "\n"


def document(run: Run) -> list[dict[str, Any]]:
    features = []
    for feature, records in run.features():
        features.append(
            {
                "keyword": "Feature",
                "uri": feature["file"],
                "id": _slug(feature["name"]),
                "name": feature["name"],
                "line": feature["line"],
                "description": feature["description"],
                "tags": [{"name": f"@{t}", "line": feature["line"]} for t in feature["tags"]],
                "elements": [_element(record) for record in records],
            }
        )
    return features


def element_id(record: dict[str, Any]) -> str:
    """Feature, scenario, example row and backend: unique within a run."""
    parts = [_slug(record["feature"]["name"]), _slug(record["scenario"]["name"])]
    if record.get("example_index", -1) >= 0:
        parts.append(f"example-{record['example_index'] + 1}")
    if record.get("backend"):
        parts.append(record["backend"])
    return ";".join(parts)


def _element(record: dict[str, Any]) -> dict[str, Any]:
    scenario = record["scenario"]
    failure = _failure_text(record)
    steps = []
    for step in record["steps"]:
        status = STEP_STATUS.get(step["status"], "skipped")
        result: dict[str, Any] = {"status": status, "duration": int(step["duration"] * 1e9)}
        if status == "failed":
            result["error_message"] = failure
        entry: dict[str, Any] = {
            "keyword": step["keyword"] + " ",
            "name": step["name"],
            "line": step["line"],
            "match": {"location": record["nodeid"]},
            "result": result,
        }
        if step.get("rows"):
            entry["rows"] = [{"cells": list(row)} for row in step["rows"]]
        steps.append(entry)
    return {
        "keyword": scenario["keyword"],
        "id": element_id(record),
        "name": title_of(record),
        "line": record.get("example_line") or scenario["line"],
        "description": scenario["description"],
        "type": "scenario",
        "tags": [{"name": f"@{t}", "line": scenario["line"]} for t in record["tags"]],
        "before": [_hook(_applies(record))],
        "steps": steps,
        "after": [_hook(_after(record, steps, failure))],
    }


def _hook(result: dict[str, Any]) -> dict[str, Any]:
    return {"match": {"location": KIT_HOOK}, "result": result}


def _applies(record: dict[str, Any]) -> dict[str, Any]:
    """The kit's check that the scenario applies to this app."""
    if record["verdict"] == "not applicable":
        return {"status": "skipped", "duration": 0, "error_message": record.get("message", "")}
    return {"status": "passed", "duration": 0}


def _after(record: dict[str, Any], steps: list[dict[str, Any]], failure: str) -> dict[str, Any]:
    """What the kit found after the steps: a late failure, or the warnings."""
    if record["verdict"] == "failed" and not any(
        step["result"]["status"] == "failed" for step in steps
    ):
        return {"status": "failed", "duration": 0, "error_message": failure}
    if record["warnings"]:
        text = "\n".join(WARNING_PREFIX + warning for warning in record["warnings"])
        return {"status": "passed", "duration": 0, "error_message": text}
    return {"status": "passed", "duration": 0}


def _failure_text(record: dict[str, Any]) -> str:
    """The failure in plain words, then the evidence a reviewer needs."""
    lines = [record.get("message", "")]
    evidence = evidence_lines(record.get("evidence") or [])
    if evidence:
        lines += ["", *evidence]
    return "\n".join(lines).strip()


# -- reading a report back (flask-conformance diff) -----------------------------
def written_by_the_kit(features: Any) -> bool:
    """True for a Cucumber JSON report the kit wrote: every scenario has its hook."""
    if not isinstance(features, list) or not features:
        return False
    elements = [
        element
        for feature in features
        if isinstance(feature, dict)
        for element in feature.get("elements") or []
    ]
    return bool(elements) and all(
        isinstance(element, dict) and _kit_hooks(element, "before") for element in elements
    )


def _kit_hooks(element: dict[str, Any], when: str) -> list[dict[str, Any]]:
    hooks = element.get(when) or []
    return [
        hook.get("result") or {}
        for hook in hooks
        if isinstance(hook, dict) and (hook.get("match") or {}).get("location") == KIT_HOOK
    ]


def verdict_of(element: dict[str, Any]) -> str:
    """passed, failed, warned or not applicable, from one element the kit wrote."""
    results = [step.get("result") or {} for step in element.get("steps") or []]
    results += _kit_hooks(element, "after")
    if any(result.get("status") == "failed" for result in results):
        return "failed"
    if any(result.get("status") == "skipped" for result in _kit_hooks(element, "before")):
        return "not applicable"
    for result in _kit_hooks(element, "after"):
        if str(result.get("error_message", "")).startswith(WARNING_PREFIX):
            return "warned"
    return "passed"


def why_of(element: dict[str, Any]) -> str:
    """The first line that says why: the broken behaviour, the reason or the warning."""
    results = [step.get("result") or {} for step in element.get("steps") or []]
    results += _kit_hooks(element, "after") + _kit_hooks(element, "before")
    for result in results:
        message = str(result.get("error_message") or "").strip()
        if message:
            first = message.splitlines()[0]
            return first.removeprefix("Broken behaviour: ")
    return ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
