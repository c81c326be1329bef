"""Steps for session expiry: how long a session lives, who ends it (the
browser or the server), and what refreshing on every request changes.

Time only moves through the kit's :class:`~flask_conformance.drive.clock.Clock`;
nothing here sleeps. The checks that tell "the browser forgot the cookie" from
"the server rejected it" always look at what the browser actually sent.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from pytest_bdd import given, parsers, then, when
from werkzeug.http import http_date

from flask_conformance.drive.browser import Exchange, SetCookie
from flask_conformance.drive.clock import Clock
from flask_conformance.drive.visitors import Visitors
from flask_conformance.plugin import tags
from flask_conformance.target.backends import RedisStore

from .checks import expect, row_for_backend, session_cookie_of, shown, visitor_keys
from .shared import duration

#: A duration in a step, as shared.py's time steps write it ("31 minutes").
_DURATION = r"(?P<amount>\d+) (?P<unit>seconds?|minutes?|hours?|days?)"
_PRONOUN = r"(?:her|his|their)"


def _behaviour_ids(request: pytest.FixtureRequest) -> str:
    """The scenario's behaviour-ID tags, for messages whose wording comes from a table."""
    names = sorted({mark.name for mark in request.node.iter_markers()})
    return ", ".join(name for name in names if tags.BEHAVIOUR_ID.match(name))


# -- configuration ---------------------------------------------------------


@given(parsers.re(r"sessions last " + _DURATION))
def sessions_last(app_under_test: Flask, amount: str, unit: str) -> None:
    """Flask reads the lifetime when a session loads and when it is saved (P-08)."""
    app_under_test.config["PERMANENT_SESSION_LIFETIME"] = duration(amount, unit)


@given(parsers.re(r"sessions last (?P<seconds>\d+) seconds, configured as a plain number"))
def sessions_last_seconds(app_under_test: Flask, seconds: str) -> None:
    """An int is allowed; Flask converts it where it reads it (P-04)."""
    app_under_test.config["PERMANENT_SESSION_LIFETIME"] = int(seconds)


@given(parsers.re(r"sessions (?P<are>are|are not) refreshed on every request"))
def sessions_refreshed(app_under_test: Flask, are: str) -> None:
    app_under_test.config["SESSION_REFRESH_EACH_REQUEST"] = are == "are"


@when(parsers.re(r"the app's session lifetime is shortened to " + _DURATION))
def lifetime_shortened(app_under_test: Flask, amount: str, unit: str) -> None:
    shorter = duration(amount, unit)
    current = app_under_test.permanent_session_lifetime
    if shorter >= current:
        raise ValueError(f"{shorter} does not shorten the current lifetime of {current}.")
    app_under_test.config["PERMANENT_SESSION_LIFETIME"] = shorter


# -- acting ----------------------------------------------------------------


@when(parsers.re(r"(?P<name>\w+) makes " + _PRONOUN + r" session permanent"))
def make_permanent(visitors: Visitors, name: str) -> None:
    visitors[name].make_permanent()


@when(
    parsers.re(
        r"(?P<name>\w+) visits a page that never touches the session"
        r" every (?P<minutes>\d+) minutes, (?P<times>\d+) times"
    )
)
def visit_repeatedly(visitors: Visitors, clock: Clock, name: str, minutes: str, times: str) -> None:
    """Come back regularly without using the session: what refreshing is for."""
    for _ in range(int(times)):
        clock.advance(_dt.timedelta(minutes=int(minutes)))
        visitors[name].visit_untouched_page()


@dataclass
class CapturedCookie:
    """A session cookie value as a careless client would keep and replay it."""

    visitor: str
    value: str


@given(parsers.parse("{name}'s session cookie has been captured"), target_fixture="captured_cookie")
def capture_cookie(visitors: Visitors, name: str) -> CapturedCookie:
    value = session_cookie_of(visitors, name, "to capture")
    return CapturedCookie(name, value)


@when(parsers.parse("the captured cookie is put back into {name}'s browser"))
def put_cookie_back(visitors: Visitors, name: str, captured_cookie: CapturedCookie) -> None:
    """Play a client that ignores Expires: the jar gets the cookie without one."""
    visitors[name].browser.plant_cookie(visitors.session_cookie_name, captured_cookie.value)


