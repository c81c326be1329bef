"""A real Redis that is someone's: the kit keeps to its own keys and its faults are one line.

``--redis-url`` (and ``REDIS_URL`` for the reference app) may point at a
developer's own Redis, next to their real sessions and caches. Each test here
starts its own redis-server on a free loopback port (:mod:`tests.redis_server`)
and runs the kit in a subprocess, as a user would:

- the user's keys, ``session:*`` ones included, keep their values and TTLs,
  and no key of the kit's is left, after a run that passes, fails, runs on two
  workers or is interrupted;
- two workers give the verdicts of one;
- a Redis that cannot be reached, or a URL that is not a Redis URL, is one line
  and exit status 4, from both entry points;
- a Redis that dies or hangs mid-run stops the run with one line naming it
  and how far the run got, exit status 2, no traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from flask_conformance import layout

from .redis_server import RedisServer, free_port, running_redis_server
from .running import REPO_ROOT, clean_env, read_junit, run_command

FLASK_CONFORMANCE = str(Path(sys.executable).with_name("flask-conformance"))
PYTEST = [sys.executable, "-m", "pytest"]
REDIS_APP = "tests.apps.flask_session_redis:create_app"
COOKIE_APP = "tests.apps.tidy_cookies:create_app"
#: pytest options every run here takes: a fixed order, and the test's plugins importable.
QUIET = ["-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
#: A run that takes longer than this is wedged (the old kit took 85 s to give up).
FAULT_TIMEOUT = 60


@pytest.fixture
def server() -> Iterator[RedisServer]:
    with running_redis_server() as started:
        yield started


def _env(**settings: str) -> dict[str, str]:
    return clean_env(PYTHONPATH=str(REPO_ROOT), **settings)


# -- the user's keys ----------------------------------------------------------

#: What a developer's Redis holds: Flask-Session's own keys under its default
#: prefix, a cache, a hash, a key that never expires, and a key of another run
#: of the kit that must outlive this one.
USER_KEYS = {
    "session:6f1c0d2a-alice": ("string", 3600),
    "session:9b7e44aa-bob": ("string", 86400),
    "session:no-expiry": ("string", None),
    "cache:/dashboard": ("string", 600),
    "user:1": ("hash", None),
    "flask-conformance:another-run:main:still-running": ("string", 900),
}


def _load_user_keys(client: redis.Redis) -> None:
    for key, (kind, ttl) in USER_KEYS.items():
        if kind == "hash":
            client.hset(key, mapping={"name": "alice", "email": "alice@example.com"})
        else:
            client.set(key, f"the user's own value of {key}", ex=ttl)


def _snapshot(client: redis.Redis) -> dict[str, tuple[bytes, int]]:
    """Every key in the server: its serialised value and its TTL in ms (-1: none)."""
    return {
        key.decode(): (client.dump(key), client.pttl(key)) for key in client.scan_iter(count=1000)
    }


def _assert_only_the_users_keys_are_left(
    before: dict[str, tuple[bytes, int]], after: dict[str, tuple[bytes, int]], output: str
) -> None:
    left_behind = sorted(set(after) - set(before))
    assert not left_behind, f"the kit left {len(left_behind)} keys: {left_behind[:5]}\n{output}"
    lost = sorted(set(before) - set(after))
    assert not lost, f"the kit deleted the user's keys {lost}\n{output}"
    for key, (value, ttl) in before.items():
        value_after, ttl_after = after[key]
        assert value_after == value, f"the kit changed the value of {key}"
        if ttl < 0:
            assert ttl_after == ttl, f"the kit gave {key} a TTL of {ttl_after} ms"
        else:  # only real time may have passed, never the kit's clock
            assert ttl - FAULT_TIMEOUT * 1000 <= ttl_after <= ttl, (
                f"{key}'s TTL went from {ttl} ms to {ttl_after} ms"
            )


@pytest.mark.parametrize(
    ("command", "source"),
    [
        pytest.param([FLASK_CONFORMANCE, "check", REDIS_APP], "--redis-url", id="app-serial"),
        pytest.param(
            [FLASK_CONFORMANCE, "check", REDIS_APP, "--", "-n", "2"], "--redis-url", id="app-n2"
        ),
        pytest.param(
            [FLASK_CONFORMANCE, "check", "--", "-n", "2"], "REDIS_URL", id="reference-app-n2"
        ),
    ],
)
def test_a_run_leaves_the_users_keys_as_they_were_and_none_of_its_own(
    server: RedisServer, command: list[str], source: str
) -> None:
    client = server.client()
    _load_user_keys(client)
    before = _snapshot(client)
    client.config_resetstat()

    if source == "--redis-url":
        command = [*command[:3], "--redis-url", server.url, *command[3:]]
        env = _env()
    else:
        env = _env(REDIS_URL=server.url)
    result = run_command([*command, *QUIET], env=env, timeout=300)
    output = result.stdout[-3000:] + result.stderr[-2000:]

    assert result.returncode in (0, 1), output
    assert " passed" in result.stdout, output
    writes = client.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
    assert writes > 20, f"the run wrote {writes} keys: it did not use this server\n{output}"
    _assert_only_the_users_keys_are_left(before, _snapshot(client), output)


def test_an_interrupted_run_removes_its_keys_too(server: RedisServer) -> None:
    client = server.client()
    _load_user_keys(client)
    before = _snapshot(client)
    result = run_command(
        [
            FLASK_CONFORMANCE, "check", REDIS_APP, "--redis-url", server.url,
            "--", *QUIET, "-p", "tests.plugins.send_signal",
        ],
        env=_env(SEND_SIGNAL_AFTER="40", SEND_SIGNAL_PID="self", SEND_SIGNAL="INT"),
        timeout=FAULT_TIMEOUT,
        own_process=True,  # the subject is a signal to the process: a fresh one, as a user's
    )  # fmt: skip
    output = result.stdout[-3000:] + result.stderr[-2000:]
    assert result.returncode == 2 and "KeyboardInterrupt" in output, output
    assert client.info("commandstats").get("cmdstat_set", {}).get("calls", 0) > 0, output
    _assert_only_the_users_keys_are_left(before, _snapshot(client), output)


# -- two workers, one keyspace --------------------------------------------------


def _verdicts(server: RedisServer, tmp_path: Path, *options: str) -> dict[str, str]:
    junit = tmp_path / f"run{len(options)}.xml"
    result = run_command(
        [*PYTEST, str(layout.STEPS_DIR), *QUIET, f"--junitxml={junit}", *options],
        cwd=layout.KIT_ROOT,
        env=_env(REDIS_URL=server.url),
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-2000:]
    return {outcome.name: outcome.result for outcome in read_junit(junit)}


def test_two_workers_on_one_real_redis_give_the_verdicts_of_one(
    server: RedisServer, tmp_path: Path
) -> None:
    serial = _verdicts(server, tmp_path)
    parallel = _verdicts(server, tmp_path, "-n", "2")

    on_redis = [name for name, result in serial.items() if "[redis" in name and result == "passed"]
    assert len(on_redis) > 50, f"only {len(on_redis)} scenarios passed on the real Redis"
    differ = {
        name: (serial.get(name), parallel.get(name))
        for name in sorted(set(serial) | set(parallel))
        if serial.get(name) != parallel.get(name)
    }
    assert not differ, f"serial and -n 2 verdicts differ (serial, parallel): {differ}"


# -- a Redis that is not there, or not a Redis ----------------------------------


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    lines = [line for line in output.splitlines() if line.strip()]
    assert result.returncode == 4, output[-3000:]
    assert len(lines) == 1, f"{len(lines)} lines:\n{output[-3000:]}"
    assert "Traceback" not in output
    return lines[0]


@pytest.mark.parametrize(
    ("command", "source"),
    [
        pytest.param([FLASK_CONFORMANCE, "check", REDIS_APP], "--redis-url", id="check"),
        pytest.param(
            [FLASK_CONFORMANCE, "check", REDIS_APP, "--", "-n", "2"], "--redis-url", id="check-n2"
        ),
        pytest.param([*PYTEST, "--flask-app", REDIS_APP], "--conformance-redis-url", id="pytest"),
        pytest.param([FLASK_CONFORMANCE, "check"], "REDIS_URL", id="check-reference-app"),
        pytest.param([*PYTEST, str(layout.STEPS_DIR)], "REDIS_URL", id="pytest-reference-app"),
    ],
)
def test_a_redis_that_cannot_be_reached_is_one_line_and_exit_4(
    command: list[str], source: str
) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    if source != "REDIS_URL":
        at = 3 if command[0] == FLASK_CONFORMANCE else len(command)
        command = [*command[:at], source, url, *command[at:]]
        env = _env()
    else:
        env = _env(REDIS_URL=url)
    line = _one_line(run_command(command, env=env, timeout=FAULT_TIMEOUT))
    assert f"Redis at {url} cannot be reached" in line
    assert f"start it, fix {source}, or leave {source} out" in line


@pytest.mark.parametrize("app", [REDIS_APP, COOKIE_APP])
@pytest.mark.parametrize("entry", ["check", "pytest"])
def test_a_url_that_is_not_a_redis_url_is_one_line_and_exit_4(app: str, entry: str) -> None:
    """A typo'd URL is refused whatever the app's store: the user meant something by it."""
    url = "http://127.0.0.1:6379/0"
    if entry == "check":
        option = "--redis-url"
        command = [FLASK_CONFORMANCE, "check", app, option, url]
    else:
        option = "--conformance-redis-url"  # pytest's options carry the kit's prefix
        command = [*PYTEST, "--flask-app", app, option, url]
    line = _one_line(run_command(command, env=_env(), timeout=FAULT_TIMEOUT))
    assert f"{option} {url!r} is not a Redis URL" in line, line
    assert "redis://HOST:PORT/DB" in line


def test_a_redis_url_for_an_app_without_redis_sessions_says_it_does_not_apply() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens: the kit must not connect
    result = run_command(
        [FLASK_CONFORMANCE, "check", COOKIE_APP, "--redis-url", url, "--", *QUIET, "-m", "SES-01"],
        env=_env(),
        timeout=FAULT_TIMEOUT,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "cannot be reached" not in output
    said = (
        f"flask-conformance: --redis-url {url} does not apply: {COOKIE_APP} keeps its sessions "
        "in Flask's signed cookie, not in Flask-Session's Redis store, so the kit used no "
        "Redis; leave it out."
    )
    lines = [line for line in output.splitlines() if "does not apply" in line]
    assert lines == [said], output[-3000:]


# -- a Redis that stops mid-run -------------------------------------------------

_STOPPED = re.compile(
    r"^flask-conformance: Redis at (?P<url>\S+) stopped answering \((?P<why>.*?)\) during "
    r".+?; (?P<done>\d+) of (?P<total>\d+) scenarios had run, the other (?P<left>\d+) were "
    r"not run: start the server again \(or fix --redis-url\) and run the kit again\.$",
    re.MULTILINE,
)


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "n2"])
@pytest.mark.parametrize(
    ("signal_name", "why"),
    [("KILL", "Connection refused|Connection closed"), ("STOP", "Timeout")],
    ids=["killed", "hung"],
)
def test_a_redis_that_stops_mid_run_stops_the_run_in_one_line(
    server: RedisServer, workers: list[str], signal_name: str, why: str
) -> None:
    result = run_command(
        [
            FLASK_CONFORMANCE, "check", REDIS_APP, "--redis-url", server.url,
            "--", *QUIET, "-p", "tests.plugins.send_signal", *workers,
        ],
        env=_env(SEND_SIGNAL_AFTER="30", SEND_SIGNAL_PID=str(server.pid), SEND_SIGNAL=signal_name),
        timeout=FAULT_TIMEOUT,
        own_process=True,  # the subject is how the process ends: a fresh one, as a user's
    )  # fmt: skip
    output = result.stdout + result.stderr
    shown = output[-4000:]

    assert result.returncode == 2, shown
    found = _STOPPED.findall(output)
    assert len(found) == 1, f"expected one line saying Redis stopped:\n{shown}"
    match = _STOPPED.search(output)
    assert match is not None
    assert match["url"] == server.url and re.search(why, match["why"]), match[0]
    done, total = int(match["done"]), int(match["total"])
    assert 30 <= done < total // 2 and int(match["left"]) == total - done, match[0]
    for noise in ("Traceback", "INTERNALERROR", "ConnectionError"):
        assert noise not in output, f"{noise!r} in the output:\n{shown}"
    assert not re.search(r"\d+ (failed|errors?)\b", output), f"a verdict on the app:\n{shown}"
    assert len(output.splitlines()) < 60, f"{len(output.splitlines())} lines:\n{shown}"
