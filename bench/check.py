"""Wall time of a full ``flask-conformance check``: flaskr, with and without its
journey profile, an app with a slow password hash, and the reference app.

Run from anywhere, in an environment where the kit is installed::

    python bench/check.py [--rounds 5] [--check]

flaskr, the app of Flask's tutorial, comes from the sdist of the installed
Flask version, downloaded and installed into the cache the flaskr test uses
(``$FLASK_CONFORMANCE_CACHE`` or ``~/.cache/flask-conformance``). Each command
runs ``--rounds`` times in a fresh process, from a folder outside the
repository, timed with :func:`time.perf_counter`; the commands take turns
(one round of each, then the next), so that whatever else the machine is
doing weighs on all of them alike, and the medians are printed with the CPU
time (user + system), which does not grow with the machine's load. The
targets: flaskr at most 3 s, and flaskr with its profile
(``examples/flaskr.toml``) at most 1.5 times flaskr without; ``--check``
exits 1 when one is missed. The slow-hash app (``tests/apps/slow_hash.py``,
PBKDF2 with 600,000 iterations, with ``tests/apps/slow_hash.toml``) shows
what a login costs a profile run.

Most of a profile run's extra time is the app's password hash, paid once per
registration and once per login. One more, untimed, run of each profile run
with the ``tests.plugins.count_hashes`` plugin counts them; that run also
writes the bytecode caches, so every timed run starts as on a developer's
machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests import test_flaskr  # after the sys.path line: needs the repository

FLASKR_TARGET_SECONDS = 3.0
#: A profile run of flaskr may take at most this many times a plain one.
PROFILE_TARGET_RATIO = 1.5
BIN = Path(sys.executable).parent
EXAMPLES = REPO_ROOT / "examples"
SLOW_PROFILE = REPO_ROOT / "tests" / "apps" / "slow_hash.toml"


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``args``.

    The CPU time does not grow when other processes share the machine, so it
    tells a slow kit from a busy machine.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def counted(args: list[str], env: dict[str, str], work: Path) -> str:
    """The password hashes and password-carrying requests of one untimed run of ``args``."""
    counts = work / "hashes.txt"
    counts.unlink(missing_ok=True)
    plugin_env = {
        **env,
        "PYTHONPATH": os.pathsep.join([env["PYTHONPATH"], str(REPO_ROOT)]),
        "COUNT_HASHES_FILE": str(counts),
    }
    timed([*args, "--", "-p", "tests.plugins.count_hashes"], work, plugin_env)
    return counts.read_text(encoding="utf-8").strip() if counts.is_file() else "not counted"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target is missed (see above)"
    )
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="flask-conformance-bench-"))
    cache = test_flaskr.cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    try:
        site = test_flaskr.install_flaskr(cache, test_flaskr.download_sdist(cache, work), work)
    except BaseException as error:  # pytest.skip: PyPI unreachable
        if type(error).__name__ != "Skipped":
            raise
        print(f"flaskr unavailable: {error}")
        return 1
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_APP", "REDIS_URL")}
    env["PYTHONPATH"] = str(site)
    subprocess.run(
        [str(BIN / "flask"), "--app", "flaskr", "init-db"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )

    check = str(BIN / "flask-conformance")
    slow_env = {**env, "PYTHONPATH": os.pathsep.join([str(site), str(REPO_ROOT)])}
    plain, profiled, slow = "flaskr:create_app", "flaskr with profile", "slow hash with profile"
    runs = {
        plain: ([check, "check", "flaskr:create_app"], env),
        profiled: (
            [check, "check", "flaskr:create_app", "--profile", str(EXAMPLES / "flaskr.toml")],
            env,
        ),
        slow: (
            [check, "check", "tests.apps.slow_hash:create_app", "--profile", str(SLOW_PROFILE)],
            slow_env,
        ),
        "reference app": ([check, "check"], env),
    }
    hashes = {name: counted(*runs[name], work) for name in (profiled, slow)}
    timed(runs[plain][0], work, runs[plain][1])  # bytecode caches for the plain run too
    loads = [os.getloadavg()[0]]
    rounds: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(options.rounds):
        for name, (args, run_env) in runs.items():
            rounds[name].append(timed(args, work, run_env))
        loads.append(os.getloadavg()[0])
    medians = {name: statistics.median(wall for wall, _ in runs_) for name, runs_ in rounds.items()}
    cpus = {name: statistics.median(cpu for _, cpu in runs_) for name, runs_ in rounds.items()}
    met = medians[plain] <= FLASKR_TARGET_SECONDS
    ratio = medians[profiled] / medians[plain]
    cpu_ratio = cpus[profiled] / cpus[plain]
    ratio_met = ratio <= PROFILE_TARGET_RATIO
    print(
        f"full check, median of {options.rounds} rounds, the commands taking turns "
        f"(fresh process each, from {work}):"
    )
    notes = {
        plain: f"(target <= {FLASKR_TARGET_SECONDS:.0f} s wall: {'met' if met else 'NOT MET'})",
        profiled: f"({ratio:.2f}x wall, {cpu_ratio:.2f}x CPU of the plain run; target <= "
        f"{PROFILE_TARGET_RATIO}x wall: {'met' if ratio_met else 'NOT MET'})",
        slow: "(PBKDF2-SHA256, 600,000 iterations per hash)",
        "reference app": "(both session backends)",
    }
    for name in runs:
        print(f"  {name:<24}{medians[name]:6.2f} s wall, {cpus[name]:5.2f} s CPU   {notes[name]}")
    print("password hashes and requests carrying a password, per profile run:")
    for name, counts in hashes.items():
        print(f"  {name:<24}{counts}")
    print(
        "  (the reference app's logins at /auth/login and its hashes are in every run: "
        "the scenarios that document Flask run on it)"
    )
    print(
        f"  load average (1 min) during the rounds: {min(loads):.1f} to {max(loads):.1f} "
        f"on {os.cpu_count()} cores"
    )
    return 0 if (met and ratio_met) or not options.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
