"""The wheel installs one package that carries the whole kit.

A checkout keeps ``features/``, ``steps/`` and ``app_under_test/`` at the
repository root; the wheel moves them inside ``flask_conformance`` so that
nothing named bare ``steps`` or ``app_under_test`` lands in site-packages (see
``[tool.hatch.build.targets.wheel.force-include]`` and
:mod:`flask_conformance.layout`). These tests build the wheel from this checkout
and check that promise, then run the kit's collection from the unpacked wheel to
show the packaged layout really works.

Building takes a second or two (plus fetching hatchling once, for the isolated
build); deselect with ``-k "not packaging"`` when iterating on specs.
"""

from __future__ import annotations

import configparser
import re
import sys
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from flask_conformance import layout

from .runcache import OUT, RunCache
from .running import clean_env, run_command

PACKAGE = "flask_conformance"

pytestmark = pytest.mark.skipif(
    layout.PACKAGED,
    reason="builds the wheel from a checkout; this run uses an installed wheel",
)


@pytest.fixture(scope="module")
def wheel(run_cache: RunCache) -> Path:
    """The wheel built from this checkout, the way a release would build it."""
    return _build("wheel", run_cache)


def _build(kind: str, run_cache: RunCache) -> Path:
    """This checkout's ``kind`` ("wheel" or "sdist"), built once per session; the file.

    The file is shared by every xdist worker: read it, never change it.
    """
    result = run_cache.run(
        [sys.executable, "-m", "build", f"--{kind}", "--outdir", OUT, layout.KIT_ROOT],
        timeout=600,
    )
    assert result.returncode == 0, f"building the {kind} failed:\n{result.stdout}\n{result.stderr}"
    (built,) = result.folder.glob("*.whl" if kind == "wheel" else "*.tar.gz")
    return built


@pytest.fixture(scope="module")
def names(wheel: Path) -> list[PurePosixPath]:
    with zipfile.ZipFile(wheel) as archive:
        return [PurePosixPath(name) for name in archive.namelist()]


def _checkout_files(folder: Path, pattern: str) -> set[str]:
    return {
        path.relative_to(layout.KIT_ROOT).as_posix()
        for path in folder.rglob(pattern)
        if "__pycache__" not in path.parts
    }


def _wheel_files(names: list[PurePosixPath], folder: str, suffix: str) -> set[str]:
    prefix = PurePosixPath(PACKAGE, folder)
    return {
        name.relative_to(PACKAGE).as_posix()
        for name in names
        if name.is_relative_to(prefix) and name.name.endswith(suffix)
    }


def test_the_wheel_installs_one_top_level_package(names: list[PurePosixPath]) -> None:
    top_level = {name.parts[0] for name in names if not name.parts[0].endswith(".dist-info")}
    assert top_level == {PACKAGE}, (
        f"the wheel would put {sorted(top_level - {PACKAGE})} into site-packages next to {PACKAGE}"
    )
    stray = [str(name) for name in names if "__pycache__" in name.parts or name.suffix == ".pyc"]
    assert not stray, f"the wheel carries compiled files: {stray}"


def test_the_wheel_carries_every_feature_file(names: list[PurePosixPath]) -> None:
    in_checkout = _checkout_files(layout.FEATURES_DIR, "*.feature")
    assert in_checkout, "the checkout has no feature files"
    assert _wheel_files(names, "features", ".feature") == in_checkout


def test_the_wheel_carries_every_step_module(names: list[PurePosixPath]) -> None:
    in_checkout = _checkout_files(layout.STEPS_DIR, "*.py")
    assert "steps/conftest.py" in in_checkout
    assert _wheel_files(names, "steps", ".py") == in_checkout


def test_the_wheel_carries_the_reference_app(names: list[PurePosixPath]) -> None:
    in_checkout = {
        path
        for path in _checkout_files(layout.REFERENCE_APP_DIR, "*")
        if not (layout.KIT_ROOT / path).is_dir()
    }
    assert "app_under_test/conformance.toml" in in_checkout
    assert any(path.startswith("app_under_test/templates/") for path in in_checkout)
    assert _wheel_files(names, "app_under_test", "") == in_checkout


