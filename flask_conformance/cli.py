"""The ``flask-conformance`` command.

``flask-conformance check [IMPORT]`` runs every spec against the app named by
IMPORT (``module:attr``, as ``flask --app`` takes it) or, with no IMPORT, against
the bundled reference app. Anything after ``--`` goes to pytest unchanged, so
``-- -n 2`` or ``-- -m sessions`` work as they do with pytest.

The same run is a Flask command, ``flask --app IMPORT conformance``, through
Flask's ``flask.commands`` entry point. It takes the app's import string from
``--app`` (or ``FLASK_APP``) and loads the app itself, like the command above:
it must not run inside an app context that Flask pushed for it, because every
request would then share one ``g`` and skip its teardown (reference G-06).

The exit status is pytest's: 0 when every behaviour holds, 1 when one fails,
4 when the target or the command line cannot be used.

``flask-conformance diff OLD.json NEW.json`` compares two runs' Cucumber JSON
reports (``--report run.json``) and lists the behaviours whose verdict changed;
it exits 1 when one got worse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import pytest
from flask.cli import ScriptInfo

from . import __version__, layout
from .target import run_end
from .target.time_limit import DEFAULT_LOAD_TIMEOUT

#: pytest would rewrite the asserts of its plugins' packages, but this command
#: imported ``flask_conformance`` before starting pytest; the kit's checks
#: speak through ``expect`` and need no rewriting, so the warning says nothing.
_ALREADY_IMPORTED = (
    "ignore:Module already imported so cannot be rewritten; flask_conformance"
    ":pytest.PytestAssertRewriteWarning"
)

#: pytest's exit status for an unusable command line or target.
USAGE_ERROR = 4


def run_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options ``check`` and ``flask conformance`` share."""
    options = [
        click.option(
            "--profile",
            # Checked when it is read, so a bad path is one line and exit 4
            # like every other bad input (click's own check exits 2).
            help="TOML journey profile: how the app logs users in and out.",
        ),
        click.option(
            "--report",
            "reports",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="Write a report (.html, .md, .json Cucumber, .xml JUnit, .sarif code "
            "scanning). Repeatable.",
        ),
        click.option(
            "--redis-url",
            help="A real Redis for apps whose sessions live in Redis (default: fakeredis).",
        ),
        click.option("--strict", is_flag=True, help="Treat warnings as failures."),
        click.option(
            "--load-timeout",
            type=float,
            default=DEFAULT_LOAD_TIMEOUT,
            show_default=True,
            metavar="SECONDS",
            help="Give up, in one line, on an app that takes longer to load (0: wait forever).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group()
@click.version_option(__version__, prog_name="flask-conformance")
def main() -> None:
    """Check that a Flask app keeps Flask's session, g and request-hook behaviour."""


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("import_string", required=False, metavar="[IMPORT]")
@run_options
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- PYTEST ARGS]")
def check(import_string: str | None, pytest_args: tuple[str, ...], **options: Any) -> None:
    """Run the specs against IMPORT (default: the bundled reference app)."""
    if import_string is not None and import_string.startswith("-"):
        # `check -- -q`: click hands the first word after "--" to IMPORT.
        pytest_args = (import_string, *pytest_args)
        import_string = None
    raise SystemExit(run_specs(import_string, pytest_args, **options))


@click.command("conformance", context_settings={"ignore_unknown_options": True})
@run_options
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- PYTEST ARGS]")
def flask_command(pytest_args: tuple[str, ...], **options: Any) -> None:
    """Check this app against flask-conformance's specs."""
    info = click.get_current_context().ensure_object(ScriptInfo)
    if not info.app_import_path:
        click.echo(
            "Error: flask-conformance needs the app's import string: run "
            "'flask --app myapp:create_app conformance' (or set FLASK_APP).",
            err=True,
        )
        raise SystemExit(USAGE_ERROR)
    raise SystemExit(run_specs(info.app_import_path, pytest_args, **options))


@main.command()
@click.argument("old", metavar="OLD.json")
@click.argument("new", metavar="NEW.json")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "text"]),
    default="markdown",
    show_default=True,
    help="Markdown for a pull-request comment, text for a terminal.",
)
def diff(old: str, new: str, output_format: str) -> None:
    """List the behaviours whose verdict changed between two --report .json files.

    Exits 1 when a behaviour got worse (or a new one fails or warns), 0 otherwise.
    """
    from .report import diff as behaviour_diff

    try:
        changes = behaviour_diff.compare(behaviour_diff.load(old), behaviour_diff.load(new))
    except behaviour_diff.DiffError as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(USAGE_ERROR) from None
    write = behaviour_diff.markdown if output_format == "markdown" else behaviour_diff.text
    click.echo(write(changes, old, new), nl=False)
    raise SystemExit(1 if behaviour_diff.got_worse(changes) else 0)


def run_specs(
    import_string: str | None,
    pytest_args: tuple[str, ...] = (),
    *,
    profile: str | None = None,
    reports: tuple[str, ...] = (),
    redis_url: str | None = None,
    strict: bool = False,
    load_timeout: float = DEFAULT_LOAD_TIMEOUT,
) -> int:
    """Run the packaged specs with pytest; return pytest's exit status.

    The run is rooted in the kit (its own ini file and rootdir), not in the
    folder it is started from: a project's conftest.py and pytest settings
    are for the project's tests, not the kit's specs.
    """
    args = [str(layout.STEPS_DIR), "-c", str(layout.SPECS_INI), "--rootdir", str(layout.KIT_ROOT)]
    args += ["-p", "no:cacheprovider", "-W", _ALREADY_IMPORTED]
    if import_string is not None:
        args += ["--flask-app", import_string]
    if profile is not None:
        args += ["--conformance-profile", profile]
    for report in reports:
        args += ["--conformance-report", report]
    if redis_url is not None:
        args += ["--conformance-redis-url", redis_url]
    if strict:
        args.append("--conformance-strict")
    if load_timeout != DEFAULT_LOAD_TIMEOUT:
        args += ["--conformance-load-timeout", str(load_timeout)]
    args += list(pytest_args)
    from .target.real_redis import CommandRun

    status = int(pytest.main(args, plugins=[CommandRun()]))
    run_end.exit_if_threads_linger(status)  # threads the app started must not hold the exit
    return status
