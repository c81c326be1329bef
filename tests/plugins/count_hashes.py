"""Count how often a run of the specs pays the app's password hash.

Loaded with ``-p tests.plugins.count_hashes`` (after ``--`` on
``flask-conformance check``). It wraps Werkzeug's ``generate_password_hash``
(a registration) and ``check_password_hash`` (a login) before the app is
imported, so an app that imports them by name (Flask's tutorial does) calls
the wrappers; and it counts the requests the kit sends with a profile user's
password in the form or JSON body, by method and path, for apps that check
passwords some other way. Restored logins are not requests and not counted.

At the end of the run it appends one line per process to the file
``COUNT_HASHES_FILE``: ``generate N check M sent POST /login=K ...``. A
profile run's time is mostly the app's deliberately slow hash, so this is
the figure to watch (``bench/check.py`` prints it). With
``COUNT_LOGINS_JSON`` it also writes, as JSON, the requests carrying a
password that each test sent (``"METHOD path username"`` -> count, by test
name; ``""`` for those sent before any test, such as the check that the
profile fits), which tests/test_login_counts.py reads.
"""

from __future__ import annotations

import functools
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import werkzeug.security

from flask_conformance.drive.browser import Browser

from ..apps import USERS

calls: Counter[str] = Counter()
sent: Counter[str] = Counter()
#: Test name ("" before any test) -> "METHOD path username" -> requests sent.
by_test: dict[str, Counter[str]] = {}
#: The name of the test running now ("" between tests).
current = [""]
#: The passwords of the kit's test profiles and of examples/flaskr.toml.
PASSWORDS = set(USERS.values()) | {"correct horse battery staple"}


def _counting(name: str) -> Callable[..., Any]:
    original = getattr(werkzeug.security, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return original(*args, **kwargs)

    return wrapper


for _name in ("generate_password_hash", "check_password_hash"):
    setattr(werkzeug.security, _name, _counting(_name))

_request = Browser.request


@functools.wraps(_request)
def _counting_request(self: Browser, method: str, path: str, **kwargs: Any) -> Any:
    body = kwargs.get("form") or kwargs.get("json_body")
    if isinstance(body, dict) and PASSWORDS & {str(value) for value in body.values()}:
        sent[f"{method} {path}"] += 1
        test = current[0]
        who = body.get("username", body.get("email", "?"))
        by_test.setdefault(test, Counter())[f"{method} {path} {who}"] += 1
    return _request(self, method, path, **kwargs)


Browser.request = _counting_request  # type: ignore[method-assign]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    current[0] = item.name
    yield
    current[0] = ""


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get("COUNT_HASHES_FILE")
    if path:
        requests = " ".join(f"{key}={count}" for key, count in sorted(sent.items()))
        with open(path, "a", encoding="utf-8") as file:
            file.write(
                f"generate {calls['generate_password_hash']} "
                f"check {calls['check_password_hash']} sent {requests or 'none'}\n"
            )
    logins = os.environ.get("COUNT_LOGINS_JSON")
    if logins:
        with open(logins, "w", encoding="utf-8") as file:
            json.dump(by_test, file, indent=1, sort_keys=True)
