"""Steps for the session security checks: signing keys and forgery, the
session and remember cookies' attributes, readable session data, logout
racing a request in flight, and a session store that goes down.

Each check ends in one of the kit's verdicts (flask_conformance.plugin.verdicts):
a failure through :func:`expect`, a warning through ``verdicts.warn`` (a
failure under --strict), or not applicable when the app has nothing to check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.browser import Exchange, SetCookie
from flask_conformance.drive.held_requests import HeldRequest
from flask_conformance.drive.store_outage import Outage, fake_server
from flask_conformance.drive.visitors import Visitors
from flask_conformance.journeys.remember import DEFAULT_NAME, remember_cookie
from flask_conformance.plugin import verdicts
from flask_conformance.security import cookie_attributes, session_cookie
from flask_conformance.security.exposed_data import sensitive_items
from flask_conformance.security.forgery import crack
from flask_conformance.security.key_strength import PUBLISHED, configured_keys, judge_app, wordlist
from flask_conformance.target import capabilities
from flask_conformance.target.load import Target

from .checks import expect, row_for_backend, session_cookie_of
from .journeys import journey_profile

# -- signing keys ----------------------------------------------------------


def _keys_or_not_applicable(app: Flask) -> None:
    if list(configured_keys(app)):
        return
    if capabilities.detect(app).signs_with_own_key:
        verdicts.not_applicable(
            "the app has no SECRET_KEY: its session interface signs the cookie with a key of "
            "its own, which the kit cannot see to check (the forgery checks still try it)"
        )
    verdicts.not_applicable("the app has no SECRET_KEY, so it signs nothing")


@then("none of the app's signing keys is in the flask-unsign wordlist")
def keys_not_published(app_under_test: Flask) -> None:
    _keys_or_not_applicable(app_under_test)
    published = [f for f in judge_app(app_under_test) if f.kind == PUBLISHED]
    expect(
        not published,
        "a signing key must be secret: one from a published list is known to every attacker",
        "SECRET_KEY and every SECRET_KEY_FALLBACKS entry to be absent from the wordlist",
        "; ".join(str(finding) for finding in published),
    )


@then("every one of the app's signing keys is long and varied enough")
def keys_strong(request: pytest.FixtureRequest, app_under_test: Flask) -> None:
    _keys_or_not_applicable(app_under_test)
    findings = [f for f in judge_app(app_under_test) if f.kind != PUBLISHED]
    failures = [f for f in findings if f.severity == "fail"]
    expect(
        not failures,
        "a signing key must be too long and varied for a brute force to find it",
        "every signing key to be long and varied enough",
        "; ".join(str(finding) for finding in failures),
    )
    for finding in findings:
        verdicts.warn(request, str(finding))


@dataclass
class Forgery:
    """A forged cookie Mallory now holds, and how it was made."""

    visitor: str
    key: str
    value: str
    how: str
    #: True when the app's own key was found in the wordlist.
    cracked: bool = False


def _crack_then_resign(app: Flask, value: str, forgery: Forgery) -> str:
    """What flask-unsign does: find the key offline, then sign a session of one's own."""
    key = crack(app, value, wordlist())
    forgery.cracked = key is not None
    return session_cookie.sign(app, {forgery.key: forgery.value}, key if key is not None else "dev")


def _alter_payload(app: Flask, value: str, forgery: Forgery) -> str:
    """Another payload in front of the original timestamp and signature."""
    return session_cookie.with_payload(value, {forgery.key: forgery.value})


FORGERIES: dict[str, Callable[[Flask, str, Forgery], str]] = {
    "re-signed with a key cracked from it with the flask-unsign wordlist": _crack_then_resign,
    "with its payload altered and its signature kept": _alter_payload,
}


@when(
    parsers.re(
        r"(?P<name>\w+) sends (?P<owner>\w+)'s session cookie (?P<forged>.+), "
        r'naming "(?P<value>[^"]+)" under "(?P<key>[^"]+)"'
    ),
    target_fixture="forgery",
)
def sends_forged(
    visitors: Visitors, name: str, owner: str, forged: str, value: str, key: str
) -> Forgery:
    cookie_name = visitors.session_cookie_name
    original = session_cookie_of(visitors, owner, "to forge from")
    forgery = Forgery(name, key, value, forged)
    forged_value = FORGERIES[forged](visitors.app, original, forgery)
    visitors[name].browser.plant_cookie(cookie_name, forged_value)
    return forgery


