"""Reading a journey profile: from a TOML file or ``pyproject.toml``, every field checked.

The format is described in :mod:`flask_conformance.journeys.profile`, which
holds what a profile becomes. Here each section is read and checked, and any
problem raises :class:`~flask_conformance.journeys.profile.ProfileError` in
one line that names the file, the place and the fix.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from pathlib import Path
from typing import Any

from .profile import (
    CsrfSpec,
    Expiry,
    JourneyProfile,
    PageExpectation,
    ProfileError,
    RequestSpec,
    Setup,
    User,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_TOP_KEYS = {
    "login",
    "logout",
    "protected",
    "users",
    "config",
    "environment",
    "setup",
    "expiry",
    "backends",
}
#: The session stores a profile may name under ``[backends]``.
_BACKEND_NAMES = ("cookie", "redis")
_REQUEST_KEYS = {"method", "path", "form", "json", "headers", "csrf"}
_LOGIN_KEYS = _REQUEST_KEYS | {"remember"}
_CSRF_KEYS = {"from_page", "field", "from_cookie", "header"}
_PAGE_KEYS = {"status", "contains"}
_SETUP_KEYS = {"command", "callable", "register"}
_EXPIRY_KEYS = {"idle", "absolute"}
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def load_profile(path: Path) -> JourneyProfile:
    """Read and check a profile file; raise :class:`ProfileError` on any problem."""
    data = _read_toml(path)
    table = data.get("tool", {}).get("flask-conformance", data)
    return parse_profile(table, source=str(path))


def profile_in_pyproject(folder: Path) -> JourneyProfile | None:
    """The ``[tool.flask-conformance]`` profile of ``folder/pyproject.toml``, if it has one."""
    path = folder / "pyproject.toml"
    if not path.is_file():
        return None
    table = _read_toml(path).get("tool", {}).get("flask-conformance")
    if table is None:
        return None
    return parse_profile(table, source=f"{path} [tool.flask-conformance]")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"The profile {path} does not exist: check the path.") from None
    except IsADirectoryError:
        raise ProfileError(
            f"The profile {path} is a folder: name the TOML file, for example {path}/profile.toml."
        ) from None
    except UnicodeDecodeError as error:
        raise ProfileError(
            f"The profile {path} is not UTF-8 text (byte {error.start}: {error.reason}): "
            "save it as UTF-8 TOML."
        ) from None
    except OSError as error:
        raise ProfileError(
            f"The profile {path} cannot be read ({error.strerror or error}): check the path "
            "and its permissions."
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(
            f"The profile {path} is not valid TOML ({error}): fix the syntax."
        ) from None


def parse_profile(table: dict[str, Any], source: str) -> JourneyProfile:
    _check_keys(table, _TOP_KEYS, source, "the profile")
    for required in ("login", "logout", "protected", "users"):
        if required not in table:
            raise ProfileError(f"The profile {source} has no [{required}] section: add one.")
    protected = _table(table["protected"], source, "protected")
    _check_keys(protected, {"path", "logged_in", "logged_out"}, source, "[protected]")
    for page in ("logged_in", "logged_out"):
        if page not in protected:
            raise ProfileError(
                f"In the profile {source}, [protected] needs '{page}', "
                "like { status = 200 }: what the page answers a user who is "
                + ("logged in." if page == "logged_in" else "not.")
            )
    users = table["users"]
    if not isinstance(users, list) or not users:
        raise ProfileError(
            f"The profile {source} needs at least one [[users]] entry with username and password."
        )
    return JourneyProfile(
        source=source,
        login=_request(table["login"], source, "login", _LOGIN_KEYS),
        logout=_request(table["logout"], source, "logout"),
        protected_path=_path(protected, source, "[protected]"),
        logged_in=_page(protected["logged_in"], source, "protected.logged_in"),
        logged_out=_page(protected["logged_out"], source, "protected.logged_out"),
        users=[_user(entry, source) for entry in users],
        config=_config(table.get("config", {}), source),
        environment=_environment(table.get("environment", {}), source),
        setup=_setup(table.get("setup", {}), source),
        expiry=_expiry(table.get("expiry", {}), source),
        backends=_backends(table.get("backends", {}), source),
    )


def _table(value: Any, source: str, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProfileError(
            f"In the profile {source}, [{name}] must be a table, not {_kind(value)}."
        )
    return value


def _kind(value: Any) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), "a list" if isinstance(value, list) else type(value).__name__
    )


def _check_keys(table: dict[str, Any], allowed: set[str], source: str, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ProfileError(
            f"In the profile {source}, {where} has unknown key(s) {', '.join(unknown)}: "
            f"the allowed keys are {', '.join(sorted(allowed))}."
        )


def _string(table: dict[str, Any], key: str, source: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise ProfileError(f"In the profile {source}, {where} needs '{key}' as a non-empty string.")
    return value


def _path(table: dict[str, Any], source: str, where: str, key: str = "path") -> str:
    path = _string(table, key, source, where)
    if not path.startswith("/"):
        raise ProfileError(
            f"In the profile {source}, {where} {key} must start with '/', got {path!r}."
        )
    return path


def _string_table(value: Any, source: str, where: str) -> dict[str, str]:
    table = _table(value, source, where)
    for key, item in table.items():
        if not isinstance(item, str):
            raise ProfileError(
                f"In the profile {source}, {where}.{key} must be a string, not {_kind(item)}: "
                'write it in quotes, like "1".'
            )
    return table


def _request(value: Any, source: str, name: str, allowed: set[str] = _REQUEST_KEYS) -> RequestSpec:
    table = _table(value, source, name)
    _check_keys(table, allowed, source, f"[{name}]")
    method = table.get("method", "POST")
    if not isinstance(method, str) or method.upper() not in _METHODS:
        raise ProfileError(
            f"In the profile {source}, [{name}] method must be one of "
            f"{', '.join(sorted(_METHODS))}, got {method!r}."
        )
    if "form" in table and "json" in table:
        raise ProfileError(
            f"In the profile {source}, [{name}] has both 'form' and 'json': keep the one "
            "the app reads."
        )
    json_body = table.get("json")
    if json_body is not None and not isinstance(json_body, dict):
        raise ProfileError(
            f"In the profile {source}, [{name}] json must be a table, like {{ a = 1 }}."
        )
    remember = table.get("remember")
    if remember is not None and not isinstance(remember, dict):
        raise ProfileError(
            f"In the profile {source}, [{name}] remember must be a table of the extra fields "
            'that ask to be remembered, like { remember = "y" }.'
        )
    return RequestSpec(
        method=method.upper(),
        path=_path(table, source, f"[{name}]"),
        form=_string_table(table["form"], source, f"{name}.form") if "form" in table else None,
        json=json_body,
        headers=_string_table(table.get("headers", {}), source, f"{name}.headers"),
        csrf=_csrf(table["csrf"], source, f"{name}.csrf") if "csrf" in table else None,
        remember=remember,
    )


def _csrf(value: Any, source: str, where: str) -> CsrfSpec:
    table = _table(value, source, where)
    _check_keys(table, _CSRF_KEYS, source, where)
    for key, item in table.items():
        if not isinstance(item, str) or not item:
            raise ProfileError(
                f"In the profile {source}, {where}.{key} must be a non-empty string."
            )
    spec = CsrfSpec(**table)
    if spec.from_page is not None:
        _path(table, source, where, key="from_page")
    if spec.from_cookie is not None and spec.header is None:
        raise ProfileError(
            f"In the profile {source}, {where} takes the token from a cookie but has no "
            "'header' to send it in: add one, like header = \"X-CSRFToken\"."
        )
    if spec.from_cookie is None and not (spec.from_page and spec.field):
        raise ProfileError(
            f"In the profile {source}, {where} needs from_page and field (a token in a form), "
            "or from_cookie and header (a token in a cookie)."
        )
    return spec


def _page(value: Any, source: str, name: str) -> PageExpectation:
    table = _table(value, source, name)
    _check_keys(table, _PAGE_KEYS, source, name)
    status = table.get("status")
    if not isinstance(status, int) or isinstance(status, bool):
        raise ProfileError(
            f"In the profile {source}, {name} needs 'status' as a whole number, like 200."
        )
    contains = table.get("contains")
    if contains is not None and not isinstance(contains, str):
        raise ProfileError(f"In the profile {source}, {name}.contains must be a string.")
    return PageExpectation(status=status, contains=contains)


def _user(value: Any, source: str) -> User:
    table = _table(value, source, "users")
    _check_keys(table, {"username", "password"}, source, "[[users]]")
    return User(
        username=_string(table, "username", source, "[[users]]"),
        password=_string(table, "password", source, "[[users]]"),
    )


def _config(value: Any, source: str) -> dict[str, Any]:
    table = _table(value, source, "config")
    lower = sorted(key for key in table if not key.isupper())
    if lower:
        raise ProfileError(
            f"In the profile {source}, [config] key(s) {', '.join(lower)} are not Flask config "
            "names: Flask only reads upper-case keys, like SECRET_KEY."
        )
    return dict(table)


def _environment(value: Any, source: str) -> dict[str, str]:
    table = _table(value, source, "environment")
    for key, item in table.items():
        if not key or "=" in key or "\0" in key:
            raise ProfileError(
                f"In the profile {source}, [environment] key {key!r} is not a variable name."
            )
        if not isinstance(item, str):
            raise ProfileError(
                f"In the profile {source}, [environment] {key} must be a string, not "
                f'{_kind(item)}: environment variables are text, write it in quotes, like "1".'
            )
    return dict(table)


def _backends(value: Any, source: str) -> dict[str, dict[str, Any]]:
    table = _table(value, source, "backends")
    _check_keys(table, set(_BACKEND_NAMES), source, "[backends]")
    return {name: _config(config, source) for name, config in table.items()}


def _setup(value: Any, source: str) -> Setup:
    table = _table(value, source, "setup")
    _check_keys(table, _SETUP_KEYS, source, "[setup]")
    command = table.get("command")
    if isinstance(command, str):
        command = command.split()
    if command is not None and (
        not isinstance(command, list)
        or not command
        or not all(isinstance(word, str) for word in command)
    ):
        raise ProfileError(
            f'In the profile {source}, [setup] command must be a flask command, like "init-db" '
            'or ["init-db", "--demo"].'
        )
    hook = table.get("callable")
    if hook is not None and (not isinstance(hook, str) or not re.fullmatch(r"[\w.]+:\w+", hook)):
        raise ProfileError(
            f"In the profile {source}, [setup] callable must be 'module:function', "
            f'like "myapp.testing:seed", got {hook!r}.'
        )
    register = table.get("register")
    return Setup(
        command=command,
        callable=hook,
        register=None if register is None else _request(register, source, "setup.register"),
    )


_DURATION = re.compile(r"^\s*(\d+)\s*(second|minute|hour|day)s?\s*$")


def _expiry(value: Any, source: str) -> Expiry:
    table = _table(value, source, "expiry")
    _check_keys(table, _EXPIRY_KEYS, source, "[expiry]")
    found: dict[str, _dt.timedelta] = {}
    for key, item in table.items():
        match = _DURATION.match(item) if isinstance(item, str) else None
        if match is None:
            raise ProfileError(
                f"In the profile {source}, [expiry] {key} must be a duration like "
                f'"30 minutes" or "12 hours", got {item!r}.'
            )
        found[key] = _dt.timedelta(**{match[2] + "s": int(match[1])})
    return Expiry(**found)
