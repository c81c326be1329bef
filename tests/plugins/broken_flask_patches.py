"""Breakages that replace a piece of Flask itself, for the ``broken_flask`` plugin.

Where a text replacement in Flask's source cannot say it (a property, a
serializer's tag, a method whose broken form is shorter written out), a
breakage here replaces the function or attribute itself: which errorhandler
Flask picks, what it does when finishing a 500 fails, the TRAP_* settings,
the session cookie's getters, the flashed messages it takes out of the
session. Each function breaks one behaviour when called; :data:`PATCHES`
names them as ``BROKEN_FLASK`` does. Nothing here runs on import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import flask
import flask.helpers
import flask.sessions
from flask import session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import InternalServerError
from werkzeug.routing import RoutingException


def _ignore_500_handlers() -> None:
    """An unhandled error never reaches a 500 handler: breaks E-02."""
    find = flask.Flask._find_error_handler

    def without_500(self: Any, error: Exception, *blueprints: Any) -> Any:
        if isinstance(error, InternalServerError):
            return None
        return find(self, error, *blueprints)

    flask.Flask._find_error_handler = without_500  # type: ignore[method-assign]


def _log_no_unhandled_error() -> None:
    """An unhandled error is answered but never logged: breaks E-02's log line."""

    def log_exception(self: Any, exc_info: Any) -> None:
        return None

    flask.Flask.log_exception = log_exception  # type: ignore[method-assign]


def _use_every_blueprints_handlers() -> None:
    """Every blueprint's errorhandler handles every request's errors: breaks E-09.

    Flask's own lookup, over every blueprint instead of the request's.
    """

    def everywhere(self: Any, error: Exception, *request_blueprints: Any) -> Any:
        exc_class, code = self._get_exc_class_and_code(type(error))
        names = [name for name in self.error_handler_spec if name is not None] + [None]
        for wanted in (code, None) if code is not None else (None,):
            for name in names:
                handlers = self.error_handler_spec[name][wanted]
                for cls in exc_class.__mro__:
                    if cls in handlers:
                        return handlers[cls]
        return None

    flask.Flask._find_error_handler = everywhere  # type: ignore[method-assign]


def _skip_http_error_handlers() -> None:
    """An HTTP error is answered by its default page, never by its errorhandler:
    breaks E-01 for HTTP errors."""

    def handle_http_exception(self: Any, error: Any) -> Any:
        return error

    flask.Flask.handle_http_exception = handle_http_exception  # type: ignore[method-assign]


def _lose_routing_redirects() -> None:
    """A routing redirect (a URL missing its trailing slash) becomes no response at all:
    breaks E-12."""
    handle = flask.Flask.handle_http_exception

    def without_redirects(self: Any, error: Any) -> Any:
        if isinstance(error, RoutingException):
            return None
        return handle(self, error)

    flask.Flask.handle_http_exception = without_redirects  # type: ignore[method-assign]


def _lose_made_responses() -> None:
    """abort() with a response becomes no response at all: breaks E-13."""
    handle = flask.Flask.handle_http_exception

    def without_made_responses(self: Any, error: Any) -> Any:
        if error.code is None:
            return None
        return handle(self, error)

    flask.Flask.handle_http_exception = without_made_responses  # type: ignore[method-assign]


def _raise_while_finishing_the_500() -> None:
    """A failure while finishing the 500 escapes instead of being logged: breaks E-06."""

    def finalize_request(self: Any, rv: Any, from_error_handler: bool = False) -> Any:
        response = self.make_response(rv)
        return self.process_response(response)

    flask.Flask.finalize_request = finalize_request  # type: ignore[method-assign]


def _swallow_failures_silently() -> None:
    """A failure while finishing the 500 is swallowed without a log line: breaks E-06."""

    def finalize_request(self: Any, rv: Any, from_error_handler: bool = False) -> Any:
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
        except Exception:
            if not from_error_handler:
                raise
        return response

    flask.Flask.finalize_request = finalize_request  # type: ignore[method-assign]


def _trap_nothing() -> None:
    """TRAP_HTTP_EXCEPTIONS, TRAP_BAD_REQUEST_ERRORS and debug mode trap nothing:
    breaks E-10 and E-11."""

    def trap_http_exception(self: Any, error: Exception) -> bool:
        return False

    flask.Flask.trap_http_exception = trap_http_exception  # type: ignore[method-assign]


