"""Telling a login the app refuses to repeat from a login that is broken.

The kit logs in far more often than a person: every scenario about the login
itself sends it again, with the same credentials, from the same client, at the
same instant on the kit's clock. An app that limits logins (Flask-Limiter's
``@limiter.limit("3/minute")`` on the login view, a lockout after N attempts)
protects itself and breaks nothing, yet past its limit the kit's logins fail.

Some limits say so over HTTP (``429 Too Many Requests``, ``Retry-After``,
``X-RateLimit-Remaining: 0``). Others do not: ihatemoney's ``on_breach``
handler answers the login with its ordinary login page and 200. What the kit
does know, whatever the app answers, is that the same login admitted the same
user earlier in this run (the check that the profile fits, before any
scenario). A login that admitted a user and then, with identical credentials,
no longer does is not "logging in is broken" (that login demonstrably works)
but "the app refuses repeated logins": the scenario cannot be run, and is not
applicable, saying so and how to lift the limit for the kit's run.

A login that crashes (5xx) the second time is never excused: that is the
app's defect whatever came before.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..drive.browser import Exchange

#: What an app that limits how often a client may log in answers past the limit.
TOO_MANY_REQUESTS = 429
#: Headers with which rate limiters say a limit was reached (Flask-Limiter's and the IETF draft's).
_REMAINING_HEADERS = ("X-RateLimit-Remaining", "RateLimit-Remaining")

LIFT_THE_LIMIT = (
    "Lift the limit for the kit's run where the app reads its config while it is built "
    "(Flask-Limiter: RATELIMIT_ENABLED = False; in the profile's [config] when the factory "
    "takes test_config, otherwise in the settings the import string names) to run this scenario"
)


class AdmittedLogins:
    """The answer each user's first admitted login got in this run."""

    def __init__(self) -> None:
        self._answers: dict[str, Exchange] = {}

    def admitted(self, username: str, login: Exchange) -> None:
        """Record that ``login`` admitted ``username`` (the first one is kept)."""
        self._answers.setdefault(username, login)

    def first(self, username: str) -> Exchange | None:
        return self._answers.get(username)


def answer(exchange: Exchange) -> str:
    """A login's answer in words: the status and, for a redirect, where to."""
    location = exchange.header("Location")
    if not location:
        return str(exchange.status)
    return f"{exchange.status} to {urlsplit(location).path or '/'}"


def limit_signs(login: Exchange) -> list[str]:
    """What in ``login``'s answer says a limit was reached, in words."""
    signs = []
    if login.status == TOO_MANY_REQUESTS:
        signs.append("429 Too Many Requests")
    retry = login.header("Retry-After")
    if retry:
        signs.append(f"Retry-After: {retry}")
    for name in _REMAINING_HEADERS:
        if (login.header(name) or "").strip() == "0":
            signs.append(f"{name}: 0")
    return signs


def refused_repeat(
    login: Exchange, username: str, describe: str, before: Exchange | None
) -> str | None:
    """Why ``login`` is the app refusing a repeated login, or None.

    ``before`` is the login that admitted ``username`` earlier in the run.
    The login is refused when the app says it limits logins, or when its
    answer is not the one that admitted the user (another status, a redirect
    elsewhere). A 5xx is the app failing, never a refusal.
    """
    if login.status >= 500:
        return None
    signs = limit_signs(login)
    if signs:
        return (
            f"the app answered the login {describe} with {', '.join(signs)}: it limits how "
            "often anyone may log in, and the kit logs in far more often than a person would. "
            + LIFT_THE_LIMIT
        )
    if before is None or answer(login) == answer(before):
        return None
    then, now = f"answered {answer(before)}", f"answers it {answer(login)}"
    return _repeat_reason(username, describe, then, now)


def refused_admission(username: str, describe: str, before: Exchange | None) -> str | None:
    """Why a login the protected page did not admit is a refused repeat, or None.

    For an app whose limit answers the login exactly as a successful one does
    (200 and a page, both times): the protected page is the only witness.
    """
    if before is None:
        return None
    then = f"answered {answer(before)} and admitted them"
    return _repeat_reason(username, describe, then, "no longer admits them")


def _repeat_reason(username: str, describe: str, then: str, now: str) -> str:
    return (
        f"the same login {describe} as {username!r} {then} earlier in this run (when the kit "
        f"checked that the profile fits), and now {now}: the app refuses repeated logins with "
        "the same credentials (a login rate limit or lockout, like Flask-Limiter's "
        "on_breach page), and the kit logs in far more often than a person would. "
        + LIFT_THE_LIMIT
    )
