"""Loading the app under test from an import string.

The app itself is built as ``flask --app`` builds it
(:mod:`flask_conformance.target.build`); the kit adds plain one-line messages
for everything that can go wrong, because the person reading them is pointing
the kit at an app, not debugging the kit.

A :class:`Target` hands out one app per session backend. An app offers the
backend it was built with, unless its profile names several under
``[backends]`` (the bundled reference app's names Flask's signed cookie and
Flask-Session over Redis), each with the config that builds it there. Nothing
here looks at the import string: the same app gets the same verdicts however
it is named.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from .. import layout
from ..drive import probe_access
from ..drive.address import address_of, remember_address, rules_on_the_apps_host
from ..drive.browser import AppRaisedError
from ..drive.probe import install_probe
from ..drive.probe_blueprints import install_blueprint_probes
from ..hooks import trace as hooktrace
from ..journeys.flask_basics import logger_silenced
from ..journeys.login_cache import LoginCache
from ..journeys.profile import JourneyProfile, ProfileError
from ..journeys.profile_reading import load_profile, profile_in_pyproject
from ..journeys.runner import AppDefectNotProfile, LoginAnsweredByHook, check_fits, prepare
from ..journeys.setup_guard import check_environment_in_time
from .backends import REDIS, session_backend
from .build import TargetError, load_app_with_config, quiet_flask_session, split_import_string
from .capabilities import detect
from .footprint import Footprint
from .raising_function import raised_where
from .redis_swap import MAIN_WORKER, KitRedis, RedisUnavailable, new_run_id
from .store_swap import use_kit_store
from .time_limit import DEFAULT_LOAD_TIMEOUT, stage, time_limit


@dataclass
class Target:
    """The app under test, as the specs see it."""

    import_string: str
    profile: JourneyProfile | None = None
    #: A real Redis for apps whose Flask-Session uses Redis (None: fakeredis).
    kit_redis: KitRedis | None = None
    _apps: dict[str, Flask] = field(default_factory=dict, repr=False)
    _hook_trace: list[dict[str, object]] | None = field(default=None, repr=False)
    _probe_checked: bool = field(default=False, repr=False)
    _probe_blocker: str | None = field(default=None, repr=False)
    _tmp: Path | None = field(default=None, repr=False)
    _footprint: Footprint | None = field(default=None, repr=False)
    #: Logins made once per run and restored by scenarios that only need them.
    logins: LoginCache = field(default_factory=LoginCache, repr=False)
    #: Why nobody can log in through the profile: the app's own hook answers the login.
    login_blocked: str | None = None
    #: Why the profile seemed not to fit, when the app breaks a promise of Flask's
    #: instead (the scenarios still run, and fail, naming the behaviour).
    profile_defect: str | None = None

    @property
    def profile_backends(self) -> dict[str, dict[str, Any]]:
        """The backends the profile builds the app on, with their config (empty: none)."""
        return self.profile.backends if self.profile is not None else {}

    @property
    def backends(self) -> list[str]:
        """The session backends the session specs run on for this target."""
        if self.profile_backends:
            return list(self.profile_backends)
        return [session_backend(self.app(None))]

    @property
    def capabilities(self) -> dict[str, str]:
        """What the target uses (session store, Flask-Login...), for reports.

        Plain words, no secret values: what the kit saw when it stored a value
        through the probe (see :mod:`flask_conformance.target.capabilities`).
        """
        words = {"app": self.import_string}
        words.update(detect(self.app(None)).as_words())
        address = address_of(self.app(None))
        if address.reason:
            words["served at"] = f"{address.base_url}/ ({address.reason})"
        if len(self.profile_backends) > 1:
            words["session store"] = ", and ".join(
                detect(self.app(name)).as_words()["session store"] for name in self.profile_backends
            )
        return words

    @property
    def redis_url(self) -> str | None:
        """The real Redis the kit uses for Redis sessions (None: fakeredis)."""
        return None if self.kit_redis is None else self.kit_redis.url

    @property
    def unused_redis(self) -> str | None:
        """Why the real Redis the kit was given plays no part in this run, or None."""
        if self.kit_redis is None or REDIS in self.backends:
            return None
        store = detect(self.app(None)).store_description()
        return (
            f"{self.kit_redis.source} {self.kit_redis.url} does not apply: "
            f"{self.import_string} keeps its sessions in {store}, not in Flask-Session's "
            "Redis store, so the kit used no Redis; leave it out."
        )

    @property
    def hook_trace(self) -> list[dict[str, object]]:
        """The app's own hooks that ran for a page, a static file and an unknown URL.

        Taken the first time it is asked for (``make_target`` asks at once, so
        that it shows the app as loaded, before any scenario ran); reports show
        it as it is.
        """
        if self._hook_trace is None:
            page = self.profile.protected_path if self.profile else None
            traces = hooktrace.trace_app(self.app(None), page)
            self._hook_trace = [traced.as_dict() for traced in traces]
        return self._hook_trace

    @property
    def probe_blocker(self) -> str | None:
        """Why the kit's probe cannot be reached (an app-wide gate answers it), or None."""
        if not self._probe_checked:
            self._probe_blocker = hooktrace.probe_blocker(self.app(None))
            self._probe_checked = True
        return self._probe_blocker

    @property
    def probe_access(self) -> str | None:
        """What the kit does to get its probe through the app's CSRF check and
        gates, in one line (None: nothing was needed)."""
        return probe_access.describe(self.app(None))

    def app(self, backend: str | None) -> Flask:
        """The app for ``backend`` (None: the target's own), built once and probed."""
        named = self.profile_backends
        if named:
            key = backend if backend in named else next(iter(named))
        else:
            key = "default"  # the one app the target was built as, whatever was asked
        if key not in self._apps:
            overrides = {**self.config_overrides, **named.get(key, {})}
            if self._footprint is None:
                self._footprint = Footprint()
                self._footprint.watch(Path.cwd())  # before the factory makes anything
                self._set_environment()
            with quiet_flask_session():
                app = load_app_with_config(self.import_string, overrides, self.profile)
            self._footprint.watch(app.root_path, app.instance_path)
            use_kit_store(app, self.kit_redis, self.tmp, self.import_string)
            if named and session_backend(app) != key:
                raise TargetError(
                    f"The profile's [backends.{key}] built {self.import_string!r} on "
                    f"{session_backend(app)!r} sessions, not {key!r}: fix its config values."
                )
            fresh = app not in self._apps.values()
            with app_failures(app, "adding the kit's probe blueprint to the app"):
                remember_address(app)
                with rules_on_the_apps_host(app):
                    install_probe(app)
                    install_blueprint_probes(app)
                probe_access.open_the_way(app)
            if self.profile is not None and fresh:
                with app_failures(app, "running the profile's [setup]"), logger_silenced(app):
                    prepare(app, self.profile)  # after the probe: requests end an app's setup
            with app_failures(app, "detecting what the app uses (storing a value in a session)"):
                detect(app)
            self._apps[key] = app
        return self._apps[key]

    @property
    def config_overrides(self) -> dict[str, Any]:
        """The profile's ``[config]``, with ``{tmp}`` made into this run's own folder."""
        if self.profile is None or not self.profile.config:
            return {}
        return self.profile.config_for(self.tmp)

    @property
    def tmp(self) -> Path:
        """This run's own temporary folder, ``{tmp}`` in the profile; removed at exit."""
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="flask-conformance-"))
            atexit.register(shutil.rmtree, self._tmp, ignore_errors=True)
        return self._tmp

    def tidy_project(self, own: list[str]) -> list[str]:
        """Remove what the run left empty in the app's folders; say what it did and left.

        ``own`` are files the kit wrote there itself (reports), never touched.
        See :mod:`flask_conformance.target.footprint`.
        """
        if self._footprint is None:
            return []
        self._footprint.own.update(Path(path).resolve() for path in own)
        if self._tmp is not None:
            self._footprint.own.add(self._tmp.resolve())
        return self._footprint.tidy()

    def _set_environment(self) -> None:
        """Set the profile's ``[environment]`` before the app's module is imported.

        Many apps read their config from the environment when they are
        imported or built; the variables stay set for the rest of the run.
        """
        if self.profile is None or not self.profile.environment:
            return
        module_name, _ = split_import_string(self.import_string)
        check_environment_in_time(module_name, self.profile)
        os.environ.update(self.profile.environment_for(self.tmp))

    def remove_temporary_folder(self) -> None:
        """Remove the run's ``{tmp}`` folder now (a run that ends early skips atexit)."""
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _kit_redis(
    import_string: str | None, redis_url: str | None, run_id: str, worker: str, option: str
) -> KitRedis | None:
    """The real Redis the kit was given, checked to be a Redis URL, or None.

    The reference app reads ``REDIS_URL`` itself; the kit takes it over, so
    that the reference app's sessions too stay under the kit's own prefix.
    """
    source = option
    if redis_url is None and import_string is None and os.environ.get("REDIS_URL"):
        redis_url, source = os.environ["REDIS_URL"], "REDIS_URL"
    if redis_url is None:
        return None
    try:
        return KitRedis(redis_url, source, run_id, worker)
    except RedisUnavailable as error:
        raise TargetError(str(error)) from None


