"""The private APIs of Flask, pytest-bdd and fakeredis the kit relies on are still there.

One test per compatibility module (:mod:`flask_conformance.compat`): if a
release of the other project moves a private name, the failure names it here,
rather than as a wrong verdict somewhere in a run. CI runs them on every
supported Flask (2.3, 3.0, 3.1).
"""

from __future__ import annotations

import fakeredis
import pytest
import redis
from flask import Flask, g, session

from flask_conformance.compat import fakeredis as compat_fakeredis
from flask_conformance.compat import flask as compat_flask
from flask_conformance.compat import pytest_bdd as compat_pytest_bdd
from flask_conformance.drive.proxies import current_object


def test_flask_has_the_context_globals_gs_class_and_keeps_the_opened_session() -> None:
    app = Flask(__name__)
    app.secret_key = "only for this test"
    assert app.app_ctx_globals_class is compat_flask.FlaskGlobals
    with app.test_request_context("/"):
        assert compat_flask.app_ctx.app is app
        context = current_object(compat_flask.request_ctx)
        assert any(name in vars(context) for name in compat_flask.SESSION_ATTRIBUTES)
        session["colour"] = "blue"
        opened = compat_flask.opened_session_of(context)
        assert opened is current_object(session) and opened["colour"] == "blue"
        assert isinstance(current_object(g), compat_flask.FlaskGlobals)


def test_fakeredis_connections_name_the_server_that_can_be_taken_down() -> None:
    client = fakeredis.FakeRedis()
    pool = client.connection_pool
    try:
        connection = pool.get_connection()
    except TypeError:  # redis-py before 5.1 wants a command name
        connection = pool.get_connection("PING")
    server = compat_fakeredis.server_of(connection)
    pool.release(connection)
    assert isinstance(server, fakeredis.FakeServer)
    server.connected = False
    with pytest.raises(redis.ConnectionError):
        client.ping()
    server.connected = True
    assert client.ping()


def test_pytest_bdd_has_the_step_lookup_the_kit_replaces() -> None:
    import pytest_bdd  # noqa: F401 - loads pytest_bdd.scenario

    module = compat_pytest_bdd.scenario_module()
    assert module is not None, (
        f"pytest-bdd's pytest_bdd.scenario lacks one of {compat_pytest_bdd.SCENARIO_NAMES}"
    )
