select status_code as status, keyword_zh as status_label_zh, label_en as status_label_en from {{ ref('kpi_statuses') }}
