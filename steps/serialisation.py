"""Steps for what stored values come back as (features/sessions/serialisation.feature).

A scenario stores one of the kit's named samples
(:mod:`flask_conformance.drive.sample_values`) and reads a table of what each
backend gives back, or the error saving it fails with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pytest_bdd import parsers, then, when

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.sample_values import sample
from flask_conformance.drive.visitors import Visitors

from .checks import expect, row_for_backend
from .persistence import expect_failure


@dataclass
class StoredSample:
    """Which sample a scenario stored, by whom, and the request that stored it."""

    name: str
    visitor: str
    exchange: Exchange


@when(
    parsers.parse('{name} stores the {sample_name} sample under "{key}" in the session'),
    target_fixture="stored_sample",
)
def store_sample(visitors: Visitors, name: str, sample_name: str, key: str) -> StoredSample:
    """Store a named sample; a value that cannot be saved fails here (J-04)."""
    sample(sample_name)  # an unknown name is a mistake in the spec: say so at once
    exchange = visitors[name].store_sample(key, sample_name, raise_errors=False)
    return StoredSample(sample_name, name, exchange)


_SAME = re.compile(r"the same (?P<type>\w+)")
_EQUAL_TO_SAMPLE = re.compile(r'an? (?P<type>\w+) equal to the "(?P<sample>[^"]+)" sample')
_STRING = re.compile(r'the string "(?P<text>.*)"')
_REPR = re.compile(r"an? (?P<type>\w+): (?P<repr>.+)")
_FAILS = re.compile(r"nothing: saving fails with (?P<error>\w+)")


@then(parsers.parse('what comes back under "{key}" depends on the backend:'))
def comes_back_as(
    visitors: Visitors,
    backend: str,
    stored_sample: StoredSample,
    key: str,
    datatable: list[list[str]],
) -> None:
    wanted = row_for_backend(datatable, backend)["comes back as"]
    stored = stored_sample.exchange
    visitor = visitors[stored_sample.visitor]
    behaviour = f"what a {stored_sample.name} comes back as on {backend} sessions (J-01..J-05)"
    if _FAILS.fullmatch(wanted):
        expect_failure(
            wanted,
            f"{behaviour}: saving it fails at the end of the request",
            stored,
            when_saving=True,
        )
        keys = visitor.read_session()["keys"]
        expect(
            key not in keys,
            f"{behaviour}: a session that failed to save keeps nothing",
            f"nothing saved under {key!r}",
            f"the next request's session has keys {keys}",
            visitors.log[-2:],
        )
        return
    expect(
        stored.error is None,
        behaviour,
        "the value to be saved",
        f"the request raised {type(stored.error).__name__}: {stored.error}",
        stored,
    )
    found = visitor.read_session()["described"].get(key)
    found = None if found is None else _unfrozen(found["type"], found["repr"])
    expected_type, expected_repr = _expected(wanted, stored_sample.name)
    expect(
        found is not None and (found["type"], found["repr"]) == (expected_type, expected_repr),
        behaviour,
        f"{wanted}, i.e. a {expected_type} {expected_repr}",
        "nothing" if found is None else f"a {found['type']} {found['repr']}",
        visitors.log[-2:],
    )


def _unfrozen(type_name: str, text: str) -> dict[str, str]:
    """A value's type name and repr as they would be without the kit's frozen clock.

    While freezegun runs, ``datetime.datetime`` is its ``FakeDatetime`` subclass,
    so the datetimes Flask's tagged JSON builds are FakeDatetimes. They are
    datetimes in every way an app can tell; only their name differs.
    """
    return {
        "type": type_name.replace("FakeDatetime", "datetime").replace("FakeDate", "date"),
        "repr": text.replace("FakeDatetime(", "datetime.datetime(").replace(
            "FakeDate(", "datetime.date("
        ),
    }


def _expected(wanted: str, sample_name: str) -> tuple[str, str]:
    """The type name and repr a "comes back as" cell describes."""
    if match := _SAME.fullmatch(wanted):
        value = _unfrozen(type(sample(sample_name)).__name__, repr(sample(sample_name)))
        if value["type"] != match["type"]:
            raise ValueError(f"The {sample_name} sample is not a {match['type']}: {wanted!r}.")
        return value["type"], value["repr"]
    if match := _EQUAL_TO_SAMPLE.fullmatch(wanted):
        other = sample(match["sample"])
        return match["type"], _unfrozen(type(other).__name__, repr(other))["repr"]
    if match := _STRING.fullmatch(wanted):
        return "str", repr(match["text"])
    if match := _REPR.fullmatch(wanted):
        return match["type"], match["repr"]
    raise ValueError(
        f"Cannot read {wanted!r}; write 'the same <type>', 'a <type> equal to the \"<sample>\" "
        "sample', 'the string \"<text>\"', 'a <type>: <repr>'"
        " or 'nothing: saving fails with <Error>'."
    )
