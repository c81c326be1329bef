"""Ending the process when the run ends, whatever threads the app left running.

An app that starts a thread of its own while it is built (an updater, a
scheduler) without ``daemon=True`` keeps Python from exiting: the interpreter
waits for every such thread before it ends, and that thread never ends, so a
run that has printed its result would hang. Once the run is over the kit waits
for nothing, so when such threads are left it ends the process itself: it
runs the ``atexit`` functions (the run's temporary folder, log handlers),
flushes the output and exits with the run's status.

Only runs that loaded a target do this (the plugin registers this module
then), and only when a thread other than the main one is left that is not a
daemon: a run that leaves none ends as pytest ends it.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

import pytest

#: The run's final exit status, kept for :func:`pytest_unconfigure`.
EXIT_STATUS = pytest.StashKey[int]()


def lingering_threads() -> list[threading.Thread]:
    """Threads that would keep the process alive after the main thread ends."""
    main = threading.main_thread()
    return [
        thread
        for thread in threading.enumerate()
        if thread is not main and not thread.daemon and thread.is_alive()
    ]


def exit_now(status: int) -> None:
    """End the process with ``status`` after atexit functions ran and output is flushed.

    ``os._exit`` is the only way past the interpreter's wait for non-daemon
    threads; it skips ``atexit``, so those functions run here first.
    """
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    try:
        atexit._run_exitfuncs()  # what interpreter shutdown would run after the wait
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(status)


def exit_if_threads_linger(status: int) -> None:
    """End the process now with ``status`` if threads would keep it alive."""
    if lingering_threads():
        exit_now(status)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> object:
    """Keep the status the run ends with, after every other plugin changed it."""
    result = yield
    session.config.stash[EXIT_STATUS] = int(session.exitstatus)
    return result


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """The last thing pytest does: end the process if the app's threads would hold it."""
    status = config.stash.get(EXIT_STATUS, None)
    if status is not None:
        exit_if_threads_linger(status)
