"""Small Flask apps that each break one Flask behaviour on purpose.

Every module has a ``create_app()`` factory. ``tests/test_known_bad_apps.py``
points the kit at each of them (``--flask-app tests.apps.<name>:create_app``)
and checks that the specs for the broken behaviour fail, in words that name it.
A spec that passes on one of these apps would be a spec that asserts nothing.
"""

SECRET_KEY = "known-bad-app-secret"
