"""Where the specs, their steps and the reference app live.

In a checkout, ``features/``, ``steps/`` and ``app_under_test/`` sit at the
repository root, beside this package, because that is where reviewers look for
them. The wheel moves all three inside this package so that it installs only one
top-level name. Everything that needs one of them asks this module instead of
guessing.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

#: True when running from an installed wheel, False in a checkout.
PACKAGED: bool = (_PACKAGE_DIR / "features").is_dir()

#: The folder holding ``features/``, ``steps/`` and ``app_under_test/``.
KIT_ROOT: Path = _PACKAGE_DIR if PACKAGED else _PACKAGE_DIR.parent

FEATURES_DIR: Path = KIT_ROOT / "features"
STEPS_DIR: Path = KIT_ROOT / "steps"
REFERENCE_APP_DIR: Path = KIT_ROOT / "app_under_test"


def module_name(name: str) -> str:
    """Return the importable name of ``steps`` or ``app_under_test`` here."""
    return f"flask_conformance.{name}" if PACKAGED else name


#: The pytest settings of the kit's own commands (see ``specs.ini``).
SPECS_INI: Path = _PACKAGE_DIR / "specs.ini"

#: Import string of the bundled reference app's factory.
REFERENCE_APP = f"{module_name('app_under_test')}:create_app"

#: The journey profile the reference app ships with.
REFERENCE_PROFILE: Path = REFERENCE_APP_DIR / "conformance.toml"
