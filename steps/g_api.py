"""Steps for g's API (G-03; features/context/g.feature).

The calls are written in the feature as the Python a reader would type
(``g.pop("colour", "grey")``) and made by the probe inside a request
(:func:`parse_g_call`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pytest_bdd import parsers, then, when

from flask_conformance.drive.visitors import Visitors

from .checks import expect
from .values import feature_value


@dataclass(frozen=True)
class GCall:
    """One call of g's API as the probe makes it: its name, attribute and default."""

    call: str
    name: str
    default: tuple[Any, ...] = ()


_NAME = r'"(?P<name>\w+)"'
_DEFAULT = r'(?:, "(?P<default>[^"]*)")?'
#: Each probe call, and the Python a feature writes for it (tried in this order).
_G_CALL_FORMS = {
    "attribute": r"g\.(?P<name>(?!get\b|pop\b|setdefault\b)\w+)",
    "get": rf"g\.get\({_NAME}{_DEFAULT}\)",
    "hasattr": rf"hasattr\(g, {_NAME}\)",
    "contains": rf"{_NAME} in g",
    "pop": rf"g\.pop\({_NAME}{_DEFAULT}\)",
    "delete": r"del g\.(?P<name>\w+)",
    "setdefault": rf"g\.setdefault\({_NAME}{_DEFAULT}\)",
    "list": r"list\(g\)",
    "repr": r"repr\(g\)",
}


def parse_g_call(text: str) -> GCall:
    """``g.pop("colour", "grey")`` -> ``GCall("pop", "colour", ("grey",))``."""
    for call, pattern in _G_CALL_FORMS.items():
        match = re.fullmatch(pattern, text.strip())
        if match:
            found = match.groupdict()
            default = () if found.get("default") is None else (found["default"],)
            return GCall(call, found.get("name") or "", default)
    raise ValueError(f"the specs know no call of g's API written {text!r}")


_ON_G = re.compile(r'"(?P<value>[^"]*)" on g as "(?P<name>\w+)"')


def parse_g_contents(text: str | None) -> dict[str, str]:
    """``"blue" on g as "colour" and ...`` -> ``{"colour": "blue", ...}``; ``nothing ...`` -> {}."""
    return {match["name"]: match["value"] for match in _ON_G.finditer(text or "")}


def parse_outcome(text: str) -> tuple[str, Any]:
    """``raised KeyError`` -> ``("raised", "KeyError")``; ``returned None`` -> ``(..., None)``."""
    verb, _, rest = text.partition(" ")
    if verb == "raised":
        return verb, rest
    return verb, feature_value(rest)


_NOTHING = object()

#: What each call of g's API promises, in the words a failure gives.
G_API_BEHAVIOUR = {
    "attribute": "a name nobody put on g is a missing attribute: reading it raises"
    " AttributeError (G-03)",
    "hasattr": "hasattr(g, name) says whether the request put the name on g (G-03)",
    "delete": "del g.name takes the name off g; a missing one raises AttributeError (G-03)",
    "get": "g.get gives the value put on g, or the default when the name is missing (G-03)",
    "contains": "'name' in g says whether the request put the name on g (G-03)",
    "pop": "g.pop works like a dict's pop: the value, else the default, else KeyError (G-03)",
    "setdefault": "g.setdefault returns what g holds, or stores and returns the default (G-03)",
    "list": "iterating g lists the names put on it, in order (G-03)",
}


def shown_outcome(outcome: dict[str, Any]) -> str:
    if "raised" in outcome:
        return f"raised {outcome['raised']}"
    return f"returned {outcome.get('returned')!r}"


@when(
    parsers.re(r"(?P<who>\w+)'s request runs (?P<call>.+?)(?:, with (?P<contents>.+))?$"),
    target_fixture="g_outcome",
)
def run_g_call(visitors: Visitors, who: str, call: str, contents: str | None) -> dict[str, Any]:
    parsed = parse_g_call(call)
    outcome = visitors[who].call_g(
        parsed.call, parsed.name, list(parsed.default), parse_g_contents(contents)
    )
    outcome["call"], outcome["kind"] = call, parsed.call
    return outcome


@then(parsers.re(r"the call (?P<expected>(?:raised|returned) (?!the repr).+)"))
def call_outcome(visitors: Visitors, g_outcome: dict[str, Any], expected: str) -> None:
    verb, value = parse_outcome(expected)
    found = g_outcome.get(verb, _NOTHING)
    expect(
        found == value,
        G_API_BEHAVIOUR[g_outcome["kind"]],
        f"{g_outcome['call']} to have {expected}",
        shown_outcome(g_outcome),
        visitors.last_response,
    )


@then(parsers.re(r"the call returned the repr <flask\.g of 'the app's name'>"))
def repr_names_app(visitors: Visitors, g_outcome: dict[str, Any]) -> None:
    wanted = f"<flask.g of '{g_outcome['app_name']}'>"
    expect(
        g_outcome.get("returned") == wanted,
        "inside an app context, repr(g) names the app the g belongs to (G-03)",
        f"repr(g) to return {wanted!r}",
        shown_outcome(g_outcome),
        visitors.last_response,
    )


@then(parsers.re(r'afterwards g holds (?P<after>nothing|None|"[^"]*") as "(?P<name>\w+)"'))
def g_holds_afterwards(
    visitors: Visitors, g_outcome: dict[str, Any], after: str, name: str
) -> None:
    left = g_outcome["left"]
    if after == "nothing":
        holds, wanted = name not in left, f"nothing as {name!r}"
    else:
        value = feature_value(after)
        holds, wanted = name in left and left[name] == value, f"{value!r} as {name!r}"
    expect(
        holds,
        G_API_BEHAVIOUR[g_outcome["kind"]],
        f"g to hold {wanted} after {g_outcome['call']}",
        f"g held {left[name]!r} as {name!r}" if name in left else f"g held nothing as {name!r}",
        visitors.last_response,
    )
