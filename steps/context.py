"""Steps for ``g`` and the contexts that hold it (features/context/g.feature,
and the ``with client:`` steps of features/context/lifecycle.feature).

Most steps act through probe pages. Three scenarios are about how a *test*
changes contexts (G-06 a test that pushed an app context, G-10 and G-11 ``with
client:``), so those steps do what such a test does: push a context, or keep
one open, through fixtures that always undo it when the scenario ends, and
then look at ``flask.g`` from the test's side. The calls of g's API (G-03) are
in :mod:`steps.g_api`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import flask
import pytest
from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.probe import G_PREFIX
from flask_conformance.drive.visitors import Visitors

from .checks import expect, shown
from .hooks import HookTrace, table_steps

#: The visitor whose requests only look at the probe's counters.
OBSERVER = "observer"
#: Hooks a traced request to the nested view always runs (G-02).
EVERY_REQUEST_HOOK = {
    "url_value_preprocessor",
    "before_request",
    "view",
    "after_request",
    "teardown_request",
    "teardown_appcontext",
}


@pytest.fixture
def test_app_context() -> Iterator[ExitStack]:
    """The app context the test pushes itself, as a pytest fixture might do;
    popped when the test pops it, or when the scenario ends if still pushed."""
    with ExitStack() as stack:
        yield stack


@pytest.fixture
def kept_contexts() -> Iterator[ExitStack]:
    """``with client:`` blocks a scenario opened; all closed when it ends."""
    with ExitStack() as stack:
        yield stack


# -- g across requests -----------------------------------------------------


@given(parsers.re(r'(?P<name>\w+)\'s request has put "(?P<value>[^"]*)" on g as "(?P<attr>\w+)"'))
@when(parsers.re(r'(?P<name>\w+)\'s request puts "(?P<value>[^"]*)" on g as "(?P<attr>\w+)"'))
def put_on_g(visitors: Visitors, name: str, value: str, attr: str) -> None:
    visitors[name].put_on_g(attr, value)


@when(
    parsers.re(r'(?P<name>\w+)\'s next request reads "(?P<attr>\w+)" from g'),
    target_fixture="g_reading",
)
def read_from_g(visitors: Visitors, name: str, attr: str) -> dict[str, object]:
    return visitors[name].read_from_g(attr)


@then(parsers.re(r'that request found nothing on g as "(?P<attr>\w+)"'))
def found_nothing_on_g(visitors: Visitors, g_reading: dict[str, object], attr: str) -> None:
    expect(
        not g_reading["present"],
        "g belongs to one request's app context; the next request starts with an empty g (G-01)",
        f"no {attr!r} on g",
        f"g held {shown(g_reading['value'])} as {attr!r}",
        visitors.log[-2:],
    )


@then(parsers.re(r'that request found "(?P<value>[^"]*)" on g as "(?P<attr>\w+)"'))
def found_on_g(visitors: Visitors, g_reading: dict[str, object], value: str, attr: str) -> None:
    expect(
        bool(g_reading["present"]) and g_reading["value"] == value,
        "a request reuses an app context the test pushed, and with it the test's g (G-06)",
        f"{value!r} on g as {attr!r}",
        f"g held {shown(g_reading['value'])} as {attr!r}"
        if g_reading["present"]
        else f"no {attr!r} on g",
        visitors.log[-1:],
    )


@when(
    parsers.re(r"(?P<name>\w+) counts on g in (?P<count>\d+) requests"),
    target_fixture="g_counts",
)
def count_on_g(visitors: Visitors, name: str, count: str) -> list[int]:
    return [visitors[name].count_on_g() for _ in range(int(count))]


@then(parsers.re(r"the counts on g were (?P<counts>\d+(?:, \d+)*)"))
def counts_on_g(visitors: Visitors, g_counts: list[int], counts: str) -> None:
    expected = [int(part) for part in counts.split(", ")]
    expect(
        g_counts == expected,
        "each request gets a new g, unless a context the test pushed is reused (G-01, G-06)",
        f"counts {counts}",
        "counts " + ", ".join(map(str, g_counts)),
        visitors.log[-len(g_counts) :],
    )


@then(parsers.re(r"teardown_appcontext has run (?P<count>\d+) times?"))
def teardown_appcontext_ran(visitors: Visitors, count: str) -> None:
    # The stats page reads the count before its own context is torn down.
    calls = visitors[OBSERVER].teardown_appcontext_calls()
    expect(
        calls == int(count),
        "teardown_appcontext runs when an app context is popped: after each request,"
        " or, when the test pushed the context, only when the test pops it (G-01, G-06)",
        f"{count} teardown_appcontext call(s)",
        f"{calls}",
        visitors.log,
    )


# -- every hook of a request sees the same g --------------------------------


@then("every hook of that request saw the same g")
def hooks_saw_same_g(hook_trace: HookTrace) -> None:
    hooks = {event["hook"] for event in hook_trace.events}
    missing = ", ".join(sorted(EVERY_REQUEST_HOOK - hooks)) or "none"
    others = [event["hook"] for event in hook_trace.events if not event.get("same_g")]
    expect(
        EVERY_REQUEST_HOOK <= hooks and not others,
        "url_value_preprocessor, before_request, the view, after_request and both teardowns"
        " share one g per request (G-02)",
        "every hook to record into the g the first hook set up",
        f"hooks that saw another g: {', '.join(others) or 'none'};"
        f" hooks missing from the record: {missing}",
        hook_trace.exchange,
    )


# -- an app context inside a request ----------------------------------------


@when(
    parsers.re(r"(?P<name>\w+)'s request pushes an app context of its own"),
    target_fixture="nested_g",
)
def nest_app_context(visitors: Visitors, name: str) -> dict[str, bool]:
    return visitors[name].nest_app_context()


@then("inside that app context g was a new, empty object")
def inner_g_is_new(visitors: Visitors, nested_g: dict[str, bool]) -> None:
    expect(
        not nested_g["same_object"] and not nested_g["inner_sees_outer"],
        "app.app_context() inside a request pushes a new app context with a new, empty g (G-05)",
        "a different g, without the request's value",
        f"same g object: {nested_g['same_object']};"
        f" saw the request's value: {nested_g['inner_sees_outer']}",
        visitors.last_response,
    )


@then("afterwards the request's g was back, without what was set inside")
def outer_g_restored(visitors: Visitors, nested_g: dict[str, bool]) -> None:
    expect(
        nested_g["outer_kept_value"] and not nested_g["outer_sees_inner"],
        "when the inner app context ends, its g is discarded and the request's g"
        " is current again (G-05)",
        "the request's own value back, the inner value gone",
        f"request's value kept: {nested_g['outer_kept_value']};"
        f" inner value visible: {nested_g['outer_sees_inner']}",
        visitors.last_response,
    )


# -- a test that pushed an app context (G-06) ------------------------------


@given("the test has pushed an app context of its own")
def test_pushes_app_context(app_under_test: Flask, test_app_context: ExitStack) -> None:
    test_app_context.enter_context(app_under_test.app_context())


@given(parsers.re(r'the test has put "(?P<value>[^"]*)" on g as "(?P<attr>\w+)"'))
def test_puts_on_g(test_app_context: ExitStack, value: str, attr: str) -> None:
    setattr(flask.g, G_PREFIX + attr, value)


@when("the test pops its app context")
def test_pops_app_context(test_app_context: ExitStack) -> None:
    test_app_context.close()


# -- with client: (G-10, G-11) ---------------------------------------------


@given(parsers.re(r"(?P<name>\w+)'s test client keeps the last request's context"))
def keep_context(visitors: Visitors, kept_contexts: ExitStack, name: str) -> None:
    kept_contexts.enter_context(visitors[name].browser.keeping_context())


@then(parsers.re(r'the test still sees "(?P<value>[^"]*)" on g as "(?P<attr>\w+)"'))
def test_sees_on_g(visitors: Visitors, value: str, attr: str) -> None:
    kept = flask.has_app_context()
    found = flask.g.get(G_PREFIX + attr) if kept else None
    expect(
        kept and found == value,
        "with client: keeps the last request's app context, so its g stays readable (G-10)",
        f"{value!r} on g as {attr!r} after the response",
        f"g held {shown(found)}" if kept else "no app context was left after the response",
        visitors.last_response,
    )


@then(parsers.re(r'the test no longer sees "(?P<attr>\w+)" on g'))
def test_no_longer_sees_on_g(visitors: Visitors, attr: str) -> None:
    kept = flask.has_app_context()
    expect(
        kept and (G_PREFIX + attr) not in flask.g,
        "the next request inside with client: replaces the kept context and its g (G-10)",
        f"the latest request's g kept, without {attr!r}",
        f"g still held {flask.g.get(G_PREFIX + attr)!r}" if kept else "no app context was kept",
        visitors.log[-2:],
    )


@then("by her next request, the traced request's teardown functions had run twice:")
def teardowns_ran_twice(hook_trace: HookTrace, datatable: list[list[str]]) -> None:
    # The trace is read by Alice's next request, which first drops the context
    # that with client: kept from the traced request.
    teardowns = [
        (hook, who)
        for hook, who in hook_trace.steps()
        if hook in ("teardown_request", "teardown_appcontext")
    ]
    expected = table_steps(datatable)
    expect(
        teardowns == expected,
        "under with client: teardown runs at the end of the request and again when the kept"
        " context is dropped (G-11)",
        " -> ".join(f"{hook} ({who})" for hook, who in expected),
        " -> ".join(f"{hook} ({who})" for hook, who in teardowns) or "no teardown ran",
        hook_trace.exchange,
    )
