"""Mutants of ``bench/mutants.py`` that no test can tell apart from Flask 3.1.3.

Each is left out of the benchmark's totals (it still runs, and shows in
``results.json``), with the one argument why no request, context or public
API call can observe it. Add one only with such an argument: a mutant that is
merely hard to reach (an error raised only on misuse, a branch only a
subclass takes) is a gap in the suites, not an equivalent, and stays counted.
"""

from __future__ import annotations

EQUIVALENT: dict[str, str] = {
    "ctx.py:RequestContext.__init__:319:stmt:0": (
        "without request.json_module = app.json the request parses JSON with flask.json, "
        "whose loads delegates to current_app.json.loads whenever an app context is active, "
        "and a request is only read through the request proxy while its context, which pushes "
        "its own app's context (RequestContext.push), is active: the same object parses it"
    ),
    "app.py:Flask.handle_exception:849:cmp:0": (
        "with the comparison flipped, an exception being handled is re-raised by `raise e` "
        "instead of a bare `raise`: the same exception object propagates, with one more frame "
        "in its traceback; wsgi_app calls handle_exception only inside the except that caught e"
    ),
    "app.py:Flask.handle_exception:849:not+:0": (
        "the same as the flipped comparison: `raise e` instead of `raise`, the same object"
    ),
    "app.py:Flask.handle_exception:850:stmt:0": (
        "without the bare `raise` the next line, `raise e`, raises the same exception object"
    ),
    "app.py:Flask.handle_exception:855:stmt:0": (
        "a bare annotation (`server_error: InternalServerError | ...`): it assigns nothing "
        "and runs no code"
    ),
    "app.py:Flask.wsgi_app:1524:cmp:0": (
        "with `error is None and ...`, should_ignore_error is asked about None; Flask's own "
        "answers False whatever it is given, so error is never cleared, as before, unless an "
        "app overrides should_ignore_error (none in scope does)"
    ),
    "sansio/scaffold.py:Scaffold._get_exc_class_and_code:667:stmt:0": (
        "a bare annotation (`exc_class: type[Exception]`): it assigns nothing and runs no code"
    ),
}
