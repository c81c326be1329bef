"""The kit inside a user's project: a good citizen in the project's pytest.

A project's root ``conftest.py`` often defines fixtures named ``clock``,
``app`` or ``client``, and sometimes options the kit once used, ``--report``
and ``--redis-url``. Those must neither reach the kit's specs (a project's
``visitors`` fixture returning a string made every scenario fail) nor crash
pytest (two plugins adding ``--report`` is an argparse conflict), so every
pytest option of the kit's carries its prefix, and the kit must leave the
project's own test runs as they are without the kit. The runs here use the
checkout's editable install; tests/test_packaging.py repeats the check with
the built wheel installed inside the project.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from .running import run_command

#: A project's root conftest.py whose names clash with the kit's.
PROJECT_CONFTEST = '''\
import pytest


def pytest_addoption(parser):
    parser.addoption("--report", default=None, help="the project's own report option")
    parser.addoption("--redis-url", default=None, help="the project's own Redis")


@pytest.fixture
def clock():
    return "the project's clock"


@pytest.fixture
def app():
    return "the project's app"


@pytest.fixture
def client():
    return "the project's client"


@pytest.fixture
def visitors():
    return "the project's visitors"


@pytest.fixture
def backend():
    return "the project's backend"


@pytest.fixture
def app_under_test():
    return "the project's app under test"
'''

PROJECT_TEST = '''\
def test_the_projects_own_fixtures_are_its_own(clock, app, request):
    assert clock == "the project's clock"
    assert app == "the project's app"
    assert request.config.getoption("--report") == "mine.txt"
    assert request.config.getoption("--redis-url") == "redis://127.0.0.1:1/0"
'''

#: The project's own options, as its own test runs give them.
OWN_OPTIONS = ("--report", "mine.txt", "--redis-url", "redis://127.0.0.1:1/0")
#: Scenarios that use the visitors, the clock and both backends.
SOME_SPECS = "persistence or expiry or journey"
REFERENCE = "app_under_test:create_app"


def make_project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "conftest.py").write_text(PROJECT_CONFTEST)
    (folder / "test_own.py").write_text(PROJECT_TEST)
    (folder / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\n")
    return folder


def totals(output: str) -> str:
    """pytest's last line without the time, for example '61 passed, 12 skipped'."""
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "no output"
    return re.sub(r" in [\d.]+s.*$", "", lines[-1].strip("= "))


def pytest_run(cwd: Path, *args: str) -> str:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *args]
    result = run_command(command, cwd=cwd)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "INTERNALERROR" not in output, output[-3000:]
    return output


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("users") / "project")


@pytest.fixture(scope="module")
def from_an_empty_folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    empty = tmp_path_factory.mktemp("empty")
    return totals(pytest_run(empty, "--flask-app", REFERENCE, "-m", SOME_SPECS))


def test_pytest_with_flask_app_gives_the_same_verdicts_in_a_project_with_clashing_names(
    project: Path, from_an_empty_folder: str
) -> None:
    output = pytest_run(project, "--flask-app", REFERENCE, "-m", SOME_SPECS)
    assert "failed" not in from_an_empty_folder, from_an_empty_folder
    assert totals(output) == from_an_empty_folder, output[-3000:]


def test_check_gives_the_same_verdicts_in_a_project_with_clashing_names(
    project: Path, from_an_empty_folder: str
) -> None:
    result = run_command(
        [sys.executable, "-m", "flask_conformance", "check", REFERENCE,
         "--", "-q", "-p", "no:randomly", "-m", SOME_SPECS],
        cwd=project,
    )  # fmt: skip
    assert totals(result.stdout) == from_an_empty_folder, result.stdout[-3000:] + result.stderr


def test_the_projects_own_run_keeps_its_option_fixtures_and_markers(project: Path) -> None:
    output = pytest_run(project, *OWN_OPTIONS, "--markers")
    assert "@pytest.mark.sessions" not in output  # none of the kit's 127 markers
    assert not re.search(r"@pytest\.mark\.(P-05|WSTG|ASVS|journey)", output)
    output = pytest_run(project, *OWN_OPTIONS)
    assert totals(output) == "1 passed", output
    assert "flask-conformance" not in output  # no header, summary or hook trace


def test_a_kit_run_without_its_option_is_unchanged_by_the_kit(project: Path) -> None:
    """The same project run with the kit's plugin blocked gives the same result."""
    with_kit = pytest_run(project, *OWN_OPTIONS, "-rA")
    blocked = ("-p", "no:flask_conformance.plugin")
    without = pytest_run(project, *OWN_OPTIONS, "-rA", *blocked)
    assert totals(with_kit) == totals(without) == "1 passed"


def test_every_pytest_option_of_the_kits_carries_its_prefix(tmp_path: Path) -> None:
    """Only ``--flask-app`` (the kit's own name) and ``--conformance-*``: nothing to collide."""
    result = run_command([sys.executable, "-m", "pytest", "--help"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    output = result.stdout
    group = output.split("Flask conformance specs:", 1)[1].split("\n\n", 1)[0]
    options = re.findall(r"^  (--[\w-]+)", group, re.MULTILINE)
    assert "--conformance-report" in options and "--conformance-redis-url" in options
    assert [o for o in options if not o.startswith("--conformance-")] == ["--flask-app"]


def test_the_kits_run_in_a_project_with_its_own_report_and_redis_options(project: Path) -> None:
    """The kit's options and the project's, side by side in one run: each gets its own."""
    report = project / "kit-report.md"
    output = pytest_run(project, "--flask-app", REFERENCE, "-m", "G-01", *OWN_OPTIONS,
                        "--conformance-report", str(report))  # fmt: skip
    assert re.fullmatch(r"\d+ passed, \d+ deselected", totals(output)), output[-3000:]
    assert report.read_text().startswith("## ✔ flask-conformance")
    assert "--redis-url" not in output  # the project's Redis option is not the kit's
