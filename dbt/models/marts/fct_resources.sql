-- One row per printed money amount (thousands of US$), any table, any phase. Incremental by document.
{{ config(**by_document_config()) }}
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
    line_item_label_zh,
    line_item_label_en,
    row_label as row_label_printed,
    footnote,
    fiscal_year,
    period,
    period_start,
    period_end,
    phase,
    value as amount_thousands_usd,
    value_text,
    value_status,
    is_total,
    source_table,
    table_kind,
    source_line,
    table_index,
    row_index,
    column_header
from {{ ref('int_resources_labelled') }}
where measure = 'amount' and {{ changed_documents() }}
