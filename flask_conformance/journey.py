"""Journey profiles: how an app logs a user in and out.

A profile is a short TOML table, either ``[tool.flask-conformance]`` in the
app's ``pyproject.toml`` or a file of its own::

    [tool.flask-conformance.login]
    method = "POST"
    path = "/login"
    form = { username = "{username}", password = "{password}" }

    [tool.flask-conformance.logout]
    method = "POST"
    path = "/logout"

    [tool.flask-conformance.protected]
    path = "/dashboard"
    logged_in = { status = 200, contains = "Welcome, {username}" }
    logged_out = { status = 302 }

    [[tool.flask-conformance.users]]
    username = "alice"
    password = "wonderland"

``{username}`` and ``{password}`` in any string are replaced with the user's
own. A file may also leave out the ``tool.flask-conformance`` prefix.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ProfileError(Exception):
    """The profile cannot be used; the message names the problem and the fix."""


@dataclass(frozen=True)
class User:
    username: str
    password: str

    def fill(self, value: Any) -> Any:
        """Replace ``{username}``/``{password}`` placeholders in ``value``."""
        if isinstance(value, str):
            return value.replace("{username}", self.username).replace("{password}", self.password)
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        return value


@dataclass(frozen=True)
class RequestSpec:
    method: str
    path: str
    form: dict[str, str] | None = None
    json: dict[str, Any] | None = None


@dataclass(frozen=True)
class PageExpectation:
    status: int
    contains: str | None = None


@dataclass(frozen=True)
class JourneyProfile:
    source: str
    login: RequestSpec
    logout: RequestSpec
    protected_path: str
    logged_in: PageExpectation
    logged_out: PageExpectation
    users: list[User] = field(default_factory=list)

    def user(self, persona: str) -> User:
        """The profile user playing ``persona`` ("Alice" is the first, "Bob" the second).

        A user whose username matches the persona's name wins over position.
        """
        for user in self.users:
            if user.username.lower() == persona.lower():
                return user
        index = {"alice": 0, "bob": 1}.get(persona.lower())
        if index is None or index >= len(self.users):
            raise ProfileError(
                f"The profile {self.source} has no user to play {persona}: "
                f"add a [[users]] entry (it has {len(self.users)})."
            )
        return self.users[index]


_TOP_KEYS = {"login", "logout", "protected", "users"}
_REQUEST_KEYS = {"method", "path", "form", "json"}
_PAGE_KEYS = {"status", "contains"}


def load_profile(path: Path) -> JourneyProfile:
    """Read and check a profile file; raise :class:`ProfileError` on any problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"The profile {path} does not exist: check the path.") from None
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(
            f"The profile {path} is not valid TOML ({error}): fix the syntax."
        ) from None
    table = data.get("tool", {}).get("flask-conformance", data)
    return parse_profile(table, source=str(path))


def parse_profile(table: dict[str, Any], source: str) -> JourneyProfile:
    _check_keys(table, _TOP_KEYS, source, "the profile")
    for required in ("login", "logout", "protected", "users"):
        if required not in table:
            raise ProfileError(f"The profile {source} has no [{required}] section: add one.")
    protected = _table(table["protected"], source, "protected")
    _check_keys(protected, {"path", "logged_in", "logged_out"}, source, "[protected]")
    users = table["users"]
    if not isinstance(users, list) or not users:
        raise ProfileError(
            f"The profile {source} needs at least one [[users]] entry with username and password."
        )
    return JourneyProfile(
        source=source,
        login=_request(table["login"], source, "login"),
        logout=_request(table["logout"], source, "logout"),
        protected_path=_string(protected, "path", source, "[protected]"),
        logged_in=_page(protected.get("logged_in"), source, "protected.logged_in"),
        logged_out=_page(protected.get("logged_out"), source, "protected.logged_out"),
        users=[_user(entry, source) for entry in users],
    )


def _table(value: Any, source: str, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProfileError(
            f"In the profile {source}, [{name}] must be a table, not {type(value).__name__}."
        )
    return value


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


def _request(value: Any, source: str, name: str) -> RequestSpec:
    table = _table(value, source, name)
    _check_keys(table, _REQUEST_KEYS, source, f"[{name}]")
    path = _string(table, "path", source, f"[{name}]")
    if not path.startswith("/"):
        raise ProfileError(
            f"In the profile {source}, [{name}] path must start with '/', got {path!r}."
        )
    return RequestSpec(
        method=str(table.get("method", "POST")).upper(),
        path=path,
        form=table.get("form"),
        json=table.get("json"),
    )


def _page(value: Any, source: str, name: str) -> PageExpectation:
    table = _table(value, source, name)
    _check_keys(table, _PAGE_KEYS, source, name)
    status = table.get("status")
    if not isinstance(status, int):
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
