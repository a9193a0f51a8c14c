{#
  Year-over-year marts incremental by series (issue 12). A yoy row depends only on the candidates of its series
  (the series key; every calendar year of it, for the prior-year lag), so when documents change only the series
  they touch are computed again: those the changed documents print now, and those whose candidates per year
  (`candidate_count`) no longer match what the mart holds, which is where a changed or removed document's
  former rows were (its rows are gone from the facts by then; the counts of the untouched documents are not).
  Series are matched by `hash()` of their key, nulls included (a table without scope is one series); a hash
  collision only recomputes one more series. Strategy `by_series`: DELETE the affected series, then INSERT
  their recomputed rows, plain SQL as `by_document`. `dbt build --full-refresh` rebuilds every series.
#}
{# facts: the fact mart the series are counted in; candidate: its rows that compete in a series. #}
{% macro by_series_config(facts, candidate, series_key) %}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'by_series', 'on_schema_change': 'sync_all_columns',
               'meta': {'yoy': {'facts': facts, 'candidate': candidate, 'series_key': series_key}}}) }}
{% endmacro %}

{% macro series_hash(series_key, alias=none) -%}
    hash({% for k in series_key %}{{ alias ~ '.' if alias }}{{ k }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{#
  The series to compute again: `facts` is the materialized fact mart (incremental by document, already rebuilt
  for the changed documents), `candidate` its rows that compete in a series. Only on an incremental run.
#}
{% macro affected_series(facts, candidate, series_key) %}
    {%- set builds = ref('int_document_builds') -%}
    {%- set held = adapter.get_columns_in_relation(this) | map(attribute='name') | list if execute else [] -%}
    {%- if 'candidate_count' not in held -%}
    {#- a mart built before it counted candidates (fct_kpis_yoy before issue 12): every series, once -#}
    select {{ series_hash(series_key) }} as series_hash from {{ facts }}
    union
    select {{ series_hash(series_key) }} from {{ this }}
    {%- else %}
    select {{ series_hash(series_key) }} as series_hash
    from {{ facts }}
    where {{ candidate }} and document_id in (select document_id from {{ builds }} where changed)
    union
    select coalesce(now.series_hash, held.series_hash)
    from (
        select {{ series_hash(series_key) }} as series_hash, fiscal_year, count(*) as candidate_count
        from {{ facts }}
        where {{ candidate }}
        group by all
    ) as now
    full outer join (
        select {{ series_hash(series_key) }} as series_hash, fiscal_year, candidate_count from {{ this }}
    ) as held
    on now.series_hash = held.series_hash and now.fiscal_year = held.fiscal_year
    where now.candidate_count is distinct from held.candidate_count
    {%- endif %}
{% endmacro %}

{# Predicate for a yoy model's candidates: on an incremental run only the affected series. #}
{% macro in_affected_series(facts, candidate, series_key, alias=none) %}
    {%- set builds = ref('int_document_builds') -%}  {#- declared while parsing, used when incremental -#}
    {%- if is_incremental() -%}
        {{ series_hash(series_key, alias) }} in ({{ affected_series(facts, candidate, series_key) }})
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}

{% macro get_incremental_by_series_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set yoy = config.get('meta')['yoy'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ series_hash(yoy['series_key']) }} in ({{ affected_series(ref(yoy['facts']), yoy['candidate'], yoy['series_key']) }});
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}