def reference_or(import_string: str | None) -> str:
    """``import_string``, or the reference app's own when it names the reference app."""
    if import_string is None:
        return layout.REFERENCE_APP
    module, attr = layout.REFERENCE_APP.split(":")
    text = "".join(import_string.split())
    if text in (module, f"{module}:{attr}", f"{module}:{attr}()"):
        return layout.REFERENCE_APP
    return import_string


def make_target(
    import_string: str | None,
    profile_path: str | None,
    redis_url: str | None = None,
    *,
    run_id: str | None = None,
    worker: str = MAIN_WORKER,
    load_timeout: float = DEFAULT_LOAD_TIMEOUT,
    redis_option: str = "--redis-url",
) -> Target:
    """Build the target from the command-line options (None: the reference app).

    ``run_id`` and ``worker`` name the keys the kit may write in a real Redis
    (:mod:`flask_conformance.target.redis_swap`); ``redis_option`` is the name the
    user gave ``redis_url`` under, which messages about it repeat. Loading the app (import, factory,
    setup, the profile's login, the hook trace) gets ``load_timeout`` seconds;
    an app that takes longer ends the run with one line saying what the kit
    was waiting for.

    Every way of naming the bundled reference app (no IMPORT, its import
    string, its module alone) builds the same target, with its own profile
    and both backends, so that ``check``, ``flask --app ... conformance`` and
    ``pytest --flask-app ...`` give the same run.
    """
    target_string = reference_or(import_string)
    named = None if target_string == layout.REFERENCE_APP else import_string
    kit_redis = _kit_redis(named, redis_url, run_id or new_run_id(), worker, redis_option)
    profile: JourneyProfile | None
    if profile_path:
        profile = load_profile(Path(profile_path))
    elif target_string == layout.REFERENCE_APP:
        profile = load_profile(layout.REFERENCE_PROFILE)
    else:
        profile = profile_in_pyproject(Path.cwd())
    target = Target(target_string, profile, kit_redis)
    with time_limit(load_timeout, cleanup=target.remove_temporary_folder):
        app = target.app(None)  # fail now, in one line, if the app cannot be loaded
        if kit_redis is not None and REDIS in target.backends:
            target.app(REDIS)  # and if its Redis cannot be reached
        with logger_silenced(app):  # an app that raises is reported by the scenarios
            if profile is not None:
                _check_fits(target, app, profile)  # and if the profile does not fit it
            with app_failures(app, "tracing the app's own hooks on a page"):
                target.hook_trace  # noqa: B018 - trace the app as it was loaded
            with app_failures(app, "asking the kit's probe whether something keeps it out"):
                target.probe_blocker  # noqa: B018 - and whether something keeps the probe out
    return target


