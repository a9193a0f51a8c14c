{# The resources and posts frames share one schema (pipelines/parsing/records.py FACT_SCHEMA). #}
{% macro stg_facts(source_name) %}
select
    document_id,
    document_symbol,
    language,
    script,
    entity_code,
    source_table,
    table_kind,
    funding_source,
    scope_code,
    breakdown,
    row_label,
    footnote,
    line_item_code,
    is_total,
    measure,
    fiscal_year,
    base_year,
    phase,
    value,
    value_text,
    value_status,
    unit,
    source_line
from {{ source('raw', source_name) }}
{% endmacro %}
