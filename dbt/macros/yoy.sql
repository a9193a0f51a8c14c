{#
  Year-over-year series of one fact family (see fct_resources_yoy.yml for the rule):
  per series key and fiscal year, the best available value — the most final phase
  (expenditure > appropriation/approved > estimate/proposed, seed `phases.precedence`), then the
  latest edition (higher session number of the symbol), then the first printed line — and the
  prior year's value beside it. Nil (—) counts as zero in changes; blank and not-applicable
  cells are not values and never selected.
#}
{% macro yoy(labelled_model, series_key) %}
with candidates as (
    select *
    from {{ ref(labelled_model) }}
    where measure = 'amount'
      and line_item_code is not null
      and value_status in ('value', 'nil')
),
ranked as (
    select
        *,
        row_number() over (
            partition by {{ series_key | join(', ') }}, fiscal_year
            order by phase_precedence, session_number desc nulls last, document_id, source_table, source_line
        ) as pick
    from candidates
),
best as (
    select * from ranked where pick = 1
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
    value_or_zero as value,
    value_status,
    case when prior_year = fiscal_year - 1 then prior_value_or_zero end as prior_value,
    case when prior_year = fiscal_year - 1 then prior_phase_any end as prior_phase,
    case when prior_year = fiscal_year - 1 then round(value_or_zero - prior_value_or_zero, 1) end as change,
    case when prior_year = fiscal_year - 1 and prior_value_or_zero <> 0
         then round(100.0 * (value_or_zero - prior_value_or_zero) / prior_value_or_zero, 2) end as change_percent,
    document_symbol,
    source_table,
    source_line,
    case when prior_year = fiscal_year - 1 then prior_document_any end as prior_document_symbol,
    case when prior_year = fiscal_year - 1 then prior_table_any end as prior_source_table,
    case when prior_year = fiscal_year - 1 then prior_line_any end as prior_source_line
from series
{% endmacro %}
