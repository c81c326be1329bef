"""Journey profiles meet real apps: CSRF, JSON, config, setup, and a profile
that does not fit the app, refused in one line before any scenario runs."""

from __future__ import annotations

import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from flask_conformance.journeys.profile import ProfileError
from flask_conformance.target.load import Target, make_target

from .running import REPO_ROOT, run_command
from .test_example_profile import EXAMPLE

GUARDED = "tests.apps.guarded_app:create_app"

PROTECTED_AND_USERS = """
[logout]
path = "/logout"

[protected]
path = "/dashboard"
logged_in = { status = 200, contains = "Welcome, {username}" }
logged_out = { status = 302 }

[[users]]
username = "alice"
password = "wonderland"

[[users]]
username = "bob"
password = "builder"
"""

FORM_LOGIN = """
[login]
path = "/login"
form = { username = "{username}", password = "{password}" }
csrf = { from_page = "/login", field = "csrf_token" }
"""

DATABASE_AND_REGISTER = """
[config]
DATABASE = "{tmp}/users.json"

[setup]
command = "init-db"
register = { path = "/register", form = { username = "{username}", password = "{password}" } }
"""


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)


def _target(tmp_path: Path, *parts: str, app: str = GUARDED) -> Target:
    profile = tmp_path / "profile.toml"
    profile.write_text("\n".join(textwrap.dedent(part) for part in parts), encoding="utf-8")
    return make_target(app, str(profile))


def _refused(tmp_path: Path, *parts: str, app: str = GUARDED) -> str:
    with pytest.raises(ProfileError) as caught:
        _target(tmp_path, *parts, app=app)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_form_login_with_a_csrf_token_from_the_page(tmp_path: Path) -> None:
    target = _target(tmp_path, FORM_LOGIN, DATABASE_AND_REGISTER, PROTECTED_AND_USERS)
    app = target.app(None)
    database = Path(app.config["DATABASE"])
    # {tmp} became a fresh folder; init-db made the file and both users registered.
    assert database.name == "users.json" and database.parent.name.startswith("flask-conformance-")
    assert set(database.read_text(encoding="utf-8").split('"')) >= {"alice", "bob"}
    # create_app(test_config=...) got the config before it built the app.
    assert app.extensions["built_with"]["DATABASE"] == str(database)


def test_without_the_csrf_token_the_login_is_refused_in_one_line(tmp_path: Path) -> None:
    no_csrf = FORM_LOGIN.replace('csrf = { from_page = "/login", field = "csrf_token" }', "")
    message = _refused(tmp_path, no_csrf, DATABASE_AND_REGISTER, PROTECTED_AND_USERS)
    assert message.startswith("The app did not log 'alice' in: POST /login answered 400")
    assert "'The CSRF token is missing.'" in message
    assert "/dashboard then answered 302, not 200" in message


def test_csrf_turned_off_by_a_config_override(tmp_path: Path) -> None:
    no_csrf = FORM_LOGIN.replace('csrf = { from_page = "/login", field = "csrf_token" }', "")
    config = DATABASE_AND_REGISTER.replace("[setup]", "CSRF_ENABLED = false\n\n[setup]")
    target = _target(tmp_path, no_csrf, config, PROTECTED_AND_USERS)
    assert target.app(None).config["CSRF_ENABLED"] is False


def test_json_login_with_headers_a_cookie_token_and_a_setup_callable(tmp_path: Path) -> None:
    target = _target(
        tmp_path,
        """
        [login]
        path = "/api/login"
        json = { username = "{username}", password = "{password}" }
        headers = { X-Client = "kit" }
        csrf = { from_page = "/login", from_cookie = "csrf_token", header = "X-CSRFToken" }

        [config]
        DATABASE = "{tmp}/users.json"

        [setup]
        callable = "tests.apps.guarded_app:seed"
        """,
        PROTECTED_AND_USERS,
    )
    assert target.profile is not None and target.profile.login.json is not None


def test_a_login_path_that_answers_404(tmp_path: Path) -> None:
    login = FORM_LOGIN.replace('path = "/login"', 'path = "/signin"')
    message = _refused(tmp_path, login, DATABASE_AND_REGISTER, PROTECTED_AND_USERS)
    assert message.startswith("The profile's login POST /signin answered 404 (no such page)")
    assert "fix [login] path or method" in message


