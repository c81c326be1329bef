"""The setup-guard check leaves the app as it found it, even when Flask accepts.

Every later scenario runs on the same app, so asking it for setup after its
first request (H-16) must not change it: on a Flask that wrongly accepts,
what was registered is taken out again, and routes and blueprints never
reach the URL map.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Blueprint, Flask

from flask_conformance.drive.late_setup import SETUP_CALLS, ask_late
from flask_conformance.drive.probe import install_probe

REGISTRIES = (
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "teardown_appcontext_funcs",
    "url_value_preprocessors",
    "url_default_functions",
    "template_context_processors",
    "error_handler_spec",
    "view_functions",
    "blueprints",
)


def served_app() -> Flask:
    app = Flask(__name__)

    @app.before_request
    def load_user() -> None:
        return None

    @app.route("/")
    def index() -> str:
        return "home"

    install_probe(app)
    assert app.test_client().get("/").status_code == 200
    return app


def snapshot(app: Flask) -> dict[str, Any]:
    state: dict[str, Any] = {name: repr(getattr(app, name)) for name in REGISTRIES}
    state["rules"] = sorted(str(rule) for rule in app.url_map.iter_rules())
    return state


@pytest.fixture
def accepting_flask(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Flask that never refuses setup, app or blueprint."""
    monkeypatch.setattr(Flask, "_check_setup_finished", lambda self, f_name: None)
    monkeypatch.setattr(Blueprint, "_check_setup_finished", lambda self, f_name: None)


@pytest.mark.parametrize("method", SETUP_CALLS)
def test_flask_refuses_and_the_app_is_unchanged(method: str) -> None:
    app = served_app()
    before = snapshot(app)
    answer = ask_late(app, method)
    assert answer.refused, answer.describe()
    assert snapshot(app) == before


@pytest.mark.parametrize("method", SETUP_CALLS)
@pytest.mark.usefixtures("accepting_flask")
def test_what_a_broken_flask_accepts_is_taken_out_again(method: str) -> None:
    app = served_app()
    before = snapshot(app)
    answer = ask_late(app, method)
    assert not answer.refused
    assert method in answer.describe()
    assert snapshot(app) == before


@pytest.mark.usefixtures("accepting_flask")
def test_a_blueprint_that_accepts_is_left_as_it_was() -> None:
    app = served_app()
    probe = app.blueprints["_conformance"]
    before = (repr(probe.before_request_funcs), list(probe.deferred_functions))
    answer = ask_late(probe, "before_request")
    assert not answer.refused
    assert (repr(probe.before_request_funcs), list(probe.deferred_functions)) == before