# -- the cookie the response sets ------------------------------------------


def _session_set_cookie(visitors: Visitors) -> tuple[Exchange, SetCookie | None]:
    response = visitors.last_response
    return response, response.set_cookie(visitors.session_cookie_name)


def _expires_at(cookie: SetCookie | None) -> _dt.datetime | None:
    if cookie is None or cookie.expires is None:
        return None
    return parsedate_to_datetime(cookie.expires)


def _expect_expires_in(
    visitors: Visitors, clock: Clock, lifetime: _dt.timedelta, behaviour: str
) -> None:
    response, cookie = _session_set_cookie(visitors)
    wanted = clock.now().replace(microsecond=0) + lifetime
    expires = _expires_at(cookie)
    expect(
        cookie is not None
        and not cookie.deletes
        and expires == wanted
        and "max-age" not in cookie.attributes,
        behaviour,
        f"Set-Cookie for the session with Expires={http_date(wanted)} and no Max-Age",
        "no session cookie was set" if cookie is None else f"Set-Cookie: {cookie.raw}",
        response,
    )


@then(
    parsers.re(
        r"the response's session cookie expires " + _DURATION + r" from now, with no Max-Age"
    )
)
def cookie_expires_in(visitors: Visitors, clock: Clock, amount: str, unit: str) -> None:
    _expect_expires_in(
        visitors,
        clock,
        duration(amount, unit),
        "a permanent session's cookie expires PERMANENT_SESSION_LIFETIME from now,"
        " with Expires and no Max-Age (P-02)",
    )


@then(parsers.re(r"the response renews the session cookie to expire " + _DURATION + " from now"))
def cookie_renewed(visitors: Visitors, clock: Clock, amount: str, unit: str) -> None:
    _expect_expires_in(
        visitors,
        clock,
        duration(amount, unit),
        "with SESSION_REFRESH_EACH_REQUEST on, every response re-sends a permanent"
        " session's cookie with a new Expires, even from a view that never touches the"
        " session (P-09)",
    )


@then(
    "the response's session cookie lasts until the browser closes, with neither Expires nor Max-Age"
)
def cookie_lasts_until_browser_closes(visitors: Visitors) -> None:
    response, cookie = _session_set_cookie(visitors)
    expect(
        cookie is not None
        and not cookie.deletes
        and "expires" not in cookie.attributes
        and "max-age" not in cookie.attributes,
        "a session that is not permanent gets a browser-session cookie (P-03)",
        "Set-Cookie for the session with neither Expires nor Max-Age",
        "no session cookie was set" if cookie is None else f"Set-Cookie: {cookie.raw}",
        response,
    )


# -- the browser's side ----------------------------------------------------


@then(
    parsers.re(
        r"(?P<name>\w+)'s browser (?P<state>still holds|has dropped) "
        + _PRONOUN
        + r" session cookie(?: on its own)?"
    )
)
def browser_holds_cookie(visitors: Visitors, name: str, state: str) -> None:
    """What the browser would send next, after dropping what has expired (T-11)."""
    browser = visitors[name].browser
    value = browser.cookie_value(visitors.session_cookie_name)
    wanted = state == "still holds"
    expect(
        (value is not None) == wanted,
        "a browser keeps a session cookie until its Expires and drops it after (P-02, P-03)",
        f"{name}'s browser {'to still hold' if wanted else 'to have dropped'} the session cookie",
        f"it holds {value[:40]!r}" if value is not None else "it holds none",
        browser.history[-1:],
    )


# -- the server's side -----------------------------------------------------


@then(parsers.re(r"the app (?P<verdict>accepts|rejects) the session cookie (?P<name>\w+) sent"))
def app_judges_cookie(visitors: Visitors, verdict: str, name: str) -> None:
    """Read the session with whatever cookie the browser sends now.

    The request must carry a session cookie: a scenario where the browser sent
    none proves nothing about the server, so that fails as well.
    """
    visitor = visitors[name]
    cookie_name = visitors.session_cookie_name
    session = visitor.read_session()
    exchange = visitor.browser.last
    sent = cookie_name in exchange.cookies_sent
    keys = visitor_keys(visitors.app, session["keys"])
    wanted = verdict == "accepts"
    expect(
        sent and bool(keys) == wanted,
        "the server checks a session's age itself, whatever the client sends: a session"
        " lives PERMANENT_SESSION_LIFETIME after it was last saved (P-05, P-06)",
        f"{name}'s browser to send the session cookie and the app to"
        + (" find the session's data in it" if wanted else " open an empty session for it"),
        ("the browser sent no session cookie; " if not sent else "")
        + (f"the app found keys {keys}" if keys else "the app found an empty session"),
        visitors.log[-3:],
    )


