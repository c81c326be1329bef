"""Every tag in the features means something to the kit, and the kit finds its
features, steps and reference app in a checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from flask_conformance import layout
from flask_conformance.plugin import tags

REPO_ROOT = Path(__file__).resolve().parents[1]
FEATURE_FILES = sorted(layout.FEATURES_DIR.rglob("*.feature"))


def test_there_are_features() -> None:
    assert FEATURE_FILES


@pytest.mark.parametrize("tag", sorted(tags.tags_in(FEATURE_FILES)))
def test_every_tag_in_the_features_is_known(tag: str) -> None:
    assert tags.describe(tag) is not None, (
        f"@{tag} is used in the features but flask_conformance.plugin.tags does not know it: "
        "register it in tags.py or use a behaviour ID / flask version tag"
    )


@pytest.mark.parametrize(
    ("tag", "meaning"),
    [
        ("sessions", "Flask sessions"),
        ("cookie-only", "signed-cookie sessions only"),
        ("P-05", "pins behaviour P-05"),
        ("SES-01", "pins behaviour SES-01"),
        ("flask-3.1+", "needs Flask 3.1 or newer"),
        ("flask-3.1.3-", "before 3.1.3"),
    ],
)
def test_describe(tag: str, meaning: str) -> None:
    description = tags.describe(tag)
    assert description is not None and meaning in description


@pytest.mark.parametrize("tag", ["session", "P5", "p-05", "PPPP-01", "flask-3.1", "wip"])
def test_unknown_tags(tag: str) -> None:
    assert tags.describe(tag) is None


def test_tags_in_reads_tag_lines_only(tmp_path: Path) -> None:
    feature = tmp_path / "x.feature"
    feature.write_text(
        "@sessions @expiry\nFeature: x\n  Mentions an @email in prose.\n\n  @P-05 @cookie-only\n  Scenario: y\n",
        encoding="utf-8",
    )
    assert tags.tags_in([feature]) == {"sessions", "expiry", "P-05", "cookie-only"}


def test_checkout_layout() -> None:
    assert not layout.PACKAGED
    assert layout.KIT_ROOT == REPO_ROOT
    assert layout.FEATURES_DIR == REPO_ROOT / "features"
    assert layout.STEPS_DIR == REPO_ROOT / "steps"
    assert layout.REFERENCE_APP_DIR == REPO_ROOT / "app_under_test"
    assert layout.module_name("steps") == "steps"
    assert layout.module_name("app_under_test") == "app_under_test"
    assert layout.REFERENCE_APP == "app_under_test:create_app"
    assert layout.REFERENCE_PROFILE == REPO_ROOT / "app_under_test" / "conformance.toml"
    for folder in (layout.FEATURES_DIR, layout.STEPS_DIR, layout.REFERENCE_APP_DIR):
        assert folder.is_dir()
    assert layout.REFERENCE_PROFILE.is_file()
