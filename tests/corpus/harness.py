"""Installing and checking the real-world corpus (see README.md beside this file).

Each app of the corpus is described by one TOML file here: the pinned packages it needs
beyond what the kit's own environment has, the import string, its journey profile, and
the failed behaviours the kit is expected to find (each with the evidence that it is the
app's real defect). The packages are installed with ``pip install --no-deps --target`` into
a cache folder named after the pins, so that

- nothing lands in the kit's virtualenv (the subprocess finds them through PYTHONPATH),
- Flask, Werkzeug, Flask-Login and Flask-Session stay the ones of the Flask line under test,
- a second run (and CI's second and third Flask line) installs nothing.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import tokenize
from dataclasses import dataclass, field
from importlib.metadata import distributions, version
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

from flask_conformance.report import cucumber

from ..running import run_command

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parent
#: What a user writes around a real app to check it: a settings file, the CLI's own start-up,
#: the quick start of an extension that ships its own views. Each is at most 15 lines.
WRAPPERS = CORPUS / "wrappers"
#: Apps written for the corpus around extensions that ship no views (Flask-Login, Flask-WTF,
#: Flask-Session), the way their documentation writes them.
APPS = CORPUS / "apps"
#: Where the checks import the apps, wrappers and settings from (besides the installs).
IMPORT_PATHS = (WRAPPERS, APPS)
INSTALL_TIMEOUT = 600
#: The packages whose versions are the Flask line's, checked against the app's own needs.
LINE_PACKAGES = ("flask", "werkzeug", "flask-login", "flask-session")
#: Each app is checked without and with its profile.
MODES = ("without", "with")


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "flask-conformance"
    return Path(os.environ.get("FLASK_CONFORMANCE_CACHE", default)) / "corpus"


@dataclass
class Expected:
    """A failed behaviour the kit must report: the app's real defect."""

    scenario: str  # the scenario's key in the JSON report: "Feature / Scenario (backend)"
    evidence: str
    modes: tuple[str, ...] = MODES


@dataclass
class CorpusApp:
    name: str
    packages: list[str]
    distribution: str | None  # the app's own distribution, whose requirements are checked
    import_string: str
    profile: dict[str, Any]
    expected: list[Expected]
    #: The modes the app is checked in (an app checked only to show what its profile does
    #: has just "with").
    modes: tuple[str, ...] = MODES
    #: Reasons some scenario must be not applicable for, per mode: what the kit must say
    #: it could not check, as (words of the reason, modes).
    not_applicable: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    #: Failed behaviours of today's kit that are not the app's defects, per mode.
    false_alarms: dict[str, list[str]] = field(default_factory=dict)
    #: ``--load-timeout`` for an app whose import alone takes seconds (None: the kit's
    #: default), as its user would allow it on a busy machine.
    load_timeout: float | None = None

    @classmethod
    def load(cls, path: Path) -> CorpusApp:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(
            name=path.stem,
            packages=list(data["install"]["packages"]),
            distribution=data["install"].get("app"),
            import_string=data["check"]["import"],
            profile=data["profile"],
            expected=[
                Expected(item["scenario"], item["evidence"], tuple(item.get("modes", MODES)))
                for item in data.get("expected", [])
            ],
            false_alarms={
                mode: list(items) for mode, items in data.get("false_alarms", {}).items()
            },
            modes=tuple(data["check"].get("modes", MODES)),
            load_timeout=data["check"].get("load_timeout"),
            not_applicable=[
                (item["because"], tuple(item.get("modes", MODES)))
                for item in data.get("not_applicable", [])
            ],
        )

    def expected_in(self, mode: str) -> dict[str, str]:
        return {item.scenario: item.evidence for item in self.expected if mode in item.modes}


def corpus_apps() -> list[CorpusApp]:
    return [CorpusApp.load(path) for path in sorted(CORPUS.glob("*.toml"))]


