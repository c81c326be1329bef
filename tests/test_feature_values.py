"""The values features write in steps are read from a table, never evaluated as Python."""

from __future__ import annotations

import pytest

from steps.values import feature_value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("True", True),
        ("False", False),
        ("None", None),
        ('"Lax"', "Lax"),
        ('"/shop"', "/shop"),
        ('""', ""),
        ('["colour", "size"]', ["colour", "size"]),
    ],
)
def test_the_values_features_write_are_read(text: str, value: object) -> None:
    assert feature_value(text) == value and type(feature_value(text)) is type(value)


@pytest.mark.parametrize("text", ["__import__('os')", "1 + 1", "'single'", '"a"b"', "[1, 2]"])
def test_anything_else_is_refused_saying_where_to_add_it(text: str) -> None:
    with pytest.raises(ValueError, match="NAMED_VALUES in steps/values.py"):
        feature_value(text)
