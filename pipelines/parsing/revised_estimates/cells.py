"""Numeric cells as the Word file prints them.

Thousands are separated by a space (also a no-break or thin space), negatives are in parentheses,
an en dash (or a hyphen or em dash) is nil, an empty cell is blank. Footnote markers are superscript
runs and never reach the text. A value whose parentheses do not pair ("(14.3") is read as the
negative it plainly means and reported: the printed text is kept in ``value_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NIL_MARKS = {"–", "—", "-", "−"}
_NUMBER = re.compile(r"^(\()?\s*(-)?(\d{1,3}(?:[  \u2009,]\d{3})+|\d+)(\.\s?\d+)?\s*(\))?$")


@dataclass(frozen=True)
class Value:
    text: str
    value: float | None
    status: str  # value | nil | blank | unreadable
    note: str = ""  # what was read with a repair


def read_value(text: str) -> Value:
    t = text.strip()
    if not t:
        return Value(text, None, "blank")
    if t in NIL_MARKS:
        return Value(text, None, "nil")
    m = _NUMBER.match(t)
    if not m:
        return Value(text, None, "unreadable")
    decimals = m.group(4) or ""
    number = float(re.sub(r"[  \u2009,]", "", m.group(3)) + decimals.replace(" ", ""))
    negative = bool(m.group(1) or m.group(2) or m.group(5))
    note = "" if bool(m.group(1)) == bool(m.group(5)) else f"unpaired parenthesis in {t!r}, read as negative"
    if " " in decimals:
        note = f"stray space after the decimal point in {t!r}, read as {'-' if negative else ''}{number}"
    return Value(text, -number if negative else number, "value", note)
