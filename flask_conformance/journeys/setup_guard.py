"""Whether the kit may run a profile's ``[setup]`` against the app it built.

``[setup]`` makes tables and users: ``flask init-db`` usually drops the tables
first. Run against the app's real database it destroys the user's data, so
the kit runs it only when the config it was given is the config the app uses.

That is only certain when every ``[config]`` value is already in effect once
the app is built: handed to a factory that takes ``test_config``, or read by
the app itself from ``[environment]``. A value the kit can only set on
``app.config`` afterwards comes too late for an app that opens its database
while it is built (Flask-SQLAlchemy's ``init_app`` reads the URI then): the
app keeps the real one. Likewise ``[environment]`` comes too late for a module
that was imported before the kit could set it. In both cases the kit refuses
in one line, naming the setting and the fix, before anything runs.

A profile with ``[setup]`` and neither ``[config]`` nor ``[environment]`` is
taken at its word: the app it names is already built for testing (an import
string like ``myapp:create_app("testing")``, or a settings module that points
the database at a folder of its own), and ``[setup]`` runs on that.
"""

from __future__ import annotations

import sys
from typing import Any

from flask import Flask

from .profile import JourneyProfile, ProfileError

_MISSING = object()


def config_not_in_effect(app: Flask, config: dict[str, Any]) -> list[str]:
    """The ``config`` keys whose value the built ``app`` does not have."""
    return sorted(key for key, value in config.items() if app.config.get(key, _MISSING) != value)


def check_config_in_effect(
    app: Flask,
    config: dict[str, Any],
    import_string: str,
    profile: JourneyProfile,
    takes_test_config: bool,
) -> None:
    """Refuse to go on when ``[setup]`` would run with config the app did not build with.

    Values are never quoted: ``[config]`` may hold a key or a password.
    """
    if not profile.setup.runs_anything:
        return
    missing = config_not_in_effect(app, config)
    if not missing:
        return
    names = ", ".join(missing)
    how = (
        "its factory was given them as test_config but did not keep them"
        if takes_test_config
        else "its factory takes no test_config, so the kit could only set them after the app "
        "was built, too late for a database it opened while being built"
    )
    raise ProfileError(
        f"Refusing to run [setup] of {profile.source}: [config] {names} "
        f"{'is' if len(missing) == 1 else 'are'} not in effect in {import_string} once it is "
        f"built ({how}), so [setup] could run against the app's real data. Set "
        f"{'it' if len(missing) == 1 else 'them'} through [environment] (variables the app "
        "reads when it is built) or give the factory a test_config parameter; nothing was run."
    )


def check_environment_in_time(module_name: str, profile: JourneyProfile) -> None:
    """Refuse when the app's module was imported before ``[environment]`` could be set."""
    if not (profile.environment and profile.setup.runs_anything):
        return
    if module_name in sys.modules:
        raise ProfileError(
            f"Refusing to run [setup] of {profile.source}: the module {module_name!r} was "
            "imported before the kit could set [environment], so the app may have read its "
            "real settings. Run the kit in a process that has not imported the app (for "
            "example flask-conformance check); nothing was run."
        )
