"""The private APIs of other projects the kit relies on, one module a project.

Where the kit must reach inside Flask, pytest-bdd or fakeredis (no public
API gives what it needs), it does so here and nowhere else, so that a new
release that moves a private name breaks one module, and the test of that
module (``tests/test_compat.py``) says which name is gone.
"""
