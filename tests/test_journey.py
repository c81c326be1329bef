"""Journey profiles: a bad profile is refused with a message naming the fix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from flask_conformance import layout
from flask_conformance.journey import ProfileError, load_profile, parse_profile

APPS_DIR = Path(__file__).parent / "apps"

GOOD: dict[str, Any] = {
    "login": {
        "method": "post",
        "path": "/login",
        "form": {"username": "{username}", "password": "{password}"},
    },
    "logout": {"path": "/logout"},
    "protected": {
        "path": "/dashboard",
        "logged_in": {"status": 200, "contains": "Welcome, {username}"},
        "logged_out": {"status": 302},
    },
    "users": [
        {"username": "alice", "password": "wonderland"},
        {"username": "bob", "password": "builder"},
    ],
}


def _with(change: dict[str, Any] | None = None, drop: str | None = None) -> dict[str, Any]:
    table = copy.deepcopy(GOOD)
    if drop:
        del table[drop]
    for key, value in (change or {}).items():
        table[key] = value
    return table


def _refused(table: dict[str, Any]) -> str:
    with pytest.raises(ProfileError) as caught:
        parse_profile(table, source="profile.toml")
    return str(caught.value)


def test_a_good_profile() -> None:
    profile = parse_profile(copy.deepcopy(GOOD), source="profile.toml")
    assert profile.login.method == "POST"
    assert profile.logout.method == "POST"  # the default
    assert profile.protected_path == "/dashboard"
    assert profile.logged_in.status == 200
    assert profile.logged_out.contains is None
    alice = profile.user("Alice")
    assert alice.fill(profile.login.form) == {"username": "alice", "password": "wonderland"}
    assert profile.user("Bob").username == "bob"


def test_unknown_top_level_key() -> None:
    message = _refused(_with({"signup": {"path": "/signup"}}))
    assert "unknown key(s) signup" in message
    assert "the allowed keys are config, expiry, login, logout, protected, setup, users" in message


def test_unknown_key_in_a_section() -> None:
    table = _with()
    table["login"]["url"] = "/login"
    assert "[login] has unknown key(s) url" in _refused(table)


@pytest.mark.parametrize("section", ["login", "logout", "protected", "users"])
def test_missing_section(section: str) -> None:
    assert f"has no [{section}] section" in _refused(_with(drop=section))


def test_section_of_the_wrong_type() -> None:
    assert "[login] must be a table, not a string" in _refused(_with({"login": "/login"}))


def test_status_of_the_wrong_type() -> None:
    table = _with()
    table["protected"]["logged_in"]["status"] = "200"
    assert "needs 'status' as a whole number" in _refused(table)


def test_path_must_start_with_a_slash() -> None:
    table = _with()
    table["logout"]["path"] = "logout"
    assert "path must start with '/'" in _refused(table)


def test_users_must_be_a_non_empty_list() -> None:
    assert "at least one [[users]] entry" in _refused(_with({"users": []}))


def test_a_persona_with_no_user() -> None:
    profile = parse_profile(
        _with({"users": [{"username": "alice", "password": "x"}]}), source="p.toml"
    )
    with pytest.raises(ProfileError, match="no user to play Bob"):
        profile.user("Bob")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="does not exist"):
        load_profile(tmp_path / "nope.toml")


def test_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[login\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="is not valid TOML"):
        load_profile(path)


PYPROJECT = """
[project]
name = "myapp"

[tool.flask-conformance.login]
path = "/login"
form = { username = "{username}", password = "{password}" }

[tool.flask-conformance.logout]
path = "/logout"

[tool.flask-conformance.protected]
path = "/dashboard"
logged_in = { status = 200 }
logged_out = { status = 302 }

[[tool.flask-conformance.users]]
username = "alice"
password = "wonderland"
"""


def test_pyproject_style_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT, encoding="utf-8")
    profile = load_profile(path)
    assert profile.login.path == "/login"
    assert profile.users[0].username == "alice"


@pytest.mark.parametrize("path", [layout.REFERENCE_PROFILE, APPS_DIR / "wrong_logout.toml"])
def test_shipped_profiles_load(path: Path) -> None:
    profile = load_profile(path)
    assert [user.username for user in profile.users] == ["alice", "bob"]
