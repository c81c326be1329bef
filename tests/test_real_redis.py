"""The session specs against a real Redis server, not fakeredis.

The specs normally run Flask-Session over fakeredis, which reads the kit's
frozen clock. A real server keeps its own clock, so the kit moves its keys' TTLs
instead (:meth:`flask_conformance.target.backends.RedisStore.follow_clock`). This test
proves that path works: it starts ``redis-server`` on a free loopback port with
no persistence, runs the ``@sessions`` specs in a subprocess with ``REDIS_URL``
pointing at it, and checks both that they pass and that the server really served
the sessions.

It skips when ``redis-server`` is not installed, unless
``FLASK_CONFORMANCE_REQUIRE_REDIS`` is set (see :mod:`tests.redis_server`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from flask_conformance import layout

from .redis_server import RedisServer, running_redis_server
from .running import clean_env, run_command

#: How long the spec run may take; it normally takes a second or two.
SPEC_RUN_SECONDS = 300


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis_server() as server:
        yield server


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
