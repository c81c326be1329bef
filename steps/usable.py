"""Steps about sessions being usable at all (an app without SECRET_KEY is not)."""

from __future__ import annotations

from pytest_bdd import parsers, then

from flask_conformance.drive.visitors import Visitors
from flask_conformance.target import capabilities

from .checks import expect, shown


@then(parsers.parse('the app kept "{value}" under "{key}" in {name}\'s session'))
def app_kept_value(visitors: Visitors, value: str, key: str, name: str) -> None:
    stored = visitors[name].browser.last
    error = stored.error or stored.app_error
    if error is not None:
        if capabilities.detect(visitors.app).missing_secret_key:
            expect(
                False,
                "sessions are unusable: the app has no SECRET_KEY",
                "storing a value in the session to work, as it does once the app has a key",
                f"it raised {type(error).__name__}: {error} Set SECRET_KEY in the app's "
                "config (for example from an environment variable) to a long random value.",
                stored,
            )
        expect(
            False,
            "a visitor's session keeps what was stored in it",
            f"storing {value!r} under {key!r} to work",
            f"it raised {type(error).__name__}: {error}{stored.raised_where}",
            stored,
        )
    found = visitors[name].read_session()["values"].get(key)
    expect(
        found == value,
        "a visitor's session keeps what was stored in it",
        f"{name}'s next request to see {value!r} under {key!r}",
        f"it saw {shown(found)}",
        visitors.log[-2:],
    )
