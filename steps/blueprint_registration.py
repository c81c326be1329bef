"""Steps for where a registered blueprint's parts end up (BP-01 to BP-04).

Each scenario builds its small app with
:mod:`flask_conformance.drive.registration_apps`; the steps pick the question and
judge the answer.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.registration_apps import (
    COMMAND_OUTPUT,
    SERVER_NAME,
    host_answers,
    nested_subdomain_app,
    register_a_second_time,
    run_blueprint_command,
    static_file_app,
)

from .checks import expect

#: Every host the subdomain scenarios ask on.
HOSTS = [f"v1.api.{SERVER_NAME}", f"api.{SERVER_NAME}", f"v1.{SERVER_NAME}", SERVER_NAME]
STYLESHEET = "body { font-family: sans-serif; }\n"


def _subdomain(word: str) -> str | None:
    return None if word == "none" else word


# -- BP-01: subdomains ---------------------------------------------------------


@given(
    parsers.re(
        r"an app with a blueprint on the subdomain (?P<parent>\w+), with a child blueprint"
        r" built for the subdomain (?P<child>\w+)"
    ),
    target_fixture="built_app",
)
def subdomain_app(parent: str, child: str) -> Flask:
    return nested_subdomain_app(_subdomain(parent), _subdomain(child))


@when("a visitor asks for the child's page on each host", target_fixture="host_statuses")
def ask_every_host(built_app: Flask) -> dict[str, int]:
    return {host: host_answers(built_app, host) for host in HOSTS}


@then(parsers.re(r"only (?P<host>[\w.]+) answers it"))
def only_host_answers(host_statuses: dict[str, int], host: str) -> None:
    answering = [name for name, status in host_statuses.items() if status == 200]
    expect(
        answering == [host],
        "a nested blueprint answers on its own subdomain joined to its parent's (BP-01)",
        f"the child's page on {host} only",
        f"it answered on {', '.join(answering) or 'no host'}",
    )


# -- BP-02: names --------------------------------------------------------------


@when(
    parsers.re(
        r"an app that has registered a blueprint named auth registers (?P<second>.+)"
        r" under that name"
    ),
    target_fixture="second_registration",
)
def register_again(second: str) -> BaseException | None:
    return register_a_second_time(same=second == "the same blueprint")


@then(parsers.re(r'the app refuses it with a ValueError saying "(?P<message>[^"]+)"'))
def refused_with(second_registration: BaseException | None, message: str) -> None:
    error = second_registration
    expect(
        isinstance(error, ValueError) and message in str(error) and "name=" in str(error),
        "an app refuses a second blueprint under a name it already has, saying to pass "
        "name= (BP-02)",
        f"ValueError: {message} ... Use 'name=' to provide a unique name.",
        "it was registered" if error is None else f"{type(error).__name__}: {error}",
    )


# -- BP-03: commands -----------------------------------------------------------


@given(
    parsers.re(
        r"an app with a blueprint named tools, built with (?P<built_with>.+),"
        r" that has a command hello"
    ),
    target_fixture="cli_blueprint",
)
def cli_blueprint(built_with: str) -> str:
    return built_with


@when(parsers.re(r'someone runs "(?P<command>[^"]+)"'), target_fixture="command_result")
def run_command(cli_blueprint: str, command: str) -> tuple[str, int, str]:
    return (command, *run_blueprint_command(cli_blueprint, command))


@then("the blueprint's command answers")
def command_answers(command_result: tuple[str, int, str]) -> None:
    command, code, output = command_result
    expect(
        code == 0 and COMMAND_OUTPUT in output,
        "a blueprint's CLI commands join the app's flask command in its cli_group (BP-03)",
        f"{command!r} to print {COMMAND_OUTPUT!r}",
        f"exit status {code}: {' '.join(output.split())[:120]!r}",
    )


# -- BP-04: static files -------------------------------------------------------


@given(
    "an app with a blueprint at /shop whose static folder, served at /assets, holds style.css",
    target_fixture="built_app",
)
def shop_app(tmp_path: Path) -> Flask:
    (tmp_path / "style.css").write_text(STYLESHEET, encoding="utf-8")
    return static_file_app(tmp_path)


@when(parsers.re(r"a visitor asks for (?P<path>/\S+)"), target_fixture="static_answer")
def ask_for_file(built_app: Flask, path: str) -> tuple[str, int, str]:
    response = built_app.test_client().get(path)
    answer = (path, response.status_code, response.get_data(as_text=True))
    response.close()
    return answer


@then("the app answers with the file's content")
def answers_with_file(static_answer: tuple[str, int, str]) -> None:
    path, status, body = static_answer
    expect(
        status == 200 and body == STYLESHEET,
        "a blueprint serves its static files below its own URL prefix (BP-04)",
        f"200 with the stylesheet for {path}",
        f"{status} {body[:60]!r}",
    )
