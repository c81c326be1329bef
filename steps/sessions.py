"""Steps for what a session stores, where, and when its cookie is written."""

from __future__ import annotations

from pytest_bdd import parsers, then

from flask_conformance.backends import RedisStore
from flask_conformance.browser import decode_cookie_payload
from flask_conformance.visitors import Visitors

from .checks import expect, row_for_backend


@then(parsers.parse("where {name}'s session data lives depends on the backend:"))
def data_location(visitors: Visitors, name: str, backend: str, datatable: list[list[str]]) -> None:
    where = row_for_backend(datatable, backend)["where the data lives"]
    browser = visitors[name].browser
    cookie = browser.cookie_value(visitors.app.config["SESSION_COOKIE_NAME"]) or ""
    payload = decode_cookie_payload(cookie)
    if where.startswith("in the cookie"):
        expect(
            isinstance(payload, dict) and bool(payload),
            "Flask's own sessions keep the data in the cookie (SES-01)",
            "a cookie whose payload holds the session data",
            f"the cookie {cookie[:40]!r} decodes to {payload!r}",
            browser.history[-1:],
        )
    else:
        store = RedisStore(visitors.app)
        expect(
            payload is None and store.has_session(cookie),
            "a server-side session keeps the data in the store, the cookie holds an id (T-12)",
            "an opaque cookie naming a session held in Redis",
            f"the cookie {cookie[:40]!r}; sessions in the store: {store.session_keys()}",
            browser.history[-1:],
        )
