"""The kit's browser keeps cookies as a browser does, on the kit's clock."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

import pytest
from flask import Flask, make_response, request, session

from flask_conformance.drive.browser import AppRaisedError, Browser, SetCookie
from flask_conformance.drive.clock import Clock
from flask_conformance.security.session_cookie import read_payload


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="browser-test", TESTING=True)

    @app.get("/set/<name>")
    def set_cookie(name: str) -> Any:
        response = make_response("set")
        max_age = request.args.get("max_age", type=int)
        response.set_cookie(name, "yes", max_age=max_age, secure="secure" in request.args)
        return response

    @app.get("/echo")
    def echo() -> Any:
        return json.dumps(dict(request.cookies))

    @app.get("/store")
    def store() -> Any:
        session["colour"] = "blue"
        return "stored"

    @app.get("/boom")
    def boom() -> Any:
        raise LookupError("the view broke")

    return app


def test_cookies_go_back_to_the_app(app: Flask) -> None:
    browser = Browser(app)
    browser.get("/set/flavour")
    assert browser.get("/echo").json() == {"flavour": "yes"}
    assert browser.cookie_value("flavour") == "yes"


def test_expired_cookie_is_dropped_on_the_kit_clock(app: Flask, conformance_clock: Clock) -> None:
    clock = conformance_clock
    browser = Browser(app)
    browser.get("/set/short?max_age=60")
    clock.advance(_dt.timedelta(seconds=59))
    assert browser.cookie_value("short") == "yes"
    assert browser.get("/echo").json() == {"short": "yes"}
    clock.advance(_dt.timedelta(seconds=2))
    assert browser.cookie_value("short") is None
    exchange = browser.get("/echo")
    assert exchange.json() == {}
    assert exchange.cookies_sent == {}


def test_secure_cookie_is_sent_over_https_only(app: Flask) -> None:
    browser = Browser(app)
    browser.get("/set/secret?secure=1")
    assert browser.get("/echo").json() == {"secret": "yes"}
    over_http = browser.get("/echo", base_url="http://localhost")
    assert over_http.json() == {}


def test_the_default_base_url_is_https(app: Flask) -> None:
    assert Browser(app).base_url.startswith("https://")


def test_browsers_do_not_share_cookies(app: Flask) -> None:
    alice, bob = Browser(app, name="Alice"), Browser(app, name="Bob")
    alice.get("/set/flavour")
    assert bob.get("/echo").json() == {}


def test_exchanges_are_logged_in_order(app: Flask, conformance_clock: Clock) -> None:
    clock = conformance_clock
    log: list[Any] = []
    alice, bob = Browser(app, name="Alice", log=log), Browser(app, name="Bob", log=log)
    alice.get("/set/flavour")
    bob.get("/echo", observation=True)
    assert [(e.visitor, e.path, e.observation) for e in log] == [
        ("Alice", "/set/flavour", False),
        ("Bob", "/echo", True),
    ]
    assert log[0].at == clock.now()
    assert log[0].set_cookie("flavour") is not None
    assert (
        "Alice: GET /set/flavour at 2030-01-01 12:00:00 (sent no cookies) -> 200"
        in log[0].describe()
    )


def test_planted_cookie_is_sent(app: Flask) -> None:
    browser = Browser(app)
    browser.plant_cookie("forged", "value")
    assert browser.get("/echo").json() == {"forged": "value"}
    browser.forget_cookies()
    assert browser.get("/echo").json() == {}


def test_an_exception_from_the_app_fails_the_scenario(app: Flask) -> None:
    browser = Browser(app)
    with pytest.raises(
        AppRaisedError,
        match="The app raised LookupError: the view broke while answering GET /boom",
    ):
        browser.get("/boom")
    assert issubclass(AppRaisedError, AssertionError)


def test_an_exception_can_be_kept_as_evidence(app: Flask) -> None:
    exchange = Browser(app).get("/boom", raise_errors=False)
    assert isinstance(exchange.error, LookupError)
    assert "raised LookupError" in exchange.describe()


def test_a_teardown_without_parameter_is_explained() -> None:
    app = Flask(__name__)

    @app.teardown_appcontext
    def teardown_db():  # type: ignore[no-untyped-def]
        pass

    @app.get("/")
    def index() -> str:
        return "ok"

    with pytest.raises(AppRaisedError) as caught:
        Browser(app).get("/")
    message = str(caught.value)
    assert "def teardown_db(exc):" in message
    assert "E-08" in message


def test_last_needs_a_request(app: Flask) -> None:
    with pytest.raises(AssertionError, match="has not sent any request"):
        _ = Browser(app, name="Alice").last


# -- SetCookie.parse ----------------------------------------------------------


def test_set_cookie_parse_splits_attributes() -> None:
    header = "session=abc.def; Expires=Fri, 01 Feb 2030 12:00:00 GMT; Secure; HttpOnly; Path=/; SameSite=Lax"
    cookie = SetCookie.parse(header)
    assert (cookie.name, cookie.value, cookie.raw) == ("session", "abc.def", header)
    assert cookie.attributes == {
        "expires": "Fri, 01 Feb 2030 12:00:00 GMT",
        "secure": True,
        "httponly": True,
        "path": "/",
        "samesite": "Lax",
    }
    assert cookie.expires == "Fri, 01 Feb 2030 12:00:00 GMT"
    assert not cookie.deletes


@pytest.mark.parametrize(
    "header",
    [
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
        "session=; Max-Age=0; Path=/",
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
    ],
)
def test_set_cookie_deletes(header: str) -> None:
    assert SetCookie.parse(header).deletes


def test_set_cookie_without_attributes() -> None:
    cookie = SetCookie.parse("a=b")
    assert (cookie.name, cookie.value, cookie.attributes, cookie.expires) == (
        "a",
        "b",
        {},
        None,
    )


# -- what the browser holds can be read -------------------------------------


def test_decode_reads_the_cookie_flask_sends(app: Flask) -> None:
    browser = Browser(app)
    browser.get("/store")
    value = browser.cookie_value(app.config["SESSION_COOKIE_NAME"])
    assert value is not None
    assert read_payload(value) == {"colour": "blue"}
