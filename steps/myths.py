"""Steps for the myths feature: the 2018 article's claims, run and refuted.

Claims about sessions run against the app under test through the probe (and
mostly reuse the session steps). Claims about app code run the small apps of
:mod:`flask_conformance.drive.article_apps`, each driven by its own browser; the app and
its browser travel between steps as the ``seed_site`` fixture.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive import article_apps
from flask_conformance.drive.browser import Browser, Exchange
from flask_conformance.drive.visitors import Visitors
from flask_conformance.security import session_cookie

from .checks import expect, shown

# -- the seed apps ---------------------------------------------------------


@dataclass
class SeedSite:
    """One seed app, the browser that visits it, and what the spec says it shows."""

    app: Flask
    browser: Browser
    #: The Flask behaviour the app's answers demonstrate, for failure messages.
    behaviour: str


@dataclass(frozen=True)
class _SeedApp:
    build: Callable[[Path], Flask]
    behaviour: str


_SEED_APPS = {
    "before_request is written as in the article": _SeedApp(
        article_apps.article_gate_app,
        "a before_request that returns a value answers instead of the view, and it runs for"
        " every URL, static files and unknown URLs included (H-06, H-08)",
    ),
    "before_request redirects anonymous visitors to the login page": _SeedApp(
        article_apps.redirecting_gate_app,
        "a before_request that returns None lets Flask carry on to the view, the static file"
        " or its 404 (H-06, H-08)",
    ),
    "url_value_preprocessor is written as in the article": _SeedApp(
        article_apps.article_url_value_preprocessor_app,
        "Flask ignores what a url_value_preprocessor returns and runs the view (H-09)",
    ),
    "teardown_appcontext is written as in the article": _SeedApp(
        lambda static_folder: article_apps.article_teardown_app(),
        "Flask calls every teardown function with one argument, the exception or None (E-08)",
    ),
    "teardown_appcontext accepts the exception argument": _SeedApp(
        lambda static_folder: article_apps.closing_teardown_app(),
        "a teardown_appcontext(exc) runs after every request and can close what the view"
        " opened (E-08, H-13)",
    ),
}


def _one_of(phrases: Iterable[str]) -> str:
    """A regex group matching exactly one of ``phrases``, so these steps claim no others'."""
    return "|".join(re.escape(phrase) for phrase in phrases)


@given(parsers.re(rf"an app whose (?P<which>{_one_of(_SEED_APPS)})"), target_fixture="seed_site")
def build_seed_site(which: str, tmp_path: Path) -> SeedSite:
    """Build the seed app the step names; it is not the app under test."""
    seed = _SEED_APPS[which]
    app = seed.build(tmp_path / "static")
    return SeedSite(app=app, browser=Browser(app, name="the visitor"), behaviour=seed.behaviour)


@given(parsers.re(r"the visitor is (?P<who>anonymous|logged in)"))
def visitor_is(seed_site: SeedSite, who: str) -> None:
    """A logged-in visitor holds a session cookie naming them, signed by the seed app.

    The article's gate swallows the login form's POST, so nobody can log in
    through it; a cookie the app itself would accept stands in for a login.
    """
    seed_site.browser.forget_cookies()
    if who == "logged in":
        value = session_cookie.sign(seed_site.app, {"username": article_apps.USERNAME})
        seed_site.browser.plant_cookie(seed_site.app.config["SESSION_COOKIE_NAME"], value)


_EMAIL = "alice@example.test"

#: What the visitor can ask for: method, path and form.
_PAGES: dict[str, tuple[str, str, dict[str, str] | None]] = {
    "the dashboard": ("GET", "/", None),
    "the login page": ("GET", "/login", None),
    "the login form, filled in": ("POST", "/login", {"username": article_apps.USERNAME}),
    "the stylesheet": ("GET", f"/static/{article_apps.STYLESHEET_NAME}", None),
    "an unknown URL": ("GET", "/no-such-page", None),
    "the details page": ("GET", "/details", None),
    "a page that opens a database connection": ("GET", "/report", None),
    "a page that never touches the database": ("GET", "/about", None),
}


