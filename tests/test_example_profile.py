"""The journey profile example in README.md works unchanged.

The test takes the example from README's "Journeys" section, the one place it
is written, writes it into a ``pyproject.toml`` as ``[tool.flask-conformance]``,
and the kit, run from that folder with no ``--profile``, must read it and run
the journeys against an app that logs in and out the way it describes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .running import REPO_ROOT, clean_env, run_command


def readme_example() -> str:
    """The first TOML block of README's "Journeys: your app's login and logout"."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^## Journeys\b.*?^```toml\n(.*?)^```", readme, re.DOTALL | re.MULTILINE)
    assert found, "README.md has no TOML example under its Journeys heading"
    return found[1]


#: README's example; test_journey.py and test_journey_setup.py use it too.
EXAMPLE = readme_example()


def test_the_example_profile_in_pyproject_runs_the_journeys(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(EXAMPLE, encoding="utf-8")
    run = run_command(
        [
            sys.executable, "-m", "flask_conformance", "check", "tests.apps.journey_app:create_app",
            "--", "-q", "-p", "no:randomly", "-m", "journey", "-rA",
        ],
        cwd=tmp_path,
        env=clean_env(PYTHONPATH=str(REPO_ROOT)),
        timeout=300,
    )  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    passed = [line for line in output.splitlines() if line.startswith("PASSED")]
    assert len(passed) >= 10, output
    for scenario in (
        "test_after_logging_in_the_protected_page_admits_the_user_as_themselves[cookie]",
        "test_after_logging_out_the_dashboard_turns_the_user_away[cookie]",
        "test_another_user_never_sees_alices_identity_before_or_after_she_logs_out[cookie]",
    ):
        assert any(line.endswith(scenario) for line in passed), output
    assert "no journey profile" not in output
