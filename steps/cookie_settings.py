"""Steps for the session cookie's attributes as the app configured them.

The kit sets a ``SESSION_COOKIE_*`` value for one scenario (the app's config
is put back after it, see :func:`flask_conformance.plugin.conformance_app`)
and reads the ``Set-Cookie`` the app really sent. The settings are the
contract of Flask's and Flask-Session's session interfaces (and of their
subclasses); an interface of the app's own, or one that answers an attribute
from its own ``get_cookie_*`` code, is not judged on them: the scenario does
not apply, saying so.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from pytest_bdd import given, parsers, then

from flask_conformance.drive.browser import SetCookie
from flask_conformance.drive.probe import probe_state
from flask_conformance.drive.visitors import Visitors
from flask_conformance.plugin import verdicts

from .checks import expect, row_for_backend
from .values import feature_value

#: The cookie attributes Flask's SessionInterface answers through a method of
#: their own: ``get_cookie_<attribute>()``, reading ``SESSION_COOKIE_<ATTRIBUTE>``.
_ATTRIBUTES_WITH_GETTERS = ("samesite", "domain", "path", "secure", "httponly", "partitioned")
#: The same getters by the cookie attribute each answers (``samesite``, ``path``...).
_ATTRIBUTE_GETTERS = {
    attribute: f"get_cookie_{attribute}" for attribute in _ATTRIBUTES_WITH_GETTERS
}
#: The session interface's method that answers each setting.
_GETTERS = {
    f"SESSION_COOKIE_{attribute.upper()}": getter
    for attribute, getter in _ATTRIBUTE_GETTERS.items()
}


@given(parsers.re(r"the app sets (?P<setting>[A-Z_]+) to (?P<value>.+)"))
def app_sets(app_under_test: Flask, setting: str, value: str) -> None:
    """Set one config value for this scenario (``"Lax"``, ``None``, ``True``)."""
    _not_applicable_unless_the_interface_follows_the_settings(app_under_test)
    app_under_test.config[setting] = feature_value(value)
    probe_state(app_under_test).settings[setting] = app_under_test.config[setting]
    _not_applicable_if_decided_in_code(app_under_test, setting)


def _not_applicable_unless_the_interface_follows_the_settings(app: Flask) -> None:
    """The settings are the contract of Flask's and Flask-Session's interfaces only.

    An interface of the app's own (not derived from either) writes its cookie
    in its own code, with the attributes its authors chose: the
    ``SESSION_COOKIE_*`` settings are not what it promises to follow. A
    subclass of Flask's or Flask-Session's interface still is, even when it
    writes the cookie itself.
    """
    interface = app.session_interface
    if isinstance(interface, SecureCookieSessionInterface):
        return
    try:
        from flask_session.base import ServerSideSessionInterface
    except ImportError:  # pragma: no cover - flask-session is a dependency
        ServerSideSessionInterface = None
    if ServerSideSessionInterface is not None and isinstance(interface, ServerSideSessionInterface):
        return
    verdicts.not_applicable(
        f"the app's own session interface {type(interface).__name__} writes its cookie in its "
        "own code; the SESSION_COOKIE_* settings are how Flask's signed cookie and "
        "Flask-Session write theirs, so they are not what this app's cookie promises to follow"
    )


def _not_applicable_if_decided_in_code(app: Flask, setting: str) -> None:
    """The scenario does not apply when the app's interface ignores ``setting``.

    Flask's and Flask-Session's interfaces read every attribute from the
    config through one ``get_cookie_*`` method each; an app may override one
    to decide in code. Asked outside a request such a method may raise (it
    reads the request): the cookie the app sends then decides.
    """
    getter = _GETTERS.get(setting)
    if getter is None:
        return  # no get_cookie_* method reads this setting
    method = getattr(app.session_interface, getter, None)
    if method is None or not _overridden_by_the_app(app.session_interface, getter):
        return  # Flask's or Flask-Session's own getter: what it answers is theirs to keep
    wanted = app.config[setting]
    if setting == "SESSION_COOKIE_PATH" and wanted is None:
        return  # falls back to APPLICATION_ROOT (CK-04): the next step sets that
    try:
        answer = method(app)
    except Exception:  # noqa: BLE001 - it needs a request; the sent cookie decides
        return
    if answer != wanted:
        verdicts.not_applicable(
            f"the app's session interface {type(app.session_interface).__name__} decides this "
            f"attribute in its own {getter}() (it answers {answer!r}, not {setting} = "
            f"{wanted!r}), so the setting is not what this app's cookie follows"
        )


def _overridden_by_the_app(interface: object, getter: str) -> bool:
    """Whether the class that defines ``getter`` is the app's, not Flask's or Flask-Session's."""
    owner = next((cls for cls in type(interface).__mro__ if getter in vars(cls)), None)
    if owner is None:
        return False
    return not owner.__module__.startswith(("flask.", "flask_session."))


