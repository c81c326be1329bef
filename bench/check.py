"""Wall time of a full ``flask-conformance check``: flaskr, with and without its
journey profile, an app with a slow password hash, and the reference app.

Run from anywhere, in an environment where the kit is installed::

    python bench/check.py [--rounds 3] [--check]

flaskr, the app of Flask's tutorial, comes from the sdist of the installed
Flask version, downloaded and installed into the cache the flaskr test uses
(``$FLASK_CONFORMANCE_CACHE`` or ``~/.cache/flask-conformance``). Each command
runs ``--rounds`` times in a fresh process, from a folder outside the
repository, timed with :func:`time.perf_counter`; the median is printed. The
targets: flaskr at most 3 s, and flaskr with its profile (``examples/flaskr.toml``)
at most 1.5 times flaskr without; ``--check`` exits 1 when one is missed. The
slow-hash app (``tests/apps/slow_hash.py``, PBKDF2 with 600,000 iterations,
with ``tests/apps/slow_hash.toml``) shows what a login costs a profile run.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
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
    runs = {
        "flaskr:create_app": ([check, "check", "flaskr:create_app"], env),
        "flaskr with profile": (
            [check, "check", "flaskr:create_app", "--profile", str(EXAMPLES / "flaskr.toml")],
            env,
        ),
        "slow hash with profile": (
            [check, "check", "tests.apps.slow_hash:create_app", "--profile", str(SLOW_PROFILE)],
            slow_env,
        ),
        "reference app": ([check, "check"], env),
    }
    medians, cpus = {}, {}
    for name, (args, run_env) in runs.items():
        rounds = [timed(args, work, run_env) for _ in range(options.rounds)]
        medians[name] = statistics.median(wall for wall, _ in rounds)
        cpus[name] = statistics.median(cpu for _, cpu in rounds)
    plain, profiled = "flaskr:create_app", "flaskr with profile"
    met = medians[plain] <= FLASKR_TARGET_SECONDS
    ratio = medians[profiled] / medians[plain]
    cpu_ratio = cpus[profiled] / cpus[plain]
    ratio_met = ratio <= PROFILE_TARGET_RATIO
    print(f"full check, median of {options.rounds} runs (fresh process each, from {work}):")
    notes = {
        plain: f"(target <= {FLASKR_TARGET_SECONDS:.0f} s wall: {'met' if met else 'NOT MET'})",
        profiled: f"({ratio:.2f}x wall, {cpu_ratio:.2f}x CPU of the plain run; target <= "
        f"{PROFILE_TARGET_RATIO}x: {'met' if ratio_met else 'NOT MET'})",
        "slow hash with profile": "(PBKDF2-SHA256, 600,000 iterations per login)",
        "reference app": "(both session backends)",
    }
    for name in runs:
        print(f"  {name:<24}{medians[name]:6.2f} s wall, {cpus[name]:5.2f} s CPU   {notes[name]}")
    print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if (met and ratio_met) or not options.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