@when(
    parsers.re(
        rf"the visitor asks for (?P<page>{_one_of(_PAGES)})(?P<email> with an email address)?"
    )
)
def visitor_asks_for(seed_site: SeedSite, page: str, email: str | None) -> None:
    method, path, form = _PAGES[page]
    if email:
        path += f"?email={_EMAIL}"
    # An exception that escapes the app is what some of these specs look for.
    seed_site.browser.request(method, path, form=form, raise_errors=False)


# -- what the seed app answered --------------------------------------------


def _redirects_to(path: str) -> Callable[[Exchange], bool]:
    def check(exchange: Exchange) -> bool:
        return urlsplit(exchange.header("Location") or "").path == path

    return check


def _shows(text: str) -> Callable[[Exchange], bool]:
    def check(exchange: Exchange) -> bool:
        return text in exchange.text

    return check


def _is_stylesheet(exchange: Exchange) -> bool:
    content_type = exchange.header("Content-Type") or ""
    return content_type.startswith("text/css") and exchange.text == article_apps.STYLESHEET


_ANSWERS: dict[str, Callable[[Exchange], bool]] = {
    "the login page": _shows(article_apps.LOGIN_PAGE_MARK),
    "the dashboard page": _shows(article_apps.DASHBOARD_MARK),
    "the stylesheet": _is_stylesheet,
    "a redirect to the login page": _redirects_to("/login"),
    "a redirect to the dashboard": _redirects_to("/"),
    "a Not Found page": _shows("Not Found"),
    "the details page": _shows(f"Personal details of {_EMAIL}"),
    "the report page": _shows("Report built from the database"),
}


def _outcome(exchange: Exchange) -> str:
    if exchange.error is not None:
        return f"it raised {type(exchange.error).__name__}: {exchange.error}"
    shown_body = " ".join(exchange.text.split())[:120]
    location = exchange.header("Location")
    where = f", Location: {location}" if location else ""
    kind = exchange.header("Content-Type") or "no Content-Type"
    return f"it answered {exchange.status} ({kind}{where}): {shown_body!r}"


@then(parsers.re(rf"that app answers (?P<status>\d{{3}}) with (?P<answer>{_one_of(_ANSWERS)})"))
def seed_app_answers(seed_site: SeedSite, status: str, answer: str) -> None:
    exchange = seed_site.browser.last
    expect(
        exchange.error is None and exchange.status == int(status) and _ANSWERS[answer](exchange),
        seed_site.behaviour,
        f"{exchange.method} {exchange.path} to answer {status} with {answer}",
        _outcome(exchange),
        exchange,
    )


@then("that app's url_value_preprocessor called the API before the view ran")
def api_called_before_view(seed_site: SeedSite) -> None:
    happened = article_apps.events(seed_site.app)
    expect(
        happened == ["api:details", "view:details"],
        "a url_value_preprocessor runs before the view, and what it returns does not stop"
        " the view (H-02, H-09)",
        "the preprocessor's API call for endpoint 'details', then the details view",
        f"in this order: {', '.join(happened) or 'nothing'}",
        seed_site.browser.history,
    )


@then("that app's url_value_preprocessor called the API for these endpoints:")
def api_called_for(seed_site: SeedSite, datatable: list[list[str]]) -> None:
    _, *rows = datatable
    wanted = [f"api:{row[0]}" for row in rows]
    happened = [event for event in article_apps.events(seed_site.app) if event.startswith("api:")]
    expect(
        happened == wanted,
        "an app-level url_value_preprocessor runs for static files and unmatched URLs too,"
        " with endpoint None on an unmatched URL (H-08, H-09)",
        "API calls for the endpoints " + ", ".join(row[0] for row in rows),
        "API calls for " + (", ".join(e.removeprefix("api:") for e in happened) or "nothing"),
        seed_site.browser.history,
    )


