"""One run of the kit per test session, for every test that asks for the same run.

Most of the kit's own tests judge a run from outside, as a user sees it: what
it printed, its exit code, the JUnit XML and reports it wrote. Many of them
ask for the same run (the reference app on all the specs, a known-bad app on
the same behaviours), and a fresh pytest pays about a second of CPU before its
first scenario runs. So the suite makes each distinct run once per session and
hands its result to every test that asks for it.

A run is known by everything that can change what it does (:func:`run_key`):
the command, the working directory, the settings a test adds to the clean
environment (:func:`running.clean_env`), and the contents of every file the
command names, so that a profile written anew is a new run. A test can never
be handed a run made from another key: the key's digest names the folder the
result lives in, and ``tests/test_runcache.py`` checks the key.

The results live under the session's base temporary directory, which
pytest-xdist's workers share (their own base directories are folders of it),
with one file lock per run so that two workers asking at once make it once.
Nothing is kept from one session to the next.

A command names the folder its run may write into (its reports, pytest's
JUnit XML) as :data:`OUT`; the cache puts the run's own folder there. The
files are shared by every test that asks for the run: read them, never
change them.

A run is made by :func:`running.run_command`, so in a child forked from a
warm process when nothing could differ from a fresh one (``tests/forking.py``).
Tests whose subject is the process itself (a hang, a signal, a dead Redis, a
load timeout, threads keeping it alive) do not come here: they call
``running.run_command(..., own_process=True)`` and get a fresh process of
their own.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from flask_conformance import layout

from .running import (
    REPO_ROOT,
    RUN_TIMEOUT,
    SpecRun,
    clean_env,
    junit_args,
    read_junit,
    read_markers,
    run_command,
)

#: Where a command says "the run's own output folder".
OUT = "{out}"

#: Where a spec run writes pytest's JUnit XML (with :func:`running.junit_args`).
JUNIT = Path(OUT) / "pytest.xml"

#: Options that make a spec run write down each scenario's markers, so that
#: :meth:`running.SpecRun.selected` can read a selection out of it.
RECORD_MARKERS = ("-p", "tests.plugins.record_markers", f"--record-markers={OUT}/markers.json")


@dataclass(frozen=True)
class CachedRun:
    """What one run did: its exit code, its output and the folder of files it wrote."""

    returncode: int
    stdout: str
    stderr: str
    #: The folder :data:`OUT` stood for. Shared by every test that asks for this run.
    folder: Path

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _files_named(command: Sequence[str]) -> dict[str, str]:
    """The SHA-256 of each existing file a command names, alone or after ``--option=``."""
    digests = {}
    for part in command:
        for candidate in (part, part.partition("=")[2]):
            if candidate and OUT not in candidate:
                path = Path(candidate)
                if path.is_file() and os.access(path, os.X_OK):
                    digests[candidate] = _program_digest(path)
                elif path.is_file():
                    digests[candidate] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


@functools.lru_cache(maxsize=64)
def _program_digest(path: Path) -> str:
    """A program's SHA-256, read once a session: the Python binary is named by every run.

    Programs (the interpreter, the scripts in the venv) do not change while
    the suite runs; a profile or an app a test writes is read every time.
    """
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_key(command: Sequence[str | Path], cwd: Path, settings: Mapping[str, str]) -> str:
    """A digest of everything that can change what ``command`` does.

    ``settings`` are the environment variables the test adds to or changes in
    :func:`running.clean_env`, the same for every test of a session otherwise.
    A relative path is read from ``cwd``, as the command will.
    """
    parts = [str(part) for part in command]
    resolved = [str(cwd / part) if not Path(part).is_absolute() else part for part in parts]
    described = {
        "command": parts,
        "cwd": str(cwd),
        "settings": dict(sorted(settings.items())),
        "files": _files_named(resolved),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:32]


def spec_args(
    markers: str | None = None, app: str | None = None, *extra: str | Path
) -> list[str | Path]:
    """The pytest options of a plain spec run, the same in every test that asks for one.

    Serial, in the order written, JUnit XML (with the kit's warnings) and each
    scenario's markers recorded: so that two tests asking for the same
    selection on the same app share one run, and any selection can be read
    out of a run of all the specs. ``markers`` None: every spec;
    ``app`` None: the reference app.
    """
    args: list[str | Path] = [layout.STEPS_DIR, "-p", "no:randomly", "-p", "no:cacheprovider"]
    args += ["-p", "no:xdist", "-q", *junit_args(JUNIT), *RECORD_MARKERS]
    if markers is not None:
        args += ["-m", markers]
    if app is not None:
        args += ["--flask-app", app]
    return [*args, *extra]


class RunCache:
    """The runs made in this session, in folders under ``root``, one per key."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def run(
        self,
        command: Sequence[str | Path],
        *,
        cwd: Path = REPO_ROOT,
        settings: Mapping[str, str] | None = None,
        timeout: float = RUN_TIMEOUT,
    ) -> CachedRun:
        """``command`` run once in this session with ``settings`` added to the clean environment.

        A run that timed out is not kept: the test that asked fails with the
        timeout, and the next one to ask runs it again.
        """
        settings = dict(settings or {})
        key = run_key(command, cwd, settings)
        folder = self.root / key
        result_file = folder / "result.json"
        with FileLock(str(self.root / f"{key}.lock")):
            if not result_file.is_file():
                out = folder / "out"
                out.mkdir(parents=True, exist_ok=True)
                concrete = [str(part).replace(OUT, str(out)) for part in command]
                done = run_command(concrete, cwd=cwd, env=clean_env(**settings), timeout=timeout)
                _save(result_file, done)
            saved = json.loads(result_file.read_text(encoding="utf-8"))
        return CachedRun(saved["returncode"], saved["stdout"], saved["stderr"], folder / "out")

    def spec_run(
        self,
        pytest_args: Sequence[str | Path],
        *,
        settings: Mapping[str, str] | None = None,
        timeout: float = RUN_TIMEOUT,
        report_required: bool = True,
    ) -> SpecRun:
        """``python -m pytest *pytest_args`` from the repository root, as a :class:`SpecRun`.

        ``pytest_args`` write pytest's JUnit XML to :data:`JUNIT`; with
        :data:`RECORD_MARKERS` each outcome also gets its markers. A run that
        may end before any scenario runs (``report_required=False``) has no
        outcomes then.
        """
        done = self.run(
            [sys.executable, "-m", "pytest", *pytest_args], settings=settings, timeout=timeout
        )
        report = done.folder / JUNIT.name
        if not report.is_file():
            assert not report_required, f"the spec run wrote no report:\n{done.output}"
            return SpecRun([], done.output, done.returncode)
        outcomes = read_junit(report)
        if (done.folder / "markers.json").is_file():
            read_markers(done.folder / "markers.json", outcomes)
        return SpecRun(outcomes, done.output, done.returncode)


def _save(path: Path, done: subprocess.CompletedProcess[str]) -> None:
    """Write a finished run's result, whole or not at all (a reader never sees half)."""
    partial = path.with_suffix(".partial")
    result = {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
    partial.write_text(json.dumps(result), encoding="utf-8")
    os.replace(partial, path)