@then(parsers.parse("the app does not believe {name}'s forged cookie"))
def forgery_refused(visitors: Visitors, forgery: Forgery, name: str) -> None:
    found = visitors[name].session_value(forgery.key)
    why = (
        "the app's signing key is in the flask-unsign wordlist: the kit found it by cracking a "
        "real session cookie offline, as anyone holding one can"
        if forgery.cracked
        else "the app does not check the cookie's signature"
    )
    expect(
        found != forgery.value,
        "a session cookie the app did not sign with a key only it holds is refused",
        f"the cookie {forgery.how} to give an empty session",
        f"the app read {forgery.value!r} under {forgery.key!r} from it: {why}",
        visitors.log[-1:],
    )


# -- cookie attributes -----------------------------------------------------

_COOKIE = r"(?P<cookie>session cookie|remember cookie)"


@dataclass
class IssuedCookie:
    """A cookie as the app set it, with the response that set it."""

    label: str
    header: SetCookie
    exchange: Exchange


def _issue_session_cookie(visitors: Visitors, target: Target, name: str) -> IssuedCookie:
    """The session cookie of the login response, or of a request that stores a value."""
    cookie_name = visitors.session_cookie_name
    if target.profile is not None:
        login = visitors[name].be_logged_in(target.profile)
        header = login.set_cookie(cookie_name)
        if header is not None and not header.deletes:
            return IssuedCookie("session cookie", header, login)
    stored = visitors[name].store("conformance", "issued")
    header = stored.set_cookie(cookie_name)
    expect(
        header is not None and not header.deletes,
        "a session that was written sends its cookie",
        f"a Set-Cookie for {cookie_name!r}",
        "no such header",
        stored,
    )
    assert header is not None
    return IssuedCookie("session cookie", header, stored)


def _issue_remember_cookie(visitors: Visitors, target: Target, name: str) -> IssuedCookie:
    """The remember cookie of a login that asks to be remembered, found by what it sets."""
    profile = target.profile
    if profile is None:
        verdicts.not_applicable(
            "without a journey profile the kit cannot log in, and only a login gives a remember "
            "cookie"
        )
    if profile.login.remember is None:
        # An app may remember every login: its cookie then has Flask-Login's name.
        login = visitors[name].be_logged_in(profile)
        configured = visitors.app.config.get("REMEMBER_COOKIE_NAME", DEFAULT_NAME)
        header = login.set_cookie(str(configured))
        if header is None or header.deletes:
            verdicts.not_applicable(
                f"the login gave no remember cookie, and the profile {profile.source} does not "
                "say how to ask to be remembered: add the extra login fields to [login], like "
                'remember = { remember = "y" }'
            )
        return IssuedCookie("remember cookie", header, login)
    login = visitors[name].be_logged_in(profile, remember=True)
    header = remember_cookie(visitors.app, profile, profile.user(name), login, target.logins)
    if header is None:
        verdicts.not_applicable(
            f"a login with {profile.login.remember} set no cookie that a plain login does not: "
            "the app gives no remember cookie"
        )
    return IssuedCookie("remember cookie", header, login)


@given(parsers.re(r"(?P<name>\w+) has just been given the " + _COOKIE), target_fixture="issued")
def just_given(
    visitors: Visitors, conformance_target: Target, name: str, cookie: str
) -> IssuedCookie:
    if cookie == "remember cookie":
        return _issue_remember_cookie(visitors, conformance_target, name)
    return _issue_session_cookie(visitors, conformance_target, name)


def give_verdict_on(
    request: pytest.FixtureRequest,
    finding: cookie_attributes.Finding,
    behaviour: str,
    issued: IssuedCookie,
) -> None:
    """Give the verdict one cookie-attribute finding calls for: pass, fail or warn."""
    if finding.severity == cookie_attributes.WARN:
        verdicts.warn(request, finding.message)
        return
    expect(
        finding.severity == cookie_attributes.PASSED,
        behaviour,
        f"a Set-Cookie for the {issued.label} that browsers keep safe",
        finding.message,
        issued.exchange,
    )


@then(parsers.re(r"the " + _COOKIE + r" is marked Secure"))
def marked_secure(request: pytest.FixtureRequest, issued: IssuedCookie, cookie: str) -> None:
    finding = cookie_attributes.secure(issued.header, issued.label)
    give_verdict_on(request, finding, "a session cookie travels over https only (Secure)", issued)


