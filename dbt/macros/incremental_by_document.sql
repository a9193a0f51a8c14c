{#
  Incremental marts keyed by document (issue 12). A mart whose rows each belong to one document is rebuilt
  only for the documents that changed since the last build: `int_document_builds` compares each document's
  build key (what decides its rows: id, content, status, pipeline version, and the dbt project itself) with
  the keys the last complete build recorded (`ops.document_builds`, written after every such mart). Their
  rows are deleted and inserted again (strategy `by_document`: DELETE ... WHERE document_id IN (...), then
  INSERT, plain SQL that the DuckDB file and a DuckLake catalog both run). A removed document is deleted
  even though it has no new rows. `dbt build --full-refresh` rebuilds every document.
#}
{% macro by_document_config() %}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'by_document', 'unique_key': 'document_id',
               'on_schema_change': 'sync_all_columns'}) }}
{% endmacro %}

{# Predicate for a model's rows: on an incremental run only the changed documents' rows are selected. #}
{% macro changed_documents(column='document_id') %}
    {%- set builds = ref('int_document_builds') -%}
    {%- if is_incremental() -%}
        {{ column }} in (select document_id from {{ builds }} where changed)
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}

{% macro get_incremental_by_document_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where document_id in (select document_id from {{ ref('int_document_builds') }} where changed);
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}

{# What decides a document's rows in the marts. The project fingerprint makes a change of a model, seed or
   macro rebuild every document (the macros' digest comes from pipelines/defs/dbt_project.py). #}
{% macro document_build_key() %}
    md5(concat_ws('|', document_id, content_sha256, status, pipeline_version, document_symbol,
                  '{{ project_fingerprint() }}'))
{% endmacro %}

{% macro project_fingerprint() %}
    {%- set parts = [env_var('UNWH_DBT_MACROS_SHA', '')] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
            {%- if node.resource_type in ('model', 'seed') -%}
                {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(local_md5(parts | join('|'))) }}
{% endmacro %}
