"""The session specs against a real Redis server, not fakeredis.

The specs normally run Flask-Session over fakeredis, which reads the kit's
frozen clock. A real server keeps its own clock, so the kit moves its keys' TTLs
instead (:meth:`flask_conformance.backends.RedisStore.follow_clock`). This test
proves that path works: it starts ``redis-server`` on a free loopback port with
no persistence, runs the ``@sessions`` specs in a subprocess with ``REDIS_URL``
pointing at it, and checks both that they pass and that the server really served
the sessions.

It skips when ``redis-server`` is not installed, unless
``FLASK_CONFORMANCE_REQUIRE_REDIS`` is set (CI sets it after installing Redis),
in which case a missing server is a failure rather than a silent skip.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

import pytest
import redis

from flask_conformance import layout

from .running import clean_env, run_command

#: How long the server may take to say it is ready.
STARTUP_SECONDS = 10.0
#: What redis-server logs once it accepts connections (6.x, 7.x).
READY_LINE = "Ready to accept connections"
#: How long the spec run may take; it normally takes a second or two.
SPEC_RUN_SECONDS = 300


@dataclass
class RedisServer:
    """A redis-server child process and what it has logged."""

    process: subprocess.Popen[str]
    port: int
    log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)


def _free_port() -> int:
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


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    executable = shutil.which("redis-server")
    if executable is None:
        if os.environ.get("FLASK_CONFORMANCE_REQUIRE_REDIS"):
            pytest.fail("FLASK_CONFORMANCE_REQUIRE_REDIS is set but redis-server is not on PATH")
        pytest.skip(
            "redis-server is not on PATH, so the session specs cannot be run against a real "
            "Redis server here (install it, e.g. apt-get install redis-server; CI does)"
        )
    port = _free_port()
    process = subprocess.Popen(
        [
            executable,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--loglevel",
            "notice",
            "--logfile",
            "",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
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
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        drainer.join(timeout=5)


def _run_session_specs(server: RedisServer) -> subprocess.CompletedProcess[str]:
    return run_command(
        [
            sys.executable, "-m", "pytest", str(layout.STEPS_DIR), "-m", "sessions",
            "-p", "no:randomly", "-p", "no:cacheprovider", "-rA", "-q",
        ],
        cwd=layout.KIT_ROOT,
        env=clean_env(REDIS_URL=server.url),
        timeout=SPEC_RUN_SECONDS,
    )  # fmt: skip


def _tail(result: subprocess.CompletedProcess[str], lines: int = 40) -> str:
    """The end of a run's output: its short summary says which scenarios failed."""
    text = (result.stdout + result.stderr).rstrip().splitlines()
    return "\n".join(text[-lines:])


def test_session_specs_pass_against_a_real_redis_server(redis_server: RedisServer) -> None:
    client = redis_server.client()
    client.config_resetstat()

    result = _run_session_specs(redis_server)
    output = _tail(result)

    assert result.returncode == 0, (
        f"the session specs failed against a real Redis server:\n{output}"
    )
    passed_on_redis = re.findall(r"^PASSED \S+\[redis[\]-]", result.stdout, re.MULTILINE)
    assert passed_on_redis, f"no scenario passed on the redis backend:\n{output}"

    # The scenarios must have used this server, not an in-process fakeredis.
    commands = client.info("commandstats")
    writes = sum(commands.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("set", "setex"))
    reads = commands.get("cmdstat_get", {}).get("calls", 0)
    assert writes > 0 and reads > 0, (
        f"{len(passed_on_redis)} redis scenarios passed but the real server saw "
        f"{writes} session writes and {reads} reads: the specs did not use REDIS_URL.\n"
        f"commandstats: {commands}"
    )
