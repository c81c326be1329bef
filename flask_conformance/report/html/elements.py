"""The small pieces every part of the HTML report is built from.

A verdict is always a word with its icon (colour is never the only signal), a
table always has a caption and gives each cell its column's name (which phones
show as a label), and a scenario run is always linked by the same anchor.
Written once here, every section and every scenario keeps those promises alike.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .. import narrative
from ..model import ICONS, Run

#: Each verdict's icon, before its word. Generated content with empty alternative
#: text (after the "/") is not read out, and checkers do not weigh a lone symbol's
#: contrast, as they would for an icon in a span of its own.
ICON_CSS = "\n".join(
    f'.verdict.{v.replace(" ", "-")}::before {{ content: "{icon}\\a0"; content: "{icon}\\a0" / ""; }}'
    for v, icon in ICONS.items()
)


def verdict_word(verdict: str, word: str | None = None) -> str:
    """The verdict as a word, its icon drawn by ICON_CSS."""
    css = verdict.replace(" ", "-")
    return f'<span class="verdict {css}">{word or verdict}</span>'


def table(headers: list[str], rows: list[list[str]], caption: str, css: str = "") -> list[str]:
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


def narrative_block(text: str) -> list[str]:
    """A feature's or scenario's narrative, its small Markdown rendered (see narrative.py)."""
    rendered = narrative.to_html(text)
    return [f'<div class="narrative">{rendered}</div>'] if rendered else []


def anchor(run: Run, record: dict[str, Any]) -> str:
    """The id of a scenario run's entry under "All scenarios", for links to it."""
    index = {id(r): i for i, r in enumerate(run.sorted_records())}
    return f"scenario-{index.get(id(record), 0)}"
