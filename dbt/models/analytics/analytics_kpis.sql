{{ config(alias='kpis') }}
select
    k.kpi_family, fam.kpi_family_label_zh as kpi_family_zh, fam.kpi_family_label_en as kpi_family_en,
    k.kpi_key, k.entity_code, e.entity_name_zh, e.entity_name_en,
    k.subprogramme_code, sp.subprogramme_label_zh as subprogramme_zh, sp.subprogramme_label_en as subprogramme_en,
    k.category, k.row_kind, k.label_zh, k.label_en,
    k.unit, u.unit_label_zh as unit_zh, coalesce(u.unit_label_en, k.unit) as unit_en,
    k.fiscal_year, k.status, st.status_label_zh as status_zh, st.status_label_en as status_en,
    k.value_numeric, k.value_text, k.qualifier, k.confidence,
    k.document_symbol, k.source_table, k.source_line, k.locator
from {{ ref('fct_kpis') }} as k
left join {{ ref('dim_kpi_family') }} as fam using (kpi_family)
left join {{ ref('dim_entity') }} as e using (entity_code)
left join {{ ref('dim_subprogramme') }} as sp on sp.entity_code = k.entity_code and sp.subprogramme_code = k.subprogramme_code
left join {{ ref('dim_kpi_unit') }} as u on u.unit_code = k.unit
left join {{ ref('dim_kpi_status') }} as st using (status)
