{# Schemas are named exactly as configured (raw, staging, intermediate, marts, seeds): analysts
   query marts.fct_resources, not main_marts.fct_resources. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
