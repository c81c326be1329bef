"""One self-contained HTML page for reviewers.

No network at all: the CSS and the small filter script are inline, the fonts
are the system's. The page has landmarks (header, nav, main, footer) and a
heading for every section, shows each verdict as an icon and a word (colour is
never the only signal), filters scenarios by verdict and tag, and reflows from
a 1280 px screen down to a phone. ``#filter?status=failed,warned&tag=sessions``
in the address opens it already filtered, which is also how the tests drive it.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from . import narrative
from .model import ICONS, VERDICTS, Run, documented_line, title_of
from .text import attributes_text, exchange_line, hook_trace_blocks

CSS = """
:root { --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#fff; --soft:#f6f8fa;
  --passed:#1a7f37; --failed:#cf222e; --warned:#9a6700; --na:#57606a; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color:var(--fg); background:var(--bg); }
header, nav, main, footer { padding: 0 1rem; max-width: 78rem; margin: 0 auto; }
header { padding-top: 1rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: .2rem 0; } h2 { font-size: 1.3rem; margin-top: 2rem;
  border-bottom: 1px solid var(--line); } h3 { font-size: 1.1rem; margin-bottom: .3rem; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem 1rem; padding: 0; margin: .6rem 0; }
a { color: #0550ae; } a:focus, summary:focus, input:focus, select:focus, button:focus, [tabindex]:focus { outline: 3px solid #0969da; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--soft); padding: .5rem; }
.totals { display: flex; flex-wrap: wrap; gap: .6rem; padding: 0; list-style: none; }
.totals li { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; min-width: 9rem; }
.totals strong { display: block; font-size: 1.5rem; }
.verdict { font-weight: 600; white-space: nowrap; }
.verdict.passed { color: var(--passed); } .verdict.failed { color: var(--failed); }
.verdict.warned { color: var(--warned); } .verdict.not-applicable { color: var(--na); }
.narrative { color: var(--muted); max-width: 50rem; } .narrative > :first-child { margin-top: 0; }
.narrative li { margin: .2rem 0; }
details.scenario { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px;
  margin: .4rem 0; padding: .2rem .6rem; }
details.scenario.failed { border-left-color: var(--failed); }
details.scenario.warned { border-left-color: var(--warned); }
details.scenario.passed { border-left-color: var(--passed); }
details.scenario.not-applicable { border-left-color: var(--na); border-left-style: dashed; }
summary { cursor: pointer; padding: .2rem 0; }
.tags { display: flex; flex-wrap: wrap; gap: .3rem; padding: 0; list-style: none; }
.tags li { background: var(--soft); border: 1px solid var(--line); border-radius: 1rem;
  padding: 0 .5rem; font-size: .8rem; }
ol.steps { padding-left: 1.4rem; } ol.steps li { margin: .1rem 0; }
table.datatable { margin: .25rem 0 .4rem; width: auto; }
table.hooks { table-layout: fixed; } table.hooks td, table.hooks code { overflow-wrap: anywhere; }
table.hooks th:nth-child(1) { width: 11rem; } h3.traced { font-size: 1rem; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; } table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top;
  font-size: .9rem; overflow-wrap: break-word; }
table.evidence { table-layout: fixed; min-width: 60rem; }
table.evidence th:nth-child(1) { width: 6.5rem; } table.evidence th:nth-child(2) { width: 5rem; }
table.evidence th:nth-child(3) { width: 11rem; } table.evidence th:nth-child(4) { width: 5rem; white-space: nowrap; }
td code { word-break: break-all; } dt { font-weight: 600; } dd { margin: 0 0 .4rem 1rem; } th { background: var(--soft); }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; background: var(--soft);
  border: 1px solid var(--line); border-radius: 6px; padding: .6rem; }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem .8rem; }
