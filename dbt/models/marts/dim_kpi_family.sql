select kpi_family, label_zh as kpi_family_label_zh, label_en as kpi_family_label_en from {{ ref('kpi_families') }}
