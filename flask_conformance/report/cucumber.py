"""Cucumber JSON, the format CI dashboards and ``flask-conformance diff`` read.

The standard shape (features, elements, steps, results) with two additions
tools ignore: each element's ``conformance`` object holds the kit's verdict
(passed, failed, warned, not applicable), backend, example, warnings and
evidence, and the step that failed carries the evidence as a JSON embedding.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from .model import Run, behaviour_key

STEP_STATUS = {"passed": "passed", "failed": "failed", "skipped": "skipped"}


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
                "conformance_target": run.target,
            }
        )
    return features


def _element(record: dict[str, Any]) -> dict[str, Any]:
    scenario = record["scenario"]
    element_id = _slug(record["feature"]["name"]) + ";" + _slug(behaviour_key(record))
    steps = []
    for step in record["steps"]:
        status = STEP_STATUS.get(step["status"], "skipped")
        result: dict[str, Any] = {"status": status, "duration": int(step["duration"] * 1e9)}
        if status == "failed":
            result["error_message"] = record.get("message", "")
        entry = {
            "keyword": step["keyword"] + " ",
            "name": step["name"],
            "line": step["line"],
            "match": {"location": record["nodeid"]},
            "result": result,
        }
        if status == "failed" and record.get("evidence"):
            entry["embeddings"] = [_embedding(record["evidence"])]
        steps.append(entry)
    if record["verdict"] == "failed" and not any(s["result"]["status"] == "failed" for s in steps):
        # Failed outside a step (a fixture or hook): say so on a step of its own.
        steps.append(
            {
                "keyword": "Then ",
                "name": "(outside the steps)",
                "line": scenario["line"],
                "match": {"location": record["nodeid"]},
                "result": {"status": "failed", "duration": 0, "error_message": record["message"]},
            }
        )
    return {
        "keyword": scenario["keyword"],
        "id": element_id,
        "name": scenario["name"],
        "line": scenario["line"],
        "description": scenario["description"],
        "type": "scenario",
        "tags": [{"name": f"@{t}", "line": scenario["line"]} for t in record["tags"]],
        "steps": steps,
        "conformance": {
            key: record.get(key)
            for key in (
                "verdict",
                "backend",
                "params",
                "warnings",
                "message",
                "behaviour",
                "expected",
                "actual",
                "evidence",
                "nodeid",
            )
            if record.get(key) not in (None, [], {})
        }
        | {"key": behaviour_key(record), "verdict": record["verdict"]},
    }


def _embedding(evidence: list[dict[str, Any]]) -> dict[str, str]:
    data = json.dumps(evidence, ensure_ascii=False).encode()
    return {"mime_type": "application/json", "data": base64.b64encode(data).decode()}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
