"""The ``flask-conformance`` command.

``flask-conformance check [IMPORT]`` runs every spec against the app named by
IMPORT (``module:attr``, as ``flask --app`` takes it) or, with no IMPORT, against
the bundled reference app. Anything after ``--`` goes to pytest unchanged, so
``-- -n 2`` or ``-- -m sessions`` work as they do with pytest.

The exit status is pytest's: 0 when every behaviour holds, 1 when one fails,
4 when the target or the command line cannot be used.
"""

from __future__ import annotations

import click
import pytest

from . import __version__, layout


@click.group()
@click.version_option(__version__, prog_name="flask-conformance")
def main() -> None:
    """Check that a Flask app keeps Flask's session, g and request-hook behaviour."""


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("import_string", required=False, metavar="[IMPORT]")
@click.option(
    "--profile",
    type=click.Path(dir_okay=False),
    help="TOML journey profile: how the app logs users in and out.",
)
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- PYTEST ARGS]")
def check(import_string: str | None, profile: str | None, pytest_args: tuple[str, ...]) -> None:
    """Run the specs against IMPORT (default: the bundled reference app)."""
    if import_string is not None and import_string.startswith("-"):
        # `check -- -q`: click hands the first word after "--" to IMPORT.
        pytest_args = (import_string, *pytest_args)
        import_string = None
    args = [str(layout.STEPS_DIR), "-p", "no:cacheprovider"]
    if import_string is not None:
        args += ["--flask-app", import_string]
    if profile is not None:
        args += ["--conformance-profile", profile]
    args += list(pytest_args)
    raise SystemExit(int(pytest.main(args)))
