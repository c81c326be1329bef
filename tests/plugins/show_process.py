"""Write down what a process looks like from inside, to compare a forked run with a fresh one.

Loaded with ``-p tests.plugins.show_process`` by ``tests/test_forking.py``.
When pytest configures, it writes to ``SHOW_PROCESS_FACTS`` (JSON) what a
program can see of its process: arguments, import path, environment,
``__main__``, signal dispositions, standard streams, open descriptors,
threads, modules. Then, as ``SHOW_PROCESS_DO`` asks:

- ``end``: leave a non-daemon thread that writes once the main thread ended,
  and an ``atexit`` function, both straight to descriptor 1, so that the
  output shows whether the interpreter's own shutdown ran and in what order;
- ``kill``: end by SIGTERM;
- ``block``: write the pid to ``SHOW_PROCESS_FACTS`` and never end.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import random
import signal
import sys
import tempfile
import threading
import warnings

import pytest


def facts() -> dict[str, object]:
    main = sys.modules["__main__"]
    streams = [sys.__stdin__, sys.__stdout__, sys.__stderr__]  # pytest captures sys.stdout
    return {
        "argv": sys.argv,
        "orig_argv": sys.orig_argv,
        "executable": sys.executable,
        "path": sys.path,
        "flags": repr(sys.flags),
        "cwd": os.getcwd(),
        "environ": dict(os.environ),
        "main": sorted(vars(main)),
        "main_file": getattr(main, "__file__", None),
        "main_spec": getattr(getattr(main, "__spec__", None), "name", None),
        "signals": {
            sig.name: repr(signal.getsignal(sig))
            for sig in signal.valid_signals()
            if isinstance(sig, signal.Signals)
        },
        "blocked": sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])),
        "streams": [
            [s.isatty(), s.encoding, s.errors, s.line_buffering, s.write_through, s.fileno()]
            for s in streams
        ],
        "stdin": os.read(0, 100).decode(),
        "descriptors": len(os.listdir("/proc/self/fd")),
        "threads": threading.active_count(),
        "umask": os.umask(os.umask(0)),
        "gc": [gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()],
        "warnings": [repr(f) for f in warnings.filters],
        "tempdir": tempfile.gettempdir(),
        "own_loader": type(sys.modules[__name__].__loader__).__name__,
        "app_imported": "app_under_test" in sys.modules,
        "random": random.random(),
        "own_group": os.getpgid(0) == os.getpid(),
    }


def _after_main() -> None:
    threading.main_thread().join()
    os.write(1, b"a non-daemon thread ran after the main thread\n")


def pytest_configure(config: pytest.Config) -> None:
    out = os.environ["SHOW_PROCESS_FACTS"]
    with open(out, "w", encoding="utf-8") as file:
        json.dump(facts(), file)
    wanted = os.environ.get("SHOW_PROCESS_DO", "")
    if wanted == "end":
        atexit.register(os.write, 1, b"atexit ran\n")
        threading.Thread(target=_after_main).start()
    elif wanted == "kill":
        os.kill(os.getpid(), signal.SIGTERM)
    elif wanted == "block":
        with open(out, "w", encoding="utf-8") as file:
            file.write(str(os.getpid()))
        threading.Event().wait()
