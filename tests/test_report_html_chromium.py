"""The HTML report in a real browser: headless Chromium (Debian's package).

Chromium loads the report from disk with networking off, runs its inline
script and dumps the resulting DOM, which these tests read with the standard
library's HTML parser: landmarks, one h1 and no skipped heading levels, a
labelled filter form, and filters that really hide scenarios (the address can
carry a filter, ``#filter?status=failed``, which is how the test drives it
without a click). Screenshots at 1280 px and at phone width must render.

Skipped when Chromium is not installed, unless FLASK_CONFORMANCE_REQUIRE_CHROMIUM
is set (CI sets it), in which case a missing Chromium fails.
"""

from __future__ import annotations

import itertools
import os
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from flask_conformance import layout

from .running import run_command

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_TIMEOUT = 90

if CHROMIUM is None and not os.environ.get("FLASK_CONFORMANCE_REQUIRE_CHROMIUM"):
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


class Page(HTMLParser):
    """What the tests need to know about a dumped DOM."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def scenarios(self, hidden: bool | None = None) -> list[dict[str, str | None]]:
        found = [a for a in self.all("details") if "scenario" in (a.get("class") or "").split()]
        if hidden is None:
            return found
        return [a for a in found if ("hidden" in a) == hidden]

    @property
    def body(self) -> dict[str, str | None]:
        return self.all("body")[0]


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "FLASK_CONFORMANCE_REQUIRE_CHROMIUM is set but chromium is missing"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *args,
    ]
    return run_command(command, timeout=BROWSER_TIMEOUT)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report with passed, failed and not-applicable scenarios and the myths."""
    folder = tmp_path_factory.mktemp("html")
    page = folder / "report.html"
    result = run_command(
        [sys.executable, "-m", "pytest", str(layout.STEPS_DIR), "-q", "-p", "no:cacheprovider",
         "-p", "no:randomly", "--flask-app", "tests.apps.no_max_age:create_app",
         "-m", "P-05 or P-06 or P-07 or myth", "--conformance-report", str(page)],
        timeout=180,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr  # the bad app fails some
    return page


def dump(report: Path, tmp_path: Path, fragment: str = "") -> Page:
    result = chromium("--dump-dom", report.as_uri() + fragment, profile=tmp_path / "profile")
    assert "<main" in result.stdout, result.stderr
    return Page(result.stdout)


def test_the_page_has_landmarks_headings_and_a_labelled_filter(
    report: Path, tmp_path: Path
) -> None:
    page = dump(report, tmp_path)
    for landmark in ("header", "nav", "main", "footer"):
        assert len(page.all(landmark)) == 1, landmark
    assert page.all("html")[0].get("lang") == "en"
    assert len(page.all("h1")) == 1
    levels = [int(tag[1]) for tag, _ in page.tags if tag in ("h1", "h2", "h3", "h4")]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (
        f"a heading level is skipped: {levels}"
    )
    ids = {a.get("id") for _, a in page.tags}
    assert {"summary", "attention", "scenarios", "coverage", "myths", "hooks"} <= ids
    boxes = [a for a in page.all("input") if a.get("name") == "status"]
    assert {b.get("value") for b in boxes} == {"passed", "failed", "warned", "not-applicable"}
    assert [a.get("for") for a in page.all("label") if a.get("for")] == ["tag-filter"]
    assert any(a.get("role") == "search" for a in page.all("form"))
    assert page.all("meta")[1].get("name") == "viewport"
    total = len(page.scenarios())
    assert total > 20 and page.body.get("data-shown") == str(total)  # the script ran


def test_filtering_by_status_hides_the_other_scenarios(report: Path, tmp_path: Path) -> None:
    page = dump(report, tmp_path, "#filter?status=failed")
    shown = page.scenarios(hidden=False)
    assert shown and all(a.get("data-status") == "failed" for a in shown)
    assert page.body.get("data-shown") == str(len(shown))
    assert len(page.scenarios(hidden=True)) == len(page.scenarios()) - len(shown)
    features = [a for a in page.all("section") if a.get("class") == "feature"]
    assert any("hidden" in a for a in features), "features without failures are hidden too"


def test_filtering_by_tag_shows_only_scenarios_with_that_tag(report: Path, tmp_path: Path) -> None:
    everything = "passed,failed,warned,not-applicable"
    page = dump(report, tmp_path, f"#filter?status={everything}&tag=myth")
    shown = page.scenarios(hidden=False)
    assert shown and all("myth" in (a.get("data-tags") or "").split() for a in shown)
    assert len(shown) < len(page.scenarios())


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_page_renders_at_desktop_and_phone_width(
    report: Path, tmp_path: Path, width: int, height: int
) -> None:
    shot = tmp_path / f"report-{width}.png"
    result = chromium(
        f"--window-size={width},{height}",
        f"--screenshot={shot}",
        report.as_uri(),
        profile=tmp_path / "profile",
    )
    assert shot.is_file(), result.stderr
    assert _png_size(shot) == (width, height)
    assert shot.stat().st_size > 10_000, "the screenshot is blank"
