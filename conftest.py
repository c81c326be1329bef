"""Root conftest for working in a checkout of flask-conformance.

The kit's own tests use pytest's ``pytester`` fixture. It is loaded from a hook
rather than ``pytest_plugins`` because this file is not always the top-level
conftest: ``pytest --flask-app X`` from another folder collects this
checkout's specs too, and pytest refuses ``pytest_plugins`` in a conftest it
meets that late. The kit's plugin itself comes from its entry point
(``pip install -e .``).
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")
