"""Which behaviours changed verdict between two runs.

``flask-conformance diff OLD.json NEW.json`` reads two Cucumber JSON reports
written by ``--report`` (main and a branch, or the reference app and the
target) and lists each behaviour (scenario, example and backend) whose verdict
changed. A behaviour got **worse** when its verdict moved towards failed
(passed -> warned -> failed), or when it is new in NEW and fails or warns
there; that is what makes the command exit 1 in CI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: How bad a verdict is; not applicable says nothing about the app, like passed.
SEVERITY = {"passed": 0, "not applicable": 0, "warned": 1, "failed": 2}
KINDS = ("worse", "better", "changed", "new", "gone")
HEADINGS = {
    "worse": "Got worse",
    "better": "Got better",
    "changed": "Changed (neither better nor worse)",
    "new": "New behaviours",
    "gone": "Behaviours no longer run",
}


class DiffError(Exception):
    """A report file the diff cannot read; the message says what to do."""


@dataclass(frozen=True)
class Change:
    kind: str
    behaviour: str
    before: str | None
    after: str | None
    why: str = ""


def load(path: str) -> dict[str, dict[str, Any]]:
    """Behaviour -> its verdict and failure text, from a Cucumber JSON report."""
    file = Path(path)
    if not file.is_file():
        raise DiffError(
            f"Cannot read {path!r}: no such file. Pass two Cucumber JSON reports written with "
            "--report FILE.json."
        )
    try:
        features = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise DiffError(
            f"Cannot read {path!r}: it is not JSON ({error}). Pass a report written with "
            "--report FILE.json."
        ) from None
    except OSError as error:
        raise DiffError(
            f"Cannot read {path!r}: {error.strerror or error}. Pass a report written with "
            "--report FILE.json."
        ) from None
    problem = _shape_problem(features)
    if problem is not None:
        raise DiffError(
            f"Cannot read {path!r}: it is JSON but not a Cucumber JSON report ({problem}). "
            "Pass a report written with --report FILE.json."
        )
    behaviours: dict[str, dict[str, Any]] = {}
    for feature in features:
        for element in feature.get("elements", []):
            if not isinstance(element, dict):
                continue
            extra = element.get("conformance") or {}
            key = extra.get("key") or f"{feature.get('name', '')} / {element.get('name', '')}"
            behaviours[key] = {
                "verdict": extra.get("verdict") or _verdict_from_steps(element),
                "why": extra.get("behaviour") or _first_line(extra.get("message", "")),
            }
    return behaviours


def _shape_problem(features: Any) -> str | None:
    """What keeps ``features`` from being a Cucumber JSON report, or None.

    Only what :func:`load` reads is checked: a list of features, each with a
    list of scenarios (``elements``) whose names, ``conformance`` extras and
    steps have the types the kit writes.
    """
    if not isinstance(features, list):
        return f"the top level is {_kind(features)}, not a list of features"
    for feature in features:
        if not isinstance(feature, dict):
            return f"a feature is {_kind(feature)}, not an object"
        elements = feature.get("elements", [])
        if not isinstance(elements, list):
            return f"a feature's 'elements' is {_kind(elements)}, not a list of scenarios"
        if not isinstance(feature.get("name", ""), str):
            return "a feature's 'name' is not a string"
        for element in elements:
            if isinstance(element, dict):
                problem = _element_problem(element)
                if problem is not None:
                    return problem
    return None


def _element_problem(element: dict[str, Any]) -> str | None:
    if not isinstance(element.get("name", ""), str):
        return "a scenario's 'name' is not a string"
    extra = element.get("conformance") or {}
    if not isinstance(extra, dict):
        return f"a scenario's 'conformance' is {_kind(extra)}, not an object"
    for key in ("key", "verdict", "behaviour", "message"):
        if not isinstance(extra.get(key) or "", str):
            return f"a scenario's conformance '{key}' is not a string"
    steps = element.get("steps", [])
    if not isinstance(steps, list) or not all(
        isinstance(step, dict) and isinstance(step.get("result", {}), dict) for step in steps
    ):
        return "a scenario's 'steps' is not a list of steps with a 'result' object"
    return None


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else "a value")


def _verdict_from_steps(element: dict[str, Any]) -> str:
    """The verdict of a scenario from a Cucumber JSON file another tool wrote."""
    statuses = [s.get("result", {}).get("status") for s in element.get("steps", [])]
    if "failed" in statuses:
        return "failed"
    if statuses and all(status == "skipped" for status in statuses):
        return "not applicable"
    return "passed"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[Change]:
    changes = []
    for key in sorted(old.keys() | new.keys()):
        before = old.get(key, {}).get("verdict")
        after = new.get(key, {}).get("verdict")
        why = new.get(key, {}).get("why", "")
        if before == after:
            continue
        if before is None:
            kind = "new"
        elif after is None:
            kind = "gone"
        elif SEVERITY.get(after, 0) > SEVERITY.get(before, 0):
            kind = "worse"
        elif SEVERITY.get(after, 0) < SEVERITY.get(before, 0):
            kind = "better"
        else:
            kind = "changed"
        changes.append(Change(kind, key, before, after, why))
    return changes


def got_worse(changes: list[Change]) -> bool:
    """True when a behaviour got worse, or a new one fails or warns."""
    return any(
        c.kind == "worse" or (c.kind == "new" and SEVERITY.get(c.after or "", 0) > 0)
        for c in changes
    )


def markdown(changes: list[Change], old_name: str, new_name: str) -> str:
    lines = [f"## Behaviour diff: `{old_name}` → `{new_name}`", ""]
    if not changes:
        return "\n".join([*lines, "No behaviour changed its verdict.", ""])
    lines.append(_counts(changes) + ".")
    for kind in KINDS:
        selected = [c for c in changes if c.kind == kind]
        if not selected:
            continue
        table = ["| behaviour | before | after | why |", "|---|---|---|---|"]
        table += [
            f"| {_cell(c.behaviour)} | {c.before or '—'} | {c.after or '—'} | {_cell(c.why)} |"
            for c in selected
        ]
        if kind in ("new", "gone"):  # long when one run selected fewer scenarios: collapsed
            summary = f"{HEADINGS[kind]} ({len(selected)})"
            lines += [
                "",
                "<details>",
                f"<summary>{summary}</summary>",
                "",
                *table,
                "",
                "</details>",
            ]
        else:
            lines += ["", f"### {HEADINGS[kind]} ({len(selected)})", "", *table]
    return "\n".join(lines) + "\n"


def text(changes: list[Change], old_name: str, new_name: str) -> str:
    lines = [f"Behaviour diff: {old_name} -> {new_name}"]
    if not changes:
        return "\n".join([*lines, "No behaviour changed its verdict.", ""])
    lines.append(_counts(changes))
    for change in changes:
        line = f"{change.kind}: {change.behaviour}: {change.before or '-'} -> {change.after or '-'}"
        lines.append(line + (f" ({change.why})" if change.why else ""))
    return "\n".join(lines) + "\n"


def _counts(changes: list[Change]) -> str:
    return ", ".join(
        f"{sum(c.kind == kind for c in changes)} {kind}"
        for kind in KINDS
        if any(c.kind == kind for c in changes)
    )


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")
