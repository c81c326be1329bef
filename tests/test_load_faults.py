"""Faults while the kit loads a target, runs it and ends: one line, the right status, quickly.

Each test runs the kit in a subprocess, as a user would, against an app or an
input that goes wrong in one way, and checks what the user sees: a usage
error is one line and exit 4, an app that is broken is a finding in plain
words and exit 1; never a traceback, INTERNALERROR or a hang.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from flask_conformance.cli import main

from .running import REPO_ROOT, clean_env, read_junit, run_command

BIN = Path(sys.executable).parent
FLASK_CONFORMANCE = str(BIN / "flask-conformance")
PYTEST = str(BIN / "pytest")
FLASK = str(BIN / "flask")
STEPS = str(REPO_ROOT / "steps")
LOGIN_PROFILE = str(REPO_ROOT / "tests" / "apps" / "login_app.toml")

#: A fault must be answered within this many seconds (process start included).
QUICKLY = 30


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single line of a usage error (exit 4), with no traceback."""
    output = _output(result)
    assert result.returncode == 4, output
    assert "Traceback" not in output and "INTERNALERROR" not in output, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    return lines[0]


def check(
    *args: str, cwd: Path = REPO_ROOT, env: dict[str, str] | None = None, own_process: bool = False
) -> subprocess.CompletedProcess[str]:
    return run_command(
        [FLASK_CONFORMANCE, "check", *args], cwd=cwd, env=env, own_process=own_process
    )


# -- an app that never finishes loading ----------------------------------------


@pytest.fixture
def silent_database() -> Iterator[int]:
    """A "database server" on 127.0.0.1 that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


@pytest.mark.parametrize(
    ("at_import", "waiting_for"),
    [
        ("1", "importing the module 'tests.apps.waits_for_database'"),
        ("0", "calling 'tests.apps.waits_for_database:create_app' to build the app"),
    ],
)
def test_an_app_that_blocks_while_loading_is_given_up_on_in_one_line(
    silent_database: int, tmp_path: Path, at_import: str, waiting_for: str
) -> None:
    env = clean_env(
        WAITS_FOR_DATABASE_PORT=str(silent_database),
        WAITS_FOR_DATABASE_AT_IMPORT=at_import,
        TMPDIR=str(tmp_path),
    )
    started = time.monotonic()
    result = check(
        "tests.apps.waits_for_database:create_app", "--load-timeout", "1", env=env,
        own_process=True,  # the time limit ends the process: a fresh one, as a user's
    )  # fmt: skip
    line = one_line_error(result)
    assert time.monotonic() - started < QUICKLY
    assert line.startswith("ERROR: The app did not load within 1 s: the kit was " + waiting_for)
    assert "--load-timeout" in line


def test_the_time_limit_is_a_pytest_option_too_and_removes_the_runs_folder(
    silent_database: int, tmp_path: Path
) -> None:
    """A factory that takes the profile's [config] with {tmp} hangs: the folder goes too."""
    profile = tmp_path / "profile.toml"
    profile.write_text(
        Path(LOGIN_PROFILE).read_text(encoding="utf-8")
        + '\n[config]\nDATABASE = "{tmp}/app.sqlite"\n',
        encoding="utf-8",
    )
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = clean_env(WAITS_FOR_DATABASE_PORT=str(silent_database), TMPDIR=str(temporary))
    result = run_command(
        [PYTEST, STEPS, "-p", "no:cacheprovider", "--flask-app",
         "tests.apps.waits_for_database:create_app", "--conformance-profile", str(profile),
         "--conformance-load-timeout", "1"],
        env=env,
        own_process=True,  # the time limit ends the process: a fresh one, as a user's
    )
    line = one_line_error(result)
    assert "calling 'tests.apps.waits_for_database:create_app' with the profile's [config]" in line
    assert list(temporary.iterdir()) == []


# -- threads the app leaves running ---------------------------------------------

UPDATER = "tests.apps.background_updater:create_app"


@pytest.mark.parametrize(
    "command",
    [
        [FLASK_CONFORMANCE, "check", UPDATER, "--", "-m", "P-05", "-p", "no:randomly"],
        [PYTEST, STEPS, "-p", "no:cacheprovider", "--flask-app", UPDATER, "-m", "P-05"],
        [PYTEST, STEPS, "-p", "no:cacheprovider", "--flask-app", UPDATER, "-m", "P-05", "-n", "2"],
        [FLASK, "--app", UPDATER, "conformance", "--", "-m", "P-05", "-p", "no:randomly"],
    ],
    ids=["check", "pytest", "pytest-xdist", "flask-command"],
)
def test_the_run_ends_though_the_app_left_a_thread_running(command: list[str]) -> None:
    # A hang fails here. The subject is the process's end: a fresh one, as a user's.
    result = run_command(command, timeout=QUICKLY * 2, own_process=True)
    output = _output(result)
    assert result.returncode == 0, output
    assert " passed" in output.splitlines()[-1]


