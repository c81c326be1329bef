"""``--redis-url``: an app's Flask-Session Redis store on a real server.

By default the kit swaps the client of an app whose Flask-Session keeps
sessions in Redis for fakeredis. With ``--redis-url`` the sessions go to that
server instead; this proves they do, with the ``redis-server`` the real-Redis
test starts (and skips without, as that test does).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .running import run_command
from .test_real_redis import RedisServer, redis_server  # noqa: F401 - the fixture

FLASK_CONFORMANCE = str(Path(sys.executable).with_name("flask-conformance"))


def test_redis_url_sends_an_apps_sessions_to_that_server(
    redis_server: RedisServer,  # noqa: F811
) -> None:
    client = redis_server.client()
    before = int(client.info("stats")["total_commands_processed"])
    result = run_command(
        [
            FLASK_CONFORMANCE, "check", "tests.apps.flask_session_redis:create_app",
            "--redis-url", redis_server.url,
            "--", "-q", "-p", "no:randomly", "-m", "redis-only or persistence",
        ],
        timeout=300,
    )  # fmt: skip
    output = result.stdout[-3000:] + result.stderr[-2000:]
    assert result.returncode == 0, output
    assert " passed" in result.stdout and "failed" not in result.stdout, output
    served = int(client.info("stats")["total_commands_processed"]) - before
    assert served > 50, f"the server answered only {served} commands:\n{output}"
