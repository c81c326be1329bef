"""Asking an app for more setup after it has served, and leaving it as it was.

Flask refuses hooks, routes and blueprints once an app has answered its first
request (H-16): what is registered later would apply to some workers and not
others, or to some requests and not others. A Flask subclass can change that
rule, so the kit asks the app under test itself, and it must leave the app as
it found it whatever the answer, since every later scenario runs on the same
app:

- every call hands Flask a function of the kit's that does nothing (a
  before_request that returns None, an error handler for an exception nobody
  raises), so even a registration that was accepted changes no answer;
- the registries a call can add to are copied first and put back when the
  call was accepted;
- a route is asked for with a rule Werkzeug rejects (it lacks the leading
  slash), and a blueprint under the name the kit's probe already holds, so a
  Flask that lets them through stops with a ValueError before it adds
  anything to the URL map, which could not be put back.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask

from .probe import BLUEPRINT_NAME

#: What an app or a blueprint keeps its setup in: a setup method adds to these.
_REGISTRIES = (
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "url_value_preprocessors",
    "url_default_functions",
    "template_context_processors",
    "error_handler_spec",
    "view_functions",
)
_APP_REGISTRIES = ("teardown_appcontext_funcs", "blueprints")
_BLUEPRINT_REGISTRIES = ("deferred_functions", "_blueprints")

#: A URL rule Werkzeug refuses to build (no leading slash): a route asked for
#: with it can never reach the URL map.
NOT_A_RULE = "conformance-late-route"


class LateSetupError(Exception):
    """Nobody raises this: the key of the kit's late error handler."""


def _does_nothing(*args: Any) -> None:
    return None


def _handles_nothing(error: Any) -> str:
    return ""


def _gives_response_back(response: Any) -> Any:
    return response


def _adds_nothing() -> dict[str, Any]:
    return {}


#: Each setup method the kit asks for, as Flask names it in its refusal, and
#: how it is called with a function that does nothing.
SETUP_CALLS: dict[str, Callable[[Any], Any]] = {
    "before_request": lambda scaffold: scaffold.before_request(_does_nothing),
    "after_request": lambda scaffold: scaffold.after_request(_gives_response_back),
    "teardown_request": lambda scaffold: scaffold.teardown_request(_does_nothing),
    "teardown_appcontext": lambda app: app.teardown_appcontext(_does_nothing),
    "url_value_preprocessor": lambda scaffold: scaffold.url_value_preprocessor(_does_nothing),
    "url_defaults": lambda scaffold: scaffold.url_defaults(_does_nothing),
    "context_processor": lambda scaffold: scaffold.context_processor(_adds_nothing),
    "errorhandler": lambda scaffold: scaffold.errorhandler(LateSetupError)(_does_nothing),
    "route": lambda scaffold: scaffold.route(NOT_A_RULE)(_does_nothing),
    "add_url_rule": lambda scaffold: scaffold.add_url_rule(
        NOT_A_RULE, "conformance_late_rule", _does_nothing
    ),
    "register_blueprint": lambda app: app.register_blueprint(
        Blueprint(BLUEPRINT_NAME, __name__)
    ),
}


@dataclass
class SetupAnswer:
    """What an app or blueprint answered when asked for ``method`` late."""

    method: str
    #: What the call raised; None when it went through without a word.
    raised: BaseException | None

    @property
    def refused(self) -> bool:
        """Flask's refusal: an AssertionError that names the setup method."""
        return isinstance(self.raised, AssertionError) and f"'{self.method}'" in str(self.raised)

    def describe(self) -> str:
        if self.refused:
            return f"refused: {_first_line(self.raised)}"
        if self.raised is None:
            return f"accepted {self.method} (the kit took its do-nothing function out again)"
        return (
            f"did not refuse {self.method}: it went on with the registration, which stopped at "
            f"{type(self.raised).__name__}: {_first_line(self.raised)} (the kit asks in a way "
            "that stops there, so nothing was added)"
        )


def ask_late(scaffold: Flask | Blueprint, method: str) -> SetupAnswer:
    """Call the setup ``method`` on ``scaffold`` and put back anything it added."""
    saved = _Registries.of(scaffold)
    try:
        SETUP_CALLS[method](scaffold)
    except Exception as error:  # noqa: BLE001 - the answer is what it raised
        raised: BaseException | None = error
    else:
        raised = None
    saved.put_back()
    return SetupAnswer(method, raised)


@dataclass
class _Registries:
    """Copies of the registries of an app or a blueprint, to put back in place."""

    owner: Any
    saved: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, owner: Flask | Blueprint) -> _Registries:
        extra = _APP_REGISTRIES if isinstance(owner, Flask) else _BLUEPRINT_REGISTRIES
        names = [name for name in (*_REGISTRIES, *extra) if hasattr(owner, name)]
        return cls(owner, {name: _copied(getattr(owner, name)) for name in names})

    def put_back(self) -> None:
        """Make every registry hold what it held, keeping the objects Flask holds."""
        for name, saved in self.saved.items():
            current = getattr(self.owner, name)
            if isinstance(current, dict):
                current.clear()
                current.update(saved)
            else:
                current[:] = saved


def _copied(registry: Any) -> Any:
    """A copy of nested dicts and lists; the functions and classes in them are shared."""
    if isinstance(registry, dict):
        duplicate = copy.copy(registry)  # keeps a defaultdict's default
        for key, value in registry.items():
            duplicate[key] = _copied(value)
        return duplicate
    if isinstance(registry, list):
        return [_copied(item) for item in registry]
    return registry


def _first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error is not None and str(error).strip() else ""


def registered_blueprint() -> Blueprint:
    """A blueprint of a small app the kit builds, registered and so set up."""
    app = Flask("flask_conformance_late_setup")
    blueprint = Blueprint("registered", __name__)

    @blueprint.route("/")
    def page() -> str:
        return "a page of a registered blueprint"

    app.register_blueprint(blueprint)
    return blueprint


#: The arguments of the setup decorators that take some before the function.
_DECORATOR_ARGUMENTS: dict[str, tuple[Any, ...]] = {
    "errorhandler": (LateSetupError,),
    "app_errorhandler": (LateSetupError,),
    "route": ("/decorated",),
}


def decorate(scaffold: Flask | Blueprint, decorator: str) -> tuple[Any, Any]:
    """Register a function with ``scaffold``'s ``decorator``, as ``@app.<decorator>``
    does; the function and what the decorator gave back in its place (H-19)."""

    def registered(*args: Any) -> None:
        return None

    setup = getattr(scaffold, decorator)
    if decorator in _DECORATOR_ARGUMENTS:
        setup = setup(*_DECORATOR_ARGUMENTS[decorator])
    return registered, setup(registered)


def unserved_app_and_blueprint() -> tuple[Flask, Blueprint]:
    """A small app the kit builds, not yet served, and a blueprint it has not registered."""
    return Flask("flask_conformance_setup"), Blueprint("unregistered", __name__)


#: What a feature asks an error handler to be registered for (H-22).
ERROR_HANDLER_KEYS: dict[str, Any] = {
    "the number 999, which is no HTTP error code": 999,
    "an exception instance instead of its class": LateSetupError("an instance"),
    "str, which is no exception class": str,
}


def register_error_handler_for(app: Flask, key: str) -> BaseException | None:
    """Register an error handler for ``key`` on ``app``; what Flask raised, or None."""
    try:
        app.register_error_handler(ERROR_HANDLER_KEYS[key], _handles_nothing)
    except Exception as error:  # noqa: BLE001 - the refusal is the answer
        return error
    return None
