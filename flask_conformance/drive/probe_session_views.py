"""The probe's session and flash endpoints: each does one thing to the session.

Store, read (in exactly one way), pop, delete, clear or mutate a value in
place, make the session permanent, write in after_this_request and teardown,
flash a message: what a scenario needs done to the session *inside* a
request of the app under test, so the app's own session interface answers.
Part of the probe blueprint (:mod:`flask_conformance.drive.probe`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    after_this_request,
    flash,
    g,
    get_flashed_messages,
    jsonify,
    make_response,
    request,
    session,
)

from .probe import G_PREFIX, SESSION_CHANGED_HEADER, changed_before_view, jsonable
from .sample_values import describe, sample


def add_session_views(bp: Blueprint) -> None:
    @bp.route("/untouched")
    def untouched() -> Any:
        response = make_response("this view never touches the session")
        # Whether the app's own hooks changed the session before this view ran,
        # read without touching it (a look through the proxy would count as a use).
        response.headers[SESSION_CHANGED_HEADER] = "1" if changed_before_view() else "0"
        return response

    @bp.route("/session", methods=["GET"])
    def read_session() -> Any:
        data = dict(session)
        return jsonify(
            keys=sorted(data),
            values={key: jsonable(value) for key, value in data.items()},
            described={key: describe(value) for key, value in data.items()},
            permanent=session.permanent,
        )

    @bp.route("/session/read", methods=["GET"])
    def read_once() -> Any:
        """Perform exactly one kind of read, for the specs on Vary and cookies."""
        how, key = request.args["how"], request.args.get("key", "")

        def index() -> Any:
            try:
                return session[key]
            except KeyError:  # only [], not `in`: that would be a second kind of read
                return None

        readers: dict[str, Callable[[], Any]] = {
            "get": lambda: session.get(key),
            "index": index,
            "contains": lambda: key in session,
            "len": lambda: len(session),
            "bool": lambda: bool(session),
            "permanent": lambda: session.permanent,
        }
        return jsonify(result=jsonable(readers[how]()))

    @bp.route("/session/store", methods=["POST"])
    def store() -> Any:
        body = request.get_json()
        value = sample(body["sample"]) if "sample" in body else body["value"]
        session[body["key"]] = value
        return jsonify(stored=body["key"])

    @bp.route("/session/update", methods=["POST"])
    def update() -> Any:
        session.update(request.get_json()["values"])
        return jsonify(ok=True)

    @bp.route("/session/setdefault", methods=["POST"])
    def setdefault() -> Any:
        body = request.get_json()
        return jsonify(result=jsonable(session.setdefault(body["key"], body["value"])))

    @bp.route("/session/pop", methods=["POST"])
    def pop() -> Any:
        body = request.get_json()
        try:
            if "default" in body:
                result = session.pop(body["key"], body["default"])
            else:
                result = session.pop(body["key"])
        except KeyError:
            return jsonify(error="KeyError")
        return jsonify(result=jsonable(result), still_present=body["key"] in session)

    @bp.route("/session/lookup", methods=["GET"])
    def look_up() -> Any:
        """Ask the session about one key in the three ways code does (M-08)."""
        key = request.args["key"]
        try:
            indexed = {"value": jsonable(session[key])}
        except KeyError:
            indexed = {"raised": "KeyError"}
        return jsonify(contains=key in session, index=indexed, get=jsonable(session.get(key)))

    @bp.route("/session/delete", methods=["POST"])
    def delete() -> Any:
        """``del session[key]``, one of the top-level changes Flask notices (M-01)."""
        key = request.get_json()["key"]
        if key in session:
            del session[key]
        return jsonify(ok=True)

    @bp.route("/session/clear", methods=["POST"])
    def clear() -> Any:
        session.clear()
        return jsonify(ok=True)

    @bp.route("/session/append", methods=["POST"])
    def append_in_place() -> Any:
        """Mutate a nested list in place, the case Flask cannot detect (M-05)."""
        body = request.get_json()
        if body["key"] in session:
            session[body["key"]].append(body["item"])
        if body.get("mark_modified"):
            session.modified = True
        return jsonify(ok=True)

    @bp.route("/session/permanent", methods=["POST"])
    def make_permanent() -> Any:
        session.permanent = bool(request.get_json()["value"])
        return jsonify(ok=True)

    @bp.route("/session/mark-modified", methods=["POST"])
    def mark_modified() -> Any:
        session.modified = True
        return jsonify(ok=True)

    @bp.route("/session/teardown-write", methods=["POST"])
    def write_in_teardown() -> Any:
        """Write once in after_this_request and once in teardown (W-06)."""
        key = request.get_json()["key"]

        @after_this_request
        def in_after(response: Any) -> Any:
            session[f"{key}_from_after_request"] = True
            return response

        def in_teardown(exc: BaseException | None) -> None:
            session[f"{key}_from_teardown"] = True

        setattr(g, f"{G_PREFIX}teardown_write", in_teardown)
        return jsonify(ok=True)


def add_flash_views(bp: Blueprint) -> None:
    @bp.route("/flash", methods=["POST"])
    def flash_message() -> Any:
        """``flash(message)``: kept in the session for the next request (M-11)."""
        flash(request.get_json()["message"])
        return jsonify(ok=True)

    @bp.route("/flashes")
    def flashed_messages() -> Any:
        """What ``get_flashed_messages()`` gives this request, as a page would show it."""
        return jsonify(messages=[jsonable(m) for m in get_flashed_messages()])
