"""How a failure the kit explains is shown: in its own words, not as a traceback.

A broken behaviour, or the app raising with the function that raised named,
is a finding about the app; its message says what happened, what was expected
and what to do. Registered by :func:`flask_conformance.plugin.activate`, so
only the kit's runs are touched.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pluggy import Result


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Result[pytest.TestReport], None]:
    """Show a broken behaviour in its own plain words, not as a Python traceback.

    A failure the kit explains (``plain_words`` on the exception: a broken
    behaviour, or the app raising with the function that raised named) is a
    finding about the app, so the report is its message. ``--tb=long`` (or any
    ``--tb`` other than the default) shows the traceback and the app's
    captured log as usual.

    pytest renders a traceback before this hook sees the report, reading and
    parsing the source of every frame in it and in the exceptions chained to
    it: about 0.3 s a failure, only for the message to replace it. So a
    failure that will be shown in plain words hands pytest only its innermost
    frame to render, and its chain only after pytest is done.
    """
    excinfo = call.excinfo
    if (
        excinfo is None
        or not getattr(excinfo.value, "plain_words", False)
        or item.config.option.tbstyle != "auto"
    ):
        yield
        return
    error = excinfo.value
    chain = (error.__cause__, error.__context__, error.__suppress_context__)
    excinfo.traceback = excinfo.traceback[-1:]
    error.__cause__, error.__suppress_context__ = None, True
    try:
        outcome = yield
    finally:
        error.__cause__, error.__context__, error.__suppress_context__ = chain
    report = outcome.get_result()
    if report.failed:
        report.longrepr = str(error)
        # Flask logs the app's exception with its traceback; the message
        # above already names it and the function that raised.
        report.sections = [
            (title, text)
            for title, text in report.sections
            if not title.startswith(("Captured log", "Captured stderr"))
        ]
