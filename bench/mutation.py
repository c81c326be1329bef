"""How much of Flask's session, context, hook and error behaviour the specs pin.

Run from anywhere, in an environment where the kit is installed (Flask 3.1.3)::

    python bench/mutation.py [--jobs 2] [--sample 60] [--only PATTERN] [--out DIR]
    python bench/mutation.py --list

It breaks Flask on purpose, one small mutation at a time (``bench/mutants.py``
says which and why a mutator of our own), and asks two suites whether they
notice each broken Flask:

- **the specs**: ``flask-conformance check`` on the bundled reference app, both
  backends, stopping at the first failure (``-- -x -q -p no:randomly``), with a
  Cucumber JSON report that says whether a *named scenario* failed or the kit
  crashed (refused the app at start-up, INTERNALERROR, exit 3 or 4, a time-out,
  an error before any scenario judged anything);
- **Flask's own tests** for the same areas (``test_basic``, ``test_reqctx``,
  ``test_appctx``, ``test_blueprints``, ``test_session_interface``,
  ``test_testing``, with Flask's ``tests/conftest.py``), from the sdist of the
  installed version on PyPI, ``pytest -x -q``.

Each mutant is a copy of the installed ``flask`` package with one file changed,
put first on ``PYTHONPATH`` for both runs, in a temporary folder removed
afterwards. Flask's tests need a pytest older than 9 (their conftest uses
``_pytest.monkeypatch.notset``, which pytest 9 removed), so they run in a venv
of their own under the cache folder, built on first use. Tests of Flask's that
already fail on the unmutated Flask (Werkzeug moved on since 3.1.3 was cut) are
found by a baseline run and deselected.

Results are cached per mutant in ``results.json`` under
``~/.cache/flask-conformance/mutation``: the Flask-tests verdict under a hash of
the mutated source, the specs' verdict under a hash of the mutated source and
the kit's files (``flask_conformance/``, ``steps/``, ``features/``,
``app_under_test/``), so a re-run only runs what changed. Mutants listed in
``bench/equivalent_mutants.py`` are run but left out of the totals.

It writes ``summary.txt`` (the table printed at the end), ``survivors.txt``
(every mutant the specs miss: id, one-line diff, whether Flask's tests catch
it) and ``crashes.txt`` (mutants the specs caught only by crashing, with the
kit's one line) into ``--out``, after every mutant, so a long run can be read
while it goes.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
KIT_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from mutants import Mutant, all_mutants
from mutation_figures import crashes_text, summary, survivors_text
from mutation_runs import (
    FLASK_TESTS_TIMEOUT,
    baseline_failures,
    mutated_copy,
    run_flask_tests,
    run_specs,
)

FLASK_VERSION = "3.1.3"
CACHE_DIR = Path.home() / ".cache" / "flask-conformance" / "mutation"
#: What Flask's tests need besides Flask: pytest before 9, and the optional
#: packages that turn their async and greenlet tests on.
FLASK_TEST_REQUIREMENTS = ("pytest<9", "asgiref", "greenlet")
#: The kit's folders whose content decides the specs' verdicts.
KIT_PARTS = ("flask_conformance", "steps", "features", "app_under_test")

SPECS_TIMEOUT = 300.0


# -- the inputs ----------------------------------------------------------------
def installed_flask() -> Path:
    """The installed ``flask`` package, which must be the version of the sdist."""
    from importlib.metadata import version

    import flask

    if version("flask") != FLASK_VERSION:
        raise SystemExit(
            f"bench/mutation.py: Flask {version('flask')} is installed; the mutants are "
            f"listed against Flask {FLASK_VERSION}: pip install flask=={FLASK_VERSION}."
        )
    return Path(flask.__file__).resolve().parent


def flask_sdist() -> Path:
    """Flask's unpacked sdist (its ``tests/``), downloaded from PyPI once."""
    unpacked = CACHE_DIR / f"flask-{FLASK_VERSION}"
    if (unpacked / "tests" / "conftest.py").is_file():
        return unpacked
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    archive = CACHE_DIR / f"flask-{FLASK_VERSION}.tar.gz"
    if not archive.is_file():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                f"flask=={FLASK_VERSION}",
                "--no-binary",
                ":all:",
                "--no-deps",
                "-q",
                "-d",
                str(CACHE_DIR),
            ],
            check=True,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(CACHE_DIR, filter="data")
    return unpacked


def flask_tests_python() -> Path:
    """The Python of the venv Flask's tests run in, built on first use."""
    home = CACHE_DIR / "flask-tests-venv"
    python = home / "bin" / "python"
    if not python.is_file():
        venv.create(home, with_pip=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                f"flask=={FLASK_VERSION}",
                *FLASK_TEST_REQUIREMENTS,
            ],
            check=True,
        )
    return python


