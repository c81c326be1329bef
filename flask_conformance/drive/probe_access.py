"""Getting the kit's own probe requests through the app's ordinary protection.

Correct apps guard their pages: Flask-WTF's ``CSRFProtect`` answers a POST
without a token with 400 (and every method, where the app checks CSRF on
GET too), and an app-wide login gate redirects anonymous visitors to the
login page. Both would answer the kit's probe requests before the probe's
views run, so no session spec could run. Users cannot edit third-party hooks,
so the kit gets through by itself, for its own requests only:

- **Flask-WTF.** The app's ``CSRFProtect`` (``app.extensions["csrf"]``) is
  told, through its public :meth:`~flask_wtf.csrf.CSRFProtect.exempt`, to
  exempt the probe's blueprints.
- **Any other before_request that answers.** Every app-wide
  ``before_request`` function is wrapped once: on a request for a path under
  the probe's prefix, an answer it gives (a returned response, or an
  ``abort()``) is set aside and Flask carries on as if it had returned None.
  The function still *runs*, so what it does on every request (load the
  user, read the session, write a key) is still what the session specs
  observe. What it wrote into the session while turning the visitor away
  (the page to come back to, a "please log in" flash) is undone with the
  answer: no visitor who reaches a page gets those writes. Requests for the
  app's own pages, including the hook trace and the hygiene checks, get the
  very same answers as without the kit.

What the kit did is kept on the probe's state and said in one line at the
top of the run (:func:`describe`).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, current_app, request
from werkzeug.exceptions import HTTPException

from ..hooks.trace import is_kit_hook, qualified_name
from .probe import BLUEPRINT_NAME, PREFIX, opened_session, probe_state

#: Marks the wrappers this module put around the app's hooks (wrap once).
_WRAPPED = "__flask_conformance_probe_access__"


def open_the_way(app: Flask) -> None:
    """Let the kit's probe requests through ``app``'s CSRF check and gates."""
    _exempt_from_csrf(app)
    funcs = app.before_request_funcs.get(None, [])
    for index, func in enumerate(funcs):
        if not getattr(func, _WRAPPED, False) and not is_kit_hook(func):
            funcs[index] = _answer_set_aside_for_probe(func)


def is_probe_request() -> bool:
    """Whether the current request is for a path under the probe's prefix."""
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def describe(app: Flask) -> str | None:
    """What the kit does to reach its probe on ``app``, in one line, or None."""
    state = probe_state(app)
    parts = []
    if state.csrf_exempted:
        parts.append(
            "the kit exempts its own blueprint from the app's Flask-WTF CSRFProtect "
            "(csrf.exempt), so its probe requests need no token"
        )
    for name, answer in state.answers_set_aside.items():
        parts.append(
            f"the app's before_request {name} answers the kit's probe requests ({answer}): "
            f"the kit sets that answer aside for paths under {PREFIX} only (the function "
            "still runs), so the app's own pages are checked exactly as they are"
        )
    return "; ".join(parts) or None


def _exempt_from_csrf(app: Flask) -> None:
    csrf = app.extensions.get("csrf")
    exempt = getattr(csrf, "exempt", None)
    if exempt is None:
        return
    for name, blueprint in app.blueprints.items():
        is_probe = name == BLUEPRINT_NAME or name.startswith(BLUEPRINT_NAME + ".")
        if is_probe and isinstance(blueprint, Blueprint):
            exempt(blueprint)
    probe_state(app).csrf_exempted = True


def _answer_set_aside_for_probe(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func``, except that on a probe request its answer is set aside.

    The wrapper keeps the function's name and module (and ``__wrapped__``),
    so the hook trace, the hygiene checks and the culprit of an error still
    name the app's own function.
    """

    @functools.wraps(func)
    def before_request(*args: Any, **kwargs: Any) -> Any:
        call = current_app.ensure_sync(func)
        if not is_probe_request():
            return call(*args, **kwargs)
        before = _SessionState.of(opened_session())
        try:
            answer = call(*args, **kwargs)
        except HTTPException as error:
            _note(func, f"aborted with {error.code}")
            before.restore()
            return None
        if answer is not None:
            _note(func, _describe_answer(answer))
            before.restore()
        return None

    setattr(before_request, _WRAPPED, True)
    return before_request


@dataclass
class _SessionState:
    """The request's session as it was before a hook ran, to put back.

    A gate writes into the session only while it turns a visitor away (the
    page to come back to, a "please log in" flash). No visitor who reaches a
    page ever gets those writes: an anonymous one is turned away, a logged-in
    one is let through without them. So when the kit sets a gate's answer
    aside, it also undoes what the gate wrote while answering; what the gate
    *read* stays read, since it reads for every visitor.
    """

    session: Any
    data: dict[str, Any] = field(default_factory=dict)
    modified: bool = False
    permanent: Any = None

    @classmethod
    def of(cls, session: Any) -> _SessionState:
        if session is None:
            return cls(None)
        with _unnoticed(session):
            return cls(
                session,
                _copied(session),
                bool(getattr(session, "modified", False)),
                getattr(session, "permanent", None),
            )

    def restore(self) -> None:
        session = self.session
        if session is None or not isinstance(session, dict):
            return
        with _unnoticed(session):
            # dict's own methods, not the session's: those would mark it modified.
            dict.clear(session)
            dict.update(session, self.data)
            if hasattr(session, "permanent") and session.permanent != self.permanent:
                session.permanent = self.permanent
            if hasattr(session, "modified"):
                session.modified = self.modified


def _copied(session: Any) -> dict[str, Any]:
    """The session's data, down to the lists in it.

    ``flash()`` appends to the list already under ``_flashes``, in place: a
    shallow copy would share that list and keep the gate's "please log in"
    after the restore. A value that cannot be copied is kept as it is.
    """
    try:
        return copy.deepcopy(dict(session))
    except Exception:  # noqa: BLE001 - an object of the app's that refuses copying
        return dict(session)


@contextmanager
def _unnoticed(session: Any) -> Iterator[None]:
    """Let the kit look at the session without it counting as the app's use.

    Since Flask 3.1.3 any look (``in``, ``len``, iterating) marks the session
    accessed, which adds ``Vary: Cookie``; the kit's own looks must not.
    """
    accessed = getattr(session, "accessed", None)
    try:
        yield
    finally:
        if accessed is not None:
            session.accessed = accessed


def _note(func: Callable[..., Any], answer: str) -> None:
    probe_state(current_app).answers_set_aside.setdefault(qualified_name(func), answer)


def _describe_answer(answer: Any) -> str:
    """``302 to /login`` for a response; ``a page`` for anything else."""
    try:
        response = current_app.make_response(answer)
    except Exception:  # noqa: BLE001 - a value Flask cannot turn into a response
        return "an answer"
    location = (response.headers.get("Location") or "").split("?")[0]
    return f"{response.status_code}" + (f" to {location}" if location else "")
