-- One row per KPI value: deliverables, compliance rates, performance measures and figures (budget
-- fascicle) and the work reports' headline facts. Text-only values (narrative deliverables,
-- performance-measure cells without a number) have value_text and no value_numeric. Incremental by document.
{{ config(**by_document_config()) }}
select
    md5(concat_ws('|', k.document_id, k.kpi_key, k.fiscal_year, k.status, k.source_line, k.value_text)) as kpi_value_id,
    k.kpi_family,
    k.kpi_key,
    k.entity_code,
    k.subprogramme_code,
    k.category,
    k.row_kind,
    k.label_zh,
    k.label_zh_hans,
    m.metric_name_zh,
    m.metric_name_en as label_en,
    k.unit,
    u.unit_label_en,
    k.fiscal_year,
    k.status,
    k.value_numeric,
    k.value_text,
    k.qualifier,
    k.confidence,
    k.document_id,
    k.document_symbol,
    k.source_table,
    k.source_line,
    k.locator
from {{ ref('stg_kpis') }} as k
left join {{ ref('dim_kpi_metric') }} as m on m.metric_key = k.kpi_key
left join {{ ref('dim_kpi_unit') }} as u on u.unit_code = k.unit
where {{ changed_documents('k.document_id') }}
