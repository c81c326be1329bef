"""Acting out a journey profile against an app: requests, setup and checks.

:mod:`~flask_conformance.journeys.profile_reading` reads a profile; this module uses one. It
sends the profile's requests (filling in the user, headers and CSRF token),
prepares the app before the specs run (``[setup]``), and checks once, before
any scenario, that the profile fits the app: a login path that answers 404 or
credentials the app refuses would otherwise fail every journey scenario with
the same confusing message.
"""

from __future__ import annotations

import html
import importlib
import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from ..drive.address import address_of
from ..drive.browser import AppRaisedError, Browser, Exchange, explain
from ..drive.clock import Clock
from ..hooks import trace
from .flask_basics import why_gates_leak, why_sessions_forget
from .login_cache import LoginCache
from .page_text import shows
from .profile import CsrfSpec, JourneyProfile, ProfileError, RequestSpec, User

#: How much of a page a one-line message quotes.
_QUOTE_CHARS = 80


def send(
    browser: Browser, user: User, spec: RequestSpec, extra: dict[str, Any] | None = None
) -> Exchange:
    """Send one of the profile's requests as ``user``, with ``extra`` body fields."""
    headers = dict(user.fill(spec.headers))
    form = user.fill(spec.form)
    json_body = user.fill(spec.json)
    if extra:
        if json_body is not None:
            json_body = {**json_body, **extra}
        else:
            form = {**(form or {}), **{key: str(value) for key, value in extra.items()}}
    if spec.csrf is not None:
        token_field, token = csrf_token(browser, spec.csrf)
        if spec.csrf.from_cookie is not None:
            headers[spec.csrf.header or ""] = token
        elif json_body is not None:
            json_body = {**json_body, token_field: token}
        else:
            form = {**(form or {}), token_field: token}
    return browser.request(
        spec.method, spec.path, form=form, json_body=json_body, headers=headers or None
    )


def csrf_token(browser: Browser, csrf: CsrfSpec) -> tuple[str, str]:
    """The CSRF token the app expects next, and the field it goes in."""
    page = browser.open_page(csrf.from_page) if csrf.from_page else None
    if csrf.from_cookie is not None:
        value = browser.cookie_value(csrf.from_cookie)
        if value is None:
            where = f" after opening {csrf.from_page}" if csrf.from_page else ""
            raise ProfileError(
                f"The app set no {csrf.from_cookie!r} cookie{where}, so the kit has no CSRF "
                "token to send: check csrf.from_cookie (or add from_page, the page that sets it)."
            )
        return csrf.from_cookie, value
    assert page is not None and csrf.field is not None  # the parser guarantees both
    if page.app_error is not None:  # the app's defect, not the profile's
        raise AppRaisedError(
            explain(page.app_error, page.method, page.path, page.raised_where)
            + f" The kit opened it for the CSRF token of {csrf.field!r}."
        )
    value = hidden_field(page.text, csrf.field)
    if value is None:
        landed = f", after redirects {page.path}" if page.path != csrf.from_page else ""
        raise ProfileError(
            f"{csrf.from_page} (answered {page.status}{landed}) has no form field named "
            f"{csrf.field!r}, so the kit has no CSRF token to send: check csrf.field."
        )
    return csrf.field, value


_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def hidden_field(page: str, name: str) -> str | None:
    """The value of the ``<input name=...>`` in ``page``, or None."""
    for tag in _INPUT.findall(page):
        attributes = {
            match[0].lower(): html.unescape(match[1] or match[2] or match[3])
            for match in _ATTRIBUTE.findall(tag)
        }
        if attributes.get("name") == name:
            return attributes.get("value", "")
    return None


def page_admits(profile: JourneyProfile, user: User, exchange: Exchange) -> bool:
    """Whether ``exchange`` is the protected page as ``user`` sees it logged in."""
    expected = profile.logged_in
    if exchange.status != expected.status:
        return False
    return expected.contains is None or shows(exchange, user.fill(expected.contains))


# -- before the specs run --------------------------------------------------


def prepare(app: Flask, profile: JourneyProfile) -> None:
    """Run the profile's ``[setup]``: command, then callable, then registrations."""
    setup = profile.setup
    if setup.command:
        # ``flask CMD`` runs inside an app context that FlaskGroup pushes; the
        # test runner invokes ``app.cli`` directly, so it needs one of its own.
        with app.app_context():
            result = app.test_cli_runner().invoke(args=setup.command)
        if result.exit_code != 0:
            error = result.exception
            said = _last_line(result.output) or (
                f"{type(error).__name__}: {_last_line(str(error))}" if error else "no output"
            )
            raise ProfileError(
                f"The profile's setup command 'flask {' '.join(setup.command)}' failed "
                f"(exit {result.exit_code}: {said}): check [setup] command in {profile.source}."
            )
    if setup.callable:
        _call_setup(app, setup.callable, profile.source)
    if setup.register:
        for user in profile.users:
            exchange = send(Browser(app, name="setup"), user, setup.register)
            if exchange.app_error is not None:
                error, where = exchange.app_error, exchange.raised_where
                raise AppRaisedError(explain(error, exchange.method, exchange.path, where))
            if exchange.status >= 400:
                raise ProfileError(
                    f"Registering {user.username!r} with {setup.register.describe()} answered "
                    f"{exchange.status} ({_quote(exchange)}): check [setup] register in "
                    f"{profile.source}."
                )


