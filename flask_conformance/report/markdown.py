"""Markdown that fits a pull-request comment.

The summary comes first (target, totals); everything else sits in collapsed
``<details>`` sections: each failure and warning with its evidence, the OWASP
coverage table, the seed article's myths, the target's hook trace and every
scenario by feature. Evidence is only kept for failures and warnings, so a
clean run stays small (GitHub allows 65,536 characters per comment).
"""

from __future__ import annotations

import re
from typing import Any

from .model import ICONS, VERDICTS, Run, documented_line, title_of
from .text import evidence_lines, exchange_line, hook_trace_blocks

#: GitHub refuses comments over 65,536 characters; stay clear of it.
SIZE_LIMIT = 60_000
#: Ever more compact renderings: (exchanges of evidence kept per scenario,
#: list passing scenarios too, most failures and warnings shown).
_LEVELS = ((None, True, None), (6, True, None), (6, False, None), (3, False, 40), (0, False, 15))


def render(run: Run) -> str:
    """The report, made more compact until it fits a pull-request comment."""
    for evidence_limit, list_all, attention_limit in _LEVELS:
        text = _render(run, evidence_limit, list_all, attention_limit)
        if len(text.encode()) <= SIZE_LIMIT:
            break
    return text


def _render(
    run: Run, evidence_limit: int | None, list_all: bool, attention_limit: int | None
) -> str:
    lines: list[str] = []
    target = run.target
    totals = run.totals
    worst = "failed" if totals["failed"] else "warned" if totals["warned"] else "passed"
    lines.append(f"## {ICONS[worst]} flask-conformance: `{target['import_string']}`")
    lines.append("")
    versions = ", ".join(f"{k} {v}" for k, v in target["versions"].items())
    lines.append(f"{versions}; backends: {', '.join(target['backends']) or 'unknown'}.")
    lines.append("")
    lines.append("| " + " | ".join(f"{ICONS[v]} {v}" for v in VERDICTS) + " | total |")
    lines.append("|" + "---:|" * (len(VERDICTS) + 1))
    lines.append(
        "| " + " | ".join(str(totals[v]) for v in VERDICTS) + f" | {len(run.app_records)} |"
    )
    lines.append("")
    documented = documented_line(run)
    if documented:
        lines += [documented, ""]
    lines += _findings(run)
    attention = run.needing_attention()
    if attention:
        lines.append("### Failures and warnings")
        lines.append("")
        for record in attention[:attention_limit]:
            lines += _attention(record, evidence_limit)
        if attention_limit is not None and len(attention) > attention_limit:
            lines += [
                (
                    f"{len(attention) - attention_limit} more failures and warnings are left out to "
                    "fit a comment: see the HTML or JSON report."
                ),
                "",
            ]
    lines += _capabilities(target)
    lines += _coverage(run)
    lines += _myths(run)
    lines += _hook_trace(target)
    lines += _all_scenarios(run, list_all)
    return "\n".join(lines).rstrip() + "\n"


def _findings(run: Run) -> list[str]:
    """The broken and risky behaviours, grouped, most severe first; the runs follow."""
    findings = run.findings()
    if not findings:
        return []
    lines = ["### Findings", ""]
    for finding in findings:
        runs = len(finding.records)
        owasp_ids = f"; OWASP {', '.join(finding.owasp_ids)}" if finding.owasp_ids else ""
        lines.append(
            f"- {ICONS[finding.verdict]} **{_escape(finding.behaviour)}** "
            f"({runs} run{'s' if runs != 1 else ''}{owasp_ids})"
        )
        example = finding.example
        shown = f"  - e.g. {_escape(title_of(example))}"
        if example.get("expected"):
            actual = _escape(example.get("actual", ""))
            shown += f": expected {_escape(example['expected'])}; actual {actual}"
        lines.append(shown)
        if example.get("evidence"):
            lines.append(f"  - evidence: {_escape(exchange_line(example['evidence'][0]))}")
    lines.append("")
    return lines


def _details(summary: str, body: list[str]) -> list[str]:
    return ["<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>", ""]


