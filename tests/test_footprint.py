"""The kit's own requests leave nothing the app made empty in the user's project.

An app whose database was never made (tests/apps/uninitialised_blog.py, built
like flaskr) creates an empty ``instance/blog.sqlite``, and its factory the
instance folder, when the kit builds it and visits its home page. After a
plain run the project folder is exactly as it was; a file the app filled with
data is left where it is, and the run says so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .running import RUN_TIMEOUT, clean_env, run_command

APPS = Path(__file__).resolve().parent / "apps"
SCRIPT = Path(sys.executable).parent / "flask-conformance"


def _snapshot(folder: Path) -> dict[str, int]:
    """Every path under ``folder`` with its size (folders: -1)."""
    return {
        str(path.relative_to(folder)): -1 if path.is_dir() else path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if "__pycache__" not in path.parts
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(APPS / "uninitialised_blog.py", folder / "blog.py")
    (folder / "README.md").write_text("the user's own file\n", encoding="utf-8")
    return folder


def _check(project: Path, app: str) -> str:
    env = clean_env(PYTHONDONTWRITEBYTECODE="1")
    result = run_command([SCRIPT, "check", app, "--", "-p", "no:randomly"], cwd=project, env=env)
    output = result.stdout + result.stderr
    assert result.returncode in (0, 1), output
    return output


def test_a_plain_run_leaves_the_project_as_it_was(project: Path) -> None:
    before = _snapshot(project)
    output = _check(project, "blog:create_app")
    assert "GET / (an ordinary page) -> 500" in output  # the page did open the database
    assert _snapshot(project) == before, output
    assert "(it held nothing): instance, instance/blog.sqlite" in output


def test_a_file_the_app_filled_is_left_and_said(project: Path) -> None:
    before = _snapshot(project)
    output = _check(project, "blog:create_app_that_writes")
    after = _snapshot(project)
    assert after.pop("instance/blog.sqlite") > 0
    assert after.pop("instance") == -1
    assert after == before
    assert "the app created instance/blog.sqlite (" in output
    assert "the kit left it as it is" in output


def test_the_file_the_runs_output_is_redirected_to_is_not_the_apps(project: Path) -> None:
    """``flask-conformance check app > run.log`` from the project: the kit's own
    lines fill run.log, so it is neither the app's write nor removed."""
    env = clean_env(PYTHONDONTWRITEBYTECODE="1")
    log = project / "run.log"
    with log.open("w", encoding="utf-8") as out:
        result = subprocess.run(
            [SCRIPT, "check", "blog:create_app", "--", "-p", "no:randomly"],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=RUN_TIMEOUT,
            check=False,
        )
    output = log.read_text(encoding="utf-8")
    assert result.returncode in (0, 1), output
    assert "run.log" not in output, output
    assert "(it held nothing): instance, instance/blog.sqlite" in output

