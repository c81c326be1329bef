"""Patch Flask itself, in one place, for a run of the specs.

Some behaviours live in Flask's own code, where no app can break them: the
refusal of setup after the first request, the closing of a request's files,
the merging of a blueprint's hooks into the app, what a setup decorator gives
back. To prove that the scenarios stating them can fail, the kit's tests run
them on a Flask patched to break exactly that, as a bug or a careless patch
would. The patches replace or wrap whole methods of ``flask.Flask``,
``flask.Blueprint`` and ``flask.Request``, which exist under these names on
every Flask the suite supports, though the code behind them moved from
``flask/blueprints.py`` (2.3) to ``flask/sansio/`` (3.0).

Loaded with ``-p tests.plugins.patched_flask``; ``PATCHED_FLASK`` names the
patch (a key of :data:`PATCHES`). It is applied when the plugin is imported,
before the app under test is built.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import flask
from werkzeug.exceptions import HTTPException, default_exceptions


def _accept_late_setup() -> None:
    """Setup methods no longer check whether the app has served (or the
    blueprint was registered): breaks H-16."""

    def never_finished(self: Any, f_name: str) -> None:
        return None

    flask.Flask._check_setup_finished = never_finished  # type: ignore[method-assign]
    flask.Blueprint._check_setup_finished = never_finished  # type: ignore[method-assign]


def _keep_request_files_open() -> None:
    """A request no longer closes its files when it ends: breaks H-18."""

    def close(self: Any) -> None:
        return None

    flask.Request.close = close  # type: ignore[method-assign]


def _close_request_files_before_teardown() -> None:
    """A request closes its files before its teardown_request functions run,
    instead of after them: breaks H-18."""
    do_teardown_request = flask.Flask.do_teardown_request

    def closing_first(self: Any, *args: Any, **kwargs: Any) -> None:
        flask.request.close()
        do_teardown_request(self, *args, **kwargs)

    flask.Flask.do_teardown_request = closing_first  # type: ignore[method-assign]


#: A blueprint's own hook registries, which Flask merges into the app's.
HOOK_REGISTRIES = (
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "url_default_functions",
    "url_value_preprocessors",
    "template_context_processors",
    "error_handler_spec",
)


def _register_without(registries: tuple[str, ...], again_only: bool = False) -> Callable[[], None]:
    """Blueprints are registered as if their ``registries`` were empty (only
    when registered a second time, under another name, if ``again_only``):
    their hooks of those kinds never join the app's. Done around ``register``,
    which merges inline on Flask 2.3 and through ``_merge_blueprint_funcs``
    since 3.0."""

    def patch() -> None:
        register = flask.Blueprint.register

        def registering(self: Any, app: Any, options: dict[str, Any]) -> None:
            again = any(bp is self for bp in app.blueprints.values())
            if again_only and not again:
                register(self, app, options)
                return
            saved = {name: getattr(self, name) for name in registries}
            for name in registries:
                setattr(self, name, {})
            try:
                register(self, app, options)
            finally:
                for name, value in saved.items():
                    setattr(self, name, value)

        flask.Blueprint.register = registering  # type: ignore[method-assign]

    return patch


def _add_app_wide_hooks_per_registration() -> None:
    """``record_once`` records for every registration, so a blueprint
    registered twice adds its app-wide hooks twice: breaks H-20."""

    def record_once(self: Any, func: Callable[..., Any]) -> None:
        self.deferred_functions.append(func)

    flask.Blueprint.record_once = record_once  # type: ignore[method-assign]


def _app_errorhandler_on_the_blueprint_only() -> None:
    """``app_errorhandler`` registers on the blueprint, like ``errorhandler``:
    breaks H-21."""

    def app_errorhandler(self: Any, code: Any) -> Any:
        return self.errorhandler(code)

    flask.Blueprint.app_errorhandler = app_errorhandler  # type: ignore[method-assign]


def _refuse_second_registration() -> None:
    """A blueprint cannot be registered twice, under any name (Flask before
    2.0.1 mixed the two up instead): the kit's twin cannot be registered."""
    register = flask.Blueprint.register

    def registering(self: Any, app: Any, options: dict[str, Any]) -> None:
        if any(bp is self for bp in app.blueprints.values()):
            raise ValueError(f"The blueprint {self.name!r} is already registered.")
        register(self, app, options)

    flask.Blueprint.register = registering  # type: ignore[method-assign]


def _register_with(**attributes: Callable[[Any], Any]) -> Callable[[], None]:
    """Blueprints are registered as if each named attribute held what its
    function makes of the blueprint, and get their own back afterwards."""

    def patch() -> None:
        register = flask.Blueprint.register

        def registering(self: Any, app: Any, options: dict[str, Any]) -> None:
            saved = {name: getattr(self, name) for name in attributes}
            for name, make in attributes.items():
                setattr(self, name, make(self))
            try:
                register(self, app, options)
            finally:
                for name, value in saved.items():
                    setattr(self, name, value)

        flask.Blueprint.register = registering  # type: ignore[method-assign]

    return patch


