"""The session's run cache hands a test only the run it asked for.

Every test that shares a run through ``tests/runcache.py`` trusts that a run
made for another key is never handed to it: a changed option, setting,
working directory or profile is another run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _pytest.junitxml import mangle_test_address

from .plugins.record_markers import junit_address
from .runcache import OUT, RunCache, run_key
from .running import Outcome, SpecRun, marks_match

PRINT = [sys.executable, "-c", "import os, sys; print(sys.argv[1:], os.environ.get('CHOICE'))"]


def test_the_key_changes_with_everything_that_changes_a_run(tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text("[login]\n", encoding="utf-8")
    base = run_key([*PRINT, "a", str(profile)], tmp_path, {})
    assert run_key([*PRINT, "a", str(profile)], tmp_path, {}) == base
    others = {
        "another option": run_key([*PRINT, "b", str(profile)], tmp_path, {}),
        "options in another order": run_key([*PRINT, str(profile), "a"], tmp_path, {}),
        "a setting": run_key([*PRINT, "a", str(profile)], tmp_path, {"CHOICE": "1"}),
        "another cwd": run_key([*PRINT, "a", str(profile)], tmp_path / "sub", {}),
    }
    profile.write_text("[login]\npath = '/in'\n", encoding="utf-8")
    others["the profile's contents"] = run_key([*PRINT, "a", str(profile)], tmp_path, {})
    others["a profile named by --option="] = run_key(
        [*PRINT, "a", f"--conformance-profile={profile}"], tmp_path, {}
    )
    assert base not in others.values(), others
    assert len(set(others.values())) == len(others), others


def test_a_relative_profile_is_read_from_the_runs_working_directory(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "p.toml").write_text("a = 1\n", encoding="utf-8")
    (tmp_path / "two" / "p.toml").write_text("a = 2\n", encoding="utf-8")
    one = run_key([*PRINT, "p.toml"], tmp_path / "one", {})
    two = run_key([*PRINT, "p.toml"], tmp_path / "two", {})
    assert run_key([*PRINT, "p.toml"], tmp_path / "two", {}) == two != one


def test_a_run_is_made_once_and_each_key_gets_its_own(tmp_path: Path) -> None:
    cache = RunCache(tmp_path / "runs")
    count = tmp_path / "count"
    counting = [
        sys.executable,
        "-c",
        (
            "import os, sys; open(os.environ['COUNT'], 'a').write('x');"
            " open(sys.argv[1] + '/made', 'w').write(os.environ['CHOICE']);"
            " print(os.environ['CHOICE'])"
        ),
        OUT,
    ]
    # The counter is a setting, not an argument: a file the command names is
    # part of the key, and this one changes with every run.
    first = cache.run(counting, settings={"CHOICE": "1", "COUNT": str(count)})
    again = cache.run(counting, settings={"CHOICE": "1", "COUNT": str(count)})
    other = cache.run(counting, settings={"CHOICE": "2", "COUNT": str(count)})
    assert count.read_text() == "xx", "the same run was made twice, or another run not at all"
    assert first == again
    assert (first.stdout, other.stdout) == ("1\n", "2\n")
    assert (first.folder / "made").read_text() == "1"
    assert (other.folder / "made").read_text() == "2"


@pytest.mark.parametrize(
    "nodeid",
    [
        "steps/test_features.py::test_a_session_ends[cookie-29 minutes-accepts]",
        "steps/test_features.py::test_plain",
        "tests/test_x.py::TestClass::test_y[a/b::c]",
    ],
)
def test_the_recorded_address_is_pytests_junit_address(nodeid: str) -> None:
    names = mangle_test_address(nodeid)
    assert junit_address(nodeid) == (".".join(names[:-1]), names[-1])


def test_a_selection_is_what_pytest_m_would_select() -> None:
    assert marks_match("P-05 or P-06", frozenset({"P-06", "expiry"}))
    assert not marks_match("P-05 or P-06", frozenset({"P-07"}))
    assert marks_match("hooks and not myth", frozenset({"hooks", "H-01"}))
    assert not marks_match("hooks and not myth", frozenset({"hooks", "myth"}))
    assert marks_match(
        "security and (WSTG-SESS-02 or WSTG-SESS-06)", frozenset({"security", "WSTG-SESS-06"})
    )


def test_a_run_that_did_not_record_markers_cannot_be_read_as_a_selection() -> None:
    recorded = Outcome("test_a", "passed", markers=frozenset({"G-01"}))
    unrecorded = Outcome("test_b", "failed")
    assert SpecRun([recorded], "", 0).selected("G-01").outcomes == [recorded]
    assert SpecRun([recorded], "", 0).selected("G-02").outcomes == []
    with pytest.raises(ValueError, match="test_b"):
        SpecRun([recorded, unrecorded], "", 1).selected("G-01")
