{# A staging model: its raw table's columns, each cast to the type its frame declares. The columns and types
   are the model's YAML (models/staging/_staging.yml, generated from the frame schemas by
   pipelines/tools/dbt_schemas.py), so the frames are the one place a fact column is declared. #}
{% macro staged(table) %}
select
{%- for column in model.columns.values() %}
    cast({{ column.name }} as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
{%- endfor %}
from {{ source('raw', table) }}
{% endmacro %}
