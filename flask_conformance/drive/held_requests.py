"""Two requests of one visitor that overlap: a slow one still running while
the next one (a logout) comes and goes.

A browser sends requests in parallel and keeps whichever cookie arrives last.
The kit holds a probe request open mid-flight (it has already loaded the
session), lets the scenario send other requests meanwhile, then lets it
finish. The held request runs in a thread with a browser of its own that
shares the visitor's cookie jar, as two tabs of one browser do.
"""

from __future__ import annotations

import threading
import uuid

from .browser import Browser, Exchange
from .probe import PREFIX, probe_state
from .visitors import Visitor

#: Real seconds to wait for the held request to start or end before failing.
WAIT_LIMIT = 10.0


class HeldRequest:
    """One of ``visitor``'s requests, held open after it has loaded the session."""

    def __init__(self, visitor: Visitor, *, write: bool, key: str, value: str) -> None:
        self.visitor = visitor
        self.gate = uuid.uuid4().hex
        self.body = {"write": write, "key": key, "value": value, "gate": self.gate}
        self.started = threading.Event()
        self.release = threading.Event()
        self.exchange: Exchange | None = None
        #: Whether the protected page still admitted the visitor after logout,
        #: before this request ended (None: nobody looked).
        self.admitted_before_end: bool | None = None
        self._thread = threading.Thread(target=self._send, daemon=True)
        self._browser = Browser(visitor.app, name=visitor.name, log=visitor.browser.log)
        self._browser.jar = visitor.browser.jar

    def start(self) -> None:
        """Send the request and return once the app has loaded its session."""
        probe_state(self.visitor.app).gates[self.gate] = (self.started, self.release)
        self._thread.start()
        self.started.wait(WAIT_LIMIT)
        if self.exchange is not None or not self.started.is_set():
            answer = self.exchange.describe() if self.exchange is not None else "no answer"
            raise AssertionError(
                "The request held open during logout never reached the kit's probe: one of "
                f"the app's before_request hooks answered it first ({answer})."
            )

    def finish(self) -> Exchange:
        """Let the request write (or not) and end; return its exchange."""
        self.release.set()
        self._thread.join(WAIT_LIMIT)
        if self.exchange is None:
            raise AssertionError("The held request did not end within the kit's time limit.")
        return self.exchange

    def _send(self) -> None:
        try:
            self.exchange = self._browser.post(
                f"{PREFIX}/session/held", json_body=self.body, raise_errors=False
            )
        finally:
            self.started.set()  # an app that answered before the probe must not keep start() waiting