def test_the_wheel_carries_the_packages_files_that_are_not_python(
    names: list[PurePosixPath],
) -> None:
    """The HTML report inlines its stylesheet and script from files of the package,
    and the kit's commands read their pytest settings from one: all must ship."""
    in_checkout = {
        path
        for path in _checkout_files(layout.KIT_ROOT / PACKAGE, "*")
        if not path.endswith(".py") and not (layout.KIT_ROOT / path).is_dir()
    }
    assert {
        f"{PACKAGE}/report/html/page.css",
        f"{PACKAGE}/report/html/filter.js",
        f"{PACKAGE}/specs.ini",
    } <= in_checkout
    assert in_checkout <= {name.as_posix() for name in names}


def test_the_wheel_declares_the_pytest_plugin_and_the_command(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (entry_points_name,) = [
            n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")
        ]
        text = archive.read(entry_points_name).decode()
    entry_points = configparser.ConfigParser(delimiters=("=",))
    entry_points.optionxform = str  # type: ignore[assignment,method-assign]
    entry_points.read_string(text)
    assert dict(entry_points["pytest11"]) == {f"{PACKAGE}.plugin": f"{PACKAGE}.plugin"}
    assert dict(entry_points["console_scripts"]) == {"flask-conformance": f"{PACKAGE}.cli:main"}
    assert dict(entry_points["flask.commands"]) == {"conformance": f"{PACKAGE}.cli:flask_command"}


#: Where a user finds the project, its documentation, its source and its issues.
PROJECT_URLS = {
    "Homepage": "https://github.com/flask-conformance/flask-conformance",
    "Documentation": "https://github.com/flask-conformance/flask-conformance#readme",
    "Source": "https://github.com/flask-conformance/flask-conformance",
    "Issues": "https://github.com/flask-conformance/flask-conformance/issues",
}


def _project_urls(metadata: str) -> dict[str, str]:
    """The ``Project-URL`` fields of core metadata (``label, url`` each)."""
    found = re.findall(r"^Project-URL: ([^,]+), (\S+)$", metadata, re.MULTILINE)
    return dict(found)


def test_the_wheels_metadata_names_the_projects_urls(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(name).decode()
    assert _project_urls(metadata) == PROJECT_URLS
    assert "License-Expression: BSD-3-Clause" in metadata


def _collected(args: list[str], cwd: Path, pythonpath: Path | None = None) -> int:
    env = clean_env()
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    result = run_command(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", *args],
        cwd=cwd,
        env=env,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"collection failed in {cwd}:\n{output}"
    match = re.search(r"^(\d+) tests? collected", result.stdout, re.MULTILINE)
    assert match, f"no collection summary in:\n{output}"
    return int(match[1])


def test_the_unpacked_wheel_finds_its_specs_and_collects_them_all(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()

    # PYTHONPATH comes before the editable install on sys.path, so the
    # unpacked wheel's flask_conformance is the one imported.
    probe = run_command(
        [
            sys.executable,
            "-c",
            (
                "from flask_conformance import layout; "
                "print(layout.PACKAGED, layout.KIT_ROOT, layout.REFERENCE_APP, sep='|')"
            ),
        ],
        cwd=workdir,
        env=clean_env(PYTHONPATH=str(site)),
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    packaged, kit_root, reference_app = probe.stdout.strip().split("|")
    assert packaged == "True"
    assert Path(kit_root) == site / PACKAGE
    assert reference_app == f"{PACKAGE}.app_under_test:create_app"

    from_wheel = _collected([str(site / PACKAGE / "steps")], workdir, pythonpath=site)
    from_checkout = _collected([str(layout.STEPS_DIR)], layout.KIT_ROOT)
    assert from_wheel == from_checkout


@pytest.fixture(scope="module")
def installed(wheel: Path, run_cache: RunCache) -> Path:
    """A site-packages folder holding only the wheel's package, as pip installs it.

    Installed once per session and shared by every xdist worker: run from it, never change it.
    """
    result = run_cache.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            f"{OUT}/site-packages",
            wheel,
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.folder / "site-packages"


def run_installed(site: Path, workdir: Path, *args: str) -> str:
    """Run ``python ARGS`` from ``workdir`` with the installed wheel first on the path."""
    result = run_command(
        [sys.executable, *args], cwd=workdir, env=clean_env(PYTHONPATH=str(site)), timeout=300
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def test_the_installed_wheels_command_runs_the_specs_without_pytest_warnings(
    installed: Path, tmp_path: Path
) -> None:
    """A user's install: the wheel's package, the command run from another folder."""
    report = tmp_path / "report.html"
    output = run_installed(
        installed, tmp_path,
        "-m", "flask_conformance", "check", "--report", str(report),
        "--", "-q", "-m", "persistence",
    )  # fmt: skip
    assert f"{PACKAGE}.app_under_test.db.close_db" in output  # the wheel's reference app ran
    assert "passed" in output and "warning" not in output.lower(), output
    # The page inlines the stylesheet and script the wheel carries as files.
    page = report.read_text(encoding="utf-8")
    assert ".verdict.passed { color: var(--passed); }" in page
    assert "document.getElementById('filters')" in page


def test_pytest_with_flask_app_and_no_paths_runs_the_installed_specs(
    installed: Path, tmp_path: Path
) -> None:
    """``pytest --flask-app X`` from any folder: the option alone selects the specs."""
    (tmp_path / "test_own.py").write_text("def test_users_own_test():\n    pass\n")
    output = run_installed(
        installed, tmp_path,
        "-m", "pytest", "--flask-app", f"{PACKAGE}.app_under_test:create_app",
        "-q", "-p", "no:randomly", "-m", "persistence", "-rA",
    )  # fmt: skip
    assert "test_a_visitors_session_keeps_a_value_from_one_request_to_the_next" in output
    assert "test_users_own_test" not in output  # the folder's own tests are not collected


def test_the_wheel_inside_a_users_project_keeps_to_the_kits_fixtures(
    wheel: Path, tmp_path: Path
) -> None:
    """The virtualenv inside the project: the project's conftest.py is an ancestor
    of the installed specs, so pytest would load it for them unless the kit
    roots its run in itself (check) and names its fixtures its own (pytest)."""
    from .test_users_project import REFERENCE, make_project, totals

    project = make_project(tmp_path / "project")
    site = project / ".venv" / "site-packages"
    result = run_command(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    reference = f"{PACKAGE}.{REFERENCE}"
    specs = ["-q", "-p", "no:randomly", "-m", "persistence or journey"]
    check = ["-m", PACKAGE, "check", reference, "--", *specs]
    plain = ["-m", "pytest", "--flask-app", reference, *specs]
    runs = {
        (command, where): totals(run_installed(site, folder, *args))
        for command, args in (("check", check), ("pytest", plain))
        for where, folder in (("project", project), ("empty", empty))
    }
    assert "failed" not in runs["check", "empty"], runs
    assert len(set(runs.values())) == 1, runs


# -- the sdist ------------------------------------------------------------------
#: What a checkout needs beyond the packaged kit for its own tests to run.
SDIST_MUST_HOLD = ("LICENSE", "README.md", "pyproject.toml", "conftest.py", "examples/flaskr.toml")
#: Tests that read files outside the package (examples/, the schemas, the layout).
SDIST_TESTS = ("tests/test_journey.py", "tests/test_example_profile.py",
               "tests/test_tags_and_layout.py")  # fmt: skip


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory, run_cache: RunCache) -> Path:
    """The sdist built from this checkout, unpacked; the folder it unpacks to."""
    outdir = tmp_path_factory.mktemp("sdist")
    built = _build("sdist", run_cache)
    with tarfile.open(built) as archive:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(outdir, **safe)  # type: ignore[arg-type]
    (root,) = [path for path in outdir.iterdir() if path.is_dir()]
    return root


def test_the_sdist_carries_the_license_and_the_examples(sdist: Path) -> None:
    missing = [name for name in SDIST_MUST_HOLD if not (sdist / name).is_file()]
    assert not missing, f"the sdist lacks {missing}"
    assert "BSD 3-Clause License" in (sdist / "LICENSE").read_text()
    examples = {p.name for p in (layout.KIT_ROOT / "examples").iterdir() if p.is_file()}
    assert examples and examples <= {p.name for p in (sdist / "examples").iterdir()}
    metadata = (sdist / "PKG-INFO").read_text()
    assert "License-Expression: BSD-3-Clause" in metadata and "License-File: LICENSE" in metadata
    assert _project_urls(metadata) == PROJECT_URLS


def test_the_sdists_own_tests_pass_from_it(sdist: Path) -> None:
    """The tests that read files beside the package pass from the unpacked sdist."""
    result = run_command(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *SDIST_TESTS],
        cwd=sdist,
        env=clean_env(PYTHONPATH=str(sdist)),
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, output[-3000:]
