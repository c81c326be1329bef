"""The security checks fail (or warn) on apps that break them, pass on apps
that keep them, and never print a secret.

The specs run in a subprocess, as a user runs them, against the apps in
``tests/apps``: for every check one app that breaks it (its failure or
warning words asserted) and one that keeps it. ``--strict`` must turn a
warning into a failure, and every run that ran OWASP-tagged scenarios must
end with the coverage table, with and without xdist. The rules themselves
are unit-tested in ``test_secret_key_checks.py`` and ``test_security_rules.py``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from flask_conformance import layout

from .runcache import JUNIT, RunCache, spec_args
from .running import SpecRun, junit_args, run_command
from .test_secret_key_checks import STRONG_KEY

LOGIN_PROFILE = "tests/apps/login_app.toml"


def run_specs(
    run_cache: RunCache,
    markers: str,
    app: str | None = None,
    *extra: str,
    profile: str | None = None,
) -> SpecRun:
    """Run the specs selected by ``markers`` from the repository root, once per session."""
    args = [str(layout.STEPS_DIR), "-m", markers, "-p", "no:randomly", "-p", "no:cacheprovider"]
    args += ["-q", *junit_args(JUNIT), *extra]
    if app is not None:
        args += ["--flask-app", app]
    if profile is not None:
        args += ["--conformance-profile", profile]
    return run_cache.spec_run(args)


@dataclass(frozen=True)
class Broken:
    """An app that breaks a check, and the words its failures must say between them."""

    app: str
    markers: str
    words: tuple[str, ...]
    min_failed: int = 1
    profile: str | None = None


BROKEN = [
    Broken(
        # flaskr's SECRET_KEY "dev": published, so cracked and forged; the
        # payload alteration is still refused (the signature is checked).
        "tests.apps.flaskr_like:create_app",
        "WSTG-SESS-01",
        ("SECRET_KEY is in the flask-unsign wordlist", "cracking a real session cookie offline"),
        min_failed=2,
    ),
    Broken(
        "tests.apps.flaskr_like:create_app({'SECRET_KEY': 'k3Y!x9Q'})",
        "WSTG-SESS-01 and not cookie-only",
        ("SECRET_KEY is too weak to resist a brute force",),
    ),
    Broken(
        f"tests.apps.flaskr_like:create_app({{'SECRET_KEY': '{STRONG_KEY}', "
        "'SECRET_KEY_FALLBACKS': ['changeme']})",
        "WSTG-SESS-01 and not cookie-only",
        ("SECRET_KEY_FALLBACKS[0] is in the flask-unsign wordlist",),
    ),
    Broken(
        "tests.apps.unchecked_signature:create_app",
        "WSTG-SESS-01 and cookie-only",
        ("the app does not check the cookie's signature",),
        min_failed=2,
    ),
    Broken(
        "tests.apps.loose_cookies:create_app",
        "WSTG-SESS-02",
        ("Broken behaviour: ", "the session cookie"),
        min_failed=4,
    ),
    Broken(
        "tests.apps.tidy_cookies:create_app(careless_remember=True)",
        "WSTG-SESS-02",
        ("the remember cookie has no", "REMEMBER_COOKIE_"),
        min_failed=2,
        profile=LOGIN_PROFILE,
    ),
    Broken(
        "tests.apps.leaky_session:create_app",
        "WSTG-SESS-04",
        (
            "'password' (its name says it holds a secret)",
            "'api_key' (its name says it holds a secret)",
            "'profile.hash' (its value looks like a password hash)",
        ),
        profile=LOGIN_PROFILE,
    ),
    Broken(
        "tests.apps.forgiving_store:create_app",
        "security and redis-only",
        ("Flask-Session fails the request",),
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=lambda case: f"{case.app}: {case.markers}")
def test_a_broken_app_fails_the_check(run_cache: RunCache, case: Broken) -> None:
    run = run_specs(run_cache, case.markers, case.app, profile=case.profile)
    failed = run.named("failed")
    assert not run.named("error"), run.output
    assert len(failed) >= case.min_failed, run.output
    for outcome in failed:
        assert "Broken behaviour: " in outcome.text, outcome.text
    said = "\n".join(outcome.text for outcome in failed)
    missing = [words for words in case.words if words not in said]
    assert not missing, f"no failure says {missing!r}:\n{said}"


def test_each_cookie_attribute_failure_says_what_is_wrong(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "WSTG-SESS-02", "tests.apps.loose_cookies:create_app")
    texts = "\n".join(case.text for case in run.named("failed"))
    for words in (
        "the session cookie has no Secure attribute",
        "the session cookie has no HttpOnly attribute",
        "SameSite=None without Secure, which browsers reject",
        "over the 4093 bytes browsers keep",
    ):
        assert words in texts
    warnings = "\n".join(run.warnings)
    assert "without the __Host- prefix" in warnings
    assert "Domain=example.test" in warnings


def test_no_secret_is_ever_printed(run_cache: RunCache) -> None:
    weak = "you-will-never-guess"  # in the wordlist: every check that can fail does
    run = run_specs(
        run_cache,
        "security",
        f"tests.apps.flaskr_like:create_app({{'SECRET_KEY': '{weak}', "
        "'SECRET_KEY_FALLBACKS': ['Zq8#vL2m!Rt5@Wx9']})",
        "-rA",
        profile=LOGIN_PROFILE,
    )
    assert run.named("failed") and run.warnings, run.output
    text = run.all_text.replace(f"'SECRET_KEY': '{weak}'", "")
    assert weak not in text
    assert "Zq8#vL2m!Rt5@Wx9" not in text.replace("'Zq8#vL2m!Rt5@Wx9']", "")
    assert "SECRET_KEY_FALLBACKS[0] is shorter than advised" in "\n".join(run.warnings)


@pytest.mark.parametrize(
    ("app", "profile"),
    [
        ("tests.apps.tidy_cookies:create_app", LOGIN_PROFILE),
        (None, None),  # the reference app, with its own profile
    ],
)
def test_a_careful_app_passes_every_security_check(
    run_cache: RunCache, app: str | None, profile: str | None
) -> None:
    if app is None:  # the reference app: read out of its one shared run of every spec
        run = run_cache.spec_run(spec_args()).selected("security")
    else:
        run = run_specs(run_cache, "security", app, profile=profile)
    assert run.named("passed"), run.output
    assert not run.named("failed") and not run.named("error"), run.output


def test_the_careful_apps_warnings_are_its_remember_cookies_name_and_the_logout_race(
    run_cache: RunCache,
) -> None:
    """Flask-Login's cookie name has no prefix, and signed cookies cannot be revoked."""
    run = run_specs(
        run_cache, "security", "tests.apps.tidy_cookies:create_app", profile=LOGIN_PROFILE
    )
    name = [w for w in run.warnings if "'remember_token', without the __Host- prefix" in w]
    race = [w for w in run.warnings if "the logout was undone" in w]
    assert len(name) == 1 and len(race) == 1, run.warnings
    assert len(run.warnings) == 2, run.warnings


