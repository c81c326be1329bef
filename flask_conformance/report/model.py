"""The results a report is written from, as plain JSON-able data.

Workers send scenario records to the controller as JSON strings, so every
writer reads the same dicts whatever process ran the scenario. Results are
sorted by feature file, scenario line and example, never by the order in which
workers finished, so a run with and without ``-n 2`` gives the same report.

Records of ``@documents-flask`` scenarios ran on apps the kit builds, not on
the target: :attr:`Run.totals` and :meth:`Run.coverage` leave them out and
:attr:`Run.documented_totals` counts them apart.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..plugin.tags import OWASP_ID, documents_flask
from ..security import owasp

VERDICTS = ("passed", "failed", "warned", "not applicable")
#: Text and icon for each verdict: colour is never the only signal.
ICONS = {"passed": "✔", "failed": "✘", "warned": "⚠", "not applicable": "–"}

#: The article's claim as the myth scenarios quote it: from the first quote after
#: "The article" to the quote that ends a line. A claim may quote the article's
#: own quotes ("IMPORTANT: "True" forces...") and run over several lines.
_CLAIM = re.compile(
    r"The article[^\"“]*[\"“](?P<claim>.+?)[\"”][,.;:)]*$", re.DOTALL | re.MULTILINE
)
#: A claim whose closing quote does not end its line.
_CLAIM_IN_LINE = re.compile(r"The article[^\"“]*[\"“](?P<claim>.+?)[\"”](?=[\s,.;:)]|$)", re.DOTALL)


@dataclass
class Run:
    """Everything one run found: the target and one record per scenario run."""

    target: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    #: pytest's exit status when the reports were written (None: not known).
    exit_status: int | None = None

    def sorted_records(self) -> list[dict[str, Any]]:
        return sorted(self.records, key=sort_key)

    @property
    def app_records(self) -> list[dict[str, Any]]:
        """The records that say something about the app under test."""
        return [r for r in self.records if not documents_flask(r["tags"])]

    @property
    def documented_records(self) -> list[dict[str, Any]]:
        """The records of scenarios that document Flask on apps the kit builds."""
        return [r for r in self.records if documents_flask(r["tags"])]

    @property
    def totals(self) -> Counter[str]:
        """Verdicts of the app's own scenario runs (``@documents-flask`` left out)."""
        return count_verdicts(self.app_records)

    @property
    def documented_totals(self) -> Counter[str]:
        """Verdicts of the ``@documents-flask`` runs, reported apart."""
        return count_verdicts(self.documented_records)

    def features(self) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Features in file order, each with its scenario records in order."""
        grouped: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
        for record in self.sorted_records():
            feature = record["feature"]
            grouped.setdefault(feature["file"], (feature, []))[1].append(record)
        return list(grouped.values())

    def needing_attention(self) -> list[dict[str, Any]]:
        """Failed and warned scenario runs, failures first."""
        records = self.sorted_records()
        return [r for r in records if r["verdict"] == "failed"] + [
            r for r in records if r["verdict"] == "warned"
        ]

    def findings(self) -> list[Finding]:
        """Broken and risky behaviours, each with the runs that show it.

        A reviewer reads findings, not runs: six runs that all lack ``Vary:
        Cookie`` are one finding. Failures come first, then warnings; within
        each, the behaviour shown by the most runs first.
        """
        groups: dict[tuple[str, str], Finding] = {}
        for record in self.sorted_records():
            if documents_flask(record["tags"]):
                continue  # Flask's, not the app's: counted apart (documented_line)
            if record["verdict"] == "failed":
                said = [record.get("behaviour") or _first_line(record.get("message", ""))]
            elif record["verdict"] == "warned":
                said = list(record["warnings"])
            else:
                continue
            for behaviour in said:
                key = (record["verdict"], behaviour)
                groups.setdefault(key, Finding(record["verdict"], behaviour)).records.append(record)
        return sorted(
            groups.values(),
            key=lambda f: (f.verdict != "failed", -len(f.records), f.behaviour),
        )

    def coverage(self) -> list[owasp.CoverageRow]:
        records = [r for r in self.sorted_records() if not documents_flask(r["tags"])]
        return owasp.coverage_rows((r["tags"], r["verdict"]) for r in records)

    def myths(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The seed article's claims, each with the scenario runs that refute it."""
        claims: dict[str, list[dict[str, Any]]] = {}
        for record in self.sorted_records():
            if "myth" not in record["tags"]:
                continue
            claims.setdefault(claim_of(record), []).append(record)
        return list(claims.items())


@dataclass
class Finding:
    """One broken (failed) or risky (warned) behaviour and the runs that show it."""

    verdict: str
    behaviour: str
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def owasp_ids(self) -> list[str]:
        ids = {tag for record in self.records for tag in record["tags"] if OWASP_ID.match(tag)}
        return sorted(ids)

    @property
    def example(self) -> dict[str, Any]:
        """The run whose evidence stands for the finding: the first one that has some."""
        return next((r for r in self.records if r.get("evidence")), self.records[0])


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def count_verdicts(records: list[dict[str, Any]]) -> Counter[str]:
    counts: Counter[str] = Counter({verdict: 0 for verdict in VERDICTS})
    counts.update(record["verdict"] for record in records)
    return counts


def documented_line(run: Run) -> str | None:
    """One sentence on the ``@documents-flask`` runs, or None when there were none."""
    totals = run.documented_totals
    count = sum(totals.values())
    if not count:
        return None
    words = ", ".join(f"{totals[v]} {v}" for v in VERDICTS if totals[v])
    return (
        f"Not counted above: {count} scenario runs document Flask on apps the kit builds "
        f"itself ({words}); their outcome does not depend on this app."
    )


def sort_key(record: dict[str, Any]) -> tuple[Any, ...]:
    return (
        record["feature"]["file"],
        record["scenario"]["line"],
        record.get("example_index", -1),
        record.get("backend") or "",
        record["nodeid"],
    )


def claim_of(record: dict[str, Any]) -> str:
    """The article's claim a myth scenario quotes, or its name when it quotes none."""
    description = record["scenario"].get("description") or ""
    match = _CLAIM.search(description) or _CLAIM_IN_LINE.search(description)
    if match is None:
        name: str = record["scenario"]["name"]
        return name
    return " ".join(match["claim"].split())


def title_of(record: dict[str, Any]) -> str:
    """The scenario's name with its example and backend: what a reader calls it."""
    title: str = record["scenario"]["name"]
    params = record.get("params") or {}
    if params:
        title += " [" + ", ".join(f"{k}={v}" for k, v in params.items()) + "]"
    if record.get("backend"):
        title += f" ({record['backend']} sessions)"
    return title
