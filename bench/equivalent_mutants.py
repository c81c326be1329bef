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
}
