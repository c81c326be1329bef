"""What the app wrote in the user's project while the kit ran, and tidying it.

The kit's requests run the app's own code. A page that opens the database
(``sqlite3.connect`` creates the file) leaves an empty ``instance/app.sqlite``
in the project of an app that was never initialised, as any visitor's request
would, and a factory may make the instance folder. The kit cannot stop an app
from writing, so it watches: it notes the files in the working folder before
the app is built, and in the app's package and instance folders once it is,
and at the end of the run

- removes what the run created that holds nothing: new empty files, then new
  empty folders. Nothing is lost, and the project is as it was;
- leaves everything else where it is (a new file with content, a file that
  was there and changed) and says so, one line each, in the run's summary.

Hidden folders, ``__pycache__``, virtual environments and ``node_modules`` are
not watched, nor the files the kit's own output is redirected to. A folder of more than :data:`MAX_ENTRIES` entries is not watched
at all: a partial listing could take an old empty file for a new one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Above this many entries a folder is not watched (and nothing in it removed).
MAX_ENTRIES = 20_000
#: Lines the summary shows before it counts the rest.
MAX_LINES = 10

_SKIPPED_DIRS = {"__pycache__", "node_modules", "site-packages"}
#: Files a database makes and removes by itself while it writes (SQLite's
#: journals): a process still using one must find it where it left it.
_TRANSIENT_SUFFIXES = (".pyc", "-journal", "-wal", "-shm")

#: path -> (is a folder, size, modification time in ns)
Listing = dict[Path, tuple[bool, int, int]]


class _TooBig(Exception):
    pass


def _listing(root: Path) -> Listing | None:
    """Every file and folder under ``root`` with its size and time; None if too big."""
    found: Listing = {}
    try:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(
                name
                for name in dirs
                if not name.startswith(".")
                and name not in _SKIPPED_DIRS
                and not (Path(folder, name) / "pyvenv.cfg").exists()
            )
            for name in [*dirs, *files]:
                if name.endswith(_TRANSIENT_SUFFIXES):
                    continue
                path = Path(folder, name)
                try:
                    stat = path.lstat()
                except OSError:
                    continue
                is_dir = path.is_dir() and not path.is_symlink()
                found[path] = (is_dir, stat.st_size, stat.st_mtime_ns)
                if len(found) > MAX_ENTRIES:
                    raise _TooBig
    except _TooBig:
        return None
    return found


@dataclass
class Footprint:
    """The watched folders as they were, and the paths the kit wrote itself."""

    before: dict[Path, Listing] = field(default_factory=dict)
    #: Paths the kit itself writes (its temporary folder, report files).
    own: set[Path] = field(default_factory=set)

    def watch(self, *folders: str | Path) -> None:
        """Note what ``folders`` hold now (each once, and not inside one watched)."""
        for folder in folders:
            root = Path(folder).resolve()
            if not root.is_dir() or any(root == r or r in root.parents for r in self.before):
                continue
            listing = _listing(root)
            if listing is not None:
                self.before[root] = listing

    def _is_own(self, path: Path) -> bool:
        return any(path == own or own in path.parents for own in self.own)

    def tidy(self) -> list[str]:
        """Remove what the run created empty; lines saying what was removed or left."""
        removed: list[Path] = []
        left: list[str] = []
        streams = _output_files()
        for root, before in self.before.items():
            after = _listing(root) or {}
            new_dirs: list[Path] = []
            for path, (is_dir, size, mtime) in sorted(after.items()):
                if self._is_own(path) or (not is_dir and _is_one_of(path, streams)):
                    continue
                if path not in before:
                    if is_dir:
                        new_dirs.append(path)
                    elif size == 0 and _remove_empty_file(path):
                        removed.append(path)
                    else:
                        left.append(f"created {_shown(path)} ({size} bytes)")
                elif not is_dir and before[path] != (is_dir, size, mtime):
                    left.append(f"changed {_shown(path)}")
            for folder in sorted(new_dirs, key=lambda p: len(p.parts), reverse=True):
                try:
                    folder.rmdir()  # only succeeds when empty
                except OSError:
                    continue
                removed.append(folder)
        lines: list[str] = []
        if removed:
            lines.append(
                "flask-conformance: removed what the app created empty while the kit ran "
                "(it held nothing): " + ", ".join(_shown(p) for p in sorted(removed))
            )
        for line in left[:MAX_LINES]:
            lines.append(
                f"flask-conformance: the app {line} while the kit ran; the kit left it "
                "as it is (it never deletes data)"
            )
        if len(left) > MAX_LINES:
            lines.append(f"flask-conformance: ... and {len(left) - MAX_LINES} more such files")
        return lines


def _output_files() -> set[tuple[int, int]]:
    """The files the kit's own output goes to: ``check ... > run.log`` in the project.

    The shell opened them before the kit ran and the kit's lines fill them:
    the app wrote nothing there, so they are neither reported nor removed.
    """
    found: set[tuple[int, int]] = set()
    for descriptor in (1, 2):
        try:
            stat = os.fstat(descriptor)
        except OSError:
            continue
        found.add((stat.st_dev, stat.st_ino))
    return found


def _is_one_of(path: Path, files: set[tuple[int, int]]) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return (stat.st_dev, stat.st_ino) in files


def _remove_empty_file(path: Path) -> bool:
    """Remove ``path`` if it is still an empty regular file."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != 0:
            return False
        path.unlink()
    except OSError:
        return False
    return True


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
