"""Checks of the app's own hooks against the ways Flask calls them.

Each check returns what is wrong in plain words, naming the function by its
qualified name and saying the fix, or nothing when the app is fine. Signatures
are read with :func:`inspect.signature`; what a hook *does* is read from a
traced request (:mod:`flask_conformance.hooks.trace`), so a check holds only when
both the code and a real request agree.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from ..drive.address import address_of
from ..journeys.profile import JourneyProfile
from . import trace
from .trace import TracedRequest

#: For each check: the hook kinds it covers, how many arguments Flask passes
#: and the fix, as a template on the function's short name.
_CONTRACTS = {
    "teardown": (
        ("teardown_request", "teardown_appcontext"),
        1,
        "the exception argument",
        "def {short}(exc): (or exc=None)",
    ),
    "url_value_preprocessor": (
        ("url_value_preprocessor",),
        2,
        "(endpoint, values)",
        "def {short}(endpoint, values):",
    ),
}


def takes(func: Callable[..., Any], count: int) -> bool | None:
    """Whether ``func`` accepts ``count`` positional arguments (None: cannot tell)."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # a builtin without a signature
        return None
    try:
        signature.bind(*([None] * count))
    except TypeError:
        return False
    return True


def signature_problems(app: Flask, traced: TracedRequest, check: str) -> list[str]:
    """The app's hooks of ``check``'s kinds that cannot take Flask's arguments."""
    kinds, count, arguments, fix = _CONTRACTS[check]
    problems: list[str] = []
    named: set[str] = set()
    for kind, _scope, func in trace.own_hooks(app):
        if kind not in kinds or takes(func, count) is not False:
            continue
        name = trace.qualified_name(func)
        named.add(name)
        short = getattr(func, "__name__", name.rsplit(".", 1)[-1])
        problems.append(
            f"the {kind} function {name}{_signature(func)} cannot take {arguments}, which Flask "
            f"passes on every request: write it as {fix.format(short=short)}"
        )
    for event in traced.hooks:
        failed = str(event["outcome"]).startswith("raised TypeError")
        if failed and event["kind"] in kinds and event["name"] not in named:
            problems.append(
                f"the {event['kind']} function {event['name']} {event['outcome']} on "
                f"GET {traced.path}: it must accept {arguments}"
            )
    return problems


def teardown_crashes(traced: TracedRequest) -> list[str]:
    """Teardowns that raised on a request that stored nothing on ``g``.

    A teardown whose signature is wrong is the E-08 check's to report.
    """
    problems = []
    for event in traced.hooks:
        outcome = str(event["outcome"])
        if not event["kind"].startswith("teardown") or not outcome.startswith("raised"):
            continue
        if "positional argument" in outcome:
            continue
        problems.append(
            f"the {event['kind']} function {event['name']} {outcome} on GET {traced.path}, a "
            "request that stored nothing on g: look the value up with g.pop('name', None) and "
            "close it only if it is there"
        )
    return problems


def answered_unknown_url(traced: TracedRequest) -> str | None:
    """A before_request that answered a URL no route matches with a page."""
    gate = traced.short_circuited_by
    if gate is None or traced.status is None or not 200 <= traced.status < 300:
        return None
    return (
        f"the app's before_request {gate} answered GET {traced.path} with {traced.status} "
        "itself, so Flask never got to say 404: return None to let Flask carry on, or a "
        "redirect to the login page, never a page"
    )


def blocked_page(traced: TracedRequest, what: str) -> str | None:
    """Why ``what`` (static file, login page) did not reach its own view, or None."""
    gate = traced.short_circuited_by
    if gate is not None:
        return (
            f"the app's before_request {gate} answered GET {traced.path} with {traced.status} "
            f"itself, so the {what} view never ran: return None for the {what} endpoint "
            "(exempt it from the gate)"
        )
    if traced.error is not None:
        return f"GET {traced.path} raised {traced.error}"
    if traced.status is None or traced.status >= 500:
        return f"GET {traced.path} answered {traced.status}"
    if what == "static" and traced.status != 200:
        return f"GET {traced.path} answered {traced.status}"
    if what != "static" and traced.status >= 400 and not _asks_for_credentials(traced):
        return f"GET {traced.path} answered {traced.status}"
    return None


def _asks_for_credentials(traced: TracedRequest) -> bool:
    """Whether the login view itself answered with HTTP authentication's challenge.

    A login by HTTP Basic or Digest auth (Flask-HTTPAuth's ``login_required`` on
    the login view) *is* a 401 with ``WWW-Authenticate``: the browser asks for
    the password there. No before_request answered (that is checked first), so
    the login view ran, and its challenge is the login page.
    """
    return traced.status == 401 and traced.challenge is not None


def trace_unknown_url(app: Flask) -> TracedRequest:
    return trace.trace_request(app, "an unknown URL", trace.UNKNOWN_PATH)


def trace_static_file(app: Flask) -> TracedRequest | None:
    path = trace.static_path(app)
    return None if path is None else trace.trace_request(app, "a static file", path)


def trace_login_page(app: Flask, profile: JourneyProfile | None) -> TracedRequest | None:
    """GET the login page: the profile's, else a plain GET rule whose endpoint is login."""
    path = profile.login.path if profile is not None else login_path(app)
    return None if path is None else trace.trace_request(app, "the login page", path)


def has_no_login_page(app: Flask, profile: JourneyProfile | None) -> bool:
    """Whether the profile's login path takes no GET: a login API, not a page.

    A JSON API logs in with a POST and has no page to show; a GET there
    answers 405 whatever the hooks do, so there is no page to check (the
    login itself is tried before any scenario runs).
    """
    if profile is None:
        return False
    adapter = app.url_map.bind(address_of(app).host)
    try:
        adapter.match(profile.login.path, method="GET")
    except MethodNotAllowed:
        return True
    except HTTPException:  # no such path, or a redirect to the canonical URL
        return False
    return False


def login_path(app: Flask) -> str | None:
    for rule in app.url_map.iter_rules():
        named_login = rule.endpoint == "login" or rule.endpoint.endswith(".login")
        if named_login and not rule.arguments and "GET" in (rule.methods or ()):
            return rule.rule
    return None


def _signature(func: Callable[..., Any]) -> str:
    try:
        return str(inspect.signature(func))
    except (TypeError, ValueError):
        return "(...)"
