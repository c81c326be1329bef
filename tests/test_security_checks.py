"""The security checks fail (or warn) on apps that break them, pass on apps
that keep them, and never print a secret.

The rules themselves (key strength, cookie attributes, sensitive-looking
data, offline cracking) are unit-tested first. Then the specs run in a
subprocess, as a user runs them, against the apps in ``tests/apps``: for
every check one app that breaks it (its failure or warning words asserted)
and one that keeps it. ``--strict`` must turn a warning into a failure, and
every run that ran OWASP-tagged scenarios must end with the coverage table,
with and without xdist.
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

import flask_unsign_wordlist
import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from flask_conformance import layout
from flask_conformance.drive.browser import SetCookie
from flask_conformance.plugin.tags import OWASP_ID, tags_in
from flask_conformance.security import cookie_attributes
from flask_conformance.security.exposed_data import sensitive_items, value_kind
from flask_conformance.security.forgery import crack, find_key
from flask_conformance.security.key_strength import judge, judge_app, wordlist
from flask_conformance.security.owasp import REQUIREMENTS
from flask_conformance.security.session_cookie import cookie_interface, sign, signer

from .runcache import JUNIT, RunCache, spec_args
from .running import SpecRun, junit_args, run_command

LOGIN_PROFILE = "tests/apps/login_app.toml"
STRONG_KEY = "9f2c7a41d0be5e38c6a14f7d2b9e03c58a61f4d7e2c9b0a3f5d8e1c4b7a2f6d9"

# -- the secret-key rule ---------------------------------------------------


@pytest.mark.parametrize(
    ("key", "severity", "words"),
    [
        ("dev", "fail", "is in the flask-unsign wordlist"),
        ("secret", "fail", "is in the flask-unsign wordlist"),
        ("you-will-never-guess", "fail", "is in the flask-unsign wordlist"),
        (b"dev", "fail", "is in the flask-unsign wordlist"),
        ("k3Y!x9Q", "fail", "too weak to resist a brute force (7 characters"),
        ("ab" * 20, "fail", "2 distinct"),
        ("Zq8#vL2m!Rt5@Wx9", "warn", "shorter than advised (16 characters"),
    ],
)
def test_weak_keys_are_flagged(key: str | bytes, severity: str, words: str) -> None:
    (finding,) = judge("SECRET_KEY", key)
    assert (finding.severity, finding.setting) == (severity, "SECRET_KEY")
    assert words in str(finding)
    if "wordlist" in words:  # the same words for every published key: none is shown
        assert str(finding) == str(judge("SECRET_KEY", "changeme")[0])
    else:
        assert str(key) not in str(finding)


@pytest.mark.parametrize(
    "make_key",
    [secrets.token_hex, lambda: secrets.token_urlsafe(32), lambda: os.urandom(16)],
    ids=["token_hex", "token_urlsafe", "urandom"],
)
def test_random_keys_pass(make_key) -> None:  # type: ignore[no-untyped-def]
    assert judge("SECRET_KEY", make_key()) == []


def test_fallbacks_are_named_by_position_never_by_value() -> None:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=STRONG_KEY, SECRET_KEY_FALLBACKS=[STRONG_KEY[::-1], "changeme"])
    (finding,) = judge_app(app)
    assert finding.setting == "SECRET_KEY_FALLBACKS[1]"
    assert "changeme" not in str(finding)


def test_the_wordlist_is_flask_unsigns_own() -> None:
    path = Path(flask_unsign_wordlist.get("all"))
    # Read where the package installed it, never a copy (a .venv may sit in the repository).
    assert path.is_file() and path.is_relative_to(Path(flask_unsign_wordlist.__file__).parent)
    words = wordlist()
    assert len(words) > 50_000
    assert {"dev", "secret", "changeme", "super secret key"} <= words


# -- cracking and forging --------------------------------------------------


def _real_cookie(key: str) -> tuple[Flask, str]:
    """An app with ``key`` and a session cookie it wrote itself."""
    app = Flask(__name__)
    app.secret_key = key
    # Its own interface: Flask's default is one instance shared by every app, and
    # a test that changes its salt must not change every later app's.
    app.session_interface = SecureCookieSessionInterface()

    @app.route("/")
    def index() -> str:
        session["user"] = "alice"
        return "ok"

    response = app.test_client().get("/")
    cookie = SetCookie.parse(response.headers["Set-Cookie"])
    return app, cookie.value


def test_a_wordlist_key_is_cracked_from_a_real_cookie_and_forges_a_cookie_the_app_believes() -> (
    None
):
    app, cookie = _real_cookie("dev")
    assert find_key(app, cookie, wordlist()) == "dev"
    forged = sign(app, {"user": "admin"}, "dev")
    with app.test_request_context(headers={"Cookie": f"session={forged}"}):
        assert app.session_interface.open_session(app, __import__("flask").request)["user"] == (
            "admin"
        )


@pytest.mark.parametrize("key", ["dev", b"\x00bytes key\xff", "ünïcode key"])
@pytest.mark.parametrize("salt", ["cookie-session", "an app's own salt"])
def test_the_fast_crack_agrees_with_itsdangerous(key: str | bytes, salt: str) -> None:
    app, cookie = _real_cookie(key)
    app.session_interface.salt = salt  # type: ignore[attr-defined]
    with app.test_request_context():
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        cookie = serializer.dumps({"user": "alice"})
    signed, _, signature = cookie.rpartition(".")
    assert signer(cookie_interface(app), key).verify_signature(signed.encode(), signature)
    assert find_key(app, cookie, ["wrong", "also wrong", key, "later"]) == key
    assert find_key(app, cookie, ["wrong", "also wrong"]) is None
    # The signature's second-to-last character carries six bits of the HMAC (the
    # last one only four, and "AA" could decode to the same bytes): change it.
    tampered = cookie[:-2] + ("B" if cookie[-2] == "A" else "A") + cookie[-1]
    assert find_key(app, tampered, [key]) is None


def test_a_random_key_is_not_cracked() -> None:
    app, cookie = _real_cookie(secrets.token_hex())
    assert find_key(app, cookie, wordlist()) is None


class _OwnKeyInterface(SecureCookieSessionInterface):
    """Signs with a key of its own, not the app's: only a full trial can find it."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(
            "dev",
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={"key_derivation": "hmac", "digest_method": self.digest_method},
        )


