"""One scenario run in the HTML report: what it checks, how it ended, what it saw.

Each run is a ``<details>`` element, open when it failed or warned, carrying
its verdict and tags as data attributes for the filter (see filter.py), its
narrative, its failure in plain words (broken behaviour, expected, actual),
its steps with their data tables and, for a failed or warned run, every HTTP
exchange as evidence. This is the part of the page a reviewer reads most and
the only one that shows evidence, so it is a module of its own.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from ..model import Run, title_of
from ..text import attributes_text
from .elements import anchor, narrative_block, table, verdict_word


def scenario(run: Run, record: dict[str, Any]) -> list[str]:
    """The run's entry under "All scenarios"."""
    verdict = record["verdict"]
    css = verdict.replace(" ", "-")
    tags = " ".join(record["tags"])
    is_open = " open" if verdict in ("failed", "warned") else ""
    out = [
        (
            f'<details class="scenario {css}" id="{anchor(run, record)}" data-status="{css}" '
            f'data-tags="{escape(tags)}"{is_open}>'
        ),
        f"<summary>{verdict_word(verdict)} {escape(title_of(record))}</summary>",
    ]
    out.append(
        '<ul class="tags" aria-label="Tags">'
        + "".join(f"<li>@{escape(t)}</li>" for t in record["tags"])
        + "</ul>"
    )
    if record["scenario"]["description"]:
        out += narrative_block(record["scenario"]["description"])
    if record.get("expected"):
        out.append("<dl>")
        out.append(f"<dt>Broken behaviour</dt><dd>{escape(record.get('behaviour', ''))}</dd>")
        out.append(f"<dt>Expected</dt><dd>{escape(record['expected'])}</dd>")
        out.append(f"<dt>Actual</dt><dd>{escape(record.get('actual', ''))}</dd></dl>")
    elif record.get("message"):
        label = "Why not applicable" if verdict == "not applicable" else "What happened"
        out.append(f"<p><b>{label}:</b></p><pre>{escape(record['message'])}</pre>")
    for warning in record["warnings"]:
        out.append(f"<p>{verdict_word('warned')}: {escape(warning)}</p>")
    out.append('<ol class="steps">')
    for step in record["steps"]:
        status = {"passed": "passed", "failed": "failed"}.get(step["status"], "not applicable")
        word = "skipped" if status == "not applicable" else status
        out.append(
            f"<li>{verdict_word(status, word)} <b>{escape(step['keyword'])}</b> "
            f"{escape(step['name'])}" + _data_table(step.get("rows") or []) + "</li>"
        )
    out.append("</ol>")
    if record.get("evidence"):
        out += _evidence(record["evidence"])
    out.append("</details>")
    return out


def _data_table(rows: list[list[str]]) -> str:
    """A step's data table as the feature file shows it, its first row the header."""
    if not rows:
        return ""
    header, *body = rows
    head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in header)
    lines = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in body
    )
    return f'<table class="datatable"><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>'


#: The evidence table's columns, in the order of :func:`_exchange_row`'s cells.
_EVIDENCE_COLUMNS = [
    "kit clock",
    "visitor",
    "request",
    "status",
    "cookies sent",
    "Set-Cookie",
    "headers",
    "session payload",
]


def _evidence(evidence: list[dict[str, Any]]) -> list[str]:
    rows = [_exchange_row(exchange) for exchange in evidence]
    return [
        "<h4>Evidence</h4>",
        *table(_EVIDENCE_COLUMNS, rows, "HTTP exchanges of this scenario", "evidence"),
    ]


def _exchange_row(exchange: dict[str, Any]) -> list[str]:
    """One exchange's cells: when, who, what was asked and what came back."""
    sent = (
        "<br>".join(
            f"<code>{escape(k)}={escape(v)}</code>" for k, v in exchange["cookies_sent"].items()
        )
        or "none"
    )
    cookies = (
        "<br>".join(
            f"<code>{escape(c['name'])}={escape(c['value'])}</code>"
            f"<br>{escape(attributes_text(c['attributes']))}"
            + (" <b>(deletes the cookie)</b>" if c["deletes"] else "")
            for c in exchange["set_cookies"]
        )
        or "none"
    )
    headers = "<br>".join(escape(f"{k}: {v}") for k, v in exchange["headers"].items())
    payloads = "<br>".join(
        f"{escape(where)}: <code>{escape(json.dumps(p, ensure_ascii=False))}</code>"
        for where, p in (exchange.get("session_payloads") or {}).items()
    )
    status = escape(exchange.get("error") or str(exchange["status"]))
    if exchange.get("app_error"):
        status += f"<br>the app raised {escape(exchange['app_error'])}"
    request = f"<code>{escape(exchange['method'])} {escape(exchange['path'])}</code>"
    if exchange.get("observation"):
        request += "<br><small>(a check by the kit)</small>"
    if exchange.get("restored"):
        request += "<br><small>(the run's login of this user, restored)</small>"
    return [
        escape(exchange["at"]),
        escape(exchange["visitor"]),
        request,
        status,
        sent,
        cookies,
        headers,
        payloads,
    ]
