{#
  Data tests of the marts keyed by document, scoped to the documents this build rebuilt (issue 12). A test
  whose `where` config is `__changed_documents__` reads only the rows of the documents int_document_builds
  marks changed. That is as strong as testing the whole table when the test's rows cannot span documents
  (a unique key that includes document_id; fact_id hashes it): the other documents' rows are the rows an
  earlier build tested, unchanged, since their build key (content, pipeline version, dbt project) is the same.
  A full refresh marks every document changed, so the full/nightly build tests every row.
  This overrides dbt's get_where_subquery (the documented way to give `where` a run-time value).
#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and '__changed_documents__' in where -%}
        {%- set where = where | replace('__changed_documents__', changed_documents_predicate()) -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{% macro changed_documents_predicate() -%}
    {%- set builds = adapter.get_relation(database=target.database, schema='intermediate',
                                          identifier='int_document_builds') if execute else none -%}
    {%- if builds is none -%}
        {{ return('true') }}
    {%- endif -%}
    {{ return('document_id in (select document_id from ' ~ builds ~ ' where changed)') }}
{%- endmacro %}
