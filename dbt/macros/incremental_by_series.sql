{#
  Year-over-year marts incremental by series and year (issue 12). A yoy row (series key, fiscal year) depends only
  on the candidates of its series in that year (the pick, the alternatives, the count) and in the year before (the
  prior-year value). So when documents change, the years they touch are computed again, with the year after each
  (whose prior value may change): those years the changed documents print now, and those whose candidates
  (`candidate_count`) no longer match what the mart holds, which is where a changed or removed document's former
  rows were (its rows are gone from the facts by then; the counts of the untouched documents are not). The other
  years of the same series keep their rows: an edition adds a year or two to a series that spans many editions.
  Series are matched by `hash()` of their key, nulls included (a table without scope is one series); a hash
  collision only recomputes the same years of one more series, with their prior years. Strategy `by_series`:
  DELETE the years to rebuild, then INSERT their recomputed rows, plain SQL as `by_document`.
  `dbt build --full-refresh` rebuilds every series.
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
  The (series, fiscal year) pairs whose candidates changed: `facts` is the materialized fact mart (incremental by
  document, already rebuilt for the changed documents), `candidate` its rows that compete in a series.
  Only on an incremental run.
#}
{% macro affected_years(facts, candidate, series_key) %}
    {%- set builds = ref('int_document_builds') -%}
    {%- set held = adapter.get_columns_in_relation(this) | map(attribute='name') | list if execute else [] -%}
    {%- if 'candidate_count' not in held -%}
    {#- a mart built before it counted candidates (fct_kpis_yoy before issue 12): every year of every series, once -#}
    select {{ series_hash(series_key) }} as series_hash, fiscal_year from {{ facts }}
    union
    select {{ series_hash(series_key) }}, fiscal_year from {{ this }}
    {%- else %}
    select {{ series_hash(series_key) }} as series_hash, fiscal_year
    from {{ facts }}
    where {{ candidate }} and document_id in (select document_id from {{ builds }} where changed)
    union
    select coalesce(now.series_hash, held.series_hash), coalesce(now.fiscal_year, held.fiscal_year)
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

{#
  The pairs shifted by these years: (0, 1) are the rows to rebuild, each changed year and the year after it;
  (-1, 0, 1) the candidates they read, the rows to rebuild and the year before each.
#}
{% macro years_around(facts, candidate, series_key, shifts) %}
    with affected as ({{ affected_years(facts, candidate, series_key) }})
    select series_hash, fiscal_year + shift
    from affected, (values {% for s in shifts %}({{ s }}){{ ', ' if not loop.last }}{% endfor %}) as shifts(shift)
{% endmacro %}

{#
  Predicates for a yoy model on an incremental run: `in_affected_years` on its candidates (the years to rebuild and
  the year before each), `in_rebuilt_years` on its rows (the years to rebuild).
#}
{% macro in_affected_years(facts, candidate, series_key, alias=none) %}
    {%- set builds = ref('int_document_builds') -%}  {#- declared while parsing, used when incremental -#}
    {%- if is_incremental() -%}
        ({{ series_hash(series_key, alias) }}, {{ alias ~ '.' if alias }}fiscal_year)
        in ({{ years_around(facts, candidate, series_key, [-1, 0, 1]) }})
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}

{% macro in_rebuilt_years(facts, candidate, series_key) %}
    {%- if is_incremental() -%}
        ({{ series_hash(series_key) }}, fiscal_year) in ({{ years_around(facts, candidate, series_key, [0, 1]) }})
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}

{% macro get_incremental_by_series_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set yoy = config.get('meta')['yoy'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where ({{ series_hash(yoy['series_key']) }}, fiscal_year)
          in ({{ years_around(ref(yoy['facts']), yoy['candidate'], yoy['series_key'], [0, 1]) }});
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}
