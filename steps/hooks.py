"""Steps for request hook ordering and short-circuiting.

A traced request goes to a probe page with the trace header; the probe's own
hooks (two app-level before/after_request functions, and one of each hook on a
parent blueprint and on a child blueprint nested in it) record every call. The
steps compare that record with the order the feature states. The other hook
features (errors, g) use the same traced requests and the same checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from pytest_bdd import parsers, then, when
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException
from werkzeug.test import EnvironBuilder

from flask_conformance.drive.address import address_of
from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.probe import BLUEPRINT_NAME, PREFIX
from flask_conformance.drive.visitors import Visitors
from flask_conformance.plugin.verdicts import not_applicable

from .checks import expect, not_applicable_when_the_app_traps, shown_error
from .shared import one_of, traced_request

#: Which probe hook a feature means by "the <answerer>'s before_request", as the
#: probe's ``short_circuit`` option, and the text that hook answers with.
BEFORE_REQUEST_ANSWERERS = {
    "app #1": ("app-1", "answered by the app's before_request"),
    "app #2": ("app-2", "answered by the app's before_request"),
    "parent blueprint": ("parent", "answered by the parent blueprint's before_request"),
    "child blueprint": ("child", "answered by the child blueprint's before_request"),
}

#: The return values a feature can give a short-circuiting before_request (H-07),
#: as the probe's ``answer_with`` option.
BEFORE_REQUEST_RETURNS = {
    '""': "empty-string",
    "{}": "empty-dict",
    "[]": "empty-list",
    "False": "false",
}

#: The probe page a traced request goes to unless a step says otherwise: the view
#: of the child blueprint nested in the parent, so that every probe hook runs.
NESTED_VIEW = "/nested/view"

#: Every after_request function of a traced request to the nested view, in the
#: order Flask runs them (H-12).
ALL_AFTER_REQUEST = ["child blueprint", "parent blueprint", "app #2", "app #1"]
#: Every teardown of a traced request to the nested view, in Flask's order (H-13).
ALL_TEARDOWNS = [
    ("teardown_request", "child blueprint"),
    ("teardown_request", "parent blueprint"),
    ("teardown_request", "app"),
    ("teardown_appcontext", "app"),
]


@dataclass
class HookTrace:
    """One traced request: its exchange and the hook calls the probe recorded."""

    exchange: Exchange
    events: list[dict[str, Any]]
    #: What the app logged while answering, for the steps about its error log.
    logged: list[str] = field(default_factory=list)

    def steps(self) -> list[tuple[str, str]]:
        """Every call as ``(hook, registered by)``, e.g. ``("before_request", "app #1")``."""
        return [(event["hook"], registrant(event)) for event in self.events]

    def registrants(self, hook: str) -> list[str]:
        """Who registered each call of ``hook``, in the order they ran."""
        return [who for name, who in self.steps() if name == hook]

    def calls(self, hook: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["hook"] == hook]

    def describe(self) -> str:
        return " -> ".join(f"{hook} ({who})" for hook, who in self.steps()) or "no hook ran"


def registrant(event: dict[str, Any]) -> str:
    """Who registered the hook call ``event``: ``app #2``, ``child blueprint``, ``view #1``."""
    if "number" in event:
        return f"{event['owner']} #{event['number']}"
    return str(event["owner"])


def make_traced_request(
    visitors: Visitors, name: str, query: str = "", page: str = NESTED_VIEW
) -> HookTrace:
    """Send ``name``'s traced request; an exception escaping the app is recorded, not raised."""
    exchange, events = visitors[name].traced_request(query, page=page, raise_errors=False)
    return HookTrace(exchange, events)


