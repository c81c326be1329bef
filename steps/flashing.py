"""Steps for flashed messages (features/sessions/flashing.feature): a message
is kept in the session until the next page shows it, once."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.visitors import Visitors

from .checks import expect


@given(parsers.parse('{name}\'s request has flashed "{message}"'))
@when(parsers.parse('{name}\'s request flashes "{message}"'))
def flashes(visitors: Visitors, name: str, message: str) -> None:
    visitors[name].flash(message)


def _expect_messages(visitors: Visitors, name: str, wanted: list[str]) -> None:
    page = visitors[name].flashed_messages()
    shown_messages = page.json()["messages"]
    expect(
        shown_messages == wanted,
        "a flashed message is kept in the session until the next page shows it, once (M-11)",
        f"the page to show {wanted}" if wanted else "the page to show no message",
        f"it showed {shown_messages}",
        visitors.log[-3:],
    )


@then(parsers.parse('the next page {name} sees shows the message "{message}"'))
def next_page_shows(visitors: Visitors, name: str, message: str) -> None:
    _expect_messages(visitors, name, [message])


@then(parsers.parse("the page {name} sees after that shows no message"))
def later_page_shows_none(visitors: Visitors, name: str) -> None:
    _expect_messages(visitors, name, [])
