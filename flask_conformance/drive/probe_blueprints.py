"""The probe's other blueprints: how a blueprint's hooks join the app's.

The main probe (:mod:`flask_conformance.drive.probe`) traces the hooks every request
passes through. The blueprints here pin how Flask merges a blueprint's hooks
into the app when it registers it, in the shapes real apps use:

- a *family*, a parent blueprint with a child nested in it, each with
  ``url_defaults`` and a context processor, the parent also with
  ``app_url_defaults``, ``app_context_processor`` and ``app_errorhandler``
  (which Flask adds to the app's own lists, H-04);
- a *twin*, one blueprint registered twice under two names and prefixes, as
  an app that mounts the same pages twice does, with a before_request of its
  own and a before_app_request.

Everything they add to the app's own lists does nothing for the app's pages:
the context processor adds no name outside the kit's traced requests, the
url_defaults change no value, the error handler answers only an exception
class of the kit's, and the twin's before_app_request records only for its
own pages. Each is registered on its own: a Flask that refuses one (a broken
``register``) fails the scenarios that need it, naming what Flask raised,
instead of stopping the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import (
    Blueprint,
    Flask,
    g,
    has_request_context,
    jsonify,
    render_template_string,
    request,
    url_for,
)

from .probe import G_PREFIX, PREFIX, TRACE_HEADER, record

#: The names the blueprints here are registered under (kit's own, like the probe's).
FAMILY = "_conformance_family"
TWINS = ("_conformance_twin_a", "_conformance_twin_b")
#: Where each registration lives, below the probe's prefix.
MOUNTS = {FAMILY: "/family", TWINS[0]: "/twin-a", TWINS[1]: "/twin-b"}
EXTENSION_KEY = "flask_conformance_blueprints"

#: The template the family's and twin's pages render: what the context
#: processors gave it.
_TEMPLATE = "{{ conformance_set_by }}"


class ProbeAppWideError(Exception):
    """Raised on a twin page; only the family's ``app_errorhandler`` handles it."""


@dataclass
class BlueprintProbes:
    """Which of the blueprints here Flask refused to register, and why."""

    refused: dict[str, str] = field(default_factory=dict)


def blueprint_probes(app: Flask) -> BlueprintProbes:
    probes: BlueprintProbes = app.extensions[EXTENSION_KEY]
    return probes


def install_blueprint_probes(app: Flask) -> BlueprintProbes:
    """Register the family and the twin (twice) on ``app``, once each."""
    if EXTENSION_KEY in app.extensions:
        return blueprint_probes(app)
    state = app.extensions[EXTENSION_KEY] = BlueprintProbes()
    twin = _build_twin()
    registrations = [
        (FAMILY, _build_family(), {}),
        (TWINS[0], twin, {"name": TWINS[0]}),
        (TWINS[1], twin, {"name": TWINS[1]}),
    ]
    for name, blueprint, options in registrations:
        try:
            app.register_blueprint(blueprint, url_prefix=PREFIX + MOUNTS[name], **options)
        except Exception as error:  # noqa: BLE001 - a broken Flask: the scenarios say so
            state.refused[name] = f"{type(error).__name__}: {error}"
    return state


#: Set on ``g`` while a page here renders its own template.
_G_RENDERING = f"{G_PREFIX}rendering"


def _rendering_here() -> bool:
    """Whether a traced request to a page here is rendering that page's template.

    The app's own hooks may render templates too (a login gate that renders
    its page, its answer set aside for the kit's requests): their renders are
    not the ones the scenarios look at.
    """
    return request.headers.get(TRACE_HEADER) is not None and bool(getattr(g, _G_RENDERING, None))


def _render(**context: Any) -> str:
    setattr(g, _G_RENDERING, True)
    try:
        return render_template_string(_TEMPLATE, **context)
    finally:
        setattr(g, _G_RENDERING, False)


def _building_here(endpoint: str) -> bool:
    """Whether a request to a page here builds the URL of a page here."""
    return request.blueprint in (FAMILY, *TWINS) and endpoint.startswith((FAMILY, *TWINS))


# -- the family: a parent with a nested child -------------------------------


def _build_family() -> Blueprint:
    parent = Blueprint(FAMILY, __name__)
    child = Blueprint("child", __name__)
    _add_app_wide_hooks(parent)
    for blueprint, owner in ((parent, "parent blueprint"), (child, "child blueprint")):
        _add_template_hooks(blueprint, owner)
    _add_family_views(parent, child)
    parent.register_blueprint(child, url_prefix="/child")
    return parent


def _add_app_wide_hooks(parent: Blueprint) -> None:
    """What the parent adds to the app's own lists (H-04)."""

    @parent.app_url_defaults
    def app_url_defaults(endpoint: str, values: dict[str, Any]) -> None:
        if has_request_context() and _building_here(endpoint):
            record("url_defaults", "app")

    @parent.app_context_processor
    def app_context_processor() -> dict[str, Any]:
        if not (has_request_context() and _rendering_here()):
            return {}
        record("context_processor", "app")
        return {"conformance_set_by": "app"}

    @parent.app_errorhandler(ProbeAppWideError)
    def app_wide_error(error: ProbeAppWideError) -> Any:
        return "handled by the family's app_errorhandler", 409


def _add_template_hooks(blueprint: Blueprint, owner: str) -> None:
    """A blueprint's own url_defaults and context processor (H-10, H-14)."""

    @blueprint.url_defaults
    def url_defaults(endpoint: str, values: dict[str, Any]) -> None:
        record("url_defaults", owner)

    @blueprint.context_processor
    def context_processor() -> dict[str, Any]:
        if _rendering_here():
            record("context_processor", owner)
        return {"conformance_set_by": owner}


def _add_family_views(parent: Blueprint, child: Blueprint) -> None:
    for blueprint in (parent, child):

        @blueprint.route("/page")
        def page() -> Any:
            """``render`` renders the template, ``own`` passes it a value of the view's own."""
            if not request.args.get("render"):
                return f"a page of {request.blueprint}"
            own = {"conformance_set_by": "view"} if request.args.get("own") else {}
            return _render(**own)

    @parent.route("/link")
    def link() -> Any:
        """Build the URL of the parent's or the child's page (H-10)."""
        endpoint = {"parent": ".page", "child": ".child.page"}[request.args["to"]]
        return jsonify(url=url_for(endpoint))


# -- the twin: one blueprint registered twice -------------------------------


def _build_twin() -> Blueprint:
    twin = Blueprint("_conformance_twin", __name__)

    @twin.before_request
    def before_request() -> None:
        record("before_request", "twin blueprint", registered_as=request.blueprint)

    @twin.before_app_request
    def before_app_request() -> None:
        if request.blueprint in TWINS:
            record("before_request", "twin blueprint, app-wide")

    @twin.route("/page")
    def page() -> Any:
        """The twin's page; ``render`` makes it render the template (H-14)."""
        record("view", "twin blueprint", registered_as=request.blueprint)
        if request.args.get("render"):
            return _render()
        return f"a page of {request.blueprint}"

    @twin.route("/fail")
    def fail() -> Any:
        raise ProbeAppWideError("raised on a page of the twin blueprint")

    return twin


def refused_reason(app: Flask, name: str) -> str | None:
    """Why Flask refused to register the blueprint ``name`` on ``app``, or None."""
    state = app.extensions.get(EXTENSION_KEY)
    return None if state is None else state.refused.get(name)
