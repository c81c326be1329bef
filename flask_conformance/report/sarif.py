"""SARIF 2.1.0, for code scanning: the app's broken behaviours as alerts.

Code scanning (GitHub's, and the SARIF viewers) shows an alert per result and
tracks it from run to run by its rule and its place in the source, so the
report is shaped for that:

- **One rule per checked behaviour**: each scenario that ran on the app and
  was not only "not applicable". Scenarios that document Flask on apps the
  kit builds say nothing about the app and are left out. The rule id is the
  scenario's place in the specs, ``security/cookie_attributes/the-cookie-is-
  only-ever-sent-over-https``: a stable, hierarchical id (SARIF 3.49.3) that
  every scenario has. The reference catalogue's behaviour IDs (``P-05``) are
  not unique to a scenario and many security scenarios have none, so they
  go, with the OWASP ids, into the rule's ``properties.tags`` and its help.
- **One result per finding**, not per run, as the terminal summary and the
  HTML "findings" group them: runs of the same scenario that show the same
  broken behaviour at the same place are one alert, whose message says how
  many runs show it and gives one piece of evidence. Six example rows
  failing for one missing setting are one thing to fix; six alerts on one
  line would be noise, and code scanning would merge them anyway.
- **Level**: a failure is an ``error``, a warning (a behaviour that holds but
  is a risk) a ``warning``. Passed and not-applicable runs are no results.
- **Location**: the app's own source where the kit can name it: the line of
  the app's function that raised (:func:`flask_conformance.target.raising_function.raised_at`),
  else the hook, view or error handler the message names, else the factory
  (or module) that builds the app, where its settings are made. Paths are
  relative to the working folder (``%SRCROOT%``), because code scanning only
  shows files of the repository. Code outside it (an installed package) is
  not a place to point at, and the scenario's feature file and line (also
  given as a related location) is then the location.

The output is sorted and holds no times, so the same run gives the same file.
"""

from __future__ import annotations

import json
import re
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path
from typing import Any

from .. import __version__, layout
from ..plugin.tags import BEHAVIOUR_ID, OWASP_ID, documents_flask
from ..security import owasp
from .model import Run, title_of

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
#: The installed kit, for feature files the repository does not hold.
KITROOT = "FLASK_CONFORMANCE"
LEVELS = {"failed": "error", "warned": "warning"}


def render(run: Run, root: Path | None = None) -> str:
    """The SARIF log of ``run``; paths relative to ``root`` (the working folder)."""
    root = (root or Path.cwd()).resolve()
    rules = _rules(run)
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    results = _results(run, root)
    for result in results:
        result["ruleIndex"] = index[result["ruleId"]]
    uses_kit_root = any(
        loc["physicalLocation"]["artifactLocation"].get("uriBaseId") == KITROOT
        for result in results
        for loc in result["locations"] + result.get("relatedLocations", [])
    )
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": _driver(rules)},
                "automationDetails": {"id": f"flask-conformance/{run.target['import_string']}/"},
                "invocations": [_invocation(run)],
                "originalUriBaseIds": _base_ids(root, uses_kit_root),
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# -- the tool and its rules ---------------------------------------------------
def _driver(rules: list[dict[str, Any]]) -> dict[str, Any]:
    driver: dict[str, Any] = {
        "name": "flask-conformance",
        "version": __version__,
        "rules": rules,
    }
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    return driver


def information_uri() -> str | None:
    """The project's address from the installed package's metadata, or None.

    Read, not written here, so the report never names an address the project
    does not publish.
    """
    try:
        urls: list[str] = metadata("flask-conformance").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    by_label = dict(url.split(", ", 1) for url in urls if ", " in url)
    for label in ("Homepage", "Documentation", "Source", "Repository"):
        if label in by_label:
            return by_label[label]
    return next(iter(by_label.values()), None)


