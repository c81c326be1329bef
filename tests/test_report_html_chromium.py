"""The HTML report in a real browser: headless Chromium (Debian's package).

Chromium loads the report from disk with networking off, runs its inline
script and dumps the resulting DOM, which these tests read with the standard
library's HTML parser: landmarks, one h1 and no skipped heading levels, a
labelled filter form, and filters that really hide scenarios (the address can
carry a filter, ``#filter?status=failed``, which is how the test drives it
without a click). Screenshots at 1280 px and at phone width must render.

The accessibility checkers people run on such a page run on it too, each in
Debian's Chromium with networking off and only loopback addresses: axe-core
(injected through puppeteer), pa11y (HTML_CodeSniffer and axe) and Lighthouse's
accessibility category (over a 127.0.0.1 server, as Lighthouse takes no
file:// address). They must find nothing, and Lighthouse must score 100. They
come from the npm registry, pinned in tests/browser/package.json, and live in a
cache (:data:`NPM_TOOLS`) that .ci/run fills once.

Skipped when Chromium (or the checkers) are not installed, unless
FLASK_CONFORMANCE_REQUIRE_CHROMIUM is set (CI sets it), in which case a missing
one fails.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import json
import os
import shutil
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from flask_conformance import layout

from .runcache import OUT, RunCache
from .running import run_command

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_TIMEOUT = 90
REQUIRED = bool(os.environ.get("FLASK_CONFORMANCE_REQUIRE_CHROMIUM"))

if CHROMIUM is None and not REQUIRED:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

#: The checkers' scripts and their pinned versions.
BROWSER_DIR = Path(__file__).parent / "browser"
#: Where .ci/run installs the checkers (npm's own folder layout).
NPM_TOOLS = (
    Path(os.environ.get("FLASK_CONFORMANCE_NPM_CACHE", "~/.cache/flask-conformance/npm"))
    .expanduser()
    .joinpath("browser-checks", "node_modules")
)
#: The flags Chromium gets from every checker (tests/browser/chromium_args.cjs too).
QUIET_CHROMIUM = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --disable-default-apps --disable-extensions "
    "--no-first-run"
)


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
def report(run_cache: RunCache) -> Path:
    """A report with every verdict, findings, evidence, data tables, the myths and a hook trace.

    The app's cookie has every attribute problem (failures and warnings), its
    before_request gives the hook trace a row, the myths and the
    backend-difference scenarios carry data tables, and g's narrative has code.
    """
    result = run_cache.run(
        [sys.executable, "-m", "pytest", str(layout.STEPS_DIR), "-q", "-p", "no:cacheprovider",
         "-p", "no:randomly", "--flask-app", "tests.apps.loose_cookies:create_app",
         "-m", "WSTG-SESS-02 or myth or backend-difference or G-01",
         "--conformance-report", f"{OUT}/report.html"],
        timeout=180,
    )  # fmt: skip
    page = result.folder / "report.html"
    assert result.returncode == 1, result.stdout + result.stderr  # the bad app fails some
    text = page.read_text()
    for part in (
        'data-status="failed"',
        'data-status="warned"',
        'data-status="passed"',
        'data-status="not-applicable"',
        'class="datatable"',
        'class="hooks"',
        'class="evidence"',
        '<h3 class="finding">',
        '<div class="narrative"><p>',
    ):
        assert part in text, f"the report has no {part}"  # fmt: skip
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


class Text(HTMLParser):
    """The text of a dumped DOM, and the text inside each element of one kind."""

    def __init__(self, text: str, tag: str) -> None:
        super().__init__()
        self.tag, self.depth, self.inside, self.all = tag, 0, [], []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag:
            self.depth += 1
            if self.depth == 1:
                self.inside.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.all.append(data)
        if self.depth:
            self.inside[-1] += data


def test_narratives_read_as_written_and_the_myth_claims_whole(report: Path, tmp_path: Path) -> None:
    result = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile")
    quotes = [" ".join(q.split()) for q in Text(result.stdout, "blockquote").inside]
    assert (
        'IMPORTANT: "True" forces our changes to be recognized. session.modified = True' in quotes
    )
    shown = "".join(Text(result.stdout, "main").inside)
    assert "`" not in shown, "a narrative shows a raw backtick"
    assert "with client:" in Text(result.stdout, "code").inside  # g.feature's narrative
    assert "g is not global" in " ".join(shown.split())
    page = Page(result.stdout)
    assert [a.get("type") for a in page.all("button")] == ["submit"]


def test_the_filter_works_without_javascript(report: Path) -> None:
    """Unticking a verdict hides it, and the submit button keeps the page as it is."""
    seen = node_script("filter_without_javascript.cjs", CHROMIUM, report.as_uri())
    assert seen["url"] == report.as_uri(), "submitting reloaded the page and lost the filter"
    assert seen["passedTicked"] is False
    assert "passed" not in seen["shown"] and seen["shown"].get("failed", 0) > 0


# -- the accessibility checkers -------------------------------------------------
def npm_tool(*parts: str) -> Path:
    """A file of the installed checkers; skips (or fails in CI) when they are missing."""
    path = NPM_TOOLS.joinpath(*parts)
    if node_modules_ready() and path.exists():
        return path
    reason = (
        f"the accessibility checkers are not installed in {NPM_TOOLS.parent}: "
        f"cp tests/browser/package.json {NPM_TOOLS.parent}/ && cd {NPM_TOOLS.parent} && "
        "PUPPETEER_SKIP_DOWNLOAD=1 npm install (as .ci/run does)"
    )
    if REQUIRED:
        pytest.fail(reason)
    pytest.skip(reason)


def node_modules_ready() -> bool:
    return shutil.which("node") is not None and (NPM_TOOLS / "axe-core" / "axe.js").is_file()


def node_script(script: str, *args: str | None) -> dict:
    """Run one of tests/browser's scripts with the cached checkers; its JSON output."""
    npm_tool("puppeteer", "package.json")
    env = {**os.environ, "NODE_PATH": str(NPM_TOOLS)}
    result = run_command(
        ["node", BROWSER_DIR / script, *(a for a in args if a)], env=env, timeout=BROWSER_TIMEOUT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (800, 600), (390, 844)],
                         ids=["desktop", "tablet", "phone"])  # fmt: skip
