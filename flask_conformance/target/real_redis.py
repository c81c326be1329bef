"""A run against a real Redis server: its keys, its end, and its outage.

With a Redis URL (``--redis-url`` of the kit's commands, pytest's
``--conformance-redis-url``, or ``REDIS_URL`` for the reference app) the kit writes
sessions to a server that may hold someone's real data, and that server may
stop answering halfway through a run. This plugin keeps both promises of the
kit there:

- **Only the kit's own keys.** Each run gets an id; xdist's controller hands
  it to its workers, so every key of a run starts with
  ``flask-conformance:<run>:`` and each worker writes under its own
  ``<worker>:`` below that (:class:`~flask_conformance.target.redis_swap.KitRedis`).
  When the run ends, passed, failed or interrupted, every process deletes its
  keys, and the controller (or the only process) sweeps the whole run's, in
  case a worker died before it could.
- **A store that stops is not the app's fault.** When a scenario on the real
  Redis fails and the server no longer answers a PING, the failure says
  nothing about the app: it becomes "not judged", and the run stops there
  (``session.shouldstop``) instead of failing every scenario left. The run
  ends with one line naming the server and how far the run got, and exits 2
  (pytest's "interrupted").
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import pytest

from .backends import REDIS, session_backend
from .redis_swap import MAIN_WORKER, new_run_id

if TYPE_CHECKING:
    from pluggy import Result

#: The run id, in xdist's ``workerinput``.
RUN_ID_INPUT = "flask_conformance_run_id"
#: The Redis URL option's name as the user typed it, in xdist's ``workerinput``.
OPTION_INPUT = "flask_conformance_redis_option"
#: The option's name in pytest, prefixed like every pytest option of the kit's.
PYTEST_OPTION = "--conformance-redis-url"
#: The option's name in ``flask-conformance check`` and ``flask conformance``.
COMMAND_OPTION = "--redis-url"
#: Marks the report of the scenario during which the store stopped answering.
STOPPED_PROPERTY = "conformance-store-stopped"
_RUN_ID_KEY = pytest.StashKey[str]()


def run_names(config: pytest.Config) -> tuple[str, str]:
    """This run's id and this process's worker name (``main`` without xdist)."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return str(workerinput.get(RUN_ID_INPUT) or new_run_id()), str(workerinput["workerid"])
    if _RUN_ID_KEY not in config.stash:
        config.stash[_RUN_ID_KEY] = new_run_id()
    return config.stash[_RUN_ID_KEY], MAIN_WORKER


class CommandRun:
    """Handed to ``pytest.main`` by the kit's commands, whose users type ``--redis-url``.

    The commands pass the URL on as pytest's ``--conformance-redis-url``; this
    marker lets a message about the URL name the option the user really typed.
    """


def redis_option(config: pytest.Config) -> str:
    """The name under which this run's user gave the Redis URL."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return str(workerinput.get(OPTION_INPUT, PYTEST_OPTION))
    plugins = config.invocation_params.plugins or ()
    started_by_command = any(isinstance(p, CommandRun) for p in plugins)
    return COMMAND_OPTION if started_by_command else PYTEST_OPTION


class RedisRun:
    """The pytest hooks of a run on a real Redis (they do nothing on fakeredis)."""

    def __init__(self, loaded_target: Callable[[], Any]) -> None:
        #: The run's target if it is loaded (None otherwise); never loads it.
        self.loaded_target = loaded_target
        #: What stopped the run, in words, once a process noticed.
        self.stopped: str | None = None
        self.finished = 0
        self.session: pytest.Session | None = None

    def _kit_redis(self) -> Any:
        target = self.loaded_target()
        return None if target is None else target.kit_redis

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """Give each xdist worker this run's id, so all its keys share one prefix.

        And the Redis option's name as the user typed it, for the worker's messages.
        """
        node.workerinput[RUN_ID_INPUT] = run_names(node.config)[0]
        node.workerinput[OPTION_INPUT] = redis_option(node.config)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Result[pytest.TestReport], None]:
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        if not report.failed or not self._on_real_redis(item):
            return
        kit_redis = self._kit_redis()
        why = kit_redis.check_answers()
        if why is None:
            return  # the server answers: the failure is the app's
        message = f"{kit_redis.name} stopped answering ({why})"
        report.outcome = "skipped"
        report.longrepr = (
            str(item.path),
            item.location[1] or 0,
            f"Skipped: not judged: {message} during this scenario",
        )
        report.sections = []
        report.user_properties.append((STOPPED_PROPERTY, f"{message} during {item.nodeid}"))
        item.session.shouldstop = (
            f"flask-conformance stopped the run: {kit_redis.name} stopped answering"
        )

    def _on_real_redis(self, item: pytest.Item) -> bool:
        """True when ``item`` runs on an app whose sessions are in the kit's real Redis."""
        target = self.loaded_target()
        if target is None or target.kit_redis is None or not target.kit_redis.connected:
            return False
        callspec = getattr(item, "callspec", None)  # only parametrized tests have one
        backend = callspec.params.get("backend") if callspec is not None else None
        return session_backend(target.app(backend or None)) == REDIS

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count the scenarios that ran, and note the one the store stopped in."""
        if report.when == "teardown":
            self.finished += 1
        for name, value in report.user_properties:
            if name == STOPPED_PROPERTY and self.stopped is None:
                self.stopped = str(value)

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.session = session

    def pytest_terminal_summary(
        self, terminalreporter: pytest.TerminalReporter, config: pytest.Config
    ) -> None:
        """The one line that says the store stopped, where, and how far the run got."""
        if self.stopped is None:
            return
        total = self.session.testscollected if self.session is not None else 0
        done = self.finished
        left = f", the other {total - done} were not run" if total > done else ""
        kit_redis = self._kit_redis()
        source = kit_redis.source if kit_redis is not None else "the Redis URL"
        terminalreporter.write_line(
            f"flask-conformance: {self.stopped}; {done} of {total} scenarios had run{left}: "
            f"start the server again (or fix {source}) and run the kit again.",
            red=True,
            bold=True,
        )

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """Delete the kit's keys, whether the run passed, failed or was interrupted."""
        kit_redis = self._kit_redis()
        if kit_redis is not None:
            if self.stopped is not None:
                kit_redis.stopped = kit_redis.stopped or self.stopped
            kit_redis.remove_keys(whole_run=not hasattr(config, "workerinput"))
