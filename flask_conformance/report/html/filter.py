"""Filtering the report's scenarios by verdict and tag, with JavaScript and without.

The form ticks verdicts and picks a tag. Without JavaScript the CSS rules of
:func:`filter_css` apply the choice through ``:has()``; with it, ``filter.js``
(inlined by the page) does the same with ``hidden``, counts what is shown,
hides features left empty and reads ``#filter?status=failed,warned&tag=sessions``
from the address, which is also how the tests drive it. The form, its rules
and its script name the same elements, so they are kept together here.
"""

from __future__ import annotations

import re
from html import escape

from ..model import ICONS, VERDICTS, Run

#: A tag the CSS filter can name without escaping (every tag the features use).
_PLAIN_TAG = re.compile(r"[\w.-]+")


def tags_of(run: Run) -> list[str]:
    """Every tag of the run's scenarios, sorted: the choices of the tag filter."""
    return sorted({t for r in run.records for t in r["tags"]})


def filter_form(tags: list[str]) -> list[str]:
    """The form above the scenarios: a box per verdict and a choice of tag."""
    # method="dialog": outside a <dialog>, submitting does nothing at all, so the
    # button never reloads the page and loses the choice when JavaScript is off
    # (the CSS from filter_css has already applied it); with JavaScript it applies the
    # filter and moves to the results.
    out = [
        (
            '<form id="filters" class="filters" role="search" aria-label="Filter scenarios" '
            'method="dialog">'
        ),
        "<fieldset><legend>Show verdicts</legend>",
    ]
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
    return out


def filter_css(tags: list[str]) -> str:
    """The filter as CSS, so that it works with JavaScript off too.

    Each unticked verdict and the chosen tag hide the other scenarios through
    ``:has()``; the script (filter.js) does the same with ``hidden`` and also
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