def _call_setup(app: Flask, import_string: str, source: str) -> None:
    module_name, _, name = import_string.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as error:
        raise ProfileError(
            f"The profile's setup callable {import_string!r} cannot be found ({error}): "
            f"check [setup] callable in {source}."
        ) from None
    try:
        function(app)
    except Exception as error:  # noqa: BLE001 - the app's own setup code failed
        raise ProfileError(
            f"The profile's setup callable {import_string!r} raised "
            f"{type(error).__name__}: {error}. Fix it or [setup] callable in {source}."
        ) from None


class AppDefectNotProfile(ProfileError):
    """The profile does not seem to fit because the app breaks a promise of Flask's.

    Its sessions keep nothing between requests (no login lasts), or a
    before_request that answers does not end the request (no gate keeps
    anybody out). Not a mistake in the profile but a defect of the app, or
    of the Flask it runs on (:mod:`flask_conformance.journeys.flask_basics`): every
    scenario still runs, and those that meet the defect fail, naming it.
    """

    DEFECT = "That is the app's defect, not the profile's: the scenarios that meet it report it."


class LoginAnsweredByHook(ProfileError):
    """The app's own before_request answers the login, so nobody can log in.

    Not a mistake in the profile but a defect of the app: the journeys cannot
    run, and the hygiene checks report the hook.
    """


def check_fits(app: Flask, profile: JourneyProfile, logins: LoginCache | None = None) -> None:
    """Log every profile user in once; raise :class:`ProfileError` if that fails.

    A protected page that admits anybody, a login path the app does not have,
    or credentials it refuses, is a mistake in the profile, said once, not a
    broken behaviour in every journey scenario. A login that the app's own
    before_request answers is the app's defect: :class:`LoginAnsweredByHook`.
    With ``logins``, the logins are made at the instant
    every scenario starts and kept there, so that scenarios which only need
    a user logged in can restore them instead of paying the app's password
    hash again (see :mod:`flask_conformance.journeys.login_cache`).
    """
    _check_canonical_paths(app, profile)
    public = _public_page(app, profile)  # before any login: nobody can be logged in yet
    clock = Clock()
    if logins is not None and logins.key(app, profile.users[0].username) is not None:
        clock.start()
    try:
        for user in profile.users:
            _check_login(app, profile, user, logins, public)
    finally:
        clock.stop()


def _check_login(
    app: Flask,
    profile: JourneyProfile,
    user: User,
    logins: LoginCache | None,
    public: str | None,
) -> None:
    browser = Browser(app, name=user.username)
    key = logins.key(app, user.username) if logins is not None else None
    hooks: list[dict[str, Any]] = []
    with trace.recording(app, hooks):
        login = send(browser, user, profile.login)
    captured = (
        None if logins is None else logins.captured_from(browser.jar, list(browser.history))
    )
    if login.app_error is not None and login.raised_where:
        # The app's own login raises: a broken app, not a profile that does
        # not fit; the journey scenarios report it, naming the function.
        raise AppRaisedError(explain(login.app_error, login.method, login.path, login.raised_where))
    if _routed(app, profile.login):
        _check_login_reached_view(profile, login, hooks)
    if public is not None:
        leaks = why_gates_leak(app)
        if leaks is not None:
            raise AppDefectNotProfile(
                f"{profile.protected_path} admitted a visitor who had not logged in, because "
                f"{leaks}. {AppDefectNotProfile.DEFECT}"
            )
        raise ProfileError(public)
    if login.status in (404, 405):
        raise ProfileError(
            f"The profile's login {profile.login.describe()} answered {login.status} "
            f"({'no such page' if login.status == 404 else 'method not allowed'}): "
            f"fix [login] path or method in {profile.source}."
        )
    page = browser.get(profile.protected_path)
    if not page_admits(profile, user, page):
        forgets = why_sessions_forget(app)
        if forgets is not None:
            raise AppDefectNotProfile(
                f"Logging {user.username!r} in did not last: {profile.login.describe()} "
                f"answered {login.status} ({_quote(login)}) and {profile.protected_path} then "
                f"answered {page.status}, because the app's sessions keep nothing between "
                f"requests: {forgets}. {AppDefectNotProfile.DEFECT}"
            )
        raise ProfileError(
            f"The app did not log {user.username!r} in: {profile.login.describe()} answered "
            f"{login.status} ({_quote(login)}) and {profile.protected_path} then answered "
            f"{page.status}{_missing(profile, user, page)}. Check that user's password in "
            f"[[users]], [setup] (does the user exist?) and [protected] in {profile.source}."
        )
    if logins is not None:
        logins.admitted.admitted(user.username, login)
        if captured is not None:
            logins.keep(key, captured)