def kit_hash() -> str:
    """A hash of the kit's files that decide the specs' verdicts, committed or not."""
    digest = hashlib.sha256()
    for part in KIT_PARTS:
        for path in sorted((KIT_ROOT / part).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(KIT_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


# -- the benchmark -------------------------------------------------------------
class Cache:
    """Results per mutant id, each under the hash of what decided it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        try:
            self.data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def get(self, mutant_id: str, suite: str, key: str) -> dict[str, Any] | None:
        entry = self.data.get(mutant_id, {}).get(suite)
        return entry["result"] if entry and entry.get("key") == key else None

    def put(self, mutant_id: str, suite: str, key: str, result: dict[str, Any]) -> None:
        with self.lock:
            self.data.setdefault(mutant_id, {})[suite] = {"key": key, "result": result}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self.data, indent=1, sort_keys=True), encoding="utf-8")
            temporary.replace(self.path)


def select(mutants: list[Mutant], only: list[str] | None, sample: int | None) -> list[Mutant]:
    """The mutants to run: those matching one of ``only``, then every k-th for ``sample``."""
    if only:
        patterns = [p if any(c in p for c in "*?[") else f"*{p}*" for p in only]
        mutants = [m for m in mutants if any(fnmatch.fnmatchcase(m.id, p) for p in patterns)]
    if sample and sample < len(mutants):
        step = len(mutants) / sample
        mutants = [mutants[int(i * step)] for i in range(sample)]
    return mutants


def spread(mutants: list[Mutant], stride: int = 4) -> list[Mutant]:
    """The order to run ``mutants`` in: every ``stride``-th first, then the ones between.

    A run stopped early (or read while it goes) then has results spread over
    every file and function, not the first files only.
    """
    return [mutant for offset in range(stride) for mutant in mutants[offset::stride]]


def bench_one(
    mutant: Mutant, flask_dir: Path, cache: Cache, context: dict[str, Any], args: argparse.Namespace
) -> None:
    source = (flask_dir / mutant.file).read_text(encoding="utf-8")
    mutated = mutant.apply(source)
    flask_key = _hash(mutated, *context["deselect"])
    specs_key = _hash(mutated, context["kit"])
    need_flask = cache.get(mutant.id, "flask", flask_key) is None
    need_specs = cache.get(mutant.id, "specs", specs_key) is None
    if not (need_flask or need_specs):
        return
    with tempfile.TemporaryDirectory(prefix="flask-mutant-") as folder:
        pythonpath = mutated_copy(flask_dir, mutant, Path(folder) / "lib")
        if need_flask:
            result = run_flask_tests(
                context["python"],
                context["sdist"],
                pythonpath,
                context["deselect"],
                args.timeout_flask,
            )
            cache.put(mutant.id, "flask", flask_key, result)
        if need_specs:
            workdir = Path(folder) / "run"
            workdir.mkdir()
            cache.put(
                mutant.id, "specs", specs_key, run_specs(pythonpath, workdir, args.timeout_specs)
            )


def write_results(
    out: Path, mutants: list[Mutant], cache: Cache, context: dict[str, Any], header: str
) -> str:
    rows = []
    for mutant in mutants:
        source = (context["flask_dir"] / mutant.file).read_text(encoding="utf-8")
        mutated = mutant.apply(source)
        specs = cache.get(mutant.id, "specs", _hash(mutated, context["kit"]))
        flask = cache.get(mutant.id, "flask", _hash(mutated, *context["deselect"]))
        if specs is not None and flask is not None:
            rows.append((mutant, specs, flask))
    text = summary(rows, len(mutants), header)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.txt").write_text(text, encoding="utf-8")
    (out / "survivors.txt").write_text(survivors_text(rows), encoding="utf-8")
    (out / "crashes.txt").write_text(crashes_text(rows), encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument(
        "--only",
        action="append",
        help="ids matching this glob (or containing this text); repeatable",
    )
    parser.add_argument("--sample", type=int, help="run N mutants, every k-th of the selection")
    parser.add_argument(
        "--out", type=Path, default=CACHE_DIR / "results", help="where the .txt files go"
    )
    parser.add_argument("--cache", type=Path, default=CACHE_DIR / "results.json")
    parser.add_argument(
        "--report-only", action="store_true", help="write the figures of the cached results only"
    )
    parser.add_argument("--timeout-specs", type=float, default=SPECS_TIMEOUT)
    parser.add_argument("--timeout-flask", type=float, default=FLASK_TESTS_TIMEOUT)
    args = parser.parse_args(argv)

    flask_dir = installed_flask()
    mutants = all_mutants(flask_dir)
    if args.list:
        for mutant in select(mutants, args.only, args.sample):
            print(f"{mutant.id}\t{mutant.diff_line()}")
        return 0
    selected = select(mutants, args.only, args.sample)

    sdist = flask_sdist()
    python = flask_tests_python()
    deselect = baseline_failures(python, sdist)
    context = {
        "flask_dir": flask_dir,
        "sdist": sdist,
        "python": python,
        "deselect": deselect,
        "kit": kit_hash(),
    }
    header = (
        f"Mutation benchmark: Flask {FLASK_VERSION}, kit files {context['kit']}; "
        f"Flask's tests deselected as failing unmutated: {', '.join(deselect) or 'none'}"
    )
    cache = Cache(args.cache)
    if args.report_only:
        print(write_results(args.out, selected, cache, context, header), end="")
        return 0
    with tempfile.TemporaryDirectory(prefix="flask-mutant-base-") as folder:
        baseline = run_specs(None, Path(folder), args.timeout_specs)
    if baseline["verdict"] != "survived":
        print(
            f"bench/mutation.py: the specs do not pass on the unmutated Flask: {baseline}",
            file=sys.stderr,
        )
        return 1
    done = 0
    progress = threading.Lock()

    def one(mutant: Mutant) -> None:
        nonlocal done
        bench_one(mutant, flask_dir, cache, context, args)
        with progress:
            done += 1
            write_results(args.out, selected, cache, context, header)
            print(f"[{done}/{len(selected)}] {mutant.id}", file=sys.stderr, flush=True)

    # SIGTERM stops the run like Ctrl-C: no new mutant starts, the running
    # ones finish and remove their folders, and the figures so far are written.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    try:
        for future in [pool.submit(one, mutant) for mutant in spread(selected)]:
            future.result()
    except KeyboardInterrupt:
        print("bench/mutation.py: stopping after the mutants that are running", file=sys.stderr)
        pool.shutdown(wait=True, cancel_futures=True)
        return 2
    pool.shutdown()
    print(write_results(args.out, selected, cache, context, header), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
