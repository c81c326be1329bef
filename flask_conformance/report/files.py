"""The ``--report`` files: refused before the run, written whole after it.

A report path the kit cannot write must be refused in one line before any
scenario runs, not discovered after minutes of work; and a CI step or browser
reading a report while the run ends must never see half of one. Both are
about files, not about results, so they live apart from the collecting.
Each format is a module of its own, chosen by the file's suffix.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any


class ReportError(Exception):
    """A ``--report`` path the kit cannot write; the message says what to do."""


def writers() -> dict[str, Any]:
    """Suffix -> function writing that format from a Run, imported on use."""
    from . import cucumber, html, junit, markdown, sarif

    return {
        ".html": html.render,
        ".md": markdown.render,
        ".json": cucumber.render,
        ".xml": junit.render,
        ".sarif": sarif.render,
    }


def check_report_paths(paths: list[str]) -> None:
    """Refuse, before any scenario runs, a report the kit could not write."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            raise ReportError(f"Cannot write the report {raw!r}: it is a folder; name a file.")
        if path.suffix.lower() not in (".html", ".md", ".json", ".xml", ".sarif"):
            raise ReportError(
                f"Cannot write the report {raw!r}: its suffix must say the format, "
                ".html, .md, .json (Cucumber JSON), .xml (JUnit) or .sarif (code scanning)."
            )
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise ReportError(
                f"Cannot write the report {raw!r}: the folder {str(folder)!r} does not exist; "
                "create it first."
            )
        if not os.access(folder, os.W_OK):
            raise ReportError(
                f"Cannot write the report {raw!r}: the folder {str(folder)!r} is not writable."
            )


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader never sees half a report."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a report is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
