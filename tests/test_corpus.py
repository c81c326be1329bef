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
    WRAPPERS,
    MODES,
    CorpusApp,
    corpus_apps,
    install,
    read_report,
    unmet_requirement,
    write_profile,
)
from .running import REPO_ROOT, clean_env, run_command

BIN = Path(sys.executable).parent
APPS = corpus_apps()
#: ``FLASK_CONFORMANCE_CORPUS_WORKERS=2`` runs every check with ``-n 2`` instead.
WORKERS = os.environ.get("FLASK_CONFORMANCE_CORPUS_WORKERS", "")


def _cases() -> list[pytest.ParameterSet]:
    cases = []
    for app in APPS:
        for mode in MODES:
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


@pytest.mark.parametrize(("app", "mode"), _cases())
def test_the_kit_fails_exactly_the_apps_real_defects(app: CorpusApp, mode: str, work: Path) -> None:
    site = install(app, work)
    if isinstance(site, str):
        pytest.skip(site)
    unmet = unmet_requirement(app, site)
    if unmet:
        pytest.skip(f"{app.name} cannot run on this Flask line: {unmet}")
    run_dir = work / f"{app.name}-{mode}"
    run_dir.mkdir()
    report = run_dir / "report.json"
    command = [BIN / "flask-conformance", "check", app.import_string, "--report", report]
    if mode == "with":
        command += ["--profile", write_profile(app.profile, run_dir / "profile.toml")]
    command += ["--", "-p", "no:randomly", "-q"]
    if WORKERS:
        command += ["-n", WORKERS]
    env = clean_env(PYTHONPATH=os.pathsep.join([str(site), str(WRAPPERS)]))
    result = run_command(command, cwd=run_dir, env=env, timeout=300)
    verdicts = read_report(report, result.returncode, result.stdout + result.stderr)

    problems = []
    if result.returncode not in (0, 1):
        lines = verdicts.output.splitlines()
        said = [line for line in lines if line.startswith(("flask-conformance:", "ERROR"))]
        problems.append(
            f"the kit did not check the app (exit {result.returncode}): "
            f"{said or verdicts.output[-2000:]}"
        )
    expected = app.expected_in(mode)
    for key, behaviour in sorted(verdicts.failed.items()):
        if key not in expected:
            problems.append(f"false alarm: {key}: {behaviour}")
    for key, evidence in sorted(expected.items()):
        if key not in verdicts.failed:
            problems.append(f"real defect no longer reported: {key} ({evidence})")
    assert not problems, "\n".join(problems)
