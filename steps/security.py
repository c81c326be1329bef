"""Steps for readable session data, logout racing a request in flight, and a
session store that goes down (features/security/exposed_data.feature and
features/security/overlap_and_outage.feature).

Each check ends in one of the kit's verdicts (flask_conformance.plugin.verdicts):
a failure through :func:`expect`, a warning through ``verdicts.warn`` (a
failure under --strict), or not applicable when the app has nothing to check.
"""

from __future__ import annotations

import pytest
from flask import Flask
from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.held_requests import HeldRequest
from flask_conformance.drive.store_outage import Outage, fake_server
from flask_conformance.drive.visitors import Visitors
from flask_conformance.journeys.profile import JourneyProfile
from flask_conformance.plugin import verdicts
from flask_conformance.security import session_cookie
from flask_conformance.security.exposed_data import sensitive_items

from .checks import expect, row_for_backend

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
    profile: JourneyProfile,
    name: str,
    kind: str,
) -> HeldRequest:
    """The request is held open while the user logs out, so the step asks for
    the ``profile``: without one the scenario is not applicable."""
    held = HeldRequest(visitors[name], write=kind == "writes to", key="theme", value="dark")
    request.addfinalizer(held.release.set)  # never leave the thread waiting
    held.start()
    return held


@when(parsers.parse("{name}'s running request ends"), target_fixture="late_response")
def running_request_ends(
    visitors: Visitors, profile: JourneyProfile, held_request: HeldRequest, name: str
) -> Exchange:
    """First a look at the protected page: whether logout held until this moment
    tells a logout that never ended the session from one the late request undid."""
    held_request.admitted_before_end = visitors[name].is_logged_in(profile, observation=True)[0]
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
    profile: JourneyProfile,
    late_response: Exchange,
    held_request: HeldRequest,
    name: str,
) -> None:
    """A read-only response undoes logout only by carrying the old session back.

    Flask sends a permanent session's cookie on every response while
    SESSION_REFRESH_EACH_REQUEST is on (its default), a read-only one too;
    an app's own hooks may write the session on every request. Either way
    the late response is a write, with the write's risk: a warning. So is a
    server-side store that saves the session it only read at the request's
    end without a cookie (Flask-Session while SESSION_REFRESH_EACH_REQUEST is
    on): the user was turned away after logout and let in once it ended. A
    user let in already before the late response ended means the logout
    itself did not hold: that fails.
    """
    admitted, page = visitors[name].is_logged_in(profile)
    resent = late_response.set_cookie(visitors.session_cookie_name)
    sent_back = resent is not None and not resent.deletes
    if admitted and not sent_back and held_request.admitted_before_end is False:
        verdicts.warn(
            request,
            f"a request that only read {name}'s session and ended after she logged out undid "
            "the logout without sending a cookie: she was turned away after logout, and let "
            "in again once it ended, so it saved the old session back into the app's session "
            "store (Flask-Session saves a session it only read at the end of every request "
            "while SESSION_REFRESH_EACH_REQUEST is on, its default). Set "
            "SESSION_REFRESH_EACH_REQUEST = False so that only writes save the session, or "
            "revoke sessions at logout in a way a late save cannot restore (a per-user logout "
            "counter the app checks, a new session id at logout)",
        )
        return
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
    profile: JourneyProfile,
    backend: str,
    name: str,
    datatable: list[list[str]],
) -> None:
    """The table states what Flask does; the scenario runs on the kit's own app
    (``@documents-flask``), so the outcome must be the table's."""
    row = row_for_backend(datatable, backend)
    documented = row["logged in again"] == "yes"
    admitted, _ = visitors[name].is_logged_in(profile)
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
    request: pytest.FixtureRequest, visitors: Visitors, profile: JourneyProfile, name: str
) -> None:
    """Passes when the app keeps the user out; warns when the late write wins.

    The late write winning is Flask's and Flask-Session's own behaviour (the
    scenario above shows it), not a defect of the app's code, so it is a risk
    to know about rather than a failure; an app that revokes sessions on the
    server passes.
    """
    admitted, _ = visitors[name].is_logged_in(profile)
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
