-- Like with like, year over year (macros/yoy.sql, the rule the money and post series follow): per KPI key,
-- status (actual with actual, planned with planned) and unit, the value of each fiscal year beside the prior
-- year's. Where a document states a KPI more than once for a year (a headline repeated in two paragraphs,
-- several items in one performance cell), the later edition, then the first printed line, is taken.
-- Incremental by series and year (macros/incremental_by_series.sql): only the years the changed documents touch.
{% set series_key = ['kpi_key', 'status', 'unit'] %}
{% set candidate = 'value_numeric is not null and fiscal_year is not null' %}
{{ config(**by_series_config('fct_kpis', candidate, series_key)) }}
with candidates as (
    select f.*, d.session_number
    from {{ ref('fct_kpis') }} as f
    left join {{ ref('int_documents') }} as d using (document_id)
    where f.value_numeric is not null and f.fiscal_year is not null
      and {{ in_affected_years(ref('fct_kpis'), candidate, series_key, 'f') }}
),
ranked as (
    {{ yoy_ranked('candidates', series_key, 'session_number desc nulls last, document_id, source_line') }}
),
counted as (  -- a grouped count joined to the picked rows: cheaper than a second window over every candidate
    select {{ series_key | join(', ') }}, fiscal_year, count(*) as candidate_count from candidates group by all
),
picked as (
    select r.*, c.candidate_count
    from ranked as r
    join counted as c
      on r.fiscal_year = c.fiscal_year
      {%- for k in series_key %} and r.{{ k }} is not distinct from c.{{ k }}{% endfor %}
    where r.pick = 1
),
series as (
    {{ yoy_series('picked', series_key,
                  {'value_numeric': 'prior_value_any', 'document_symbol': 'prior_document_any',
                   'source_line': 'prior_line_any'}) }}
)
select
    kpi_family, kpi_key, entity_code, subprogramme_code, label_zh, label_en, unit, status, fiscal_year,
    value_numeric as value,
    qualifier,
    candidate_count,
    {{ if_prior('prior_value_any') }} as prior_value,
    {{ yoy_change('value_numeric', 'prior_value_any', 4) }} as change,
    {{ yoy_change_percent('value_numeric', 'prior_value_any') }} as change_percent,
    document_symbol, source_table, source_line,
    {{ if_prior('prior_document_any') }} as prior_document_symbol,
    {{ if_prior('prior_line_any') }} as prior_source_line
from series
where {{ in_rebuilt_years(ref('fct_kpis'), candidate, series_key) }}
