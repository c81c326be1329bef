"""Break one thing in Flask itself for a run of the specs.

Some behaviours live in Flask's own code, where no app can break them: the
refusal of setup after the first request, the closing of a request's files,
the merging of a blueprint's hooks into the app. To prove that the scenarios
stating them can fail, the kit's tests run them on a Flask broken in exactly
one place, as a bug or a careless patch would break it.

Loaded with ``-p tests.plugins.broken_flask``; ``BROKEN_FLASK`` names the
breakage (a key of :data:`BREAKAGES`). It is applied when the plugin is
imported, before the app under test is built.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import flask


def _accept_late_setup() -> None:
    """Setup methods no longer check whether the app has served (or the
    blueprint was registered): breaks H-16."""

    def never_finished(self: Any, f_name: str) -> None:
        return None

    flask.Flask._check_setup_finished = never_finished  # type: ignore[method-assign]
    flask.Blueprint._check_setup_finished = never_finished  # type: ignore[method-assign]


def _keep_request_files_open() -> None:
    """A request no longer closes its files when it ends: breaks H-18."""

    def close(self: Any) -> None:
        return None

    flask.Request.close = close  # type: ignore[method-assign]


def _close_request_files_before_teardown() -> None:
    """A request closes its files before its teardown_request functions run,
    instead of after them: breaks H-18."""
    do_teardown_request = flask.Flask.do_teardown_request

    def closing_first(self: Any, *args: Any, **kwargs: Any) -> None:
        flask.request.close()
        do_teardown_request(self, *args, **kwargs)

    flask.Flask.do_teardown_request = closing_first  # type: ignore[method-assign]


#: Each breakage by name, as ``BROKEN_FLASK`` names it.
BREAKAGES: dict[str, Callable[[], None]] = {
    "late-setup": _accept_late_setup,
    "request-files-open": _keep_request_files_open,
    "request-files-closed-early": _close_request_files_before_teardown,
}

BREAKAGES[os.environ["BROKEN_FLASK"]]()
