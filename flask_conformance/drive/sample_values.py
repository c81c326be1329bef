"""Named sample values for the serialisation specs.

A scenario says "a tuple" or "a UUID"; the probe stores the matching value and
reads it back by name, so no Python literal ever travels over HTTP.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from decimal import Decimal
from typing import Any

from markupsafe import Markup

SAMPLES: dict[str, Any] = {
    "string": "blue",
    "integer": 42,
    "list": [1, 2, 3],
    "dict": {"theme": "dark"},
    "tuple": (1, 2),
    "bytes": b"\xff\x00",
    "UUID": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "aware datetime": _dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=_dt.timezone.utc),
    "naive datetime": _dt.datetime(2030, 1, 2, 3, 4, 5),
    "date": _dt.date(2030, 1, 2),
    "Decimal": Decimal("1.5"),
    "Markup": Markup("<b>bold</b>"),
    "set": {1, 2},
    "dict with an integer key": {1: "one"},
    "list holding a tuple and bytes": [(1, 2), b"\xff"],
    "dict with a tag-like key": {" t": "x"},
}


def sample(name: str) -> Any:
    """The value a scenario calls ``name``."""
    try:
        return SAMPLES[name]
    except KeyError:
        known = ", ".join(sorted(SAMPLES))
        raise KeyError(f"No sample value called {name!r}; known samples: {known}.") from None


def describe(value: Any) -> dict[str, Any]:
    """How a value came back: its type name, and whether it equals a sample."""
    return {"type": type(value).__name__, "repr": repr(value)}
