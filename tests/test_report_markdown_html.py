"""The Markdown and HTML reports: findings first, what the kit saw, and within their limits.

The Markdown must fit a pull-request comment however many failures; the
HTML must load nothing from elsewhere and escape the app's names; both open
with the findings, grouped and most severe first, and show the app's
capabilities and hook trace as tables, not Python or JSON.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from flask_conformance.drive.browser import Exchange
from flask_conformance.report import evidence, html, junit, markdown
from flask_conformance.report.model import Run
from flask_conformance.report.record import bare_record

from .report_runs import elements, synthetic_run, verdict


def test_markdown_fits_a_pull_request_comment(runs: dict[str, Path]) -> None:
    for run in ("reference-xdist", "bad-xdist"):
        size = len((runs[run] / "report.md").read_bytes())
        assert size < 60_000, f"{run}: {size} bytes"


def test_html_loads_nothing_from_elsewhere(runs: dict[str, Path]) -> None:
    for run in ("reference-xdist", "bad-xdist"):
        page = (runs[run] / "report.html").read_text()
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", page)
        assert "@import" not in page and "url(" not in page
        assert "<link" not in page and "<script src" not in page
        # The stylesheet and the script are files of the package, inlined whole.
        assert html.CSS in page and html.SCRIPT in page


def test_html_shows_capabilities_hook_trace_coverage_and_escapes_names() -> None:
    page = html.render(synthetic_run("passed"))
    cells = re.sub(r' data-label="[^"]*"', "", page)
    assert "<td>session store</td><td>signed cookie</td>" in cells
    # The hook trace reads like the terminal's: per request, hook kind, function, what it did.
    assert '<h3 class="traced">GET / (an ordinary page) -&gt; 200</h3>' in page
    assert (
        "<td>before_request</td><td><code>myapp.load_user</code></td>"
        "<td>ran (reads the session)</td>"
    ) in cells
    assert (
        "<td><code>myapp.gate [blueprint admin]</code></td>"
        "<td>answered the request itself: the view never ran</td>"
    ) in cells
    assert "a static file: none (the app has no static folder)" in page
    assert "{&#x27;" not in page and "{'" not in page  # no Python dicts
    assert "<td>WSTG-SESS-06</td><td>Testing for logout functionality</td><td>1</td>" in cells
    assert "S &lt;b&gt;" in page and "S <b>" not in page


def test_markdown_and_junit_show_capabilities_and_hook_trace() -> None:
    run = synthetic_run("not applicable", message="not applicable: no Flask-Login")
    text = markdown.render(run)
    assert "| session store | signed cookie |" in text
    assert "**GET / (an ordinary page) -&gt; 200**" in text
    assert "| before_request | `myapp.load_user` | ran (reads the session) |" in text
    assert '"hook"' not in text and "{" not in text.split("Hook trace")[1]  # no JSON lines
    assert "| WSTG-SESS-06 | Testing for logout functionality | 1 |" in text
    xml = junit.render(run)
    assert '<skipped message="not applicable: no Flask-Login"' in xml
    assert 'name="capability-session store" value="signed cookie"' in xml


def test_markdown_stays_under_60_kb_however_many_failures() -> None:
    run = synthetic_run("failed", message="Broken behaviour: x", behaviour="x", expected="y",
                        actual="z")  # fmt: skip
    exchange = evidence.exchange_record(
        Exchange(
            method="GET",
            path="/" + "p" * 200,
            at=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
            visitor="Alice",
            cookies_sent={"session": "v" * 300},
            status=200,
            headers=[("Set-Cookie", "session=" + "w" * 300 + "; HttpOnly")],
        )
    )
    template = run.records[0]
    run.records = [
        {**template, "nodeid": f"n{i}", "scenario": {**template["scenario"], "line": i},
         "evidence": [exchange] * 20}
        for i in range(400)
    ]  # fmt: skip
    text = markdown.render(run)
    assert len(text.encode()) < markdown.SIZE_LIMIT
    assert "more failures and warnings are left out to fit a comment" in text
    assert text.startswith("## ✘ flask-conformance") and "| 0 | 400 | 0 | 0 | 400 |" in text


def test_a_scenario_whose_details_cannot_be_recorded_still_reaches_the_reports() -> None:
    class Item:
        nodeid = "steps/test_features.py::test_odd"
        name = "test_odd"

    report = pytest.TestReport(
        Item.nodeid, ("steps/test_features.py", 0, "test_odd"), {}, "passed", None, "call",
        conformance_warnings=["a risk"],
    )  # fmt: skip
    record = bare_record(Item(), report, KeyError("feature"))  # type: ignore[arg-type]
    assert record["verdict"] == "warned" and record["warnings"] == ["a risk"]
    run = Run(target=synthetic_run("passed").target, records=[record])
    text = markdown.render(run)
    assert "⚠ <b>warned</b>: test_odd" in text
    assert "could not record this scenario&#x27;s details: KeyError" in html.render(run)


# -- findings first --------------------------------------------------------------
def test_reports_open_with_findings_grouped_most_severe_first() -> None:
    vary = synthetic_run("failed", message="Broken behaviour: no Vary: Cookie",
                         behaviour="no Vary: Cookie", expected="Vary: Cookie",
                         actual="no Vary header")  # fmt: skip
    tags = ["sessions", "WSTG-SESS-02"]
    second = {**vary.records[0], "nodeid": "n2", "backend": "redis", "tags": tags}
    risky = synthetic_run("warned", warnings=["a signed cookie cannot be revoked"]).records[0]
    lone = synthetic_run("failed", message="Broken behaviour: no Secure", behaviour="no Secure")
    run = Run(target=vary.target, records=[risky, vary.records[0], second, lone.records[0]])
    [first, other, warning] = run.findings()
    assert (first.behaviour, len(first.records)) == ("no Vary: Cookie", 2)
    assert first.owasp_ids == ["WSTG-SESS-02", "WSTG-SESS-06"]
    assert (other.behaviour, warning.verdict) == ("no Secure", "warned")
    page = html.render(run)
    assert page.index('id="findings"') < page.index('id="summary"') < page.index('id="attention"')
    assert page.count('<h3 class="finding">') == 3
    assert "2 runs; OWASP WSTG-SESS-02, WSTG-SESS-06." in page
    text = markdown.render(run)
    assert text.index("### Findings") < text.index("### Failures and warnings")
    assert "- ✘ **no Vary: Cookie** (2 runs; OWASP WSTG-SESS-02, WSTG-SESS-06)" in text
    assert "expected Vary: Cookie; actual no Vary header" in text


def test_a_real_runs_findings_group_its_failed_runs(runs: dict[str, Path]) -> None:
    text = (runs["bad-xdist"] / "report.md").read_text()
    findings = text.split("### Findings", 1)[1].split("### Failures and warnings", 1)[0]
    listed = re.findall(r"^- ✘ \*\*(.+)\*\* \((\d+) runs?", findings, re.MULTILINE)
    failed = [e for e in elements(runs["bad-xdist"]) if verdict(e) == "failed"]
    assert listed and sum(int(n) for _, n in listed) == len(failed)
    assert len(listed) < len(failed)  # grouped, not one line per run
    # Each finding carries one piece of evidence: an HTTP exchange of the run it names.
    assert findings.count("\n  - evidence: ") == len(listed)
    page = (runs["bad-xdist"] / "report.html").read_text()
    section = page.split('<section id="findings"', 1)[1].split("</section>", 1)[0]
    assert section.count('<h3 class="finding">') == len(listed)
    assert section.count("<p><small>Evidence: ") == len(listed)
