"""A real redis-server for the kit's tests, on a free loopback port, stopped by its pid.

The tests that prove what the kit does with a real Redis (the specs pass on
it, ``--redis-url`` sends sessions there, the user's keys survive a run, a
server that dies or hangs mid-run stops the run) each start a server with
:func:`running_redis_server`: no persistence, bound to 127.0.0.1 only, ready
when it says so in its log (no sleeping), and stopped when the test ends,
even one the test froze with SIGSTOP.

Without ``redis-server`` on PATH they skip, unless
``FLASK_CONFORMANCE_REQUIRE_REDIS`` is set (CI sets it after installing Redis),
in which case a missing server is a failure rather than a silent skip.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

import pytest
import redis

#: How long the server may take to say it is ready.
STARTUP_SECONDS = 10.0
#: What redis-server logs once it accepts connections (6.x, 7.x).
READY_LINE = "Ready to accept connections"


@dataclass
class RedisServer:
    """A redis-server child process and what it has logged."""

    process: subprocess.Popen[str]
    port: int
    log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int:
        return self.process.pid

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)


def free_port() -> int:
    """A loopback port nothing listens on (now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _drain(stream: IO[str], lines: queue.Queue[str | None], log: list[str]) -> None:
    """Read the server's log until it exits, so its pipe never fills up."""
    for line in stream:
        log.append(line.rstrip("\n"))
        lines.put(line)
    lines.put(None)


def _wait_until_ready(server: RedisServer, lines: queue.Queue[str | None]) -> None:
    """Block on the server's log until it is ready, it dies, or the deadline passes.

    Waiting on the log (not sleeping and retrying) means the test goes on the
    moment the server is ready, and the deadline bounds it if it never is.
    """
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"redis-server did not become ready in {STARTUP_SECONDS} s")
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            continue
        if line is None:
            raise RuntimeError(
                f"redis-server exited with {server.process.wait()} before it was ready:\n"
                + "\n".join(server.log)
            )
        if READY_LINE in line:
            return


def redis_server_executable() -> str:
    """The path of redis-server, or skip (fail on CI) when it is not installed."""
    executable = shutil.which("redis-server")
    if executable is None:
        if os.environ.get("FLASK_CONFORMANCE_REQUIRE_REDIS"):
            pytest.fail("FLASK_CONFORMANCE_REQUIRE_REDIS is set but redis-server is not on PATH")
        pytest.skip(
            "redis-server is not on PATH, so the kit cannot be run against a real "
            "Redis server here (install it, e.g. apt-get install redis-server; CI does)"
        )
    return executable


@contextmanager
def running_redis_server() -> Iterator[RedisServer]:
    """A fresh redis-server on a free loopback port, stopped by its pid at the end."""
    executable = redis_server_executable()
    port = free_port()
    process = subprocess.Popen(
        [
            executable, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
            "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice", "--logfile", "",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    server = RedisServer(process, port)
    lines: queue.Queue[str | None] = queue.Queue()
    assert process.stdout is not None
    drainer = threading.Thread(target=_drain, args=(process.stdout, lines, server.log), daemon=True)
    drainer.start()
    try:
        _wait_until_ready(server, lines)
        assert server.client().ping(), "redis-server said it was ready but does not answer PING"
        yield server
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)  # a server the test froze must wake to end
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        drainer.join(timeout=5)
