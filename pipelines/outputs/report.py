"""The static, self-contained HTML report of the warehouse (opens with no network: SVG charts inline)."""

from __future__ import annotations

from html import escape
from pathlib import Path

import duckdb

from pipelines.outputs.charts import fmt, hbar, table

MONEY = "千美元 · thousands of US$"
CSS = """body{font-family:sans-serif;margin:2em;max-width:1000px;color:#222}h1{font-size:1.6em}
h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}p.note{color:#555;font-size:.9em}
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}
th{background:#f3f3f3}"""


def _q(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def section(title_zh: str, title_en: str, body: str, note: str = "") -> str:
    note_html = f'<p class="note">{escape(note)}</p>' if note else ""
    return f"<section><h2>{escape(title_zh)} · {escape(title_en)}</h2>{note_html}{body}</section>"


def resources_by_entity(con) -> str:
    rows = _q(
        con,
        """
        SELECT entity_name_zh || ' ' || entity_code, fiscal_year, funding_source_en, sum(amount_thousands_usd)
        FROM analytics.resources
        WHERE breakdown = 'entity' AND source_table = 'annex_iv' AND NOT is_total AND funding_source <> 'all_sources'
        GROUP BY ALL ORDER BY 1, 2""",
    )
    sources = sorted({r[2] for r in rows})
    groups: dict[str, list[float | None]] = {}
    for label, year, source, amount in rows:
        groups.setdefault(f"{label} {year}", [None] * len(sources))[sources.index(source)] = amount
    return hbar(list(groups.items()), sources, MONEY)


def posts_by_grade(con) -> str:
    """Section 3's entities (the section both editions print), one phase per year (the year-over-year rule)."""
    rows = _q(
        con,
        """
        SELECT y.line_item_code || CASE WHEN g.grade_label_zh <> y.line_item_code THEN ' ' || g.grade_label_zh
               ELSE '' END, y.fiscal_year, sum(y.value)
        FROM analytics.posts_yoy y JOIN marts.dim_grade g ON g.grade_code = y.line_item_code
        WHERE y.breakdown = 'grade' AND y.funding_source = 'regular_budget' AND y.scope_code = 'entity'
          AND y.section_code = 'section_3'
        GROUP BY ALL""",
    )
    order = [
        r[0]
        for r in _q(
            con,
            "SELECT grade_code || CASE WHEN grade_label_zh <> grade_code THEN ' ' || "
            "grade_label_zh ELSE '' END FROM marts.dim_grade ORDER BY sort_order",
        )
    ]
    years = sorted({r[1] for r in rows})
    data = {g: [None] * len(years) for g in order if any(r[0] == g for r in rows)}
    for grade, year, n in rows:
        data[grade][years.index(year)] = n
    return hbar(list(data.items()), [f"{y} 员额 posts" for y in years], "员额数目 · posts", decimals=0)


def latest_year(con, view: str, where: str) -> int | None:
    return _q(con, f"SELECT max(fiscal_year) FROM {view} WHERE {where}")[0][0]


def biggest_changes(con) -> str:
    where = "breakdown = 'object_of_expenditure' AND NOT is_total AND change IS NOT NULL"
    year = latest_year(con, "analytics.resources_yoy", where)
    rows = _q(
        con,
        f"""
        SELECT entity_code || ' · ' || line_item_zh || ' ' || line_item_en, change, phase, prior_phase
        FROM analytics.resources_yoy WHERE {where} AND fiscal_year = {year or 0}
        ORDER BY abs(change) DESC LIMIT 12""",
    )
    phases = f" ({rows[0][2]} vs {rows[0][3]})" if rows else ""
    return hbar([(r[0], [r[1]]) for r in rows], [f"{year} vs {year - 1 if year else ''} 变动 change{phases}"], MONEY)


def five_year_series(con) -> str:
    """DPPA's regular budget by object across both editions: one bar per year, the chosen phase in the table."""
    rows = _q(
        con,
        """
        SELECT line_item_zh || ' ' || line_item_en, fiscal_year, value, phase, alternative_phases, document_symbol
        FROM analytics.resources_yoy
        WHERE entity_code = 'DPPA' AND funding_source = 'regular_budget' AND breakdown = 'object_of_expenditure'
          AND scope_code = 'entity' AND NOT is_total
        ORDER BY line_item_code, fiscal_year""",
    )
    years = sorted({r[1] for r in rows})
    data: dict[str, list[float | None]] = {}
    for label, year, value, *_ in rows:
        data.setdefault(label, [None] * len(years))[years.index(year)] = value
    phases = {r[1]: (r[3], r[4], r[5]) for r in rows}
    tab = table(
        ["年 · year", "阶段 · phase", "未选阶段 · other phases printed", "文件 · document"],
        [[str(y), phases[y][0], phases[y][1] or "—", phases[y][2]] for y in years],
    )
    return hbar(list(data.items()), [str(y) for y in years], MONEY) + tab


def secretariat_changes(con) -> str:
    """UN80 changes by budget section: the revised estimate against the proposed programme budget it revises."""
    rows = _q(
        con,
        """
        SELECT coalesce(s.section_number || '. ', '') || c.line_item_en, c.fiscal_year,
               max(c.value) FILTER (WHERE c.measure = 'change_un80_redeployment'),
               max(c.value) FILTER (WHERE c.measure = 'change_relocation'),
               max(c.value) FILTER (WHERE c.measure = 'change_other')
        FROM analytics.resource_changes c
        LEFT JOIN marts.dim_budget_section s ON s.section_code = c.line_item_code
        WHERE c.breakdown = 'section' AND c.funding_source = 'regular_budget' AND c.base_phase = 'proposed'
          AND s.parent_section_code IS NULL
        GROUP BY ALL ORDER BY min(s.sort_order)""",
    )
    series = ["跨款次调动(合并) · redeployed for consolidation", "搬迁 · relocation", "其他 · other"]
    several_years = len({r[1] for r in rows}) > 1
    labels = [f"{r[0]} ({r[1]})" if several_years else r[0] for r in rows]
    return hbar([(label[:48], [r[2], r[3], r[4]]) for label, r in zip(labels, rows, strict=True)], series, MONEY)


def deliverables(con) -> str:
    where = "kpi_family = 'deliverable' AND row_kind = 'subtotal'"
    year = latest_year(con, "analytics.kpis", f"{where} AND status = 'actual'")
    rows = _q(
        con,
        f"""
        SELECT entity_code || ' ' || coalesce(subprogramme_code, '') || ' · ' || label_zh,
               max(value_numeric) FILTER (WHERE status = 'planned'), max(value_numeric) FILTER (WHERE status = 'actual')
        FROM analytics.kpis
        WHERE {where} AND fiscal_year = {year or 0}
        GROUP BY ALL ORDER BY 2 DESC NULLS LAST LIMIT 15""",
    )
    return hbar(
        [(r[0][:40], [r[1], r[2]]) for r in rows],
        [f"{year} 计划 planned", f"{year} 实际 actual"],
        "数目 · count",
        decimals=0,
    )


def headlines(con) -> str:
    year = latest_year(con, "analytics.kpis_yoy", "kpi_family = 'headline' AND prior_value IS NOT NULL") or 0
    rows = _q(
        con,
        f"""
        SELECT y.label_en, d.metric_name_zh, y.unit, y.prior_value, y.value, y.change_percent
        FROM analytics.kpis_yoy y JOIN marts.dim_kpi_metric d ON d.metric_key = y.kpi_key
        WHERE y.kpi_family = 'headline' AND y.fiscal_year = {year} AND y.prior_value IS NOT NULL ORDER BY 1""",
    )
    bars = hbar(
        [(f"{r[1]} · {r[0]}"[:48], [100.0, 100.0 * r[4] / r[3]]) for r in rows],
        [f"{year - 1} = 100", str(year)],
        f"指数 · index, {year - 1} = 100",
        decimals=0,
    )
    tab = table(
        ["指标 · metric", "单位 · unit", str(year - 1), str(year), "变动 % · change %"],
        [[f"{r[1]} · {r[0]}", r[2], fmt(r[3], 0), fmt(r[4], 0), fmt(r[5], 1)] for r in rows],
    )
    return bars + tab


def findings(con) -> str:
    rows = _q(
        con,
        """SELECT document_symbol, source_table, source_line, row_label, rule, severity, printed_value,
                             expected_value FROM analytics.dq_findings ORDER BY source_table, source_line""",
    )
    header = [
        "文件 document",
        "表 table",
        "行 line",
        "行标签 row",
        "规则 rule",
        "严重性 severity",
        "印刷值 printed",
        "应为 expected",
    ]
    return table(header, [[*r[:6], r[6], fmt(r[7])] for r in rows])


def render(con: duckdb.DuckDBPyConnection) -> str:
    docs = _q(con, "SELECT document_symbol, document_kind FROM analytics.documents WHERE status = 'parsed' ORDER BY 1")
    parts = [
        section(
            "按实体和资金来源列示的资源",
            "Resources by entity and funding source",
            resources_by_entity(con),
            "Annex IV of each fascicle; thousands of US dollars.",
        ),
        section(
            "按职等列示的员额(经常预算)",
            "Posts by grade (regular budget), Section 3 entities",
            posts_by_grade(con),
            "One phase per year: approved over the revised estimate over the proposed.",
        ),
        section(
            "政治建和部经常预算五年序列",
            "Five-year series: DPPA's regular budget by object of expenditure",
            five_year_series(con),
            "Both editions joined on codes: A/78/6 (Chinese) for the early years, A/80/400 "
            "(English) for the later ones; per year the most final phase printed (see the table).",
        ),
        section(
            "秘书处各款次 UN80 变动",
            "Secretariat-wide UN80 changes by budget section",
            secretariat_changes(con),
            "A/80/400 table 6: revised estimate against the proposed programme budget; thousands of US dollars.",
        ),
        section(
            "最大的同比变动",
            "Biggest year-over-year changes, by object of expenditure",
            biggest_changes(con),
            "Latest year against the year before, each year's most final phase; thousands of US dollars.",
        ),
        section("应交付产出：计划与实际", "Deliverables: planned vs actual", deliverables(con)),
        section(
            "工作报告要点指标",
            "Headline metrics of the work reports, year over year",
            headlines(con),
            "Metrics lined up by the reviewed dictionary (seed kpi_metrics); bars index a year on the prior one.",
        ),
        section("数据质量发现", "Data-quality findings: where a document contradicts itself", findings(con)),
    ]
    sources = ", ".join(f"{s} ({k})" for s, k in docs)
    return f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>联合国预算与工作报告 · UN budget and work reports</title>
<style>{CSS}</style></head>
<body><h1>联合国预算与工作报告 · UN budget and work reports</h1>
<p class="note">Source documents: {escape(sources)}. Every figure is the value the document prints.</p>
{"".join(parts)}
<script>document.body.dataset.charts = document.querySelectorAll("svg.chart").length;</script>
</body></html>
"""


def write(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(render(con), encoding="utf-8")
    return path
