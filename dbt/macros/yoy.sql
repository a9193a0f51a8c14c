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
{% macro yoy(labelled_model, series_key) %}
with candidates as (
    select *
    from {{ ref(labelled_model) }}
    where measure = 'amount'
      and line_item_code is not null
      and fiscal_year is not null
      and value_status in ('value', 'nil')
),
ranked as (
    select
        *,
        row_number() over (
            partition by {{ series_key | join(', ') }}, fiscal_year
            order by phase_precedence nulls last, session_number desc nulls last, document_id, source_table,
                     source_line, length(column_header), column_header
        ) as pick
    from candidates
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
    select r.*, a.alternative_phases, a.alternatives, a.candidate_count
    from ranked as r
    join alternatives as a  -- series keys may be null (a table without scope): null matches null
      on r.fiscal_year = a.fiscal_year
      {%- for k in series_key %} and r.{{ k }} is not distinct from a.{{ k }}{% endfor %}
    where r.pick = 1
),
series as (
    select
        *,
        coalesce(value, 0) as value_or_zero,
        lag(fiscal_year) over w as prior_year,
        lag(coalesce(value, 0)) over w as prior_value_or_zero,
        lag(phase) over w as prior_phase_any,
        lag(document_symbol) over w as prior_document_any,
        lag(source_table) over w as prior_table_any,
        lag(source_line) over w as prior_line_any
    from best
    window w as (partition by {{ series_key | join(', ') }} order by fiscal_year)
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
    case when prior_year = fiscal_year - 1 then prior_value_or_zero end as prior_value,
    case when prior_year = fiscal_year - 1 then prior_phase_any end as prior_phase,
    case when prior_year = fiscal_year - 1 then round(value_or_zero - prior_value_or_zero, 1) end as change,
    case when prior_year = fiscal_year - 1 and prior_value_or_zero <> 0
         then round(100.0 * (value_or_zero - prior_value_or_zero) / prior_value_or_zero, 2) end as change_percent,
    document_symbol,
    language,
    source_table,
    source_line,
    table_index,
    row_index,
    column_header,
    case when prior_year = fiscal_year - 1 then prior_document_any end as prior_document_symbol,
    case when prior_year = fiscal_year - 1 then prior_table_any end as prior_source_table,
    case when prior_year = fiscal_year - 1 then prior_line_any end as prior_source_line
from series
{% endmacro %}
