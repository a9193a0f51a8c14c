"""Table kinds recognised from the title printed above each Word table (table_kinds.csv beside this
module): which reader reads it, its funding source, frame family, row breakdown and scope.

A kind's ``scope`` (scopes.csv) says what a whole table covers when that is not one entity: the
Secretariat-wide overviews (entity_code null) "excluding special political missions" or the missions,
an entity's general temporary assistance positions beside its posts. It keeps such a table's facts
in series of their own, apart from the entity tables' and from each other."""

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
    scope: str | None = None  # the table's scope, replacing the whole-entity scope of its rows


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
                    r["scope"] or None,
                ),
            )
            for r in csv.DictReader(fh)
        )


def kind_of(title: str) -> Kind:
    return next((k for pattern, k in _kinds() if pattern.search(title.strip())), UNKNOWN)