def _app_with(key: str, fallbacks: list[str], interface: type | None) -> tuple[Flask, str]:
    app, _ = _real_cookie(key)
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    if interface is not None:
        app.session_interface = interface()
    response = app.test_client().get("/")
    return app, SetCookie.parse(response.headers["Set-Cookie"]).value


@pytest.mark.parametrize(
    ("key", "fallbacks", "interface", "found"),
    [
        ("dev", [], None, "dev"),
        (secrets.token_hex(), [], None, None),
        # A published fallback verifies old cookies but signs none: nothing to find.
        (secrets.token_hex(), ["dev"], None, None),
        (secrets.token_hex(), [], _OwnKeyInterface, "dev"),
    ],
    ids=["published key", "random key", "published fallback", "interface with its own key"],
)
def test_the_crack_finds_what_trying_every_word_finds(
    key: str, fallbacks: list[str], interface: type | None, found: str | None
) -> None:
    app, cookie = _app_with(key, fallbacks, interface)
    assert crack(app, cookie, wordlist()) == found
    assert find_key(app, cookie, wordlist()) == found


# -- cookie attributes -----------------------------------------------------

GOOD = "__Host-session=abc; Secure; HttpOnly; Path=/; SameSite=Lax"


@pytest.mark.parametrize(
    ("header", "rule", "severity", "words"),
    [
        (GOOD, cookie_attributes.secure, "passed", "Secure"),
        ("session=abc; HttpOnly; Path=/", cookie_attributes.secure, "fail", "SESSION_COOKIE_SECURE"),
        (GOOD, cookie_attributes.http_only, "passed", "HttpOnly"),
        ("session=abc; Secure; Path=/", cookie_attributes.http_only, "fail", "no HttpOnly"),
        (GOOD, cookie_attributes.same_site, "passed", "SameSite=Lax"),
        ("session=abc; Secure; Path=/", cookie_attributes.same_site, "warn", "no SameSite"),
        ("session=a; Path=/; SameSite=None", cookie_attributes.same_site, "fail", "None without Secure"),
        ("session=a; Secure; SameSite=None", cookie_attributes.same_site, "warn", "any site"),
        ("session=a; Secure; SameSite=Loose", cookie_attributes.same_site, "fail", "not Strict, Lax"),
        (GOOD, cookie_attributes.prefix, "passed", "binds it to this host"),
        ("session=abc; Secure; Path=/", cookie_attributes.prefix, "warn", '"__Host-session"'),
        ("__Secure-s=abc; Secure; Path=/", cookie_attributes.prefix, "warn", "__Host- would also"),
        ("__Host-s=abc; Secure; Path=/app", cookie_attributes.prefix, "fail", "a Path other than /"),
        ("__Host-s=abc; Path=/; Domain=x.test", cookie_attributes.prefix, "fail", "no Secure, a Domain"),
        (GOOD, cookie_attributes.size, "passed", "bytes"),
        ("session=" + "a" * 4100 + "; Path=/", cookie_attributes.size, "fail", "over the 4093 bytes"),
    ],
)
def test_cookie_rules(header: str, rule, severity: str, words: str) -> None:  # type: ignore[no-untyped-def]
    finding = rule(SetCookie.parse(header), "session cookie")
    assert finding.severity == severity
    assert words in finding.message


