"""Table kinds, recognised from the table title through the reviewed patterns in table_kinds.csv."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

_FILE = Path(__file__).with_name("table_kinds.csv")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str, str]]:
    with open(_FILE, encoding="utf-8", newline="") as fh:
        return [(re.compile(r["title_pattern"]), r["table_kind"], r["parser"]) for r in csv.DictReader(fh)]


def classify(title: str) -> tuple[str, str]:
    """(table_kind, parser) for a table title; parser ``not_yet`` marks kinds a later issue parses."""
    subject = title.split("：", 1)[-1]
    for pattern, kind, parser in _patterns():
        if pattern.search(subject):
            return kind, parser
    return "unknown", "unknown"


def scope_of(title: str) -> str:
    """What a summary table covers: ``entity`` for 总表, else the component or subprogramme named."""
    head = title.split("：", 1)[0] if "：" in title else "总表"
    return "entity" if head == "总表" else head