def _check_fits(target: Target, app: Flask, profile: JourneyProfile) -> None:
    """Check the profile fits, unless the app's own login is at fault.

    An app whose login raises, whose own before_request answers the login,
    whose sessions keep nothing between requests (so no login lasts) or
    whose gates do not end a request (so the protected page is public) is
    broken, not misdescribed: the journey scenarios (or the hygiene check of
    the login page, or the session scenarios) report it, naming the
    behaviour, and every other scenario still runs, so the kit does not
    refuse the whole run.
    """
    with app_failures(app, "logging the profile's users in to check that the profile fits"):
        try:
            check_fits(app, profile, target.logins)
        except AppRaisedError:
            pass
        except AppDefectNotProfile as error:  # the app's defect: the scenarios report it
            target.profile_defect = str(error)
        except LoginAnsweredByHook as error:  # the app's defect: the hygiene checks report it
            target.login_blocked = str(error)


@contextmanager
def app_failures(app: Flask | None, doing: str) -> Iterator[None]:
    """Turn anything the app raises while the kit is ``doing`` into one plain line.

    The kit's own one-line errors (:class:`TargetError`, the profile's
    :class:`ProfileError`) pass through; any other exception, or a
    ``sys.exit()``, from the app's code becomes a :class:`TargetError` that
    says what the kit was doing, what the app raised and where.
    """
    try:
        with stage(doing):
            yield
    except (TargetError, ProfileError):
        raise
    except AppRaisedError as error:  # already says what the app raised, and where
        raise TargetError(f"While {doing}: {_one_line(str(error))}.") from None
    except (Exception, SystemExit) as error:  # noqa: BLE001 - the app's code failed
        where = raised_where(app, error) if app is not None else ""
        if isinstance(error, SystemExit):
            what = f"called sys.exit({error.code!r})"
        else:
            what = f"raised {type(error).__name__}: {_one_line(str(error))}"
        # No frame of the app's own code: Flask, an extension or the kit raised.
        who = "the app" if where else "Flask or an extension"
        raise TargetError(
            f"While {doing}, {who} {what}{where}. The kit cannot check an app that fails "
            "while it is loaded: fix that, then run the kit again."
        ) from None


def _one_line(text: str) -> str:
    return " ".join(text.split()).rstrip(".")
