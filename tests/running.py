"""Running the kit, or anything else, in a fresh process for the kit's own tests.

Most of what the kit promises is about what a user sees from a command line:
its exit code, its one-line errors, its reports. The tests check that from a
real process, and they all run it the same way: output captured as text, the
exit code left for the test to judge, a timeout so that a wedged process fails
the test instead of hanging the run, and no input to wait for.

They also run it in the same environment. A developer's shell may carry
settings that would change what the kit runs against (an app for ``flask``, a
real Redis for the reference app, extra pytest flags); :func:`clean_env` leaves
those out, and a test that wants one passes it explicitly.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

#: Long enough for a full run of the specs on a slow machine; a run that takes
#: longer is wedged.
RUN_TIMEOUT = 120

#: Settings a developer's shell may carry that would change what a test runs.
OUTSIDE_SETTINGS = ("FLASK_APP", "REDIS_URL", "PYTEST_ADDOPTS")


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without :data:`OUTSIDE_SETTINGS`, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if key not in OUTSIDE_SETTINGS}
    env.update(settings)
    return env


def run_command(
    command: Sequence[str | Path],
    *,
    cwd: Path = REPO_ROOT,
    env: dict[str, str] | None = None,
    timeout: float = RUN_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in ``cwd`` and return what it printed and its exit code.

    ``env`` defaults to :func:`clean_env`.
    """
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_env() if env is None else env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