def test_a_login_method_the_app_does_not_take(tmp_path: Path) -> None:
    login = FORM_LOGIN.replace("[login]", '[login]\nmethod = "PUT"')
    message = _refused(tmp_path, login, DATABASE_AND_REGISTER, PROTECTED_AND_USERS)
    assert "login PUT /login answered 405 (method not allowed)" in message


def test_credentials_the_app_rejects(tmp_path: Path) -> None:
    users = PROTECTED_AND_USERS.replace('password = "builder"', 'password = "wrong"')
    seeded = (
        '[config]\nDATABASE = "{tmp}/u.json"\n[setup]\ncallable = "tests.apps.guarded_app:seed"'
    )
    message = _refused(tmp_path, FORM_LOGIN, seeded, users)
    assert message.startswith("The app did not log 'bob' in: POST /login answered 401")
    assert "'Incorrect username or password.'" in message
    assert "Check that user's password in [[users]]" in message


def test_a_setup_command_the_app_does_not_have(tmp_path: Path) -> None:
    setup = DATABASE_AND_REGISTER.replace('"init-db"', '"init-dbx"')
    message = _refused(tmp_path, FORM_LOGIN, setup, PROTECTED_AND_USERS)
    assert message.startswith("The profile's setup command 'flask init-dbx' failed (exit 2:")
    assert "No such command 'init-dbx'" in message


def test_a_setup_callable_that_cannot_be_found(tmp_path: Path) -> None:
    setup = '[config]\nDATABASE = "{tmp}/u.json"\n[setup]\ncallable = "tests.apps.guarded_app:nope"'
    message = _refused(tmp_path, FORM_LOGIN, setup, PROTECTED_AND_USERS)
    assert "setup callable 'tests.apps.guarded_app:nope' cannot be found" in message


def test_a_registration_the_app_refuses(tmp_path: Path) -> None:
    no_init = DATABASE_AND_REGISTER.replace('command = "init-db"', "")
    message = _refused(tmp_path, FORM_LOGIN, no_init, PROTECTED_AND_USERS)
    assert message.startswith("Registering 'alice' with POST /register answered 500")
    assert "check [setup] register" in message


def test_config_is_set_after_building_an_app_without_test_config(tmp_path: Path) -> None:
    target = _target(
        tmp_path,
        FORM_LOGIN.replace("csrf = {", "# csrf = {"),
        '[config]\nUPLOAD_FOLDER = "{tmp}"',
        PROTECTED_AND_USERS,
        app="tests.apps.journey_app:create_app",
    )
    assert target.app(None).config["UPLOAD_FOLDER"].startswith(tempfile.gettempdir())


#: README's example, as it stands in an app's pyproject.toml beside other tables.
PYPROJECT = '[project]\nname = "guarded"\n\n' + EXAMPLE


def test_a_path_the_apps_routing_redirects_to_its_trailing_slash(tmp_path: Path) -> None:
    """The login's route is ``/login/``: the refusal names the path to write."""
    app = 'tests.apps.deployed_app:create_app("slash_routes")'
    login = '[login]\npath = "/login"\nform = { username = "{username}", password = "{password}" }\n'
    message = _refused(tmp_path, login, PROTECTED_AND_USERS, app=app)
    assert message == (
        "The profile's [login] path /login is not the app's URL: its route is /login/, and "
        "Flask's routing answers POST /login with a redirect there. Set [login] path = "
        f'"/login/" in {tmp_path / "profile.toml"}.'
    )
    fixed = _target(tmp_path, login.replace('"/login"', '"/login/"'), PROTECTED_AND_USERS, app=app)
    assert fixed.app(None).url_map is not None


def test_the_profile_is_read_from_pyproject_when_none_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    target = make_target("tests.apps.journey_app:create_app", None)
    assert target.profile is not None
    assert target.profile.source.endswith("pyproject.toml [tool.flask-conformance]")


def test_a_pyproject_without_the_table_gives_no_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    assert make_target("tests.apps.journey_app:create_app", None).profile is None


def test_the_command_line_says_it_in_one_line_and_exits_4(tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    login = FORM_LOGIN.replace('path = "/login"', 'path = "/signin"')
    profile.write_text(login + DATABASE_AND_REGISTER + PROTECTED_AND_USERS, encoding="utf-8")
    script = Path(sys.executable).parent / "flask-conformance"
    result = run_command([script, "check", GUARDED, "--profile", profile])
    assert result.returncode == 4
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    expected = (
        f"ERROR: The profile's login POST /signin answered 404 (no such page): "
        f"fix [login] path or method in {profile}."
    )
    assert lines == [expected]
