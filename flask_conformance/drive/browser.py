"""A test client that keeps cookies the way a browser does.

Werkzeug's test client never expires a cookie by time and sends ``Secure``
cookies over plain http (reference T-05..T-08), so with it a spec cannot tell
"the browser forgot the cookie" from "the server rejected it". This client
drives the app in-process through Flask's test client with Werkzeug's jar turned
off, and keeps cookies in the standard library's :class:`http.cookiejar.CookieJar`
instead, which drops cookies whose ``Expires``/``Max-Age`` has passed (on the
kit's clock, since freezegun patches ``time.time``) and sends ``Secure`` cookies
only over https. Apps are driven over https by default.

Every request and response is kept as an :class:`Exchange`, which is what the
``Then`` steps look at and what reports show as evidence.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import Cookie, CookieJar
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from ..target.raising_function import raised_at, raised_where
from .address import address_of
from .probe import EXTENSION_KEY, ProbeState
from .set_cookie import SetCookie

__all__ = ["AppRaisedError", "Browser", "Exchange", "SetCookie", "explain"]

#: Methods a browser may send without a page of the site having asked for them.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: How many redirects :meth:`Browser.open_page` follows, as a bound against a loop.
MAX_REDIRECTS = 5


class AppRaisedError(AssertionError):
    """The app under test let an exception escape while answering a request.

    It is an AssertionError so that pytest counts the scenario as failed (the
    app broke a behaviour), not as an error in the kit.
    """

    #: The message says it all: reports show it instead of a traceback.
    plain_words = True


def explain(error: BaseException, method: str, path: str, where: str = "") -> str:
    message = f"The app raised {type(error).__name__}: {error} while answering {method} {path}"
    message += f",{where}." if where else "."
    text = str(error)
    if isinstance(error, TypeError) and "positional argument" in text and "but 1 was given" in text:
        message += (
            " A teardown_request or teardown_appcontext function must accept the exception"
            " argument, e.g. def teardown_db(exc): (Flask calls it with one argument on every"
            " request, E-08)."
        )
    elif isinstance(error, TypeError) and "but 2 were given" in text:
        message += (
            " A url_value_preprocessor must accept (endpoint, values) (Flask calls it with two"
            " arguments on every request, H-09)."
        )
    return message


@dataclass
class Exchange:
    """One request and its response, with the kit's clock time."""

    method: str
    path: str
    at: _dt.datetime
    visitor: str
    cookies_sent: dict[str, str]
    status: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    error: BaseException | None = None
    #: An exception the app turned into an error response (it did not escape).
    app_error: BaseException | None = None
    #: Which of the app's functions raised ``error`` or ``app_error``, in words.
    raised_where: str = ""
    #: The same place as data (file, line, function), for reports that link to source.
    raised_at: dict[str, Any] | None = None
    #: True for requests a check made to look at the app, as opposed to the
    #: actions of the scenario; "the response" of a scenario skips these.
    observation: bool = False
    #: True for a login made earlier in the run at the same clock time and
    #: restored instead of sent again (see :mod:`flask_conformance.journeys.login_cache`).
    restored: bool = False

    @property
    def set_cookies(self) -> list[SetCookie]:
        return [SetCookie.parse(v) for k, v in self.headers if k.lower() == "set-cookie"]

    def set_cookie(self, name: str) -> SetCookie | None:
        """The ``Set-Cookie`` for ``name`` in this response, if any."""
        for cookie in self.set_cookies:
            if cookie.name == name:
                return cookie
        return None

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return ", ".join(values) if values else None

    def json(self) -> Any:
        """The body as JSON; a body that is not JSON fails in plain words.

        Probe endpoints always answer JSON, so anything else means the app got
        in the way: a 500 page from an error in one of its hooks, or a
        before_request that answered (or redirected) instead of the probe.
        """
        try:
            return json.loads(self.body)
        except ValueError:
            if self.app_error is not None:
                raise AppRaisedError(
                    explain(self.app_error, self.method, self.path, self.raised_where)
                    + f" Flask answered {self.status} instead of the kit's probe."
                ) from None
            raise AppRaisedError(
                f"{self.method} {self.path} was answered by the app with {self.status} "
                f"{self.header('Content-Type') or ''} instead of reaching the kit's probe: "
                f"{self.text[:160]!r}. An error in one of the app's hooks or a before_request that "
                "answers every request keeps the specs from running."
            ) from None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def describe(self) -> str:
        """One line for failure messages: what was asked and what came back."""
        if self.error is not None:
            outcome = f"raised {type(self.error).__name__}: {self.error}"
            outcome += f",{self.raised_where}" if self.raised_where else ""
        else:
            outcome = f"{self.status}"
            if self.app_error is not None:
                outcome += (
                    f" (the app raised {type(self.app_error).__name__}: {self.app_error}"
                    f"{',' if self.raised_where else ''}{self.raised_where})"
                )
            cookies = "; ".join(c.raw for c in self.set_cookies)
            if cookies:
                outcome += f", Set-Cookie: {cookies}"
        sent = ", ".join(f"{k}={v[:40]}" for k, v in self.cookies_sent.items()) or "no cookies"
        restored = " (the run's login, restored)" if self.restored else ""
        return (
            f"{self.visitor}: {self.method} {self.path} at {self.at:%Y-%m-%d %H:%M:%S}"
            f"{restored} (sent {sent}) -> {outcome}"
        )


