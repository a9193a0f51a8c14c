{# The change columns a table prints beside its amounts or counts, kept as their own measures. #}
{% macro printed_changes(labelled_model) %}
select
    {{ fact_id() }} as fact_id,
    document_id, document_symbol, entity_code, funding_source, breakdown, scope_code, line_item_code,
    line_item_label_zh, line_item_label_en, row_label as row_label_printed,
    measure, base_year, base_phase, fiscal_year, period, period_start, period_end, value, unit, value_text, value_status, is_total,
    source_table, table_kind, source_line, table_index, row_index, column_header
from {{ ref(labelled_model) }}
where measure <> 'amount' and {{ changed_documents() }}
{% endmacro %}
