"""Checks that fail in plain words.

A failing spec must tell the reader which Flask behaviour the app broke, what
was expected and what happened instead, with the HTTP exchange as evidence; a
bare ``assert a == b`` would tell them none of that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask
from werkzeug.exceptions import HTTPException

from flask_conformance.drive.browser import AppRaisedError, Exchange, explain
from flask_conformance.plugin.verdicts import not_applicable
from flask_conformance.target.capabilities import detect

if TYPE_CHECKING:
    from flask_conformance.drive.visitors import Visitors


class BehaviourBroken(AssertionError):
    """The app under test does not keep a behaviour the spec states."""

    #: The message says it all: reports show it instead of a traceback.
    plain_words = True


def expect(
    condition: bool,
    behaviour: str,
    expected: str,
    actual: str,
    evidence: Exchange | list[Exchange] | None = None,
) -> None:
    """Raise :class:`BehaviourBroken` unless ``condition`` holds."""
    if not condition:
        raise broken(behaviour, expected, actual, evidence)


def broken(
    behaviour: str,
    expected: str,
    actual: str,
    evidence: Exchange | list[Exchange] | None = None,
) -> BehaviourBroken:
    """The failure :func:`expect` raises, for a step that has already decided."""
    lines = [f"Broken behaviour: {behaviour}", f"  expected: {expected}", f"  actual:   {actual}"]
    exchanges = evidence if isinstance(evidence, list) else [evidence] if evidence else []
    for exchange in exchanges:
        lines.append(f"  evidence: {exchange.describe()}")
    return BehaviourBroken("\n".join(lines))


def row_for_backend(datatable: list[list[str]], backend: str) -> dict[str, str]:
    """The row of a per-backend table that describes ``backend``.

    Tables whose outcome differs by backend start with a ``backend`` column; a
    backend the table does not mention is a gap in the spec, never a pass.
    """
    header, *rows = datatable
    for row in rows:
        record = dict(zip(header, row))
        if record.get("backend") == backend:
            return record
    named = ", ".join(row[0] for row in rows)
    raise BehaviourBroken(
        f"The scenario states outcomes for {named} sessions but not for {backend} "
        "sessions: add a row for it."
    )


def shown(value: Any) -> str:
    return "nothing" if value is None else repr(value)


def shown_error(error: BaseException | None) -> str:
    """What Flask raised, as a failure's "actual" line: ``no error`` when nothing was."""
    return "no error" if error is None else f"{type(error).__name__}: {error}"


def session_cookie_of(visitors: Visitors, name: str, purpose: str) -> str:
    """``name``'s session cookie, which a step needs ``purpose`` (``"to copy"``).

    A scenario that stored a value and finds no cookie cannot go on. When the
    app raised while answering one of ``name``'s requests, that is why, and
    the failure says so, naming the app's function, as every other failure
    the app causes does; otherwise the value never reached the browser as a
    cookie, which is itself a broken behaviour, shown with the exchanges.
    """
    browser = visitors[name].browser
    value = browser.cookie_value(visitors.session_cookie_name)
    if value is not None:
        return value
    for exchange in reversed(browser.history):
        error = exchange.error or exchange.app_error
        if error is not None:
            raise AppRaisedError(
                explain(error, exchange.method, exchange.path, exchange.raised_where)
                + f" So {name} has no session cookie {purpose}."
            )
    raise broken(
        "a visitor whose session holds a value has a session cookie her browser keeps",
        f"{name}'s browser to hold the {visitors.session_cookie_name!r} cookie {purpose}",
        "it holds none",
        browser.history,
    )


def visitor_keys(app: Flask, keys: list[str]) -> list[str]:
    """The session keys a visitor (or the kit for them) put there.

    Left out: the keys the app keeps in every fresh session by itself (the
    baseline seen over HTTP, :attr:`Capabilities.app_session_keys`) and the
    underscore keys extensions keep for their own bookkeeping (Flask-Login's
    ``_fresh``, Flask-Session's ``_permanent``). "An empty session" is one
    that holds nothing else.
    """
    kept = set(detect(app).app_session_keys)
    return [key for key in keys if not key.startswith("_") and key not in kept]


def visitor_values(app: Flask, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` without the app's own keys (see :func:`visitor_keys`)."""
    wanted = set(visitor_keys(app, list(values)))
    return {key: value for key, value in values.items() if key in wanted}


def not_applicable_when_the_app_traps(app: Flask, exchange: Exchange) -> None:
    """Not applicable when the app's own TRAP_HTTP_EXCEPTIONS made an HTTP error a 500.

    With it on, Flask treats every HTTP error (``abort(403)``, a 404, the
    redirect to a URL's trailing slash) as an unhandled exception, so what
    Flask makes of an HTTP error otherwise cannot be seen on this app. Only
    when the app asks for it, and the response shows it: a Flask that turns
    a 403 into a 500 on its own still fails.
    """
    raised = exchange.error if exchange.error is not None else exchange.app_error
    trapped = exchange.error is not None or exchange.status == 500
    if not app.config.get("TRAP_HTTP_EXCEPTIONS") or not trapped:
        return
    if not isinstance(raised, HTTPException):
        return
    outcome = "escaped to the client" if exchange.error is not None else "became a 500 response"
    not_applicable(
        f"the app sets TRAP_HTTP_EXCEPTIONS = True, so Flask treats every HTTP error as an "
        f"unhandled exception: {type(raised).__name__} {outcome}, and what Flask makes of an "
        "HTTP error otherwise cannot be seen on this app. TRAP_HTTP_EXCEPTIONS is a debugging "
        "setting (it hands HTTP errors to the debugger); leave it off in the config the kit "
        "checks to run this scenario"
    )