@then(
    parsers.parse(
        "the session the app opened for the cookie {name} sent was empty and not permanent"
    )
)
def expired_session_is_fresh(visitors: Visitors, name: str) -> None:
    """The probe's answer to the read of ``session.permanent`` just made (P-12)."""
    response = visitors.last_response
    sent = visitors.session_cookie_name in response.cookies_sent
    permanent = response.json()["result"] if response.status == 200 else None
    session = visitors[name].read_session()
    keys = visitor_keys(visitors.app, session["keys"])
    expect(
        sent and permanent is False and not keys,
        "an expired session opens as a fresh, empty session that is not permanent (P-12)",
        f"{name}'s browser to send the old cookie, and the app to see an empty session"
        " whose session.permanent is False",
        f"cookie sent: {'yes' if sent else 'no'}; session.permanent was {shown(permanent)};"
        f" keys {keys}",
        visitors.log[-2:],
    )


@then(
    parsers.parse(
        'whether {name}\'s session still holds "{value}" under "{key}" depends on the backend:'
    )
)
def still_holds_by_backend(
    request: pytest.FixtureRequest,
    visitors: Visitors,
    backend: str,
    name: str,
    value: str,
    key: str,
    datatable: list[list[str]],
) -> None:
    row = row_for_backend(datatable, backend)
    wanted = row["holds"] == "yes"
    found = visitors[name].session_value(key)
    sent = visitors.session_cookie_name in visitors[name].browser.last.cookies_sent
    expect(
        sent and (found == value) == wanted,
        f"on {backend} sessions: {row['why']} ({_behaviour_ids(request)})",
        f"{name}'s browser to send the session cookie and the app to find "
        + (f"{value!r}" if wanted else "nothing")
        + f" under {key!r}",
        ("the browser sent no session cookie; " if not sent else "")
        + f"the app found {shown(found)}",
        visitors.log[-4:],
    )


# -- the Redis store -------------------------------------------------------


@then(parsers.re(r"the store keeps (?P<name>\w+)'s session for " + _DURATION))
def store_keeps_for(
    visitors: Visitors, app_under_test: Flask, name: str, amount: str, unit: str
) -> None:
    """The key's time to live; the cookie holds the key's session id (T-12)."""
    sid = visitors[name].browser.cookie_value(visitors.session_cookie_name)
    wanted = int(duration(amount, unit).total_seconds())
    store = RedisStore(app_under_test)
    ttl = store.ttl(sid) if sid is not None else None
    # A real Redis server counts real milliseconds and rounds TTL to a second.
    expect(
        ttl is not None and abs(ttl - wanted) <= 1,
        "Flask-Session gives a session's Redis key PERMANENT_SESSION_LIFETIME to live each"
        " time it saves it, permanent or not (serverside-and-time 1.3)",
        f"the key of {name}'s session to have {wanted} s to live",
        "her browser holds no session cookie"
        if sid is None
        else ("no such key in the store" if ttl == -2 else f"{ttl} s to live"),
        visitors[name].browser.history[-2:],
    )


@given(parsers.parse("{name}'s session is left as it is"))
def session_left_as_it_is(name: str) -> None:
    """Nobody sets ``session.permanent``: the app's own default decides."""


@then(parsers.parse('whether {name}\'s session is permanent follows its "_permanent" key'))
def permanent_follows_key(visitors: Visitors, name: str) -> None:
    seen = visitors[name].read_session()
    key = seen["values"].get("_permanent", False)
    expect(
        seen["permanent"] == bool(key),
        "session.permanent reads the session's _permanent key, False when it is missing (P-01)",
        f"session.permanent to be {bool(key)}, as _permanent is "
        + ("missing" if "_permanent" not in seen["keys"] else repr(key)),
        f"session.permanent is {seen['permanent']}",
        visitors.log[-1:],
    )
