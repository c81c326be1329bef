"""Running a command in a child of a warm process, when that is the same as a fresh one.

Most of the suite's CPU went to starting Python and importing pytest, Flask
and Redis in a few hundred child processes. ``tests/fork_server.py`` pays
that once per test process and forks a child per command; the child is
still a process of its own (exit status, output, environment, working
directory, modules of the kit and the app), it only skips the start-up.

A command goes there only when nothing it can see could differ from a
fresh process (:meth:`ForkServer.entry_for`): the interpreter is this one;
the program is ``python -m pytest``, ``python -m flask_conformance`` or this
environment's ``flask-conformance``, ``flask`` or ``pytest`` script; the
environment sets nothing read while Python starts or while the server's
libraries are imported (:data:`STARTUP_SETTINGS`) differently from the
server's; and no module in the command's first import folder has the name
of a module the server imported. Anything else runs in a fresh process, and
so does every run whose subject is the process itself (a signal, a hang,
threads keeping it alive, a load timeout): ``run_command(own_process=True)``.

Setting :data:`OPT_OUT` turns this off, so that anyone can compare the two.
"""

from __future__ import annotations

import importlib.machinery
import json
import locale
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

#: Set (to anything but empty) to run every command in a fresh process.
OPT_OUT = "FLASK_CONFORMANCE_TESTS_NO_FORK"

SERVER_SCRIPT = Path(__file__).with_name("fork_server.py")

#: Modules run as ``python -m NAME`` that may be forked.
MODULES = ("pytest", "flask_conformance")

#: This environment's scripts that may be forked.
SCRIPTS = ("flask-conformance", "flask", "pytest")

#: Environment variables read while Python starts or while a preloaded
#: library is imported, besides every ``PYTHON*`` and ``LC_*`` one.
STARTUP_SETTINGS = (
    "VIRTUAL_ENV", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP",
    "FAKEREDIS_LUA_VERSION", "EXECNET_DEBUG", "_ARGCOMPLETE",
)  # fmt: skip

#: Seconds for the server to start, to fork a child, or to report one it killed.
SERVER_TIMEOUT = 120


def read_at_start(name: str) -> bool:
    """Whether the environment variable ``name`` is read before a forked child exists."""
    return name.startswith(("PYTHON", "LC_")) or name in STARTUP_SETTINGS


def is_our_script(path: Path) -> bool:
    """One of :data:`SCRIPTS` next to this interpreter, starting this interpreter."""
    if not path.is_absolute() or path.name not in SCRIPTS:
        return False
    if path.parent != Path(sys.executable).parent or path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as script:
        return script.readline().rstrip(b"\r\n") == b"#!" + os.fsencode(sys.executable)


def importable_names(folder: Path) -> set[str]:
    """The top-level names a module or package in ``folder`` could be imported as."""
    suffixes = tuple(importlib.machinery.all_suffixes())
    names = set()
    for entry in os.scandir(folder):
        if entry.is_dir():
            names.add(entry.name)
        elif entry.name.endswith(suffixes):
            names.add(entry.name.partition(".")[0])
    return names


class ForkServer:
    """One ``tests/fork_server.py`` process, started in this process's clean environment."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)
        self.channel, theirs = socket.socketpair()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - open while the server runs
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT), str(theirs.fileno())],
            cwd=SERVER_SCRIPT.parent,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            pass_fds=[theirs.fileno()],
        )
        theirs.close()
        self.buffer = b""
        word, _, facts = self._line(SERVER_TIMEOUT).partition(" ")
        ready = json.loads(facts) if word == "ready" else {}
        #: The top-level modules every child starts with.
        self.modules = set(ready.get("modules", ()))
        #: Why a child would not be like a fresh process ("" if it would).
        self.unlike_fresh = ""
        if word != "ready" or ready["warnings"] or ready["threads"] != 1:
            self.unlike_fresh = f"the server's imports were not silent: {facts}"

    def entry_for(self, command: Sequence[str], cwd: Path, env: Mapping[str, str]) -> str | None:
        """How a child starts ``command`` ("module" or "script"), or None if it must not."""
        if self.unlike_fresh or not cwd.is_dir():
            return None
        names = {*env, *self.env}
        if any(env.get(name) != self.env.get(name) for name in names if read_at_start(name)):
            return None
        program = Path(command[0])
        if command[0] == sys.executable and command[1:2] == ["-m"] and command[2:3]:
            entry, first_folder = "module", cwd
            if command[2] not in MODULES:
                return None
        elif is_our_script(program):
            entry, first_folder = "script", program.parent
        else:
            return None
        if importable_names(first_folder) & self.modules:
            return None  # a fresh process would import that one instead of the server's
        return entry

    def run(
        self, command: Sequence[str], entry: str, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        """``command`` in a forked child, with what :func:`subprocess.run` would return."""
        order = json.dumps(
            {"argv": list(command), "entry": entry, "cwd": str(cwd), "env": dict(env)}
        )
        data = order.encode()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            message = b"%08x" % len(data) + data
            socket.send_fds(self.channel, [message], [out.fileno(), err.fileno()])
            pid = int(self._line(SERVER_TIMEOUT))
            try:
                status = int(self._line(timeout))
            except TimeoutError:
                self._kill(pid)
                raise subprocess.TimeoutExpired(
                    list(command), timeout, output=_text(out), stderr=_text(err)
                ) from None
            except BaseException:  # an interrupt: subprocess.run kills its child too
                self._kill(pid)
                raise
            return subprocess.CompletedProcess(list(command), status, _text(out), _text(err))

    def stop(self) -> None:
        """Close the channel; the server ends when it reads the end."""
        self.channel.close()
        self.process.wait(SERVER_TIMEOUT)
        self.log.close()

    def _kill(self, pid: int) -> None:
        """Kill the child and all it started (its process group), and wait for the server to reap it."""
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it ended meanwhile
        self._line(SERVER_TIMEOUT)

    def _line(self, timeout: float) -> str:
        """The server's next line, or TimeoutError after ``timeout`` seconds."""
        self.channel.settimeout(timeout)
        while b"\n" not in self.buffer:
            more = self.channel.recv(4096)
            if not more:
                self.log.seek(0)
                said = self.log.read().decode(errors="replace")
                raise RuntimeError(f"the fork server ended:\n{said}")
            self.buffer += more
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode()


def _text(file: IO[bytes]) -> str:
    """Captured output as subprocess's text mode reads it: locale encoding, universal newlines."""
    file.seek(0)
    text = file.read().decode(locale.getpreferredencoding(False))
    return text.replace("\r\n", "\n").replace("\r", "\n")


_server: ForkServer | None = None


def run(
    command: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float
) -> subprocess.CompletedProcess[str] | None:
    """``command`` run in a forked child, or None when only a fresh process is the same.

    The server starts on first use, in this process's clean environment;
    :func:`stop` ends it.
    """
    global _server
    if os.environ.get(OPT_OUT):
        return None
    if _server is None:
        from .running import clean_env

        _server = ForkServer(clean_env())
    entry = _server.entry_for(command, cwd, env)
    if entry is None:
        return None
    return _server.run(command, entry, cwd, env, timeout)


def stop() -> None:
    """End this process's server, if it started one."""
    global _server
    if _server is not None:
        _server.stop()
        _server = None
