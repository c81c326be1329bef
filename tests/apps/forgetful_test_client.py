"""An app whose own test client class keeps the last request's contexts after
its ``with client:`` block ends, "so that a failing test can still look at
them": it forgets to pop them (breaks G-12). Every request made through the
app's test client, the kit's included, uses that class."""

from __future__ import annotations

from types import TracebackType

from flask import Flask
from flask.testing import FlaskClient

from . import SECRET_KEY


class InspectableClient(FlaskClient):
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.preserve_context = False  # the bug: the kept contexts are never closed


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.test_client_class = InspectableClient
    return app
