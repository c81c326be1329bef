"""The people in a scenario and what they can do to the app.

Each :class:`Visitor` owns a :class:`~flask_conformance.drive.browser.Browser`, so two
visitors never share cookies. Their methods are the actions scenarios speak of
("Alice stores ...", "Alice logs out"); each is one probe or journey request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask

from ..journeys import login_limits
from ..journeys.login_cache import LoginCache
from ..journeys.profile import JourneyProfile, RequestSpec
from ..journeys.runner import page_admits, send
from ..plugin import verdicts
from ..target.capabilities import detected, session_cookie_name
from .browser import AppRaisedError, Browser, Exchange, explain
from .probe import PREFIX, TRACE_HEADER, new_trace_id


def _answer(exchange: Exchange) -> dict[str, Any]:
    """The probe's answer: a JSON object, as every probe view builds it."""
    answer: dict[str, Any] = exchange.json()
    return answer


class Visitor:
    """One person with one browser."""

    def __init__(
        self,
        app: Flask,
        name: str,
        log: list[Exchange] | None = None,
        logins: LoginCache | None = None,
    ) -> None:
        self.name = name
        self.browser = Browser(app, name=name, log=log)
        self.app = app
        self._logins = logins
        #: This visitor's last real login (not one restored from the run's cache).
        self.last_login: Exchange | None = None

    # -- the session, through the probe -----------------------------------
    def _write(self, path: str, body: dict[str, Any], **kwargs: Any) -> Exchange:
        """Change the session through the probe, then let the app settle it.

        Some apps write into a session once, the first time they see it:
        Flask-Login's session protection marks a session that has data but
        no ``_id`` (one it did not write itself, such as the probe's) as not
        fresh. A real visitor's session has been through that already, so
        on such an app the kit sends the request that visitor would have
        sent (a page that never touches the session) before a scenario
        judges what the next request does. It is an observation: it is not
        "the response" a scenario speaks of.
        """
        written = self.browser.post(f"{PREFIX}{path}", json_body=body, **kwargs)
        found = detected(self.app)
        settled = written.error is None and 0 < written.status < 400
        if found is not None and found.hooks_settle_session and settled:
            self.browser.get(f"{PREFIX}/untouched", observation=True)
        return written

    def store(self, key: str, value: Any, **kwargs: Any) -> Exchange:
        return self._write("/session/store", {"key": key, "value": value}, **kwargs)

    def store_sample(self, key: str, sample_name: str, **kwargs: Any) -> Exchange:
        return self._write("/session/store", {"key": key, "sample": sample_name}, **kwargs)

    def read_session(self) -> dict[str, Any]:
        """The whole session as the app sees it on a new request."""
        return _answer(self.browser.get(f"{PREFIX}/session", observation=True))

    def session_value(self, key: str) -> Any:
        return self.read_session()["values"].get(key)

    def read_once(self, how: str, key: str = "", **kwargs: Any) -> Exchange:
        return self.browser.get(f"{PREFIX}/session/read?how={how}&key={key}", **kwargs)

    def pop(self, key: str, *default: Any) -> Exchange:
        body: dict[str, Any] = {"key": key}
        if default:
            body["default"] = default[0]
        return self._write("/session/pop", body)

    def look_up(self, key: str) -> dict[str, Any]:
        """How the app sees ``key``: ``key in session``, ``session[key]``, ``session.get(key)``."""
        return _answer(self.browser.get(f"{PREFIX}/session/lookup?key={key}", observation=True))

    def delete(self, key: str) -> Exchange:
        return self._write("/session/delete", {"key": key})

    def clear(self) -> Exchange:
        return self.browser.post(f"{PREFIX}/session/clear", json_body={})

    def append_in_place(self, key: str, item: Any, mark_modified: bool = False) -> Exchange:
        return self._write(
            "/session/append", {"key": key, "item": item, "mark_modified": mark_modified}
        )

    def make_permanent(self, value: bool = True) -> Exchange:
        return self._write("/session/permanent", {"value": value})

    def mark_modified(self) -> Exchange:
        return self._write("/session/mark-modified", {})

    def setdefault(self, key: str, value: Any) -> Exchange:
        return self._write("/session/setdefault", {"key": key, "value": value})

    def update(self, values: dict[str, Any]) -> Exchange:
        return self._write("/session/update", {"values": values})

    def write_in_after_request_and_teardown(self, key: str) -> Exchange:
        return self._write("/session/teardown-write", {"key": key})

    def flash(self, message: str) -> Exchange:
        return self._write("/flash", {"message": message})

    def flashed_messages(self) -> Exchange:
        """A page that shows the flashed messages: ``get_flashed_messages()``."""
        return self.browser.get(f"{PREFIX}/flashes")

    def visit_untouched_page(self) -> Exchange:
        return self.browser.get(f"{PREFIX}/untouched")

    # -- g and hooks, through the probe -----------------------------------
    def put_on_g(self, name: str, value: Any) -> Exchange:
        return self.browser.post(f"{PREFIX}/g/{name}", json_body={"value": value})

    def read_from_g(self, name: str) -> dict[str, Any]:
        return _answer(self.browser.get(f"{PREFIX}/g/{name}", observation=True))

    def count_on_g(self) -> int:
        counter: int = _answer(self.browser.post(f"{PREFIX}/g-counter", json_body={}))["counter"]
        return counter

    def nest_app_context(self) -> dict[str, Any]:
        return _answer(self.browser.get(f"{PREFIX}/g-nested"))

    def call_g(
        self, call: str, name: str, default: list[Any], contents: dict[str, Any]
    ) -> dict[str, Any]:
        """Put ``contents`` on g, make one call of g's API (G-03); what came of it."""
        body = {"call": call, "name": name, "default": default, "contents": contents}
        return _answer(self.browser.post(f"{PREFIX}/g-api", json_body=body))

    def hand_over_job(self, how: str, key: str, value: Any) -> str:
        """Store ``value`` under ``key`` and hand over a job that keeps the request (G-14)."""
        body = {"how": how, "key": key, "value": value}
        return str(self._write("/job", body).json()["job"])

    def teardown_appcontext_calls(self) -> int:
        stats = _answer(self.browser.get(f"{PREFIX}/stats", observation=True))
        calls: int = stats["teardown_appcontext_calls"]
        return calls

    def traced_request(
        self, query: str = "", page: str = "/nested/view", **kwargs: Any
    ) -> tuple[Exchange, list[dict[str, Any]]]:
        """Request a probe page (by default the nested-blueprint view) and
        return the hooks that ran; ``page`` may name one no route matches."""
        trace_id = new_trace_id()
        path = f"{PREFIX}{page}" + (f"?{query}" if query else "")
        exchange = self.browser.get(path, headers={TRACE_HEADER: trace_id}, **kwargs)
        events = self.browser.get(f"{PREFIX}/trace/{trace_id}", observation=True).json()["events"]
        return exchange, events

    def upload(self, name: str, then: str = "answer") -> Exchange:
        """Upload a small file to the probe, which keeps it as ``name`` and
        then answers, aborts with 403 or raises (``then``)."""
        return self.browser.post(
            f"{PREFIX}/upload",
            form={"name": name, "then": then},
            files={"upload": (b"a line of an uploaded file\n", "notes.txt")},
            raise_errors=False,
        )

    def kept_upload(self, name: str) -> dict[str, Any]:
        """Whether the file kept as ``name`` was open in the view and in
        teardown_request, and whether it is closed now."""
        return _answer(self.browser.get(f"{PREFIX}/upload/{name}", observation=True))

    # -- the app's own journeys, through its profile ----------------------
    def login(self, profile: JourneyProfile, remember: bool = False) -> Exchange:
        """Log in as this visitor's profile user (asking to be remembered, if told)."""
        extra = profile.login.remember if remember else None
        login = send(self.browser, profile.user(self.name), profile.login, extra)
        username = profile.user(self.name).username
        before = None if self._logins is None else self._logins.admitted.first(username)
        refused = login_limits.refused_repeat(login, username, profile.login.describe(), before)
        self.last_login = login
        if refused is not None:
            # The app limits logins (Flask-Limiter, say) and the kit logs in far
            # more often than a person: that protects the app, it breaks nothing.
            verdicts.not_applicable(refused)
        return login

    def refused_admission(self, profile: JourneyProfile) -> str | None:
        """Why the protected page not admitting this visitor after a real login is
        the app refusing to repeat a login that admitted them before, or None."""
        last = self.last_login
        if last is not None and (last.error is not None or last.status >= 500):
            return None  # a login that failed with a server error is never excused
        username = profile.user(self.name).username
        before = None if self._logins is None else self._logins.admitted.first(username)
        return login_limits.refused_admission(username, profile.login.describe(), before)

    def be_logged_in(self, profile: JourneyProfile, remember: bool = False) -> Exchange:
        """Be logged in, as a scenario that starts from a login needs; the login exchange.

        Restores this run's earlier login of the same user where that is the
        same as logging in now; otherwise logs in and keeps the result for
        later scenarios (see :mod:`flask_conformance.journeys.login_cache`). The
        restored exchange is marked ``restored``: a caller that sees the app
        turn the visitor away after it calls :meth:`log_in_again`.
        """
        if self._logins is None or any(True for _ in self.browser.jar):
            return self.login(profile, remember)
        key = self._logins.key(self.app, profile.user(self.name).username, remember)
        captured = self._logins.get(key)
        if captured is not None:
            restored = captured.restore_into(self.browser.jar, self.name)
            self.browser.history.extend(restored)
            self.browser.log.extend(restored)
            return restored[-1]
        first = len(self.browser.history)
        login = self.login(profile, remember)
        self._logins.capture(key, self.browser.jar, self.browser.history[first:])
        return login

    def log_in_again(self, profile: JourneyProfile, remember: bool = False) -> Exchange:
        """Log in for real after the app refused a restored login (it revoked it)."""
        if self._logins is not None:
            username = profile.user(self.name).username
            self._logins.forget(self._logins.key(self.app, username, remember))
        self.browser.forget_cookies()
        return self.be_logged_in(profile, remember)

    def logout(self, profile: JourneyProfile) -> Exchange:
        return self._send(profile, profile.logout)

    def _send(self, profile: JourneyProfile, spec: RequestSpec) -> Exchange:
        """Send one of the profile's requests, filled in with this visitor's user."""
        return send(self.browser, profile.user(self.name), spec)

    def restart_browser(self) -> None:
        """Close the browser and open it again: cookies without an expiry date are gone."""
        self.browser.jar.clear_session_cookies()

    def visit_protected(self, profile: JourneyProfile, observation: bool = False) -> Exchange:
        return self.browser.get(profile.protected_path, observation=observation)

    def is_logged_in(
        self, profile: JourneyProfile, observation: bool = False
    ) -> tuple[bool, Exchange]:
        """Whether the protected page admits this visitor as their profile user."""
        exchange = self.visit_protected(profile, observation)
        return page_admits(profile, profile.user(self.name), exchange), exchange


