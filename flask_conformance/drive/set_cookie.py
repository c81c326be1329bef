"""One ``Set-Cookie`` header as a browser reads it.

Split from :mod:`flask_conformance.drive.browser` (which re-exports it): the
steps, the security judgements and the reports all read a response's cookies
through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SetCookie:
    """One ``Set-Cookie`` header, split into its parts."""

    name: str
    value: str
    attributes: dict[str, str | bool] = field(default_factory=dict)
    raw: str = ""

    @classmethod
    def parse(cls, header: str) -> SetCookie:
        pair, *attrs = [part.strip() for part in header.split(";")]
        name, _, value = pair.partition("=")
        attributes: dict[str, str | bool] = {}
        for attr in attrs:
            if not attr:
                continue
            key, sep, val = attr.partition("=")
            attributes[key.strip().lower()] = val.strip() if sep else True
        return cls(name=name.strip(), value=value.strip(), attributes=attributes, raw=header)

    @property
    def deletes(self) -> bool:
        """True when this header tells the browser to forget the cookie."""
        if self.attributes.get("max-age") == "0":
            return True
        expires = self.attributes.get("expires")
        return isinstance(expires, str) and "1970" in expires

    @property
    def expires(self) -> str | None:
        value = self.attributes.get("expires")
        return value if isinstance(value, str) else None
