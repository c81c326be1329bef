"""JUnit XML: one testcase per scenario run, for CI systems that show tests.

The file validates against ``junit-10.xsd``, the schema pytest checks its own
xunit2 output with (vendored in ``tests/schemas``), because CI systems and
viewers read that shape. That schema allows ``file``, ``properties`` and
``system-out`` on a ``testsuite`` but only ``system-out`` on a ``testcase``,
so the report holds one ``testsuite`` per feature file, its ``file`` the
feature's path in the repository (``features/sessions/expiry.feature``), and
says per scenario what has no attribute of its own in ``system-out``:

- a failure's message is the plain-words text of the broken behaviour;
- a not-applicable scenario is ``skipped`` with its reason;
- a warned scenario passes, with ``Verdict: warned`` and each warning in its
  ``system-out`` and a ``conformance-warning`` property on its feature's suite.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from .model import Run, count_verdicts, title_of
from .text import evidence_lines


def render(run: Run) -> str:
    # Every testcase is written, so the counts are of every record, the
    # @documents-flask ones (each marked by its tags property) included.
    totals = count_verdicts(run.records)
    suites = ET.Element(
        "testsuites",
        name="flask-conformance",
        tests=str(len(run.records)),
        failures=str(totals["failed"]),
        errors="0",
        time=_seconds(run.records),
    )
    for feature, records in run.features():
        suites.append(_testsuite(run, feature, records))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _seconds(records: list[dict[str, Any]]) -> str:
    return f"{sum(r['duration'] for r in records):.3f}"


def _testsuite(run: Run, feature: dict[str, Any], records: list[dict[str, Any]]) -> ET.Element:
    verdicts = [record["verdict"] for record in records]
    suite = ET.Element(
        "testsuite",
        name=feature["name"],
        file=feature["file"],
        tests=str(len(records)),
        failures=str(verdicts.count("failed")),
        errors="0",
        skipped=str(verdicts.count("not applicable")),
        time=_seconds(records),
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="target", value=run.target["import_string"])
    for name, value in sorted(run.target["versions"].items()):
        ET.SubElement(properties, "property", name=f"version-{name}", value=value)
    for name, value in sorted(run.target["capabilities"].items()):
        ET.SubElement(properties, "property", name=f"capability-{name}", value=str(value))
    for record in records:
        for warning in record["warnings"]:
            value = f"{title_of(record)}: {warning}"
            ET.SubElement(properties, "property", name="conformance-warning", value=value)
    for record in records:
        suite.append(_testcase(record))
    return suite


def _testcase(record: dict[str, Any]) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=record["feature"]["name"],
        name=title_of(record),
        time=f"{record['duration']:.3f}",
    )
    if record["verdict"] == "failed":
        failure = ET.SubElement(
            case, "failure", message=record.get("behaviour") or record.get("message", "")
        )
        failure.text = record.get("message", "")
    elif record["verdict"] == "not applicable":
        ET.SubElement(case, "skipped", message=record.get("message", ""))
    out = [
        f"Verdict: {record['verdict']}",
        f"Scenario: {record['feature']['file']}:{record['scenario']['line']}",
        f"Tags: {' '.join('@' + tag for tag in record['tags'])}",
    ]
    out += [f"Warning: {w}" for w in record["warnings"]]
    out += evidence_lines(record.get("evidence") or [])
    ET.SubElement(case, "system-out").text = "\n".join(out)
    return case
