"""The kit's clock as step code sees it.

freezegun decides per call whether to give real time: it walks the five frames
above the caller of ``time.time()`` and returns real time if any belongs to a
module on the ignore list. pytest-bdd calls a step function two frames below its
own ``pytest_bdd.scenario`` module, so were the whole ``pytest_bdd`` package on
the ignore list, ``time.time()`` called in a step body, or up to two helpers
deep, would return *real* time while ``datetime.now()`` stayed frozen. The standard
library's cookie jar reads ``time.time()``, so a step that calls
``browser.cookie(...)`` or ``browser.request(...)`` directly would keep and send
cookies that expired on the kit's clock.

This test runs a one-step feature in a subprocess, exactly as the specs run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .running import run_command

FEATURE = """\
Feature: The clock in a step
  Scenario: time.time in a step body reads the frozen clock
    Then time.time in the step body reads the frozen clock
"""

STEPS = """\
import time

import pytest
from pytest_bdd import scenarios, then

from flask_conformance.drive.clock import SCENARIO_START, Clock

scenarios("clock.feature")


@pytest.fixture
def frozen() -> Clock:
    with Clock() as clock:
        yield clock


def one_helper_deep() -> float:
    return time.time()


@then("time.time in the step body reads the frozen clock")
def reads_frozen(frozen: Clock) -> None:
    assert time.time() == SCENARIO_START.timestamp()
    assert one_helper_deep() == SCENARIO_START.timestamp()
"""


def test_time_time_in_a_step_body_is_frozen(tmp_path: Path) -> None:
    (tmp_path / "clock.feature").write_text(FEATURE, encoding="utf-8")
    (tmp_path / "test_clock_steps.py").write_text(STEPS, encoding="utf-8")
    result = run_command(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-2000:]
