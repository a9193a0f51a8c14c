"""Table kinds recognised from the title printed above each Word table (table_kinds.csv beside this
module): which reader reads it, its funding source, frame family and row breakdown."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Kind:
    table_kind: str
    reader: str  # matrix | post_actions | not_yet | unknown
    funding_source: str | None
    family: str | None  # resources | posts | post_changes
    breakdown: str | None


UNKNOWN = Kind("unknown", "unknown", None, None, None)


@cache
def _kinds() -> tuple[tuple[re.Pattern, Kind], ...]:
    with open(Path(__file__).with_name("table_kinds.csv"), encoding="utf-8", newline="") as fh:
        return tuple(
            (
                re.compile(r["title_pattern"], re.I),
                Kind(
                    r["table_kind"],
                    r["reader"],
                    r["funding_source"] or None,
                    r["family"] or None,
                    r["breakdown"] or None,
                ),
            )
            for r in csv.DictReader(fh)
        )


def kind_of(title: str) -> Kind:
    return next((k for pattern, k in _kinds() if pattern.search(title.strip())), UNKNOWN)