@then(parsers.re(r"the " + _COOKIE + r" is marked HttpOnly"))
def marked_http_only(request: pytest.FixtureRequest, issued: IssuedCookie, cookie: str) -> None:
    finding = cookie_attributes.http_only(issued.header, issued.label)
    give_verdict_on(request, finding, "scripts cannot read a session cookie (HttpOnly)", issued)


@then(parsers.re(r"the " + _COOKIE + r" has a SameSite attribute that browsers accept"))
def has_same_site(request: pytest.FixtureRequest, issued: IssuedCookie, cookie: str) -> None:
    finding = cookie_attributes.same_site(issued.header, issued.label)
    give_verdict_on(
        request, finding, "a session cookie says when other sites may send it (SameSite)", issued
    )


@then(parsers.re(r"the " + _COOKIE + r"'s name has the __Host- prefix"))
def has_host_prefix(request: pytest.FixtureRequest, issued: IssuedCookie, cookie: str) -> None:
    finding = cookie_attributes.prefix(issued.header, issued.label)
    give_verdict_on(request, finding, "a prefixed cookie keeps the rules its prefix promises", issued)


@then(parsers.re(r"the " + _COOKIE + r"'s Domain and Path go no wider than the app"))
def scoped(
    request: pytest.FixtureRequest, issued: IssuedCookie, app_under_test: Flask, cookie: str
) -> None:
    root = app_under_test.config.get("APPLICATION_ROOT") or "/"
    finding = cookie_attributes.scope(issued.header, issued.label, root)
    give_verdict_on(request, finding, "a session cookie goes to this app only", issued)


@then(parsers.re(r"the " + _COOKIE + r" fits in the 4093 bytes browsers keep"))
def small_enough(request: pytest.FixtureRequest, issued: IssuedCookie, cookie: str) -> None:
    finding = cookie_attributes.size(issued.header, issued.label)
    give_verdict_on(request, finding, "browsers keep the session cookie (at most 4093 bytes)", issued)


# -- readable session data -------------------------------------------------


@then(parsers.parse("nothing sensitive can be read in {name}'s session cookie"))
def nothing_sensitive(visitors: Visitors, name: str) -> None:
    browser = visitors[name].browser
    payload = session_cookie.read_payload(browser.cookie_value(visitors.session_cookie_name) or "")
    found = list(sensitive_items(payload)) if payload is not None else []
    expect(
        not found,
        "Flask's session cookie is signed, not encrypted: anyone holding it reads what it holds",
        f"no secrets in the payload of {name}'s session cookie",
        "the cookie shows " + ", ".join(found) + ": keep such data on the server, not in the "
        "session (or use a server-side session store)",
        browser.history[-1:],
    )


# -- logout racing a request in flight -------------------------------------


@given(
    parsers.re(
        r"a request of (?P<name>\w+)'s that (?P<kind>writes to|only reads) the session "
        r"is still running"
    ),
    target_fixture="held_request",
)
def request_in_flight(
    request: pytest.FixtureRequest,
    visitors: Visitors,
    conformance_target: Target,
    name: str,
    kind: str,
) -> HeldRequest:
    journey_profile(conformance_target)
    held = HeldRequest(visitors[name], write=kind == "writes to", key="theme", value="dark")
    request.addfinalizer(held.release.set)  # never leave the thread waiting
    held.start()
    return held


@when(parsers.parse("{name}'s running request ends"), target_fixture="late_response")
def running_request_ends(held_request: HeldRequest, name: str) -> Exchange:
    exchange = held_request.finish()
    expect(
        exchange.error is None and exchange.status == 200,
        "a request in flight during logout still completes",
        "200 from the request held open",
        exchange.describe(),
        exchange,
    )
    return exchange