def _check_canonical_paths(app: Flask, profile: JourneyProfile) -> None:
    """Refuse a profile path that the app's routing redirects to its trailing slash.

    A route written ``/login/`` answers ``/login`` with a 308 to ``/login/``:
    the app's login is at the URL with the slash, which is where its own
    form posts, so the profile names the wrong path.
    """
    adapter = app.url_map.bind(address_of(app).host)
    asked = [("login", profile.login), ("logout", profile.logout)]
    asked.append(("protected", RequestSpec("GET", profile.protected_path)))
    for section, spec in asked:
        try:
            adapter.match(spec.path.split("?")[0], method=spec.method)
        except RequestRedirect as redirect:
            canonical = urlsplit(redirect.new_url).path
            raise ProfileError(
                f"The profile's [{section}] path {spec.path} is not the app's URL: its route is "
                f"{canonical}, and Flask's routing answers {spec.describe()} with a redirect "
                f'there. Set [{section}] path = "{canonical}" in {profile.source}.'
            ) from None
        except HTTPException:  # no such route: the checks below say so
            continue


def _routed(app: Flask, spec: RequestSpec) -> bool:
    """Whether one of the app's routes takes ``spec``'s method and path."""
    try:
        app.url_map.bind(address_of(app).host).match(spec.path, method=spec.method)
    except (NotFound, MethodNotAllowed):
        return False
    except HTTPException:  # a redirect to the canonical URL: the route is there
        return True
    return True


def _public_page(app: Flask, profile: JourneyProfile) -> str | None:
    """Why ``[protected]`` names a page a visitor who never logged in can see, or None.

    Every journey judges "logged in" by that page; a public one would make a
    visitor look logged in who is not (a false fixation finding, say).
    """
    page = Browser(app, name="a visitor who has not logged in").get(profile.protected_path)
    admitted = [user for user in profile.users if page_admits(profile, user, page)]
    if not admitted and page.status == profile.logged_out.status:
        return None
    contains = profile.logged_in.contains
    shown = f" showing {admitted[0].fill(contains)!r}" if admitted and contains else ""
    return (
        f"{profile.protected_path} answered {page.status}{shown} to a visitor who had not "
        f"logged in, not {profile.logged_out.status} as [protected] logged_out says: set "
        "[protected] path to a page only logged-in users can see (or logged_out to what it "
        f"answers visitors) in {profile.source}."
    )


def _check_login_reached_view(
    profile: JourneyProfile, login: Exchange, hooks: list[dict[str, Any]]
) -> None:
    """Say so when one of the app's before_request functions stopped the login.

    A hook that *returned* a response (a page, a redirect) answered the login
    itself: nobody can ever log in, the app's defect. A hook that *aborted*
    (400, 403) is a guard refusing this request, most often a CSRF check the
    profile did not pass: a profile mistake, said with the fix.
    """
    hook = next(
        (
            hook
            for hook in hooks
            if hook["kind"] == "before_request" and hook["outcome"] in ("answered", "aborted")
        ),
        None,
    )
    if hook is None:
        return
    if hook["outcome"] == "aborted":
        raise ProfileError(
            f"The app's before_request {hook['name']} refused the login "
            f"{profile.login.describe()} with {login.status} before its view ran "
            f"({_quote(login)}): if the app checks a CSRF token (Flask-WTF's CSRFProtect does), "
            f"add csrf = {{ from_page = ..., field = ... }} to [login] in {profile.source}, or "
            "set WTF_CSRF_ENABLED = false in [config]."
        )
    raise LoginAnsweredByHook(
        f"The app's before_request {hook['name']} answered the login "
        f"{profile.login.describe()} itself ({login.status}, {_quote(login)}), so the login "
        "view never ran and nobody can log in: the hook must return None for the login "
        "endpoint (H-06). The journeys cannot run until it does; the hygiene check of the "
        "login page reports it."
    )


def _missing(profile: JourneyProfile, user: User, page: Exchange) -> str:
    contains = profile.logged_in.contains
    if contains is None or page.status != profile.logged_in.status:
        return f", not {profile.logged_in.status}"
    return f" without {user.fill(contains)!r}"


def _quote(exchange: Exchange) -> str:
    """A short, one-line quote of what a page said, for a message."""
    location = exchange.header("Location")
    if location:
        return f"redirect to {location}"
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", exchange.text, flags=re.DOTALL | re.IGNORECASE)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    if not text:
        return "an empty page"
    return repr(text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS] + "...")


def _last_line(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else ""
