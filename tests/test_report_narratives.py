"""The features' narratives and the seed article's myths, as a reader of a report sees them.

A narrative is small Markdown (lists, code, emphasis) rendered to HTML and
escaped, never trusted; a myth's claim is quoted whole, quotes and all; and
on GitHub the Markdown report shows names and claims as written, with no
markup or mention they did not mean.
"""

from __future__ import annotations

import re
from html import escape, unescape

from flask_conformance import layout
from flask_conformance.report import html, markdown, narrative
from flask_conformance.report.model import Run

from .report_runs import synthetic_run


def feature_narratives() -> list[tuple[str, str]]:
    """(where, narrative) for every Feature: and Scenario: narrative in the kit's features."""
    from pytest_bdd.parser import FeatureParser

    found = []
    for path in sorted(layout.FEATURES_DIR.rglob("*.feature")):
        name = str(path.relative_to(layout.FEATURES_DIR))
        feature = FeatureParser(str(layout.FEATURES_DIR), name).parse()
        found.append((name, feature.description))
        found += [(f"{name}: {s.name}", s.description) for s in feature.scenarios.values()]
    return [(where, text) for where, text in found if text]


def test_feature_narratives_render_their_lists_code_and_emphasis_in_html() -> None:
    rendered = {where: narrative.to_html(text) for where, text in feature_narratives()}
    errors = rendered["hooks/errors.feature"]
    assert errors.count("<li>") == 3 and "<ul>" in errors and "- an exception" not in errors
    assert "<code>g</code> is not global" in rendered["context/g.feature"]
    assert "<code>with client:</code>" in rendered["context/g.feature"]
    assert "<code>app.session_interface.regenerate(session)</code>" in (
        rendered["journeys/fixation.feature"]
    )
    assert "<em>inside the cookie</em>" in rendered["sessions/persistence.feature"]
    # Only the small Markdown the narratives use: no stray code blocks, headings or links.
    for where, page in rendered.items():
        tags = set(re.findall(r"<(\w+)", page))
        assert tags <= {"p", "ul", "li", "code", "em"}, f"{where}: {tags}"
        assert "`" not in page, f"{where}: a backtick shows"


def test_a_narrative_is_escaped_not_trusted() -> None:
    text = 'Keep <script>alert(1)</script> out, and ![x](http://example.test/x.png) [a](javascript:1)'
    page = narrative.to_html(text)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img" not in page and 'href="javascript' not in page
    assert "<h" not in narrative.to_html("# Not a heading\n\nText")
    # A route is text, not an autolink to a "path:" address; nor is a Markdown link.
    route = narrative.to_html("a wiki's /<path:path> and [docs](https://example.test/)")
    assert "<a" not in route and "/&lt;path:path&gt;" in route


def test_the_html_shows_a_narrative_as_paragraphs_and_a_list() -> None:
    run = synthetic_run("passed")
    run.records[0]["feature"]["description"] = "Two kinds:\n\n- `g` per request;\n- *sessions*."
    page = html.render(run)
    assert (
        '<div class="narrative"><p>Two kinds:</p>\n<ul>\n<li><code>g</code> per request;</li>\n'
        "<li><em>sessions</em>.</li>\n</ul></div>"
    ) in page


MYTH_CLAIM = 'IMPORTANT: "True" forces our changes to be recognized. session.modified = True'


def myth_run() -> Run:
    """A run of the myth scenario whose claim quotes the article's own quotes."""
    from pytest_bdd.parser import FeatureParser

    feature = FeatureParser(str(layout.FEATURES_DIR), "myths.feature").parse()
    scenario = next(s for s in feature.scenarios.values() if "M-01" in s.tags)
    run = synthetic_run("passed")
    record = run.records[0]
    record["tags"] = ["myth", "M-01"]
    record["scenario"] = {**record["scenario"], "name": scenario.name,
                          "description": scenario.description}  # fmt: skip
    return run


def test_a_myth_claim_that_quotes_quotes_is_shown_whole() -> None:
    run = myth_run()
    assert [claim for claim, _ in run.myths()] == [MYTH_CLAIM]
    assert f"<blockquote><p>{escape(MYTH_CLAIM)}</p></blockquote>" in html.render(run)
    assert f"> {MYTH_CLAIM}\n" in markdown.render(run)


def github_markdown(text: str) -> str:
    """The text as GitHub's CommonMark with tables renders it (raw HTML allowed, as there)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


def visible(page: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", page)).replace("\u200b", "")


def test_markdown_names_and_claims_read_on_github_as_written() -> None:
    odd = "a *b* _c_ `d` [e](f) ~~g~~ <b>h</b> x|y @app.route & i_j"
    run = myth_run()
    record = run.records[0]
    record.update(verdict="failed", behaviour=odd, expected="E", actual="A",
                  message="Broken behaviour: " + odd)  # fmt: skip
    record["scenario"]["name"] = odd
    page = github_markdown(markdown.render(run))
    for markup in ("<em>b</em>", "<em>c</em>", "<code>d</code>", '<a href="f"', "<del>", "<b>h"):
        assert markup not in page, markup
    assert visible(page).count(odd) >= 3  # the finding, the failure's title and behaviour
    assert MYTH_CLAIM in visible(page)
    assert not re.search(r"(?<![\w.])@app", page), "GitHub would mention the user 'app'"
