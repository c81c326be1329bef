"""A user's login, made once per run and restored where that is the same thing.

Most journey and security scenarios start from "Alice has logged in": what
they judge happens afterwards. Logging in again for each of them pays the
app's password hash every time (scrypt, bcrypt or argon2 take 0.1 to 0.5 s
on purpose), which made a run with a profile several times as long as one
without. So the kit keeps the browser's cookies after a user's first login in
a scenario and, in later scenarios, puts a copy in the browser instead of
logging in again, when the copy is exactly what a new login would give:

- the session lives wholly in the cookie (Flask's signed-cookie sessions).
  A server-side store starts every scenario empty, so a copied cookie would
  name a session that is not there; those apps log in every time;
- the login would start from the same place: a browser with no cookies, the
  same instant on the kit's clock (every scenario starts at the same one) and
  the same app config;
- the app still admits the copy. An app that revokes sessions on the server
  at logout (a per-user "not before") refuses a copy taken before a later
  scenario logged out. The step "Given Alice has logged in" checks the
  protected page, as it does after a real login, and when the app turns a
  restored copy away it forgets it and logs in for real
  (:meth:`Visitor.log_in_again <flask_conformance.drive.visitors.Visitor.log_in_again>`),
  so a scenario that logs out never leaves a later one a lie. Steps that use
  the login response itself (its ``Set-Cookie``) need no such check: a
  revoked session does not change the header the app sent.

The first capture of each user is the login the kit makes anyway before any
scenario, to check that the profile fits the app
(:func:`~flask_conformance.journeys.runner.check_fits`), made at the instant
every scenario starts. Scenarios about the login itself or what it does on
the server (logging in, session fixation, a new session id, remember-me,
isolation between users) always send it. The exchanges of the captured
login are shown in a restoring scenario's evidence, marked as restored.
Learning which session values say who is logged in
(:func:`~flask_conformance.journeys.identity.login_identity`) takes the first login of
the user and the other user's from here too, when the app admits the copies.
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from http.cookiejar import Cookie, CookieJar

from flask import Flask

from ..drive.browser import Exchange
from ..target.backends import COOKIE, session_backend
from .login_limits import AdmittedLogins


@dataclass(frozen=True)
class CapturedLogin:
    """The cookies a login left in a browser, and its exchanges as evidence."""

    cookies: tuple[Cookie, ...]
    exchanges: tuple[Exchange, ...]

    def restore_into(self, jar: CookieJar, visitor: str) -> list[Exchange]:
        """Put copies of the cookies in ``jar``; the exchanges, as ``visitor``'s, restored."""
        for cookie in self.cookies:
            jar.set_cookie(copy.copy(cookie))
        return [replace(exchange, restored=True, visitor=visitor) for exchange in self.exchanges]


class LoginCache:
    """Captured logins of one run (one process), by app, user and instant."""

    def __init__(self) -> None:
        self._captured: dict[Hashable, CapturedLogin] = {}
        #: The login that first admitted each user (on any backend): a later
        #: login it no longer admits is the app refusing to repeat it.
        self.admitted = AdmittedLogins()

    @staticmethod
    def key(app: Flask, username: str, remember: bool = False) -> Hashable | None:
        """What a login's result depends on; None where a copy would not be the same."""
        if session_backend(app) != COOKIE:
            return None
        config = repr(sorted(app.config.items(), key=lambda item: item[0]))
        now = _dt.datetime.now(_dt.timezone.utc)
        return (id(app), username, remember, now, hash(config))

    def get(self, key: Hashable | None) -> CapturedLogin | None:
        return None if key is None else self._captured.get(key)

    @staticmethod
    def captured_from(jar: CookieJar, exchanges: Iterable[Exchange]) -> CapturedLogin:
        """Copies of the cookies in ``jar`` now, with the login's ``exchanges``."""
        return CapturedLogin(tuple(copy.copy(cookie) for cookie in jar), tuple(exchanges))

    def keep(self, key: Hashable | None, captured: CapturedLogin) -> None:
        if key is not None:
            self._captured[key] = captured

    def capture(
        self, key: Hashable | None, jar: CookieJar, exchanges: Iterable[Exchange]
    ) -> None:
        self.keep(key, self.captured_from(jar, exchanges))

    def forget(self, key: Hashable | None) -> None:
        self._captured.pop(key, None)