@then(parsers.parse("{name} is logged in again only if the late response sent her session back"))
def undone_only_by_a_resent_session(
    request: pytest.FixtureRequest,
    visitors: Visitors,
    conformance_target: Target,
    late_response: Exchange,
    name: str,
) -> None:
    """A read-only response undoes logout only by carrying the old session back.

    Flask sends a permanent session's cookie on every response while
    SESSION_REFRESH_EACH_REQUEST is on (its default), a read-only one too;
    an app's own hooks may write the session on every request. Either way
    the late response is a write, with the write's risk: a warning. A user
    let back in without any session sent back means the logout itself did
    not hold: that fails.
    """
    profile = journey_profile(conformance_target)
    admitted, page = visitors[name].is_logged_in(profile)
    resent = late_response.set_cookie(visitors.session_cookie_name)
    sent_back = resent is not None and not resent.deletes
    expect(
        sent_back or not admitted,
        "a request that only reads the session and sends no session back cannot undo logout",
        f"{profile.protected_path} to turn {name} away after logout",
        f"it let {name} in (answered {page.status}), though the late response sent no "
        "session cookie: the logout did not end the session",
        visitors.log[-4:],
    )
    if not admitted:
        return
    refreshed = resent is not None and resent.expires is not None
    why = (
        "the session is permanent, and Flask sends a permanent session's cookie on every "
        "response, one that only read it too (SESSION_REFRESH_EACH_REQUEST, on by default)"
        if refreshed and visitors.app.config.get("SESSION_REFRESH_EACH_REQUEST", True)
        else "the app's own code wrote the session during a request that only read it"
    )
    verdicts.warn(
        request,
        f"a request that only read {name}'s session and ended after she logged out sent the "
        f"old session back, so the logout was undone: {why}. Set "
        "SESSION_REFRESH_EACH_REQUEST = False so that only writes send the session, or revoke "
        "sessions on the server at logout (a store, a table of live sessions, a per-user "
        "logout counter the app checks)",
    )


@then(parsers.parse("whether {name} is logged in again depends on the backend:"))
def logged_in_again(
    visitors: Visitors,
    conformance_target: Target,
    backend: str,
    name: str,
    datatable: list[list[str]],
) -> None:
    """The table states what Flask does; the scenario runs on the kit's own app
    (``@documents-flask``), so the outcome must be the table's."""
    row = row_for_backend(datatable, backend)
    documented = row["logged in again"] == "yes"
    admitted, _ = visitors[name].is_logged_in(journey_profile(conformance_target))
    expect(
        admitted == documented,
        f"last write wins when a request overlaps logout: {row['why']}",
        f"{name} {'logged in again' if documented else 'still logged out'} after the late response",
        f"{name} is {'logged in again' if admitted else 'logged out'}",
        visitors.log[-4:],
    )


@then(
    parsers.parse(
        "{name} is still logged out, or the kit warns that a late write undoes the logout"
    )
)
def still_logged_out_or_warned(
    request: pytest.FixtureRequest, visitors: Visitors, conformance_target: Target, name: str
) -> None:
    """Passes when the app keeps the user out; warns when the late write wins.

    The late write winning is Flask's and Flask-Session's own behaviour (the
    scenario above shows it), not a defect of the app's code, so it is a risk
    to know about rather than a failure; an app that revokes sessions on the
    server passes.
    """
    admitted, _ = visitors[name].is_logged_in(journey_profile(conformance_target))
    if admitted:
        verdicts.warn(
            request,
            f"a request still running when {name} logged out wrote the old session back, so the "
            "logout was undone: a session store does not prevent this (Flask-Session writes the "
            "old session back under its id); only a revocation the app checks on every request "
            "and a late write cannot restore (a per-user logout counter, a table of live "
            "sessions whose row logout deletes) keeps a user out after logout",
        )


# -- a session store that stops answering ----------------------------------


@given("the session store has stopped answering", target_fixture="outage")
@when("the session store stops answering", target_fixture="outage")
def store_goes_down(request: pytest.FixtureRequest, app_under_test: Flask) -> Outage:
    server = fake_server(app_under_test)
    if server is None:
        verdicts.not_applicable(
            "the store is not an in-memory fakeredis; the kit does not stop a real server"
        )
    outage = Outage(server)
    request.addfinalizer(outage.end)  # the app outlives the scenario: bring the store back
    return outage


@given(
    parsers.parse("{name}'s next request has read her session while the store was down"),
    target_fixture="outage_exchange",
)
@when(parsers.parse("{name}'s next request reads her session"), target_fixture="outage_exchange")
def reads_during_outage(visitors: Visitors, name: str) -> Exchange:
    return visitors[name].read_once("get", "colour", raise_errors=False)


@when("the session store answers again")
def store_comes_back(outage: Outage) -> None:
    outage.end()


def _store_error(exchange: Exchange) -> BaseException | None:
    for error in (exchange.error, exchange.app_error):
        if error is not None and type(error).__module__.startswith("redis"):
            return error
    return None


@then(parsers.parse("{name}'s request failed because the session store did not answer"))
def failed_for_store(outage_exchange: Exchange, name: str) -> None:
    error = _store_error(outage_exchange)
    expect(
        error is not None and (outage_exchange.error is not None or outage_exchange.status >= 500),
        "with the store down Flask-Session fails the request; it does not start an empty session",
        "a server error caused by redis' ConnectionError",
        outage_exchange.describe(),
        outage_exchange,
    )
