"""Send a signal to a process once a run of the specs is partway through.

Loaded with ``-p tests.plugins.send_signal``. Once ``SEND_SIGNAL_AFTER``
scenarios have finished in this process, it sends ``SEND_SIGNAL`` (``KILL``,
``STOP``, ``INT``...) to the process ``SEND_SIGNAL_PID`` (``self``: this one).
A test can so kill or freeze a redis-server, or press Ctrl-C, between two
scenarios at the same point of every run, without waiting on any clock.
Under xdist every process of the run counts its own scenarios; the first to
reach the count sends the signal, and a later one finds the job done.
"""

from __future__ import annotations

import os
import signal

import pytest

finished = [0]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "teardown":
        return
    finished[0] += 1
    if finished[0] != int(os.environ["SEND_SIGNAL_AFTER"]):
        return
    target = os.environ["SEND_SIGNAL_PID"]
    signum = getattr(signal, "SIG" + os.environ["SEND_SIGNAL"])
    if target == "self":
        # raise_signal sends it to this thread: os.kill may hand it to another of
        # the process's threads, and the main thread then takes it up later, at a
        # point as likely as not inside a __del__, where Python drops the
        # KeyboardInterrupt ("Exception ignored") and the run goes on.
        signal.raise_signal(signum)
        return
    try:
        os.kill(int(target), signum)
    except ProcessLookupError:  # another process of the run sent it first
        pass