def _rules(run: Run) -> list[dict[str, Any]]:
    """One rule per scenario that checked the app, sorted by id."""
    checked: dict[str, list[dict[str, Any]]] = {}
    for record in run.sorted_records():
        if documents_flask(record["tags"]):
            continue
        checked.setdefault(rule_id(record), []).append(record)
    rules = []
    for identifier, records in sorted(checked.items()):
        if all(r["verdict"] == "not applicable" for r in records):
            continue  # not checked on this app: no rule to pass or break
        rules.append(_rule(identifier, records))
    return rules


def rule_id(record: dict[str, Any]) -> str:
    """``<feature path under features/, no suffix>/<scenario name as a slug>``."""
    path = record["feature"]["file"].removeprefix("features/").removesuffix(".feature")
    name = record["scenario"].get("template") or record["scenario"]["name"]
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{path}/{slug}"


def _rule(identifier: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    record = records[0]
    name = record["scenario"].get("template") or record["scenario"]["name"]
    tags = sorted({t for r in records for t in r["tags"] if OWASP_ID.match(t)}, key=_natural)
    behaviours = sorted({t for r in records for t in r["tags"] if BEHAVIOUR_ID.match(t)})
    why = _first_paragraph(record["scenario"]["description"]) or _first_paragraph(
        record["feature"]["description"]
    )
    place = f"{record['feature']['file']}:{record['scenario']['line']}"
    text = [f"{name}. Checked by the scenario at {place} ({record['feature']['name']})."]
    markdown = [
        f"**{_escape(name)}**",
        "",
        f"Checked by the scenario at `{place}` (feature: {_escape(record['feature']['name'])}).",
    ]
    if why:
        text.append(why)
        markdown += ["", _escape(why)]
    if tags:
        text.append("OWASP: " + "; ".join(_requirement(t) for t in tags) + ".")
        markdown += ["", "OWASP requirements:", ""] + [f"- {_requirement(t)}" for t in tags]
    if behaviours:
        catalogue = ", ".join(behaviours)
        text.append(f"Flask behaviours of the kit's reference catalogue: {catalogue}.")
        markdown += ["", f"Flask behaviours (reference catalogue): {catalogue}"]
    security = ["security"] if tags or "security" in record["tags"] else []
    return {
        "id": identifier,
        "name": _pascal(name),
        "shortDescription": {"text": _sentence(name)},
        "fullDescription": {"text": _sentence(why or name)},
        "help": {"text": " ".join(text), "markdown": "\n".join(markdown)},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": [*security, *tags, *behaviours]},
    }


def _escape(text: str) -> str:
    """Markdown that shows an Outline's ``<cookie>`` instead of taking it for HTML."""
    return re.sub(r"([<>])", r"\\\1", text)


def _requirement(tag: str) -> str:
    title = owasp.REQUIREMENTS.get(tag)
    return f"{tag} ({title})" if title else tag


def _natural(tag: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", tag)]


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split()) if text.strip() else ""


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _pascal(text: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", text))


# -- results ------------------------------------------------------------------
def _results(run: Run, root: Path) -> list[dict[str, Any]]:
    """One result per scenario, verdict and place in the source.

    Code scanning tracks an alert by its rule and place, so runs that share
    both are one result, whatever path or example each run used; the message
    names every behaviour they show.
    """
    groups: dict[tuple[str, str, str], list[tuple[str, dict[str, Any]]]] = {}
    for finding in run.findings():  # failures first, the most shown first
        for record in finding.records:
            location = json.dumps(_location(run, finding.behaviour, record, root))
            key = (finding.verdict, rule_id(record), location)
            groups.setdefault(key, []).append((finding.behaviour, record))
    results = []
    for (verdict, identifier, location), shown in groups.items():
        records = list({id(r): r for _, r in shown}.values())
        behaviours = list(dict.fromkeys(behaviour for behaviour, _ in shown))
        scenario = _feature_location(records[0], root)
        primary = json.loads(location)
        result: dict[str, Any] = {
            "ruleId": identifier,
            "level": LEVELS[verdict],
            "kind": "fail",
            "message": {"text": _message(verdict, behaviours, records, primary == scenario)},
            "locations": [primary],
        }
        if primary != scenario:
            scenario["id"] = 1
            scenario["message"] = {"text": "The scenario that shows it."}
            result["relatedLocations"] = [scenario]
        result["properties"] = {"verdict": verdict, "runs": len(records)}
        results.append(result)
    # Failures first, the most shown first; then by rule and place, never by
    # message, whose paths may differ between a serial and an xdist run.
    return sorted(
        results,
        key=lambda r: (
            r["level"] != "error",
            -r["properties"]["runs"],
            r["ruleId"],
            json.dumps(r["locations"]),
        ),
    )


def _message(
    verdict: str, behaviours: list[str], records: list[dict[str, Any]], at_scenario: bool
) -> str:
    """What is broken, expected and actual, how many runs show it, one piece of evidence."""
    example = next((r for r in records if r.get("evidence")), records[0])
    label = "Broken" if verdict == "failed" else "Risk (warning)"
    parts = [_sentence(f"{label}: {behaviours[0]}")]
    if verdict == "failed" and example.get("expected"):
        parts.append(_sentence(f"Expected: {example['expected']}"))
        parts.append(_sentence(f"Actual: {example.get('actual', '')}"))
    parts += [_sentence(f"Also: {behaviour}") for behaviour in behaviours[1:3]]
    if len(behaviours) > 3:
        parts.append(f"And {len(behaviours) - 3} more.")
    runs = "1 run shows it" if len(records) == 1 else f"{len(records)} runs show it"
    parts.append(f"{runs}: " + "; ".join(title_of(r) for r in records) + ".")
    if example.get("evidence"):
        parts.append(_sentence(f"Evidence: {_exchange(example['evidence'])}"))
    if at_scenario:
        parts.append("The kit cannot name the app's line that causes it.")
    return " ".join(parts)


def _exchange(evidence: list[dict[str, Any]]) -> str:
    from .text import exchange_line

    return exchange_line(evidence[-1])


def _location(run: Run, behaviour: str, record: dict[str, Any], root: Path) -> dict[str, Any]:
    """The app's source the kit can name for this run, else the scenario."""
    said = behaviour + "\n" + record.get("message", "")
    for exchange in record.get("evidence") or []:
        place, where = exchange.get("raised_at"), exchange.get("raised_where")
        if place and where and where in said:
            located = _source_location(place, root)
            if located:
                return located
    for name, place in sorted(run.target.get("functions", {}).items()):
        if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", said):
            located = _source_location(place, root)
            if located:
                return located
    factory = run.target.get("factory")
    located = _source_location(factory, root) if factory else None
    return located or _feature_location(record, root)


def _source_location(place: dict[str, Any], root: Path) -> dict[str, Any] | None:
    """A location in the repository, or None for code outside it."""
    path = Path(place["file"]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return _physical(path.relative_to(root).as_posix(), SRCROOT, int(place["line"]))


def _feature_location(record: dict[str, Any], root: Path) -> dict[str, Any]:
    line = record.get("example_line") or record["scenario"]["line"]
    relative = record["feature"]["file"]
    path = (layout.KIT_ROOT / relative).resolve()
    if path.is_relative_to(root):
        return _physical(path.relative_to(root).as_posix(), SRCROOT, line)
    return _physical(relative, KITROOT, line)


def _physical(uri: str, base: str, line: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": base},
            "region": {"startLine": max(int(line), 1)},
        }
    }


def _invocation(run: Run) -> dict[str, Any]:
    """The run's exit status: 0 clean, 1 findings; anything else did not finish."""
    status = run.exit_status
    if status is None:  # written outside a run: say what the verdicts imply
        status = 1 if any(r["verdict"] == "failed" for r in run.records) else 0
    return {"executionSuccessful": status in (0, 1), "exitCode": status}


def _base_ids(root: Path, uses_kit_root: bool) -> dict[str, Any]:
    ids: dict[str, Any] = {
        SRCROOT: {"description": {"text": "The folder the kit was run from (the repository root)."}}
    }
    if uses_kit_root:
        words = "The installed flask-conformance package, which holds the specs."
        ids[KITROOT] = {"description": {"text": words}}
    return ids
