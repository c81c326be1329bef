"""What the "safer verdicts" tests share: running the specs on a test app once
per session, and reading what failed (tests/test_safer_verdicts.py and
tests/test_safer_session_verdicts.py)."""

from __future__ import annotations

from pathlib import Path

from flask_conformance import layout

from .runcache import JUNIT, RunCache
from .running import SpecRun, junit_args

APPS = Path(__file__).resolve().parent / "apps"
LOGIN_PROFILE = str(APPS / "login_app.toml")
JOURNEY_PROFILE = str(APPS / "journey_app.toml")


def run_specs(
    run_cache: RunCache, markers: str, app: str, profile: str | None = None, *extra: str
) -> SpecRun:
    """Run the specs selected by ``markers`` against ``app``, once per session."""
    args = [str(layout.STEPS_DIR), "-m", markers, "-p", "no:randomly", "-p", "no:cacheprovider"]
    args += ["-q", "-rs", *junit_args(JUNIT), "--flask-app", f"tests.apps.{app}", *extra]
    if profile is not None:
        args += ["--conformance-profile", profile]
    return run_cache.spec_run(args, report_required=False)


def no_failures(run: SpecRun) -> None:
    problems = run.named("failed") + run.named("error")
    assert run.named("passed") and not problems, run.summary() + "\n" + run.output[-3000:]


def failures_saying(run: SpecRun, words: str) -> list[str]:
    return [outcome.name for outcome in run.named("failed") if words in outcome.text]
