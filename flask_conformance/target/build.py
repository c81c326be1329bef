"""Building the app under test from an import string, as ``flask --app`` does.

The kit accepts what ``flask --app`` accepts: ``module``, ``module:name`` and
``module:factory(args)``, through Flask's own resolver
(:func:`flask.cli.find_app_by_string` and :func:`flask.cli.find_best_app`),
so the same string means the same app in both tools. Every way that can go
wrong (no such module, a factory that raises or calls ``sys.exit``, not a
Flask app) becomes a :class:`TargetError` of one plain line. A profile's
``[config]`` is put in place as early as the app allows
(:func:`load_app_with_config`). :mod:`flask_conformance.target.load` builds
the target, one app per session backend, from these.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.cli import NoAppException, find_app_by_string, find_best_app

from ..journeys.profile import JourneyProfile
from ..journeys.setup_guard import check_config_in_effect
from .time_limit import stage


class TargetError(Exception):
    """The app under test cannot be used; the message says why and what to do."""


def split_import_string(import_string: str) -> tuple[str, str | None]:
    """Split ``module:attr`` into its two parts, checking the shape only."""
    text = import_string.strip()
    if not text:
        raise TargetError(
            "The app to check is empty: pass it as 'module:attr', for example 'myapp:create_app'."
        )
    module_name, sep, attr = text.partition(":")
    module_name = module_name.strip()
    if not module_name or (sep and not attr.strip()):
        raise TargetError(
            f"{import_string!r} is not an import string: write 'module:attr', "
            "for example 'myapp:create_app' or 'myapp:create_app(\"testing\")'."
        )
    if module_name.endswith(".py"):
        module_name = module_name[:-3].replace(os.sep, ".").replace("/", ".")
    return module_name, (attr.strip() or None)


def import_target_module(module_name: str) -> Any:
    """Import the app's module the way ``flask --app`` does (cwd first on sys.path)."""
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        with stage(f"importing the module {module_name!r}"):
            return importlib.import_module(module_name)
    except SystemExit as error:
        raise TargetError(
            f"Importing {module_name!r} called sys.exit({error.code!r}): the module ends the "
            "program when it is imported. Move that check into the factory or a command."
        ) from None
    except ModuleNotFoundError as error:
        if error.name and (module_name == error.name or module_name.startswith(error.name + ".")):
            raise TargetError(
                f"No module named {module_name!r} could be found from {cwd}: run the kit "
                "from your project's folder or install the project into this environment."
            ) from None
        raise TargetError(
            f"Importing {module_name!r} failed because the package {error.name!r} is not "
            f"installed: install it (pip install {error.name}) and try again."
        ) from None
    except Exception as error:  # noqa: BLE001 - the module's own top-level code failed
        raise TargetError(
            f"Importing {module_name!r} raised {type(error).__name__}: {error}. "
            "Fix the module so that it imports cleanly, then try again."
        ) from None


def _raised(calling: str, error: BaseException, fix: str) -> TargetError:
    """``<calling> raised <Type>: <message>. <fix>``: the app's code failed while the kit called it."""
    return TargetError(f"{calling} raised {type(error).__name__}: {error}. {fix}")


def _exited(calling: str, error: SystemExit, fix: str) -> TargetError:
    """The app's code ended the program while the kit called it to build the app."""
    return TargetError(
        f"{calling} called sys.exit({error.code!r}) instead of returning an app. {fix}"
    )


#: What to do when the factory fails with the profile's [config].
_CHECK_CONFIG = "Check the profile's [config] values."


def _a_flask_app(app: Any, import_string: str) -> Flask:
    """``app``, checked to be a Flask app: a factory may return anything."""
    if not isinstance(app, Flask):
        raise TargetError(
            f"{import_string!r} gave a {type(app).__name__}, not a Flask app: "
            "name the Flask instance or a factory that returns one."
        )
    return app


def load_app(import_string: str) -> Flask:
    """Return the Flask app named by ``import_string`` (calling a factory if given one)."""
    module_name, attr = split_import_string(import_string)
    calling = f"Calling {import_string!r}"
    try:
        with quiet_flask_session():
            module = import_target_module(module_name)
            with stage(f"calling {import_string!r} to build the app"):
                app = find_best_app(module) if attr is None else find_app_by_string(module, attr)
    except TargetError:
        raise
    except SystemExit as error:
        raise _exited(
            calling,
            error,
            "The kit needs a factory that builds the app without ending the program.",
        ) from None
    except NoAppException as error:
        raise TargetError(
            f"{error} (while loading {import_string!r}): name the Flask app or a factory "
            "that returns one, for example 'myapp:app' or 'myapp:create_app'."
        ) from None
    except Exception as error:  # noqa: BLE001 - the factory itself raised
        raise _raised(
            calling, error, "The kit needs a factory that builds the app without errors."
        ) from None
    return _a_flask_app(app, import_string)


def load_app_with_config(
    import_string: str, config: dict[str, Any], profile: JourneyProfile | None = None
) -> Flask:
    """Load the app with the profile's config in place as early as the app allows.

    A factory named without arguments (``myapp:create_app``, or found by
    Flask's own rules) whose signature has a ``test_config`` parameter, the
    convention of Flask's tutorial, gets ``config`` there, so values the
    factory reads while building (a database path) are the profile's. Any
    other app gets ``config`` set on ``app.config`` once it is built, which is
    enough for values read per request (``WTF_CSRF_ENABLED``), but not for a
    database the app opened while it was built: when ``profile`` has a
    ``[setup]`` to run, every value must already be in effect once the app is
    built, or this refuses (:mod:`flask_conformance.journeys.setup_guard`).
    """
    if not config:
        return load_app(import_string)
    factory = _test_config_factory(import_string)
    if factory is None:
        app = load_app(import_string)
    else:
        calling = f"Calling {import_string!r} with the profile's [config]"
        try:
            with stage(f"calling {import_string!r} with the profile's [config]"):
                app = factory(test_config=dict(config))
        except SystemExit as error:
            raise _exited(calling, error, _CHECK_CONFIG) from None
        except Exception as error:  # noqa: BLE001 - the factory itself raised
            raise _raised(calling, error, _CHECK_CONFIG) from None
        app = _a_flask_app(app, import_string)
    if profile is not None:
        check_config_in_effect(app, config, import_string, profile, factory is not None)
    app.config.update(config)
    return app


def _test_config_factory(import_string: str) -> Any:
    """The factory to call with ``test_config=``, or None when there is none."""
    module_name, attr = split_import_string(import_string)
    if attr is not None and not attr.isidentifier():
        return None  # the import string calls the factory with its own arguments
    module = import_target_module(module_name)
    if attr is None and any(isinstance(value, Flask) for value in vars(module).values()):
        return None  # Flask's find_best_app prefers an app instance to a factory
    names = [attr] if attr is not None else ["create_app", "make_app"]
    for name in names:
        factory = getattr(module, name, None)
        if factory is None or isinstance(factory, Flask) or not callable(factory):
            continue
        try:
            parameters = inspect.signature(factory).parameters
        except (TypeError, ValueError):
            return None
        return factory if "test_config" in parameters else None
    return None


@contextmanager
def quiet_flask_session() -> Iterator[None]:
    """Flask-Session warns that it builds a client for localhost (Redis,
    Memcached...) when the app gives none; the kit swaps that store for its
    own, or refuses it, before any use (:mod:`flask_conformance.target.store_swap`)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="No valid .* instance provided", category=RuntimeWarning
        )
        yield
