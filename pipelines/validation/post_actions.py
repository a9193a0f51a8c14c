"""A/80/400's post actions against the change columns of the entity's posts-by-grade table.

What each action does to the grade table (which change column, with which sign, read per grade or
not) is vocabulary, in the reviewed seed dbt/seeds/post_action_types.csv (label and detail patterns,
first match wins), each row citing the tables it was verified on. Two levels, both exact (post
counts are integers, not rounded figures):

- net: per entity, funding source and change column, the signed counts of the actions against the
  grade table's Total row. An action's count is the one it prints, else the sum of the grade
  counts its text names ("1 P-3").
- per grade: the same, grade by grade, only where every action of the post-action table is fully
  read: its type known, and its grade counts accounting for its printed count (a reclassification:
  its "N D-1 to P-5" pairs). A table that cannot be checked per grade, or at all, becomes an info
  finding (post_action_notes) naming the rows that stop it, never a disagreement.

Word tables only: the Chinese fascicle's post changes have their own rule (post_changes_to_grades).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from pipelines import vocab
from pipelines.validation.core import RECONCILIATION_SCHEMA, finish
from pipelines.validation.rows import row_measures

NET_RULE = "post_actions_net_to_grade_total"
GRADE_RULE = "post_actions_match_grade_changes"
NOTE_RULE = "post_actions_not_checked"


@dataclass(frozen=True)
class ActionType:
    label: re.Pattern
    detail: re.Pattern | None
    code: str
    column: str  # a change measure | none | not_an_action
    sign: int
    per_grade: str  # as_listed | from_to | none | not_read


@cache
def action_types() -> tuple[ActionType, ...]:
    return tuple(
        ActionType(
            re.compile(r["label_pattern"], re.I),
            re.compile(r["detail_pattern"], re.I) if r["detail_pattern"] else None,
            r["action_type"],
            r["effect_column"],
            int(r["sign"]),
            r["per_grade"],
        )
        for r in vocab.rows("post_action_types")
    )


def action_type(label: str, detail: str) -> ActionType | None:
    for t in action_types():
        if t.label.search(label.strip()) and (t.detail is None or t.detail.search(detail)):
            return t
    return None


@cache
def _from_to() -> re.Pattern:
    codes = "|".join(re.escape(c) for c in sorted(vocab.grades(), key=len, reverse=True))
    return re.compile(rf"(\d+)\s+({codes})\s+to\s+({codes})(?![\w-])")


@dataclass
class Action:
    where: str  # "table 80 row 2"
    label: str
    count_text: str
    count: float | None  # as printed; None when the cell prints no count of its own
    grades: list[tuple[str, int]]
    detail: str
    type: ActionType | None = None

    @property
    def net_count(self) -> float | None:
        """The printed count (nil counts 0), else the grade counts the text names."""
        if self.count is not None:
            return self.count
        if self.count_text.strip() in {"–", "—", "-"}:
            return 0.0
        return float(sum(n for _, n in self.grades)) if self.grades else None

    def unread(self) -> str:
        """Why the row cannot be read per grade ("" when it can)."""
        if self.grade_effects() is not None:
            return ""
        if self.type is None:
            return "its action type is not in dbt/seeds/post_action_types.csv"
        if self.type.per_grade == "not_read":
            return f"a {self.type.code} is read as a whole only"
        if self.type.per_grade == "from_to":
            return "its 'N grade to grade' pairs do not account for its count"
        named = sum(n for _, n in self.grades)
        return f"the grade counts its text names ({named}) do not account for its count ({self.count_text or 'none'})"

    def grade_effects(self) -> list[tuple[str, str, int]] | None:
        """(column, grade, signed count) per grade, or None when the row cannot be read per grade."""
        t = self.type
        if t is None or t.per_grade == "not_read":
            return None
        if t.per_grade == "none" or t.column in ("none", "not_an_action"):
            return []
        total = self.net_count
        if t.per_grade == "from_to":
            pairs = [(int(n), a, b) for n, a, b in _from_to().findall(self.detail)]
            if not pairs or (self.count is not None and sum(n for n, _, _ in pairs) != self.count):
                return None
            return [e for n, a, b in pairs for e in ((t.column, a, -n), (t.column, b, n))]
        if total is None or sum(n for _, n in self.grades) != total:
            return None
        return [(t.column, g, t.sign * n) for g, n in self.grades]


def _actions(post_changes: pl.DataFrame) -> dict[tuple, list[Action]]:
    """Word-table actions by (document, entity, funding source), in printed order."""
    out: dict[tuple, list[Action]] = defaultdict(list)
    rows = post_changes.filter(pl.col("table_index").is_not_null()).sort("table_index", "row_index")
    keys = ["document_id", "entity_code", "funding_source", "source_table", "table_index", "row_index"]
    for key, g in rows.group_by(keys, maintain_order=True):
        first = g.row(0, named=True)
        grades = [(c, int(n)) for c, n in g.select("grade_code", "grade_count").rows() if c is not None]
        a = Action(
            f"table {key[3]} (Word table {key[4]}) row {key[5]}",
            first["row_label"],
            first["count_text"] or "",
            first["count_value"],
            grades,
            first["detail_text"] or "",
        )
        a.type = action_type(a.label, a.detail)
        if a.type is None or a.type.column != "not_an_action":
            out[key[:3]].append(a)
    return out


@dataclass
class GradeTable:
    cells: dict[tuple[str, str], list[dict]] = field(default_factory=lambda: defaultdict(list))
    total: dict[str, dict] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)

    def problem(self) -> str:
        """Why the actions cannot be checked against this table ("" when they can)."""
        if len(self.tables) != 1:
            return f"one posts-by-grade table is needed, found {', '.join(sorted(self.tables))}"
        whole = [re.compile(p) for p in row_measures()["whole_table_total_rows"]]
        labels = {c["row_label"].strip() for c in self.total.values()}
        if not labels or not all(any(p.search(label) for p in whole) for label in labels):
            return f"table {next(iter(self.tables))} holds part of the entity's posts only (total row {sorted(labels)})"
        return ""


def _grade_tables(posts: pl.DataFrame) -> dict[tuple, GradeTable]:
    """Change cells of the entity tables by grade, per (document, entity, funding source); nil is 0."""
    measures = set(row_measures()["change_parts"]["posts"])
    kinds = row_measures()["entity_tables"]
    cells = posts.filter(
        pl.col("table_kind").is_in(kinds)
        & pl.col("measure").is_in(measures)
        & pl.col("value_status").is_in(["value", "nil"])
        & pl.col("table_index").is_not_null()
    ).sort("table_index", "row_index")
    out: dict[tuple, GradeTable] = defaultdict(GradeTable)
    for c in cells.iter_rows(named=True):
        t = out[(c["document_id"], c["entity_code"], c["funding_source"])]
        t.tables.add(c["source_table"])
        c = {**c, "value": c["value"] or 0.0}
        if c["breakdown"] == "grade":
            t.cells[(c["measure"], c["line_item_code"])].append(c)
        elif c["line_item_code"] == "total":
            t.total[c["measure"]] = c
    return out


def _row(cell: dict, computed: float, how: str, printed: list[dict] | None = None) -> dict:
    cells = printed or [cell]
    return {
        **{k: cell[k] for k in ("document_id", "entity_code", "source_table", "funding_source", "measure")},
        **{k: cell[k] for k in ("row_label", "source_line", "table_index", "row_index", "column_header")},
        "fiscal_year": cell["fiscal_year"],
        "printed_value": sum(c["value"] for c in cells),
        "printed_text": " + ".join(c["value_text"] for c in cells),
        "printed_half": 0.0,  # post counts are exact
        "slack": 0.0,
        "computed_value": float(computed),
        "how": how,
    }


def _net_rows(actions: list[Action], table: GradeTable) -> list[dict]:
    out = []
    for measure, cell in table.total.items():
        moving = [a for a in actions if a.type is not None and a.type.column == measure]
        if any(a.net_count is None for a in moving) or any(a.type is None for a in actions):
            continue  # post_action_notes says why
        parts = [f"{a.where} {a.label!r} {a.type.sign * a.net_count:+g}" for a in moving if a.type.sign]
        computed = sum(a.type.sign * a.net_count for a in moving)
        out.append(_row(cell, computed, "; ".join(parts) or "no action moves this column"))
    return out


def _grade_rows(actions: list[Action], table: GradeTable) -> list[dict]:
    effects: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for a in actions:
        for column, grade, n in a.grade_effects() or []:
            effects[(column, grade)].append((a.where, n))
    out = []
    for key in sorted(set(effects) | set(table.cells)):
        cells = table.cells.get(key)
        if not cells:  # a grade the actions name but the table prints no change cell for
            total = table.total.get(key[0])
            if total is None:
                continue
            label = f"{key[1]}: no such row (compared at the {total['row_label']} row)"
            cells = [{**total, "row_label": label, "value": 0.0, "value_text": "(no row)"}]
        how = "; ".join(f"{w} {n:+d}" for w, n in effects.get(key, [])) or "no action names this grade"
        out.append(_row(cells[0], sum(n for _, n in effects.get(key, [])), how, cells))
    return out


def post_actions_to_grades(post_changes: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """Reconciliation rows of both levels (see the module docstring)."""
    tables = _grade_tables(posts)
    net, per_grade = [], []
    for key, actions in _actions(post_changes).items():
        table = tables.get(key)
        if table is None or table.problem():
            continue
        net += _net_rows(actions, table)
        if all(a.grade_effects() is not None for a in actions):
            per_grade += _grade_rows(actions, table)
    out = [
        finish(pl.DataFrame(rows, infer_schema_length=None), rule, "posts", detail)
        for rows, rule, detail in (
            (net, NET_RULE, "signed counts of the post actions = the grade table's Total change"),
            (per_grade, GRADE_RULE, "signed grade counts of the post actions = the grade row's change"),
        )
        if rows
    ]
    return pl.concat(out) if out else pl.DataFrame(schema=RECONCILIATION_SCHEMA)


def _note(key: tuple, actions: list[Action], message: str) -> dict:
    tables = ", ".join(dict.fromkeys(a.where.split(" row ")[0] for a in actions))
    return {
        "document_id": key[0],
        "entity_code": key[1],
        "source_table": tables.split(" ")[1] if tables else None,
        "rule": NOTE_RULE,
        "severity": "info",
        "message": f"{tables} ({key[1]}, {key[2]}): {message}",
    }


def post_action_notes(post_changes: pl.DataFrame, posts: pl.DataFrame) -> list[dict]:
    """Info findings: the post-action tables, or the levels of them, that cannot be checked, and why."""
    tables = _grade_tables(posts)
    out = []
    for key, actions in _actions(post_changes).items():
        table = tables.get(key)
        if table is None or table.problem():
            why = table.problem() if table else "no posts-by-grade table with change columns for it"
            out.append(_note(key, actions, f"not checked: {why}"))
            continue
        unknown = [a for a in actions if a.type is None]
        uncounted = [a for a in actions if a.type and a.type.column in table.total and a.net_count is None]
        if unknown or uncounted:
            rows = "; ".join(f"{a.where} {a.label!r}" for a in unknown + uncounted)
            out.append(_note(key, actions, f"net counts not checked: type or count not read in {rows}"))
        unread = [f"{a.where} {a.label!r}: {a.unread()}" for a in actions if a.unread()]
        if unread:
            out.append(_note(key, actions, "not checked per grade: " + "; ".join(unread)))
    return out
