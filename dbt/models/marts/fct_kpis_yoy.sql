-- Like with like, year over year: per KPI key, status (actual with actual, planned with planned) and
-- unit, the value of each fiscal year beside the prior year's. Where a document states a KPI more than
-- once for a year (a headline repeated in two paragraphs, several items in one performance cell), the
-- later edition, then the first printed line, is taken.
with candidates as (
    select f.*, d.session_number
    from {{ ref('fct_kpis') }} as f
    left join {{ ref('stg_documents') }} as d using (document_id)
    where f.value_numeric is not null and f.fiscal_year is not null
),
picked as (
    select *
    from candidates
    qualify row_number() over (
        partition by kpi_key, status, unit, fiscal_year
        order by session_number desc nulls last, document_id, source_line
    ) = 1
),
series as (
    select
        *,
        lag(fiscal_year) over w as prior_year_any,
        lag(value_numeric) over w as prior_value_any,
        lag(document_symbol) over w as prior_document_any,
        lag(source_line) over w as prior_line_any
    from picked
    window w as (partition by kpi_key, status, unit order by fiscal_year)
)
select
    kpi_family, kpi_key, entity_code, subprogramme_code, label_zh, label_en, unit, status, fiscal_year,
    value_numeric as value,
    qualifier,
    case when prior_year_any = fiscal_year - 1 then prior_value_any end as prior_value,
    case when prior_year_any = fiscal_year - 1 then round(value_numeric - prior_value_any, 4) end as change,
    case when prior_year_any = fiscal_year - 1 and prior_value_any <> 0
         then round(100.0 * (value_numeric - prior_value_any) / prior_value_any, 2) end as change_percent,
    document_symbol, source_table, source_line,
    case when prior_year_any = fiscal_year - 1 then prior_document_any end as prior_document_symbol,
    case when prior_year_any = fiscal_year - 1 then prior_line_any end as prior_source_line
from series
