"""Steps for the hygiene of the app's own hooks: signatures, robust teardowns,
and before_request functions that let Flask's 404, static files and the login
page through.

They look at the app under test's own hooks (never the kit's probe), through
:mod:`flask_conformance.hooks.trace`, so they run even when an app-wide login gate
keeps the kit's probe out.
"""

from __future__ import annotations

from flask import Flask
from pytest_bdd import parsers, then, when

from flask_conformance.hooks import hygiene
from flask_conformance.hooks.trace import TracedRequest
from flask_conformance.plugin.verdicts import not_applicable
from flask_conformance.target.load import Target

from .checks import expect
from .shared import one_of


@when("a visitor asks for a URL that no route matches", target_fixture="own_hooks_trace")
def ask_for_unknown_url(app_under_test: Flask) -> TracedRequest:
    return hygiene.trace_unknown_url(app_under_test)


@when(
    "an anonymous visitor asks for one of the app's static files",
    target_fixture="own_hooks_trace",
)
def ask_for_static_file(app_under_test: Flask) -> TracedRequest:
    traced = hygiene.trace_static_file(app_under_test)
    if traced is None:
        not_applicable("the app has no static folder with a file in it")
    return traced


@when("an anonymous visitor asks for the app's login page", target_fixture="own_hooks_trace")
def ask_for_login_page(app_under_test: Flask, conformance_target: Target) -> TracedRequest:
    profile = conformance_target.profile
    if profile is not None and hygiene.has_no_login_page(app_under_test, profile):
        not_applicable(
            f"the profile's login {profile.login.describe()} is not a page: the app's routes "
            f"take no GET at {profile.login.path} (a login API), so there is no login page "
            "for a before_request to keep out"
        )
    traced = hygiene.trace_login_page(app_under_test, conformance_target.profile)
    if traced is None:
        not_applicable(
            "the app has no GET page whose endpoint is named login; give a journey profile "
            "(--profile) to name it"
        )
    return traced


#: The hooks whose signatures are checked, by the words that follow "each" in
#: the features: the check (:func:`hygiene.signature_problems`), the behaviour
#: and what every such hook should do.
SIGNATURES = {
    "teardown function of the app takes the exception argument": (
        "teardown",
        "Flask calls every teardown function with one argument, the exception or None (E-08)",
        "every teardown_request and teardown_appcontext function to accept one argument",
    ),
    "url_value_preprocessor of the app takes the endpoint and the values": (
        "url_value_preprocessor",
        "Flask calls every url_value_preprocessor with (endpoint, values) (H-09)",
        "every url_value_preprocessor to accept two arguments",
    ),
}


@then(parsers.re("each " + one_of("hooks", SIGNATURES)))
def hooks_take_flasks_arguments(
    app_under_test: Flask, own_hooks_trace: TracedRequest, hooks: str
) -> None:
    check, behaviour, wanted = SIGNATURES[hooks]
    problems = hygiene.signature_problems(app_under_test, own_hooks_trace, check)
    expect_no_problems(problems, behaviour, wanted)


@then("no teardown function of the app failed")
def no_teardown_failed(own_hooks_trace: TracedRequest) -> None:
    expect_no_problems(
        hygiene.teardown_crashes(own_hooks_trace),
        "teardown functions run for every request, also those that stored nothing on g (E-07)",
        "every teardown to finish on a request that stored nothing on g",
    )


def expect_no_problems(problems: list[str], behaviour: str, wanted: str) -> None:
    """Fail ``behaviour`` naming every one of the ``problems`` found in the app's hooks.

    The hooks are the app's own, read from its code and one request: no
    exchange shows the problem, so the failure has no evidence.
    """
    expect(not problems, behaviour, wanted, "; ".join(problems), [])


@then("the app answers 404, or sends the visitor to log in")
def unknown_url_is_not_a_page(own_hooks_trace: TracedRequest) -> None:
    problem = hygiene.answered_unknown_url(own_hooks_trace)
    expect(
        problem is None,
        "a before_request that returns a page answers every URL, unknown ones included "
        "(H-06, H-08)",
        "404 (or a redirect, 401 or 403 from a login gate)",
        problem or "",
        [],
    )


@then("the app serves the file itself")
def static_file_served(own_hooks_trace: TracedRequest) -> None:
    expect_let_through(
        own_hooks_trace,
        "static",
        "a before_request runs for static files too and must let them through (H-06, H-08)",
        "to be answered by Flask's static view with 200",
    )


@then("the app's login view answers")
def login_view_answers(own_hooks_trace: TracedRequest) -> None:
    expect_let_through(
        own_hooks_trace,
        "login",
        "a login gate must let the login page through, or nobody can ever log in (H-06)",
        "to reach the login view",
    )


def expect_let_through(trace: TracedRequest, page: str, behaviour: str, wanted: str) -> None:
    """The app's before_request functions let the ``page`` the kit asked for
    through to its view; ``wanted`` says what GET of it should have done."""
    problem = hygiene.blocked_page(trace, page)
    expect(problem is None, behaviour, f"GET {trace.path} {wanted}", problem or "", [])
