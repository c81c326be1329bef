"""Root conftest for working in a checkout of flask-conformance.

The kit's pytest plugin is installed as an entry point; naming it here as well
lets a checkout run even before ``pip install -e .`` (pytest ignores the second
registration because the entry point has the same name).
"""

pytest_plugins = ["flask_conformance.plugin", "pytester"]
