"""JUnit XML: one testcase per scenario run, for CI systems that show tests.

A failure's message is the plain-words text of the broken behaviour; a
not-applicable scenario is ``skipped`` with its reason; warnings are
``conformance-warning`` properties and, with the evidence, in ``system-out``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from .model import Run, title_of
from .text import evidence_lines


def render(run: Run) -> str:
    totals = run.totals
    suite = ET.Element(
        "testsuite",
        name="flask-conformance",
        tests=str(len(run.records)),
        failures=str(totals["failed"]),
        errors="0",
        skipped=str(totals["not applicable"]),
        time=f"{sum(r['duration'] for r in run.records):.3f}",
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="target", value=run.target["import_string"])
    for name, value in sorted(run.target["versions"].items()):
        ET.SubElement(properties, "property", name=f"version-{name}", value=value)
    for name, value in sorted(run.target["capabilities"].items()):
        ET.SubElement(properties, "property", name=f"capability-{name}", value=str(value))
    for record in run.sorted_records():
        suite.append(_testcase(record))
    ET.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, "unicode") + "\n"


def _testcase(record: dict[str, Any]) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=record["feature"]["name"],
        name=title_of(record),
        file=record["feature"]["file"],
        line=str(record["scenario"]["line"]),
        time=f"{record['duration']:.3f}",
    )
    if record["warnings"] or record["tags"]:
        properties = ET.SubElement(case, "properties")
        ET.SubElement(properties, "property", name="verdict", value=record["verdict"])
        ET.SubElement(properties, "property", name="tags", value=" ".join(record["tags"]))
        for warning in record["warnings"]:
            ET.SubElement(properties, "property", name="conformance-warning", value=warning)
    if record["verdict"] == "failed":
        failure = ET.SubElement(
            case, "failure", message=record.get("behaviour") or record.get("message", "")
        )
        failure.text = record.get("message", "")
    elif record["verdict"] == "not applicable":
        ET.SubElement(case, "skipped", message=record.get("message", ""))
    out = [f"Warning: {w}" for w in record["warnings"]]
    out += evidence_lines(record.get("evidence") or [])
    if out:
        ET.SubElement(case, "system-out").text = "\n".join(out)
    return case
