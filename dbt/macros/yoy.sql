{#
  Year-over-year series of one fact family across editions and languages (the rule is written in
  _marts.yml, fct_resources_yoy): per series key (codes only, never labels) and calendar year, the
  best available value — the most final phase (seed `phases.precedence`: expenditure > appropriation/
  approved > revised estimate > estimate/proposed), then the latest edition (higher session number of
  the symbol), then the first printed row, then the least qualified column (the shortest header: "2026 revised"
  over "2026 revised (excluding posts related to ... consolidations)") — and the prior calendar year's value. The phases
  not chosen for that year are named in `alternative_phases` / `alternatives`. Periods that are not
  calendar years (fiscal_year null, e.g. the support account's 2025/26) are not in these series.
  Nil (—, –) counts as zero in changes; blank and not-applicable cells are never selected.
#}
{% macro yoy(labelled_model, facts, series_key) %}
{#- the same rows as the labelled candidates: the fact mart holds the labelled facts whose measure is amount -#}
{%- set candidate = "line_item_code is not null and fiscal_year is not null and value_status in ('value', 'nil')" -%}
{{ config(**by_series_config(facts, candidate, series_key)) }}
-- depends_on: {{ ref(facts) }}
with candidates as (
    select *
    from {{ ref(labelled_model) }}
    where measure = 'amount'
      and {{ candidate }}
      and {{ in_affected_years(ref(facts), candidate, series_key) }}
),
ranked as (
    {{ yoy_ranked('candidates', series_key, 'phase_precedence nulls last, session_number desc nulls last, document_id, '
                  ~ 'source_table, source_line, length(column_header), column_header') }}
),
alternatives as (
    select
        {{ series_key | join(', ') }}, fiscal_year,
        string_agg(distinct phase, ', ' order by phase) filter (where pick > 1) as alternative_phases,
        string_agg(
            phase || ' ' || coalesce(cast(value as varchar), 'nil') || ' (' || document_symbol || ' table '
            || source_table || ')', '; ' order by pick
        ) filter (where pick > 1) as alternatives,
        count(*) as candidate_count
    from ranked
    group by all
),
best as (
    select r.*, a.alternative_phases, a.alternatives, a.candidate_count, coalesce(r.value, 0) as value_or_zero
    from ranked as r
    join alternatives as a  -- series keys may be null (a table without scope): null matches null
      on r.fiscal_year = a.fiscal_year
      {%- for k in series_key %} and r.{{ k }} is not distinct from a.{{ k }}{% endfor %}
    where r.pick = 1
),
series as (
    {{ yoy_series('best', series_key, {'value_or_zero': 'prior_value_or_zero', 'phase': 'prior_phase_any',
                                       'document_symbol': 'prior_document_any', 'source_table': 'prior_table_any',
                                       'source_line': 'prior_line_any'}) }}
)
select
    {{ series_key | join(', ') }},
    line_item_label_zh,
    line_item_label_en,
    is_total,
    fiscal_year,
    phase,
    alternative_phases,
    alternatives,
    candidate_count,
    value_or_zero as value,
    value_status,
    {{ if_prior('prior_value_or_zero') }} as prior_value,
    {{ if_prior('prior_phase_any') }} as prior_phase,
    {{ yoy_change('value_or_zero', 'prior_value_or_zero', 1) }} as change,
    {{ yoy_change_percent('value_or_zero', 'prior_value_or_zero') }} as change_percent,
    document_symbol,
    language,
    source_table,
    source_line,
    table_index,
    row_index,
    column_header,
    {{ if_prior('prior_document_any') }} as prior_document_symbol,
    {{ if_prior('prior_table_any') }} as prior_source_table,
    {{ if_prior('prior_line_any') }} as prior_source_line
from series
where {{ in_rebuilt_years(ref(facts), candidate, series_key) }}
{% endmacro %}

{# The candidates of each series and calendar year, numbered best first (pick = 1 is the value taken). #}
{% macro yoy_ranked(candidates, series_key, order_by) %}
    select *, row_number() over (partition by {{ series_key | join(', ') }}, fiscal_year order by {{ order_by }}) as pick
    from {{ candidates }}
{% endmacro %}

{# Each picked value beside the previous picked year of its series (columns -> names of their lagged copies). #}
{% macro yoy_series(picked, series_key, lagged) %}
    select
        *,
        lag(fiscal_year) over w as prior_year_any
        {%- for column, name in lagged.items() %},
        lag({{ column }}) over w as {{ name }}
        {%- endfor %}
    from {{ picked }}
    window w as (partition by {{ series_key | join(', ') }} order by fiscal_year)
{% endmacro %}

{# The prior year counts only when it is the calendar year before: a gap leaves no prior value. #}
{% macro if_prior(expression) -%}
    case when prior_year_any = fiscal_year - 1 then {{ expression }} end
{%- endmacro %}

{% macro yoy_change(value, prior, digits) -%}
    {{ if_prior('round(' ~ value ~ ' - ' ~ prior ~ ', ' ~ digits ~ ')') }}
{%- endmacro %}

{% macro yoy_change_percent(value, prior) -%}
    case when prior_year_any = fiscal_year - 1 and {{ prior }} <> 0
         then round(100.0 * ({{ value }} - {{ prior }}) / {{ prior }}, 2) end
{%- endmacro %}