@then(parsers.parse("every request to that app failed with {error_type}: {message}"))
def every_request_failed(seed_site: SeedSite, error_type: str, message: str) -> None:
    for exchange in seed_site.browser.history:
        error = exchange.error
        expect(
            error is not None and type(error).__name__ == error_type and str(error) == message,
            "Flask calls a teardown function with one argument on every request, so one"
            " defined without a parameter raises every time (E-08)",
            f"{exchange.method} {exchange.path} to fail with {error_type}: {message}",
            "it did not fail: " + _outcome(exchange)
            if error is None
            else f"it failed with {type(error).__name__}: {error}",
            exchange,
        )


@then("that app's views had run before the failure")
def views_had_run(seed_site: SeedSite) -> None:
    happened = article_apps.events(seed_site.app)
    asked = [exchange.path for exchange in seed_site.browser.history]
    expect(
        happened == ["view:report", "view:about"],
        "teardown runs after the response is built, so the view's work is done and then"
        " the page is lost (E-08)",
        "the report view and the about view to have run",
        f"these ran: {', '.join(happened) or 'nothing'} (for {', '.join(asked)})",
        seed_site.browser.history,
    )


@then("that app closed the database connection after the request")
def connection_closed(seed_site: SeedSite) -> None:
    happened = article_apps.events(seed_site.app)
    expect(
        happened == ["view:report", "db:closed"],
        "teardown_appcontext(exc) runs when the request's app context ends (H-13, E-08)",
        "the report view to run, then the connection it opened to be closed",
        f"in this order: {', '.join(happened) or 'nothing'}",
        seed_site.browser.history,
    )


# -- sessions, through the probe -------------------------------------------


@then(parsers.parse("{name}'s cookie alone carries everything {pronoun} session holds"))
def cookie_carries_session(visitors: Visitors, name: str, pronoun: str) -> None:
    cookie_name = visitors.session_cookie_name
    visitor = visitors[name]
    cookie = visitor.browser.cookie_value(cookie_name) or ""
    payload = session_cookie.read_payload(cookie)
    held = visitor.read_session()["values"]
    if isinstance(payload, dict):
        payload, held = _without_reading_requests_bookkeeping(payload, held)
    expect(
        isinstance(payload, dict) and payload == held,
        "Flask's own session is stored entirely in the cookie, and the server keeps"
        " nothing (SES-01, SES-02)",
        f"the cookie, decoded without the secret key, to hold the whole session: {held!r}",
        f"the cookie {cookie[:40]!r} decodes to {shown(payload)}",
        visitors.log[-3:],
    )


def _without_reading_requests_bookkeeping(
    payload: dict[str, Any], held: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both sides without the underscore keys only one of them has.

    The kit reads the session in a request of its own, after the app's
    before_request hooks: Flask-Login's "strong" session protection marks a
    session without ``_id`` with ``_remember = "clear"`` there (and drops its
    own keys), bookkeeping of that request which its after_request takes
    back out. What the visitor stored must match; such keys need not.
    """
    apart = {key for key in payload.keys() ^ held.keys() if key.startswith("_")}
    return (
        {key: value for key, value in payload.items() if key not in apart},
        {key: value for key, value in held.items() if key not in apart},
    )


@then(parsers.parse('the pop returned "{value}", not None'))
def pop_returned(visitors: Visitors, value: str) -> None:
    response = visitors.last_response
    answer = response.json()
    expect(
        answer.get("result") == value and answer.get("still_present") is False,
        "session.pop(key, default) removes the key and returns its value; the default is"
        " returned only for a missing key (M-08)",
        f"pop to return {value!r} and the key to be gone",
        f"pop returned {shown(answer.get('result'))}"
        + (" and the key was still there" if answer.get("still_present") else ""),
        response,
    )


@then(parsers.parse('{name}\'s list under "{key}" holds "{items}"'))
def list_holds(visitors: Visitors, name: str, key: str, items: str) -> None:
    wanted = [item.strip() for item in items.split(",")]
    found = visitors[name].session_value(key)
    expect(
        found == wanted,
        "session.modified = True makes Flask save a change made inside a stored value (M-05)",
        f"the list under {key!r} to hold {wanted}",
        f"it holds {shown(found)}",
        visitors.log[-2:],
    )
