"""Pointing the kit at an app: every way it can go wrong gives one plain line."""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from flask_conformance import layout
from flask_conformance.backends import COOKIE, CUSTOM, REDIS
from flask_conformance.probe import BLUEPRINT_NAME
from flask_conformance.target import Target, TargetError, load_app, make_target


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
    assert target.is_reference_app
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
    assert not target.is_reference_app
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
