"""Every failure in the --report files carries its evidence, and evidence keeps secrets out.

A known-bad app's failures, and a teardown that fails after every step
passed, must show the HTTP exchanges at the kit's clock time; an exchange
becomes evidence with its cookies and decoded session, secret-looking
values redacted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path
from typing import Any

from flask_conformance.drive.browser import Exchange
from flask_conformance.report import evidence

from .report_runs import RUN_TIMEOUT, elements, report_args, verdict
from .running import run_command


def failure_text(element: dict[str, Any]) -> str:
    """The error message of the element's failed step or hook."""
    results = [step["result"] for step in element["steps"]]
    results += [hook["result"] for hook in element.get("after", [])]
    return next(r["error_message"] for r in results if r["status"] == "failed")


def run_with_reports(
    folder: Path, *extra: str, app: str | None = None, xdist: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the packaged specs writing all four reports (and pytest's own JUnit) into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    return run_command(report_args(folder, *extra, app=app, xdist=xdist), timeout=RUN_TIMEOUT)


def test_every_failure_carries_its_evidence(runs: dict[str, Path]) -> None:
    folder = runs["bad-xdist"]
    failed = [e for e in elements(folder) if verdict(e) == "failed"]
    assert len(failed) >= 4
    times = set()
    for element in failed:
        step = next(s for s in element["steps"] if s["result"]["status"] == "failed")
        message = step["result"]["error_message"]
        assert message.startswith("Broken behaviour: ")
        assert "the server checks a session's age itself" in message or "P-06" in message
        assert "expected:" in message.lower() and "actual:" in message.lower()
        assert "2030-01-01 12:00:00" in message  # the kit's clock, not the wall
        assert "Set-Cookie session=" in message and "HttpOnly" in message
        times.update(re.findall(r"2030-01-01 \d\d:\d\d:\d\d", message))
    assert len(times) > 1, "the clock time of each request is shown"


def test_a_failure_after_the_scenario_is_reported_with_its_evidence(tmp_path: Path) -> None:
    """A teardown that raises fails the scenario after its steps all passed (E-08)."""
    result = run_with_reports(
        tmp_path, "-m", "contexts", app="tests.apps.teardown_no_param:create_app", xdist=True
    )
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [e for e in elements(tmp_path) if verdict(e) == "failed"]
    after = [e for e in failed if e["after"][0]["result"]["status"] == "failed"]
    assert after, [failure_text(e) for e in failed]
    for element in after:
        message = element["after"][0]["result"]["error_message"]
        assert message.startswith("After the scenario: ")
        assert "takes 0 positional arguments but 1 was given" in message
        assert "2030-01-01 12:00:00" in message  # with its evidence
        assert all(step["result"]["status"] == "passed" for step in element["steps"])
    # The record travels on the call's report only: pytest's own JUnit stays clean.
    assert "conformance-record" not in (tmp_path / "pytest.xml").read_text()


# -- units ----------------------------------------------------------------------
def test_secret_looking_values_are_redacted() -> None:
    payload = {"user": "alice", "csrf_token": "abc", "nested": {"api_key": 1, "colour": "blue"}}
    assert evidence.redact(payload) == {
        "user": "alice",
        "csrf_token": "[redacted]",
        "nested": {"api_key": "[redacted]", "colour": "blue"},
    }


def test_an_exchange_becomes_evidence_with_its_cookie_and_decoded_session() -> None:
    cookie = "eyJ1c2VyIjoiYWxpY2UiLCJwYXNzd29yZCI6Imh1bnRlcjIifQ.aaaa.bbbb"  # user, password
    exchange = Exchange(
        method="POST",
        path="/login",
        at=dt.datetime(2030, 1, 1, 12, 31, tzinfo=dt.timezone.utc),
        visitor="Alice",
        cookies_sent={},
        status=302,
        headers=[
            ("Location", "/"),
            ("Set-Cookie", f"session={cookie}; Secure; HttpOnly; Path=/; SameSite=Lax"),
            ("X-Other", "not relevant"),
        ],
    )
    record = evidence.exchange_record(exchange)
    assert record["at"] == "2030-01-01 12:31:00"
    assert record["headers"] == {"Location": "/"}
    [set_cookie] = record["set_cookies"]
    assert set_cookie["attributes"] == {
        "secure": True,
        "httponly": True,
        "path": "/",
        "samesite": "Lax",
    }
    assert record["session_payloads"] == {
        "set session": {"user": "alice", "password": "[redacted]"}
    }
    assert "hunter2" not in json.dumps(record)
