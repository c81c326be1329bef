"""The probe's endpoints on ``g`` and on work handed over past the request.

Put values on ``g`` and read them back, count on it, push an app context
inside a request, make one call of g's API (G-03); and hand over a job that
keeps the request's context to run after the response (G-14). Part of the
probe blueprint (:mod:`flask_conformance.drive.probe`).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Flask,
    copy_current_request_context,
    current_app,
    g,
    has_request_context,
    jsonify,
    request,
    session,
)

from ..compat.flask import FlaskGlobals, request_ctx
from .probe import G_PREFIX, HOLD_LIMIT, PROBE_NOTES, jsonable, noted, probe_state
from .proxies import current_object


def add_g_views(bp: Blueprint) -> None:
    @bp.route("/g/<name>", methods=["POST"])
    def set_on_g(name: str) -> Any:
        attr = G_PREFIX + name
        present_before = attr in g
        setattr(g, attr, request.get_json()["value"])
        return jsonify(present_before=present_before)

    @bp.route("/g/<name>", methods=["GET"])
    def read_from_g(name: str) -> Any:
        attr = G_PREFIX + name
        return jsonify(present=attr in g, value=jsonable(g.get(attr)))

    @bp.route("/g-counter", methods=["POST"])
    def count_on_g() -> Any:
        attr = f"{G_PREFIX}counter"
        setattr(g, attr, g.get(attr, 0) + 1)
        return jsonify(counter=getattr(g, attr))

    @bp.route("/g-nested")
    def nested_app_context() -> Any:
        """Push an app context inside the request and compare the two ``g``."""
        setattr(g, f"{G_PREFIX}outer", "outer")
        outer_g = current_object(g)
        with current_app.app_context():
            inner_sees_outer = f"{G_PREFIX}outer" in g
            same_object = current_object(g) is outer_g
            setattr(g, f"{G_PREFIX}inner", "inner")
        return jsonify(
            inner_sees_outer=inner_sees_outer,
            same_object=same_object,
            outer_sees_inner=f"{G_PREFIX}inner" in g,
            outer_kept_value=g.get(f"{G_PREFIX}outer") == "outer",
        )

    @bp.route("/g-api", methods=["POST"])
    def call_g_api() -> Any:
        """Put the given names on g, make one call of g's API, say what came of it (G-03).

        The call is one of :data:`G_CALLS`, made on the request's own ``g``, so
        the app's ``app_ctx_globals_class`` answers. Names are the probe's
        (prefixed), so the app's own names on g are never touched.
        """
        body = request.get_json()
        for name, value in body["contents"].items():
            setattr(g, G_PREFIX + name, value)
        attr = G_PREFIX + body["name"]
        try:
            result = G_CALLS[body["call"]](attr, *body["default"])
        except Exception as error:  # noqa: BLE001 - what the call raised is the answer
            outcome: dict[str, Any] = {"raised": type(error).__name__}
        else:
            outcome = {"returned": jsonable(result)}
        outcome["left"] = {
            name[len(G_PREFIX) :]: jsonable(value) for name, value in _probe_contents_of_g()
        }
        outcome["app_name"] = current_app.name
        return jsonify(outcome)


def _probe_contents_of_g() -> list[tuple[str, Any]]:
    """What the probe put on g, read without g's API where that can be helped.

    Flask's own g class (and a subclass) keeps its names in ``__dict__``, so
    what a call left there is read from it, whatever that call's answer was.
    Another class (an attribute dict, say) is listed and read through its API.
    """
    current = current_object(g)
    if isinstance(current, FlaskGlobals):
        names = [name for name in vars(current) if name.startswith(G_PREFIX)]
        return [(name, vars(current)[name]) for name in names if name not in PROBE_NOTES]
    return [(name, getattr(g, name)) for name in _probe_names_on_g()]


def _probe_names_on_g() -> list[str]:
    """The names the probe put on g, in the order g lists them (its own notes aside)."""
    return [name for name in g if name.startswith(G_PREFIX) and name not in PROBE_NOTES]


#: The calls of g's API the specs ask about (G-03), by name; each takes the
#: attribute name and, where the call has one, a default.
G_CALLS: dict[str, Callable[..., Any]] = {
    "attribute": lambda name: getattr(g, name),
    "get": lambda name, *default: g.get(name, *default),
    "hasattr": lambda name: hasattr(g, name),
    "contains": lambda name: name in g,
    "pop": lambda name, *default: g.pop(name, *default),
    "delete": lambda name: delattr(g, name),
    "setdefault": lambda name, *default: g.setdefault(name, *default),
    "list": lambda name: [attr[len(G_PREFIX) :] for attr in _probe_names_on_g()],
    "repr": lambda name: repr(g),
}


def add_context_views(bp: Blueprint) -> None:
    @bp.route("/job", methods=["POST"])
    def hand_over_job() -> Any:
        """Store a value in the session, then hand over a job that runs later (G-14).

        The job keeps the request the way the body says: the decorator
        ``copy_current_request_context``, or ``request_ctx.copy()`` pushed by
        the job itself. The test runs it (:func:`run_job`) after the response.
        """
        body = request.get_json()
        session[body["key"]] = body["value"]
        setattr(g, f"{G_PREFIX}job", "the request's")
        job = _job_reading(body["key"])
        if body["how"] == "copy_current_request_context":
            later = copy_current_request_context(job)
        else:
            copied = request_ctx.copy()

            def later() -> dict[str, Any]:
                with copied:
                    return job()

        job_id = uuid.uuid4().hex
        probe_state(current_app).jobs[job_id] = later
        return jsonify(job=job_id)


def _job_reading(key: str) -> Callable[[], dict[str, Any]]:
    """A job that reports the request and session it sees, compared with this request's."""
    handed_request = current_object(request)
    handed_session = current_object(session)

    def job() -> dict[str, Any]:
        seen_request = current_object(request)
        seen_session = current_object(session)
        return {
            "request_context": has_request_context(),
            "path": request.path,
            "same_request": seen_request is handed_request,
            "value": jsonable(session.get(key)),
            "same_session": seen_session is handed_session,
            "request_g": noted(f"{G_PREFIX}job"),
        }

    return job


def run_job(app: Flask, job_id: str) -> dict[str, Any]:
    """Run a job a request handed over, in a thread of its own, as an app would.

    What it saw, or ``{"raised": ...}`` with the exception's name and message.
    """
    job = probe_state(app).jobs.pop(job_id)
    seen: dict[str, Any] = {}

    def run() -> None:
        try:
            seen.update(job())
        except Exception as error:  # noqa: BLE001 - the job's failure is the answer
            seen["raised"] = f"{type(error).__name__}: {error}"

    worker = threading.Thread(target=run, name=f"conformance-job-{job_id[:8]}")
    worker.start()
    worker.join(HOLD_LIMIT)
    if worker.is_alive():
        seen["raised"] = f"the job did not finish within {HOLD_LIMIT:g} seconds"
    return seen
