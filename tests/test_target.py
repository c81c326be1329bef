"""Pointing the kit at an app: every way it can go wrong gives one plain line."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from flask_conformance import layout
from flask_conformance.drive.probe import BLUEPRINT_NAME
from flask_conformance.target.backends import COOKIE, CUSTOM, REDIS
from flask_conformance.target.build import TargetError, load_app
from flask_conformance.target.load import Target, make_target

from .running import run_command


@pytest.fixture
def make_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], str]]:
    """Write a throwaway module into a folder on sys.path and return its name."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    written: list[str] = []

    def make(source: str) -> str:
        name = f"target_{uuid.uuid4().hex[:8]}"
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        written.append(name)
        return name

    yield make
    for name in written:
        sys.modules.pop(name, None)


def _error(import_string: str) -> str:
    with pytest.raises(TargetError) as caught:
        load_app(import_string)
    message = str(caught.value)
    assert "\n" not in message, f"a TargetError must be one line, got {message!r}"
    return message


@pytest.mark.parametrize("import_string", ["", "   "])
def test_empty_import_string(import_string: str) -> None:
    assert "The app to check is empty" in _error(import_string)


@pytest.mark.parametrize("import_string", [":create_app", "myapp:"])
def test_malformed_import_string(import_string: str) -> None:
    assert "is not an import string: write 'module:attr'" in _error(import_string)


def test_missing_module(make_module: Callable[[str], str]) -> None:
    message = _error("no_such_module_for_the_kit:create_app")
    assert "No module named 'no_such_module_for_the_kit' could be found" in message


def test_missing_attribute(make_module: Callable[[str], str]) -> None:
    name = make_module("from flask import Flask\napp = Flask(__name__)\n")
    message = _error(f"{name}:no_such_factory")
    assert "no_such_factory" in message
    assert f"while loading '{name}:no_such_factory'" in message


def test_factory_raising(make_module: Callable[[str], str]) -> None:
    name = make_module(
        """
        def create_app():
            raise ValueError("DATABASE_URL is not set")
        """
    )
    message = _error(f"{name}:create_app")
    assert f"Calling '{name}:create_app' raised ValueError: DATABASE_URL is not set." in message


def test_not_a_flask_app(make_module: Callable[[str], str]) -> None:
    name = make_module("app = {'not': 'flask'}\n")
    message = _error(f"{name}:app")
    assert "Flask" in message
    assert name in message


def test_factory_returning_something_else(make_module: Callable[[str], str]) -> None:
    name = make_module("def create_app():\n    return 42\n")
    assert "Flask" in _error(f"{name}:create_app")


def test_module_with_no_app(make_module: Callable[[str], str]) -> None:
    name = make_module("x = 1\n")
    assert name in _error(name)


def test_import_fails_on_a_missing_package(make_module: Callable[[str], str]) -> None:
    name = make_module("import flask_conformance_not_installed_pkg\n")
    message = _error(f"{name}:create_app")
    assert "because the package 'flask_conformance_not_installed_pkg' is not installed" in message
    assert "pip install flask_conformance_not_installed_pkg" in message


def test_import_fails_in_the_module_itself(make_module: Callable[[str], str]) -> None:
    name = make_module("raise RuntimeError('config missing')\n")
    message = _error(f"{name}:create_app")
    assert f"Importing '{name}' raised RuntimeError: config missing." in message


def test_a_module_path_with_py_is_accepted(make_module: Callable[[str], str]) -> None:
    name = make_module("from flask import Flask\napp = Flask(__name__)\n")
    assert isinstance(load_app(f"{name}.py:app"), Flask)


def test_the_reference_app_offers_both_backends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)  # fakeredis, not a server
    target = make_target(None, None)
    assert target.backends == [COOKIE, REDIS]
    assert target.profile is not None
    for backend in target.backends:
        assert BLUEPRINT_NAME in target.app(backend).blueprints