@pytest.mark.parametrize(
    ("header", "root", "severity", "words"),
    [
        ("s=a; Path=/", "/", "passed", "Path=/"),
        ("s=a; Path=/shop", "/shop", "passed", "Path=/shop"),
        ("s=a; Path=/", "/shop", "warn", "lives under /shop"),
        ("s=a; Domain=example.test; Path=/", "/", "warn", "every subdomain"),
    ],
)
def test_cookie_scope(header: str, root: str, severity: str, words: str) -> None:
    finding = cookie_attributes.scope(SetCookie.parse(header), "session cookie", root)
    assert (finding.severity, words in finding.message) == (severity, True)


def test_remember_cookie_advice_names_flask_logins_settings() -> None:
    finding = cookie_attributes.secure(SetCookie.parse("remember_token=1|x; Path=/"), "remember cookie")
    assert "REMEMBER_COOKIE_SECURE" in finding.message


# -- sensitive-looking session data ----------------------------------------


def test_sensitive_keys_and_values_are_named_without_their_values() -> None:
    payload = {
        "user_id": 1,
        "password": "hunter2",
        "prefs": {"stripe": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
        "cards": ["4111 1111 1111 1111"],
        "csrf_token": "abc123",
        "_fresh": True,
    }
    found = list(sensitive_items(payload))
    assert found == [
        "'password' (its name says it holds a secret)",
        "'prefs.stripe' (its value looks like an API secret key)",
        "'cards[0]' (its value looks like a payment card number)",
    ]
    assert not any("hunter2" in item or "4111" in item for item in found)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("pbkdf2:sha256:600000$salt$hash", "a password hash"),
        ("$2b$12$abcdefghijklmnopqrstuv", "a password hash"),
        ("4111111111111112", None),  # fails the Luhn check: not a card number
        ("1234", None),
        ("alice", None),
    ],
)
def test_value_kinds(value: str, kind: str | None) -> None:
    assert value_kind(value) == kind


# -- OWASP ids ---------------------------------------------------------------


def test_every_owasp_id_in_the_features_has_a_title() -> None:
    used = {tag for tag in tags_in(layout.FEATURES_DIR.rglob("*.feature")) if OWASP_ID.match(tag)}
    assert used, "no feature carries an OWASP tag"
    assert sorted(used - set(REQUIREMENTS)) == []


# -- the specs against apps that break and keep each check -----------------


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


def test_a_held_request_an_app_hook_answers_fails_in_plain_words() -> None:
    from flask_conformance.drive.held_requests import HeldRequest
    from flask_conformance.drive.probe import install_probe
    from flask_conformance.drive.visitors import Visitor

    app = Flask(__name__)
    app.secret_key = STRONG_KEY
    app.before_request(lambda: ("log in first", 401))
    install_probe(app)
    held = HeldRequest(Visitor(app, "Alice"), write=True, key="theme", value="dark")
    with pytest.raises(AssertionError, match="never reached the kit's probe.*-> 401"):
        held.start()


def test_the_table_orders_requirements_by_number() -> None:
    from flask_conformance.plugin.owasp_table import format_table
    from flask_conformance.security.owasp import coverage_rows

    rows = coverage_rows([(["ASVS5-14.3.3", "ASVS5-3.3.1"], "passed"), (["ASVS5-3.3.1"], "warned")])
    lines = [line for line in format_table(rows) if line.startswith("ASVS5-")]
    assert [line.split()[0] for line in lines] == ["ASVS5-3.3.1", "ASVS5-14.3.3"]
    assert lines[0].split()[-5:] == ["2", "1", "1", "0", "0"]
