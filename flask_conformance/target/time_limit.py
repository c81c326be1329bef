"""A time limit on loading the app under test, and what the kit was doing then.

Importing an app and calling its factory run the app's own code, and that code
can wait forever: on a database server that is not there, on a lock, on a
prompt. A kit that waits with it in silence looks hung. Python cannot
interrupt a call in the main thread from another thread, so a watchdog thread
ends the process instead when loading takes longer than the limit: it says in
one line what the kit was waiting for, flushes what was printed, removes the
run's temporary folder and exits with status 4 (a target the kit cannot use).

The kit names each step of loading with :func:`stage`, so the line can say
"importing the module 'myapp'" or "calling the factory 'myapp:create_app'"
rather than "loading".
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Seconds the kit waits for the app to load before it gives up.
DEFAULT_LOAD_TIMEOUT = 30.0
#: pytest's exit status for a target the kit cannot use.
USAGE_ERROR = 4

#: What the kit is doing while it loads the app, innermost last.
_stages: list[str] = []


@contextmanager
def stage(doing: str) -> Iterator[None]:
    """Name what the kit does inside this block (``importing the module 'x'``)."""
    _stages.append(doing)
    try:
        yield
    finally:
        _stages.pop()


def current_stage() -> str:
    """What the kit is doing now, for a message."""
    return _stages[-1] if _stages else "loading the app"


@contextmanager
def time_limit(seconds: float, cleanup: Callable[[], None] | None = None) -> Iterator[None]:
    """End the process with one line and status 4 if the block outlasts ``seconds``.

    ``cleanup`` runs before the process ends (the run's temporary folder),
    since ``os._exit`` skips ``atexit``. A limit of 0 or less means no limit.
    """
    if seconds <= 0:
        yield
        return
    finished = threading.Event()

    def watch() -> None:
        if not finished.wait(seconds):
            _give_up(seconds, cleanup)

    watchdog = threading.Thread(target=watch, name="flask-conformance load limit", daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        finished.set()


def _give_up(seconds: float, cleanup: Callable[[], None] | None) -> None:
    message = (
        f"ERROR: The app did not load within {seconds:g} s: the kit was {current_stage()} "
        "and it had not returned. Make sure loading the app does not wait for a server or "
        "for input, or allow longer with --load-timeout SECONDS "
        "(pytest: --conformance-load-timeout)."
    )
    try:
        if cleanup is not None:
            cleanup()
        sys.stdout.flush()
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    finally:
        os._exit(USAGE_ERROR)