def _nested_subdomains_not_joined() -> None:
    """A nested blueprint keeps only its own subdomain, never its parent's:
    breaks BP-01."""
    register = flask.Blueprint.register

    def registering(self: Any, app: Any, options: dict[str, Any]) -> None:
        if options.get("name_prefix"):
            options = {key: value for key, value in options.items() if key != "subdomain"}
        register(self, app, options)

    flask.Blueprint.register = registering  # type: ignore[method-assign]


def _blueprint_names_shared() -> None:
    """A blueprint registered under a name already taken replaces the first,
    as before Flask 2.1: breaks BP-02."""
    register = flask.Blueprint.register

    def registering(self: Any, app: Any, options: dict[str, Any]) -> None:
        app.blueprints.pop(options.get("name", self.name), None)
        register(self, app, options)

    flask.Blueprint.register = registering  # type: ignore[method-assign]


def _error_handler_keys_unchecked() -> None:
    """An error handler is taken for anything, checked for nothing: breaks H-22."""

    def unchecked(exc_class_or_code: Any) -> tuple[Any, int | None]:
        if isinstance(exc_class_or_code, int):
            exc_class = default_exceptions.get(exc_class_or_code, HTTPException)
        else:
            exc_class = exc_class_or_code
        is_http = isinstance(exc_class, type) and issubclass(exc_class, HTTPException)
        return exc_class, exc_class.code if is_http else None

    for cls in (flask.Flask, flask.Blueprint):
        cls._get_exc_class_and_code = staticmethod(unchecked)  # type: ignore[method-assign]


#: The setup decorators that take the function itself, and those that take
#: arguments first and return the decorator.
_PLAIN_DECORATORS = {
    flask.Flask: (
        "before_request",
        "after_request",
        "teardown_request",
        "teardown_appcontext",
        "url_value_preprocessor",
        "url_defaults",
        "context_processor",
    ),
    flask.Blueprint: (
        "before_request",
        "after_request",
        "teardown_request",
        "before_app_request",
        "after_app_request",
        "teardown_app_request",
        "app_url_value_preprocessor",
        "app_url_defaults",
        "app_context_processor",
    ),
}
_DECORATOR_FACTORIES = {
    flask.Flask: ("route", "errorhandler"),
    flask.Blueprint: ("route", "errorhandler", "app_errorhandler"),
}


def _decorators_give_back_none() -> None:
    """Every setup decorator registers the function but gives back None:
    breaks H-19."""

    def plain(original: Callable[..., Any]) -> Callable[..., Any]:
        def decorator(self: Any, f: Any) -> None:
            original(self, f)

        return decorator

    def factory(original: Callable[..., Any]) -> Callable[..., Any]:
        def make(self: Any, *args: Any, **kwargs: Any) -> Callable[[Any], None]:
            inner = original(self, *args, **kwargs)
            return lambda f: (inner(f), None)[1]

        return make

    for cls, names in _PLAIN_DECORATORS.items():
        for name in names:
            setattr(cls, name, plain(getattr(cls, name)))
    for cls, names in _DECORATOR_FACTORIES.items():
        for name in names:
            setattr(cls, name, factory(getattr(cls, name)))


#: Each patch by name, as ``PATCHED_FLASK`` names it.
PATCHES: dict[str, Callable[[], None]] = {
    "late-setup": _accept_late_setup,
    "request-files-open": _keep_request_files_open,
    "request-files-closed-early": _close_request_files_before_teardown,
    # A blueprint registered again under another name gets no hooks there, as
    # before Flask 2.0.1: breaks H-20.
    "blueprint-hooks-merged-once": _register_without(HOOK_REGISTRIES, again_only=True),
    "app-wide-hooks-per-registration": _add_app_wide_hooks_per_registration,
    # A blueprint's url_defaults, or its context processors, never join the
    # app's: breaks H-10, or H-14.
    "url-defaults-not-merged": _register_without(("url_default_functions",)),
    "context-processors-not-merged": _register_without(("template_context_processors",)),
    "app-errorhandler-on-blueprint": _app_errorhandler_on_the_blueprint_only,
    "decorators-give-back-none": _decorators_give_back_none,
    "error-handler-keys-unchecked": _error_handler_keys_unchecked,
    "nested-subdomains-not-joined": _nested_subdomains_not_joined,
    "blueprint-names-shared": _blueprint_names_shared,
    # A blueprint's CLI commands, or its static folder, are left out: breaks
    # BP-03, or BP-04.
    "blueprint-commands-dropped": _register_with(cli=lambda bp: type(bp.cli)()),
    "blueprint-static-not-served": _register_with(static_folder=lambda bp: None),
    "blueprint-registered-once": _refuse_second_registration,
}

PATCHES[os.environ["PATCHED_FLASK"]]()
