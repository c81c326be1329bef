"""Steps for logging out: the app's own logout journey, pop and clear, and
replaying a cookie copied before logout."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from flask_conformance.drive.browser import Exchange
from flask_conformance.drive.visitors import Visitors
from flask_conformance.journeys.page_text import shows
from flask_conformance.journeys.profile import JourneyProfile
from flask_conformance.journeys.runner import page_admits

from .checks import expect, row_for_backend, session_cookie_of, shown
from .journeys import expect_admitted, identity

# -- the app's own journey -------------------------------------------------


@given(parsers.parse("{name} has logged in"))
def has_logged_in(visitors: Visitors, profile: JourneyProfile, name: str) -> None:
    """Start the scenario logged in: the run's earlier login of this user, restored
    where that is the same as logging in now, or a login (see
    :mod:`flask_conformance.journeys.login_cache`). Scenarios about the login itself say
    "When Alice logs in", which always sends it."""
    visitor = visitors[name]
    login = visitor.be_logged_in(profile)
    admitted, page = visitor.is_logged_in(profile)
    if not admitted and login.restored:
        # The app turned away the run's earlier login of this user (it revokes
        # sessions at logout, and a scenario logged out): log in for real.
        login = visitor.log_in_again(profile)
        admitted, page = visitor.is_logged_in(profile)
    expect_admitted(
        visitor,
        profile,
        admitted,
        page,
        "the app's login (as its journey profile describes it) lets the user in as themselves",
        [login, page],
        after=f" after {name} logs in as {profile.user(name).username!r}",
    )


@when(parsers.parse("{name} logs out"))
def logs_out(visitors: Visitors, profile: JourneyProfile, name: str) -> None:
    visitors[name].logout(profile)


@then(parsers.parse("{name} is turned away from the dashboard"))
def turned_away(visitors: Visitors, profile: JourneyProfile, name: str) -> None:
    admitted, page = visitors[name].is_logged_in(profile)
    wanted = profile.logged_out.status
    expect(
        not admitted and page.status == wanted,
        "after logout the protected pages no longer admit the user",
        f"{profile.protected_path} to answer {wanted} without greeting {name}",
        f"it answered {page.status}" + (f" and still greeted {name}" if admitted else ""),
        visitors.log[-3:],
    )


@then(parsers.parse("the dashboard greets {name} and shows nothing of {other}"))
def greets_only(visitors: Visitors, profile: JourneyProfile, name: str, other: str) -> None:
    admitted, page = visitors[name].is_logged_in(profile)
    leaked = identity(profile, profile.user(other))
    expect(
        admitted and not shows(page, leaked),
        "each visitor's session is their own: one user never sees another's identity",
        f"{profile.protected_path} to greet {name} and not to show {leaked!r}",
        f"it answered {page.status}"
        + ("" if admitted else f" without greeting {name}")
        + (f" and showed {leaked!r}" if shows(page, leaked) else ""),
        visitors.log[-3:],
    )


# -- copying a cookie ------------------------------------------------------


@given(parsers.parse("{thief} has copied {name}'s session cookie"))
def copy_cookie(visitors: Visitors, thief: str, name: str) -> None:
    """Put the victim's current session cookie into the thief's browser.

    The copy stays in the thief's jar whatever the victim's browser does later.
    """
    cookie_name = visitors.session_cookie_name
    value = session_cookie_of(visitors, name, "to copy")
    visitors[thief].browser.plant_cookie(cookie_name, value)


@then(parsers.parse("whether {thief} gets into the dashboard as {name} depends on the backend:"))
def replay_into_dashboard(
    visitors: Visitors,
    profile: JourneyProfile,
    backend: str,
    thief: str,
    name: str,
    datatable: list[list[str]],
) -> None:
    """The table states what Flask does; an app may do better, never worse.

    "yes" is all Flask's signed cookie can do: the server keeps nothing to
    forget. An app that keeps the cookie and still revokes at logout (a table
    of live sessions, a per-user logout counter) turns the copy away, which
    is the remedy the kit recommends, and passes. "no" must hold.
    """
    row = row_for_backend(datatable, backend)
    wanted = row[f"{thief} gets in as {name}"] == "yes"
    page = visitors[thief].visit_protected(profile)
    admitted = page_admits(profile, profile.user(name), page)
    expect(
        wanted or not admitted,
        f"a cookie copied before logout, replayed after it, on {backend} sessions: {row['why']}",
        f"{thief} not to be let in as {name}",
        f"{thief} was let in (the page answered {page.status})",
        visitors.log[-3:],
    )


# -- pop and clear, through the probe --------------------------------------


@when(
    parsers.re(
        r'(?P<name>\w+) pops "(?P<key>[^"]+)" from (?:her|his|their) session'
        r"(?: without a default)?"
    )
)
def pops(visitors: Visitors, name: str, key: str) -> None:
    """``session.pop(key)`` with no default: the strict form of logout."""
    visitors[name].pop(key)


@when(parsers.re(r"(?P<name>\w+) clears (?:her|his|their) session"))
def clears(visitors: Visitors, name: str) -> None:
    visitors[name].clear()


@then("the pop raised KeyError")
def pop_raised(visitors: Visitors) -> None:
    response: Exchange = visitors.last_response
    answer = response.json()
    expect(
        answer.get("error") == "KeyError",
        "session.pop(key) without a default raises KeyError when the key is missing (M-08)",
        "KeyError",
        f"pop returned {shown(answer.get('result'))}",
        response,
    )


_ANSWERS = {"False": False, "True": True, "None": None}


@then(parsers.parse('the app sees "{key}" in {name}\'s session like this:'))
def sees_key_like(visitors: Visitors, name: str, key: str, datatable: list[list[str]]) -> None:
    answers = visitors[name].look_up(key)
    by_question = {
        f'"{key}" in session': answers["contains"],
        f'session["{key}"]': (
            f"raises {answers['index']['raised']}"
            if "raised" in answers["index"]
            else answers["index"]["value"]
        ),
        f'session.get("{key}")': answers["get"],
    }
    _, *rows = datatable
    for question, answer in rows:
        if question not in by_question:
            raise AssertionError(
                f"The step cannot ask {question!r}; it knows {sorted(by_question)}."
            )
        wanted = _ANSWERS.get(answer, answer)
        actual = by_question[question]
        expect(
            actual == wanted,
            "pop removes the key from the session; it does not set it to None (M-08)",
            f"{question} to give {answer}",
            f"it gave {actual!r}",
            visitors.log[-2:],
        )
