"""OWASP requirements the kit's scenarios cover, and the coverage table.

Scenarios name the requirements they test with tags: ``@WSTG-SESS-06`` (Web
Security Testing Guide 4.2), ``@ASVS4-3.3.1`` (ASVS 4.0.3) and ``@ASVS5-7.4.1``
(ASVS 5.0). The table says, per requirement, how many scenarios covered it and
with which verdicts, so a reviewer can see what was tested and what was not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .tags import OWASP_ID

#: Short titles of the requirements the kit's scenarios cover.
REQUIREMENTS: dict[str, str] = {
    "WSTG-SESS-01": "Testing for session management schema",
    "WSTG-SESS-02": "Testing for cookie attributes",
    "WSTG-SESS-03": "Testing for session fixation",
    "WSTG-SESS-04": "Testing for exposed session variables",
    "WSTG-SESS-06": "Testing for logout functionality",
    "WSTG-SESS-07": "Testing session timeout",
}


@dataclass
class CoverageRow:
    """One requirement and the verdicts of the scenarios that cover it."""

    requirement: str
    title: str
    verdicts: Counter[str] = field(default_factory=Counter)

    @property
    def scenarios(self) -> int:
        return sum(self.verdicts.values())


def coverage_rows(results: Iterable[tuple[Iterable[str], str]]) -> list[CoverageRow]:
    """Coverage per requirement from ``(tags, verdict)`` pairs, one per scenario run."""
    rows: dict[str, CoverageRow] = {}
    for scenario_tags, verdict in results:
        for tag in scenario_tags:
            if OWASP_ID.match(tag):
                row = rows.setdefault(tag, CoverageRow(tag, REQUIREMENTS.get(tag, "")))
                row.verdicts[verdict] += 1
    return sorted(rows.values(), key=lambda row: row.requirement)
