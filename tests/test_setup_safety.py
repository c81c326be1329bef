"""The kit never runs a profile's ``[setup]`` against the app's real data.

``tests/apps/bound_database.py`` binds its database while it is built, from
the environment, the way Flask-SQLAlchemy apps do, and its ``flask init-db``
drops the users table. The real database here is a file with a row that must
survive every run. A profile that can only set ``DATABASE`` on ``app.config``
after the build is refused in one line, before anything runs; one that sets
the app's variable in ``[environment]`` runs against ``{tmp}`` and leaves the
real file as it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flask_conformance.journeys.profile import ProfileError
from flask_conformance.target.load import make_target

from .running import REPO_ROOT, clean_env, read_junit, run_command
from .test_journey_setup import PROTECTED_AND_USERS

APP = "tests.apps.bound_database:create_app"
SCRIPT = Path(sys.executable).parent / "flask-conformance"

JOURNEY = (
    """
[setup]
command = "init-db"
register = { path = "/register", form = { username = "{username}", password = "{password}" } }

[login]
path = "/login"
form = { username = "{username}", password = "{password}" }
"""
    + PROTECTED_AND_USERS
)

TOO_LATE = '[config]\nDATABASE = "{tmp}/app.sqlite"\n' + JOURNEY
IN_TIME = '[environment]\nBOUND_DATABASE = "{tmp}/app.sqlite"\n' + JOURNEY

#: What is judged is when the app is imported and what its environment holds
#: then: the runs get a fresh interpreter, as a user's does.
FRESH_IMPORT = True


@pytest.fixture
def real_database(tmp_path: Path) -> Path:
    """The developer's own database, with a user the kit must never lose."""
    path = tmp_path / "real.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE users (username TEXT PRIMARY KEY, password TEXT)")
        connection.execute("INSERT INTO users VALUES ('precious', 'keep-me')")
    connection.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _users(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT * FROM users").fetchall()
    connection.close()
    return rows


def _check(
    tmp_path: Path, real_database: Path, profile_text: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile.toml"
    profile.write_text(textwrap.dedent(profile_text), encoding="utf-8")
    env = clean_env(BOUND_DATABASE=str(real_database))
    return run_command(
        [SCRIPT, "check", APP, "--profile", profile, *extra], env=env, own_process=FRESH_IMPORT
    )


def test_config_the_app_reads_too_late_is_refused_and_the_data_survives(
    tmp_path: Path, real_database: Path
) -> None:
    before = _digest(real_database)
    result = _check(tmp_path, real_database, TOO_LATE)
    output = result.stdout + result.stderr
    assert result.returncode == 4, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in output, output
    assert lines[0].startswith("ERROR: Refusing to run [setup] of ")
    assert "[config] DATABASE is not in effect in " + APP in lines[0]
    assert "[environment]" in lines[0] and "test_config" in lines[0]
    assert _users(real_database) == [("precious", "keep-me")]
    assert _digest(real_database) == before


def test_environment_set_before_import_runs_setup_in_tmp_and_leaves_the_data(
    tmp_path: Path, real_database: Path
) -> None:
    before = _digest(real_database)
    report = tmp_path / "report.xml"
    result = _check(
        tmp_path, real_database, IN_TIME, "--", "-m", "journey", "-p", "no:randomly",
        f"--junitxml={report}",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode in (0, 1), output
    outcomes = {outcome.name: outcome.result for outcome in read_junit(report)}
    login = "test_after_logging_in_the_protected_page_admits_the_user_as_themselves[cookie]"
    assert outcomes[login] == "passed", output
    assert _users(real_database) == [("precious", "keep-me")]
    assert _digest(real_database) == before


def test_a_factory_that_takes_test_config_but_drops_it_is_refused(
    tmp_path: Path, real_database: Path
) -> None:
    """``test_config`` in the signature is not enough: the values must arrive."""
    profile = tmp_path / "profile.toml"
    profile.write_text(TOO_LATE, encoding="utf-8")
    result = run_command(
        [SCRIPT, "check", "tests.apps.bound_database:create_app_ignoring_test_config",
         "--profile", profile],
        env=clean_env(BOUND_DATABASE=str(real_database)),
        own_process=FRESH_IMPORT,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 4, output
    assert "was given them as test_config but did not keep them" in output
    assert _users(real_database) == [("precious", "keep-me")]


def test_a_module_imported_before_environment_could_be_set_is_refused(
    tmp_path: Path, real_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("BOUND_DATABASE", str(real_database))
    import tests.apps.bound_database  # noqa: F401 - imported early, as a conftest might

    profile = tmp_path / "profile.toml"
    profile.write_text(IN_TIME, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        make_target(APP, str(profile))
    assert "was imported before the kit could set [environment]" in str(caught.value)
    assert _users(real_database) == [("precious", "keep-me")]


def test_environment_values_must_be_text(tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text("[environment]\nWORKERS = 2\n" + JOURNEY, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"\[environment\] WORKERS must be a string"):
        make_target(APP, str(profile))

