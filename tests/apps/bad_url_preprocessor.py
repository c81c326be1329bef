"""A ``url_value_preprocessor`` written with one parameter: Flask calls it with
``(endpoint, values)`` on every request, so every request raises TypeError
(breaks H-09).

``create_app(testing=False)`` builds it as production code would: the TypeError
then becomes a 500 page instead of escaping the request."""

from __future__ import annotations

from typing import Any

from flask import Flask, g

from . import SECRET_KEY


def create_app(testing: bool = True) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, TESTING=testing)

    @app.url_value_preprocessor
    def pull_lang_code(values: dict[str, Any] | None) -> None:  # type: ignore[misc] # the bug
        g.lang_code = (values or {}).pop("lang_code", "en")

    return app