def test_a_factory_that_starts_a_thread_and_fails_is_one_line_and_ends() -> None:
    result = run_command(
        [FLASK_CONFORMANCE, "check", "tests.apps.background_updater:create_app(fail=True)"],
        timeout=QUICKLY,
        own_process=True,  # the subject is the process's end: a fresh one, as a user's
    )
    assert "raised RuntimeError: the cache server is not configured" in one_line_error(result)


# -- an app that breaks while the kit loads it -----------------------------------


def test_an_app_that_refuses_the_probe_is_one_line() -> None:
    line = one_line_error(check("tests.apps.warmed_up:create_app"))
    assert line.startswith(
        "ERROR: While adding the kit's probe blueprint to the app, Flask or an extension raised "
        "AssertionError"
    )
    assert "already handled its first request" in line


def _findings(
    *args: str, tmp_path: Path, markers: str = ""
) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run a check that must end in findings (exit 1), every one in plain words."""
    junit = tmp_path / "junit.xml"
    selection = ["-m", markers] if markers else []
    result = check(*args, "--", "-p", "no:randomly", f"--junitxml={junit}", *selection)
    output = _output(result)
    assert result.returncode == 1, output
    assert "Traceback" not in output and "INTERNALERROR" not in output, output
    failed = [o for o in read_junit(junit) if o.result in ("failed", "error")]
    assert failed, output
    tracebacks = [o.name for o in failed if "Traceback" in o.text or "\n    def " in o.text]
    assert tracebacks == [], tracebacks
    return result, "".join(o.text for o in failed)


def test_an_app_whose_hook_calls_sys_exit_is_a_finding_naming_the_hook(tmp_path: Path) -> None:
    _, failures = _findings(
        "tests.apps.exiting_hook:create_app", tmp_path=tmp_path, markers="SES-01 or P-05 or H-06"
    )
    assert (
        "The app raised SystemExit: down for maintenance while answering" in failures
        and "in the app's before_request function 'maintenance'" in failures
    )


def test_an_app_whose_login_raises_runs_every_scenario_and_fails_the_journeys(
    tmp_path: Path,
) -> None:
    result, failures = _findings(
        "tests.apps.raising_login:create_app", "--profile", LOGIN_PROFILE, tmp_path=tmp_path
    )
    assert "the app raised ConnectionError: the user database is not reachable" in failures
    assert "in the app's view function 'login'" in failures
    assert " passed" in _output(result).splitlines()[-1]  # the rest of the specs ran


def test_the_login_of_a_working_twin_is_accepted(tmp_path: Path) -> None:
    result = check(
        "tests.apps.tidy_cookies:create_app", "--profile", LOGIN_PROFILE, "--",
        "-m", "journey and not security", "-p", "no:randomly",
    )
    assert result.returncode == 0, _output(result)


def test_a_broken_session_interface_is_a_finding_in_plain_words(tmp_path: Path) -> None:
    _, failures = _findings(
        "tests.apps.prefixed_cookie_name:create_app", tmp_path=tmp_path, markers="keys"
    )
    assert "KeyError: 'SESSION_COOKIE_PREFIX'" in failures
    assert "in the app's function 'get_cookie_name'" in failures


def test_a_cookie_name_known_only_inside_a_request_is_taken_from_the_cookie_sent() -> None:
    """The working twin of the broken interface above: the kit checks it as usual."""
    result = check(
        "tests.apps.per_host_cookie:create_app", "--",
        "-m", "sessions and not security", "-p", "no:randomly",
    )
    output = _output(result)
    assert result.returncode == 0, output
    assert "session cookie: session-localhost" in output


def test_every_failure_of_an_app_whose_before_request_raises_is_in_plain_words(
    tmp_path: Path,
) -> None:
    _, failures = _findings("tests.apps.raising_before_request:create_app", tmp_path=tmp_path)
    assert "So Alice has no session cookie to capture." in failures


# -- bad input: one line, exit 4 -------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with a good app and a few bad inputs beside it."""
    (tmp_path / "good.py").write_text(
        "from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n"
        "    app.secret_key = 'k'\n    return app\n",
        encoding="utf-8",
    )
    (tmp_path / "exits_at_import.py").write_text(
        "import sys\nsys.exit('DATABASE_URL is not set')\n", encoding="utf-8"
    )
    (tmp_path / "exits_in_factory.py").write_text(
        "import sys\ndef create_app():\n    sys.exit(3)\n", encoding="utf-8"
    )
    (tmp_path / "latin1.toml").write_bytes("# caf\u00e9\n[login]\n".encode("latin-1"))
    (tmp_path / "binary.toml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "profiles").mkdir()
    (tmp_path / "register_raises.py").write_text(
        "from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n"
        "    app.secret_key = 'k'\n    @app.post('/register')\n    def register():\n"
        "        raise ConnectionError('the user database is not reachable')\n    return app\n",
        encoding="utf-8",
    )
    (tmp_path / "register.toml").write_text(
        Path(LOGIN_PROFILE).read_text(encoding="utf-8")
        + '\n[setup]\nregister = { path = "/register", form = { username = "{username}" } }\n',
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["exits_at_import:create_app"], "Importing 'exits_at_import' called sys.exit("),
        (["exits_in_factory:create_app"], "'exits_in_factory:create_app' called sys.exit(3)"),
        (["good:create_app", "--profile", "latin1.toml"], "latin1.toml is not UTF-8 text"),
        (["good:create_app", "--profile", "binary.toml"], "binary.toml is not UTF-8 text"),
        (["good:create_app", "--profile", "profiles"], "The profile profiles is a folder"),
        (
            ["register_raises:create_app", "--profile", "register.toml"],
            (
                "While running the profile's [setup]: The app raised ConnectionError: the user "
                "database is not reachable while answering POST /register, in the app's view "
                "function 'register' (register_raises.py, line 7)."
            ),
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_4(project: Path, args: list[str], words: str) -> None:
    assert words in one_line_error(check(*args, cwd=project))


def test_a_pyproject_that_is_not_utf8_is_one_line(project: Path) -> None:
    (project / "pyproject.toml").write_bytes(
        "[tool.flask-conformance]\n# caf\u00e9\n".encode("latin-1")
    )
    line = one_line_error(check("good:create_app", cwd=project))
    assert "pyproject.toml is not UTF-8 text" in line


def test_a_profile_folder_through_pytest_is_one_line(project: Path) -> None:
    result = run_command(
        [PYTEST, STEPS, "-p", "no:cacheprovider", "--flask-app", "good:create_app",
         "--conformance-profile", "profiles"],
        cwd=project,
    )
    assert "The profile profiles is a folder" in one_line_error(result)


# -- the end of the run ------------------------------------------------------------


def test_a_report_that_cannot_be_written_at_the_end_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    env = clean_env(REMOVE_REPORT_FOLDER=str(folder))
    result = check(
        "--report", str(folder / "run.json"), "--report", str(tmp_path / "run.md"), "--",
        "-m", "P-05", "-p", "no:randomly", "-p", "tests.plugins.remove_report_folder",
        env=env,
    )
    output = _output(result)
    assert result.returncode == 4, output
    assert "Traceback" not in output and "INTERNALERROR" not in output, output
    said = [line for line in output.splitlines() if "could not write the report" in line]
    assert said == [
        (
            f"flask-conformance: could not write the report {folder / 'run.json'} "
            "(No such file or directory): the run's verdicts stand, that report is missing."
        )
    ]
    assert " passed" in output.splitlines()[-1]
    assert (tmp_path / "run.md").is_file()


@pytest.mark.parametrize(
    "content",
    [
        "[1, 2]",
        '[{"elements": [{"conformance": "x"}]}]',
        '[{"elements": [{"steps": [1]}]}]',
        '[{"elements": [{"conformance": {"key": [1]}}]}]',
        "null",
        '{"features": []}',
    ],
)
def test_diff_refuses_json_of_another_shape_in_one_line(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    good = tmp_path / "good.json"
    _write_kit_report(good)
    for old, new in ((good, bad), (bad, good)):
        result = CliRunner().invoke(main, ["diff", str(old), str(new)])
        assert result.exit_code == 4, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert f"Cannot read {str(bad)!r}: it is not a report flask-conformance wrote" in lines[0]


#: The least the kit writes for one scenario: its own "before" hook carries the verdict.
_KIT_REPORT = json.dumps(
    [
        {
            "name": "Sessions",
            "elements": [
                {
                    "name": "A session persists",
                    "before": [
                        {"match": {"location": "flask-conformance"}, "result": {"status": "passed"}}
                    ],
                    "steps": [],
                }
            ],
        }
    ]
)


def _write_kit_report(path: Path) -> None:
    """A one-scenario Cucumber JSON report as the kit writes it."""
    from flask_conformance.report import cucumber

    assert cucumber.written_by_the_kit(json.loads(_KIT_REPORT))
    path.write_text(_KIT_REPORT, encoding="utf-8")
