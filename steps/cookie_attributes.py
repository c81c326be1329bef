"""Steps for the session and remember cookies' attributes: Secure, HttpOnly,
SameSite, the __Host- prefix, Domain and Path, size
(features/security/cookie_attributes.feature).

The cookie is issued once per scenario (``issued``); each attribute check
gives its verdict through :func:`give_verdict_on`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from pytest_bdd import given, parsers, then

from flask_conformance.drive.browser import Exchange, SetCookie
from flask_conformance.drive.visitors import Visitors
from flask_conformance.journeys.remember import (
    always_remembered,
    no_remember_cookie,
    remember_cookie,
)
from flask_conformance.plugin import verdicts
from flask_conformance.security import cookie_attributes
from flask_conformance.target.load import Target

from .checks import expect

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
        login = visitors[name].be_logged_in(profile)
        header = always_remembered(visitors.app, login)
        if header is None:
            verdicts.not_applicable(no_remember_cookie(visitors.app, profile))
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
