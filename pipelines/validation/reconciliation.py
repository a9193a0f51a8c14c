"""Consistency rules as data: one row per rule instance, with the printed and the computed value.

The document states many of its numbers twice (a total and its parts, a change and the two years it
compares, an entity's own tables and annex IV). Each rule instance below records both sides; the
reconciliation suite (expectations/reconciliation.json) flags those whose printed figure lies outside
what its rounded inputs allow (pipelines/validation/intervals.py). The warehouse keeps the printed value either way.
"""

from __future__ import annotations

import polars as pl

from pipelines import vocab
from pipelines.validation.core import RECONCILIATION_SCHEMA, finish, numeric, sum_rule, with_optional
from pipelines.validation.overview import hierarchy_sums, overview_matches_entity_tables
from pipelines.validation.post_actions import post_actions_to_grades
from pipelines.validation.rows import row_arithmetic
from pipelines.validation.secretariat import grades_sum_to_total, totals_match_overview
from pipelines.validation.word_tables import word_block_sums


def column_sums(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    """Line items to totals, components to subtotals, grades to category subtotals, sources to all sources."""
    grade_category = vocab.label_to_code("grades", "category_code", "grade_code")
    facts = numeric(facts)  # once for the nine rules (each would compute the same half-units again)
    with_category = facts.with_columns(
        pl.when(pl.col("breakdown") == "grade")
        .then(pl.col("line_item_code").replace_strict(grade_category, default=None))
        .otherwise(pl.col("line_item_code"))
        .alias("category")
    )
    return pl.concat(
        [
            sum_rule(with_category if "category" in keys else facts, parts, total, keys, rule, family, note)
            for parts, total, keys, rule, note in _money_rules() + _grade_and_annex_rules()
        ]
    )


def _money_rules() -> list[tuple[pl.Expr, pl.Expr, list[str], str, str]]:
    """(parts, total, grouping keys, rule, note): one row per rule, in the order the tables print."""
    table = ["document_id", "entity_code", "source_table", "funding_source"]
    kind, code, breakdown = pl.col("table_kind"), pl.col("line_item_code"), pl.col("breakdown")
    is_total, source = pl.col("is_total"), pl.col("funding_source")
    oe, summary = kind == "object_of_expenditure", kind == "resource_summary"
    fc = kind.is_in(["funding_source_component", "posts_funding_component"])
    block_total = fc & (code == "total") & (source != "all_sources")
    return [
        (
            oe & ~is_total,
            oe & (code == "total"),
            table,
            "line_items_sum_to_total",
            "objects of expenditure sum to 共计",
        ),
        (
            summary & ~is_total,
            summary & (code == "total"),
            table + ["scope_code", "breakdown"],
            "summary_rows_sum_to_total",
            "员额 + 非员额 = 共计 / post categories sum to 共计",
        ),
        # funding-source / component tables: components -> block total; subprogrammes -> 小计(C)
        (
            fc & (breakdown == "component") & (code != "total") & (source != "all_sources"),
            block_total,
            table,
            "components_sum_to_subtotal",
            "components A-D sum to the block's 小计",
        ),
        (
            fc & (breakdown == "subprogramme"),
            fc & (code == "programme_of_work") & is_total,
            table,
            "subprogrammes_sum_to_subtotal",
            "subprogrammes sum to 小计(C)",
        ),
        # funding sources -> all sources (block totals vs the final 共计 row)
        (
            block_total,
            fc & (source == "all_sources"),
            ["document_id", "entity_code", "source_table"],
            "funding_sources_sum_to_all_sources",
            "funding-source blocks sum to the 共计 row",
        ),
    ]


def _grade_and_annex_rules() -> list[tuple[pl.Expr, pl.Expr, list[str], str, str]]:
    table = ["document_id", "entity_code", "source_table", "funding_source"]
    kind, code, breakdown = pl.col("table_kind"), pl.col("line_item_code"), pl.col("breakdown")
    is_total, source = pl.col("is_total"), pl.col("funding_source")
    pg, annex = kind == "posts_by_grade", kind == "annex_iv"
    return [
        # posts by grade: grades -> category subtotal -> total
        (
            pg & (breakdown == "grade"),
            pg & (breakdown == "category") & (code != "total"),
            table + ["category"],
            "grades_sum_to_subtotal",
            "grades sum to their category's 小计",
        ),
        (
            pg & (breakdown == "category") & (code != "total"),
            pg & (code == "total"),
            table,
            "subtotals_sum_to_total",
            "小计 rows sum to 共计",
        ),
        # annex IV: funding groups -> all sources on each row; entity rows -> 共计 per column
        (
            annex & (source != "all_sources"),
            annex & (source == "all_sources"),
            ["document_id", "source_table", "source_line"],
            "annex_sources_sum_to_total",
            "regular + other assessed + extrabudgetary = total",
        ),
        (
            annex & ~is_total,
            annex & is_total,
            ["document_id", "source_table", "funding_source"],
            "annex_entities_sum_to_total",
            "entity rows sum to the 共计 row",
        ),
    ]


def component_summaries_to_entity(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    """The component and subprogramme summary tables add up to the entity's summary table."""
    summ = pl.col("table_kind") == "resource_summary"
    cells = facts.with_columns(pl.lit("summary").alias("summary_table"))
    return sum_rule(
        cells,
        summ & (pl.col("scope_code") != "entity"),
        summ & (pl.col("scope_code") == "entity"),
        ["document_id", "entity_code", "funding_source", "breakdown", "line_item_code"],
        "component_summaries_sum_to_entity",
        family,
        "component/subprogramme summary tables sum to the entity summary table",
    )


def entity_tables_to_annex(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    """Annex IV's entity rows against the entity's own totals (object/grade table for the regular budget,
    funding-source tables for the other sources)."""
    cells = numeric(facts).filter(pl.col("measure") == "amount")
    own_kind = "object_of_expenditure" if family == "resources" else "posts_by_grade"
    fc_kind = "funding_source_component" if family == "resources" else "posts_funding_component"
    own = cells.filter(
        ((pl.col("table_kind") == own_kind) & (pl.col("line_item_code") == "total"))
        | (
            (pl.col("table_kind") == fc_kind)
            & (pl.col("line_item_code") == "total")
            & (pl.col("funding_source") != "regular_budget")
        )
    )
    own = own.group_by("document_id", "entity_code", "funding_source", "fiscal_year").agg(
        pl.col("value").first().alias("computed_value"),
        pl.col("half_unit").first().alias("slack"),
        pl.col("source_table").first().alias("own_table"),
    )
    annex = cells.filter(
        (pl.col("table_kind") == "annex_iv") & ~pl.col("is_total") & (pl.col("funding_source") != "all_sources")
    )
    joined = annex.join(own, on=["document_id", "entity_code", "funding_source", "fiscal_year"], nulls_equal=True)
    return finish(
        joined.with_columns(pl.col("value").alias("printed_value"), pl.col("half_unit").alias("printed_half")),
        "annex_matches_entity_tables",
        family,
        "annex IV entity row = the entity's own table total",
    )


def post_changes_to_grades(post_changes: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """The grade counts in a post-change table's 核定 / 拟议 rows against the posts-by-grade table."""
    phases = dict((kw, code) for kw, code in vocab.phase_keywords())
    rows = post_changes.filter(pl.col("grade_code").is_not_null()).with_columns(
        pl.col("row_label").str.extract(r"(\d{4})").cast(pl.Int32).alias("fiscal_year"),
        pl.col("row_label").str.extract(r"\d{4}\s*年\s*(\S+)").replace_strict(phases, default=None).alias("phase"),
    )
    rows = rows.filter(pl.col("fiscal_year").is_not_null() & pl.col("phase").is_not_null())
    grades = numeric(posts).filter(
        (pl.col("table_kind") == "posts_by_grade") & (pl.col("breakdown") == "grade") & (pl.col("measure") == "amount")
    )
    grades = grades.select(
        "document_id",
        "entity_code",
        "fiscal_year",
        "phase",
        pl.col("line_item_code").alias("grade_code"),
        pl.col("value").alias("computed_value"),
    )
    joined = rows.join(
        grades,
        on=["document_id", "entity_code", "fiscal_year", "phase", "grade_code"],
        how="full",
        coalesce=True,
        nulls_equal=True,
    )
    # only entities/years with a post-change row; grades the text does not name count as 0 there
    present = rows.group_by("document_id", "entity_code", "fiscal_year", "phase").agg(
        pl.col("source_table").first().alias("pc_table"),
        pl.col("row_label").first().alias("pc_label"),
        pl.col("source_line").first().alias("pc_line"),
    )
    joined = joined.join(present, on=["document_id", "entity_code", "fiscal_year", "phase"]).with_columns(
        pl.col("grade_count").cast(pl.Float64).fill_null(0.0).alias("printed_value"),
        pl.lit(0.0).alias("printed_half"),  # post counts are exact
        pl.lit(0.0).alias("slack"),
        pl.col("grade_count").cast(pl.Utf8).fill_null("(not named)").alias("printed_text"),
        pl.col("computed_value").fill_null(0.0),
        pl.lit("regular_budget").alias("funding_source"),
        pl.col("pc_table").alias("source_table"),
        pl.col("pc_line").alias("source_line"),
        pl.concat_str([pl.col("pc_label"), pl.lit(" "), pl.col("grade_code")]).alias("row_label"),
        pl.lit("amount").alias("measure"),
    )
    return finish(
        joined, "post_change_text_matches_grades", "posts", "grade counts in the 详情 text = the posts-by-grade table"
    )


def deliverable_items_to_subtotals(kpis: pl.DataFrame) -> pl.DataFrame:
    """Each deliverables subtotal row equals the sum of the numbered items under it, in every column."""
    table, row = ["document_id", "source_table"], ["document_id", "source_table", "source_line"]
    d = (
        kpis.filter((pl.col("kpi_family") == "deliverable") & pl.col("row_kind").is_in(["subtotal", "item"]))
        .sort(row)
        .with_columns((pl.col("row_kind") == "subtotal").cast(pl.Int32).alias("starts"))
    )
    if d.is_empty():
        return pl.DataFrame(schema=RECONCILIATION_SCHEMA)
    # a subtotal opens a group that runs to the next one, within one table of one document
    firsts = d.unique(row, keep="first").sort(row).with_columns(pl.col("starts").cum_sum().over(table).alias("group"))
    d = d.join(firsts.select(*row, "group"), on=row)
    d = d.with_columns(
        pl.col("value_numeric").fill_null(0.0).alias("value"),
        pl.lit("amount").alias("measure"),
        pl.lit(None, pl.Utf8).alias("funding_source"),
        pl.col("label_zh").alias("row_label"),
        pl.col("value_text"),
    )
    items = (
        d.filter(pl.col("row_kind") == "item")
        .group_by("document_id", "source_table", "group", "fiscal_year", "status")
        .agg(pl.col("value").sum().alias("computed_value"))
    )
    subtotals = d.filter(pl.col("row_kind") == "subtotal").with_columns(
        pl.col("value").alias("printed_value"), pl.lit(0.0).alias("printed_half"), pl.lit(0.0).alias("slack")
    )  # deliverables are counted, not rounded
    joined = subtotals.join(items, on=["document_id", "source_table", "group", "fiscal_year", "status"])
    return finish(
        joined.with_columns(
            pl.concat_str([pl.col("row_label"), pl.lit(" ("), pl.col("status"), pl.lit(")")]).alias("row_label")
        ),
        "deliverable_items_sum_to_subtotal",
        "kpis",
        "numbered items sum to their subtotal row",
    )


def text_tables(facts: pl.DataFrame) -> pl.DataFrame:
    return with_optional(facts).filter(pl.col("table_index").is_null())


def reconcile(
    resources: pl.DataFrame, posts: pl.DataFrame, post_changes: pl.DataFrame, kpis: pl.DataFrame | None = None
) -> pl.DataFrame:
    parts = []
    if kpis is not None and not kpis.is_empty():
        parts.append(deliverable_items_to_subtotals(kpis))
    for family, facts in (("resources", resources), ("posts", posts)):
        if facts.is_empty():
            continue
        parts += [
            row_arithmetic(facts, family),
            # text tables are summed by their labels' codes, Word tables by their rows' order and roles
            column_sums(text_tables(facts), family),
            component_summaries_to_entity(text_tables(facts), family),
            entity_tables_to_annex(text_tables(facts), family),
            word_block_sums(facts, family),
            hierarchy_sums(facts, family),
            overview_matches_entity_tables(facts, family),
            grades_sum_to_total(facts, family),
            totals_match_overview(facts, family),
        ]
    if not post_changes.is_empty() and not posts.is_empty():
        parts.append(post_changes_to_grades(post_changes, posts))
        parts.append(post_actions_to_grades(post_changes, posts))
    if not parts:
        return pl.DataFrame(schema=RECONCILIATION_SCHEMA)
    # one total order (every column breaks the ties the first six leave): the suites record offending rows by
    # position, and the same documents must give the same positions in every run
    first = ["rule", "source_table", "source_line", "funding_source", "measure", "fiscal_year"]
    return pl.concat(parts).sort([*first, *(c for c in RECONCILIATION_SCHEMA if c not in first)], nulls_last=True)


def disagreements(recon: pl.DataFrame) -> pl.DataFrame:
    """Rule instances whose printed figure lies outside what its rounded inputs allow."""
    return recon.filter(~pl.col("consistent"))


__all__ = ["RECONCILIATION_SCHEMA", "disagreements", "reconcile", "row_arithmetic"]
