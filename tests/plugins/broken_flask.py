"""Break one of Flask's own behaviours for a run of the specs, as a mutant would.

Loaded with ``-p tests.plugins.broken_flask``; ``BROKEN_FLASK`` names one of
:data:`BREAKAGES`. Some behaviours no app can break (the signals Flask sends,
``has_app_context()``, what a copied request context carries): the kit's own
tests break them here to prove that the scenarios stating them can fail.

Each breakage replaces a piece of one Flask function's source text and
recompiles that function in place (its ``__code__``), so every reference to
it, a bound method or a name imported elsewhere, runs the broken code. The
text must be found exactly once, on every Flask version the suite supports,
or the run stops at once, saying so: a breakage that silently did nothing
would make its test pass for the wrong reason.

Where a text replacement cannot say it (a property, a serializer's tag, a
method whose broken form is shorter written out), a breakage of
:data:`PATCHES` (``tests/plugins/broken_flask_patches.py``) replaces the
function or attribute itself: which errorhandler Flask picks, what it does
when finishing a 500 fails, the TRAP_* settings, the session cookie's
getters, the flashed messages it takes out of the session.
"""

from __future__ import annotations
import __future__

import ast
import importlib
import inspect
import os
import textwrap
from dataclasses import dataclass
from typing import Any

import pytest

from .broken_flask_patches import PATCHES


@dataclass(frozen=True)
class Breakage:
    """Replace ``old`` by ``new`` in the source of ``function`` (``module:Qual.name``)."""

    function: str
    #: Pairs of (text to find, text to put instead); the first text found of
    #: several alternatives separated by `` || `` is the one replaced.
    replacements: tuple[tuple[str, str], ...]
    #: What the broken Flask now does, for the reader of a failing test.
    does: str


