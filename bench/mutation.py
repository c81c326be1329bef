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
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import venv
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
KIT_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from equivalent_mutants import EQUIVALENT
from mutants import Mutant, all_mutants

FLASK_VERSION = "3.1.3"
CACHE_DIR = Path.home() / ".cache" / "flask-conformance" / "mutation"
#: Flask's own test files for the areas in scope.
FLASK_TEST_FILES = (
    "tests/test_basic.py",
    "tests/test_reqctx.py",
    "tests/test_appctx.py",
    "tests/test_blueprints.py",
    "tests/test_session_interface.py",
    "tests/test_testing.py",
)
#: What Flask's tests need besides Flask: pytest before 9, and the optional
#: packages that turn their async and greenlet tests on.
FLASK_TEST_REQUIREMENTS = ("pytest<9", "asgiref", "greenlet")
#: The kit's folders whose content decides the specs' verdicts.
KIT_PARTS = ("flask_conformance", "steps", "features", "app_under_test")
SPECS_ARGS = ("--", "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider")

SPECS_TIMEOUT = 300.0
FLASK_TESTS_TIMEOUT = 180.0


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


# -- running one suite ---------------------------------------------------------
@dataclass
class Outcome:
    status: int | None  # None: timed out
    output: str


def run(command: list[str], cwd: Path, pythonpath: list[Path], timeout: float) -> Outcome:
    """Run ``command`` in its own process group; kill that group on time-out."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(map(str, pythonpath))
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            status: int | None = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            status = None
        log.seek(0)
        return Outcome(status, log.read().decode("utf-8", "replace"))


_KIT_LINE = re.compile(
    r"^(ERROR: .*|flask-conformance: .*|INTERNALERROR> \w*(Error|Exception)\b.*)$", re.MULTILINE
)


def kit_line(output: str) -> str:
    """The kit's one line about a crash: its refusal, or the INTERNALERROR's exception."""
    found: list[tuple[str, str]] = _KIT_LINE.findall(output)  # (the line, its error word)
    if found:
        return found[-1][0].strip()
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


def run_specs(pythonpath: Path | None, workdir: Path, timeout: float) -> dict[str, Any]:
    """Run the specs on the reference app; say whether and how they noticed.

    The kit beside this script is put on the path after the mutated Flask, so
    the figures are those of this checkout even where another one is installed.
    """
    report = workdir / "specs.json"
    path = [pythonpath, KIT_ROOT] if pythonpath is not None else [KIT_ROOT]
    outcome = run(
        [sys.executable, "-m", "flask_conformance", "check", "--report", str(report), *SPECS_ARGS],
        workdir,
        path,
        timeout,
    )
    if outcome.status is None:
        return {"verdict": "crash", "how": "timeout", "line": f"no answer within {timeout:.0f}s"}
    if outcome.status == 0:
        return {"verdict": "survived"}
    failed = failed_scenarios(report)
    if outcome.status == 1 and failed:
        name, why = failed[0]
        return {"verdict": "scenario", "scenario": name, "line": why}
    how = {
        1: "errors before any scenario judged anything",
        2: "interrupted",
        3: "INTERNALERROR",
        4: "refused at start-up",
    }.get(outcome.status, f"exit {outcome.status}")
    return {
        "verdict": "crash",
        "how": how,
        "status": outcome.status,
        "line": kit_line(outcome.output),
    }


def failed_scenarios(report: Path) -> list[tuple[str, str]]:
    """(scenario name, first line of why) of every failed scenario in a Cucumber report.

    A scenario that failed before any of its steps ran, without naming a
    broken behaviour (a fixture the broken Flask made raise), is no named
    catch and is left out: the run then counts as a crash.
    """
    from flask_conformance.report.cucumber import verdict_of, why_of

    try:
        features = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [
        (element.get("name", "?"), why_of(element))
        for feature in features
        for element in feature.get("elements") or []
        if verdict_of(element) == "failed" and _names_the_failure(element)
    ]


def _names_the_failure(element: dict[str, Any]) -> bool:
    steps = [step.get("result") or {} for step in element.get("steps") or []]
    if any(result.get("status") in ("passed", "failed") for result in steps):
        return True  # a step ran: the scenario judged something
    messages = [
        str((hook.get("result") or {}).get("error_message", ""))
        for hook in element.get("after") or []
    ]
    return any(message.startswith("Broken behaviour") for message in messages)


_FAILED_TEST = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def run_flask_tests(
    python: Path, sdist: Path, pythonpath: Path | None, deselect: Iterable[str], timeout: float
) -> dict[str, Any]:
    """Run Flask's own test files; say whether they noticed and which test first."""
    command = [str(python), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *FLASK_TEST_FILES]
    for test in deselect:
        command += ["--deselect", test]
    outcome = run(command, sdist, [pythonpath] if pythonpath is not None else [], timeout)
    if outcome.status is None:
        return {"verdict": "caught", "test": f"timeout after {timeout:.0f}s"}
    if outcome.status == 0:
        return {"verdict": "survived"}
    failed = _FAILED_TEST.findall(outcome.output)
    return {"verdict": "caught", "test": failed[0] if failed else f"exit {outcome.status}"}