@pytest.mark.parametrize(
    ("app_name", "backend"),
    [("no_max_age", COOKIE), ("leaky_g", COOKIE), ("unsigned_session", CUSTOM)],
)
def test_another_app_offers_its_own_backend(app_name: str, backend: str) -> None:
    target = Target(f"tests.apps.{app_name}:create_app")
    assert target.backends == [backend]
    assert target.app(backend) is target.app(None)
    assert BLUEPRINT_NAME in target.app(None).blueprints


def test_make_target_fails_at_once_on_a_bad_app(
    make_module: Callable[[str], str],
) -> None:
    with pytest.raises(TargetError):
        make_target("no_such_module_for_the_kit:create_app", None)


def test_the_reference_app_import_string() -> None:
    assert layout.REFERENCE_APP == "app_under_test:create_app"


# -- the command line, from a folder outside the repository ------------------

FLASK_CONFORMANCE = str(Path(sys.executable).with_name("flask-conformance"))


def _check(folder: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_command([FLASK_CONFORMANCE, "check", *args], cwd=folder, timeout=timeout)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A project folder outside the repository, with a few small apps in it."""
    apps = {
        "good.py": "from flask import Flask\napp = Flask(__name__)\n",
        "raising_factory.py": (
            "def create_app():\n    raise ValueError('DATABASE_URL is not set')\n"
        ),
        "not_flask.py": "app = {'not': 'flask'}\n",
        "needs_pkg.py": "import flask_conformance_not_installed_pkg\n",
        "redis_app.py": (
            "from flask import Flask\nfrom flask_session import Session\n"
            "def create_app():\n    app = Flask(__name__)\n"
            "    app.config.update(SECRET_KEY='k', SESSION_TYPE='redis')\n"
            "    Session(app)\n    return app\n"
        ),
        "no_key.py": "from flask import Flask\ndef create_app():\n    return Flask(__name__)\n",
        "raising_hook.py": (
            "from flask import Flask\n"
            "def create_app():\n    app = Flask(__name__)\n    app.secret_key = 'k'\n"
            "    @app.before_request\n    def load_user():\n"
            "        raise ConnectionError('the user database is not reachable')\n"
            "    return app\n"
        ),
    }
    for name, source in apps.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    return tmp_path


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single error line of a usage error (exit 4), with no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode == 4, output
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.strip()]
    assert len(errors) == 1, output
    return errors[0]


@pytest.mark.parametrize(
    ("import_string", "words"),
    [
        ("", "The app to check is empty"),
        (":create_app", "is not an import string: write 'module:attr'"),
        ("no_such_module_anywhere:create_app", "No module named 'no_such_module_anywhere'"),
        ("good:create_app", "Failed to find attribute 'create_app'"),
        ("raising_factory:create_app", "raised ValueError: DATABASE_URL is not set"),
        ("not_flask:app", "A valid Flask application was not obtained from 'not_flask:app'"),
        ("needs_pkg:create_app", "the package 'flask_conformance_not_installed_pkg' is not"),
    ],
)
def test_bad_input_is_one_line_and_exit_4(outside: Path, import_string: str, words: str) -> None:
    assert words in _one_line_error(_check(outside, import_string))


def test_an_unreachable_redis_is_one_line_within_seconds(outside: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    result = _check(outside, "redis_app:create_app", "--redis-url", f"redis://127.0.0.1:{port}/0")
    line = _one_line_error(result)
    assert time.monotonic() - started < 15  # the process start dominates; Redis gives up at once
    assert f"Redis at redis://127.0.0.1:{port}/0 cannot be reached" in line


def test_no_secret_key_is_a_finding_not_a_crash(outside: Path) -> None:
    result = _check(outside, "no_key:create_app", "--", "-p", "no:randomly")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "Broken behaviour: sessions are unusable: the app has no SECRET_KEY" in output
    assert "1 failed" in output


def test_an_app_raising_in_a_hook_is_a_failed_behaviour_naming_it(outside: Path) -> None:
    result = _check(outside, "raising_hook:create_app", "--", "-p", "no:randomly", "-m", "SES-01")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert (
        "The app raised ConnectionError: the user database is not reachable while answering"
        in output
    )
    assert "in the app's before_request function 'load_user' (raising_hook.py, line 7)" in output
