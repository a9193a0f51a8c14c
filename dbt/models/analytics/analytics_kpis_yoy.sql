{{ config(alias='kpis_yoy') }}
select y.*, fam.kpi_family_label_zh as kpi_family_zh, fam.kpi_family_label_en as kpi_family_en,
       u.unit_label_zh as unit_zh, coalesce(u.unit_label_en, y.unit) as unit_en,
       st.status_label_zh as status_zh, st.status_label_en as status_en
from {{ ref('fct_kpis_yoy') }} as y
left join {{ ref('dim_kpi_family') }} as fam using (kpi_family)
left join {{ ref('dim_kpi_unit') }} as u on u.unit_code = y.unit
left join {{ ref('dim_kpi_status') }} as st using (status)
