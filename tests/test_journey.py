"""Journey profiles: a bad profile is refused with a message naming the fix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from flask_conformance import layout
from flask_conformance.journeys.profile import ProfileError
from flask_conformance.journeys.profile_reading import load_profile, parse_profile

from .test_example_profile import EXAMPLE

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
    allowed = "backends, config, environment, expiry, login, logout, protected, setup, users"
    assert f"the allowed keys are {allowed}" in message


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


#: README's example, as it stands in an app's pyproject.toml beside other tables.
PYPROJECT = '[project]\nname = "myapp"\n\n' + EXAMPLE


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


# -- the additions real apps need ---------------------------------------------


def test_a_profile_with_every_addition() -> None:
    table = _with(
        {
            "config": {"DATABASE": "{tmp}/app.sqlite", "WTF_CSRF_ENABLED": False},
            "setup": {
                "command": "init-db --demo",
                "callable": "myapp.testing:seed",
                "register": {"path": "/register", "json": {"name": "{username}"}},
            },
            "expiry": {"idle": "30 minutes", "absolute": "12 hours"},
        }
    )
    table["login"]["headers"] = {"X-Requested-With": "kit"}
    table["login"]["csrf"] = {"from_page": "/login", "field": "csrf_token"}
    table["login"]["remember"] = {"remember": "y"}
    profile = parse_profile(table, source="p.toml")
    assert profile.config_for(Path("/run")) == {
        "DATABASE": "/run/app.sqlite",
        "WTF_CSRF_ENABLED": False,
    }
    assert profile.setup.command == ["init-db", "--demo"]
    assert profile.setup.register is not None and profile.setup.register.json == {
        "name": "{username}"
    }
    assert profile.expiry.idle is not None and profile.expiry.idle.total_seconds() == 1800
    assert profile.expiry.absolute is not None and profile.expiry.absolute.total_seconds() == 43200
    assert profile.login.csrf is not None and profile.login.csrf.field == "csrf_token"
    assert profile.login.headers == {"X-Requested-With": "kit"}


def _login_with(**keys: Any) -> str:
    table = _with()
    table["login"].update(keys)
    return _refused(table)


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ({"csrf": {"field": "csrf_token"}}, "needs from_page and field"),
        ({"csrf": {"from_cookie": "csrf_token"}}, "has no 'header' to send it in"),
        ({"csrf": {"from_page": "/login", "field": "t", "token": "x"}}, "unknown key(s) token"),
        ({"csrf": {"from_page": "login", "field": "t"}}, "from_page must start with '/'"),
        ({"headers": {"X-Count": 1}}, "login.headers.X-Count must be a string, not a number"),
        ({"json": {"a": 1}}, "has both 'form' and 'json'"),
        ({"method": "FETCH"}, "method must be one of DELETE, GET, PATCH, POST, PUT"),
        ({"remember": "y"}, "remember must be a table"),
    ],
)
def test_bad_request_additions(keys: dict[str, Any], words: str) -> None:
    assert words in _login_with(**keys)


@pytest.mark.parametrize(
    ("section", "value", "words"),
    [
        ("setup", {"command": 3}, '[setup] command must be a flask command, like "init-db"'),
        ("setup", {"callable": "myapp.seed"}, "[setup] callable must be 'module:function'"),
        ("setup", {"run": "x"}, "[setup] has unknown key(s) run"),
        ("setup", {"register": {"form": {}}}, "[setup.register] needs 'path'"),
        ("expiry", {"idle": 30}, '[expiry] idle must be a duration like "30 minutes"'),
        ("expiry", {"idle": "half an hour"}, "got 'half an hour'"),
        ("config", {"database": "x"}, "[config] key(s) database are not Flask config names"),
        ("config", "DEBUG", "[config] must be a table, not a string"),
    ],
)
def test_bad_sections(section: str, value: Any, words: str) -> None:
    assert words in _refused(_with({section: value}))


def test_protected_needs_both_pages() -> None:
    table = _with()
    del table["protected"]["logged_out"]
    assert "[protected] needs 'logged_out', like { status = 200 }" in _refused(table)


def test_a_pyproject_without_the_table_has_no_profile(tmp_path: Path) -> None:
    from flask_conformance.journeys.profile_reading import profile_in_pyproject

    assert profile_in_pyproject(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert profile_in_pyproject(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    profile = profile_in_pyproject(tmp_path)
    assert profile is not None and profile.protected_path == "/dashboard"


def test_the_flaskr_example_loads() -> None:
    profile = load_profile(Path(__file__).resolve().parents[1] / "examples" / "flaskr.toml")
    assert profile.setup.command == ["init-db"]
    assert profile.logout.method == "GET"