#: The logout-race scenario that judges the app (not the @documents-flask one).
LATE_WRITE = ("-k", "writes_to_the_session_and_ends_after_logout_does_not")


def test_a_logout_undone_by_a_late_write_warns_and_a_revoking_app_passes(
    run_cache: RunCache,
) -> None:
    reference = run_specs(run_cache, "WSTG-SESS-06 and not documents-flask", None, *LATE_WRITE)
    assert len(reference.named("passed")) == 2, reference.output
    assert all("the logout was undone" in w for w in reference.warnings)
    assert len(reference.warnings) == 2

    revoking = run_specs(
        run_cache,
        "WSTG-SESS-06 and not documents-flask",
        "tests.apps.revoking_logout:create_app",
        *LATE_WRITE,
        profile=LOGIN_PROFILE,
    )
    assert len(revoking.named("passed")) == 1 and not revoking.warnings, revoking.output


def test_the_documented_logout_race_runs_on_the_kits_own_app_whatever_the_target(
    run_cache: RunCache,
) -> None:
    """Its table states what Flask does: on an app that revokes it still passes
    (it ran on the kit's reference app, on both stores) and is counted apart."""
    run = run_specs(
        run_cache,
        "WSTG-SESS-06 and documents-flask",
        "tests.apps.revoking_logout:create_app",
        profile=LOGIN_PROFILE,
    )
    assert len(run.named("passed")) == 2 and run.status == 0, run.output
    assert "2 scenario runs document Flask on apps the kit builds itself" in run.output
    assert "Not counted above: 2 scenario runs that document Flask" in run.output


def test_strict_turns_a_warning_into_a_failure(run_cache: RunCache) -> None:
    lenient = run_specs(run_cache, "security and ASVS4-3.4.4")
    assert lenient.status == 0 and lenient.warnings, lenient.output

    strict = run_specs(run_cache, "security and ASVS4-3.4.4", None, "--conformance-strict")
    assert strict.status == 1, strict.output
    failed = strict.named("failed")
    assert failed and all("Warning treated as a failure (--strict)" in c.text for c in failed)
    assert all("without the __Host- prefix" in c.text for c in failed)


def test_the_check_command_takes_strict(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "from flask_conformance.cli import main; main()", "check"]
    pytest_args = ["--", "-q", "-p", "no:randomly", "-m", "security and ASVS4-3.4.4"]
    results = {
        flag: run_command([*command, *flag, *pytest_args], cwd=tmp_path)
        for flag in ((), ("--strict",))
    }
    assert results[()].returncode == 0, results[()].stdout
    assert results[("--strict",)].returncode == 1, results[("--strict",)].stdout
    assert "Warning treated as a failure (--strict)" in results[("--strict",)].stdout


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_a_run_ends_with_the_owasp_coverage_table(
    run_cache: RunCache, workers: tuple[str, ...]
) -> None:
    run = run_specs(run_cache, "security and (WSTG-SESS-02 or WSTG-SESS-06)", None, *workers)
    lines = run.output.splitlines()
    start = lines.index("OWASP coverage (scenario runs per requirement, by verdict)")
    table = "\n".join(lines[start : start + 40])
    assert "requirement" in table and "warned" in table
    row = next(line for line in lines[start:] if line.startswith("ASVS4-3.4.4"))
    # session and remember cookie, on two backends: 2 warned, 2 not applicable.
    assert row.split()[-5:] == ["4", "0", "2", "0", "2"], row
    assert any(line.startswith("WSTG-SESS-06") for line in lines[start:])


def test_no_table_when_no_owasp_scenario_ran(run_cache: RunCache) -> None:
    run = run_specs(run_cache, "G-01")
    assert run.named("passed")
    assert "OWASP coverage" not in run.output
