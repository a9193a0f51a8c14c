-- One row per printed post count, any table, any phase.
select
    {{ fact_id() }} as fact_id,
    document_id,
    document_symbol,
    language,
    script,
    entity_code,
    funding_source,
    breakdown,
    scope_code,
    line_item_code,
    case when breakdown = 'grade' then line_item_code end as grade_code,
    case when breakdown in ('component', 'subprogramme') then line_item_code end as component_code,
    line_item_label_zh,
    line_item_label_en,
    row_label as row_label_printed,
    footnote,
    fiscal_year,
    phase,
    value::integer as post_count,
    value_text,
    value_status,
    is_total,
    source_table,
    table_kind,
    source_line
from {{ ref('int_posts_labelled') }}
where measure = 'amount'
