"""The kit's clock: freezegun, started once per process and moved, never slept.

Flask checks a session's age with ``time.time()`` (itsdangerous) and writes
``Expires`` with ``datetime.now()``; fakeredis expires keys with ``time.time()``.
freezegun patches all three, so moving one frozen clock moves every one of them.

Starting freezegun is expensive (about 5 ms: it scans every loaded module for
references to the real time functions), but a freezer started while another is
active only pushes a new time factory. So the first scenario in a process starts
a *base* freezer that ticks along with real time, and every scenario then pushes
its own frozen time on top of it and pops it when it ends. Outside a scenario the
clock therefore reads real time again; inside one it moves only when a step
says so.

``_pytest.timing`` and ``pytest_bdd`` are on the ignore list so that pytest's
``--durations`` and pytest-bdd's step durations keep measuring real time.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from freezegun import freeze_time
from freezegun.api import real_datetime, real_perf_counter

if TYPE_CHECKING:
    from typing_extensions import Self  # typing has it from Python 3.11

#: Modules that must keep real time: pytest's own timings, pytest-bdd's step
#: durations (reference: ecosystem P3, serverside-and-time 2.2), xdist's and
#: execnet's timeouts between workers, and this module, which times the clock.
#: Only pytest-bdd's reporting modules are listed, not the package: freezegun
#: gives real time to any call with an ignored module among the five frames
#: above it, and step functions run two frames below ``pytest_bdd.scenario``.
IGNORED_MODULES = [
    "_pytest.timing",
    "pytest_bdd.reporting",
    "pytest_bdd.cucumber_json",
    "xdist",
    "execnet",
    "flask_conformance.drive.clock",
]

#: Where every scenario starts: a fixed instant, so evidence (Expires dates,
#: signature timestamps) is the same on every run.
SCENARIO_START = _dt.datetime(2030, 1, 1, 12, 0, 0, tzinfo=_dt.timezone.utc)

_base_freezer: Any = None

#: Real seconds spent starting, moving and stopping freezers in this process;
#: the benchmark divides it by the number of scenarios.
time_travel_seconds = 0.0


def _ensure_base_freezer() -> None:
    """Start the process-wide ticking freezer once; see the module docstring."""
    global _base_freezer, time_travel_seconds
    if _base_freezer is not None:
        return
    started = real_perf_counter()
    now = real_datetime.now(_dt.timezone.utc)
    _base_freezer = freeze_time(now, tick=True, ignore=IGNORED_MODULES)
    _base_freezer.start()
    time_travel_seconds += real_perf_counter() - started


Listener = Callable[[_dt.timedelta], None]


class Clock:
    """One scenario's view of time.

    Steps speak in domain time ("31 minutes pass"); the clock turns that into a
    move of the frozen time; ``with Clock() as clock:`` starts and stops it.
    Parts of the system that keep their own time, such as a real Redis server
    whose TTLs freezegun cannot reach, subscribe with :meth:`on_move` and are
    told how far the clock moved.
    """

    def __init__(self, start: _dt.datetime = SCENARIO_START) -> None:
        self._listeners: list[Listener] = []
        self._factory: Any = None
        self._freezer: Any = None
        self._start = start

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Freeze time at the scenario's start instant."""
        global time_travel_seconds
        started = real_perf_counter()
        _ensure_base_freezer()
        self._freezer = freeze_time(self._start, ignore=IGNORED_MODULES)
        self._factory = self._freezer.start()
        time_travel_seconds += real_perf_counter() - started

    def stop(self) -> None:
        """Give the process back its real time."""
        global time_travel_seconds
        if self._freezer is None:
            return
        started = real_perf_counter()
        self._freezer.stop()
        self._freezer = self._factory = None
        self._listeners.clear()
        time_travel_seconds += real_perf_counter() - started

    def now(self) -> _dt.datetime:
        """The scenario's current time, as an aware UTC datetime."""
        return _dt.datetime.now(_dt.timezone.utc)

    def advance(self, delta: _dt.timedelta) -> None:
        """Move time by ``delta`` (negative moves it back)."""
        global time_travel_seconds
        if self._factory is None:
            raise RuntimeError("The clock has not been started for this scenario.")
        started = real_perf_counter()
        self._factory.tick(delta)
        time_travel_seconds += real_perf_counter() - started
        for listener in self._listeners:
            listener(delta)

    def on_move(self, listener: Listener) -> None:
        """Call ``listener(delta)`` after every move of this clock."""
        self._listeners.append(listener)
