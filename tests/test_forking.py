"""A command forked from the warm server is, to itself and to the test, a fresh process.

``tests/forking.py`` runs most of the suite's commands in children of
``tests/fork_server.py``. These tests hold it to its promise: the same
command run both ways sees the same process from inside
(``tests/plugins/show_process.py``), prints the same and ends the same way
(exit status, a signal, threads waited for, ``atexit`` run); a timeout
kills it; and what could differ is not forked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import forking
from .forking import ForkServer
from .running import REPO_ROOT, RUN_TIMEOUT, clean_env

BIN = Path(sys.executable).parent
PROBE = ["-p", "tests.plugins.show_process", "-p", "no:randomly", "-p", "no:cacheprovider"]
#: ``pytest`` started as a module and as this environment's script.
PYTEST = {"module": [sys.executable, "-m", "pytest"], "script": [str(BIN / "pytest")]}


@pytest.fixture(scope="module")
def server() -> Iterator[ForkServer]:
    """A server of this module's own, whatever ``FLASK_CONFORMANCE_TESTS_NO_FORK`` says."""
    started = ForkServer(clean_env())
    assert not started.unlike_fresh, started.unlike_fresh
    yield started
    started.stop()


def _fresh(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """What ``running.run_command`` did before there was a server."""
    return subprocess.run(
        command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=RUN_TIMEOUT, check=False,
    )  # fmt: skip


def _probe(tmp_path: Path, entry: str, do: str = "") -> tuple[list[str], dict[str, str], Path]:
    """A run of pytest that collects nothing, with the probe plugin; and where it writes."""
    facts = tmp_path / "facts.json"
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    env = clean_env(SHOW_PROCESS_FACTS=str(facts), SHOW_PROCESS_DO=do)
    return [*PYTEST[entry], *PROBE, str(empty)], env, facts


def _timeless(output: str) -> str:
    return re.sub(r" in \d+\.\d+s", " in (time)", output)


@pytest.mark.parametrize("entry", ["module", "script"])
def test_a_forked_child_sees_the_process_a_fresh_one_sees(
    server: ForkServer, tmp_path: Path, entry: str
) -> None:
    command, env, facts = _probe(tmp_path, entry)
    assert server.entry_for(command, REPO_ROOT, env) == entry

    fresh = _fresh(command, env)
    seen_fresh = json.loads(facts.read_text(encoding="utf-8"))
    forked = server.run(command, entry, REPO_ROOT, env, RUN_TIMEOUT)
    seen_forked = json.loads(facts.read_text(encoding="utf-8"))

    # The two differences, both by design: a forked child leads a process
    # group of its own (a timeout kills all it started), and draws its own
    # random numbers like any new process.
    assert seen_forked.pop("own_group") and not seen_fresh.pop("own_group")
    seen_forked.pop("random"), seen_fresh.pop("random")
    assert seen_forked == seen_fresh
    assert seen_forked["own_loader"] == "AssertionRewritingHook"  # rewritten, no warning
    assert fresh.returncode == 5, fresh.stdout + fresh.stderr  # pytest: no tests collected
    assert (forked.returncode, _timeless(forked.stdout), forked.stderr) == (
        fresh.returncode,
        _timeless(fresh.stdout),
        fresh.stderr,
    )


def test_each_forked_child_draws_its_own_random_numbers(server: ForkServer, tmp_path: Path) -> None:
    command, env, facts = _probe(tmp_path, "module")
    drawn = []
    for _ in range(2):
        server.run(command, "module", REPO_ROOT, env, RUN_TIMEOUT)
        drawn.append(json.loads(facts.read_text(encoding="utf-8"))["random"])
    assert drawn[0] != drawn[1]


@pytest.mark.parametrize(
    ("do", "status", "said"),
    [
        ("end", 5, "a non-daemon thread ran after the main thread\natexit ran\n"),
        ("kill", -15, ""),
    ],
)
def test_a_forked_child_ends_as_a_fresh_one_ends(
    server: ForkServer, tmp_path: Path, do: str, status: int, said: str
) -> None:
    """Python's own shutdown: non-daemon threads waited for, then ``atexit``; or a signal."""
    command, env, _ = _probe(tmp_path, "module", do)
    fresh = _fresh(command, env)
    forked = server.run(command, "module", REPO_ROOT, env, RUN_TIMEOUT)
    assert fresh.returncode == forked.returncode == status
    assert fresh.stdout.endswith(said) and forked.stdout.endswith(said)
    assert (_timeless(forked.stdout), forked.stderr) == (_timeless(fresh.stdout), fresh.stderr)


def test_a_kit_run_prints_the_same_forked_and_fresh(server: ForkServer) -> None:
    command = [
        str(BIN / "flask-conformance"), "check", "tests.apps.tidy_cookies:create_app",
        "--", "-p", "no:randomly", "-m", "P-05 or SES-01",
    ]  # fmt: skip
    env = clean_env()
    fresh = _fresh(command, env)
    forked = server.run(command, "script", REPO_ROOT, env, RUN_TIMEOUT)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert (forked.returncode, _timeless(forked.stdout), forked.stderr) == (
        fresh.returncode,
        _timeless(fresh.stdout),
        fresh.stderr,
    )


def test_a_timeout_kills_the_child_and_the_server_serves_on(
    server: ForkServer, tmp_path: Path
) -> None:
    command, env, facts = _probe(tmp_path, "module", "block")
    with pytest.raises(subprocess.TimeoutExpired) as caught:
        server.run(command, "module", REPO_ROOT, env, timeout=10)
    assert caught.value.cmd == command and caught.value.timeout == 10
    pid = int(facts.read_text(encoding="utf-8"))  # written just before it blocked
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and reaped
    command, env, _ = _probe(tmp_path, "module")
    assert server.run(command, "module", REPO_ROOT, env, RUN_TIMEOUT).returncode == 5


PYTHON = sys.executable
KIT = str(BIN / "flask-conformance")


@pytest.mark.parametrize(
    ("command", "settings", "entry"),
    [
        ([PYTHON, "-m", "pytest", "steps"], {}, "module"),
        ([PYTHON, "-m", "flask_conformance", "check"], {}, "module"),
        ([KIT, "check"], {"AN_APPS_OWN_SETTING": "1"}, "script"),
        ([str(BIN / "flask"), "--version"], {}, "script"),
        ([PYTHON, "-m", "pip", "--version"], {}, None),
        ([PYTHON, "-c", "pass"], {}, None),
        ([PYTHON, "-X", "dev", "-m", "pytest"], {}, None),
        ([str(BIN / "python3.11"), "-m", "pytest"], {}, None),  # another sys.executable
        ([KIT, "check"], {"PYTHONPATH": str(REPO_ROOT)}, None),  # as a mutated Flask is put
        ([KIT, "check"], {"PYTHONHASHSEED": "0"}, None),
        ([KIT, "check"], {"LC_ALL": "C"}, None),
        ([KIT, "check"], {"TZ": "Asia/Tokyo"}, None),
        ([KIT, "check"], {"VIRTUAL_ENV": "/elsewhere"}, None),
        ([KIT, "check"], {"TMPDIR": "/elsewhere"}, None),
    ],
)
def test_only_what_cannot_differ_is_forked(
    server: ForkServer, command: list[str], settings: dict[str, str], entry: str | None
) -> None:
    assert server.entry_for(command, REPO_ROOT, clean_env(**settings)) == entry


def test_a_module_in_the_first_import_folder_that_shadows_a_preloaded_one_is_not_forked(
    server: ForkServer, tmp_path: Path
) -> None:
    command = [PYTHON, "-m", "pytest"]
    assert server.entry_for(command, tmp_path, clean_env()) == "module"
    (tmp_path / "click.py").write_text("raise ImportError('a shadow')\n", encoding="utf-8")
    assert server.entry_for(command, tmp_path, clean_env()) is None
    assert server.entry_for(command, tmp_path / "missing", clean_env()) is None


def test_the_suite_forks_unless_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server this process uses imported silently, and the opt-out turns it off."""
    command = [PYTHON, "-m", "pytest", "--version"]
    monkeypatch.delenv(forking.OPT_OUT, raising=False)
    done = forking.run(command, REPO_ROOT, clean_env(), RUN_TIMEOUT)
    assert done is not None and done.returncode == 0, done
    monkeypatch.setenv(forking.OPT_OUT, "1")
    assert forking.run(command, REPO_ROOT, clean_env(), RUN_TIMEOUT) is None
