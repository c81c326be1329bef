"""Apps that make every session permanent in a hook, as many real apps do, and
break a check that has nothing to do with permanence: the twins that show the
checks once hidden by ``@session-left-alone`` now run and fail on them.

- ``unchecked``: believes any cookie's payload, signed or not (breaks K-01);
- ``ageless``: never checks a cookie's age on the server (breaks P-05).
"""

from __future__ import annotations

from flask import Flask, session
from flask.sessions import SessionInterface

from . import SECRET_KEY
from .no_max_age import AgelessSessionInterface
from .unchecked_signature import UncheckedSessionInterface


def _permanent_app(interface: SessionInterface) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE=True)
    app.session_interface = interface

    @app.before_request
    def make_session_permanent() -> None:
        session.permanent = True

    return app


def unchecked() -> Flask:
    return _permanent_app(UncheckedSessionInterface())


def ageless() -> Flask:
    return _permanent_app(AgelessSessionInterface())
