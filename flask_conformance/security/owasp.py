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

from ..plugin.tags import OWASP_ID

#: Short titles of the requirements the kit's scenarios cover.
REQUIREMENTS: dict[str, str] = {
    "WSTG-SESS-01": "Testing for session management schema",
    "WSTG-SESS-02": "Testing for cookie attributes",
    "WSTG-SESS-03": "Testing for session fixation",
    "WSTG-SESS-04": "Testing for exposed session variables",
    "WSTG-SESS-06": "Testing for logout functionality",
    "WSTG-SESS-07": "Testing session timeout",
    # ASVS 4.0.3
    "ASVS4-3.2.1": "New session token on authentication",
    "ASVS4-3.3.1": "Logout and expiry invalidate the session token",
    "ASVS4-3.3.2": "Re-authentication after an idle or absolute time",
    "ASVS4-3.4.1": "Session cookies have the Secure attribute",
    "ASVS4-3.4.2": "Session cookies have the HttpOnly attribute",
    "ASVS4-3.4.3": "Session cookies use the SameSite attribute",
    "ASVS4-3.4.4": "Session cookies use the __Host- prefix",
    "ASVS4-3.4.5": "Cookie Path set as precisely as possible",
    "ASVS4-3.5.3": "Stateless tokens resist tampering and key substitution",
    "ASVS4-8.2.2": "No sensitive data in browser storage or cookies",
    # ASVS 5.0
    "ASVS5-3.3.1": "Secure, and a __Host- (or __Secure-) prefix",
    "ASVS5-3.3.2": "SameSite set according to the cookie's purpose",
    "ASVS5-3.3.3": "__Host- prefix unless the cookie is deliberately shared",
    "ASVS5-3.3.4": "HttpOnly on cookies scripts do not need",
    "ASVS5-3.3.5": "Cookie name and value within 4096 bytes",
    "ASVS5-7.2.4": "New session token on authentication; the old one ends",
    "ASVS5-7.3.1": "Inactivity timeout",
    "ASVS5-7.3.2": "Absolute maximum session lifetime",
    "ASVS5-7.4.1": "No further use of a session after logout or expiry",
    "ASVS5-9.1.1": "Tokens checked by signature or MAC before use",
    "ASVS5-14.3.3": "No sensitive data in browser storage",
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
