"""A scenario that starts logged in restores the run's login instead of paying
the app's password hash again, only where that is the same as a new login.

The login the kit makes before any scenario, to check that the profile fits,
is kept at the instant every scenario starts. A visitor with no cookies at
that instant gets a copy of its cookies; a visitor anywhere else, an app
whose sessions live on the server, or a copy the app has revoked since (a
scenario logged out) gets a real login.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flask_conformance.drive.clock import Clock
from flask_conformance.drive.visitors import Visitors
from flask_conformance.target.load import Target, make_target

from .running import REPO_ROOT

LOGIN_PROFILE = "tests/apps/login_app.toml"
JOURNEY_PROFILE = "tests/apps/journey_app.toml"


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)


@pytest.fixture
def scenario_clock() -> Iterator[Clock]:
    with Clock() as clock:
        yield clock


def _posts_to_login(visitors: Visitors) -> int:
    """Logins the app really answered in this scenario (restored ones are not sent)."""
    return sum(
        1
        for exchange in visitors.log
        if exchange.method == "POST" and exchange.path == "/login" and not exchange.restored
    )


def _scenario(target: Target) -> Visitors:
    return Visitors(target.app(None), target.logins)


def test_a_scenario_starts_from_the_login_made_when_the_profile_was_checked(
    scenario_clock: Clock,
) -> None:
    target = make_target("tests.apps.flaskr_like:create_app", LOGIN_PROFILE)
    assert target.profile is not None
    visitors = _scenario(target)
    login = visitors["Alice"].be_logged_in(target.profile)
    assert login.restored and login.visitor == "Alice"
    assert visitors["Alice"].is_logged_in(target.profile)[0]
    assert _posts_to_login(visitors) == 0


def test_a_login_revoked_by_a_logout_is_not_restored_as_if_it_were_valid(
    scenario_clock: Clock,
) -> None:
    """revoking_logout moves the user's generation on at logout: every older cookie dies."""
    target = make_target("tests.apps.revoking_logout:create_app", LOGIN_PROFILE)
    profile = target.profile
    assert profile is not None
    first = _scenario(target)
    first["Alice"].be_logged_in(profile)
    first["Alice"].logout(profile)

    second = _scenario(target)  # the next scenario, at the same instant
    restored = second["Alice"].be_logged_in(profile)
    assert restored.restored and not second["Alice"].is_logged_in(profile)[0]
    fresh = second["Alice"].log_in_again(profile)
    assert not fresh.restored and second["Alice"].is_logged_in(profile)[0]
    assert _posts_to_login(second) == 1

    third = _scenario(target)  # the new login is the one kept now
    assert third["Alice"].be_logged_in(profile).restored
    assert third["Alice"].is_logged_in(profile)[0]


def test_a_visitor_whose_browser_already_holds_cookies_logs_in_for_real(
    scenario_clock: Clock,
) -> None:
    target = make_target("tests.apps.flaskr_like:create_app", LOGIN_PROFILE)
    assert target.profile is not None
    visitors = _scenario(target)
    visitors["Alice"].browser.plant_cookie("session", "planted-by-mallory")
    assert not visitors["Alice"].be_logged_in(target.profile).restored
    assert _posts_to_login(visitors) == 1


def test_once_the_clock_has_moved_the_login_is_sent(scenario_clock: Clock) -> None:
    import datetime as dt

    target = make_target("tests.apps.flaskr_like:create_app", LOGIN_PROFILE)
    assert target.profile is not None
    scenario_clock.advance(dt.timedelta(minutes=5))
    visitors = _scenario(target)
    assert not visitors["Alice"].be_logged_in(target.profile).restored


def test_sessions_kept_on_the_server_are_never_restored(scenario_clock: Clock) -> None:
    """Every scenario starts with an empty store: a copied id would name nothing."""
    target = make_target('tests.apps.journey_app:create_app(store="redis")', JOURNEY_PROFILE)
    assert target.profile is not None
    visitors = _scenario(target)
    assert not visitors["Alice"].be_logged_in(target.profile).restored
    assert _posts_to_login(visitors) == 1


def test_restored_logins_are_marked_in_the_evidence() -> None:
    from flask_conformance.report.evidence import exchange_record
    from flask_conformance.report.text import exchange_line

    target = make_target("tests.apps.flaskr_like:create_app", LOGIN_PROFILE)
    assert target.profile is not None
    with Clock():
        login = _scenario(target)["Alice"].be_logged_in(target.profile)
    record = exchange_record(login)
    assert record["restored"] is True
    assert exchange_line(record).endswith("[login restored]")
    assert "(the run's login, restored)" in login.describe()


def _counting_logins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The users whose login :func:`login_identity` sends from now on."""
    from flask_conformance.journeys import identity

    sent: list[str] = []
    original = identity.send

    def counting(browser, user, spec, extra=None):  # type: ignore[no-untyped-def]
        sent.append(user.username)
        return original(browser, user, spec, extra)

    monkeypatch.setattr(identity, "send", counting)
    return sent


def test_learning_the_identity_sends_only_the_second_login_of_the_user(
    scenario_clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first login of Alice and Bob's are the captured ones; the second is real."""
    from flask_conformance.journeys.identity import login_identity

    target = make_target("tests.apps.wrong_logout:create_app", "tests/apps/wrong_logout.toml")
    profile = target.profile
    assert profile is not None
    app, alice = target.app(None), profile.user("Alice")
    sent = _counting_logins(monkeypatch)
    restored = login_identity(app, profile, alice, target.logins)
    assert sent == ["alice"]
    assert restored == login_identity(app, profile, alice) == {"user_id": "alice"}


def test_a_revoked_login_is_not_used_to_learn_the_identity(
    scenario_clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """revoking_logout refuses Alice's captured login once a scenario logged her out."""
    from flask_conformance.journeys.identity import login_identity

    target = make_target("tests.apps.revoking_logout:create_app", LOGIN_PROFILE)
    profile = target.profile
    assert profile is not None
    scenario = _scenario(target)
    scenario["Alice"].be_logged_in(profile)
    scenario["Alice"].logout(profile)
    app, alice = target.app(None), profile.user("Alice")
    sent = _counting_logins(monkeypatch)
    learned = login_identity(app, profile, alice, target.logins)
    assert sent == ["alice", "alice"]  # Bob was never logged out: his copy is still good
    assert learned == login_identity(app, profile, alice)
    assert "user_id" in learned
