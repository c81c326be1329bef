"""Steps for the signals Flask sends during a request (SIG-01, SIG-02;
features/context/lifecycle.feature).

The test listens to the app's signals through the ``signal_log`` fixture,
whose receivers are disconnected when the scenario ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import flask
import pytest
from blinker import Signal
from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.visitors import Visitors

from .checks import expect
from .errors import expect_unhandled
from .lifecycle import TRACED_PAGE

#: The signals the specs listen to, and the keyword of what each one carries
#: (an exception, or the response).
SIGNALS: dict[str, str | None] = {
    "appcontext_pushed": None,
    "request_started": None,
    "got_request_exception": "exception",
    "request_finished": "response",
    "request_tearing_down": "exc",
    "appcontext_tearing_down": "exc",
    "appcontext_popped": None,
}


@dataclass
class SignalLog:
    """The signals the app sent while the test listened: ``(signal, what it carried)``.

    What a signal carried is an exception's class name (``"None"`` for no
    exception), a response as ``"500 response"``, or ``""`` for a signal that
    carries nothing.
    """

    app: Flask
    sent: list[tuple[str, str]] = field(default_factory=list)
    _receivers: list[tuple[Signal, Any]] = field(default_factory=list)

    def listen(self) -> None:
        for name, keyword in SIGNALS.items():
            signal: Signal = getattr(flask, name)

            def receiver(
                sender: Any, name: str = name, keyword: str | None = keyword, **extra: Any
            ) -> None:
                self.sent.append((name, "" if keyword is None else _carried(extra.get(keyword))))

            signal.connect(receiver, self.app, weak=False)
            self._receivers.append((signal, receiver))

    def stop(self) -> None:
        for signal, receiver in self._receivers:
            signal.disconnect(receiver, self.app)
        self._receivers.clear()


@pytest.fixture
def signal_log(app_under_test: Flask) -> Iterator[SignalLog]:
    """The app's signals, recorded while the scenario listens."""
    log = SignalLog(app_under_test)
    yield log
    log.stop()


@given("the test listens to the app's signals")
def listen_to_signals(signal_log: SignalLog) -> None:
    signal_log.listen()


@when(parsers.re(r"(?P<name>\w+)'s request raises an error that nothing handles"))
def untraced_crash(visitors: Visitors, name: str) -> None:
    """An untraced request to a probe page that raises (a traced one asks again for its trace)."""
    exchange = visitors[name].browser.get(f"{TRACED_PAGE}?raise=unhandled", raise_errors=False)
    expect_unhandled(visitors, exchange)  # not applicable to an app that handles every error


@then("the app sent these signals, once each, in this order:")
def signals_in_order(visitors: Visitors, signal_log: SignalLog, datatable: list[list[str]]) -> None:
    _, *rows = datatable
    expected = [(signal.strip(), carried.strip()) for signal, carried in rows]
    found = signal_log.sent
    expect(
        found == expected,
        "Flask sends each request signal once, in the order of a request's life, request_finished"
        " with the response, and the exception of an unhandled error with got_request_exception"
        " and the teardown signals (SIG-01, SIG-02, H-01)",
        " -> ".join(_shown_signal(pair) for pair in expected),
        " -> ".join(_shown_signal(pair) for pair in found) or "no signal",
        visitors.log[-1:],
    )


def _carried(value: Any) -> str:
    """An exception, None or a response, as the feature's table writes it."""
    if value is None:
        return "None"
    if isinstance(value, BaseException):
        return type(value).__name__
    return f"{getattr(value, 'status_code', '?')} response"


def _shown_signal(pair: tuple[str, str]) -> str:
    name, carried = pair
    return f"{name}({carried})" if carried else name