def split_list(text: str) -> list[str]:
    """``"app #1, app #2"`` -> ``["app #1", "app #2"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]


def table_steps(datatable: list[list[str]]) -> list[tuple[str, str]]:
    """A ``| hook | registered by |`` table as ``(hook, registered by)`` pairs."""
    header, *rows = datatable
    if [cell.strip() for cell in header] != ["hook", "registered by"]:
        raise ValueError(f"expected a '| hook | registered by |' table, got {header}")
    return [(hook.strip(), who.strip()) for hook, who in rows]


def expect_steps(
    trace: HookTrace, expected: list[tuple[str, str]], behaviour: str, actual: list[tuple[str, str]]
) -> None:
    shown = " -> ".join(f"{hook} ({who})" for hook, who in expected)
    found = " -> ".join(f"{hook} ({who})" for hook, who in actual) or "no hook ran"
    expect(actual == expected, behaviour, shown, found, trace.exchange)


# -- traced requests -------------------------------------------------------


@when(
    parsers.re(
        r"(?P<name>\w+) makes a traced request"
        r"(?: whose view registers (?P<count>\d+) after_this_request callbacks?)?"
    ),
    target_fixture="hook_trace",
)
def makes_traced_request(visitors: Visitors, name: str, count: str | None) -> HookTrace:
    """A traced request to the nested view, whose view may register callbacks (H-11)."""
    query = "" if count is None else f"after_this_request={int(count)}"
    return make_traced_request(visitors, name, query)


#: The traced requests that differ only in what the probe is asked to do, by the
#: words that follow "<name>'s traced request" in the features. One table
#: instead of a step each, so that adding such a request is one line; the hook,
#: errors and lifecycle features use them. These go to the nested view, with
#: the probe's options:
TRACED_QUERIES = {
    "goes through url_value_preprocessors that return a redirect": "uvp_returns=redirect",
    # errors.feature
    "raises an error that the blueprint's errorhandler handles": "raise=handled",
    "aborts with 403": "raise=abort",
    # errors.feature, under the DEBUG and TRAP_* settings (E-10, E-11)
    "reads a form field it was not sent, under these settings": "raise=missing-form-key",
    "aborts with 400, under these settings": "raise=bad-request",
    "aborts with 403, under these settings": "raise=abort",
    # lifecycle.feature (CX-05)
    "pushes its own app and request contexts again and leaves them": "reenter=contexts",
}
#: ... and these to another probe page, without options.
TRACED_PAGES = {
    "goes to a page of the parent blueprint": "/untouched",
    # errors.feature
    "aborts with 409, which the errors blueprint's errorhandler answers": "/errors/conflict",
    "aborts with a response the view made itself": "/errors/made-response",
    "leaves the trailing slash off a page's URL": "/errors/folder",
}


@traced_request(one_of("what", [*TRACED_QUERIES, *TRACED_PAGES]))
def traced_request_doing(visitors: Visitors, name: str, what: str) -> HookTrace:
    query = TRACED_QUERIES.get(what, "")
    return make_traced_request(visitors, name, query, page=TRACED_PAGES.get(what, NESTED_VIEW))


@traced_request(r"goes to an unknown page under the nested blueprint's prefix")
def traced_request_to_unknown_page(visitors: Visitors, name: str) -> HookTrace:
    page = "/nested/no-such-page"
    route = app_route_for(visitors.app, PREFIX + page)
    if route is not None:
        # A wiki's /<path:path>: the app's own view answers the URL, so it is no
        # unknown page, and Flask's 404 path cannot be traced through it.
        not_applicable(
            f"the app's own route {route} matches {PREFIX + page}, so no URL is unknown "
            "to this app and Flask's 404 path cannot be traced through it"
        )
    return make_traced_request(visitors, name, page=page)


def app_route_for(app: Flask, path: str) -> str | None:
    """The app's own rule that a GET of ``path`` reaches (``"/<path:path>"``), or None."""
    environ = EnvironBuilder(path=path, base_url=address_of(app).base_url).get_environ()
    adapter = app.create_url_adapter(app.request_class(environ))
    if adapter is None:
        return None
    try:
        rule, _ = adapter.match(method="GET", return_rule=True)
    except (HTTPException, RoutingException):  # no route, or a redirect to one
        return None
    return None if rule.endpoint.startswith(f"{BLUEPRINT_NAME}.") else rule.rule


@traced_request(r"is answered by the (?P<answerer>.+)'s before_request")
def traced_request_short_circuited(visitors: Visitors, name: str, answerer: str) -> HookTrace:
    option, _ = BEFORE_REQUEST_ANSWERERS[answerer]
    return make_traced_request(visitors, name, f"short_circuit={option}")


@traced_request(r"is answered by a before_request that returns (?P<value>.+)")
def traced_request_answered_with(visitors: Visitors, name: str, value: str) -> HookTrace:
    return make_traced_request(
        visitors, name, f"short_circuit=child&answer_with={BEFORE_REQUEST_RETURNS[value]}"
    )


# -- the order hooks ran in ------------------------------------------------


@then("the hooks ran in this order:")
def hooks_ran_in_order(hook_trace: HookTrace, datatable: list[list[str]]) -> None:
    expect_steps(
        hook_trace,
        table_steps(datatable),
        "Flask runs a request's hooks in a fixed order (H-01)",
        hook_trace.steps(),
    )


#: The behaviour that states the order of each kind of hook.
HOOK_ORDER_IDS = {
    "url_value_preprocessor": "H-02",
    "before_request": "H-03",
    "url_defaults": "H-10",
    "after_this_request": "H-11",
    "after_request": "H-12",
    "teardown_request": "H-13",
    "context_processor": "H-14",
}


@then(parsers.re(r"its (?P<hook>\w+) functions ran in the order (?P<order>.+)"))
def hook_kind_ran_in_order(hook_trace: HookTrace, hook: str, order: str) -> None:
    expected = split_list(order)
    actual = hook_trace.registrants(hook)
    expect(
        actual == expected,
        f"Flask runs {hook} functions in a fixed order ({HOOK_ORDER_IDS[hook]})",
        ", ".join(expected),
        ", ".join(actual) or f"no {hook} function ran",
        hook_trace.exchange,
    )