.filters legend { font-weight: 600; padding: 0; }
.filters select, .filters button { font: inherit; padding: .2rem .5rem; max-width: 100%; }
blockquote { margin: .5rem 0; padding: .2rem .8rem; border-left: 4px solid var(--line); color: var(--muted); }
footer { color: var(--muted); border-top: 1px solid var(--line); margin-top: 2rem; padding-bottom: 1rem; }
[hidden] { display: none !important; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: .5rem; background: var(--bg); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@media (max-width: 600px) { body { font-size: 15px; } .totals li { min-width: 42%; }
  th, td { font-size: .8rem; padding: .2rem .3rem; }
  table.coverage thead { display: none; }
  table.coverage tr { display: block; border: 1px solid var(--line); margin-bottom: .5rem; }
  table.coverage td { display: block; border: 0; border-bottom: 1px solid var(--soft); }
  table.coverage td::before { content: attr(data-label) ": "; font-weight: 600; } }
/* Below the evidence table's width each exchange is a card: nothing scrolls sideways. */
@media (max-width: 66rem) { table.evidence { min-width: 0; table-layout: auto; }
  table.evidence thead { display: none; }
  table.evidence tr { display: block; border: 1px solid var(--line); margin-bottom: .5rem; }
  table.evidence td { display: block; border: 0; border-bottom: 1px solid var(--soft); }
  table.evidence td::before { content: attr(data-label) ": "; font-weight: 600; } }
"""

SCRIPT = """
(function () {
  var form = document.getElementById('filters');
  var boxes = form.querySelectorAll('input[name=status]');
  var tag = document.getElementById('tag-filter');
  var count = document.getElementById('filter-count');
  function apply() {
    var wanted = {};
    boxes.forEach(function (b) { wanted[b.value] = b.checked; });
    var shown = 0;
    document.querySelectorAll('details.scenario').forEach(function (s) {
      var ok = wanted[s.dataset.status] && (!tag.value || s.dataset.tags.split(' ').indexOf(tag.value) >= 0);
      s.hidden = !ok; if (ok) { shown += 1; }
    });
    document.querySelectorAll('section.feature').forEach(function (f) {
      f.hidden = !f.querySelector('details.scenario:not([hidden])');
    });
    count.textContent = shown + ' scenario runs shown';
    document.body.dataset.shown = String(shown);
  }
  var hash = decodeURIComponent(location.hash || '');
  if (hash.indexOf('#filter?') === 0) {
    hash.slice(8).split('&').forEach(function (pair) {
      var kv = pair.split('='); var values = (kv[1] || '').split(',');
      if (kv[0] === 'status') { boxes.forEach(function (b) { b.checked = values.indexOf(b.value) >= 0; }); }
      if (kv[0] === 'tag') { tag.value = kv[1] || ''; }
    });
  }
  form.addEventListener('change', apply);
  if (hash.indexOf('#filter?') === 0) { apply(); document.getElementById('scenarios').scrollIntoView(); }
  form.addEventListener('submit', function (e) {
    e.preventDefault(); apply(); count.setAttribute('tabindex', '-1'); count.focus();
  });
  apply();
})();
"""


#: Each verdict's icon, before its word. Generated content with empty alternative
#: text (after the "/") is not read out, and checkers do not weigh a lone symbol's
#: contrast, as they would for an icon in a span of its own.
_ICON_CSS = "\n".join(
    f'.verdict.{v.replace(" ", "-")}::before {{ content: "{icon}\\a0"; content: "{icon}\\a0" / ""; }}'
    for v, icon in ICONS.items()
)


def render(run: Run) -> str:
    target = run.target
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>flask-conformance report: {escape(target['import_string'])}</title>",
        f"<style>{CSS}{_ICON_CSS}\n{_filter_css(_tags(run))}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        "<header><h1>flask-conformance report</h1>",
        f"<p>Target <code>{escape(target['import_string'])}</code></p></header>",
        '<nav aria-label="Report sections"><ul>',
        *(
            f'<li><a href="#{anchor}">{label}</a></li>'
            for anchor, label in (
                ("findings", "Findings"),
                ("summary", "Summary"),
                ("attention", "Failures and warnings"),
                ("scenarios", "All scenarios"),
                ("coverage", "OWASP coverage"),
                ("myths", "Myths"),
                ("hooks", "Hook trace"),
            )
        ),
        "</ul></nav>",
        '<main id="main">',
        *_findings(run),
        *_summary(run),
        *_attention(run),
        *_scenarios(run),
        *_coverage(run),
        *_myths(run),
        *_hook_trace(target),
        "</main>",
        (
            "<footer><p>Written by flask-conformance "
            f"{escape(target['versions'].get('flask-conformance', ''))}. Times in evidence are "
            "the kit's clock, not the wall clock.</p></footer>"
        ),
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _verdict(verdict: str, word: str | None = None) -> str:
    """The verdict as a word, its icon drawn by _ICON_CSS."""
    css = verdict.replace(" ", "-")
    return f'<span class="verdict {css}">{word or verdict}</span>'


def _table(headers: list[str], rows: list[list[str]], caption: str, css: str = "") -> list[str]:
    """A table; each cell carries its column name, which phones show as a label."""
    out = [
        f'<div class="table-wrap"><table class="{css}">'
        if css
        else '<div class="table-wrap"><table>',
        f'<caption class="visually-hidden">{escape(caption)}</caption>',
    ]
    out.append(
        "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in headers) + "</tr></thead>"
    )
    out.append("<tbody>")
    out += [
        "<tr>"
        + "".join(f'<td data-label="{h}">{cell}</td>' for h, cell in zip(headers, row))
        + "</tr>"
        for row in rows
    ]
    out.append("</tbody></table></div>")
    return out


def _findings(run: Run) -> list[str]:
    """The broken and risky behaviours, grouped, most severe first: what a reviewer reads."""
    findings = run.findings()
    out = ['<section id="findings" aria-labelledby="findings-h">']
    out.append(f'<h2 id="findings-h">Findings ({len(findings)})</h2>')
    if not findings:
        out.append("<p>Every behaviour held: nothing failed and nothing warned.</p>")
    for finding in findings:
        example = finding.example
        runs = len(finding.records)
        heading = f"{_verdict(finding.verdict)} {escape(finding.behaviour)}"
        out.append(f'<h3 class="finding">{heading}</h3>')
        facts = [f"{runs} run{'s' if runs != 1 else ''}"]
        if finding.owasp_ids:
            facts.append("OWASP " + ", ".join(escape(i) for i in finding.owasp_ids))
        out.append(f"<p>{'; '.join(facts)}. For example: "
                   f'<a href="#{_anchor(run, example)}">{escape(title_of(example))}</a></p>')
        if example.get("expected"):
            out.append(
                f"<dl><dt>Expected</dt><dd>{escape(example['expected'])}</dd>"
                f"<dt>Actual</dt><dd>{escape(example.get('actual', ''))}</dd></dl>"
            )
        if example.get("evidence"):
            out.append(f"<p><small>Evidence: {escape(exchange_line(example['evidence'][0]))}"
                       "</small></p>")
    out.append("</section>")
    return out


def _summary(run: Run) -> list[str]:
    target = run.target
    totals = run.totals
    out = ['<section id="summary" aria-labelledby="summary-h">', '<h2 id="summary-h">Summary</h2>']
    out.append('<ul class="totals">')
    out += [f"<li>{_verdict(v)}<strong>{totals[v]}</strong></li>" for v in VERDICTS]
    out.append(f"<li>total<strong>{len(run.app_records)}</strong></li></ul>")
    documented = documented_line(run)
    if documented:
        out.append(f"<p>{escape(documented)}</p>")
    rows = [["target", f"<code>{escape(target['import_string'])}</code>"]]
    rows.append(["session backends", escape(", ".join(target["backends"]) or "unknown")])
    rows += [[escape(k), escape(str(v))] for k, v in target["versions"].items()]
    out += _table(["what", "value"], rows, "Target and versions")
    out.append("<h3>Detected capabilities</h3>")
    if target["capabilities"]:
        caps = [[escape(k), escape(str(v))] for k, v in sorted(target["capabilities"].items())]
        out += _table(["capability", "detected"], caps, "Detected capabilities")
    else:
        out.append("<p>No capabilities were detected for this target.</p>")
    out.append("</section>")
    return out


def _attention(run: Run) -> list[str]:
    records = run.needing_attention()
    out = ['<section id="attention" aria-labelledby="attention-h">']
    out.append(f'<h2 id="attention-h">Failures and warnings ({len(records)})</h2>')
    if not records:
        out.append("<p>Every behaviour held: nothing failed and nothing warned.</p>")
    for record in records:
        out.append(
            f'<p>{_verdict(record["verdict"])} <a href="#{_anchor(run, record)}">'
            f"{escape(title_of(record))}</a> <small>({escape(record['feature']['name'])})</small></p>"
        )
    out.append("</section>")
    return out


def _scenarios(run: Run) -> list[str]:
    tags = _tags(run)
    out = ['<section id="scenarios" aria-labelledby="scenarios-h">']
    out.append('<h2 id="scenarios-h">All scenarios</h2>')
    # method="dialog": outside a <dialog>, submitting does nothing at all, so the
    # button never reloads the page and loses the choice when JavaScript is off
    # (the CSS from _filter_css has already applied it); with JavaScript it applies the
    # filter and moves to the results.
    out.append(
        '<form id="filters" class="filters" role="search" aria-label="Filter scenarios" '
        'method="dialog">'
    )
    out.append("<fieldset><legend>Show verdicts</legend>")
    for verdict in VERDICTS:
        out.append(
            f'<label><input type="checkbox" name="status" value="{verdict.replace(" ", "-")}" checked> '
            f"{ICONS[verdict]} {verdict}</label>"
        )
    out.append("</fieldset>")
    out.append('<div><label for="tag-filter"><b>Tag</b></label><br>')
    out.append('<select id="tag-filter" name="tag"><option value="">any tag</option>')
    out += [f'<option value="{escape(t)}">@{escape(t)}</option>' for t in tags]
    out.append("</select></div>")
    out.append('<div><button type="submit">Show matching scenarios</button></div>')
    out.append('<p id="filter-count" role="status" aria-live="polite"></p></form>')
    for index, (feature, records) in enumerate(run.features()):
        out.append(f'<section class="feature" aria-labelledby="feature-{index}">')
        out.append(f'<h3 id="feature-{index}">{escape(feature["name"])}</h3>')
        out.append(f"<p><code>{escape(feature['file'])}</code></p>")
        if feature["description"]:
            out += _narrative(feature["description"])
        out += [line for record in records for line in _scenario(run, record)]
        out.append("</section>")
    out.append("</section>")
    return out


def _tags(run: Run) -> list[str]:
    return sorted({t for r in run.records for t in r["tags"]})


#: A tag the CSS filter can name without escaping (every tag the features use).
_PLAIN_TAG = re.compile(r"[\w.-]+")


def _filter_css(tags: list[str]) -> str:
    """The filter as CSS, so that it works with JavaScript off too.

    Each unticked verdict and the chosen tag hide the other scenarios through
    ``:has()``; the script (SCRIPT) does the same with ``hidden`` and also
    counts what is shown and hides features left empty.
    """
    rules = [
        f"#scenarios:has(#filters input[value={v.replace(' ', '-')}]:not(:checked)) "
        f"details.scenario[data-status={v.replace(' ', '-')}] {{ display: none; }}"
        for v in VERDICTS
    ]
    rules += [
        f'#scenarios:has(#tag-filter option[value="{t}"]:checked) '
        f'details.scenario:not([data-tags~="{t}"]) {{ display: none; }}'
        for t in tags
        if _PLAIN_TAG.fullmatch(t)
    ]
    return "\n".join(rules)


def _scenario(run: Run, record: dict[str, Any]) -> list[str]:
    verdict = record["verdict"]
    css = verdict.replace(" ", "-")
    tags = " ".join(record["tags"])
    is_open = " open" if verdict in ("failed", "warned") else ""
    out = [
        (
            f'<details class="scenario {css}" id="{_anchor(run, record)}" data-status="{css}" '
            f'data-tags="{escape(tags)}"{is_open}>'
        ),
        f"<summary>{_verdict(verdict)} {escape(title_of(record))}</summary>",
    ]
    out.append(
        '<ul class="tags" aria-label="Tags">'
        + "".join(f"<li>@{escape(t)}</li>" for t in record["tags"])
        + "</ul>"
    )
    if record["scenario"]["description"]:
        out += _narrative(record["scenario"]["description"])
    if record.get("expected"):
        out.append("<dl>")
        out.append(f"<dt>Broken behaviour</dt><dd>{escape(record.get('behaviour', ''))}</dd>")
        out.append(f"<dt>Expected</dt><dd>{escape(record['expected'])}</dd>")
        out.append(f"<dt>Actual</dt><dd>{escape(record.get('actual', ''))}</dd></dl>")
    elif record.get("message"):
        label = "Why not applicable" if verdict == "not applicable" else "What happened"
        out.append(f"<p><b>{label}:</b></p><pre>{escape(record['message'])}</pre>")
    for warning in record["warnings"]:
        out.append(f"<p>{_verdict('warned')}: {escape(warning)}</p>")
    out.append('<ol class="steps">')
    for step in record["steps"]:
        status = {"passed": "passed", "failed": "failed"}.get(step["status"], "not applicable")
        word = "skipped" if status == "not applicable" else status
        out.append(
            f"<li>{_verdict(status, word)} <b>{escape(step['keyword'])}</b> {escape(step['name'])}"
            + _data_table(step.get("rows") or [])
            + "</li>"
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


def _evidence(evidence: list[dict[str, Any]]) -> list[str]:
    rows = []
    for exchange in evidence:
        sent = (
            "<br>".join(
                f"<code>{escape(k)}={escape(v)}</code>" for k, v in exchange["cookies_sent"].items()
            )
            or "none"
        )
        cookies = (
            "<br>".join(
                f"<code>{escape(c['name'])}={escape(c['value'])}</code><br>{escape(attributes_text(c['attributes']))}"
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
        rows.append(
            [
                escape(exchange["at"]),
                escape(exchange["visitor"]),
                request,
                status,
                sent,
                cookies,
                headers,
                payloads,
            ]
        )
    columns = [
        "kit clock",
        "visitor",
        "request",
        "status",
        "cookies sent",
        "Set-Cookie",
        "headers",
        "session payload",
    ]
    return [
        "<h4>Evidence</h4>",
        *_table(columns, rows, "HTTP exchanges of this scenario", "evidence"),
    ]


def _coverage(run: Run) -> list[str]:
    out = [
        '<section id="coverage" aria-labelledby="coverage-h">',
        '<h2 id="coverage-h">OWASP coverage</h2>',
    ]
    rows = run.coverage()
    if not rows:
        out.append("<p>No scenario in this run names an OWASP requirement.</p>")
    else:
        body = [
            [
                escape(r.requirement),
                escape(r.title),
                str(r.scenarios),
                *(str(r.verdicts[v]) for v in VERDICTS),
            ]
            for r in rows
        ]
        headers = ["requirement", "title", "scenarios", *VERDICTS]
        out += _table(headers, body, "OWASP coverage", "coverage")
    out.append("</section>")
    return out


def _myths(run: Run) -> list[str]:
    out = [
        '<section id="myths" aria-labelledby="myths-h">',
        '<h2 id="myths-h">The seed article\'s myths</h2>',
    ]
    myths = run.myths()
    if not myths:
        out.append("<p>No myth scenario ran.</p>")
    for claim, records in myths:
        out.append(f"<blockquote><p>{escape(claim)}</p></blockquote><ul>")
        out += [
            f'<li>{_verdict(r["verdict"])} <a href="#{_anchor(run, r)}">{escape(title_of(r))}</a></li>'
            for r in records
        ]
        out.append("</ul>")
    out.append("</section>")
    return out


def _hook_trace(target: dict[str, Any]) -> list[str]:
    out = ['<section id="hooks" aria-labelledby="hooks-h">', '<h2 id="hooks-h">Hook trace</h2>']
    trace = target["hook_trace"]
    if not trace:
        out.append("<p>No hook trace was recorded for this target.</p>")
    for title, hooks in hook_trace_blocks(trace):
        out.append(f'<h3 class="traced">{escape(title)}</h3>')
        if not hooks:
            out.append("<p>None of the app's own hooks ran.</p>")
            continue
        rows = [
            [escape(kind), f"<code>{escape(name)}</code>", escape(did)] for kind, name, did in hooks
        ]
        out += _table(
            ["Hook", "Function", "What it did"], rows, f"The app's hooks for {title}", "hooks"
        )
    out.append("</section>")
    return out


def _narrative(text: str) -> list[str]:
    """A feature's or scenario's narrative, its small Markdown rendered (see narrative.py)."""
    rendered = narrative.to_html(text)
    return [f'<div class="narrative">{rendered}</div>'] if rendered else []


def _anchor(run: Run, record: dict[str, Any]) -> str:
    index = {id(r): i for i, r in enumerate(run.sorted_records())}
    return f"scenario-{index.get(id(record), 0)}"
