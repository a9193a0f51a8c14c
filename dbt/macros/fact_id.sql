{# Stable id of a printed value. Word documents print two amounts for one year in one row (2026 proposed and
   revised), so the phase and the column header are part of it; concat_ws skips nulls. #}
{% macro fact_id() %}
md5(concat_ws('|', document_id, source_table, source_line, funding_source, measure, fiscal_year,
              period, phase, base_phase, column_header))
{% endmacro %}