@then(parsers.re(r"the before_request functions that ran were (?P<ran>.+)"))
def before_requests_that_ran(hook_trace: HookTrace, ran: str) -> None:
    expected = split_list(ran)
    actual = hook_trace.registrants("before_request")
    expect(
        actual == expected,
        "the first before_request that returns a value stops the later ones (H-06)",
        ", ".join(expected),
        ", ".join(actual) or "no before_request ran",
        hook_trace.exchange,
    )


#: The hooks a step can say did not run ("no url_defaults function ran"), with
#: the behaviour that says why Flask skipped them.
SKIPPED_HOOKS = {
    "url_defaults": "url_defaults functions run only when a URL is built with url_for (H-10)",
    "after_request": (
        "when an exception escapes to the test client there is no response to process (E-03)"
    ),
}


@then(parsers.re(r"no (?P<hook>url_defaults|after_request) function ran"))
def no_hook_ran(hook_trace: HookTrace, hook: str) -> None:
    ran = hook_trace.registrants(hook)
    expect(
        not ran,
        SKIPPED_HOOKS[hook],
        f"no {hook} call",
        f"{hook} ran for {', '.join(ran)}",
        hook_trace.exchange,
    )


@then("the view never ran")
def view_never_ran(hook_trace: HookTrace) -> None:
    expect(
        not hook_trace.calls("view"),
        "a before_request that returns a value answers instead of the view (H-06, H-07)",
        "the view skipped",
        f"the view ran; hooks: {hook_trace.describe()}",
        hook_trace.exchange,
    )


@then("the view ran")
def view_ran(hook_trace: HookTrace) -> None:
    expect(
        bool(hook_trace.calls("view")) and hook_trace.exchange.text == "view ran",
        "what a url_value_preprocessor returns is ignored; the view still answers (H-09)",
        "the view ran and its text is the response",
        f"response {hook_trace.exchange.text[:60]!r}; hooks: {hook_trace.describe()}",
        hook_trace.exchange,
    )


# -- the response ----------------------------------------------------------


@then(parsers.re(r"the response has status (?P<status>\d{3})"))
def response_has_status(visitors: Visitors, status: str) -> None:
    exchange = visitors.last_response
    if status != "500":
        not_applicable_when_the_app_traps(visitors.app, exchange)
    expect(
        exchange.error is None and exchange.status == int(status),
        f"the request ends in a {status} response",
        f"status {status}",
        f"the app raised {exchange.error!r}" if exchange.error else f"status {exchange.status}",
        exchange,
    )


@then(parsers.re(r"the response is the one the (?P<answerer>.+)'s before_request returned"))
def response_from_before_request(hook_trace: HookTrace, answerer: str) -> None:
    _, text = BEFORE_REQUEST_ANSWERERS[answerer]
    exchange = hook_trace.exchange
    expect(
        exchange.error is None and exchange.status == 200 and exchange.text == text,
        "the first before_request that returns a value becomes the response (H-06)",
        f"200 {text!r}",
        f"{exchange.status} {exchange.text[:80]!r}",
        exchange,
    )


@then(
    parsers.re(
        r"the response is a (?P<status>\d{3}) (?P<kind>HTML|JSON) response with body (?P<body>.*)"
    )
)
def response_with_body(hook_trace: HookTrace, status: str, kind: str, body: str) -> None:
    exchange = hook_trace.exchange
    content_type = exchange.header("Content-Type") or ""
    if kind == "JSON":
        wanted_type = "application/json"
        body_matches = exchange.text.strip() == json.dumps(json.loads(body))
    else:
        wanted_type = "text/html"
        body_matches = exchange.text == body.strip('"')
    expect(
        exchange.error is None
        and exchange.status == int(status)
        and content_type.startswith(wanted_type)
        and body_matches,
        "a before_request answers with any value that is not None (H-07)",
        f"{status} {wanted_type} with body {body}",
        f"the app raised {exchange.error!r}"
        if exchange.error
        else f"{exchange.status} {content_type} with body {exchange.text[:80]!r}",
        exchange,
    )


@then(parsers.re(r'the request failed with (?P<error>\w+): "(?P<message>[^"]+)"'))
def request_failed_with(hook_trace: HookTrace, error: str, message: str) -> None:
    # Without TESTING the error becomes a 500; the probe kept the exception.
    raised = hook_trace.exchange.error or hook_trace.exchange.app_error
    expect(
        raised is not None and type(raised).__name__ == error and message in str(raised),
        "a before_request returning a value Flask cannot turn into a response"
        " breaks the request (H-07)",
        f"{error} mentioning {message!r}",
        shown_error(raised),
        hook_trace.exchange,
    )