class Visitors:
    """Everyone in one scenario, created on first mention."""

    def __init__(self, app: Flask, logins: LoginCache | None = None) -> None:
        self.app = app
        #: The run's captured logins, which ``be_logged_in`` restores.
        self.logins = logins
        self._people: dict[str, Visitor] = {}
        #: Every exchange of the scenario, in order: the evidence.
        self.log: list[Exchange] = []
        #: The remember-me cookie's name, once a login asking to be remembered set it.
        self.remember_cookie_name: str | None = None

    def __getitem__(self, name: str) -> Visitor:
        if name not in self._people:
            self._people[name] = Visitor(self.app, name, log=self.log, logins=self.logins)
        return self._people[name]

    @property
    def session_cookie_name(self) -> str:
        """The name of the app's session cookie, as the app was seen to send it."""
        return session_cookie_name(self.app)

    @property
    def last_response(self) -> Exchange:
        """The response to the scenario's most recent action (checks' own requests aside).

        When the app's own code (a hook or view of the app, not Flask or the
        probe) raised while answering it, the response shows the app's error,
        not the behaviour under test: that fails here, naming the function.
        """
        for exchange in reversed(self.log):
            if not exchange.observation:
                error = exchange.error or exchange.app_error
                if error is not None and exchange.raised_where:
                    raise AppRaisedError(
                        explain(error, exchange.method, exchange.path, exchange.raised_where)
                    )
                return exchange
        raise AssertionError("No request has been made in this scenario yet.")

    def __iter__(self) -> Iterator[Visitor]:
        return iter(self._people.values())
