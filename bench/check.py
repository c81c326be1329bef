"""Wall time of a full ``flask-conformance check``, on flaskr and on the reference app.

Run from anywhere, in an environment where the kit is installed::

    python bench/check.py [--rounds 3] [--check]

flaskr, the app of Flask's tutorial, comes from the sdist of the installed
Flask version, downloaded and installed into the cache the flaskr test uses
(``$FLASK_CONFORMANCE_CACHE`` or ``~/.cache/flask-conformance``). Each command
runs ``--rounds`` times in a fresh process, from a folder outside the
repository, timed with :func:`time.perf_counter`; the median is printed. The
target for flaskr is at most 3 s; ``--check`` exits 1 when it is missed.
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
BIN = Path(sys.executable).parent


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
    parser.add_argument("--check", action="store_true", help="exit 1 if flaskr takes over 3 s")
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

    runs = {
        "flaskr:create_app": [str(BIN / "flask-conformance"), "check", "flaskr:create_app"],
        "reference app": [str(BIN / "flask-conformance"), "check"],
    }
    medians, cpus = {}, {}
    for name, args in runs.items():
        rounds = [timed(args, work, env) for _ in range(options.rounds)]
        medians[name] = statistics.median(wall for wall, _ in rounds)
        cpus[name] = statistics.median(cpu for _, cpu in rounds)
    met = medians["flaskr:create_app"] <= FLASKR_TARGET_SECONDS
    print(f"full check, median of {options.rounds} runs (fresh process each, from {work}):")
    print(
        f"  flaskr:create_app   {medians['flaskr:create_app']:.2f} s wall,"
        f" {cpus['flaskr:create_app']:.2f} s CPU"
        f"   (target <= {FLASKR_TARGET_SECONDS:.0f} s wall: {'met' if met else 'NOT MET'})"
    )
    print(
        f"  reference app       {medians['reference app']:.2f} s wall,"
        f" {cpus['reference app']:.2f} s CPU   (both session backends)"
    )
    print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if met or not options.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
