"""The kit's step lookup finds what pytest-bdd's own lookup finds."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from flask_conformance.plugin import step_lookup

from .running import clean_env, run_command


def test_every_step_of_every_feature_finds_the_same_definitions(tmp_path: Path) -> None:
    out = tmp_path / "lookups.json"
    run = run_command(
        [
            sys.executable, "-m", "pytest", "steps", "-q", "-p", "no:randomly",
            "-p", "tests.plugins.compare_step_lookup",
        ],
        env=clean_env(COMPARE_STEP_LOOKUP_OUT=str(out)),
        timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["differences"] == []
    assert result["compared"] > 1000  # every step of every scenario, twice


def test_the_lookup_is_left_alone_when_pytest_bdd_has_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without_lookup = SimpleNamespace()
    monkeypatch.setitem(sys.modules, "pytest_bdd.scenario", without_lookup)
    assert step_lookup.install() is False
    assert vars(without_lookup) == {}