def _write_an_emptied_session_again() -> None:
    """An emptied session is deleted, then written again as an empty cookie, as if
    ``save_session`` forgot to return after the deletion: breaks W-04."""
    save = SecureCookieSessionInterface.save_session

    def save_session(self: Any, app: Any, session: Any, response: Any) -> None:
        save(self, app, session, response)
        if not session and session.modified:
            value = self.get_signing_serializer(app).dumps(dict(session))
            response.set_cookie(self.get_cookie_name(app), value, path=self.get_cookie_path(app))

    SecureCookieSessionInterface.save_session = save_session  # type: ignore[method-assign]


def _answer_no_samesite_or_domain() -> None:
    """The session interface's getters answer None for SameSite and Domain,
    whatever the config says: breaks CK-03."""

    def none(self: Any, app: Any) -> None:
        return None

    flask.sessions.SessionInterface.get_cookie_samesite = none  # type: ignore[method-assign]
    flask.sessions.SessionInterface.get_cookie_domain = none  # type: ignore[method-assign]


def _save_null_sessions() -> None:
    """The NullSession of an app without a key is saved like any other: breaks SES-04."""

    def is_null_session(self: Any, obj: object) -> bool:
        return False

    flask.sessions.SessionInterface.is_null_session = is_null_session  # type: ignore[method-assign]


def _tag_top_level_values_only() -> None:
    """The session serializer tags only top-level values: a tuple or bytes inside a
    list is no longer brought back as itself, and a dict whose key looks like a tag
    is no longer escaped: breaks J-01 (nested) and J-05."""
    from flask.json import tag

    def untagged_items(self: Any, value: Any) -> Any:
        return list(value)

    def never(self: Any, value: Any) -> bool:
        return False

    tag.PassList.to_json = untagged_items  # type: ignore[method-assign]
    tag.PassList.tag = untagged_items  # type: ignore[method-assign]
    tag.TagDict.check = never  # type: ignore[method-assign]


def _make_sessions_permanent_by_default() -> None:
    """A session with no _permanent key reads as permanent: breaks P-01 (and,
    on the reference app, makes every session permanent, which the scenarios
    about sessions left alone then take for the app's own choice)."""
    mixin = flask.sessions.SessionMixin
    mixin.permanent = property(  # type: ignore[assignment]
        lambda self: self.get("_permanent", True), mixin.permanent.fset
    )


def _keep_flashed_messages() -> None:
    """Showing the flashed messages leaves them in the session: breaks M-11."""

    def get_flashed_messages(with_categories: bool = False, category_filter: Any = ()) -> list[Any]:
        flashes = session.get("_flashes", [])
        return flashes if with_categories else [message for _, message in flashes]

    # The probe's flash views call it by the name they imported.
    probe_views = importlib.import_module("flask_conformance.drive.probe_session_views")
    for module in (flask, flask.helpers, probe_views):
        module.get_flashed_messages = get_flashed_messages  # type: ignore[attr-defined]


#: Each patch by name, as ``BROKEN_FLASK`` names it.
PATCHES: dict[str, Callable[[], None]] = {
    "no-500-handler": _ignore_500_handlers,
    "unhandled-errors-unlogged": _log_no_unhandled_error,
    "blueprint-handlers-everywhere": _use_every_blueprints_handlers,
    "http-error-handlers-skipped": _skip_http_error_handlers,
    "routing-redirects-lost": _lose_routing_redirects,
    "made-responses-lost": _lose_made_responses,
    "finishing-500-raises": _raise_while_finishing_the_500,
    "finishing-500-silent": _swallow_failures_silently,
    "trap-nothing": _trap_nothing,
    "flashes-kept": _keep_flashed_messages,
    "permanent-by-default": _make_sessions_permanent_by_default,
    "nested-values-untagged": _tag_top_level_values_only,
    "null-session-saved": _save_null_sessions,
    "cookie-getters-answer-none": _answer_no_samesite_or_domain,
    "emptied-session-written-again": _write_an_emptied_session_again,
}
