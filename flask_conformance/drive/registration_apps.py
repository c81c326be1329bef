"""Small apps the kit builds to show where a registered blueprint's parts end up.

Subdomains, blueprint names, CLI groups and static folders are fixed while an
app is built, before it serves, so the kit cannot ask the app under test
about them (H-16 refuses it). These scenarios document Flask itself, on apps
made here, one per question; they are tagged ``@documents-flask``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask

#: The host the subdomain apps serve, as SERVER_NAME.
SERVER_NAME = "example.test"
#: What the pages and the command of these apps answer.
CHILD_PAGE = "a page of the child blueprint"
COMMAND_OUTPUT = "hello from the blueprint"


def nested_subdomain_app(parent: str | None, child: str | None) -> Flask:
    """A parent blueprint registered on ``parent``'s subdomain, with a child
    blueprint nested in it that was built for ``child``'s (BP-01).

    Flask 3.1 matches subdomains only with ``subdomain_matching=True``
    (2.3 and 3.0 did without it), so the app says so, as an app with
    subdomain blueprints must.
    """
    app = Flask("flask_conformance_subdomains", subdomain_matching=True)
    app.config["SERVER_NAME"] = SERVER_NAME
    outer = Blueprint("parent", __name__)
    inner = Blueprint("child", __name__, subdomain=child)

    @inner.route("/page")
    def page() -> str:
        return CHILD_PAGE

    outer.register_blueprint(inner, url_prefix="/child")
    app.register_blueprint(outer, subdomain=parent)
    return app


def host_answers(app: Flask, host: str) -> int:
    """The status of the child's page asked for on ``host``."""
    response = app.test_client().get("/child/page", base_url=f"http://{host}")
    status = response.status_code if response.get_data(as_text=True) == CHILD_PAGE else 404
    response.close()
    return status


def register_a_second_time(same: bool) -> BaseException | None:
    """Register a blueprint named ``auth``, then the same blueprint again or
    (``same`` false) another one named ``auth`` (BP-02); what the second
    registration raised, or None."""
    app = Flask("flask_conformance_names")
    first = Blueprint("auth", __name__)
    app.register_blueprint(first)
    again = first if same else Blueprint("auth", __name__)
    try:
        app.register_blueprint(again)
    except Exception as error:  # noqa: BLE001 - the refusal is the answer
        return error
    return None


#: How a feature says the blueprint was built, as its ``cli_group`` argument.
CLI_GROUPS: dict[str, dict[str, str | None]] = {
    "no cli_group": {},
    "cli_group=None": {"cli_group": None},
    'cli_group="admin"': {"cli_group": "admin"},
}


def run_blueprint_command(built_with: str, command: str) -> tuple[int, str]:
    """Run ``flask <command>`` on an app with a blueprint ``tools`` that has a
    ``hello`` command (BP-03); the exit code and the output."""
    app = Flask("flask_conformance_cli")
    # The table passes cli_group or nothing; mypy checks the str | None values against
    # every keyword argument of Blueprint.
    tools = Blueprint("tools", __name__, **CLI_GROUPS[built_with])  # type: ignore[arg-type]

    @tools.cli.command("hello")
    def hello() -> None:
        print(COMMAND_OUTPUT)

    app.register_blueprint(tools)
    result = app.test_cli_runner().invoke(args=command.split()[1:])
    return result.exit_code, result.output


def static_file_app(folder: Path) -> Flask:
    """An app with a blueprint ``shop`` at ``/shop`` whose static folder is
    ``folder``, served at ``/assets`` below the blueprint's prefix (BP-04)."""
    app = Flask("flask_conformance_static")
    shop = Blueprint("shop", __name__, static_folder=str(folder), static_url_path="/assets")
    app.register_blueprint(shop, url_prefix="/shop")
    return app
