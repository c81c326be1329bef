"""A warm Python process that forks a fresh-looking child for each command a test runs.

Run as a script by :mod:`tests.forking`, never imported by a test. A fresh
``python -m pytest`` or ``flask-conformance`` pays about half a second before
its first scenario: interpreter start-up, then importing pytest, Flask,
Redis and the rest. This process pays that once: it imports the libraries
every run needs (:data:`PRELOAD`), then, for each request, forks a child
that becomes the command. The child is a process of its own, with its own
exit status, output, environment, working directory and modules, and it ends
through the interpreter's own shutdown (non-daemon threads waited for,
``atexit`` functions run, output flushed), as a fresh process would.

It preloads no package that a pytest plugin entry point owns (the kit,
pytest-bdd, xdist, pytest-randomly): pytest marks those for assertion
rewriting and warns when they were imported already, and the kit's own
import is part of what the tests check. Nor any app, nor the steps.

The protocol, over the socket whose descriptor is the first argument: the
server says ``ready`` and its start-up facts (a JSON line); each request is
a JSON object of ``argv``, ``cwd``, ``env`` and ``entry``, with
the descriptors of the files for the child's stdout and stderr attached; the
server answers the child's pid, then its exit code as :mod:`subprocess`
reports it (negative for a signal), one line each. The server ends when the
socket is closed.

Single-threaded by design: forking a process that runs other threads can
leave the child with a lock held by a thread that no longer exists.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.machinery
import json
import os
import runpy
import socket
import sys
import threading
import types
import warnings

#: What a run of the specs imports, apart from the kit, its plugins, the steps
#: and the app: the third-party packages (none owned by a pytest plugin entry
#: point), their submodules a run needs, and standard modules that only a run
#: imports. Missing ones (an optional backend) are skipped.
PRELOAD = (
    "pytest", "pluggy", "iniconfig", "packaging.version", "execnet",
    "flask", "flask.testing", "werkzeug", "jinja2", "markupsafe", "click", "click.testing",
    "itsdangerous", "blinker", "redis", "fakeredis", "flask_session", "flask_session.redis",
    "msgspec", "sortedcontainers", "cachelib", "freezegun", "dateutil", "six",
    "gherkin", "mako.lookup", "pygments", "parse", "parse_type",
    "xml.etree.ElementTree", "urllib.request", "http.cookiejar", "html.parser", "tomllib", "pdb",
)  # fmt: skip


def plugins_of_pytest() -> list[str]:
    """pytest's own plugin modules, which every run imports before rewriting starts."""
    from _pytest.config import default_plugins

    return [f"_pytest.{name}" for name in default_plugins]


#: The largest request (the environment is most of it).
MAX_REQUEST = 1 << 20


def preload() -> dict[str, object]:
    """Import :data:`PRELOAD` and pytest's plugins, and say what the client must know.

    The top-level names now imported: a module of one of those names in a
    command's first import folder would shadow it in a fresh process. The
    warnings raised and the threads running: a warning would show in a fresh
    run's warnings summary and not in a forked one, and a thread would not
    survive the fork, so either makes the children unlike fresh processes.
    """
    loaded = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in [*PRELOAD, *plugins_of_pytest()]:
            try:
                importlib.import_module(name)
            except ImportError:
                continue  # not installed: a run that needs it fails the same way
            except Exception as error:  # noqa: BLE001 - a fresh run may never import it
                warnings.warn(f"importing {name} raised {error!r}", stacklevel=1)
                continue
            loaded.append(name)
    return {
        "loaded": loaded,
        "modules": sorted({name.partition(".")[0] for name in sys.modules}),
        "warnings": [str(warning.message) for warning in caught],
        "threads": threading.active_count(),
    }


def serve(channel: socket.socket) -> None:
    """Fork a child for each request until the client closes the channel."""
    while (request := receive(channel)) is not None:
        order, files = request
        pid = os.fork()
        if pid == 0:
            channel.close()
            become(order, files)  # ends the child's interpreter: never returns
        for fd in files:
            os.close(fd)
        try:
            os.setpgid(pid, pid)  # as the child does: its group exists before the client kills it
        except OSError:
            pass  # the child did it first, or has already ended
        channel.sendall(f"{pid}\n".encode())
        _, status = os.waitpid(pid, 0)
        channel.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())


def receive(channel: socket.socket) -> tuple[dict[str, object], list[int]] | None:
    """The next request and its two descriptors, or None once the client closed the channel.

    A request is its length (8 hexadecimal digits) and its JSON; the
    descriptors come with its first bytes.
    """
    data, files, _, _ = socket.recv_fds(channel, MAX_REQUEST, 2)
    if not data:
        return None
    size = int(data[:8], 16)
    while len(data) < 8 + size:
        more = channel.recv(MAX_REQUEST)
        if not more:
            return None
        data += more
    return json.loads(data[8:]), files


def become(order: dict[str, object], files: list[int]) -> None:
    """Turn this forked child into the command ``order`` describes, then end as it ends.

    The command's :class:`SystemExit` (or an error it does not catch) leaves
    through :func:`serve` to the interpreter, which ends this process the way
    it ends a fresh one.
    """
    os.setpgid(0, 0)  # a timeout kills the command and whatever it started
    stdin = os.open(os.devnull, os.O_RDWR)
    for target, fd in zip((0, 1, 2), (stdin, *files)):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(str(order["cwd"]))
    os.environ.clear()
    os.environ.update(order["env"])  # type: ignore[arg-type]
    argv: list[str] = order["argv"]  # type: ignore[assignment]
    importlib.invalidate_caches()  # files written since the server started are found
    main = types.ModuleType("__main__")
    main.__dict__.update(
        __builtins__=builtins,
        __loader__=importlib.machinery.BuiltinImporter,
        __annotations__={},
    )
    sys.modules["__main__"] = main
    try:
        if order["entry"] == "module":
            # What ``python -m NAME`` runs: sys.path[0] is the working directory.
            sys.path.insert(0, os.getcwd())
            sys.orig_argv = list(argv)
            sys.argv = ["-m", *argv[3:]]
            runpy._run_module_as_main(argv[2], alter_argv=True)  # type: ignore[attr-defined]
        else:
            # What ``python SCRIPT`` runs: sys.path[0] is the script's folder.
            script = argv[0]
            sys.path.insert(0, os.path.dirname(script))
            sys.orig_argv = [sys.executable, *argv]  # the kernel ran the script's first line
            sys.argv = list(argv)
            main.__dict__.update(
                __file__=script,
                __cached__=None,
                __loader__=importlib.machinery.SourceFileLoader("__main__", script),
            )
            with open(script, "rb") as source:
                code = compile(source.read(), script, "exec")
            exec(code, main.__dict__)  # noqa: S102 - what `python SCRIPT` does
    except Exception as error:  # noqa: BLE001 - reported as the interpreter would
        # As the interpreter reports an uncaught error, without this module's frames.
        trace = error.__traceback__
        while trace is not None and trace.tb_frame.f_code.co_filename == __file__:
            trace = trace.tb_next
        sys.excepthook(type(error), error, trace)
        raise SystemExit(1) from None
    raise SystemExit(0)


if __name__ == "__main__":
    del sys.path[0]  # this folder: a child's first entry is its own
    channel = socket.socket(fileno=int(sys.argv[1]))
    channel.sendall(f"ready {json.dumps(preload())}\n".encode())
    serve(channel)
