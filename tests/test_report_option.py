"""The --report option of pytest and of ``flask-conformance check``.

A report the kit cannot write (a suffix that names no format, a missing
folder, a folder) is refused in one line before anything runs, and writes
nothing; ``check --report`` passes the file through and writes it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flask_conformance import layout

from .report_runs import RUN_TIMEOUT
from .running import run_command


def test_a_report_the_kit_cannot_write_is_one_line_before_anything_runs(tmp_path: Path) -> None:
    (tmp_path / "folder.html").mkdir()
    for bad, words in (
        (tmp_path / "report.txt", "its suffix must say the format"),
        (tmp_path / "missing" / "report.html", "does not exist; create it first"),
        (tmp_path / "folder.html", "it is a folder; name a file"),
    ):
        result = run_command(
            [sys.executable, "-m", "pytest", str(layout.STEPS_DIR), "-p", "no:cacheprovider",
             "--conformance-report", str(bad)],
            timeout=RUN_TIMEOUT,
        )  # fmt: skip
        assert result.returncode == 4, result.stdout + result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and words in lines[0], result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "folder.html"]
    assert list((tmp_path / "folder.html").iterdir()) == []


def test_check_passes_report_through_and_refuses_a_bad_suffix(tmp_path: Path) -> None:
    bad = tmp_path / "report.pdf"
    result = run_command(
        [Path(sys.executable).parent / "flask-conformance", "check", "--report", bad],
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 4
    assert "its suffix must say the format, .html, .md, .json" in result.stderr
    assert not bad.exists()


def test_check_and_its_report_option_write_the_report(tmp_path: Path) -> None:
    page = tmp_path / "g.md"
    result = run_command(
        [Path(sys.executable).parent / "flask-conformance", "check", "--report", page,
         "--", "-q", "-m", "G-01", "-p", "no:randomly"],
        timeout=RUN_TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"flask-conformance report: {page}" in result.stdout
    text = page.read_text()
    assert text.startswith("## ✔ flask-conformance: `app_under_test:create_app`")
    assert "What one request puts on g is gone in the next" in text
