"""Whether a page shows someone: the text a person reads, and a marker in it.

The journeys decide "the page shows Alice" from the profile's marker
(``contains = "Welcome, {username}"``, or the username itself). A substring
search of the whole response found the username ``admin`` inside a redirect
URL (``/login?next=/admin``) and took an anonymous visitor's redirect for a
page about that user. The kit now looks only at what a person reads:

- an HTML page's text, without tags, attributes, scripts and styles, and
  without the URLs Werkzeug's redirect page prints as its link text;
- a JSON answer's string values (not its keys);
- any other body as it is, URLs left out.

The marker must appear there whole: ``alice`` is not shown by ``malice`` or
``alice2``. A marker written in the page's own syntax, markup (flaskr's
``<span>{username}</span>``) or JSON (``"user":"{username}"``), is looked for,
whole, in the body itself, since neither is text a person reads.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from ..drive.browser import Exchange

#: Elements whose content a person never reads.
_HIDDEN = {"script", "style", "template", "noscript"}
#: A URL or an absolute path, as a redirect page prints it.
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//\S*|(?<!\S)/\S*")
_SPACE = re.compile(r"\s+")


class _VisibleText(HTMLParser):
    """Collects the text of an HTML document outside hidden elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(exchange: Exchange) -> str:
    """What a person reads on the page, whitespace collapsed, URLs left out."""
    content_type = (exchange.header("Content-Type") or "").lower()
    body = exchange.text
    if "json" in content_type:
        try:
            text = "\n".join(_strings(json.loads(body)))
        except ValueError:
            text = body
    elif "html" in content_type or body.lstrip().startswith("<"):
        parser = _VisibleText()
        parser.feed(body)
        parser.close()
        text = " ".join(parser.parts)
    else:
        text = body
    return _SPACE.sub(" ", _URL.sub(" ", text)).strip()


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return [str(value)] if isinstance(value, (int, float)) and not isinstance(value, bool) else []


def shows(exchange: Exchange, marker: str) -> bool:
    """Whether the page shows ``marker``, whole, where a person reads it."""
    marker = _SPACE.sub(" ", marker).strip()
    if not marker:
        return True
    if _in_page_syntax(exchange, marker):
        return _whole(marker).search(_SPACE.sub(" ", exchange.text)) is not None
    return _whole(marker).search(visible_text(exchange)) is not None


def _in_page_syntax(exchange: Exchange, marker: str) -> bool:
    """Whether ``marker`` is written as markup, or as JSON for a JSON answer."""
    if "<" in marker:
        return True
    content_type = (exchange.header("Content-Type") or "").lower()
    return "json" in content_type and '"' in marker


def _whole(marker: str) -> re.Pattern[str]:
    """``marker`` not inside a longer word (word edges only where the marker has them)."""
    start = r"(?<!\w)" if re.match(r"\w", marker) else ""
    end = r"(?!\w)" if re.search(r"\w$", marker) else ""
    return re.compile(start + re.escape(marker).replace(r"\ ", r"\s") + end)
