"""Steps for the setup guard: setup methods refused once the app has served (H-16).

The asking, and the putting back of whatever a Flask that does not refuse
accepted, is :mod:`flask_conformance.drive.late_setup`'s; the steps name the
setup method the feature means and judge Flask's answer.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.late_setup import (
    SetupAnswer,
    ask_late,
    decorate,
    register_error_handler_for,
    registered_blueprint,
    unserved_app_and_blueprint,
)
from flask_conformance.drive.visitors import Visitors

from .checks import expect

#: The words a feature uses for a setup call, and the method Flask names.
SETUP_WORDS = {
    "before_request function": "before_request",
    "after_request function": "after_request",
    "teardown_request function": "teardown_request",
    "teardown_appcontext function": "teardown_appcontext",
    "url_value_preprocessor": "url_value_preprocessor",
    "url_defaults function": "url_defaults",
    "context processor": "context_processor",
    "error handler": "errorhandler",
    "route": "route",
    "URL rule": "add_url_rule",
    "blueprint": "register_blueprint",
}


@given("the app has answered its first request")
def app_has_served(visitors: Visitors) -> None:
    visitors["Alice"].visit_untouched_page()


@given("a blueprint that an app has registered", target_fixture="registered")
def a_registered_blueprint() -> Blueprint:
    return registered_blueprint()


@when(
    parsers.re(r"someone registers (?:an? )?(?P<setup>.+) on the app"),
    target_fixture="setup_answer",
)
def register_on_app(app_under_test: Flask, setup: str) -> SetupAnswer:
    return ask_late(app_under_test, SETUP_WORDS[setup])


@when(
    parsers.re(r"someone adds an? (?P<setup>.+) to that blueprint"), target_fixture="setup_answer"
)
def add_to_blueprint(registered: Blueprint, setup: str) -> SetupAnswer:
    return ask_late(registered, SETUP_WORDS[setup])


@then(parsers.re(r"the app refuses it, naming the setup method (?P<method>\w+)"))
def app_refuses(setup_answer: SetupAnswer, method: str) -> None:
    refusal = str(setup_answer.raised)
    expect(
        setup_answer.refused and setup_answer.method == method and "application" in refusal,
        "once an app has answered a request it refuses more setup (H-16)",
        f"AssertionError: The setup method {method!r} can no longer be called on the application",
        f"the app {setup_answer.describe()}",
    )


@then(
    parsers.re(
        r"the blueprint refuses it, naming the setup method (?P<method>\w+) and the blueprint"
    )
)
def blueprint_refuses(setup_answer: SetupAnswer, registered: Blueprint, method: str) -> None:
    names_it = f"'{registered.name}'" in str(setup_answer.raised)
    expect(
        setup_answer.refused and setup_answer.method == method and names_it,
        "once an app has registered a blueprint, the blueprint refuses more setup (H-16)",
        f"AssertionError: The setup method {method!r} can no longer be called on the "
        f"blueprint {registered.name!r}",
        f"the blueprint {setup_answer.describe()}",
    )


# -- setup decorators (H-19) ---------------------------------------------------


@given(
    "an app that has not served yet, and a blueprint it has not registered",
    target_fixture="unserved",
)
def unserved() -> tuple[Flask, Blueprint]:
    return unserved_app_and_blueprint()


@when(
    parsers.re(r"the (?P<owner>app|blueprint)'s (?P<decorator>\w+) decorator registers a function"),
    target_fixture="decorated",
)
def decorator_registers(
    unserved: tuple[Flask, Blueprint], owner: str, decorator: str
) -> tuple[str, Any, Any]:
    app, blueprint = unserved
    function, given_back = decorate(app if owner == "app" else blueprint, decorator)
    return decorator, function, given_back


@then("the decorator gave back that very function")
def gave_back_function(decorated: tuple[str, Any, Any]) -> None:
    decorator, function, given_back = decorated
    expect(
        given_back is function,
        "a setup decorator gives back the function it registered, so decorators stack and "
        "the function keeps its name (H-19)",
        f"@{decorator} to give back the decorated function",
        f"it gave back {given_back!r}",
    )


# -- what an error handler is for (H-22) -------------------------------------


@when(
    parsers.re(r"the app registers an error handler for (?P<key>.+)"),
    target_fixture="registration_error",
)
def register_error_handler(unserved: tuple[Flask, Blueprint], key: str) -> BaseException | None:
    app, _ = unserved
    return register_error_handler_for(app, key)


@then(parsers.re(r'the app refuses it with (?P<error>\w+) saying "(?P<message>[^"]+)"'))
def refuses_error_handler(
    registration_error: BaseException | None, error: str, message: str
) -> None:
    expect(
        type(registration_error).__name__ == error and message in str(registration_error),
        "an error handler is taken only for an exception class or a known HTTP error code (H-22)",
        f"{error}: ...{message}...",
        "the handler was registered"
        if registration_error is None
        else f"{type(registration_error).__name__}: {registration_error}",
    )
