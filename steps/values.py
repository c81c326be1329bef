"""The values a feature may write in its steps, read without evaluating Python.

Some steps name a config value or what a call returned: ``True``, ``None``,
``"Lax"``, ``["colour", "size"]``. Rather than evaluate the text as Python,
the steps look it up here: the words ``True``, ``False`` and ``None``, a
double-quoted string, or one of :data:`NAMED_VALUES`. A value outside them is
an error in the feature, said in one line, so a new feature adds its value to
the table in plain sight.
"""

from __future__ import annotations

from typing import Any

#: Values that are neither a word constant nor a plain string, by how features write them.
NAMED_VALUES: dict[str, Any] = {
    '["colour", "size"]': ["colour", "size"],
}

_WORDS: dict[str, Any] = {"True": True, "False": False, "None": None}


def feature_value(text: str) -> Any:
    """The value ``text`` stands for in a step: ``True``, ``None``, ``"Lax"`` -> ``'Lax'``."""
    text = text.strip()
    if text in _WORDS:
        return _WORDS[text]
    if text in NAMED_VALUES:
        return NAMED_VALUES[text]
    if len(text) >= 2 and text[0] == text[-1] == '"' and '"' not in text[1:-1]:
        return text[1:-1]
    raise ValueError(
        f"the steps know no value written {text!r}: write True, False, None, a "
        "double-quoted string, or add it to NAMED_VALUES in steps/values.py"
    )
