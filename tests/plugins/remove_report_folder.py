"""Remove a report's folder while the run is on, as a user's cleanup might.

Loaded with ``-p tests.plugins.remove_report_folder``; removes the folder
named by ``REMOVE_REPORT_FOLDER`` once the specs are collected, after the kit
checked that its ``--report`` paths can be written.
"""

from __future__ import annotations

import os
import shutil

import pytest


def pytest_collection_finish(session: pytest.Session) -> None:
    folder = os.environ.get("REMOVE_REPORT_FOLDER")
    if folder and not hasattr(session.config, "workerinput"):
        shutil.rmtree(folder)
