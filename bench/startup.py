"""What the installed kit costs a user's own pytest runs that never ask for it.

The kit's pytest plugin is installed with the package (an entry point), so every
``pytest`` in the same environment loads it. Until ``--flask-app``,
``--conformance-profile`` or one of the kit's commands activates it, it must
stay out of the way: no markers, no fixtures, no hooks that do work. This script
measures that promise in a throw-away project with one trivial test: the wall
time of a whole ``pytest`` run with the plugin and with it disabled
(``-p no:flask_conformance.plugin``), in turns so that load hits both alike, and
the markers each run declares.

    python bench/startup.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLUGIN = "flask_conformance.plugin"
TRIVIAL_TEST = "def test_one_plus_one():\n    assert 1 + 1 == 2\n"


def pytest_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *extra]


def timed_run(project: Path, *extra: str) -> float:
    """Seconds for one whole pytest process in ``project``; it must pass."""
    start = time.perf_counter()
    result = subprocess.run(
        pytest_command(*extra), cwd=project, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"bench/startup.py: pytest failed in the trivial project:\n{result.stdout}")
    return elapsed


def marker_count(project: Path, *extra: str) -> int:
    """How many markers ``pytest --markers`` lists."""
    result = subprocess.run(
        pytest_command("--markers", *extra), cwd=project, capture_output=True, text=True, check=False
    )
    return sum(line.startswith("@pytest.mark.") for line in result.stdout.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="runs of each kind (default 10)")
    rounds = parser.parse_args().rounds
    without = ("-p", f"no:{PLUGIN}")
    with tempfile.TemporaryDirectory(prefix="flask-conformance-startup-") as folder:
        project = Path(folder)
        (project / "test_trivial.py").write_text(TRIVIAL_TEST, encoding="utf-8")
        timed_run(project)  # bytecode caches, as on a developer's machine
        timed_run(project, *without)
        installed: list[float] = []
        disabled: list[float] = []
        for _ in range(rounds):
            installed.append(timed_run(project))
            disabled.append(timed_run(project, *without))
        markers_installed = marker_count(project)
        markers_disabled = marker_count(project, *without)
    median_installed = statistics.median(installed)
    median_disabled = statistics.median(disabled)
    print(f"pytest with the kit installed, not asked for: {median_installed:.3f} s (median of {rounds})")
    print(f"pytest with the kit's plugin disabled:        {median_disabled:.3f} s")
    print(f"cost of the installed kit:                    {median_installed - median_disabled:+.3f} s")
    print(f"markers declared: {markers_installed} installed, {markers_disabled} disabled")


if __name__ == "__main__":
    main()
