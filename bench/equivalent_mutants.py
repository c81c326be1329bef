"""Mutants of ``bench/mutants.py`` that no test can tell apart from Flask 3.1.3.

Each is excluded from the benchmark's totals, with the one argument why no
request, context or API call can observe it. Add one only with such an
argument; a mutant that is merely hard to test is a gap, not an equivalent.
"""

from __future__ import annotations

EQUIVALENT: dict[str, str] = {
    "sessions.py:SessionInterface.open_session:261:stmt:0": (
        "the base class's open_session is abstract: every session interface Flask or an "
        "app uses overrides it, and with the raise removed it returns None, which a "
        "caller that did reach it would treat as a null session anyway"
    ),
    "sessions.py:SessionInterface.save_session:270:stmt:0": (
        "the base class's save_session is abstract and overridden by every interface; "
        "without the raise it returns None, which is what save_session returns"
    ),
}
