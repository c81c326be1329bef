"""The store behind an app's Flask-Session holds real visitors' sessions: the kit keeps out of it.

The apps here are written as Flask-Session's docs show them, each pointed at a
real location the test made first, with a session of "the user" in it:

- a folder (``SESSION_TYPE = "filesystem"``, or ``"cachelib"`` over a
  ``FileSystemCache``): the kit keeps its sessions in a folder of its own,
  the real folder is byte for byte as it was after a run with and without a
  profile, the kit's temporary folder is gone, and the correct app has no
  failed behaviour;
- a server (Memcached, cachelib's ``RedisCache``): the kit refuses in one
  line, exit status 4, before any request, and never connects to it. The
  "server" is a loopback socket that counts the connections it is offered;
- a SQL database through Flask-SQLAlchemy: refused in one line with its rows
  untouched, and checked, with no failed behaviour, on the SQLite file a
  profile gives the app under ``{tmp}``.
"""

from __future__ import annotations

import importlib
import socket
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from .running import REPO_ROOT, clean_env, run_command

SCRIPT = Path(sys.executable).parent / "flask-conformance"
PROFILE = REPO_ROOT / "tests" / "apps" / "login_app.toml"
#: A refusal comes before any scenario: a run this long has gone past it.
REFUSAL_TIMEOUT = 30

#: The folder stores, by app, and the environment variable naming the folder.
FOLDER_APPS = {"filesystem_store": "SESSION_FILE_DIR", "file_cache_store": "SESSION_CACHE_DIR"}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _kit_folders(tmp: Path) -> list[str]:
    return sorted(path.name for path in tmp.iterdir() if path.name.startswith("flask-conformance"))


@pytest.fixture(params=list(FOLDER_APPS))
def app_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def real_folder(tmp_path: Path, app_name: str) -> Path:
    """The app's real session folder, holding the session of a user who logged in."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv(FOLDER_APPS[app_name], str(folder))
    try:
        module = importlib.import_module(f"tests.apps.{app_name}")
        with warnings.catch_warnings():  # the filesystem store is deprecated
            warnings.simplefilter("ignore", DeprecationWarning)
            app = module.create_app()
        client = app.test_client()
        client.post("/login", data={"username": "alice", "password": "wonderland"})
        assert client.get("/dashboard").status_code == 200
    finally:
        monkeypatch.undo()
    assert len(_snapshot(folder)) >= 2  # cachelib's count file and alice's session
    return folder


@pytest.mark.parametrize("with_profile", [False, True], ids=["no-profile", "profile"])
def test_a_folder_store_is_left_as_it_was_and_the_kits_own_is_removed(
    tmp_path: Path, app_name: str, real_folder: Path, with_profile: bool
) -> None:
    before = _snapshot(real_folder)
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    env = clean_env(TMPDIR=str(own_tmp), **{FOLDER_APPS[app_name]: str(real_folder)})
    profile = ["--profile", str(PROFILE)] if with_profile else []
    result = run_command(
        [SCRIPT, "check", f"tests.apps.{app_name}:create_app", *profile],
        env=env,
        own_process=True,  # a fresh interpreter, whose temporary folder is TMPDIR
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert " failed" not in output.splitlines()[-1], output
    assert _snapshot(real_folder) == before
    assert _kit_folders(own_tmp) == []


@pytest.fixture
def counting_server() -> Iterator[tuple[int, list[object]]]:
    """A loopback port that accepts and counts connections, standing in for a store's server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[object] = []

    def serve() -> None:
        while True:
            try:
                connection, peer = listener.accept()
            except OSError:
                return
            accepted.append(peer)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], accepted
    finally:
        # close() alone does not wake a thread blocked in accept() on Linux; shutdown() does.
        try:
            listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        listener.close()
        thread.join(timeout=5)
        assert not thread.is_alive(), "the counting server did not stop"


def _refused(app: str, settings: dict[str, str]) -> str:
    result = run_command(
        [SCRIPT, "check", f"tests.apps.{app}:create_app"],
        env=clean_env(**settings),
        timeout=REFUSAL_TIMEOUT,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 4, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in output, output
    return lines[0]


def test_a_memcached_store_is_refused_in_one_line_without_a_connection(
    counting_server: tuple[int, list[object]],
) -> None:
    pytest.importorskip("pymemcache")
    port, accepted = counting_server
    line = _refused("memcached_store", {"SESSION_MEMCACHED_SERVER": f"127.0.0.1:{port}"})
    assert line.startswith("ERROR: Refusing to check tests.apps.memcached_store:create_app")
    assert "Memcached (SESSION_TYPE = 'memcached', SESSION_MEMCACHED)" in line
    assert 'SESSION_TYPE = "redis"' in line and "[config]" in line
    assert accepted == []


def test_a_cachelib_server_store_is_refused_in_one_line_without_a_connection(
    counting_server: tuple[int, list[object]],
) -> None:
    port, accepted = counting_server
    settings = {"SESSION_CACHE_HOST": "127.0.0.1", "SESSION_CACHE_PORT": str(port)}
    line = _refused("redis_cache_store", settings)
    assert "cachelib's RedisCache (SESSION_TYPE = 'cachelib', SESSION_CACHELIB)" in line
    assert "SimpleCache or FileSystemCache" in line
    assert accepted == []


@pytest.fixture
def real_database(tmp_path: Path) -> Path:
    """The app's real database, holding the session of a user who logged in."""
    pytest.importorskip("flask_sqlalchemy")
    path = tmp_path / "real.sqlite"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SESSION_DATABASE_URL", f"sqlite:///{path}")
    try:
        app = importlib.import_module("tests.apps.sqlalchemy_store").create_app()
        client = app.test_client()
        client.post("/login", data={"username": "alice", "password": "wonderland"})
        assert client.get("/dashboard").status_code == 200
        with app.app_context():
            app.extensions["sqlalchemy"].engine.dispose()  # close the file before the runs
    finally:
        monkeypatch.undo()
    return path


def test_a_sql_store_is_refused_in_one_line_and_its_rows_are_untouched(real_database: Path) -> None:
    before = real_database.read_bytes()
    line = _refused("sqlalchemy_store", {"SESSION_DATABASE_URL": f"sqlite:///{real_database}"})
    assert "a SQL database through Flask-SQLAlchemy (SESSION_TYPE = 'sqlalchemy'" in line
    assert '"sqlite:///{tmp}/app.sqlite"' in line
    assert real_database.read_bytes() == before


def test_a_sql_store_the_profile_puts_in_tmp_is_checked_and_the_real_one_untouched(
    tmp_path: Path, real_database: Path
) -> None:
    before = real_database.read_bytes()
    profile = tmp_path / "profile.toml"
    profile.write_text(
        '[environment]\nSESSION_DATABASE_URL = "sqlite:///{tmp}/sessions.sqlite"\n\n'
        + PROFILE.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    env = clean_env(TMPDIR=str(own_tmp), SESSION_DATABASE_URL=f"sqlite:///{real_database}")
    result = run_command(
        [SCRIPT, "check", "tests.apps.sqlalchemy_store:create_app", "--profile", profile],
        env=env,
        own_process=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert " failed" not in output.splitlines()[-1], output
    assert real_database.read_bytes() == before
    assert _kit_folders(own_tmp) == []
