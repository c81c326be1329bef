"""What the known-bad cases share: their shape and what a failure must say.

A :class:`BrokenApp` is one of the small apps in ``tests/apps`` (or Flask
broken by ``tests/plugins/broken_flask.py``), a :class:`PatchedFlask` the
reference app on a Flask patched by ``tests/plugins/patched_flask.py``. The
``run_specs`` fixture of ``tests/conftest.py`` runs the specs against either
in a subprocess, once per session for each distinct run, and
:func:`expect_named_failures` is the verdict every case must get. Used by
``test_known_bad_apps.py``, ``test_patched_flask.py``,
``test_reference_app_passes_known_bad_selections.py`` and the other tests
that point the kit at a broken app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .running import SpecRun

APPS_DIR = Path(__file__).resolve().parent / "apps"


@dataclass(frozen=True)
class BrokenApp:
    """One known-bad app (or broken Flask) and the scenarios it must fail."""

    #: Module in ``tests/apps``; None: the bundled reference app.
    app: str | None
    #: ``-m`` expression selecting the scenarios that state the broken behaviour.
    markers: str
    #: Words every failure's message must contain, naming the broken behaviour.
    words: tuple[str, ...]
    #: How many of the selected scenarios must fail, at least.
    min_failed: int = 1
    #: True when every selected scenario that runs must fail; False when the
    #: selection also holds scenarios this app does not break.
    all_fail: bool = True
    #: Journey profile beside the app, for ``@journey`` scenarios.
    profile: str | None = None
    #: The factory call, as ``flask --app`` takes it after the colon.
    factory: str = "create_app"
    #: A breakage of Flask itself for the run (``tests/plugins/broken_flask.py``).
    broken_flask: str | None = None

    @property
    def import_string(self) -> str | None:
        return None if self.app is None else f"tests.apps.{self.app}:{self.factory}"

    def __str__(self) -> str:
        app = self.app or "the reference app"
        broken = f" on a Flask where {self.broken_flask}" if self.broken_flask else ""
        return f"{app}{broken}: {self.markers}"


@dataclass(frozen=True)
class PatchedFlask:
    """A Flask patched to break one behaviour (``tests/plugins/patched_flask.py``)
    that no app could break, and the scenarios it must fail on the reference app."""

    #: The patch, a key of ``tests.plugins.patched_flask.PATCHES``.
    patch: str
    markers: str
    words: tuple[str, ...]
    min_failed: int = 1
    all_fail: bool = True


def case_id(case: object) -> str:
    if isinstance(case, PatchedFlask):
        return f"Flask patched by {case.patch}: {case.markers}"
    return str(case)


RunSpecs = Callable[..., SpecRun]


def expect_named_failures(run: SpecRun, case: BrokenApp | PatchedFlask, what: str) -> None:
    """The run failed the case's scenarios, each naming the broken behaviour."""
    failed, passed = run.named("failed"), run.named("passed")
    report = f"{what}:\n{run.summary()}"
    assert not run.named("error"), (
        f"scenarios errored in setup instead of failing:\n{report}\n{run.output}"
    )
    assert len(failed) >= case.min_failed, (
        f"expected at least {case.min_failed} failures:\n{report}\n{run.output}"
    )
    if case.all_fail:
        assert not passed, f"these scenarios passed where they are broken:\n{report}"
    for outcome in failed:
        missing = [words for words in case.words if words not in outcome.text]
        assert not missing, (
            f"{outcome.name} failed without saying {missing!r}; its message was:\n{outcome.text}"
        )