def baseline_failures(python: Path, sdist: Path) -> list[str]:
    """Flask's tests that fail on the unmutated Flask here: they are deselected."""
    command = [
        str(python),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-rfE",
        *FLASK_TEST_FILES,
    ]
    return sorted(set(_FAILED_TEST.findall(run(command, sdist, [], FLASK_TESTS_TIMEOUT).output)))


def mutated_copy(flask_dir: Path, mutant: Mutant, into: Path) -> Path:
    """Copy ``flask_dir`` into ``into/flask`` with the mutant applied; return ``into``."""
    target = into / "flask"
    shutil.copytree(flask_dir, target, ignore=shutil.ignore_patterns("__pycache__"))
    path = target / mutant.file
    path.write_text(mutant.apply(path.read_text(encoding="utf-8")), encoding="utf-8")
    return into


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


# -- the figures ---------------------------------------------------------------
def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def tally(rows: list[tuple[Mutant, dict[str, Any], dict[str, Any]]]) -> dict[str, int]:
    return {
        "mutants": len(rows),
        "specs": sum(specs["verdict"] != "survived" for _, specs, _ in rows),
        "named": sum(specs["verdict"] == "scenario" for _, specs, _ in rows),
        "raised": sum(
            specs["verdict"] == "scenario" and specs["line"].startswith("The app raised")
            for _, specs, _ in rows
        ),
        "crash": sum(specs["verdict"] == "crash" for _, specs, _ in rows),
        "flask": sum(flask["verdict"] == "caught" for _, _, flask in rows),
        "either": sum(
            specs["verdict"] != "survived" or flask["verdict"] == "caught"
            for _, specs, flask in rows
        ),
    }


def _table_line(label: str, t: dict[str, int]) -> str:
    return (
        f"{label:<58} {t['mutants']:>4} {t['specs']:>5} {_pct(t['specs'], t['mutants'])}"
        f" {t['flask']:>5} {_pct(t['flask'], t['mutants'])} {t['named']:>5} {t['crash']:>5}"
    )


_TABLE_HEADER = (
    f"{'file / function':<58} {'mut':>4} {'specs':>5} {'':>6} {'flask':>5} {'':>6}"
    f" {'named':>5} {'crash':>5}"
)


def _share(label: str, part: int, whole: int) -> str:
    return f"{label:<44} {part} of {whole} ({_pct(part, whole).strip()})"


def summary(
    rows: list[tuple[Mutant, dict[str, Any], dict[str, Any]]], total: int, header: str
) -> str:
    """The table: per file and function, then per file and in all."""
    counted = [row for row in rows if row[0].id not in EQUIVALENT]
    lines = [
        header,
        (
            f"{len(rows)} of {total} selected mutants have results; {len(rows) - len(counted)} "
            "equivalent mutants left out (bench/equivalent_mutants.py)."
        ),
        "columns: mutants, caught by the specs, caught by Flask's tests, the specs' catches by a",
        "named failing scenario, and by a crash (refusal at start-up, INTERNALERROR, time-out).",
        "",
        _TABLE_HEADER,
    ]
    by_file: dict[str, list[Any]] = {}
    for row in counted:
        by_file.setdefault(row[0].file, []).append(row)
    for file, file_rows in sorted(by_file.items()):
        lines.append(_table_line(file, tally(file_rows)))
        by_function: dict[str, list[Any]] = {}
        for row in file_rows:
            by_function.setdefault(row[0].function, []).append(row)
        for function, function_rows in sorted(by_function.items()):
            lines.append(_table_line(f"  {function}", tally(function_rows)))
    t = tally(counted)
    lines += [
        "",
        _table_line("TOTAL", t),
        "",
        _share("caught by the specs:", t["specs"], t["mutants"]),
        _share("caught by Flask's tests:", t["flask"], t["mutants"]),
        _share("caught by either:", t["either"], t["mutants"]),
        _share("specs' catches by a named scenario:", t["named"], t["specs"]),
        _share("specs' catches by a crash:", t["crash"], t["specs"]),
        _share("named catches where Flask raised in a step:", t["raised"], t["named"]),
    ]
    return "\n".join(lines) + "\n"


def survivors_text(rows: list[tuple[Mutant, dict[str, Any], dict[str, Any]]]) -> str:
    out = []
    for mutant, specs, flask in rows:
        if specs["verdict"] != "survived" or mutant.id in EQUIVALENT:
            continue
        by_flask = (
            f"caught by Flask's tests ({flask['test']})"
            if flask["verdict"] == "caught"
            else "survives Flask's tests too"
        )
        out.append(f"{mutant.id}\n    {mutant.diff_line()}\n    {by_flask}\n")
    return "".join(out)


def crashes_text(rows: list[tuple[Mutant, dict[str, Any], dict[str, Any]]]) -> str:
    out = []
    for mutant, specs, flask in rows:
        if specs["verdict"] != "crash" or mutant.id in EQUIVALENT:
            continue
        out.append(
            f"{mutant.id}\n    {mutant.diff_line()}\n    specs: {specs['how']}: {specs['line']}\n"
        )
    return "".join(out)


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