def test_axe_finds_nothing(report: Path, width: int, height: int) -> None:
    found = node_script("axe_check.cjs", CHROMIUM, report.as_uri(), str(width), str(height))
    assert found["passes"] > 20, found  # axe really ran its rules
    problems = [(r["id"], r["help"], r["nodes"][:3]) for r in found["violations"]]
    assert problems == [], f"axe-core {found['version']}: {problems}"
    unsure = [(r["id"], r["nodes"][:3]) for r in found["incomplete"]]
    assert unsure == [], f"axe-core {found['version']} could not decide: {unsure}"


def test_pa11y_finds_nothing(report: Path, tmp_path: Path) -> None:
    """pa11y's WCAG 2 AA sniffs (HTML_CodeSniffer, e.g. H32.2) and its axe runner."""
    pa11y = npm_tool(".bin", "pa11y")
    config = tmp_path / "pa11y.json"
    config.write_text(json.dumps({"chromeLaunchConfig": {
        "executablePath": CHROMIUM, "args": QUIET_CHROMIUM.split()}}))  # fmt: skip
    result = run_command(
        [pa11y, "--config", config, "--runner", "htmlcs", "--runner", "axe",
         "--reporter", "json", report.as_uri()],
        timeout=BROWSER_TIMEOUT,
    )  # fmt: skip
    issues = json.loads(result.stdout or "[]")
    brief = [(i["runner"], i["code"], i["selector"], i["message"]) for i in issues]
    assert result.returncode == 0 and brief == [], f"{brief[:10]}\n{result.stderr[-2000:]}"


@pytest.fixture
def served(report: Path) -> Iterator[str]:
    """The report over HTTP on 127.0.0.1 (Lighthouse takes no file:// address)."""
    handler = functools.partial(Quiet, directory=str(report.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{report.name}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_lighthouse_scores_accessibility_100(served: str, tmp_path: Path) -> None:
    lighthouse = npm_tool(".bin", "lighthouse")
    out = tmp_path / "lighthouse.json"
    result = run_command(
        [lighthouse, served, "--only-categories=accessibility", "--output=json",
         f"--output-path={out}", "--quiet", "--no-enable-error-reporting",
         f"--chrome-flags={QUIET_CHROMIUM} --user-data-dir={tmp_path / 'profile'}"],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        timeout=BROWSER_TIMEOUT * 2,
    )  # fmt: skip
    assert result.returncode == 0 and out.is_file(), result.stdout + result.stderr[-3000:]
    found = json.loads(out.read_text())
    failing = [
        (name, audit["title"])
        for name, audit in found["audits"].items()
        if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0
    ]
    assert found["categories"]["accessibility"]["score"] == 1, failing


#: The evidence table's column headers, each one word or two that fit a line.
EVIDENCE_HEADERS = {"kit clock", "visitor", "request", "status", "cookies sent", "Set-Cookie",
                    "headers", "session payload"}  # fmt: skip


def test_the_evidence_headers_do_not_wrap_on_a_desktop_screen(report: Path) -> None:
    headers = node_script("header_lines.cjs", CHROMIUM, report.as_uri(), "1280", "900")
    shown = [h for h in headers if h["text"] in EVIDENCE_HEADERS]
    assert {h["text"] for h in shown} == EVIDENCE_HEADERS
    assert [h for h in shown if h["lines"] != 1] == []