#: ``SameSite=Lax``, ``Secure``, ``no HttpOnly``: one expected attribute.
_ATTRIBUTE = re.compile(r"(?P<no>no )?(?P<name>[A-Za-z-]+)(?:=(?P<value>\S+))?")


def _carries(cookie: SetCookie, wanted: str) -> bool:
    """Whether ``cookie`` carries one attribute as ``wanted`` words it."""
    match = _ATTRIBUTE.fullmatch(wanted.strip())
    if match is None:
        raise ValueError(f"Cannot read the cookie attribute {wanted!r}.")
    present = cookie.attributes.get(match["name"].lower())
    if match["no"]:
        return present is None
    if match["value"] is None:
        return present is True
    return present == match["value"]


def _expect_carries(visitors: Visitors, wanted: str, behaviour: str) -> None:
    response = visitors.last_response
    cookie = response.set_cookie(visitors.session_cookie_name)
    parts = [part.strip() for part in wanted.split(",")]
    missing = [part for part in parts if cookie is None or not _carries(cookie, part)]
    expect(
        not missing,
        behaviour,
        f"the session cookie's Set-Cookie to carry {wanted}",
        "no session cookie was sent"
        if cookie is None
        else f"it does not carry {', '.join(missing)}: Set-Cookie: {cookie.raw}",
        response,
    )


def _not_applicable_if_the_app_set_its_own(app: Flask) -> None:
    """The scenario does not apply when the app's own code put back a setting the kit gave.

    Flask-Talisman's ``force_https`` sets ``SESSION_COOKIE_SECURE = True`` in a
    before_request, on every request: the ``False`` the kit set for the
    scenario was never in effect when the cookie was written.
    """
    changed = [
        f"{setting} to {app.config.get(setting)!r} (the kit had set {value!r})"
        for setting, value in probe_state(app).settings.items()
        if app.config.get(setting) != value
    ]
    if changed:
        verdicts.not_applicable(
            f"the app's own code set {', '.join(changed)} while it answered the request (as "
            "Flask-Talisman's force_https does with SESSION_COOKIE_SECURE on every request), so "
            "the setting this scenario is about was not in effect when the cookie was written"
        )


def _not_applicable_if_the_interface_chose(app: Flask, visitors: Visitors, wanted: str) -> None:
    """The scenario does not apply when the app's own getter chose what the cookie lacks.

    :func:`app_sets` asks an overriding getter before the scenario's request,
    but some can only answer once a request has gone through the app (Calibre-Web's
    ``get_cookie_path`` reads the mount point its proxy middleware last saw, so
    ``APPLICATION_ROOT`` is not what its cookie follows). After the request they
    can. The cookie must still carry what the getter answers: one that does not
    is the app's defect, and fails.
    """
    cookie = visitors.last_response.set_cookie(visitors.session_cookie_name)
    if cookie is None:
        return
    chosen = []
    for part in wanted.split(","):
        match = _ATTRIBUTE.fullmatch(part.strip())
        if match is None or _carries(cookie, part):
            continue
        name = match["name"].lower()
        getter = _ATTRIBUTE_GETTERS.get(name)
        if getter is None or not _overridden_by_the_app(app.session_interface, getter):
            return
        try:
            answer = getattr(app.session_interface, getter)(app)
        except Exception:  # noqa: BLE001 - it needs a request: the configured value stands
            return
        if not _carries_answer(cookie, name, answer):
            return  # not even what the app's own getter answers: the app's defect
        chosen.append(f"{getter}() answers {answer!r}")
    if chosen:
        verdicts.not_applicable(
            f"the app's session interface {type(app.session_interface).__name__} decides "
            f"this attribute in its own code ({', '.join(chosen)}, and the cookie carries "
            f"that, not {wanted}), so the setting is not what this app's cookie follows"
        )


def _carries_answer(cookie: SetCookie, name: str, answer: object) -> bool:
    """Whether ``cookie`` carries attribute ``name`` as a getter's ``answer`` has it."""
    present = cookie.attributes.get(name)
    if isinstance(answer, bool):
        return (present is True) == answer
    if answer is None:
        return present is None
    return isinstance(present, str) and present.lower() == str(answer).lower()


@then(parsers.parse("the response's session cookie carries {wanted}"))
def cookie_carries(app_under_test: Flask, visitors: Visitors, wanted: str) -> None:
    _not_applicable_if_the_app_set_its_own(app_under_test)
    _not_applicable_if_the_interface_chose(app_under_test, visitors, wanted)
    _expect_carries(
        visitors,
        wanted,
        "the session cookie carries the attributes the app configured (CK-03, CK-04, CK-09)",
    )


@then(parsers.parse("what the response's session cookie carries depends on the backend:"))
def cookie_carries_by_backend(
    app_under_test: Flask, visitors: Visitors, backend: str, datatable: list[list[str]]
) -> None:
    _not_applicable_if_the_app_set_its_own(app_under_test)
    row = row_for_backend(datatable, backend)
    _expect_carries(visitors, row["carries"], f"on {backend} sessions: {row['why']} (CK-06)")
