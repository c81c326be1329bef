"""Which behaviours changed verdict between two runs.

``flask-conformance diff OLD.json NEW.json`` reads two Cucumber JSON reports
written by ``--report`` (main and a branch, or the reference app and the
target) and lists each behaviour (scenario, example and backend) whose verdict
changed. A behaviour got **worse** when its verdict moved towards failed
(passed -> warned -> failed), or when it is new in NEW and fails or warns
there; that is what makes the command exit 1 in CI.

A behaviour that failed or warned in OLD and is not applicable in NEW, or not
in NEW at all, was never shown to hold: a branch could pass the gate by making
checks not apply or not run. Such a behaviour is **no longer checked**, listed
with NEW's reason, and makes the command exit 1 like one that got worse. Only a
reviewer can tell a real change of the app (it dropped Flask-Login, it moved its
sessions to a server-side store) from a check that was switched off: the reason
is printed so they can, and once they accept it, the new report becomes the
baseline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cucumber

#: How bad a verdict is; not applicable says nothing about the app, like passed.
SEVERITY = {"passed": 0, "not applicable": 0, "warned": 1, "failed": 2}
KINDS = ("worse", "unchecked", "better", "changed", "new", "gone")
HEADINGS = {
    "worse": "Got worse",
    "unchecked": "No longer checked (a failure or warning never shown fixed)",
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
    if not cucumber.written_by_the_kit(features):
        raise DiffError(
            f"Cannot read {path!r}: it is not a report flask-conformance wrote (another tool's "
            "Cucumber JSON, JSON of another shape, or one with no scenario). Pass a report "
            "written with --report FILE.json."
        )
    behaviours: dict[str, dict[str, Any]] = {}
    for feature in features:
        for element in feature.get("elements") or []:
            key = f"{feature.get('name', '')} / {element.get('name', '')}"
            behaviours[key] = {
                "verdict": cucumber.verdict_of(element),
                "why": cucumber.why_of(element),
            }
    return behaviours


def compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[Change]:
    changes = []
    for key in sorted(old.keys() | new.keys()):
        before = old.get(key, {}).get("verdict")
        after = new.get(key, {}).get("verdict")
        why = new.get(key, {}).get("why", "")
        if before == after:
            continue
        found_before = SEVERITY.get(before or "", 0) > 0
        if before is None:
            kind = "new"
        elif after is None:
            kind = "unchecked" if found_before else "gone"
            why = "not run in the new report" if found_before else why
        elif found_before and after == "not applicable":
            kind = "unchecked"
        elif SEVERITY.get(after, 0) > SEVERITY.get(before, 0):
            kind = "worse"
        elif SEVERITY.get(after, 0) < SEVERITY.get(before, 0):
            kind = "better"
        else:
            kind = "changed"
        changes.append(Change(kind, key, before, after, why))
    return changes


def got_worse(changes: list[Change]) -> bool:
    """True when a behaviour got worse or is no longer checked, or a new one fails or warns."""
    return any(
        c.kind in ("worse", "unchecked") or (c.kind == "new" and SEVERITY.get(c.after or "", 0) > 0)
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