def _attention(record: dict[str, Any], evidence_limit: int | None) -> list[str]:
    verdict = record["verdict"]
    body = [
        f"*{_escape(record['feature']['name'])}* — "
        + _code(f"{record['feature']['file']}:{record['scenario']['line']}"),
        "",
    ]
    if verdict == "failed":
        if record.get("expected"):
            body += [
                f"- **Broken behaviour:** {_escape(record.get('behaviour', ''))}",
                f"- **Expected:** {_escape(record['expected'])}",
                f"- **Actual:** {_escape(record.get('actual', ''))}",
            ]
        else:
            body += _fenced(record.get("message", ""))
    for warning in record["warnings"]:
        body.append(f"- **Warning:** {_escape(warning)}")
    body += ["", "Steps:", ""]
    body += [
        f"- {ICONS.get(s['status'], '')} {s['status']}: {s['keyword']} {_escape(s['name'])}"
        for s in record["steps"]
    ]
    exchanges = record.get("evidence") or []
    kept = (
        exchanges
        if evidence_limit is None
        else exchanges[max(0, len(exchanges) - evidence_limit) :]
    )
    if evidence_limit == 0:
        kept = []
    evidence = evidence_lines(kept)
    if len(kept) < len(exchanges):
        evidence.insert(0, f"({len(exchanges) - len(kept)} earlier exchanges left out)")
    if evidence:
        body += [
            "",
            "Evidence (kit clock time, visitor, request, response):",
            "",
            *_fenced("\n".join(evidence)),
        ]
    return _details(f"{ICONS[verdict]} <b>{verdict}</b>: {_escape(title_of(record))}", body)


def _capabilities(target: dict[str, Any]) -> list[str]:
    capabilities = target["capabilities"]
    if not capabilities:
        body = ["No capabilities were detected for this target."]
    else:
        body = ["| capability | detected |", "|---|---|"]
        body += [f"| {k} | {_cell(v)} |" for k, v in sorted(capabilities.items())]
    return _details("Target capabilities", body)


def _coverage(run: Run) -> list[str]:
    rows = run.coverage()
    if not rows:
        return _details("OWASP coverage", ["No scenario in this run names an OWASP requirement."])
    body = ["| requirement | title | scenarios | " + " | ".join(VERDICTS) + " |"]
    body.append("|---|---|---:|" + "---:|" * len(VERDICTS))
    for row in rows:
        counts = " | ".join(str(row.verdicts[v]) for v in VERDICTS)
        body.append(f"| {row.requirement} | {row.title} | {row.scenarios} | {counts} |")
    return _details("OWASP coverage (WSTG / ASVS)", body)


def _myths(run: Run) -> list[str]:
    myths = run.myths()
    if not myths:
        return []
    body = []
    for claim, records in myths:
        body.append(f"> {_escape(claim)}")
        body.append("")
        for record in records:
            body.append(
                f"- {ICONS[record['verdict']]} {record['verdict']}: {_escape(title_of(record))}"
            )
        body.append("")
    return _details(f"The seed article's myths ({len(myths)} claims)", body)


def _hook_trace(target: dict[str, Any]) -> list[str]:
    trace = target["hook_trace"]
    if not trace:
        return _details("Hook trace", ["No hook trace was recorded for this target."])
    body = []
    for title, hooks in hook_trace_blocks(trace):
        body += [f"**{_escape(title)}**", ""]
        if not hooks:
            body += ["None of the app's own hooks ran.", ""]
            continue
        body += ["| hook | function | what it did |", "|---|---|---|"]
        body += [f"| {_cell(kind)} | {_code(name)} | {_cell(did)} |" for kind, name, did in hooks]
        body.append("")
    return _details(f"Hook trace ({len(trace)} requests)", body)


def _all_scenarios(run: Run, list_all: bool) -> list[str]:
    lines: list[str] = []
    for feature, records in run.features():
        counts = {v: sum(r["verdict"] == v for r in records) for v in VERDICTS}
        summary = ", ".join(f"{ICONS[v]} {n}" for v, n in counts.items() if n)
        shown = records if list_all else [r for r in records if r["verdict"] != "passed"]
        body = [f"- {ICONS[r['verdict']]} {_escape(title_of(r))}" for r in shown]
        if len(shown) < len(records):
            body.append(f"- and {len(records) - len(shown)} passed scenario runs")
        lines += _details(f"{_escape(feature['name'])} — {summary}", body)
    return lines


#: Characters that would start Markdown of their own in plain text: emphasis,
#: code spans, links, strikethrough and escapes.
_ACTIVE = re.compile(r"([\\`*\[\]~])")
#: An underscore that could open or close emphasis (intraword ones cannot).
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
#: ``@name`` outside a word: GitHub would notify the user of that name.
_MENTION = re.compile(r"(?<![\w.])@(?=\w)")


def _escape(text: str) -> str:
    """Plain text that reads the same on GitHub as in the feature file.

    Scenario names, claims and messages come from feature files and apps, so
    they may hold ``*``, backticks or ``@app.route``: escaped, they stay text,
    and a zero-width space after the ``@`` keeps GitHub from mentioning a user.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _ACTIVE.sub(r"\\\1", text)
    text = _EMPHASIS_UNDERSCORE.sub(r"\\_", text)
    text = _MENTION.sub("@&#8203;", text)
    return text.replace("|", "\\|")


def _cell(value: Any) -> str:
    return _escape(str(value))


def _fenced(text: str) -> list[str]:
    """A text block whose fence is longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", text, fence]


def _code(value: Any) -> str:
    """A code span in a table cell: its text as it is, but for the cell's ``|``."""
    text = str(value).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"