def install(app: CorpusApp, work: Path) -> Path | str:
    """The folder holding ``app``'s packages, or why they cannot be had (a skip reason)."""
    pins = "\n".join(sorted(app.packages))
    # Named after the app's distribution, so that two checks of one app share an install,
    # and after this Python: pip picks wheels (compiled parts, backports) for the Python it
    # runs under, so an install made for one Python breaks on another.
    name = app.distribution or app.name
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    site = cache_dir() / f"{name}-{python}-{hashlib.sha256(pins.encode()).hexdigest()[:12]}"
    if not (site / ".complete").is_file():
        site.parent.mkdir(parents=True, exist_ok=True)
        built = Path(tempfile.mkdtemp(dir=site.parent))
        if app.packages:
            result = run_command(
                [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", built,
                 *app.packages],
                cwd=work, timeout=INSTALL_TIMEOUT,
            )  # fmt: skip
            if result.returncode != 0:
                shutil.rmtree(built, ignore_errors=True)
                errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
                why = errors[-1] if errors else result.stderr.strip()[-300:]
                python = f"{sys.version_info.major}.{sys.version_info.minor}"
                return f"pip could not install {app.name}'s pins on Python {python}: {why}"
        (built / ".complete").write_text(pins, encoding="utf-8")
        try:
            built.rename(site)
        except OSError:  # another worker got there first
            shutil.rmtree(built, ignore_errors=True)
    return site


def unmet_requirement(app: CorpusApp, site: Path) -> str | None:
    """Why this Flask line cannot run ``app`` (its own requirements say so), or None."""
    if app.distribution is None:
        return None
    found = [
        dist
        for dist in distributions(path=[str(site)])
        if dist.metadata["Name"].lower() == app.distribution
    ]
    if not found:
        return f"{app.distribution} is not in {site}"
    dist = found[0]
    for line in dist.requires or ():
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        if requirement.name.lower() in LINE_PACKAGES:
            have = version(requirement.name)
            if not requirement.specifier.contains(have, prereleases=True):
                return (
                    f"{dist.metadata['Name']} {dist.version} requires {requirement}; "
                    f"this Flask line has {requirement.name} {have}"
                )
    return None


def write_profile(profile: dict[str, Any], path: Path) -> Path:
    """``profile`` as a TOML file the kit reads (inline tables, one key a line)."""
    lines = [f"{json.dumps(key)} = {_inline(value)}" for key, value in profile.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _inline(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} to a profile")


@dataclass
class Verdicts:
    """What one ``flask-conformance check`` said about an app."""

    status: int
    output: str
    #: Failed scenario key -> the behaviour the kit names for it.
    failed: dict[str, str]
    total: int
    #: Not-applicable scenario key -> the reason the kit gives.
    not_applicable: dict[str, str] = field(default_factory=dict)
    #: Every scenario key -> (its verdict, why: the behaviour, reason or warning).
    verdicts: dict[str, tuple[str, str]] = field(default_factory=dict)


def read_report(path: Path, status: int, output: str) -> Verdicts:
    failed: dict[str, str] = {}
    not_applicable: dict[str, str] = {}
    every: dict[str, tuple[str, str]] = {}
    total = 0
    if path.is_file():
        for feature in json.loads(path.read_text(encoding="utf-8")):
            for element in feature.get("elements", []):
                total += 1
                key = f"{feature.get('name', '')} / {element.get('name', '?')}"
                verdict = cucumber.verdict_of(element)
                every[key] = (verdict, cucumber.why_of(element))
                if verdict == "failed":
                    failed[key] = cucumber.why_of(element)
                elif verdict == "not applicable":
                    not_applicable[key] = cucumber.why_of(element)
    return Verdicts(status, output, failed, total, not_applicable, every)


#: The most lines a profile (its users apart) or a wrapper may have (issue 10).
MOST_LINES = 15


def code_lines(source: str) -> int:
    """The lines of Python ``source`` that hold code: not blank, not a comment, not a docstring."""
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and _is_docstring(body[0]):
            docstrings.update(range(body[0].lineno, (body[0].end_lineno or body[0].lineno) + 1))
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in _NOT_CODE:
            lines.update(range(token.start[0], token.end[0] + 1))
    return len(lines - docstrings)


def profile_lines(data_file: str) -> int:
    """The lines of a data file's ``[profile]`` table, its users apart: not blank, not a
    comment. A ``users = [...]`` array may span lines; all of them are left out."""
    count, in_profile, users_open = 0, False, 0
    for raw in data_file.splitlines():
        line = raw.strip()
        if raw.startswith("["):  # a table header
            header = line.strip("[]")
            in_profile = header == "profile" or (
                header.startswith("profile.") and header != "profile.users"
            )
            continue
        if not in_profile or not line or line.startswith("#"):
            continue
        if users_open or line.startswith("users"):
            users_open += line.count("[") - line.count("]")
            continue
        count += 1
    return count


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


_NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}
