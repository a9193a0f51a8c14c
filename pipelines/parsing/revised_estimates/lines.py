"""Row labels as printed -> line-item codes, per breakdown, through the reviewed seeds.

Objects of expenditure, mission categories and totals match ``label_en`` of
dbt/seeds/objects_of_expenditure.csv; grades match their code as printed; post categories and
"Subtotal" match dbt/seeds/post_categories.csv. Budget parts, sections and clusters are coded from
the numbering they print ("Part II" -> part_II, "3. Political affairs" -> section_3, "Cluster I"
-> cluster_I). Entity and mission rows name an entity (dbt/seeds/entities.csv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines import vocab
from pipelines.parsing.revised_estimates.entities import entity_code, normalise

_ROMAN_PREFIX = re.compile(r"^[IVX]+\.\s*")
_PART = re.compile(r"^Part\s+([IVXL]+)$", re.I)
_SECTION = re.compile(r"^(\d+[A-Z]?)\.\s*(.+)$")
_SUBSECTION = re.compile(r"^[–-]\s*(.+)$")
_CLUSTER = re.compile(r"^Cluster\s+([IVX]+)$", re.I)
_TOTAL_OF = re.compile(r"^(Sub)?total\b", re.I)
_TRANSITIONAL = "transitional staffing capacity"


@dataclass(frozen=True)
class RowCode:
    breakdown: str
    code: str | None  # None: not in the vocabulary (a finding names it)
    is_total: bool
    scope: str = "entity"


@dataclass
class Context:
    """What earlier rows of a table said that later rows need."""

    category: str | None = None  # post category group header
    part: str | None = None  # overview: "Part II" -> part_II, for the part title row after it
    section: str | None = None  # overview: section_3, for "–Special political missions"
    scope: str = "entity"  # object tables: entity, or the transitional staffing capacity block
    block: str | None = None  # overview tables: "Posts", "One-time cost" ... (slug), the rows' scope
    unknown: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise(text)).strip("_")


@cache
def _printed_variants(breakdown: str) -> dict[str, str]:
    """Labels printed otherwise than the seed's label (dbt/seeds/line_item_names_en.csv: "P2/1" -> P-2/1)."""
    if not (vocab.SEEDS_DIR / "line_item_names_en.csv").exists():
        return {}
    return {normalise(r["name_en"]): r["code"] for r in vocab.rows("line_item_names_en") if r["breakdown"] == breakdown}


@cache
def _objects() -> dict[str, str]:
    labels = {normalise(r["label_en"]): r["object_code"] for r in vocab.rows("objects_of_expenditure") if r["label_en"]}
    return {**_printed_variants("object_of_expenditure"), **labels}


@cache
def _categories() -> dict[str, str]:
    return {normalise(r["label_en"]): r["category_code"] for r in vocab.rows("post_categories") if r["label_en"]}


def grade_code(label: str) -> str | None:
    """A grade as printed ("P-4"), or a printed variant of it (dbt/seeds/line_item_names_en.csv)."""
    code = _printed_variants("grade").get(normalise(label), label)
    return code if code in vocab.grades() else None


def block_header(label: str, ctx: Context) -> None:
    """A row printing no values opens a block: a post category, a part, the transitional capacity."""
    key = normalise(_ROMAN_PREFIX.sub("", label))
    if key in _categories():
        ctx.category = _categories()[key]
    elif key == _TRANSITIONAL:
        ctx.scope = "transitional_staffing_capacity"
    elif m := _PART.match(label):
        ctx.part = f"part_{m.group(1).upper()}"
    elif ctx.part:  # the part's name, printing no figures of its own
        ctx.part = None
    elif m := _SECTION.match(label):
        ctx.section = f"section_{m.group(1)}"
    elif entity_code(label) is None:  # an entity printing no figures is not a block heading
        ctx.block = slug(key)


def _total(label: str, ctx: Context, breakdown: str) -> RowCode | None:
    m = _TOTAL_OF.match(label)
    if not m:
        return None
    key = normalise(label)
    scope = ctx.block or "entity" if breakdown == "entity" else ctx.scope
    if _TRANSITIONAL in key:
        scope = "transitional_staffing_capacity" if "excluding" not in key else "entity"
        ctx.scope = "entity"
    group = "category" if breakdown == "grade" else breakdown
    if m.group(1):  # Subtotal: of the post category above it, or of the block
        if breakdown == "grade" and ctx.category and _TRANSITIONAL not in key:
            return RowCode("category", ctx.category, True, scope)
        return RowCode(group, "subtotal", True, scope)
    ctx.scope = "entity"
    return RowCode(group, "total", True, scope if breakdown == "entity" else "entity")


def code_row(breakdown: str, label: str, ctx: Context) -> RowCode:
    total = _total(label, ctx, breakdown)
    if total:
        return total
    bare = _ROMAN_PREFIX.sub("", label)
    if breakdown in ("object_of_expenditure", "mission_category"):
        code = _objects().get(normalise(bare))
        return RowCode(breakdown, code, False, ctx.scope)
    if breakdown == "grade":
        if normalise(bare) in _categories():  # a category row printing its own figures
            return RowCode("category", _categories()[normalise(bare)], True, ctx.scope)
        return RowCode("grade", grade_code(bare), False, ctx.scope)
    if breakdown == "cluster" and (m := _CLUSTER.match(label)):
        return RowCode("cluster", f"cluster_{m.group(1).upper()}", False)
    if breakdown in ("cluster", "mission") and normalise(bare) in _objects():  # e.g. the Regional Service Centre share
        return RowCode("mission_category", _objects()[normalise(bare)], False)
    if breakdown == "entity":
        scope = ctx.block or "entity"
        if m := _PART.match(label):  # "Part XII" printing dashes beside its name: still the part's heading
            ctx.part = f"part_{m.group(1).upper()}"
            return RowCode("part", None, False, scope)
        if ctx.part and not _SECTION.match(label):
            part, ctx.part = ctx.part, None
            return RowCode("part", part, False, scope)
        if m := _SECTION.match(label):
            ctx.section = f"section_{m.group(1)}"
            return RowCode("section", ctx.section, False, scope)
        if (m := _SUBSECTION.match(label)) and ctx.section:  # "–Special political missions", "–Other"
            if code := entity_code(m.group(1)):
                return RowCode("entity", code, False, scope)
            return RowCode("section", f"{ctx.section}_{slug(m.group(1))}", False, scope)
        return RowCode("entity", entity_code(label), False, scope)
    code = entity_code(label)
    return RowCode("mission" if breakdown in ("cluster", "mission") else "entity", code, False)
