"""The narratives under ``Feature:`` and ``Scenario:``, as HTML.

Feature files are documentation first, and their narratives are written in
the small Markdown a reviewer would type in a pull request: paragraphs,
``- `` lists, ``code`` and *emphasis*. The HTML report renders them with
markdown-it-py's CommonMark parser, the grammar GitHub's Markdown is built on,
so a narrative reads the same in the report, on GitHub and in the feature file.

The text comes from feature files that may be anyone's, so nothing in it
becomes markup it did not ask for: raw HTML is escaped, not passed through;
images are off (a self-contained report loads nothing); headings are off,
so a narrative cannot break the page's heading outline; and links are off, so
a route such as ``/<path:path>`` stays the text it is instead of an autolink
to a ``path:`` address.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).disable(
        ["heading", "lheading", "image", "link", "autolink"]
    )


def to_html(text: str) -> str:
    """The narrative's HTML: block elements (paragraphs, lists), text escaped."""
    html: str = _parser().render(text)  # MarkdownIt's HTML renderer gives a str
    return html.strip()