class _ResponseHeaders:
    """The two methods :meth:`CookieJar.extract_cookies` needs from a response."""

    def __init__(self, response: TestResponse) -> None:
        self._headers = response.headers

    def info(self) -> _ResponseHeaders:
        return self

    def get_all(self, name: str, default: Any = None) -> Any:
        return self._headers.getlist(name) or default


class Browser:
    """One visitor's browser: its own cookie jar, talking to one app."""

    def __init__(
        self,
        app: Flask,
        name: str = "visitor",
        base_url: str | None = None,
        log: list[Exchange] | None = None,
    ) -> None:
        self.app = app
        self.name = name
        #: Where the app is served (:mod:`flask_conformance.drive.address`).
        self.address = address_of(app)
        self.base_url = base_url or self.address.base_url
        self.jar = CookieJar()
        self.client: FlaskClient = app.test_client(use_cookies=False)
        self.history: list[Exchange] = []
        #: Shared with the other browsers of a scenario: every exchange in order.
        self.log: list[Exchange] = log if log is not None else []
        #: The last page this browser showed, sent as the Referer of a form it submits.
        self.page: str | None = None

    # -- requests ---------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        files: dict[str, tuple[bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
        base_url: str | None = None,
        raise_errors: bool = True,
        observation: bool = False,
    ) -> Exchange:
        """Send a request with this browser's cookies and keep what comes back.

        An exception that escapes the app (``TESTING`` or
        ``PROPAGATE_EXCEPTIONS``) is re-raised unless ``raise_errors`` is false,
        in which case it is recorded on the exchange. ``files`` (content and
        file name, by field) are sent with ``form`` as multipart/form-data.
        """
        base = base_url or self.base_url
        url = base.rstrip("/") + path
        outgoing = urllib.request.Request(url, method=method)
        self.jar.add_cookie_header(outgoing)
        cookie_header = outgoing.get_header("Cookie")
        all_headers = dict(headers or {})
        if cookie_header:
            all_headers["Cookie"] = cookie_header
        if method not in SAFE_METHODS and not any(k.lower() == "referer" for k in all_headers):
            # A browser submits a form from a page of the same site and says so:
            # Flask-WTF's CSRF check refuses a POST over https without it.
            all_headers["Referer"] = self.page or base.rstrip("/") + "/"
        exchange = Exchange(
            visitor=self.name,
            method=method,
            path=path,
            at=_dt.datetime.now(_dt.timezone.utc),
            cookies_sent=_split_cookie_header(cookie_header),
            observation=observation,
        )
        self.history.append(exchange)
        self.log.append(exchange)
        client_path, client_base = path, base
        if base == self.address.base_url:  # where the app is served, by a server or its own mount
            client_path, client_base = self.address.client_args(path)
        kwargs: dict[str, Any] = {"method": method, "base_url": client_base, "headers": all_headers}
        if json_body is not None:
            kwargs["json"] = json_body
        if form is not None or files is not None:
            uploads = {key: (io.BytesIO(data), name) for key, (data, name) in (files or {}).items()}
            kwargs["data"] = {**(form or {}), **uploads}
        try:
            response = self.client.open(client_path, **kwargs)
        except (Exception, SystemExit) as error:  # the app let an exception escape
            exchange.error = error
            exchange.raised_where = raised_where(self.app, error)
            exchange.raised_at = raised_at(error)
            if raise_errors:
                raise AppRaisedError(explain(error, method, path, exchange.raised_where)) from error
            return exchange
        exchange.app_error = _take_app_error(self.app)
        if exchange.app_error is not None:
            exchange.raised_where = raised_where(self.app, exchange.app_error)
            exchange.raised_at = raised_at(exchange.app_error)
        exchange.status = response.status_code
        exchange.headers = list(response.headers.items())
        exchange.body = response.get_data()
        if method == "GET" and 200 <= response.status_code < 300 and not observation:
            self.page = url
        # The jar wants an http.client response; it reads only what _ResponseHeaders has.
        self.jar.extract_cookies(_ResponseHeaders(response), outgoing)  # type: ignore[arg-type]
        response.close()
        return exchange

    def get(self, path: str, **kwargs: Any) -> Exchange:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Exchange:
        return self.request("POST", path, **kwargs)

    def open_page(self, path: str) -> Exchange:
        """GET ``path`` as a person opening it does: following the app's redirects.

        A login page sends a visitor who is already logged in (by a remember
        cookie, say) on to the page behind it; a form found there is the one
        the person sees. Redirects that leave the app are not followed.
        """
        page = self.get(path)
        url = self.base_url.rstrip("/") + path
        for _ in range(MAX_REDIRECTS):
            location = page.header("Location")
            if not 300 <= page.status < 400 or not location:
                break
            next_path = self.address.app_path(location, url)
            if next_path is None:
                break
            url = self.base_url.rstrip("/") + next_path
            page = self.get(next_path)
        return page

    @property
    def last(self) -> Exchange:
        if not self.history:
            raise AssertionError(f"{self.name}'s browser has not sent any request yet.")
        return self.history[-1]

    # -- cookies ----------------------------------------------------------
    def cookie(self, name: str) -> Cookie | None:
        """The cookie this browser would still send, or None if it has none.

        Expired cookies are dropped first, as a browser does before sending.
        """
        self.jar.clear_expired_cookies()
        for cookie in self.jar:
            if cookie.name == name:
                return cookie
        return None

    def cookie_value(self, name: str) -> str | None:
        cookie = self.cookie(name)
        return cookie.value if cookie is not None else None

    def plant_cookie(self, name: str, value: str, domain: str | None = None) -> None:
        """Put a cookie in the jar as if the server had set it (for replays and forgeries).

        By default it takes the place of the cookie of that name the browser
        holds (same domain and path: an app's ``SESSION_COOKIE_DOMAIN`` or
        ``APPLICATION_ROOT`` scopes it), else it is the app's host's own cookie,
        as a server that names no Domain sets it (the jar writes a host without
        a dot as ``host.local``).
        """
        held = self.cookie(name)
        if domain is None and held is not None:
            replaced = copy.copy(held)
            replaced.value = value
            self.jar.set_cookie(replaced)
            return
        host = self.address.hostname
        default = host if "." in host else f"{host}.local"
        self.jar.set_cookie(_make_cookie(name, value, domain or default))

    def forget_cookies(self) -> None:
        self.jar.clear()

    @contextmanager
    def keeping_context(self) -> Iterator[FlaskClient]:
        """Run requests inside ``with client:``, as Flask's testing docs show."""
        with self.client as client:
            yield client


def _take_app_error(app: Flask) -> BaseException | None:
    """The exception the probe saw Flask turn into this response, if any."""
    state: ProbeState | None = app.extensions.get(EXTENSION_KEY)
    if state is None or not state.errors:
        return None
    error = state.errors[-1]
    state.errors.clear()
    return error


def _split_cookie_header(header: str | None) -> dict[str, str]:
    if not header:
        return {}
    pairs = (part.strip().partition("=") for part in header.split(";"))
    return {name: value for name, _, value in pairs if name}


#: What the jar records for a cookie a server set with only ``Path=/``: kept for
#: the browser's session, sent over http and https, to this host alone.
_PLANTED_COOKIE: dict[str, Any] = {
    "version": 0, "port": None, "port_specified": False, "domain_specified": False,
    "domain_initial_dot": False, "path": "/", "path_specified": True, "secure": False,
    "expires": None, "discard": True, "comment": None, "comment_url": None, "rest": {},
}  # fmt: skip


def _make_cookie(name: str, value: str, domain: str) -> Cookie:
    return Cookie(name=name, value=value, domain=domain, **_PLANTED_COOKIE)
