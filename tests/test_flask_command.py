"""``flask --app IMPORT conformance``: the kit as a Flask command.

Flask finds the command through the ``flask.commands`` entry point. The
command must not run the specs inside an app context: with one pushed, every
request would share ``g`` and skip teardown, and the G-01 specs would fail on
a correct app (reference G-06). So passing G-01 on the reference app is the
proof that it does not.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .running import run_command

FLASK = str(Path(sys.executable).with_name("flask"))


def run_flask(*args: str) -> subprocess.CompletedProcess[str]:
    return run_command([FLASK, *args])


def test_the_command_runs_the_g_specs_without_a_pushed_app_context() -> None:
    result = run_flask(
        "--app",
        "app_under_test:create_app",
        "conformance",
        "--",
        "-q",
        "-p",
        "no:randomly",
        "-m",
        "G-01",
    )

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
    assert "failed" not in result.stdout


def test_the_command_fails_an_app_whose_g_leaks() -> None:
    result = run_flask(
        "--app",
        "tests.apps.leaky_g:create_app",
        "conformance",
        "--",
        "-q",
        "-p",
        "no:randomly",
        "-m",
        "G-01 and not H-13",
    )

    assert result.returncode == 1, result.stdout[-2000:]
    assert "Broken behaviour: " in result.stdout


def test_without_an_app_the_command_says_how_to_name_one() -> None:
    result = run_flask("conformance")

    assert result.returncode == 4
    lines = result.stderr.strip().splitlines()
    assert lines == [
        (
            "Error: flask-conformance needs the app's import string: run "
            "'flask --app myapp:create_app conformance' (or set FLASK_APP)."
        )
    ]


def test_an_app_that_cannot_be_imported_gets_one_line() -> None:
    result = run_flask("--app", "no_such_module:create_app", "conformance")

    assert result.returncode == 4
    assert "No module named 'no_such_module'" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_the_three_ways_to_run_the_reference_app_are_the_same_run() -> None:
    """Naming the reference app (or not) must not lose its journey profile."""
    from .test_users_project import totals

    specs = ["--", "-q", "-p", "no:randomly", "-m", "journey or persistence"]
    check = [str(Path(sys.executable).with_name("flask-conformance")), "check"]
    runs = {
        "check": run_command([*check, *specs]),
        "check IMPORT": run_command([*check, "app_under_test:create_app", *specs]),
        "flask conformance": run_flask("--app", "app_under_test:create_app", "conformance", *specs),
        "pytest --flask-app": run_command(
            [sys.executable, "-m", "pytest", "--flask-app", "app_under_test:create_app", *specs[1:]]
        ),
    }
    lines = {name: totals(result.stdout) for name, result in runs.items()}
    assert len(set(lines.values())) == 1, lines
    assert "failed" not in lines["check"], lines
