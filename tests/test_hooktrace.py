"""The hook trace names the app's own hooks, in Flask's order, and changes nothing.

Small apps are built in each test, so every expectation below could fail: a
hook left out, the order wrong, the kit's probe listed as the app's, or the
app's hook lists not put back after the trace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Blueprint, Flask, abort, g, redirect, request

from flask_conformance.drive.probe import install_probe
from flask_conformance.hooks import trace as hooktrace
from flask_conformance.target.load import make_target


def _recorder(app: Flask) -> list[str]:
    return app.extensions.setdefault("calls", [])


def build_app(static: Path | None = None, gate: bool = False) -> Flask:
    app = Flask(__name__, static_folder=str(static) if static else None, static_url_path="/static")
    app.config["SECRET_KEY"] = "test"
    bp = Blueprint("shop", __name__)

    @app.url_value_preprocessor
    def pull(endpoint: str | None, values: dict[str, Any] | None) -> None:
        _recorder(app).append("pull")

    @app.before_request
    def load_user() -> Any:
        _recorder(app).append("load_user")
        if gate and request.endpoint not in ("login", "static"):
            return redirect("/login")
        return None

    @bp.before_request
    def shop_only() -> None:
        _recorder(app).append("shop_only")

    @app.after_request
    def stamp(response: Any) -> Any:
        response.headers["X-Stamp"] = "1"
        return response

    @app.teardown_request
    def end_request(exc: BaseException | None) -> None:
        pass

    @app.teardown_appcontext
    def close_db(exc: BaseException | None) -> None:
        g.pop("db", None)

    @app.route("/")
    def index() -> str:
        return "home"

    @app.route("/login")
    def login() -> str:
        return "log in"

    @bp.route("/shop/")
    def shop() -> str:
        return "shop"

    app.register_blueprint(bp)
    install_probe(app)
    return app


def names(traced: hooktrace.TracedRequest) -> list[tuple[str, str]]:
    return [(hook["kind"], hook["name"].rsplit(".", 1)[-1]) for hook in traced.hooks]


def test_an_ordinary_page_lists_the_app_hooks_in_flasks_order() -> None:
    traced = hooktrace.trace_request(build_app(), "a page", "/shop/")
    assert traced.status == 200
    assert names(traced) == [
        ("url_value_preprocessor", "pull"),
        ("before_request", "load_user"),
        ("before_request", "shop_only"),
        ("after_request", "stamp"),
        ("teardown_request", "end_request"),
        ("teardown_appcontext", "close_db"),
    ]
    assert traced.hooks[0]["name"] == f"{__name__}.build_app.<locals>.pull"
    assert traced.hooks[2]["scope"] == "shop"
    assert traced.short_circuited_by is None


def test_a_short_circuit_is_marked_on_the_hook_that_answered() -> None:
    traced = hooktrace.trace_request(build_app(gate=True), "a page", "/shop/")
    assert traced.status == 302 and traced.location == "/login"
    assert traced.short_circuited_by == f"{__name__}.build_app.<locals>.load_user"
    assert ("before_request", "shop_only") not in names(traced)  # skipped (H-06)
    assert ("after_request", "stamp") in names(traced)


def test_the_trace_leaves_the_app_as_it_was() -> None:
    app = build_app()
    lists = {key: list(funcs) for key, funcs in app.before_request_funcs.items()}
    identities = {key: id(funcs) for key, funcs in app.before_request_funcs.items()}
    teardowns = app.teardown_appcontext_funcs
    hooktrace.trace_app(app)
    assert {key: id(funcs) for key, funcs in app.before_request_funcs.items()} == identities
    assert {key: list(funcs) for key, funcs in app.before_request_funcs.items()} == lists
    assert app.teardown_appcontext_funcs is teardowns
    response = app.test_client().get("/")
    assert response.headers["X-Stamp"] == "1"


def test_the_kits_probe_is_not_listed_as_the_apps() -> None:
    app = build_app()
    everything = [hooktrace.qualified_name(func) for _, _, func in hooktrace.own_hooks(app)]
    assert everything and not any("flask_conformance" in name for name in everything)


def test_page_static_file_and_unknown_url(tmp_path: Path) -> None:
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body {}")
    traces = hooktrace.trace_app(build_app(static=tmp_path))
    assert [(t.label, t.path, t.status) for t in traces] == [
        ("an ordinary page", "/", 200),
        ("a static file", "/static/css/site.css", 200),
        ("an unknown URL", hooktrace.UNKNOWN_PATH, 404),
    ]


def test_an_app_without_static_files_says_so() -> None:
    static = hooktrace.trace_app(build_app())[1]
    assert static.path is None and static.note == "the app has no static folder with a file"
    lines = hooktrace.format_trace([t.as_dict() for t in hooktrace.trace_app(build_app())])
    assert "a static file: none (the app has no static folder with a file)" in lines


def test_a_page_without_slash_is_picked_from_the_url_map() -> None:
    app = Flask(__name__)
    app.add_url_rule("/item/<int:n>", "item", lambda n: "item")
    app.add_url_rule("/zzz", "zzz", lambda: "z")
    app.add_url_rule("/about", "about", lambda: "about")
    install_probe(app)
    assert hooktrace.page_path(app) == "/zzz"


def test_a_hook_that_raises_is_recorded_and_still_raises() -> None:
    app = Flask(__name__)
    app.config["TESTING"] = True

    @app.teardown_appcontext
    def teardown_db() -> None:  # type: ignore[misc] # no exc parameter, as in the seed
        pass

    traced = hooktrace.trace_request(app, "a page", "/")
    assert traced.error is not None and traced.error.startswith("TypeError")
    assert str(traced.hooks[-1]["outcome"]).startswith("raised TypeError")
    with pytest.raises(TypeError):
        app.test_client().get("/")  # the app's own behaviour, unchanged


def test_a_gate_that_answers_the_probe_is_named_in_one_line() -> None:
    message = hooktrace.probe_blocker(build_app(gate=True))
    assert message is not None and "\n" not in message
    assert f"before_request {__name__}.build_app.<locals>.load_user" in message
    assert "answered 302 to /login by the app's before_request" in message
    assert "let requests for paths under /__conformance__ through" in message
    assert hooktrace.probe_blocker(build_app()) is None


def test_the_reference_apps_trace_names_its_hooks() -> None:
    trace = make_target(None, None).hook_trace
    page = trace[0]
    assert page["path"] == "/en/dashboard/" and page["status"] == 302
    assert page["short_circuited_by"] == "app_under_test.dashboard.load_logged_in_user"
    assert [hook["name"] for hook in trace[2]["hooks"]] == ["app_under_test.db.close_db"]


def test_a_before_request_that_aborts_counts_as_answering() -> None:
    app = Flask(__name__)

    @app.before_request
    def require_token() -> None:
        abort(401)

    install_probe(app)
    traced = hooktrace.trace_request(app, "a page", "/")
    assert traced.status == 401
    assert traced.short_circuited_by == f"{__name__}.{require_token.__qualname__}"
    assert "aborted the request itself" in "\n".join(hooktrace.format_trace([traced.as_dict()]))
    message = hooktrace.probe_blocker(app)
    assert message is not None and "answered 401 by the app's before_request" in message


def test_only_the_whole_apps_hooks_make_every_response_vary_on_cookie() -> None:
    """A blueprint's own before_request reads the session on its pages only; the
    app's other pages stay untouched, so it must not excuse "no Vary" there."""
    traces = [
        {
            "hooks": [
                {"kind": "before_request", "scope": "dashboard", "name": "load_user",
                 "reads_session": True},
                {"kind": "after_request", "scope": "app", "name": "update_remember_cookie",
                 "reads_session": True},
                {"kind": "teardown_appcontext", "scope": "app", "name": "close_db"},
            ]
        }
    ]  # fmt: skip
    assert hooktrace.session_readers(traces) == ["update_remember_cookie"]
