"""flask-conformance: executable specs of Flask's sessions, ``g`` and request hooks.

The specs live in Gherkin feature files; :mod:`flask_conformance.plugin` runs them
with pytest-bdd against the bundled reference app or any app named with
``--flask-app module:attr``.
"""

__version__ = "0.1.0"