BREAKAGES = {
    "g-pop-ignores-default": Breakage(
        "flask.ctx:_AppCtxGlobals.pop",
        (("return self.__dict__.pop(name, default)", "return self.__dict__.pop(name)"),),
        "g.pop raises KeyError for a missing name even when given a default",
    ),
    "g-setdefault-overwrites": Breakage(
        "flask.ctx:_AppCtxGlobals.setdefault",
        (
            (
                "return self.__dict__.setdefault(name, default)",
                "self.__dict__[name] = default; return default",
            ),
        ),
        "g.setdefault replaces what g holds",
    ),
    "g-contains-inverted": Breakage(
        "flask.ctx:_AppCtxGlobals.__contains__",
        (("return item in self.__dict__", "return item not in self.__dict__"),),
        "'name' in g answers the opposite",
    ),
    "g-iterates-nothing": Breakage(
        "flask.ctx:_AppCtxGlobals.__iter__",
        (("return iter(self.__dict__)", "return iter(())"),),
        "iterating g lists no names",
    ),
    "g-repr-plain": Breakage(
        "flask.ctx:_AppCtxGlobals.__repr__",
        (("if ctx is not None:", "if False:"),),
        "repr(g) never names the app",
    ),
    "has-app-context-inverted": Breakage(
        "flask.ctx:has_app_context",
        (("return _cv_app.get(None) is not None", "return _cv_app.get(None) is None"),),
        "has_app_context() answers the opposite",
    ),
    "app-context-enter-hands-nothing": Breakage(
        "flask.ctx:AppContext.__enter__",
        (("return self", "return None"),),
        "with app.app_context() as ctx: gives None",
    ),
    "app-context-skips-teardown": Breakage(
        "flask.ctx:AppContext.pop",
        (("if len(self._cv_tokens) == 1:", "if len(self._cv_tokens) > 1:"),),
        "popping an app context never runs teardown_appcontext",
    ),
    "app-context-ignores-handled-error": Breakage(
        "flask.ctx:AppContext.pop",
        (("exc = sys.exc_info()[1]", "exc = None"),),
        "popping an app context inside an except block passes None to teardown_appcontext",
    ),
    "app-context-pops-out-of-order": Breakage(
        "flask.ctx:AppContext.pop",
        (("if ctx is not self:", "if False:"),),
        "popping an app context that is not the current one is let through",
    ),
    "request-context-pops-out-of-order": Breakage(
        "flask.ctx:RequestContext.pop",
        (("if ctx is not self:", "if False:"),),
        "popping a request context that is not the current one is let through",
    ),
    "after-this-request-outside-request": Breakage(
        "flask.ctx:after_this_request",
        (("if ctx is None:", "if False:"),),
        "after_this_request outside a request fails without saying why",
    ),
    "request-context-ignores-handled-error": Breakage(
        "flask.ctx:RequestContext.pop",
        (("exc = sys.exc_info()[1]", "exc = None"),),
        "popping a request context inside an except block passes None to the teardowns",
    ),
    "request-context-exit-drops-error": Breakage(
        "flask.ctx:RequestContext.__exit__",
        (("self.pop(exc_value)", "self.pop(None)"),),
        "leaving a request context's with block by an error passes None to the teardowns",
    ),
    "request-context-tears-down-every-pop": Breakage(
        "flask.ctx:RequestContext.pop",
        (("clear_request = len(self._cv_tokens) == 1", "clear_request = True"),),
        "a request context pushed again is torn down when the inner push ends",
    ),
    "request-context-detaches-request-early": Breakage(
        "flask.ctx:RequestContext.pop",
        (
            (
                "if clear_request:\n            ctx.request.environ",
                "if True:\n            ctx.request.environ",
            ),
        ),
        "a request context pushed again detaches the request when the inner push ends",
    ),
    "copy-reloads-session": Breakage(
        "flask.ctx:RequestContext.copy",
        (("session=self._session, || session=self.session,", "session=None,"),),
        "a copied request context opens the session again from the cookie",
    ),
    "request-started-not-sent": Breakage(
        "flask.app:Flask.full_dispatch_request",
        (("request_started.send(self, _async_wrapper=self.ensure_sync)", "pass"),),
        "request_started is never sent",
    ),
    "request-finished-without-response": Breakage(
        "flask.app:Flask.finalize_request",
        (("response=response", "response=None"),),
        "request_finished never carries the response",
    ),
    "appcontext-popped-before-teardown": Breakage(
        "flask.ctx:AppContext.pop",
        (
            (
                "self.app.do_teardown_appcontext(exc)",
                (
                    "appcontext_popped.send(self.app, _async_wrapper=self.app.ensure_sync); "
                    "self.app.do_teardown_appcontext(exc)"
                ),
            ),
            ("appcontext_popped.send(self.app, _async_wrapper=self.app.ensure_sync)\n", "pass\n"),
        ),
        "appcontext_popped is sent before the app context is torn down",
    ),
    "request-tearing-down-without-error": Breakage(
        "flask.app:Flask.do_teardown_request",
        (
            (
                "request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)",
                "request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=None)",
            ),
        ),
        "request_tearing_down never carries the error",
    ),
}


def break_flask(breakage: Breakage) -> None:
    """Recompile ``breakage.function`` with its replacements applied."""
    module_name, qualname = breakage.function.split(":")
    owner: Any = importlib.import_module(module_name)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    function = owner.__dict__[name] if path else getattr(owner, name)
    source = textwrap.dedent(inspect.getsource(function))
    for alternatives, new in breakage.replacements:
        found = [old for old in alternatives.split(" || ") if source.count(old) == 1]
        if not found:
            raise pytest.UsageError(
                f"broken_flask: {alternatives!r} is not in {breakage.function} exactly once"
                " on this Flask version: fix the breakage"
            )
        source = source.replace(found[0], new)
    tree = ast.parse(source)
    # At Flask's own line numbers, so that tracebacks show the right lines.
    ast.increment_lineno(tree, function.__code__.co_firstlineno - 1)
    namespace: dict[str, Any] = {}
    flags = __future__.annotations.compiler_flag  # the annotations stay strings
    code = compile(tree, inspect.getsourcefile(function) or "<flask>", "exec", flags, True)
    exec(code, function.__globals__, namespace)  # noqa: S102 - the broken function itself
    function.__code__ = namespace[name].__code__


def pytest_configure(config: pytest.Config) -> None:
    wanted = os.environ.get("BROKEN_FLASK")
    if not wanted:
        return
    if wanted in PATCHES:
        PATCHES[wanted]()
        return
    if wanted not in BREAKAGES:
        raise pytest.UsageError(f"broken_flask: no breakage named {wanted!r}")
    break_flask(BREAKAGES[wanted])
