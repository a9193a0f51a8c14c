{% macro fact_id() %}
md5(concat_ws('|', document_id, source_table, source_line, funding_source, measure, fiscal_year))
{% endmacro %}
