"""One self-contained HTML page for reviewers.

No network at all: the CSS and the small filter script are inline, the fonts
are the system's. The page has landmarks (header, nav, main, footer) and a
heading for every section, shows each verdict as an icon and a word (colour is
never the only signal), filters scenarios by verdict and tag, and reflows from
a 1280 px screen down to a phone. ``#filter?status=failed,warned&tag=sessions``
in the address opens it already filtered, which is also how the tests drive it.

This module lays out the page and its sections. The stylesheet (``page.css``)
and the filter's script (``filter.js``) are files of this package, so that
each reads, and can be checked, in its own language; the page inlines them.
:mod:`.scenario` draws one scenario run, :mod:`.filter` the filter, and
:mod:`.elements` the pieces they all share.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from typing import Any

from ..model import VERDICTS, Run, documented_line, title_of
from ..text import exchange_line, hook_trace_blocks
from .elements import ICON_CSS, anchor, narrative_block, table, verdict_word
from .filter import filter_css, filter_form, tags_of
from .scenario import scenario

CSS = files(__name__).joinpath("page.css").read_text(encoding="utf-8")
SCRIPT = files(__name__).joinpath("filter.js").read_text(encoding="utf-8")

#: What the findings and the failures and warnings say when there are none.
_ALL_HELD = "<p>Every behaviour held: nothing failed and nothing warned.</p>"


def render(run: Run) -> str:
    target = run.target
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>flask-conformance report: {escape(target['import_string'])}</title>",
        f"<style>\n{CSS}{ICON_CSS}\n{filter_css(tags_of(run))}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        "<header><h1>flask-conformance report</h1>",
        f"<p>Target <code>{escape(target['import_string'])}</code></p></header>",
        '<nav aria-label="Report sections"><ul>',
        *(
            f'<li><a href="#{name}">{label}</a></li>'
            for name, label in (
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
        f"<script>\n{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _section(name: str, heading: str, body: list[str]) -> list[str]:
    """A section the navigation links to by ``name``, labelled by its heading."""
    return [
        f'<section id="{name}" aria-labelledby="{name}-h">',
        f'<h2 id="{name}-h">{heading}</h2>',
        *body,
        "</section>",
    ]


def _findings(run: Run) -> list[str]:
    """The broken and risky behaviours, grouped, most severe first: what a reviewer reads."""
    findings = run.findings()
    out = [] if findings else [_ALL_HELD]
    for finding in findings:
        example = finding.example
        runs = len(finding.records)
        out.append(
            f'<h3 class="finding">{verdict_word(finding.verdict)} {escape(finding.behaviour)}</h3>'
        )
        facts = [f"{runs} run{'s' if runs != 1 else ''}"]
        if finding.owasp_ids:
            facts.append("OWASP " + ", ".join(escape(i) for i in finding.owasp_ids))
        out.append(
            f"<p>{'; '.join(facts)}. For example: "
            f'<a href="#{anchor(run, example)}">{escape(title_of(example))}</a></p>'
        )
        if example.get("expected"):
            out.append(
                f"<dl><dt>Expected</dt><dd>{escape(example['expected'])}</dd>"
                f"<dt>Actual</dt><dd>{escape(example.get('actual', ''))}</dd></dl>"
            )
        if example.get("evidence"):
            line = exchange_line(example["evidence"][0])
            out.append(f"<p><small>Evidence: {escape(line)}</small></p>")
    return _section("findings", f"Findings ({len(findings)})", out)


def _summary(run: Run) -> list[str]:
    target = run.target
    totals = run.totals
    out = ['<ul class="totals">']
    out += [f"<li>{verdict_word(v)}<strong>{totals[v]}</strong></li>" for v in VERDICTS]
    out.append(f"<li>total<strong>{len(run.app_records)}</strong></li></ul>")
    documented = documented_line(run)
    if documented:
        out.append(f"<p>{escape(documented)}</p>")
    rows = [["target", f"<code>{escape(target['import_string'])}</code>"]]
    rows.append(["session backends", escape(", ".join(target["backends"]) or "unknown")])
    rows += [[escape(k), escape(str(v))] for k, v in target["versions"].items()]
    out += table(["what", "value"], rows, "Target and versions")
    out.append("<h3>Detected capabilities</h3>")
    if target["capabilities"]:
        caps = [[escape(k), escape(str(v))] for k, v in sorted(target["capabilities"].items())]
        out += table(["capability", "detected"], caps, "Detected capabilities")
    else:
        out.append("<p>No capabilities were detected for this target.</p>")
    return _section("summary", "Summary", out)


def _attention(run: Run) -> list[str]:
    records = run.needing_attention()
    out = [] if records else [_ALL_HELD]
    out += [
        f'<p>{verdict_word(record["verdict"])} <a href="#{anchor(run, record)}">'
        f"{escape(title_of(record))}</a> <small>({escape(record['feature']['name'])})</small></p>"
        for record in records
    ]
    return _section("attention", f"Failures and warnings ({len(records)})", out)


def _scenarios(run: Run) -> list[str]:
    out = filter_form(tags_of(run))
    for index, (feature, records) in enumerate(run.features()):
        out.append(f'<section class="feature" aria-labelledby="feature-{index}">')
        out.append(f'<h3 id="feature-{index}">{escape(feature["name"])}</h3>')
        out.append(f"<p><code>{escape(feature['file'])}</code></p>")
        if feature["description"]:
            out += narrative_block(feature["description"])
        out += [line for record in records for line in scenario(run, record)]
        out.append("</section>")
    return _section("scenarios", "All scenarios", out)


def _coverage(run: Run) -> list[str]:
    rows = run.coverage()
    if not rows:
        out = ["<p>No scenario in this run names an OWASP requirement.</p>"]
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
        out = table(headers, body, "OWASP coverage", "coverage")
    return _section("coverage", "OWASP coverage", out)


def _myths(run: Run) -> list[str]:
    myths = run.myths()
    out = [] if myths else ["<p>No myth scenario ran.</p>"]
    for claim, records in myths:
        out.append(f"<blockquote><p>{escape(claim)}</p></blockquote><ul>")
        out += [
            f'<li>{verdict_word(r["verdict"])} <a href="#{anchor(run, r)}">'
            f"{escape(title_of(r))}</a></li>"
            for r in records
        ]
        out.append("</ul>")
    return _section("myths", "The seed article's myths", out)


def _hook_trace(target: dict[str, Any]) -> list[str]:
    trace = target["hook_trace"]
    out = [] if trace else ["<p>No hook trace was recorded for this target.</p>"]
    for title, hooks in hook_trace_blocks(trace):
        out.append(f'<h3 class="traced">{escape(title)}</h3>')
        if not hooks:
            out.append("<p>None of the app's own hooks ran.</p>")
            continue
        rows = [
            [escape(kind), f"<code>{escape(name)}</code>", escape(did)] for kind, name, did in hooks
        ]
        out += table(
            ["Hook", "Function", "What it did"], rows, f"The app's hooks for {title}", "hooks"
        )
    return _section("hooks", "Hook trace", out)
