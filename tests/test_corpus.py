"""The real-world corpus: the kit is right about Flask apps people actually run (issue 10).

Each app of ``tests/corpus/`` (real apps from PyPI at pinned versions, and the smallest
wrapper a user writes around an extension that ships the login) is checked without and with
its journey profile, as a user would: ``flask-conformance check IMPORT [--profile P]`` from a
folder outside the repository, with the app's packages on PYTHONPATH. The test fails on any
failed behaviour the data file does not list as the app's real defect (a false alarm), on any
listed one that no longer fails (a false pass), and when the kit refuses to check the app.

Where today's kit still gives false alarms on an app, the data file lists them under
``[false_alarms]`` and the test is a strict xfail: it turns red the day they are fixed, so
that whoever fixes them moves the app to a plain pass.

The installs are cached (see ``tests/corpus/harness.py``); the test is skipped, saying why,
when PyPI cannot be reached and nothing is cached, or when the app's own requirements rule out
this Flask line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from .corpus.harness import (
    CORPUS,
    IMPORT_PATHS,
    MOST_LINES,
    WRAPPERS,
    CorpusApp,
    Verdicts,
    code_lines,
    corpus_apps,
    install,
    profile_lines,
    read_report,
    unmet_requirement,
    write_profile,
)
from .running import REPO_ROOT, clean_env, run_command

BIN = Path(sys.executable).parent
APPS = corpus_apps()
#: ``FLASK_CONFORMANCE_CORPUS_WORKERS=2`` also runs every check with ``-n 2`` (CI does on
#: one Flask line), which must give the serial run's verdicts.
WORKERS = os.environ.get("FLASK_CONFORMANCE_CORPUS_WORKERS", "")
#: The words of a scenario a login rate limit stopped (see flask_conformance.journeys.login_limits).
REFUSED = "refuses repeated logins"


def _cases() -> list[pytest.ParameterSet]:
    cases = []
    for app in APPS:
        for mode in app.modes:
            marks = []
            if app.false_alarms.get(mode):
                alarms = "; ".join(app.false_alarms[mode])
                reason = f"today's kit gives false alarms on {app.name} ({mode} profile): {alarms}"
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            cases.append(pytest.param(app, mode, id=f"{app.name}-{mode}-profile", marks=marks))
    return cases


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    assert not folder.is_relative_to(REPO_ROOT)
    return folder


@pytest.mark.parametrize("path", sorted(WRAPPERS.glob("*.py")), ids=lambda path: path.stem)
def test_a_wrapper_is_what_a_user_writes_in_at_most_15_lines(path: Path) -> None:
    """Issue 10: the smallest wrapper a user would write where the app needs one."""
    lines = code_lines(path.read_text(encoding="utf-8"))
    assert 0 < lines <= MOST_LINES, f"{path.name} has {lines} lines of code"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.toml")), ids=lambda path: path.stem)
def test_a_profile_is_at_most_15_lines_plus_users(path: Path) -> None:
    lines = profile_lines(path.read_text(encoding="utf-8"))
    assert 0 < lines <= MOST_LINES, f"{path.name}'s [profile] has {lines} lines besides users"


def test_the_line_counts_leave_out_what_is_not_code() -> None:
    """The counts can fail: code lines count, docstrings, comments and users do not."""
    source = '"""A docstring\nof two lines."""\n# a comment\n\nimport os\nX = (\n    1,\n)\n'
    assert code_lines(source) == 4
    profile = (
        "covers = []\n[profile]\n# how\nlogin = { path = '/login' }\n\n"
        "users = [\n  { username = 'a' },\n]\nlogout = { path = '/logout' }\n"
        "[[profile.users]]\nusername = 'b'\n[check]\nimport = 'x'\n"
    )
    assert profile_lines(profile) == 2


@pytest.mark.parametrize(("app", "mode"), _cases())
def test_the_kit_fails_exactly_the_apps_real_defects(app: CorpusApp, mode: str, work: Path) -> None:
    site = install(app, work)
    if isinstance(site, str):
        pytest.skip(site)
    unmet = unmet_requirement(app, site)
    if unmet:
        pytest.skip(f"{app.name} cannot run on this Flask line: {unmet}")
    profile = None
    if mode == "with":
        profile = write_profile(app.profile, work / f"{app.name}-profile.toml")
    verdicts = _check(app, profile, site, work, workers="")
    problems = _problems(app, mode, verdicts)
    problems += _missing_reasons(app, mode, verdicts)
    if WORKERS and not problems:
        # The same check with -n: each worker loads the app and checks the profile
        # itself, and the controller must end with exactly the serial run's verdicts.
        spread = _check(app, profile, site, work, workers=WORKERS)
        problems = [f"with -n {WORKERS}: {problem}" for problem in _problems(app, mode, spread)]
        problems += _differences(verdicts, spread)
    assert not problems, "\n".join(problems)


def _check(
    app: CorpusApp, profile: Path | None, site: Path, work: Path, workers: str
) -> Verdicts:
    """``flask-conformance check`` of ``app`` as a user runs it, serially or with ``-n``."""
    mode = "without" if profile is None else "with"
    run_dir = work / (f"{app.name}-{mode}" + (f"-n{workers}" if workers else ""))
    run_dir.mkdir()
    report = run_dir / "report.json"
    command = [BIN / "flask-conformance", "check", app.import_string, "--report", report]
    if profile is not None:
        command += ["--profile", profile]
    if app.load_timeout is not None:
        command += ["--load-timeout", str(app.load_timeout)]
    command += ["--", "-p", "no:randomly", "-q"]
    if workers:
        command += ["-n", workers]
    env = clean_env(PYTHONPATH=os.pathsep.join(map(str, [site, *IMPORT_PATHS])))
    result = run_command(command, cwd=run_dir, env=env, timeout=300)
    return read_report(report, result.returncode, result.stdout + result.stderr)


def _problems(app: CorpusApp, mode: str, verdicts: Verdicts) -> list[str]:
    """Each way ``verdicts`` is not what the data file says of the app."""
    problems = []
    if verdicts.status not in (0, 1):
        lines = verdicts.output.splitlines()
        said = [line for line in lines if line.startswith(("flask-conformance:", "ERROR"))]
        problems.append(
            f"the kit did not check the app (exit {verdicts.status}): "
            f"{said or verdicts.output[-2000:]}"
        )
    expected = app.expected_in(mode)
    for key, behaviour in sorted(verdicts.failed.items()):
        if key not in expected:
            problems.append(f"false alarm: {key}: {behaviour}")
    for key, evidence in sorted(expected.items()):
        if key not in verdicts.failed:
            problems.append(f"real defect no longer reported: {key} ({evidence})")
    return problems


def _missing_reasons(app: CorpusApp, mode: str, verdicts: Verdicts) -> list[str]:
    """The data file's ``[[not_applicable]]`` reasons no scenario of a serial run gave.

    Serial only: under ``-n`` each worker is a process of its own that logs in
    fewer times, so a per-process login limit may never be reached.
    """
    return [
        f"no scenario was not applicable because {because!r}"
        for because, modes in app.not_applicable
        if mode in modes and not any(because in why for why in verdicts.not_applicable.values())
    ]


def _differences(serial: Verdicts, spread: Verdicts) -> list[str]:
    """Scenarios whose verdict under ``-n`` is not the serial run's.

    One difference is the app's, not the kit's: which of the kit's logins a
    login rate limit refuses depends on how many logins the process that runs
    the scenario has made, and each worker is a process of its own.
    """
    differences = []
    for key in sorted(serial.verdicts.keys() | spread.verdicts.keys()):
        one, other = serial.verdicts.get(key), spread.verdicts.get(key)
        if one == other or any(
            verdict is not None and verdict[0] == "not applicable" and REFUSED in verdict[1]
            for verdict in (one, other)
        ):
            continue
        differences.append(f"{key}: serially {one}, with -n {WORKERS} {other}")
    return differences
