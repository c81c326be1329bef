"""The store behind an app's Flask-Session, made the kit's own before any request.

Flask-Session keeps sessions in a store the app names (``SESSION_TYPE``), and
that store holds the sessions of the app's real visitors. The kit writes
hundreds of sessions, resets them and lets them expire; it must do that in a
store it made, never in the real one. Flask-Session builds its store once, in
``Session(app)``, so the kit swaps it on the built app, before the first
request:

- **Redis**: an in-memory fakeredis, or the real Redis given with
  ``--redis-url`` under keys of the kit's own
  (:mod:`flask_conformance.target.redis_swap`).
- **A folder** (``SESSION_TYPE = "filesystem"``, or ``"cachelib"`` over a
  ``FileSystemCache``): a ``FileSystemCache`` with the same threshold and file
  mode in a folder inside the run's temporary folder, which is removed when
  the run ends. Its files are the same files Flask-Session writes in the real
  folder, so the verdicts are about the same store.
- **Memory of the app's own process** (cachelib's ``SimpleCache`` or
  ``NullCache``): private to the run already, left as it is.
- **Anything else** (Memcached, MongoDB, DynamoDB, a SQL database through
  Flask-SQLAlchemy, a cachelib client of a server): the kit cannot make one of
  its own, so it refuses in one line before any request, naming the setting
  and how to build the app on a store it can make. The one exception is a
  Flask-SQLAlchemy database the kit gave the app itself: SQLite in memory, or
  a file in the run's temporary folder (``{tmp}`` in the profile).

The factory has run by then: what Flask-Session does while it builds the
store (MongoDB's index, Flask-SQLAlchemy's ``CREATE TABLE IF NOT EXISTS``)
happens on every start of the app, the kit's included, and is the app's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from .build import TargetError
from .redis_swap import KitRedis, RedisUnavailable, use_kit_redis

#: Flask-Session's interfaces that keep sessions in a server, by the
#: ``SESSION_TYPE`` that makes them and the setting that names the server.
_SERVER_STORES = {
    "flask_session.memcached.memcached.MemcachedSessionInterface": (
        "Memcached",
        "memcached",
        "SESSION_MEMCACHED",
    ),
    "flask_session.mongodb.mongodb.MongoDBSessionInterface": (
        "MongoDB",
        "mongodb",
        "SESSION_MONGODB",
    ),
    "flask_session.dynamodb.dynamodb.DynamoDBSessionInterface": (
        "DynamoDB",
        "dynamodb",
        "SESSION_DYNAMODB",
    ),
    "flask_session.sqlalchemy.sqlalchemy.SqlAlchemySessionInterface": (
        "a SQL database through Flask-SQLAlchemy",
        "sqlalchemy",
        "SESSION_SQLALCHEMY",
    ),
}
_FILESYSTEM = "flask_session.filesystem.filesystem.FileSystemSessionInterface"
_CACHELIB = "flask_session.cachelib.cachelib.CacheLibSessionInterface"
#: cachelib's stores that live in the app's own process memory.
_IN_MEMORY_CACHES = ("cachelib.simple.SimpleCache", "cachelib.base.NullCache")

#: How to check such an app anyway, in every refusal.
_WHAT_TO_DO = (
    "to check the app, build it on a store the kit can make: SESSION_TYPE = "
    '"redis" (the kit uses an in-memory fakeredis) or "filesystem" (a folder of the '
    "kit's own), in a profile's [config] or [environment]."
)


class StoreRefused(TargetError):
    """The app keeps its sessions in a real store the kit cannot swap for its own."""


def use_kit_store(app: Flask, kit_redis: KitRedis | None, tmp: Path, import_string: str) -> None:
    """Make the store behind ``app``'s Flask-Session one the kit made, or refuse.

    ``tmp`` is the run's own temporary folder; a folder store moves into it.
    """
    try:
        use_kit_redis(app, kit_redis)
    except RedisUnavailable as error:
        raise TargetError(str(error)) from None
    interface: Any = app.session_interface  # Flask-Session's, which has no type hints
    kinds = _class_names(interface)
    if _FILESYSTEM in kinds or _CACHELIB in kinds:
        _own_cache(interface, tmp, import_string)
        return
    for kind in kinds:
        if kind in _SERVER_STORES:
            if _is_kit_database(interface, tmp):
                return
            name, session_type, setting = _SERVER_STORES[kind]
            what_to_do = _WHAT_TO_DO
            if session_type == "sqlalchemy":
                what_to_do = (
                    "to check the app, point its database at a SQLite file in the kit's own "
                    'folder, "sqlite:///{tmp}/app.sqlite", in a profile\'s [config] or '
                    "[environment]; or " + _WHAT_TO_DO[len("to check the app, ") :]
                )
            raise StoreRefused(
                f"Refusing to check {import_string}: it keeps its sessions in {name} "
                f"(SESSION_TYPE = {session_type!r}, {setting}), a real store the kit did not "
                f"make and will not write into; {what_to_do}"
            )


def _own_cache(interface: Any, tmp: Path, import_string: str) -> None:
    """Give a cachelib-backed interface a store of the kit's own, or refuse."""
    from cachelib.file import FileSystemCache

    cache = interface.cache
    if isinstance(cache, FileSystemCache):
        folder = tmp / "flask-session-files"
        interface.cache = FileSystemCache(
            cache_dir=str(folder),
            threshold=getattr(cache, "_threshold", 500),
            mode=getattr(cache, "_mode", None),
        )
        return
    if _class_names(cache) & set(_IN_MEMORY_CACHES):
        return
    raise StoreRefused(
        f"Refusing to check {import_string}: it keeps its sessions in cachelib's "
        f"{type(cache).__name__} (SESSION_TYPE = 'cachelib', SESSION_CACHELIB), a real store "
        f"the kit did not make and will not write into; {_WHAT_TO_DO[:-1]}, or a cachelib "
        "SimpleCache or FileSystemCache."
    )


def _is_kit_database(interface: Any, tmp: Path) -> bool:
    """True for Flask-SQLAlchemy on SQLite in memory or in the run's own folder.

    That database is one the kit gave the app (``{tmp}`` in the profile's
    ``[config]`` or ``[environment]``), so its sessions are the kit's to write.
    """
    # Flask-Session's interface and Flask-SQLAlchemy's extension: neither has type hints here.
    client: Any = getattr(interface, "client", None)
    app: Any = getattr(interface, "app", None)
    bind_key = getattr(getattr(interface, "sql_session_model", None), "__bind_key__", None)
    try:
        with app.app_context():  # Flask-SQLAlchemy finds its engines through current_app
            url = client.engines[bind_key].url
    except Exception:  # noqa: BLE001 - no engine to judge: not the kit's
        return False
    if url.get_backend_name() != "sqlite":
        return False
    database = url.database
    if not database or database == ":memory:":
        return True
    folder = tmp.resolve()
    return folder in Path(database).resolve().parents


def _class_names(value: object) -> set[str]:
    """``module.Class`` of ``value``'s class and every class it derives from."""
    return {f"{cls.__module__}.{cls.__qualname__}" for cls in type(value).__mro__}
