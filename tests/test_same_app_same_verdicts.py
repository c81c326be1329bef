"""The same app gets the same verdicts under any import string.

The kit once compared the import string with the reference app's to decide a
verdict (the logout race), the session backends and a capability line. Now the
backends come from the profile (``[backends]``) and nothing looks at the name:
the reference app re-exported from another module, with the same profile,
gets scenario for scenario the verdicts and warnings it gets as itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flask_conformance import layout
from flask_conformance.journeys.profile import ProfileError
from flask_conformance.journeys.profile_reading import load_profile
from flask_conformance.target.build import TargetError
from flask_conformance.target.load import Target

from .runcache import RunCache, spec_args
from .running import SpecRun

REEXPORT = "tests.apps.reference_reexport:create_app"


def _verdicts(
    run_cache: RunCache, app: str | None, *options: str
) -> tuple[dict[str, str], SpecRun]:
    """Each scenario's verdict and warnings in a run of every spec (the reference app's is shared)."""
    run = run_cache.spec_run(spec_args(None, app, *options))
    verdicts = {
        outcome.name: outcome.result + "".join(f" / warned: {w}" for w in outcome.warnings)
        for outcome in run.outcomes
    }
    return verdicts, run


def test_the_reference_app_under_another_name_gets_the_same_verdicts(run_cache: RunCache) -> None:
    itself, run = _verdicts(run_cache, None)
    renamed, renamed_run = _verdicts(
        run_cache,
        REEXPORT,
        "--conformance-profile",
        str(layout.REFERENCE_PROFILE),
    )
    assert len(itself) > 300, run.output  # the whole suite ran, on both backends
    assert any("[redis]" in name for name in renamed), renamed_run.output
    different = {
        name: (itself.get(name), renamed.get(name))
        for name in set(itself) | set(renamed)
        if itself.get(name) != renamed.get(name)
    }
    assert different == {}, renamed_run.output
    assert run.status == renamed_run.status == 0


def test_the_backends_come_from_the_profile_not_the_name() -> None:
    profile = load_profile(layout.REFERENCE_PROFILE)
    renamed = Target(REEXPORT, profile)
    assert renamed.backends == ["cookie", "redis"]
    store = renamed.capabilities["session store"]
    assert store.startswith("Flask's signed cookie, and Flask-Session")
    # Without the profile's [backends] the same app runs on the store it was built with.
    plain = Target(REEXPORT)
    assert plain.backends == ["cookie"]


def test_a_backend_the_config_does_not_build_is_refused_in_one_line(tmp_path: Path) -> None:
    """The genuinely broken case: a profile whose [backends.redis] builds a cookie app."""
    text = layout.REFERENCE_PROFILE.read_text(encoding="utf-8").replace(
        'SESSION_TYPE = "redis"', 'SESSION_TYPE = "null"'
    )
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    target = Target(REEXPORT, load_profile(path))
    with pytest.raises(TargetError, match=r"\[backends.redis\] built .* on 'cookie' sessions"):
        target.app("redis")


def test_an_unknown_backend_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(
        layout.REFERENCE_PROFILE.read_text(encoding="utf-8") + "\n[backends.memcached]\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match=r"\[backends\] has unknown key\(s\) memcached"):
        load_profile(path)
