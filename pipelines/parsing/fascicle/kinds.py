"""Table kinds, recognised from the table title through the reviewed patterns in table_kinds.csv."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from pipelines import vocab

_FILE = Path(__file__).with_name("table_kinds.csv")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str, str, str]]:
    with open(_FILE, encoding="utf-8", newline="") as fh:
        return [
            (re.compile(r["title_pattern"]), r["table_kind"], r["parser"], r["found_in"]) for r in csv.DictReader(fh)
        ]


@lru_cache(maxsize=1024)  # a fascicle prints each kind's title once per entity; the patterns are fixed
def classify(title: str, found_in: str = "table") -> tuple[str, str]:
    """(table_kind, parser) for the title of a numbered table (``found_in`` table) or an annex (annex);
    parser ``not_yet`` marks kinds a later issue parses."""
    subject = title.split(_TITLE_COLON, 1)[-1]
    for pattern, kind, parser, where in _patterns():
        if where == found_in and pattern.search(subject):
            return kind, parser
    return "unknown", "unknown"


# A summary table's title reads "<scope>：<subject>"; the whole entity's says 总表 (the seed's scope word).
_TITLE_COLON = "："


def scope_of(title: str) -> str:
    """What a summary table covers: ``entity`` for the whole entity, else the component or subprogramme named."""
    whole = vocab.word("whole_entity_scope")
    head = title.split(_TITLE_COLON, 1)[0] if _TITLE_COLON in title else whole
    return "entity" if head == whole else head
