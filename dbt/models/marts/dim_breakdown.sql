select breakdown, label_zh as breakdown_label_zh, label_en as breakdown_label_en from {{ ref('breakdowns') }}
